import { expect } from "chai";
import fc from "fast-check";

import {
  CLIFF_DENOMINATOR,
  releasable,
  revokeSplit,
  scheduleProblems,
  validateSchedule,
  vestedAmount,
  vestedOf,
} from "../../../lib/vesting";
import { FC_SEED } from "../../helpers/env";

const CLIFF = 1_000n;
const END = 2_000n;
const SCHEDULE = { cliff: CLIFF, end: END };

describe("lib/vesting", function () {
  describe("#vestedAmount", function () {
    it("is 0 before the cliff, a fifth at it, linear to the end, and the total from the end on", function () {
      expect(vestedAmount(1_000n, CLIFF, END, CLIFF - 1n)).to.equal(0n);
      expect(vestedAmount(1_000n, CLIFF, END, CLIFF)).to.equal(200n);
      expect(vestedAmount(1_000n, CLIFF, END, CLIFF + 500n)).to.equal(600n);
      expect(vestedAmount(1_000n, CLIFF, END, END - 1n)).to.equal(999n);
      expect(vestedAmount(1_000n, CLIFF, END, END)).to.equal(1_000n);
      expect(vestedAmount(1_000n, CLIFF, END, END + 10n ** 30n)).to.equal(1_000n);
    });

    it("rounds both parts down", function () {
      // 7 / 5 = 1 at the cliff; a second later 1 + 6 × 1 / 1000 = 1.
      expect(vestedAmount(7n, CLIFF, END, CLIFF)).to.equal(1n);
      expect(vestedAmount(7n, CLIFF, END, CLIFF + 1n)).to.equal(1n);
      expect(vestedAmount(7n, CLIFF, END, END - 1n)).to.equal(1n + (6n * 999n) / 1_000n);
    });

    it("vests everything at once when the cliff is the end", function () {
      expect(vestedAmount(1_000n, END, END, END - 1n)).to.equal(0n);
      expect(vestedAmount(1_000n, END, END, END)).to.equal(1_000n);
    });

    it("never exceeds the total and never decreases with time", function () {
      fc.assert(
        fc.property(
          fc.bigInt({ min: 0n, max: 2n ** 128n }),
          fc.bigInt({ min: 1n, max: 2n ** 40n }),
          fc.bigInt({ min: 0n, max: 2n ** 40n }),
          fc.bigInt({ min: 0n, max: 2n ** 41n }),
          fc.bigInt({ min: 0n, max: 2n ** 20n }),
          (total, cliff, span, timestamp, step) => {
            const end = cliff + span;
            const now = vestedAmount(total, cliff, end, timestamp);
            expect(now <= total).to.equal(true);
            expect(vestedAmount(total, cliff, end, timestamp + step) >= now).to.equal(true);
            if (timestamp >= cliff) expect(now >= total / CLIFF_DENOMINATOR).to.equal(true);
          },
        ),
        { seed: FC_SEED },
      );
    });

    it("throws for a negative total or a cliff after the end", function () {
      expect(() => vestedAmount(-1n, CLIFF, END, END)).to.throw(RangeError, "total must not be negative");
      expect(() => vestedAmount(1n, END + 1n, END, END)).to.throw(RangeError, "after the end");
    });
  });

  describe("#vestedOf and #releasable", function () {
    it("apply the schedule to balance + released", function () {
      const state = { balance: 600n, released: 400n, revoked: false };
      expect(vestedOf(state, SCHEDULE, CLIFF + 500n)).to.equal(600n);
      expect(releasable(state, SCHEDULE, CLIFF + 500n)).to.equal(200n);
    });

    it("count the whole total as vested once revoked", function () {
      expect(vestedOf({ balance: 5n, released: 3n, revoked: true }, SCHEDULE, 0n)).to.equal(8n);
      expect(releasable({ balance: 5n, released: 3n, revoked: true }, SCHEDULE, 0n)).to.equal(5n);
    });

    it("make nothing releasable, not a negative amount, when less has vested than was released", function () {
      expect(releasable({ balance: 1n, released: 400n, revoked: false }, SCHEDULE, CLIFF)).to.equal(0n);
    });

    it("throw for a negative balance or released amount", function () {
      expect(() => vestedOf({ balance: -1n, released: 0n, revoked: false }, SCHEDULE, END)).to.throw(RangeError);
      expect(() => vestedOf({ balance: 0n, released: -1n, revoked: false }, SCHEDULE, END)).to.throw(RangeError);
    });
  });

  describe("#revokeSplit", function () {
    it("keeps what is releasable and refunds the rest of the balance", function () {
      expect(revokeSplit({ balance: 800n, released: 200n, revoked: false }, SCHEDULE, CLIFF + 500n)).to.deep.equal({
        kept: 400n,
        refund: 400n,
      });
      expect(revokeSplit({ balance: 1_000n, released: 0n, revoked: false }, SCHEDULE, CLIFF - 1n)).to.deep.equal({
        kept: 0n,
        refund: 1_000n,
      });
    });

    it("conserves the total: released + kept + refund", function () {
      fc.assert(
        fc.property(
          fc.bigInt({ min: 0n, max: 2n ** 100n }),
          fc.bigInt({ min: 0n, max: 2n ** 100n }),
          fc.bigInt({ min: 0n, max: END - 1n }),
          (balance, released, timestamp) => {
            const { kept, refund } = revokeSplit({ balance, released, revoked: false }, SCHEDULE, timestamp);
            expect(kept >= 0n && refund >= 0n).to.equal(true);
            expect(kept + refund).to.equal(balance);
          },
        ),
        { seed: FC_SEED },
      );
    });

    it("throws for a revoked token and from the end on, as the contract reverts", function () {
      expect(() => revokeSplit({ balance: 1n, released: 0n, revoked: true }, SCHEDULE, CLIFF)).to.throw(
        RangeError,
        "AlreadyRevoked",
      );
      expect(() => revokeSplit({ balance: 1n, released: 0n, revoked: false }, SCHEDULE, END)).to.throw(
        RangeError,
        "VestingEnded",
      );
    });
  });

  describe("#scheduleProblems and #validateSchedule", function () {
    it("accept a cliff in the past and a cliff equal to the end", function () {
      expect(scheduleProblems({ cliff: 1n, end: END }, CLIFF)).to.deep.equal([]);
      expect(scheduleProblems({ cliff: END, end: END }, END - 1n)).to.deep.equal([]);
    });

    it("name every error the constructor would revert with", function () {
      expect(scheduleProblems({ cliff: 0n, end: END }, END)).to.deep.equal([
        "ZeroCliff: the cliff is 0, a typo rather than a date",
        `EndNotInFuture: the end ${END} is not after ${END}`,
      ]);
      expect(scheduleProblems({ cliff: END + 1n, end: END }, 0n)).to.deep.equal([
        `CliffAfterEnd: the cliff ${END + 1n} is after the end ${END}`,
      ]);
      expect(() => {
        validateSchedule({ cliff: END + 1n, end: END }, END + 2n);
      }).to.throw(RangeError, "CliffAfterEnd");
      expect(() => {
        validateSchedule(SCHEDULE, 0n);
      }).not.to.throw();
    });
  });
});

import { expect } from "chai";

import { bonusPoints, computeBonus, contributionPoints, splitProRata } from "../../../lib/bonus";
import type { Contribution, SnapshotParameters, Wallet } from "../../../lib/snapshot/schema";
import { ethereumAddress, node, oxenAddress, snapshot, TEST_PARAMETERS, wallet } from "../../helpers/snapshot";

// Cases the mutation run (npm run mutate) showed untested: the accrual window's edges to the second, the messages
// a user reads, and the tie-breaks of the largest-remainder split.

const INVALID = new Date("not a date");
const SNAPSHOT = TEST_PARAMETERS.snapshotTime;
const BACKDATE_FROM = TEST_PARAMETERS.bonusBackdateFrom;
const DEADLINE = TEST_PARAMETERS.bonusBackdateDeadline;
const LONG_AGO = new Date("2021-01-01T00:00:00Z");

/** Whole seconds from `from` to `to`. */
function secondsBetween(from: Date | string, to: Date | string): bigint {
  return BigInt((new Date(to).getTime() - new Date(from).getTime()) / 1_000);
}

function contribution(name: string, since: Date, until: Date | null = null, amount = 1n): Contribution {
  return { oxenAddress: oxenAddress(name), amount, since, until };
}

function registeredAt(name: string, at: Date): Wallet {
  return wallet(name, { registeredAt: at });
}

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  throw new Error("expected the call to throw");
}

describe("lib/bonus (mutation cases)", function () {
  describe("#contributionPoints", function () {
    it("names the date that is not valid", function () {
      const ann = registeredAt("Ann", new Date("2023-10-01T00:00:00Z"));
      const cases: [string, () => unknown][] = [
        ["contribution.since", () => contributionPoints(contribution("Ann", INVALID), ann, TEST_PARAMETERS)],
        ["contribution.until", () => contributionPoints(contribution("Ann", LONG_AGO, INVALID), ann, TEST_PARAMETERS)],
        [
          "the registration date",
          () => contributionPoints(contribution("Ann", LONG_AGO), registeredAt("Ann", INVALID), TEST_PARAMETERS),
        ],
      ];
      for (const field of ["snapshotTime", "bonusBackdateFrom", "bonusBackdateDeadline"] as const) {
        const parameters: SnapshotParameters = { ...TEST_PARAMETERS, [field]: INVALID };
        cases.push([field, () => contributionPoints(contribution("Ann", LONG_AGO), ann, parameters)]);
      }
      for (const [what, action] of cases) {
        expect(messageOf(action), what).to.equal(`RangeError: ${what} is not a valid date`);
      }
    });

    it("counts whole seconds, rounding a date with milliseconds down", function () {
      const late = new Date("2024-03-01T00:00:00.999Z");
      expect(contributionPoints(contribution("Bob", LONG_AGO), registeredAt("Bob", late), TEST_PARAMETERS)).to.equal(
        secondsBetween("2024-03-01T00:00:00Z", SNAPSHOT),
      );
      const since = new Date("2025-05-08T23:59:58.999Z");
      const ann = registeredAt("Ann", new Date("2023-10-01T00:00:00Z"));
      expect(contributionPoints(contribution("Ann", since), ann, TEST_PARAMETERS)).to.equal(2n);
    });

    it("backdates a registration one second before the deadline", function () {
      const justInTime = new Date(DEADLINE.getTime() - 1_000);
      expect(
        contributionPoints(contribution("Ann", LONG_AGO), registeredAt("Ann", justInTime), TEST_PARAMETERS),
      ).to.equal(secondsBetween(BACKDATE_FROM, SNAPSHOT));
    });

    it("accrues from the participation's start when a late registrant joined a node later", function () {
      const since = new Date("2024-04-01T00:00:00Z");
      const bob = registeredAt("Bob", new Date("2024-03-01T00:00:00Z"));
      expect(contributionPoints(contribution("Bob", since, null, 3n), bob, TEST_PARAMETERS)).to.equal(
        3n * secondsBetween(since, SNAPSHOT),
      );
    });

    it("counts a participation from its first to its last second, and nothing for an empty one", function () {
      const ann = registeredAt("Ann", new Date("2023-10-01T00:00:00Z"));
      const start = new Date("2024-06-01T00:00:00Z");
      const oneSecondLater = new Date(start.getTime() + 1_000);
      expect(contributionPoints(contribution("Ann", start, oneSecondLater, 7n), ann, TEST_PARAMETERS)).to.equal(7n);
      expect(contributionPoints(contribution("Ann", start, start, 7n), ann, TEST_PARAMETERS)).to.equal(0n);
      expect(contributionPoints(contribution("Ann", LONG_AGO, SNAPSHOT), ann, TEST_PARAMETERS)).to.equal(
        secondsBetween(BACKDATE_FROM, SNAPSHOT),
      );
    });

    it("gives nothing for a participation that starts at or after the snapshot", function () {
      const ann = registeredAt("Ann", new Date("2023-10-01T00:00:00Z"));
      expect(contributionPoints(contribution("Ann", SNAPSHOT), ann, TEST_PARAMETERS)).to.equal(0n);
      expect(contributionPoints(contribution("Ann", new Date("2025-06-01T00:00:00Z")), ann, TEST_PARAMETERS)).to.equal(
        0n,
      );
    });

    it("says which contribution met which wallet", function () {
      expect(
        messageOf(() => contributionPoints(contribution("Ann", LONG_AGO), wallet("Bob"), TEST_PARAMETERS)),
      ).to.equal(`Error: the contribution of ${oxenAddress("Ann")} was paired with the wallet ${oxenAddress("Bob")}`);
    });

    it("names the wallet that has an Ethereum address but no registration date", function () {
      const undated: Wallet = { ...wallet("Ann"), registeredAt: null };
      expect(messageOf(() => contributionPoints(contribution("Ann", LONG_AGO), undated, TEST_PARAMETERS))).to.equal(
        `Error: wallet ${oxenAddress("Ann")} has an Ethereum address but no registration date`,
      );
      expect(messageOf(() => bonusPoints(snapshot([undated], [node({ rank: 1, stakes: [["Ann", 100n]] })])))).to.equal(
        `Error: wallet ${oxenAddress("Ann")} has an Ethereum address but no registration date`,
      );
    });
  });

  describe("#bonusPoints", function () {
    it("names the Oxen address that has two wallets", function () {
      expect(messageOf(() => bonusPoints(snapshot([wallet("Ann"), wallet("Ann")], [])))).to.equal(
        `Error: wallet ${oxenAddress("Ann")} appears more than once in the snapshot`,
      );
    });

    it("lists addresses in the order of their first contribution that earns points", function () {
      const before = new Date("2023-01-01T00:00:00Z");
      const points = bonusPoints(
        snapshot(
          [wallet("Ann"), wallet("Bob")],
          [
            node({ rank: 1, stakes: [["Ann", 100n]], until: before }),
            node({ rank: 2, stakes: [["Bob", 100n]] }),
            node({ rank: 3, stakes: [["Ann", 100n]] }),
          ],
        ),
      );
      expect([...points.keys()]).to.deep.equal([ethereumAddress("Bob"), ethereumAddress("Ann")]);
    });

    it("skips an unregistered wallet without asking for its registration date", function () {
      const points = bonusPoints(
        snapshot(
          [wallet("Cat", { registered: false }), wallet("Ann")],
          [node({ rank: 1, stakes: [["Cat", 100n]] }), node({ rank: 2, stakes: [["Ann", 100n]] })],
        ),
      );
      expect([...points.keys()]).to.deep.equal([ethereumAddress("Ann")]);
    });
  });

  describe("#splitProRata", function () {
    it("names a negative total and a negative weight with its key", function () {
      expect(messageOf(() => splitProRata(-1n, new Map([["a", 1n]])))).to.equal(
        "RangeError: cannot split a negative total (-1)",
      );
      expect(
        messageOf(() =>
          splitProRata(
            5n,
            new Map([
              ["a", 1n],
              ["b", -3n],
            ]),
          ),
        ),
      ).to.equal("RangeError: the weight of b is negative (-3)");
    });

    it("accepts a zero total and zero weights beside positive ones, keeping every key in order", function () {
      const weights = new Map([
        ["a", 0n],
        ["b", 1n],
        ["c", 0n],
      ]);
      expect([...splitProRata(5n, weights)]).to.deep.equal([
        ["a", 0n],
        ["b", 5n],
        ["c", 0n],
      ]);
      expect([...splitProRata(0n, weights)]).to.deep.equal([
        ["a", 0n],
        ["b", 0n],
        ["c", 0n],
      ]);
    });

    it("gives a leftover atom to the larger remainder even when its key sorts last", function () {
      const weights = new Map([
        ["a", 1n],
        ["z", 2n],
      ]);
      expect([...splitProRata(1n, weights)]).to.deep.equal([
        ["a", 0n],
        ["z", 1n],
      ]);
      expect([...splitProRata(1n, new Map([...weights].reverse()))]).to.deep.equal([
        ["z", 1n],
        ["a", 0n],
      ]);
    });

    it("hands out several leftover atoms one each, by key among equal remainders", function () {
      const weights = new Map([
        ["c", 1n],
        ["a", 1n],
        ["b", 1n],
      ]);
      expect([...splitProRata(2n, weights)]).to.deep.equal([
        ["c", 0n],
        ["a", 1n],
        ["b", 1n],
      ]);
    });

    it("compares keys in lowercase, not in uppercase", function () {
      // "_" (0x5f) sorts between the uppercase and the lowercase letters.
      for (const order of [
        ["a", "_"],
        ["_", "a"],
      ]) {
        const awards = splitProRata(1n, new Map(order.map((key) => [key, 1n])));
        expect(awards.get("_"), order.join()).to.equal(1n);
        expect(awards.get("a"), order.join()).to.equal(0n);
      }
    });

    it("breaks a tie between keys equal in lowercase by the key as written", function () {
      const upper = `0x${"AB".repeat(20)}`;
      const lower = `0x${"ab".repeat(20)}`;
      for (const order of [
        [upper, lower],
        [lower, upper],
      ]) {
        const awards = splitProRata(1n, new Map(order.map((key) => [key, 1n])));
        expect(awards.get(upper)).to.equal(1n);
        expect(awards.get(lower)).to.equal(0n);
      }
    });
  });

  describe("#computeBonus", function () {
    it("reports the pool, the points and their total", function () {
      const bonus = computeBonus(
        snapshot(
          [wallet("Ann"), wallet("Bob")],
          [node({ rank: 1, stakes: [["Ann", 2n]] }), node({ rank: 2, stakes: [["Bob", 1n]] })],
          { bonusPool: 301n },
        ),
      );
      const seconds = secondsBetween(BACKDATE_FROM, SNAPSHOT);
      expect(bonus.pool).to.equal(301n);
      expect([...bonus.points]).to.deep.equal([
        [ethereumAddress("Ann"), 2_000_000_000n * seconds],
        [ethereumAddress("Bob"), 1_000_000_000n * seconds],
      ]);
      expect(bonus.totalPoints).to.equal(3_000_000_000n * seconds);
      // 301 × 2/3 = 200.67, 301 × 1/3 = 100.33: the leftover atom goes to Ann.
      expect([...bonus.awards]).to.deep.equal([
        [ethereumAddress("Ann"), 201n],
        [ethereumAddress("Bob"), 100n],
      ]);
      expect(bonus.undistributed).to.equal(0n);
    });

    it("keeps the whole pool undistributed when nobody is registered", function () {
      const bonus = computeBonus(
        snapshot([wallet("Cat", { registered: false })], [node({ rank: 1, stakes: [["Cat", 100n]] })], {
          bonusPool: 500n,
        }),
      );
      expect(bonus).to.deep.equal({
        pool: 500n,
        totalPoints: 0n,
        points: new Map(),
        awards: new Map(),
        undistributed: 500n,
      });
    });
  });
});

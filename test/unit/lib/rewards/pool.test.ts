import { expect } from "chai";
import fc from "fast-check";

import { ATOMS_PER_SESH } from "../../../../lib/amount";
import {
  ANNUAL_SIMPLE_PAYOUT_RATE,
  BASIS_POINTS,
  calculatePayoutAmount,
  continuousYearlyReleasedFraction,
  PAYOUT_DENOMINATOR,
  releasedSince,
  REWARD_RATE_PERIOD,
  RewardRatePoolModel,
  SECONDS_PER_YEAR,
  STAKING_REWARDS_POOL,
  yearlyReleasedFraction,
} from "../../../../lib/rewards";
import { FC_SEED } from "../../../helpers/env";

const DAY = 86_400n;
const MAX_UINT256 = 2n ** 256n - 1n;
/** The smallest balance a one-second period releases an atom of: ceil(1000 × 365 days / 151). */
const ONE_ATOM_PER_SECOND_BALANCE = 208_847_683n;
/** The first elapsed time at which any balance releases all of itself: ceil(1000 × 365 days / 151) seconds. */
const WHOLE_BALANCE_TIME = 208_847_683n;
const START = 1_717_200_000n;

/** A pool holding the launch allocation, initialized at START. */
function launchPool(): RewardRatePoolModel {
  const pool = new RewardRatePoolModel(START);
  pool.deposit(STAKING_REWARDS_POOL);
  return pool;
}

describe("lib/rewards/pool", function () {
  describe("constants", function () {
    it("pays 151 per mille a year of 365 days", function () {
      expect([ANNUAL_SIMPLE_PAYOUT_RATE, BASIS_POINTS, SECONDS_PER_YEAR]).to.deep.equal([151n, 1_000n, 31_536_000n]);
    });

    it("divides once by 1000 × 365 days", function () {
      expect(PAYOUT_DENOMINATOR).to.equal(31_536_000_000n);
    });

    it("quotes the reward rate over 2 minutes", function () {
      expect(REWARD_RATE_PERIOD).to.equal(120n);
    });

    it("holds 63,177,550 SESH at launch", function () {
      expect(STAKING_REWARDS_POOL).to.equal(63_177_550n * ATOMS_PER_SESH);
    });
  });

  describe("#calculatePayoutAmount", function () {
    it("pays 15.1 % of the balance over a year", function () {
      expect(calculatePayoutAmount(STAKING_REWARDS_POOL, SECONDS_PER_YEAR)).to.equal(9_539_810_050_000_000n);
    });

    it("pays nothing over no time", function () {
      expect(calculatePayoutAmount(STAKING_REWARDS_POOL, 0n)).to.equal(0n);
    });

    it("rounds down", function () {
      // 63,177,550 × 10^9 × 151 / 31,536,000,000 = 302,505,392.43…
      expect((STAKING_REWARDS_POOL * 151n) % PAYOUT_DENOMINATOR).to.not.equal(0n);
      expect(calculatePayoutAmount(STAKING_REWARDS_POOL, 1n)).to.equal(302_505_392n);
    });

    it("releases no atom per second below 208,847,683 atoms and one from there", function () {
      expect(calculatePayoutAmount(ONE_ATOM_PER_SECOND_BALANCE - 1n, 1n)).to.equal(0n);
      expect(calculatePayoutAmount(ONE_ATOM_PER_SECOND_BALANCE, 1n)).to.equal(1n);
    });

    it("is not capped at the balance", function () {
      expect(calculatePayoutAmount(1_000n, 10n * SECONDS_PER_YEAR)).to.equal(1_510n);
    });

    it("throws if balance × 151 overflows 256 bits", function () {
      const largest = MAX_UINT256 / ANNUAL_SIMPLE_PAYOUT_RATE;
      expect(calculatePayoutAmount(largest, 1n)).to.equal((largest * 151n) / PAYOUT_DENOMINATOR);
      expect(() => calculatePayoutAmount(largest + 1n, 1n)).to.throw(RangeError, /overflows 256 bits/);
    });

    it("throws if balance × 151 × timeElapsed overflows 256 bits", function () {
      expect(() => calculatePayoutAmount(2n ** 128n, 2n ** 128n)).to.throw(RangeError, /overflows 256 bits/);
    });

    it("throws on a negative balance or time, naming it", function () {
      expect(() => calculatePayoutAmount(-1n, 1n)).to.throw(RangeError, /balance must be between 0 and .*got -1/);
      expect(() => calculatePayoutAmount(1n, -1n)).to.throw(RangeError, /timeElapsed must be between/);
    });
  });

  describe("#releasedSince", function () {
    it("equals the payout amount until the whole balance is due", function () {
      expect(releasedSince(STAKING_REWARDS_POOL, WHOLE_BALANCE_TIME - 1n)).to.equal(
        calculatePayoutAmount(STAKING_REWARDS_POOL, WHOLE_BALANCE_TIME - 1n),
      );
      expect(releasedSince(STAKING_REWARDS_POOL, WHOLE_BALANCE_TIME - 1n)).to.be.lessThan(STAKING_REWARDS_POOL);
    });

    it("caps at the balance from 1000/151 years on", function () {
      expect(releasedSince(STAKING_REWARDS_POOL, WHOLE_BALANCE_TIME)).to.equal(STAKING_REWARDS_POOL);
      expect(releasedSince(STAKING_REWARDS_POOL, 10n * SECONDS_PER_YEAR)).to.equal(STAKING_REWARDS_POOL);
    });
  });

  describe("RewardRatePoolModel", function () {
    it("starts empty, with the clock at its start", function () {
      expect(new RewardRatePoolModel(START).state).to.deep.equal({
        balance: 0n,
        totalPaidOut: 0n,
        lastPaidOutTime: START,
        now: START,
      });
    });

    it("pays a day of the launch allocation", function () {
      const pool = launchPool();
      pool.advance(DAY);
      const expected = calculatePayoutAmount(STAKING_REWARDS_POOL, DAY);
      expect(pool.payoutReleased()).to.equal(expected);
      expect(pool.state).to.deep.equal({
        balance: STAKING_REWARDS_POOL - expected,
        totalPaidOut: expected,
        lastPaidOutTime: START + DAY,
        now: START + DAY,
      });
    });

    it("pays nothing a second time at the same timestamp", function () {
      const pool = launchPool();
      pool.advance(DAY);
      pool.payoutReleased();
      expect(pool.payoutReleased()).to.equal(0n);
    });

    it("releases the whole balance after ten years without a payout, then nothing", function () {
      const pool = launchPool();
      pool.advance(10n * SECONDS_PER_YEAR);
      expect(pool.calculateReleasedAmount()).to.equal(STAKING_REWARDS_POOL);
      expect(pool.rewardRate()).to.equal(0n);
      expect(pool.payoutReleased()).to.equal(STAKING_REWARDS_POOL);
      pool.advance(DAY);
      expect(pool.payoutReleased()).to.equal(0n);
    });

    it("counts a top-up from the last payout", function () {
      const pool = launchPool();
      pool.advance(DAY);
      pool.deposit(STAKING_REWARDS_POOL);
      expect(pool.payoutReleased()).to.equal(calculatePayoutAmount(2n * STAKING_REWARDS_POOL, DAY));
    });

    it("reads the views of INTERFACE.md section 4", function () {
      const pool = launchPool();
      pool.advance(DAY);
      const released = calculatePayoutAmount(STAKING_REWARDS_POOL, DAY);
      expect(pool.calculateReleasedAmount()).to.equal(released);
      expect(pool.calculateTotalDeposited()).to.equal(STAKING_REWARDS_POOL);
      expect(pool.rewardRate()).to.equal(calculatePayoutAmount(STAKING_REWARDS_POOL - released, REWARD_RATE_PERIOD));
    });

    it("throws if time goes back, naming both times", function () {
      const pool = launchPool();
      expect(() => {
        pool.advanceTo(START - 1n);
      }).to.throw(RangeError, `time cannot go back from ${START} to ${START - 1n}`);
      expect(() => {
        pool.advance(-1n);
      }).to.throw(RangeError, /seconds must be between 0/);
    });

    it("throws on a negative deposit", function () {
      expect(() => {
        launchPool().deposit(-1n);
      }).to.throw(RangeError, /amount must be between 0/);
    });

    it("throws if the start does not fit in 64 bits", function () {
      expect(() => new RewardRatePoolModel(2n ** 64n)).to.throw(RangeError, /startTime must be between 0/);
    });

    it("keeps balance plus paid out equal to the deposits over any timeline", function () {
      const operation = fc.oneof(
        fc.record({ kind: fc.constant("deposit" as const), value: fc.bigInt({ min: 0n, max: STAKING_REWARDS_POOL }) }),
        fc.record({
          kind: fc.constant("advance" as const),
          value: fc.bigInt({ min: 0n, max: 12n * SECONDS_PER_YEAR }),
        }),
        fc.record({ kind: fc.constant("payout" as const), value: fc.constant(0n) }),
      );
      fc.assert(
        fc.property(fc.array(operation, { maxLength: 30 }), (operations) => {
          const pool = new RewardRatePoolModel(START);
          let deposited = 0n;
          for (const { kind, value } of operations) {
            if (kind === "deposit") {
              pool.deposit(value);
              deposited += value;
            } else if (kind === "advance") pool.advance(value);
            else pool.payoutReleased();
            const { balance, totalPaidOut } = pool.state;
            expect(balance + totalPaidOut).to.equal(deposited);
            expect(pool.calculateTotalDeposited()).to.equal(deposited);
            expect(pool.calculateReleasedAmount()).to.be.within(totalPaidOut, deposited);
          }
        }),
        { seed: FC_SEED, numRuns: 200 },
      );
    });

    it("loses less than one atom per payout against exact arithmetic when paid every second", function () {
      // Exactly, n payouts one second apart leave B × (1 − r)^n with r = 151 / (1000 × 365 days); each rounding
      // down keeps less than one more atom in the pool.
      const payouts = 600n;
      const pool = launchPool();
      for (let second = 0n; second < payouts; second += 1n) {
        pool.advance(1n);
        pool.payoutReleased();
      }
      const scale = PAYOUT_DENOMINATOR ** payouts;
      const exactRemainder =
        (STAKING_REWARDS_POOL * (PAYOUT_DENOMINATOR - ANNUAL_SIMPLE_PAYOUT_RATE) ** payouts) / scale;
      const exactPaid = STAKING_REWARDS_POOL - exactRemainder;
      const paid = pool.state.totalPaidOut;
      expect(paid).to.be.at.most(exactPaid);
      expect(exactPaid - paid).to.be.at.most(payouts);
    });
  });

  describe("#yearlyReleasedFraction", function () {
    it("is 15.1 % with one payout a year", function () {
      expect(yearlyReleasedFraction(SECONDS_PER_YEAR)).to.equal(0.151);
    });

    it("is about 14.018 % with a payout every day", function () {
      expect(yearlyReleasedFraction(DAY)).to.be.closeTo(0.1401792, 1e-7);
    });

    it("is about 14.015 % with a payout every 2 minutes, within 10^-7 of continuous payouts", function () {
      const fraction = yearlyReleasedFraction(REWARD_RATE_PERIOD);
      expect(fraction).to.be.closeTo(0.1401523, 1e-7);
      expect(fraction - continuousYearlyReleasedFraction()).to.be.within(0, 1e-7);
    });

    it("cuts the last period at the year's end", function () {
      const sevenDays = 7n * DAY;
      expect(SECONDS_PER_YEAR % sevenDays).to.not.equal(0n);
      expect(yearlyReleasedFraction(sevenDays)).to.be.within(yearlyReleasedFraction(DAY), 0.151);
    });

    it("throws on an interval of zero or above a year, naming it", function () {
      expect(() => yearlyReleasedFraction(0n)).to.throw(RangeError, /got 0$/);
      expect(() => yearlyReleasedFraction(SECONDS_PER_YEAR + 1n)).to.throw(RangeError, /got 31536001$/);
    });
  });

  describe("#continuousYearlyReleasedFraction", function () {
    it("is 1 − e^(−0.151)", function () {
      expect(continuousYearlyReleasedFraction()).to.equal(1 - Math.exp(-0.151));
      expect(continuousYearlyReleasedFraction()).to.be.closeTo(0.1401523, 1e-7);
    });
  });
});

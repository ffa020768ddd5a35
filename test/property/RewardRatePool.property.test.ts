import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import fc from "fast-check";

import { ATOMS_PER_SESH } from "../../lib/amount";
import { calculatePayoutAmount, RewardRatePoolModel, SECONDS_PER_YEAR, STAKING_REWARDS_POOL } from "../../lib/rewards";
import { restoreChainAfterSuite } from "../helpers/chain";
import { FC_SEED, integerFromEnv } from "../helpers/env";
import { deployRewardRatePool } from "../helpers/pool";

/** Runs of the timeline property: 60 by default (a run is a fresh fixture and up to 12 steps, about 0.3 s). */
const NUM_RUNS = integerFromEnv("FC_NUM_RUNS", 60, 1);
const MAX_OPERATIONS = 12;
/** Short jumps stay within a few payout periods; long ones reach past 1000/151 years, where the cap applies. */
const MAX_SHORT_JUMP = 600n;
const MAX_LONG_JUMP = 12n * SECONDS_PER_YEAR;
/** Sent without estimating gas, so that a reverting payout is mined at the timestamp the model expects. */
const GAS_LIMIT = 500_000n;

type Operation =
  | { readonly kind: "deposit"; readonly amount: bigint }
  | { readonly kind: "jump"; readonly seconds: bigint }
  | { readonly kind: "payout" }
  | { readonly kind: "pause" }
  | { readonly kind: "unpause" };

const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("deposit" as const),
      // From one atom (dust) to the whole launch allocation again.
      amount: fc.oneof(fc.bigInt({ min: 1n, max: ATOMS_PER_SESH }), fc.bigInt({ min: 1n, max: STAKING_REWARDS_POOL })),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("jump" as const),
      seconds: fc.oneof(
        { weight: 3, arbitrary: fc.bigInt({ min: 1n, max: MAX_SHORT_JUMP }) },
        { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: MAX_LONG_JUMP }) },
      ),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("payout" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("pause" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("unpause" as const) }) },
);

/** This file's own fixture: loadFixture keys snapshots by function, and other suites restore the chain after them. */
async function poolFixture() {
  return deployRewardRatePool();
}

describe("RewardRatePool (property)", function () {
  restoreChainAfterSuite();

  it("agrees with the model to the atom over random timelines of top-ups, time jumps, payouts and pauses", async function () {
    await fc.assert(
      fc.asyncProperty(
        fc.array(operationArbitrary, { minLength: 1, maxLength: MAX_OPERATIONS }),
        async (operations) => {
          const { pool, poolAddress, sesh, beneficiary, owner, startTime } = await loadFixture(poolFixture);
          const model = new RewardRatePoolModel(startTime);
          const beneficiaryStart = await sesh.balanceOf(beneficiary.address);
          let now = BigInt(await time.latest());
          model.advanceTo(now);
          let paused = false;
          let deposited = 0n;
          let pending = 0n;
          for (const operation of operations) {
            if (operation.kind === "jump") {
              pending += operation.seconds;
              continue;
            }
            now += pending + 1n;
            pending = 0n;
            await time.setNextBlockTimestamp(now);
            model.advanceTo(now);
            switch (operation.kind) {
              case "deposit":
                await sesh.connect(owner).transfer(poolAddress, operation.amount);
                model.deposit(operation.amount);
                deposited += operation.amount;
                break;
              case "payout":
                if (paused) {
                  await expect(pool.payoutReleased({ gasLimit: GAS_LIMIT })).to.be.revertedWithCustomError(
                    pool,
                    "EnforcedPause",
                  );
                } else {
                  const expected = model.payoutReleased();
                  await expect(pool.payoutReleased()).to.emit(pool, "FundsReleased").withArgs(expected);
                }
                break;
              case "pause":
              case "unpause":
                if (paused === (operation.kind === "pause")) {
                  await expect(pool[operation.kind]({ gasLimit: GAS_LIMIT })).to.be.revertedWithCustomError(
                    pool,
                    paused ? "EnforcedPause" : "ExpectedPause",
                  );
                } else {
                  await pool[operation.kind]();
                  paused = !paused;
                }
                break;
            }
            expect(BigInt(await time.latest())).to.equal(now);
            const { balance, totalPaidOut, lastPaidOutTime } = model.state;
            expect(await sesh.balanceOf(poolAddress), "pool balance").to.equal(balance);
            expect((await sesh.balanceOf(beneficiary.address)) - beneficiaryStart, "paid to the beneficiary").to.equal(
              totalPaidOut,
            );
            expect(await pool.totalPaidOut(), "totalPaidOut").to.equal(totalPaidOut);
            expect(await pool.lastPaidOutTime(), "lastPaidOutTime").to.equal(lastPaidOutTime);
            expect(await pool.calculateTotalDeposited(), "calculateTotalDeposited").to.equal(deposited);
            expect(await pool.calculateReleasedAmount(), "calculateReleasedAmount").to.equal(
              model.calculateReleasedAmount(),
            );
            expect(await pool.rewardRate(), "rewardRate").to.equal(model.rewardRate());
            expect(await pool.calculatePayoutAmount(balance, now - lastPaidOutTime)).to.equal(
              calculatePayoutAmount(balance, now - lastPaidOutTime),
            );
            expect(model.calculateReleasedAmount()).to.be.within(totalPaidOut, deposited);
          }
        },
      ),
      { seed: FC_SEED, numRuns: NUM_RUNS },
    );
  });
});

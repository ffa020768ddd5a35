// Spread of the two network-signed hot paths of ServiceNodeRewards over random messages: the hash to G2 is
// try-and-increment, so its cost, and the transaction's, depends on the message. gas/snapshot.json records one fixed
// message each (scripts/gasRewards.ts); this prints the median and the worst over 50 random ones, on the same set-up:
// - updateRewardsBalance: a random cumulative amount for a recipient credited once before, every node signing;
// - exitBLSPublicKeyWithSignature: a seeded solo node leaving at a random time, every node signing.
// Each sample starts from the same state (evm_snapshot / evm_revert). It also prints the seeding gas model of
// lib/migration/plan.ts (DEFAULT_SEED_GAS) from scripts/gasRewards.ts's seeding figures. Run: npm run bench:rewards
import { randomBytes } from "node:crypto";

import hre from "hardhat";

import { formatInteger } from "../lib/amount";
import { exitMessage, rewardMessage } from "../lib/bls";
import { atTime, deployRewardsBench, gasOf, measureSeedingGas, REWARDS_BASE_TIME, seedNetwork } from "./gasRewards";

const SAMPLES = 50;
/** The snapshot's figures, for comparison. */
const SNAPSHOT_NAMES = {
  updateRewardsBalance: "ServiceNodeRewards.updateRewardsBalance",
  exitWithSignature: "ServiceNodeRewards.exitWithSignature",
} as const;
/** The seeding model's margin (5 %) and rounding (up to the next 1,000). */
const MARGIN_PERCENT = 105;
const ROUNDING = 1_000;
/** Contributors of the measured shared nodes. */
const SHARED_CONTRIBUTORS = 10;

/** Random times are drawn over a year after the base time. */
const YEAR = 365 * 86_400;

function randomBelow(bound: bigint): bigint {
  return BigInt(`0x${randomBytes(32).toString("hex")}`) % bound;
}

function withMargin(gas: number): number {
  return Math.ceil((gas * MARGIN_PERCENT) / 100 / ROUNDING) * ROUNDING;
}

function summary(values: readonly number[]): { median: number; worst: number; best: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] ?? 0)
      : Math.round(((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2);
  return { median, worst: sorted.at(-1) ?? 0, best: sorted[0] ?? 0 };
}

async function main(): Promise<void> {
  const started = performance.now();
  const bench = await deployRewardsBench(hre);
  const seeding = await measureSeedingGas(bench);
  const model = {
    perBatch: Math.max(seeding.solo.perBatchFirst, seeding.tenContributors.perBatchFirst),
    perNode: seeding.solo.perNode,
    perContributor: (seeding.tenContributors.perNode - seeding.solo.perNode) / SHARED_CONTRIBUTORS,
  };
  console.log("seeding gas model (measured → with 5 % margin, rounded up to 1,000):");
  for (const [name, gas] of Object.entries(model)) {
    console.log(`  ${name}: ${formatInteger(Math.round(gas))} → ${formatInteger(withMargin(gas))}`);
  }
  console.log(
    `  largest first batch of 10-contributor nodes in 32,000,000 gas: ${seeding.largest} (${formatInteger(seeding.largestGas)} gas)\n`,
  );
  const { network } = await seedNetwork(bench);
  const { rewards, tags } = bench;
  const recipient = bench.signers[5];
  if (recipient === undefined) throw new Error("the network has fewer than six accounts");

  const firstCredit = 5n * 10n ** 9n;
  await atTime(hre, REWARDS_BASE_TIME);
  const signed = network.sign(rewardMessage(tags, recipient.address, firstCredit), tags.hashToG2Tag);
  await gasOf(rewards.updateRewardsBalance(recipient.address, firstCredit, signed.params, []));

  const credits: number[] = [];
  const exits: number[] = [];
  const exitingKey = network.node(1).publicKeyStruct;
  for (let sample = 0; sample < SAMPLES; sample += 1) {
    const snapshot = (await hre.network.provider.send("evm_snapshot", [])) as string;
    const amount = firstCredit + 1n + randomBelow(2n ** 96n);
    const credit = network.sign(rewardMessage(tags, recipient.address, amount), tags.hashToG2Tag);
    credits.push(await gasOf(rewards.updateRewardsBalance(recipient.address, amount, credit.params, [])));
    await hre.network.provider.send("evm_revert", [snapshot]);

    const again = (await hre.network.provider.send("evm_snapshot", [])) as string;
    const at = REWARDS_BASE_TIME + 60 + Number(randomBelow(BigInt(YEAR)));
    await atTime(hre, at);
    const exit = network.sign(exitMessage(tags, exitingKey, BigInt(at)), tags.hashToG2Tag);
    exits.push(await gasOf(rewards.exitBLSPublicKeyWithSignature(exitingKey, at, exit.params, [])));
    await hre.network.provider.send("evm_revert", [again]);
  }

  const rows = [
    "| hot path | samples | best | median | worst | worst − best |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const [name, values] of [
    [SNAPSHOT_NAMES.updateRewardsBalance, credits],
    [SNAPSHOT_NAMES.exitWithSignature, exits],
  ] as const) {
    const { median, worst, best } = summary(values);
    rows.push(
      `| ${name} | ${values.length} | ${formatInteger(best)} | ${formatInteger(median)} | ${formatInteger(worst)} | ` +
        `${formatInteger(worst - best)} |`,
    );
  }
  console.log(rows.join("\n"));
  console.log(`\n${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

import { getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { deployStaking, stakingParametersFor } from "../../deploy/staking";
import type { TgeResult } from "../../deploy/tge";
import { formatInteger, formatSesh } from "../../lib/amount";
import { PreconditionError } from "../../lib/errors";
import { markdownTable } from "../../lib/markdown";
import { migrationFunding, seedBatchEntries, type MigrationPlan, type SeedEntry } from "../../lib/migration";
import type { Journal } from "../../lib/rehearsal/journal";
import type { ReportCheck, ReportPhase, ReportTransaction } from "../../lib/rehearsal/report";

// The Landing's re-staking, as the launch carried it out at the TGE: the staking set on mainnet parameters, the
// rewards contract funded with every re-staked stake and credit of the migration plan (from the escrow that holds the
// Oxen Coin Claims and Service Node Bonus lines), the plan's seed batches, then `start()`. Every transaction goes
// through the rehearsal's journal, so that a run killed in the middle of the seeding resumes without seeding twice.

/** The Ignition deployment id of the rehearsal's staking set on a node that outlives the process. */
export const LANDING_STAKING_DEPLOYMENT_ID = "rehearsal-staking";

export interface LandingSeedingOptions {
  readonly tge: TgeResult;
  readonly plan: MigrationPlan;
  readonly journal: Journal;
  /** Called after each seed batch with the batches done and their total. */
  readonly onBatch?: (done: number, total: number) => void;
}

export interface LandingSeeding {
  readonly rewardsAddress: string;
  readonly factoryAddress: string;
  readonly poolAddress: string;
  readonly funded: bigint;
  readonly seededNodes: number;
  readonly phase: ReportPhase;
}

/** What the journal records of the staking deployment, for a resumed run. */
interface StakingAddresses {
  readonly [key: string]: string;
  readonly rewards: string;
  readonly factory: string;
  readonly pool: string;
}

/** The gas limit of a seed batch: the plan's estimate and a quarter, within the block's gas limit. */
function batchGasLimit(estimate: bigint, blockGasLimit: bigint): bigint {
  const padded = (estimate * 5n) / 4n;
  return padded < blockGasLimit ? padded : blockGasLimit;
}

/** Whether the contract stores the node of `entry` under `id` as the entry says. */
function sameNode(
  stored: {
    ed25519Pubkey: bigint;
    contributors: { staker: { addr: string; beneficiary: string }; stakedAmount: bigint }[];
  },
  entry: SeedEntry,
): boolean {
  if (stored.ed25519Pubkey !== entry.ed25519Pubkey || stored.contributors.length !== entry.contributors.length) {
    return false;
  }
  return entry.contributors.every((contributor, index) => {
    const on = stored.contributors[index];
    return (
      on !== undefined &&
      getAddress(on.staker.addr) === contributor.staker.addr &&
      getAddress(on.staker.beneficiary) === contributor.staker.beneficiary &&
      on.stakedAmount === contributor.stakedAmount
    );
  });
}

/**
 * Deploys the staking set, funds the rewards contract, seeds the plan's nodes batch by batch and starts the contract;
 * then checks the contract against the plan (every node and contributor, the node count, the balance).
 */
export async function runLandingSeeding(
  hre: HardhatRuntimeEnvironment,
  options: LandingSeedingOptions,
): Promise<LandingSeeding> {
  const { tge, plan, journal } = options;
  const { ethers } = hre;
  const owner = await ethers.getSigner(tge.plan.genesisReceiver);
  const escrow = await ethers.getSigner(tge.plan.escrow.address);
  const funding = migrationFunding(plan);
  const escrowBalance = await tge.sesh.balanceOf(tge.plan.escrow.address);
  if (!journal.isDone("landing.fund") && escrowBalance < funding) {
    throw new PreconditionError(
      `the escrow ${tge.plan.escrow.name} holds ${formatSesh(escrowBalance)}, less than the ${formatSesh(funding)} ` +
        `the migration plan re-stakes and credits`,
    );
  }
  const batches = seedBatchEntries(plan);
  const transactions: ReportTransaction[] = [];
  const record = (label: string, receipt: { hash: string; gasUsed: bigint }): void => {
    transactions.push({ label, hash: receipt.hash, gasUsed: receipt.gasUsed });
  };

  const addresses = await journal.step<StakingAddresses>("landing.staking", async () => {
    const staking = await deployStaking(hre, {
      sesh: tge.seshAddress,
      parameters: stakingParametersFor("hardhat"),
      deploymentId: LANDING_STAKING_DEPLOYMENT_ID,
    });
    return { rewards: staking.rewardsAddress, factory: staking.factoryAddress, pool: staking.poolAddress };
  });
  const rewards = await ethers.getContractAt("ServiceNodeRewards", addresses.rewards);

  record(
    "fund the rewards contract",
    await journal.send("landing.fund", escrow, () => tge.sesh.transfer.populateTransaction(addresses.rewards, funding)),
  );
  const blockGasLimit = (await ethers.provider.getBlock("latest"))?.gasLimit ?? 0n;
  for (const [index, entries] of batches.entries()) {
    const estimate = plan.seedBatches[index]?.estimatedGas ?? blockGasLimit;
    const receipt = await journal.send(`landing.seed.${index}`, owner, async () => ({
      ...(await rewards.seedPublicKeyList.populateTransaction(entries)),
      gasLimit: batchGasLimit(estimate, blockGasLimit),
    }));
    record(`seed batch ${index + 1} (${formatInteger(entries.length)} nodes)`, receipt);
    options.onBatch?.(index + 1, batches.length);
  }
  record("start()", await journal.send("landing.start", owner, () => rewards.start.populateTransaction()));

  // The contract against the plan.
  const [ids] = await rewards.allServiceNodeIDs();
  const entries = batches.flat();
  let matching = 0;
  for (const [index, entry] of entries.entries()) {
    const id = ids[index];
    if (id !== undefined && sameNode(await rewards.serviceNodes(id), entry)) matching += 1;
  }
  const balance = await tge.sesh.balanceOf(addresses.rewards);
  const checks: ReportCheck[] = [
    {
      name: "every re-staked node is seeded with its contributors and stakes, in the plan's order",
      ok: matching === entries.length && ids.length === plan.restaked.length,
      detail: `${formatInteger(matching)} of ${formatInteger(plan.restaked.length)} nodes match`,
    },
    {
      name: "the rewards contract holds every re-staked stake and credit of the plan",
      ok: balance === funding,
      detail: `${formatSesh(balance)} held, ${formatSesh(funding)} planned`,
    },
    { name: "the rewards contract is started", ok: await rewards.isStarted(), detail: addresses.rewards },
  ];
  const seedGas = transactions.filter((tx) => tx.label.startsWith("seed")).reduce((sum, tx) => sum + tx.gasUsed, 0n);
  return {
    rewardsAddress: addresses.rewards,
    factoryAddress: addresses.factory,
    poolAddress: addresses.pool,
    funded: funding,
    seededNodes: entries.length,
    phase: {
      name: "Landing: re-staking",
      events: [
        `staking set deployed: ServiceNodeRewards at ${addresses.rewards}, factory at ${addresses.factory}`,
        `rewards contract funded with ${formatSesh(funding)} from the escrow ${tge.plan.escrow.name}`,
        `${formatInteger(entries.length)} nodes seeded in ${formatInteger(batches.length)} batch${batches.length === 1 ? "" : "es"}, ` +
          `${formatInteger(seedGas)} gas (${formatInteger(entries.length === 0 ? 0n : seedGas / BigInt(entries.length))} per node)`,
        "rewards contract started",
      ],
      transactions,
      sections: [
        {
          title: "Migration plan",
          markdown: markdownTable(
            ["", "nodes", "SESH"],
            ["l", "r", "r"],
            [
              [
                "re-staked",
                formatInteger(plan.totals.restakedNodes),
                formatSesh(plan.totals.restaked, { unit: false }),
              ],
              ["disbanded", formatInteger(plan.totals.disbandedNodes), ""],
              ["credited", "", formatSesh(plan.totals.credited, { unit: false })],
              ["bonus not distributed", "", formatSesh(plan.totals.bonusUndistributed, { unit: false })],
            ],
          ),
        },
      ],
      checks,
    },
  };
}

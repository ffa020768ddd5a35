import { rmSync } from "node:fs";
import path from "node:path";

import { getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { deployStaking, stakingParametersFor } from "../../deploy/staking";
import { deployTge, deploymentFolder, prepareTge, type TgeResult } from "../../deploy/tge";
import { ARB_SYS_ADDRESS } from "../../lib/chain/arbitrum";
import { moveClockTo } from "../../lib/chain/clock";
import { allocationTable, balanceTable, recipientTable } from "../../lib/tge/report";
import { formatUtc, launchTimeline } from "../../lib/timeline";
import type { AllocationContract } from "../../lib/tge/parameters";
import type { TgePlan } from "../../lib/tge/plan";
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

/**
 * The Ignition deployment id of the rehearsal's TGE on a node that outlives the process (localhost, anvil). One id,
 * reused: a rehearsal always runs on a fresh chain (it refuses a clock at or past its first date), so a journal of
 * that id is always from an earlier chain; it is deleted before the deployment and again after it, so that nothing
 * piles up in deploy/deployments/.
 */
export const REHEARSAL_DEPLOYMENT_ID = "rehearsal";

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

/** What the journal records of the TGE, to rebuild its result in a resumed run. */
type RecordedTge = {
  readonly [key: string]: string | { readonly [key: string]: string }[];
  readonly sesh: string;
  readonly splitter: string;
  readonly totalSupply: string;
  readonly transactions: { readonly hash: string; readonly gasUsed: string; readonly contractAddress: string }[];
  readonly checks: {
    readonly address: string;
    readonly label: string;
    readonly expected: string;
    readonly actual: string;
  }[];
};

function recordTge(tge: TgeResult): RecordedTge {
  return {
    sesh: tge.seshAddress,
    splitter: tge.splitterAddress,
    totalSupply: tge.totalSupply.toString(),
    transactions: tge.transactions.map((tx) => ({
      hash: tx.hash,
      gasUsed: tx.gasUsed.toString(),
      contractAddress: tx.contractAddress ?? "",
    })),
    checks: tge.checks.map((check) => ({
      address: check.address,
      label: check.label,
      expected: check.expected.toString(),
      actual: check.actual.toString(),
    })),
  };
}

async function restoreTge(
  hre: HardhatRuntimeEnvironment,
  recorded: RecordedTge,
  tgeOptions: { readonly parametersFile?: string },
): Promise<TgeResult> {
  const transactions = recorded.transactions.map((tx) => ({
    hash: tx.hash,
    gasUsed: BigInt(tx.gasUsed),
    ...(tx.contractAddress === "" ? {} : { contractAddress: tx.contractAddress }),
  }));
  return {
    plan: await prepareTge(hre, tgeOptions),
    sesh: await hre.ethers.getContractAt("SESH", recorded.sesh),
    seshAddress: recorded.sesh,
    splitter: await hre.ethers.getContractAt("GenesisSplitter", recorded.splitter),
    splitterAddress: recorded.splitter,
    totalSupply: BigInt(recorded.totalSupply),
    checks: recorded.checks.map((check) => ({
      address: check.address,
      label: check.label,
      expected: BigInt(check.expected),
      actual: BigInt(check.actual),
      ok: check.expected === check.actual,
    })),
    transactions,
    gasUsed: transactions.reduce((sum, tx) => sum + tx.gasUsed, 0n),
    vesting: [],
  };
}

export interface LandingTgeOptions {
  readonly journal: Journal;
  readonly tgeOptions: { readonly parametersFile?: string };
  /** A resumed run: Ignition's journal of an interrupted TGE is kept, to continue where it stopped. */
  readonly resume: boolean;
  /** No clock moves (the chain keeps its own time). */
  readonly realTime?: boolean;
}

export interface LandingTge {
  readonly tge: TgeResult;
  readonly events: readonly string[];
  readonly phase: ReportPhase;
}

/** Prints the TGE's allocation table, its recipients and the balances after it, for people. */
export function logTge(tge: TgeResult, log: (line: string) => void): void {
  log("");
  log(`## Allocation (${path.relative(process.cwd(), tge.plan.parametersFile)})`);
  log("");
  log(allocationTable(tge.plan));
  log("");
  log(recipientTable(tge.plan));
  const escrowed = tge.plan.lines.filter((line) => line.heldFor !== undefined);
  if (escrowed.length > 0) {
    log("");
    log(
      `Held by the escrow account ${tge.plan.escrow.name} (${getAddress(tge.plan.escrow.address)}) until their ` +
        `contracts are deployed: ${escrowed.map((line) => `${line.name} → ${line.heldFor}`).join("; ")}.`,
    );
  }
  log("");
  log("## Balances after the TGE");
  log("");
  log(balanceTable(tge.checks));
}

/**
 * The Landing's first day: the clock moves to the Landing release and then to the TGE, the TGE module mints the
 * supply and pays the allocation table (deploy/tge.ts), and every holder's balance is checked against its lines.
 */
export async function runLandingTge(hre: HardhatRuntimeEnvironment, options: LandingTgeOptions): Promise<LandingTge> {
  const { journal, tgeOptions } = options;
  const provider = hre.network.provider;
  const timeline = launchTimeline();
  const events: string[] = [];
  if (options.realTime !== true) {
    const dates = [
      ["landingRelease", "the Landing release"],
      ["tge", "the TGE"],
    ] as const;
    for (const [id, label] of dates) {
      const event = timeline.at(id);
      const { from } = await journal.step(`landing.clock.${id}`, async () => ({
        from: await moveClockTo(provider, event.unix, label),
      }));
      events.push(`clock moved from ${formatUtc(from)} to ${label}, ${formatUtc(event.date)}`);
    }
  }
  // The in-process network keeps Ignition's journal in memory; elsewhere it goes to one folder, removed once the TGE
  // is done (kept by a kill, so that a resumed run continues Ignition's deployment where it stopped).
  const ignitionJournal = hre.network.name === "hardhat" ? undefined : deploymentFolder(hre, REHEARSAL_DEPLOYMENT_ID);
  const removeIgnitionJournal = (): void => {
    if (ignitionJournal !== undefined) rmSync(ignitionJournal, { recursive: true, force: true });
  };
  if (!options.resume) removeIgnitionJournal();
  const recordedTge = journal.recorded("landing.tge") as RecordedTge | undefined;
  let tge: TgeResult;
  if (recordedTge === undefined) {
    tge = await deployTge(hre, { ...tgeOptions, deploymentId: REHEARSAL_DEPLOYMENT_ID });
    await journal.step("landing.tge", () => Promise.resolve(recordTge(tge)));
    removeIgnitionJournal();
  } else {
    tge = await restoreTge(hre, recordedTge, tgeOptions);
  }
  events.push(
    `TGE done: SESH at ${tge.seshAddress}, split by GenesisSplitter at ${tge.splitterAddress}, ` +
      `${tge.transactions.length} transactions, ${formatInteger(tge.gasUsed)} gas`,
  );

  const arbSys = await hre.ethers.getContractAt("IArbSys", ARB_SYS_ADDRESS);
  const chainId = (await hre.ethers.provider.getNetwork()).chainId;
  const allocated = tge.plan.lines.reduce((sum, line) => sum + line.amount, 0n);
  const failedBalances = tge.checks.filter((check) => !check.ok);
  const checks: ReportCheck[] = [
    {
      name: "ArbSys double answers arbChainID()",
      ok: (await arbSys.arbChainID()) === chainId,
      detail: `at ${ARB_SYS_ADDRESS}`,
    },
    { name: "total supply", ok: tge.totalSupply === tge.plan.totalSupply, detail: formatSesh(tge.totalSupply) },
    {
      name: `the ${tge.plan.lines.length} allocation lines sum to the supply`,
      ok: allocated === tge.totalSupply,
      detail: formatSesh(allocated),
    },
    {
      name: "every holder's balance equals its lines",
      ok: failedBalances.length === 0,
      detail:
        failedBalances.length === 0
          ? `${tge.checks.length} holders`
          : `wrong: ${failedBalances.map((check) => check.label).join(", ")}`,
    },
  ];
  return {
    tge,
    events,
    phase: {
      name: "Landing: Token Generation Event",
      events,
      transactions: tge.transactions.map((tx, index) => ({
        label: tx.contractAddress === undefined ? `call ${index + 1}` : `deploy ${tx.contractAddress}`,
        hash: tx.hash,
        gasUsed: tx.gasUsed,
      })),
      sections: [
        { title: "Allocation", markdown: allocationTable(tge.plan) },
        { title: "Recipients", markdown: recipientTable(tge.plan) },
        { title: "Balances after the TGE", markdown: balanceTable(tge.checks) },
      ],
      checks,
    },
  };
}

/** The SESH of the table's lines for `contract` (lines paid to it, or held for it by the escrow). */
export function contractLines(tgePlan: TgePlan, contract: AllocationContract): bigint {
  return tgePlan.lines
    .filter((line) => line.recipient.kind === "contract" && line.recipient.contract === contract)
    .reduce((sum, line) => sum + line.amount, 0n);
}

/**
 * Refuses an allocation table that cannot pay the migration plan, before the rehearsal sends anything: the converted
 * stakes and unpaid rewards come out of the Oxen Coin Claims line (the `OxenClaimsBridge` line) and the bonus out of
 * the Service Node Bonus line (the `ServiceNodeRewards` line), and the snapshot's bonus pool must be that line.
 */
export function checkPlanFitsAllocation(tgePlan: TgePlan, plan: MigrationPlan): void {
  const claims = contractLines(tgePlan, "OxenClaimsBridge");
  const bonus = contractLines(tgePlan, "ServiceNodeRewards");
  const file = tgePlan.parametersFile;
  const problems: string[] = [];
  if (plan.totals.converted > claims) {
    problems.push(
      `the plan converts ${formatSesh(plan.totals.converted)} of stakes and unpaid rewards, more than the ` +
        `${formatSesh(claims)} of the table's OxenClaimsBridge (Oxen Coin Claims) line`,
    );
  }
  if (plan.parameters.bonusPool !== bonus) {
    problems.push(
      `the snapshot's bonus pool is ${formatSesh(plan.parameters.bonusPool)} but the table's ServiceNodeRewards ` +
        `(Service Node Bonus) line is ${formatSesh(bonus)}`,
    );
  }
  if (problems.length > 0) {
    throw new PreconditionError(`the allocation table ${file} does not fit the migration plan: ${problems.join("; ")}`);
  }
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
  // The escrow holds the Oxen Coin Claims and Service Node Bonus lines, which checkPlanFitsAllocation found to cover
  // the funding before the rehearsal's first transaction.
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

  const poolLine = contractLines(tge.plan, "RewardRatePool");
  if (poolLine > 0n) {
    record(
      "fund the RewardRatePool with the Staking Reward Pool line",
      await journal.send("landing.fund.pool", escrow, () =>
        tge.sesh.transfer.populateTransaction(addresses.pool, poolLine),
      ),
    );
  }
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
    {
      name: "the RewardRatePool holds the Staking Reward Pool line",
      ok: (await tge.sesh.balanceOf(addresses.pool)) === poolLine,
      detail: `${formatSesh(await tge.sesh.balanceOf(addresses.pool))} held, ${formatSesh(poolLine)} in the table`,
    },
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
        `RewardRatePool at ${addresses.pool} funded with ${formatSesh(poolLine)} from the escrow ${tge.plan.escrow.name}`,
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

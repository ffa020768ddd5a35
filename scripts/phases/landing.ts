import { rmSync } from "node:fs";
import path from "node:path";

import { dataSlice, getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { stakingDeploymentOf } from "../../deploy/staking";
import {
  deployTge,
  deploymentFolder,
  prepareTge,
  type TgeContractInputs,
  type TgeOptions,
  type TgeResult,
} from "../../deploy/tge";
import { ARB_SYS_ADDRESS } from "../../lib/chain/arbitrum";
import { EIP1967_IMPLEMENTATION_SLOT } from "../../lib/chain/proxy";
import { moveClockTo } from "../../lib/chain/clock";
import { allocationTable, balanceTable, recipientTable } from "../../lib/tge/report";
import { formatUtc, launchTimeline } from "../../lib/timeline";
import { amountPaidTo, migrationFitProblems, withContractAddresses, type TgePlan } from "../../lib/tge/plan";
import { formatInteger, formatSesh } from "../../lib/amount";
import { PreconditionError } from "../../lib/errors";
import { markdownTable } from "../../lib/markdown";
import { migrationFunding, seedBatchEntries, type MigrationPlan, type SeedEntry } from "../../lib/migration";
import type { Journal } from "../../lib/rehearsal/journal";
import type { ReportCheck, ReportPhase, ReportTransaction } from "../../lib/rehearsal/report";

// The Landing's TGE and re-staking, as the launch carried them out: the TGE deploys the token, the staking set on
// mainnet parameters, the claims bridge and the testnet awards' distributor, and pays every allocation line straight
// to its holder (the rewards contract receives the Service Node Bonus line and the migration's conversions out of the
// Oxen Coin Claims line: every re-staked stake and credit of the migration plan); then the plan's seed batches and
// `start()`. Every transaction goes through the rehearsal's journal, so that a run killed in the middle of the
// seeding resumes without seeding twice.

/**
 * The Ignition deployment id of the rehearsal's TGE on a node that outlives the process (localhost, anvil). One id,
 * reused: a rehearsal always runs on a fresh chain (it refuses a clock at or past its first date), so a journal of
 * that id is always from an earlier chain; it is deleted before the deployment and again after it, so that nothing
 * piles up in deploy/deployments/.
 */
export const REHEARSAL_DEPLOYMENT_ID = "rehearsal";

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

/** The contracts a Landing TGE deploys besides the token, as the journal records their addresses. */
type RecordedContract =
  | "pool"
  | "poolAdmin"
  | "rewards"
  | "rewardsAdmin"
  | "factory"
  | "factoryAdmin"
  | "bridge"
  | "wrappedOxen"
  | "distributor";

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
} & { readonly [key in RecordedContract]: string };

/** The Landing TGE's contracts: the staking set, the bridge and the distributor, all deployed by it. */
async function landingContracts(tge: TgeResult): Promise<Record<RecordedContract, string>> {
  const { staking, bridge, distributorAddress } = tge;
  if (staking === undefined || bridge === undefined || distributorAddress === undefined) {
    throw new Error("the Landing's TGE deployed no staking set, bridge or distributor");
  }
  return {
    pool: staking.poolAddress,
    poolAdmin: getAddress(await staking.poolAdmin.getAddress()),
    rewards: staking.rewardsAddress,
    rewardsAdmin: getAddress(await staking.rewardsAdmin.getAddress()),
    factory: staking.factoryAddress,
    factoryAdmin: getAddress(await staking.factoryAdmin.getAddress()),
    bridge: bridge.bridgeAddress,
    wrappedOxen: bridge.wrappedOxenAddress,
    distributor: distributorAddress,
  };
}

async function recordTge(tge: TgeResult): Promise<RecordedTge> {
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
    ...(await landingContracts(tge)),
  };
}

/**
 * The TGE of an earlier run, from the journal: its contracts at their recorded addresses, and its balance checks as
 * they were read right after it (the balances have moved since).
 */
async function restoreTge(
  hre: HardhatRuntimeEnvironment,
  recorded: RecordedTge,
  tgeOptions: TgeOptions,
): Promise<TgeResult> {
  const transactions = recorded.transactions.map((tx) => ({
    hash: tx.hash,
    gasUsed: BigInt(tx.gasUsed),
    ...(tx.contractAddress === "" ? {} : { contractAddress: tx.contractAddress }),
  }));
  const prepared = await prepareTge(hre, tgeOptions);
  if (prepared.staking === undefined) throw new Error("the Landing's TGE needs the staking parameters");
  const at = (address: string) => ({ getAddress: () => Promise.resolve(address) });
  const staking = await stakingDeploymentOf(hre, prepared.staking, {
    pool: at(recorded.pool),
    poolAdmin: at(recorded.poolAdmin),
    rewards: at(recorded.rewards),
    rewardsAdmin: at(recorded.rewardsAdmin),
    factory: at(recorded.factory),
    factoryAdmin: at(recorded.factoryAdmin),
  });
  const plan = {
    ...prepared,
    ...withContractAddresses(prepared, {
      RewardRatePool: recorded.pool,
      ServiceNodeRewards: recorded.rewards,
      OxenClaimsBridge: recorded.bridge,
      MerkleDistributor: recorded.distributor,
    }),
  };
  return {
    plan,
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
    staking,
    bridge: { bridgeAddress: recorded.bridge, wrappedOxenAddress: recorded.wrappedOxen },
    distributorAddress: recorded.distributor,
  };
}

export interface LandingTgeOptions {
  readonly journal: Journal;
  /** The parameter file, and the inputs of the contracts the TGE deploys and pays directly. */
  readonly tgeOptions: TgeOptions & { readonly contracts: TgeContractInputs };
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
    await journal.step("landing.tge", () => recordTge(tge));
    removeIgnitionJournal();
  } else {
    tge = await restoreTge(hre, recordedTge, tgeOptions);
  }
  events.push(
    `TGE done: SESH at ${tge.seshAddress}, split by GenesisSplitter at ${tge.splitterAddress}, ` +
      `${tge.transactions.length} transactions, ${formatInteger(tge.gasUsed)} gas`,
  );

  const contracts = await landingContracts(tge);
  const deployedNames = new Map<string, string>([
    [tge.seshAddress, "SESH"],
    [tge.splitterAddress, "GenesisSplitter"],
    [contracts.pool, "RewardRatePool proxy"],
    [contracts.rewards, "ServiceNodeRewards proxy"],
    [contracts.factory, "ServiceNodeContributionFactory proxy"],
    [contracts.bridge, "OxenClaimsBridge"],
    [contracts.wrappedOxen, "wOXEN test token"],
    [contracts.distributor, "MerkleDistributor"],
  ]);
  // A proxy's implementation is at its EIP-1967 slot.
  for (const [proxy, name] of [
    [contracts.pool, "RewardRatePool"],
    [contracts.rewards, "ServiceNodeRewards"],
    [contracts.factory, "ServiceNodeContributionFactory"],
  ] as const) {
    const slot = await hre.ethers.provider.getStorage(proxy, EIP1967_IMPLEMENTATION_SLOT);
    deployedNames.set(getAddress(dataSlice(slot, 12)), `${name} implementation`);
  }
  const callInterfaces = [
    tge.splitter.interface,
    (await hre.ethers.getContractAt("RewardRatePool", contracts.pool)).interface,
  ];
  const labels: string[] = [];
  for (const [index, tx] of tge.transactions.entries()) {
    if (tx.contractAddress !== undefined) {
      labels.push(`deploy ${deployedNames.get(tx.contractAddress) ?? "contract"} at ${tx.contractAddress}`);
      continue;
    }
    const sent = await hre.ethers.provider.getTransaction(tx.hash);
    const to = sent?.to === null || sent?.to === undefined ? undefined : getAddress(sent.to);
    const call = callInterfaces
      .map((face) => face.parseTransaction({ data: sent?.data ?? "0x" }))
      .find((parsed) => parsed !== null);
    labels.push(
      call === undefined || to === undefined
        ? `call ${index + 1}`
        : `${deployedNames.get(to)?.replace(" proxy", "") ?? to}.${call.name}`,
    );
  }
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
      name: `the ${new Set(tge.plan.lines.map((line) => line.row)).size} allocation lines sum to the supply`,
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
        label: labels[index] ?? `transaction ${index + 1}`,
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

/**
 * Refuses an allocation table that cannot pay the migration plan, before the rehearsal sends anything (see
 * lib/tge/plan.ts's migrationFitProblems).
 */
export function checkPlanFitsAllocation(tgePlan: TgePlan, plan: MigrationPlan): void {
  const problems = migrationFitProblems(tgePlan, plan.totals.converted, plan.parameters.bonusPool);
  if (problems.length > 0) {
    throw new PreconditionError(
      `the allocation table ${tgePlan.parametersFile} does not fit the migration plan: ${problems.join("; ")}`,
    );
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
 * Seeds the plan's nodes batch by batch into the rewards contract of the TGE's staking set, which the TGE funded, and
 * starts the contract; then checks the contract against the plan (every node and contributor, the node count, the
 * balance).
 */
export async function runLandingSeeding(
  hre: HardhatRuntimeEnvironment,
  options: LandingSeedingOptions,
): Promise<LandingSeeding> {
  const { tge, plan, journal } = options;
  const { ethers } = hre;
  const owner = await ethers.getSigner(tge.plan.genesisReceiver);
  const funding = migrationFunding(plan);
  const batches = seedBatchEntries(plan);
  const transactions: ReportTransaction[] = [];
  const record = (label: string, receipt: { hash: string; gasUsed: bigint }): void => {
    transactions.push({ label, hash: receipt.hash, gasUsed: receipt.gasUsed });
  };

  const { staking } = tge;
  if (staking === undefined) throw new Error("the Landing's TGE deployed no staking set");
  const addresses = { rewards: staking.rewardsAddress, factory: staking.factoryAddress, pool: staking.poolAddress };
  const rewards = staking.rewards;
  const poolLine = amountPaidTo(tge.plan, addresses.pool);
  const rewardsLines = amountPaidTo(tge.plan, addresses.rewards);
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
  const poolBalance = await tge.sesh.balanceOf(addresses.pool);
  const checks: ReportCheck[] = [
    {
      name: "every re-staked node is seeded with its contributors and stakes, in the plan's order",
      ok: matching === entries.length && ids.length === plan.restaked.length,
      detail: `${formatInteger(matching)} of ${formatInteger(plan.restaked.length)} nodes match`,
    },
    {
      name: "the rewards contract holds every re-staked stake and credit of the plan, paid to it by the TGE",
      ok: balance === rewardsLines && rewardsLines === funding + plan.totals.bonusUndistributed,
      detail:
        `${formatSesh(balance)} held; ${formatSesh(funding)} planned` +
        (plan.totals.bonusUndistributed === 0n
          ? ""
          : ` and ${formatSesh(plan.totals.bonusUndistributed)} of bonus no one earned`),
    },
    { name: "the rewards contract is started", ok: await rewards.isStarted(), detail: addresses.rewards },
    {
      name: "the RewardRatePool holds the Staking Reward Pool line, paid to it by the TGE",
      ok: poolBalance === poolLine,
      detail: `${formatSesh(poolBalance)} held, ${formatSesh(poolLine)} in the table`,
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
        `staking set of the TGE: ServiceNodeRewards at ${addresses.rewards}, factory at ${addresses.factory}, ` +
          `RewardRatePool at ${addresses.pool}`,
        `the TGE paid the RewardRatePool ${formatSesh(poolLine)} and the rewards contract ${formatSesh(rewardsLines)} ` +
          `(the Service Node Bonus line and ${formatSesh(plan.totals.converted)} of converted stakes and rewards)`,
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

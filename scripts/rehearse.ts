import { rmSync } from "node:fs";
import path from "node:path";

import { getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { deployTge, deploymentFolder, prepareTge, type TgeResult } from "../deploy/tge";
import { formatInteger, formatSesh } from "../lib/amount";
import { ARB_SYS_ADDRESS, installArbSys } from "../lib/chain/arbitrum";
import { checkClockBefore, moveClockTo } from "../lib/chain/clock";
import { ARBITRUM_LOCAL_CHAIN_ID } from "../lib/chain/networks";
import { PreconditionError } from "../lib/errors";
import { generateSnapshot, parseSnapshot, snapshotToJson } from "../lib/snapshot";
import { analyseAnchor, anchorReportMarkdown, requirementChartSvg, type AnchorAnalysis } from "../lib/anchor";
import { planMigration, type MigrationPlan } from "../lib/migration";
import { Journal, type JournalOptions } from "../lib/rehearsal/journal";
import { createProgress } from "../lib/rehearsal/progress";
import { runLandingSeeding, LANDING_STAKING_DEPLOYMENT_ID, type LandingSeeding } from "./phases/landing";
import { checkReportDir, reportName, writeReport, type ReportPhase, type WrittenReport } from "../lib/rehearsal/report";
import { allocationTable, balanceTable, recipientTable } from "../lib/tge/report";
import { formatUtc, launchTimeline } from "../lib/timeline";

export interface RehearsalCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface RehearsalOptions {
  /** TGE parameter file instead of the network's own. */
  readonly parametersFile?: string;
  /** Where progress and the tables go (default: standard output). */
  readonly log?: (line: string) => void;
  /** The folder of the reports (default: `reports/` of the working folder). */
  readonly reportDir?: string;
  /** Nodes of the generated Anchor snapshot ({@link DEFAULT_NODES}). */
  readonly nodes?: number;
  /** Seed of the generated snapshot ({@link DEFAULT_SEED}): the same seed, the same launch. */
  readonly seed?: string;
  /** Continue the run whose journal is in the report folder, sending nothing it sent already. */
  readonly resume?: boolean;
  /** Test hook: the journal's options (a kill after some line). */
  readonly journalHook?: JournalOptions["afterWrite"];
}

/** The reports' folder when none is given. */
export const DEFAULT_REPORT_DIR = "reports";

export interface RehearsalResult {
  readonly chainId: number;
  readonly tge: TgeResult;
  readonly checks: readonly RehearsalCheck[];
  readonly passed: boolean;
  /** The JSON and Markdown reports written. */
  readonly report: WrittenReport;
  /** The migration plan the Landing re-staked. */
  readonly plan: MigrationPlan;
  /** The Anchor's analysis of the snapshot: the FAQ's promises and the requirement curve. */
  readonly anchor: AnchorAnalysis;
  readonly seeding: LandingSeeding;
}

const STEPS = 5;

/** Nodes of the generated Anchor snapshot when none is given (`--nodes`). */
export const DEFAULT_NODES = 200;
/** Wallets of the generated snapshot per node (Oxen's ~2,000 nodes had ~10,000 registered wallets). */
const WALLETS_PER_NODE = 5;
/** The most nodes a generated snapshot may have: ten times Oxen's real size. */
export const MAX_NODES = 20_000;
/** The seed of the generated snapshot when none is given (`--seed`). */
export const DEFAULT_SEED = "rehearsal";
/**
 * The run's journal in the report folder while the run is not done (see lib/rehearsal/journal.ts), one per network:
 * a journal the in-process network left is never in the way of a run on a node.
 */
export function journalFileName(network: string): string {
  return `rehearsal-journal-${network}.jsonl`;
}

/**
 * The Ignition deployment id of the rehearsal on a node that outlives the process (localhost, anvil). One id,
 * reused: a rehearsal always runs on a fresh chain (it refuses a clock at or past the TGE), so a journal of that id
 * is always from an earlier chain; it is deleted before the deployment and again after it, so that nothing piles up
 * in deploy/deployments/.
 */
export const REHEARSAL_DEPLOYMENT_ID = "rehearsal";

/**
 * The launch rehearsal on a local Arbitrum-like chain (the in-process `hardhat` network, `npx hardhat node` behind
 * `localhost`, or anvil behind `anvil`). At this stage it plays the Landing's Token Generation Event: prepares the
 * chain, moves its clock to the TGE date of the launch calendar, runs the TGE module and checks every balance.
 */
export async function rehearse(
  hre: HardhatRuntimeEnvironment,
  options: RehearsalOptions = {},
): Promise<RehearsalResult> {
  const log =
    options.log ??
    ((line: string): void => {
      console.log(line);
    });
  const startedAt = new Date();
  const events: string[] = [];
  const step = (index: number, text: string): void => {
    events.push(text);
    log(`[${index}/${STEPS}] ${text}`);
  };
  const provider = hre.network.provider;
  const timeline = launchTimeline();

  log(`Session Network launch rehearsal: Landing, the Token Generation Event and the re-staking`);
  // Every input and precondition is checked before the chain is touched: a bad allocation table, the wrong chain
  // or a clock already at or past the TGE leaves the chain as it was (no code installed, no block mined).
  const chainId = Number(await provider.request({ method: "eth_chainId" }));
  if (chainId !== ARBITRUM_LOCAL_CHAIN_ID) {
    throw new PreconditionError(
      `the rehearsal runs on the local Arbitrum-like chain (chain id ${ARBITRUM_LOCAL_CHAIN_ID}); network ` +
        `${hre.network.name} has chain id ${chainId}`,
    );
  }
  const tgeOptions = options.parametersFile === undefined ? {} : { parametersFile: options.parametersFile };
  await prepareTge(hre, tgeOptions);
  const reportDir = options.reportDir ?? DEFAULT_REPORT_DIR;
  checkReportDir(reportDir);
  const nodes = options.nodes ?? DEFAULT_NODES;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) {
    throw new PreconditionError(`--nodes ${nodes}: give a whole number of nodes from 1 to ${formatInteger(MAX_NODES)}`);
  }
  const seed = options.seed ?? DEFAULT_SEED;
  // The Anchor's snapshot, generated, and the migration plan: pure, so checked before the chain is touched.
  const snapshot = parseSnapshot(
    snapshotToJson(generateSnapshot({ seed, nodes, wallets: nodes * WALLETS_PER_NODE })),
    `the generated snapshot (seed "${seed}", ${nodes} nodes)`,
  );
  const plan = planMigration(snapshot);
  const anchor = analyseAnchor(snapshot);
  const tgeEvent = timeline.at("tge");
  // The journal of the run: every step and transaction, written as it goes, removed once the run passed.
  const journalFile = path.join(reportDir, journalFileName(hre.network.name));
  // A new run on a clock at or past the TGE is refused before anything, the journal included, is written.
  if (options.resume !== true) await checkClockBefore(provider, tgeEvent.unix, "the TGE");
  if (options.resume !== true && hre.network.name === "hardhat") {
    // The in-process chain ended with the process that wrote a journal left here: nothing of it can be resumed.
    rmSync(journalFile, { force: true });
  }
  const runJournal = await Journal.open(journalFile, hre.ethers.provider, {
    resume: options.resume === true,
    ...(options.journalHook === undefined ? {} : { afterWrite: options.journalHook }),
  });
  if (options.resume === true) {
    const found = runJournal.summary();
    log(
      `resuming ${journalFile}: ${found.steps} steps and ${found.transactions} transactions done` +
        (found.recovered === 0 ? "" : `, ${found.recovered} found mined after the interruption`),
    );
  }
  try {
    return await rehearseWith(hre, options, runJournal, {
      log,
      step,
      events,
      startedAt,
      tgeOptions,
      reportDir,
      nodes,
      seed,
      plan,
      anchor,
      chainId,
      tgeEvent,
    });
  } catch (error) {
    runJournal.close();
    throw error;
  }
}

interface RunContext {
  readonly log: (line: string) => void;
  readonly step: (index: number, text: string) => void;
  readonly events: string[];
  readonly startedAt: Date;
  readonly tgeOptions: { readonly parametersFile?: string };
  readonly reportDir: string;
  readonly nodes: number;
  readonly seed: string;
  readonly plan: MigrationPlan;
  readonly anchor: AnchorAnalysis;
  readonly chainId: number;
  readonly tgeEvent: { readonly unix: number; readonly date: Date };
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

async function rehearseWith(
  hre: HardhatRuntimeEnvironment,
  options: RehearsalOptions,
  journal: Journal,
  context: RunContext,
): Promise<RehearsalResult> {
  const { log, step, events, startedAt, tgeOptions, reportDir, nodes, seed, plan, anchor, chainId, tgeEvent } = context;
  const provider = hre.network.provider;
  if (!journal.isDone("landing.clock")) await checkClockBefore(provider, tgeEvent.unix, "the TGE");

  await installArbSys(hre);
  const arbSys = await hre.ethers.getContractAt("IArbSys", ARB_SYS_ADDRESS);
  const latest = await hre.ethers.provider.getBlock("latest");
  step(
    1,
    `chain ready: network ${hre.network.name}, chain id ${chainId}, block gas limit ` +
      `${formatInteger(latest?.gasLimit ?? 0n)}, ArbSys arbChainID() = ${await arbSys.arbChainID()}, ` +
      `arbBlockNumber() = ${await arbSys.arbBlockNumber()}`,
  );

  const { from } = await journal.step("landing.clock", async () => ({
    from: await moveClockTo(provider, tgeEvent.unix, "the TGE"),
  }));
  step(2, `clock moved from ${formatUtc(from)} to the TGE, ${formatUtc(tgeEvent.date)}`);

  // The in-process network keeps Ignition's journal in memory; elsewhere it goes to one folder, removed once the TGE
  // is done (kept by a kill, so that a resumed run continues Ignition's deployment where it stopped).
  const ignitionJournal = hre.network.name === "hardhat" ? undefined : deploymentFolder(hre, REHEARSAL_DEPLOYMENT_ID);
  const removeIgnitionJournal = (): void => {
    if (ignitionJournal !== undefined) rmSync(ignitionJournal, { recursive: true, force: true });
  };
  if (options.resume !== true) removeIgnitionJournal();
  const recordedTge = journal.recorded("landing.tge") as RecordedTge | undefined;
  let tge: TgeResult;
  if (recordedTge === undefined) {
    tge = await deployTge(hre, { ...tgeOptions, deploymentId: REHEARSAL_DEPLOYMENT_ID });
    await journal.step("landing.tge", () => Promise.resolve(recordTge(tge)));
    removeIgnitionJournal();
  } else {
    tge = await restoreTge(hre, recordedTge, tgeOptions);
  }
  step(
    3,
    `TGE done: SESH at ${tge.seshAddress}, split by GenesisSplitter at ${tge.splitterAddress}, ` +
      `${tge.transactions.length} transactions, ` +
      `${formatInteger(tge.gasUsed)} gas`,
  );
  const tgeEvents = [...events];

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
      `Held by the escrow account ${tge.plan.escrow.name} (${getAddress(tge.plan.escrow.address)}) until their contracts are ` +
        `deployed: ${escrowed.map((line) => `${line.name} → ${line.heldFor}`).join("; ")}.`,
    );
  }
  log("");
  log("## Balances after the TGE");
  log("");
  log(balanceTable(tge.checks));

  const allocated = tge.plan.lines.reduce((sum, line) => sum + line.amount, 0n);
  const failedBalances = tge.checks.filter((check) => !check.ok);
  const checks: RehearsalCheck[] = [
    {
      name: "ArbSys double answers arbChainID()",
      ok: (await arbSys.arbChainID()) === BigInt(chainId),
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

  step(
    4,
    `migration planned: ${formatInteger(plan.totals.restakedNodes)} of ${formatInteger(nodes)} nodes re-staked ` +
      `in ${formatInteger(plan.seedBatches.length)} seed batch${plan.seedBatches.length === 1 ? "" : "es"}, ` +
      `${formatSesh(plan.totals.credited)} credited`,
  );

  const stakingJournal =
    hre.network.name === "hardhat" ? undefined : deploymentFolder(hre, LANDING_STAKING_DEPLOYMENT_ID);
  const removeStakingJournal = (): void => {
    if (stakingJournal !== undefined) rmSync(stakingJournal, { recursive: true, force: true });
  };
  if (options.resume !== true) removeStakingJournal();
  // A bar over the seed batches: drawn in place on a terminal, plain lines in a log (or in the caller's `log`).
  const progress =
    options.log === undefined
      ? createProgress()
      : createProgress({
          write: (text) => {
            log(text.replace(/\n$/, ""));
          },
          isTTY: false,
        });
  const bar = progress.bar("seeding", plan.seedBatches.length, "batches");
  let seeding: LandingSeeding;
  try {
    seeding = await runLandingSeeding(hre, {
      tge,
      plan,
      journal,
      onBatch: (done) => {
        bar.update(done);
      },
    });
  } finally {
    bar.stop();
  }
  removeStakingJournal();
  step(
    5,
    `re-staking done: ${formatInteger(seeding.seededNodes)} nodes seeded in ServiceNodeRewards at ` +
      `${seeding.rewardsAddress}, ${formatSesh(seeding.funded)} funded, started`,
  );

  const chartName = "requirement";
  const anchorChecks: RehearsalCheck[] = [anchor.promises.solo, anchor.promises.multi].map((promise) => ({
    name:
      promise.kind === "solo"
        ? "FAQ promise: a solo operator registered for the whole bonus program is re-staked"
        : "FAQ promise: a multi-contributor node whose participants all were registered for it is re-staked",
    ok: promise.kept,
    detail:
      `${formatInteger(promise.restaked)} of ${formatInteger(promise.nodes)} ` +
      `${promise.basis === "hypothetical" ? "hypothetical " : ""}node${promise.nodes === 1 ? "" : "s"} re-staked ` +
      `at ${formatSesh(promise.requirement)}`,
  }));
  const anchorPhase: ReportPhase = {
    name: "Anchor: the snapshot and the migration plan",
    events: [
      `snapshot generated: seed "${seed}", ${formatInteger(nodes)} nodes, ${formatInteger(nodes * WALLETS_PER_NODE)} wallets`,
      `migration planned: ${formatInteger(plan.totals.restakedNodes)} nodes re-staked, ` +
        `${formatInteger(plan.totals.disbandedNodes)} disbanded`,
    ],
    transactions: [],
    sections: [
      {
        title: "",
        markdown: anchorReportMarkdown(anchor, {
          chartFile: `${reportName(startedAt)}-${chartName}.svg`,
          headingLevel: 3,
        }),
      },
    ],
    checks: anchorChecks,
  };
  const allChecks = [...anchorChecks, ...checks, ...seeding.phase.checks];
  log("");
  log("## Checks");
  log("");
  for (const check of allChecks) log(`- ${check.ok ? "ok    " : "FAILED"} ${check.name}: ${check.detail}`);
  const passed = allChecks.every((check) => check.ok);
  const failed = allChecks.filter((check) => !check.ok).length;
  log("");
  log(
    passed
      ? `Rehearsal passed: ${allChecks.length} of ${allChecks.length} checks.`
      : `Rehearsal FAILED: ${failed} checks failed.`,
  );
  const landing: ReportPhase = {
    name: "Landing: Token Generation Event",
    events: tgeEvents,
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
  };
  const report = writeReport(reportDir, {
    startedAt,
    network: hre.network.name,
    chainId,
    phases: [anchorPhase, landing, seeding.phase],
    charts: [
      {
        name: chartName,
        title: "Nodes re-staked at Landing by staking requirement",
        svg: requirementChartSvg(anchor.curve),
      },
    ],
  });
  log(`Reports: ${path.relative(process.cwd(), report.markdown)} and ${path.relative(process.cwd(), report.json)}`);
  // A run that got this far needs no resuming: its journal goes.
  journal.close(true);
  return { chainId, tge, checks: allChecks, passed, report, plan, anchor, seeding };
}

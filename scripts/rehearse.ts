import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
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
  await checkClockBefore(provider, tgeEvent.unix, "the TGE");

  await installArbSys(hre);
  const arbSys = await hre.ethers.getContractAt("IArbSys", ARB_SYS_ADDRESS);
  const latest = await hre.ethers.provider.getBlock("latest");
  step(
    1,
    `chain ready: network ${hre.network.name}, chain id ${chainId}, block gas limit ` +
      `${formatInteger(latest?.gasLimit ?? 0n)}, ArbSys arbChainID() = ${await arbSys.arbChainID()}, ` +
      `arbBlockNumber() = ${await arbSys.arbBlockNumber()}`,
  );

  const from = await moveClockTo(provider, tgeEvent.unix, "the TGE");
  step(2, `clock moved from ${formatUtc(from)} to the TGE, ${formatUtc(tgeEvent.date)}`);

  // The in-process network keeps Ignition's journal in memory; elsewhere it goes to one folder, removed after.
  const journal = hre.network.name === "hardhat" ? undefined : deploymentFolder(hre, REHEARSAL_DEPLOYMENT_ID);
  const removeJournal = (): void => {
    if (journal !== undefined) rmSync(journal, { recursive: true, force: true });
  };
  removeJournal();
  let tge: TgeResult;
  try {
    tge = await deployTge(hre, { ...tgeOptions, deploymentId: REHEARSAL_DEPLOYMENT_ID });
  } finally {
    removeJournal();
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

  // The re-staking's transactions go through a journal (in a folder of its own, removed once the run is done).
  const journalDir = mkdtempSync(path.join(tmpdir(), "rehearsal-journal-"));
  const stakingJournal =
    hre.network.name === "hardhat" ? undefined : deploymentFolder(hre, LANDING_STAKING_DEPLOYMENT_ID);
  const removeStakingJournal = (): void => {
    if (stakingJournal !== undefined) rmSync(stakingJournal, { recursive: true, force: true });
  };
  removeStakingJournal();
  let seeding: LandingSeeding;
  try {
    const journal = await Journal.open(path.join(journalDir, "journal.jsonl"), hre.ethers.provider, {
      resume: false,
      ...(options.journalHook === undefined ? {} : { afterWrite: options.journalHook }),
    });
    try {
      seeding = await runLandingSeeding(hre, { tge, plan, journal });
    } finally {
      journal.close();
    }
  } finally {
    rmSync(journalDir, { recursive: true, force: true });
    removeStakingJournal();
  }
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
  return { chainId, tge, checks: allChecks, passed, report, plan, anchor, seeding };
}

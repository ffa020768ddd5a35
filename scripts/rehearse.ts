import { rmSync } from "node:fs";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { deploymentFolder, prepareTge, type TgeResult } from "../deploy/tge";
import { formatInteger, formatSesh } from "../lib/amount";
import { requirementChartSvg } from "../lib/anchor";
import { ARB_SYS_ADDRESS, installArbSys } from "../lib/chain/arbitrum";
import { checkClockBefore } from "../lib/chain/clock";
import { errorDecoderOf, type ErrorDecoder } from "../lib/chain/revert";
import { ARBITRUM_LOCAL_CHAIN_ID } from "../lib/chain/networks";
import { PreconditionError } from "../lib/errors";
import { generateSnapshot, loadSnapshot, parseSnapshot, snapshotToJson, type Snapshot } from "../lib/snapshot";
import { Journal, type JournalOptions } from "../lib/rehearsal/journal";
import { createProgress } from "../lib/rehearsal/progress";
import {
  checkReportDir,
  reportName,
  writeReport,
  type ReportChart,
  type ReportCheck,
  type ReportPhase,
  type WrittenReport,
} from "../lib/rehearsal/report";
import type { TgePlan } from "../lib/tge/plan";
import { formatUtc, launchTimeline } from "../lib/timeline";
import { formatRate, scheduleSvg } from "../lib/schedule";
import type { ClaimsBridgeParameters } from "../lib/claims/parameters";
import { prepareClaimsBridge } from "../deploy/claimsBridge";
import { claimRounds, runClaimsBridge, type BridgeResult } from "./phases/bridge";
import { endGraceWeek, GRACE_SECONDS, openStaking, signLandingCredits } from "./phases/landingNetwork";
import { nodesChartSvg, type NodeCountPoint } from "../lib/rehearsal/nodesChart";
import { ledgerChecks } from "./phases/ledger";
import { AWARDS_CAMPAIGN, runTestnetAwards } from "./phases/awards";
import { buildCampaign } from "../lib/distribution";
import { prepareDistributor } from "../deploy/distributor";
import type { DistributorParameters } from "../lib/distribution/parameters";
import { planAnchor, runAnchor, type AnchorPhase } from "./phases/anchor";
import { LIGHTHOUSE_DEPLOYMENT_ID, runLighthouse, type LighthouseResult } from "./phases/lighthouse";
import {
  checkPlanFitsAllocation,
  runLandingSeeding,
  logTge,
  runLandingTge,
  type LandingSeeding,
} from "./phases/landing";

export { REHEARSAL_DEPLOYMENT_ID } from "./phases/landing";

/** A check of the rehearsal, as the report shows it. */
export type RehearsalCheck = ReportCheck;

/** The phases of the launch, in their order. */
export const PHASES = ["lighthouse", "anchor", "landing"] as const;
export type PhaseName = (typeof PHASES)[number];

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
  /** An Anchor snapshot file to migrate instead of a generated one. */
  readonly snapshotFile?: string;
  /** The last phase to play (default: all of them, to the Landing). */
  readonly phase?: PhaseName;
  /** Continue the run whose journal is in the report folder, sending nothing it sent already. */
  readonly resume?: boolean;
  /**
   * Move no clock: play the Lighthouse alone (`phase: "lighthouse"`) on the chain's own time, as on a real testnet,
   * with the testnet contract's owner exits instead of the waits.
   */
  readonly realTime?: boolean;
  /** Test hook: the journal's options (a kill after some line). */
  readonly journalHook?: JournalOptions["afterWrite"];
}

/** The reports' folder when none is given. */
export const DEFAULT_REPORT_DIR = "reports";

/** What the Landing did: the TGE and the re-staking. */
export interface LandingResult {
  readonly tge: TgeResult;
  readonly seeding: LandingSeeding;
  readonly bridge: BridgeResult;
  /** Nodes registered when staking opened and liquidated at the grace week's end. */
  readonly network: { readonly opened: number; readonly liquidated: number };
}

export interface RehearsalResult {
  readonly chainId: number;
  /** The phases played, in order. */
  readonly phases: readonly PhaseName[];
  readonly checks: readonly RehearsalCheck[];
  readonly passed: boolean;
  /** The JSON and Markdown reports written. */
  readonly report: WrittenReport;
  /** The Lighthouse, when it was played. */
  readonly lighthouse?: LighthouseResult;
  /** The Anchor, when it was played: the snapshot's stages, the migration plan and the FAQ's promises. */
  readonly anchor?: AnchorPhase;
  /** The Landing, when it was played. */
  readonly landing?: LandingResult;
}

/** Nodes of the generated Anchor snapshot when none is given (`--nodes`). */
export const DEFAULT_NODES = 200;
/** Wallets of the generated snapshot per node (Oxen's ~2,000 nodes had ~10,000 registered wallets). */
const WALLETS_PER_NODE = 5;
/** The most nodes a generated snapshot may have: ten times Oxen's real size. */
export const MAX_NODES = 20_000;
/** The seed of the generated snapshot when none is given (`--seed`). */
export const DEFAULT_SEED = "rehearsal";
/** The requirement chart's name in the report. */
const REQUIREMENT_CHART = "requirement";
const MILLISECONDS_PER_SECOND = 1_000;
/** The nodes chart's name in the report. */
const NODES_CHART = "nodes";
/** The rate chart's name in the report. */
const RATE_CHART = "rate";
/** The rate chart starts a month before the TGE and runs a month past the last claims. */
const RATE_CHART_MARGIN_SECONDS = 30 * 24 * 3_600;

/**
 * The run's journal in the report folder while the run is not done (see lib/rehearsal/journal.ts), one per network:
 * a journal the in-process network left is never in the way of a run on a node.
 */
export function journalFileName(network: string): string {
  return `rehearsal-journal-${network}.jsonl`;
}

/** The day of a Unix time, for the nodes chart's labels. */
function day(unix: number): string {
  return formatUtc(new Date(unix * 1_000)).slice(0, 10);
}

/**
 * The nodes chart's bars: the testnet's nodes after their registrations and at the Lighthouse's end; the Oxen nodes
 * at each date of the Anchor; the Session Network's at the TGE, once staking opened and at the grace week's end.
 */
function nodeCountPoints(
  lighthouse: LighthouseResult | undefined,
  anchor: AnchorPhase | undefined,
  landing: LandingResult | undefined,
): NodeCountPoint[] {
  const points: NodeCountPoint[] = [];
  const timeline = launchTimeline();
  if (lighthouse !== undefined) {
    const { registered, exited, liquidated } = lighthouse.nodes;
    points.push(
      {
        phase: "Lighthouse",
        label: `${day(timeline.at("testnetIncentiveStart").unix)} registered`,
        running: registered,
      },
      {
        phase: "Lighthouse",
        label: `${day(lighthouse.window.end)} end`,
        running: registered - exited - liquidated,
        deregistered: exited + liquidated,
      },
    );
  }
  const anchorLabels = ["release", "hardfork", "deregistration", "bonus snapshot"];
  for (const [index, stage] of (anchor?.stages ?? []).entries()) {
    points.push({
      phase: "Anchor",
      label: `${day(stage.date.getTime() / 1_000)} ${anchorLabels[index] ?? stage.name}`,
      running: stage.running,
      decommissioned: stage.decommissioned,
      deregistered: stage.deregistered + stage.unlocking,
    });
  }
  if (landing !== undefined) {
    const seeded = landing.seeding.seededNodes;
    const added = landing.network.opened;
    const gone = landing.network.liquidated;
    points.push(
      { phase: "Landing", label: `${day(timeline.at("tge").unix)} seeded`, running: seeded },
      {
        phase: "Landing",
        label: `${day(timeline.at("stakingPortalLive").unix)} staking`,
        running: seeded + added,
      },
      {
        phase: "Landing",
        label: `${day(timeline.at("tge").unix + GRACE_SECONDS)} grace end`,
        running: seeded + added - gone,
        deregistered: gone,
      },
    );
  }
  return points;
}

/** The phases up to and including `last`. */
function phasesThrough(last: PhaseName): PhaseName[] {
  return PHASES.slice(0, PHASES.indexOf(last) + 1);
}

/** The first date of a phase: a new run needs a chain whose clock is before the first date of its first phase. */
function firstDateOf(phase: PhaseName): { unix: number; label: string } {
  const first = {
    lighthouse: ["testnetLaunch", "the testnet launch"],
    anchor: ["anchorRelease", "the Anchor release"],
    landing: ["landingRelease", "the Landing release"],
  } as const;
  const [id, label] = first[phase];
  return { unix: launchTimeline().at(id).unix, label };
}

interface Inputs {
  readonly reportDir: string;
  readonly phases: readonly PhaseName[];
  readonly snapshot: Snapshot;
  readonly source: string;
  readonly tgeOptions: { readonly parametersFile?: string };
  /** The TGE's allocation table, when the Landing is played. */
  readonly tgePlan?: TgePlan;
  /** The claims bridge's parameters, when the Landing is played. */
  readonly bridgeParameters?: ClaimsBridgeParameters;
  /** The distributor's parameters, when the Landing is played. */
  readonly distributorParameters?: DistributorParameters;
  /** The generator's seed of a generated snapshot. */
  readonly seed?: string;
}

/** Every option and input file, checked before the chain is touched. */
async function checkInputs(hre: HardhatRuntimeEnvironment, options: RehearsalOptions): Promise<Inputs> {
  const last = options.phase ?? PHASES[PHASES.length - 1];
  if (last === undefined || !PHASES.includes(last)) {
    throw new PreconditionError(`--phase ${String(options.phase)}: give one of ${PHASES.join(", ")}`);
  }
  const phases = phasesThrough(last);
  if (options.realTime === true && last !== "lighthouse") {
    throw new PreconditionError(
      "--real-time moves no clock, which only the Lighthouse can do without (it runs on a real testnet's time): " +
        "add --phase lighthouse",
    );
  }
  const tgeOptions = options.parametersFile === undefined ? {} : { parametersFile: options.parametersFile };
  const tgePlan = phases.includes("landing") ? await prepareTge(hre, tgeOptions) : undefined;
  // The bridge and the distributor are deployed at the TGE: their dates are checked against it, in a resumed run too.
  const sectionOptions = { ...tgeOptions, at: BigInt(launchTimeline().at("tge").unix) };
  const bridgeParameters = phases.includes("landing") ? await prepareClaimsBridge(hre, sectionOptions) : undefined;
  const distributorParameters = phases.includes("landing") ? await prepareDistributor(hre, sectionOptions) : undefined;
  const reportDir = options.reportDir ?? DEFAULT_REPORT_DIR;
  checkReportDir(reportDir);
  if (options.snapshotFile !== undefined && (options.nodes !== undefined || options.seed !== undefined)) {
    throw new PreconditionError(
      "--snapshot reads the Anchor snapshot from its file: --nodes and --seed only shape a generated one; give " +
        "either the file or them",
    );
  }
  let snapshot: Snapshot;
  let source: string;
  let seed: string | undefined;
  if (options.snapshotFile === undefined) {
    const nodes = options.nodes ?? DEFAULT_NODES;
    if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) {
      throw new PreconditionError(
        `--nodes ${nodes}: give a whole number of nodes from 1 to ${formatInteger(MAX_NODES)}`,
      );
    }
    seed = options.seed ?? DEFAULT_SEED;
    source = `generated, seed "${seed}", ${formatInteger(nodes)} nodes, ${formatInteger(nodes * WALLETS_PER_NODE)} wallets`;
    snapshot = parseSnapshot(
      snapshotToJson(generateSnapshot({ seed, nodes, wallets: nodes * WALLETS_PER_NODE })),
      `the generated snapshot (seed "${seed}", ${nodes} nodes)`,
    );
  } else {
    snapshot = loadSnapshot(options.snapshotFile);
    source = `${path.relative(process.cwd(), options.snapshotFile)}, ${formatInteger(snapshot.nodes.length)} nodes`;
  }
  return {
    reportDir,
    phases,
    snapshot,
    source,
    tgeOptions,
    ...(tgePlan === undefined ? {} : { tgePlan }),
    ...(bridgeParameters === undefined ? {} : { bridgeParameters }),
    ...(distributorParameters === undefined ? {} : { distributorParameters }),
    ...(seed === undefined ? {} : { seed }),
  };
}

/**
 * The launch rehearsal on a local Arbitrum-like chain (the in-process `hardhat` network, `npx hardhat node` behind
 * `localhost`, or anvil behind `anvil`): the Anchor (the snapshot through the hardfork, the FAQ's promises, the
 * migration plan) and the Landing (the TGE and the allocation table, the re-staking), each on its calendar date.
 * Every input is checked before the first transaction; the run keeps a journal, so that an interrupted run resumes
 * with `resume` without sending anything twice; the report goes to `reportDir`.
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
  const provider = hre.network.provider;

  // Every input and precondition is checked before the chain is touched: a bad allocation table or snapshot, the
  // wrong chain or a clock already at or past the first date leaves the chain as it was (no code, no block mined).
  const chainId = Number(await provider.request({ method: "eth_chainId" }));
  // A real-time Lighthouse runs on any chain (a real testnet); everything else on the local Arbitrum-like one.
  if (options.realTime !== true && chainId !== ARBITRUM_LOCAL_CHAIN_ID) {
    throw new PreconditionError(
      `the rehearsal runs on the local Arbitrum-like chain (chain id ${ARBITRUM_LOCAL_CHAIN_ID}); network ` +
        `${hre.network.name} has chain id ${chainId}`,
    );
  }
  const inputs = await checkInputs(hre, options);
  const planStart = performance.now();
  const anchorPlan = inputs.phases.includes("anchor") ? planAnchor(inputs.snapshot) : undefined;
  const planMilliseconds = performance.now() - planStart;
  if (inputs.tgePlan !== undefined && anchorPlan !== undefined)
    checkPlanFitsAllocation(inputs.tgePlan, anchorPlan.plan);
  log(`Session Network launch rehearsal: ${inputs.phases.join(" → ")}`);
  const journalFile = path.join(inputs.reportDir, journalFileName(hre.network.name));
  const [firstPhase] = inputs.phases;
  if (options.resume !== true && firstPhase !== undefined && options.realTime !== true) {
    // A new run on a clock at or past its first date is refused before anything, the journal included, is written.
    const first = firstDateOf(firstPhase);
    await checkClockBefore(provider, first.unix, first.label);
  }
  if (options.resume !== true && hre.network.name === "hardhat") {
    // The in-process chain ended with the process that wrote a journal left here: nothing of it can be resumed.
    rmSync(journalFile, { force: true });
  }
  const journal = await Journal.open(journalFile, hre.ethers.provider, {
    resume: options.resume === true,
    errors: await projectErrors(hre),
    ...(options.journalHook === undefined ? {} : { afterWrite: options.journalHook }),
  });
  if (options.resume === true) {
    const found = journal.summary();
    log(
      `resuming ${journalFile}: ${found.steps} steps and ${found.transactions} transactions done` +
        (found.recovered === 0 ? "" : `, ${found.recovered} found mined after the interruption`),
    );
  }
  try {
    return await rehearseWith(hre, options, journal, {
      ...inputs,
      ...(anchorPlan === undefined ? {} : { anchorPlan }),
      planMilliseconds,
      log,
      startedAt,
      chainId,
    });
  } catch (error) {
    journal.close();
    throw error;
  }
}

/** The custom errors of every contract the project compiles, to name the error of a transaction that fails. */
async function projectErrors(hre: HardhatRuntimeEnvironment): Promise<ErrorDecoder> {
  const names = await hre.artifacts.getAllFullyQualifiedNames();
  const artifacts = await Promise.all(names.map((name) => hre.artifacts.readArtifact(name)));
  return errorDecoderOf(artifacts.map((artifact): readonly unknown[] => artifact.abi as unknown[]));
}

interface RunContext extends Inputs {
  readonly anchorPlan?: ReturnType<typeof planAnchor>;
  /** How long the Anchor's planning took, before the chain was touched. */
  readonly planMilliseconds: number;
  readonly log: (line: string) => void;
  readonly startedAt: Date;
  readonly chainId: number;
}

async function rehearseWith(
  hre: HardhatRuntimeEnvironment,
  options: RehearsalOptions,
  journal: Journal,
  context: RunContext,
): Promise<RehearsalResult> {
  const { log, startedAt, reportDir, chainId, phases } = context;
  const landingPlayed = phases.includes("landing");
  const total =
    2 + (phases.includes("lighthouse") ? 1 : 0) + (phases.includes("anchor") ? 1 : 0) + (landingPlayed ? 5 : 0);
  let done = 0;
  const step = (text: string): void => {
    done += 1;
    log(`[${done}/${total}] ${text}`);
  };
  const details = (lines: readonly string[]): void => {
    for (const line of lines) log(`      ${line}`);
  };
  const realTime = options.realTime === true;

  const latest = await hre.ethers.provider.getBlock("latest");
  if (realTime) {
    step(
      `chain ready: network ${hre.network.name}, chain id ${chainId}, block ${formatInteger(latest?.number ?? 0)} ` +
        `at ${formatUtc(new Date((latest?.timestamp ?? 0) * 1_000))}; real time: no clock moves`,
    );
  } else {
    await installArbSys(hre);
    const arbSys = await hre.ethers.getContractAt("IArbSys", ARB_SYS_ADDRESS);
    step(
      `chain ready: network ${hre.network.name}, chain id ${chainId}, block gas limit ` +
        `${formatInteger(latest?.gasLimit ?? 0n)}, ArbSys arbChainID() = ${await arbSys.arbChainID()}, ` +
        `arbBlockNumber() = ${await arbSys.arbBlockNumber()}`,
    );
  }
  const reportPhases: ReportPhase[] = [];
  // Wall-clock time per part of the run; a part timed inside another is not counted twice.
  const timings = new Map<string, number>();
  const running: { nested: number }[] = [];
  const timed = async <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const frame = { nested: 0 };
    running.push(frame);
    const start = performance.now();
    try {
      return await run();
    } finally {
      const elapsed = performance.now() - start;
      running.pop();
      const parent = running.at(-1);
      if (parent !== undefined) parent.nested += elapsed;
      timings.set(key, (timings.get(key) ?? 0) + elapsed - frame.nested);
    }
  };
  /** The phases' timing keys, in the order of `reportPhases`. */
  const phaseKeys: string[] = [];
  const charts: ReportChart[] = [];
  // On a node that outlives the process, each Ignition deployment keeps its journal in deploy/deployments/<id>: removed
  // before a new run's deployment and once it is done, kept by a kill so that a resumed run continues it.
  const removeDeployment = (id: string): void => {
    if (hre.network.name !== "hardhat") rmSync(deploymentFolder(hre, id), { recursive: true, force: true });
  };

  let lighthouse: LighthouseResult | undefined;
  if (phases.includes("lighthouse")) {
    if (options.resume !== true) removeDeployment(LIGHTHOUSE_DEPLOYMENT_ID);
    lighthouse = await timed("lighthouse", () =>
      runLighthouse(hre, {
        journal,
        seed: context.seed ?? DEFAULT_SEED,
        realTime,
      }),
    );
    removeDeployment(LIGHTHOUSE_DEPLOYMENT_ID);
    step(
      `Lighthouse: ${formatInteger(lighthouse.nodes.registered)} testnet nodes registered, ` +
        `${formatInteger(lighthouse.nodes.exited)} exited, ${formatInteger(lighthouse.nodes.liquidated)} liquidated; ` +
        `${formatInteger(lighthouse.awards.awards.length)} testnet awards`,
    );
    details(lighthouse.phase.events);
    reportPhases.push(lighthouse.phase);
    phaseKeys.push("lighthouse");
  }

  let anchor: AnchorPhase | undefined;
  const { anchorPlan } = context;
  if (anchorPlan !== undefined) {
    // The planning ran before the chain was touched, to check the inputs: it is the Anchor's time too.
    timings.set("anchor", context.planMilliseconds);
    anchor = await timed("anchor", () =>
      runAnchor(hre, {
        snapshot: context.snapshot,
        source: context.source,
        journal,
        ...anchorPlan,
        chartFile: `${reportName(startedAt)}-${REQUIREMENT_CHART}.svg`,
      }),
    );
    const { plan } = anchor;
    step(
      `Anchor played to the bonus snapshot: ${formatInteger(plan.totals.restakedNodes)} of ` +
        `${formatInteger(context.snapshot.nodes.length)} nodes re-staked in ${formatInteger(plan.seedBatches.length)} ` +
        `seed batch${plan.seedBatches.length === 1 ? "" : "es"}, ${formatSesh(plan.totals.credited)} credited`,
    );
    details(anchor.phase.events);
    reportPhases.push(anchor.phase);
    phaseKeys.push("anchor");
    charts.push({
      name: REQUIREMENT_CHART,
      title: "Nodes re-staked at Landing by staking requirement",
      svg: requirementChartSvg(anchor.analysis.curve),
    });
  }

  let landing: LandingResult | undefined;
  if (landingPlayed) {
    if (anchor === undefined) throw new Error("the Landing needs the Anchor's plan");
    const { plan } = anchor;
    if (lighthouse === undefined) throw new Error("the Landing's testnet awards need the Lighthouse");
    const { bridgeParameters, distributorParameters } = context;
    if (bridgeParameters === undefined || distributorParameters === undefined) {
      throw new Error("the bridge's and the distributor's parameters were not prepared");
    }
    const campaign = buildCampaign(lighthouse.awards, { name: AWARDS_CAMPAIGN });
    const landingTge = await timed("tge", () =>
      runLandingTge(hre, {
        journal,
        tgeOptions: {
          ...context.tgeOptions,
          contracts: {
            converted: plan.totals.converted,
            claimsBridge: bridgeParameters,
            distributor: { parameters: distributorParameters, merkleRoot: campaign.root },
          },
        },
        resume: options.resume === true,
      }),
    );
    const { tge } = landingTge;
    step(`Landing: ${landingTge.events.at(-1) ?? "TGE done"}`);
    details(landingTge.events.slice(0, -1));
    logTge(tge, log);
    log("");

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
      seeding = await timed("seeding", () =>
        runLandingSeeding(hre, {
          tge,
          plan,
          journal,
          onBatch: (batches) => {
            bar.update(batches);
          },
        }),
      );
    } finally {
      bar.stop();
    }
    step(
      `Landing: re-staking done: ${formatInteger(seeding.seededNodes)} nodes seeded in ServiceNodeRewards at ` +
        `${seeding.rewardsAddress}, ${formatSesh(seeding.funded)} funded, started`,
    );
    reportPhases.push(landingTge.phase, seeding.phase);
    phaseKeys.push("tge", "seeding");

    // The network's credits on the TGE day, the claims bridge from the next day on, the grace week's end between
    // the bridge's first two dates.
    const networkOptions = {
      tge,
      plan,
      snapshot: context.snapshot,
      journal,
      rewardsAddress: seeding.rewardsAddress,
      ...(context.seed === undefined ? {} : { seed: context.seed }),
    };
    const credits = await timed("network", () => signLandingCredits(hre, networkOptions));
    const testnetAwards = await timed("awards", () =>
      runTestnetAwards(hre, { tge, campaign, journal, parameters: distributorParameters }),
    );
    step(`Landing: testnet awards: ${testnetAwards.events[0] ?? ""}`);
    let awardChecks: ReportCheck[] | undefined;
    let grace: Awaited<ReturnType<typeof endGraceWeek>> | undefined;
    let opened: Awaited<ReturnType<typeof openStaking>> | undefined;
    const bridge = await timed("bridge", () =>
      runClaimsBridge(hre, {
        tge,
        plan,
        journal,
        parameters: bridgeParameters,
        beforeRound: async (index) => {
          // After the decay's eve, six months on, the awards' vesting is over: release, and check before the deadline.
          if (index === 2) awardChecks = await timed("awards", () => testnetAwards.release());
          if (index !== 1) return;
          // Staking opened on 2025-05-22, the claims portal's first day; the grace week ends on 2025-05-28.
          const withNetwork = {
            ...networkOptions,
            ...(credits.network === undefined ? {} : { network: credits.network }),
          };
          opened = await timed("network", () =>
            openStaking(hre, { ...withNetwork, factoryAddress: seeding.factoryAddress }),
          );
          grace = await timed("network", () => endGraceWeek(hre, withNetwork));
        },
      }),
    );
    const networkEvents = [...credits.events, ...(opened?.events ?? []), ...(grace?.events ?? [])];
    step(`Landing: the network signed and the grace week ended: ${networkEvents.at(-1) ?? ""}`);
    details(networkEvents.slice(0, -1));
    step(
      `Landing: claims bridge at ${bridge.bridgeAddress}: ${formatInteger(bridge.payments.length)} claims and ` +
        `conversions, at ${bridge.rates.map((round) => formatRate(round.rate)).join(" → ")} SESH per OXEN`,
    );
    details(bridge.events);
    reportPhases.push(
      {
        name: "Landing: the network's credits, staking's opening and the grace week",
        events: networkEvents,
        transactions: [...credits.transactions, ...(opened?.transactions ?? []), ...(grace?.transactions ?? [])],
        sections: [],
        checks: [...credits.checks, ...(opened?.checks ?? []), ...(grace?.checks ?? [])],
      },
      {
        name: "Landing: the testnet awards",
        events: testnetAwards.events,
        transactions: testnetAwards.transactions,
        sections: [{ title: "Awards", markdown: await testnetAwards.markdown() }],
        checks: awardChecks ?? (await testnetAwards.checks()),
      },
      {
        name: "Landing: the Oxen claims bridge",
        events: bridge.events,
        transactions: [...bridge.transactions],
        sections: [{ title: "Claims and conversions", markdown: bridge.markdown }],
        checks: [...bridge.checks],
      },
    );
    phaseKeys.push("network", "awards", "bridge");
    charts.push({
      name: RATE_CHART,
      title: "The OXEN → SESH rate, with the claims and conversions made on it",
      svg: scheduleSvg(
        bridge.schedule,
        BigInt(launchTimeline().at("tge").unix - RATE_CHART_MARGIN_SECONDS),
        BigInt((claimRounds().at(-1)?.unix ?? 0) + RATE_CHART_MARGIN_SECONDS),
        bridge.payments.map((payment) => ({
          timestamp: BigInt(payment.timestamp),
          rate: payment.rate,
          label: `${payment.kind === "claim" ? "claim" : "wOXEN conversion"} of ${formatSesh(payment.oxen, { unit: false })} OXEN`,
        })),
      ),
    });
    const ledger = await timed("books", () => ledgerChecks(hre, { tge, rewardsAddress: seeding.rewardsAddress }));
    reportPhases.push({
      name: "Landing: the books",
      events: [],
      transactions: [],
      sections: [{ title: "Where the allocation lines are", markdown: ledger.markdown }],
      checks: ledger.checks,
    });
    phaseKeys.push("books");
    landing = {
      tge,
      seeding,
      bridge,
      network: { opened: opened?.registered ?? 0, liquidated: grace?.liquidated ?? 0 },
    };
  }

  const nodePoints = nodeCountPoints(lighthouse, anchor, landing);
  if (nodePoints.length > 0) {
    charts.push({ name: NODES_CHART, title: "Nodes through the phases", svg: nodesChartSvg(nodePoints) });
  }
  const allChecks = reportPhases.flatMap((phase) => phase.checks);
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
  const report = writeReport(reportDir, {
    startedAt,
    network: hre.network.name,
    chainId,
    phases: reportPhases.map((phase, index) => ({
      ...phase,
      seconds: (timings.get(phaseKeys[index] ?? "") ?? 0) / MILLISECONDS_PER_SECOND,
    })),
    charts,
  });
  step(`reports: ${path.relative(process.cwd(), report.markdown)} and ${path.relative(process.cwd(), report.json)}`);
  // A run that got this far needs no resuming: its journal goes.
  journal.close(true);
  return {
    chainId,
    phases,
    checks: allChecks,
    passed,
    report,
    anchor,
    ...(lighthouse === undefined ? {} : { lighthouse }),
    ...(anchor === undefined ? {} : { anchor }),
    ...(landing === undefined ? {} : { landing }),
  };
}

import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { formatInteger, formatSesh } from "../../lib/amount";
import { analyseAnchor, anchorReportMarkdown, type AnchorAnalysis } from "../../lib/anchor";
import { moveClockTo } from "../../lib/chain/clock";
import { markdownTable } from "../../lib/markdown";
import { planMigration, type MigrationPlan } from "../../lib/migration";
import type { Journal } from "../../lib/rehearsal/journal";
import type { ReportCheck, ReportPhase } from "../../lib/rehearsal/report";
import type { Snapshot } from "../../lib/snapshot";
import { formatUtc, launchTimeline } from "../../lib/timeline";

// The Anchor, as the Oxen network lived it: the release on 2025-04-22 gives operators a week to upgrade; the hardfork
// on 2025-04-29 freezes registrations (the snapshot is taken there) and decommissions every node that never upgraded
// (it has no BLS key); a week later those nodes are deregistered; the bonus program closes on 2025-05-09 and the
// planner turns the snapshot into the migration plan. Nothing of this is a transaction on the Session chain: the
// phase moves the chain's clock to each date (through the journal, so that a resumed run does not try to move it
// back) and reports the snapshot's nodes at each one.

/** A decommissioned node has this long to come back before the network deregisters it. */
export const DECOMMISSION_GRACE_SECONDS = 7 * 24 * 3_600;

/** The nodes at one date of the Anchor. */
export interface AnchorStage {
  /** The date's name, for messages: "the Anchor hardfork". */
  readonly name: string;
  /** What happens to the nodes then. */
  readonly label: string;
  readonly date: Date;
  /** Nodes running (active, or awaiting contributions) at that date. */
  readonly running: number;
  readonly decommissioned: number;
  readonly deregistered: number;
  readonly unlocking: number;
}

export interface AnchorPhaseOptions {
  readonly snapshot: Snapshot;
  /** Where the snapshot came from, for people: a file, or the generator's seed and size. */
  readonly source: string;
  readonly journal: Journal;
  /** No clock moves (a real chain keeps its own time). */
  readonly realTime?: boolean;
  /** The migration plan of the snapshot (planned before the chain is touched, to check the inputs). */
  readonly plan: MigrationPlan;
  /** The snapshot's promises and requirement curve ({@link analyseAnchor}). */
  readonly analysis: AnchorAnalysis;
  /** The requirement chart's file name, to embed in the phase's Markdown. */
  readonly chartFile: string;
}

export interface AnchorPhase {
  readonly plan: MigrationPlan;
  readonly analysis: AnchorAnalysis;
  readonly stages: readonly AnchorStage[];
  readonly phase: ReportPhase;
}

/**
 * The snapshot's nodes at the Anchor's four dates. At the release every node that has not upgraded yet still runs;
 * at the hardfork those without a BLS key are decommissioned; a week later they are deregistered; the bonus snapshot
 * sees the same nodes. Nodes the snapshot has as decommissioned, deregistered or unlocking keep that state throughout.
 */
export function anchorStages(snapshot: Snapshot): AnchorStage[] {
  const timeline = launchTimeline();
  const hardfork = timeline.at("anchorHardfork").date;
  const counts = { running: 0, decommissioned: 0, deregistered: 0, unlocking: 0, unupgraded: 0 };
  for (const node of snapshot.nodes) {
    if (node.state === "decommissioned") counts.decommissioned += 1;
    else if (node.state === "deregistered") counts.deregistered += 1;
    else if (node.state === "unlocking") counts.unlocking += 1;
    else if (node.bls === null) counts.unupgraded += 1;
    else counts.running += 1;
  }
  const { running, decommissioned, deregistered, unlocking, unupgraded } = counts;
  return [
    {
      name: "the Anchor release",
      label: "Anchor release: one week to upgrade",
      date: timeline.at("anchorRelease").date,
      running: running + unupgraded,
      decommissioned,
      deregistered,
      unlocking,
    },
    {
      name: "the Anchor hardfork",
      label: "hardfork: registrations frozen, nodes without a BLS key decommissioned",
      date: hardfork,
      running,
      decommissioned: decommissioned + unupgraded,
      deregistered,
      unlocking,
    },
    {
      name: "the deregistration of un-upgraded nodes",
      label: "un-upgraded nodes deregistered",
      date: new Date(hardfork.getTime() + DECOMMISSION_GRACE_SECONDS * 1_000),
      running,
      decommissioned,
      deregistered: deregistered + unupgraded,
      unlocking,
    },
    {
      name: "the bonus snapshot",
      label: "bonus snapshot: the planner runs",
      date: timeline.at("bonusSnapshot").date,
      running,
      decommissioned,
      deregistered: deregistered + unupgraded,
      unlocking,
    },
  ];
}

function stageTable(stages: readonly AnchorStage[]): string {
  return markdownTable(
    ["date (UTC)", "", "running", "decommissioned", "deregistered", "unlocking"],
    ["l", "l", "r", "r", "r", "r"],
    stages.map((stage) => [
      formatUtc(stage.date),
      stage.label,
      formatInteger(stage.running),
      formatInteger(stage.decommissioned),
      formatInteger(stage.deregistered),
      formatInteger(stage.unlocking),
    ]),
  );
}

/** The pure part of the Anchor: the migration plan and the analysis of the snapshot. */
export function planAnchor(snapshot: Snapshot): { plan: MigrationPlan; analysis: AnchorAnalysis } {
  return { plan: planMigration(snapshot), analysis: analyseAnchor(snapshot) };
}

/**
 * Plays the Anchor on the chain's clock with the migration plan: the stages of the snapshot's nodes, the FAQ's
 * promises and the requirement curve, and the plan the Landing seeds. Checks that the snapshot
 * was taken at the hardfork and that the planner disbanded every node the hardfork deregistered.
 */
export async function runAnchor(hre: HardhatRuntimeEnvironment, options: AnchorPhaseOptions): Promise<AnchorPhase> {
  const { snapshot, journal } = options;
  const stages = anchorStages(snapshot);
  const events: string[] = [`snapshot: ${options.source}`];
  for (const [index, stage] of stages.entries()) {
    let moved = "";
    if (options.realTime !== true) {
      const unix = Math.floor(stage.date.getTime() / 1_000);
      const { from } = await journal.step(`anchor.clock.${index}`, async () => ({
        from: await moveClockTo(hre.network.provider, unix, stage.name),
      }));
      moved = ` (clock moved from ${formatUtc(from)})`;
    }
    events.push(
      `${formatUtc(stage.date)}${moved}: ${stage.label} — ${formatInteger(stage.running)} running, ` +
        `${formatInteger(stage.decommissioned)} decommissioned, ${formatInteger(stage.deregistered)} deregistered`,
    );
  }
  const { plan, analysis } = options;
  events.push(
    `migration planned: ${formatInteger(plan.totals.restakedNodes)} nodes re-staked in ` +
      `${formatInteger(plan.seedBatches.length)} seed batch${plan.seedBatches.length === 1 ? "" : "es"}, ` +
      `${formatInteger(plan.totals.disbandedNodes)} disbanded, ${formatSesh(plan.totals.credited)} credited`,
  );

  const timeline = launchTimeline();
  const hardfork = timeline.at("anchorHardfork").date;
  const unupgraded = snapshot.nodes.filter(
    (node) => node.bls === null && !["decommissioned", "deregistered", "unlocking"].includes(node.state),
  );
  const disbanded = new Set(plan.disbanded.map((node) => node.ed25519));
  const notDisbanded = unupgraded.filter((node) => !disbanded.has(node.ed25519));
  const bonusEnd = snapshot.parameters.snapshotTime;
  const lateRegistrations = snapshot.nodes.filter((node) => node.registeredAt.getTime() > hardfork.getTime());
  const promiseChecks: ReportCheck[] = [analysis.promises.solo, analysis.promises.multi].map((promise) => ({
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
  const checks: ReportCheck[] = [
    {
      name: "the snapshot was taken at the Anchor hardfork, when registrations froze",
      ok: snapshot.anchor.time.getTime() === hardfork.getTime(),
      detail: `snapshot at ${formatUtc(snapshot.anchor.time)}, hardfork at ${formatUtc(hardfork)}`,
    },
    {
      name: "no node registered after the hardfork froze registrations",
      ok: lateRegistrations.length === 0,
      detail:
        lateRegistrations.length === 0
          ? `${formatInteger(snapshot.nodes.length)} nodes, the last registered before ${formatUtc(hardfork)}`
          : `registered later: ${lateRegistrations.map((node) => node.ed25519).join(", ")}`,
    },
    {
      name: "the bonus points were counted up to the bonus snapshot",
      ok: bonusEnd.getTime() === timeline.at("bonusSnapshot").date.getTime(),
      detail: `points until ${formatUtc(bonusEnd)}`,
    },
    {
      name: "every node deregistered for not upgrading is disbanded by the plan",
      ok: notDisbanded.length === 0,
      detail:
        notDisbanded.length === 0
          ? `${formatInteger(unupgraded.length)} un-upgraded node${unupgraded.length === 1 ? "" : "s"}`
          : `re-staked without a BLS key: ${notDisbanded.map((node) => node.ed25519).join(", ")}`,
    },
    ...promiseChecks,
  ];
  return {
    plan,
    analysis,
    stages,
    phase: {
      name: "Anchor: the snapshot and the migration plan",
      events,
      transactions: [],
      sections: [
        { title: "Nodes through the Anchor", markdown: stageTable(stages) },
        {
          title: "",
          markdown: anchorReportMarkdown(analysis, { chartFile: options.chartFile, headingLevel: 3 }),
        },
      ],
      checks,
    },
  };
}

import { formatInteger, formatOxen, formatSesh } from "../amount";
import { markdownTable } from "../markdown";
import type { AnchorAnalysis } from "./analysis";
import type { PromiseCheck, PromiseKind } from "./promises";
import type { CurvePoint, LargestRequirement, PromiseSet, RequirementCurve } from "./requirementCurve";

/** Rows of the curve table at most, besides the launch requirement and the largest one, which are always shown. */
export const CURVE_TABLE_ROWS = 16;

export interface AnchorMarkdownOptions {
  /** The chart's file name, as the report links it (the caller writes `requirementChartSvg(curve)` there). */
  readonly chartFile: string;
  /** The section's heading level (default 2: "##"). */
  readonly headingLevel?: number;
}

const PROMISE_TEXT: Record<PromiseKind, string> = {
  solo: "a solo operator registered and staked for the whole bonus program is re-staked",
  multi: "a multi-contributor node whose operator and contributors all were is re-staked",
};

const SET_TEXT: Record<PromiseSet, string> = {
  solo: "the solo promise",
  multi: "the multi-contributor promise",
  both: "both promises",
};

function short(hex: string): string {
  return hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex;
}

function signed(atoms: bigint): string {
  return atoms < 0n ? `−${formatSesh(-atoms)}` : `+${formatSesh(atoms)}`;
}

function checkedOn(check: PromiseCheck): string {
  if (check.basis === "hypothetical") {
    return `a hypothetical node of ${formatOxen(check.example.stake)} (the snapshot has none)`;
  }
  return `${formatInteger(check.nodes)} node${check.nodes === 1 ? "" : "s"} of the snapshot`;
}

function promiseRow(check: PromiseCheck): string[] {
  const { example } = check;
  return [
    check.kind === "solo" ? "solo operator" : "multi-contributor node",
    checkedOn(check),
    `${formatInteger(check.restaked)} of ${formatInteger(check.nodes)}`,
    example.hypothetical ? "hypothetical" : short(example.ed25519),
    formatSesh(example.sesh),
    signed(example.sesh - check.requirement),
    check.kept ? "kept" : "**broken**",
  ];
}

function yesNo(kept: boolean): string {
  return kept ? "kept" : "broken";
}

/** The sampled points the table shows: at most {@link CURVE_TABLE_ROWS} evenly spread, plus the two marked ones. */
function tableRows(curve: RequirementCurve): { point: CurvePoint; note: string }[] {
  const { points } = curve;
  const every = Math.max(1, Math.ceil(points.length / CURVE_TABLE_ROWS));
  const shown = new Map<bigint, { point: CurvePoint; notes: string[] }>();
  points.forEach((point, index) => {
    if (index % every === 0 || index === points.length - 1) shown.set(point.requirement, { point, notes: [] });
  });
  const mark = (point: CurvePoint, note: string): void => {
    const entry = shown.get(point.requirement) ?? { point, notes: [] };
    entry.notes.push(note);
    shown.set(point.requirement, entry);
  };
  mark(curve.atLaunch, "chosen at launch");
  mark(
    { requirement: curve.largest.both.requirement, restaked: curve.largest.both.restaked, solo: true, multi: true },
    "largest keeping both promises",
  );
  return [...shown.values()]
    .sort((a, b) =>
      a.point.requirement < b.point.requirement ? -1 : a.point.requirement > b.point.requirement ? 1 : 0,
    )
    .map(({ point, notes }) => ({ point, note: notes.join("; ") }));
}

/** Shortfalls named in a break; the rest are counted. */
const SHORTFALLS_SHOWN = 2;

/** Which node breaks the promise one resolution above the largest requirement, and who is short for it. */
function breakText(largest: LargestRequirement): string {
  const { brokenBy } = largest;
  const node = brokenBy.hypothetical
    ? `the hypothetical ${brokenBy.kind === "solo" ? "solo" : "multi-contributor"} node`
    : `node ${short(brokenBy.ed25519)}`;
  const shortfalls = brokenBy.shortfalls
    .slice(0, SHORTFALLS_SHOWN)
    .map(
      (entry) =>
        `${short(entry.ethereumAddress)} owes ${formatSesh(entry.owed)} but has ${formatSesh(entry.available)} left`,
    );
  const more = brokenBy.shortfalls.length - SHORTFALLS_SHOWN;
  if (more > 0) shortfalls.push(`${more} more short`);
  return `${node}: ${shortfalls.join("; ")}`;
}

function curveNotes(curve: RequirementCurve): string[] {
  const notes: string[] = [];
  for (const set of ["solo", "multi", "both"] as const) {
    const again = curve.largest[set].keptAgainAt;
    if (again.length > 0) {
      notes.push(
        `- ${SET_TEXT[set]} holds again at ${again.map((requirement) => formatSesh(requirement)).join(", ")}, above ` +
          `its first break: the planner funds oldest first, so a larger requirement that disbands an older node can ` +
          `leave its participants enough for a newer one.`,
      );
    }
  }
  if (curve.increases.length > 0) {
    notes.push(
      `- The count rises with the requirement between ${curve.increases
        .map((step) => `${formatSesh(step.from.requirement)} and ${formatSesh(step.to.requirement)}`)
        .join(", ")}, for the same reason.`,
    );
  }
  return notes;
}

/**
 * The Anchor report's Markdown section: the two FAQ promises at the analysed requirement (a table, the nodes that
 * break them), the curve (its chart, linked as `chartFile`, and a table of its samples), and the largest requirement
 * keeping each promise and both.
 */
export function anchorReportMarkdown(analysis: AnchorAnalysis, options: AnchorMarkdownOptions): string {
  const level = options.headingLevel ?? 2;
  if (!Number.isInteger(level) || level < 1 || level > 5) {
    throw new RangeError(`the heading level must be 1 to 5, got ${level}`);
  }
  const heading = "#".repeat(level);
  const { promises, curve } = analysis;
  const lines: string[] = [
    `${heading} Anchor: the Migration FAQ's promises`,
    "",
    `At a staking requirement of ${formatSesh(promises.requirement)}, ` +
      `${promises.kept ? "both promises are kept" : "**a promise is broken**"}:`,
    "",
    `- solo: ${PROMISE_TEXT.solo};`,
    `- multi-contributor: ${PROMISE_TEXT.multi}.`,
    "",
    "A contribution was registered and staked for the whole bonus program when it earns the most points its stake " +
      "can: its wallet registered an Ethereum address before the backdating deadline, it was staked from the " +
      "backdating start (or earlier) and still was at the bonus snapshot. A node falls under a promise when it can " +
      "migrate at all (funded, not unlocking or deregistered, upgraded, every participant registered) and every " +
      "contribution of it was; the promise is kept when the plan re-stakes every such node. A node's SESH is what " +
      "its contributions convert to plus the bonus they earned.",
    "",
    markdownTable(
      ["promise", "checked on", "re-staked", "node shown", "its SESH", "margin", ""],
      ["l", "l", "r", "l", "r", "r", "l"],
      [promiseRow(promises.solo), promiseRow(promises.multi)],
    ),
  ];
  const broken = [promises.solo, promises.multi].filter((check) => !check.kept);
  for (const check of broken) {
    lines.push(
      "",
      `Nodes breaking the ${check.kind === "solo" ? "solo" : "multi-contributor"} promise ` +
        `(${formatInteger(check.nodes - check.restaked)} in all):`,
      "",
      markdownTable(
        ["ed25519", "reason", "detail"],
        ["l", "l", "l"],
        check.broken.map((node) => [short(node.ed25519), node.reason, node.detail]),
      ),
    );
  }

  const launchKeeps = curve.atLaunch.solo && curve.atLaunch.multi;
  const below = curve.largest.both.requirement - curve.launchRequirement;
  lines.push(
    "",
    `${heading}# Nodes re-staked by staking requirement`,
    "",
    `${formatInteger(curve.nodes)} nodes in the snapshot, ${formatInteger(curve.migratable)} of them can migrate at ` +
      `all; from ${formatSesh(curve.from)} to ${formatSesh(curve.to)} every ${formatSesh(curve.step)}, each point ` +
      `the planner's decision.`,
    "",
    `![Nodes re-staked by staking requirement](${options.chartFile})`,
    "",
    markdownTable(
      ["staking requirement", "nodes re-staked", "solo promise", "multi-contributor promise", ""],
      ["r", "r", "l", "l", "l"],
      tableRows(curve).map(({ point, note }) => [
        formatSesh(point.requirement),
        formatInteger(point.restaked),
        yesNo(point.solo),
        yesNo(point.multi),
        note,
      ]),
    ),
    "",
    `The largest staking requirement, to ${formatSesh(curve.resolution)}, that keeps:`,
    "",
    markdownTable(
      ["", "largest requirement", "nodes re-staked there", `what breaks it at ${formatSesh(curve.resolution)} more`],
      ["l", "r", "r", "l"],
      (["solo", "multi", "both"] as const).map((set) => {
        const largest = curve.largest[set];
        return [
          SET_TEXT[set],
          set === "both" ? `**${formatSesh(largest.requirement)}**` : formatSesh(largest.requirement),
          formatInteger(largest.restaked),
          breakText(largest),
        ];
      }),
    ),
    "",
    `The ${formatSesh(curve.launchRequirement)} chosen at launch ` +
      (launchKeeps ? "keeps both promises" : "**breaks a promise**") +
      (launchKeeps && below >= 0n ? `, ${formatSesh(below)} below the largest requirement that does,` : ",") +
      ` and re-stakes ${formatInteger(curve.atLaunch.restaked)} nodes.`,
  );
  const notes = curveNotes(curve);
  if (notes.length > 0) lines.push("", ...notes);
  lines.push("");
  return lines.join("\n");
}

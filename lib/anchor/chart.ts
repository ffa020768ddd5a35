import { ATOMS_PER_SESH, formatInteger, formatSesh } from "../amount";
import { escapeXml, svgOpening } from "../svg";
import type { PromiseKind } from "./promises";
import type { RequirementCurve } from "./requirementCurve";

/**
 * The requirement curve as a small self-contained SVG, drawn like lib/schedule's conversion-rate chart: nodes
 * re-staked against the staking requirement, the largest requirement keeping both FAQ promises and the one chosen
 * at launch marked with their values, the range where both promises hold shaded.
 */

const CHART_WIDTH = 860;
const CHART_HEIGHT = 460;
const MARGIN = { top: 100, right: 40, bottom: 56, left: 76 } as const;
const TITLE_Y = 24;
const SUBTITLE_Y = 44;
/** Marker labels sit in rows above the plot, the first this far above it, the next one row higher. */
const LABEL_GAP = 10;
const LABEL_ROW_HEIGHT = 17;
/** Width of a character of the 12 px labels, on the generous side, to keep labels apart. */
const CHARACTER_WIDTH = 6.8;
/** Space kept between two labels on a row. */
const LABEL_SPACING = 12;
/** The count axis reaches at least this many times the highest count. */
const HEADROOM = 1.08;
/** At most this many steps on either axis. */
const MAX_STEPS = 8;
/** Round steps: these times a power of ten. */
const ROUND_MANTISSAS = [10n, 20n, 25n, 50n] as const;
const ROUND_MANTISSA_SCALE = 10n;

const COLOURS = {
  curve: "#1f77b4",
  largest: "#c0392b",
  launch: "#444444",
  kept: "#e8f4e8",
  keptText: "#2e7d32",
  grid: "#e6e6e6",
  migratable: "#888888",
} as const;

/** Round steps 1, 2, 2.5, 5, 10, 20, … times `unit`, smallest first, up to past `span`. */
function roundSteps(unit: bigint, span: bigint): bigint[] {
  const steps: bigint[] = [];
  for (let power = 1n; ; power *= 10n) {
    for (const mantissa of ROUND_MANTISSAS) {
      const step = (unit * mantissa * power) / ROUND_MANTISSA_SCALE;
      if (step > 0n) steps.push(step);
      if (step >= span) return steps;
    }
  }
}

/** The count axis: the smallest step of 1, 2, 5, 10, 20, 25, … nodes reaching `max` in at most 8 steps. */
export function countAxis(max: number): { step: number; top: number; ticks: number[] } {
  const wanted = BigInt(Math.max(1, max));
  // In whole nodes: "2.5" rounds down to a second 2, which is harmless.
  const steps = roundSteps(1n, wanted);
  const step = steps.find((candidate) => (wanted + candidate - 1n) / candidate <= BigInt(MAX_STEPS)) ?? wanted;
  const count = (wanted + step - 1n) / step;
  const ticks = Array.from({ length: Number(count) + 1 }, (_, index) => Number(BigInt(index) * step));
  return { step: Number(step), top: Number(count * step), ticks };
}

/**
 * The requirement axis' ticks: multiples of the smallest round step of whole SESH (1, 2, 2.5, 5, 10, … SESH) that
 * cuts the range in at most 8, preferring one that `from` is a multiple of, so the axis starts on a labelled tick.
 */
export function requirementTicks(from: bigint, to: bigint): bigint[] {
  const span = to - from;
  const steps = roundSteps(ATOMS_PER_SESH, span).filter((step) => (span + step - 1n) / step <= BigInt(MAX_STEPS));
  const step = steps.find((candidate) => from % candidate === 0n) ?? steps[0] ?? span;
  const ticks: bigint[] = [];
  for (let tick = ((from + step - 1n) / step) * step; tick <= to; tick += step) ticks.push(tick);
  return ticks;
}

interface Marker {
  readonly kind: "largest" | "launch";
  readonly requirement: bigint;
  readonly restaked: number;
  readonly label: string;
  readonly colour: string;
  readonly dash: string | undefined;
}

const fixed = (value: number): string => value.toFixed(1);

function basisText(curve: RequirementCurve, kind: PromiseKind): string {
  const name = kind === "solo" ? "solo" : "multi-contributor";
  const count = curve.promiseNodes[kind];
  return curve.basis[kind] === "snapshot"
    ? `${formatInteger(count)} ${name} node${count === 1 ? "" : "s"}`
    : `a hypothetical ${name} node`;
}

/**
 * A self-contained SVG chart of `curve`: nodes re-staked (axis with round ticks from 0) against the staking
 * requirement (round SESH ticks over the curve's range), a line through every requirement evaluated (the samples
 * and the bisections', so it drops where the count does), a dot per sample (filled where both promises hold, open
 * where one breaks, each with a tooltip), a dashed line at the nodes that can migrate at all, the range where both
 * promises hold shaded, and two vertical markers with their values above the plot: the largest requirement keeping
 * both promises and the requirement chosen at launch. A marker outside the range is drawn at the edge it lies
 * beyond, its label saying so.
 */
export function requirementChartSvg(curve: RequirementCurve): string {
  const { from, to, points } = curve;
  const plotWidth = CHART_WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
  const baseline = MARGIN.top + plotHeight;
  const right = MARGIN.left + plotWidth;
  const highest = points.reduce((max, point) => Math.max(max, point.restaked), curve.migratable);
  // Room above the highest count, so that the values written above the top points stay clear of the marker labels.
  const snug = countAxis(highest);
  const axis = highest * HEADROOM > snug.top ? countAxis(Math.ceil(highest * HEADROOM)) : snug;
  const x = (requirement: bigint): number => MARGIN.left + (Number(requirement - from) / Number(to - from)) * plotWidth;
  const y = (count: number): number => baseline - (count / axis.top) * plotHeight;
  const clampX = (requirement: bigint): number => Math.min(right, Math.max(MARGIN.left, x(requirement)));

  const title = "Nodes re-staked at Landing by staking requirement";
  const subtitle =
    `${formatInteger(curve.nodes)} nodes in the snapshot, ${formatInteger(curve.migratable)} can migrate; ` +
    `promises checked on ${basisText(curve, "solo")} and ${basisText(curve, "multi")}`;
  const parts: string[] = [
    ...svgOpening(CHART_WIDTH, CHART_HEIGHT, title),
    `<text class="title" x="${MARGIN.left}" y="${TITLE_Y}" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text class="subtitle" x="${MARGIN.left}" y="${SUBTITLE_Y}" fill="#555">${escapeXml(subtitle)}</text>`,
  ];

  // The range where both promises hold: from the left edge to the largest requirement keeping them.
  const largest = curve.largest.both.requirement;
  if (largest >= from) {
    const end = clampX(largest);
    parts.push(
      `<rect class="kept-range" x="${MARGIN.left}" y="${MARGIN.top}" width="${fixed(end - MARGIN.left)}" ` +
        `height="${plotHeight}" fill="${COLOURS.kept}"/>`,
      `<text x="${MARGIN.left + 8}" y="${baseline - 10}" fill="${COLOURS.keptText}">both promises kept</text>`,
    );
  }

  for (const tick of axis.ticks) {
    const ty = fixed(y(tick));
    parts.push(
      `<line x1="${MARGIN.left}" y1="${ty}" x2="${right}" y2="${ty}" stroke="${COLOURS.grid}"/>`,
      `<text class="count-tick" x="${MARGIN.left - 8}" y="${ty}" text-anchor="end" dominant-baseline="middle">` +
        `${formatInteger(tick)}</text>`,
    );
  }
  for (const tick of requirementTicks(from, to)) {
    const tx = fixed(x(tick));
    parts.push(
      `<line x1="${tx}" y1="${baseline}" x2="${tx}" y2="${baseline + 5}" stroke="black"/>`,
      `<text class="requirement-tick" x="${tx}" y="${baseline + 19}" text-anchor="middle">` +
        `${formatSesh(tick, { unit: false })}</text>`,
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${baseline}" stroke="black"/>`,
    `<line x1="${MARGIN.left}" y1="${baseline}" x2="${right}" y2="${baseline}" stroke="black"/>`,
    `<text x="${right}" y="${CHART_HEIGHT - 12}" text-anchor="end">staking requirement (SESH)</text>`,
    `<text x="${-(MARGIN.top + plotHeight / 2)}" y="20" transform="rotate(-90)" text-anchor="middle">` +
      `nodes re-staked</text>`,
  );

  // The most the plan can re-stake: every node that can migrate (no line when none can: it would be the axis).
  const my = fixed(y(curve.migratable));
  if (curve.migratable > 0) {
    parts.push(
      `<line class="migratable" x1="${MARGIN.left}" y1="${my}" x2="${right}" y2="${my}" stroke="${COLOURS.migratable}" ` +
        `stroke-dasharray="6 4"/>`,
      `<text x="${MARGIN.left + 8}" y="${fixed(y(curve.migratable) - 6)}" fill="${COLOURS.migratable}">` +
        `${escapeXml(`can migrate at all: ${formatInteger(curve.migratable)}`)}</text>`,
    );
  }

  parts.push(
    `<polyline fill="none" stroke="${COLOURS.curve}" stroke-width="2.5" points="${curve.evaluated
      .map((point) => `${fixed(x(point.requirement))},${fixed(y(point.restaked))}`)
      .join(" ")}"/>`,
  );
  for (const point of points) {
    const both = point.solo && point.multi;
    const broken = [point.solo ? "" : "solo", point.multi ? "" : "multi-contributor"].filter((name) => name !== "");
    const tooltip =
      `${formatSesh(point.requirement)}: ${formatInteger(point.restaked)} nodes re-staked; ` +
      (both ? "both promises kept" : `${broken.join(" and ")} promise broken`);
    parts.push(
      `<circle class="sample" cx="${fixed(x(point.requirement))}" cy="${fixed(y(point.restaked))}" r="3" ` +
        `fill="${both ? COLOURS.curve : "white"}" stroke="${COLOURS.curve}" stroke-width="1.5">` +
        `<title>${escapeXml(tooltip)}</title></circle>`,
    );
  }

  // The legend, below the axis on the left: a filled dot and an open one.
  const legendY = CHART_HEIGHT - 12;
  const legend: [string, string][] = [
    [COLOURS.curve, "both promises kept"],
    ["white", "a promise broken"],
  ];
  let legendX = MARGIN.left;
  for (const [fill, text] of legend) {
    parts.push(
      `<circle class="legend" cx="${legendX + 4}" cy="${legendY - 4}" r="3" fill="${fill}" stroke="${COLOURS.curve}" ` +
        `stroke-width="1.5"/>`,
      `<text x="${legendX + 12}" y="${legendY}" fill="#555">${text}</text>`,
    );
    legendX += 12 + text.length * CHARACTER_WIDTH + LABEL_SPACING;
  }

  const markers: Marker[] = [
    {
      kind: "largest",
      requirement: largest,
      restaked: curve.largest.both.restaked,
      label: `largest keeping both promises: ${formatSesh(largest)}`,
      colour: COLOURS.largest,
      dash: undefined,
    },
    {
      kind: "launch",
      requirement: curve.launchRequirement,
      restaked: curve.atLaunch.restaked,
      label: `chosen at launch: ${formatSesh(curve.launchRequirement)}`,
      colour: COLOURS.launch,
      dash: "5 4",
    },
  ];
  // Labels left to right, each on the lowest row where it clears the previous label.
  const rowEnds: number[] = [];
  for (const marker of [...markers].sort((a, b) => (a.requirement < b.requirement ? -1 : 1))) {
    const inside = marker.requirement >= from && marker.requirement <= to;
    const text =
      marker.requirement < from
        ? `← ${marker.label} (below the range)`
        : marker.requirement > to
          ? `${marker.label} (above the range) →`
          : marker.label;
    const lx = clampX(marker.requirement);
    const width = text.length * CHARACTER_WIDTH;
    const start = Math.min(right - width, Math.max(MARGIN.left, lx - width / 2));
    let row = rowEnds.findIndex((end) => start >= end + LABEL_SPACING);
    if (row === -1) row = rowEnds.length;
    rowEnds[row] = start + width;
    const labelY = MARGIN.top - LABEL_GAP - row * LABEL_ROW_HEIGHT;
    const px = fixed(lx);
    parts.push(
      `<line class="marker-${marker.kind}" x1="${px}" y1="${labelY + 4}" x2="${px}" y2="${baseline}" ` +
        `stroke="${marker.colour}" stroke-width="1.5"${marker.dash === undefined ? "" : ` stroke-dasharray="${marker.dash}"`}/>`,
      `<text class="marker-${marker.kind}-label" x="${fixed(start)}" y="${labelY}" fill="${marker.colour}" ` +
        `font-weight="bold">${escapeXml(text)}</text>`,
    );
    if (inside) {
      const cy = y(marker.restaked);
      // The count beside the dot: above right of it, or below left near the right edge; a falling curve leaves both
      // corners free.
      const onLeft = lx > right - 120;
      parts.push(
        `<circle class="marker-${marker.kind}-point" cx="${px}" cy="${fixed(cy)}" r="4.5" fill="${marker.colour}"/>`,
        `<text x="${fixed(lx + (onLeft ? -8 : 8))}" y="${fixed(onLeft ? cy + 18 : cy - 8)}" ` +
          `text-anchor="${onLeft ? "end" : "start"}" ` +
          `fill="${marker.colour}">${escapeXml(`${formatInteger(marker.restaked)} nodes`)}</text>`,
      );
    }
  }
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

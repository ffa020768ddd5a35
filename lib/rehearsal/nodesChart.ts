import { formatInteger } from "../amount";
import { countAxis } from "../anchor/chart";
import { escapeXml, svgOpening } from "../svg";

/**
 * The rehearsal report's chart of the nodes through the phases: a stacked bar per moment of the launch (running,
 * decommissioned, gone), the bars of a phase on a light band under the phase's name. Drawn like lib/anchor/chart.ts
 * and lib/schedule's conversion-rate chart: the same width, margins, fonts and grid.
 */

/** A launch phase, in the order the launch plays them. */
export const NODE_CHART_PHASES = ["Lighthouse", "Anchor", "Landing"] as const;

/** One bar of the chart: the nodes at a moment of the launch. */
export interface NodeCountPoint {
  /** Short label under the bar, e.g. "2025-04-29 hardfork". Dates are UTC, ISO day. */
  readonly label: string;
  readonly phase: (typeof NODE_CHART_PHASES)[number];
  /** Counts to stack in one bar, in this fixed order of series (missing = 0). */
  readonly running: number; // registered / running nodes
  readonly decommissioned?: number;
  readonly deregistered?: number; // deregistered, exited or liquidated (cumulative "gone")
}

/** The series stacked in every bar, bottom to top. */
const SERIES = [
  { key: "running", name: "running", colour: "#1f77b4" },
  { key: "decommissioned", name: "decommissioned", colour: "#f0a030" },
  { key: "deregistered", name: "deregistered, exited or liquidated", colour: "#9e9e9e" },
] as const;

const DEFAULT_TITLE = "Nodes through the phases";

/** The chart is this wide at least; wider when the bars need more room than it leaves them. */
const MIN_CHART_WIDTH = 860;
const PLOT_HEIGHT = 300;
const MARGIN = { right: 40, left: 76, bottom: 16 } as const;
/** The count axis' tick labels end this far left of it, and its turned caption this far left of the widest. */
const TICK_GAP = 8;
const AXIS_CAPTION_GAP = 10;
/** The least room between a label and the edge of the picture. */
const EDGE = 8;
const TITLE_Y = 24;
/** The legend's baseline, under the title. */
const LEGEND_Y = 48;
const LEGEND_SWATCH = 10;
/** From a swatch to its text, and from one legend entry to the next. */
const LEGEND_TEXT_GAP = 5;
const LEGEND_SPACING = 18;
/** From the legend's baseline to the highest row of phase names. */
const HEADER_GAP = 24;
/** Phase names sit this far above the plot, a name that would overlap the previous one a row higher. */
const PHASE_GAP = 8;
const ROW_HEIGHT = 16;
/** Width of a character of the 12 px text, as wide as a DejaVu Sans digit (0.636 em), to keep texts apart; bold is wider. */
const CHARACTER_WIDTH = 7.6;
const BOLD_CHARACTER_WIDTH = 8.4;
/** Space kept between two texts on a row. */
const TEXT_SPACING = 12;
/** Height of a line of the 12 px text, and the baseline of the first label line below the axis. */
const LINE_HEIGHT = 15;
const LABEL_OFFSET = 18;
/** Labels that fit neither on one line nor on two are turned this many degrees, counter-clockwise. */
const LABEL_ANGLE = 45;
/** A rotated label starts this far below the axis, under the bar's centre. */
const ROTATED_LABEL_OFFSET = 12;
/** A bar fills this share of its slot, up to a width; a slot is never narrower than a rotated label needs. */
const BAR_SHARE = 0.62;
const MAX_BAR_WIDTH = 64;
const MIN_SLOT = Math.ceil(LINE_HEIGHT / Math.sin((LABEL_ANGLE * Math.PI) / 180)) + 2;
/** White space between the bands of two phases. */
const GROUP_GAP = 14;
/** A bar's total is written this far above it. */
const TOTAL_GAP = 5;
/** The count axis reaches at least this many times the highest total, to leave room for the totals written on top. */
const HEADROOM = 1.08;

const COLOURS = {
  band: "#eef3f8",
  phase: "#34495e",
  grid: "#e6e6e6",
  muted: "#555555",
} as const;

const fixed = (value: number): string => value.toFixed(1);

/** How the labels under the bars are laid out: on one line, wrapped to two, or turned. */
type LabelMode = "line" | "wrapped" | "rotated";

/** A label on two lines: split at the space nearest its middle (one line when it has no space). */
function wrapLabel(label: string): string[] {
  let best = -1;
  for (let index = label.indexOf(" "); index !== -1; index = label.indexOf(" ", index + 1)) {
    if (best === -1 || Math.abs(index - label.length / 2) < Math.abs(best - label.length / 2)) best = index;
  }
  return best === -1 ? [label] : [label.slice(0, best), label.slice(best + 1)];
}

const textWidth = (text: string, characterWidth = CHARACTER_WIDTH): number => text.length * characterWidth;

/** Refuses a chart without points, a point of no known phase and a count that is not a whole number of nodes. */
function validatePoints(points: readonly NodeCountPoint[]): void {
  if (points.length === 0) throw new RangeError("the nodes chart has no points to draw");
  points.forEach((point, index) => {
    const name = `point ${index} (${JSON.stringify(point.label)})`;
    if (!(NODE_CHART_PHASES as readonly string[]).includes(point.phase)) {
      throw new RangeError(
        `${name}: phase ${JSON.stringify(point.phase)} is not one of ${NODE_CHART_PHASES.join(", ")}`,
      );
    }
    for (const series of SERIES) {
      const value = point[series.key];
      if (value === undefined && series.key !== "running") continue;
      if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
        throw new RangeError(`${name}: ${series.key} is ${String(value)}, not a whole number of nodes (0 or more)`);
      }
    }
  });
}

/** The runs of consecutive points of one phase, as index ranges. */
function phaseGroups(points: readonly NodeCountPoint[]): { phase: string; first: number; last: number }[] {
  const groups: { phase: string; first: number; last: number }[] = [];
  points.forEach((point, index) => {
    const current = groups[groups.length - 1];
    if (current !== undefined && current.phase === point.phase) current.last = index;
    else groups.push({ phase: point.phase, first: index, last: index });
  });
  return groups;
}

/**
 * A self-contained SVG stacked bar chart of the nodes through the launch's phases: one bar per point, left to right
 * in the given order, stacking the nodes running (blue), decommissioned (amber) and gone — deregistered, exited or
 * liquidated — (grey), each bar's total written on top and each segment's count in its tooltip. Consecutive points of
 * one phase share a light band with the phase's name above it. The count axis has round ticks from 0 past the
 * largest total; a legend sits under the title. Labels under the bars go on one line when they fit, on two when
 * that is enough, and are turned 45° otherwise; the chart grows wider when the bars, their totals or the turned
 * labels would not fit in its usual width, so that no two labels overlap.
 *
 * @param points the bars, left to right; at least one, every count a whole number of nodes
 * @param title the chart's title (default "Nodes through the phases")
 * @throws RangeError naming the point, on no points, an unknown phase or a negative or fractional count
 */
export function nodesChartSvg(points: readonly NodeCountPoint[], title: string = DEFAULT_TITLE): string {
  validatePoints(points);
  const counts = points.map((point) => [point.running, point.decommissioned ?? 0, point.deregistered ?? 0] as const);
  const totals = counts.map(([running, decommissioned, gone]) => running + decommissioned + gone);
  const highest = Math.max(...totals);
  const snug = countAxis(highest);
  const axis = highest * HEADROOM > snug.top ? countAxis(Math.ceil(highest * HEADROOM)) : snug;

  // Horizontally: slots of one width, a gap between phases; the slot never narrower than a total or a turned label.
  const groups = phaseGroups(points);
  const gaps = (groups.length - 1) * GROUP_GAP;
  const minSlot = Math.max(
    MIN_SLOT,
    ...totals.map((total) => textWidth(formatInteger(total), BOLD_CHARACTER_WIDTH) + TEXT_SPACING),
  );
  const slotFor = (left: number): number =>
    Math.max(minSlot, (MIN_CHART_WIDTH - left - MARGIN.right - gaps) / points.length);
  const widest = (lines: (label: string) => string[]): number =>
    Math.max(...points.flatMap((point) => lines(point.label).map((line) => textWidth(line))));
  const oneLine = widest((label) => [label]);
  const twoLines = widest(wrapLabel);
  const firstSlot = slotFor(MARGIN.left);
  const mode: LabelMode =
    oneLine + TEXT_SPACING <= firstSlot ? "line" : twoLines + TEXT_SPACING <= firstSlot ? "wrapped" : "rotated";
  const radians = (LABEL_ANGLE * Math.PI) / 180;
  // A turned label reaches down and to the left of its bar; the plot moves right so that the first one stays in.
  const reach = oneLine * Math.cos(radians) + LINE_HEIGHT;
  // The count axis' ticks and its turned caption need room on the left too.
  const tickWidth = Math.max(...axis.ticks.map((tick) => textWidth(formatInteger(tick))));
  const captionX = (axisX: number): number => axisX - TICK_GAP - tickWidth - AXIS_CAPTION_GAP;
  const forTicks = Math.ceil(EDGE + LINE_HEIGHT + TICK_GAP + tickWidth + AXIS_CAPTION_GAP);
  const forLabels = mode === "rotated" ? Math.ceil(EDGE + reach) : 0;
  const left = Math.max(MARGIN.left, forTicks, forLabels);
  const slot = slotFor(left);
  const barWidth = Math.min(MAX_BAR_WIDTH, slot * BAR_SHARE);
  const slotStarts: number[] = [];
  let cursor = left;
  points.forEach((point, index) => {
    if (index > 0 && points[index - 1]?.phase !== point.phase) cursor += GROUP_GAP;
    slotStarts.push(cursor);
    cursor += slot;
  });
  const right = cursor;
  const width = Math.ceil(right + MARGIN.right);
  const centre = (index: number): number => (slotStarts[index] ?? left) + slot / 2;

  // Phase names above their bands, each on the lowest row where it clears the previous name.
  const rowEnds: number[] = [];
  const phaseLabels = groups.map((group) => {
    const start = slotStarts[group.first] ?? left;
    const end = (slotStarts[group.last] ?? left) + slot;
    const nameWidth = textWidth(group.phase, BOLD_CHARACTER_WIDTH);
    const x = Math.max(left, Math.min(right - nameWidth, (start + end) / 2 - nameWidth / 2));
    let row = rowEnds.findIndex((rowEnd) => x >= rowEnd + TEXT_SPACING);
    if (row === -1) row = rowEnds.length;
    rowEnds[row] = x + nameWidth;
    return { group, start, end, x, row };
  });

  // Vertically: the title and legend, the rows of phase names, the plot, the labels under it.
  const top = LEGEND_Y + HEADER_GAP + PHASE_GAP + (rowEnds.length - 1) * ROW_HEIGHT;
  const baseline = top + PLOT_HEIGHT;
  const labelDepth =
    mode === "line"
      ? LABEL_OFFSET
      : mode === "wrapped"
        ? LABEL_OFFSET + LINE_HEIGHT
        : ROTATED_LABEL_OFFSET + oneLine * Math.sin(radians) + LINE_HEIGHT;
  const height = Math.ceil(baseline + labelDepth + MARGIN.bottom);
  const y = (count: number): number => baseline - (count / axis.top) * PLOT_HEIGHT;

  const parts: string[] = [
    ...svgOpening(width, height, title),
    `<text class="title" x="${left}" y="${TITLE_Y}" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ];

  let legendX = left;
  for (const series of SERIES) {
    parts.push(
      `<rect class="legend legend-${series.key}" x="${legendX}" y="${LEGEND_Y - LEGEND_SWATCH}" ` +
        `width="${LEGEND_SWATCH}" height="${LEGEND_SWATCH}" fill="${series.colour}"/>`,
      `<text class="legend-label" x="${legendX + LEGEND_SWATCH + LEGEND_TEXT_GAP}" y="${LEGEND_Y}" ` +
        `fill="${COLOURS.muted}">${escapeXml(series.name)}</text>`,
    );
    legendX += LEGEND_SWATCH + LEGEND_TEXT_GAP + textWidth(series.name) + LEGEND_SPACING;
  }

  for (const label of phaseLabels) {
    parts.push(
      `<rect class="phase-band" x="${fixed(label.start)}" y="${top}" width="${fixed(label.end - label.start)}" ` +
        `height="${PLOT_HEIGHT}" fill="${COLOURS.band}"/>`,
      `<text class="phase-label" x="${fixed(label.x)}" y="${top - PHASE_GAP - label.row * ROW_HEIGHT}" ` +
        `font-weight="bold" fill="${COLOURS.phase}">${escapeXml(label.group.phase)}</text>`,
    );
  }

  for (const tick of axis.ticks) {
    const ty = fixed(y(tick));
    parts.push(
      `<line x1="${left}" y1="${ty}" x2="${fixed(right)}" y2="${ty}" stroke="${COLOURS.grid}"/>`,
      `<text class="count-tick" x="${left - TICK_GAP}" y="${ty}" text-anchor="end" dominant-baseline="middle">` +
        `${formatInteger(tick)}</text>`,
    );
  }
  parts.push(
    `<text class="axis-caption" x="${-(top + PLOT_HEIGHT / 2)}" y="${fixed(captionX(left))}" ` +
      `transform="rotate(-90)" text-anchor="middle">nodes</text>`,
  );

  points.forEach((point, index) => {
    const cx = centre(index);
    const x = fixed(cx - barWidth / 2);
    const total = totals[index] ?? 0;
    const where = `${point.label} (${point.phase})`;
    parts.push(
      `<g class="bar" data-phase="${escapeXml(point.phase)}">`,
      `<title>${escapeXml(`${where}: ${formatInteger(total)} nodes`)}</title>`,
    );
    let stacked = 0;
    SERIES.forEach((series, position) => {
      const count = counts[index]?.[position] ?? 0;
      if (count === 0) return;
      const upper = y(stacked + count);
      parts.push(
        `<rect class="segment segment-${series.key}" x="${x}" y="${fixed(upper)}" width="${fixed(barWidth)}" ` +
          `height="${fixed(y(stacked) - upper)}" fill="${series.colour}">` +
          `<title>${escapeXml(`${where}: ${formatInteger(count)} ${series.name}`)}</title></rect>`,
      );
      stacked += count;
    });
    parts.push(
      `<text class="total" x="${fixed(cx)}" y="${fixed(y(total) - TOTAL_GAP)}" text-anchor="middle" ` +
        `font-weight="bold">${formatInteger(total)}</text>`,
    );
    if (mode === "rotated") {
      const ly = baseline + ROTATED_LABEL_OFFSET;
      parts.push(
        `<text class="bar-label" x="${fixed(cx)}" y="${ly}" text-anchor="end" dominant-baseline="middle" ` +
          `transform="rotate(${-LABEL_ANGLE} ${fixed(cx)} ${ly})">${escapeXml(point.label)}</text>`,
      );
    } else {
      const lines = mode === "line" ? [point.label] : wrapLabel(point.label);
      parts.push(
        `<text class="bar-label" x="${fixed(cx)}" y="${baseline + LABEL_OFFSET}" text-anchor="middle">` +
          lines
            .map(
              (line, row) =>
                `<tspan x="${fixed(cx)}" y="${baseline + LABEL_OFFSET + row * LINE_HEIGHT}">${escapeXml(line)}</tspan>`,
            )
            .join("") +
          "</text>",
      );
    }
    parts.push("</g>");
  });

  parts.push(
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${baseline}" stroke="black"/>`,
    `<line x1="${left}" y1="${baseline}" x2="${fixed(right)}" y2="${baseline}" stroke="black"/>`,
    "</svg>",
  );
  return `${parts.join("\n")}\n`;
}

import { escapeXml, svgOpening } from "../svg";
import { launchTimeline } from "../timeline";

/** Kept in this module's exports (lib/index.ts's `schedule`), where it was before lib/svg.ts held it. */
export { escapeXml };

/**
 * The conversion-rate schedule of the Oxen claims bridge (SPEC 3.6), with exactly the contract's rounding: a rate is
 * SESH atoms per 10^9 OXEN atoms, linear between breakpoints and rounded down (in the pool's favour) whether it rises
 * or falls, the later breakpoint's rate where two share a timestamp (a step), flat after the last, 0 before the first.
 */

/** A point of the schedule: from `timestamp` (Unix seconds) the rate is `rate` SESH atoms per 10^9 OXEN atoms. */
export interface Breakpoint {
  readonly timestamp: bigint;
  readonly rate: bigint;
}

/** OXEN atoms a rate is quoted for: one OXEN (9 decimals). The contract's `RATE_PRECISION`. */
export const RATE_PRECISION = 10n ** 9n;
/** Largest rate the contract accepts: 10 SESH per OXEN (`MAX_RATE`). */
export const MAX_RATE = 10n * RATE_PRECISION;
/** Most breakpoints the contract accepts (`MAX_BREAKPOINTS`: the schedule is kept in four words of its code). */
export const MAX_BREAKPOINTS = 8;
/** Largest timestamp a breakpoint can hold (the contract stores it as uint64). */
export const MAX_TIMESTAMP = 2n ** 64n - 1n;
/** Largest quote the contract returns (2^256 − 1 SESH atoms); above it, it reverts `QuoteOverflow`. */
export const MAX_QUOTE = 2n ** 256n - 1n;

/** 0.54 SESH per OXEN: the 30,000,000 SESH claims pool over the circulating OXEN at the TGE. */
export const OPENING_RATE = 540_000_000n;
/** After the decay: 0.7 × 0.54 = 0.378 SESH per OXEN. */
export const FINAL_RATE = (OPENING_RATE * 7n) / 10n;
/** The rate falls linearly over 30 days. */
export const DECAY_SECONDS = 30n * 24n * 3_600n;

/** Why a schedule would be rejected by the contract's constructor, one line per problem (empty when valid). */
export function scheduleProblems(schedule: readonly Breakpoint[]): string[] {
  const problems: string[] = [];
  if (schedule.length === 0) problems.push("the schedule has no breakpoint");
  if (schedule.length > MAX_BREAKPOINTS) {
    problems.push(`the schedule has ${schedule.length} breakpoints, at most ${MAX_BREAKPOINTS} are accepted`);
  }
  schedule.forEach((point, index) => {
    if (point.timestamp < 0n || point.timestamp > MAX_TIMESTAMP) {
      problems.push(`breakpoint ${index}: timestamp ${point.timestamp} is outside 0 … 2^64 − 1`);
    }
    if (point.rate <= 0n || point.rate > MAX_RATE) {
      problems.push(`breakpoint ${index}: rate ${point.rate} is outside (0, ${MAX_RATE}]`);
    }
    if (index === 0 && point.timestamp === 0n) {
      problems.push("breakpoint 0: timestamp 0 would open claims at once (a start in the past is fine, 0 is a typo)");
    }
    const previous = schedule[index - 1];
    if (previous !== undefined && point.timestamp < previous.timestamp) {
      problems.push(
        `breakpoint ${index}: timestamp ${point.timestamp} comes before the previous one (${previous.timestamp})`,
      );
    }
  });
  return problems;
}

/** Throws a RangeError listing every problem unless the contract would accept the schedule. */
export function validateSchedule(schedule: readonly Breakpoint[]): void {
  const problems = scheduleProblems(schedule);
  if (problems.length > 0) throw new RangeError(`invalid conversion schedule:\n  - ${problems.join("\n  - ")}`);
}

/** Ceiling division of non-negative bigints. */
function divUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}

/** The rate at `timestamp`, as the contract's `conversionRateAt` computes it. */
export function conversionRateAt(schedule: readonly Breakpoint[], timestamp: bigint): bigint {
  // The number of breakpoints at or before `timestamp`; the last of them (the later one of a step) applies.
  let count = 0;
  while (count < schedule.length && (schedule[count] as Breakpoint).timestamp <= timestamp) count += 1;
  const from = schedule[count - 1];
  if (from === undefined) return 0n;
  const to = schedule[count];
  if (to === undefined) return from.rate;
  const elapsed = timestamp - from.timestamp;
  const span = to.timestamp - from.timestamp;
  if (to.rate < from.rate) return from.rate - divUp((from.rate - to.rate) * elapsed, span);
  return from.rate + ((to.rate - from.rate) * elapsed) / span;
}

/**
 * SESH atoms paid for `oxenAmount` OXEN atoms at `timestamp`, rounded down (the contract's `quote`); a RangeError where
 * the contract reverts `QuoteOverflow` (a quote above 2^256 − 1, possible only at a rate above 1 SESH per OXEN).
 */
export function quote(schedule: readonly Breakpoint[], oxenAmount: bigint, timestamp: bigint): bigint {
  const rate = conversionRateAt(schedule, timestamp);
  const result = (oxenAmount * rate) / RATE_PRECISION;
  if (result > MAX_QUOTE) throw new RangeError(`the quote of ${oxenAmount} OXEN atoms at rate ${rate} overflows`);
  return result;
}

/**
 * The launch schedule from the calendar (deploy/parameters/timeline.json): opens when the staking portal goes live
 * (2025-05-22) at 0.54, flat until the decay starts (TGE + 6 months, 2025-11-21), falls linearly over 30 days to
 * 0.378, flat after.
 */
export function defaultSchedule(): Breakpoint[] {
  const timeline = launchTimeline();
  const opening = BigInt(timeline.at("stakingPortalLive").unix);
  const decayStart = BigInt(timeline.at("conversionDecayStart").unix);
  return [
    { timestamp: opening, rate: OPENING_RATE },
    { timestamp: decayStart, rate: OPENING_RATE },
    { timestamp: decayStart + DECAY_SECONDS, rate: FINAL_RATE },
  ];
}

// -------------------------------------------------------------------------------------------------------------
// SVG chart
// -------------------------------------------------------------------------------------------------------------

const CHART_WIDTH = 860;
const CHART_HEIGHT = 400;
const MARGIN = { top: 72, right: 48, bottom: 48, left: 64 } as const;
/** Room a breakpoint's date takes above the chart ("2025-11-21" at 12 px), and the height of a row of dates. */
const DATE_LABEL_WIDTH = 76;
const DATE_ROW_HEIGHT = 16;
/** The width a month's label ("2025-11" at 12 px) needs, with room on both sides. */
const MONTH_LABEL_ROOM = 60;
/** At most this many steps on the rate axis. */
const MAX_Y_STEPS = 8;
/** Steps of the rate axis to choose from, in SESH atoms per OXEN: 0.01, 0.02, 0.025, 0.05, 0.1, … 5 SESH. */
const Y_STEPS = [10n, 20n, 25n, 50n, 100n, 200n, 250n, 500n, 1_000n, 2_000n, 2_500n, 5_000n].map(
  (thousandths) => (thousandths * RATE_PRECISION) / 1_000n,
);

/** A rate as SESH per OXEN, exact, without trailing zeros ("0.54", "0.378", "0"). */
export function formatRate(rate: bigint): string {
  const whole = rate / RATE_PRECISION;
  const fraction = (rate % RATE_PRECISION).toString().padStart(9, "0").replace(/0+$/, "");
  return fraction === "" ? whole.toString() : `${whole}.${fraction}`;
}

/** A Unix timestamp as its UTC date, "2025-05-22". */
function formatDay(timestamp: bigint): string {
  return new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);
}

/**
 * The rate axis: the smallest round step (0.1, 0.2, 0.25, …) that reaches 5 % above `maxRate` in at most
 * {@link MAX_Y_STEPS} steps, and the ticks from 0 to the top, every one a multiple of the step.
 */
export function rateAxis(maxRate: bigint): { step: bigint; top: bigint; ticks: bigint[] } {
  const wanted = maxRate === 0n ? RATE_PRECISION : maxRate + maxRate / 20n;
  const step = Y_STEPS.find((candidate) => divUp(wanted, candidate) <= BigInt(MAX_Y_STEPS)) ?? divUp(wanted, 8n);
  const steps = divUp(wanted, step);
  const ticks = Array.from({ length: Number(steps) + 1 }, (_, index) => BigInt(index) * step);
  return { step, top: steps * step, ticks };
}

/** First days of the months from `from` to `to` (Unix seconds), inclusive of a month starting exactly at `from`. */
function monthStarts(from: bigint, to: bigint): bigint[] {
  const start = new Date(Number(from) * 1000);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  const result: bigint[] = [];
  for (;;) {
    const tick = BigInt(Date.UTC(year, month, 1) / 1000);
    if (tick > to) return result;
    if (tick >= from) result.push(tick);
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
  }
}

/**
 * The default window of the chart: from the first of the month before the first breakpoint to the first of the
 * second month after the last one.
 */
export function scheduleWindow(schedule: readonly Breakpoint[]): { from: bigint; to: bigint } {
  validateSchedule(schedule);
  const first = new Date(Number((schedule[0] as Breakpoint).timestamp) * 1000);
  const last = new Date(Number((schedule[schedule.length - 1] as Breakpoint).timestamp) * 1000);
  return {
    from: BigInt(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() - 1, 1) / 1000),
    to: BigInt(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 2, 1) / 1000),
  };
}

/** A payment to mark on the rate chart: when it was made and the rate it was paid at. */
export interface RateMark {
  readonly timestamp: bigint;
  readonly rate: bigint;
  /** What the mark's tooltip says ("claim of 1,000 OXEN"). */
  readonly label: string;
}

/**
 * A small self-contained SVG line chart of the rate (SESH per OXEN) from `from` to `to` (Unix seconds): a rate axis
 * with round ticks (0, 0.1, 0.2 …), a tick per month, and each breakpoint inside the window marked with a dashed
 * line, its date written above the chart and its rate written beside the line where the rate changes (0.54, then
 * 0.378 for the launch schedule). The line is exact: it joins the rate at the window's ends and at every breakpoint
 * inside it (a step draws as a vertical segment). `marks` are payments made on the rate, drawn as rings on it.
 */
export function scheduleSvg(
  schedule: readonly Breakpoint[],
  from: bigint,
  to: bigint,
  marks: readonly RateMark[] = [],
): string {
  validateSchedule(schedule);
  if (to <= from) throw new RangeError(`the chart's window is empty: from ${from} to ${to}`);

  // The points to join: the window's ends and every breakpoint inside it, both sides of a step.
  const points: { t: bigint; rate: bigint }[] = [{ t: from, rate: conversionRateAt(schedule, from) }];
  schedule.forEach((point, index) => {
    if (point.timestamp <= from || point.timestamp >= to) return;
    // Just before the breakpoint the previous segment's value holds (0 before the first breakpoint).
    const before = index === 0 ? 0n : conversionRateAt(schedule, point.timestamp - 1n);
    const last = points[points.length - 1];
    if (last !== undefined && last.t !== point.timestamp) points.push({ t: point.timestamp, rate: before });
    points.push({ t: point.timestamp, rate: point.rate });
  });
  points.push({ t: to, rate: conversionRateAt(schedule, to) });

  const maxRate = points.reduce((max, point) => (point.rate > max ? point.rate : max), 0n);
  const axis = rateAxis(maxRate);
  const plotWidth = CHART_WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
  const baseline = MARGIN.top + plotHeight;
  const x = (t: bigint): number => MARGIN.left + (Number(t - from) / Number(to - from)) * plotWidth;
  const y = (rate: bigint): number => baseline - (Number(rate) / Number(axis.top)) * plotHeight;
  const fixed = (value: number): string => value.toFixed(1);

  const parts: string[] = [
    ...svgOpening(CHART_WIDTH, CHART_HEIGHT, "OXEN → SESH conversion rate"),
    `<text x="${MARGIN.left}" y="18" font-size="14" font-weight="bold">` +
      `${escapeXml("OXEN → SESH conversion rate (SESH per OXEN)")}</text>`,
  ];
  for (const tick of axis.ticks) {
    const ty = fixed(y(tick));
    parts.push(
      `<line x1="${MARGIN.left}" y1="${ty}" x2="${MARGIN.left + plotWidth}" y2="${ty}" stroke="#e6e6e6"/>`,
      `<text class="rate-tick" x="${MARGIN.left - 8}" y="${ty}" text-anchor="end" dominant-baseline="middle">` +
        `${formatRate(tick)}</text>`,
    );
  }
  // Every month gets a tick; when months are too narrow for their labels, every second (third …) one is labelled.
  const ticks = monthStarts(from, to);
  const monthWidth = ticks.length < 2 ? plotWidth : x(ticks[1] ?? 0n) - x(ticks[0] ?? 0n);
  const labelEvery = Math.max(1, Math.ceil(MONTH_LABEL_ROOM / monthWidth));
  for (const [index, tick] of ticks.entries()) {
    const tx = fixed(x(tick));
    parts.push(`<line x1="${tx}" y1="${baseline}" x2="${tx}" y2="${baseline + 5}" stroke="black"/>`);
    if (index % labelEvery === 0) {
      parts.push(
        `<text class="month" x="${tx}" y="${baseline + 19}" text-anchor="middle">` +
          `${new Date(Number(tick) * 1000).toISOString().slice(0, 7)}</text>`,
      );
    }
  }
  parts.push(
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${baseline}" stroke="black"/>`,
    `<line x1="${MARGIN.left}" y1="${baseline}" x2="${MARGIN.left + plotWidth}" y2="${baseline}" stroke="black"/>`,
  );
  // Each breakpoint: a dashed line across the plot, its date above it; the rate beside the line where it changes.
  // Dates too close to the previous one on a row go one row up, so that no two overlap.
  const inside = schedule.filter((point) => point.timestamp >= from && point.timestamp <= to);
  const rowEnds: number[] = [];
  let labelledRate: bigint | undefined;
  for (const point of inside) {
    const centre = x(point.timestamp);
    let row = rowEnds.findIndex((end) => centre - DATE_LABEL_WIDTH / 2 >= end);
    if (row === -1) row = rowEnds.length;
    rowEnds[row] = centre + DATE_LABEL_WIDTH / 2;
    const labelY = MARGIN.top - 10 - row * DATE_ROW_HEIGHT;
    const px = fixed(centre);
    parts.push(
      `<line x1="${px}" y1="${labelY + 4}" x2="${px}" y2="${baseline}" stroke="#999" stroke-dasharray="4 3"/>`,
      `<text class="breakpoint-date" x="${px}" y="${labelY}" text-anchor="middle">${formatDay(point.timestamp)}</text>`,
    );
    if (point.rate !== labelledRate) {
      parts.push(
        `<text class="rate" x="${fixed(x(point.timestamp) + 6)}" y="${fixed(y(point.rate) - 8)}" ` +
          `font-weight="bold" fill="#1f5fa0">${formatRate(point.rate)}</text>`,
      );
      labelledRate = point.rate;
    }
  }
  parts.push(
    `<polyline fill="none" stroke="#1f77b4" stroke-width="2.5" points="${points
      .map((point) => `${fixed(x(point.t))},${fixed(y(point.rate))}`)
      .join(" ")}"/>`,
  );
  for (const point of inside) {
    parts.push(
      `<circle cx="${fixed(x(point.timestamp))}" cy="${fixed(y(point.rate))}" r="3.5" fill="#1f77b4">` +
        `<title>${formatDay(point.timestamp)}: ${formatRate(point.rate)} SESH per OXEN</title></circle>`,
    );
  }
  // The payments made on the rate: open orange rings, a legend when there are any.
  const shown = marks.filter((mark) => mark.timestamp >= from && mark.timestamp <= to);
  for (const mark of shown) {
    parts.push(
      `<circle class="payment" cx="${fixed(x(mark.timestamp))}" cy="${fixed(y(mark.rate))}" r="6" fill="none" ` +
        `stroke="#e07020" stroke-width="2"><title>${escapeXml(
          `${formatDay(mark.timestamp)}: ${mark.label} at ${formatRate(mark.rate)} SESH per OXEN`,
        )}</title></circle>`,
    );
  }
  if (shown.length > 0) {
    const legendX = MARGIN.left + plotWidth - 150;
    parts.push(
      `<circle cx="${legendX}" cy="${MARGIN.top + 14}" r="6" fill="none" stroke="#e07020" stroke-width="2"/>`,
      `<text x="${legendX + 12}" y="${MARGIN.top + 18}">claims and conversions</text>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + plotWidth / 2}" y="${CHART_HEIGHT - 8}" text-anchor="middle">date (UTC)</text>`,
    "</svg>",
  );
  return `${parts.join("\n")}\n`;
}

import { ATOMS_PER_SESH } from "../amount";
import type { Snapshot } from "../snapshot/schema";
import type { Shortfall } from "./funding";
import {
  anchorContext,
  promiseKeptAt,
  type AnchorContext,
  type PromiseBasis,
  type PromiseKind,
  type PromiseSubject,
} from "./promises";

/**
 * Nodes re-staked as a function of the staking requirement, and the largest requirement that keeps the FAQ's
 * promises (see ./promises.ts): the figure the launch engineers had to choose. Every point is the planner's own
 * decision, through the funding replay of ./funding.ts.
 */

/** The curve's default range: 15,000 to 30,000 SESH in steps of 500, the largest requirement to the SESH. */
export const DEFAULT_CURVE_FROM = 15_000n * ATOMS_PER_SESH;
export const DEFAULT_CURVE_TO = 30_000n * ATOMS_PER_SESH;
export const DEFAULT_CURVE_STEP = 500n * ATOMS_PER_SESH;
export const DEFAULT_RESOLUTION = ATOMS_PER_SESH;
/** The staking requirement chosen at launch: 25,000 SESH. */
export const LAUNCH_REQUIREMENT = 25_000n * ATOMS_PER_SESH;
/** Most points a curve may sample: a guard against a step of one atom over a range of thousands of SESH. */
export const MAX_CURVE_POINTS = 10_000;

export interface CurveOptions {
  /** First requirement sampled, SESH atoms (default 15,000 SESH). */
  readonly from?: bigint;
  /** Last requirement sampled, SESH atoms (default 30,000 SESH); sampled even when not a step from `from`. */
  readonly to?: bigint;
  /** Between samples, SESH atoms (default 500 SESH). */
  readonly step?: bigint;
  /** The largest requirements are found to this, SESH atoms (default 1 SESH; 1n finds them to the atom). */
  readonly resolution?: bigint;
  /** The requirement chosen at launch, marked on the curve (default 25,000 SESH). */
  readonly launchRequirement?: bigint;
}

/** The plan at one staking requirement, as the curve needs it. */
export interface CurvePoint {
  /** SESH atoms. */
  readonly requirement: bigint;
  /** Nodes of the snapshot the plan re-stakes. */
  readonly restaked: number;
  /** Each promise holds there. */
  readonly solo: boolean;
  readonly multi: boolean;
}

export type PromiseSet = PromiseKind | "both";

/** The largest requirement keeping a promise (or both). */
export interface LargestRequirement {
  /**
   * The largest multiple of the resolution, below the first sampled requirement that breaks the promise, at which
   * the promise holds; one resolution more breaks it. Found by bisection between that sample and the one before it
   * (0 before the first, and above the last, the least that surely breaks it: one atom more than the pools of a
   * node's participants together).
   */
  readonly requirement: bigint;
  /** Nodes re-staked at it. */
  readonly restaked: number;
  /** One resolution more, where it breaks. */
  readonly breaksAt: bigint;
  /** The first node of the promise (in funding order) that the plan disbands there, and who is short for it. */
  readonly brokenBy: {
    readonly kind: PromiseKind;
    readonly ed25519: string;
    readonly hypothetical: boolean;
    readonly shortfalls: readonly Shortfall[];
  };
  /**
   * Sampled requirements above it at which the promise holds again. Empty but in odd snapshots: the planner funds
   * greedily, oldest first, so a larger requirement that disbands an older node can leave a participant enough for
   * a newer one.
   */
  readonly keptAgainAt: readonly bigint[];
}

export interface RequirementCurve {
  readonly from: bigint;
  readonly to: bigint;
  readonly step: bigint;
  readonly resolution: bigint;
  readonly launchRequirement: bigint;
  /** Nodes in the snapshot. */
  readonly nodes: number;
  /** Nodes that can migrate at all (planner rule 2): the most any requirement can re-stake. */
  readonly migratable: number;
  /** Where each promise's nodes come from. */
  readonly basis: Readonly<Record<PromiseKind, PromiseBasis>>;
  /** Nodes under each promise in the snapshot (1, the hypothetical one, for a hypothetical basis). */
  readonly promiseNodes: Readonly<Record<PromiseKind, number>>;
  /** From `from` to `to`, every `step`. */
  readonly points: readonly CurvePoint[];
  /**
   * Every requirement from `from` to `to` the plan was replayed at, in order: the samples and the bisections' (and
   * the launch's), so that a line through them drops where the count really does.
   */
  readonly evaluated: readonly CurvePoint[];
  readonly atLaunch: CurvePoint;
  readonly largest: Readonly<Record<PromiseSet, LargestRequirement>>;
  /** Consecutive samples where the count rises with the requirement (see {@link LargestRequirement.keptAgainAt}). */
  readonly increases: readonly { readonly from: CurvePoint; readonly to: CurvePoint }[];
  /** Requirements at which the plan was replayed. */
  readonly evaluations: number;
}

interface CheckedOptions {
  readonly from: bigint;
  readonly to: bigint;
  readonly step: bigint;
  readonly resolution: bigint;
  readonly launchRequirement: bigint;
}

function checkOptions(options: CurveOptions): CheckedOptions {
  const checked = {
    from: options.from ?? DEFAULT_CURVE_FROM,
    to: options.to ?? DEFAULT_CURVE_TO,
    step: options.step ?? DEFAULT_CURVE_STEP,
    resolution: options.resolution ?? DEFAULT_RESOLUTION,
    launchRequirement: options.launchRequirement ?? LAUNCH_REQUIREMENT,
  };
  const { from, to, step, resolution, launchRequirement } = checked;
  if (resolution <= 0n) throw new RangeError(`the resolution must be positive, got ${resolution}`);
  if (from <= 0n) throw new RangeError(`the curve must start above 0, got from = ${from}`);
  if (to <= from) throw new RangeError(`the curve's range is empty: from ${from} to ${to}`);
  if (step <= 0n) throw new RangeError(`the step must be positive, got ${step}`);
  if (launchRequirement < 0n) throw new RangeError(`the launch requirement cannot be negative (${launchRequirement})`);
  for (const [name, value] of [
    ["from", from],
    ["to", to],
    ["step", step],
  ] as const) {
    if (value % resolution !== 0n) {
      throw new RangeError(`${name} (${value}) must be a multiple of the resolution (${resolution})`);
    }
  }
  if ((to - from) / step + 2n > BigInt(MAX_CURVE_POINTS)) {
    throw new RangeError(`from ${from} to ${to} by ${step} is more than ${MAX_CURVE_POINTS} points`);
  }
  return checked;
}

/** The least requirement at which the subject's promise surely breaks: a node's participants' pools, plus one. */
function surelyBroken(subject: PromiseSubject): bigint {
  let least: bigint | undefined;
  for (const index of subject.candidates) {
    const candidate = subject.model.candidates[index];
    if (candidate === undefined) throw new Error(`internal: no candidate ${index}`);
    // The shares of a node sum to the requirement: above its participants' pools together, one of them is short.
    const pools = candidate.participants.reduce((total, p) => total + (subject.model.pools[p] ?? 0n), 0n);
    if (least === undefined || pools < least) least = pools;
  }
  if (least === undefined) throw new Error(`internal: the ${subject.kind} promise has no node`);
  return least + 1n;
}

function ceilTo(value: bigint, resolution: bigint): bigint {
  return ((value + resolution - 1n) / resolution) * resolution;
}

/** The curve of a worked-out context (see {@link requirementCurve}). */
export function requirementCurveOf(context: AnchorContext, options: CurveOptions = {}): RequirementCurve {
  const { from, to, step, resolution, launchRequirement } = checkOptions(options);
  const cache = new Map<bigint, CurvePoint>();
  const evaluate = (requirement: bigint): CurvePoint => {
    const cached = cache.get(requirement);
    if (cached !== undefined) return cached;
    const runs = new Map<PromiseSubject["model"], boolean[]>();
    const restakedIn = (model: PromiseSubject["model"]): boolean[] => {
      let restaked = runs.get(model);
      if (restaked === undefined) {
        restaked = model.restakedAt(requirement);
        runs.set(model, restaked);
      }
      return restaked;
    };
    const point: CurvePoint = {
      requirement,
      restaked: restakedIn(context.model).filter(Boolean).length,
      solo: promiseKeptAt(context.solo, restakedIn(context.solo.model)),
      multi: promiseKeptAt(context.multi, restakedIn(context.multi.model)),
    };
    cache.set(requirement, point);
    return point;
  };

  const points: CurvePoint[] = [];
  for (let requirement = from; requirement <= to; requirement += step) points.push(evaluate(requirement));
  if (points[points.length - 1]?.requirement !== to) points.push(evaluate(to));

  const holds = (set: PromiseSet, point: CurvePoint): boolean =>
    set === "both" ? point.solo && point.multi : point[set];
  const bound: Record<PromiseKind, bigint> = {
    solo: surelyBroken(context.solo),
    multi: surelyBroken(context.multi),
  };
  const brokenBy = (kind: PromiseKind, requirement: bigint): LargestRequirement["brokenBy"] => {
    const subject = context[kind];
    const restaked = subject.model.restakedAt(requirement);
    const index = subject.candidates.find((candidate) => restaked[candidate] !== true);
    const candidate = index === undefined ? undefined : subject.model.candidates[index];
    if (index === undefined || candidate === undefined) {
      throw new Error(`internal: the ${kind} promise holds at ${requirement}`);
    }
    return {
      kind,
      ed25519: candidate.ed25519,
      hypothetical: subject.basis === "hypothetical",
      shortfalls: subject.model.shortfallsAt(requirement, index),
    };
  };
  const largestFor = (set: PromiseSet): LargestRequirement => {
    const firstBreak = points.findIndex((point) => !holds(set, point));
    let low: bigint;
    let high: bigint;
    if (firstBreak === -1) {
      low = to;
      high = ceilTo(set === "both" ? (bound.solo < bound.multi ? bound.solo : bound.multi) : bound[set], resolution);
    } else {
      low = firstBreak === 0 ? 0n : (points[firstBreak - 1]?.requirement ?? 0n);
      high = points[firstBreak]?.requirement ?? to;
    }
    // At 0 every share is 0 and every candidate is re-staked; past the bound a node's pools cannot cover it.
    if (!holds(set, evaluate(low)) || holds(set, evaluate(high))) {
      throw new Error(`internal: no break of the ${set} promise between ${low} and ${high}`);
    }
    while (high - low > resolution) {
      const middle = low + ((high - low) / resolution / 2n) * resolution;
      if (holds(set, evaluate(middle))) low = middle;
      else high = middle;
    }
    return {
      requirement: low,
      restaked: evaluate(low).restaked,
      breaksAt: high,
      brokenBy: brokenBy(set === "both" ? (evaluate(high).solo ? "multi" : "solo") : set, high),
      keptAgainAt:
        firstBreak === -1
          ? []
          : points
              .slice(firstBreak + 1)
              .filter((point) => holds(set, point))
              .map((point) => point.requirement),
    };
  };
  const largest = { solo: largestFor("solo"), multi: largestFor("multi"), both: largestFor("both") };
  const atLaunch = evaluate(launchRequirement);

  const increases: { from: CurvePoint; to: CurvePoint }[] = [];
  points.forEach((point, index) => {
    const previous = points[index - 1];
    if (previous !== undefined && point.restaked > previous.restaked) increases.push({ from: previous, to: point });
  });
  const subjectNodes = (kind: PromiseKind): number => context[kind].candidates.length;
  return {
    from,
    to,
    step,
    resolution,
    launchRequirement,
    nodes: context.snapshot.nodes.length,
    migratable: context.model.candidates.length,
    basis: { solo: context.solo.basis, multi: context.multi.basis },
    promiseNodes: { solo: subjectNodes("solo"), multi: subjectNodes("multi") },
    points,
    evaluated: [...cache.values()]
      .filter((point) => point.requirement >= from && point.requirement <= to)
      .sort((a, b) => (a.requirement < b.requirement ? -1 : a.requirement > b.requirement ? 1 : 0)),
    atLaunch,
    largest,
    increases,
    evaluations: cache.size,
  };
}

/**
 * Nodes re-staked at each staking requirement from `from` to `to` (default 15,000 to 30,000 SESH every 500), whether
 * each FAQ promise holds there, and the largest requirement that keeps each (and both), to the resolution (default
 * 1 SESH). The snapshot is planned once; each requirement replays only the funding (./funding.ts).
 */
export function requirementCurve(snapshot: Snapshot, options: CurveOptions = {}): RequirementCurve {
  return requirementCurveOf(anchorContext(snapshot), options);
}

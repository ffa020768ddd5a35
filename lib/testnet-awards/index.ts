import { z } from "zod";

import { ATOMS_PER_SESH } from "../amount";
import { splitProRata } from "../bonus";
import { formatIssuePath, InputFileError } from "../errors";
import { ethereumAddress } from "../schema";

/**
 * The testnet incentive (SPEC 3.7): points from testnet activity (registered and active Session Nodes, read from
 * the testnet ServiceNodeRewards events) and referrals, and the campaign's pool split pro rata to them. Pure: no
 * chain, no Hardhat; the events come in as plain decoded records.
 *
 * Points, with R the staking requirement and [S, E] the program window:
 * - a node is active from its `NewServiceNodeV2` until its first `ServiceNodeExit` or `ServiceNodeLiquidated`
 *   (or E when it never leaves); only the part of that span inside [S, E] counts;
 * - each contributor of the node (the operator is `contributors[0]`, credited like any other contributor for its own
 *   stake) earns `stakedAmount / R × active seconds`: a full node over one second is one point;
 * - each valid referral adds `referralBonusPoints` to the referrer. A referral is valid when the referred address
 *   earned node points, is not the referrer, and has not been referred before (the first referral in the list
 *   counts; later ones of the same referred address are rejected).
 *
 * To stay exact, the split works on weights `R × points` = `stakedAmount × seconds + referrals × bonus × R` (atom-
 * seconds), which are proportional to the points; {@link splitProRata} then shares the pool out exactly.
 */

/** The whole testnet incentive: 1,000,000 SESH. */
export const TESTNET_INCENTIVE_POOL = 1_000_000n * ATOMS_PER_SESH;

/** The default bonus of a valid referral: as many points as a full node running for a day. */
export const DEFAULT_REFERRAL_BONUS_POINTS = 86_400n;

/** A whole number given as a bigint, a safe integer or a decimal string (decoders give any of the three). */
const wholeNumber = z.union([z.bigint(), z.int(), z.string()]).transform((value, ctx) => {
  if (typeof value === "string" && !/^\d+$/.test(value)) {
    ctx.addIssue({ code: "custom", message: `"${value}" is not a whole number` });
    return z.NEVER;
  }
  const number = BigInt(value);
  if (number < 0n) {
    ctx.addIssue({ code: "custom", message: `${number} is negative` });
    return z.NEVER;
  }
  return number;
});

const contributorSchema = z.object({
  staker: z.object({ addr: ethereumAddress }),
  stakedAmount: wholeNumber,
});

const eventSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("NewServiceNodeV2"),
    serviceNodeID: wholeNumber,
    contributors: z.array(contributorSchema).min(1, { message: "a node has at least its operator as contributor" }),
    timestamp: wholeNumber,
  }),
  z.object({ kind: z.literal("ServiceNodeExit"), serviceNodeID: wholeNumber, timestamp: wholeNumber }),
  z.object({ kind: z.literal("ServiceNodeLiquidated"), serviceNodeID: wholeNumber, timestamp: wholeNumber }),
]);

const inputSchema = z.strictObject({
  window: z.strictObject({ start: wholeNumber, end: wholeNumber }),
  stakingRequirement: wholeNumber.refine((value) => value > 0n, { message: "must be more than 0" }),
  pool: wholeNumber.optional(),
  referralBonusPoints: wholeNumber.optional(),
  events: z.array(eventSchema),
  referrals: z.array(z.strictObject({ referrer: ethereumAddress, referred: ethereumAddress })),
});

/** The input, as given to {@link computeTestnetAwards} before validation. */
export type TestnetActivityInput = z.input<typeof inputSchema>;
export type TestnetEvent = z.output<typeof eventSchema>;

export type ReferralRejection = "self-referral" | "referred earned no points" | "already referred";

export interface RejectedReferral {
  readonly row: number;
  readonly referrer: string;
  readonly referred: string;
  readonly reason: ReferralRejection;
}

export interface TestnetAwards {
  readonly pool: bigint;
  readonly stakingRequirement: bigint;
  readonly referralBonusPoints: bigint;
  /** Node points per address, as `stakedAmount × seconds` (divide by the requirement for points). */
  readonly nodeWeights: ReadonlyMap<string, bigint>;
  /** Valid referrals per referrer. */
  readonly referrals: ReadonlyMap<string, number>;
  readonly rejectedReferrals: readonly RejectedReferral[];
  /** Split weights per address: node weight + referrals × bonus × requirement. */
  readonly weights: ReadonlyMap<string, bigint>;
  /** SESH atoms per address, only addresses with more than 0; Σ = pool unless nobody earned anything. */
  readonly awards: ReadonlyMap<string, bigint>;
  readonly undistributed: bigint;
}

interface ActiveNode {
  readonly row: number;
  readonly since: bigint;
  readonly contributors: readonly { readonly addr: string; readonly stakedAmount: bigint }[];
}

function add(map: Map<string, bigint>, key: string, value: bigint): void {
  map.set(key, (map.get(key) ?? 0n) + value);
}

/** Seconds of [from, to] inside [start, end]. */
function overlap(from: bigint, to: bigint, start: bigint, end: bigint): bigint {
  const low = from > start ? from : start;
  const high = to < end ? to : end;
  return high > low ? high - low : 0n;
}

/**
 * Replays the node events in time order (events of the same second in the order given, as in a log) and returns
 * `stakedAmount × active seconds in the window` per address. Problems (a node registered twice while active, an
 * exit of a node never registered) are collected into `problems`.
 */
function nodeWeights(
  events: readonly TestnetEvent[],
  start: bigint,
  end: bigint,
  problems: string[],
): Map<string, bigint> {
  const weights = new Map<string, bigint>();
  const active = new Map<bigint, ActiveNode>();
  const ended = new Set<bigint>();
  const credit = (node: ActiveNode, until: bigint): void => {
    const seconds = overlap(node.since, until, start, end);
    for (const contributor of node.contributors) add(weights, contributor.addr, contributor.stakedAmount * seconds);
  };
  const order = events.map((event, row) => ({ event, row }));
  order.sort((a, b) => (a.event.timestamp < b.event.timestamp ? -1 : a.event.timestamp > b.event.timestamp ? 1 : 0));
  for (const { event, row } of order) {
    const id = event.serviceNodeID;
    if (event.kind === "NewServiceNodeV2") {
      const running = active.get(id);
      if (running !== undefined) {
        problems.push(`events[${row}]: node ${id} is registered again while active since events[${running.row}]`);
        continue;
      }
      const contributors = event.contributors.map((c) => ({ addr: c.staker.addr, stakedAmount: c.stakedAmount }));
      active.set(id, { row, since: event.timestamp, contributors });
      ended.delete(id);
      continue;
    }
    const node = active.get(id);
    if (node === undefined) {
      // A liquidation emits ServiceNodeLiquidated then ServiceNodeExit: the second ends nothing more.
      if (!ended.has(id)) problems.push(`events[${row}]: ${event.kind} of node ${id}, which was never registered`);
      continue;
    }
    credit(node, event.timestamp);
    active.delete(id);
    ended.add(id);
  }
  for (const node of active.values()) credit(node, end);
  return weights;
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`);
}

/**
 * Validates the testnet activity (window, staking requirement, events, referrals; optional pool, default
 * {@link TESTNET_INCENTIVE_POOL}, and referral bonus, default {@link DEFAULT_REFERRAL_BONUS_POINTS}) and computes
 * each address's award. Throws an {@link InputFileError} naming `source` and every problem.
 */
export function computeTestnetAwards(input: unknown, source = "testnet activity"): TestnetAwards {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) throw new InputFileError(source, describeIssues(parsed.error));
  const data = parsed.data;
  const { start, end } = data.window;
  const problems: string[] = [];
  if (end <= start) problems.push(`window: the end (${end}) must be after the start (${start})`);
  const fromNodes = nodeWeights(data.events, start, end, problems);
  if (problems.length > 0) throw new InputFileError(source, problems);

  const pool = data.pool ?? TESTNET_INCENTIVE_POOL;
  const referralBonusPoints = data.referralBonusPoints ?? DEFAULT_REFERRAL_BONUS_POINTS;
  const requirement = data.stakingRequirement;

  const referrals = new Map<string, number>();
  const rejectedReferrals: RejectedReferral[] = [];
  const referredAlready = new Set<string>();
  data.referrals.forEach(({ referrer, referred }, row) => {
    const reject = (reason: ReferralRejection): void => {
      rejectedReferrals.push({ row, referrer, referred, reason });
    };
    const key = referred.toLowerCase();
    if (referrer.toLowerCase() === key) reject("self-referral");
    else if ((fromNodes.get(referred) ?? 0n) === 0n) reject("referred earned no points");
    else if (referredAlready.has(key)) reject("already referred");
    else {
      referredAlready.add(key);
      referrals.set(referrer, (referrals.get(referrer) ?? 0) + 1);
    }
  });

  const weights = new Map<string, bigint>();
  for (const [account, weight] of fromNodes) if (weight > 0n) weights.set(account, weight);
  for (const [referrer, count] of referrals) add(weights, referrer, BigInt(count) * referralBonusPoints * requirement);

  const split = splitProRata(pool, weights);
  const awards = new Map<string, bigint>();
  let distributed = 0n;
  for (const [account, amount] of split) {
    if (amount > 0n) awards.set(account, amount);
    distributed += amount;
  }
  return {
    pool,
    stakingRequirement: requirement,
    referralBonusPoints,
    nodeWeights: fromNodes,
    referrals,
    rejectedReferrals,
    weights,
    awards,
    undistributed: pool - distributed,
  };
}

/** The awards as an awards file for `distribution:build` (amounts and total in atoms, as decimal strings). */
export function toAwardsFile(result: TestnetAwards): { total: string; awards: { account: string; amount: string }[] } {
  const awards = [...result.awards].map(([account, amount]) => ({ account, amount: amount.toString() }));
  const total = [...result.awards.values()].reduce((sum, amount) => sum + amount, 0n);
  return { total: total.toString(), awards };
}

import type { Contribution, Snapshot, SnapshotParameters, Wallet } from "../snapshot/schema";

/**
 * The Service Node Bonus (SPEC section 4, last paragraph): `parameters.bonusPool` SESH atoms split pro rata to
 * points, where a registered wallet's points are the OXEN atoms it staked times the seconds they stayed staked
 * within its accrual window. Pure: no chain, no Hardhat.
 */

const MILLISECONDS_PER_SECOND = 1_000;

/** A date as whole Unix seconds (rounded down), refusing an invalid Date rather than computing with NaN. */
function unixSeconds(date: Date, what: string): number {
  const milliseconds = date.getTime();
  if (Number.isNaN(milliseconds)) throw new RangeError(`${what} is not a valid date`);
  return Math.floor(milliseconds / MILLISECONDS_PER_SECOND);
}

/** The bonus dates of the parameters as whole Unix seconds, worked out once per snapshot. */
interface AccrualDates {
  readonly snapshotTime: number;
  readonly backdateFrom: number;
  readonly backdateDeadline: number;
}

function accrualDates(parameters: SnapshotParameters): AccrualDates {
  return {
    snapshotTime: unixSeconds(parameters.snapshotTime, "snapshotTime"),
    backdateFrom: unixSeconds(parameters.bonusBackdateFrom, "bonusBackdateFrom"),
    backdateDeadline: unixSeconds(parameters.bonusBackdateDeadline, "bonusBackdateDeadline"),
  };
}

function pointsOf(contribution: Contribution, wallet: Wallet, dates: AccrualDates): bigint {
  if (contribution.oxenAddress !== wallet.oxenAddress) {
    throw new Error(`the contribution of ${contribution.oxenAddress} was paired with the wallet ${wallet.oxenAddress}`);
  }
  if (wallet.ethereumAddress === null) return 0n;
  if (wallet.registeredAt === null) {
    throw new Error(`wallet ${wallet.oxenAddress} has an Ethereum address but no registration date`);
  }
  // Wallets registered before the backdating deadline accrue from `bonusBackdateFrom` (even if they registered
  // after it), later registrants from their registration; nobody before the participation's own start.
  const registered = unixSeconds(wallet.registeredAt, "the registration date");
  const floor = registered < dates.backdateDeadline ? dates.backdateFrom : registered;
  const start = Math.max(unixSeconds(contribution.since, "contribution.since"), floor);
  const end =
    contribution.until === null
      ? dates.snapshotTime
      : Math.min(unixSeconds(contribution.until, "contribution.until"), dates.snapshotTime);
  return end > start ? contribution.amount * BigInt(end - start) : 0n;
}

/**
 * The points one contribution earns its wallet: amount × max(0, end − start) in OXEN atoms × seconds, where
 * start = max(contribution.since, B) with B = bonusBackdateFrom for a wallet registered before
 * bonusBackdateDeadline and its registration date otherwise, and end = min(contribution.until ?? snapshot time,
 * snapshot time). An unregistered wallet (no Ethereum address) earns nothing, in any node state.
 */
export function contributionPoints(contribution: Contribution, wallet: Wallet, parameters: SnapshotParameters): bigint {
  return pointsOf(contribution, wallet, accrualDates(parameters));
}

/**
 * Points per Ethereum address (as the snapshot holds it: lowercase hex), only addresses with points > 0. The Oxen addresses registered to one
 * Ethereum address pool their points under it; a contribution whose Oxen address has no wallet in the snapshot is
 * unregistered and earns nothing. The map is in order of each address's first contribution with points.
 */
export function bonusPoints(snapshot: Snapshot): Map<string, bigint> {
  const walletOf = new Map<string, Wallet>();
  for (const wallet of snapshot.wallets) {
    if (walletOf.has(wallet.oxenAddress)) {
      throw new Error(`wallet ${wallet.oxenAddress} appears more than once in the snapshot`);
    }
    walletOf.set(wallet.oxenAddress, wallet);
  }
  const dates = accrualDates(snapshot.parameters);
  const points = new Map<string, bigint>();
  for (const node of snapshot.nodes) {
    for (const contribution of node.contributions) {
      const wallet = walletOf.get(contribution.oxenAddress);
      if (wallet === undefined || wallet.ethereumAddress === null) continue;
      const earned = pointsOf(contribution, wallet, dates);
      if (earned > 0n) points.set(wallet.ethereumAddress, (points.get(wallet.ethereumAddress) ?? 0n) + earned);
    }
  }
  return points;
}

interface Remainder {
  readonly key: string;
  readonly lowercase: string;
  readonly remainder: bigint;
}

/** Largest remainder first; equal remainders by lowercase key ascending (code units: byte-wise for hex), then key. */
function byLargestRemainder(a: Remainder, b: Remainder): number {
  if (a.remainder !== b.remainder) return a.remainder > b.remainder ? -1 : 1;
  if (a.lowercase !== b.lowercase) return a.lowercase < b.lowercase ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * Largest-remainder split of `total` pro rata to `weights` (weights ≥ 0); sums exactly to total when Σ weights > 0.
 * Each key first gets floor(total × weight / Σ weights); the atoms this leaves over (fewer than the number of keys)
 * go one each to the largest remainders, ties broken by key (lowercase, ascending) so that the result does not
 * depend on the map's order. Every key of `weights` is in the result, in the same order; when Σ weights = 0 every
 * award is 0.
 */
export function splitProRata(total: bigint, weights: ReadonlyMap<string, bigint>): Map<string, bigint> {
  if (total < 0n) throw new RangeError(`cannot split a negative total (${total})`);
  let weightSum = 0n;
  for (const [key, weight] of weights) {
    if (weight < 0n) throw new RangeError(`the weight of ${key} is negative (${weight})`);
    weightSum += weight;
  }
  const awards = new Map<string, bigint>();
  if (weightSum === 0n) {
    for (const key of weights.keys()) awards.set(key, 0n);
    return awards;
  }
  let leftover = total;
  const remainders: Remainder[] = [];
  for (const [key, weight] of weights) {
    const scaled = total * weight;
    const award = scaled / weightSum;
    const remainder = scaled % weightSum;
    awards.set(key, award);
    leftover -= award;
    if (remainder > 0n) remainders.push({ key, lowercase: key.toLowerCase(), remainder });
  }
  // Σ remainders = leftover × Σ weights and each remainder < Σ weights, so more keys have a remainder than there
  // are leftover atoms: each of them gets at most one.
  if (leftover > BigInt(remainders.length)) {
    throw new Error(`internal error: ${leftover} atoms left over for ${remainders.length} remainders`);
  }
  remainders.sort(byLargestRemainder);
  for (const { key } of remainders.slice(0, Number(leftover))) awards.set(key, (awards.get(key) ?? 0n) + 1n);
  return awards;
}

export interface BonusResult {
  readonly pool: bigint;
  readonly totalPoints: bigint;
  readonly points: ReadonlyMap<string, bigint>;
  /** SESH atoms per Ethereum address; Σ = pool when totalPoints > 0. */
  readonly awards: ReadonlyMap<string, bigint>;
  readonly undistributed: bigint;
}

/**
 * The Service Node Bonus of a validated snapshot: points per Ethereum address and the pool split pro rata to them.
 * When nobody has points, nobody gets anything and the whole pool is undistributed.
 */
export function computeBonus(snapshot: Snapshot): BonusResult {
  const pool = snapshot.parameters.bonusPool;
  const points = bonusPoints(snapshot);
  let totalPoints = 0n;
  for (const value of points.values()) totalPoints += value;
  if (totalPoints === 0n) return { pool, totalPoints, points, awards: new Map(), undistributed: pool };
  const awards = splitProRata(pool, points);
  return { pool, totalPoints, points, awards, undistributed: 0n };
}

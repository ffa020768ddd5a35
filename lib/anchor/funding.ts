import type { MigrationPlan } from "../migration/plan";
import type { ServiceNode, Snapshot } from "../snapshot/schema";

/**
 * A replay of the planner's rules 3 and 4 (SPEC section 4) at any staking requirement, for the Anchor analysis: the
 * pools and the nodes that can migrate at all (rules 1 and 2) do not depend on the requirement, so they are taken
 * from one run of `planMigration`, and only the funding loop (shares, oldest first, deduct or disband) is run again
 * for each requirement. That loop is a few thousand bigint operations for Oxen's 2,000 nodes, where a whole plan
 * (bonus, pools, input hash) takes most of a second.
 *
 * The replay computes exactly what `planMigration`'s `sharesOf` and funding loop do; {@link fundingModel} checks
 * that it re-stakes the plan's own nodes at the plan's requirement before it returns, and the tests compare it with
 * the planner at other requirements.
 */

/** One contribution of a participant other than the operator: floored on its own (rule 3). */
interface OtherContribution {
  readonly participant: number;
  readonly amount: bigint;
}

/** A node that passed rule 2 (a re-staking candidate), in the planner's funding order. */
export interface FundingCandidate {
  readonly ed25519: string;
  /** The node's OXEN stake in atoms: the denominator of every share. */
  readonly stake: bigint;
  /** The operator's participant index (its Ethereum address in {@link FundingModel.addresses}). */
  readonly operator: number;
  /** Every participant's index, the operator first, each once. */
  readonly participants: readonly number[];
  /** The contributions of the other participants, one entry per Oxen address. */
  readonly others: readonly OtherContribution[];
}

export interface FundingModel {
  /** The Ethereum address of each participant index. */
  readonly addresses: readonly string[];
  /** Each participant's whole pool in SESH atoms (converted stakes and rewards plus bonus), as the plan has it. */
  readonly pools: readonly bigint[];
  /** The nodes that can migrate, in funding order. */
  readonly candidates: readonly FundingCandidate[];
  /** The participant index of an Ethereum address, if it has a pool. */
  indexOf(ethereumAddress: string): number | undefined;
  /** For each candidate (same order), whether the planner re-stakes it at `requirement` SESH atoms. */
  restakedAt(requirement: bigint): boolean[];
  /**
   * Why candidate `index` is disbanded at `requirement`: each participant whose remaining pool at its turn is short
   * of its share (empty when it is re-staked), as the planner's `insufficient-pool` detail says it.
   */
  shortfallsAt(requirement: bigint, index: number): Shortfall[];
}

/** A participant short of its share at a node's turn. */
export interface Shortfall {
  readonly ethereumAddress: string;
  /** SESH atoms it owes the node. */
  readonly owed: bigint;
  /** SESH atoms left in its pool at the node's turn. */
  readonly available: bigint;
}

/** Funding order, as the planner's: registration height, then the ed25519 key (equal-length hex as numbers). */
function byFundingOrder(a: ServiceNode, b: ServiceNode): number {
  return a.registrationHeight - b.registrationHeight || (a.ed25519 < b.ed25519 ? -1 : a.ed25519 > b.ed25519 ? 1 : 0);
}

/**
 * Rule 3 for one candidate: what each participant owes at `requirement`, by participant index, the operator first.
 * Each other contribution owes floor(amount × requirement / stake), a participant the sum over its Oxen addresses,
 * and the operator the rest, so the shares sum to the requirement. (The planner leaves out a share that rounds to 0;
 * a zero share is always covered, so keeping it changes no decision.)
 */
export function sharesAt(candidate: FundingCandidate, requirement: bigint): Map<number, bigint> {
  const shares = new Map<number, bigint>([[candidate.operator, 0n]]);
  let owedByOthers = 0n;
  for (const { participant, amount } of candidate.others) {
    const share = (requirement * amount) / candidate.stake;
    shares.set(participant, (shares.get(participant) ?? 0n) + share);
    owedByOthers += share;
  }
  shares.set(candidate.operator, requirement - owedByOthers);
  return shares;
}

/**
 * The funding model of `snapshot`, built from `plan` (its `planMigration`, at any requirement): pools from
 * `plan.pools`, candidates from the nodes the plan re-staked or disbanded as `insufficient-pool` (the only reason
 * decided at funding time). Throws if the replay does not re-stake exactly the plan's nodes at the plan's own
 * requirement, which would mean the planner's rules changed under this module.
 */
export function fundingModel(snapshot: Snapshot, plan: MigrationPlan): FundingModel {
  const addresses: string[] = [];
  const pools: bigint[] = [];
  const index = new Map<string, number>();
  for (const pool of plan.pools) {
    index.set(pool.ethereumAddress, addresses.length);
    addresses.push(pool.ethereumAddress);
    pools.push(pool.total);
  }
  const participantOf = (ethereumAddress: string | null | undefined, where: string): number => {
    const found = ethereumAddress == null ? undefined : index.get(ethereumAddress);
    if (found === undefined) throw new Error(`internal: ${where} has no pool in the plan`);
    return found;
  };

  const candidateKeys = new Set(plan.restaked.map((node) => node.ed25519));
  for (const node of plan.disbanded) if (node.reason === "insufficient-pool") candidateKeys.add(node.ed25519);
  const ethereumOf = new Map(snapshot.wallets.map((wallet) => [wallet.oxenAddress, wallet.ethereumAddress]));

  const candidates: FundingCandidate[] = [];
  for (const node of [...snapshot.nodes].sort(byFundingOrder)) {
    if (!candidateKeys.has(node.ed25519)) continue;
    const operator = participantOf(ethereumOf.get(node.operator), `the operator of ${node.ed25519}`);
    const participants = [operator];
    const others: OtherContribution[] = [];
    for (const contribution of node.contributions) {
      const participant = participantOf(ethereumOf.get(contribution.oxenAddress), `a contributor of ${node.ed25519}`);
      if (!participants.includes(participant)) participants.push(participant);
      if (participant !== operator) others.push({ participant, amount: contribution.amount });
    }
    candidates.push({ ed25519: node.ed25519, stake: node.stake, operator, participants, others });
  }

  /** Funds candidates in order up to `last` (all by default); `visit` sees each one's shares and what is left. */
  const fund = (
    requirement: bigint,
    last: number,
    visit?: (index: number, shares: Map<number, bigint>, remaining: readonly bigint[]) => void,
  ): boolean[] => {
    if (requirement < 0n) throw new RangeError(`the staking requirement cannot be negative (${requirement})`);
    const remaining = [...pools];
    return candidates.slice(0, last + 1).map((candidate, index) => {
      const shares = sharesAt(candidate, requirement);
      visit?.(index, shares, remaining);
      for (const [participant, owed] of shares) if ((remaining[participant] ?? 0n) < owed) return false;
      for (const [participant, owed] of shares) remaining[participant] = (remaining[participant] ?? 0n) - owed;
      return true;
    });
  };
  const restakedAt = (requirement: bigint): boolean[] => fund(requirement, candidates.length - 1);
  const shortfallsAt = (requirement: bigint, index: number): Shortfall[] => {
    if (!Number.isInteger(index) || index < 0 || index >= candidates.length) {
      throw new RangeError(`no candidate ${index} (there are ${candidates.length})`);
    }
    const short: Shortfall[] = [];
    fund(requirement, index, (visited, shares, remaining) => {
      if (visited !== index) return;
      for (const [participant, owed] of shares) {
        const available = remaining[participant] ?? 0n;
        const ethereumAddress = addresses[participant] ?? "";
        if (available < owed) short.push({ ethereumAddress, owed, available });
      }
    });
    return short;
  };

  const model: FundingModel = {
    addresses,
    pools,
    candidates,
    indexOf: (ethereumAddress) => index.get(ethereumAddress),
    restakedAt,
    shortfallsAt,
  };
  const replayed = restakedAt(plan.parameters.stakingRequirement);
  const planned = plan.restaked.map((node) => node.ed25519);
  const replayedKeys = candidates.filter((_, i) => replayed[i]).map((candidate) => candidate.ed25519);
  if (replayedKeys.length !== planned.length || replayedKeys.some((key, i) => key !== planned[i])) {
    throw new Error(
      `internal: the funding replay re-stakes ${replayedKeys.length} nodes at ` +
        `${plan.parameters.stakingRequirement} atoms where the plan re-stakes ${planned.length}`,
    );
  }
  return model;
}

import { createHash } from "node:crypto";

import { formatOxen, formatSesh, sumAmounts } from "../amount";
import { computeBonus } from "../bonus";
import {
  AWAITING_CONTRIBUTIONS,
  type NodeState,
  type ServiceNode,
  type Snapshot,
  type SnapshotParameters,
} from "../snapshot/schema";

/**
 * Gas of `seedPublicKeyList` as the rewards contract stores a node: a batch costs `perBatch`, plus `perNode` for
 * each node, plus, for a node of more than one contributor, `perContributor` for each of its contributors (a solo
 * node is stored as its operator with the whole deposit, in the node's own slots; a shared node adds a slot of stake
 * for every contributor after the operator and one for every beneficiary that is not its staker).
 */
export interface SeedGasModel {
  /** The fixed cost of a seeding transaction (the first batch's: the aggregate key and the list written from 0). */
  readonly perBatch: bigint;
  /** The marginal cost of a solo node. */
  readonly perNode: bigint;
  /** The marginal cost of each contributor of a shared node, with a beneficiary of its own. */
  readonly perContributor: bigint;
}

/**
 * Measured on ServiceNodeRewards by scripts/gasRewards.ts (`measureSeedingGas`; `npm run bench:rewards` prints the
 * figures), each rounded up to the next 1,000 after a 5 % margin: a first batch's fixed cost 85,074 (→ 90,000), a
 * solo node's marginal 145,312 (→ 153,000), and (600,147 − 145,312) / 10 = 45,484 per contributor of a 10-contributor
 * node with distinct beneficiaries (→ 48,000). A shared node stores one stake slot per contributor after the
 * operator, so counting every contributor, as the model does, overestimates it slightly: the model never falls
 * below the measured cost.
 */
export const DEFAULT_SEED_GAS: SeedGasModel = { perBatch: 90_000n, perNode: 153_000n, perContributor: 48_000n };

/** The gas a node of `contributors` contributors adds to a seed batch under `model`. */
export function seedNodeGas(model: SeedGasModel, contributors: number): bigint {
  return model.perNode + (contributors > 1 ? model.perContributor * BigInt(contributors) : 0n);
}

/** Default gas budget of one seed batch: Arbitrum's 32,000,000 block gas limit less a 2,000,000 margin. */
export const DEFAULT_SEED_GAS_BUDGET = 30_000_000n;

export interface PlanOptions {
  /** Gas one `seedPublicKeyList` transaction may use. */
  readonly gasBudget?: bigint;
  readonly seedGas?: SeedGasModel;
}

export const PLAN_FORMAT = "session-migration-plan/1";

/** A participant of a node as the contract sees it: one Ethereum address, its Oxen addresses merged. */
export interface Contributor {
  readonly ethereumAddress: string;
  /** SESH atoms this participant stakes in the re-staked node. */
  readonly amount: bigint;
}

/** A node re-staked at Landing, in the form `seedPublicKeyList` takes (operator first). */
export interface RestakedNode {
  readonly ed25519: string;
  readonly bls: { readonly X: bigint; readonly Y: bigint };
  readonly registrationHeight: number;
  /** The node's Oxen registration time in Unix seconds: its `addedTimestamp`. */
  readonly addedTimestamp: number;
  readonly operatorFee: number;
  readonly contributors: readonly Contributor[];
}

/**
 * Why a node is disbanded, in the order the planner checks (the first that applies is reported): its state
 * (`deregistered`, `unlocking`, `not-fully-funded` for a node still awaiting contributions: one state field, so at
 * most one of them applies), then `missing-bls-key`, `unregistered-participant`, and last, at its turn in the funding
 * order, `insufficient-pool`.
 */
export type DisbandReason =
  | "deregistered"
  | "unlocking"
  | "not-fully-funded"
  | "missing-bls-key"
  | "unregistered-participant"
  | "insufficient-pool";

export interface DisbandedNode {
  readonly ed25519: string;
  readonly registrationHeight: number;
  readonly reason: DisbandReason;
  /** For people: who is unregistered, or who was short of SESH and by how much. */
  readonly detail: string;
}

/** What one Ethereum address brings to the migration and what becomes of it. */
export interface Pool {
  readonly ethereumAddress: string;
  readonly oxenAddresses: readonly string[];
  /** OXEN atoms staked in nodes that are neither unlocking nor deregistered (partly funded ones included). */
  readonly stakedOxen: bigint;
  readonly unpaidRewardsOxen: bigint;
  /**
   * SESH atoms: the sum of floor(OXEN atoms × numerator / denominator) over each contribution counted in
   * `stakedOxen` and each wallet's unpaid rewards, every one converted on its own (as the Oxen node software did).
   */
  readonly convertedSesh: bigint;
  readonly bonusSesh: bigint;
  readonly total: bigint;
  readonly restaked: bigint;
  readonly credited: bigint;
}

/** OXEN that goes back to an Oxen address instead of migrating (its owner can use the claims bridge). */
export interface Unlock {
  readonly oxenAddress: string;
  readonly amount: bigint;
  /** Nodes whose stake unlocks, and "unpaid rewards" for an unregistered wallet's rewards. */
  readonly sources: readonly string[];
}

export interface SeedBatch {
  readonly nodes: readonly string[];
  readonly contributors: number;
  readonly estimatedGas: bigint;
}

export interface PlanTotals {
  readonly pools: bigint;
  readonly converted: bigint;
  readonly bonus: bigint;
  readonly bonusUndistributed: bigint;
  readonly restaked: bigint;
  readonly credited: bigint;
  readonly unlockedOxen: bigint;
  readonly restakedNodes: number;
  readonly disbandedNodes: number;
}

export interface MigrationPlan {
  readonly format: typeof PLAN_FORMAT;
  /** sha256 of the canonical form of the snapshot: the same for any order of its rows. */
  readonly inputHash: string;
  readonly anchor: { readonly height: number; readonly time: Date };
  readonly parameters: SnapshotParameters & { readonly gasBudget: bigint; readonly seedGas: SeedGasModel };
  readonly restaked: readonly RestakedNode[];
  readonly seedBatches: readonly SeedBatch[];
  readonly disbanded: readonly DisbandedNode[];
  readonly pools: readonly Pool[];
  readonly credits: readonly { readonly ethereumAddress: string; readonly amount: bigint }[];
  readonly unlocks: readonly Unlock[];
  readonly totals: PlanTotals;
}

/** Rows hashed per update of the input hash. */
const HASH_CHUNK_LINES = 4_096;

/** States of a node whose registered participants' stake counts in their pools (rule 1). */
const POOLED_STATES = new Set<NodeState>(["active", "decommissioned", AWAITING_CONTRIBUTIONS]);

/** Code-unit order of strings: Oxen addresses are case-sensitive base58, Ethereum addresses arrive checksummed. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Funding order: registration height, then the ed25519 key as a number (equal-length hex compares as numbers). */
function byFundingOrder(a: ServiceNode, b: ServiceNode): number {
  return a.registrationHeight - b.registrationHeight || byText(a.ed25519, b.ed25519);
}

/**
 * sha256 over the snapshot in a canonical order (wallets by Oxen address, nodes by ed25519 key, contributions by
 * address and start), one line per row: the same for any order of the file's rows, and quick on large snapshots.
 */
function inputHash(snapshot: Snapshot): string {
  const hash = createHash("sha256");
  const time = (date: Date | null): string => (date === null ? "-" : String(date.getTime()));
  const { anchor, parameters } = snapshot;
  // Lines are hashed in chunks: one update per row would cost more than the hashing itself.
  let chunk: string[] = [];
  const line = (text: string): void => {
    chunk.push(text);
    if (chunk.length === HASH_CHUNK_LINES) {
      hash.update(chunk.join(""));
      chunk = [];
    }
  };
  line(
    [
      snapshot.format,
      anchor.height,
      time(anchor.time),
      parameters.stakeConversion.numerator,
      parameters.stakeConversion.denominator,
      parameters.bonusPool,
      parameters.stakingRequirement,
      parameters.maxContributors,
      time(parameters.snapshotTime),
      time(parameters.bonusBackdateFrom),
      time(parameters.bonusBackdateDeadline),
    ].join("|") + "\n",
  );
  for (const wallet of [...snapshot.wallets].sort((a, b) => byText(a.oxenAddress, b.oxenAddress))) {
    line(
      `w|${wallet.oxenAddress}|${wallet.ethereumAddress ?? "-"}|${time(wallet.registeredAt)}|${wallet.unpaidRewards}\n`,
    );
  }
  for (const node of [...snapshot.nodes].sort((a, b) => byText(a.ed25519, b.ed25519))) {
    const bls = node.bls === null ? "-" : `${node.bls.X},${node.bls.Y}`;
    line(
      `n|${node.ed25519}|${bls}|${node.registrationHeight}|${time(node.registeredAt)}|${node.operator}|` +
        `${node.operatorFee}|${node.state}|${node.stake}\n`,
    );
    const contributions = [...node.contributions].sort(
      (a, b) => byText(a.oxenAddress, b.oxenAddress) || a.since.getTime() - b.since.getTime(),
    );
    for (const contribution of contributions) {
      line(
        `c|${contribution.oxenAddress}|${contribution.amount}|${time(contribution.since)}|${time(contribution.until)}\n`,
      );
    }
  }
  hash.update(chunk.join(""));
  return `0x${hash.digest("hex")}`;
}

interface MutablePool {
  ethereumAddress: string;
  oxenAddresses: string[];
  stakedOxen: bigint;
  unpaidRewardsOxen: bigint;
  bonusSesh: bigint;
  convertedSesh: bigint;
  remaining: bigint;
}

/** Who takes part in a node: its operator, its registered contributions and its unregistered Oxen addresses. */
interface NodeParticipants {
  /** The operator's Ethereum address, null when the operator is unregistered. */
  readonly operator: string | null;
  /** Each contribution of a registered Oxen address, with the Ethereum address it registered. */
  readonly registered: readonly { readonly ethereumAddress: string; readonly amount: bigint }[];
  readonly unregistered: readonly string[];
}

/**
 * Plans the Landing migration from a validated Anchor snapshot (SPEC section 4): pools per Ethereum address
 * (each contribution and each wallet's unpaid rewards converted and rounded down on its own, as the Oxen node
 * software did), nodes re-staked oldest first while every participant's pool covers its share (floored per
 * contribution, the operator taking the shortfall), the rest disbanded with a reason (a partly funded node as
 * `not-fully-funded`, its registered participants' stake kept in their pools), what is left credited, and the OXEN
 * that unlocks. Deterministic: the same snapshot, in any row order,
 * gives the same plan. Conservation (Σ pools = Σ re-staked + Σ credited) is checked before it returns.
 */
export function planMigration(snapshot: Snapshot, options: PlanOptions = {}): MigrationPlan {
  const parameters = snapshot.parameters;
  const gasBudget = options.gasBudget ?? DEFAULT_SEED_GAS_BUDGET;
  const seedGas = options.seedGas ?? DEFAULT_SEED_GAS;
  const requirement = parameters.stakingRequirement;
  const { numerator, denominator } = parameters.stakeConversion;
  /** Rule 1: OXEN atoms to SESH atoms, rounded down; applied to each contribution and each wallet's rewards alone. */
  const convert = (oxen: bigint): bigint => (oxen * numerator) / denominator;
  const ethereumOf = new Map<string, string | null>();
  for (const wallet of snapshot.wallets) ethereumOf.set(wallet.oxenAddress, wallet.ethereumAddress);

  // Rule 1: one pool per registered Ethereum address.
  const pools = new Map<string, MutablePool>();
  const poolOf = (ethereumAddress: string): MutablePool => {
    let pool = pools.get(ethereumAddress);
    if (pool === undefined) {
      pool = {
        ethereumAddress,
        oxenAddresses: [],
        stakedOxen: 0n,
        unpaidRewardsOxen: 0n,
        bonusSesh: 0n,
        convertedSesh: 0n,
        remaining: 0n,
      };
      pools.set(ethereumAddress, pool);
    }
    return pool;
  };
  const unlocks = new Map<string, { amount: bigint; sources: string[] }>();
  const unlock = (oxenAddress: string, amount: bigint, source: string): void => {
    const entry = unlocks.get(oxenAddress) ?? { amount: 0n, sources: [] };
    entry.amount += amount;
    entry.sources.push(source);
    unlocks.set(oxenAddress, entry);
  };

  for (const wallet of snapshot.wallets) {
    if (wallet.ethereumAddress === null) {
      if (wallet.unpaidRewards > 0n) unlock(wallet.oxenAddress, wallet.unpaidRewards, "unpaid rewards");
      continue;
    }
    const pool = poolOf(wallet.ethereumAddress);
    pool.oxenAddresses.push(wallet.oxenAddress);
    pool.unpaidRewardsOxen += wallet.unpaidRewards;
    pool.convertedSesh += convert(wallet.unpaidRewards);
  }
  const bonus = computeBonus(snapshot);
  for (const [ethereumAddress, award] of bonus.awards) poolOf(ethereumAddress).bonusSesh += award;

  // Rule 2: which nodes can migrate at all; the others are disbanded now.
  const disbanded: DisbandedNode[] = [];
  const candidates: {
    node: ServiceNode;
    bls: NonNullable<ServiceNode["bls"]>;
    operator: string;
    registered: NodeParticipants["registered"];
  }[] = [];
  for (const node of [...snapshot.nodes].sort(byFundingOrder)) {
    const participants = participantsOf(node, ethereumOf);
    const pooled = POOLED_STATES.has(node.state);
    let contributed = 0n;
    for (const contribution of node.contributions) {
      const ethereumAddress = ethereumOf.get(contribution.oxenAddress) ?? null;
      contributed += contribution.amount;
      if (!pooled || ethereumAddress === null) {
        unlock(contribution.oxenAddress, contribution.amount, node.ed25519);
      } else {
        const pool = poolOf(ethereumAddress);
        pool.stakedOxen += contribution.amount;
        pool.convertedSesh += convert(contribution.amount);
      }
    }
    const reject = (reason: DisbandReason, detail: string): void => {
      disbanded.push({ ed25519: node.ed25519, registrationHeight: node.registrationHeight, reason, detail });
    };
    const { operator } = participants;
    // The node's own state first (see DisbandReason): a node that is not a fully funded, staying service node
    // cannot migrate, whatever its keys and participants.
    if (!pooled) reject(node.state === "unlocking" ? "unlocking" : "deregistered", `node is ${node.state}`);
    else if (node.state === AWAITING_CONTRIBUTIONS) {
      reject(
        "not-fully-funded",
        `awaiting contributions: ${formatOxen(contributed)} of ${formatOxen(node.stake)} staked`,
      );
    } else if (node.bls === null) reject("missing-bls-key", "node never registered a BLS key");
    else if (operator === null || participants.unregistered.length > 0) {
      reject("unregistered-participant", `not registered: ${participants.unregistered.join(", ")}`);
    } else candidates.push({ node, bls: node.bls, operator, registered: participants.registered });
  }

  for (const pool of pools.values()) pool.remaining = pool.convertedSesh + pool.bonusSesh;

  // Rules 3 and 4: shares, funded oldest first while every participant's remaining pool covers its share.
  const restaked: RestakedNode[] = [];
  for (const { node, bls, operator, registered } of candidates) {
    const shares = sharesOf(registered, operator, node.stake, requirement);
    const short = [...shares]
      .map(([ethereumAddress, owed]) => ({ ethereumAddress, owed, available: poolOf(ethereumAddress).remaining }))
      .filter((entry) => entry.available < entry.owed);
    if (short.length > 0) {
      disbanded.push({
        ed25519: node.ed25519,
        registrationHeight: node.registrationHeight,
        reason: "insufficient-pool",
        detail: short
          .map(
            (entry) =>
              `${entry.ethereumAddress} owes ${formatSesh(entry.owed)} but has ${formatSesh(entry.available)} left`,
          )
          .join("; "),
      });
      continue;
    }
    for (const [ethereumAddress, owed] of shares) poolOf(ethereumAddress).remaining -= owed;
    restaked.push({
      ed25519: node.ed25519,
      bls,
      registrationHeight: node.registrationHeight,
      addedTimestamp: Math.floor(node.registeredAt.getTime() / 1000),
      operatorFee: node.operatorFee,
      contributors: [...shares].map(([ethereumAddress, amount]) => ({ ethereumAddress, amount })),
    });
  }

  // Rule 5: what is left is credited.
  const poolList: Pool[] = [...pools.values()]
    .sort((a, b) => byText(a.ethereumAddress, b.ethereumAddress))
    .map((pool) => {
      const total = pool.convertedSesh + pool.bonusSesh;
      return {
        ethereumAddress: pool.ethereumAddress,
        oxenAddresses: [...pool.oxenAddresses].sort(byText),
        stakedOxen: pool.stakedOxen,
        unpaidRewardsOxen: pool.unpaidRewardsOxen,
        convertedSesh: pool.convertedSesh,
        bonusSesh: pool.bonusSesh,
        total,
        restaked: total - pool.remaining,
        credited: pool.remaining,
      };
    });
  const credits = poolList
    .filter((pool) => pool.credited > 0n)
    .map((pool) => ({ ethereumAddress: pool.ethereumAddress, amount: pool.credited }));

  const totals: PlanTotals = {
    pools: sumAmounts(poolList.map((pool) => pool.total)),
    converted: sumAmounts(poolList.map((pool) => pool.convertedSesh)),
    bonus: sumAmounts(poolList.map((pool) => pool.bonusSesh)),
    bonusUndistributed: bonus.undistributed,
    restaked: sumAmounts(restaked.flatMap((node) => node.contributors.map((contributor) => contributor.amount))),
    credited: sumAmounts(credits.map((credit) => credit.amount)),
    unlockedOxen: sumAmounts([...unlocks.values()].map((entry) => entry.amount)),
    restakedNodes: restaked.length,
    disbandedNodes: disbanded.length,
  };
  // Rule 6: conservation holds exactly, or the planner is wrong.
  if (totals.pools !== totals.restaked + totals.credited) {
    throw new Error(
      `conservation violated: pools ${totals.pools} ≠ re-staked ${totals.restaked} + credited ${totals.credited}`,
    );
  }

  return {
    format: PLAN_FORMAT,
    inputHash: inputHash(snapshot),
    anchor: snapshot.anchor,
    parameters: { ...parameters, gasBudget, seedGas },
    restaked,
    seedBatches: batchesOf(restaked, gasBudget, seedGas),
    disbanded: disbanded.sort(
      (a, b) =>
        a.registrationHeight - b.registrationHeight || (a.ed25519 < b.ed25519 ? -1 : a.ed25519 > b.ed25519 ? 1 : 0),
    ),
    pools: poolList,
    credits,
    unlocks: [...unlocks]
      .sort(([a], [b]) => byText(a, b))
      .map(([oxenAddress, entry]) => ({ oxenAddress, amount: entry.amount, sources: entry.sources })),
    totals,
  };
}

/** The node's operator, registered contributions and unregistered Oxen addresses (sorted, each once). */
function participantsOf(node: ServiceNode, ethereumOf: ReadonlyMap<string, string | null>): NodeParticipants {
  const operator = ethereumOf.get(node.operator) ?? null;
  const registered: { ethereumAddress: string; amount: bigint }[] = [];
  const unregistered: string[] = [];
  for (const contribution of node.contributions) {
    const ethereumAddress = ethereumOf.get(contribution.oxenAddress) ?? null;
    if (ethereumAddress === null) unregistered.push(contribution.oxenAddress);
    else registered.push({ ethereumAddress, amount: contribution.amount });
  }
  return { operator, registered, unregistered: [...new Set(unregistered)].sort(byText) };
}

/**
 * Rule 3, as the Oxen node software computed it: each contribution (one Oxen address) owes
 * floor(its OXEN × requirement / the node's OXEN stake); a participant (one Ethereum address) owes the sum over its
 * Oxen addresses; the operator owes what the others do not, so the shares sum to the requirement exactly and the
 * rounding shortfall (less than one atom per contribution) is the operator's. `contributions` are all of the
 * node's (every participant registered). Operator first, then by amount (largest first), then by address.
 */
function sharesOf(
  contributions: NodeParticipants["registered"],
  operator: string,
  stake: bigint,
  requirement: bigint,
): Map<string, bigint> {
  const owed = new Map<string, bigint>();
  for (const { ethereumAddress, amount } of contributions) {
    if (ethereumAddress === operator) continue;
    owed.set(ethereumAddress, (owed.get(ethereumAddress) ?? 0n) + (requirement * amount) / stake);
  }
  // A share that rounds to nothing is left out: the contract refuses a zero stake (ZeroStake), and the operator's
  // part below absorbs the atoms the floors left.
  const others = [...owed]
    .filter(([, share]) => share > 0n)
    .sort(([addressA, a], [addressB, b]) => (a !== b ? (a > b ? -1 : 1) : byText(addressA, addressB)));
  const owedByOthers = others.reduce((total, [, share]) => total + share, 0n);
  return new Map([[operator, requirement - owedByOthers], ...others]);
}

/** Greedy batches in funding order, each within the gas budget. */
function batchesOf(nodes: readonly RestakedNode[], budget: bigint, model: SeedGasModel): SeedBatch[] {
  const batches: SeedBatch[] = [];
  let current: { nodes: string[]; contributors: number; gas: bigint } = {
    nodes: [],
    contributors: 0,
    gas: model.perBatch,
  };
  for (const node of nodes) {
    const gas = seedNodeGas(model, node.contributors.length);
    if (model.perBatch + gas > budget) {
      throw new RangeError(
        `the seed gas budget ${budget} cannot hold even one node with ${node.contributors.length} contributors ` +
          `(${model.perBatch + gas} gas)`,
      );
    }
    if (current.gas + gas > budget) {
      batches.push({ nodes: current.nodes, contributors: current.contributors, estimatedGas: current.gas });
      current = { nodes: [], contributors: 0, gas: model.perBatch };
    }
    current.nodes.push(node.ed25519);
    current.contributors += node.contributors.length;
    current.gas += gas;
  }
  if (current.nodes.length > 0) {
    batches.push({ nodes: current.nodes, contributors: current.contributors, estimatedGas: current.gas });
  }
  return batches;
}

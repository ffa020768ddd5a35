import { createHash } from "node:crypto";

import { ATOMS_PER_SESH } from "../amount";
import { bonusPoints, contributionPoints } from "../bonus";
import { planMigration, type DisbandReason, type MigrationPlan } from "../migration/plan";
import {
  AWAITING_CONTRIBUTIONS,
  type Contribution,
  type ServiceNode,
  type Snapshot,
  type SnapshotParameters,
  type Wallet,
} from "../snapshot/schema";
import { fundingModel, sharesAt, type FundingModel } from "./funding";

/**
 * The two promises of the Migration FAQ, checked on an Anchor snapshot (SPEC section 5, the Anchor step):
 * - **solo**: a solo operator registered and staked for the whole bonus program is re-staked at Landing;
 * - **multi**: so is a multi-contributor node whose operator and contributors all were.
 *
 * "Registered and staked for the whole bonus program" is read from lib/bonus: a contribution is, when it earns the
 * most points a stake of its size can earn, amount × (snapshotTime − bonusBackdateFrom) — from the backdating start
 * (2023-09-25 17:00 UTC) to the bonus snapshot (2025-05-09 00:00 UTC). With lib/bonus's accrual window that is
 * exactly: the wallet registered an Ethereum address before the backdating deadline (2024-01-31), so that it accrues
 * from the backdating start; the stake started at or before the backdating start; and it had not ended by the
 * snapshot. A node falls under a promise when it can migrate at all (rule 2 of the planner: fully funded, neither
 * unlocking nor deregistered, with a BLS key, every participant registered — the FAQ promises nothing to a node that
 * never upgraded or opted out) and every one of its contributions was staked for the whole program; it is solo with
 * one participant (one Ethereum address, as the contract counts them), multi-contributor with more.
 *
 * A promise is kept when the plan re-stakes every node of the snapshot that falls under it. When the snapshot has
 * none, the promise is evaluated on a hypothetical node added to the snapshot (see {@link hypotheticalNode}).
 *
 * The plan, not the node's own SESH, decides: a participant's pool is per Ethereum address and is drawn oldest node
 * first, so a node under a promise can be short at its turn when its participant's address also pools a wallet
 * registered later (or a stake started later) whose older nodes took more than they brought. Such a node breaks the
 * promise, and the check names it with the planner's reason.
 */

export type PromiseKind = "solo" | "multi";
export const PROMISE_KINDS: readonly PromiseKind[] = ["solo", "multi"];

/** Where the nodes a promise is checked on come from. */
export type PromiseBasis = "snapshot" | "hypothetical";

/** Whole seconds, as lib/bonus counts them. */
const MILLISECONDS_PER_SECOND = 1_000;

/** Oxen's staking requirement at the Anchor, 15,000 OXEN in atoms: the node size when the snapshot has no node. */
export const FALLBACK_NODE_STAKE = 15_000n * ATOMS_PER_SESH;

/**
 * Participants of the hypothetical multi-contributor node, when `maxContributors` allows: the operator and three
 * contributors with a quarter each (a quarter was the least an Oxen operator could stake).
 */
export const HYPOTHETICAL_MULTI_PARTICIPANTS = 4;

/** Broken nodes listed in a {@link PromiseCheck}; the count says how many there are in all. */
export const MAX_BROKEN_LISTED = 20;

/** Seconds of the whole bonus program: from `bonusBackdateFrom` to `snapshotTime` (0 if the dates are inverted). */
export function bonusProgramSeconds(parameters: SnapshotParameters): bigint {
  const seconds = (date: Date): number => Math.floor(date.getTime() / MILLISECONDS_PER_SECOND);
  const span = seconds(parameters.snapshotTime) - seconds(parameters.bonusBackdateFrom);
  return BigInt(Math.max(0, span));
}

/**
 * Whether `contribution` of `wallet` was registered and staked for the whole bonus program: its wallet is registered
 * and it earns amount × {@link bonusProgramSeconds} points (see the module comment). A program of no duration has no
 * such contribution.
 */
export function isWholeProgram(
  contribution: Contribution,
  wallet: Wallet | undefined,
  parameters: SnapshotParameters,
): boolean {
  if (wallet === undefined || wallet.ethereumAddress === null) return false;
  const program = bonusProgramSeconds(parameters);
  return program > 0n && contributionPoints(contribution, wallet, parameters) === contribution.amount * program;
}

/** What one participant brings to one node and owes it. */
export interface ParticipantFigures {
  readonly ethereumAddress: string;
  /** OXEN atoms it staked in this node (over its Oxen addresses). */
  readonly oxen: bigint;
  /** SESH atoms its contributions in this node convert to: each floor(OXEN × numerator / denominator). */
  readonly convertedSesh: bigint;
  /** The part of its bonus award these contributions earned: floor(award × their points / all its points). */
  readonly bonusSesh: bigint;
  /** convertedSesh + bonusSesh: the SESH this node brings it. */
  readonly sesh: bigint;
  /** Its whole pool (every node it staked in, unpaid rewards, bonus). */
  readonly pool: bigint;
  /** Its share of the staking requirement in this node (rule 3). */
  readonly owed: bigint;
}

/** A node a promise is checked on, with its figures at the requirement. */
export interface NodeFigures {
  readonly ed25519: string;
  readonly hypothetical: boolean;
  readonly registrationHeight: number;
  /** The node's stake in OXEN atoms. */
  readonly stake: bigint;
  /** Operator first. */
  readonly participants: readonly ParticipantFigures[];
  /** Σ participants' SESH: what the node brings, to compare with the requirement. */
  readonly sesh: bigint;
  readonly restaked: boolean;
}

/** A node under a promise that the plan disbands, with the planner's reason. */
export interface BrokenPromise {
  readonly ed25519: string;
  readonly reason: DisbandReason;
  readonly detail: string;
}

/** One promise at one staking requirement. */
export interface PromiseCheck {
  readonly kind: PromiseKind;
  readonly basis: PromiseBasis;
  /** SESH atoms. */
  readonly requirement: bigint;
  /** Nodes the promise is checked on: the snapshot's nodes under it, or the one hypothetical node. */
  readonly nodes: number;
  readonly restaked: number;
  /** Every one of those nodes is re-staked. */
  readonly kept: boolean;
  /** The node shown: among the disbanded ones if any, else among all, the one that brings the least SESH. */
  readonly example: NodeFigures;
  /** The first {@link MAX_BROKEN_LISTED} disbanded ones, in funding order (`nodes − restaked` in all). */
  readonly broken: readonly BrokenPromise[];
}

/** Both promises at one staking requirement. */
export interface PromisesResult {
  readonly requirement: bigint;
  readonly solo: PromiseCheck;
  readonly multi: PromiseCheck;
  /** Both kept. */
  readonly kept: boolean;
}

/** The nodes one promise is checked on, with the snapshot, plan and funding model they belong to. */
export interface PromiseSubject {
  readonly kind: PromiseKind;
  readonly basis: PromiseBasis;
  /** The analysed snapshot, or, for a hypothetical basis, that snapshot with the hypothetical nodes added. */
  readonly snapshot: Snapshot;
  readonly plan: MigrationPlan;
  readonly model: FundingModel;
  /** Indices of the subject's nodes in `model.candidates`, in funding order; never empty. */
  readonly candidates: readonly number[];
}

/** Everything the Anchor analysis needs from one snapshot, worked out once. */
export interface AnchorContext {
  readonly snapshot: Snapshot;
  /** `planMigration(snapshot)`, at the snapshot's own staking requirement. */
  readonly plan: MigrationPlan;
  readonly model: FundingModel;
  readonly solo: PromiseSubject;
  readonly multi: PromiseSubject;
}

/** The kind of promise a node falls under, or undefined (see the module comment). */
function promiseKindOf(
  node: ServiceNode,
  walletOf: ReadonlyMap<string, Wallet>,
  parameters: SnapshotParameters,
): PromiseKind | undefined {
  const participants = new Set<string>();
  for (const contribution of node.contributions) {
    const wallet = walletOf.get(contribution.oxenAddress);
    if (wallet?.ethereumAddress == null || !isWholeProgram(contribution, wallet, parameters)) return undefined;
    participants.add(wallet.ethereumAddress);
  }
  return participants.size === 1 ? "solo" : "multi";
}

/** The model's candidate indices of the nodes of `snapshot` that fall under each promise. */
function qualifyingCandidates(snapshot: Snapshot, model: FundingModel): Record<PromiseKind, number[]> {
  const walletOf = new Map(snapshot.wallets.map((wallet) => [wallet.oxenAddress, wallet]));
  const nodeOf = new Map(snapshot.nodes.map((node) => [node.ed25519, node]));
  const result: Record<PromiseKind, number[]> = { solo: [], multi: [] };
  model.candidates.forEach((candidate, index) => {
    const node = nodeOf.get(candidate.ed25519);
    if (node === undefined) throw new Error(`internal: candidate ${candidate.ed25519} is not in the snapshot`);
    const kind = promiseKindOf(node, walletOf, snapshot.parameters);
    if (kind !== undefined) result[kind].push(index);
  });
  return result;
}

/**
 * The node size of the hypothetical nodes: the most common stake of the snapshot's fully funded nodes (the smaller
 * one on a tie, the tighter case), or {@link FALLBACK_NODE_STAKE} when it has none.
 */
export function typicalNodeStake(snapshot: Snapshot): bigint {
  const counts = new Map<bigint, number>();
  for (const node of snapshot.nodes) {
    if (node.state !== AWAITING_CONTRIBUTIONS) counts.set(node.stake, (counts.get(node.stake) ?? 0) + 1);
  }
  let best: { stake: bigint; count: number } | undefined;
  for (const [stake, count] of counts) {
    if (best === undefined || count > best.count || (count === best.count && stake < best.stake)) {
      best = { stake, count };
    }
  }
  return best?.stake ?? FALLBACK_NODE_STAKE;
}

const BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/** Hypothetical Oxen addresses look like the generated ones: "L" and 96 base58 characters. */
const OXEN_ADDRESS_BODY_LENGTH = 96;
/** Hex digits of an Ethereum address. */
const ETHEREUM_ADDRESS_DIGITS = 40;
/** The G1 generator: a valid BLS key; the hypothetical node is never seeded, the planner only needs one. */
const HYPOTHETICAL_BLS = { X: 1n, Y: 2n } as const;
const HYPOTHETICAL_DOMAIN = "session-anchor/hypothetical:";

function digest(text: string, algorithm: "sha256" | "sha512"): Buffer {
  return createHash(algorithm)
    .update(HYPOTHETICAL_DOMAIN + text)
    .digest();
}

/** A value from `make(attempt)` for attempt 0, 1, … that `taken` does not hold; it is then added to `taken`. */
function fresh(taken: Set<string>, make: (attempt: number) => string): string {
  for (let attempt = 0; ; attempt++) {
    const value = make(attempt);
    if (!taken.has(value)) {
      taken.add(value);
      return value;
    }
  }
}

/** The keys and addresses a snapshot already uses, so that hypothetical ones are new. */
interface TakenNames {
  readonly oxen: Set<string>;
  readonly ethereum: Set<string>;
  readonly ed25519: Set<string>;
}

function takenNames(snapshot: Snapshot): TakenNames {
  const ethereum = new Set<string>();
  for (const wallet of snapshot.wallets) if (wallet.ethereumAddress !== null) ethereum.add(wallet.ethereumAddress);
  return {
    oxen: new Set(snapshot.wallets.map((wallet) => wallet.oxenAddress)),
    ethereum,
    ed25519: new Set(snapshot.nodes.map((node) => node.ed25519)),
  };
}

/**
 * A hypothetical node under promise `kind`, built from the snapshot's parameters: {@link typicalNodeStake} OXEN;
 * one participant (solo) or {@link HYPOTHETICAL_MULTI_PARTICIPANTS} (at most `maxContributors`, at least 2), equal
 * parts with the operator taking the rounding; every participant a new wallet registered at the backdating start
 * (so before the deadline), staked from it and still staked, with no other stake and no unpaid rewards; active,
 * with a BLS key, registered at height 0. Since its participants have no other pool, the plan re-stakes it exactly
 * when each one's own SESH covers its share, wherever it comes in the funding order.
 */
export function hypotheticalNode(
  kind: PromiseKind,
  snapshot: Snapshot,
  taken: TakenNames = takenNames(snapshot),
): { wallets: Wallet[]; node: ServiceNode } {
  const { parameters } = snapshot;
  const stake = typicalNodeStake(snapshot);
  const count =
    kind === "solo" ? 1 : Math.max(2, Math.min(HYPOTHETICAL_MULTI_PARTICIPANTS, parameters.maxContributors));
  const part = stake / BigInt(count);
  const since = parameters.bonusBackdateFrom;
  const wallets: Wallet[] = [];
  const contributions: Contribution[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${kind}:${i}`;
    const oxenAddress = fresh(taken.oxen, (attempt) => {
      const bytes = Buffer.concat([digest(`${name}:${attempt}:a`, "sha512"), digest(`${name}:${attempt}:b`, "sha512")]);
      const body = Array.from(bytes.subarray(0, OXEN_ADDRESS_BODY_LENGTH), (byte) =>
        BASE58_ALPHABET.charAt(byte % BASE58_ALPHABET.length),
      );
      return `L${body.join("")}`;
    });
    const ethereumAddress = fresh(
      taken.ethereum,
      (attempt) => `0x${digest(`${name}:${attempt}:eth`, "sha256").toString("hex").slice(0, ETHEREUM_ADDRESS_DIGITS)}`,
    );
    wallets.push({ oxenAddress, ethereumAddress, registeredAt: since, unpaidRewards: 0n });
    // The operator (first) takes what the equal parts leave.
    const amount = i === 0 ? stake - part * BigInt(count - 1) : part;
    contributions.push({ oxenAddress, amount, since, until: null });
  }
  const ed25519 = fresh(taken.ed25519, (attempt) => digest(`${kind}:${attempt}:ed25519`, "sha256").toString("hex"));
  const [operator] = wallets;
  if (operator === undefined) throw new Error("internal: a hypothetical node without participants");
  return {
    wallets,
    node: {
      ed25519,
      bls: HYPOTHETICAL_BLS,
      registrationHeight: 0,
      registeredAt: since,
      operator: operator.oxenAddress,
      operatorFee: 0,
      state: "active",
      stake,
      contributions,
    },
  };
}

/**
 * Works out what the analysis needs once: the plan at the snapshot's requirement, its funding model, and the nodes
 * each promise is checked on — the snapshot's own, or for a promise with none, a hypothetical node added (with the
 * other's, if both need one) to a copy of the snapshot, planned and modelled on its own.
 */
export function anchorContext(snapshot: Snapshot): AnchorContext {
  const plan = planMigration(snapshot);
  const model = fundingModel(snapshot, plan);
  const qualifying = qualifyingCandidates(snapshot, model);
  const missing = PROMISE_KINDS.filter((kind) => qualifying[kind].length === 0);

  let hypothetical:
    { snapshot: Snapshot; plan: MigrationPlan; model: FundingModel; keys: Map<PromiseKind, string> } | undefined;
  if (missing.length > 0) {
    const taken = takenNames(snapshot);
    const wallets = [...snapshot.wallets];
    const nodes = [...snapshot.nodes];
    const keys = new Map<PromiseKind, string>();
    for (const kind of missing) {
      const made = hypotheticalNode(kind, snapshot, taken);
      wallets.push(...made.wallets);
      nodes.push(made.node);
      keys.set(kind, made.node.ed25519);
    }
    const augmented: Snapshot = { ...snapshot, wallets, nodes };
    const augmentedPlan = planMigration(augmented);
    hypothetical = {
      snapshot: augmented,
      plan: augmentedPlan,
      model: fundingModel(augmented, augmentedPlan),
      keys,
    };
  }

  const subject = (kind: PromiseKind): PromiseSubject => {
    if (qualifying[kind].length > 0) {
      return { kind, basis: "snapshot", snapshot, plan, model, candidates: qualifying[kind] };
    }
    const key = hypothetical?.keys.get(kind);
    const index = hypothetical?.model.candidates.findIndex((candidate) => candidate.ed25519 === key) ?? -1;
    if (hypothetical === undefined || index === -1)
      throw new Error(`internal: the hypothetical ${kind} node cannot migrate`);
    return { kind, basis: "hypothetical", ...hypothetical, candidates: [index] };
  };
  return { snapshot, plan, model, solo: subject("solo"), multi: subject("multi") };
}

/** Whether the subject's promise holds at `requirement`: the plan re-stakes every one of its nodes. */
export function promiseKeptAt(subject: PromiseSubject, restaked: readonly boolean[]): boolean {
  return subject.candidates.every((index) => restaked[index] === true);
}

/** Lookups over a subject's snapshot and plan, made once per check. */
interface Lookups {
  readonly walletOf: ReadonlyMap<string, Wallet>;
  readonly nodeOf: ReadonlyMap<string, ServiceNode>;
  readonly poolOf: ReadonlyMap<string, MigrationPlan["pools"][number]>;
  /** Bonus points per Ethereum address. */
  readonly points: ReadonlyMap<string, bigint>;
  readonly restaked: ReadonlySet<string>;
}

/** The figures of candidate `index` of the subject's model at the subject plan's requirement. */
function nodeFigures(subject: PromiseSubject, index: number, lookups: Lookups): NodeFigures {
  const { snapshot, model } = subject;
  const { parameters } = snapshot;
  const candidate = model.candidates[index];
  const node = candidate === undefined ? undefined : lookups.nodeOf.get(candidate.ed25519);
  if (candidate === undefined || node === undefined) throw new Error(`internal: no candidate ${index}`);
  const { numerator, denominator } = parameters.stakeConversion;
  const shares = sharesAt(candidate, parameters.stakingRequirement);

  const participants = candidate.participants.map((participant): ParticipantFigures => {
    const ethereumAddress = model.addresses[participant];
    const pool = ethereumAddress === undefined ? undefined : lookups.poolOf.get(ethereumAddress);
    if (ethereumAddress === undefined || pool === undefined) throw new Error(`internal: no pool ${participant}`);
    let oxen = 0n;
    let convertedSesh = 0n;
    let nodePoints = 0n;
    for (const contribution of node.contributions) {
      const wallet = lookups.walletOf.get(contribution.oxenAddress);
      if (wallet?.ethereumAddress !== ethereumAddress) continue;
      oxen += contribution.amount;
      convertedSesh += (contribution.amount * numerator) / denominator;
      nodePoints += contributionPoints(contribution, wallet, parameters);
    }
    const allPoints = lookups.points.get(ethereumAddress) ?? 0n;
    const bonusSesh = allPoints === 0n ? 0n : (pool.bonusSesh * nodePoints) / allPoints;
    return {
      ethereumAddress,
      oxen,
      convertedSesh,
      bonusSesh,
      sesh: convertedSesh + bonusSesh,
      pool: pool.total,
      owed: shares.get(participant) ?? 0n,
    };
  });
  return {
    ed25519: node.ed25519,
    hypothetical: subject.basis === "hypothetical",
    registrationHeight: node.registrationHeight,
    stake: node.stake,
    participants,
    sesh: participants.reduce((total, participant) => total + participant.sesh, 0n),
    restaked: lookups.restaked.has(node.ed25519),
  };
}

/** The check of one promise at the requirement its subject's plan was made at. */
export function promiseCheck(subject: PromiseSubject): PromiseCheck {
  const { plan } = subject;
  const { snapshot } = subject;
  const disbanded = new Map(plan.disbanded.map((node) => [node.ed25519, node]));
  const lookups: Lookups = {
    walletOf: new Map(snapshot.wallets.map((wallet) => [wallet.oxenAddress, wallet])),
    nodeOf: new Map(snapshot.nodes.map((node) => [node.ed25519, node])),
    poolOf: new Map(plan.pools.map((pool) => [pool.ethereumAddress, pool])),
    points: bonusPoints(snapshot),
    restaked: new Set(plan.restaked.map((node) => node.ed25519)),
  };
  const figures = subject.candidates.map((index) => nodeFigures(subject, index, lookups));
  const broken = figures.filter((node) => !node.restaked);
  const shown = broken.length > 0 ? broken : figures;
  const example = shown.reduce((least, node) => (node.sesh < least.sesh ? node : least));
  return {
    kind: subject.kind,
    basis: subject.basis,
    requirement: plan.parameters.stakingRequirement,
    nodes: figures.length,
    restaked: figures.length - broken.length,
    kept: broken.length === 0,
    example,
    broken: broken.slice(0, MAX_BROKEN_LISTED).map((node) => {
      const entry = disbanded.get(node.ed25519);
      if (entry === undefined) throw new Error(`internal: ${node.ed25519} is neither re-staked nor disbanded`);
      return { ed25519: node.ed25519, reason: entry.reason, detail: entry.detail };
    }),
  };
}

/** Both promises of a worked-out context, at the snapshot's own staking requirement. */
export function promisesOf(context: AnchorContext): PromisesResult {
  const solo = promiseCheck(context.solo);
  const multi = promiseCheck(context.multi);
  return { requirement: context.plan.parameters.stakingRequirement, solo, multi, kept: solo.kept && multi.kept };
}

/**
 * The two FAQ promises on `snapshot` with `parameters` (by default its own; pass others, such as the launch's
 * staking requirement, to check them): for each, the nodes under it (or a hypothetical one), whether the plan
 * re-stakes them all, and the figures of the tightest.
 */
export function checkPromises(
  snapshot: Snapshot,
  parameters: SnapshotParameters = snapshot.parameters,
): PromisesResult {
  return promisesOf(anchorContext({ ...snapshot, parameters }));
}

import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";

import {
  aggregatePublicKeys,
  exitMessage,
  liquidationMessage,
  rewardMessage,
  toG1Struct,
  type G1PointStruct,
  type SignatureParams,
} from "../../lib/bls";
import type { ServiceNodeRewards } from "../../typechain-types";
import { FC_SEED, integerFromEnv } from "../helpers/env";
import { restoreChainAfterSuite } from "../helpers/chain";
import { deployStakingFixture, loadStakingFixture, type StakingFixture } from "../helpers/staking";

/**
 * Runs and their length: every run is a fresh fixture and up to {MAX_COMMANDS} commands, of which the signed ones
 * cost about 70 ms of TypeScript BLS per registered node. `RUNS` widens a campaign (`RUNS=200`).
 */
const NUM_RUNS = integerFromEnv("RUNS", 25, 1);
const MAX_COMMANDS = 12;

const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;
/** Sent without estimating gas, so that a reverting transaction is mined at the timestamp the model expects. */
const GAS_LIMIT = 3_000_000n;
/** Stakers 0 to 6 register nodes and receive rewards; staker 7 funds the contract as the pool would. */
const NODE_STAKERS = 7;
const FUNDER = 7;
const SESH = 10n ** 9n;
/** The contract's rules (IServiceNodeRewards) the model follows. */
const MIN_NODE_AGE_BEFORE_EXIT = 2n * BigInt(HOUR);
const MAX_SERVICE_NODE_EXIT_WAIT_TIME = 30n * BigInt(DAY);
const SMALL_CONTRIBUTOR_LEAVE_DELAY = 30n * BigInt(DAY);
const REPEATED_LEAVE_REQUEST_DELAY = BigInt(HOUR);
const NON_SIGNER_DIVISOR = 3n;

const ed25519Of = (index: number): bigint => 0x5e55_0000n + BigInt(index);

// -------------------------------------------------------------------------------------------------------------------
// The model
// -------------------------------------------------------------------------------------------------------------------

interface ModelNode {
  readonly id: bigint;
  /** Its position in the simulated network. */
  readonly index: number;
  readonly key: G1PointStruct;
  readonly operator: string;
  readonly contributors: readonly { readonly addr: string; readonly amount: bigint }[];
  readonly deposit: bigint;
  readonly addedTimestamp: bigint;
  leaveRequestTimestamp: bigint;
  latestLeaveRequestTimestamp: bigint;
}

interface Model {
  started: boolean;
  paused: boolean;
  /** The latest block's timestamp. */
  now: bigint;
  nextId: bigint;
  /** Registered nodes in list order. */
  readonly nodes: ModelNode[];
  /** Cumulative rewards and claims by recipient. */
  readonly rewards: Map<string, bigint>;
  readonly claimed: Map<string, bigint>;
  /** SESH balances of the accounts the test follows (the contract, stakers, funder, liquidator, pool). */
  readonly balances: Map<string, bigint>;
  claimCycle: bigint;
  claimTotal: bigint;
}

interface Settings {
  readonly requirement: bigint;
  readonly signatureExpiry: bigint;
  readonly nonSignerMax: bigint;
  readonly claimThreshold: bigint;
  readonly claimCycleLength: bigint;
  readonly liquidatorRatio: bigint;
  readonly poolRatio: bigint;
  readonly recipientRatio: bigint;
}

interface Real {
  readonly f: StakingFixture;
  readonly rewards: ServiceNodeRewards;
  readonly rewardsAddress: string;
  readonly stakers: readonly HardhatEthersSigner[];
  readonly funder: HardhatEthersSigner;
  readonly liquidator: HardhatEthersSigner;
  readonly settings: Settings;
  /** Every recipient and balance holder the checks read. */
  readonly accounts: readonly string[];
}

const get = (map: ReadonlyMap<string, bigint>, key: string): bigint => map.get(key) ?? 0n;
const add = (map: Map<string, bigint>, key: string, amount: bigint): void => {
  map.set(key, get(map, key) + amount);
};
const sum = (values: Iterable<bigint>): bigint => {
  let total = 0n;
  for (const value of values) total += value;
  return total;
};

/** SESH the contract holds beyond the live nodes' stakes and the unclaimed rewards: what the network may credit. */
function surplus(model: Model, real: Real): bigint {
  const stakes = sum(model.nodes.map((node) => node.deposit));
  const unclaimed = sum(
    [...model.rewards.entries()].map(([account, rewards]) => rewards - get(model.claimed, account)),
  );
  return get(model.balances, real.rewardsAddress) - stakes - unclaimed;
}

function threshold(model: Model, real: Real): bigint {
  const byCount = BigInt(model.nodes.length) / NON_SIGNER_DIVISOR;
  return byCount < real.settings.nonSignerMax ? byCount : real.settings.nonSignerMax;
}

/** A transaction's expected outcome: success, or a custom error of the rewards contract with its arguments. */
type Outcome =
  { readonly ok: true } | { readonly ok: false; readonly error: string; readonly args: readonly unknown[] };
const OK: Outcome = { ok: true };
const fail = (error: string, ...args: unknown[]): Outcome => ({ ok: false, error, args });

/** The checks every hot path runs first: the pause, then the start. */
function gate(model: Model): Outcome | undefined {
  if (model.paused) return fail("EnforcedPause");
  if (!model.started) return fail("ContractNotStarted");
  return undefined;
}

/** The removal checks of every exit path: the node exists (not the sentinel) and is old enough. */
function removable(model: Model, id: bigint, timestamp: bigint): Outcome | undefined {
  if (id === 0n) return fail("DeleteSentinelNodeNotAllowed");
  const node = model.nodes.find((candidate) => candidate.id === id);
  if (node === undefined) return fail("ServiceNodeDoesntExist", id);
  if (timestamp < node.addedTimestamp + MIN_NODE_AGE_BEFORE_EXIT) {
    return fail("ExitTooEarly", id, node.addedTimestamp, timestamp);
  }
  return undefined;
}

function insufficientSignatures(model: Model, real: Real, nonSigners: number): Outcome | undefined {
  const limit = threshold(model, real);
  const total = BigInt(model.nodes.length);
  if (BigInt(nonSigners) <= limit) return undefined;
  const signers = total > BigInt(nonSigners) ? total - BigInt(nonSigners) : 0n;
  return fail("InsufficientBLSSignatures", signers, total - limit);
}

// -------------------------------------------------------------------------------------------------------------------
// Sending
// -------------------------------------------------------------------------------------------------------------------

/** A JSON-comparable copy (ethers' Result to arrays, bigints to strings). */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_, item: unknown) => (typeof item === "bigint" ? item.toString() : item)));
}

/** With `TALLY=1`, how often each command met each outcome, printed after the campaign (to judge its reach). */
const TALLY_OUTCOMES = process.env.TALLY !== undefined;
const TALLY = new Map<string, number>();
/** Mines `send` at the model's next second and checks its outcome against `expected`. */
async function transact(
  model: Model,
  real: Real,
  expected: Outcome,
  label: string,
  send: (overrides: { gasLimit: bigint }) => Promise<unknown>,
): Promise<void> {
  model.now += 1n;
  await time.setNextBlockTimestamp(model.now);
  let outcome: Outcome = OK;
  try {
    const tx = (await send({ gasLimit: GAS_LIMIT })) as { wait(): Promise<unknown> };
    await tx.wait();
  } catch (error) {
    const data = (error as { data?: string }).data;
    const parsed = data === undefined ? null : real.rewards.interface.parseError(data);
    if (parsed === null) throw error;
    outcome = fail(parsed.name, ...(parsed.args.toArray() as unknown[]));
  }
  if (TALLY_OUTCOMES) {
    const k = `${label.split("(")[0]} ${outcome.ok ? "ok" : outcome.error}`;
    TALLY.set(k, (TALLY.get(k) ?? 0) + 1);
  }
  expect(plain(outcome), `${label} at ${model.now}`).to.deep.equal(plain(expected));
}

/** The network's signature on `message` with the registered nodes less `nonSigners` (none signs when none is left). */
function networkSign(real: Real, model: Model, message: string, nonSigners: readonly bigint[]): SignatureParams {
  const signers = model.nodes.map((node) => node.id).filter((id) => !nonSigners.includes(id));
  return real.f.network.sign(message, real.f.tags.hashToG2Tag, signers).params;
}

/** `count` registered ids picked by `picks`, in the order picked (the contract takes any order). */
function pickNonSigners(model: Model, count: number, picks: readonly number[]): bigint[] {
  const pool = model.nodes.map((node) => node.id);
  const chosen: bigint[] = [];
  for (let i = 0; i < count && pool.length > 0; i++) {
    const [id] = pool.splice((picks[i] ?? 0) % pool.length, 1);
    if (id !== undefined) chosen.push(id);
  }
  return chosen;
}

const NO_SIGNATURE: SignatureParams = { sigs0: 0n, sigs1: 0n, sigs2: 0n, sigs3: 0n };

// -------------------------------------------------------------------------------------------------------------------
// Commands
// -------------------------------------------------------------------------------------------------------------------

type Command = fc.AsyncCommand<Model, Real>;

/** A free network key (not registered), chosen by `pick`; undefined when all sixteen are registered. */
function freeIndex(model: Model, real: Real, pick: number): number | undefined {
  const free = real.f.network.nodes.map((node) => node.index).filter((i) => !model.nodes.some((n) => n.index === i));
  return free.length === 0 ? undefined : free[pick % free.length];
}

/** A registered node chosen by `pick`, or undefined with none. */
function liveNode(model: Model, pick: number): ModelNode | undefined {
  return model.nodes.length === 0 ? undefined : model.nodes[pick % model.nodes.length];
}

class AddCommand implements Command {
  constructor(
    readonly pick: number,
    readonly staker: number,
    /** "live": a free key with its proof; "duplicate": a registered key; "wrongProof": a proof for another caller. */
    readonly variant: "live" | "duplicate" | "wrongProof",
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const caller = real.stakers[this.staker % NODE_STAKERS];
    if (caller === undefined) throw new Error("no staker");
    const duplicate = this.variant === "duplicate" ? liveNode(model, this.pick) : undefined;
    const index = duplicate?.index ?? freeIndex(model, real, this.pick);
    if (index === undefined) return;
    const key = real.f.network.node(index).publicKeyStruct;
    const requirement = real.settings.requirement;
    let expected = gate(model);
    if (expected === undefined && duplicate !== undefined) expected = fail("BLSPubkeyAlreadyExists", duplicate.id);
    if (expected === undefined && this.variant === "wrongProof") expected = fail("InvalidBLSProofOfPossession");
    expected ??= OK;
    const proofOperator = this.variant === "wrongProof" ? real.funder.address : caller.address;
    const proof =
      expected.ok || this.variant === "wrongProof"
        ? real.f.network.proofOfPossession(index, real.f.tags, proofOperator, ed25519Of(index))
        : NO_SIGNATURE;
    await transact(model, real, expected, this.toString(), (overrides) =>
      real.rewards
        .connect(caller)
        .addBLSPublicKey(
          key,
          proof,
          { serviceNodePubkey: ed25519Of(index), serviceNodeSignature1: 0n, serviceNodeSignature2: 0n, fee: 0 },
          [],
          overrides,
        ),
    );
    if (!expected.ok) return;
    model.nodes.push({
      id: model.nextId,
      index,
      key,
      operator: caller.address,
      contributors: [{ addr: caller.address, amount: requirement }],
      deposit: requirement,
      addedTimestamp: model.now,
      leaveRequestTimestamp: 0n,
      latestLeaveRequestTimestamp: 0n,
    });
    real.f.network.register(index, model.nextId);
    model.nextId += 1n;
    add(model.balances, caller.address, -requirement);
    add(model.balances, real.rewardsAddress, requirement);
  }
  toString(): string {
    return `add(${this.variant}, key ${this.pick}, staker ${this.staker})`;
  }
}

/**
 * The contributors of a seeded node: one with it all; two with a small one (a fifth, under the quarter); three with
 * exactly a quarter (not small).
 */
function seedContributors(
  stakers: readonly HardhatEthersSigner[],
  first: number,
  count: number,
  requirement: bigint,
): { addr: string; amount: bigint }[] {
  const amounts =
    count === 1
      ? [requirement]
      : count === 2
        ? [requirement - requirement / 5n, requirement / 5n]
        : [requirement / 2n, requirement / 4n, requirement - requirement / 2n - requirement / 4n];
  return amounts.map((amount, position) => {
    const staker = stakers[(first + position) % NODE_STAKERS];
    if (staker === undefined) throw new Error("no staker");
    return { addr: staker.address, amount };
  });
}

class SeedCommand implements Command {
  constructor(
    readonly pick: number,
    readonly firstStaker: number,
    readonly contributorCount: number,
    readonly age: number,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const index = freeIndex(model, real, this.pick);
    if (index === undefined) return;
    const requirement = real.settings.requirement;
    const contributors = seedContributors(real.stakers, this.firstStaker, this.contributorCount, requirement);
    const key = real.f.network.node(index).publicKeyStruct;
    const timestamp = model.now + 1n;
    const added = timestamp - BigInt(this.age);
    const expected = model.started ? fail("ContractAlreadyStarted") : OK;
    await transact(model, real, expected, this.toString(), (overrides) =>
      real.rewards.connect(real.f.owner).seedPublicKeyList(
        [
          {
            blsPubkey: key,
            ed25519Pubkey: ed25519Of(index),
            addedTimestamp: added,
            contributors: contributors.map((c) => ({
              staker: { addr: c.addr, beneficiary: c.addr },
              stakedAmount: c.amount,
            })),
          },
        ],
        overrides,
      ),
    );
    if (!expected.ok) return;
    model.nodes.push({
      id: model.nextId,
      index,
      key,
      operator: contributors[0]?.addr ?? "",
      contributors,
      deposit: requirement,
      addedTimestamp: added,
      leaveRequestTimestamp: 0n,
      latestLeaveRequestTimestamp: 0n,
    });
    real.f.network.register(index, model.nextId);
    model.nextId += 1n;
    // Seeding moves no tokens: the stakes are sent separately (at the Landing, by the migration).
    await transact(model, real, OK, "fund the seeded stake", (overrides) =>
      real.f.sesh.connect(real.funder).transfer(real.rewardsAddress, requirement, overrides),
    );
    add(model.balances, real.funder.address, -requirement);
    add(model.balances, real.rewardsAddress, requirement);
  }
  toString(): string {
    return `seed(key ${this.pick}, ${this.contributorCount} contributors from ${this.firstStaker}, ${this.age} s old)`;
  }
}

class StartCommand implements Command {
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const expected = model.started ? fail("ContractAlreadyStarted") : OK;
    await transact(model, real, expected, "start", (overrides) => real.rewards.connect(real.f.owner).start(overrides));
    if (expected.ok) model.started = true;
  }
  toString(): string {
    return "start";
  }
}

class PauseCommand implements Command {
  constructor(readonly pausing: boolean) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const expected = model.paused === this.pausing ? fail(this.pausing ? "EnforcedPause" : "ExpectedPause") : OK;
    const owner = real.rewards.connect(real.f.owner);
    await transact(model, real, expected, this.toString(), (overrides) =>
      this.pausing ? owner.pause(overrides) : owner.unpause(overrides),
    );
    if (expected.ok) model.paused = this.pausing;
  }
  toString(): string {
    return this.pausing ? "pause" : "unpause";
  }
}

class TimeJumpCommand implements Command {
  constructor(readonly seconds: number) {}
  check(): boolean {
    return true;
  }
  async run(model: Model): Promise<void> {
    model.now += BigInt(this.seconds);
    await time.increaseTo(model.now);
  }
  toString(): string {
    return `jump(${this.seconds} s)`;
  }
}

/**
 * Lands the next transaction on a boundary of a registered node, or the second before it: its age for an exit
 * (2 hours), a small contributor's delay (30 days), and once its exit was asked for, the end of the wait (30 days)
 * and the repeat delay (1 hour). Does nothing when the boundary is behind.
 */
class WarpCommand implements Command {
  constructor(
    readonly which: number,
    readonly early: boolean,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model): Promise<void> {
    const boundaries = model.nodes.flatMap((node) => [
      node.addedTimestamp + MIN_NODE_AGE_BEFORE_EXIT,
      node.addedTimestamp + SMALL_CONTRIBUTOR_LEAVE_DELAY,
      ...(node.leaveRequestTimestamp === 0n
        ? []
        : [
            node.leaveRequestTimestamp + MAX_SERVICE_NODE_EXIT_WAIT_TIME,
            node.latestLeaveRequestTimestamp + REPEATED_LEAVE_REQUEST_DELAY,
          ]),
    ]);
    const boundary = boundaries[this.which % (boundaries.length || 1)];
    if (boundary === undefined) return;
    // The next transaction is mined one second after the block mined here.
    const target = boundary - (this.early ? 2n : 1n);
    if (target <= model.now) return;
    model.now = target;
    await time.increaseTo(target);
  }
  toString(): string {
    return `warp(boundary ${this.which}${this.early ? ", a second early" : ""})`;
  }
}

class FundCommand implements Command {
  constructor(readonly seshAmount: number) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const amount = BigInt(this.seshAmount) * SESH;
    await transact(model, real, OK, this.toString(), (overrides) =>
      real.f.sesh.connect(real.funder).transfer(real.rewardsAddress, amount, overrides),
    );
    add(model.balances, real.funder.address, -amount);
    add(model.balances, real.rewardsAddress, amount);
  }
  toString(): string {
    return `fund(${this.seshAmount} SESH)`;
  }
}

class UpdateRewardsCommand implements Command {
  constructor(
    readonly recipient: number,
    /** What the network credits on top, in thousandths of a SESH (capped at what the contract can pay). */
    readonly milliSesh: number,
    readonly nonSigners: number,
    readonly picks: readonly number[],
    /** Names one non-signer more than the threshold allows. */
    readonly tooManyNonSigners: boolean,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const recipient = real.stakers[this.recipient % NODE_STAKERS]?.address;
    if (recipient === undefined) throw new Error("no staker");
    const limit = Number(threshold(model, real));
    const count = this.tooManyNonSigners ? limit + 1 : Math.min(this.nonSigners, limit);
    const nonSigners = pickNonSigners(model, count, this.picks);
    if (nonSigners.length < count) return; // more non-signers than nodes: nothing to name
    const previous = get(model.rewards, recipient);
    const credit = (() => {
      const wanted = (BigInt(this.milliSesh) * SESH) / 1_000n;
      const payable = surplus(model, real);
      return wanted < payable ? wanted : payable > 0n ? payable : 0n;
    })();
    const cumulative = previous + credit;
    let expected = gate(model) ?? insufficientSignatures(model, real, nonSigners.length);
    if (expected === undefined && credit === 0n) expected = fail("RecipientRewardsTooLow");
    if (expected === undefined && model.nodes.length === nonSigners.length) {
      // No node left to sign (no node at all): the identity key never verifies.
      expected = fail("InvalidBLSSignature", [0n, 0n]);
    }
    expected ??= OK;
    const signature =
      expected.ok || expected.error === "InvalidBLSSignature"
        ? networkSign(real, model, rewardMessage(real.f.tags, recipient, cumulative), nonSigners)
        : NO_SIGNATURE;
    await transact(model, real, expected, this.toString(), (overrides) =>
      real.rewards.updateRewardsBalance(recipient, cumulative, signature, nonSigners, overrides),
    );
    if (expected.ok) model.rewards.set(recipient, cumulative);
  }
  toString(): string {
    return `updateRewardsBalance(recipient ${this.recipient}, +${this.milliSesh} mSESH, ${
      this.tooManyNonSigners ? "threshold + 1" : this.nonSigners
    } non-signers)`;
  }
}

class ClaimCommand implements Command {
  constructor(
    readonly recipient: number,
    /** "all": claimRewards(); "part": claimRewards(amount) for a share of what is owed; "over": one atom more. */
    readonly kind: "all" | "part" | "over",
    readonly share: number,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const caller = real.stakers[this.recipient % NODE_STAKERS];
    if (caller === undefined) throw new Error("no staker");
    const owed = get(model.rewards, caller.address) - get(model.claimed, caller.address);
    const amount = this.kind === "all" ? owed : this.kind === "part" ? (owed * BigInt(this.share)) / 100n : owed + 1n;
    const timestamp = model.now + 1n;
    const cycle = timestamp / real.settings.claimCycleLength;
    const total = (cycle === model.claimCycle ? model.claimTotal : 0n) + amount;
    let expected: Outcome | undefined = model.paused ? fail("EnforcedPause") : undefined;
    if (expected === undefined && amount > owed) expected = fail("MaxClaimExceeded");
    if (expected === undefined && total > real.settings.claimThreshold) expected = fail("ClaimThresholdExceeded");
    expected ??= OK;
    const rewards = real.rewards.connect(caller);
    await transact(model, real, expected, this.toString(), (overrides) =>
      this.kind === "all" ? rewards["claimRewards()"](overrides) : rewards["claimRewards(uint256)"](amount, overrides),
    );
    if (!expected.ok) return;
    model.claimCycle = cycle;
    model.claimTotal = total;
    add(model.claimed, caller.address, amount);
    add(model.balances, caller.address, amount);
    add(model.balances, real.rewardsAddress, -amount);
  }
  toString(): string {
    return `claim(recipient ${this.recipient}, ${this.kind}${this.kind === "part" ? ` ${this.share} %` : ""})`;
  }
}

class InitiateExitCommand implements Command {
  constructor(
    readonly pick: number,
    readonly contributor: number,
    /** "live": a node and one of its contributors; "stranger": a caller that is none; "missing": an id no node has. */
    readonly variant: "live" | "stranger" | "missing" | "sentinel",
    readonly when: At,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const contributorOf = (candidate: ModelNode) =>
      candidate.contributors[this.contributor % candidate.contributors.length];
    // The boundary the contributor meets next: the repeat delay, a small contributor's delay, or the node's age.
    const boundaryOf = (candidate: ModelNode): bigint =>
      candidate.latestLeaveRequestTimestamp !== 0n
        ? candidate.latestLeaveRequestTimestamp + REPEATED_LEAVE_REQUEST_DELAY
        : (contributorOf(candidate)?.amount ?? 0n) < candidate.deposit / 4n
          ? candidate.addedTimestamp + SMALL_CONTRIBUTOR_LEAVE_DELAY
          : candidate.addedTimestamp + MIN_NODE_AGE_BEFORE_EXIT;
    const node = nodeFor(model, this.pick, this.variant === "live" ? this.when : 0, boundaryOf);
    const id =
      this.variant === "missing" || node === undefined ? model.nextId : this.variant === "sentinel" ? 0n : node.id;
    const entry = node === undefined ? undefined : contributorOf(node);
    const caller =
      this.variant === "stranger" || entry === undefined
        ? real.liquidator
        : real.stakers.find((staker) => staker.address === entry.addr);
    if (caller === undefined) throw new Error("no contributor signer");
    if (node !== undefined && this.variant === "live") await warpFor(model, this.when, boundaryOf(node));
    const timestamp = model.now + 1n;
    const target = model.nodes.find((candidate) => candidate.id === id);
    let expected = gate(model) ?? removable(model, id, timestamp);
    const stake = target?.contributors.find((c) => c.addr === caller.address)?.amount;
    if (expected === undefined && target !== undefined) {
      if (stake === undefined) expected = fail("CallerNotContributor", id, caller.address);
      else if (stake < target.deposit / 4n && timestamp < target.addedTimestamp + SMALL_CONTRIBUTOR_LEAVE_DELAY) {
        expected = fail("SmallContributorLeaveTooEarly", id, caller.address);
      } else if (
        target.latestLeaveRequestTimestamp !== 0n &&
        timestamp < target.latestLeaveRequestTimestamp + REPEATED_LEAVE_REQUEST_DELAY
      ) {
        const allowed = target.latestLeaveRequestTimestamp + REPEATED_LEAVE_REQUEST_DELAY;
        expected = fail("LeaveRequestTooEarly", id, allowed, timestamp);
      }
    }
    expected ??= OK;
    await transact(model, real, expected, this.toString(), (overrides) =>
      real.rewards.connect(caller).initiateExitBLSPublicKey(id, overrides),
    );
    if (!expected.ok || target === undefined) return;
    if (target.leaveRequestTimestamp === 0n) target.leaveRequestTimestamp = timestamp;
    target.latestLeaveRequestTimestamp = timestamp;
  }
  toString(): string {
    return `initiateExit(${this.variant}, node ${this.pick}, contributor ${this.contributor}, at ${this.when})`;
  }
}

/**
 * When to send a command on one node: 0 now; 1 the second before the node's boundary for that command, 2 on it (the
 * chain's clock is moved forward to it; nothing happens when the boundary is behind).
 */
type At = 0 | 1 | 2;
const at = fc.constantFrom<At>(0, 0, 1, 2);

/** Moves the clock so that the next transaction is mined at `boundary` (at = 2) or the second before (at = 1). */
async function warpFor(model: Model, when: At, boundary: bigint | undefined): Promise<void> {
  if (when === 0 || boundary === undefined) return;
  const mined = when === 1 ? boundary - 1n : boundary;
  if (mined - 1n <= model.now) return;
  model.now = mined - 1n;
  await time.increaseTo(model.now);
}

/**
 * The node a command acts on: with `when` 0 any registered node; otherwise, when there is one, a node whose boundary
 * for the command is still ahead (so that the clock can be moved to it).
 */
function nodeFor(model: Model, pick: number, when: At, boundary: (node: ModelNode) => bigint): ModelNode | undefined {
  const ahead = when === 0 ? [] : model.nodes.filter((node) => boundary(node) > model.now + 1n);
  return ahead.length === 0 ? liveNode(model, pick) : ahead[pick % ahead.length];
}

/** Takes a node out of the model and the simulated network. */
function removeFromModel(model: Model, real: Real, node: ModelNode): void {
  model.nodes.splice(model.nodes.indexOf(node), 1);
  real.f.network.deregister(node.index);
}

class SignedRemovalCommand implements Command {
  constructor(
    readonly liquidation: boolean,
    readonly pick: number,
    readonly nonSigners: number,
    readonly picks: readonly number[],
    /** "live": a signed removal now; "expired": signed beyond the expiry; "unknown": a key no node has. */
    readonly variant: "live" | "expired" | "unknown",
    readonly when: At,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const ageBoundary = (candidate: ModelNode): bigint => candidate.addedTimestamp + MIN_NODE_AGE_BEFORE_EXIT;
    const node = nodeFor(model, this.pick, this.variant === "unknown" ? 0 : this.when, ageBoundary);
    const freeKey = freeIndex(model, real, this.pick);
    const key =
      this.variant === "unknown" || node === undefined
        ? freeKey === undefined
          ? undefined
          : real.f.network.node(freeKey).publicKeyStruct
        : node.key;
    if (key === undefined) return;
    const target = this.variant === "unknown" ? undefined : node;
    await warpFor(model, this.when, target === undefined ? undefined : ageBoundary(target));
    const nonSigners = pickNonSigners(model, Math.min(this.nonSigners, Number(threshold(model, real))), this.picks);
    const now = model.now + 1n;
    const signedAt = this.variant === "expired" ? now - real.settings.signatureExpiry - 1n : now;
    let expected = gate(model) ?? insufficientSignatures(model, real, nonSigners.length);
    if (expected === undefined && target === undefined) expected = fail("BLSPubkeyDoesNotExist", [key.X, key.Y]);
    if (expected === undefined && target !== undefined) {
      const distance = signedAt > now ? signedAt - now : now - signedAt;
      if (distance > real.settings.signatureExpiry) expected = fail("SignatureExpired", target.id, signedAt, now);
      else expected = removable(model, target.id, now);
    }
    expected ??= OK;
    const message = this.liquidation
      ? liquidationMessage(real.f.tags, key, signedAt)
      : exitMessage(real.f.tags, key, signedAt);
    const signature = expected.ok ? networkSign(real, model, message, nonSigners) : NO_SIGNATURE;
    await transact(model, real, expected, this.toString(), (overrides) =>
      this.liquidation
        ? real.rewards
            .connect(real.liquidator)
            .liquidateBLSPublicKeyWithSignature(key, signedAt, signature, nonSigners, overrides)
        : real.rewards.exitBLSPublicKeyWithSignature(key, signedAt, signature, nonSigners, overrides),
    );
    if (!expected.ok || target === undefined) return;
    removeFromModel(model, real, target);
    if (!this.liquidation) return;
    const { liquidatorRatio, poolRatio, recipientRatio } = real.settings;
    const ratioSum = liquidatorRatio + poolRatio + recipientRatio;
    const poolShare = (target.deposit * poolRatio + ratioSum - 1n) / ratioSum;
    const liquidatorShare = (target.deposit * liquidatorRatio) / ratioSum;
    add(model.balances, real.rewardsAddress, -poolShare - liquidatorShare);
    add(model.balances, real.f.poolAddress, poolShare);
    add(model.balances, real.liquidator.address, liquidatorShare);
  }
  toString(): string {
    const what = this.liquidation ? "liquidate" : "exitWithSignature";
    return `${what}(${this.variant}, node ${this.pick}, ${this.nonSigners} non-signers, at ${this.when})`;
  }
}

class ExitAfterWaitCommand implements Command {
  constructor(
    readonly pick: number,
    readonly when: At,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    // A node whose exit was asked for, when there is one: the others only show LeaveRequestNotInitiatedYet.
    const boundaryOf = (candidate: ModelNode): bigint =>
      candidate.leaveRequestTimestamp === 0n
        ? candidate.addedTimestamp + MIN_NODE_AGE_BEFORE_EXIT
        : candidate.leaveRequestTimestamp + MAX_SERVICE_NODE_EXIT_WAIT_TIME;
    const requested = model.nodes.filter((candidate) => candidate.leaveRequestTimestamp !== 0n);
    const node =
      requested.length === 0
        ? nodeFor(model, this.pick, this.when, boundaryOf)
        : requested[this.pick % requested.length];
    const id = node?.id ?? model.nextId;
    if (node !== undefined) await warpFor(model, this.when, boundaryOf(node));
    const now = model.now + 1n;
    let expected = gate(model) ?? removable(model, id, now);
    if (expected === undefined && node !== undefined) {
      if (node.leaveRequestTimestamp === 0n) expected = fail("LeaveRequestNotInitiatedYet", id);
      else if (now < node.leaveRequestTimestamp + MAX_SERVICE_NODE_EXIT_WAIT_TIME) {
        expected = fail("LeaveRequestTooEarly", id, node.leaveRequestTimestamp + MAX_SERVICE_NODE_EXIT_WAIT_TIME, now);
      }
    }
    expected ??= OK;
    await transact(model, real, expected, this.toString(), (overrides) =>
      real.rewards.connect(real.liquidator).exitBLSPublicKeyAfterWaitTime(id, overrides),
    );
    if (expected.ok && node !== undefined) removeFromModel(model, real, node);
  }
  toString(): string {
    return `exitAfterWaitTime(node ${this.pick}, at ${this.when})`;
  }
}

// -------------------------------------------------------------------------------------------------------------------
// Checks
// -------------------------------------------------------------------------------------------------------------------

async function checkAgainstModel(model: Model, real: Real): Promise<void> {
  const { rewards, f } = real;
  expect(await rewards.totalNodes(), "totalNodes").to.equal(BigInt(model.nodes.length));
  expect(await rewards.nextServiceNodeID(), "nextServiceNodeID").to.equal(model.nextId);
  const list = await rewards.allServiceNodeIDs();
  expect(plain(list.ids), "allServiceNodeIDs ids").to.deep.equal(plain(model.nodes.map((node) => node.id)));
  expect(plain(list.pubkeys), "allServiceNodeIDs keys").to.deep.equal(
    plain(model.nodes.map((node) => [node.key.X, node.key.Y])),
  );
  const expectedKey = toG1Struct(aggregatePublicKeys(model.nodes.map((node) => f.network.node(node.index).publicKey)));
  const key = await rewards.aggregatePubkey();
  expect([key.X, key.Y], "aggregatePubkey").to.deep.equal([expectedKey.X, expectedKey.Y]);
  let stakes = 0n;
  let unclaimed = 0n;
  for (const node of model.nodes) {
    const stored = await rewards.serviceNodes(node.id);
    stakes += stored.deposit;
    expect(
      plain([stored.operator, stored.deposit, stored.addedTimestamp, stored.leaveRequestTimestamp]),
      `serviceNodes(${node.id})`,
    ).to.deep.equal(plain([node.operator, node.deposit, node.addedTimestamp, node.leaveRequestTimestamp]));
  }
  for (const account of real.accounts) {
    const recipient = await rewards.recipients(account);
    unclaimed += recipient.rewards - recipient.claimed;
    expect([recipient.rewards, recipient.claimed], `recipients(${account})`).to.deep.equal([
      get(model.rewards, account),
      get(model.claimed, account),
    ]);
    expect(await f.sesh.balanceOf(account), `balance of ${account}`).to.equal(get(model.balances, account));
  }
  expect(await rewards.paused(), "paused").to.equal(model.paused);
  expect(await rewards.isStarted(), "isStarted").to.equal(model.started);
  // Solvency, from the contract's own figures: its SESH covers the live stakes and every unclaimed reward.
  expect(await f.sesh.balanceOf(real.rewardsAddress), "SESH ≥ stakes + unclaimed rewards").to.be.at.least(
    stakes + unclaimed,
  );
  expect(surplus(model, real), "the model's surplus").to.be.at.least(0n);
}

// -------------------------------------------------------------------------------------------------------------------
// Arbitraries
// -------------------------------------------------------------------------------------------------------------------

const pick = fc.nat({ max: 1_000 });
const picks = fc.array(fc.nat({ max: 100 }), { minLength: 3, maxLength: 3 });
const live = <T extends string>(...others: T[]): fc.Arbitrary<"live" | T> =>
  fc.oneof({ weight: 3 * others.length, arbitrary: fc.constant("live" as const) }, fc.constantFrom(...others));
const update = fc
  .tuple(fc.nat({ max: 7 }), fc.integer({ min: 1, max: 50_000 }), fc.nat({ max: 2 }), picks, fc.nat({ max: 5 }))
  .map(([r, m, n, p, tooMany]) => new UpdateRewardsCommand(r, m, n, p, tooMany === 0));
const claim = fc
  .tuple(fc.nat({ max: 7 }), fc.constantFrom("all", "part", "part", "over" as const), fc.integer({ min: 1, max: 99 }))
  .map(([r, k, s]) => new ClaimCommand(r, k, s));
const initiateExit = fc
  .tuple(pick, fc.nat({ max: 2 }), live("stranger", "missing", "sentinel"), at)
  .map(([p, c, v, w]) => new InitiateExitCommand(p, c, v, w));
const exitAfterWait = fc.tuple(pick, fc.constantFrom<At>(0, 1, 2)).map(([p, w]) => new ExitAfterWaitCommand(p, w));
const jump = fc
  .oneof(
    fc.integer({ min: MINUTE, max: HOUR }),
    fc.integer({ min: HOUR, max: 3 * DAY }),
    fc.integer({ min: 3 * DAY, max: 40 * DAY }),
  )
  .map((seconds) => new TimeJumpCommand(seconds));
/** The commands, the frequent ones listed twice (fc.commands picks an entry uniformly). */
const commandArbitraries: fc.Arbitrary<Command>[] = [
  fc.tuple(pick, fc.nat({ max: 6 }), live("duplicate", "wrongProof")).map(([p, s, v]) => new AddCommand(p, s, v)),
  fc
    .tuple(pick, fc.nat({ max: 6 }), fc.integer({ min: 1, max: 3 }), fc.nat({ max: 40 * DAY }))
    .map(([p, s, c, age]) => new SeedCommand(p, s, c, age)),
  fc.constant(null).map(() => new StartCommand()),
  update,
  update,
  claim,
  claim,
  initiateExit,
  initiateExit,
  fc
    .tuple(pick, fc.nat({ max: 2 }), picks, live("expired", "unknown"), at)
    .map(([p, n, ps, v, w]) => new SignedRemovalCommand(false, p, n, ps, v, w)),
  fc
    .tuple(pick, fc.nat({ max: 2 }), picks, live("expired", "unknown"), at)
    .map(([p, n, ps, v, w]) => new SignedRemovalCommand(true, p, n, ps, v, w)),
  exitAfterWait,
  exitAfterWait,
  fc.boolean().map((pausing) => new PauseCommand(pausing)),
  jump,
  fc.tuple(fc.nat({ max: 100 }), fc.boolean()).map(([which, early]) => new WarpCommand(which, early)),
  fc.integer({ min: 1, max: 100 }).map((amount) => new FundCommand(amount)),
];

// -------------------------------------------------------------------------------------------------------------------
// The property
// -------------------------------------------------------------------------------------------------------------------

/** The nodes the fixture seeds before {start}: network key, first staker, contributor count and age. */
const FIXTURE_SEEDS = [
  { index: 0, firstStaker: 0, contributors: 1, age: 31 * DAY },
  { index: 1, firstStaker: 1, contributors: 2, age: DAY },
  { index: 2, firstStaker: 3, contributors: 3, age: 10 * MINUTE },
] as const;
/** What the fixture sends the contract beyond the seeded stakes, for rewards (as the pool would). */
const FIXTURE_REWARDS_FUNDING = 1_000n * SESH;

/** The staking fixture with {FIXTURE_SEEDS} seeded and funded, not started. */
async function seededStakingFixture(): Promise<StakingFixture> {
  const f = await deployStakingFixture();
  const requirement = await f.rewards.stakingRequirement();
  const now = BigInt(await time.latest()) + 1n;
  await time.setNextBlockTimestamp(now);
  const nodes = FIXTURE_SEEDS.map((seed) => ({
    blsPubkey: f.network.node(seed.index).publicKeyStruct,
    ed25519Pubkey: ed25519Of(seed.index),
    addedTimestamp: now - BigInt(seed.age),
    contributors: seedContributors(f.stakers, seed.firstStaker, seed.contributors, requirement).map((c) => ({
      staker: { addr: c.addr, beneficiary: c.addr },
      stakedAmount: c.amount,
    })),
  }));
  await (await f.rewards.connect(f.owner).seedPublicKeyList(nodes)).wait();
  const funder = f.stakers[FUNDER];
  if (funder === undefined) throw new Error("no funder");
  const funding = requirement * BigInt(FIXTURE_SEEDS.length) + FIXTURE_REWARDS_FUNDING;
  await (await f.sesh.connect(funder).transfer(f.rewardsAddress, funding)).wait();
  return f;
}

async function setup(): Promise<{ model: Model; real: Real }> {
  const f = await loadStakingFixture(seededStakingFixture);
  const signers = await ethers.getSigners();
  const liquidator = signers[19];
  const funder = f.stakers[FUNDER];
  if (liquidator === undefined || funder === undefined) throw new Error("not enough hardhat accounts");
  const rewards = f.rewards;
  const settings: Settings = {
    requirement: await rewards.stakingRequirement(),
    signatureExpiry: await rewards.signatureExpiry(),
    nonSignerMax: await rewards.blsNonSignerThresholdMax(),
    claimThreshold: await rewards.claimThreshold(),
    claimCycleLength: await rewards.claimCycle(),
    liquidatorRatio: await rewards.liquidatorRewardRatio(),
    poolRatio: await rewards.poolShareOfLiquidationRatio(),
    recipientRatio: await rewards.recipientRatio(),
  };
  const stakers = f.stakers.slice(0, NODE_STAKERS);
  const accounts = [
    f.rewardsAddress,
    f.poolAddress,
    liquidator.address,
    funder.address,
    ...stakers.map((staker) => staker.address),
  ];
  const balances = new Map<string, bigint>();
  for (const account of accounts) balances.set(account, await f.sesh.balanceOf(account));
  const model: Model = {
    started: await rewards.isStarted(),
    paused: await rewards.paused(),
    now: BigInt(await time.latest()),
    nextId: await rewards.nextServiceNodeID(),
    nodes: [],
    rewards: new Map(),
    claimed: new Map(),
    balances,
    claimCycle: await rewards.currentClaimCycle(),
    claimTotal: await rewards.currentClaimTotal(),
  };
  for (const [position, seed] of FIXTURE_SEEDS.entries()) {
    const id = BigInt(position + 1);
    const stored = await rewards.serviceNodes(id);
    const contributors = seedContributors(stakers, seed.firstStaker, seed.contributors, settings.requirement);
    model.nodes.push({
      id,
      index: seed.index,
      key: f.network.node(seed.index).publicKeyStruct,
      operator: contributors[0]?.addr ?? "",
      contributors,
      deposit: settings.requirement,
      addedTimestamp: stored.addedTimestamp,
      leaveRequestTimestamp: 0n,
      latestLeaveRequestTimestamp: 0n,
    });
    f.network.register(seed.index, id);
  }
  return {
    model,
    real: { f, rewards, rewardsAddress: f.rewardsAddress, stakers, funder, liquidator, settings, accounts },
  };
}

/** Runs each command and then compares the contract with the model. */
class Checked implements Command {
  constructor(readonly inner: Command) {}
  check(model: Readonly<Model>): boolean {
    return this.inner.check(model);
  }
  async run(model: Model, real: Real): Promise<void> {
    await this.inner.run(model, real);
    await checkAgainstModel(model, real);
  }
  toString(): string {
    return this.inner.toString();
  }
}

describe("ServiceNodeRewards (property)", function () {
  restoreChainAfterSuite();

  it("follows the registry model (nodes in list order, aggregate key, rewards, claims, balances) and stays solvent", async function () {
    await fc.assert(
      fc.asyncProperty(
        // Where `start` comes: most runs start at once or after a seeding or two; the rest may start later or never.
        fc.oneof({ weight: 3, arbitrary: fc.nat({ max: 2 }) }, { weight: 1, arbitrary: fc.constant(MAX_COMMANDS) }),
        fc.commands(
          commandArbitraries.map((arbitrary) => arbitrary.map((command) => new Checked(command))),
          { maxCommands: MAX_COMMANDS, size: "max" },
        ),
        async (startAt, commands) => {
          const sequence: Command[] = [...commands];
          sequence.splice(startAt, 0, new Checked(new StartCommand()));
          await fc.asyncModelRun(setup, sequence);
        },
      ),
      { seed: FC_SEED, numRuns: NUM_RUNS },
    );
    if (TALLY_OUTCOMES) console.log([...TALLY.entries()].sort());
  });
});

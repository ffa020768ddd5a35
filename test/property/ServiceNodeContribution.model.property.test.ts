import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import fc from "fast-check";
import { getAddress, MaxUint256, type ContractTransactionReceipt, type ContractTransactionResponse } from "ethers";
import { ethers } from "hardhat";

import type { SignatureParams } from "../../lib/bls";
import {
  ServiceNodeContribution__factory,
  type ServiceNodeContribution,
  type WrappedOxen__Mock,
} from "../../typechain-types";
import { restoreChainAfterSuite } from "../helpers/chain";
import { FC_SEED, integerFromEnv } from "../helpers/env";
import { deployStakingFixture, loadStakingFixture, type StakingFixture } from "../helpers/staking";
import { contractOf, paramsOf, setRewardsMaxContributors } from "../unit/contribution/helpers";
import { at, encodeKey, keyOf, SESH } from "../unit/rewards/fixtures";
import {
  attempt,
  balanceOf,
  calcMinimumContribution,
  contribute,
  contributorOf,
  finalize,
  initialize,
  type ContributionModel,
  type Keys,
  minimumContribution,
  minimumOperatorContribution,
  OK,
  type Outcome,
  pauseRewards,
  rescue,
  reservationOf,
  reset,
  resetUpdateAndContribute,
  Revert,
  room,
  sendSeshByMistake,
  type Spot,
  Status,
  sum,
  totalContribution,
  unfilledReservations,
  updateBeneficiary,
  updateFee,
  updateManualFinalize,
  updatePubkeys,
  updateReservedContributors,
  withdraw,
  WITHDRAWAL_DELAY,
  ZERO_ADDRESS,
} from "./contributionModel";

/**
 * Runs and their length. Each run reverts to the fixture, opens a new clone and sends up to {MAX_COMMANDS} commands,
 * each followed by a full comparison of the clone (and the rewards contract) with the model: about 2 s a run here.
 * `FC_CONTRIBUTION_RUNS` widens a campaign.
 */
const NUM_RUNS = integerFromEnv("FC_CONTRIBUTION_RUNS", 25, 1);
const MAX_COMMANDS = integerFromEnv("FC_CONTRIBUTION_COMMANDS", 60, 1);

/**
 * A small requirement that no divisor used splits evenly (⌈x / n⌉ rounds), and four spots: the six public stakers
 * then compete for three of them, so that MaxContributorsExceeded and exact fills both come often.
 */
const REQUIREMENT = 100n * SESH + 3n;
const MAX_CONTRIBUTORS = 4;
/** The rewards contract's figures a detour switches to, and back. */
const CHANGED_REQUIREMENT = REQUIREMENT + SESH;
const CHANGED_MAX_CONTRIBUTORS = MAX_CONTRIBUTORS - 1;
/** Sent without estimating gas, so that a reverting transaction is mined at the timestamp the model expects. */
const GAS_LIMIT = 3_000_000n;
/** The network nodes whose keys the operator may give the node (node 0 is the one it is opened with). */
const NODES = 3;
const ed25519Of = (node: number): bigint => 0x5e55_c000n + BigInt(node);
/** Actors: 0 the operator (staker 0), 1..6 public stakers, 7 an outsider who never contributes (staker 7). */
const OPERATOR = 0;
const PUBLIC_STAKERS = 6;
const OUTSIDER = 7;
/** Two addresses that only receive rewards. */
const BENEFICIARIES = [getAddress("0x000000000000000000000000000000000000be01"), getAddress("0x" + "be".repeat(20))];
const PERMILLE = 1_000n;

// -------------------------------------------------------------------------------------------------------------------
// The chain side
// -------------------------------------------------------------------------------------------------------------------

interface ContributionFixture extends StakingFixture {
  readonly token: WrappedOxen__Mock;
}

/** The staking set with {REQUIREMENT} and {MAX_CONTRIBUTORS}, started, and a second ERC-20 to send by mistake. */
async function contributionFixture(): Promise<ContributionFixture> {
  const f = await deployStakingFixture({ stakingRequirement: REQUIREMENT, maxContributors: MAX_CONTRIBUTORS });
  await (await f.rewards.connect(f.owner).start()).wait();
  const token = await (await ethers.getContractFactory("WrappedOxen__Mock")).deploy();
  await token.waitForDeployment();
  return { ...f, token };
}

/** The fixture and the signers, indexed as the actors ({OPERATOR}, the public stakers, {OUTSIDER}). */
interface Cast {
  readonly f: ContributionFixture;
  readonly actors: readonly HardhatEthersSigner[];
}

interface Real extends Cast {
  readonly contract: ServiceNodeContribution;
  /** The NewServiceNodeV2 events of the run, in order. */
  readonly registrations: NewNode[];
  /** The rewards contract's SESH when the run began. */
  readonly rewardsSeshAtStart: bigint;
}

interface NewNode {
  readonly id: bigint;
  readonly initiator: string;
  readonly key: readonly bigint[];
  readonly params: readonly unknown[];
  readonly contributors: readonly unknown[];
}

function actor(cast: Cast, index: number): HardhatEthersSigner {
  return at(cast.actors, index);
}

/** A JSON-comparable copy (ethers' Result to arrays, bigints to strings). */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_, item: unknown) => (typeof item === "bigint" ? item.toString() : item)));
}

const CONTRIBUTION = ServiceNodeContribution__factory.createInterface();

/** A revert's custom error, from the contribution contract's ABI or the rewards contract's; anything else rethrown. */
function decodeRevert(cast: Cast, error: unknown): Outcome {
  const data = (error as { data?: unknown }).data;
  if (typeof data !== "string") throw error;
  for (const [source, iface] of [
    ["contribution", CONTRIBUTION],
    ["rewards", cast.f.rewards.interface],
  ] as const) {
    const parsed = iface.parseError(data);
    if (parsed !== null) return { ok: false, source, error: parsed.name, args: parsed.args.toArray() };
  }
  throw error;
}

/** With `TALLY=1`, how often each command met each outcome, printed after the campaign (to judge its reach). */
const TALLY_OUTCOMES = process.env.TALLY !== undefined;
const TALLY = new Map<string, number>();
function tally(label: string, outcome: Outcome): void {
  const key = `${label.split("(")[0] ?? label} ${outcome.ok ? "ok" : outcome.error}`;
  TALLY.set(key, (TALLY.get(key) ?? 0) + 1);
}

/** The clone's events in a receipt, as the model writes them. */
function cloneEvents(receipt: ContractTransactionReceipt | null, clone: string): unknown {
  const events = (receipt?.logs ?? [])
    .filter((log) => log.address === clone)
    .map((log) => {
      const parsed = CONTRIBUTION.parseLog(log);
      if (parsed === null) throw new Error(`an event of the clone that its ABI does not know: ${log.topics[0]}`);
      return { name: parsed.name, args: parsed.args.toArray() };
    });
  return plain(events);
}

/**
 * Mines `send` at the model's next second and checks its outcome against `expected`, and the clone's events against
 * the model's.
 */
async function transact(
  model: ContributionModel,
  real: Real,
  expected: Outcome,
  label: string,
  send: (overrides: { gasLimit: bigint }) => Promise<ContractTransactionResponse>,
): Promise<ContractTransactionReceipt | null> {
  model.now += 1n;
  await time.setNextBlockTimestamp(model.now);
  let outcome: Outcome = OK;
  let receipt: ContractTransactionReceipt | null = null;
  try {
    receipt = await (await send({ gasLimit: GAS_LIMIT })).wait();
  } catch (error) {
    outcome = decodeRevert(real, error);
  }
  tally(label, outcome);
  expect(plain(outcome), `${label} at ${model.now}`).to.deep.equal(plain(expected));
  expect(cloneEvents(receipt, model.address), `${label}: the clone's events`).to.deep.equal(plain(model.events));
  model.events = [];
  for (const log of (receipt?.logs ?? []).filter((entry) => entry.address === real.f.rewardsAddress)) {
    const parsed = real.f.rewards.interface.parseLog(log);
    if (parsed?.name !== "NewServiceNodeV2") continue;
    const [id, initiator, key, params, contributors] = parsed.args.toArray() as unknown[];
    real.registrations.push({
      id: id as bigint,
      initiator: initiator as string,
      key: plain(key) as bigint[],
      params: plain(params) as unknown[],
      contributors: plain(contributors) as unknown[],
    });
  }
  return receipt;
}

/** Moves the clock so that the next transaction is mined at `timestamp` (nothing when that is not ahead). */
async function landNextAt(model: ContributionModel, timestamp: bigint): Promise<void> {
  if (timestamp - 1n <= model.now) return;
  model.now = timestamp - 1n;
  await time.increaseTo(model.now);
}

/** Proofs of possession by node and validity, signed once (each costs tens of milliseconds of TypeScript BLS). */
const proofs = new Map<string, SignatureParams>();
function proofOf(cast: Cast, keys: Keys): SignatureParams {
  const label = `${keys.node}:${keys.validProof}`;
  let proof = proofs.get(label);
  if (proof === undefined) {
    // An invalid proof is the node's own, for another operator: only the rewards contract can tell.
    const signer = actor(cast, keys.validProof ? OPERATOR : OUTSIDER);
    proof = cast.f.network.proofOfPossession(keys.node, cast.f.tags, signer.address, keys.ed25519);
    proofs.set(label, proof);
  }
  return proof;
}

/** ServiceNodeParams as the contract returns them (the signature halves as the unit helpers make them). */
function paramsValues(ed25519: bigint, fee: number): bigint[] {
  const params = paramsOf(ed25519, fee);
  return [params.serviceNodePubkey, params.serviceNodeSignature1, params.serviceNodeSignature2, BigInt(params.fee)];
}

function keysOf(f: StakingFixture, node: number, validProof: boolean): Keys {
  const key = keyOf(f, node);
  return { node, blsKey: [key.X, key.Y], ed25519: ed25519Of(node), validProof };
}

// -------------------------------------------------------------------------------------------------------------------
// Amounts and reservations chosen against the model's state when a command runs
// -------------------------------------------------------------------------------------------------------------------

/**
 * A contribution's amount, by what it is relative to the state: the caller's minimum (its reservation for a holder,
 * one atom for a top-up), one atom less, exactly what fills the node (the caller's room), one atom more, a point in
 * between, one atom or none.
 */
type AmountKind = "minimum" | "belowMinimum" | "fill" | "overfill" | "between" | "atom" | "zero";

function amountFor(m: ContributionModel, addr: string, kind: AmountKind, permille: number): bigint {
  const reservation = reservationOf(m, addr);
  let minimum: bigint;
  if (contributorOf(m, addr) !== undefined) minimum = 1n;
  else if (reservation !== undefined) minimum = reservation.amount;
  else {
    try {
      minimum = minimumContribution(m);
    } catch (error) {
      if (!(error instanceof Revert)) throw error;
      minimum = 1n;
    }
  }
  const most = room(m, addr);
  switch (kind) {
    case "minimum":
      return minimum;
    case "belowMinimum":
      return minimum > 0n ? minimum - 1n : 0n;
    case "fill":
      return most;
    case "overfill":
      return most + 1n;
    case "between":
      return most > minimum ? minimum + ((most - minimum) * BigInt(permille)) / PERMILLE : minimum;
    case "atom":
      return 1n;
    case "zero":
      return 0n;
  }
}

/** A reserved spot: its holder (a public staker) and its amount relative to the minimum of its place. */
type SpotKind = "minimum" | "belowMinimum" | "rest" | "aboveRest" | "between";
interface SpotSpec {
  readonly holder: number;
  readonly kind: SpotKind;
  readonly permille: number;
}
/** A list of spots, usually valid (the operator's first, each within its bounds), sometimes broken on purpose. */
interface ReservationSpec {
  readonly spots: readonly SpotSpec[];
  readonly mutation: "none" | "zeroAddress" | "notOperatorFirst" | "duplicate" | "tooMany";
  readonly where: number;
}

function spotsFor(m: ContributionModel, cast: Cast, spec: ReservationSpec): Spot[] {
  let remaining = m.requirement;
  const spots: Spot[] = spec.spots.map((s, i) => {
    const addr = i === 0 ? m.operator : actor(cast, 1 + (s.holder % PUBLIC_STAKERS)).address;
    const minimum =
      i === 0
        ? minimumOperatorContribution(m.requirement)
        : i < m.maxContributors
          ? calcMinimumContribution(remaining, i, m.maxContributors)
          : 0n;
    const amounts: Record<SpotKind, bigint> = {
      minimum,
      belowMinimum: minimum > 0n ? minimum - 1n : 0n,
      rest: remaining,
      aboveRest: remaining + 1n,
      between: remaining > minimum ? minimum + ((remaining - minimum) * BigInt(s.permille)) / PERMILLE : minimum,
    };
    const amount = amounts[s.kind];
    remaining = remaining > amount ? remaining - amount : 0n;
    return { addr, amount };
  });
  const index = spots.length === 0 ? 0 : spec.where % spots.length;
  const target = spots[index];
  switch (spec.mutation) {
    case "none":
      break;
    case "zeroAddress":
      if (target !== undefined) spots[index] = { ...target, addr: ZERO_ADDRESS };
      break;
    case "notOperatorFirst":
      if (target !== undefined) spots[0] = { addr: actor(cast, 1).address, amount: at(spots, 0).amount };
      break;
    case "duplicate": {
      const earlier = spots[index - 1];
      if (target !== undefined && earlier !== undefined) spots[index] = { ...target, addr: earlier.addr };
      break;
    }
    case "tooMany":
      while (spots.length <= m.maxContributors) {
        spots.push({ addr: actor(cast, 1 + (spots.length % PUBLIC_STAKERS)).address, amount: 0n });
      }
      break;
  }
  return spots;
}

function describeSpots(spots: readonly Spot[], cast: Cast): string {
  const name = (addr: string): string => {
    const index = cast.actors.findIndex((signer) => signer.address === addr);
    return index < 0 ? addr.slice(0, 6) : `#${index}`;
  };
  return `[${spots.map((s) => `${name(s.addr)}:${s.amount}`).join(", ")}]`;
}

function beneficiaryFor(caller: HardhatEthersSigner, pick: number): string {
  const choices = [ZERO_ADDRESS, caller.address, ...BENEFICIARIES];
  return at(choices, pick % choices.length);
}

// -------------------------------------------------------------------------------------------------------------------
// Commands (none has a precondition: each runs in every state, the model says how it must end)
// -------------------------------------------------------------------------------------------------------------------

type Command = fc.AsyncCommand<ContributionModel, Real>;

abstract class Step implements Command {
  /**
   * What the command did in its latest run (amounts are chosen when it runs), for the failing assertion's message.
   * Not in toString: fast-check runs a command again while it shrinks, and prints the sequence after.
   */
  protected detail = "";
  check(): boolean {
    return true;
  }
  abstract run(model: ContributionModel, real: Real): Promise<void>;
  protected abstract name(): string;
  /** The command and what it did, for assertion messages. */
  protected label(): string {
    return `${this.name()}${this.detail === "" ? "" : ` → ${this.detail}`}`;
  }
  toString(): string {
    return this.name();
  }
}

/**
 * Who contributes: the operator, a public staker, the holder of a reserved spot (a public staker if none), or whoever
 * may contribute next (the operator while the clone waits for it, else a public staker).
 */
type Contributing = "operator" | "public" | "reserved" | "next";

class ContributeCommand extends Step {
  constructor(
    readonly who: Contributing,
    readonly pick: number,
    readonly kind: AmountKind,
    readonly permille: number,
    readonly beneficiary: number,
  ) {
    super();
  }
  async run(model: ContributionModel, real: Real): Promise<void> {
    const operatorFirst =
      this.who === "operator" || (this.who === "next" && model.status === Status.WaitForOperatorContrib);
    let index = operatorFirst ? OPERATOR : 1 + (this.pick % PUBLIC_STAKERS);
    if (this.who === "reserved") {
      const holders = model.reserved.slice(1).filter((r) => !r.received);
      const holder = holders[this.pick % (holders.length || 1)];
      if (holder !== undefined) index = real.actors.findIndex((signer) => signer.address === holder.addr);
    }
    const caller = actor(real, index);
    const amount = amountFor(model, caller.address, this.kind, this.permille);
    const beneficiary = beneficiaryFor(caller, this.beneficiary);
    this.detail = `#${index} pays ${amount}`;
    const recorded = contributorOf(model, caller.address)?.beneficiary;
    const now = model.now + 1n;
    const expected = attempt(model, contribute, caller.address, amount, beneficiary, now);
    await transact(model, real, expected, this.label(), (overrides) =>
      real.contract.connect(caller).contributeFunds(amount, beneficiary, overrides),
    );
    if (TALLY_OUTCOMES && expected.ok && recorded !== undefined && recorded !== caller.address) {
      tally(
        `top-up of a contributor with another beneficiary, beneficiary ${beneficiary === ZERO_ADDRESS ? 0 : "set"}`,
        OK,
      );
    }
  }
  protected name(): string {
    return `contribute(${this.who} ${this.pick}, ${this.kind} ${this.permille}‰, beneficiary ${this.beneficiary})`;
  }
}

/** When a withdrawal is sent: now, or at the caller's withdrawal delay's end or the second before it. */
type WithdrawalTime = "now" | "early" | "exact";

/** A contributor other than the operator chosen by `pick` (the actor at `pick` when there is none), or an actor. */
function contributorOrActor(model: ContributionModel, real: Real, pick: number, anyone: boolean): number {
  const others = model.contributors.filter((c) => c.addr !== model.operator);
  const chosen = others[pick % (others.length || 1)];
  if (anyone || chosen === undefined) return pick % real.actors.length;
  return real.actors.findIndex((signer) => signer.address === chosen.addr);
}

class WithdrawCommand extends Step {
  constructor(
    /** A contributor (not the operator), or anyone: the operator (a reset), a public staker, the outsider. */
    readonly anyone: boolean,
    readonly pick: number,
    readonly when: WithdrawalTime,
  ) {
    super();
  }
  async run(model: ContributionModel, real: Real): Promise<void> {
    const index = contributorOrActor(model, real, this.pick, this.anyone);
    const caller = actor(real, index);
    this.detail = `#${index}`;
    const contributor = contributorOf(model, caller.address);
    if (contributor !== undefined && this.when !== "now") {
      await landNextAt(model, contributor.timestamp + WITHDRAWAL_DELAY - (this.when === "early" ? 1n : 0n));
    }
    const now = model.now + 1n;
    const expected = attempt(model, withdraw, caller.address, now);
    await transact(model, real, expected, this.label(), (overrides) =>
      real.contract.connect(caller).withdrawContribution(overrides),
    );
  }
  protected name(): string {
    return `withdraw(${this.anyone ? "anyone" : "contributor"} ${this.pick}, ${this.when})`;
  }
}

class JumpCommand extends Step {
  constructor(readonly seconds: number) {
    super();
  }
  async run(model: ContributionModel): Promise<void> {
    model.now += BigInt(this.seconds);
    await time.increaseTo(model.now);
  }
  protected name(): string {
    return `jump(${this.seconds} s)`;
  }
}

/** The operator's calls: sent by the operator, or (index > 0) by someone else, who must be refused. */
abstract class OperatorStep extends Step {
  constructor(readonly callerIndex: number) {
    super();
  }
  protected caller(real: Real): HardhatEthersSigner {
    return actor(real, this.callerIndex);
  }
  protected by(): string {
    return this.callerIndex === OPERATOR ? "" : ` by #${this.callerIndex}`;
  }
}

class ResetCommand extends OperatorStep {
  async run(model: ContributionModel, real: Real): Promise<void> {
    const caller = this.caller(real);
    const expected = attempt(model, reset, caller.address);
    await transact(model, real, expected, this.label(), (o) => real.contract.connect(caller).reset(o));
  }
  protected name(): string {
    return `reset(${this.by()})`;
  }
}

class FinalizeCommand extends OperatorStep {
  async run(model: ContributionModel, real: Real): Promise<void> {
    const caller = this.caller(real);
    const expected = attempt(model, finalize, caller.address);
    await transact(model, real, expected, this.label(), (o) => real.contract.connect(caller).finalize(o));
  }
  protected name(): string {
    return `finalize(${this.by()})`;
  }
}

/**
 * The step that moves the node on: the operator's finalisation when the node waits for it, its reset once the node
 * is registered (to register it again, under new keys or not), else the next contribution.
 */
class ProgressCommand extends Step {
  constructor(readonly contribution: ContributeCommand) {
    super();
  }
  async run(model: ContributionModel, real: Real): Promise<void> {
    const step =
      model.status === Status.WaitForFinalized
        ? new FinalizeCommand(OPERATOR)
        : model.status === Status.Finalized
          ? new ResetCommand(OPERATOR)
          : this.contribution;
    await step.run(model, real);
  }
  protected name(): string {
    return `progress(else ${this.contribution.toString()})`;
  }
}

class UpdateFeeCommand extends OperatorStep {
  constructor(
    callerIndex: number,
    readonly fee: number,
  ) {
    super(callerIndex);
  }
  async run(model: ContributionModel, real: Real): Promise<void> {
    const caller = this.caller(real);
    const expected = attempt(model, updateFee, caller.address, this.fee);
    await transact(model, real, expected, this.label(), (o) => real.contract.connect(caller).updateFee(this.fee, o));
  }
  protected name(): string {
    return `updateFee(${this.fee}${this.by()})`;
  }
}

class UpdateManualFinalizeCommand extends OperatorStep {
  constructor(
    callerIndex: number,
    readonly value: boolean,
  ) {
    super(callerIndex);
  }
  async run(model: ContributionModel, real: Real): Promise<void> {
    const caller = this.caller(real);
    const expected = attempt(model, updateManualFinalize, caller.address, this.value);
    await transact(model, real, expected, this.label(), (o) =>
      real.contract.connect(caller).updateManualFinalize(this.value, o),
    );
  }
  protected name(): string {
    return `updateManualFinalize(${this.value}${this.by()})`;
  }
}

class UpdateReservedCommand extends OperatorStep {
  constructor(
    callerIndex: number,
    readonly spec: ReservationSpec,
  ) {
    super(callerIndex);
  }
  async run(model: ContributionModel, real: Real): Promise<void> {
    const caller = this.caller(real);
    const spots = spotsFor(model, real, this.spec);
    this.detail = describeSpots(spots, real);
    const expected = attempt(model, updateReservedContributors, caller.address, spots);
    await transact(model, real, expected, this.label(), (o) =>
      real.contract.connect(caller).updateReservedContributors(spots, o),
    );
  }
  protected name(): string {
    return `updateReservedContributors(${this.spec.spots.map((s) => s.kind).join(" ")}, ${this.spec.mutation}${this.by()})`;
  }
}

class UpdatePubkeysCommand extends OperatorStep {
  constructor(
    callerIndex: number,
    readonly node: number,
    readonly validProof: boolean,
  ) {
    super(callerIndex);
  }
  async run(model: ContributionModel, real: Real): Promise<void> {
    const caller = this.caller(real);
    const keys = keysOf(real.f, this.node, this.validProof);
    const expected = attempt(model, updatePubkeys, caller.address, keys);
    const params = paramsOf(keys.ed25519, 0);
    await transact(model, real, expected, this.label(), (o) =>
      real.contract
        .connect(caller)
        .updatePubkeys(
          keyOf(real.f, keys.node),
          proofOf(real, keys),
          params.serviceNodePubkey,
          params.serviceNodeSignature1,
          params.serviceNodeSignature2,
          o,
        ),
    );
  }
  protected name(): string {
    return `updatePubkeys(node ${this.node}${this.validProof ? "" : ", wrong proof"}${this.by()})`;
  }
}

class ResetUpdateAndContributeCommand extends OperatorStep {
  constructor(
    callerIndex: number,
    readonly node: number,
    readonly validProof: boolean,
    readonly fee: number,
    readonly spec: ReservationSpec,
    readonly manualFinalize: boolean,
    readonly beneficiary: number,
    readonly kind: AmountKind,
    readonly permille: number,
  ) {
    super(callerIndex);
  }
  async run(model: ContributionModel, real: Real): Promise<void> {
    const caller = this.caller(real);
    const keys = keysOf(real.f, this.node, this.validProof);
    const spots = spotsFor(model, real, this.spec);
    // The amount is chosen against the state after the reset and the new reservations (when they are valid).
    const preview = structuredClone(model);
    attempt(preview, reset, model.operator);
    attempt(preview, updateReservedContributors, model.operator, spots);
    const amount = amountFor(preview, model.operator, this.kind, this.permille);
    const beneficiary = beneficiaryFor(caller, this.beneficiary);
    this.detail = `${describeSpots(spots, real)}, pays ${amount}`;
    const update = { keys, fee: this.fee, spots, manualFinalize: this.manualFinalize };
    const now = model.now + 1n;
    const expected = attempt(model, resetUpdateAndContribute, caller.address, update, beneficiary, amount, now);
    await transact(model, real, expected, this.label(), (o) =>
      real.contract
        .connect(caller)
        .resetUpdateAndContribute(
          keyOf(real.f, keys.node),
          proofOf(real, keys),
          paramsOf(keys.ed25519, this.fee),
          spots,
          this.manualFinalize,
          beneficiary,
          amount,
          o,
        ),
    );
  }
  protected name(): string {
    const what = `node ${this.node}${this.validProof ? "" : " wrong proof"}, fee ${this.fee}`;
    const reservations = `${this.spec.spots.map((s) => s.kind).join(" ")} ${this.spec.mutation}`;
    return `resetUpdateAndContribute(${what}, [${reservations}], manual ${this.manualFinalize}, ${this.kind}${this.by()})`;
  }
}

class UpdateBeneficiaryCommand extends Step {
  constructor(
    readonly anyone: boolean,
    readonly pick: number,
    readonly beneficiary: number,
  ) {
    super();
  }
  async run(model: ContributionModel, real: Real): Promise<void> {
    const index = contributorOrActor(model, real, this.pick, this.anyone);
    const caller = actor(real, index);
    const beneficiary = beneficiaryFor(caller, this.beneficiary);
    this.detail = `#${index}`;
    const expected = attempt(model, updateBeneficiary, caller.address, beneficiary);
    await transact(model, real, expected, this.label(), (o) =>
      real.contract.connect(caller).updateBeneficiary(beneficiary, o),
    );
  }
  protected name(): string {
    return `updateBeneficiary(${this.anyone ? "anyone" : "contributor"} ${this.pick}, ${this.beneficiary})`;
  }
}

type Token = "sesh" | "token";

class RescueCommand extends OperatorStep {
  constructor(
    callerIndex: number,
    readonly which: Token,
  ) {
    super(callerIndex);
  }
  async run(model: ContributionModel, real: Real): Promise<void> {
    const caller = this.caller(real);
    const address = this.which === "sesh" ? model.seshAddress : model.tokenAddress;
    const expected = attempt(model, rescue, caller.address, this.which);
    await transact(model, real, expected, this.label(), (o) => real.contract.connect(caller).rescueERC20(address, o));
  }
  protected name(): string {
    return `rescueERC20(${this.which}${this.by()})`;
  }
}

/** The outsider sends SESH to the clone by a plain transfer, or the other token is minted to it. */
class SendByMistakeCommand extends Step {
  constructor(
    readonly which: Token,
    readonly amount: bigint,
  ) {
    super();
  }
  async run(model: ContributionModel, real: Real): Promise<void> {
    const outsider = actor(real, OUTSIDER);
    if (this.which === "sesh") {
      const expected = attempt(model, sendSeshByMistake, outsider.address, this.amount);
      await transact(model, real, expected, this.label(), (o) =>
        real.f.sesh.connect(outsider).transfer(model.address, this.amount, o),
      );
      return;
    }
    model.token.set(model.address, balanceOf(model.token, model.address) + this.amount);
    await transact(model, real, OK, this.label(), (o) =>
      real.f.token.connect(outsider).mint(model.address, this.amount, o),
    );
  }
  protected name(): string {
    return `sendByMistake(${this.amount} ${this.which})`;
  }
}

/**
 * A detour through a changed rewards contract: the owner pauses it, or its requirement or maximum change, then one
 * command runs (a contribution, a finalisation…), then the rewards contract is put back. Short, so that a run goes on
 * filling its node afterwards.
 */
type RewardsChange = "pause" | "requirement" | "maxContributors";

class RewardsDetourCommand extends Step {
  constructor(
    readonly change: RewardsChange,
    readonly inner: Step,
  ) {
    super();
  }
  private async apply(model: ContributionModel, real: Real, changed: boolean): Promise<void> {
    const owner = real.f.rewards.connect(real.f.owner);
    const label = `${this.name()} ${changed ? "on" : "off"}`;
    switch (this.change) {
      case "pause": {
        const expected = attempt(model, pauseRewards, changed);
        await transact(model, real, expected, label, (o) => (changed ? owner.pause(o) : owner.unpause(o)));
        return;
      }
      case "requirement": {
        const requirement = changed ? CHANGED_REQUIREMENT : REQUIREMENT;
        model.rewards.requirement = requirement;
        await transact(model, real, OK, label, (o) => owner.setStakingRequirement(requirement, o));
        return;
      }
      case "maxContributors":
        // No function changes it (only an upgrade could): the test writes the rewards contract's storage.
        model.rewards.maxContributors = changed ? CHANGED_MAX_CONTRIBUTORS : MAX_CONTRIBUTORS;
        await setRewardsMaxContributors(real.f, model.rewards.maxContributors);
        return;
    }
  }
  async run(model: ContributionModel, real: Real): Promise<void> {
    await this.apply(model, real, true);
    await checkAgainstModel(model, real);
    await this.inner.run(model, real);
    await checkAgainstModel(model, real);
    await this.apply(model, real, false);
  }
  protected name(): string {
    return `rewards(${this.change})`;
  }
  override toString(): string {
    return `${this.name()} { ${this.inner.toString()} }`;
  }
}

// -------------------------------------------------------------------------------------------------------------------
// The comparison after every command
// -------------------------------------------------------------------------------------------------------------------

/** The outcome of a view: its value, or its custom error. */
async function viewOutcome<T>(real: Real, call: Promise<T>): Promise<{ value: T } | Outcome> {
  try {
    return { value: await call };
  } catch (error) {
    return decodeRevert(real, error);
  }
}

function expectedView<T>(compute: () => T): { value: T } | Outcome {
  try {
    return { value: compute() };
  } catch (error) {
    if (error instanceof Revert) return error.outcome;
    throw error;
  }
}

async function checkAgainstModel(model: ContributionModel, real: Real): Promise<void> {
  const { contract, f } = real;
  const finalized = model.status === Status.Finalized;
  const unfilled = unfilledReservations(model);
  const [status, manualFinalize, params, blsPubkey, total, reservedTotal, operatorContribution, length] =
    await Promise.all([
      contract.status(),
      contract.manualFinalize(),
      contract.serviceNodeParams(),
      contract.blsPubkey(),
      contract.totalContribution(),
      contract.totalReservedContribution(),
      contract.operatorContribution(),
      contract.contributorAddressesLength(),
    ]);
  const key = keyOf(f, model.keys.node);
  expect(
    plain({ status, manualFinalize, params, blsPubkey, total, reservedTotal, operatorContribution, length }),
    "the clone's state",
  ).to.deep.equal(
    plain({
      status: BigInt(model.status),
      manualFinalize: model.manualFinalize,
      params: paramsValues(model.keys.ed25519, model.fee),
      blsPubkey: [key.X, key.Y],
      total: totalContribution(model),
      reservedTotal: unfilled.amount,
      operatorContribution: contributorOf(model, model.operator)?.amount ?? 0n,
      length: BigInt(model.contributors.length),
    }),
  );
  const proof = plain(Object.values(proofOf(real, model.keys)));
  expect(plain(await contract.blsSignature()), "blsSignature").to.deep.equal(proof);
  expect(plain(await contract._blsSignature()), "_blsSignature").to.deep.equal(proof);
  expect(plain(await contract._serviceNodeParams()), "_serviceNodeParams").to.deep.equal(
    plain(paramsValues(model.keys.ed25519, model.fee)),
  );

  const contributions = await contract.getContributions();
  expect(plain(contributions), "getContributions").to.deep.equal(
    plain([
      model.contributors.map((c) => c.addr),
      model.contributors.map((c) => c.beneficiary),
      model.contributors.map((c) => c.amount),
    ]),
  );
  expect(plain(await contract.getReserved()), "getReserved").to.deep.equal(
    plain([
      model.reserved.map((r) => r.addr),
      model.reserved.map((r) => r.amount),
      model.reserved.map((r) => r.received),
    ]),
  );
  const perActor = await Promise.all(
    real.actors.map(async (signer) =>
      Promise.all([
        contract.contributions(signer.address),
        contract.contributionTimestamp(signer.address),
        contract.reservedContributions(signer.address),
      ]),
    ),
  );
  expect(plain(perActor), "contributions, contributionTimestamp and reservedContributions of each actor").to.deep.equal(
    plain(
      real.actors.map((signer) => {
        const contributor = contributorOf(model, signer.address);
        const reservation = reservationOf(model, signer.address);
        return [
          contributor?.amount ?? 0n,
          contributor?.timestamp ?? 0n,
          [reservation?.amount ?? 0n, reservation?.received ?? false],
        ];
      }),
    ),
  );
  // The indexed views, each index and the first one past the end.
  const outOfRange = (length: number) => {
    const index = BigInt(length);
    return plain({ ok: false, source: "contribution", error: "IndexOutOfRange", args: [index, index] });
  };
  const contributorCount = model.contributors.length;
  for (const [i, c] of model.contributors.entries()) {
    const staker = plain([c.addr, c.beneficiary]);
    expect(plain(await contract.contributorAddresses(i)), `contributorAddresses(${i})`).to.deep.equal(staker);
    expect(plain(await contract._contributorAddresses(i)), `_contributorAddresses(${i})`).to.deep.equal(staker);
  }
  expect(plain(await viewOutcome(real, contract.contributorAddresses(contributorCount))), "past the end").to.deep.equal(
    outOfRange(contributorCount),
  );
  const reservedCount = model.reserved.length;
  for (const [i, r] of model.reserved.entries()) {
    expect(await contract.reservedContributionsAddresses(i), `reservedContributionsAddresses(${i})`).to.equal(r.addr);
  }
  expect(
    plain(await viewOutcome(real, contract.reservedContributionsAddresses(reservedCount))),
    "past the end",
  ).to.deep.equal(outOfRange(reservedCount));
  const minimum = await viewOutcome(real, contract.minimumContribution());
  if (TALLY_OUTCOMES) tally("view minimumContribution", "ok" in minimum ? minimum : OK);
  expect(plain(minimum), "minimumContribution").to.deep.equal(plain(expectedView(() => minimumContribution(model))));

  // Balances: every follower's SESH, and the other token's at the clone and the operator.
  const seshBalances = await Promise.all([...model.sesh.keys()].map((account) => f.sesh.balanceOf(account)));
  expect(plain(seshBalances), "SESH balances").to.deep.equal(plain([...model.sesh.values()]));
  const tokenBalances = await Promise.all([...model.token.keys()].map((account) => f.token.balanceOf(account)));
  expect(plain(tokenBalances), "token balances").to.deep.equal(plain([...model.token.values()]));

  // Conservation, from the clone's own figures: until the node is registered its SESH is the live contributions
  // (plus what was sent by mistake); once registered the stake is in the rewards contract and only the mistake stays.
  const live = sum(contributions[2]);
  expect(total, "totalContribution is the sum of the contributions").to.equal(live);
  expect(await f.sesh.balanceOf(model.address), "the clone's SESH").to.equal((finalized ? 0n : live) + model.straySesh);
  expect(balanceOf(model.sesh, model.address), "the model's clone SESH").to.equal(
    (finalized ? 0n : totalContribution(model)) + model.straySesh,
  );
  // Each registration moved exactly the requirement to the rewards contract.
  expect(await f.sesh.balanceOf(f.rewardsAddress), "the rewards contract's SESH").to.equal(
    real.rewardsSeshAtStart + REQUIREMENT * BigInt(model.rewards.registered.length),
  );

  // Every node this clone registered: the event it was registered with, and the rewards contract's record.
  const registered = model.rewards.registered;
  expect(plain(real.registrations), "NewServiceNodeV2 events").to.deep.equal(
    plain(
      registered.map((node) => {
        const nodeKey = keyOf(f, node.keys.node);
        return {
          id: node.id,
          initiator: model.address,
          key: [nodeKey.X, nodeKey.Y],
          params: paramsValues(node.keys.ed25519, node.fee),
          contributors: node.contributors.map((c) => [[c.addr, c.beneficiary], c.amount]),
        };
      }),
    ),
  );
  for (const node of registered) {
    const nodeKey = keyOf(f, node.keys.node);
    expect(await f.rewards.serviceNodeIDs(encodeKey(nodeKey)), "serviceNodeIDs").to.equal(node.id);
    const stored = await f.rewards.serviceNodes(node.id);
    expect(
      plain([stored.operator, stored.blsPubkey, stored.deposit, stored.ed25519Pubkey, stored.contributors]),
      `serviceNodes(${node.id})`,
    ).to.deep.equal(
      plain([
        model.operator,
        [nodeKey.X, nodeKey.Y],
        REQUIREMENT,
        node.keys.ed25519,
        node.contributors.map((c) => [[c.addr, c.beneficiary], c.amount]),
      ]),
    );
  }
  expect(await f.rewards.nextServiceNodeID(), "nextServiceNodeID").to.equal(model.rewards.nextId);
}

/** Runs each command and then compares the chain with the model. */
class Checked implements Command {
  constructor(readonly inner: Command) {}
  check(model: Readonly<ContributionModel>): boolean {
    return this.inner.check(model);
  }
  async run(model: ContributionModel, real: Real): Promise<void> {
    const before = model.status;
    await this.inner.run(model, real);
    if (TALLY_OUTCOMES) {
      TALLY.set("commands", (TALLY.get("commands") ?? 0) + 1);
      const key = `status ${before} → ${model.status}`;
      if (model.status !== before) TALLY.set(key, (TALLY.get(key) ?? 0) + 1);
    }
    await checkAgainstModel(model, real);
  }
  toString(): string {
    return this.inner.toString();
  }
}

// -------------------------------------------------------------------------------------------------------------------
// Arbitraries
// -------------------------------------------------------------------------------------------------------------------

const pick = fc.nat({ max: 1_000 });
/** A point between two bounds, near the lower one half of the time. */
const permille = fc.oneof(fc.nat({ max: 100 }), fc.nat({ max: 1_000 }));
/** 0 (none: the caller, or on a top-up the one recorded), the caller, or one of {BENEFICIARIES}; none most often. */
const beneficiaryPick = fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, fc.nat({ max: 3 }));
/** The operator, most of the time; else anyone else (who must be refused). */
const operatorCaller = fc.oneof(
  { weight: 6, arbitrary: fc.constant(OPERATOR) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: OUTSIDER }) },
);
const amountKind = fc.oneof(
  { weight: 3, arbitrary: fc.constant<AmountKind>("fill") },
  { weight: 3, arbitrary: fc.constant<AmountKind>("between") },
  { weight: 5, arbitrary: fc.constant<AmountKind>("minimum") },
  { weight: 1, arbitrary: fc.constantFrom<AmountKind>("belowMinimum", "overfill", "atom", "zero") },
);
const spotKind = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<SpotKind>("minimum", "between") },
  { weight: 1, arbitrary: fc.constantFrom<SpotKind>("rest", "belowMinimum", "aboveRest") },
);
const reservationSpec: fc.Arbitrary<ReservationSpec> = fc.record({
  spots: fc.array(fc.record({ holder: fc.nat({ max: 100 }), kind: spotKind, permille }), { maxLength: 3 }),
  mutation: fc.oneof(
    { weight: 8, arbitrary: fc.constant("none" as const) },
    { weight: 1, arbitrary: fc.constantFrom("zeroAddress", "notOperatorFirst", "duplicate", "tooMany" as const) },
  ),
  where: fc.nat({ max: 100 }),
});
const fee = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 10_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 10_001, max: 65_535 }) },
);
const node = fc.nat({ max: NODES - 1 });
const validProof = fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
const contribution = (who: Contributing) =>
  fc.tuple(pick, amountKind, permille, beneficiaryPick).map(([p, k, q, b]) => new ContributeCommand(who, p, k, q, b));
const withdrawal = (anyone: boolean) =>
  fc
    .tuple(pick, fc.constantFrom<WithdrawalTime>("now", "early", "exact", "exact"))
    .map(([p, w]) => new WithdrawCommand(anyone, p, w));
const finalization = operatorCaller.map((c) => new FinalizeCommand(c));
const progress = contribution("next").map((c) => new ProgressCommand(c));
const DAY = Number(WITHDRAWAL_DELAY);

/** The commands, the frequent ones listed more than once (fc.commands picks an entry uniformly). */
const commandArbitraries: fc.Arbitrary<Command>[] = [
  contribution("operator"),
  contribution("operator"),
  contribution("public"),
  contribution("public"),
  contribution("next"),
  contribution("next"),
  progress,
  contribution("reserved"),
  contribution("reserved"),
  withdrawal(false),
  withdrawal(false),
  withdrawal(true),
  fc
    .oneof(
      fc.integer({ min: 1, max: 3_600 }),
      fc.integer({ min: DAY - 5, max: DAY + 5 }),
      fc.integer({ min: DAY, max: 3 * DAY }),
    )
    .map((seconds) => new JumpCommand(seconds)),
  operatorCaller.map((c) => new ResetCommand(c)),
  finalization,
  fc.tuple(operatorCaller, fee).map(([c, value]) => new UpdateFeeCommand(c, value)),
  fc.tuple(operatorCaller, fc.boolean()).map(([c, value]) => new UpdateManualFinalizeCommand(c, value)),
  fc.tuple(operatorCaller, reservationSpec).map(([c, spec]) => new UpdateReservedCommand(c, spec)),
  fc.tuple(operatorCaller, node, validProof).map(([c, n, v]) => new UpdatePubkeysCommand(c, n, v)),
  fc
    .tuple(operatorCaller, node, validProof, fee, reservationSpec, fc.boolean(), beneficiaryPick, amountKind, permille)
    .map((args) => new ResetUpdateAndContributeCommand(...args)),
  fc.tuple(fc.boolean(), pick, beneficiaryPick).map(([anyone, p, b]) => new UpdateBeneficiaryCommand(anyone, p, b)),
  fc.tuple(operatorCaller, fc.constantFrom<Token>("sesh", "token")).map(([c, w]) => new RescueCommand(c, w)),
  fc
    .tuple(fc.constantFrom<Token>("sesh", "token"), fc.bigInt({ min: 1n, max: 10n * SESH }))
    .map(([w, amount]) => new SendByMistakeCommand(w, amount)),
  fc
    .tuple(
      fc.constantFrom<RewardsChange>("pause", "requirement", "maxContributors"),
      fc.oneof(progress, contribution("public"), finalization),
    )
    .map(([change, inner]) => new RewardsDetourCommand(change, inner)),
];

/** How a run opens its clone: fee, reservations (kept only when valid) and manual finalisation. */
interface Opening {
  readonly fee: number;
  readonly spec: ReservationSpec;
  readonly manualFinalize: boolean;
}
const opening: fc.Arbitrary<Opening> = fc.record({ fee, spec: reservationSpec, manualFinalize: fc.boolean() });
/** The fee a run opens with when the one it drew is refused. */
const FALLBACK_FEE = 500;

// -------------------------------------------------------------------------------------------------------------------
// The property
// -------------------------------------------------------------------------------------------------------------------

/** The model of a clone not opened yet (address 0) with the node 0's keys. */
async function blankModel(cast: Cast): Promise<ContributionModel> {
  const { f } = cast;
  return {
    address: ZERO_ADDRESS,
    rewardsAddress: f.rewardsAddress,
    seshAddress: await f.sesh.getAddress(),
    tokenAddress: await f.token.getAddress(),
    operator: actor(cast, OPERATOR).address,
    requirement: REQUIREMENT,
    maxContributors: MAX_CONTRIBUTORS,
    status: Status.WaitForOperatorContrib,
    fee: 0,
    manualFinalize: false,
    keys: keysOf(f, 0, true),
    contributors: [],
    reserved: [],
    rewards: {
      requirement: REQUIREMENT,
      maxContributors: MAX_CONTRIBUTORS,
      paused: false,
      nextId: await f.rewards.nextServiceNodeID(),
      registered: [],
    },
    straySesh: 0n,
    sesh: new Map(),
    token: new Map(),
    now: 0n,
    events: [],
  };
}

/**
 * Reverts to the fixture and opens a clone through the factory as `open` says; when the model refuses that opening,
 * checks that the factory does so with the model's error, and opens one with no reservations and {FALLBACK_FEE}.
 * Builds the model of the clone.
 */
async function setup(open: Opening): Promise<{ model: ContributionModel; real: Real }> {
  const f = await loadStakingFixture(contributionFixture);
  const cast: Cast = { f, actors: f.stakers.slice(0, OUTSIDER + 1) };
  const operator = actor(cast, OPERATOR);
  const deploy = (fee: number, spots: readonly Spot[], manualFinalize: boolean) => {
    const keys = keysOf(f, 0, true);
    return f.factory
      .connect(operator)
      .deploy(keyOf(f, keys.node), proofOf(cast, keys), paramsOf(keys.ed25519, fee), [...spots], manualFinalize, {
        gasLimit: GAS_LIMIT,
      });
  };
  const model = await blankModel(cast);
  const drawn = spotsFor(model, cast, open.spec);
  let opening = { fee: open.fee, spots: drawn, manualFinalize: open.manualFinalize };
  const expected = attempt(structuredClone(model), initialize, opening.fee, opening.spots, opening.manualFinalize);
  if (!expected.ok) {
    let outcome: Outcome = OK;
    try {
      await (await deploy(opening.fee, opening.spots, opening.manualFinalize)).wait();
    } catch (error) {
      outcome = decodeRevert(cast, error);
    }
    tally("open", outcome);
    const label = `open(fee ${opening.fee}, ${describeSpots(opening.spots, cast)})`;
    expect(plain(outcome), label).to.deep.equal(plain(expected));
    opening = { fee: FALLBACK_FEE, spots: [], manualFinalize: open.manualFinalize };
  }
  expect(attempt(model, initialize, opening.fee, opening.spots, opening.manualFinalize)).to.deep.equal(OK);
  const response = deploy(opening.fee, opening.spots, opening.manualFinalize);
  const contract = await contractOf(f, response);
  const address = await contract.getAddress();
  expect(cloneEvents(await (await response).wait(), address), "the clone's events at its opening").to.deep.equal(
    plain(model.events),
  );
  expect(await f.factory.owns(address), "the factory owns the clone").to.equal(true);
  for (const signer of cast.actors.slice(0, OUTSIDER)) {
    await (await f.sesh.connect(signer).approve(address, MaxUint256)).wait();
  }
  const opened: ContributionModel = { ...model, address, now: BigInt(await time.latest()), events: [] };
  for (const account of [address, f.rewardsAddress, ...cast.actors.map((signer) => signer.address)]) {
    opened.sesh.set(account, await f.sesh.balanceOf(account));
  }
  for (const account of [address, operator.address]) opened.token.set(account, await f.token.balanceOf(account));
  const real: Real = {
    ...cast,
    contract,
    registrations: [],
    rewardsSeshAtStart: balanceOf(opened.sesh, f.rewardsAddress),
  };
  // What the clone was opened with and never changes.
  expect(
    plain(
      await Promise.all([
        contract.operator(),
        contract.stakingRequirement(),
        contract.maxContributors(),
        contract.SESH(),
        contract.stakingRewardsContract(),
      ]),
    ),
    "the clone's constants",
  ).to.deep.equal(plain([operator.address, REQUIREMENT, MAX_CONTRIBUTORS, opened.seshAddress, f.rewardsAddress]));
  await checkAgainstModel(opened, real);
  return { model: opened, real };
}

describe("ServiceNodeContribution (model-based property)", function () {
  restoreChainAfterSuite();

  it("follows the model through every status: contributions, withdrawals, resets, settings, registration, rescues and balances", async function () {
    await fc.assert(
      fc.asyncProperty(
        opening,
        fc.commands(
          commandArbitraries.map((arbitrary) => arbitrary.map((command) => new Checked(command))),
          { maxCommands: MAX_COMMANDS, size: "max" },
        ),
        async (open, commands) => {
          if (TALLY_OUTCOMES) TALLY.set("runs", (TALLY.get("runs") ?? 0) + 1);
          await fc.asyncModelRun(() => setup(open), commands);
        },
      ),
      { seed: FC_SEED, numRuns: NUM_RUNS },
    );
    if (TALLY_OUTCOMES) console.log([...TALLY.entries()].sort());
  });
});

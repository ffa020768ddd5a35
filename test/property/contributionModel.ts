/**
 * A TypeScript model of one ServiceNodeContribution clone and of what the rewards contract does when the clone
 * registers its node: the rules of IServiceNodeContribution's NatSpec (each function's checks in their order) and of
 * INTERFACE.md section 3, written without looking at how the contract stores its state. Pure: no chain, no hardhat.
 *
 * Each operation runs on a copy of the model ({attempt}) and throws a {Revert} with the custom error it predicts, as
 * the EVM rolls a reverted transaction back: the model keeps the state of before, and the test compares the error
 * and its arguments with the contract's.
 */

/** IServiceNodeContribution.Status. */
export const Status = {
  WaitForOperatorContrib: 0,
  OpenForPublicContrib: 1,
  WaitForFinalized: 2,
  Finalized: 3,
} as const;
/** IServiceNodeContribution.WITHDRAWAL_DELAY: one day. */
export const WITHDRAWAL_DELAY = 86_400n;
/** IServiceNodeContribution.MAX_FEE, in basis points. */
export const MAX_FEE = 10_000;
/** The operator contributes at least a quarter; the first contributor's minimum is a quarter of what is left. */
const OPERATOR_SHARE_DIVISOR = 4n;
export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** Which contract raised an error: the contribution contract or, during a registration, the rewards contract. */
export type ErrorSource = "contribution" | "rewards";
/** A transaction's outcome: success, or a custom error with its arguments. */
export type Outcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly source: ErrorSource; readonly error: string; readonly args: readonly unknown[] };
export const OK: Outcome = { ok: true };

/** Thrown by an operation to revert the transaction it models. */
export class Revert extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome.ok ? "ok" : `${outcome.source}.${outcome.error}`);
  }
}

function revert(error: string, ...args: unknown[]): never {
  throw new Revert({ ok: false, source: "contribution", error, args });
}

function revertInRewards(error: string, ...args: unknown[]): never {
  throw new Revert({ ok: false, source: "rewards", error, args });
}

/** The node's keys, by the simulated network node they belong to. */
export interface Keys {
  /** The index of the network node whose BLS key it is. */
  readonly node: number;
  /** Its BLS key (X, Y). */
  readonly blsKey: readonly [bigint, bigint];
  readonly ed25519: bigint;
  /** Whether the proof of possession is the node's for this operator and ed25519 key (the rewards contract checks). */
  readonly validProof: boolean;
}

export interface Contributor {
  readonly addr: string;
  beneficiary: string;
  amount: bigint;
  /** The time of its last contribution. */
  timestamp: bigint;
}

export interface Spot {
  readonly addr: string;
  readonly amount: bigint;
}

export interface Reservation extends Spot {
  received: boolean;
}

/** An event of the clone: its name and arguments (structs as arrays of their fields). */
export interface ModelEvent {
  readonly name: string;
  readonly args: readonly unknown[];
}

/** A node the rewards contract registered from this clone, as it was sent. */
export interface RegisteredNode {
  readonly id: bigint;
  readonly keys: Keys;
  readonly fee: number;
  readonly contributors: readonly { readonly addr: string; readonly beneficiary: string; readonly amount: bigint }[];
}

/** What of the rewards contract a registration depends on. */
export interface RewardsModel {
  requirement: bigint;
  maxContributors: number;
  paused: boolean;
  nextId: bigint;
  readonly registered: RegisteredNode[];
}

export interface ContributionModel {
  /** The clone, the rewards contract and the tokens, for balances and error arguments. */
  readonly address: string;
  readonly rewardsAddress: string;
  readonly seshAddress: string;
  readonly tokenAddress: string;
  /** What the clone was opened with: the operator, the rewards contract's requirement and maximum then. */
  readonly operator: string;
  readonly requirement: bigint;
  readonly maxContributors: number;
  status: number;
  fee: number;
  manualFinalize: boolean;
  keys: Keys;
  /** In the contract's order: the operator first, a leaver's place taken by the last one. */
  contributors: Contributor[];
  reserved: Reservation[];
  rewards: RewardsModel;
  /** SESH sent to the clone by mistake (not a contribution), until the operator rescues it. */
  straySesh: bigint;
  /** SESH balances of the accounts the test follows. */
  readonly sesh: Map<string, bigint>;
  /** Balances of a second token (sent to the clone by mistake). */
  readonly token: Map<string, bigint>;
  /** The latest block's timestamp. */
  now: bigint;
  /** The clone's events in the latest transaction modelled (none when it reverted). */
  events: ModelEvent[];
}

// -------------------------------------------------------------------------------------------------------------------
// Figures the contract's views report
// -------------------------------------------------------------------------------------------------------------------

export function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

export function sum(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

export function balanceOf(balances: ReadonlyMap<string, bigint>, account: string): bigint {
  return balances.get(account) ?? 0n;
}

function transfer(balances: Map<string, bigint>, from: string, to: string, amount: bigint): void {
  const held = balanceOf(balances, from);
  if (held < amount) throw new Error(`the model moves ${amount} from ${from}, which holds ${held}`);
  balances.set(from, held - amount);
  balances.set(to, balanceOf(balances, to) + amount);
}

export function totalContribution(m: ContributionModel): bigint {
  return sum(m.contributors.map((c) => c.amount));
}

/** The reservations whose holders have not contributed: their count and their sum. */
export function unfilledReservations(m: ContributionModel): { count: number; amount: bigint } {
  const open = m.reserved.filter((r) => !r.received);
  return { count: open.length, amount: sum(open.map((r) => r.amount)) };
}

export function contributorOf(m: ContributionModel, addr: string): Contributor | undefined {
  return m.contributors.find((c) => c.addr === addr);
}

export function reservationOf(m: ContributionModel, addr: string): Reservation | undefined {
  return m.reserved.find((r) => r.addr === addr);
}

export function minimumOperatorContribution(requirement: bigint): bigint {
  return ceilDiv(requirement, OPERATOR_SHARE_DIVISOR);
}

/** calcMinimumContribution: reverts CalcMinContributionGivenBadContribArgs when no spot is left. */
export function calcMinimumContribution(remaining: bigint, taken: number, max: number): bigint {
  if (taken >= max) revert("CalcMinContributionGivenBadContribArgs", BigInt(taken), BigInt(max));
  return taken === 0 ? ceilDiv(remaining, OPERATOR_SHARE_DIVISOR) : ceilDiv(remaining, BigInt(max - taken));
}

/** minimumContribution(): the least a new, unreserved contributor pays now. */
export function minimumContribution(m: ContributionModel): bigint {
  if (m.status === Status.WaitForOperatorContrib) return minimumOperatorContribution(m.requirement);
  const unfilled = unfilledReservations(m);
  const remaining = m.requirement - totalContribution(m) - unfilled.amount;
  return calcMinimumContribution(remaining, m.contributors.length + unfilled.count, m.maxContributors);
}

/** The most `addr` may contribute now without passing the requirement (its own open reservation counts as room). */
export function room(m: ContributionModel, addr: string): bigint {
  const own = contributorOf(m, addr) === undefined ? reservationOf(m, addr) : undefined;
  const ownReserved = own !== undefined && !own.received ? own.amount : 0n;
  return m.requirement - totalContribution(m) - unfilledReservations(m).amount + ownReserved;
}

// -------------------------------------------------------------------------------------------------------------------
// Operations (each mutates the draft it is given, or throws a Revert)
// -------------------------------------------------------------------------------------------------------------------

/**
 * Runs `operation(copy of model, ...args)`; keeps the copy if it succeeds, as a mined transaction, with the events it
 * emitted in `events`. Returns the outcome.
 */
export function attempt<Args extends unknown[]>(
  model: ContributionModel,
  operation: (draft: ContributionModel, ...args: Args) => void,
  ...args: Args
): Outcome {
  const draft = structuredClone(model);
  draft.events = [];
  try {
    operation(draft, ...args);
  } catch (error) {
    if (!(error instanceof Revert)) throw error;
    model.events = [];
    return error.outcome;
  }
  Object.assign(model, draft);
  return OK;
}

function emit(m: ContributionModel, name: string, ...args: unknown[]): void {
  m.events.push({ name, args });
}

function checkOperator(m: ContributionModel, caller: string): void {
  if (caller !== m.operator) revert("OnlyOperatorIsAuthorised", caller, m.operator);
}

function checkWaitingForOperator(m: ContributionModel): void {
  if (m.status !== Status.WaitForOperatorContrib) revert("RequireWaitForOperatorContribStatus", BigInt(m.status));
}

function checkFee(fee: number): void {
  if (fee > MAX_FEE) revert("FeeExceedsPossibleValue", BigInt(fee), BigInt(MAX_FEE));
}

/** The rewards contract still has the requirement and the maximum the clone was opened with. */
function checkRewardsContract(m: ContributionModel): void {
  if (m.rewards.requirement !== m.requirement) {
    revert("RewardsContractStakingRequirementChanged", m.requirement, m.rewards.requirement);
  }
  if (m.rewards.maxContributors !== m.maxContributors) {
    revert("RewardsContractMaxContributorsChanged", BigInt(m.maxContributors), BigInt(m.rewards.maxContributors));
  }
}

/** updateReservedContributors' checks, spot by spot, then the new spots (none received). */
function storeReservations(m: ContributionModel, spots: readonly Spot[]): void {
  if (spots.length > m.maxContributors) {
    revert("TooManyReservedContributors", BigInt(spots.length), BigInt(m.maxContributors));
  }
  let remaining = m.requirement;
  spots.forEach((spot, i) => {
    const index = BigInt(i);
    if (spot.addr === ZERO_ADDRESS) revert("ReservedContributorHasZeroAddress", index);
    if (i === 0 && spot.addr !== m.operator) revert("FirstReservedContributorMustBeOperator", index, m.operator);
    const minimum =
      i === 0 ? minimumOperatorContribution(m.requirement) : calcMinimumContribution(remaining, i, m.maxContributors);
    if (spot.amount < minimum) revert("ReservedContributionBelowMinAmount", index, spot.amount, minimum);
    if (spot.amount > remaining) revert("ReservedContributionExceedsStakingRequirement", index, spot.amount, remaining);
    if (spots.slice(0, i).some((earlier) => earlier.addr === spot.addr)) {
      revert("DuplicateAddressInReservedContributor", index);
    }
    remaining -= spot.amount;
  });
  m.reserved = spots.map((spot) => ({ addr: spot.addr, amount: spot.amount, received: false }));
  emit(
    m,
    "UpdateReservedContributors",
    spots.map((spot) => [spot.addr, spot.amount]),
  );
}

/** The checks of a new contributor, then its record (amount 0 yet): its reservation, else a free spot and the minimum. */
function admit(m: ContributionModel, caller: string, beneficiary: string, amount: bigint): Contributor {
  const reservation = reservationOf(m, caller);
  if (reservation !== undefined) {
    if (amount < reservation.amount) revert("ContributionBelowReservedAmount", amount, reservation.amount);
    reservation.received = true;
  } else {
    const taken = m.contributors.length + unfilledReservations(m).count;
    if (taken >= m.maxContributors) revert("MaxContributorsExceeded", BigInt(m.maxContributors));
    const minimum = minimumContribution(m);
    if (amount < minimum) revert("ContributionBelowMinAmount", amount, minimum);
  }
  const contributor = {
    addr: caller,
    beneficiary: beneficiary === ZERO_ADDRESS ? caller : beneficiary,
    amount: 0n,
    timestamp: 0n,
  };
  m.contributors.push(contributor);
  return contributor;
}

/** contributeFunds(amount, beneficiary) by `caller` in a block at `now`. */
export function contribute(m: ContributionModel, caller: string, amount: bigint, beneficiary: string, now: bigint) {
  if (m.status > Status.OpenForPublicContrib) revert("ContributeFundsNotPossible", BigInt(m.status));
  if (m.status === Status.WaitForOperatorContrib && caller !== m.operator) {
    revert("FirstContributionMustBeOperator", caller, m.operator);
  }
  checkRewardsContract(m);
  if (amount === 0n) revert("ZeroContribution");
  let contributor = contributorOf(m, caller);
  if (contributor === undefined) contributor = admit(m, caller, beneficiary, amount);
  // A top-up with beneficiary 0 keeps the recorded one (production resets it to the contributor).
  else if (beneficiary !== ZERO_ADDRESS) contributor.beneficiary = beneficiary;
  const total = totalContribution(m) + amount;
  const unfilled = unfilledReservations(m).amount;
  if (total + unfilled > m.requirement) {
    revert("ContributionExceedsStakingRequirement", total, unfilled, m.requirement);
  }
  contributor.amount += amount;
  contributor.timestamp = now;
  transfer(m.sesh, caller, m.address, amount);
  emit(m, "NewContribution", caller, contributor.beneficiary, amount);
  if (m.status === Status.WaitForOperatorContrib) {
    m.status = Status.OpenForPublicContrib;
    emit(m, "OpenForPublicContribution");
  }
  if (total === m.requirement) {
    m.status = Status.WaitForFinalized;
    emit(m, "Filled");
    if (!m.manualFinalize) register(m);
  }
}

/** The registration: the status check, then addBLSPublicKey's checks in the rewards contract, then the stake moves. */
function register(m: ContributionModel): void {
  if (m.status !== Status.WaitForFinalized) revert("FinalizeNotPossible", BigInt(m.status));
  const rewards = m.rewards;
  if (rewards.paused) revertInRewards("EnforcedPause");
  const contributors = m.contributors.map((c) => ({ addr: c.addr, beneficiary: c.beneficiary, amount: c.amount }));
  if (contributors.length > rewards.maxContributors) revertInRewards("MaxContributorsExceeded");
  const provided = sum(contributors.map((c) => c.amount));
  if (provided !== rewards.requirement) revertInRewards("ContributionTotalMismatch", rewards.requirement, provided);
  const operatorStake = contributors[0]?.amount ?? 0n;
  if (operatorStake < minimumOperatorContribution(rewards.requirement)) {
    revertInRewards("InsufficientOperatorContribution", operatorStake);
  }
  const sameKey = rewards.registered.find((node) => node.keys.node === m.keys.node);
  if (sameKey !== undefined) revertInRewards("BLSPubkeyAlreadyExists", sameKey.id);
  if (!m.keys.validProof) revertInRewards("InvalidBLSProofOfPossession");
  const sameEd25519 = rewards.registered.find((node) => node.keys.ed25519 === m.keys.ed25519);
  if (sameEd25519 !== undefined) revertInRewards("Ed25519PubkeyAlreadyExists", sameEd25519.id);
  m.status = Status.Finalized;
  emit(m, "Finalized");
  rewards.registered.push({ id: rewards.nextId, keys: m.keys, fee: m.fee, contributors });
  rewards.nextId += 1n;
  transfer(m.sesh, m.address, m.rewardsAddress, rewards.requirement);
}

/** finalize() by `caller`. */
export function finalize(m: ContributionModel, caller: string): void {
  checkOperator(m, caller);
  register(m);
}

/** Refunds every contributor (none once finalised), clears them and reopens the reservations. */
function resetContract(m: ContributionModel): void {
  emit(m, "Reset");
  if (m.status !== Status.Finalized) {
    for (const contributor of m.contributors) {
      transfer(m.sesh, m.address, contributor.addr, contributor.amount);
      emit(m, "WithdrawContribution", contributor.addr, contributor.amount);
    }
  }
  m.contributors = [];
  for (const reservation of m.reserved) reservation.received = false;
  m.status = Status.WaitForOperatorContrib;
}

/** reset() by `caller`. */
export function reset(m: ContributionModel, caller: string): void {
  checkOperator(m, caller);
  resetContract(m);
}

/** withdrawContribution() by `caller` in a block at `now`. */
export function withdraw(m: ContributionModel, caller: string, now: bigint): void {
  if (m.status === Status.Finalized) revert("WithdrawNotPossible", BigInt(m.status));
  const contributor = contributorOf(m, caller);
  if (contributor === undefined) revert("WithdrawalByNonContributor", caller);
  if (caller === m.operator) {
    resetContract(m);
    return;
  }
  if (now < contributor.timestamp + WITHDRAWAL_DELAY) {
    revert("WithdrawTooEarly", contributor.timestamp, now, WITHDRAWAL_DELAY);
  }
  const index = m.contributors.indexOf(contributor);
  const last = m.contributors.pop();
  if (last !== undefined && last !== contributor) m.contributors[index] = last;
  const reservation = reservationOf(m, caller);
  if (reservation !== undefined) reservation.received = false;
  if (m.status === Status.WaitForFinalized) m.status = Status.OpenForPublicContrib;
  transfer(m.sesh, m.address, caller, contributor.amount);
  emit(m, "WithdrawContribution", caller, contributor.amount);
}

/** updatePubkeys(...) by `caller`. */
export function updatePubkeys(m: ContributionModel, caller: string, keys: Keys): void {
  checkOperator(m, caller);
  checkWaitingForOperator(m);
  setKeys(m, keys);
}

function setKeys(m: ContributionModel, keys: Keys): void {
  m.keys = keys;
  emit(m, "UpdatePubkeys", keys.blsKey, keys.ed25519);
}

function setFee(m: ContributionModel, fee: number): void {
  checkFee(fee);
  m.fee = fee;
  emit(m, "UpdateFee", BigInt(fee));
}

function setManualFinalize(m: ContributionModel, value: boolean): void {
  m.manualFinalize = value;
  emit(m, "UpdateManualFinalize", value);
}

/** initialize(fee, spots, manualFinalize), as the factory calls it when it opens the clone with the model's keys. */
export function initialize(m: ContributionModel, fee: number, spots: readonly Spot[], manualFinalize: boolean): void {
  checkFee(fee);
  emit(m, "UpdatePubkeys", m.keys.blsKey, m.keys.ed25519);
  m.fee = fee;
  emit(m, "UpdateFee", BigInt(fee));
  storeReservations(m, spots);
  setManualFinalize(m, manualFinalize);
}

/** updateFee(fee) by `caller`. */
export function updateFee(m: ContributionModel, caller: string, fee: number): void {
  checkOperator(m, caller);
  checkWaitingForOperator(m);
  setFee(m, fee);
}

/** updateReservedContributors(spots) by `caller`. */
export function updateReservedContributors(m: ContributionModel, caller: string, spots: readonly Spot[]): void {
  checkOperator(m, caller);
  checkWaitingForOperator(m);
  storeReservations(m, spots);
}

/** updateManualFinalize(value) by `caller`. */
export function updateManualFinalize(m: ContributionModel, caller: string, value: boolean): void {
  checkOperator(m, caller);
  checkWaitingForOperator(m);
  setManualFinalize(m, value);
}

/** updateBeneficiary(beneficiary) by `caller`. */
export function updateBeneficiary(m: ContributionModel, caller: string, beneficiary: string): void {
  if (m.status > Status.OpenForPublicContrib) revert("BeneficiaryUpdatingDisabledNodeIsNotOpen", m.keys.ed25519);
  const contributor = contributorOf(m, caller);
  if (contributor === undefined) revert("NonContributorUpdatedBeneficiary", caller);
  contributor.beneficiary = beneficiary === ZERO_ADDRESS ? caller : beneficiary;
  emit(m, "UpdateStakerBeneficiary", caller, contributor.beneficiary);
}

/** resetUpdateAndContribute(...) by `caller` in a block at `now`. */
export function resetUpdateAndContribute(
  m: ContributionModel,
  caller: string,
  update: { keys: Keys; fee: number; spots: readonly Spot[]; manualFinalize: boolean },
  beneficiary: string,
  amount: bigint,
  now: bigint,
): void {
  checkOperator(m, caller);
  resetContract(m);
  setKeys(m, update.keys);
  setFee(m, update.fee);
  storeReservations(m, update.spots);
  setManualFinalize(m, update.manualFinalize);
  contribute(m, caller, amount, beneficiary, now);
}

/** rescueERC20(token) by `caller`: the clone's whole balance of SESH (once registered) or of the other token. */
export function rescue(m: ContributionModel, caller: string, which: "sesh" | "token"): void {
  checkOperator(m, caller);
  const tokenAddress = which === "sesh" ? m.seshAddress : m.tokenAddress;
  if (which === "sesh" && m.status !== Status.Finalized) revert("RescueNotPossible", BigInt(m.status));
  const balances = which === "sesh" ? m.sesh : m.token;
  const balance = balanceOf(balances, m.address);
  if (balance === 0n) revert("RescueBalanceIsEmpty", tokenAddress);
  transfer(balances, m.address, m.operator, balance);
  // Once the node is registered the clone holds no contribution: its SESH was all sent by mistake.
  if (which === "sesh") m.straySesh = 0n;
}

/** `amount` of SESH sent to the clone by a plain transfer from `from`. */
export function sendSeshByMistake(m: ContributionModel, from: string, amount: bigint): void {
  transfer(m.sesh, from, m.address, amount);
  m.straySesh += amount;
}

/** The rewards owner's pause() / unpause(). */
export function pauseRewards(m: ContributionModel, pausing: boolean): void {
  if (m.rewards.paused === pausing) revertInRewards(pausing ? "EnforcedPause" : "ExpectedPause");
  m.rewards.paused = pausing;
}

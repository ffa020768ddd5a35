import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { getAddress, toBeHex, ZeroAddress } from "ethers";
import fc from "fast-check";
import { ethers } from "hardhat";

import {
  domainTags,
  FIELD_MODULUS,
  mapToTwist,
  toSignatureParams,
  type G1PointStruct,
  type SignatureParams,
} from "../../lib/bls";
import {
  planJoin,
  planNode,
  readContributionState,
  readRegistrationParameters,
  type NodeProposal,
  type Plan,
  type PlannedCall,
  type Reservation,
} from "../../lib/registration";
import type { ServiceNodeContribution } from "../../typechain-types";
import { restoreChainAfterSuite } from "../helpers/chain";
import { FC_SEED, integerFromEnv } from "../helpers/env";
import { execute, expectAgreement, joinCalls, proposalCalls, send, type Outcome } from "../helpers/registration";
import { deployStakingFixture, loadStakingFixture, type StakingFixture } from "../helpers/staking";
import { addSolo, at, DAY, ED_BASE, keyOf, popOf } from "../unit/rewards/fixtures";

// Issue 11: lib/registration says OK exactly when the contracts accept, and otherwise its first problem is the custom
// error (with its arguments) the contracts revert with. Random proposals are planned with planNode and then played
// on chain whatever the plan says: the factory's deploy, the operator's contribution, and then the registration the
// keys are checked at (the reserved holders take their spots, the operator tops up the rest and finalises by hand if
// the proposal says so), since lib/registration reports the keys' problems although they bite only then. Random
// joins are planned with planJoin on a node opened in a random state and sent. Each case runs in an EVM snapshot
// that is reverted afterwards.

/**
 * Cases per property (about 0.1 s each on the 2-core machine, half a minute for the file): FC_REGISTRATION_PROPOSALS
 * and FC_REGISTRATION_JOINS widen a campaign, FC_SEED changes it.
 */
const PROPOSAL_RUNS = integerFromEnv("FC_REGISTRATION_PROPOSALS", 150, 1);
const JOIN_RUNS = integerFromEnv("FC_REGISTRATION_JOINS", 150, 1);

/** Few enough contributors that random reservations and joins reach the maximum. */
const MAX_CONTRIBUTORS = 5;
/** The network node the fixture registers (its BLS key and ed25519 key are taken) and the free ones. */
const REGISTERED_NODE = 0;
const FREE_NODES = [1, 2] as const;
const REGISTERED_ED25519 = ED_BASE + BigInt(REGISTERED_NODE);
const FRESH_ED25519 = 0x5e55_0001n;
/** Staker 7 registered the fixture's node; staker 0 opens the nodes the joins go to. */
const REGISTERING_STAKER = 7;
const UINT256_MAX = 2n ** 256n - 1n;
/** Fractions are drawn in per mille. */
const PER_MILLE = 1_000;
const OPERATOR_SHARE_DIVISOR = 4n;
const MAX_FEE = 10_000;
const STATUS = { WaitForOperatorContrib: 0n, OpenForPublicContrib: 1n, WaitForFinalized: 2n, Finalized: 3n };
const OTHER_BENEFICIARY = getAddress("0x" + "be".repeat(20));
const OTHER_REWARDS = getAddress("0x" + "0d".repeat(20));

/** Started, {MAX_CONTRIBUTORS} contributors a node, one solo node registered (network node {REGISTERED_NODE}). */
async function agreementFixture(): Promise<StakingFixture> {
  const f = await deployStakingFixture({ maxContributors: MAX_CONTRIBUTORS });
  await (await f.rewards.connect(f.owner).start()).wait();
  await addSolo(f, REGISTERED_NODE, at(f.stakers, REGISTERING_STAKER));
  return f;
}

/** ⌈a / b⌉, the contracts' `Math.ceilDiv` (written here again: the inputs must not come from the code under test). */
function ceilDiv(a: bigint, b: bigint): bigint {
  return a <= 0n ? 0n : (a - 1n) / b + 1n;
}

function fraction(amount: bigint, perMille: number): bigint {
  return (amount * BigInt(perMille)) / BigInt(PER_MILLE);
}

function nonNegative(value: bigint): bigint {
  return value < 0n ? 0n : value;
}

const perMille = fc.integer({ min: 0, max: PER_MILLE });
/** Mostly small fractions, so that the random nodes leave room for more contributors. */
const smallPerMille = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100 }), perMille);
const offset = fc.constantFrom(-1n, 0n, 1n);

// -------------------------------------------------------------------------------------------------------------------
// Random proposals
// -------------------------------------------------------------------------------------------------------------------

/** An amount relative to what its place allows: its minimum, what is left, in between, or anything. */
type AmountRecipe =
  | { readonly kind: "between"; readonly per: number }
  | { readonly kind: "minimum" | "left"; readonly offset: bigint }
  | { readonly kind: "random"; readonly per: number }
  | { readonly kind: "zero" };

const amountRecipe: fc.Arbitrary<AmountRecipe> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant("between" as const), per: smallPerMille }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("minimum" as const), offset }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("left" as const), offset }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("random" as const), per: fc.integer({ min: 0, max: 1_100 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("zero" as const) }) },
);

function amountOf(recipe: AmountRecipe, minimum: bigint, left: bigint, requirement: bigint): bigint {
  switch (recipe.kind) {
    case "between":
      return minimum + fraction(nonNegative(left - minimum), recipe.per);
    case "minimum":
      return nonNegative(minimum + recipe.offset);
    case "left":
      return nonNegative(left + recipe.offset);
    case "random":
      return fraction(requirement, recipe.per);
    case "zero":
      return 0n;
  }
}

/** A reserved spot: a new holder, the zero address, one named before, or the operator (again). */
const spotRecipe = fc.record({
  holder: fc.oneof(
    { weight: 30, arbitrary: fc.constant("new" as const) },
    { weight: 1, arbitrary: fc.constant("zero" as const) },
    { weight: 1, arbitrary: fc.constant("repeat" as const) },
    { weight: 1, arbitrary: fc.constant("operator" as const) },
  ),
  pick: fc.nat(),
  amount: amountRecipe,
});

/** The BLS key: a free one, the registered one, the identity, a point off the curve, or a coordinate ≥ P. */
const keyRecipe = fc.oneof(
  { weight: 24, arbitrary: fc.record({ kind: fc.constant("free" as const), node: fc.constantFrom(...FREE_NODES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("registered" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("null" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("offCurve" as const),
      X: fc.bigInt({ min: 1n, max: FIELD_MODULUS - 1n }),
      Y: fc.bigInt({ min: 1n, max: FIELD_MODULUS - 1n }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("outOfField" as const),
      inField: fc.bigInt({ min: 0n, max: UINT256_MAX }),
      outOfField: fc.bigInt({ min: FIELD_MODULUS, max: UINT256_MAX }),
      swap: fc.boolean(),
    }),
  },
);
type KeyRecipe = typeof keyRecipe extends fc.Arbitrary<infer T> ? T : never;

const word = fc.bigInt({ min: 0n, max: UINT256_MAX });
const fieldWord = fc.bigInt({ min: 0n, max: FIELD_MODULUS - 1n });
/**
 * The proof of possession: the key's own for this proposal, one made for another operator, ed25519 key, key or
 * rewards contract, the identity, random words (mostly ≥ P), random field elements (off the twist), or a point on
 * the twist outside G2.
 */
const popRecipe = fc.oneof(
  { weight: 30, arbitrary: fc.record({ kind: fc.constant("valid" as const) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom("otherOperator" as const, "otherEd25519" as const, "otherKey" as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("otherContract" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("null" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("words" as const), words: fc.tuple(word, word, word, word) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("fieldWords" as const),
      words: fc.tuple(fieldWord, fieldWord, fieldWord, fieldWord),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("outsideG2" as const), seed: fc.nat() }) },
);
type PopRecipe = typeof popRecipe extends fc.Arbitrary<infer T> ? T : never;

const proposalRecipe = fc.record({
  /** Draws the fee, reservations and stake valid, so that the keys' checks at registration are reached more often. */
  clean: fc.boolean(),
  operator: fc.integer({ min: 0, max: 1 }),
  fee: fc.oneof(
    { weight: 14, arbitrary: fc.integer({ min: 0, max: MAX_FEE }) },
    { weight: 1, arbitrary: fc.constantFrom(MAX_FEE, MAX_FEE + 1, 65_535) },
    { weight: 1, arbitrary: fc.integer({ min: MAX_FEE + 1, max: 65_535 }) },
  ),
  operatorFirst: fc.oneof({ weight: 20, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  spots: fc.array(spotRecipe, { maxLength: MAX_CONTRIBUTORS + 1 }),
  stake: amountRecipe,
  key: keyRecipe,
  ed25519: fc.oneof(
    { weight: 20, arbitrary: fc.constant("fresh" as const) },
    { weight: 1, arbitrary: fc.constant("registered" as const) },
    { weight: 1, arbitrary: fc.constant("zero" as const) },
  ),
  pop: popRecipe,
  manualFinalize: fc.boolean(),
  beneficiary: fc.constantFrom("zero" as const, "operator" as const, "other" as const),
});
type ProposalRecipe = typeof proposalRecipe extends fc.Arbitrary<infer T> ? T : never;

/** Proofs of possession signed so far (signing costs tens of milliseconds). */
const proofs = new Map<string, SignatureParams>();

function proofBy(f: StakingFixture, node: number, operator: string, ed25519: bigint, rewards = f.rewardsAddress) {
  const id = [node, operator, ed25519, rewards].join("/");
  const cached = proofs.get(id);
  if (cached !== undefined) return cached;
  const proof = popOf(f, node, operator, ed25519, domainTags(f.chainId, rewards));
  proofs.set(id, proof);
  return proof;
}

function keyFor(f: StakingFixture, recipe: KeyRecipe): { key: G1PointStruct; signer: number } {
  switch (recipe.kind) {
    case "free":
      return { key: keyOf(f, recipe.node), signer: recipe.node };
    case "registered":
      return { key: keyOf(f, REGISTERED_NODE), signer: REGISTERED_NODE };
    case "null":
      return { key: { X: 0n, Y: 0n }, signer: FREE_NODES[0] };
    case "offCurve":
      return { key: { X: recipe.X, Y: recipe.Y }, signer: FREE_NODES[0] };
    case "outOfField":
      return {
        key: recipe.swap ? { X: recipe.outOfField, Y: recipe.inField } : { X: recipe.inField, Y: recipe.outOfField },
        signer: FREE_NODES[0],
      };
  }
}

function proofFor(
  f: StakingFixture,
  recipe: PopRecipe,
  signer: number,
  operator: string,
  other: string,
  ed25519: bigint,
): SignatureParams {
  switch (recipe.kind) {
    case "valid":
      return proofBy(f, signer, operator, ed25519);
    case "otherOperator":
      return proofBy(f, signer, other, ed25519);
    case "otherEd25519":
      return proofBy(f, signer, operator, ed25519 + 1n);
    case "otherKey":
      return proofBy(f, signer === FREE_NODES[0] ? FREE_NODES[1] : FREE_NODES[0], operator, ed25519);
    case "otherContract":
      return proofBy(f, signer, operator, ed25519, OTHER_REWARDS);
    case "null":
      return { sigs0: 0n, sigs1: 0n, sigs2: 0n, sigs3: 0n };
    case "words":
    case "fieldWords": {
      const [sigs0, sigs1, sigs2, sigs3] = recipe.words;
      return { sigs0, sigs1, sigs2, sigs3 };
    }
    case "outsideG2":
      return toSignatureParams(mapToTwist(toBeHex(recipe.seed, 32), f.tags.hashToG2Tag).point);
  }
}

/** The reserved spots of a recipe, each amount drawn against its place's minimum and what is left before it. */
function reservationsFor(
  recipe: ProposalRecipe,
  operator: string,
  others: readonly string[],
  requirement: bigint,
): Reservation[] {
  const max = BigInt(MAX_CONTRIBUTORS);
  const unused = [...others];
  const spots: Reservation[] = [];
  let left = requirement;
  recipe.spots.forEach((spot, i) => {
    const index = BigInt(i);
    const holder = i === 0 && spot.holder === "repeat" ? "new" : spot.holder;
    let addr: string;
    if (i === 0 && recipe.operatorFirst) addr = operator;
    else if (holder === "zero") addr = ZeroAddress;
    else if (holder === "repeat") addr = at(spots, spot.pick % spots.length).addr;
    else if (holder === "operator" && i > 0) addr = operator;
    else addr = unused.shift() ?? ZeroAddress;
    const minimum =
      i === 0 ? ceilDiv(requirement, OPERATOR_SHARE_DIVISOR) : index < max ? ceilDiv(left, max - index) : 1n;
    const amount = amountOf(spot.amount, minimum, left, requirement);
    spots.push({ addr, amount });
    left = nonNegative(left - amount);
  });
  return spots;
}

/** A clean recipe's fee, reservations and stake: in range, new holders after the operator, amounts in between. */
function cleaned(recipe: ProposalRecipe): ProposalRecipe {
  if (!recipe.clean) return recipe;
  const between = (amount: AmountRecipe): AmountRecipe =>
    amount.kind === "between" ? amount : { kind: "between", per: 0 };
  return {
    ...recipe,
    fee: recipe.fee % (MAX_FEE + 1),
    operatorFirst: true,
    spots: recipe.spots
      .slice(0, MAX_CONTRIBUTORS)
      .map((spot) => ({ ...spot, holder: "new" as const, amount: between(spot.amount) })),
    stake: between(recipe.stake),
  };
}

function proposalFor(f: StakingFixture, drawn: ProposalRecipe): NodeProposal {
  const recipe = cleaned(drawn);
  const requirement = f.parameters.stakingRequirement;
  const operator = at(f.stakers, recipe.operator).address;
  const other = at(f.stakers, 1 - recipe.operator).address;
  const others = f.stakers.map((staker) => staker.address).filter((addr) => addr !== operator);
  const reserved = reservationsFor(recipe, operator, others, requirement);
  const own = reserved[0]?.addr === operator ? reserved[0].amount : undefined;
  const reservedByOthers = reserved.reduce((sum, spot) => sum + spot.amount, 0n) - (own ?? 0n);
  const operatorStake = amountOf(
    recipe.stake,
    own ?? ceilDiv(requirement, OPERATOR_SHARE_DIVISOR),
    nonNegative(requirement - reservedByOthers),
    requirement,
  );
  const ed25519 = { fresh: FRESH_ED25519, registered: REGISTERED_ED25519, zero: 0n }[recipe.ed25519];
  const { key, signer } = keyFor(f, recipe.key);
  return {
    operator,
    blsPublicKey: key,
    proofOfPossession: proofFor(f, recipe.pop, signer, operator, other, ed25519),
    ed25519PublicKey: ed25519,
    ed25519Signature: [ed25519 + 1n, ed25519 + 2n],
    fee: recipe.fee,
    operatorStake,
    beneficiary: { zero: ZeroAddress, operator, other: OTHER_BENEFICIARY }[recipe.beneficiary],
    reserved,
    manualFinalize: recipe.manualFinalize,
  };
}

function signerOf(f: StakingFixture, address: string): HardhatEthersSigner {
  const signer = f.stakers.find((staker) => staker.address === getAddress(address));
  if (signer === undefined) throw new Error(`${address} is no staker of the fixture`);
  return signer;
}

async function contributionAt(address: string): Promise<ServiceNodeContribution> {
  return ethers.getContractAt("ServiceNodeContribution", address);
}

/**
 * Plays a proposal: the plan's calls (or, refused, the calls the proposal implies), then the node's registration,
 * where the rewards contract checks the keys: the reserved holders contribute their amounts, the operator tops up
 * the rest, and finalises when the proposal finalises by hand. The first revert, or none once the node registered.
 */
async function playNode(f: StakingFixture, proposal: NodeProposal, plan: Plan): Promise<Outcome> {
  const operator = signerOf(f, proposal.operator);
  const opened = await execute(f, operator, plan.ok ? plan.transactions : proposalCalls(f, proposal));
  if (opened.reverted !== undefined) return opened;
  if (opened.contract === undefined) throw new Error("the factory opened no contract");
  const contract = await contributionAt(opened.contract);
  for (const spot of proposal.reserved.slice(1)) {
    if ((await contract.status()) !== STATUS.OpenForPublicContrib || spot.amount === 0n) continue;
    const taken = await execute(f, signerOf(f, spot.addr), joinCalls(f, opened.contract, spot.amount));
    if (taken.reverted !== undefined) return taken;
  }
  const rest = f.parameters.stakingRequirement - (await contract.totalContribution());
  if ((await contract.status()) === STATUS.OpenForPublicContrib && rest > 0n) {
    const topUp = await execute(f, operator, joinCalls(f, opened.contract, rest));
    if (topUp.reverted !== undefined) return topUp;
  }
  if ((await contract.status()) === STATUS.WaitForFinalized) {
    const { reverted } = await send(operator, opened.contract, contract.interface.encodeFunctionData("finalize"));
    if (reverted !== undefined) return { reverted, contract: opened.contract };
  }
  expect(await contract.status(), "the node did not register").to.equal(STATUS.Finalized);
  return opened;
}

// -------------------------------------------------------------------------------------------------------------------
// Random joins
// -------------------------------------------------------------------------------------------------------------------

/** A step before the join: a reserved holder, a new public contributor or a contributor adds, or one withdraws. */
const stepRecipe = fc.record({
  kind: fc.constantFrom("reserved" as const, "public" as const, "topUp" as const, "withdraw" as const),
  pick: fc.nat(),
  per: smallPerMille,
});

const joinRecipe = fc.record({
  manualFinalize: fc.boolean(),
  /** The reserved spots' amounts above their minimum; spot 0 is the operator's. */
  reserved: fc.oneof(
    fc.array(smallPerMille, { maxLength: MAX_CONTRIBUTORS }),
    fc.array(smallPerMille, { minLength: MAX_CONTRIBUTORS - 1, maxLength: MAX_CONTRIBUTORS }),
  ),
  operatorExtra: smallPerMille,
  steps: fc.array(stepRecipe, { maxLength: 6 }),
  state: fc.oneof(
    { weight: 3, arbitrary: fc.constant("open" as const) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("filled" as const, "finalized" as const, "reset" as const, "requirement" as const),
    },
  ),
  joiner: fc.constantFrom("operator" as const, "contributor" as const, "reserved" as const, "public" as const),
  pick: fc.nat(),
  amount: fc.record({
    base: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom("minimum" as const, "left" as const) },
      { weight: 2, arbitrary: fc.constantFrom("reservation" as const, "random" as const) },
      { weight: 1, arbitrary: fc.constantFrom("one" as const, "zero" as const) },
    ),
    offset: fc.oneof({ weight: 2, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: offset }),
    per: perMille,
  }),
  beneficiary: fc.constantFrom("zero" as const, "self" as const, "other" as const),
});
type JoinRecipe = typeof joinRecipe extends fc.Arbitrary<infer T> ? T : never;

/** What the joins read of the node between steps (the contract's views; lib/registration is not used for these). */
async function viewOf(contract: ServiceNodeContribution) {
  const [stakers] = await contract.getContributions();
  const [holders, amounts, received] = await contract.getReserved();
  const reserved = holders.map((addr, i) => ({
    addr: getAddress(addr),
    amount: at(amounts, i),
    received: at(received, i),
  }));
  const total = await contract.totalContribution();
  const unfilled = await contract.totalReservedContribution();
  return {
    status: await contract.status(),
    contributors: stakers.map((addr) => getAddress(addr)),
    reserved,
    total,
    unfilled,
  };
}

/** The contract's minimum for a new unreserved contributor, or 1 atom where it has none (no spot left). */
async function minimumOf(contract: ServiceNodeContribution): Promise<bigint> {
  try {
    return await contract.minimumContribution();
  } catch {
    return 1n;
  }
}

/** Opens the node of a join recipe: staker 0 operates, stakers 1… hold the reserved spots after the operator's. */
async function openForJoin(f: StakingFixture, recipe: JoinRecipe): Promise<ServiceNodeContribution> {
  const requirement = f.parameters.stakingRequirement;
  const max = BigInt(MAX_CONTRIBUTORS);
  const operator = at(f.stakers, 0);
  const reserved: Reservation[] = [];
  let left = requirement;
  recipe.reserved.forEach((per, i) => {
    const minimum = i === 0 ? ceilDiv(requirement, OPERATOR_SHARE_DIVISOR) : ceilDiv(left, max - BigInt(i));
    const amount = minimum + fraction(nonNegative(left - minimum), per);
    reserved.push({ addr: at(f.stakers, i).address, amount });
    left -= amount;
  });
  const base = reserved[0]?.amount ?? ceilDiv(requirement, OPERATOR_SHARE_DIVISOR);
  // The operator's stake leaves the other reservations and at least one atom.
  const room = requirement - (reserved.reduce((sum, spot) => sum + spot.amount, 0n) - (reserved[0]?.amount ?? 0n));
  const stake = base + fraction(nonNegative(room - base - 1n), recipe.operatorExtra);
  const proposal: NodeProposal = {
    operator: operator.address,
    blsPublicKey: keyOf(f, FREE_NODES[0]),
    proofOfPossession: proofBy(f, FREE_NODES[0], operator.address, FRESH_ED25519),
    ed25519PublicKey: FRESH_ED25519,
    ed25519Signature: [1n, 2n],
    fee: 500,
    operatorStake: stake,
    beneficiary: ZeroAddress,
    reserved,
    manualFinalize: recipe.manualFinalize,
  };
  const outcome = await execute(f, operator, proposalCalls(f, proposal));
  if (outcome.reverted !== undefined || outcome.contract === undefined) {
    throw new Error(`the join's node did not open: ${outcome.reverted?.name ?? "no contract"}`);
  }
  return contributionAt(outcome.contract);
}

/** Sends an approve and contributeFunds that must succeed (the steps that set a node's state up). */
async function contributeNow(f: StakingFixture, contract: ServiceNodeContribution, from: string, amount: bigint) {
  const outcome = await execute(f, signerOf(f, from), joinCalls(f, await contract.getAddress(), amount));
  if (outcome.reverted !== undefined) throw new Error(`a set-up contribution reverted ${outcome.reverted.name}`);
}

/** One step before the join; skipped when the node cannot take it. Never fills the node. */
async function step(
  f: StakingFixture,
  contract: ServiceNodeContribution,
  recipe: JoinRecipe["steps"][number],
): Promise<void> {
  const now = await viewOf(contract);
  if (now.status !== STATUS.OpenForPublicContrib) return;
  const left = f.parameters.stakingRequirement - now.total - now.unfilled;
  const spotsTaken = now.contributors.length + now.reserved.filter((spot) => !spot.received).length;
  if (recipe.kind === "reserved") {
    const open = now.reserved.filter((spot) => !spot.received);
    if (open.length === 0) return;
    const spot = at(open, recipe.pick % open.length);
    // Its own amount and a share of what is left, but never the last atom unless the reservation is that.
    const extra = fraction(nonNegative(left - 1n), recipe.per);
    // Its reservation moves from the unfilled ones to the total: only the extra can fill the node.
    if (now.total + now.unfilled + extra >= f.parameters.stakingRequirement || spot.amount + extra === 0n) return;
    await contributeNow(f, contract, spot.addr, spot.amount + extra);
  } else if (recipe.kind === "public") {
    const taken = new Set([...now.contributors, ...now.reserved.map((spot) => spot.addr)]);
    const candidates = f.stakers.map((staker) => staker.address).filter((addr) => !taken.has(addr));
    if (candidates.length === 0 || spotsTaken >= MAX_CONTRIBUTORS) return;
    const minimum = await contract.minimumContribution();
    if (minimum < 1n || left - 1n < minimum) return;
    await contributeNow(
      f,
      contract,
      at(candidates, recipe.pick % candidates.length),
      minimum + fraction(left - 1n - minimum, recipe.per),
    );
  } else if (recipe.kind === "topUp") {
    const amount = fraction(nonNegative(left - 1n), recipe.per);
    if (amount === 0n) return;
    await contributeNow(f, contract, at(now.contributors, recipe.pick % now.contributors.length), amount);
  } else {
    const others = now.contributors.slice(1);
    if (others.length === 0) return;
    await time.increase(DAY + 1n);
    const leaver = signerOf(f, at(others, recipe.pick % others.length));
    await (await contract.connect(leaver).withdrawContribution()).wait();
  }
}

/** Fills the node: the open reservations, then the operator's top-up of the rest. */
async function fill(f: StakingFixture, contract: ServiceNodeContribution): Promise<void> {
  for (const spot of (await viewOf(contract)).reserved) {
    if (!spot.received && spot.amount > 0n) await contributeNow(f, contract, spot.addr, spot.amount);
  }
  const rest = f.parameters.stakingRequirement - (await contract.totalContribution());
  if (rest > 0n) await contributeNow(f, contract, at(f.stakers, 0).address, rest);
}

/** Puts the node in the recipe's state: open as the steps left it, filled, finalised, reset, or outdated. */
async function settle(f: StakingFixture, contract: ServiceNodeContribution, recipe: JoinRecipe): Promise<void> {
  const operator = at(f.stakers, 0);
  switch (recipe.state) {
    case "open":
      return;
    case "filled":
      return fill(f, contract);
    case "finalized":
      await fill(f, contract);
      if ((await contract.status()) === STATUS.WaitForFinalized) {
        await (await contract.connect(operator).finalize()).wait();
      }
      return;
    case "reset":
      await (await contract.connect(operator).reset()).wait();
      return;
    case "requirement":
      await (await f.rewards.connect(f.owner).setStakingRequirement(f.parameters.stakingRequirement + 1n)).wait();
      return;
  }
}

/** The joiner of a recipe: the operator, a contributor, a reserved holder, or someone neither. */
function joinerOf(f: StakingFixture, recipe: JoinRecipe, now: Awaited<ReturnType<typeof viewOf>>): string {
  const operator = at(f.stakers, 0).address;
  const pick = <T>(list: readonly T[], fallback: T): T =>
    list.length === 0 ? fallback : at(list, recipe.pick % list.length);
  switch (recipe.joiner) {
    case "operator":
      return operator;
    case "contributor":
      return pick(now.contributors, operator);
    case "reserved":
      return pick(
        now.reserved.map((spot) => spot.addr),
        operator,
      );
    case "public": {
      const known = new Set([...now.contributors, ...now.reserved.map((spot) => spot.addr)]);
      return pick(
        f.stakers.map((staker) => staker.address).filter((addr) => !known.has(addr)),
        at(f.stakers, REGISTERING_STAKER).address,
      );
    }
  }
}

async function joinAmountOf(
  f: StakingFixture,
  contract: ServiceNodeContribution,
  recipe: JoinRecipe,
  joiner: string,
  now: Awaited<ReturnType<typeof viewOf>>,
): Promise<bigint> {
  const requirement = f.parameters.stakingRequirement;
  const own = now.reserved.find((spot) => spot.addr === joiner && !spot.received)?.amount ?? 0n;
  const { base, offset: delta, per } = recipe.amount;
  const values = {
    minimum: await minimumOf(contract),
    left: requirement - now.total - now.unfilled + own,
    reservation: own === 0n ? await minimumOf(contract) : own,
    one: 1n,
    zero: 0n,
    random: fraction(requirement, per),
  };
  // Only the "zero" base draws a zero amount (the contract refuses it before anything else about the amount).
  if (base === "zero") return 0n;
  const amount = base === "random" ? values.random : values[base] + delta;
  return amount < 1n ? 1n : amount;
}

// -------------------------------------------------------------------------------------------------------------------
// The properties
// -------------------------------------------------------------------------------------------------------------------

describe("lib/registration agrees with the contracts (property)", function () {
  this.timeout(600_000);
  restoreChainAfterSuite();

  it("planNode is OK exactly when the proposal opens and registers, else names the first revert", async function () {
    const f = await loadStakingFixture(agreementFixture);
    const verdicts = { ok: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(proposalRecipe, async (recipe) => {
        const proposal = proposalFor(f, recipe);
        const parameters = await readRegistrationParameters(
          f.rewards,
          f.factory,
          {
            blsPublicKeys: [proposal.blsPublicKey],
            ed25519PublicKeys: [proposal.ed25519PublicKey],
            senders: [proposal.operator],
          },
          f.sesh,
        );
        const plan = planNode(parameters, proposal);
        verdicts[plan.ok ? "ok" : "refused"] += 1;
        if (plan.ok) {
          // An OK plan sends exactly the proposal's calls (its own are sent below).
          const shown = (calls: readonly PlannedCall[]) => calls.map((tx) => [tx.to, tx.data ?? tx.args]);
          expect(shown(plan.transactions)).to.deep.equal(shown(proposalCalls(f, proposal)));
        }
        const snapshot = await takeSnapshot();
        try {
          expectAgreement(plan, await playNode(f, proposal, plan));
        } finally {
          await snapshot.restore();
        }
      }),
      { seed: FC_SEED, numRuns: PROPOSAL_RUNS },
    );
    // Both verdicts occur, so that neither side of the equivalence went untested.
    expect(Math.min(verdicts.ok, verdicts.refused), JSON.stringify(verdicts)).to.be.greaterThan(0);
  });

  it("planJoin is OK exactly when the contribution goes through, else names its revert", async function () {
    const f = await loadStakingFixture(agreementFixture);
    const verdicts = { ok: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(joinRecipe, async (recipe) => {
        const snapshot = await takeSnapshot();
        try {
          const contract = await openForJoin(f, recipe);
          for (const next of recipe.steps) await step(f, contract, next);
          await settle(f, contract, recipe);
          const now = await viewOf(contract);
          const joiner = joinerOf(f, recipe, now);
          const amount = await joinAmountOf(f, contract, recipe, joiner, now);
          const beneficiary = { zero: ZeroAddress, self: joiner, other: OTHER_BENEFICIARY }[recipe.beneficiary];
          const parameters = await readRegistrationParameters(f.rewards, f.factory, { senders: [joiner] }, f.sesh);
          const state = await readContributionState(contract);
          const plan = planJoin(parameters, state, { contributor: joiner, amount, beneficiary });
          verdicts[plan.ok ? "ok" : "refused"] += 1;
          const implied = joinCalls(f, state.address, amount, beneficiary);
          // An OK plan sends exactly the join's calls (its own are sent below).
          if (plan.ok) expect(plan.transactions.map((tx) => tx.data)).to.deep.equal(implied.map((tx) => tx.data));
          expectAgreement(plan, await execute(f, signerOf(f, joiner), plan.ok ? plan.transactions : implied));
        } finally {
          await snapshot.restore();
        }
      }),
      { seed: FC_SEED, numRuns: JOIN_RUNS },
    );
    expect(Math.min(verdicts.ok, verdicts.refused), JSON.stringify(verdicts)).to.be.greaterThan(0);
  });
});

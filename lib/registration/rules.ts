import { getAddress, ZeroAddress } from "ethers";

import {
  domainTags,
  FIELD_MODULUS,
  Fp,
  Fp2,
  fromG1Struct,
  fromSignatureParams,
  proofOfPossessionMessage,
  TWIST_B,
  verify,
  type G1PointStruct,
  type SignatureParams,
} from "../bls";

// The registration wizard's guardrails (issue 11): what ServiceNodeContributionFactory.deploy,
// ServiceNodeContribution.contributeFunds and, when the node fills, ServiceNodeRewards.addBLSPublicKey would refuse,
// checked in TypeScript with no chain access. Every problem names the custom error the contract would revert with,
// in the contract's own order (IServiceNodeContribution / IServiceNodeRewards NatSpec). The contracts stop at the
// first failed check; these rules report every problem at once, each one the contract would hit once the problems
// before it are fixed.

/** The highest operator fee, in basis points (`MAX_FEE`). */
export const MAX_FEE = 10_000;
/** The operator stakes at least 1/4 of the requirement (rounded up); the first contributor 1/4 of what is left. */
export const OPERATOR_SHARE_DIVISOR = 4n;
/** Status numbers of `IServiceNodeContribution.Status`. */
export const STATUS = {
  WaitForOperatorContrib: 0,
  OpenForPublicContrib: 1,
  WaitForFinalized: 2,
  Finalized: 3,
} as const;
export type Status = (typeof STATUS)[keyof typeof STATUS];

/** ⌈a / b⌉ for a ≥ 0, b > 0 (OpenZeppelin `Math.ceilDiv`). */
function ceilDiv(a: bigint, b: bigint): bigint {
  return a === 0n ? 0n : (a - 1n) / b + 1n;
}

/**
 * The contract's `calcMinimumContribution`: ⌈remaining / (max − n)⌉, and ⌈remaining / 4⌉ for n = 0. A RangeError
 * where the contract reverts `CalcMinContributionGivenBadContribArgs` (n ≥ max: no spot left).
 */
export function calcMinimumContribution(remaining: bigint, numContributors: bigint, maxContributors: bigint): bigint {
  if (numContributors >= maxContributors) {
    throw new RangeError(
      `no spot is left: ${numContributors} contributors of at most ${maxContributors} (CalcMinContributionGivenBadContribArgs)`,
    );
  }
  if (numContributors === 0n) return ceilDiv(remaining, OPERATOR_SHARE_DIVISOR);
  return ceilDiv(remaining, maxContributors - numContributors);
}

/** The contract's `minimumOperatorContribution`: ⌈requirement / 4⌉. */
export function minimumOperatorContribution(stakingRequirement: bigint): bigint {
  return ceilDiv(stakingRequirement, OPERATOR_SHARE_DIVISOR);
}

/** What the rules need of the deployment, read once ({@link readRegistrationParameters}) or given. */
export interface RegistrationParameters {
  readonly chainId: bigint;
  /** The rewards proxy: its address and the chain id make the proof-of-possession tags. */
  readonly rewards: string;
  readonly sesh: string;
  readonly factory: string;
  readonly stakingRequirement: bigint;
  readonly maxContributors: bigint;
  /** The keys registered in the rewards contract. */
  readonly registered: RegisteredKeys;
  /** The pauses, the start and the senders' balances, read now; when absent (pure tests) none is checked. */
  readonly live?: LiveState;
}

/** What may change from one block to the next and stops a transaction: pauses, the start, balances. */
export interface LiveState {
  readonly factoryPaused: boolean;
  readonly rewardsPaused: boolean;
  readonly rewardsStarted: boolean;
  /** The SESH balance of each sender looked up (checksummed addresses); a sender not looked up is not checked. */
  readonly balances: ReadonlyMap<string, bigint>;
}

/** Which keys are registered already: the node id holding each, 0n for none (the rewards contract's views). */
export interface RegisteredKeys {
  blsPublicKeyId(key: G1PointStruct): bigint;
  ed25519PublicKeyId(key: bigint): bigint;
}

/** No key registered (a fresh deployment, or tests). */
export const NO_REGISTERED_KEYS: RegisteredKeys = { blsPublicKeyId: () => 0n, ed25519PublicKeyId: () => 0n };

/** A reserved spot, as `IServiceNodeRewards.ReservedContributor`. */
export interface Reservation {
  readonly addr: string;
  readonly amount: bigint;
}

/** An operator's proposal of a new multi-contributor node. */
export interface NodeProposal {
  readonly operator: string;
  readonly blsPublicKey: G1PointStruct;
  readonly proofOfPossession: SignatureParams;
  readonly ed25519PublicKey: bigint;
  readonly ed25519Signature: readonly [bigint, bigint];
  /** Basis points. */
  readonly fee: number;
  readonly operatorStake: bigint;
  /** Who receives the operator's rewards (zero address: the operator). */
  readonly beneficiary: string;
  readonly reserved: readonly Reservation[];
  readonly manualFinalize: boolean;
}

/** Where a check runs: opening the contract, the operator's first contribution, or the node's registration. */
export type Stage = "deploy" | "contribute" | "finalize";

/** Stable codes of the problems, one per check. */
export const PROBLEM_CODES = [
  "factory-paused",
  "fee-too-high",
  "too-many-reserved",
  "reserved-zero-address",
  "first-reserved-not-operator",
  "reserved-below-minimum",
  "reserved-exceeds-requirement",
  "reserved-duplicate",
  "node-not-open",
  "first-contribution-not-operator",
  "requirement-changed",
  "max-contributors-changed",
  "zero-contribution",
  "below-reservation",
  "spots-reserved-for-others",
  "no-spot-left",
  "below-minimum",
  "exceeds-requirement",
  "insufficient-balance",
  "rewards-paused",
  "rewards-not-started",
  "bls-key-registered",
  "null-bls-key",
  "malformed-bls-key",
  "malformed-proof-of-possession",
  "invalid-proof-of-possession",
  "null-ed25519-key",
  "ed25519-key-registered",
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** An argument of a custom error: a number, an address, or a `uint256[2]` (a G2 coordinate). */
export type ProblemArgument = bigint | string | readonly bigint[];

/** One problem: a stable code, a sentence a person can act on, and the custom error with its arguments. */
export interface Problem {
  readonly code: ProblemCode;
  readonly message: string;
  /**
   * The custom error's name (IServiceNodeContribution; at finalisation IServiceNodeRewards, or the BN254 library
   * error the rewards contract reverts with for a malformed key or proof).
   */
  readonly error: string;
  readonly args: readonly ProblemArgument[];
  readonly stage: Stage;
  /** The reserved spot it is about, if any. */
  readonly index?: number;
}

/** Marks the address of the contribution contract `factory.deploy` opens, known only once it is mined. */
export const DEPLOYED_CONTRIBUTION = "<deployed contribution contract>" as const;

/** One call to send, in order. `data` is set when every argument is known (see {@link resolveDeployed}). */
export interface PlannedCall {
  readonly to: string;
  readonly contract: "factory" | "sesh" | "contribution";
  readonly functionName: string;
  readonly args: readonly unknown[];
  readonly data?: string;
}

export type Plan = { readonly ok: true; readonly transactions: readonly PlannedCall[] } | PlanRefused;
export interface PlanRefused {
  readonly ok: false;
  readonly problems: readonly Problem[];
}

function problem(
  code: ProblemCode,
  stage: Stage,
  error: string,
  args: readonly ProblemArgument[],
  message: string,
  index?: number,
): Problem {
  return { code, stage, error, args, message, ...(index === undefined ? {} : { index }) };
}

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Whether `pop` is `key`'s signature on (proofOfPossessionTag, key, operator, ed25519 key) under the tags of this
 * rewards contract on this chain: what `ServiceNodeRewards` checks when the node registers. A key off the curve, a
 * malformed signature or the identity is invalid.
 */
export function isValidProofOfPossession(
  parameters: Pick<RegistrationParameters, "chainId" | "rewards">,
  key: G1PointStruct,
  pop: SignatureParams,
  operator: string,
  ed25519PublicKey: bigint,
): boolean {
  const tags = domainTags(parameters.chainId, parameters.rewards);
  try {
    const message = proofOfPossessionMessage(tags, key, getAddress(operator), ed25519PublicKey);
    return verify(fromG1Struct(key), message, fromSignatureParams(pop), tags.hashToG2Tag);
  } catch {
    return false;
  }
}

/** The checks of `updateReservedContributors` (run by `initialize` at deploy), in its order, every spot. */
export function reservationProblems(
  parameters: Pick<RegistrationParameters, "stakingRequirement" | "maxContributors">,
  operator: string,
  reserved: readonly Reservation[],
): Problem[] {
  const problems: Problem[] = [];
  const { stakingRequirement: requirement, maxContributors: max } = parameters;
  const count = BigInt(reserved.length);
  if (count > max) {
    problems.push(
      problem(
        "too-many-reserved",
        "deploy",
        "TooManyReservedContributors",
        [count, max],
        `${count} reserved spots, but a node has at most ${max} contributors: remove ${count - max}`,
      ),
    );
  }
  // `remaining` is what the requirement leaves after the spots before; once a spot exceeds it, the later spots'
  // minima cannot be computed as the contract would (it stops there), so their amounts are not judged.
  let remaining: bigint | undefined = requirement;
  reserved.forEach((spot, i) => {
    const index = BigInt(i);
    if (sameAddress(spot.addr, ZeroAddress)) {
      problems.push(
        problem(
          "reserved-zero-address",
          "deploy",
          "ReservedContributorHasZeroAddress",
          [index],
          `reserved spot ${i} has the zero address: write the contributor's address`,
          i,
        ),
      );
    }
    if (i === 0 && !sameAddress(spot.addr, operator)) {
      problems.push(
        problem(
          "first-reserved-not-operator",
          "deploy",
          "FirstReservedContributorMustBeOperator",
          [index, getAddress(operator)],
          `reserved spot 0 is ${spot.addr}, but the first spot is the operator's (${getAddress(operator)}): ` +
            "put the operator's reservation first",
          i,
        ),
      );
    }
    if (remaining !== undefined && index < max) {
      const minimum =
        i === 0 ? minimumOperatorContribution(requirement) : calcMinimumContribution(remaining, index, max);
      if (spot.amount < minimum) {
        problems.push(
          problem(
            "reserved-below-minimum",
            "deploy",
            "ReservedContributionBelowMinAmount",
            [index, spot.amount, minimum],
            `reserved spot ${i} holds ${spot.amount} atoms, below the ${minimum} its place allows: raise it to at ` +
              `least ${minimum}`,
            i,
          ),
        );
      }
      if (spot.amount > remaining) {
        problems.push(
          problem(
            "reserved-exceeds-requirement",
            "deploy",
            "ReservedContributionExceedsStakingRequirement",
            [index, spot.amount, remaining],
            `reserved spot ${i} holds ${spot.amount} atoms, but the staking requirement leaves only ${remaining} ` +
              "after the spots before it: lower it",
            i,
          ),
        );
        remaining = undefined;
      } else {
        remaining -= spot.amount;
      }
    }
    const first = reserved.findIndex((other) => sameAddress(other.addr, spot.addr));
    if (first < i) {
      problems.push(
        problem(
          "reserved-duplicate",
          "deploy",
          "DuplicateAddressInReservedContributor",
          [index],
          `reserved spots ${first} and ${i} both name ${spot.addr}: give each contributor one spot`,
          i,
        ),
      );
    }
  });
  return problems;
}

/** A contributor of an open node. */
export interface ContributorRecord {
  readonly staker: string;
  readonly beneficiary: string;
  readonly amount: bigint;
}

/** A reserved spot of an open node and whether its holder has contributed. */
export interface ReservedSpot extends Reservation {
  readonly received: boolean;
}

/** What a contribution contract's views return ({@link readContributionState}). */
export interface ContributionState {
  readonly address: string;
  readonly status: number;
  readonly operator: string;
  readonly stakingRequirement: bigint;
  readonly maxContributors: bigint;
  readonly manualFinalize: boolean;
  readonly contributions: readonly ContributorRecord[];
  readonly reserved: readonly ReservedSpot[];
  readonly totalContribution: bigint;
  /** The reservations not yet taken (`totalReservedContribution`). */
  readonly totalReservedContribution: bigint;
}

/** The contract's `minimumContribution` for a new, unreserved contributor of `state`. */
export function minimumContribution(state: ContributionState): bigint {
  if (state.status === STATUS.WaitForOperatorContrib) return minimumOperatorContribution(state.stakingRequirement);
  const remaining = state.stakingRequirement - state.totalContribution - state.totalReservedContribution;
  return calcMinimumContribution(remaining, spotsTaken(state), state.maxContributors);
}

/** Contributors and reserved spots not yet taken. */
function spotsTaken(state: ContributionState): bigint {
  return BigInt(state.contributions.length + state.reserved.filter((spot) => !spot.received).length);
}

const STATUS_NAMES = ["waiting for the operator", "open", "filled, waiting to be finalised", "finalised"];

/**
 * The checks of `contributeFunds(amount, …)` by `caller` on `state`, in the contract's order. A problem that makes
 * every later check moot (node not open, not the operator's turn, a changed requirement, nothing offered, no spot
 * left) is reported alone; of the amount checks at most one can hold.
 */
export function contributionProblems(
  parameters: Pick<RegistrationParameters, "stakingRequirement" | "maxContributors">,
  state: ContributionState,
  caller: string,
  amount: bigint,
): Problem[] {
  const at = "contribute";
  if (state.status > STATUS.OpenForPublicContrib) {
    return [
      problem(
        "node-not-open",
        at,
        "ContributeFundsNotPossible",
        [BigInt(state.status)],
        `the node is ${STATUS_NAMES[state.status] ?? `in status ${state.status}`}: it takes no contribution`,
      ),
    ];
  }
  if (state.status === STATUS.WaitForOperatorContrib && !sameAddress(caller, state.operator)) {
    return [
      problem(
        "first-contribution-not-operator",
        at,
        "FirstContributionMustBeOperator",
        [getAddress(caller), getAddress(state.operator)],
        `the operator ${getAddress(state.operator)} contributes first: wait until the node is open`,
      ),
    ];
  }
  if (parameters.stakingRequirement !== state.stakingRequirement) {
    return [
      problem(
        "requirement-changed",
        at,
        "RewardsContractStakingRequirementChanged",
        [state.stakingRequirement, parameters.stakingRequirement],
        `the rewards contract's staking requirement changed from ${state.stakingRequirement} to ` +
          `${parameters.stakingRequirement} atoms since this node was opened: it takes no contribution (open a new one)`,
      ),
    ];
  }
  if (parameters.maxContributors !== state.maxContributors) {
    return [
      problem(
        "max-contributors-changed",
        at,
        "RewardsContractMaxContributorsChanged",
        [state.maxContributors, parameters.maxContributors],
        `the rewards contract's maximum contributors changed from ${state.maxContributors} to ` +
          `${parameters.maxContributors} since this node was opened: it takes no contribution (open a new one)`,
      ),
    ];
  }
  if (amount === 0n) {
    return [problem("zero-contribution", at, "ZeroContribution", [], "the amount is 0: contribute a positive amount")];
  }
  const problems: Problem[] = [];
  const contributor = state.contributions.find((record) => sameAddress(record.staker, caller));
  let unfilled = state.totalReservedContribution;
  if (contributor === undefined) {
    const spot = state.reserved.find((reserved) => sameAddress(reserved.addr, caller));
    if (spot !== undefined) {
      if (amount < spot.amount) {
        problems.push(
          problem(
            "below-reservation",
            at,
            "ContributionBelowReservedAmount",
            [amount, spot.amount],
            `${amount} atoms is below the ${spot.amount} reserved for ${getAddress(caller)}: contribute at least that`,
          ),
        );
      }
      unfilled -= spot.amount;
    } else {
      const taken = spotsTaken(state);
      if (taken >= state.maxContributors) {
        const open = state.reserved.filter((reserved) => !reserved.received).map((reserved) => reserved.addr);
        const full = BigInt(state.contributions.length) >= state.maxContributors;
        return [
          full || open.length === 0
            ? problem(
                "no-spot-left",
                at,
                "MaxContributorsExceeded",
                [state.maxContributors],
                `the node has all its ${state.maxContributors} contributors: no spot is left`,
              )
            : problem(
                "spots-reserved-for-others",
                at,
                "MaxContributorsExceeded",
                [state.maxContributors],
                `the spots left of the ${state.maxContributors} are reserved for ${open.join(", ")}: only they may ` +
                  "join",
              ),
        ];
      }
      const minimum = minimumContribution(state);
      if (amount < minimum) {
        problems.push(
          problem(
            "below-minimum",
            at,
            "ContributionBelowMinAmount",
            [amount, minimum],
            `${amount} atoms is below the minimum contribution of ${minimum} atoms: contribute at least ${minimum}`,
          ),
        );
      }
    }
  }
  const total = state.totalContribution + amount;
  if (total + unfilled > state.stakingRequirement) {
    const left = state.stakingRequirement - state.totalContribution - unfilled;
    problems.push(
      problem(
        "exceeds-requirement",
        at,
        "ContributionExceedsStakingRequirement",
        [total, unfilled, state.stakingRequirement],
        `${amount} atoms is more than the ${left} atoms the staking requirement leaves` +
          (unfilled > 0n ? ` once the ${unfilled} atoms reserved for others are counted` : "") +
          `: contribute at most ${left}`,
      ),
    );
  }
  return problems;
}

/** BN254's G1: y² = x³ + 3. */
const CURVE_B = 3n;

/** The proof as the rewards contract stores it and names it in BN256G2's errors: X = [imaginary, real], Y the same. */
function storedSignature(pop: SignatureParams): [readonly bigint[], readonly bigint[]] {
  return [
    [pop.sigs1, pop.sigs0],
    [pop.sigs3, pop.sigs2],
  ];
}

/**
 * The rewards contract's proof-of-possession check (`_checkProofOfPossession`, then `BLS.verify`), in its order: the
 * null key (NullBLSPubkey with a null proof, else invalid), a null proof (invalid), the key's encoding and curve
 * (BN256G1's errors), the proof's encoding and twist (BN256G2's), a proof outside G2 (the pairing precompile fails)
 * and last the pairing itself. A malformed key or proof is not reported as an invalid proof: the contract names it.
 */
function proofOfPossessionProblem(
  parameters: Pick<RegistrationParameters, "chainId" | "rewards">,
  proposal: Pick<NodeProposal, "operator" | "blsPublicKey" | "proofOfPossession" | "ed25519PublicKey">,
): Problem | undefined {
  const at = "finalize";
  const { blsPublicKey: key, proofOfPossession: pop } = proposal;
  const nullKey = key.X === 0n && key.Y === 0n;
  const nullSignature = pop.sigs0 === 0n && pop.sigs1 === 0n && pop.sigs2 === 0n && pop.sigs3 === 0n;
  const invalid = problem(
    "invalid-proof-of-possession",
    at,
    "InvalidBLSProofOfPossession",
    [],
    `the proof of possession is not the BLS key's signature for operator ${getAddress(proposal.operator)}, ` +
      `ed25519 key ${proposal.ed25519PublicKey} and the rewards contract ${getAddress(parameters.rewards)} on ` +
      `chain ${parameters.chainId}: have the node sign it again for exactly these`,
  );
  if (nullKey) {
    return nullSignature
      ? problem("null-bls-key", at, "NullBLSPubkey", [], "the BLS key is empty (0, 0): give the node's key")
      : invalid;
  }
  if (nullSignature) return invalid;
  if (key.X >= FIELD_MODULUS || key.Y >= FIELD_MODULUS) {
    return problem(
      "malformed-bls-key",
      at,
      "G1CoordinateNotInField",
      [key.X, key.Y],
      "the BLS key has a coordinate of the field modulus or more, which no key has: copy the node's key again",
    );
  }
  if (Fp.sqr(key.Y) !== Fp.add(Fp.mul(Fp.sqr(key.X), key.X), CURVE_B)) {
    return problem(
      "malformed-bls-key",
      at,
      "G1PointNotOnCurve",
      [key.X, key.Y],
      "the BLS key is not a point of the BN254 curve, which every key is: copy the node's key again",
    );
  }
  const [X, Y] = storedSignature(pop);
  if ([...X, ...Y].some((word) => word >= FIELD_MODULUS)) {
    return problem(
      "malformed-proof-of-possession",
      at,
      "G2CoordinateNotInField",
      [X, Y],
      "the proof of possession has a word of the field modulus or more, which no signature has: have the node " +
        "sign it again",
    );
  }
  const x = Fp2.create({ c0: pop.sigs0, c1: pop.sigs1 });
  const y = Fp2.create({ c0: pop.sigs2, c1: pop.sigs3 });
  if (!Fp2.eql(Fp2.sqr(y), Fp2.add(Fp2.mul(Fp2.sqr(x), x), TWIST_B))) {
    return problem(
      "malformed-proof-of-possession",
      at,
      "G2PointNotOnTwist",
      [X, Y],
      "the proof of possession is not a point of the BN254 twist, which every signature is: have the node sign it " +
        "again",
    );
  }
  if (!fromSignatureParams(pop).isTorsionFree()) {
    return problem(
      "malformed-proof-of-possession",
      at,
      "PairingPrecompileFailed",
      [],
      "the proof of possession is on the BN254 twist but outside G2, where every signature is (the pairing " +
        "precompile refuses it): have the node sign it again",
    );
  }
  return isValidProofOfPossession(parameters, key, pop, proposal.operator, proposal.ed25519PublicKey)
    ? undefined
    : invalid;
}

/** `factory.deploy` is `whenNotPaused`: its first check. */
export function factoryProblems(parameters: Pick<RegistrationParameters, "live" | "factory">): Problem[] {
  if (parameters.live?.factoryPaused !== true) return [];
  return [
    problem(
      "factory-paused",
      "deploy",
      "EnforcedPause",
      [],
      `the contribution factory ${parameters.factory} is paused: no node can be opened until its owner unpauses it`,
    ),
  ];
}

/** The token's `transferFrom` in `contributeFunds`, after the contract's own checks: the sender must hold `amount`. */
export function balanceProblems(
  parameters: Pick<RegistrationParameters, "live">,
  sender: string,
  amount: bigint,
): Problem[] {
  const balance = parameters.live?.balances.get(getAddress(sender));
  if (balance === undefined || balance >= amount) return [];
  return [
    problem(
      "insufficient-balance",
      "contribute",
      "ERC20InsufficientBalance",
      [getAddress(sender), balance, amount],
      `${getAddress(sender)} holds ${balance} SESH atoms, less than the ${amount} to contribute`,
    ),
  ];
}

/**
 * `ServiceNodeRewards.addBLSPublicKey` is `whenNotPaused whenStarted`: while the rewards contract is paused or not
 * started, the contribution that fills the node reverts (the node is not registered, the contributors keep their
 * contributions and may withdraw after the delay).
 */
export function rewardsStateProblems(parameters: Pick<RegistrationParameters, "live" | "rewards">): Problem[] {
  const live = parameters.live;
  if (live === undefined) return [];
  if (live.rewardsPaused) {
    return [
      problem(
        "rewards-paused",
        "finalize",
        "EnforcedPause",
        [],
        `the rewards contract ${parameters.rewards} is paused: the node cannot register (the contribution that ` +
          `fills it reverts) until its owner unpauses it`,
      ),
    ];
  }
  if (!live.rewardsStarted) {
    return [
      problem(
        "rewards-not-started",
        "finalize",
        "ContractNotStarted",
        [],
        `the rewards contract ${parameters.rewards} has not started: the node cannot register (the contribution ` +
          `that fills it reverts) until its owner calls start()`,
      ),
    ];
  }
  return [];
}

/**
 * The checks `ServiceNodeRewards.addBLSPublicKey` makes of the node's keys when the node fills (our contribution
 * contract does not check the proof of possession when it is opened, so this is what protects the contributors),
 * in its order. The keys are checked against the registrations now; a key registered later fails then.
 */
export function registrationProblems(
  parameters: Pick<RegistrationParameters, "chainId" | "rewards" | "registered">,
  proposal: Pick<NodeProposal, "operator" | "blsPublicKey" | "proofOfPossession" | "ed25519PublicKey">,
): Problem[] {
  const at = "finalize";
  const problems: Problem[] = [];
  const blsId = parameters.registered.blsPublicKeyId(proposal.blsPublicKey);
  if (blsId !== 0n) {
    problems.push(
      problem(
        "bls-key-registered",
        at,
        "BLSPubkeyAlreadyExists",
        [blsId],
        `the BLS key is registered already, by node ${blsId}: use the node's own, new key`,
      ),
    );
  }
  const possession = proofOfPossessionProblem(parameters, proposal);
  if (possession !== undefined) problems.push(possession);
  if (proposal.ed25519PublicKey === 0n) {
    problems.push(
      problem("null-ed25519-key", at, "NullEd25519Pubkey", [], "the ed25519 key is 0: give the node's key"),
    );
  } else {
    const edId = parameters.registered.ed25519PublicKeyId(proposal.ed25519PublicKey);
    if (edId !== 0n) {
      problems.push(
        problem(
          "ed25519-key-registered",
          at,
          "Ed25519PubkeyAlreadyExists",
          [edId],
          `the ed25519 key is registered already, by node ${edId}: use the node's own key`,
        ),
      );
    }
  }
  return problems;
}

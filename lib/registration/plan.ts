import { getAddress, Interface, ZeroAddress } from "ethers";

import { PreconditionError } from "../errors";

import {
  balanceProblems,
  contributionProblems,
  factoryProblems,
  DEPLOYED_CONTRIBUTION,
  MAX_FEE,
  registrationProblems,
  reservationProblems,
  rewardsStateProblems,
  STATUS,
  type ContributionState,
  type NodeProposal,
  type Plan,
  type PlannedCall,
  type Problem,
  type RegistrationParameters,
} from "./rules";

// The transactions of a registration, from the rules' verdict: the exact calls, in order, or the problems.

const G1 = "tuple(uint256 X, uint256 Y)";
const SIGNATURE = "tuple(uint256 sigs0, uint256 sigs1, uint256 sigs2, uint256 sigs3)";
const PARAMS =
  "tuple(uint256 serviceNodePubkey, uint256 serviceNodeSignature1, uint256 serviceNodeSignature2, uint16 fee)";
const RESERVED = "tuple(address addr, uint256 amount)[]";

/** The functions the plans call (their production signatures, IServiceNodeContributionFactory and co.). */
export const FACTORY_INTERFACE = new Interface([
  `function deploy(${G1} key, ${SIGNATURE} sig, ${PARAMS} params, ${RESERVED} reserved, bool manualFinalize) returns (address result)`,
]);
export const SESH_INTERFACE = new Interface(["function approve(address spender, uint256 value) returns (bool)"]);
export const CONTRIBUTION_INTERFACE = new Interface(["function contributeFunds(uint256 amount, address beneficiary)"]);

const INTERFACES = { factory: FACTORY_INTERFACE, sesh: SESH_INTERFACE, contribution: CONTRIBUTION_INTERFACE };

function call(
  contract: PlannedCall["contract"],
  to: string,
  functionName: string,
  args: readonly unknown[],
): PlannedCall {
  const known = to !== DEPLOYED_CONTRIBUTION && !args.includes(DEPLOYED_CONTRIBUTION);
  return {
    to,
    contract,
    functionName,
    args,
    ...(known ? { data: INTERFACES[contract].encodeFunctionData(functionName, args) } : {}),
  };
}

/** The plan's calls with the deployed contribution contract's address in place of {@link DEPLOYED_CONTRIBUTION}. */
export function resolveDeployed(transactions: readonly PlannedCall[], deployed: string): PlannedCall[] {
  const address = getAddress(deployed);
  const swap = (value: unknown): unknown => (value === DEPLOYED_CONTRIBUTION ? address : value);
  return transactions.map((tx) => call(tx.contract, swap(tx.to) as string, tx.functionName, tx.args.map(swap)));
}

/** The fee check of `initialize` (through `updateFee`'s `_checkFee`). */
function feeProblems(fee: number): Problem[] {
  if (Number.isInteger(fee) && fee >= 0 && fee <= MAX_FEE) return [];
  return [
    {
      code: "fee-too-high",
      stage: "deploy",
      error: "FeeExceedsPossibleValue",
      args: [BigInt(fee), BigInt(MAX_FEE)],
      message: `the fee is ${fee} basis points, above the ${MAX_FEE} (100 %) allowed: lower it`,
    },
  ];
}

/**
 * An operator opening a node: the factory's deploy, the SESH approval of the operator's stake to the new contract and
 * the operator's contribution, or every problem the contracts would revert with. The contracts stop at the first:
 * the fee, then the reservations in order (at deploy); then the operator's contribution, judged only when the
 * reservations are valid (the contract it goes to would not exist otherwise); and the keys, which the rewards
 * contract checks when the node fills (reported whatever else is wrong: they do not depend on it).
 */
export function planNode(parameters: RegistrationParameters, proposal: NodeProposal): Plan {
  const operator = getAddress(proposal.operator);
  const deployProblems = [
    ...factoryProblems(parameters),
    ...feeProblems(proposal.fee),
    ...reservationProblems(parameters, operator, proposal.reserved),
  ];
  const reservationsValid = !deployProblems.some(
    (found) => found.error !== "FeeExceedsPossibleValue" && found.code !== "factory-paused",
  );
  const opened: ContributionState = {
    address: DEPLOYED_CONTRIBUTION,
    status: STATUS.WaitForOperatorContrib,
    operator,
    stakingRequirement: parameters.stakingRequirement,
    maxContributors: parameters.maxContributors,
    manualFinalize: proposal.manualFinalize,
    contributions: [],
    reserved: proposal.reserved.map((spot) => ({ ...spot, received: false })),
    totalContribution: 0n,
    totalReservedContribution: proposal.reserved.reduce((sum, spot) => sum + spot.amount, 0n),
  };
  const problems = [
    ...deployProblems,
    ...(reservationsValid ? contributionProblems(parameters, opened, operator, proposal.operatorStake) : []),
    ...balanceProblems(parameters, operator, proposal.operatorStake),
    ...rewardsStateProblems(parameters),
    ...registrationProblems(parameters, proposal),
  ];
  if (problems.length > 0) return { ok: false, problems };
  const deployArgs = [
    proposal.blsPublicKey,
    proposal.proofOfPossession,
    {
      serviceNodePubkey: proposal.ed25519PublicKey,
      serviceNodeSignature1: proposal.ed25519Signature[0],
      serviceNodeSignature2: proposal.ed25519Signature[1],
      fee: proposal.fee,
    },
    proposal.reserved.map((spot) => ({ addr: getAddress(spot.addr), amount: spot.amount })),
    proposal.manualFinalize,
  ];
  return {
    ok: true,
    transactions: [
      call("factory", parameters.factory, "deploy", deployArgs),
      call("sesh", parameters.sesh, "approve", [DEPLOYED_CONTRIBUTION, proposal.operatorStake]),
      call("contribution", DEPLOYED_CONTRIBUTION, "contributeFunds", [
        proposal.operatorStake,
        getAddress(proposal.beneficiary),
      ]),
    ],
  };
}

/** A contributor joining an open node. */
export interface JoinProposal {
  readonly contributor: string;
  readonly amount: bigint;
  /** Who receives its rewards (zero address: the contributor, or on a top-up the beneficiary recorded). */
  readonly beneficiary: string;
}

/** A contributor joining (or topping up) a node: SESH approve and contributeFunds, or the problems. */
export function planJoin(parameters: RegistrationParameters, state: ContributionState, join: JoinProposal): Plan {
  const problems = contributionProblems(parameters, state, join.contributor, join.amount);
  if (problems.length === 0) problems.push(...balanceProblems(parameters, join.contributor, join.amount));
  // The contribution that reaches the requirement finalises at once, unless the operator finalises by hand.
  const fills = state.totalContribution + join.amount === state.stakingRequirement && !state.manualFinalize;
  if (problems.length === 0 && fills) problems.push(...rewardsStateProblems(parameters));
  if (problems.length > 0) return { ok: false, problems };
  const contract = getAddress(state.address);
  return {
    ok: true,
    transactions: [
      call("sesh", parameters.sesh, "approve", [contract, join.amount]),
      call("contribution", contract, "contributeFunds", [join.amount, getAddress(join.beneficiary || ZeroAddress)]),
    ],
  };
}

/** The problems of a refused plan as one line: `CODE: message; CODE: message`. */
export function problemsText(problems: readonly Problem[]): string {
  return problems.map((problem) => `${problem.code}: ${problem.message}`).join("; ");
}

/** The plan's transactions, or a {@link PreconditionError} naming what the contracts would refuse for `what`. */
export function plannedCalls(plan: Plan, what: string): readonly PlannedCall[] {
  if (!plan.ok)
    throw new PreconditionError(`${what}: the registration rules refuse it: ${problemsText(plan.problems)}`);
  return plan.transactions;
}

/** A planned call as a transaction request; throws for a call that is missing or was planned without its data. */
export function encodedCall(call: PlannedCall | undefined, what: string): { to: string; data: string } {
  if (call?.data === undefined) throw new Error(`${what}: the planned call is missing or not encoded`);
  return { to: call.to, data: call.data };
}

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { expect } from "chai";
import { ErrorFragment, getAddress, Interface, ZeroAddress } from "ethers";
import hre from "hardhat";

import {
  DEPLOYED_CONTRIBUTION,
  resolveDeployed,
  type NodeProposal,
  type Plan,
  type PlannedCall,
} from "../../lib/registration";
import type { StakingFixture } from "./staking";

// The agreement of lib/registration with the contracts, shared by test/unit/lib/registration/agreement.test.ts and
// test/property/registration.agreement.property.test.ts: send the calls a plan (or a proposal the plan refuses)
// implies, decode the first revert, and compare it with the plan's first problem.

/** A revert, decoded: the custom error's name and its arguments (arrays as plain arrays). */
export interface Revert {
  readonly name: string;
  readonly args: readonly unknown[];
}

/** What the contracts did with a series of calls: the first revert, if any, and the contract the factory opened. */
export interface Outcome {
  readonly reverted?: Revert;
  readonly contract?: string;
}

/**
 * The contracts whose custom errors a registration can revert with: the factory and contribution contract, the
 * rewards contract and the admin implementation it delegates registration to, the BN254 libraries the proof of
 * possession is checked with, and SESH.
 */
const REVERTING_CONTRACTS = [
  "ServiceNodeContributionFactory",
  "ServiceNodeContribution",
  "ServiceNodeRewards",
  "ServiceNodeRewardsAdmin",
  "BN256G1",
  "BN256G2",
  "BLS",
  "SESH",
];

let errors: Interface | undefined;

/** One interface with every custom error of {REVERTING_CONTRACTS}, read from the artifacts once. */
export async function registrationErrors(): Promise<Interface> {
  if (errors !== undefined) return errors;
  const fragments = new Map<string, ErrorFragment>();
  for (const name of REVERTING_CONTRACTS) {
    const { abi } = await hre.artifacts.readArtifact(name);
    for (const fragment of new Interface(abi).fragments) {
      if (fragment instanceof ErrorFragment) fragments.set(fragment.selector, fragment);
    }
  }
  errors = new Interface([...fragments.values()]);
  return errors;
}

/** An ethers Result (and the arrays in it) as plain arrays, for deep comparison with a problem's arguments. */
function plain(value: unknown): unknown {
  return Array.isArray(value) ? [...(value as unknown[])].map(plain) : value;
}

/** The custom error of a failed call; rethrows a failure that carries no revert data. */
export async function decodeRevert(error: unknown): Promise<Revert> {
  const data = (error as { data?: unknown }).data;
  if (typeof data !== "string") throw error;
  const parsed = (await registrationErrors()).parseError(data);
  if (parsed === null) throw new Error(`undecodable revert ${data}`);
  return { name: parsed.name, args: plain([...parsed.args]) as unknown[] };
}

/** Sends one encoded call from `from`; the decoded revert if it fails. */
export async function send(
  from: HardhatEthersSigner,
  to: string,
  data: string,
): Promise<{ reverted?: Revert; logs: readonly { topics: readonly string[]; data: string }[] }> {
  try {
    const receipt = await (await from.sendTransaction({ to, data })).wait();
    return { logs: receipt?.logs ?? [] };
  } catch (error) {
    return { reverted: await decodeRevert(error), logs: [] };
  }
}

/**
 * Sends a plan's calls in order from `from` (their encoded data), the deployed contribution contract's address put
 * in once the factory's deploy is mined; stops at the first revert and decodes it.
 */
export async function execute(
  f: StakingFixture,
  from: HardhatEthersSigner,
  calls: readonly PlannedCall[],
): Promise<Outcome> {
  let pending = [...calls];
  let contract: string | undefined;
  const opened = () => (contract === undefined ? {} : { contract });
  while (pending.length > 0) {
    const [next, ...rest] = pending;
    if (next === undefined || next.data === undefined) throw new Error("a call is not encoded");
    const { reverted, logs } = await send(from, next.to, next.data);
    if (reverted !== undefined) return { reverted, ...opened() };
    pending = rest;
    if (next.contract === "factory") {
      const event = logs
        .map((log) => f.factory.interface.parseLog(log))
        .find((parsed) => parsed?.name === "NewServiceNodeContributionContract");
      contract = getAddress(String(event?.args[0]));
      pending = resolveDeployed(rest, contract);
    }
  }
  return opened();
}

/** The plan agrees with what the contracts did: OK exactly when nothing reverted, else its first problem reverted. */
export function expectAgreement(plan: Plan, outcome: Outcome, context = ""): void {
  const where = context === "" ? "" : ` (${context})`;
  if (plan.ok) {
    expect(outcome.reverted, `the plan is OK but the contracts reverted${where}`).to.equal(undefined);
    return;
  }
  const first = plan.problems[0];
  expect(outcome.reverted, `the plan found ${first?.error} but the contracts accepted${where}`).to.not.equal(undefined);
  expect(
    [outcome.reverted?.name, outcome.reverted?.args],
    `the plan's first problem is ${first?.code}${where}`,
  ).to.deep.equal([first?.error, first?.args]);
}

/** The three calls of a node proposal, built without the rules (for proposals the rules refuse). */
export function proposalCalls(f: StakingFixture, proposal: NodeProposal): PlannedCall[] {
  const deploy = f.factory.interface.encodeFunctionData("deploy", [
    proposal.blsPublicKey,
    proposal.proofOfPossession,
    {
      serviceNodePubkey: proposal.ed25519PublicKey,
      serviceNodeSignature1: proposal.ed25519Signature[0],
      serviceNodeSignature2: proposal.ed25519Signature[1],
      fee: proposal.fee,
    },
    proposal.reserved.map((spot) => ({ addr: spot.addr, amount: spot.amount })),
    proposal.manualFinalize,
  ]);
  const opening: PlannedCall = {
    to: f.factoryAddress,
    contract: "factory",
    functionName: "deploy",
    args: [],
    data: deploy,
  };
  return [opening, ...joinCalls(f, DEPLOYED_CONTRIBUTION, proposal.operatorStake, proposal.beneficiary)];
}

/** SESH approve and contributeFunds of `amount` to `contract` (resolved later if {DEPLOYED_CONTRIBUTION}). */
export function joinCalls(
  f: StakingFixture,
  contract: string,
  amount: bigint,
  beneficiary: string = ZeroAddress,
): PlannedCall[] {
  const calls: PlannedCall[] = [
    { to: f.sesh.target as string, contract: "sesh", functionName: "approve", args: [DEPLOYED_CONTRIBUTION, amount] },
    {
      to: DEPLOYED_CONTRIBUTION,
      contract: "contribution",
      functionName: "contributeFunds",
      args: [amount, beneficiary],
    },
  ];
  return contract === DEPLOYED_CONTRIBUTION ? calls : resolveDeployed(calls, contract);
}

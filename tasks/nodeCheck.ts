import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { Plan } from "../lib/registration";
import { addressArgument, inputFile } from "./arguments";
import { ArgumentError, TaskFailedError, withReadableErrors } from "./errors";

/** Refuses an address argument with no contract behind it on this network. */
async function requireCode(hre: HardhatRuntimeEnvironment, name: string, address: string): Promise<void> {
  const { PreconditionError } = await import("../lib/errors");
  if ((await hre.ethers.provider.getCode(address)) === "0x") {
    throw new PreconditionError(`--${name} ${address}: no contract there on network ${hre.network.name}`);
  }
}

/** The factory and the rewards contract it serves (--rewards, if given, must be that one). */
async function deployment(hre: HardhatRuntimeEnvironment, args: { factory: string; rewards?: string }) {
  const { PreconditionError } = await import("../lib/errors");
  const factoryAddress = await addressArgument("factory", args.factory);
  await requireCode(hre, "factory", factoryAddress);
  const factory = await hre.ethers.getContractAt("ServiceNodeContributionFactory", factoryAddress);
  const served = await factory.stakingRewardsContract();
  const rewardsAddress = args.rewards === undefined ? served : await addressArgument("rewards", args.rewards);
  if (rewardsAddress !== served) {
    throw new PreconditionError(`--rewards ${rewardsAddress}: the factory ${factoryAddress} serves ${served}`);
  }
  const rewards = await hre.ethers.getContractAt("ServiceNodeRewards", rewardsAddress);
  return { factory, factoryAddress, rewards };
}

/** Prints the plan's calls, or its problems (one line each) and fails. */
function report(hre: HardhatRuntimeEnvironment, file: string, sender: string, plan: Plan): void {
  if (!plan.ok) {
    for (const found of plan.problems) console.log(`- [${found.code}] ${found.message} (${found.error})`);
    throw new TaskFailedError(
      `${file}: ${plan.problems.length} problem${plan.problems.length === 1 ? "" : "s"} (listed above)`,
    );
  }
  console.log(`${file} is valid on ${hre.network.name}; send, in order, from ${sender}:`);
  plan.transactions.forEach((tx, i) => {
    const shown = tx.args.map((arg) =>
      JSON.stringify(arg, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value)),
    );
    console.log(`${i + 1}. ${tx.contract} ${tx.to}: ${tx.functionName}(${shown.join(", ")})`);
  });
}

interface NodeCheckArguments {
  params?: string;
  join?: string;
  contract?: string;
  factory: string;
  rewards?: string;
}

/** A new node: the proposal against the deployment's parameters and registered keys. */
async function checkNode(hre: HardhatRuntimeEnvironment, file: string, args: NodeCheckArguments): Promise<void> {
  const { loadNodeProposal, planNode, readRegistrationParameters } = await import("../lib/registration");
  const proposal = loadNodeProposal(file);
  const { factory, rewards } = await deployment(hre, args);
  const sesh = await hre.ethers.getContractAt("SESH", await rewards.designatedToken());
  const parameters = await readRegistrationParameters(
    rewards,
    factory,
    {
      blsPublicKeys: [proposal.blsPublicKey],
      ed25519PublicKeys: [proposal.ed25519PublicKey],
      senders: [proposal.operator],
    },
    sesh,
  );
  report(hre, file, proposal.operator, planNode(parameters, proposal));
}

/** A contributor joining an open node: the join against the contribution contract's state, read now. */
async function checkJoin(
  hre: HardhatRuntimeEnvironment,
  file: string,
  contract: string,
  args: NodeCheckArguments,
): Promise<void> {
  const { loadJoinProposal, planJoin, readContributionState, readRegistrationParameters } =
    await import("../lib/registration");
  const { PreconditionError } = await import("../lib/errors");
  const join = loadJoinProposal(file);
  const contractAddress = await addressArgument("contract", contract);
  const { factory, factoryAddress, rewards } = await deployment(hre, args);
  await requireCode(hre, "contract", contractAddress);
  // Only a contract this factory opened is a node of this deployment (anyone can deploy look-alikes).
  if (!(await factory.owns(contractAddress))) {
    throw new PreconditionError(`--contract ${contractAddress}: the factory ${factoryAddress} did not open it`);
  }
  const contribution = await hre.ethers.getContractAt("ServiceNodeContribution", contractAddress);
  const sesh = await hre.ethers.getContractAt("SESH", await rewards.designatedToken());
  const parameters = await readRegistrationParameters(rewards, factory, { senders: [join.contributor] }, sesh);
  const state = await readContributionState(contribution);
  report(hre, file, join.contributor, planJoin(parameters, state, join));
}

// No task records where the staking set was deployed (the in-process network keeps no Ignition journal), so the
// factory's address is given; the rewards contract is the one it serves (--rewards, if given, must be that one).
task(
  "node:check",
  "Checks a proposed multi-contributor node, or a contribution to an open one, against the deployed contracts: " +
    "prints the plan or the problems",
)
  .addOptionalParam("params", "a new node's proposal (JSON, see examples/node-proposal.json)", undefined, inputFile)
  .addOptionalParam("join", "a contribution to an open node (JSON, see examples/node-join.json)", undefined, inputFile)
  .addOptionalParam("contract", "with --join: the node's ServiceNodeContribution address", undefined, types.string)
  .addParam("factory", "the ServiceNodeContributionFactory's address", undefined, types.string)
  .addOptionalParam("rewards", "the ServiceNodeRewards's address (default: the factory's)", undefined, types.string)
  .setAction(async (args: NodeCheckArguments, hre) =>
    withReadableErrors(async () => {
      if (args.params !== undefined && args.join === undefined && args.contract === undefined) {
        return checkNode(hre, args.params, args);
      }
      if (args.params === undefined && args.join !== undefined && args.contract !== undefined) {
        return checkJoin(hre, args.join, args.contract, args);
      }
      throw new ArgumentError(
        "give either --params FILE (a new node) or --join FILE with --contract ADDRESS (a contribution to an open node)",
      );
    }),
  );

import { task, types } from "hardhat/config";

import { inputFile } from "./arguments";
import { ArgumentError, TaskFailedError, withReadableErrors } from "./errors";

/** The check of an address argument, naming it. */
async function addressArgument(name: string, value: string): Promise<string> {
  const { addressProblem, checksumAddress } = await import("../lib/schema");
  const problem = addressProblem(value);
  if (problem !== undefined) throw new ArgumentError(`--${name} ${JSON.stringify(value)} ${problem}`);
  return checksumAddress(value);
}

// No task records where the staking set was deployed (the in-process network keeps no Ignition journal), so the
// factory's address is given; the rewards contract is the one it serves (--rewards, if given, must be that one).
task(
  "node:check",
  "Checks a proposed multi-contributor node against the deployed contracts: prints the plan or the problems",
)
  .addParam("params", "the proposal (JSON, see examples/node-proposal.json)", undefined, inputFile)
  .addParam("factory", "the ServiceNodeContributionFactory's address", undefined, types.string)
  .addOptionalParam("rewards", "the ServiceNodeRewards's address (default: the factory's)", undefined, types.string)
  .setAction(async (args: { params: string; factory: string; rewards?: string }, hre) =>
    withReadableErrors(async () => {
      const { loadNodeProposal, planNode, readRegistrationParameters } = await import("../lib/registration");
      const { PreconditionError } = await import("../lib/errors");
      const proposal = loadNodeProposal(args.params);
      const factoryAddress = await addressArgument("factory", args.factory);
      const code = await hre.ethers.provider.getCode(factoryAddress);
      if (code === "0x") {
        throw new PreconditionError(`--factory ${factoryAddress}: no contract there on network ${hre.network.name}`);
      }
      const factory = await hre.ethers.getContractAt("ServiceNodeContributionFactory", factoryAddress);
      const served = await factory.stakingRewardsContract();
      const rewardsAddress = args.rewards === undefined ? served : await addressArgument("rewards", args.rewards);
      if (rewardsAddress !== served) {
        throw new PreconditionError(`--rewards ${rewardsAddress}: the factory ${factoryAddress} serves ${served}`);
      }
      const rewards = await hre.ethers.getContractAt("ServiceNodeRewards", rewardsAddress);
      const parameters = await readRegistrationParameters(rewards, factory, {
        blsPublicKeys: [proposal.blsPublicKey],
        ed25519PublicKeys: [proposal.ed25519PublicKey],
      });
      const plan = planNode(parameters, proposal);
      if (!plan.ok) {
        for (const found of plan.problems) console.log(`- [${found.code}] ${found.message} (${found.error})`);
        throw new TaskFailedError(
          `${args.params}: ${plan.problems.length} problem${plan.problems.length === 1 ? "" : "s"} (listed above)`,
        );
      }
      console.log(`${args.params} is valid on ${hre.network.name}; send, in order, from ${proposal.operator}:`);
      plan.transactions.forEach((tx, i) => {
        const shown = tx.args.map((arg) =>
          JSON.stringify(arg, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value)),
        );
        console.log(`${i + 1}. ${tx.contract} ${tx.to}: ${tx.functionName}(${shown.join(", ")})`);
      });
    }),
  );

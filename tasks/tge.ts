import { TASK_COMPILE } from "hardhat/builtin-tasks/task-names";
import { scope, task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { TgeContractInputs } from "../deploy/tge";

import { inputFile, outputFile } from "./arguments";
import { ArgumentError, TaskFailedError, withReadableErrors } from "./errors";

/**
 * The inputs of the contracts the TGE deploys with `--migration-plan`: the plan's conversions and bonus pool, the
 * parameter file's `claimsBridge` section (when a line funds the bridge) and `distributor` section with the awards'
 * root (when given), validated at the chain's time. Undefined without `--migration-plan`.
 */
async function contractInputs(
  hre: HardhatRuntimeEnvironment,
  args: { readonly parameters?: string; readonly migrationPlan?: string; readonly awardsRoot?: string },
): Promise<TgeContractInputs | undefined> {
  if (args.migrationPlan === undefined) {
    if (args.awardsRoot !== undefined) {
      throw new ArgumentError(
        "--awards-root: the TGE deploys the distributor only with the contracts of the other lines: add " +
          "--migration-plan plan.json",
      );
    }
    return undefined;
  }
  const { readPlanFunding } = await import("../lib/migration/files");
  const { prepareClaimsBridge } = await import("../deploy/claimsBridge");
  const { prepareDistributor } = await import("../deploy/distributor");
  const { loadTgeParameters } = await import("../lib/tge/parameters");
  const { parametersFileFor } = await import("../deploy/tge");
  const funding = readPlanFunding(args.migrationPlan);
  const file = args.parameters ?? parametersFileFor(hre.network.name);
  const fundsBridge = loadTgeParameters(file).allocations.some(
    (line) => line.recipient.kind === "contract" && line.recipient.contract === "OxenClaimsBridge",
  );
  const sectionOptions = args.parameters === undefined ? {} : { parametersFile: args.parameters };
  return {
    converted: funding.converted,
    bonusPool: funding.bonusPool,
    ...(fundsBridge ? { claimsBridge: await prepareClaimsBridge(hre, sectionOptions) } : {}),
    ...(args.awardsRoot === undefined
      ? {}
      : {
          distributor: { parameters: await prepareDistributor(hre, sectionOptions), merkleRoot: args.awardsRoot },
        }),
  };
}

task("tge", "Token Generation Event: deploys SESH and splits the supply by the network's allocation table")
  .addOptionalParam(
    "parameters",
    "allocation parameter file (default: deploy/parameters/<network>.json)",
    undefined,
    inputFile,
  )
  .addOptionalParam("deploymentId", "Ignition deployment id (default: chain-<chain id>)")
  .addOptionalParam(
    "migrationPlan",
    "the Landing's plan.json (npx hardhat plan-migration): the TGE then deploys the staking set, the claims bridge " +
      "and the distributor and pays each contract line straight to its contract, the migration's conversions to " +
      "the rewards contract",
    undefined,
    inputFile,
  )
  .addOptionalParam(
    "awardsRoot",
    "the Merkle root of the testnet awards' campaign (npx hardhat distribution:build), for the distributor the TGE " +
      "deploys with --migration-plan",
  )
  .addFlag("check", "only validate the parameters and print the plan; send nothing")
  .setAction(
    async (
      args: { parameters?: string; deploymentId?: string; migrationPlan?: string; awardsRoot?: string; check: boolean },
      hre,
    ) =>
      withReadableErrors(async () => {
        // Validated before anything is compiled or sent.
        const { deployTge, prepareTge } = await import("../deploy/tge");
        const { allocationTable, balanceTable, lockupList, recipientTable } = await import("../lib/tge/report");
        const contracts = await contractInputs(hre, args);
        const options = {
          ...(args.parameters === undefined ? {} : { parametersFile: args.parameters }),
          ...(args.deploymentId === undefined ? {} : { deploymentId: args.deploymentId }),
          ...(contracts === undefined ? {} : { contracts }),
        };
        const plan = await prepareTge(hre, options);
        const printPlan = (): void => {
          console.log(allocationTable(plan));
          console.log("");
          console.log(recipientTable(plan));
          console.log("");
          console.log(lockupList(plan));
        };
        if (args.check) {
          console.log(`${plan.parametersFile} is valid; the TGE on ${hre.network.name} would send:\n`);
          printPlan();
          return;
        }
        await hre.run(TASK_COMPILE, { quiet: true });
        const result = await deployTge(hre, options);
        console.log(`SESH deployed at ${result.seshAddress} on ${hre.network.name}`);
        console.log(`supply split by GenesisSplitter at ${result.splitterAddress}`);
        if (result.staking !== undefined) {
          console.log(
            `staking set: ${result.staking.parameters.contract} at ${result.staking.rewardsAddress}, ` +
              `RewardRatePool at ${result.staking.poolAddress}, contribution factory at ${result.staking.factoryAddress}`,
          );
        }
        if (result.bridge !== undefined) {
          console.log(
            `OxenClaimsBridge at ${result.bridge.bridgeAddress}, converting the wOXEN at ${result.bridge.wrappedOxenAddress}`,
          );
        }
        if (result.distributorAddress !== undefined) {
          console.log(`MerkleDistributor of the testnet awards at ${result.distributorAddress}`);
        }
        for (const { holder, address } of result.vesting) {
          console.log(`${holder.contract} "${holder.name}" at ${address}`);
        }
        console.log("");
        printPlan();
        console.log("");
        console.log(balanceTable(result.checks));
        if (result.checks.some((check) => !check.ok)) {
          throw new TaskFailedError("a balance after the TGE differs from the allocation table (see the table above)");
        }
      }),
  );

task(
  "tge:ignition-parameters",
  "Writes the Ignition parameter file of the TGE module from a network's allocation table (validated first)",
)
  .addParam("out", "the file to write, e.g. tge-localhost.json (its folder must exist)", undefined, outputFile)
  .addOptionalParam(
    "parameters",
    "allocation parameter file (default: deploy/parameters/<network>.json)",
    undefined,
    inputFile,
  )
  .setAction(async (args: { out: string; parameters?: string }, hre) =>
    withReadableErrors(async () => {
      const { writeFileSync } = await import("node:fs");
      const { ignitionParametersJson, prepareTge } = await import("../deploy/tge");
      const plan = await prepareTge(hre, args.parameters === undefined ? {} : { parametersFile: args.parameters });
      writeFileSync(args.out, ignitionParametersJson(plan));
      console.log(
        `wrote ${args.out}: ${plan.lines.length} lines from ${plan.parametersFile} for network ${hre.network.name}; ` +
          `deploy with: npx hardhat ignition deploy deploy/modules/TGE.ts --network ${hre.network.name} ` +
          `--parameters ${args.out}`,
      );
    }),
  );

// `npx hardhat ignition deploy` trusts its journal as `hre.ignition.deploy` does: refuse a journal of an earlier
// chain (a restarted node) with the same message as `npx hardhat tge`, before Ignition reads it.
scope("ignition")
  .task("deploy")
  .setAction(
    async (
      args: { deploymentId?: string; reset: boolean },
      hre,
      runSuper: (taskArguments: unknown) => Promise<unknown>,
    ) =>
      withReadableErrors(async () => {
        if (!args.reset) {
          const { checkDeploymentJournal, defaultDeploymentId } = await import("../deploy/tge");
          await checkDeploymentJournal(hre, args.deploymentId ?? (await defaultDeploymentId(hre)));
        }
        return runSuper(args);
      }),
  );

import { TASK_COMPILE } from "hardhat/builtin-tasks/task-names";
import { task } from "hardhat/config";

import { PLUGIN_NAME, withReadableErrors } from "./errors";

task("tge", "Token Generation Event: deploys SESH and splits the supply by the network's allocation table")
  .addOptionalParam("parameters", "allocation parameter file (default: deploy/parameters/<network>.json)")
  .addFlag("check", "only validate the parameters and print the plan; send nothing")
  .setAction(async (args: { parameters?: string; check: boolean }, hre) =>
    withReadableErrors(async () => {
      await hre.run(TASK_COMPILE, { quiet: true });
      // Loaded here, not at the top: the config loads this file before anything is compiled.
      const { deployTge, prepareTge } = await import("../deploy/tge");
      const { allocationTable, balanceTable } = await import("../lib/tge/report");
      const options = args.parameters === undefined ? {} : { parametersFile: args.parameters };

      if (args.check) {
        const plan = await prepareTge(hre, options);
        console.log(`${plan.parametersFile} is valid; the TGE on ${hre.network.name} would send:\n`);
        console.log(allocationTable(plan));
        return;
      }
      const result = await deployTge(hre, options);
      console.log(`SESH deployed at ${result.seshAddress} on ${hre.network.name}\n`);
      console.log(allocationTable(result.plan));
      console.log("");
      console.log(balanceTable(result.checks));
      if (result.checks.some((check) => !check.ok)) {
        const { HardhatPluginError } = await import("hardhat/plugins");
        throw new HardhatPluginError(PLUGIN_NAME, "a balance after the TGE differs from the allocation table");
      }
    }),
  );

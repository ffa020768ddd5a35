import { TASK_COMPILE } from "hardhat/builtin-tasks/task-names";
import { task } from "hardhat/config";

import { inputFile } from "./arguments";
import { TaskFailedError, withReadableErrors } from "./errors";

task(
  "rehearse",
  "Rehearses the launch on the local Arbitrum-like chain (in-process, localhost behind `npx hardhat node`, or anvil)",
)
  .addOptionalParam(
    "parameters",
    "TGE allocation parameter file (default: deploy/parameters/<network>.json)",
    undefined,
    inputFile,
  )
  .setAction(async (args: { parameters?: string }, hre) =>
    withReadableErrors(async () => {
      await hre.run(TASK_COMPILE, { quiet: true });
      const { rehearse } = await import("../scripts/rehearse");
      const result = await rehearse(hre, args.parameters === undefined ? {} : { parametersFile: args.parameters });
      if (!result.passed) throw new TaskFailedError("the rehearsal failed: see the checks above");
    }),
  );

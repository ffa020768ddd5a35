import { TASK_COMPILE } from "hardhat/builtin-tasks/task-names";
import { task } from "hardhat/config";

import { inputFile } from "./arguments";
import { TaskFailedError, withReadableErrors } from "./errors";

task(
  "rehearse",
  "Rehearses the launch on the local Arbitrum-like chain (in-process, or localhost behind `npx hardhat node`)",
)
  .addOptionalParam(
    "parameters",
    "TGE allocation parameter file (default: deploy/parameters/<network>.json)",
    undefined,
    inputFile,
  )
  .addOptionalParam("report", "the folder of the JSON and Markdown reports (default: reports/)")
  .setAction(async (args: { parameters?: string; report?: string }, hre) =>
    withReadableErrors(async () => {
      await hre.run(TASK_COMPILE, { quiet: true });
      const { rehearse } = await import("../scripts/rehearse");
      const result = await rehearse(hre, {
        ...(args.parameters === undefined ? {} : { parametersFile: args.parameters }),
        ...(args.report === undefined ? {} : { reportDir: args.report }),
      });
      if (!result.passed) throw new TaskFailedError("the rehearsal failed: see the checks above");
    }),
  );

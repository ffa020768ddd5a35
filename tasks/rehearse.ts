import { TASK_COMPILE } from "hardhat/builtin-tasks/task-names";
import { task } from "hardhat/config";

import { inputFile } from "./arguments";
import { ArgumentError, TaskFailedError, withReadableErrors } from "./errors";

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
  .addOptionalParam("report", "the folder of the JSON and Markdown reports (default: reports/)")
  .addOptionalParam("nodes", "nodes of the generated Anchor snapshot (default: 200)")
  .addOptionalParam("seed", "seed of the generated snapshot: the same seed, the same launch (default: rehearsal)")
  .addOptionalParam("snapshot", "an Anchor snapshot file to migrate instead of a generated one", undefined, inputFile)
  .addOptionalParam(
    "phase",
    "the last phase to play: lighthouse, anchor or landing (default: landing, the whole launch)",
  )
  .addFlag("resume", "continue an interrupted run from its journal in the report folder, sending nothing twice")
  .addFlag(
    "realTime",
    "move no clock: the Lighthouse alone (with --phase lighthouse) on the chain's own time, as on a real testnet",
  )
  .setAction(
    async (
      args: {
        parameters?: string;
        report?: string;
        nodes?: string;
        seed?: string;
        snapshot?: string;
        phase?: string;
        resume: boolean;
        realTime: boolean;
      },
      hre,
    ) =>
      withReadableErrors(async () => {
        if (args.nodes !== undefined && !/^\d+$/.test(args.nodes)) {
          throw new ArgumentError(`--nodes ${JSON.stringify(args.nodes)}: give a whole number of nodes`);
        }
        if (args.seed?.trim() === "") throw new ArgumentError("--seed: give a non-empty text");
        const { PHASES } = await import("../scripts/rehearse");
        const phase = PHASES.find((name) => name === args.phase);
        if (args.phase !== undefined && phase === undefined) {
          throw new ArgumentError(`--phase ${JSON.stringify(args.phase)}: give one of ${PHASES.join(", ")}`);
        }
        await hre.run(TASK_COMPILE, { quiet: true });
        const { rehearse } = await import("../scripts/rehearse");
        const result = await rehearse(hre, {
          ...(args.parameters === undefined ? {} : { parametersFile: args.parameters }),
          ...(args.report === undefined ? {} : { reportDir: args.report }),
          ...(args.nodes === undefined ? {} : { nodes: Number(args.nodes) }),
          ...(args.seed === undefined ? {} : { seed: args.seed }),
          ...(args.snapshot === undefined ? {} : { snapshotFile: args.snapshot }),
          ...(phase === undefined ? {} : { phase }),
          resume: args.resume,
          realTime: args.realTime,
        });
        if (!result.passed) throw new TaskFailedError("the rehearsal failed: see the checks above");
      }),
  );

import { task } from "hardhat/config";

import { inputFile, outputFolder, positiveInteger } from "./arguments";
import { ArgumentError, withReadableErrors } from "./errors";

task("plan-migration", "Plans the Landing migration from an Anchor snapshot: writes plan.json and plan.md")
  .addParam("snapshot", "the Anchor snapshot (JSON, see lib/snapshot/schema.ts)", undefined, inputFile)
  .addParam("out", "folder to write plan.json and plan.md into (created if missing)", undefined, outputFolder)
  .addOptionalParam(
    "gasBudget",
    "gas one seedPublicKeyList transaction may use, a positive whole number (default 30,000,000)",
    undefined,
    positiveInteger,
  )
  .setAction(async (args: { snapshot: string; out: string; gasBudget?: bigint }) =>
    withReadableErrors(async () => {
      const { formatSesh } = await import("../lib/amount");
      const { planMigrationFiles } = await import("../lib/migration");
      const started = performance.now();
      let files;
      try {
        files = planMigrationFiles(
          args.snapshot,
          args.out,
          args.gasBudget === undefined ? {} : { gasBudget: args.gasBudget },
        );
      } catch (error) {
        // The planner refuses a budget that cannot hold one node's seeding with a RangeError naming both figures.
        if (error instanceof RangeError && args.gasBudget !== undefined) {
          throw new ArgumentError(`--gas-budget ${args.gasBudget}: ${error.message}`);
        }
        throw error;
      }
      const { plan, json, markdown } = files;
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      console.log(
        `planned ${plan.totals.restakedNodes} re-staked and ${plan.totals.disbandedNodes} disbanded nodes in ${seconds} s: ` +
          `${formatSesh(plan.totals.restaked)} re-staked, ${formatSesh(plan.totals.credited)} credited`,
      );
      console.log(`wrote ${json} and ${markdown}`);
    }),
  );

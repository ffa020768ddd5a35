import { task } from "hardhat/config";

import { withReadableErrors } from "./errors";

task("plan-migration", "Plans the Landing migration from an Anchor snapshot: writes plan.json and plan.md")
  .addParam("snapshot", "the Anchor snapshot (JSON, see lib/snapshot/schema.ts)")
  .addParam("out", "folder to write plan.json and plan.md into")
  .addOptionalParam("gasBudget", "gas one seedPublicKeyList transaction may use (default 30,000,000)")
  .setAction(async (args: { snapshot: string; out: string; gasBudget?: string }) =>
    withReadableErrors(async () => {
      const { PreconditionError } = await import("../lib/errors");
      const { formatSesh } = await import("../lib/amount");
      const { planMigrationFiles } = await import("../lib/migration");
      if (args.gasBudget !== undefined && !/^\d+$/.test(args.gasBudget)) {
        throw new PreconditionError(`--gas-budget must be a whole number of gas, got "${args.gasBudget}"`);
      }
      const started = performance.now();
      const { plan, json, markdown } = planMigrationFiles(
        args.snapshot,
        args.out,
        args.gasBudget === undefined ? {} : { gasBudget: BigInt(args.gasBudget) },
      );
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      console.log(
        `planned ${plan.totals.restakedNodes} re-staked and ${plan.totals.disbandedNodes} disbanded nodes in ${seconds} s: ` +
          `${formatSesh(plan.totals.restaked)} re-staked, ${formatSesh(plan.totals.credited)} credited`,
      );
      console.log(`wrote ${json} and ${markdown}`);
    }),
  );

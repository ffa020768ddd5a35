import { task } from "hardhat/config";

import { withReadableErrors } from "./errors";

task("claims:build-epoch", "Builds an Oxen claims epoch from a burn list: writes epoch.json, tree.json and proofs/")
  .addParam("burns", "the burn list (JSON, see lib/claims/index.ts)")
  .addParam("out", "folder to write epoch.json, tree.json and proofs/<recipient>.json into")
  .setAction(async (args: { burns: string; out: string }) =>
    withReadableErrors(async () => {
      const { formatOxen } = await import("../lib/amount");
      const { writeEpochFiles } = await import("../lib/claims");
      const { build, summary, tree, proofsDirectory } = writeEpochFiles(args.burns, args.out);
      console.log(
        `epoch root ${build.root}: ${build.tree.length} leaves, ${build.claims.size} recipients, ` +
          formatOxen(build.totalOxen),
      );
      console.log(`wrote ${summary}, ${tree} and ${proofsDirectory}/`);
    }),
  );

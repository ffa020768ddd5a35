import { task } from "hardhat/config";

import { withReadableErrors } from "./errors";

task("distribution:build", "Builds a MerkleDistributor campaign: the tree and one proof file per account")
  .addParam("awards", "awards file: { total, awards: [{ account, amount }] }, amounts in atoms")
  .addParam("out", "output folder (tree.json and proofs/<account>.json are written into it)")
  .setAction(async (args: { awards: string; out: string }) =>
    withReadableErrors(async () => {
      // Loaded here, not at the top: the config loads this file on every Hardhat command.
      const { buildDistribution } = await import("../lib/distribution");
      const { formatSesh } = await import("../lib/amount");
      const result = buildDistribution(args.awards, args.out);
      console.log(`root      ${result.root}`);
      console.log(`total     ${result.total} atoms (${formatSesh(result.total)})`);
      console.log(`awards    ${result.count}`);
      console.log(`tree      ${result.treeFile}`);
      console.log(`proofs    ${result.proofsDir}`);
    }),
  );

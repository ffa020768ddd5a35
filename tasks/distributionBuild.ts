import { task, types } from "hardhat/config";

import { withReadableErrors } from "./errors";

// The awards path is a plain string, not `types.inputFile`: lib/ reports a missing or unreadable file as an
// InputFileError naming it, the same from the command line and from `hre.run`.
task("distribution:build", "Builds a MerkleDistributor campaign: the tree and one proof file per account")
  .addParam(
    "awards",
    "awards file: { total, awards: [{ account, amount }] }, amounts in atoms",
    undefined,
    types.string,
  )
  .addParam(
    "out",
    "new or empty folder for campaign.json, tree.json and proofs/<account>.json",
    undefined,
    types.string,
  )
  .addOptionalParam(
    "name",
    "the campaign's name, written in campaign.json and every proof file (default: the awards file's name)",
    undefined,
    types.string,
  )
  .addFlag("force", "replace the content of an --out folder that is not empty")
  .setAction(async (args: { awards: string; out: string; name?: string; force: boolean }) =>
    withReadableErrors(async () => {
      // Loaded here, not at the top: the config loads this file on every Hardhat command.
      const { buildDistribution } = await import("../lib/distribution");
      const { formatSesh } = await import("../lib/amount");
      const result = buildDistribution(args.awards, args.out, {
        force: args.force,
        ...(args.name === undefined ? {} : { name: args.name }),
      });
      console.log(`campaign  ${result.name}`);
      console.log(`root      ${result.root}`);
      console.log(`total     ${result.total} atoms (${formatSesh(result.total)})`);
      console.log(`awards    ${result.count}`);
      console.log(`summary   ${result.summaryFile}`);
      console.log(`tree      ${result.treeFile}`);
      console.log(`proofs    ${result.proofsDir}`);
    }),
  );

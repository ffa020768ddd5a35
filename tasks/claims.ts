import { task, types } from "hardhat/config";

import { withReadableErrors } from "./errors";

/** Splits `--previous DIR1,DIR2` into folders; an empty entry (`DIR1,,DIR2`) is dropped. */
function folderList(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

// The paths are plain strings, not `types.inputFile`: lib/ reports a missing or unreadable burn list as an
// InputFileError naming the file, the same from the command line and from `hre.run`.
task("claims:build-epoch", "Builds an Oxen claims epoch from a burn list: writes epoch.json, tree.json and proofs/")
  .addParam(
    "burns",
    "the burn list (JSON, see lib/claims/index.ts and examples/burns-epoch-0.json)",
    undefined,
    types.string,
  )
  .addParam("out", "new or empty folder for epoch.json, tree.json and proofs/<recipient>.json", undefined, types.string)
  .addOptionalParam(
    "previous",
    "comma-separated folders of every epoch built before (written by this task); their burns are refused",
    undefined,
    types.string,
  )
  .addFlag("force", "replace the content of an --out folder that is not empty")
  .setAction(async (args: { burns: string; out: string; previous?: string; force: boolean }) =>
    withReadableErrors(async () => {
      const { formatOxen } = await import("../lib/amount");
      const { writeEpochFiles } = await import("../lib/claims");
      const { epoch, build, summary, tree, proofsDirectory } = writeEpochFiles(args.burns, args.out, {
        previous: folderList(args.previous),
        force: args.force,
      });
      console.log(
        `epoch ${epoch} root ${build.root}: ${build.tree.length} leaves, ${build.claims.size} recipients, ` +
          formatOxen(build.totalOxen),
      );
      console.log(`publish with addEpoch(${build.root}, ${build.totalOxen}), which must return ${epoch}`);
      console.log(`wrote ${summary}, ${tree} and ${proofsDirectory}/`);
    }),
  );

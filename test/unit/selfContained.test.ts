import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";

const ROOT = path.resolve(__dirname, "..", "..");
/** What a clone holds besides the project's own files: dependencies, build output and reports. */
const SKIPPED = new Set([
  ".git",
  "node_modules",
  "artifacts",
  "cache",
  "typechain-types",
  "coverage",
  "reports",
  ".stryker-tmp",
  ".coverage_artifacts",
  ".coverage_cache",
  ".coverage_contracts",
  "deployments",
]);
/** The team's reference folder beside a working copy, which a user's clone does not have. */
const OUTSIDE_FOLDER = path.posix.join("..", "shared");
/** The same folder spelt as path segments, `path.resolve(__dirname, "..", "shared")`. */
const OUTSIDE_SEGMENTS = /"\.\.",\s*"shared"/;
const PRODUCTION_FIXTURES = path.join(ROOT, "test", "fixtures", "production");

function projectFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    if (SKIPPED.has(entry)) return [];
    const file = path.join(folder, entry);
    return statSync(file).isDirectory() ? projectFiles(file) : [file];
  });
}

describe("finding 9: the project is self-contained", function () {
  it("reads nothing from a folder beside the repository and sends no reader there", function () {
    const offending = projectFiles(ROOT)
      // This file names the folder to look for it.
      .filter((file) => file !== __filename)
      .filter((file) => /\.(ts|js|mjs|json|sol|md|sh)$/.test(file) || path.basename(file) === "run")
      .filter((file) => {
        const text = readFileSync(file, "utf8");
        return text.includes(OUTSIDE_FOLDER) || OUTSIDE_SEGMENTS.test(text);
      })
      .map((file) => path.relative(ROOT, file));
    expect(offending).to.deep.equal([]);
  });

  it("keeps the production facts its tests use in test/fixtures/production, each a JSON document", function () {
    for (const name of ["production-abi.json", "bls-hash-to-g2-vectors.json", "bls-signature-vectors.json"]) {
      const file = path.join(PRODUCTION_FIXTURES, name);
      expect(existsSync(file), name).to.be.true;
      expect(() => JSON.parse(readFileSync(file, "utf8")) as unknown, name).not.to.throw();
    }
  });

  it("documents itself in docs/", function () {
    for (const page of ["contracts.md", "calendar.md", "migration.md", "interface.md", "deployment.md", "testing.md"]) {
      expect(existsSync(path.join(ROOT, "docs", page)), page).to.be.true;
    }
  });
});

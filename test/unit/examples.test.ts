import { readFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";

import { planMigration } from "../../lib/migration";
import { generateSnapshot, loadSnapshot, snapshotToJson } from "../../lib/snapshot";

/** The example snapshot of examples/README.md: `npm run snapshot:generate` with these arguments. */
const EXAMPLE_SNAPSHOT = path.resolve(__dirname, "..", "..", "examples", "snapshot-12-nodes.json");
const EXAMPLE_ARGUMENTS = { seed: "example-h", nodes: 12, wallets: 40 } as const;

describe("examples/", function () {
  describe("snapshot-12-nodes.json", function () {
    it("is what the generator writes for the arguments in examples/README.md", function () {
      expect(readFileSync(EXAMPLE_SNAPSHOT, "utf8")).to.equal(snapshotToJson(generateSnapshot(EXAMPLE_ARGUMENTS)));
    });

    it("holds a node awaiting contributions, which the planner disbands as not fully funded", function () {
      const plan = planMigration(loadSnapshot(EXAMPLE_SNAPSHOT));
      const reasons = plan.disbanded.map((node) => node.reason);
      expect(reasons).to.include("not-fully-funded");
      expect(plan.totals.pools).to.equal(plan.totals.restaked + plan.totals.credited);
    });
  });
});

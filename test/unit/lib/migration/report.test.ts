import { expect } from "chai";

import { planMigration, planToMarkdown } from "../../../../lib/migration";
import { node, snapshot, wallet } from "../../../helpers/snapshot";

describe("lib/migration/report", function () {
  describe("#planToMarkdown", function () {
    it("finding 18: lists the reason not-fully-funded and what it means", function () {
      const plan = planMigration(
        snapshot(
          [wallet("olivia")],
          [node({ rank: 1, state: "awaiting-contributions", stake: 100n, stakes: [["olivia", 60n]] })],
        ),
      );
      const markdown = planToMarkdown(plan);
      expect(markdown).to.match(/^not-fully-funded +█+ 1$/m);
      expect(markdown).to.include(
        "- **not-fully-funded**: still awaiting contributions (never fully funded): registered stakes credited, " +
          "others unlock",
      );
    });
  });
});

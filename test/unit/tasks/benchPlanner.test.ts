import { expect } from "chai";

import { benchVerdict } from "../../../scripts/bench-planner";

describe("finding 16: npm run bench:planner", function () {
  describe("#benchVerdict", function () {
    it("exits 1 when it prints that the goal was missed", function () {
      const verdict = benchVerdict(false);
      expect(verdict.message).to.match(/^goal missed: /);
      expect(verdict.exitCode).to.equal(1);
    });

    it("exits 0 when the goal is met", function () {
      const verdict = benchVerdict(true);
      expect(verdict.message).to.match(/^goal met: /);
      expect(verdict.exitCode).to.equal(0);
    });
  });
});

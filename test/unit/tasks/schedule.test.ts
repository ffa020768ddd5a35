import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";

import { defaultSchedule, formatRate, rateAxis, scheduleSvg, scheduleWindow } from "../../../lib/schedule";
import { runHardhat } from "../../helpers/cli";

/** The text of every `<text class="…">` element of that class, in order. */
function textsOf(svg: string, className: string): string[] {
  return [...svg.matchAll(new RegExp(`<text class="${className}"[^>]*>([^<]*)</text>`, "g"))].map(
    (match) => match[1] ?? "",
  );
}

/** The attribute `name` of every `<text class="…">` element of that class, as numbers. */
function attributeOf(svg: string, className: string, name: string): number[] {
  return [...svg.matchAll(new RegExp(`<text class="${className}"[^>]*\\b${name}="([^"]+)"`, "g"))].map((match) =>
    Number(match[1]),
  );
}

describe("finding 15: the rate chart can be read and a task writes it", function () {
  const schedule = defaultSchedule();
  const { from, to } = scheduleWindow(schedule);
  const svg = scheduleSvg(schedule, from, to);

  describe("#scheduleSvg", function () {
    it("has round ticks on the rate axis: 0, 0.1, … 0.6", function () {
      expect(textsOf(svg, "rate-tick")).to.deep.equal(["0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6"]);
    });

    it("writes the opening and the final rate beside the line", function () {
      expect(textsOf(svg, "rate")).to.deep.equal(["0.54", "0.378"]);
    });

    it("writes the date of every breakpoint on the chart, not only in a hover title", function () {
      expect(textsOf(svg, "breakpoint-date")).to.deep.equal(["2025-05-22", "2025-11-21", "2025-12-21"]);
    });

    it("keeps dates 30 days apart from overlapping (the later one goes a row up)", function () {
      const [, decayStart, decayEnd] = attributeOf(svg, "breakpoint-date", "y");
      expect(decayEnd).to.be.below(decayStart ?? 0);
    });

    it("labels the months of the window", function () {
      expect(textsOf(svg, "month")).to.deep.equal([
        "2025-04",
        "2025-05",
        "2025-06",
        "2025-07",
        "2025-08",
        "2025-09",
        "2025-10",
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
      ]);
    });
  });

  describe("#rateAxis", function () {
    it("picks the smallest round step that fits in 8 steps, 5 % above the top rate", function () {
      expect(rateAxis(540_000_000n)).to.deep.include({ step: 100_000_000n, top: 600_000_000n });
      expect(rateAxis(10_000_000_000n)).to.deep.include({ step: 2_000_000_000n, top: 12_000_000_000n });
      expect(rateAxis(0n)).to.deep.include({ step: 200_000_000n, top: 1_000_000_000n });
    });
  });

  describe("#formatRate", function () {
    it("writes a rate exactly, without trailing zeros", function () {
      expect([540_000_000n, 378_000_000n, 0n, 1_000_000_000n, 1n].map(formatRate)).to.deep.equal([
        "0.54",
        "0.378",
        "0",
        "1",
        "0.000000001",
      ]);
    });
  });

  describe("npx hardhat claims:schedule", function () {
    this.timeout(120_000);
    const folder = mkdtempSync(path.join(os.tmpdir(), "claims-schedule-"));

    it("writes the chart of the launch schedule to --out", function () {
      const out = path.join(folder, "schedule.svg");
      const run = runHardhat(["claims:schedule", "--out", out], "headless");
      expect(run.status, run.stderr).to.equal(0);
      expect(readFileSync(out, "utf8")).to.equal(svg);
      expect(run.stdout).to.include("2025-05-22 0.54, 2025-11-21 0.54, 2025-12-21 0.378");
    });

    it("refuses an --out whose folder does not exist, and writes nothing", function () {
      const out = path.join(folder, "missing", "schedule.svg");
      const run = runHardhat(["claims:schedule", "--out", out], "headless");
      expect(run.status).to.equal(1);
      expect(run.stderr).to.include(`its folder ${path.dirname(out)} does not exist (create it first)`);
      expect(existsSync(path.dirname(out))).to.be.false;
    });
  });
});

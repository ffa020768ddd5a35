import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { PreconditionError } from "../../../../lib/errors";
import {
  checkReportDir,
  reportName,
  reportPassed,
  reportToJson,
  reportToMarkdown,
  writeReport,
  type RehearsalReport,
} from "../../../../lib/rehearsal/report";

const STARTED = new Date("2025-05-14T09:30:05.123Z");

function report(ok = true, charts = ["rate"]): RehearsalReport {
  return {
    startedAt: STARTED,
    network: "hardhat",
    chainId: 412_346,
    phases: [
      {
        name: "Landing",
        events: ["the TGE ran"],
        transactions: [{ label: "split", hash: `0x${"12".repeat(32)}`, gasUsed: 123_456n }],
        sections: [{ title: "Balances", markdown: "| a |\n| - |\n| 1 |" }],
        checks: [
          { name: "supply conserved", ok: true, detail: "240,000,000 SESH" },
          { name: "no double claim", ok, detail: ok ? "0 repeated" : "1 repeated" },
        ],
      },
    ],
    charts: charts.map((name) => ({ name, title: "Rate over time", svg: "<svg xmlns='http://www.w3.org/2000/svg'/>" })),
  };
}

describe("lib/rehearsal: the report", function () {
  let dir: string;
  beforeEach(function () {
    dir = mkdtempSync(path.join(tmpdir(), "report-"));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it("names a report by its start in UTC, safe in a file name", function () {
    expect(reportName(STARTED)).to.equal("rehearsal-2025-05-14T09-30-05Z");
  });

  it("passes only when every check of every phase passed", function () {
    expect([reportPassed(report()), reportPassed(report(false))]).to.deep.equal([true, false]);
  });

  it("writes the JSON, the Markdown and each chart, and nothing else", function () {
    const written = writeReport(dir, report());
    expect(readdirSync(dir).sort()).to.deep.equal([
      "rehearsal-2025-05-14T09-30-05Z-rate.svg",
      "rehearsal-2025-05-14T09-30-05Z.json",
      "rehearsal-2025-05-14T09-30-05Z.md",
    ]);
    expect(written.charts).to.deep.equal([path.join(dir, "rehearsal-2025-05-14T09-30-05Z-rate.svg")]);
    const json = JSON.parse(readFileSync(written.json, "utf8")) as { passed: boolean; phases: { gasUsed: string }[] };
    expect([json.passed, json.phases[0]?.gasUsed]).to.deep.equal([true, "123456"]);
  });

  it("embeds the charts and says FAILED with the count when a check fails", function () {
    const markdown = reportToMarkdown(report(false));
    expect(markdown).to.contain("![Rate over time](rehearsal-2025-05-14T09-30-05Z-rate.svg)");
    expect(markdown).to.contain("**FAILED: 1 of 2 checks.**");
    expect(markdown).to.contain("- **FAILED**: no double claim (1 repeated)");
    expect(reportToJson(report(false))).to.contain('"passed": false');
  });

  it("leaves nothing behind when a file cannot be written", function () {
    // The second chart's name points into a folder that does not exist: its write fails after the first one's.
    expect(() => writeReport(dir, report(true, ["rate", "missing/nodes"]))).to.throw(/ENOENT/);
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it("accepts a folder that does not exist yet, and refuses a path through a file", function () {
    expect(() => {
      checkReportDir(path.join(dir, "new", "reports"));
    }).to.not.throw();
    const file = path.join(dir, "file");
    writeFileSync(file, "");
    expect(() => {
      checkReportDir(path.join(file, "reports"));
    }).to.throw(PreconditionError, "is a file, not a folder");
  });
});

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";

import { InputFileError } from "../../../../lib/errors";
import { planMigrationFiles } from "../../../../lib/migration";
import { generateSnapshot, snapshotToJson } from "../../../../lib/snapshot";

describe("lib/migration/files", function () {
  const folder = mkdtempSync(path.join(os.tmpdir(), "plan-files-"));
  const snapshotFile = path.join(folder, "snapshot.json");
  writeFileSync(snapshotFile, snapshotToJson(generateSnapshot({ seed: "files", nodes: 30, wallets: 120 })));

  describe("#planMigrationFiles", function () {
    it("writes plan.json and plan.md", function () {
      const out = path.join(folder, "plan");
      const { plan, json, markdown } = planMigrationFiles(snapshotFile, out);
      const written = JSON.parse(readFileSync(json, "utf8")) as { inputHash: string; restaked: unknown[] };
      expect(written.inputHash).to.equal(plan.inputHash);
      expect(written.restaked).to.have.length(plan.restaked.length);
      expect(readFileSync(markdown, "utf8")).to.match(/^# Landing migration plan\n/);
    });

    it("writes the same bytes for the same snapshot", function () {
      const first = planMigrationFiles(snapshotFile, path.join(folder, "first"));
      const second = planMigrationFiles(snapshotFile, path.join(folder, "second"));
      expect(readFileSync(second.json, "utf8")).to.equal(readFileSync(first.json, "utf8"));
    });

    it("writes nothing for a bad snapshot", function () {
      const bad = path.join(folder, "bad.json");
      const raw = JSON.parse(readFileSync(snapshotFile, "utf8")) as { wallets: { unpaidRewards: string }[] };
      const [first] = raw.wallets;
      if (first === undefined) throw new Error("the generated snapshot has no wallets");
      first.unpaidRewards = "-1";
      writeFileSync(bad, JSON.stringify(raw));
      const out = path.join(folder, "never");
      expect(() => planMigrationFiles(bad, out)).to.throw(InputFileError, '"-1" is negative');
      expect(existsSync(out)).to.be.false;
    });
  });

  describe("npx hardhat plan-migration", function () {
    it("writes the plan and says what it planned", function () {
      this.timeout(120_000);
      const out = path.join(folder, "task");
      const run = spawnSync("npx", ["hardhat", "plan-migration", "--snapshot", snapshotFile, "--out", out], {
        cwd: path.resolve(__dirname, "..", "..", "..", ".."),
        encoding: "utf8",
      });
      expect(run.status, run.stderr).to.equal(0);
      expect(run.stdout).to.match(/^planned \d+ re-staked and \d+ disbanded nodes/m);
      expect(existsSync(path.join(out, "plan.md"))).to.be.true;
    });
  });
});

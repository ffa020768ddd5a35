import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";

import { InputFileError } from "../../../lib/errors";
import { compareGas, gasComparisonTable, readGasSnapshot, writeGasSnapshot } from "../../../lib/gas/snapshot";

describe("lib/gas/snapshot", function () {
  describe("#compareGas", function () {
    it("passes figures within 1 %", function () {
      const [row] = compareGas({ "SESH.transfer": 100_000 }, { "SESH.transfer": 101_000 });
      expect(row).to.deep.equal({ name: "SESH.transfer", recorded: 100_000, measured: 101_000, ratio: 1.01, ok: true });
    });

    it("fails a figure that grew by more than 1 %", function () {
      const [row] = compareGas({ "SESH.transfer": 100_000 }, { "SESH.transfer": 101_001 });
      expect(row?.ok).to.be.false;
    });

    it("fails a figure that shrank by more than 1 %", function () {
      const [row] = compareGas({ "SESH.transfer": 100_000 }, { "SESH.transfer": 98_999 });
      expect(row?.ok).to.be.false;
    });

    it("fails a figure missing from the snapshot and one no longer measured", function () {
      const rows = compareGas({ old: 1 }, { new: 1 });
      expect(rows).to.deep.equal([
        { name: "new", measured: 1, ok: false },
        { name: "old", recorded: 1, ok: false },
      ]);
    });
  });

  describe("#gasComparisonTable", function () {
    it("prints old, new and the ratio of each figure", function () {
      const table = gasComparisonTable(compareGas({ a: 50_000, b: 10 }, { a: 60_000, c: 5 }));
      expect(table.split("\n")).to.deep.equal([
        "| hot path | recorded | measured | ratio | check |",
        "| --- | ---: | ---: | ---: | --- |",
        "| a | 50,000 | 60,000 | 1.2000 | FAILED: moved more than 1 % |",
        "| b | 10 | — | — | FAILED: no longer measured |",
        "| c | — | 5 | — | FAILED: not in the snapshot |",
      ]);
    });
  });

  describe("files", function () {
    const folder = mkdtempSync(path.join(os.tmpdir(), "gas-snapshot-"));

    it("writes names sorted and reads them back", function () {
      const file = path.join(folder, "snapshot.json");
      writeGasSnapshot(file, { b: 2, a: 1 });
      expect(readFileSync(file, "utf8")).to.equal('{\n  "a": 1,\n  "b": 2\n}\n');
      expect(readGasSnapshot(file)).to.deep.equal({ a: 1, b: 2 });
    });

    it("rejects a figure that is not a positive integer", function () {
      const file = path.join(folder, "bad.json");
      writeFileSync(file, JSON.stringify({ "SESH.transfer": 1.5 }));
      expect(() => readGasSnapshot(file)).to.throw(InputFileError, "SESH.transfer");
    });

    it("tells how to record a missing snapshot", function () {
      expect(() => readGasSnapshot(path.join(folder, "missing.json"))).to.throw(InputFileError, "npm run gas");
    });
  });
});

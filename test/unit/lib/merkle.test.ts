import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { PreconditionError } from "../../../lib/errors";
import { checkOutputFolder, writeOutputFolder } from "../../../lib/merkle";

describe("lib/merkle", function () {
  let dir: string;
  beforeEach(function () {
    dir = mkdtempSync(path.join(tmpdir(), "merkle-"));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  describe("#writeOutputFolder", function () {
    it("creates a missing folder and its parents, with the permissions mkdir gives", function () {
      const out = path.join(dir, "a", "b");
      const result = writeOutputFolder(out, {}, (staging) => {
        writeFileSync(path.join(staging, "x.json"), "{}");
        return 7;
      });
      expect(result).to.equal(7);
      expect(readdirSync(out)).to.deep.equal(["x.json"]);
      const reference = path.join(dir, "reference");
      mkdirSync(reference);
      expect(statSync(out).mode & 0o777).to.equal(statSync(reference).mode & 0o777);
    });

    it("leaves the folder as it was, and no temporary folder, when writing fails", function () {
      const out = path.join(dir, "out");
      mkdirSync(out);
      writeFileSync(path.join(out, "old.json"), "old");
      expect(() =>
        writeOutputFolder(out, { force: true }, (staging) => {
          writeFileSync(path.join(staging, "new.json"), "new");
          throw new Error("disk full");
        }),
      ).to.throw("disk full");
      expect(readdirSync(out)).to.deep.equal(["old.json"]);
      expect(readFileSync(path.join(out, "old.json"), "utf8")).to.equal("old");
      expect(readdirSync(dir)).to.deep.equal(["out"]);
    });

    it("swaps the whole folder in with force: nothing old is kept", function () {
      const out = path.join(dir, "out");
      mkdirSync(out);
      writeFileSync(path.join(out, "old.json"), "old");
      writeOutputFolder(out, { force: true }, (staging) => {
        writeFileSync(path.join(staging, "new.json"), "new");
      });
      expect(readdirSync(out)).to.deep.equal(["new.json"]);
      expect(readdirSync(dir)).to.deep.equal(["out"]);
    });
  });

  describe("#checkOutputFolder", function () {
    it("accepts a missing or empty folder, and a full one with force", function () {
      expect(() => {
        checkOutputFolder(path.join(dir, "missing"));
      }).to.not.throw();
      mkdirSync(path.join(dir, "full"));
      writeFileSync(path.join(dir, "full", "a"), "");
      expect(() => {
        checkOutputFolder(path.join(dir, "full"), { force: true });
      }).to.not.throw();
      expect(() => {
        checkOutputFolder(dir);
      }).to.throw(PreconditionError, "is not empty (1 entry: full)");
    });

    it("lists at most three entries of a full folder", function () {
      for (const name of ["a", "b", "c", "d"]) writeFileSync(path.join(dir, name), "");
      expect(() => {
        checkOutputFolder(dir);
      }).to.throw(PreconditionError, "is not empty (4 entries: a, b, c, …)");
    });
  });
});

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";

import { buildEpoch, LEAF_ENCODING, type LeafValue, parseBurnList, writeEpochFiles } from "../../../lib/claims";
import { InputFileError } from "../../../lib/errors";

const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

function problemsOf(json: unknown): readonly string[] {
  try {
    parseBurnList(JSON.stringify(json), "burns.json");
  } catch (error) {
    if (error instanceof InputFileError) return error.problems;
    throw error;
  }
  throw new Error("the burn list was accepted");
}

const goodList = {
  burns: [
    { burnId: "a", recipient: ALICE, oxenAmount: "15000000000000", burnedAt: "2025-06-01T00:00:00Z" },
    { burnId: "b", recipient: BOB.toLowerCase(), oxenAmount: "1" },
    { burnId: "c", recipient: ALICE, oxenAmount: "7" },
  ],
};

describe("lib/claims", function () {
  describe("#parseBurnList", function () {
    it("parses burns, checksumming addresses", function () {
      const burns = parseBurnList(JSON.stringify(goodList), "burns.json");
      expect(burns.map((burn) => burn.recipient)).to.deep.equal([ALICE, BOB, ALICE]);
      expect(burns[0]?.oxenAmount).to.equal(15_000_000_000_000n);
      expect(burns[0]?.burnedAt?.toISOString()).to.equal("2025-06-01T00:00:00.000Z");
    });

    it("names every bad row", function () {
      const problems = problemsOf({
        burns: [
          { burnId: "a", recipient: ALICE, oxenAmount: "1" },
          { burnId: "a", recipient: BOB, oxenAmount: "2" },
          { burnId: "x", recipient: "0x1234", oxenAmount: "2" },
          { burnId: "z", recipient: ALICE, oxenAmount: "0" },
          { burnId: "n", recipient: ALICE, oxenAmount: "-5" },
          { burnId: "f", recipient: ALICE, oxenAmount: "1.5" },
        ],
      });
      expect(problems).to.have.length(5);
      expect(problems[0]).to.equal('burns[1] "a": duplicate burn id (first in burns[0])');
      expect(problems[1]).to.match(/^burns\[2\] "x"\.recipient: is not an address/);
      expect(problems[2]).to.match(/^burns\[3\] "z"\.oxenAmount: must be more than zero/);
      expect(problems[3]).to.match(/^burns\[4\] "n"\.oxenAmount: "-5" is negative/);
      expect(problems[4]).to.match(/^burns\[5\] "f"\.oxenAmount: "1.5" is not a whole number/);
    });

    it("rejects a file that is not JSON or has no burns", function () {
      expect(() => parseBurnList("{", "burns.json")).to.throw(InputFileError, "not valid JSON");
      expect(problemsOf({ burns: [] })[0]).to.match(/no burns/);
    });
  });

  describe("#buildEpoch", function () {
    it("builds the StandardMerkleTree of [index, recipient, oxenAmount] with a proof for every leaf", function () {
      const burns = parseBurnList(JSON.stringify(goodList), "burns.json");
      const epoch = buildEpoch(burns);
      const expected = StandardMerkleTree.of(
        burns.map((burn, index) => [index, burn.recipient, burn.oxenAmount]),
        [...LEAF_ENCODING],
      );
      expect(epoch.root).to.equal(expected.root);
      expect(epoch.totalOxen).to.equal(15_000_000_000_008n);
      const alice = epoch.claims.get(ALICE) ?? [];
      expect(alice.map((claim) => claim.index)).to.deep.equal(["0", "2"]);
      for (const claim of alice) {
        const verified = StandardMerkleTree.verify(
          epoch.root,
          [...LEAF_ENCODING],
          [claim.index, ALICE, claim.oxenAmount],
          [...claim.proof],
        );
        expect(verified).to.equal(true);
      }
    });
  });

  describe("#writeEpochFiles", function () {
    it("writes epoch.json, tree.json and one proof file per recipient", function () {
      const directory = mkdtempSync(path.join(tmpdir(), "claims-"));
      const burnsFile = path.join(directory, "burns.json");
      writeFileSync(burnsFile, JSON.stringify(goodList));
      const out = path.join(directory, "out");
      const { build } = writeEpochFiles(burnsFile, out);
      const summary = JSON.parse(readFileSync(path.join(out, "epoch.json"), "utf8")) as Record<string, unknown>;
      expect(summary.root).to.equal(build.root);
      expect(summary.totalOxen).to.equal("15000000000008");
      const dump = JSON.parse(readFileSync(path.join(out, "tree.json"), "utf8")) as Parameters<
        typeof StandardMerkleTree.load<LeafValue>
      >[0];
      const tree = StandardMerkleTree.load(dump);
      expect(tree.root).to.equal(build.root);
      expect(readdirSync(path.join(out, "proofs")).sort()).to.deep.equal([`${ALICE}.json`, `${BOB}.json`].sort());
      const bob = JSON.parse(readFileSync(path.join(out, "proofs", `${BOB}.json`), "utf8")) as {
        claims: { index: string; oxenAmount: string; proof: string[] }[];
      };
      expect(bob.claims).to.have.length(1);
      expect(bob.claims[0]?.oxenAmount).to.equal("1");
    });
  });
});

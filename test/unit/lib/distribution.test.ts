import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { AbiCoder, getAddress, keccak256 } from "ethers";

import {
  buildCampaign,
  buildDistribution,
  LEAF_ENCODING,
  parseAwards,
  PROOFS_DIR,
  type ProofFile,
  TREE_FILE,
} from "../../../lib/distribution";
import { InputFileError } from "../../../lib/errors";
import { rejectionOf } from "../../helpers/errors";

const FILE = "awards.json";
const ALICE = getAddress(`0x${"a1".repeat(20)}`);
const BOB = getAddress(`0x${"b2".repeat(20)}`);
const CAROL = getAddress(`0x${"c3".repeat(20)}`);

function awardsJson(awards: readonly { account: string; amount: string }[], total?: string): string {
  const sum = (): string => awards.reduce((acc, award) => acc + BigInt(award.amount), 0n).toString();
  return JSON.stringify({ total: total ?? sum(), awards });
}

const GOOD = [
  { account: ALICE, amount: "1000" },
  { account: BOB, amount: "2500" },
  { account: CAROL, amount: "7" },
];

function problemsOf(json: string): readonly string[] {
  try {
    parseAwards(json, FILE);
  } catch (error) {
    if (error instanceof InputFileError) return error.problems;
    throw error;
  }
  throw new Error("the awards were accepted");
}

/** The StandardMerkleTree leaf hash the contract computes. */
function leafHash(index: bigint, account: string, amount: bigint): string {
  return keccak256(keccak256(AbiCoder.defaultAbiCoder().encode([...LEAF_ENCODING], [index, account, amount])));
}

describe("lib/distribution", function () {
  describe("#parseAwards", function () {
    it("reads the awards in order, indexed by row, with the total", function () {
      const awards = parseAwards(awardsJson(GOOD), FILE);
      expect(awards.total).to.equal(3_507n);
      expect(awards.awards).to.deep.equal([
        { index: 0, account: ALICE, amount: 1_000n },
        { index: 1, account: BOB, amount: 2_500n },
        { index: 2, account: CAROL, amount: 7n },
      ]);
    });

    it("checksums lowercase addresses", function () {
      const awards = parseAwards(awardsJson([{ account: ALICE.toLowerCase(), amount: "1" }]), FILE);
      expect(awards.awards[0]?.account).to.equal(ALICE);
    });

    it("names a row with a bad address", function () {
      const problems = problemsOf(awardsJson([{ account: "0x1234", amount: "1" }], "1"));
      expect(problems).to.have.length(1);
      expect(problems[0]).to.match(/^awards\[0\] 0x1234\.account: is not an address/);
    });

    it("names a row with a bad checksum", function () {
      // Flip the case of one hex letter of the checksummed address.
      const letter = ALICE.slice(2).search(/[a-fA-F]/) + 2;
      const flipped = ALICE.charAt(letter);
      const swapped = flipped === flipped.toLowerCase() ? flipped.toUpperCase() : flipped.toLowerCase();
      const bad = `${ALICE.slice(0, letter)}${swapped}${ALICE.slice(letter + 1)}`;
      const problems = problemsOf(awardsJson([{ account: bad, amount: "1" }], "1"));
      expect(problems[0]).to.contain(`awards[0] ${bad}.account: is not an address`);
    });

    it("names rows with zero, negative and non-integer amounts", function () {
      const problems = problemsOf(
        JSON.stringify({
          total: "0",
          awards: [
            { account: ALICE, amount: "-5" },
            { account: BOB, amount: "1.5" },
          ],
        }),
      );
      expect(problems).to.deep.equal([
        `awards[0] ${ALICE}.amount: "-5" is negative`,
        `awards[1] ${BOB}.amount: "1.5" is not a whole number of atoms`,
      ]);
      expect(problemsOf(awardsJson([{ account: CAROL, amount: "0" }]))).to.deep.equal([
        `awards[0] ${CAROL}.amount: must be more than 0 atoms`,
      ]);
    });

    it("names a duplicate account, whatever its case", function () {
      const problems = problemsOf(awardsJson([...GOOD, { account: BOB.toLowerCase(), amount: "1" }]));
      expect(problems).to.deep.equal([
        `awards[3] ${BOB.toLowerCase()}.account: duplicate account, already awarded at awards[1]`,
      ]);
    });

    it("reports a total mismatch with the declared total, the sum and the difference", function () {
      const problems = problemsOf(awardsJson(GOOD, "3500"));
      expect(problems).to.have.length(1);
      expect(problems[0]).to.contain("declared total of 3500 atoms");
      expect(problems[0]).to.contain("sum to 3507 atoms");
      expect(problems[0]).to.contain("7 atoms (0.000000007 SESH) more than");
      expect(problems[0]).to.contain("difference (sum − total) 7 atoms");
      expect(problemsOf(awardsJson(GOOD, "3510"))[0]).to.contain("3 atoms (0.000000003 SESH) short of");
    });

    it("reports zero amounts and duplicates together with malformed rows", function () {
      const problems = problemsOf(
        awardsJson(
          [
            { account: "0x1", amount: "0" },
            { account: BOB, amount: "2" },
            { account: BOB, amount: "x" },
          ],
          "2",
        ),
      );
      expect(problems).to.deep.equal([
        "awards[0] 0x1.account: is not an address (expected 0x and 40 hex digits, with a correct checksum if mixed-case)",
        `awards[2] ${BOB}.amount: "x" is not a whole number of atoms`,
        "awards[0] 0x1.amount: must be more than 0 atoms",
        `awards[2] ${BOB}.account: duplicate account, already awarded at awards[1]`,
      ]);
    });

    it("reports every problem at once", function () {
      const problems = problemsOf(
        awardsJson(
          [
            { account: ALICE, amount: "0" },
            { account: ALICE, amount: "3" },
          ],
          "1",
        ),
      );
      expect(problems).to.have.length(3);
    });

    it("rejects an empty list, unknown keys and text that is not JSON", function () {
      expect(problemsOf(JSON.stringify({ total: "0", awards: [] }))).to.deep.equal(["awards: the file has no awards"]);
      expect(
        problemsOf(JSON.stringify({ total: "1", awards: [{ account: ALICE, amount: "1", note: "x" }] }))[0],
      ).to.match(/^awards\[0\] 0x/);
      expect(problemsOf("{")[0]).to.match(/^not valid JSON/);
    });
  });

  describe("#buildCampaign", function () {
    it("hashes each leaf as the contract does and proves it against the root", function () {
      const campaign = buildCampaign(parseAwards(awardsJson(GOOD), FILE));
      expect(campaign.total).to.equal(3_507n);
      for (const [position, [index, account, amount]] of campaign.tree.entries()) {
        expect(campaign.tree.leafHash([index, account, amount])).to.equal(
          leafHash(BigInt(index), account, BigInt(amount)),
        );
        const proof = campaign.tree.getProof(position);
        expect(StandardMerkleTree.verify(campaign.root, [...LEAF_ENCODING], [index, account, amount], proof)).to.equal(
          true,
        );
      }
    });
  });

  describe("#buildDistribution", function () {
    let dir: string;
    beforeEach(function () {
      dir = mkdtempSync(path.join(tmpdir(), "distribution-"));
    });
    afterEach(function () {
      rmSync(dir, { recursive: true, force: true });
    });

    it("writes the tree and one proof file per account, and returns root and total", async function () {
      const { writeFileSync } = await import("node:fs");
      const awardsFile = path.join(dir, FILE);
      writeFileSync(awardsFile, awardsJson(GOOD));
      const out = path.join(dir, "out");
      const result = buildDistribution(awardsFile, out);
      expect(result.total).to.equal(3_507n);
      expect(result.count).to.equal(3);

      const dump = JSON.parse(readFileSync(path.join(out, TREE_FILE), "utf8")) as Parameters<
        typeof StandardMerkleTree.load<string[]>
      >[0];
      const tree = StandardMerkleTree.load(dump);
      expect(tree.root).to.equal(result.root);
      expect(readdirSync(path.join(out, PROOFS_DIR)).sort()).to.deep.equal(
        [ALICE, BOB, CAROL].map((account) => `${account}.json`).sort(),
      );
      const bob = JSON.parse(readFileSync(path.join(out, PROOFS_DIR, `${BOB}.json`), "utf8")) as ProofFile;
      expect(bob.index).to.equal(1);
      expect(bob.amount).to.equal("2500");
      expect(tree.verify(["1", BOB, "2500"], [...bob.proof])).to.equal(true);
    });

    it("reports a missing awards file as an input error", async function () {
      const error = await rejectionOf(
        Promise.resolve().then(() => buildDistribution(path.join(dir, "none.json"), dir)),
      );
      expect(error).to.be.instanceOf(InputFileError);
      expect(error.message).to.contain("cannot be read");
    });
  });
});

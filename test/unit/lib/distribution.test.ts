import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { AbiCoder, getAddress, keccak256, ZeroAddress } from "ethers";

import { SESH_TOTAL_SUPPLY } from "../../../lib/amount";
import {
  buildCampaign,
  buildDistribution,
  CAMPAIGN_FILE,
  CAMPAIGN_FORMAT,
  type CampaignSummary,
  LEAF_ENCODING,
  MAX_CAMPAIGN_TOTAL,
  parseAwards,
  PROOFS_DIR,
  type ProofFile,
  TREE_FILE,
} from "../../../lib/distribution";
import { InputFileError, PreconditionError } from "../../../lib/errors";
import { thrownBy } from "../../helpers/errors";

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
      expect(problems).to.deep.equal([
        `awards[0] ${ALICE}.amount: must be more than 0 atoms`,
        `awards[1] ${ALICE}.amount: 3 atoms is more than the campaign's declared total of 1 atoms (0.000000001 SESH)`,
        `awards[1] ${ALICE}.account: duplicate account, already awarded at awards[0]`,
        `total: the 2 awards sum to 3 atoms (0.000000003 SESH), 2 atoms (0.000000002 SESH) more than the declared ` +
          "total of 1 atoms (0.000000001 SESH); difference (sum − total) 2 atoms",
      ]);
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

  describe("finding 5: amounts are unbounded", function () {
    it("caps a campaign at the whole SESH supply", function () {
      expect(MAX_CAMPAIGN_TOTAL).to.equal(SESH_TOTAL_SUPPLY);
      const awards = parseAwards(awardsJson([{ account: ALICE, amount: SESH_TOTAL_SUPPLY.toString() }]), FILE);
      expect(awards.total).to.equal(SESH_TOTAL_SUPPLY);
    });

    for (const [title, amount] of [
      ["2^255", 2n ** 255n],
      ["2^256", 2n ** 256n],
    ] as const) {
      it(`rejects an award of ${title} atoms, naming its row, whatever the declared total`, function () {
        const rows = [
          { account: ALICE, amount: "1" },
          { account: BOB, amount: amount.toString() },
        ];
        const expected =
          `awards[1] ${BOB}.amount: ${amount} atoms is more than the whole SESH supply ` +
          "(240000000000000000 atoms, 240,000,000 SESH), the most a campaign can award";
        // Declared total = the sum: only the bound catches the row.
        expect(problemsOf(awardsJson(rows))).to.include(expected);
        expect(problemsOf(awardsJson(rows, "1"))).to.include(expected);
      });
    }

    it("rejects a declared total above the SESH supply", function () {
      const total = (SESH_TOTAL_SUPPLY + 1n).toString();
      const problems = problemsOf(
        awardsJson(
          [
            { account: ALICE, amount: SESH_TOTAL_SUPPLY.toString() },
            { account: BOB, amount: "1" },
          ],
          total,
        ),
      );
      expect(problems).to.deep.equal([
        `total: ${total} atoms is more than the whole SESH supply (240000000000000000 atoms, 240,000,000 SESH), ` +
          "the most a campaign can award",
      ]);
    });

    it("rejects an award above the campaign's declared total, naming its row", function () {
      const problems = problemsOf(
        awardsJson([...GOOD, { account: getAddress(`0x${"d4".repeat(20)}`), amount: "5000" }], "4000"),
      );
      expect(problems).to.include(
        `awards[3] ${getAddress(`0x${"d4".repeat(20)}`)}.amount: 5000 atoms is more than the campaign's declared ` +
          "total of 4000 atoms (0.000004 SESH)",
      );
    });
  });

  describe("finding 6: the zero address as a recipient", function () {
    it("rejects an award to the zero address, naming its row", function () {
      const problems = problemsOf(awardsJson([...GOOD, { account: ZeroAddress, amount: "1" }]));
      expect(problems).to.have.length(1);
      expect(problems[0]).to.match(/^awards\[3\] 0x0{40}\.account: is the zero address/);
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

    function writeAwards(rows: readonly { account: string; amount: string }[], name = FILE): string {
      const file = path.join(dir, name);
      writeFileSync(file, awardsJson(rows));
      return file;
    }

    it("writes the summary, the tree and one proof file per account, and returns root and total", function () {
      const out = path.join(dir, "out");
      const result = buildDistribution(writeAwards(GOOD), out);
      expect(result.total).to.equal(3_507n);
      expect(result.count).to.equal(3);
      expect(result.name).to.equal("awards");

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
      const summary = JSON.parse(readFileSync(path.join(out, CAMPAIGN_FILE), "utf8")) as CampaignSummary;
      expect(summary).to.deep.equal({
        format: CAMPAIGN_FORMAT,
        campaign: "awards",
        root: result.root,
        count: 3,
        total: "3507",
        awards: FILE,
      });
    });

    it("reports a missing awards file as an input error, in words", function () {
      const missing = path.join(dir, "none.json");
      const error = thrownBy(() => buildDistribution(missing, path.join(dir, "out")));
      expect(error).to.be.instanceOf(InputFileError);
      expect(error.message).to.equal(`${missing} is invalid (1 problem):\n  - cannot be read: there is no such file`);
      expect(existsSync(path.join(dir, "out"))).to.equal(false);
    });
  });

  describe("finding 11: stale output is dangerous", function () {
    let dir: string;
    beforeEach(function () {
      dir = mkdtempSync(path.join(tmpdir(), "distribution-"));
    });
    afterEach(function () {
      rmSync(dir, { recursive: true, force: true });
    });

    function writeAwards(rows: readonly { account: string; amount: string }[], name = FILE): string {
      const file = path.join(dir, name);
      writeFileSync(file, awardsJson(rows));
      return file;
    }

    it("refuses an --out that is not empty, leaving it as it was", function () {
      const out = path.join(dir, "out");
      buildDistribution(writeAwards(GOOD), out);
      const before = readFileSync(path.join(out, CAMPAIGN_FILE), "utf8");
      const error = thrownBy(() => buildDistribution(writeAwards([{ account: ALICE, amount: "1" }], "b.json"), out));
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.contain(`--out ${out} is not empty (3 entries: campaign.json, proofs, tree.json)`);
      expect(readFileSync(path.join(out, CAMPAIGN_FILE), "utf8")).to.equal(before);
      expect(readdirSync(path.join(out, PROOFS_DIR))).to.have.length(3);
    });

    it("replaces the whole folder with --force: no proof of the old campaign is left", function () {
      const out = path.join(dir, "out");
      buildDistribution(writeAwards(GOOD), out);
      const result = buildDistribution(writeAwards([{ account: CAROL, amount: "9" }], "second.json"), out, {
        force: true,
      });
      expect(readdirSync(path.join(out, PROOFS_DIR))).to.deep.equal([`${CAROL}.json`]);
      const proof = JSON.parse(readFileSync(path.join(out, PROOFS_DIR, `${CAROL}.json`), "utf8")) as ProofFile;
      expect(proof).to.deep.include({ campaign: "second", root: result.root, index: 0, amount: "9" });
      expect(readdirSync(dir).filter((entry) => entry.startsWith("."))).to.deep.equal([]);
    });

    it("puts the campaign's name and root in every proof file, named by the checksummed account", function () {
      const out = path.join(dir, "out");
      const lowercase = GOOD.map((award) => ({ ...award, account: award.account.toLowerCase() }));
      const result = buildDistribution(writeAwards(lowercase), out, { name: "testnet-incentive" });
      expect(readdirSync(path.join(out, PROOFS_DIR)).sort()).to.deep.equal(
        [ALICE, BOB, CAROL].map((account) => `${account}.json`).sort(),
      );
      for (const name of readdirSync(path.join(out, PROOFS_DIR))) {
        const proof = JSON.parse(readFileSync(path.join(out, PROOFS_DIR, name), "utf8")) as ProofFile;
        expect(proof.campaign, name).to.equal("testnet-incentive");
        expect(proof.root, name).to.equal(result.root);
        expect(`${proof.account}.json`).to.equal(name);
      }
    });

    it("refuses an --out that is a file, or below a file", function () {
      const file = writeAwards(GOOD);
      const error = thrownBy(() => buildDistribution(file, file, { force: true }));
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.equal(`--out ${file} is a file, not a folder: give a folder (created if missing)`);
      expect(thrownBy(() => buildDistribution(file, path.join(file, "out"))).message).to.contain(
        "a part of this path is a file, not a folder",
      );
    });

    it("writes into an empty folder that exists", function () {
      const out = path.join(dir, "empty");
      mkdirSync(out);
      buildDistribution(writeAwards(GOOD), out);
      expect(readdirSync(out).sort()).to.deep.equal([CAMPAIGN_FILE, PROOFS_DIR, TREE_FILE]);
    });
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { keccak256, toUtf8Bytes, ZeroAddress } from "ethers";

import { OXEN_SUPPLY_BOUND } from "../../../lib/amount";
import {
  buildEpoch,
  EPOCH_FILE,
  EPOCH_FORMAT,
  type EpochProofFile,
  type EpochSummary,
  LEAF_ENCODING,
  type LeafValue,
  loadEpochFolder,
  normaliseBurnId,
  parseBurnList,
  PROOFS_DIR,
  TREE_FILE,
  writeEpochFiles,
} from "../../../lib/claims";
import { InputFileError, PreconditionError } from "../../../lib/errors";
import { thrownBy } from "../../helpers/errors";

const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const CAROL = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

/** A burn id as the Oxen chain gives it: a transaction hash, 64 lowercase hex digits. */
function burnIdOf(name: string): string {
  return keccak256(toUtf8Bytes(name)).slice(2);
}
const [ID_A, ID_B, ID_C, ID_D, ID_E] = ["a", "b", "c", "d", "e"].map(burnIdOf) as [
  string,
  string,
  string,
  string,
  string,
];

interface RawBurn {
  burnId: string;
  recipient: string;
  oxenAmount: string;
  burnedAt?: string;
}

function problemsOf(json: unknown): readonly string[] {
  try {
    parseBurnList(JSON.stringify(json), "burns.json");
  } catch (error) {
    if (error instanceof InputFileError) return error.problems;
    throw error;
  }
  throw new Error("the burn list was accepted");
}

const goodList: { burns: RawBurn[] } = {
  burns: [
    { burnId: ID_A, recipient: ALICE, oxenAmount: "15000000000000", burnedAt: "2025-06-01T00:00:00Z" },
    { burnId: ID_B, recipient: BOB.toLowerCase(), oxenAmount: "1" },
    { burnId: ID_C, recipient: ALICE, oxenAmount: "7" },
  ],
};

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

describe("lib/claims", function () {
  let dir: string;
  beforeEach(function () {
    dir = mkdtempSync(path.join(tmpdir(), "claims-"));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes a burn list into the test's folder and returns its path. */
  function burnsFile(name: string, burns: readonly RawBurn[]): string {
    const file = path.join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ burns }));
    return file;
  }

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
          { burnId: ID_A, recipient: ALICE, oxenAmount: "1" },
          { burnId: ID_A, recipient: BOB, oxenAmount: "2" },
          { burnId: ID_B, recipient: "0x1234", oxenAmount: "2" },
          { burnId: ID_C, recipient: ALICE, oxenAmount: "0" },
          { burnId: ID_D, recipient: ALICE, oxenAmount: "-5" },
          { burnId: ID_E, recipient: ALICE, oxenAmount: "1.5" },
        ],
      });
      expect(problems).to.have.length(5);
      expect(problems[0]).to.equal(`burns[1] "${ID_A}": duplicate burn id ${ID_A} (first in burns[0])`);
      expect(problems[1]).to.match(/^burns\[2\] "[0-9a-f]{64}"\.recipient: is not an address/);
      expect(problems[2]).to.match(/^burns\[3\] "[0-9a-f]{64}"\.oxenAmount: must be more than zero/);
      expect(problems[3]).to.match(/^burns\[4\] "[0-9a-f]{64}"\.oxenAmount: "-5" is negative/);
      expect(problems[4]).to.match(/^burns\[5\] "[0-9a-f]{64}"\.oxenAmount: "1.5" is not a whole number/);
    });

    it("rejects a file that is not JSON or has no burns", function () {
      expect(() => parseBurnList("{", "burns.json")).to.throw(InputFileError, "not valid JSON");
      expect(problemsOf({ burns: [] })[0]).to.match(/no burns/);
    });
  });

  describe("finding 4: burn ids are de-duplicated case-sensitively", function () {
    it("normalises a burn id written with 0x, in upper or mixed case, to 64 lowercase hex digits", function () {
      const mixed = `${ID_A.slice(0, 32).toUpperCase()}${ID_A.slice(32)}`;
      for (const text of [ID_A, `0x${ID_A}`, ID_A.toUpperCase(), `0x${mixed}`, ` ${ID_A} `]) {
        expect(normaliseBurnId(text), text).to.equal(ID_A);
      }
      const burns = parseBurnList(
        JSON.stringify({ burns: [{ burnId: `0x${ID_A.toUpperCase()}`, recipient: ALICE, oxenAmount: "1" }] }),
        "burns.json",
      );
      expect(burns[0]?.burnId).to.equal(ID_A);
    });

    it("rejects a burn repeated in another case or with 0x, naming the row and the first one", function () {
      const problems = problemsOf({
        burns: [
          { burnId: ID_A, recipient: ALICE, oxenAmount: "1" },
          { burnId: ID_A.toUpperCase(), recipient: BOB, oxenAmount: "1" },
          { burnId: `0x${ID_A}`, recipient: CAROL, oxenAmount: "1" },
        ],
      });
      expect(problems).to.deep.equal([
        `burns[1] "${ID_A.toUpperCase()}": duplicate burn id ${ID_A} (first in burns[0])`,
        `burns[2] "0x${ID_A}": duplicate burn id ${ID_A} (first in burns[0])`,
      ]);
    });

    it("rejects anything that is not 64 hex digits, naming the row", function () {
      const bad = ["burn-0", ID_A.slice(1), `${ID_A}0`, `0X${ID_A}`, `${ID_A.slice(1)}g`, "", `0x${ID_A.slice(2)}`];
      const problems = problemsOf({
        burns: bad.map((burnId) => ({ burnId, recipient: ALICE, oxenAmount: "1" })),
      });
      expect(problems).to.have.length(bad.length);
      bad.forEach((burnId, row) => {
        const label = burnId === "" ? `burns[${row}]` : `burns[${row}] "${burnId}"`;
        expect(problems[row]).to.equal(
          `${label}.burnId: is not a burn id: expected the Oxen burn transaction's hash, 64 hex digits (with or without 0x)`,
        );
      });
    });
  });

  describe("finding 5: amounts are unbounded", function () {
    it("accepts a burn of exactly the supply bound, 2^64 atoms", function () {
      const burns = parseBurnList(
        JSON.stringify({ burns: [{ burnId: ID_A, recipient: ALICE, oxenAmount: OXEN_SUPPLY_BOUND.toString() }] }),
        "burns.json",
      );
      expect(burns[0]?.oxenAmount).to.equal(2n ** 64n);
    });

    for (const [title, amount] of [
      ["2^64 + 1", 2n ** 64n + 1n],
      ["2^255", 2n ** 255n],
      ["2^256", 2n ** 256n],
    ] as const) {
      it(`rejects a burn of ${title} atoms, naming its row`, function () {
        const problems = problemsOf({
          burns: [
            { burnId: ID_A, recipient: ALICE, oxenAmount: "1" },
            { burnId: ID_B, recipient: BOB, oxenAmount: amount.toString() },
          ],
        });
        expect(problems).to.deep.equal([
          `burns[1] "${ID_B}".oxenAmount: is more than the total OXEN supply (bound: 18446744073709551616 atoms, 2^64)`,
        ]);
      });
    }

    it("rejects a list whose sum is above the supply bound", function () {
      const problems = problemsOf({
        burns: [
          { burnId: ID_A, recipient: ALICE, oxenAmount: OXEN_SUPPLY_BOUND.toString() },
          { burnId: ID_B, recipient: BOB, oxenAmount: "1" },
        ],
      });
      expect(problems).to.have.length(1);
      expect(problems[0]).to.match(/^burns: the 2 burns sum to 18446744073709551617 atoms .*more than the total OXEN/);
    });
  });

  describe("finding 6: the zero address as a recipient", function () {
    it("rejects a burn to the zero address, naming its row", function () {
      const problems = problemsOf({
        burns: [
          { burnId: ID_A, recipient: ALICE, oxenAmount: "1" },
          { burnId: ID_B, recipient: ZeroAddress, oxenAmount: "1" },
        ],
      });
      expect(problems).to.have.length(1);
      expect(problems[0]).to.match(new RegExp(`^burns\\[1\\] "${ID_B}"\\.recipient: is the zero address`));
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

    it("names the burn whose amount no leaf can encode (2^256)", function () {
      const error = thrownBy(() => buildEpoch([{ burnId: "x", recipient: ALICE, oxenAmount: 2n ** 256n }]));
      expect(error).to.be.instanceOf(RangeError);
      expect(error.message).to.equal(`burn 0 "x": ${2n ** 256n} atoms cannot be a leaf (uint256)`);
    });
  });

  describe("#writeEpochFiles", function () {
    it("writes epoch.json, tree.json and one proof file per recipient", function () {
      const out = path.join(dir, "out");
      const { build, epoch } = writeEpochFiles(burnsFile("burns", goodList.burns), out);
      expect(epoch).to.equal(0);
      const summary = readJson(path.join(out, EPOCH_FILE)) as EpochSummary;
      expect(summary).to.deep.equal({
        format: EPOCH_FORMAT,
        epoch: 0,
        root: build.root,
        totalOxen: "15000000000008",
        count: 3,
        recipients: 2,
        burns: "burns.json",
        burnIds: [ID_A, ID_B, ID_C],
      });
      const tree = StandardMerkleTree.load(
        readJson(path.join(out, TREE_FILE)) as Parameters<typeof StandardMerkleTree.load<LeafValue>>[0],
      );
      expect(tree.root).to.equal(build.root);
      expect(readdirSync(path.join(out, PROOFS_DIR)).sort()).to.deep.equal([`${ALICE}.json`, `${BOB}.json`].sort());
      const bob = readJson(path.join(out, PROOFS_DIR, `${BOB}.json`)) as EpochProofFile;
      expect(bob.claims).to.have.length(1);
      expect(bob.claims[0]?.oxenAmount).to.equal("1");
      expect(bob.claims[0]?.burnId).to.equal(ID_B);
    });

    it("writes nothing when the burn list is bad", function () {
      const out = path.join(dir, "out");
      const file = burnsFile("bad", [{ burnId: "x", recipient: ALICE, oxenAmount: "1" }]);
      expect(() => writeEpochFiles(file, out)).to.throw(InputFileError);
      expect(existsSync(out)).to.equal(false);
      expect(readdirSync(dir)).to.deep.equal(["bad.json"]);
    });
  });

  describe("finding 2: the same burn published in two epochs is paid twice", function () {
    const burnA: RawBurn = { burnId: ID_A, recipient: ALICE, oxenAmount: "100" };
    const burnB: RawBurn = { burnId: ID_B, recipient: BOB, oxenAmount: "200" };
    const epoch0 = [burnA, burnB];
    const fresh = [
      { burnId: ID_C, recipient: CAROL, oxenAmount: "300" },
      { burnId: ID_D, recipient: ALICE, oxenAmount: "400" },
    ];

    it("numbers the epochs 0, 1, 2 in the order they are built, as addEpoch does", function () {
      const first = writeEpochFiles(burnsFile("e0", epoch0), path.join(dir, "epoch-0"));
      const second = writeEpochFiles(burnsFile("e1", fresh), path.join(dir, "epoch-1"), {
        previous: [path.join(dir, "epoch-0")],
      });
      const third = writeEpochFiles(
        burnsFile("e2", [{ burnId: ID_E, recipient: BOB, oxenAmount: "1" }]),
        path.join(dir, "epoch-2"),
        { previous: [path.join(dir, "epoch-1"), path.join(dir, "epoch-0")] },
      );
      expect([first.epoch, second.epoch, third.epoch]).to.deep.equal([0, 1, 2]);
      expect(loadEpochFolder(path.join(dir, "epoch-1"))).to.deep.include({ epoch: 1, burnIds: [ID_C, ID_D] });
      const proof = readJson(path.join(dir, "epoch-2", PROOFS_DIR, `${BOB}.json`)) as EpochProofFile;
      expect(proof.epoch).to.equal(2);
      expect(proof.root).to.equal(third.build.root);
    });

    it("refuses a cumulative list for epoch 1 that repeats epoch 0's burns, naming each row, id and epoch", function () {
      writeEpochFiles(burnsFile("e0", epoch0), path.join(dir, "epoch-0"));
      const cumulative = [{ ...burnB, burnId: `0x${ID_B.toUpperCase()}` }, ...fresh, burnA];
      const out = path.join(dir, "epoch-1");
      const error = thrownBy(() =>
        writeEpochFiles(burnsFile("cumulative", cumulative), out, { previous: [path.join(dir, "epoch-0")] }),
      );
      if (!(error instanceof InputFileError)) throw error;
      const epochFolder = path.join(dir, "epoch-0");
      expect(error.problems).to.deep.equal([
        `burns[0] "0x${ID_B.toUpperCase()}": burn id ${ID_B} was already published in epoch 0 (leaf 1 of ` +
          `${epochFolder}); a burn is paid once: remove it from this list`,
        `burns[3] "${ID_A}": burn id ${ID_A} was already published in epoch 0 (leaf 0 of ${epochFolder}); a burn ` +
          "is paid once: remove it from this list",
      ]);
      expect(existsSync(out)).to.equal(false);
    });

    it("refuses a burn published in any earlier epoch, not only the last", function () {
      writeEpochFiles(burnsFile("e0", epoch0), path.join(dir, "epoch-0"));
      writeEpochFiles(burnsFile("e1", fresh), path.join(dir, "epoch-1"), { previous: [path.join(dir, "epoch-0")] });
      const error = thrownBy(() =>
        writeEpochFiles(
          burnsFile("e2", [{ burnId: ID_A, recipient: ALICE, oxenAmount: "100" }]),
          path.join(dir, "epoch-2"),
          {
            previous: [path.join(dir, "epoch-0"), path.join(dir, "epoch-1")],
          },
        ),
      );
      expect(error.message).to.contain(`burn id ${ID_A} was already published in epoch 0`);
    });

    it("refuses previous epochs with a gap or a repeated id", function () {
      writeEpochFiles(burnsFile("e0", epoch0), path.join(dir, "epoch-0"));
      writeEpochFiles(burnsFile("e1", fresh), path.join(dir, "epoch-1"), { previous: [path.join(dir, "epoch-0")] });
      const next = burnsFile("e2", [{ burnId: ID_E, recipient: BOB, oxenAmount: "1" }]);
      const gap = thrownBy(() =>
        writeEpochFiles(next, path.join(dir, "epoch-2"), { previous: [path.join(dir, "epoch-1")] }),
      );
      expect(gap).to.be.instanceOf(InputFileError);
      expect(gap.message).to.contain("epoch 0 missing: the previous epochs must be 0 to 0, each once (given: 1)");
      const twice = thrownBy(() =>
        writeEpochFiles(next, path.join(dir, "epoch-2"), {
          previous: [path.join(dir, "epoch-0"), path.join(dir, "epoch-0")],
        }),
      );
      expect(twice.message).to.contain(
        `epoch 0 is given twice: ${path.join(dir, "epoch-0")} and ${path.join(dir, "epoch-0")}`,
      );
      expect(existsSync(path.join(dir, "epoch-2"))).to.equal(false);
    });

    it("refuses a previous folder that was not written by the builder, or was edited", function () {
      mkdirSync(path.join(dir, "empty"));
      const missing = thrownBy(() =>
        writeEpochFiles(burnsFile("e", fresh), path.join(dir, "out"), { previous: [path.join(dir, "empty")] }),
      );
      expect(missing).to.be.instanceOf(InputFileError);
      expect(missing.message).to.contain(`${path.join(dir, "empty", EPOCH_FILE)} is invalid`);
      expect(missing.message).to.contain("cannot be read: there is no such file");

      writeEpochFiles(burnsFile("e0", epoch0), path.join(dir, "epoch-0"));
      const summaryFile = path.join(dir, "epoch-0", EPOCH_FILE);
      const summary = readJson(summaryFile) as EpochSummary;
      writeFileSync(summaryFile, JSON.stringify({ ...summary, burnIds: [ID_B] }));
      const edited = thrownBy(() =>
        writeEpochFiles(burnsFile("e", fresh), path.join(dir, "out"), { previous: [path.join(dir, "epoch-0")] }),
      );
      expect(edited.message).to.contain("burnIds: 1 burn ids for 2 leaves");
    });

    it("refuses an --out that is one of the previous epochs", function () {
      writeEpochFiles(burnsFile("e0", epoch0), path.join(dir, "epoch-0"));
      const error = thrownBy(() =>
        writeEpochFiles(burnsFile("e1", fresh), path.join(dir, "epoch-0"), {
          previous: [path.join(dir, "epoch-0")],
          force: true,
        }),
      );
      expect(error).to.be.instanceOf(PreconditionError);
      expect((readJson(path.join(dir, "epoch-0", EPOCH_FILE)) as EpochSummary).burnIds).to.deep.equal([ID_A, ID_B]);
    });
  });

  describe("finding 11: stale output is dangerous", function () {
    it("refuses an --out that is not empty, leaving it as it was", function () {
      const out = path.join(dir, "out");
      writeEpochFiles(burnsFile("e0", goodList.burns), out);
      const before = readFileSync(path.join(out, EPOCH_FILE), "utf8");
      const error = thrownBy(() => writeEpochFiles(burnsFile("other", [goodList.burns[0] as RawBurn]), out));
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.equal(
        `--out ${out} is not empty (3 entries: epoch.json, proofs, tree.json); its files would sit beside the ` +
          "new ones. Give an empty or new folder, or add --force to replace its whole content",
      );
      expect(readFileSync(path.join(out, EPOCH_FILE), "utf8")).to.equal(before);
    });

    it("replaces the whole folder with --force: no old proof file is left", function () {
      const out = path.join(dir, "out");
      writeEpochFiles(burnsFile("e0", goodList.burns), out);
      writeFileSync(path.join(out, "notes.txt"), "old");
      const { build } = writeEpochFiles(
        burnsFile("carol", [{ burnId: ID_D, recipient: CAROL, oxenAmount: "9" }]),
        out,
        {
          force: true,
        },
      );
      expect(readdirSync(out).sort()).to.deep.equal([EPOCH_FILE, PROOFS_DIR, TREE_FILE]);
      expect(readdirSync(path.join(out, PROOFS_DIR))).to.deep.equal([`${CAROL}.json`]);
      expect((readJson(path.join(out, EPOCH_FILE)) as EpochSummary).root).to.equal(build.root);
      expect(readdirSync(dir).filter((entry) => entry.startsWith("."))).to.deep.equal([]);
    });

    it("writes into an empty folder that exists", function () {
      const out = path.join(dir, "empty");
      mkdirSync(out);
      writeEpochFiles(burnsFile("e0", goodList.burns), out);
      expect(readdirSync(out).sort()).to.deep.equal([EPOCH_FILE, PROOFS_DIR, TREE_FILE]);
    });

    it("refuses an --out that is a file, or below a file, even with --force", function () {
      const file = burnsFile("e0", goodList.burns);
      const error = thrownBy(() => writeEpochFiles(file, file, { force: true }));
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.equal(`--out ${file} is a file, not a folder: give a folder (created if missing)`);
      const below = thrownBy(() => writeEpochFiles(file, path.join(file, "out")));
      expect(below).to.be.instanceOf(PreconditionError);
      expect(below.message).to.contain("a part of this path is a file, not a folder");
    });

    it("puts the epoch id and the root in every proof file", function () {
      const out = path.join(dir, "out");
      const { build } = writeEpochFiles(burnsFile("e0", goodList.burns), out);
      for (const name of readdirSync(path.join(out, PROOFS_DIR))) {
        const proof = readJson(path.join(out, PROOFS_DIR, name)) as EpochProofFile;
        expect(proof.epoch, name).to.equal(0);
        expect(proof.root, name).to.equal(build.root);
        expect(`${proof.recipient}.json`).to.equal(name);
      }
    });

    it("reports a missing or unreadable burn list in words", function () {
      const missing = thrownBy(() => writeEpochFiles(path.join(dir, "none.json"), path.join(dir, "out")));
      expect(missing).to.be.instanceOf(InputFileError);
      expect(missing.message).to.equal(
        `${path.join(dir, "none.json")} is invalid (1 problem):\n  - cannot be read: there is no such file`,
      );
      const folder = thrownBy(() => writeEpochFiles(dir, path.join(dir, "out")));
      expect(folder.message).to.contain("cannot be read: it is a folder, not a file");
    });
  });
});

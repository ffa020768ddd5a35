import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { G1Point, toG1Struct } from "../../../../lib/bls";
import { InputFileError } from "../../../../lib/errors";
import {
  loadSnapshot,
  MAX_REPORTED_PROBLEMS,
  parseSnapshot,
  SNAPSHOT_FORMAT,
  type SnapshotInput,
} from "../../../../lib/snapshot";

type WalletInput = SnapshotInput["wallets"][number];
type NodeInput = SnapshotInput["nodes"][number];
type ContributionInput = NodeInput["contributions"][number];

const FILE = "snapshot.json";

/** A 97-character Oxen-looking address ending in `tag`, so that its label reads `L222…tag`. */
function oxen(tag: string): string {
  return `L${tag.padStart(96, "2")}`;
}

const ANN = oxen("Ann1");
const BOB = oxen("Bob1");
const CAT = oxen("Cat1");

/** k·G as the snapshot writes a BLS key. */
function blsKey(k: bigint): { X: string; Y: string } {
  const { X, Y } = toG1Struct(G1Point.BASE.multiply(k));
  return { X: X.toString(), Y: Y.toString() };
}

const ANN_LABEL = "wallets[0] (oxen address L222…Ann1)";
const BOB_LABEL = "wallets[1] (oxen address L222…Bob1)";
const SOLO = "nodes[0] (ed25519 aaaaaaaa…)";
const SHARED = "nodes[1] (ed25519 bbbbbbbb…)";

/**
 * A valid snapshot: Ann (registered) runs a solo node and shares another with Bob (unregistered). Every test
 * mutates a fresh copy.
 */
function validSnapshot(): SnapshotInput {
  return {
    format: SNAPSHOT_FORMAT,
    anchor: { height: 1_869_840, time: "2025-04-29T00:00:00Z" },
    parameters: {
      stakeConversion: { numerator: "54", denominator: "100" },
      bonusPool: "30000000000000000",
      stakingRequirement: "25000000000000",
      maxContributors: 10,
      snapshotTime: "2025-05-09T00:00:00Z",
      bonusBackdateFrom: "2023-09-25T17:00:00Z",
      bonusBackdateDeadline: "2024-01-31T00:00:00Z",
    },
    wallets: [
      {
        oxenAddress: ANN,
        ethereumAddress: "0x1111111111111111111111111111111111111111",
        registeredAt: "2023-11-01T12:00:00Z",
        unpaidRewards: "5000000000",
      },
      { oxenAddress: BOB, ethereumAddress: null, registeredAt: null, unpaidRewards: "0" },
    ],
    nodes: [
      {
        ed25519: "aa".repeat(32),
        bls: blsKey(1n),
        registrationHeight: 1_000_000,
        registeredAt: "2022-01-01T00:00:00Z",
        operator: ANN,
        operatorFee: 10_000,
        state: "active",
        stake: "15000000000000",
        contributions: [{ oxenAddress: ANN, amount: "15000000000000", since: "2022-01-01T00:00:00Z", until: null }],
      },
      {
        ed25519: "bb".repeat(32),
        bls: blsKey(2n),
        registrationHeight: 1_100_000,
        registeredAt: "2022-06-01T00:00:00Z",
        operator: ANN,
        operatorFee: 500,
        state: "unlocking",
        stake: "15000000000000",
        contributions: [
          { oxenAddress: ANN, amount: "5000000000000", since: "2022-06-01T00:00:00Z", until: null },
          { oxenAddress: BOB, amount: "10000000000000", since: "2022-06-02T00:00:00Z", until: null },
        ],
      },
    ],
  };
}

function walletOf(snapshot: SnapshotInput, row: number): WalletInput {
  const wallet = snapshot.wallets[row];
  if (wallet === undefined) throw new Error(`no wallet ${row}`);
  return wallet;
}

function nodeOf(snapshot: SnapshotInput, row: number): NodeInput {
  const node = snapshot.nodes[row];
  if (node === undefined) throw new Error(`no node ${row}`);
  return node;
}

function contributionOf(snapshot: SnapshotInput, row: number, index: number): ContributionInput {
  const contribution = nodeOf(snapshot, row).contributions[index];
  if (contribution === undefined) throw new Error(`no contribution ${index} in node ${row}`);
  return contribution;
}

/** The problems `parseSnapshot` reports for `snapshot` (given as an object, or as JSON text). */
function problemsOf(snapshot: unknown): readonly string[] {
  try {
    parseSnapshot(typeof snapshot === "string" ? snapshot : JSON.stringify(snapshot), FILE);
  } catch (error) {
    if (error instanceof InputFileError) return error.problems;
    throw error;
  }
  throw new Error("the snapshot was accepted");
}

describe("lib/snapshot", function () {
  describe("#parseSnapshot", function () {
    it("loads a valid snapshot", function () {
      const snapshot = parseSnapshot(JSON.stringify(validSnapshot()), FILE);
      expect(snapshot.wallets.map((wallet) => wallet.oxenAddress)).to.deep.equal([ANN, BOB]);
      expect(snapshot.nodes).to.have.length(2);
      expect(snapshot.anchor.time.toISOString()).to.equal("2025-04-29T00:00:00.000Z");
    });

    it("parses amounts to bigint atoms and dates to Date", function () {
      const snapshot = parseSnapshot(JSON.stringify(validSnapshot()), FILE);
      const contribution = snapshot.nodes[1]?.contributions[1];
      expect(contribution?.amount).to.equal(10_000_000_000_000n);
      expect(contribution?.since.getTime()).to.equal(Date.UTC(2022, 5, 2));
      expect(snapshot.parameters.stakeConversion).to.deep.equal({ numerator: 54n, denominator: 100n });
    });

    it("rejects text that is not JSON", function () {
      expect(() => parseSnapshot("{", FILE))
        .to.throw(InputFileError, "not valid JSON")
        .with.property("file", FILE);
    });

    it("reports a duplicate wallet with its row", function () {
      const snapshot = validSnapshot();
      snapshot.wallets.push({ ...walletOf(snapshot, 0) });
      expect(problemsOf(snapshot)).to.deep.equal([
        "wallets[2] (oxen address L222…Ann1): duplicate wallet, the same Oxen address as wallets[0]",
      ]);
    });

    it("reports a duplicate node with its row", function () {
      const snapshot = validSnapshot();
      snapshot.nodes.push({ ...nodeOf(snapshot, 0), bls: blsKey(3n) });
      expect(problemsOf(snapshot)).to.deep.equal([
        "nodes[2] (ed25519 aaaaaaaa…): duplicate node, the same ed25519 key as nodes[0]",
      ]);
    });

    it("reports a BLS key used by two nodes", function () {
      const snapshot = validSnapshot();
      nodeOf(snapshot, 1).bls = blsKey(1n);
      expect(problemsOf(snapshot)).to.deep.equal([`${SHARED}.bls: the same BLS key as ${SOLO}`]);
    });

    it("reports a contribution from an address that is not among the wallets", function () {
      const snapshot = validSnapshot();
      contributionOf(snapshot, 1, 1).oxenAddress = CAT;
      expect(problemsOf(snapshot)).to.deep.equal([
        `${SHARED}.contributions[1].oxenAddress: L222…Cat1 is not among the wallets`,
      ]);
    });

    it("reports an operator that is not among the wallets", function () {
      const snapshot = validSnapshot();
      nodeOf(snapshot, 0).operator = CAT;
      contributionOf(snapshot, 0, 0).oxenAddress = CAT;
      expect(problemsOf(snapshot)).to.deep.equal([
        `${SOLO}.operator: L222…Cat1 is not among the wallets`,
        `${SOLO}.contributions[0].oxenAddress: L222…Cat1 is not among the wallets`,
      ]);
    });

    it("reports an operator that does not contribute to its node", function () {
      const snapshot = validSnapshot();
      nodeOf(snapshot, 0).operator = BOB;
      expect(problemsOf(snapshot)).to.deep.equal([`${SOLO}.operator: L222…Bob1 is not among the node's contributors`]);
    });

    it("reports contributions short of the stake with both sums and the difference", function () {
      const snapshot = validSnapshot();
      contributionOf(snapshot, 1, 1).amount = "9999500000000";
      expect(problemsOf(snapshot)).to.deep.equal([
        `${SHARED}.contributions: sum to 14,999.5 OXEN, 0.5 OXEN short of the node's stake of 15,000 OXEN ` +
          "(a node still awaiting contributions has the state awaiting-contributions)",
      ]);
    });

    describe("finding 18: a node still awaiting contributions", function () {
      it("loads when its contributions sum to less than its stake", function () {
        const snapshot = validSnapshot();
        nodeOf(snapshot, 0).state = "awaiting-contributions";
        contributionOf(snapshot, 0, 0).amount = "3750000000000";
        const node = parseSnapshot(JSON.stringify(snapshot), FILE).nodes[0];
        expect(node?.state).to.equal("awaiting-contributions");
        expect(node?.stake).to.equal(15_000_000_000_000n);
      });

      it("is reported when its contributions sum to its whole stake", function () {
        const snapshot = validSnapshot();
        nodeOf(snapshot, 0).state = "awaiting-contributions";
        expect(problemsOf(snapshot)).to.deep.equal([
          `${SOLO}.contributions: sum to the node's whole stake of 15,000 OXEN, but its state is ` +
            "awaiting-contributions (a fully funded node is active, decommissioned, deregistered or unlocking)",
        ]);
      });

      it("is reported when its contributions sum to more than its stake", function () {
        const snapshot = validSnapshot();
        nodeOf(snapshot, 0).state = "awaiting-contributions";
        contributionOf(snapshot, 0, 0).amount = "15000000000001";
        expect(problemsOf(snapshot)).to.deep.equal([
          `${SOLO}.contributions: sum to 15,000.000000001 OXEN, ` +
            "0.000000001 OXEN more than the node's stake of 15,000 OXEN",
        ]);
      });
    });

    it("reports contributions above the stake with both sums and the difference", function () {
      const snapshot = validSnapshot();
      contributionOf(snapshot, 0, 0).amount = "15000000000001";
      expect(problemsOf(snapshot)).to.deep.equal([
        `${SOLO}.contributions: sum to 15,000.000000001 OXEN, ` +
          "0.000000001 OXEN more than the node's stake of 15,000 OXEN",
      ]);
    });

    it("reports a zero contribution", function () {
      const snapshot = validSnapshot();
      contributionOf(snapshot, 1, 0).amount = "0";
      contributionOf(snapshot, 1, 1).amount = "15000000000000";
      expect(problemsOf(snapshot)).to.deep.equal([`${SHARED}.contributions[0].amount: must be more than 0 atoms`]);
    });

    it("reports more contributions than parameters.maxContributors", function () {
      const snapshot = validSnapshot();
      snapshot.parameters.maxContributors = 1;
      expect(problemsOf(snapshot)).to.deep.equal([
        `${SHARED}.contributions: 2 contributions, more than parameters.maxContributors (1)`,
      ]);
    });

    it("reports a wallet that contributes twice to one node", function () {
      const snapshot = validSnapshot();
      contributionOf(snapshot, 1, 1).oxenAddress = ANN;
      expect(problemsOf(snapshot)).to.deep.equal([
        `${SHARED}.contributions[1].oxenAddress: L222…Ann1 already contributes in contributions[0]`,
      ]);
    });

    it("reports an Ethereum address without a registration date", function () {
      const snapshot = validSnapshot();
      walletOf(snapshot, 0).registeredAt = null;
      expect(problemsOf(snapshot)).to.deep.equal([
        `${ANN_LABEL}: ethereumAddress and registeredAt must both be set or both be null ` +
          "(ethereumAddress is set, registeredAt is null)",
      ]);
    });

    it("reports a registration date without an Ethereum address", function () {
      const snapshot = validSnapshot();
      walletOf(snapshot, 1).registeredAt = "2024-02-01T00:00:00Z";
      expect(problemsOf(snapshot)).to.deep.equal([
        `${BOB_LABEL}: ethereumAddress and registeredAt must both be set or both be null ` +
          "(ethereumAddress is null, registeredAt is set)",
      ]);
    });

    it("reports an until before its since", function () {
      const snapshot = validSnapshot();
      contributionOf(snapshot, 1, 1).until = "2022-06-01T23:59:59Z";
      expect(problemsOf(snapshot)).to.deep.equal([
        `${SHARED}.contributions[1].until: 2022-06-01T23:59:59Z is before since 2022-06-02T00:00:00Z`,
      ]);
    });

    it("reports a since after the anchor time", function () {
      const snapshot = validSnapshot();
      contributionOf(snapshot, 1, 1).since = "2025-04-29T00:00:01Z";
      expect(problemsOf(snapshot)).to.deep.equal([
        `${SHARED}.contributions[1].since: 2025-04-29T00:00:01Z is after the anchor time 2025-04-29T00:00:00Z`,
      ]);
    });

    it("reports an until after the anchor time", function () {
      const snapshot = validSnapshot();
      contributionOf(snapshot, 0, 0).until = "2025-05-01T00:00:00Z";
      expect(problemsOf(snapshot)).to.deep.equal([
        `${SOLO}.contributions[0].until: 2025-05-01T00:00:00Z is after the anchor time 2025-04-29T00:00:00Z`,
      ]);
    });

    it("accepts a since and an until at the anchor time", function () {
      const snapshot = validSnapshot();
      contributionOf(snapshot, 0, 0).since = "2025-04-29T00:00:00Z";
      contributionOf(snapshot, 0, 0).until = "2025-04-29T00:00:00Z";
      expect(() => parseSnapshot(JSON.stringify(snapshot), FILE)).not.to.throw();
    });

    it("reports a zero conversion denominator", function () {
      const snapshot = validSnapshot();
      snapshot.parameters.stakeConversion.denominator = "0";
      expect(problemsOf(snapshot)).to.deep.equal(["parameters.stakeConversion.denominator: must not be zero"]);
    });

    describe("when a row fails the schema", function () {
      it("reports a negative amount with its row", function () {
        const snapshot = validSnapshot();
        contributionOf(snapshot, 1, 1).amount = "-1";
        expect(problemsOf(snapshot)).to.deep.equal([`${SHARED}.contributions[1].amount: "-1" is negative`]);
      });

      it("reports an amount that is not a whole number of atoms with its row", function () {
        const snapshot = validSnapshot();
        walletOf(snapshot, 1).unpaidRewards = "1.5";
        expect(problemsOf(snapshot)).to.deep.equal([
          `${BOB_LABEL}.unpaidRewards: "1.5" is not a whole number of atoms`,
        ]);
      });

      it("reports a BLS key that is not on the curve with its row", function () {
        const snapshot = validSnapshot();
        nodeOf(snapshot, 1).bls = { X: "1", Y: "3" };
        expect(problemsOf(snapshot)).to.deep.equal([
          `${SHARED}.bls: is not a valid G1 point (not on the curve y² = x³ + 3)`,
        ]);
      });

      it("reports an ed25519 key of the wrong length with its row", function () {
        const snapshot = validSnapshot();
        nodeOf(snapshot, 1).ed25519 = "bb".repeat(31);
        expect(problemsOf(snapshot)).to.deep.equal([
          `${SHARED}.ed25519: is not an ed25519 key (32 bytes as 64 lowercase hex digits)`,
        ]);
      });

      it("labels a row without a usable address by its index", function () {
        const snapshot: unknown = { ...validSnapshot(), wallets: [...validSnapshot().wallets, { oxenAddress: 7 }] };
        expect(problemsOf(snapshot)).to.include.members([
          "wallets[2].oxenAddress: Invalid input: expected string, received number",
        ]);
      });

      it("reports the cross-row problems of the other rows too", function () {
        const snapshot = validSnapshot();
        walletOf(snapshot, 1).ethereumAddress = "0x12";
        nodeOf(snapshot, 1).bls = blsKey(1n);
        expect(problemsOf(snapshot)).to.deep.equal([
          `${BOB_LABEL}.ethereumAddress: is not an address ` +
            "(expected 0x and 40 hex digits, with a correct checksum if mixed-case)",
          `${SHARED}.bls: the same BLS key as ${SOLO}`,
        ]);
      });

      it("does not report a wallet with a bad field as an unknown address", function () {
        const snapshot = validSnapshot();
        walletOf(snapshot, 1).unpaidRewards = "-3";
        expect(problemsOf(snapshot)).to.deep.equal([`${BOB_LABEL}.unpaidRewards: "-3" is negative`]);
      });
    });

    it("lists the first 200 problems and counts the rest", function () {
      const snapshot = validSnapshot();
      const extra = MAX_REPORTED_PROBLEMS + 50;
      for (let i = 0; i < extra; i++) snapshot.wallets.push({ ...walletOf(snapshot, 1) });
      const problems = problemsOf(snapshot);
      expect(problems).to.have.length(MAX_REPORTED_PROBLEMS + 1);
      expect(problems[0]).to.equal(
        "wallets[2] (oxen address L222…Bob1): duplicate wallet, the same Oxen address as wallets[1]",
      );
      expect(problems.at(-1)).to.equal("… and 50 more");
    });
  });

  describe("#loadSnapshot", function () {
    let directory: string;

    beforeEach(function () {
      directory = mkdtempSync(path.join(tmpdir(), "snapshot-"));
    });

    afterEach(function () {
      rmSync(directory, { recursive: true, force: true });
    });

    it("reads and validates a file", function () {
      const file = path.join(directory, FILE);
      writeFileSync(file, JSON.stringify(validSnapshot()));
      expect(loadSnapshot(file).nodes).to.have.length(2);
    });

    it("names the file in its problems", function () {
      const file = path.join(directory, FILE);
      const snapshot = validSnapshot();
      snapshot.parameters.stakeConversion.denominator = "0";
      writeFileSync(file, JSON.stringify(snapshot));
      expect(() => loadSnapshot(file))
        .to.throw(InputFileError)
        .with.property("file", file);
    });

    it("reports a file that cannot be read", function () {
      const file = path.join(directory, "missing.json");
      expect(() => loadSnapshot(file))
        .to.throw(InputFileError, "cannot be read")
        .with.property("file", file);
    });
  });
});

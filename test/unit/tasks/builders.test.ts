import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { getAddress, ZeroAddress } from "ethers";
import hre, { ethers } from "hardhat";

import { deployClaimsBridge, prepareClaimsBridge } from "../../../deploy/claimsBridge";
import { SESH_TOTAL_SUPPLY } from "../../../lib/amount";
import { EPOCH_FILE, type EpochProofFile, type EpochSummary, normaliseBurnId, PROOFS_DIR } from "../../../lib/claims";
import { CAMPAIGN_FILE, type CampaignSummary, type ProofFile } from "../../../lib/distribution";
import { restoreChainAfterSuite } from "../../helpers/chain";
import { rejectionOf } from "../../helpers/errors";

const EXAMPLES = path.resolve(__dirname, "..", "..", "..", "examples");
const BURNS_EPOCH_0 = path.join(EXAMPLES, "burns-epoch-0.json");
const BURNS_EPOCH_1 = path.join(EXAMPLES, "burns-epoch-1.json");
const AWARDS = path.join(EXAMPLES, "awards.json");

interface RawBurnList {
  burns: { burnId: string; recipient: string; oxenAmount: string }[];
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** Silences the task's report while it runs (the tests read the files it writes). */
async function quietly<T>(body: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = () => undefined;
  try {
    return await body();
  } finally {
    console.log = log;
  }
}

describe("builder tasks", function () {
  // One test deploys a bridge to publish the built epochs; the chain is left as it was found.
  restoreChainAfterSuite();

  let dir: string;
  beforeEach(function () {
    dir = mkdtempSync(path.join(tmpdir(), "builder-tasks-"));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  const buildEpoch = (args: Record<string, unknown>) => quietly(() => hre.run("claims:build-epoch", args));
  const buildDistribution = (args: Record<string, unknown>) => quietly(() => hre.run("distribution:build", args));

  describe("claims:build-epoch", function () {
    it("builds the example epochs 0 and 1, the second with --previous", async function () {
      const epoch0 = path.join(dir, "epoch-0");
      const epoch1 = path.join(dir, "epoch-1");
      await buildEpoch({ burns: BURNS_EPOCH_0, out: epoch0 });
      await buildEpoch({ burns: BURNS_EPOCH_1, out: epoch1, previous: epoch0 });
      const summary0 = readJson(path.join(epoch0, EPOCH_FILE)) as EpochSummary;
      const summary1 = readJson(path.join(epoch1, EPOCH_FILE)) as EpochSummary;
      expect([summary0.epoch, summary1.epoch]).to.deep.equal([0, 1]);
      const listed = (readJson(BURNS_EPOCH_1) as RawBurnList).burns.map((burn) => normaliseBurnId(burn.burnId));
      expect(summary1.burnIds).to.deep.equal(listed);
      expect(summary1.count).to.equal(listed.length);
    });

    it("names every output file by the checksummed recipient, also when the list writes it in lowercase", async function () {
      const out = path.join(dir, "epoch-1");
      const raw = readJson(BURNS_EPOCH_1) as RawBurnList;
      const lowercase = raw.burns.filter((burn) => burn.recipient === burn.recipient.toLowerCase());
      expect(lowercase, "the example holds a lowercase recipient").to.not.be.empty;
      await buildEpoch({ burns: BURNS_EPOCH_1, out });
      const files = readdirSync(path.join(out, PROOFS_DIR)).sort();
      expect(files).to.deep.equal([...new Set(raw.burns.map((burn) => `${getAddress(burn.recipient)}.json`))].sort());
      for (const file of files) {
        const proof = readJson(path.join(out, PROOFS_DIR, file)) as EpochProofFile;
        expect(`${proof.recipient}.json`).to.equal(file);
      }
    });

    it("finding 2: refuses a cumulative list for epoch 1 that repeats epoch 0's burns", async function () {
      const epoch0 = path.join(dir, "epoch-0");
      await buildEpoch({ burns: BURNS_EPOCH_0, out: epoch0 });
      const cumulative = path.join(dir, "cumulative.json");
      const burns = [
        ...(readJson(BURNS_EPOCH_0) as RawBurnList).burns,
        ...(readJson(BURNS_EPOCH_1) as RawBurnList).burns,
      ];
      writeFileSync(cumulative, JSON.stringify({ burns }));
      const error = await rejectionOf(
        buildEpoch({ burns: cumulative, out: path.join(dir, "epoch-1"), previous: epoch0 }),
      );
      const first = normaliseBurnId(burns[0]?.burnId ?? "");
      expect(error.message).to.contain(
        `burns[0] "${burns[0]?.burnId}": burn id ${first} was already published in epoch 0`,
      );
      expect(error.message).to.contain("3 problems");
      expect(readdirSync(dir).sort()).to.deep.equal(["cumulative.json", "epoch-0"]);
    });

    it("takes several --previous folders, comma-separated", async function () {
      const epoch0 = path.join(dir, "epoch-0");
      const epoch1 = path.join(dir, "epoch-1");
      await buildEpoch({ burns: BURNS_EPOCH_0, out: epoch0 });
      await buildEpoch({ burns: BURNS_EPOCH_1, out: epoch1, previous: epoch0 });
      const next = path.join(dir, "next.json");
      writeFileSync(
        next,
        JSON.stringify({
          burns: [{ burnId: "ab".repeat(32), recipient: getAddress(`0x${"e5".repeat(20)}`), oxenAmount: "3" }],
        }),
      );
      await buildEpoch({ burns: next, out: path.join(dir, "epoch-2"), previous: `${epoch0}, ${epoch1}` });
      expect((readJson(path.join(dir, "epoch-2", EPOCH_FILE)) as EpochSummary).epoch).to.equal(2);
    });

    it("gives the epoch id addEpoch returns when the epochs are published in order", async function () {
      const epoch0 = path.join(dir, "epoch-0");
      const epoch1 = path.join(dir, "epoch-1");
      await buildEpoch({ burns: BURNS_EPOCH_0, out: epoch0 });
      await buildEpoch({ burns: BURNS_EPOCH_1, out: epoch1, previous: epoch0 });
      const [owner] = await ethers.getSigners();
      if (owner === undefined) throw new Error("the hardhat network has no account");
      const sesh = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, owner.address, ZeroAddress, ZeroAddress]);
      // The network's bridge (launch schedule, local wOXEN), owned by the deployer so that it can publish the epochs.
      const { bridge } = await deployClaimsBridge(hre, {
        sesh: await sesh.getAddress(),
        parameters: { ...(await prepareClaimsBridge(hre)), owner: owner.address },
      });
      for (const folder of [epoch0, epoch1]) {
        const summary = readJson(path.join(folder, EPOCH_FILE)) as EpochSummary;
        const id = await bridge.addEpoch.staticCall(summary.root, BigInt(summary.totalOxen));
        expect(id, folder).to.equal(BigInt(summary.epoch));
        await bridge.addEpoch(summary.root, BigInt(summary.totalOxen));
      }
    });

    it("finding 11: refuses an --out that is not empty and replaces it with --force", async function () {
      const out = path.join(dir, "out");
      await buildEpoch({ burns: BURNS_EPOCH_0, out });
      const error = await rejectionOf(buildEpoch({ burns: BURNS_EPOCH_1, out }));
      expect(error.message).to.contain(`--out ${out} is not empty`);
      expect((readJson(path.join(out, EPOCH_FILE)) as EpochSummary).burns).to.equal("burns-epoch-0.json");
      await buildEpoch({ burns: BURNS_EPOCH_1, out, force: true });
      expect((readJson(path.join(out, EPOCH_FILE)) as EpochSummary).burns).to.equal("burns-epoch-1.json");
    });

    it("finding 10: reports a missing burns file and an --out that is a file in one clear message each", async function () {
      const missing = path.join(dir, "none.json");
      const noFile = await rejectionOf(buildEpoch({ burns: missing, out: path.join(dir, "out") }));
      expect(noFile.message).to.equal(`${missing} is invalid (1 problem):\n  - cannot be read: there is no such file`);
      const file = await rejectionOf(buildEpoch({ burns: BURNS_EPOCH_0, out: BURNS_EPOCH_0 }));
      expect(file.message).to.equal(
        `--out ${BURNS_EPOCH_0} is a file, not a folder: give a folder (created if missing)`,
      );
      for (const error of [noFile, file]) expect(error.message).to.not.match(/ENOENT|ENOTDIR/);
    });
  });

  describe("distribution:build", function () {
    it("builds the example campaign with its summary", async function () {
      const out = path.join(dir, "campaign");
      await buildDistribution({ awards: AWARDS, out, name: "example" });
      const summary = readJson(path.join(out, CAMPAIGN_FILE)) as CampaignSummary;
      const awards = readJson(AWARDS) as { total: string; awards: { account: string }[] };
      expect(summary).to.deep.include({ campaign: "example", count: awards.awards.length, total: awards.total });
      for (const award of awards.awards) {
        const proof = readJson(path.join(out, PROOFS_DIR, `${getAddress(award.account)}.json`)) as ProofFile;
        expect(proof).to.deep.include({ campaign: "example", root: summary.root, account: getAddress(award.account) });
      }
    });

    it("finding 11: refuses an --out that is not empty and replaces it with --force", async function () {
      const out = path.join(dir, "campaign");
      await buildDistribution({ awards: AWARDS, out });
      const error = await rejectionOf(buildDistribution({ awards: AWARDS, out }));
      expect(error.message).to.contain(`--out ${out} is not empty`);
      await buildDistribution({ awards: AWARDS, out, force: true, name: "again" });
      expect((readJson(path.join(out, CAMPAIGN_FILE)) as CampaignSummary).campaign).to.equal("again");
    });

    it("finding 10: reports a missing awards file and an --out that is a file in one clear message each", async function () {
      const missing = path.join(dir, "none.json");
      const noFile = await rejectionOf(buildDistribution({ awards: missing, out: path.join(dir, "out") }));
      expect(noFile.message).to.equal(`${missing} is invalid (1 problem):\n  - cannot be read: there is no such file`);
      const file = await rejectionOf(buildDistribution({ awards: AWARDS, out: path.join(AWARDS, "out") }));
      expect(file.message).to.contain("a part of this path is a file, not a folder");
      for (const error of [noFile, file]) expect(error.message).to.not.match(/ENOENT|ENOTDIR/);
    });
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { toBeHex } from "ethers";
import hre from "hardhat";

import {
  domainTags,
  proofOfPossessionMessage,
  publicKeyOf,
  secretKeyFromSeed,
  sign,
  toG1Struct,
  toSignatureParams,
} from "../../../lib/bls";
import { InputFileError, PreconditionError } from "../../../lib/errors";
import { loadNodeProposal } from "../../../lib/registration";
import { restoreChainAfterSuite } from "../../helpers/chain";
import { occurrences, runHardhat, stackLines } from "../../helpers/cli";
import { rejectionOf } from "../../helpers/errors";
import { loadStakingFixture } from "../../helpers/staking";
import { suiteFixtures } from "../rewards/fixtures";
import { TaskFailedError } from "../../../tasks/errors";

const EXAMPLE = path.resolve(__dirname, "..", "..", "..", "examples", "node-proposal.json");
const { deployedFixture } = suiteFixtures();

/** Runs `body` with console.log captured; returns what it printed. */
async function captured(body: () => Promise<unknown>): Promise<{ lines: string[]; error?: Error }> {
  const log = console.log;
  const lines: string[] = [];
  console.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  try {
    await body();
    return { lines };
  } catch (error) {
    return { lines, error: error as Error };
  } finally {
    console.log = log;
  }
}

describe("node:check", function () {
  this.timeout(180_000);
  restoreChainAfterSuite();

  let dir: string;
  before(function () {
    dir = mkdtempSync(path.join(tmpdir(), "node-check-"));
  });
  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  function variant(name: string, change: (json: Record<string, unknown>) => void): string {
    const json = JSON.parse(readFileSync(EXAMPLE, "utf8")) as Record<string, unknown>;
    change(json);
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(json));
    return file;
  }

  it("prints the three calls of the example proposal, signed for the deployed staking set", async function () {
    const f = await loadStakingFixture(deployedFixture);
    // The example's proof of possession is bound to the rewards contract of a fresh chain; this suite's chain has
    // another, so the example's node is given a key signed for this one (the rest of the example unchanged).
    const { chainId } = await hre.ethers.provider.getNetwork();
    const tags = domainTags(chainId, f.rewardsAddress);
    const file = variant("signed.json", (json) => {
      const secretKey = secretKeyFromSeed("node:check example", 0);
      const key = toG1Struct(publicKeyOf(secretKey));
      const message = proofOfPossessionMessage(tags, key, String(json.operator), BigInt(String(json.ed25519PublicKey)));
      const pop = toSignatureParams(sign(secretKey, message, tags.hashToG2Tag));
      json.blsPublicKey = { X: toBeHex(key.X, 32), Y: toBeHex(key.Y, 32) };
      json.proofOfPossession = {
        sigs0: toBeHex(pop.sigs0, 32),
        sigs1: toBeHex(pop.sigs1, 32),
        sigs2: toBeHex(pop.sigs2, 32),
        sigs3: toBeHex(pop.sigs3, 32),
      };
    });
    const { lines, error } = await captured(() => hre.run("node:check", { params: file, factory: f.factoryAddress }));
    expect(error, lines.join("\n")).to.equal(undefined);
    expect(lines[0]).to.contain("is valid on hardhat");
    expect(
      lines
        .slice(1)
        .map((line) => line.replace(/ 0x[0-9a-fA-F]{40}:| <deployed contribution contract>:/, " X:").split("(")[0]),
    ).to.deep.equal(["1. factory X: deploy", "2. sesh X: approve", "3. contribution X: contributeFunds"]);
  });

  it("lists every problem with its code and custom error, then fails", async function () {
    const f = await loadStakingFixture(deployedFixture);
    const file = variant("problems.json", (json) => {
      json.fee = 10_001;
      json.operator = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
    });
    const { lines, error } = await captured(() => hre.run("node:check", { params: file, factory: f.factoryAddress }));
    expect(error).to.be.instanceOf(TaskFailedError);
    expect(error?.message).to.contain("problems (listed above)");
    expect(
      lines.some((line) => line.includes("[fee-too-high]") && line.includes("(FeeExceedsPossibleValue)")),
    ).to.equal(true);
    expect(lines.some((line) => line.includes("(FirstReservedContributorMustBeOperator)"))).to.equal(true);
    expect(lines.some((line) => line.includes("(InvalidBLSProofOfPossession)"))).to.equal(true);
  });

  it("refuses a proposal file with a bad field, naming it, before reading the chain", async function () {
    const file = variant("bad.json", (json) => {
      json.operatorStake = "a lot";
    });
    const error = await rejectionOf(hre.run("node:check", { params: file, factory: "0x" + "00".repeat(20) }));
    expect(error).to.be.instanceOf(InputFileError);
    expect(error.message).to.contain('operatorStake: "a lot" is not a whole number of atoms');
  });

  it("refuses a factory address with no contract", async function () {
    const error = await rejectionOf(hre.run("node:check", { params: EXAMPLE, factory: "0x" + "12".repeat(20) }));
    expect(error).to.be.instanceOf(PreconditionError);
    expect(error.message).to.contain("no contract there");
  });

  it("reads the example proposal", function () {
    const proposal = loadNodeProposal(EXAMPLE);
    expect(proposal.reserved).to.have.length(2);
    expect(proposal.operatorStake).to.equal(6_250n * 10n ** 9n);
  });

  describe("from the command line, with a bad proposal file (DISPLAY unset)", function () {
    let run: ReturnType<typeof runHardhat>;
    const message = "fee: Invalid input: expected number, received string";
    before(function () {
      const file = variant("cli-bad.json", (json) => {
        json.fee = "five hundred";
      });
      run = runHardhat(["node:check", "--params", file, "--factory", "0x" + "12".repeat(20)], "headless");
    });

    it("exits with status 1", function () {
      expect(run.status, run.stderr).to.equal(1);
    });

    it("prints the message once, on standard error, with no stack trace", function () {
      expect(occurrences(run.stderr, message), run.stderr).to.equal(1);
      expect(occurrences(run.stdout, message), run.stdout).to.equal(0);
      expect(stackLines(run.stderr + run.stdout)).to.deep.equal([]);
    });
  });
});

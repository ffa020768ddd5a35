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
import { loadJoinProposal, loadNodeProposal, planNode, readRegistrationParameters } from "../../../lib/registration";
import { restoreChainAfterSuite } from "../../helpers/chain";
import { occurrences, runHardhat, stackLines } from "../../helpers/cli";
import { rejectionOf } from "../../helpers/errors";
import { execute, joinCalls } from "../../helpers/registration";
import { loadStakingFixture, type StakingFixture } from "../../helpers/staking";
import { at, suiteFixtures } from "../rewards/fixtures";
import { ArgumentError, TaskFailedError } from "../../../tasks/errors";

const EXAMPLE = path.resolve(__dirname, "..", "..", "..", "examples", "node-proposal.json");
const JOIN_EXAMPLE = path.resolve(__dirname, "..", "..", "..", "examples", "node-join.json");
const { deployedFixture, startedFixture } = suiteFixtures();

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

  function variant(name: string, change: (json: Record<string, unknown>) => void, example = EXAMPLE): string {
    const json = JSON.parse(readFileSync(example, "utf8")) as Record<string, unknown>;
    change(json);
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(json));
    return file;
  }

  /**
   * The example proposal with a key signed for this suite's rewards contract: the example's proof of possession is
   * bound to the rewards contract of a fresh chain, and this suite's chain has another (the rest is unchanged).
   */
  function signedExample(f: StakingFixture, name: string): string {
    const tags = domainTags(f.chainId, f.rewardsAddress);
    return variant(name, (json) => {
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
  }

  it("prints the three calls of the example proposal, signed for the deployed staking set", async function () {
    const f = await loadStakingFixture(startedFixture);
    const file = signedExample(f, "signed.json");
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
    const f = await loadStakingFixture(startedFixture);
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

  it("lists a rewards contract that has not started as [rewards-not-started], then fails", async function () {
    const f = await loadStakingFixture(deployedFixture);
    const file = signedExample(f, "not-started.json");
    const { lines, error } = await captured(() => hre.run("node:check", { params: file, factory: f.factoryAddress }));
    expect(error).to.be.instanceOf(TaskFailedError);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^- \[rewards-not-started\] .* until its owner calls start\(\) \(ContractNotStarted\)$/);
  });

  it("lists a paused factory as [factory-paused], then fails", async function () {
    const f = await loadStakingFixture(startedFixture);
    await (await f.factory.connect(f.owner).pause()).wait();
    const file = signedExample(f, "paused.json");
    const { lines, error } = await captured(() => hre.run("node:check", { params: file, factory: f.factoryAddress }));
    expect(error).to.be.instanceOf(TaskFailedError);
    expect(lines).to.deep.equal([
      `- [factory-paused] the contribution factory ${f.factoryAddress} is paused: no node can be opened until its ` +
        "owner unpauses it (EnforcedPause)",
    ]);
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

  describe("--join", function () {
    /**
     * Opens the example proposal's node (signed for this chain) from its operator, staker 0: the operator's stake in,
     * the spot of the example join's contributor reserved. Only the factory's deploy without `operatorContributes`
     * (the node then waits for its operator); finalised by hand with `manualFinalize`.
     */
    async function openExample(
      f: StakingFixture,
      { operatorContributes = true, manualFinalize = false } = {},
    ): Promise<string> {
      const proposal = { ...loadNodeProposal(signedExample(f, "open.json")), manualFinalize };
      const operator = at(f.stakers, 0);
      expect(operator.address, "the example's operator is staker 0").to.equal(proposal.operator);
      const parameters = await readRegistrationParameters(f.rewards, f.factory, {
        blsPublicKeys: [proposal.blsPublicKey],
        ed25519PublicKeys: [proposal.ed25519PublicKey],
      });
      const plan = planNode(parameters, proposal);
      if (!plan.ok) throw new Error(plan.problems.map((found) => found.message).join("; "));
      const calls = operatorContributes ? plan.transactions : plan.transactions.slice(0, 1);
      const outcome = await execute(f, operator, calls);
      if (outcome.reverted !== undefined || outcome.contract === undefined) throw new Error("the example did not open");
      return outcome.contract;
    }

    function joinVariant(name: string, change: (json: Record<string, unknown>) => void): string {
      return variant(name, change, JOIN_EXAMPLE);
    }

    it("prints the approval and the contribution of the example join to the example's open node", async function () {
      const f = await loadStakingFixture(startedFixture);
      const contract = await openExample(f);
      const { lines, error } = await captured(() =>
        hre.run("node:check", { join: JOIN_EXAMPLE, contract, factory: f.factoryAddress }),
      );
      expect(error, lines.join("\n")).to.equal(undefined);
      expect(lines[0]).to.contain(
        "is valid on hardhat; send, in order, from 0x71bE63f3384f5fb98995898A86B02Fb2426c5788",
      );
      expect(lines.slice(1)).to.deep.equal([
        `1. sesh ${await f.sesh.getAddress()}: approve("${contract}", "6250000000000")`,
        `2. contribution ${contract}: contributeFunds("6250000000000", "0x71bE63f3384f5fb98995898A86B02Fb2426c5788")`,
      ]);
    });

    const refused: [string, (json: Record<string, unknown>) => void, string, string][] = [
      [
        "an amount below the contributor's reservation",
        (json) => {
          json.amount = "6249999999999";
        },
        "below-reservation",
        "ContributionBelowReservedAmount",
      ],
      [
        "an amount below the minimum from someone with no reservation",
        (json) => {
          json.contributor = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
          json.amount = "1";
        },
        "below-minimum",
        "ContributionBelowMinAmount",
      ],
      [
        "an amount above what the requirement leaves",
        (json) => {
          json.amount = "18750000000001";
        },
        "exceeds-requirement",
        "ContributionExceedsStakingRequirement",
      ],
    ];
    for (const [what, change, code, customError] of refused) {
      it(`lists ${what} as [${code}] with its custom error, then fails`, async function () {
        const f = await loadStakingFixture(startedFixture);
        const contract = await openExample(f);
        const file = joinVariant(`${code}.json`, change);
        const { lines, error } = await captured(() =>
          hre.run("node:check", { join: file, contract, factory: f.factoryAddress }),
        );
        expect(error).to.be.instanceOf(TaskFailedError);
        expect(error?.message).to.equal(`${file}: 1 problem (listed above)`);
        expect(lines).to.have.length(1);
        expect(lines[0]).to.match(new RegExp(`^- \\[${code}\\] .*\\(${customError}\\)$`));
      });
    }

    it("lists a join to a node that waits for its operator as [first-contribution-not-operator]", async function () {
      const f = await loadStakingFixture(startedFixture);
      const contract = await openExample(f, { operatorContributes: false });
      const { lines, error } = await captured(() =>
        hre.run("node:check", { join: JOIN_EXAMPLE, contract, factory: f.factoryAddress }),
      );
      expect(error).to.be.instanceOf(TaskFailedError);
      expect(lines).to.deep.equal([
        "- [first-contribution-not-operator] the operator 0xBcd4042DE499D14e55001CcbB24a551F3b954096 contributes " +
          "first: wait until the node is open (FirstContributionMustBeOperator)",
      ]);
    });

    it("lists a join to a filled node, waiting to be finalised, as [node-not-open]", async function () {
      const f = await loadStakingFixture(startedFixture);
      const contract = await openExample(f, { manualFinalize: true });
      // The reserved contributor takes its spot and staker 2 the rest: the node is full.
      const requirement = f.parameters.stakingRequirement;
      for (const [staker, amount] of [
        [1, requirement / 4n],
        [2, requirement / 2n],
      ] as const) {
        const outcome = await execute(f, at(f.stakers, staker), joinCalls(f, contract, amount));
        expect(outcome.reverted).to.equal(undefined);
      }
      const { lines, error } = await captured(() =>
        hre.run("node:check", { join: JOIN_EXAMPLE, contract, factory: f.factoryAddress }),
      );
      expect(error).to.be.instanceOf(TaskFailedError);
      expect(lines).to.deep.equal([
        "- [node-not-open] the node is filled, waiting to be finalised: it takes no contribution " +
          "(ContributeFundsNotPossible)",
      ]);
    });

    it("refuses a join file with a bad field, naming it, before reading the chain", async function () {
      const file = joinVariant("bad-join.json", (json) => {
        json.amount = "-5";
      });
      const error = await rejectionOf(
        hre.run("node:check", { join: file, contract: "0x" + "00".repeat(20), factory: "0x" + "00".repeat(20) }),
      );
      expect(error).to.be.instanceOf(InputFileError);
      expect(error.message).to.contain('amount: "-5" is negative');
    });

    it("refuses a contract the factory did not open", async function () {
      const f = await loadStakingFixture(startedFixture);
      const error = await rejectionOf(
        hre.run("node:check", { join: JOIN_EXAMPLE, contract: f.rewardsAddress, factory: f.factoryAddress }),
      );
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.equal(`--contract ${f.rewardsAddress}: the factory ${f.factoryAddress} did not open it`);
    });

    it("refuses --join without --contract, and --join with --params", async function () {
      const factory = "0x" + "00".repeat(20);
      const alone = await rejectionOf(hre.run("node:check", { join: JOIN_EXAMPLE, factory }));
      const both = await rejectionOf(
        hre.run("node:check", { join: JOIN_EXAMPLE, params: EXAMPLE, contract: factory, factory }),
      );
      for (const error of [alone, both]) {
        expect(error).to.be.instanceOf(ArgumentError);
        expect(error.message).to.contain("give either --params FILE (a new node) or --join FILE with --contract");
      }
    });

    it("reads the example join", function () {
      expect(loadJoinProposal(JOIN_EXAMPLE)).to.deep.equal({
        contributor: "0x71bE63f3384f5fb98995898A86B02Fb2426c5788",
        amount: 6_250n * 10n ** 9n,
        beneficiary: "0x71bE63f3384f5fb98995898A86B02Fb2426c5788",
      });
    });
  });

  describe("from the command line, with a bad join file (DISPLAY unset)", function () {
    let run: ReturnType<typeof runHardhat>;
    const message = "contributor: is not an address";
    before(function () {
      const file = variant(
        "cli-bad-join.json",
        (json) => {
          json.contributor = "alice";
        },
        JOIN_EXAMPLE,
      );
      const address = "0x" + "12".repeat(20);
      run = runHardhat(["node:check", "--join", file, "--contract", address, "--factory", address], "headless");
    });

    it("exits with status 1, the message printed once on standard error, with no stack trace", function () {
      expect(run.status, run.stderr).to.equal(1);
      expect(occurrences(run.stderr, message), run.stderr).to.equal(1);
      expect(stackLines(run.stderr + run.stdout)).to.deep.equal([]);
    });
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

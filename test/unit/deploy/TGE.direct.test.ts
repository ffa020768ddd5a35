import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { getAddress } from "ethers";
import hre, { ethers } from "hardhat";

import { prepareClaimsBridge } from "../../../deploy/claimsBridge";
import { prepareDistributor } from "../../../deploy/distributor";
import { deployTge, prepareTge, tgeModuleParameters, type TgeContractInputs } from "../../../deploy/tge";
import { ATOMS_PER_SESH } from "../../../lib/amount";
import { InputFileError } from "../../../lib/errors";
import { launchTimeline } from "../../../lib/timeline";
import { PLAN_FORMAT } from "../../../lib/migration/plan";
import { readPlanFunding } from "../../../lib/migration/files";
import { ArgumentError } from "../../../tasks/errors";
import { rejectionOf } from "../../helpers/errors";

const SESH = ATOMS_PER_SESH;
const CLAIMS_LINE = 30_000_000n * SESH;
const BONUS_LINE = 30_000_000n * SESH;
const POOL_LINE = 63_177_550n * SESH;
const INCENTIVE_LINE = 1_000_000n * SESH;
/** What the migration converts in these tests: 1,234,567.000000089 SESH. */
const CONVERTED = 1_234_567n * SESH + 89n;
const ROOT = `0x${"ab".repeat(32)}`;

/** The inputs of the contracts the TGE deploys, from deploy/parameters/hardhat.json's sections, dated at the TGE. */
async function contractInputs(overrides: Partial<TgeContractInputs> = {}): Promise<TgeContractInputs> {
  const at = BigInt(launchTimeline().at("tge").unix);
  return {
    converted: CONVERTED,
    claimsBridge: await prepareClaimsBridge(hre, { at }),
    distributor: { parameters: await prepareDistributor(hre, { at }), merkleRoot: ROOT },
    ...overrides,
  };
}

async function directTge() {
  const contracts = await contractInputs();
  return { contracts, tge: await deployTge(hre, { contracts }) };
}

// The Landing's TGE (deploy/tge.ts with `contracts`): the TGE module deploys the staking set, the claims bridge and
// the testnet awards' distributor, then one split pays every contract line straight to its contract.
describe("TGE paying its contract lines directly (deploy/tge.ts, deploy/modules/TGE.ts)", function () {
  it("deploys the staking set, the bridge and the distributor, and pays each its lines in the split", async function () {
    const { tge } = await loadFixture(directTge);
    const { staking, bridge, distributorAddress } = tge;
    if (staking === undefined || bridge === undefined || distributorAddress === undefined) {
      throw new Error("the TGE deployed no staking set, bridge or distributor");
    }
    expect(tge.checks.filter((check) => !check.ok)).to.deep.equal([]);
    expect(await tge.sesh.balanceOf(staking.poolAddress)).to.equal(POOL_LINE);
    expect(await tge.sesh.balanceOf(staking.rewardsAddress)).to.equal(BONUS_LINE + CONVERTED);
    expect(await tge.sesh.balanceOf(bridge.bridgeAddress)).to.equal(CLAIMS_LINE - CONVERTED);
    expect(await tge.sesh.balanceOf(distributorAddress)).to.equal(INCENTIVE_LINE);
    expect(await tge.sesh.balanceOf(tge.plan.escrow.address)).to.equal(0n);
    // Every payment is one Transfer of the split's transaction, from the splitter.
    const transfers = await tge.sesh.queryFilter(tge.sesh.filters.Transfer(tge.splitterAddress));
    const hashes = [...new Set(transfers.map((log) => log.transactionHash))];
    expect(hashes).to.have.length(1);
    const split = await ethers.provider.getTransaction(hashes[0] ?? "");
    expect([split?.from, split?.to]).to.deep.equal([tge.plan.genesisReceiver, tge.splitterAddress]);
    // The split comes last, once the pool pays the rewards contract: no contract holds SESH before it is wired.
    expect(tge.transactions.at(-1)?.hash).to.equal(hashes[0]);
    expect(transfers.map((log) => log.args.value).reduce((sum, value) => sum + value, 0n)).to.equal(tge.totalSupply);
  });

  it("builds each contract from its section: the pool pays the rewards contract, the bridge and the distributor as configured", async function () {
    const { tge, contracts } = await loadFixture(directTge);
    const { staking, bridge, distributorAddress } = tge;
    if (staking === undefined || bridge === undefined || distributorAddress === undefined) {
      throw new Error("the TGE deployed no staking set, bridge or distributor");
    }
    expect(await staking.pool.beneficiary()).to.equal(staking.rewardsAddress);
    expect(await staking.rewards.designatedToken()).to.equal(tge.seshAddress);
    expect(await staking.rewards.stakingRequirement()).to.equal(25_000n * SESH);
    const onChainBridge = await ethers.getContractAt("OxenClaimsBridge", bridge.bridgeAddress);
    expect(await onChainBridge.sesh()).to.equal(tge.seshAddress);
    expect(await onChainBridge.owner()).to.equal(contracts.claimsBridge?.owner);
    expect(await onChainBridge.closeTime()).to.equal(contracts.claimsBridge?.closeTime);
    expect((await onChainBridge.schedule()).map((point) => [point.timestamp, point.rate])).to.deep.equal(
      contracts.claimsBridge?.schedule.map((point) => [point.timestamp, point.rate]),
    );
    expect(await ethers.provider.getCode(bridge.wrappedOxenAddress)).not.to.equal("0x");
    const distributor = await ethers.getContractAt("MerkleDistributor", distributorAddress);
    expect(await distributor.merkleRoot()).to.equal(ROOT);
    expect(await distributor.vestingStart()).to.equal(contracts.distributor?.parameters.vestingStart);
    expect(await distributor.owner()).to.equal(contracts.distributor?.parameters.owner);
  });

  it("shows each contract line under its contract, the claims line in its two parts", async function () {
    const { tge } = await loadFixture(directTge);
    const rows = tge.plan.lines.map((line) => [line.row, line.paidTo, getAddress(line.to), line.amount]);
    expect(rows.filter((row) => row[0] === 3)).to.deep.equal([
      [3, "ServiceNodeRewards", tge.staking?.rewardsAddress, CONVERTED],
      [3, "OxenClaimsBridge", tge.bridge?.bridgeAddress, CLAIMS_LINE - CONVERTED],
    ]);
    expect(() => tgeModuleParameters(tge.plan)).to.throw(InputFileError, "the TGE deploys the RewardRatePool it funds");
  });

  describe("refuses before its first transaction", function () {
    async function refusal(contracts: TgeContractInputs): Promise<Error> {
      const before = await ethers.provider.getBlockNumber();
      const error = await rejectionOf(deployTge(hre, { contracts }));
      expect(await ethers.provider.getBlockNumber()).to.equal(before);
      return error;
    }

    it("a table with a bridge line and no claimsBridge section", async function () {
      const inputs = await contractInputs();
      const error = await refusal({
        converted: inputs.converted,
        ...(inputs.distributor && { distributor: inputs.distributor }),
      });
      expect(error).to.be.instanceOf(InputFileError);
      expect(error.message).to.include(
        "a line funds the OxenClaimsBridge, which the TGE deploys from the claimsBridge",
      );
    });

    it("a table with a distributor line and no campaign", async function () {
      const inputs = await contractInputs();
      const error = await refusal({
        converted: inputs.converted,
        ...(inputs.claimsBridge && { claimsBridge: inputs.claimsBridge }),
      });
      expect(error).to.be.instanceOf(InputFileError);
      expect(error.message).to.include("a line funds the MerkleDistributor");
    });

    it("a zero Merkle root", async function () {
      const inputs = await contractInputs();
      const distributor = inputs.distributor;
      if (distributor === undefined) throw new Error("no distributor inputs");
      const error = await refusal({ ...inputs, distributor: { ...distributor, merkleRoot: `0x${"0".repeat(64)}` } });
      expect(error).to.be.instanceOf(InputFileError);
      expect(error.message).to.include("distributor: merkleRoot is zero");
    });

    it("conversions larger than the Oxen Coin Claims line", async function () {
      const error = await refusal(await contractInputs({ converted: CLAIMS_LINE + 1n }));
      expect(error).to.be.instanceOf(InputFileError);
      expect(error.message).to.include(`the migration converts ${CLAIMS_LINE + 1n} SESH atoms`);
    });
  });

  it("without contracts, still holds the contract lines in the escrow (the stand-alone TGE)", async function () {
    const plan = await prepareTge(hre);
    expect(plan.lines.filter((line) => line.heldFor !== undefined).map((line) => line.heldFor)).to.deep.equal([
      "RewardRatePool",
      "OxenClaimsBridge",
      "ServiceNodeRewards",
      "MerkleDistributor",
    ]);
    expect(plan.contracts).to.equal(undefined);
  });

  describe("npx hardhat tge --migration-plan plan.json --awards-root ROOT", function () {
    /** A plan.json with the fields the TGE reads (plan-migration writes many more). */
    function planFile(fields: { converted?: string; bonusPool?: string; format?: string } = {}): string {
      const file = path.join(mkdtempSync(path.join(tmpdir(), "tge-plan-")), "plan.json");
      const plan = {
        format: fields.format ?? PLAN_FORMAT,
        parameters: { bonusPool: fields.bonusPool ?? BONUS_LINE.toString() },
        totals: { converted: fields.converted ?? CONVERTED.toString() },
      };
      writeFileSync(file, JSON.stringify(plan));
      return file;
    }

    /** Runs the task in this process; returns what it printed. */
    async function runTge(args: Record<string, string>): Promise<string[]> {
      const printed: string[] = [];
      const log = console.log;
      console.log = (...values: unknown[]) => printed.push(values.map(String).join(" "));
      try {
        await hre.run("tge", { ...args, deploymentId: "tge-direct-task" });
      } finally {
        console.log = log;
      }
      return printed;
    }

    async function taskTge() {
      return runTge({ migrationPlan: planFile(), awardsRoot: ROOT });
    }

    it("pays the plan's conversions and the bonus line to the rewards contract, the rest to the bridge, the incentive line to the distributor", async function () {
      const printed = (await loadFixture(taskTge)).join("\n");
      const addressAfter = (label: string): string => {
        const match = new RegExp(`${label} at (0x[0-9a-fA-F]{40})`).exec(printed);
        if (match?.[1] === undefined) throw new Error(`the task printed no ${label}:\n${printed}`);
        return match[1];
      };
      const sesh = await ethers.getContractAt("SESH", addressAfter("SESH deployed"));
      expect(await sesh.balanceOf(addressAfter("staking set: ServiceNodeRewards"))).to.equal(BONUS_LINE + CONVERTED);
      expect(await sesh.balanceOf(addressAfter("RewardRatePool"))).to.equal(POOL_LINE);
      expect(await sesh.balanceOf(addressAfter("OxenClaimsBridge"))).to.equal(CLAIMS_LINE - CONVERTED);
      expect(await sesh.balanceOf(addressAfter("MerkleDistributor of the testnet awards"))).to.equal(INCENTIVE_LINE);
      const distributor = await ethers.getContractAt(
        "MerkleDistributor",
        addressAfter("MerkleDistributor of the testnet awards"),
      );
      expect(await distributor.merkleRoot()).to.equal(ROOT);
      expect(printed).not.to.include("FAILED");
    });

    it("refuses a plan whose bonus pool is not the Service Node Bonus line, before any transaction", async function () {
      const before = await ethers.provider.getBlockNumber();
      const error = await rejectionOf(
        runTge({ migrationPlan: planFile({ bonusPool: (29_000_000n * SESH).toString() }), awardsRoot: ROOT }),
      );
      expect(error).to.be.instanceOf(InputFileError);
      expect(error.message).to.include(
        "allocations: the snapshot's bonus pool is 29,000,000 SESH but the table's ServiceNodeRewards " +
          "(Service Node Bonus) line is 30,000,000 SESH",
      );
      expect(await ethers.provider.getBlockNumber()).to.equal(before);
    });

    it("refuses --awards-root without --migration-plan, and a table with a distributor line without --awards-root", async function () {
      const alone = await rejectionOf(runTge({ awardsRoot: ROOT }));
      expect(alone).to.be.instanceOf(ArgumentError);
      expect(alone.message).to.include("--awards-root: the TGE deploys the distributor only with");
      const before = await ethers.provider.getBlockNumber();
      const noRoot = await rejectionOf(runTge({ migrationPlan: planFile() }));
      expect(noRoot).to.be.instanceOf(InputFileError);
      expect(noRoot.message).to.include("a line funds the MerkleDistributor");
      expect(await ethers.provider.getBlockNumber()).to.equal(before);
    });

    it("names each bad field of a plan file", function () {
      expect(() => readPlanFunding(planFile({ format: "other/1", converted: "1.5" }))).to.throw(
        InputFileError,
        /format: .*session-migration-plan\/1[\s\S]*totals\.converted: expected a whole number of atoms/,
      );
      const file = planFile();
      writeFileSync(file, "{ not json");
      expect(() => readPlanFunding(file)).to.throw(InputFileError, "not JSON");
    });
  });
});

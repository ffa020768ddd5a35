import { spawnSync } from "node:child_process";
import path from "node:path";

import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import hre, { ethers } from "hardhat";

import { deployTge, parametersFileFor, prepareTge } from "../../../deploy/tge";
import { ATOMS_PER_SESH, SESH_TOTAL_SUPPLY } from "../../../lib/amount";
import { InputFileError } from "../../../lib/errors";
import { rejectionOf } from "../../helpers/errors";
import { lineOf, rawTgeParameters, writeTgeParameters, type RawTgeParameters } from "../../helpers/tge";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..", "..");

/** The published genesis allocation (SPEC 3.2), in whole SESH. */
const PUBLISHED_TABLE: [string, bigint][] = [
  ["Staking Reward Pool", 63_177_550n],
  ["Ecosystem and Community Fund", 43_000_000n],
  ["Treasury — Operational", 33_000_000n],
  ["Oxen Coin Claims", 30_000_000n],
  ["Service Node Bonus", 30_000_000n],
  ["Treasury — Session Nodes", 15_000_000n],
  ["Strategic Sale", 12_822_450n],
  ["Treasury — Contributors", 11_000_000n],
  ["Treasury — Advisors", 1_000_000n],
  ["Testnet Incentive", 1_000_000n],
];

async function tgeFixture() {
  return deployTge(hre);
}

describe("TGE (deploy/modules/TGE.ts)", function () {
  describe("on the hardhat network", function () {
    it("allocates the published table", async function () {
      const { plan } = await loadFixture(tgeFixture);
      expect(plan.lines.map((line) => [line.name, line.amount / ATOMS_PER_SESH])).to.deep.equal(PUBLISHED_TABLE);
    });

    it("mints exactly the total supply", async function () {
      const { sesh } = await loadFixture(tgeFixture);
      expect(await sesh.totalSupply()).to.equal(SESH_TOTAL_SUPPLY);
    });

    it("gives every named account the sum of its lines", async function () {
      const { plan, sesh } = await loadFixture(tgeFixture);
      const signers = await ethers.getSigners();
      const raw = rawTgeParameters();
      for (const line of plan.lines.filter((candidate) => candidate.heldFor === undefined)) {
        const accountName = line.recipient.kind === "account" ? line.recipient.name : "";
        const index = raw.accounts[accountName];
        if (typeof index !== "number") throw new Error(`${line.name} has no local account`);
        expect(await sesh.balanceOf(signers[index]?.address ?? ""), line.name).to.equal(line.amount);
      }
    });

    it("holds the lines of undeployed contracts in the escrow account", async function () {
      const { plan, sesh } = await loadFixture(tgeFixture);
      const escrowed = plan.lines.filter((line) => line.heldFor !== undefined);
      expect(escrowed.map((line) => [line.name, line.heldFor])).to.deep.equal([
        ["Staking Reward Pool", "RewardRatePool"],
        ["Oxen Coin Claims", "OxenClaimsBridge"],
        ["Service Node Bonus", "ServiceNodeRewards"],
        ["Testnet Incentive", "MerkleDistributor"],
      ]);
      const [, , , , , , , escrow] = await ethers.getSigners();
      expect(plan.escrow.address).to.equal(escrow?.address);
      expect(await sesh.balanceOf(plan.escrow.address)).to.equal(124_177_550n * ATOMS_PER_SESH);
    });

    it("leaves nothing with the deployer", async function () {
      const { plan, sesh } = await loadFixture(tgeFixture);
      const [deployer] = await ethers.getSigners();
      expect(plan.genesisReceiver).to.equal(deployer?.address);
      expect(await sesh.balanceOf(plan.genesisReceiver)).to.equal(0n);
    });

    it("reports every balance check as passed", async function () {
      const { checks } = await loadFixture(tgeFixture);
      expect(checks).to.have.length(8);
      expect(checks.every((check) => check.ok)).to.be.true;
    });

    it("sends the deployment and one transfer per line", async function () {
      const { transactions, gasUsed } = await loadFixture(tgeFixture);
      expect(transactions).to.have.length(1 + PUBLISHED_TABLE.length);
      expect(gasUsed).to.equal(transactions.reduce((sum, tx) => sum + tx.gasUsed, 0n));
    });

    it("emits a Transfer for each line from the deployer", async function () {
      const { plan, sesh } = await loadFixture(tgeFixture);
      const transfers = await sesh.queryFilter(sesh.filters.Transfer(plan.genesisReceiver));
      expect(transfers.map((event) => [event.args.to, event.args.value])).to.deep.equal(
        plan.lines.map((line) => [line.to, line.amount]),
      );
    });
  });

  describe("with a bad parameter file", function () {
    const cases: { title: string; mutate: (raw: RawTgeParameters) => void; message: string }[] = [
      {
        title: "the table sums to less than the supply",
        mutate: (raw) => {
          lineOf(raw, 1).amount = "42999999";
        },
        message:
          "allocations: the 10 lines sum to 239,999,999 SESH, 1 SESH short of the total supply of 240,000,000 SESH",
      },
      {
        title: "the table sums to more than the supply",
        mutate: (raw) => {
          lineOf(raw, 9).amount = "1000000.000000001";
        },
        message:
          "allocations: the 10 lines sum to 240,000,000.000000001 SESH, 0.000000001 SESH more than the total supply of 240,000,000 SESH",
      },
      {
        title: "a recipient address is malformed",
        mutate: (raw) => {
          lineOf(raw, 6).recipient = { address: "0x12345" };
        },
        message: 'allocations[6] "Strategic Sale".recipient.address: is not an address',
      },
      {
        title: "a recipient address has a wrong checksum",
        mutate: (raw) => {
          lineOf(raw, 6).recipient = { address: "0x70997970c51812dc3A010C7d01b50e0d17dc79C8" };
        },
        message: 'allocations[6] "Strategic Sale".recipient.address: is not an address',
      },
      {
        title: "an amount is negative",
        mutate: (raw) => {
          lineOf(raw, 2).amount = "-33000000";
        },
        message: 'allocations[2] "Treasury — Operational".amount: "-33000000" is negative',
      },
      {
        title: "an amount is not a whole number of atoms",
        mutate: (raw) => {
          lineOf(raw, 8).amount = "1000000.0000000001";
        },
        message:
          'allocations[8] "Treasury — Advisors".amount: "1000000.0000000001" is not a whole number of atoms (SESH has 9 decimals)',
      },
      {
        title: "an amount is not a number",
        mutate: (raw) => {
          lineOf(raw, 8).amount = "one million";
        },
        message: 'allocations[8] "Treasury — Advisors".amount: "one million" is not a decimal number of SESH',
      },
      {
        title: "an amount is zero",
        mutate: (raw) => {
          lineOf(raw, 9).amount = "0";
          lineOf(raw, 8).amount = "2000000";
        },
        message: 'allocations[9] "Testnet Incentive".amount: must be more than 0 SESH',
      },
      {
        title: "two lines have the same name",
        mutate: (raw) => {
          lineOf(raw, 8).name = "Treasury — Contributors";
        },
        message: 'allocations[8] "Treasury — Contributors": duplicate name, already used by allocations[7]',
      },
      {
        title: "a line names an undefined account",
        mutate: (raw) => {
          lineOf(raw, 1).recipient = { account: "ecosystemFound" };
        },
        message: 'allocations[1] "Ecosystem and Community Fund".recipient: account "ecosystemFound" is not defined',
      },
      {
        title: "a line names a contract the suite does not have",
        mutate: (raw) => {
          lineOf(raw, 0).recipient = { contract: "StakingPool" };
        },
        message: 'allocations[0] "Staking Reward Pool".recipient.contract: ',
      },
      {
        title: "an account index is beyond the network's accounts",
        mutate: (raw) => {
          raw.accounts.strategicSale = 99;
        },
        message: "accounts.strategicSale: local account index 99 does not exist on this network, which has 20 accounts",
      },
      {
        title: "an account has no address yet",
        mutate: (raw) => {
          raw.accounts.treasuryAdvisors = null;
        },
        message: 'account "treasuryAdvisors" has no address yet: set accounts.treasuryAdvisors',
      },
      {
        title: "the file is for another network",
        mutate: (raw) => {
          raw.network = "arbitrumOne";
        },
        message: 'network: the file is for network "arbitrumOne" but the deployment runs on "hardhat"',
      },
    ];

    for (const { title, mutate, message } of cases) {
      describe(`when ${title}`, function () {
        it("fails with a message naming the problem", async function () {
          const raw = rawTgeParameters();
          mutate(raw);
          const error = await rejectionOf(deployTge(hre, { parametersFile: writeTgeParameters(title, raw) }));
          expect(error).to.be.instanceOf(InputFileError);
          expect(error.message).to.include(message);
        });

        it("deploys nothing", async function () {
          const raw = rawTgeParameters();
          mutate(raw);
          const [deployer] = await ethers.getSigners();
          const block = await ethers.provider.getBlockNumber();
          const nonce = await ethers.provider.getTransactionCount(deployer?.address ?? "");
          await rejectionOf(deployTge(hre, { parametersFile: writeTgeParameters(title, raw) }));
          expect(await ethers.provider.getBlockNumber()).to.equal(block);
          expect(await ethers.provider.getTransactionCount(deployer?.address ?? "")).to.equal(nonce);
        });
      });
    }

    it("fails when the file is not JSON", async function () {
      const error = await rejectionOf(
        deployTge(hre, { parametersFile: writeTgeParameters("not-json", "{ allocations: ") }),
      );
      expect(error.message).to.include("not valid JSON");
    });

    it("fails when the file does not exist", async function () {
      const missing = path.join(PROJECT_ROOT, "deploy", "parameters", "no-such-network.json");
      const error = await rejectionOf(deployTge(hre, { parametersFile: missing }));
      expect(error.message).to.include("cannot be read");
    });
  });

  describe("#prepareTge", function () {
    it("reads deploy/parameters/hardhat.json for localhost, the same chain", function () {
      expect(parametersFileFor("localhost")).to.equal(path.join(PROJECT_ROOT, "deploy", "parameters", "hardhat.json"));
    });

    it("sends nothing", async function () {
      const block = await ethers.provider.getBlockNumber();
      const plan = await prepareTge(hre);
      expect(plan.lines).to.have.length(10);
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
    });
  });

  describe("npx hardhat tge", function () {
    it("exits non-zero with the problem when the parameters are bad", function () {
      this.timeout(120_000);
      const raw = rawTgeParameters();
      lineOf(raw, 1).amount = "42999999";
      const file = writeTgeParameters("cli-sum", raw);
      const run = spawnSync("npx", ["hardhat", "tge", "--parameters", file], { cwd: PROJECT_ROOT, encoding: "utf8" });
      expect(run.status).to.equal(1);
      expect(run.stderr).to.include("1 SESH short of the total supply of 240,000,000 SESH");
    });
  });
});

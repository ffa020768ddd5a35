import { spawnSync } from "node:child_process";
import path from "node:path";

import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { getAddress, ZeroAddress } from "ethers";
import hre, { ethers } from "hardhat";

import TgeModule from "../../../deploy/modules/TGE";
import { deployTge, ignitionParametersJson, parametersFileFor, prepareTge } from "../../../deploy/tge";
import { ATOMS_PER_SESH, SESH_TOTAL_SUPPLY } from "../../../lib/amount";
import { InputFileError } from "../../../lib/errors";
import {
  allocationTable,
  balanceTable,
  lockupList,
  recipientTable,
  TERMINAL_COLUMNS,
  widestLine,
} from "../../../lib/tge/report";
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

/** The address of the contract created by the (only) transaction of block `number`. */
async function contractCreatedIn(number: number): Promise<string> {
  const block = await ethers.provider.getBlock(number, true);
  const [tx] = block?.prefetchedTransactions ?? [];
  const receipt = tx === undefined ? null : await ethers.provider.getTransactionReceipt(tx.hash);
  if (receipt?.contractAddress == null) throw new Error(`block ${number} created no contract`);
  return receipt.contractAddress;
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

    it("leaves nothing with the splitter", async function () {
      const { sesh, splitterAddress } = await loadFixture(tgeFixture);
      expect(await sesh.balanceOf(splitterAddress)).to.equal(0n);
    });

    it("reports every balance check as passed, the deployer and the splitter holding nothing", async function () {
      const { checks, splitterAddress, plan } = await loadFixture(tgeFixture);
      // 7 named accounts, the deployer and the splitter.
      expect(checks).to.have.length(9);
      expect(checks.every((check) => check.ok)).to.be.true;
      expect(checks.find((check) => check.address === splitterAddress)).to.include({ expected: 0n, actual: 0n });
      expect(checks.find((check) => check.address === plan.genesisReceiver)).to.include({ expected: 0n, actual: 0n });
    });

    it("sends three transactions: the splitter, SESH and the split", async function () {
      const { transactions, gasUsed, seshAddress, splitterAddress } = await loadFixture(tgeFixture);
      expect(transactions.map((tx) => tx.contractAddress)).to.deep.equal([splitterAddress, seshAddress, undefined]);
      expect(gasUsed).to.equal(transactions.reduce((sum, tx) => sum + tx.gasUsed, 0n));
    });

    it("mints the supply to the splitter, which pays every line in one transaction", async function () {
      const { plan, sesh, splitterAddress, transactions } = await loadFixture(tgeFixture);
      const mints = await sesh.queryFilter(sesh.filters.Transfer(ZeroAddress));
      expect(mints.map((event) => [event.args.to, event.args.value])).to.deep.equal([
        [splitterAddress, SESH_TOTAL_SUPPLY],
      ]);
      const transfers = await sesh.queryFilter(sesh.filters.Transfer(splitterAddress));
      expect(transfers.map((event) => [event.args.to, event.args.value])).to.deep.equal(
        plan.lines.map((line) => [line.to, line.amount]),
      );
      expect(new Set(transfers.map((event) => event.transactionHash))).to.deep.equal(new Set([transactions[2]?.hash]));
    });

    it("records no gateway and no router", async function () {
      const { sesh } = await loadFixture(tgeFixture);
      expect([await sesh.gateway(), await sesh.router()]).to.deep.equal([ZeroAddress, ZeroAddress]);
    });
  });

  describe("finding 12: deploy/modules/TGE.ts is the Ignition module every deployment runs", function () {
    it("default-exports a module, whose futures Ignition can iterate", function () {
      expect(TgeModule.id).to.equal("TGE");
      expect([...TgeModule.futures].map((future) => future.id)).to.have.members([
        "TGE#GenesisSplitter",
        "TGE#SESH",
        "TGE#GenesisSplitter.split",
      ]);
    });

    it("is the module deployTge deploys (its results are the TGE's contracts)", async function () {
      const { seshAddress, splitterAddress, splitter } = await loadFixture(tgeFixture);
      expect(await splitter.splitToken()).to.equal(seshAddress);
      expect(Object.keys(TgeModule.results)).to.deep.equal(["sesh", "splitter"]);
      expect(splitterAddress).to.equal(getAddress(splitterAddress));
    });

    it("writes an Ignition parameter file with the plan's lines, amounts in Ignition's bigint notation", async function () {
      const plan = await prepareTge(hre);
      // Ignition reads "123n" as the bigint 123 (hardhat-ignition's bigintReviver; the command line test in
      // test/unit/tasks/localhost.test.ts deploys such a file with `ignition deploy`).
      const parsed: unknown = JSON.parse(ignitionParametersJson(plan), (_key, value: unknown) =>
        typeof value === "string" && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value,
      );
      expect(parsed).to.deep.equal({
        TGE: { recipients: plan.lines.map((line) => line.to), amounts: plan.lines.map((line) => line.amount) },
      });
    });

    it("is all or nothing: amounts that do not sum to the supply pay no line", async function () {
      const plan = await prepareTge(hre);
      const amounts = plan.lines.map((line, index) => (index === 0 ? line.amount - 1n : line.amount));
      const block = await ethers.provider.getBlockNumber();
      const error = await rejectionOf(
        hre.ignition.deploy(TgeModule, {
          parameters: { TGE: { recipients: plan.lines.map((line) => line.to), amounts } },
          displayUi: false,
        }),
      );
      expect(error.message).to.match(/AllocationBelowBalance|reverted/);
      // Blocks: the splitter, SESH, and no split.
      const sesh = await ethers.getContractAt("SESH", await contractCreatedIn(block + 2));
      for (const line of plan.lines) expect(await sesh.balanceOf(line.to)).to.equal(0n);
      expect(await sesh.balanceOf(await contractCreatedIn(block + 1))).to.equal(SESH_TOTAL_SUPPLY);
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

  describe("finding 16: the TGE's tables in a terminal", function () {
    it(`fits the allocation and recipient tables in ${TERMINAL_COLUMNS} columns`, async function () {
      const plan = await prepareTge(hre);
      expect(widestLine(allocationTable(plan))).to.be.at.most(TERMINAL_COLUMNS);
      expect(widestLine(recipientTable(plan))).to.be.at.most(TERMINAL_COLUMNS);
      expect(widestLine(lockupList(plan))).to.be.at.most(TERMINAL_COLUMNS);
    });

    it(`fits the balance table in ${TERMINAL_COLUMNS} columns, failed checks included`, async function () {
      const { checks } = await loadFixture(tgeFixture);
      const failed = checks.map((check) => ({ ...check, actual: 0n, ok: false }));
      expect(widestLine(balanceTable(checks))).to.be.at.most(TERMINAL_COLUMNS);
      expect(widestLine(balanceTable(failed))).to.be.at.most(TERMINAL_COLUMNS);
    });

    it("lists every address once, checksummed", async function () {
      const plan = await prepareTge(hre);
      const addresses = recipientTable(plan).match(/0x[0-9a-fA-F]{40}/g) ?? [];
      expect(addresses).to.have.length(new Set(plan.lines.map((line) => line.to)).size);
      expect(addresses.every((address) => address === getAddress(address))).to.be.true;
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

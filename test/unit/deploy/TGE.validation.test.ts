import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";
import { ZeroAddress } from "ethers";
import hre, { ethers } from "hardhat";

import { deployTge, prepareTge } from "../../../deploy/tge";
import { ATOMS_PER_SESH } from "../../../lib/amount";
import { InputFileError } from "../../../lib/errors";
import { ZERO_ADDRESS_PROBLEM } from "../../../lib/schema";
import { rejectionOf } from "../../helpers/errors";
import { lineOf, rawTgeParameters, writeTgeParameters, type RawTgeParameters } from "../../helpers/tge";

/** A rejected parameter file: how to make it from the committed table, and what the error must say. */
interface RejectedCase {
  readonly title: string;
  /** Changes the committed table; or the file's whole text (invalid JSON); or its path (a missing file). */
  readonly make: ((raw: RawTgeParameters) => void) | { readonly text: string } | { readonly file: () => string };
  readonly messages: readonly string[];
}

function parametersFile(name: string, make: RejectedCase["make"]): string {
  if (typeof make !== "function") return "file" in make ? make.file() : writeTgeParameters(name, make.text);
  const raw = rawTgeParameters();
  make(raw);
  return writeTgeParameters(name, raw);
}

function problemsOf(error: Error): readonly string[] {
  if (!(error instanceof InputFileError)) throw error;
  return error.problems;
}

/** The deployer's nonce and the block number: what any sent transaction would change. */
async function chainState(): Promise<{ nonce: number; block: number }> {
  const [deployer] = await ethers.getSigners();
  if (deployer === undefined) throw new Error("the hardhat network has no account");
  return {
    nonce: await ethers.provider.getTransactionCount(deployer.address),
    block: await ethers.provider.getBlockNumber(),
  };
}

const ZERO_ADDRESS_CASES: readonly RejectedCase[] = [
  {
    title: "a line's address is the zero address",
    make: (raw) => {
      lineOf(raw, 6).recipient = { address: ZeroAddress };
    },
    messages: [`allocations[6] "Strategic Sale".recipient.address: ${ZERO_ADDRESS_PROBLEM}`],
  },
  {
    title: "a named account used by a line is the zero address",
    make: (raw) => {
      raw.accounts.strategicSale = ZeroAddress;
    },
    messages: [
      `allocations[6] "Strategic Sale".recipient: account "strategicSale" (accounts.strategicSale) ${ZERO_ADDRESS_PROBLEM}`,
    ],
  },
  {
    title: "the escrow account is the zero address",
    make: (raw) => {
      raw.accounts.tgeEscrow = ZeroAddress;
    },
    messages: [
      `escrow: account "tgeEscrow" (accounts.tgeEscrow) ${ZERO_ADDRESS_PROBLEM}`,
      ...[
        [0, "Staking Reward Pool", "RewardRatePool"],
        [3, "Oxen Coin Claims", "OxenClaimsBridge"],
        [4, "Service Node Bonus", "ServiceNodeRewards"],
        [9, "Testnet Incentive", "MerkleDistributor"],
      ].map(
        ([row, name, contract]) =>
          `allocations[${row}] "${name}".recipient: the line for ${contract} is held by the escrow account ` +
          `"tgeEscrow" (accounts.tgeEscrow), which ${ZERO_ADDRESS_PROBLEM}`,
      ),
    ],
  },
];

/** Every kind of parameter file the TGE refuses. */
const REJECTED_CASES: readonly RejectedCase[] = [
  ...ZERO_ADDRESS_CASES,
  {
    title: "the table sums to less than the supply",
    make: (raw) => {
      lineOf(raw, 1).amount = "42999999";
    },
    messages: ["allocations: the 10 lines sum to 239,999,999 SESH, 1 SESH short of the total supply"],
  },
  {
    title: "the table sums to more than the supply by one atom",
    make: (raw) => {
      lineOf(raw, 9).amount = "1000000.000000001";
    },
    messages: ["0.000000001 SESH more than the total supply of 240,000,000 SESH"],
  },
  {
    title: "a line's address is malformed",
    make: (raw) => {
      lineOf(raw, 6).recipient = { address: "0x12345" };
    },
    messages: ['allocations[6] "Strategic Sale".recipient.address: is not an address'],
  },
  {
    title: "a line's address has a wrong checksum",
    make: (raw) => {
      lineOf(raw, 6).recipient = { address: "0x70997970c51812dc3A010C7d01b50e0d17dc79C8" };
    },
    messages: ['allocations[6] "Strategic Sale".recipient.address: is not an address'],
  },
  {
    title: "a named account's address has a wrong checksum",
    make: (raw) => {
      raw.accounts.strategicSale = "0x70997970c51812dc3A010C7d01b50e0d17dc79C8";
    },
    messages: ['accounts.strategicSale: "0x70997970c51812dc3A010C7d01b50e0d17dc79C8" is not an address'],
  },
  {
    title: "an account set to the zero address is used by no line",
    make: (raw) => {
      raw.accounts.spare = ZeroAddress;
    },
    messages: [`accounts.spare: ${ZERO_ADDRESS_PROBLEM}`],
  },
  {
    title: "an amount is negative",
    make: (raw) => {
      lineOf(raw, 2).amount = "-33000000";
    },
    messages: ['allocations[2] "Treasury — Operational".amount: "-33000000" is negative'],
  },
  {
    title: "an amount is finer than an atom",
    make: (raw) => {
      lineOf(raw, 8).amount = "1000000.0000000001";
    },
    messages: ['allocations[8] "Treasury — Advisors".amount: "1000000.0000000001" is not a whole number of atoms'],
  },
  {
    title: "an amount is not a number",
    make: (raw) => {
      lineOf(raw, 8).amount = "1e6";
    },
    messages: ['allocations[8] "Treasury — Advisors".amount: "1e6" is not a decimal number of SESH'],
  },
  {
    title: "an amount is zero",
    make: (raw) => {
      lineOf(raw, 9).amount = "0";
      lineOf(raw, 8).amount = "2000000";
    },
    messages: ['allocations[9] "Testnet Incentive".amount: must be more than 0 SESH'],
  },
  {
    title: "two lines have the same name",
    make: (raw) => {
      lineOf(raw, 8).name = "treasury — contributors";
    },
    messages: ['allocations[8] "treasury — contributors": duplicate name, already used by allocations[7]'],
  },
  {
    title: "a line names an unknown account",
    make: (raw) => {
      lineOf(raw, 1).recipient = { account: "ecosystemFound" };
    },
    messages: ['allocations[1] "Ecosystem and Community Fund".recipient: account "ecosystemFound" is not defined'],
  },
  {
    title: "a line's account is not set yet",
    make: (raw) => {
      raw.accounts.treasuryAdvisors = null;
    },
    messages: [
      'allocations[8] "Treasury — Advisors".recipient: account "treasuryAdvisors" has no address yet: set accounts.treasuryAdvisors',
    ],
  },
  {
    title: "the escrow account is unknown",
    make: (raw) => {
      raw.escrow = "escrowAccount";
    },
    messages: ['escrow: account "escrowAccount" is not defined in "accounts"'],
  },
  {
    title: "an account index is beyond the network's accounts",
    make: (raw) => {
      raw.accounts.strategicSale = 99;
    },
    messages: ["accounts.strategicSale: local account index 99 does not exist on this network"],
  },
  {
    title: "a line names a contract the suite does not have",
    make: (raw) => {
      lineOf(raw, 0).recipient = { contract: "StakingPool" };
    },
    messages: ['allocations[0] "Staking Reward Pool".recipient.contract: '],
  },
  {
    title: "a line names two kinds of recipient",
    make: (raw) => {
      lineOf(raw, 1).recipient = { account: "ecosystemFund", contract: "RewardRatePool" };
    },
    messages: ['allocations[1] "Ecosystem and Community Fund".recipient: must name exactly one of'],
  },
  {
    title: "the table has no lines",
    make: (raw) => {
      raw.allocations = [];
    },
    messages: ["allocations: the table has no lines"],
  },
  {
    title: "the file is for another network",
    make: (raw) => {
      raw.network = "arbitrumOne";
    },
    messages: ['network: the file is for network "arbitrumOne" but the deployment runs on "hardhat"'],
  },
  {
    title: "the file is not JSON",
    make: { text: "{ allocations: " },
    messages: ["not valid JSON"],
  },
  {
    title: "the file does not exist",
    make: { file: () => path.join(os.tmpdir(), "no-such-folder-for-tge", "hardhat.json") },
    messages: ["cannot be read: there is no such file"],
  },
  {
    title: "the file is a folder",
    make: { file: () => mkdtempSync(path.join(os.tmpdir(), "tge-folder-")) },
    messages: ["cannot be read: it is a folder, not a file"],
  },
];

describe("TGE parameter validation (deploy/tge.ts)", function () {
  describe("finding 1: the TGE accepts the zero address and then fails half-way", function () {
    for (const { title, make, messages } of ZERO_ADDRESS_CASES) {
      describe(`when ${title}`, function () {
        it("rejects the file, naming every line it would pay", async function () {
          const file = parametersFile(`zero-${title}`, make);
          const error = await rejectionOf(deployTge(hre, { parametersFile: file }));
          expect([...problemsOf(error)].sort()).to.deep.equal([...messages].sort());
        });

        it("sends 0 transactions", async function () {
          const file = parametersFile(`zero-${title}`, make);
          const before = await chainState();
          await rejectionOf(deployTge(hre, { parametersFile: file }));
          expect(await chainState()).to.deep.equal(before);
        });
      });
    }
  });

  describe("with any rejected parameter file", function () {
    for (const { title, make, messages } of REJECTED_CASES) {
      describe(`when ${title}`, function () {
        it("fails with an input error naming the problem", async function () {
          const error = await rejectionOf(deployTge(hre, { parametersFile: parametersFile(title, make) }));
          expect(error).to.be.instanceOf(InputFileError);
          for (const message of messages) expect(error.message).to.include(message);
        });

        it("leaves the deployer's nonce and the block number unchanged", async function () {
          const file = parametersFile(title, make);
          const before = await chainState();
          await rejectionOf(deployTge(hre, { parametersFile: file }));
          expect(await chainState()).to.deep.equal(before);
        });
      });
    }
  });

  describe("amounts with more than 9 decimals, only trailing zeros", function () {
    it("reads 999999.5000000000 and 1000000.5000000000 as exact halves of SESH", async function () {
      const raw = rawTgeParameters();
      lineOf(raw, 8).amount = "999999.5000000000";
      lineOf(raw, 9).amount = "1000000.5000000000";
      const plan = await prepareTge(hre, { parametersFile: writeTgeParameters("trailing-zeros", raw) });
      expect(plan.lines[8]?.amount).to.equal(999_999n * ATOMS_PER_SESH + ATOMS_PER_SESH / 2n);
      expect(plan.lines[9]?.amount).to.equal(1_000_000n * ATOMS_PER_SESH + ATOMS_PER_SESH / 2n);
    });
  });
});

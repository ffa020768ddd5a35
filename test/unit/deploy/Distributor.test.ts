import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { id } from "ethers";
import hre, { ethers } from "hardhat";

import { deployDistributor, prepareDistributor } from "../../../deploy/distributor";
import DistributorModule from "../../../deploy/modules/Distributor";
import { deployTge, parametersFileFor } from "../../../deploy/tge";
import {
  loadDistributorParameters,
  NO_DEADLINE,
  NO_VESTING,
  SECONDS_PER_DAY,
} from "../../../lib/distribution/parameters";
import { InputFileError, PreconditionError } from "../../../lib/errors";
import { rejectionOf, thrownBy } from "../../helpers/errors";
import { chainState, networkFileWith, signerAddresses, unix, type RawNetworkFile } from "../../helpers/sections";

/** A campaign's root (any non-zero 32 bytes: the constructor does not read the tree). */
const ROOT = id("testnet awards campaign");
/** hardhat.json's distributor section. */
const HARDHAT_DEADLINE = "2026-05-21T00:00:00Z";
const HARDHAT_VESTING_START = "2025-05-21T00:00:00Z";
const HARDHAT_VESTING_DAYS = 180n;
const ECOSYSTEM_FUND = 1;
/** A well-formed, non-zero address, so that the check under test is the one that fails. */
const SOME_ADDRESS = "0x0000000000000000000000000000000000000001";

async function distributorFixture() {
  const tge = await deployTge(hre);
  const deployment = await deployDistributor(hre, { token: tge.seshAddress, merkleRoot: ROOT });
  return { tge, ...deployment };
}

function problemsOf(error: Error): readonly string[] {
  if (!(error instanceof InputFileError)) throw error;
  return error.problems;
}

describe("Merkle distributor (deploy/modules/Distributor.ts, deploy/distributor.ts)", function () {
  describe("deployed with the hardhat network's distributor section", function () {
    it("distributes the TGE's SESH over the campaign's root", async function () {
      const { distributor, tge, merkleRoot } = await loadFixture(distributorFixture);
      expect(await distributor.token()).to.equal(tge.seshAddress);
      expect(await distributor.merkleRoot()).to.equal(ROOT);
      expect(merkleRoot).to.equal(ROOT);
    });

    it("has the section's deadline and linear vesting", async function () {
      const { distributor } = await loadFixture(distributorFixture);
      expect(await distributor.claimDeadline()).to.equal(unix(HARDHAT_DEADLINE));
      expect(await distributor.vestingStart()).to.equal(unix(HARDHAT_VESTING_START));
      expect(await distributor.vestingDuration()).to.equal(HARDHAT_VESTING_DAYS * SECONDS_PER_DAY);
    });

    it("is owned by the section's owner, sweeps to its recipient, and holds nothing yet", async function () {
      const { distributor, distributorAddress, tge } = await loadFixture(distributorFixture);
      const signers = await signerAddresses();
      expect(await distributor.owner()).to.equal(signers[ECOSYSTEM_FUND]);
      expect(await distributor.sweepRecipient()).to.equal(signers[ECOSYSTEM_FUND]);
      expect(await tge.sesh.balanceOf(distributorAddress)).to.equal(0n);
      expect([...DistributorModule.futures].map((future) => future.id)).to.deep.equal([
        "Distributor#MerkleDistributor",
      ]);
    });

    it('pays awards in full and never closes with "none" and "never"', async function () {
      const { tge } = await loadFixture(distributorFixture);
      const file = networkFileWith("distributor-open", (raw) => {
        raw.distributor.claimDeadline = "never";
        raw.distributor.vesting = "none";
      });
      const { distributor } = await deployDistributor(hre, {
        token: tge.seshAddress,
        merkleRoot: ROOT,
        parametersFile: file,
      });
      expect(await distributor.claimDeadline()).to.equal(NO_DEADLINE);
      expect(await distributor.vestingStart()).to.equal(0n);
      expect(await distributor.vestingDuration()).to.equal(NO_VESTING);
    });
  });

  describe("refuses, before any transaction", function () {
    const cases: [string, { token?: string; merkleRoot?: string }, RegExp][] = [
      ["a malformed root", { merkleRoot: "0x1234" }, /^merkleRoot "0x1234" is not a Merkle root/],
      ["a zero root", { merkleRoot: ethers.ZeroHash }, /^merkleRoot is zero: no award could ever be claimed/],
      ["a token that is not an address", { token: "SESH" }, /^token "SESH" is not an address/],
      [
        "a token without a contract",
        { token: "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f" },
        /has no contract on network hardhat: deploy the TGE first/,
      ],
    ];
    for (const [title, options, message] of cases) {
      it(title, async function () {
        const before = await chainState();
        const error = await rejectionOf(
          deployDistributor(hre, { token: options.token ?? SOME_ADDRESS, merkleRoot: options.merkleRoot ?? ROOT }),
        );
        expect(error).to.be.instanceOf(PreconditionError);
        expect(error.message).to.match(message);
        expect(await chainState()).to.deep.equal(before);
      });
    }
  });

  describe("with a bad distributor section", function () {
    const cases: { title: string; mutate: (raw: RawNetworkFile) => void; problems: string[] }[] = [
      {
        title: "the deadline is not after the vesting's start",
        mutate: (raw) => {
          raw.distributor.claimDeadline = HARDHAT_VESTING_START;
        },
        problems: [
          "distributor.claimDeadline: 2025-05-21T00:00:00Z is not after the vesting's start 2025-05-21T00:00:00Z (distributor.vesting.start)",
        ],
      },
      {
        title: "the deadline has passed on the chain",
        mutate: (raw) => {
          raw.distributor.claimDeadline = "2024-05-01T00:00:00Z";
          raw.distributor.vesting = "none";
        },
        problems: ["distributor.claimDeadline: 2024-05-01T00:00:00Z is not after the chain's time 2024-06-01T"],
      },
      {
        title: "the deadline is not a date",
        mutate: (raw) => {
          raw.distributor.claimDeadline = "soon";
        },
        problems: [
          'distributor.claimDeadline: "soon" is not an ISO-8601 UTC date such as 2026-05-21T00:00:00Z, nor "never"',
        ],
      },
      {
        title: "the vesting lasts no day and has no start",
        mutate: (raw) => {
          raw.distributor.vesting = { durationDays: 0 };
        },
        problems: [
          "distributor.vesting.start: ",
          "distributor.vesting.durationDays: Too small: expected number to be >=1",
        ],
      },
      {
        title: "the vesting is neither an object nor none",
        mutate: (raw) => {
          raw.distributor.vesting = "linear";
        },
        problems: ['distributor.vesting: "linear" is neither { "start", "durationDays" } nor "none"'],
      },
      {
        title: "the owner is an address with a wrong checksum",
        mutate: (raw) => {
          raw.distributor.owner = { address: "0x23618e81e3f5cdF7f54C3d65f7FBc0aBf5B21E8f" };
        },
        problems: ["distributor.owner.address: is not an address"],
      },
      {
        title: "the sweep recipient names both an account and an address",
        mutate: (raw) => {
          raw.distributor.sweepRecipient = {
            account: "ecosystemFund",
            address: "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
          };
        },
        problems: ['distributor.sweepRecipient: must name exactly one of "account" or "address"'],
      },
    ];

    for (const { title, mutate, problems } of cases) {
      it(`when ${title}: names the field and the value, and sends nothing`, async function () {
        const file = networkFileWith(`distributor-${title}`, mutate);
        const before = await chainState();
        const error = await rejectionOf(
          deployDistributor(hre, { token: ethers.ZeroAddress, merkleRoot: ROOT, parametersFile: file }),
        );
        const found = problemsOf(error);
        expect(found, found.join("\n")).to.have.length(problems.length);
        problems.forEach((problem, index) => expect(found[index]).to.include(problem));
        expect(await chainState()).to.deep.equal(before);
      });
    }

    it("a file for another network", async function () {
      const file = networkFileWith("distributor-network", (raw) => {
        raw.network = "arbitrumOne";
      });
      const error = await rejectionOf(prepareDistributor(hre, { parametersFile: file }));
      expect(problemsOf(error)).to.deep.equal([
        'network: the file is for network "arbitrumOne" but the deployment runs on "hardhat"',
      ]);
    });
  });

  describe("the live networks' sections", function () {
    for (const network of ["arbitrumSepolia", "arbitrumOne"]) {
      it(`${network}.json is not ready: its accounts, deadline and vesting are not decided yet`, function () {
        const error = thrownBy(() => loadDistributorParameters(parametersFileFor(network), []));
        expect(problemsOf(error)).to.deep.equal([
          'distributor.owner: account "ecosystemFund" has no address yet: set accounts.ecosystemFund to its address',
          'distributor.sweepRecipient: account "ecosystemFund" has no address yet: set accounts.ecosystemFund to its address',
          'distributor.claimDeadline: not decided yet: write a date, or "never"',
          'distributor.vesting: not decided yet: write { "start", "durationDays" }, or "none"',
        ]);
      });
    }
  });
});

import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { getAddress, ZeroAddress } from "ethers";
import hre, { ethers } from "hardhat";

import { deployTge, prepareTge, tgeModuleParameters } from "../../../deploy/tge";
import { ATOMS_PER_SESH } from "../../../lib/amount";
import { InputFileError } from "../../../lib/errors";
import { lockupList, recipientTable, TERMINAL_COLUMNS, widestLine } from "../../../lib/tge/report";
import { rejectionOf } from "../../helpers/errors";
import { lineOf, rawTgeParameters, writeTgeParameters, type RawTgeParameters } from "../../helpers/tge";

const DAY = 86_400;
/** The Strategic Sale line of deploy/parameters/hardhat.json. */
const STRATEGIC_SALE_ROW = 6;
const STRATEGIC_SALE = "Strategic Sale";

function utc(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
}

interface RawHolder {
  name: string;
  beneficiary: Record<string, string>;
  revoker: Record<string, string> | null;
  staking: boolean;
  start?: string;
  cliff?: string;
  end: string;
  amount: string;
  transferableBeneficiary?: boolean;
}

/**
 * hardhat.json with its Strategic Sale line (12,822,450 SESH) paid into two vesting contracts: a staking one for the
 * strategicSale account, revocable by the ecosystem fund, and one without staking for an address, irrevocable.
 */
async function vestingTable(mutate: (holders: RawHolder[], raw: RawTgeParameters) => void = () => undefined) {
  const now = await time.latest();
  const raw = rawTgeParameters();
  const holders: RawHolder[] = [
    {
      name: "Fund A",
      beneficiary: { account: "strategicSale" },
      revoker: { account: "ecosystemFund" },
      staking: true,
      start: utc(now + 30 * DAY),
      end: utc(now + 365 * DAY),
      amount: "10000000",
    },
    {
      name: "Fund B",
      beneficiary: { address: "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f" },
      revoker: null,
      staking: false,
      cliff: utc(now + 90 * DAY),
      end: utc(now + 730 * DAY),
      amount: "2822450",
      transferableBeneficiary: true,
    },
  ];
  mutate(holders, raw);
  lineOf(raw, STRATEGIC_SALE_ROW).recipient = { vesting: holders };
  return { raw, holders, now };
}

async function vestingFixture() {
  const { raw } = await vestingTable();
  return deployTge(hre, { parametersFile: writeTgeParameters("vesting", raw) });
}

async function noStakingFixture() {
  const { raw } = await vestingTable((holders) => {
    const [staking] = holders;
    if (staking === undefined) throw new Error("no holder");
    staking.staking = false;
    staking.cliff = staking.start;
    delete staking.start;
  });
  return deployTge(hre, { parametersFile: writeTgeParameters("vesting-no-staking", raw) });
}

async function chainState() {
  const [deployer] = await ethers.getSigners();
  return {
    block: await ethers.provider.getBlockNumber(),
    nonce: await ethers.provider.getTransactionCount(deployer?.address ?? ""),
  };
}

describe("TGE with vesting lines (deploy/tge.ts, deploy/modules/TGE.ts)", function () {
  describe("a line paid into a staking and a non-staking vesting contract", function () {
    it("deploys one vesting contract per holder, in the table's order, of the holder's kind", async function () {
      const { vesting } = await loadFixture(vestingFixture);
      expect(vesting.map(({ holder }) => [holder.name, holder.contract])).to.deep.equal([
        ["Fund A", "TokenVestingStaking"],
        ["Fund B", "TokenVestingNoStaking"],
      ]);
    });

    it("funds each with its amount in the one split, and every balance check passes", async function () {
      const { vesting, sesh, checks, splitterAddress } = await loadFixture(vestingFixture);
      const [a, b] = vesting;
      expect(await sesh.balanceOf(a?.address ?? "")).to.equal(10_000_000n * ATOMS_PER_SESH);
      expect(await sesh.balanceOf(b?.address ?? "")).to.equal(2_822_450n * ATOMS_PER_SESH);
      expect(await sesh.balanceOf(splitterAddress)).to.equal(0n);
      expect(checks.filter((check) => !check.ok)).to.deep.equal([]);
      expect(checks.find((check) => check.address === a?.address)?.label).to.equal('vesting "Fund A"');
    });

    it("gives the staking holder's contract its schedule, its parties and the staking set the TGE deployed", async function () {
      const { vesting, staking, seshAddress, plan } = await loadFixture(vestingFixture);
      const [signers, holder] = [await ethers.getSigners(), vesting[0]];
      const contract = await ethers.getContractAt("TokenVestingStaking", holder?.address ?? "");
      expect(staking).to.not.equal(undefined);
      expect(await contract.beneficiary()).to.equal(signers[6]?.address);
      expect(await contract.revoker()).to.equal(signers[1]?.address);
      expect(await contract.start()).to.equal(BigInt(holder?.holder.from ?? 0));
      expect(await contract.end()).to.equal(BigInt(holder?.holder.end ?? 0));
      expect(await contract.transferableBeneficiary()).to.equal(false);
      expect(await contract.rewardsContract()).to.equal(staking?.rewardsAddress);
      expect(await contract.snContribFactory()).to.equal(staking?.factoryAddress);
      expect(await contract.SESH()).to.equal(seshAddress);
      expect(await staking?.rewards.stakingRequirement()).to.equal(plan.staking?.stakingRequirement);
      expect(await staking?.rewards.designatedToken()).to.equal(seshAddress);
    });

    it("gives the other holder's contract its cliff, its address, no revoker and a transferable beneficiary", async function () {
      const { vesting } = await loadFixture(vestingFixture);
      const holder = vesting[1];
      const contract = await ethers.getContractAt("TokenVestingNoStaking", holder?.address ?? "");
      expect(await contract.getBeneficiary()).to.equal(getAddress("0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f"));
      expect(await contract.getRevoker()).to.equal(ZeroAddress);
      expect(await contract.cliff()).to.equal(BigInt(holder?.holder.from ?? 0));
      expect(await contract.end()).to.equal(BigInt(holder?.holder.end ?? 0));
      expect(await contract.transferableBeneficiary()).to.equal(true);
    });

    it("deploys no staking set when no holder stakes", async function () {
      const { staking, vesting, checks } = await loadFixture(noStakingFixture);
      expect(staking).to.equal(undefined);
      expect(vesting.map(({ holder }) => holder.contract)).to.deep.equal([
        "TokenVestingNoStaking",
        "TokenVestingNoStaking",
      ]);
      expect(checks.filter((check) => !check.ok)).to.deep.equal([]);
    });

    it("lists each holder's schedule under its line, and the tables still fit a terminal", async function () {
      const { raw } = await vestingTable();
      const plan = await prepareTge(hre, { parametersFile: writeTgeParameters("vesting-report", raw) });
      const lockups = lockupList(plan);
      expect(lockups).to.match(/Fund A: 10,000,000 SESH in a TokenVestingStaking for 0x\w+, locked \(stakable from/);
      expect(lockups).to.match(/Fund B: 2,822,450 SESH in a TokenVestingNoStaking for 0x\w+, 20 % at .* irrevocable/);
      const recipients = recipientTable(plan);
      expect(recipients).to.include('vesting "Fund A"');
      expect(recipients).to.include("new TokenVestingNoStaking");
      expect(widestLine(recipients)).to.be.at.most(TERMINAL_COLUMNS);
    });

    it("cannot be written as parameters of the default module (its shape depends on the table)", async function () {
      const { raw } = await vestingTable();
      const plan = await prepareTge(hre, { parametersFile: writeTgeParameters("vesting-ignition", raw) });
      expect(() => tgeModuleParameters(plan)).to.throw(InputFileError, /the TGE deploys vesting contracts/);
    });
  });

  describe("with a bad vesting line", function () {
    const line = `allocations[${STRATEGIC_SALE_ROW}] "${STRATEGIC_SALE}".recipient.vesting`;
    const cases: {
      title: string;
      mutate: (holders: RawHolder[], raw: RawTgeParameters, now: number) => void;
      message: string;
      also?: string;
    }[] = [
      {
        title: "the holders sum to less than the line",
        mutate: (holders) => {
          if (holders[1] !== undefined) holders[1].amount = "2822449";
        },
        message: `${line}: the 2 holders sum to 12,822,449 SESH, 1 SESH short of the line's 12,822,450 SESH`,
      },
      {
        title: "the holders sum to more than the line",
        mutate: (holders) => {
          if (holders[0] !== undefined) holders[0].amount = "10000000.5";
        },
        message: `${line}: the 2 holders sum to 12,822,450.5 SESH, 0.5 SESH more than the line's 12,822,450 SESH`,
      },
      {
        title: "a holder's amount is zero",
        mutate: (holders) => {
          holders.push({ ...(holders[1] as RawHolder), name: "Nobody", amount: "0" });
        },
        message: `${line}[2] "Nobody".amount: must be more than 0 SESH`,
      },
      {
        title: "a staking holder gives a cliff",
        mutate: (holders) => {
          const holder = holders[0] as RawHolder;
          holder.cliff = holder.start;
        },
        message: `${line}[0].cliff: a staking vesting contract (staking: true) has no "cliff": use "start"`,
      },
      {
        title: "a holder without staking has no cliff",
        mutate: (holders) => {
          delete (holders[1] as RawHolder).cliff;
        },
        message: `${line}[1].cliff: a vesting contract without staking needs "cliff"`,
      },
      {
        title: "a start is after the end",
        mutate: (holders, _raw, now) => {
          (holders[0] as RawHolder).start = utc(now + 400 * DAY);
        },
        message: `${line}[0].start: `,
        also: "is after the end",
      },
      {
        title: "a staking holder's start is not in the future",
        mutate: (holders, _raw, now) => {
          (holders[0] as RawHolder).start = utc(now - DAY);
        },
        message: `${line}[0] "Fund A".start: `,
        also: "is not after the chain's time",
      },
      {
        title: "an end is in the past",
        mutate: (holders, _raw, now) => {
          const holder = holders[1] as RawHolder;
          holder.cliff = utc(now - 2 * DAY);
          holder.end = utc(now - DAY);
        },
        message: `${line}[1] "Fund B".end: `,
        also: "is not after the chain's time",
      },
      {
        title: "a date has no zone",
        mutate: (holders) => {
          (holders[1] as RawHolder).end = "2030-01-01T00:00:00";
        },
        message: `${line}[1].end: must be an ISO-8601 UTC date`,
      },
      {
        title: "a beneficiary names an account that is not defined",
        mutate: (holders) => {
          (holders[0] as RawHolder).beneficiary = { account: "nobody" };
        },
        message: `${line}[0] "Fund A".beneficiary: account "nobody" is not defined in "accounts"`,
      },
      {
        title: "a beneficiary is the zero address",
        mutate: (holders) => {
          (holders[1] as RawHolder).beneficiary = { address: ZeroAddress };
        },
        message: `${line}[1].beneficiary.address: is the zero address`,
      },
      {
        title: "a revoker names both an account and an address",
        mutate: (holders) => {
          (holders[0] as RawHolder).revoker = {
            account: "ecosystemFund",
            address: "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
          };
        },
        message: `${line}[0].revoker: must name exactly one of "account" or "address"`,
      },
      {
        title: "the line lists no holder",
        mutate: (holders) => {
          holders.splice(0, holders.length);
        },
        message: `${line}: lists no holder`,
      },
    ];

    for (const { title, mutate, message, also } of cases) {
      describe(`when ${title}`, function () {
        it("fails with a message naming the holder and the problem, and sends nothing", async function () {
          const now = await time.latest();
          const { raw } = await vestingTable((holders, table) => {
            mutate(holders, table, now);
          });
          const file = writeTgeParameters(`vesting-${title}`, raw);
          const before = await chainState();
          const error = await rejectionOf(deployTge(hre, { parametersFile: file }));
          expect(error).to.be.instanceOf(InputFileError);
          expect(error.message).to.include(message);
          if (also !== undefined) expect(error.message).to.include(also);
          expect(await chainState()).to.deep.equal(before);
        });
      });
    }
  });
});

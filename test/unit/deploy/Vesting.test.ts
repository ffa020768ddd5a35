import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import hre from "hardhat";

import { VestingModule, VestingStakingModule } from "../../../deploy/modules/Vesting";
import VestingStakingDefault from "../../../deploy/modules/VestingStaking";
import { deployStaking } from "../../../deploy/staking";
import { deployTge, parametersFileFor } from "../../../deploy/tge";
import { deployVesting, prepareVesting, vestingModuleFile } from "../../../deploy/vesting";
import { InputFileError, PreconditionError } from "../../../lib/errors";
import { loadVestingParameters } from "../../../lib/vesting/parameters";
import { rejectionOf, thrownBy } from "../../helpers/errors";
import { chainState, networkFileWith, signerAddresses, unix, type RawNetworkFile } from "../../helpers/sections";

/** hardhat.json's vesting section: accounts 5 (treasuryAdvisors), 4 (treasuryContributors), 1 (ecosystemFund). */
const ADVISOR = {
  name: "Advisor",
  beneficiary: 5,
  revoker: 1,
  cliff: "2026-05-21T00:00:00Z",
  end: "2028-05-21T00:00:00Z",
};
const CONTRIBUTOR = {
  name: "Contributor",
  beneficiary: 4,
  revoker: 1,
  start: "2026-05-21T00:00:00Z",
  end: "2027-05-21T00:00:00Z",
};

async function noStakingFixture() {
  return deployVesting(hre, { name: ADVISOR.name });
}

async function stakingFixture() {
  const tge = await deployTge(hre);
  const staking = await deployStaking(hre, { sesh: tge.seshAddress });
  const set = { rewards: staking.rewardsAddress, factory: staking.factoryAddress, sesh: tge.seshAddress };
  return { tge, staking, deployment: await deployVesting(hre, { name: CONTRIBUTOR.name, staking: set }) };
}

function problemsOf(error: Error): readonly string[] {
  if (!(error instanceof InputFileError)) throw error;
  return error.problems;
}

describe("Vesting contracts on their own (deploy/modules/Vesting.ts, deploy/vesting.ts)", function () {
  it("deploys the section's TokenVestingNoStaking with its parties, cliff and end", async function () {
    const deployment = await loadFixture(noStakingFixture);
    const signers = await signerAddresses();
    if (deployment.contract !== "TokenVestingNoStaking") throw new Error(`deployed a ${deployment.contract}`);
    const { vesting } = deployment;
    expect(await vesting.getBeneficiary()).to.equal(signers[ADVISOR.beneficiary]);
    expect(await vesting.getRevoker()).to.equal(signers[ADVISOR.revoker]);
    expect(await vesting.cliff()).to.equal(unix(ADVISOR.cliff));
    expect(await vesting.end()).to.equal(unix(ADVISOR.end));
    expect(await vesting.transferableBeneficiary()).to.equal(false);
    expect(vestingModuleFile(deployment.parameters)).to.equal("deploy/modules/Vesting.ts");
  });

  it("deploys the section's TokenVestingStaking through the staking set given", async function () {
    const { deployment, staking, tge } = await loadFixture(stakingFixture);
    const signers = await signerAddresses();
    if (deployment.contract !== "TokenVestingStaking") throw new Error(`deployed a ${deployment.contract}`);
    const { vesting } = deployment;
    expect(await vesting.beneficiary()).to.equal(signers[CONTRIBUTOR.beneficiary]);
    expect(await vesting.revoker()).to.equal(signers[CONTRIBUTOR.revoker]);
    expect(await vesting.start()).to.equal(unix(CONTRIBUTOR.start));
    expect(await vesting.end()).to.equal(unix(CONTRIBUTOR.end));
    expect(await vesting.transferableBeneficiary()).to.equal(true);
    expect(await vesting.rewardsContract()).to.equal(staking.rewardsAddress);
    expect(await vesting.snContribFactory()).to.equal(staking.factoryAddress);
    expect(await vesting.SESH()).to.equal(tge.seshAddress);
    expect(vestingModuleFile(deployment.parameters)).to.equal("deploy/modules/VestingStaking.ts");
  });

  it("has one module per contract, each one future; VestingStaking.ts is the staking one", function () {
    expect([VestingModule.id, VestingStakingModule.id]).to.deep.equal(["Vesting", "VestingStaking"]);
    expect([...VestingModule.futures].map((future) => future.id)).to.deep.equal(["Vesting#TokenVestingNoStaking"]);
    expect([...VestingStakingModule.futures].map((future) => future.id)).to.deep.equal([
      "VestingStaking#TokenVestingStaking",
    ]);
    expect(VestingStakingDefault).to.equal(VestingStakingModule);
  });

  it("deploys an irrevocable contract for an address", async function () {
    const beneficiary = "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f";
    const file = networkFileWith("vesting-irrevocable", (raw) => {
      raw.vesting = [{ ...(raw.vesting[0] ?? {}), beneficiary: { address: beneficiary }, revoker: null }];
    });
    const deployment = await deployVesting(hre, { parametersFile: file });
    if (deployment.contract !== "TokenVestingNoStaking") throw new Error(`deployed a ${deployment.contract}`);
    expect(await deployment.vesting.getBeneficiary()).to.equal(beneficiary);
    expect(await deployment.vesting.getRevoker()).to.equal(ZeroAddress);
  });

  describe("refuses, before any transaction", function () {
    const set = { rewards: ZeroAddress, factory: ZeroAddress, sesh: ZeroAddress };
    const preconditions: [string, Parameters<typeof deployVesting>[1], RegExp][] = [
      [
        "a staking contract without a staking set",
        { name: CONTRIBUTOR.name },
        /is a TokenVestingStaking .*give the rewards contract/,
      ],
      [
        "a staking set for a contract that does not stake",
        { name: ADVISOR.name, staking: set },
        /takes no staking set/,
      ],
      [
        "a staking set of zero addresses",
        { name: CONTRIBUTOR.name, staking: set },
        /^rewards "0x0{40}" is the zero address/,
      ],
      [
        "a staking set without contracts",
        {
          name: CONTRIBUTOR.name,
          staking: {
            ...set,
            rewards: "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
            factory: "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
            sesh: "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
          },
        },
        /^rewards 0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f has no contract on network hardhat/,
      ],
    ];
    for (const [title, options, message] of preconditions) {
      it(title, async function () {
        const before = await chainState();
        const error = await rejectionOf(deployVesting(hre, options));
        expect(error).to.be.instanceOf(PreconditionError);
        expect(error.message).to.match(message);
        expect(await chainState()).to.deep.equal(before);
      });
    }

    const cases: { title: string; name?: string; mutate: (raw: RawNetworkFile) => void; problems: string[] }[] = [
      {
        title: "no name when the section lists two contracts",
        mutate: () => undefined,
        problems: ['vesting: name the contract to deploy (the section lists "Advisor", "Contributor")'],
      },
      {
        title: "a name the section does not list",
        name: "Adviser",
        mutate: () => undefined,
        problems: ['vesting: no contract is named "Adviser" (the section lists "Advisor", "Contributor")'],
      },
      {
        title: "two contracts with the same name",
        name: "Advisor",
        mutate: (raw) => {
          raw.vesting = [raw.vesting[0] ?? {}, { ...(raw.vesting[1] ?? {}), name: "advisor" }];
        },
        problems: ['vesting[1] "advisor": duplicate name of vesting[0]'],
      },
      {
        title: "a staking contract that gives a cliff, after its end",
        name: "Contributor",
        mutate: (raw) => {
          const contributor = raw.vesting[1] ?? {};
          contributor.cliff = "2029-01-01T00:00:00Z";
          contributor.start = "2029-01-01T00:00:00Z";
        },
        problems: [
          'vesting[1].cliff: a staking vesting contract (staking: true) has no "cliff": use "start"',
          "vesting[1].start: 2029-01-01T00:00:00.000Z is after the end 2027-05-21T00:00:00.000Z",
        ],
      },
      {
        title: "a staking contract that starts before the chain's time",
        name: "Contributor",
        mutate: (raw) => {
          (raw.vesting[1] ?? {}).start = "2024-01-01T00:00:00Z";
        },
        problems: ['vesting[1] "Contributor".start: 2024-01-01T00:00:00Z is not after the chain\'s time 2024-06-01T'],
      },
      {
        title: "a beneficiary account without an address",
        name: "Advisor",
        mutate: (raw) => {
          raw.accounts.treasuryAdvisors = null;
        },
        problems: [
          'vesting[0] "Advisor".beneficiary: account "treasuryAdvisors" has no address yet: set accounts.treasuryAdvisors to its address',
        ],
      },
      {
        title: "a contract with an amount (the TGE funds a vesting line's holders, not this section)",
        name: "Advisor",
        mutate: (raw) => {
          (raw.vesting[0] ?? {}).amount = "1000";
        },
        problems: ['vesting[0]: Unrecognized key: "amount"'],
      },
    ];
    for (const { title, name, mutate, problems } of cases) {
      it(`${title}: names the contract and the field`, async function () {
        const file = networkFileWith(`vesting-${title}`, mutate);
        const before = await chainState();
        const error = await rejectionOf(
          deployVesting(hre, { ...(name === undefined ? {} : { name }), parametersFile: file }),
        );
        const found = problemsOf(error);
        expect(found, found.join("\n")).to.have.length(problems.length);
        problems.forEach((problem, index) => expect(found[index]).to.include(problem));
        expect(await chainState()).to.deep.equal(before);
      });
    }

    for (const network of ["arbitrumSepolia", "arbitrumOne"]) {
      it(`${network}.json lists no vesting contract yet`, function () {
        const error = thrownBy(() => loadVestingParameters(parametersFileFor(network), [], "Advisor"));
        expect(problemsOf(error)).to.deep.equal(["vesting: the section lists no vesting contract"]);
      });
    }

    it("a file for another network", async function () {
      const file = networkFileWith("vesting-network", () => undefined, "arbitrumOne");
      const error = await rejectionOf(prepareVesting(hre, { parametersFile: file }));
      expect(problemsOf(error)).to.deep.equal([
        'network: the file is for network "arbitrumOne" but the deployment runs on "hardhat"',
      ]);
    });
  });
});

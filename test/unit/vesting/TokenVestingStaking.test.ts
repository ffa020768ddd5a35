import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { getCreateAddress, MaxUint256, ZeroAddress, type ContractTransactionResponse } from "ethers";
import { ethers } from "hardhat";

import type {
  ReentrantToken__Mock,
  ServiceNodeContribution,
  StakingSet__MockForTokenVestingStaking,
  WrappedOxen__Mock,
} from "../../../typechain-types";
import { restoreChainAfterSuite } from "../../helpers/chain";
import { loadStakingFixture } from "../../helpers/staking";
import { contribute, open } from "../contribution/helpers";
import { at, DAY, ED_BASE, keyOf, NO_SIGNATURE, nodeParams, popOf, SESH } from "../rewards/fixtures";
import {
  deployVesting,
  LOCK,
  nextBlockAt,
  START_DELAY,
  vestingArgs,
  vestingFixtures,
  withVesting,
  type VestingFixture,
  type VestingOptions,
} from "./stakingFixtures";

const { vestingFixture, fixedVestingFixture, startedFixture } = vestingFixtures();

/** The network node the solo registrations use, and its ed25519 key. */
const NODE = 0;
const ED25519 = ED_BASE + BigInt(NODE);
/** What the mock staking set's registrations and contributions leave of their allowance. */
const SHORTFALL = 7n;
/** An amount of wOXEN sent to the vesting: release and revoke pay any token. */
const OTHER_TOKEN_AMOUNT = 5_000n * SESH;

/** The reference schedule: nothing before the end, the whole balance from the end on. */
function vestedReference(balance: bigint, end: bigint, timestamp: bigint): bigint {
  return timestamp < end ? 0n : balance;
}

/** The fixture, the vesting revoked by its revoker (before the start). */
async function revoked(): Promise<VestingFixture> {
  const f = await loadStakingFixture(vestingFixture);
  await (await f.vesting.connect(f.revoker).revoke(await f.sesh.getAddress())).wait();
  return f;
}

/** A wOXEN test token holding OTHER_TOKEN_AMOUNT for the vesting. */
async function otherToken(f: VestingFixture): Promise<WrappedOxen__Mock> {
  const token = await ethers.deployContract("WrappedOxen__Mock");
  await (await token.mint(f.vestingAddress, OTHER_TOKEN_AMOUNT)).wait();
  return token;
}

/** The mock staking set (rewards contract, factory and contribution at once) over the fixture's SESH. */
async function mockSet(f: VestingFixture): Promise<StakingSet__MockForTokenVestingStaking> {
  return ethers.deployContract("StakingSet__MockForTokenVestingStaking", [
    await f.sesh.getAddress(),
    f.parameters.stakingRequirement,
  ]);
}

/** A contribution contract of the factory (node 1, staker 0 its operator) open for public contributions. */
async function openContribution(f: VestingFixture): Promise<ServiceNodeContribution> {
  const contribution = await open(f, { node: 1 });
  await (await contribute(f, contribution, at(f.stakers, 0), f.parameters.stakingRequirement / 4n)).wait();
  return contribution;
}

/** The staking functions, each called by `caller` with arguments that pass its own checks' order. */
const STAKING_CALLS: readonly {
  readonly name: string;
  readonly call: (f: VestingFixture, caller: HardhatEthersSigner) => Promise<ContractTransactionResponse>;
}[] = [
  {
    name: "addBLSPublicKey",
    call: (f, caller) =>
      f.vesting.connect(caller).addBLSPublicKey(keyOf(f, NODE), NO_SIGNATURE, nodeParams(ED25519), ZeroAddress),
  },
  { name: "initiateExitBLSPublicKey", call: (f, caller) => f.vesting.connect(caller).initiateExitBLSPublicKey(1n) },
  { name: "claimRewards()", call: (f, caller) => f.vesting.connect(caller)["claimRewards()"]() },
  { name: "claimRewards(uint256)", call: (f, caller) => f.vesting.connect(caller)["claimRewards(uint256)"](SESH) },
  {
    name: "contributeFunds",
    call: (f, caller) => f.vesting.connect(caller).contributeFunds(f.other.address, SESH, ZeroAddress),
  },
  {
    name: "withdrawContribution",
    call: (f, caller) => f.vesting.connect(caller).withdrawContribution(f.other.address),
  },
  {
    name: "updateBeneficiary",
    call: (f, caller) => f.vesting.connect(caller).updateBeneficiary(f.other.address, ZeroAddress),
  },
];

describe("TokenVestingStaking", function () {
  restoreChainAfterSuite();

  describe("#constructor", function () {
    it("records the parties, the schedule and the staking set", async function () {
      const f = await loadStakingFixture(vestingFixture);
      expect(await f.vesting.beneficiary()).to.equal(f.beneficiary.address);
      expect(await f.vesting.revoker()).to.equal(f.revoker.address);
      expect(await f.vesting.transferableBeneficiary()).to.equal(true);
      expect(f.end - f.start).to.equal(LOCK);
      expect(await f.vesting.revoked()).to.equal(false);
      expect(await f.vesting.SESH()).to.equal(await f.sesh.getAddress());
      expect(await f.vesting.rewardsContract()).to.equal(f.rewardsAddress);
      expect(await f.vesting.snContribFactory()).to.equal(f.factoryAddress);
    });

    it("records a vesting that cannot be revoked and whose beneficiary cannot be transferred", async function () {
      const f = await loadStakingFixture(fixedVestingFixture);
      expect(await f.vesting.revoker()).to.equal(ZeroAddress);
      expect(await f.vesting.transferableBeneficiary()).to.equal(false);
    });

    it("emits BeneficiaryTransferred(0, beneficiary) and RevokerTransferred(0, revoker)", async function () {
      const f = await loadStakingFixture(startedFixture);
      const vesting = await deployVesting(f);
      const { beneficiary, revoker } = await withVesting(f, 0n);
      const deployment = vesting.deploymentTransaction();
      if (deployment === null) throw new Error("no deployment transaction");
      await expect(deployment)
        .to.emit(vesting, "BeneficiaryTransferred")
        .withArgs(ZeroAddress, beneficiary.address)
        .and.to.emit(vesting, "RevokerTransferred")
        .withArgs(ZeroAddress, revoker.address);
    });

    it("emits no RevokerTransferred for a vesting without revoker", async function () {
      const f = await loadStakingFixture(startedFixture);
      const vesting = await deployVesting(f, { revoker: ZeroAddress });
      const deployment = vesting.deploymentTransaction();
      if (deployment === null) throw new Error("no deployment transaction");
      await expect(deployment)
        .to.emit(vesting, "BeneficiaryTransferred")
        .and.not.to.emit(vesting, "RevokerTransferred");
    });

    it("accepts a start equal to the end, one second in the future", async function () {
      const f = await loadStakingFixture(startedFixture);
      const next = BigInt(await time.latest()) + 1n;
      await nextBlockAt(next);
      const vesting = await deployVesting(f, { start: next + 1n, end: next + 1n });
      expect([await vesting.start(), await vesting.end()]).to.deep.equal([next + 1n, next + 1n]);
    });

    it("reverts InvalidBeneficiary(0) for the zero beneficiary", async function () {
      const f = await loadStakingFixture(startedFixture);
      const factory = await ethers.getContractFactory("TokenVestingStaking");
      await expect(factory.deploy(...(await vestingArgs(f, { beneficiary: ZeroAddress }))))
        .to.be.revertedWithCustomError(factory, "InvalidBeneficiary")
        .withArgs(ZeroAddress);
    });

    it("reverts InvalidBeneficiary(itself) and InvalidRevoker(itself) for its own address", async function () {
      const f = await loadStakingFixture(startedFixture);
      const [deployer] = await ethers.getSigners();
      if (deployer === undefined) throw new Error("no accounts");
      const factory = await ethers.getContractFactory("TokenVestingStaking", deployer);
      // The address the next deployment gets (a reverted deployment is mined too, and uses up its nonce).
      const itself = async () => getCreateAddress({ from: deployer.address, nonce: await deployer.getNonce() });
      const asBeneficiary = await itself();
      await expect(factory.deploy(...(await vestingArgs(f, { beneficiary: asBeneficiary }))))
        .to.be.revertedWithCustomError(factory, "InvalidBeneficiary")
        .withArgs(asBeneficiary);
      const asRevoker = await itself();
      await expect(factory.deploy(...(await vestingArgs(f, { revoker: asRevoker }))))
        .to.be.revertedWithCustomError(factory, "InvalidRevoker")
        .withArgs(asRevoker);
    });

    it("reverts StartAfterEnd(start, end) for a start one second after the end", async function () {
      const f = await loadStakingFixture(startedFixture);
      const factory = await ethers.getContractFactory("TokenVestingStaking");
      const start = BigInt(await time.latest()) + START_DELAY;
      await expect(factory.deploy(...(await vestingArgs(f, { start, end: start - 1n }))))
        .to.be.revertedWithCustomError(factory, "StartAfterEnd")
        .withArgs(start, start - 1n);
    });

    it("reverts StartNotInFuture(start, now) for a start at the block's time or before", async function () {
      const f = await loadStakingFixture(startedFixture);
      const factory = await ethers.getContractFactory("TokenVestingStaking");
      for (const back of [0n, 1n]) {
        const next = BigInt(await time.latest()) + 1n;
        const args = await vestingArgs(f, { start: next - back, end: next + LOCK });
        await nextBlockAt(next);
        await expect(factory.deploy(...args))
          .to.be.revertedWithCustomError(factory, "StartNotInFuture")
          .withArgs(next - back, next);
      }
    });

    it("reverts NotAContract(address) for a rewards contract, a factory or a token without code", async function () {
      const f = await loadStakingFixture(startedFixture);
      const factory = await ethers.getContractFactory("TokenVestingStaking");
      const account = at(f.stakers, 5).address;
      const cases: readonly [VestingOptions, string][] = [
        [{ rewards: account }, account],
        [{ factory: account }, account],
        [{ sesh: account }, account],
        [{ rewards: ZeroAddress }, ZeroAddress],
      ];
      for (const [options, address] of cases) {
        await expect(factory.deploy(...(await vestingArgs(f, options))))
          .to.be.revertedWithCustomError(factory, "NotAContract")
          .withArgs(address);
      }
    });

    it("reverts TokenMismatch(sesh, designatedToken) for a token the rewards contract does not stake", async function () {
      const f = await loadStakingFixture(startedFixture);
      const factory = await ethers.getContractFactory("TokenVestingStaking");
      const wrong = await (await ethers.deployContract("WrappedOxen__Mock")).getAddress();
      await expect(factory.deploy(...(await vestingArgs(f, { sesh: wrong }))))
        .to.be.revertedWithCustomError(factory, "TokenMismatch")
        .withArgs(wrong, await f.sesh.getAddress());
    });

    it("reverts FactoryRewardsMismatch(factoryRewards, rewards) for a factory of another rewards contract", async function () {
      const f = await loadStakingFixture(startedFixture);
      const factory = await ethers.getContractFactory("TokenVestingStaking");
      const other = await ethers.deployContract("StakingSet__MockForTokenVestingStaking", [
        await f.sesh.getAddress(),
        f.parameters.stakingRequirement,
      ]);
      const otherAddress = await other.getAddress();
      await expect(factory.deploy(...(await vestingArgs(f, { factory: otherAddress }))))
        .to.be.revertedWithCustomError(factory, "FactoryRewardsMismatch")
        .withArgs(otherAddress, f.rewardsAddress);
    });
  });

  describe("the schedule (a cliff at the end)", function () {
    it("vests nothing before the end and the whole balance from the end on, as the reference", async function () {
      const f = await loadStakingFixture(vestingFixture);
      const sesh = await f.sesh.getAddress();
      const timestamps = [0n, f.start - 1n, f.start, f.end - 1n, f.end, f.end + 1n, MaxUint256];
      for (const timestamp of timestamps) {
        expect(await f.vesting.vestedAmount(sesh, timestamp), `at ${timestamp}`).to.equal(
          vestedReference(f.funded, f.end, timestamp),
        );
      }
    });

    for (const offset of [-1n, 0n, 1n]) {
      const when = offset === 0n ? "at the end" : offset < 0n ? "one second before the end" : "one second after it";
      it(`${offset < 0n ? "releases nothing" : "releases everything"} ${when}`, async function () {
        const f = await loadStakingFixture(vestingFixture);
        const sesh = await f.sesh.getAddress();
        const at = f.end + offset;
        await time.increaseTo(at - 1n);
        expect(await f.vesting.releasable(sesh)).to.equal(vestedReference(f.funded, f.end, at - 1n));
        await nextBlockAt(at);
        const release = f.vesting.connect(f.beneficiary).release(sesh);
        if (offset < 0n) {
          await expect(release).to.be.revertedWithCustomError(f.vesting, "VestingNotEnded").withArgs(at, f.end);
        } else {
          await expect(release).to.changeTokenBalances(f.sesh, [f.vesting, f.beneficiary], [-f.funded, f.funded]);
          expect(await f.vesting.releasable(sesh)).to.equal(0n);
        }
      });
    }

    it("makes nothing releasable once revoked, after the end too", async function () {
      const f = await revoked();
      await time.increaseTo(f.end);
      const sesh = await f.sesh.getAddress();
      expect(await f.vesting.vestedAmount(sesh, f.end)).to.equal(f.funded);
      expect(await f.vesting.releasable(sesh)).to.equal(0n);
    });
  });

  describe("#release", function () {
    it("reverts CallerNotBeneficiary(caller, beneficiary) for the revoker or anyone else", async function () {
      const f = await loadStakingFixture(vestingFixture);
      await time.increaseTo(f.end);
      for (const caller of [f.revoker, f.other]) {
        await expect(f.vesting.connect(caller).release(await f.sesh.getAddress()))
          .to.be.revertedWithCustomError(f.vesting, "CallerNotBeneficiary")
          .withArgs(caller.address, f.beneficiary.address);
      }
    });

    it("reverts VestingNotEnded(now, end) for the beneficiary before the start", async function () {
      const f = await loadStakingFixture(vestingFixture);
      const now = f.start - 1n;
      await nextBlockAt(now);
      await expect(f.vesting.connect(f.beneficiary).release(await f.sesh.getAddress()))
        .to.be.revertedWithCustomError(f.vesting, "VestingNotEnded")
        .withArgs(now, f.end);
    });

    it("reverts VestingRevoked(revoker) once revoked, after the end too", async function () {
      const f = await revoked();
      await time.increaseTo(f.end + DAY);
      await expect(f.vesting.connect(f.beneficiary).release(await f.sesh.getAddress()))
        .to.be.revertedWithCustomError(f.vesting, "VestingRevoked")
        .withArgs(f.revoker.address);
    });

    it("reverts NothingToRelease(token) for a token it does not hold", async function () {
      const f = await loadStakingFixture(vestingFixture);
      const token = await ethers.deployContract("WrappedOxen__Mock");
      await time.increaseTo(f.end);
      await expect(f.vesting.connect(f.beneficiary).release(await token.getAddress()))
        .to.be.revertedWithCustomError(f.vesting, "NothingToRelease")
        .withArgs(await token.getAddress());
    });

    it("pays the whole balance to the beneficiary and emits TokensReleased(token, amount)", async function () {
      const f = await loadStakingFixture(vestingFixture);
      await time.increaseTo(f.end);
      const release = f.vesting.connect(f.beneficiary).release(await f.sesh.getAddress());
      await expect(release)
        .to.emit(f.vesting, "TokensReleased")
        .withArgs(await f.sesh.getAddress(), f.funded);
      await expect(release).to.changeTokenBalances(f.sesh, [f.vesting, f.beneficiary], [-f.funded, f.funded]);
    });

    it("pays any token, not only SESH", async function () {
      const f = await loadStakingFixture(vestingFixture);
      const token = await otherToken(f);
      await time.increaseTo(f.end);
      await expect(f.vesting.connect(f.beneficiary).release(await token.getAddress()))
        .to.emit(f.vesting, "TokensReleased")
        .withArgs(await token.getAddress(), OTHER_TOKEN_AMOUNT);
      expect(await token.balanceOf(f.beneficiary.address)).to.equal(OTHER_TOKEN_AMOUNT);
      expect(await token.balanceOf(f.vestingAddress)).to.equal(0n);
      expect(await f.sesh.balanceOf(f.vestingAddress)).to.equal(f.funded);
    });

    it("pays again what arrives after a first release", async function () {
      const f = await loadStakingFixture(vestingFixture);
      const sesh = await f.sesh.getAddress();
      await time.increaseTo(f.end);
      await (await f.vesting.connect(f.beneficiary).release(sesh)).wait();
      const later = 3n * SESH;
      await (await f.sesh.connect(at(f.stakers, 6)).transfer(f.vestingAddress, later)).wait();
      await expect(f.vesting.connect(f.beneficiary).release(sesh))
        .to.emit(f.vesting, "TokensReleased")
        .withArgs(sesh, later);
    });
  });

  describe("#revoke", function () {
    it("reverts CallerNotRevoker(caller, revoker) for the beneficiary or anyone else", async function () {
      const f = await loadStakingFixture(vestingFixture);
      for (const caller of [f.beneficiary, f.other]) {
        await expect(f.vesting.connect(caller).revoke(await f.sesh.getAddress()))
          .to.be.revertedWithCustomError(f.vesting, "CallerNotRevoker")
          .withArgs(caller.address, f.revoker.address);
      }
    });

    it("reverts CallerNotRevoker(caller, 0) for everyone on a vesting without revoker", async function () {
      const f = await loadStakingFixture(fixedVestingFixture);
      for (const caller of [f.revoker, f.beneficiary]) {
        await expect(f.vesting.connect(caller).revoke(await f.sesh.getAddress()))
          .to.be.revertedWithCustomError(f.vesting, "CallerNotRevoker")
          .withArgs(caller.address, ZeroAddress);
      }
    });

    it("revokes before the start, emits TokenVestingRevoked(token) and moves nothing", async function () {
      const f = await loadStakingFixture(vestingFixture);
      const sesh = await f.sesh.getAddress();
      const revoke = f.vesting.connect(f.revoker).revoke(sesh);
      await expect(revoke).to.emit(f.vesting, "TokenVestingRevoked").withArgs(sesh);
      await expect(revoke).to.changeTokenBalances(f.sesh, [f.vesting, f.revoker], [0n, 0n]);
      expect(await f.vesting.revoked()).to.equal(true);
    });

    it("revokes one second before the end", async function () {
      const f = await loadStakingFixture(vestingFixture);
      await nextBlockAt(f.end - 1n);
      await expect(f.vesting.connect(f.revoker).revoke(await f.sesh.getAddress())).to.emit(
        f.vesting,
        "TokenVestingRevoked",
      );
    });

    it("reverts VestingEnded(now, end) from the end on, on a vesting not revoked", async function () {
      const f = await loadStakingFixture(vestingFixture);
      for (const now of [f.end, f.end + 1n]) {
        await nextBlockAt(now);
        await expect(f.vesting.connect(f.revoker).revoke(await f.sesh.getAddress()))
          .to.be.revertedWithCustomError(f.vesting, "VestingEnded")
          .withArgs(now, f.end);
      }
    });

    it("once revoked, reverts VestingNotEnded(now, end) one second before the end", async function () {
      const f = await revoked();
      await nextBlockAt(f.end - 1n);
      await expect(f.vesting.connect(f.revoker).revoke(await f.sesh.getAddress()))
        .to.be.revertedWithCustomError(f.vesting, "VestingNotEnded")
        .withArgs(f.end - 1n, f.end);
    });

    it("once revoked, pays the revoker the whole balance at the end and emits TokensRevokedReleased", async function () {
      const f = await revoked();
      const sesh = await f.sesh.getAddress();
      await nextBlockAt(f.end);
      const revoke = f.vesting.connect(f.revoker).revoke(sesh);
      await expect(revoke).to.emit(f.vesting, "TokensRevokedReleased").withArgs(sesh, f.funded);
      await expect(revoke).to.changeTokenBalances(f.sesh, [f.vesting, f.revoker], [-f.funded, f.funded]);
    });

    it("once revoked, pays any token and pays again what arrives later", async function () {
      const f = await revoked();
      const token = await otherToken(f);
      await time.increaseTo(f.end);
      await expect(f.vesting.connect(f.revoker).revoke(await token.getAddress()))
        .to.emit(f.vesting, "TokensRevokedReleased")
        .withArgs(await token.getAddress(), OTHER_TOKEN_AMOUNT);
      await (await token.mint(f.vestingAddress, SESH)).wait();
      await expect(f.vesting.connect(f.revoker).revoke(await token.getAddress())).to.changeTokenBalances(
        token,
        [f.vesting, f.revoker],
        [-SESH, SESH],
      );
    });

    it("once revoked and paid out, reverts NothingToRelease(token)", async function () {
      const f = await revoked();
      const sesh = await f.sesh.getAddress();
      await time.increaseTo(f.end);
      await (await f.vesting.connect(f.revoker).revoke(sesh)).wait();
      await expect(f.vesting.connect(f.revoker).revoke(sesh))
        .to.be.revertedWithCustomError(f.vesting, "NothingToRelease")
        .withArgs(sesh);
    });
  });

  describe("the staking functions' checks", function () {
    for (const { name, call } of STAKING_CALLS) {
      describe(`#${name}`, function () {
        it("reverts CallerNotBeneficiary(caller, beneficiary) for anyone but the beneficiary", async function () {
          const f = await loadStakingFixture(vestingFixture);
          await time.increaseTo(f.start);
          for (const caller of [f.revoker, f.other]) {
            await expect(call(f, caller))
              .to.be.revertedWithCustomError(f.vesting, "CallerNotBeneficiary")
              .withArgs(caller.address, f.beneficiary.address);
          }
        });

        it("reverts VestingNotStarted(now, start) for the beneficiary one second before the start", async function () {
          const f = await loadStakingFixture(vestingFixture);
          await nextBlockAt(f.start - 1n);
          await expect(call(f, f.beneficiary))
            .to.be.revertedWithCustomError(f.vesting, "VestingNotStarted")
            .withArgs(f.start - 1n, f.start);
        });

        it("reverts CallerNotRevoker(beneficiary, revoker) for the beneficiary once revoked", async function () {
          const f = await revoked();
          await time.increaseTo(f.start);
          await expect(call(f, f.beneficiary))
            .to.be.revertedWithCustomError(f.vesting, "CallerNotRevoker")
            .withArgs(f.beneficiary.address, f.revoker.address);
        });

        it("reverts VestingNotStarted(now, start) for the revoker before the start, once revoked", async function () {
          const f = await revoked();
          await nextBlockAt(f.start - 1n);
          await expect(call(f, f.revoker))
            .to.be.revertedWithCustomError(f.vesting, "VestingNotStarted")
            .withArgs(f.start - 1n, f.start);
        });
      });
    }

    it("let the beneficiary through at the start: each call reaches the rewards contract or the factory", async function () {
      const f = await loadStakingFixture(vestingFixture);
      await nextBlockAt(f.start);
      const [addKey, exit, claimAll, claim, contributeCall, withdrawCall, updateCall] = STAKING_CALLS.map(
        ({ call }) => call,
      );
      if (!addKey || !exit || !claimAll || !claim || !contributeCall || !withdrawCall || !updateCall) {
        throw new Error("calls");
      }
      await expect(addKey(f, f.beneficiary)).to.be.revertedWithCustomError(f.rewards, "InvalidBLSProofOfPossession");
      await expect(exit(f, f.beneficiary))
        .to.be.revertedWithCustomError(f.rewards, "ServiceNodeDoesntExist")
        .withArgs(1n);
      await expect(claimAll(f, f.beneficiary)).to.emit(f.rewards, "RewardsClaimed").withArgs(f.vestingAddress, 0n);
      await expect(claim(f, f.beneficiary)).to.be.revertedWithCustomError(f.rewards, "MaxClaimExceeded");
      for (const call of [contributeCall, withdrawCall, updateCall]) {
        await expect(call(f, f.beneficiary))
          .to.be.revertedWithCustomError(f.vesting, "ContributionNotFromFactory")
          .withArgs(f.other.address, f.factoryAddress);
      }
    });

    it("let the revoker through once revoked, at the start", async function () {
      const f = await revoked();
      await nextBlockAt(f.start);
      await expect(f.vesting.connect(f.revoker)["claimRewards()"]())
        .to.emit(f.rewards, "RewardsClaimed")
        .withArgs(f.vestingAddress, 0n);
    });
  });

  describe("#addBLSPublicKey", function () {
    /** The fixture at the start. */
    async function started(): Promise<VestingFixture> {
      const f = await loadStakingFixture(vestingFixture);
      await time.increaseTo(f.start);
      return f;
    }

    /** The vesting's registration of node NODE with a proof made for the vesting contract. */
    function register(f: VestingFixture, snBeneficiary: string): Promise<ContractTransactionResponse> {
      const pop = popOf(f, NODE, f.vestingAddress, ED25519);
      return f.vesting.connect(f.beneficiary).addBLSPublicKey(keyOf(f, NODE), pop, nodeParams(ED25519), snBeneficiary);
    }

    it("registers a solo node whose operator is the vesting contract, its rewards to snBeneficiary", async function () {
      const f = await started();
      const key = keyOf(f, NODE);
      const requirement = f.parameters.stakingRequirement;
      await expect(register(f, f.beneficiary.address))
        .to.emit(f.rewards, "NewServiceNodeV2")
        .withArgs(
          1n,
          f.vestingAddress,
          [key.X, key.Y],
          [ED25519, 1n, 2n, 0n],
          [[[f.vestingAddress, f.beneficiary.address], requirement]],
        );
      const node = await f.rewards.serviceNodes(1n);
      expect(node.operator).to.equal(f.vestingAddress);
      expect(node.deposit).to.equal(requirement);
    });

    it("takes exactly the staking requirement and leaves no allowance", async function () {
      const f = await started();
      const requirement = f.parameters.stakingRequirement;
      await expect(register(f, f.beneficiary.address)).to.changeTokenBalances(
        f.sesh,
        [f.vesting, f.rewards],
        [-requirement, requirement],
      );
      expect(await f.sesh.allowance(f.vestingAddress, f.rewardsAddress)).to.equal(0n);
    });

    it("names the vesting contract as the beneficiary for an snBeneficiary of 0", async function () {
      const f = await started();
      await (await register(f, ZeroAddress)).wait();
      const [contributor] = (await f.rewards.serviceNodes(1n)).contributors;
      expect(contributor?.staker.beneficiary).to.equal(f.vestingAddress);
    });

    it("reverts InvalidBLSProofOfPossession for a proof made for the beneficiary instead of the contract", async function () {
      const f = await started();
      const pop = popOf(f, NODE, f.beneficiary.address, ED25519);
      await expect(
        f.vesting.connect(f.beneficiary).addBLSPublicKey(keyOf(f, NODE), pop, nodeParams(ED25519), ZeroAddress),
      ).to.be.revertedWithCustomError(f.rewards, "InvalidBLSProofOfPossession");
    });

    it("reverts ERC20InsufficientBalance when the vesting holds less than the requirement", async function () {
      const f = await loadStakingFixture(startedFixture);
      const requirement = f.parameters.stakingRequirement;
      const short = await withVesting(f, requirement - 1n);
      await time.increaseTo(short.start);
      await expect(register(short, ZeroAddress))
        .to.be.revertedWithCustomError(f.sesh, "ERC20InsufficientBalance")
        .withArgs(short.vestingAddress, requirement - 1n, requirement);
    });

    it("reverts AllowanceNotSpent(rewards, remaining) when the rewards contract takes less than approved", async function () {
      const f = await loadStakingFixture(vestingFixture);
      const set = await mockSet(f);
      const setAddress = await set.getAddress();
      const vesting = await withVesting(f, f.funded, { rewards: setAddress, factory: setAddress });
      await (await set.setShortfall(SHORTFALL)).wait();
      await time.increaseTo(vesting.start);
      await expect(register(vesting, ZeroAddress))
        .to.be.revertedWithCustomError(vesting.vesting, "AllowanceNotSpent")
        .withArgs(setAddress, SHORTFALL);
      await (await set.setShortfall(0n)).wait();
      await expect(register(vesting, ZeroAddress)).to.changeTokenBalance(f.sesh, set, f.parameters.stakingRequirement);
    });
  });

  describe("#contributeFunds, #withdrawContribution, #updateBeneficiary", function () {
    /** The fixture at the start, with a contribution contract open for the public. */
    async function withOpenContribution() {
      const f = await loadStakingFixture(vestingFixture);
      const contribution = await openContribution(f);
      await time.increaseTo(f.start);
      return { f, contribution, address: await contribution.getAddress() };
    }

    it("reverts ContributionNotFromFactory(address, factory) for a contract the factory did not open", async function () {
      const f = await loadStakingFixture(vestingFixture);
      await time.increaseTo(f.start);
      const calls = [
        (address: string) => f.vesting.connect(f.beneficiary).contributeFunds(address, SESH, ZeroAddress),
        (address: string) => f.vesting.connect(f.beneficiary).withdrawContribution(address),
        (address: string) => f.vesting.connect(f.beneficiary).updateBeneficiary(address, ZeroAddress),
      ];
      for (const call of calls) {
        for (const address of [f.rewardsAddress, await f.sesh.getAddress(), ZeroAddress]) {
          await expect(call(address))
            .to.be.revertedWithCustomError(f.vesting, "ContributionNotFromFactory")
            .withArgs(address, f.factoryAddress);
        }
      }
    });

    it("contributes the amount with its beneficiary, emits NewContribution and leaves no allowance", async function () {
      const { f, contribution, address } = await withOpenContribution();
      const amount = f.parameters.stakingRequirement / 4n;
      const tx = f.vesting.connect(f.beneficiary).contributeFunds(address, amount, f.beneficiary.address);
      await expect(tx)
        .to.emit(contribution, "NewContribution")
        .withArgs(f.vestingAddress, f.beneficiary.address, amount);
      await expect(tx).to.changeTokenBalances(f.sesh, [f.vesting, contribution], [-amount, amount]);
      expect(await f.sesh.allowance(f.vestingAddress, address)).to.equal(0n);
      expect(await contribution.contributions(f.vestingAddress)).to.equal(amount);
    });

    it("names the vesting contract as the contribution's beneficiary for 0", async function () {
      const { f, contribution, address } = await withOpenContribution();
      const amount = f.parameters.stakingRequirement / 4n;
      await expect(f.vesting.connect(f.beneficiary).contributeFunds(address, amount, ZeroAddress))
        .to.emit(contribution, "NewContribution")
        .withArgs(f.vestingAddress, f.vestingAddress, amount);
    });

    it("reverts as the contribution contract does (ContributionBelowMinAmount) and leaves no allowance", async function () {
      const { f, contribution, address } = await withOpenContribution();
      const minimum = await contribution.minimumContribution();
      await expect(f.vesting.connect(f.beneficiary).contributeFunds(address, minimum - 1n, ZeroAddress))
        .to.be.revertedWithCustomError(contribution, "ContributionBelowMinAmount")
        .withArgs(minimum - 1n, minimum);
      expect(await f.sesh.allowance(f.vestingAddress, address)).to.equal(0n);
    });

    it("reverts AllowanceNotSpent(contribution, remaining) when a contribution takes less than approved", async function () {
      const f = await loadStakingFixture(vestingFixture);
      const set = await mockSet(f);
      const setAddress = await set.getAddress();
      const vesting = await withVesting(f, f.funded, { rewards: setAddress, factory: setAddress });
      await (await set.setShortfall(SHORTFALL)).wait();
      await time.increaseTo(vesting.start);
      await expect(vesting.vesting.connect(f.beneficiary).contributeFunds(setAddress, SESH, ZeroAddress))
        .to.be.revertedWithCustomError(vesting.vesting, "AllowanceNotSpent")
        .withArgs(setAddress, SHORTFALL);
    });

    it("withdraws the contribution a day later: the SESH comes back to the vesting contract", async function () {
      const { f, contribution, address } = await withOpenContribution();
      const amount = f.parameters.stakingRequirement / 4n;
      await (await f.vesting.connect(f.beneficiary).contributeFunds(address, amount, ZeroAddress)).wait();
      await time.increase(DAY);
      const tx = f.vesting.connect(f.beneficiary).withdrawContribution(address);
      await expect(tx).to.emit(contribution, "WithdrawContribution").withArgs(f.vestingAddress, amount);
      await expect(tx).to.changeTokenBalances(f.sesh, [f.vesting, contribution], [amount, -amount]);
    });

    it("changes the contribution's beneficiary, to the vesting contract for 0", async function () {
      const { f, contribution, address } = await withOpenContribution();
      const amount = f.parameters.stakingRequirement / 4n;
      await (await f.vesting.connect(f.beneficiary).contributeFunds(address, amount, f.beneficiary.address)).wait();
      await expect(f.vesting.connect(f.beneficiary).updateBeneficiary(address, f.other.address))
        .to.emit(contribution, "UpdateStakerBeneficiary")
        .withArgs(f.vestingAddress, f.other.address);
      await expect(f.vesting.connect(f.beneficiary).updateBeneficiary(address, ZeroAddress))
        .to.emit(contribution, "UpdateStakerBeneficiary")
        .withArgs(f.vestingAddress, f.vestingAddress);
    });
  });

  describe("#transferBeneficiary", function () {
    it("reverts CallerNotBeneficiary(caller, beneficiary) for anyone but the beneficiary", async function () {
      const f = await loadStakingFixture(vestingFixture);
      for (const caller of [f.revoker, f.other]) {
        await expect(f.vesting.connect(caller).transferBeneficiary(f.newcomer.address))
          .to.be.revertedWithCustomError(f.vesting, "CallerNotBeneficiary")
          .withArgs(caller.address, f.beneficiary.address);
      }
    });

    it("reverts BeneficiaryNotTransferable on a vesting made so", async function () {
      const f = await loadStakingFixture(fixedVestingFixture);
      await expect(
        f.vesting.connect(f.beneficiary).transferBeneficiary(f.newcomer.address),
      ).to.be.revertedWithCustomError(f.vesting, "BeneficiaryNotTransferable");
    });

    it("reverts VestingRevoked(revoker) once revoked", async function () {
      const f = await revoked();
      await expect(f.vesting.connect(f.beneficiary).transferBeneficiary(f.newcomer.address))
        .to.be.revertedWithCustomError(f.vesting, "VestingRevoked")
        .withArgs(f.revoker.address);
    });

    it("reverts InvalidBeneficiary(address) for the zero address or the vesting contract", async function () {
      const f = await loadStakingFixture(vestingFixture);
      for (const address of [ZeroAddress, f.vestingAddress]) {
        await expect(f.vesting.connect(f.beneficiary).transferBeneficiary(address))
          .to.be.revertedWithCustomError(f.vesting, "InvalidBeneficiary")
          .withArgs(address);
      }
    });

    it("hands the vesting over and emits BeneficiaryTransferred(old, new)", async function () {
      const f = await loadStakingFixture(vestingFixture);
      await expect(f.vesting.connect(f.beneficiary).transferBeneficiary(f.newcomer.address))
        .to.emit(f.vesting, "BeneficiaryTransferred")
        .withArgs(f.beneficiary.address, f.newcomer.address);
      expect(await f.vesting.beneficiary()).to.equal(f.newcomer.address);
    });

    it("pays the new beneficiary at the end and refuses the old one", async function () {
      const f = await loadStakingFixture(vestingFixture);
      const sesh = await f.sesh.getAddress();
      await (await f.vesting.connect(f.beneficiary).transferBeneficiary(f.newcomer.address)).wait();
      await time.increaseTo(f.end);
      await expect(f.vesting.connect(f.beneficiary).release(sesh))
        .to.be.revertedWithCustomError(f.vesting, "CallerNotBeneficiary")
        .withArgs(f.beneficiary.address, f.newcomer.address);
      await expect(f.vesting.connect(f.newcomer).release(sesh)).to.changeTokenBalance(f.sesh, f.newcomer, f.funded);
    });
  });

  describe("#transferRevoker", function () {
    it("reverts CallerNotRevoker(caller, revoker) for anyone but the revoker", async function () {
      const f = await loadStakingFixture(vestingFixture);
      for (const caller of [f.beneficiary, f.other]) {
        await expect(f.vesting.connect(caller).transferRevoker(f.newcomer.address))
          .to.be.revertedWithCustomError(f.vesting, "CallerNotRevoker")
          .withArgs(caller.address, f.revoker.address);
      }
    });

    it("reverts CallerNotRevoker(caller, 0) on a vesting without revoker", async function () {
      const f = await loadStakingFixture(fixedVestingFixture);
      await expect(f.vesting.connect(f.revoker).transferRevoker(f.newcomer.address))
        .to.be.revertedWithCustomError(f.vesting, "CallerNotRevoker")
        .withArgs(f.revoker.address, ZeroAddress);
    });

    it("reverts InvalidRevoker(address) for the zero address or the vesting contract", async function () {
      const f = await loadStakingFixture(vestingFixture);
      for (const address of [ZeroAddress, f.vestingAddress]) {
        await expect(f.vesting.connect(f.revoker).transferRevoker(address))
          .to.be.revertedWithCustomError(f.vesting, "InvalidRevoker")
          .withArgs(address);
      }
    });

    it("hands the role over and emits RevokerTransferred(old, new): the new revoker revokes, the old cannot", async function () {
      const f = await loadStakingFixture(vestingFixture);
      const sesh = await f.sesh.getAddress();
      await expect(f.vesting.connect(f.revoker).transferRevoker(f.newcomer.address))
        .to.emit(f.vesting, "RevokerTransferred")
        .withArgs(f.revoker.address, f.newcomer.address);
      expect(await f.vesting.revoker()).to.equal(f.newcomer.address);
      await expect(f.vesting.connect(f.revoker).revoke(sesh))
        .to.be.revertedWithCustomError(f.vesting, "CallerNotRevoker")
        .withArgs(f.revoker.address, f.newcomer.address);
      await expect(f.vesting.connect(f.newcomer).revoke(sesh)).to.emit(f.vesting, "TokenVestingRevoked");
    });

    it("hands over a revoked vesting: the new revoker stakes and is paid at the end", async function () {
      const f = await revoked();
      const sesh = await f.sesh.getAddress();
      await (await f.vesting.connect(f.revoker).transferRevoker(f.newcomer.address)).wait();
      await time.increaseTo(f.start);
      await expect(f.vesting.connect(f.revoker)["claimRewards()"]())
        .to.be.revertedWithCustomError(f.vesting, "CallerNotRevoker")
        .withArgs(f.revoker.address, f.newcomer.address);
      await expect(f.vesting.connect(f.newcomer)["claimRewards()"]()).to.emit(f.rewards, "RewardsClaimed");
      await time.increaseTo(f.end);
      await expect(f.vesting.connect(f.newcomer).revoke(sesh)).to.changeTokenBalance(f.sesh, f.newcomer, f.funded);
    });
  });

  describe("re-entry from a token it pays", function () {
    /** The fixture at the end with REENTER tokens in the vesting, the token armed to call the vesting with `data`. */
    async function armed(f: VestingFixture, data: (sesh: string) => string): Promise<ReentrantToken__Mock> {
      const token = await ethers.deployContract("ReentrantToken__Mock");
      await (await token.mint(f.vestingAddress, OTHER_TOKEN_AMOUNT)).wait();
      await (await token.armHook(f.vestingAddress, data(await f.sesh.getAddress()))).wait();
      await time.increaseTo(f.end);
      return token;
    }

    /** Checks that the hook fired and that its call back reverted with `error`. */
    async function expectHookReverted(
      f: VestingFixture,
      token: ReentrantToken__Mock,
      error: string,
      args: readonly unknown[],
    ): Promise<void> {
      const [called, succeeded, returned] = await token.hookOutcome();
      expect(called, "the hook fired").to.equal(true);
      expect(succeeded, "the re-entrant call succeeded").to.equal(false);
      expect(returned).to.equal(f.vesting.interface.encodeErrorResult(error, args));
    }

    /** The re-entrant calls, each built from the fixture and SESH's address. */
    const REENTRIES: readonly { readonly name: string; readonly data: (f: VestingFixture, sesh: string) => string }[] =
      [
        { name: "release", data: (f, sesh) => f.vesting.interface.encodeFunctionData("release", [sesh]) },
        { name: "revoke", data: (f, sesh) => f.vesting.interface.encodeFunctionData("revoke", [sesh]) },
        {
          name: "transferBeneficiary",
          data: (f) => f.vesting.interface.encodeFunctionData("transferBeneficiary", [f.newcomer.address]),
        },
        {
          name: "transferRevoker",
          data: (f) => f.vesting.interface.encodeFunctionData("transferRevoker", [f.newcomer.address]),
        },
        {
          name: "addBLSPublicKey",
          data: (f) =>
            f.vesting.interface.encodeFunctionData("addBLSPublicKey", [
              keyOf(f, NODE),
              NO_SIGNATURE,
              nodeParams(ED25519),
              ZeroAddress,
            ]),
        },
        {
          name: "initiateExitBLSPublicKey",
          data: (f) => f.vesting.interface.encodeFunctionData("initiateExitBLSPublicKey", [1n]),
        },
        { name: "claimRewards()", data: (f) => f.vesting.interface.encodeFunctionData("claimRewards()") },
        {
          name: "claimRewards(uint256)",
          data: (f) => f.vesting.interface.encodeFunctionData("claimRewards(uint256)", [1n]),
        },
        {
          name: "contributeFunds",
          data: (f) => f.vesting.interface.encodeFunctionData("contributeFunds", [f.factoryAddress, 1n, ZeroAddress]),
        },
        {
          name: "withdrawContribution",
          data: (f) => f.vesting.interface.encodeFunctionData("withdrawContribution", [f.factoryAddress]),
        },
        {
          name: "updateBeneficiary",
          data: (f) => f.vesting.interface.encodeFunctionData("updateBeneficiary", [f.factoryAddress, ZeroAddress]),
        },
      ];

    for (const { name, data } of REENTRIES) {
      it(`refuses a re-entrant ${name} from inside a release (ReentrancyGuardReentrantCall); the release completes`, async function () {
        const f = await loadStakingFixture(vestingFixture);
        const token = await armed(f, (sesh) => data(f, sesh));
        await expect(f.vesting.connect(f.beneficiary).release(await token.getAddress())).to.changeTokenBalance(
          token,
          f.beneficiary,
          OTHER_TOKEN_AMOUNT,
        );
        await expectHookReverted(f, token, "ReentrancyGuardReentrantCall", []);
        expect(await f.sesh.balanceOf(f.vestingAddress)).to.equal(f.funded);
        expect(await f.vesting.beneficiary()).to.equal(f.beneficiary.address);
      });
    }

    it("refuses a release from inside a revoked vesting's payout to the revoker", async function () {
      const f = await revoked();
      const token = await armed(f, (sesh) => f.vesting.interface.encodeFunctionData("revoke", [sesh]));
      await expect(f.vesting.connect(f.revoker).revoke(await token.getAddress())).to.changeTokenBalance(
        token,
        f.revoker,
        OTHER_TOKEN_AMOUNT,
      );
      await expectHookReverted(f, token, "ReentrancyGuardReentrantCall", []);
      expect(await f.sesh.balanceOf(f.vestingAddress)).to.equal(f.funded);
    });

    it("refuses the same call outside a payout as a stranger's (CallerNotBeneficiary): the guard caught the re-entry", async function () {
      const f = await loadStakingFixture(vestingFixture);
      const token = await armed(f, (sesh) => f.vesting.interface.encodeFunctionData("release", [sesh]));
      await (await token.mint(f.other.address, 1n)).wait();
      await expectHookReverted(f, token, "CallerNotBeneficiary", [await token.getAddress(), f.beneficiary.address]);
    });
  });
});

import { time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { FunctionFragment, ZeroAddress, type ParamType } from "ethers";
import { ethers } from "hardhat";

import { liquidationMessage, rewardMessage } from "../../../lib/bls";
import { shouldBehaveLikeManaged, type ManagedFixture } from "../../behaviours/managed";
import { restoreChainAfterSuite } from "../../helpers/chain";
import { loadStakingFixture, type StakingFixture } from "../../helpers/staking";
import type { ServiceNodeRewards, TestnetServiceNodeRewards, WrappedOxen__Mock } from "../../../typechain-types";
import {
  DAY,
  ED_BASE,
  HOUR,
  NO_SIGNATURE,
  SEEDED,
  SESH,
  at,
  keyOf,
  nodeParams,
  popOf,
  range,
  signBy,
  suiteFixtures,
} from "./fixtures";

const { seededFixture, testnetSeededFixture } = suiteFixtures();

const STRAY = 5n * SESH;
const ALL = range(SEEDED);

interface RewardsManagedFixture extends StakingFixture, ManagedFixture {
  readonly stray: WrappedOxen__Mock;
}

/** {seededFixture} holding STRAY of another token sent by mistake. */
async function managedFixture(): Promise<RewardsManagedFixture> {
  const f = await seededFixture();
  const stray = await ethers.deployContract("WrappedOxen__Mock");
  await (await stray.mint(f.rewardsAddress, STRAY)).wait();
  return { ...f, contract: f.rewards, other: at(f.stakers, 5), stray };
}

/** {seededFixture} with staker 0 credited 10 SESH. */
async function creditedFixture(): Promise<StakingFixture> {
  const f = await seededFixture();
  const recipient = at(f.stakers, 0).address;
  const amount = 10n * SESH;
  await (
    await f.rewards.updateRewardsBalance(
      recipient,
      amount,
      signBy(f, ALL, rewardMessage(f.tags, recipient, amount)),
      [],
    )
  ).wait();
  return f;
}

async function testnetOf(f: StakingFixture): Promise<TestnetServiceNodeRewards> {
  return ethers.getContractAt("TestnetServiceNodeRewards", f.rewardsAddress);
}

interface Setter {
  readonly name:
    | "setStakingRequirement"
    | "setSignatureExpiry"
    | "setBLSNonSignerThresholdMax"
    | "setClaimThreshold"
    | "setClaimCycle";
  readonly event: string;
  readonly read: (rewards: ServiceNodeRewards) => Promise<bigint>;
  readonly max: bigint;
}

const SETTERS: readonly Setter[] = [
  {
    name: "setStakingRequirement",
    event: "StakingRequirementUpdated",
    read: (r) => r.stakingRequirement(),
    max: 2n ** 64n - 1n,
  },
  {
    name: "setSignatureExpiry",
    event: "SignatureExpiryUpdated",
    read: (r) => r.signatureExpiry(),
    max: 2n ** 32n - 1n,
  },
  {
    name: "setBLSNonSignerThresholdMax",
    event: "BLSNonSignerThresholdMaxUpdated",
    read: (r) => r.blsNonSignerThresholdMax(),
    max: 2n ** 32n - 1n,
  },
  { name: "setClaimThreshold", event: "ClaimThresholdUpdated", read: (r) => r.claimThreshold(), max: 2n ** 64n - 1n },
  { name: "setClaimCycle", event: "ClaimCycleUpdated", read: (r) => r.claimCycle(), max: 2n ** 32n - 1n },
];

/** The zero value of an ABI parameter: 0, the zero address, false, zero bytes, an empty or zero array, a tuple of zeros. */
function zeroValueOf(param: ParamType): unknown {
  if (param.isArray()) {
    return Array.from({ length: Math.max(param.arrayLength, 0) }, () => zeroValueOf(param.arrayChildren));
  }
  if (param.isTuple()) return param.components.map(zeroValueOf);
  if (param.baseType === "address") return ZeroAddress;
  if (param.baseType === "bool") return false;
  if (param.baseType === "bytes" || param.baseType === "string") return param.baseType === "bytes" ? "0x" : "";
  if (param.baseType.startsWith("bytes")) return `0x${"00".repeat(Number(param.baseType.slice(5)))}`;
  return 0n;
}

describe("ServiceNodeRewards: owner", function () {
  restoreChainAfterSuite();

  shouldBehaveLikeManaged(managedFixture, {
    rescuable: (f) => [{ token: f.stray, surplus: STRAY }],
    notRescuable: (f) => [f.sesh],
    pausedCalls: [
      {
        name: "addBLSPublicKey",
        call: (f) =>
          f.rewards
            .connect(at(f.stakers, 0))
            .addBLSPublicKey(keyOf(f, 14), popOf(f, 14, at(f.stakers, 0).address, 1n), nodeParams(1n), []),
      },
      {
        name: "updateRewardsBalance",
        call: (f) => f.rewards.updateRewardsBalance(f.owner.address, 1n, NO_SIGNATURE, []),
      },
      { name: "claimRewards()", call: (f) => f.rewards.connect(at(f.stakers, 0))["claimRewards()"]() },
      { name: "claimRewards(uint256)", call: (f) => f.rewards.connect(at(f.stakers, 0))["claimRewards(uint256)"](0n) },
      {
        name: "initiateExitBLSPublicKey",
        call: (f) => f.rewards.connect(at(f.stakers, 1)).initiateExitBLSPublicKey(2n),
      },
      {
        name: "exitBLSPublicKeyWithSignature",
        call: (f) => f.rewards.exitBLSPublicKeyWithSignature(keyOf(f, 1), 0n, NO_SIGNATURE, []),
      },
      { name: "exitBLSPublicKeyAfterWaitTime", call: (f) => f.rewards.exitBLSPublicKeyAfterWaitTime(2n) },
      {
        name: "liquidateBLSPublicKeyWithSignature",
        call: (f) => f.rewards.liquidateBLSPublicKeyWithSignature(keyOf(f, 1), 0n, NO_SIGNATURE, []),
      },
    ],
  });

  describe("L-05: renounceOwnership reverts", function () {
    it("reverts OwnershipCannotBeRenounced and keeps the owner", async function () {
      const f = await loadStakingFixture(seededFixture);
      await expect(f.rewards.connect(f.owner).renounceOwnership()).to.be.revertedWithCustomError(
        f.rewards,
        "OwnershipCannotBeRenounced",
      );
      expect(await f.rewards.owner()).to.equal(f.owner.address);
      await expect(f.rewards.connect(f.owner).setSignatureExpiry(60n)).to.emit(f.rewards, "SignatureExpiryUpdated");
    });
  });

  describe("pause stops claims and every outflow, with valid arguments", function () {
    it("keeps a credited recipient's claim and a signed liquidation until unpaused", async function () {
      const f = await loadStakingFixture(creditedFixture);
      const recipient = at(f.stakers, 0);
      const liquidator = at(f.stakers, 5);
      const now = BigInt(await time.latest()) + 100n;
      const liquidation = signBy(f, ALL, liquidationMessage(f.tags, keyOf(f, 4), now));
      const held = await f.sesh.balanceOf(f.rewardsAddress);
      await f.rewards.connect(f.owner).pause();
      await time.setNextBlockTimestamp(now);
      await expect(
        f.rewards.connect(liquidator).liquidateBLSPublicKeyWithSignature(keyOf(f, 4), now, liquidation, []),
      ).to.be.revertedWithCustomError(f.rewards, "EnforcedPause");
      await expect(f.rewards.connect(recipient)["claimRewards()"]()).to.be.revertedWithCustomError(
        f.rewards,
        "EnforcedPause",
      );
      expect(await f.sesh.balanceOf(f.rewardsAddress)).to.equal(held);
      await f.rewards.connect(f.owner).unpause();
      await expect(f.rewards.connect(recipient)["claimRewards()"]()).to.changeTokenBalance(
        f.sesh,
        recipient,
        10n * SESH,
      );
      await expect(
        f.rewards.connect(liquidator).liquidateBLSPublicKeyWithSignature(keyOf(f, 4), now, liquidation, []),
      ).to.emit(f.rewards, "ServiceNodeLiquidated");
    });
  });

  for (const setter of SETTERS) {
    describe(`#${setter.name}`, function () {
      it(`sets the value and emits ${setter.event}`, async function () {
        const f = await loadStakingFixture(seededFixture);
        await expect(f.rewards.connect(f.owner)[setter.name](7n)).to.emit(f.rewards, setter.event).withArgs(7n);
        expect(await setter.read(f.rewards)).to.equal(7n);
      });

      it("accepts the largest value its field holds", async function () {
        const f = await loadStakingFixture(seededFixture);
        await f.rewards.connect(f.owner)[setter.name](setter.max);
        expect(await setter.read(f.rewards)).to.equal(setter.max);
      });

      it("reverts PositiveNumberRequirement for 0", async function () {
        const f = await loadStakingFixture(seededFixture);
        const before = await setter.read(f.rewards);
        await expect(f.rewards.connect(f.owner)[setter.name](0n)).to.be.revertedWithCustomError(
          f.rewards,
          "PositiveNumberRequirement",
        );
        expect(await setter.read(f.rewards)).to.equal(before);
      });

      it("reverts ValueTooLarge(value, maximum) one above the largest", async function () {
        const f = await loadStakingFixture(seededFixture);
        await expect(f.rewards.connect(f.owner)[setter.name](setter.max + 1n))
          .to.be.revertedWithCustomError(f.rewards, "ValueTooLarge")
          .withArgs(setter.max + 1n, setter.max);
      });

      it("reverts OwnableUnauthorizedAccount for another caller", async function () {
        const f = await loadStakingFixture(seededFixture);
        const other = at(f.stakers, 0);
        await expect(f.rewards.connect(other)[setter.name](7n))
          .to.be.revertedWithCustomError(f.rewards, "OwnableUnauthorizedAccount")
          .withArgs(other.address);
      });
    });
  }

  describe("the settings in effect", function () {
    it("setStakingRequirement applies to the nodes registered afterwards", async function () {
      const f = await loadStakingFixture(seededFixture);
      const staker = at(f.stakers, 3);
      await f.rewards.connect(f.owner).setStakingRequirement(100n * SESH);
      const ed = ED_BASE + 13n;
      await expect(
        f.rewards.connect(staker).addBLSPublicKey(keyOf(f, 13), popOf(f, 13, staker.address, ed), nodeParams(ed), []),
      ).to.changeTokenBalance(f.sesh, staker, -100n * SESH);
      expect((await f.rewards.serviceNodes(BigInt(SEEDED + 1))).deposit).to.equal(100n * SESH);
    });

    it("setSignatureExpiry narrows the window of a signed timestamp", async function () {
      const f = await loadStakingFixture(seededFixture);
      await f.rewards.connect(f.owner).setSignatureExpiry(5n);
      const now = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(now);
      await expect(f.rewards.exitBLSPublicKeyWithSignature(keyOf(f, 4), now - 6n, NO_SIGNATURE, []))
        .to.be.revertedWithCustomError(f.rewards, "SignatureExpired")
        .withArgs(5n, now - 6n, now);
    });

    it("setClaimCycle counts claims in cycles of the new length", async function () {
      const f = await loadStakingFixture(creditedFixture);
      await f.rewards.connect(f.owner).setClaimCycle(DAY);
      await f.rewards.connect(at(f.stakers, 0))["claimRewards(uint256)"](SESH);
      expect(await f.rewards.currentClaimCycle()).to.equal(BigInt(await time.latest()) / DAY);
      expect(await f.rewards.currentClaimTotal()).to.equal(SESH);
    });
  });

  describe("#setLiquidationRatios", function () {
    it("sets the ratios and emits LiquidationRatiosUpdated, accepting a penalty of exactly a quarter", async function () {
      const f = await loadStakingFixture(seededFixture);
      await expect(f.rewards.connect(f.owner).setLiquidationRatios(1n, 2n, 9n))
        .to.emit(f.rewards, "LiquidationRatiosUpdated")
        .withArgs(1n, 2n, 9n);
      expect(await f.rewards.liquidatorRewardRatio()).to.equal(1n);
      expect(await f.rewards.poolShareOfLiquidationRatio()).to.equal(2n);
      expect(await f.rewards.recipientRatio()).to.equal(9n);
      expect(await f.rewards.foundationPool()).to.equal(f.poolAddress);
    });

    it("reverts LiquidatorPenaltyTooHigh when (liquidator + pool) × 3 exceeds the recipient ratio", async function () {
      const f = await loadStakingFixture(seededFixture);
      await expect(f.rewards.connect(f.owner).setLiquidationRatios(1n, 2n, 8n)).to.be.revertedWithCustomError(
        f.rewards,
        "LiquidatorPenaltyTooHigh",
      );
      expect(await f.rewards.recipientRatio()).to.equal(9_980n);
    });

    it("reverts LiquidatorPenaltyTooHigh for a recipient ratio of 0", async function () {
      const f = await loadStakingFixture(seededFixture);
      await expect(f.rewards.connect(f.owner).setLiquidationRatios(0n, 0n, 0n)).to.be.revertedWithCustomError(
        f.rewards,
        "LiquidatorPenaltyTooHigh",
      );
    });

    it("reverts ValueTooLarge(value, 2^32 − 1) for a recipient ratio above 2^32 − 1", async function () {
      const f = await loadStakingFixture(seededFixture);
      await expect(f.rewards.connect(f.owner).setLiquidationRatios(0n, 0n, 2n ** 32n))
        .to.be.revertedWithCustomError(f.rewards, "ValueTooLarge")
        .withArgs(2n ** 32n, 2n ** 32n - 1n);
    });

    it("reverts ValueTooLarge(ratio, 2^32 − 1) for a liquidator or pool ratio whose sum would overflow", async function () {
      const f = await loadStakingFixture(seededFixture);
      await expect(f.rewards.connect(f.owner).setLiquidationRatios(2n ** 255n, 0n, 1n))
        .to.be.revertedWithCustomError(f.rewards, "ValueTooLarge")
        .withArgs(2n ** 255n, 2n ** 32n - 1n);
      await expect(f.rewards.connect(f.owner).setLiquidationRatios(0n, 2n ** 32n, 1n))
        .to.be.revertedWithCustomError(f.rewards, "ValueTooLarge")
        .withArgs(2n ** 32n, 2n ** 32n - 1n);
    });

    it("reverts OwnableUnauthorizedAccount for another caller", async function () {
      const f = await loadStakingFixture(seededFixture);
      const other = at(f.stakers, 0);
      await expect(f.rewards.connect(other).setLiquidationRatios(1n, 2n, 9n))
        .to.be.revertedWithCustomError(f.rewards, "OwnableUnauthorizedAccount")
        .withArgs(other.address);
    });
  });

  describe("ServiceNodeRewardsAdmin", function () {
    for (const [what, fixture] of [
      ["ServiceNodeRewards", seededFixture],
      ["TestnetServiceNodeRewards", testnetSeededFixture],
    ] as const) {
      it(`reverts AdminCalledDirectly for every function called on ${what}'s admin itself`, async function () {
        const f = await loadStakingFixture(fixture);
        const admin = await ethers.getContractAt(`${what}Admin`, await f.rewards.ADMIN());
        // Every function of the admin's ABI, with zero arguments: none may run outside a delegatecall.
        const functions = admin.interface.fragments.filter((fragment) => fragment instanceof FunctionFragment);
        const names = functions.map((fragment) => fragment.name);
        expect(names).to.include.members([
          "initialize",
          "addBLSPublicKey",
          "seedPublicKeyList",
          "initiateExitBLSPublicKey",
        ]);
        if (what === "TestnetServiceNodeRewards")
          expect(names).to.include.members(["requestExitNodeBySNID", "exitNodeBySNID"]);
        for (const fragment of functions) {
          const data = admin.interface.encodeFunctionData(fragment, fragment.inputs.map(zeroValueOf));
          await expect(
            at(f.stakers, 0).sendTransaction({ to: await admin.getAddress(), data }),
            fragment.format(),
          ).to.be.revertedWithCustomError(admin, "AdminCalledDirectly");
        }
      });
    }
  });

  describe("TestnetServiceNodeRewards", function () {
    describe("#requestExitNodeBySNID", function () {
      it("records an exit request per node, with the owner as initiator", async function () {
        const f = await loadStakingFixture(testnetSeededFixture);
        const testnet = await testnetOf(f);
        const now = BigInt(await time.latest()) + 10n;
        await time.setNextBlockTimestamp(now);
        const tx = testnet.connect(f.owner).requestExitNodeBySNID([2n, 5n]);
        for (const id of [2n, 5n]) {
          const key = keyOf(f, Number(id) - 1);
          await expect(tx).to.emit(testnet, "ServiceNodeExitRequest").withArgs(id, f.owner.address, [key.X, key.Y]);
        }
        const node = await testnet.serviceNodes(5n);
        expect([node.leaveRequestTimestamp, node.latestLeaveRequestTimestamp]).to.deep.equal([now, now]);
      });

      it("lets anyone complete the exit 30 days after the owner's request", async function () {
        const f = await loadStakingFixture(testnetSeededFixture);
        const testnet = await testnetOf(f);
        const now = BigInt(await time.latest()) + 10n;
        await time.setNextBlockTimestamp(now);
        await testnet.connect(f.owner).requestExitNodeBySNID([2n]);
        await time.setNextBlockTimestamp(now + 30n * DAY - 1n);
        await expect(testnet.exitBLSPublicKeyAfterWaitTime(2n))
          .to.be.revertedWithCustomError(testnet, "LeaveRequestTooEarly")
          .withArgs(2n, now + 30n * DAY, now + 30n * DAY - 1n);
        const anyone = at(f.stakers, 6);
        await expect(testnet.connect(anyone).exitBLSPublicKeyAfterWaitTime(2n))
          .to.emit(testnet, "ServiceNodeExit")
          .withArgs(2n, anyone.address, f.parameters.stakingRequirement, [keyOf(f, 1).X, keyOf(f, 1).Y]);
        expect(await testnet.totalNodes()).to.equal(BigInt(SEEDED - 1));
      });

      it("reverts DeleteSentinelNodeNotAllowed for id 0 and ServiceNodeDoesntExist(id) for an unknown id", async function () {
        const f = await loadStakingFixture(testnetSeededFixture);
        const testnet = await testnetOf(f);
        await expect(testnet.connect(f.owner).requestExitNodeBySNID([2n, 0n])).to.be.revertedWithCustomError(
          testnet,
          "DeleteSentinelNodeNotAllowed",
        );
        await expect(testnet.connect(f.owner).requestExitNodeBySNID([2n, 99n]))
          .to.be.revertedWithCustomError(testnet, "ServiceNodeDoesntExist")
          .withArgs(99n);
        expect((await testnet.serviceNodes(2n)).leaveRequestTimestamp).to.equal(0n);
      });

      it("reverts LeaveRequestTooEarly(id, latest + 1 hour, now) within an hour of the node's last request", async function () {
        const f = await loadStakingFixture(testnetSeededFixture);
        const testnet = await testnetOf(f);
        const now = BigInt(await time.latest()) + 10n;
        await time.setNextBlockTimestamp(now);
        await testnet.connect(at(f.stakers, 1)).initiateExitBLSPublicKey(2n);
        await time.setNextBlockTimestamp(now + 1n);
        await expect(testnet.connect(f.owner).requestExitNodeBySNID([2n]))
          .to.be.revertedWithCustomError(testnet, "LeaveRequestTooEarly")
          .withArgs(2n, now + HOUR, now + 1n);
      });

      it("reverts OwnableUnauthorizedAccount for another caller, and EnforcedPause while paused", async function () {
        const f = await loadStakingFixture(testnetSeededFixture);
        const testnet = await testnetOf(f);
        const other = at(f.stakers, 1);
        await expect(testnet.connect(other).requestExitNodeBySNID([2n]))
          .to.be.revertedWithCustomError(testnet, "OwnableUnauthorizedAccount")
          .withArgs(other.address);
        await testnet.connect(f.owner).pause();
        await expect(testnet.connect(f.owner).requestExitNodeBySNID([2n])).to.be.revertedWithCustomError(
          testnet,
          "EnforcedPause",
        );
      });
    });

    describe("#exitNodeBySNID", function () {
      it("removes each node now, emits ServiceNodeExit with its deposit and moves no tokens", async function () {
        const f = await loadStakingFixture(testnetSeededFixture);
        const testnet = await testnetOf(f);
        const tx = testnet.connect(f.owner).exitNodeBySNID([3n, 7n]);
        for (const id of [3n, 7n]) {
          const key = keyOf(f, Number(id) - 1);
          await expect(tx)
            .to.emit(testnet, "ServiceNodeExit")
            .withArgs(id, f.owner.address, f.parameters.stakingRequirement, [key.X, key.Y]);
        }
        await expect(tx).to.changeTokenBalances(f.sesh, [testnet, f.owner], [0n, 0n]);
        const [ids] = await testnet.allServiceNodeIDs();
        expect(ids).to.deep.equal(ALL.map((i) => BigInt(i + 1)).filter((id) => id !== 3n && id !== 7n));
        expect(await testnet.totalNodes()).to.equal(BigInt(SEEDED - 2));
      });

      it("reverts DeleteSentinelNodeNotAllowed for id 0", async function () {
        const f = await loadStakingFixture(testnetSeededFixture);
        const testnet = await testnetOf(f);
        await expect(testnet.connect(f.owner).exitNodeBySNID([0n])).to.be.revertedWithCustomError(
          testnet,
          "DeleteSentinelNodeNotAllowed",
        );
      });

      it("reverts ServiceNodeDoesntExist(id) for an unknown or repeated id, removing none", async function () {
        const f = await loadStakingFixture(testnetSeededFixture);
        const testnet = await testnetOf(f);
        await expect(testnet.connect(f.owner).exitNodeBySNID([99n]))
          .to.be.revertedWithCustomError(testnet, "ServiceNodeDoesntExist")
          .withArgs(99n);
        await expect(testnet.connect(f.owner).exitNodeBySNID([4n, 4n]))
          .to.be.revertedWithCustomError(testnet, "ServiceNodeDoesntExist")
          .withArgs(4n);
        expect(await testnet.totalNodes()).to.equal(BigInt(SEEDED));
      });

      it("reverts OwnableUnauthorizedAccount for another caller, and EnforcedPause while paused", async function () {
        const f = await loadStakingFixture(testnetSeededFixture);
        const testnet = await testnetOf(f);
        const other = at(f.stakers, 1);
        await expect(testnet.connect(other).exitNodeBySNID([2n]))
          .to.be.revertedWithCustomError(testnet, "OwnableUnauthorizedAccount")
          .withArgs(other.address);
        await testnet.connect(f.owner).pause();
        await expect(testnet.connect(f.owner).exitNodeBySNID([2n])).to.be.revertedWithCustomError(
          testnet,
          "EnforcedPause",
        );
      });
    });
  });
});

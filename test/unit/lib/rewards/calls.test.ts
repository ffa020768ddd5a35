import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";

import {
  blsPublicKeyHash,
  encodeBlsPublicKey,
  liquidationShares,
  maxPermittedPubkeyAggregations,
  nonSignerThreshold,
  readNode,
  signLiquidation,
  signRewardsUpdate,
} from "../../../../lib/rewards";
import { rejectionOf } from "../../../helpers/errors";
import { deployStakingFixture, type StakingFixture } from "../../../helpers/staking";

const NO_PARAMS = { serviceNodeSignature1: 0n, serviceNodeSignature2: 0n, fee: 0 };

/**
 * Started, with node 0 of the network registered solo by staker 0, node 1 by stakers 1 and 2 (3/4 and 1/4, staker
 * 2's rewards to staker 0) and node 2 solo by staker 3: enough nodes for one non-signer.
 */
async function twoNodesFixture(): Promise<StakingFixture> {
  const f = await deployStakingFixture();
  await (await f.rewards.connect(f.owner).start()).wait();
  const [solo, operator, other] = f.stakers;
  if (solo === undefined || operator === undefined || other === undefined) throw new Error("too few stakers");
  const requirement = await f.rewards.stakingRequirement();
  const soloPop = f.network.proofOfPossession(0, f.tags, solo.address, 100n);
  await (
    await f.rewards
      .connect(solo)
      .addBLSPublicKey(f.network.node(0).publicKeyStruct, soloPop, { serviceNodePubkey: 100n, ...NO_PARAMS }, [])
  ).wait();
  f.network.register(0, 1n);
  const contributors = [
    { staker: { addr: operator.address, beneficiary: operator.address }, stakedAmount: (requirement * 3n) / 4n },
    { staker: { addr: other.address, beneficiary: solo.address }, stakedAmount: requirement - (requirement * 3n) / 4n },
  ];
  const pop = f.network.proofOfPossession(1, f.tags, operator.address, 101n);
  await (
    await f.rewards
      .connect(operator)
      .addBLSPublicKey(f.network.node(1).publicKeyStruct, pop, { serviceNodePubkey: 101n, ...NO_PARAMS }, contributors)
  ).wait();
  f.network.register(1, 2n);
  const third = f.stakers[3];
  if (third === undefined) throw new Error("too few stakers");
  const thirdPop = f.network.proofOfPossession(2, f.tags, third.address, 102n);
  await (
    await f.rewards
      .connect(third)
      .addBLSPublicKey(f.network.node(2).publicKeyStruct, thirdPop, { serviceNodePubkey: 102n, ...NO_PARAMS }, [])
  ).wait();
  f.network.register(2, 3n);
  return f;
}

describe("lib/rewards calls", function () {
  describe("nonSignerThreshold", function () {
    it("is a third of the nodes, rounded down, capped at the maximum", function () {
      expect(nonSignerThreshold(0n, 4_000n)).to.equal(0n);
      expect(nonSignerThreshold(2n, 4_000n)).to.equal(0n);
      expect(nonSignerThreshold(3n, 4_000n)).to.equal(1n);
      expect(nonSignerThreshold(30_000n, 4_000n)).to.equal(4_000n);
    });
  });

  describe("maxPermittedPubkeyAggregations", function () {
    it("is 20 up to 1,000 nodes, then 2 % of the nodes", function () {
      expect(maxPermittedPubkeyAggregations(0n)).to.equal(20n);
      expect(maxPermittedPubkeyAggregations(1_049n)).to.equal(20n);
      expect(maxPermittedPubkeyAggregations(1_100n)).to.equal(22n);
    });
  });

  describe("liquidationShares", function () {
    it("rounds the pool's share up and the liquidator's down, the rest returned", function () {
      // 25,000 SESH at mainnet ratios 3 / 17 / 9980: 7.5 and 42.5 SESH.
      const shares = liquidationShares(25_000n * 10n ** 9n + 1n, { liquidator: 3n, pool: 17n, recipient: 9980n });
      expect(shares.pool).to.equal(42_500_000_001n);
      expect(shares.liquidator).to.equal(7_500_000_000n);
      expect(shares.returned).to.equal(25_000n * 10n ** 9n + 1n - 42_500_000_001n - 7_500_000_000n);
    });

    it("always sums to the deposit, with the pool's share the ceiling", function () {
      fc.assert(
        fc.property(
          fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
          fc.bigInt({ min: 0n, max: 1_000n }),
          fc.bigInt({ min: 0n, max: 1_000n }),
          fc.bigInt({ min: 0n, max: 1_000_000n }),
          (deposit, liquidator, pool, extra) => {
            const recipient = (liquidator + pool) * 3n + extra + 1n;
            const shares = liquidationShares(deposit, { liquidator, pool, recipient });
            const sum = liquidator + pool + recipient;
            expect(shares.liquidator + shares.pool + shares.returned).to.equal(deposit);
            expect(shares.pool * sum >= deposit * pool && (shares.pool - 1n) * sum < deposit * pool).to.equal(true);
            expect(shares.returned >= 0n).to.equal(true);
          },
        ),
      );
    });

    it("refuses ratios the contract refuses", function () {
      expect(() => liquidationShares(1n, { liquidator: 1n, pool: 1n, recipient: 5n })).to.throw(/three quarters/);
      expect(() => liquidationShares(1n, { liquidator: 0n, pool: 0n, recipient: 0n })).to.throw(/three quarters/);
      expect(() => liquidationShares(-1n, { liquidator: 0n, pool: 0n, recipient: 1n })).to.throw(RangeError);
    });
  });

  describe("on the contract", function () {
    it("encodes a key as serviceNodeIDs takes it", async function () {
      const f = await loadFixture(twoNodesFixture);
      const key = f.network.node(1).publicKeyStruct;
      expect(await f.rewards.serviceNodeIDs(encodeBlsPublicKey(key))).to.equal(2n);
      expect(blsPublicKeyHash(key)).to.equal(ethers.keccak256(encodeBlsPublicKey(key)));
    });

    it("reads a node with its contributors and beneficiaries, and nothing for an unknown id", async function () {
      const f = await loadFixture(twoNodesFixture);
      const node = await readNode(f.rewards, 2n);
      const [solo, operator, other] = f.stakers;
      expect(node?.operator).to.equal(operator?.address);
      expect(node?.prev).to.equal(1n);
      expect(node?.ed25519PublicKey).to.equal(101n);
      expect(node?.contributors.map((c) => [c.staker, c.beneficiary])).to.deep.equal([
        [operator?.address, operator?.address],
        [other?.address, solo?.address],
      ]);
      expect(node?.contributors.reduce((sum, c) => sum + c.stakedAmount, 0n)).to.equal(node?.deposit);
      expect(await readNode(f.rewards, 4n)).to.equal(undefined);
      expect(await rejectionOf(readNode(f.rewards, 0n))).to.be.instanceOf(RangeError);
    });

    it("builds a reward update the contract accepts, with the non-signers listed", async function () {
      const f = await loadFixture(twoNodesFixture);
      const recipient = f.stakers[5]?.address ?? "";
      const args = signRewardsUpdate(f.network, f.tags, recipient.toLowerCase(), 123n, [1n, 3n]);
      expect(args[3]).to.deep.equal([2n]);
      await expect(f.rewards.updateRewardsBalance(...args))
        .to.emit(f.rewards, "RewardsBalanceUpdated")
        .withArgs(recipient, 123n, 0n);
    });

    it("splits a liquidation as the contract pays it", async function () {
      const f = await loadFixture(twoNodesFixture);
      await time.increase(3 * 3600);
      const now = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(now);
      const liquidator = f.stakers[4];
      if (liquidator === undefined) throw new Error("too few stakers");
      const deposit = (await f.rewards.serviceNodes(1n)).deposit;
      const expected = liquidationShares(deposit, {
        liquidator: await f.rewards.liquidatorRewardRatio(),
        pool: await f.rewards.poolShareOfLiquidationRatio(),
        recipient: await f.rewards.recipientRatio(),
      });
      const args = signLiquidation(f.network, f.tags, f.network.node(0).publicKeyStruct, now);
      const sent = f.rewards.connect(liquidator).liquidateBLSPublicKeyWithSignature(...args);
      await expect(sent)
        .to.emit(f.rewards, "ServiceNodeExit")
        .withArgs(1n, liquidator.address, expected.returned, [args[0].X, args[0].Y]);
      await expect(sent).to.changeTokenBalances(
        f.sesh,
        [liquidator, f.poolAddress, f.rewardsAddress],
        [expected.liquidator, expected.pool, -(expected.liquidator + expected.pool)],
      );
    });
  });
});

import { time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { Wallet, ZeroAddress } from "ethers";

import {
  buildTag,
  domainTags,
  GROUP_ORDER,
  publicKeyOf,
  rewardMessage,
  secretKeyFromSeed,
  sign,
  TAG_BASES,
  toG1Struct,
  toSignatureParams,
  type G1PointStruct,
} from "../../../lib/bls";
import { restoreChainAfterSuite } from "../../helpers/chain";
import { loadStakingFixture, type StakingFixture } from "../../helpers/staking";
import { DAY, NO_SIGNATURE, SEEDED, SESH, aggregateOf, at, range, signBy, suiteFixtures } from "./fixtures";

const { deployedFixture, seededFixture } = suiteFixtures();

const ALL = range(SEEDED);
const tuple = (key: G1PointStruct) => [key.X, key.Y];
/** What {creditedFixture} credits stakers 0 and 1. */
const CREDIT_A = 100n * SESH;
const CREDIT_B = 50n * SESH;

/** The network's indices other than `excluded`. */
function allBut(...excluded: number[]): number[] {
  return ALL.filter((index) => !excluded.includes(index));
}

/** A reward signature by `signers` (network indices) for `recipient`'s cumulative `amount`. */
function rewardSignature(f: StakingFixture, recipient: string, amount: bigint, signers: readonly number[] = ALL) {
  return signBy(f, signers, rewardMessage(f.tags, recipient, amount));
}

/** {seededFixture} with staker 0 credited CREDIT_A and staker 1 CREDIT_B by the whole network. */
async function creditedFixture(): Promise<StakingFixture> {
  const f = await seededFixture();
  for (const [index, amount] of [
    [0, CREDIT_A],
    [1, CREDIT_B],
  ] as const) {
    const recipient = at(f.stakers, index).address;
    await (await f.rewards.updateRewardsBalance(recipient, amount, rewardSignature(f, recipient, amount), [])).wait();
  }
  return f;
}

/** {seededFixture} in which node id 2 (network index 1, staked by staker 1 alone) has left after the 30-day wait. */
async function exitedFixture(): Promise<StakingFixture> {
  const f = await seededFixture();
  await (await f.rewards.connect(at(f.stakers, 1)).initiateExitBLSPublicKey(2n)).wait();
  await time.increase(30n * DAY);
  await (await f.rewards.exitBLSPublicKeyAfterWaitTime(2n)).wait();
  return f;
}

/** Nodes of {wideFixture}: more than 256, so that the non-signer bitmap spans two words. */
const WIDE = 300;
const wideSecretKey = (index: number) => secretKeyFromSeed("non-signer bitmap", index);

/** {WIDE} solo nodes seeded a day ago (ids 1..WIDE, node id i has wideSecretKey(i − 1)), then started. */
async function wideFixture(): Promise<StakingFixture> {
  const f = await deployedFixture();
  const dayAgo = BigInt(await time.latest()) - DAY;
  const staker = at(f.stakers, 0).address;
  const seeds = range(WIDE).map((index) => ({
    blsPubkey: toG1Struct(publicKeyOf(wideSecretKey(index))),
    ed25519Pubkey: 10_000n + BigInt(index),
    addedTimestamp: dayAgo,
    contributors: [{ staker: { addr: staker, beneficiary: staker }, stakedAmount: f.parameters.stakingRequirement }],
  }));
  const batch = 100;
  for (let first = 0; first < WIDE; first += batch) {
    await (await f.rewards.connect(f.owner).seedPublicKeyList(seeds.slice(first, first + batch))).wait();
  }
  await (await f.rewards.connect(f.owner).start()).wait();
  return f;
}

/** The aggregate signature of every node of {wideFixture} but the ids `nonSigners` on `message`. */
function wideSignature(f: StakingFixture, message: string, nonSigners: readonly bigint[]) {
  let secret = 0n;
  for (const index of range(WIDE)) {
    if (!nonSigners.includes(BigInt(index + 1))) secret = (secret + wideSecretKey(index)) % GROUP_ORDER;
  }
  return toSignatureParams(sign(secret, message, f.tags.hashToG2Tag));
}

describe("ServiceNodeRewards: rewards", function () {
  restoreChainAfterSuite();

  describe("#updateRewardsBalance", function () {
    it("credits the signed cumulative rewards and emits RewardsBalanceUpdated(recipient, amount, previous)", async function () {
      const f = await loadStakingFixture(seededFixture);
      const recipient = at(f.stakers, 3).address;
      const amount = 7n * SESH;
      await expect(f.rewards.updateRewardsBalance(recipient, amount, rewardSignature(f, recipient, amount), []))
        .to.emit(f.rewards, "RewardsBalanceUpdated")
        .withArgs(recipient, amount, 0n);
      expect(await f.rewards.recipients(recipient)).to.deep.equal([amount, 0n]);
    });

    it("credits a higher value later, reporting the previous one, and moves no tokens", async function () {
      const f = await loadStakingFixture(creditedFixture);
      const recipient = at(f.stakers, 0).address;
      const amount = CREDIT_A + 1n;
      const tx = f.rewards.updateRewardsBalance(recipient, amount, rewardSignature(f, recipient, amount), []);
      await expect(tx).to.emit(f.rewards, "RewardsBalanceUpdated").withArgs(recipient, amount, CREDIT_A);
      await expect(tx).to.changeTokenBalances(f.sesh, [f.rewards, recipient], [0n, 0n]);
      expect(await f.rewards.recipients(recipient)).to.deep.equal([amount, 0n]);
    });

    it("accepts a signature submitted by anyone, crediting the signed recipient", async function () {
      const f = await loadStakingFixture(seededFixture);
      const recipient = at(f.stakers, 3).address;
      const submitter = at(f.stakers, 5);
      await f.rewards.connect(submitter).updateRewardsBalance(recipient, SESH, rewardSignature(f, recipient, SESH), []);
      expect(await f.rewards.recipients(recipient)).to.deep.equal([SESH, 0n]);
      expect(await f.rewards.recipients(submitter.address)).to.deep.equal([0n, 0n]);
    });

    it("accepts up to blsNonSignerThreshold non-signers, listed in any order", async function () {
      const f = await loadStakingFixture(seededFixture);
      const recipient = at(f.stakers, 3).address;
      const nonSigners = [9, 2, 11, 6];
      expect(await f.rewards.blsNonSignerThreshold()).to.equal(BigInt(nonSigners.length));
      const signature = rewardSignature(f, recipient, SESH, allBut(...nonSigners));
      await expect(
        f.rewards.updateRewardsBalance(
          recipient,
          SESH,
          signature,
          nonSigners.map((index) => BigInt(index + 1)),
        ),
      )
        .to.emit(f.rewards, "RewardsBalanceUpdated")
        .withArgs(recipient, SESH, 0n);
    });

    it("reverts InsufficientBLSSignatures(signers, required) for one non-signer more than the threshold", async function () {
      const f = await loadStakingFixture(seededFixture);
      const recipient = at(f.stakers, 3).address;
      await expect(f.rewards.updateRewardsBalance(recipient, SESH, NO_SIGNATURE, [1n, 2n, 3n, 4n, 5n]))
        .to.be.revertedWithCustomError(f.rewards, "InsufficientBLSSignatures")
        .withArgs(BigInt(SEEDED - 5), BigInt(SEEDED - SEEDED / 3));
    });

    it("reverts InsufficientBLSSignatures(0, required) for more non-signers than nodes, before any other check", async function () {
      const f = await loadStakingFixture(seededFixture);
      const ids = range(SEEDED + 3).map((i) => BigInt(i + 1));
      await expect(f.rewards.updateRewardsBalance(ZeroAddress, 0n, NO_SIGNATURE, ids))
        .to.be.revertedWithCustomError(f.rewards, "InsufficientBLSSignatures")
        .withArgs(0n, BigInt(SEEDED - SEEDED / 3));
    });

    it("reverts NullAddress for the zero recipient", async function () {
      const f = await loadStakingFixture(seededFixture);
      await expect(
        f.rewards.updateRewardsBalance(ZeroAddress, SESH, rewardSignature(f, ZeroAddress, SESH), []),
      ).to.be.revertedWithCustomError(f.rewards, "NullAddress");
    });

    it("reverts RecipientRewardsTooLow for a value equal to the one credited", async function () {
      const f = await loadStakingFixture(creditedFixture);
      const recipient = at(f.stakers, 0).address;
      await expect(f.rewards.updateRewardsBalance(recipient, CREDIT_A, NO_SIGNATURE, [])).to.be.revertedWithCustomError(
        f.rewards,
        "RecipientRewardsTooLow",
      );
    });

    it("reverts RecipientRewardsTooLow for a value lower than the one credited", async function () {
      const f = await loadStakingFixture(creditedFixture);
      const recipient = at(f.stakers, 0).address;
      await expect(
        f.rewards.updateRewardsBalance(recipient, CREDIT_A - 1n, NO_SIGNATURE, []),
      ).to.be.revertedWithCustomError(f.rewards, "RecipientRewardsTooLow");
    });

    it("reverts RecipientRewardsTooLow for 0 to a recipient never credited", async function () {
      const f = await loadStakingFixture(seededFixture);
      await expect(
        f.rewards.updateRewardsBalance(at(f.stakers, 4).address, 0n, NO_SIGNATURE, []),
      ).to.be.revertedWithCustomError(f.rewards, "RecipientRewardsTooLow");
    });

    it("reverts ValueTooLarge(value, 2^128 − 1) above what a balance holds", async function () {
      const f = await loadStakingFixture(seededFixture);
      const max = 2n ** 128n - 1n;
      await expect(f.rewards.updateRewardsBalance(at(f.stakers, 4).address, max + 1n, NO_SIGNATURE, []))
        .to.be.revertedWithCustomError(f.rewards, "ValueTooLarge")
        .withArgs(max + 1n, max);
    });

    describe("rejects a non-signer list production accepted (a repeated or unknown id)", function () {
      it("reverts NonSignerNotRegistered(0) for the sentinel", async function () {
        const f = await loadStakingFixture(seededFixture);
        await expect(f.rewards.updateRewardsBalance(at(f.stakers, 4).address, SESH, NO_SIGNATURE, [3n, 0n]))
          .to.be.revertedWithCustomError(f.rewards, "NonSignerNotRegistered")
          .withArgs(0n);
      });

      it("reverts NonSignerNotRegistered(id) for an id never given", async function () {
        const f = await loadStakingFixture(seededFixture);
        const never = BigInt(SEEDED + 1);
        await expect(f.rewards.updateRewardsBalance(at(f.stakers, 4).address, SESH, NO_SIGNATURE, [never]))
          .to.be.revertedWithCustomError(f.rewards, "NonSignerNotRegistered")
          .withArgs(never);
      });

      it("reverts NonSignerNotRegistered(id) for a far id (the bitmap is sized by nextServiceNodeID, not by the list)", async function () {
        const f = await loadStakingFixture(seededFixture);
        const far = 2n ** 40n;
        await expect(f.rewards.updateRewardsBalance(at(f.stakers, 4).address, SESH, NO_SIGNATURE, [1n, far]))
          .to.be.revertedWithCustomError(f.rewards, "NonSignerNotRegistered")
          .withArgs(far);
      });

      it("reverts NonSignerNotRegistered(id) for the id of a node that left", async function () {
        const f = await loadStakingFixture(exitedFixture);
        const recipient = at(f.stakers, 4).address;
        // Signed by the nodes still registered: the list alone is wrong.
        const signature = rewardSignature(f, recipient, SESH, allBut(1));
        await expect(f.rewards.updateRewardsBalance(recipient, SESH, signature, [2n]))
          .to.be.revertedWithCustomError(f.rewards, "NonSignerNotRegistered")
          .withArgs(2n);
        await f.rewards.updateRewardsBalance(recipient, SESH, signature, []);
        expect(await f.rewards.recipients(recipient)).to.deep.equal([SESH, 0n]);
      });

      it("reverts NonSignerRepeated(id) for an id listed twice", async function () {
        const f = await loadStakingFixture(seededFixture);
        await expect(f.rewards.updateRewardsBalance(at(f.stakers, 4).address, SESH, NO_SIGNATURE, [3n, 5n, 3n]))
          .to.be.revertedWithCustomError(f.rewards, "NonSignerRepeated")
          .withArgs(3n);
      });

      it("reports the first wrong id in the list's order", async function () {
        const f = await loadStakingFixture(seededFixture);
        const recipient = at(f.stakers, 4).address;
        const far = 2n ** 40n;
        await expect(f.rewards.updateRewardsBalance(recipient, SESH, NO_SIGNATURE, [3n, 3n, far]))
          .to.be.revertedWithCustomError(f.rewards, "NonSignerRepeated")
          .withArgs(3n);
        await expect(f.rewards.updateRewardsBalance(recipient, SESH, NO_SIGNATURE, [far, 3n, 3n]))
          .to.be.revertedWithCustomError(f.rewards, "NonSignerNotRegistered")
          .withArgs(far);
      });

      it("finds repeats in every word of the bitmap (ids 1 to 300)", async function () {
        this.timeout(120_000);
        const f = await loadStakingFixture(wideFixture);
        const recipient = at(f.stakers, 4).address;
        for (const id of [255n, 256n, 257n, 300n]) {
          await expect(f.rewards.updateRewardsBalance(recipient, SESH, NO_SIGNATURE, [1n, id, 2n, id]))
            .to.be.revertedWithCustomError(f.rewards, "NonSignerRepeated")
            .withArgs(id);
        }
        // 256 and 0 share a bit position in different words: neither is taken for the other.
        await expect(f.rewards.updateRewardsBalance(recipient, SESH, NO_SIGNATURE, [256n, 0n]))
          .to.be.revertedWithCustomError(f.rewards, "NonSignerNotRegistered")
          .withArgs(0n);
      });

      it("accepts non-signers from both words of the bitmap, in any order", async function () {
        this.timeout(120_000);
        const f = await loadStakingFixture(wideFixture);
        const recipient = at(f.stakers, 4).address;
        const nonSigners = [300n, 2n, 256n, 1n, 255n, 257n];
        const signature = wideSignature(f, rewardMessage(f.tags, recipient, SESH), nonSigners);
        // The signature with one non-signer left out of the list does not verify: its key would be counted.
        await expect(
          f.rewards.updateRewardsBalance(recipient, SESH, signature, nonSigners.slice(1)),
        ).to.be.revertedWithCustomError(f.rewards, "InvalidBLSSignature");
        await expect(f.rewards.updateRewardsBalance(recipient, SESH, signature, nonSigners))
          .to.emit(f.rewards, "RewardsBalanceUpdated")
          .withArgs(recipient, SESH, 0n);
      });

      it("reverts NonSignerRepeated(id) for the highest id repeated after the lowest", async function () {
        const f = await loadStakingFixture(seededFixture);
        await expect(f.rewards.updateRewardsBalance(at(f.stakers, 4).address, SESH, NO_SIGNATURE, [12n, 1n, 12n]))
          .to.be.revertedWithCustomError(f.rewards, "NonSignerRepeated")
          .withArgs(12n);
      });
    });

    describe("reverts InvalidBLSSignature(key) naming the key it checked", function () {
      async function rejects(
        f: StakingFixture,
        signature: ReturnType<typeof signBy>,
        nonSigners: readonly number[],
        amount = SESH,
      ): Promise<void> {
        const recipient = at(f.stakers, 3).address;
        const key = aggregateOf(f, allBut(...nonSigners));
        await expect(
          f.rewards.updateRewardsBalance(
            recipient,
            amount,
            signature,
            nonSigners.map((index) => BigInt(index + 1)),
          ),
        )
          .to.be.revertedWithCustomError(f.rewards, "InvalidBLSSignature")
          .withArgs([key.X, key.Y]);
        expect(await f.rewards.recipients(recipient)).to.deep.equal([0n, 0n]);
      }

      it("for a signature of another amount", async function () {
        const f = await loadStakingFixture(seededFixture);
        await rejects(f, rewardSignature(f, at(f.stakers, 3).address, SESH + 1n), []);
      });

      it("for a signature of another recipient", async function () {
        const f = await loadStakingFixture(seededFixture);
        await rejects(f, rewardSignature(f, at(f.stakers, 4).address, SESH), []);
      });

      it("for a signature missing a node not listed as a non-signer", async function () {
        const f = await loadStakingFixture(seededFixture);
        await rejects(f, rewardSignature(f, at(f.stakers, 3).address, SESH, allBut(4)), []);
      });

      it("for a node listed as a non-signer that signed (the key less that node)", async function () {
        const f = await loadStakingFixture(seededFixture);
        await rejects(f, rewardSignature(f, at(f.stakers, 3).address, SESH), [4]);
      });

      it("for the null signature", async function () {
        const f = await loadStakingFixture(seededFixture);
        await rejects(f, NO_SIGNATURE, [7, 1]);
      });

      it("for an aggregate key that is the identity (seeded keys P and −P), whatever the signature", async function () {
        const f = await loadStakingFixture(deployedFixture);
        const p = f.network.node(0).publicKey;
        const staker = at(f.stakers, 0).address;
        const requirement = f.parameters.stakingRequirement;
        const seeds = [p, p.negate()].map((point, i) => ({
          blsPubkey: toG1Struct(point),
          ed25519Pubkey: BigInt(i + 1),
          addedTimestamp: 0n,
          contributors: [{ staker: { addr: staker, beneficiary: staker }, stakedAmount: requirement }],
        }));
        await f.rewards.connect(f.owner).seedPublicKeyList(seeds);
        await f.rewards.connect(f.owner).start();
        expect(tuple(await f.rewards.aggregatePubkey())).to.deep.equal([0n, 0n]);
        const signature = signBy(f, [0], rewardMessage(f.tags, staker, SESH));
        await expect(f.rewards.updateRewardsBalance(staker, SESH, signature, []))
          .to.be.revertedWithCustomError(f.rewards, "InvalidBLSSignature")
          .withArgs([0n, 0n]);
      });

      it("for a signature made for another chain id", async function () {
        const f = await loadStakingFixture(seededFixture);
        const tags = domainTags(f.chainId + 1n, f.rewardsAddress);
        const recipient = at(f.stakers, 3).address;
        await rejects(f, signBy(f, ALL, rewardMessage(tags, recipient, SESH), tags.hashToG2Tag), []);
      });

      it("for a signature made for another deployment", async function () {
        const f = await loadStakingFixture(seededFixture);
        const tags = domainTags(f.chainId, Wallet.createRandom().address);
        const recipient = at(f.stakers, 3).address;
        await rejects(f, signBy(f, ALL, rewardMessage(tags, recipient, SESH), tags.hashToG2Tag), []);
      });

      it("for a signature under another tag (the exit tag in place of the reward tag)", async function () {
        const f = await loadStakingFixture(seededFixture);
        const recipient = at(f.stakers, 3).address;
        const exitTag = buildTag(TAG_BASES.exitTag, f.chainId, f.rewardsAddress);
        expect(exitTag).to.equal(f.tags.exitTag);
        await rejects(f, signBy(f, ALL, rewardMessage({ rewardTag: exitTag }, recipient, SESH)), []);
      });

      it("for a signature hashed under another hash-to-G2 tag", async function () {
        const f = await loadStakingFixture(seededFixture);
        const recipient = at(f.stakers, 3).address;
        await rejects(f, signBy(f, ALL, rewardMessage(f.tags, recipient, SESH), f.tags.rewardTag), []);
      });
    });

    it("reverts EnforcedPause while paused", async function () {
      const f = await loadStakingFixture(seededFixture);
      const recipient = at(f.stakers, 3).address;
      const signature = rewardSignature(f, recipient, SESH);
      await f.rewards.connect(f.owner).pause();
      await expect(f.rewards.updateRewardsBalance(recipient, SESH, signature, [])).to.be.revertedWithCustomError(
        f.rewards,
        "EnforcedPause",
      );
      await f.rewards.connect(f.owner).unpause();
      await f.rewards.updateRewardsBalance(recipient, SESH, signature, []);
      expect(await f.rewards.recipients(recipient)).to.deep.equal([SESH, 0n]);
    });
  });

  describe("#claimRewards()", function () {
    it("pays everything owed and emits RewardsClaimed", async function () {
      const f = await loadStakingFixture(creditedFixture);
      const recipient = at(f.stakers, 0);
      const tx = f.rewards.connect(recipient)["claimRewards()"]();
      await expect(tx).to.emit(f.rewards, "RewardsClaimed").withArgs(recipient.address, CREDIT_A);
      await expect(tx).to.changeTokenBalances(f.sesh, [f.rewards, recipient], [-CREDIT_A, CREDIT_A]);
      expect(await f.rewards.recipients(recipient.address)).to.deep.equal([CREDIT_A, CREDIT_A]);
    });

    it("pays only what was credited since the last claim", async function () {
      const f = await loadStakingFixture(creditedFixture);
      const recipient = at(f.stakers, 0);
      await f.rewards.connect(recipient)["claimRewards()"]();
      const more = CREDIT_A + 3n * SESH;
      await f.rewards.updateRewardsBalance(recipient.address, more, rewardSignature(f, recipient.address, more), []);
      await expect(f.rewards.connect(recipient)["claimRewards()"]()).to.changeTokenBalance(
        f.sesh,
        recipient,
        3n * SESH,
      );
      expect(await f.rewards.recipients(recipient.address)).to.deep.equal([more, more]);
    });

    it("reverts EnforcedPause while paused, and pays once unpaused", async function () {
      const f = await loadStakingFixture(creditedFixture);
      const recipient = at(f.stakers, 0);
      await f.rewards.connect(f.owner).pause();
      await expect(f.rewards.connect(recipient)["claimRewards()"]()).to.be.revertedWithCustomError(
        f.rewards,
        "EnforcedPause",
      );
      await f.rewards.connect(f.owner).unpause();
      await expect(f.rewards.connect(recipient)["claimRewards()"]()).to.changeTokenBalance(f.sesh, recipient, CREDIT_A);
    });
  });

  describe("#claimRewards(uint256)", function () {
    it("pays the amount asked, then the rest", async function () {
      const f = await loadStakingFixture(creditedFixture);
      const recipient = at(f.stakers, 0);
      const part = 30n * SESH;
      const tx = f.rewards.connect(recipient)["claimRewards(uint256)"](part);
      await expect(tx).to.emit(f.rewards, "RewardsClaimed").withArgs(recipient.address, part);
      await expect(tx).to.changeTokenBalances(f.sesh, [f.rewards, recipient], [-part, part]);
      expect(await f.rewards.recipients(recipient.address)).to.deep.equal([CREDIT_A, part]);
      await expect(f.rewards.connect(recipient)["claimRewards(uint256)"](CREDIT_A - part)).to.changeTokenBalance(
        f.sesh,
        recipient,
        CREDIT_A - part,
      );
    });

    it("reverts MaxClaimExceeded one atom above what is owed", async function () {
      const f = await loadStakingFixture(creditedFixture);
      const recipient = at(f.stakers, 0);
      await expect(f.rewards.connect(recipient)["claimRewards(uint256)"](CREDIT_A + 1n)).to.be.revertedWithCustomError(
        f.rewards,
        "MaxClaimExceeded",
      );
      await f.rewards.connect(recipient)["claimRewards(uint256)"](40n * SESH);
      await expect(
        f.rewards.connect(recipient)["claimRewards(uint256)"](CREDIT_A - 40n * SESH + 1n),
      ).to.be.revertedWithCustomError(f.rewards, "MaxClaimExceeded");
      expect(await f.rewards.recipients(recipient.address)).to.deep.equal([CREDIT_A, 40n * SESH]);
    });

    it("reverts MaxClaimExceeded for a recipient never credited", async function () {
      const f = await loadStakingFixture(creditedFixture);
      await expect(f.rewards.connect(at(f.stakers, 5))["claimRewards(uint256)"](1n)).to.be.revertedWithCustomError(
        f.rewards,
        "MaxClaimExceeded",
      );
    });

    it("reverts ClaimThresholdExceeded across claimants within a cycle, and allows it in the next cycle", async function () {
      const f = await loadStakingFixture(creditedFixture);
      const [a, b] = [at(f.stakers, 0), at(f.stakers, 1)];
      const threshold = 120n * SESH;
      await f.rewards.connect(f.owner).setClaimThreshold(threshold);
      const cycle = await f.rewards.claimCycle();
      const nextCycle = BigInt(await time.latest()) / cycle + 1n;
      await time.setNextBlockTimestamp(nextCycle * cycle);
      await f.rewards.connect(a)["claimRewards()"]();
      await expect(
        f.rewards.connect(b)["claimRewards(uint256)"](threshold - CREDIT_A + 1n),
      ).to.be.revertedWithCustomError(f.rewards, "ClaimThresholdExceeded");
      await f.rewards.connect(b)["claimRewards(uint256)"](threshold - CREDIT_A);
      expect(await f.rewards.currentClaimCycle()).to.equal(nextCycle);
      expect(await f.rewards.currentClaimTotal()).to.equal(threshold);
      await expect(f.rewards.connect(b)["claimRewards(uint256)"](1n)).to.be.revertedWithCustomError(
        f.rewards,
        "ClaimThresholdExceeded",
      );
      await time.setNextBlockTimestamp((nextCycle + 1n) * cycle);
      const rest = CREDIT_B - (threshold - CREDIT_A);
      await expect(f.rewards.connect(b)["claimRewards(uint256)"](rest)).to.changeTokenBalance(f.sesh, b, rest);
      expect(await f.rewards.currentClaimCycle()).to.equal(nextCycle + 1n);
      expect(await f.rewards.currentClaimTotal()).to.equal(rest);
    });

    it("reverts EnforcedPause while paused", async function () {
      const f = await loadStakingFixture(creditedFixture);
      await f.rewards.connect(f.owner).pause();
      await expect(f.rewards.connect(at(f.stakers, 0))["claimRewards(uint256)"](1n)).to.be.revertedWithCustomError(
        f.rewards,
        "EnforcedPause",
      );
    });
  });

  describe("H-01: a replayed or front-run reward signature neither lowers a balance nor stops a claim", function () {
    it("rejects an older, lower signature after a newer one, and the recipient claims the newer balance", async function () {
      const f = await loadStakingFixture(seededFixture);
      const recipient = at(f.stakers, 4);
      const older = rewardSignature(f, recipient.address, 10n * SESH);
      const newer = rewardSignature(f, recipient.address, 25n * SESH);
      await f.rewards.updateRewardsBalance(recipient.address, 10n * SESH, older, []);
      await f.rewards.updateRewardsBalance(recipient.address, 25n * SESH, newer, []);
      await expect(
        f.rewards.connect(at(f.stakers, 6)).updateRewardsBalance(recipient.address, 10n * SESH, older, []),
      ).to.be.revertedWithCustomError(f.rewards, "RecipientRewardsTooLow");
      expect(await f.rewards.recipients(recipient.address)).to.deep.equal([25n * SESH, 0n]);
      await expect(f.rewards.connect(recipient)["claimRewards()"]()).to.changeTokenBalance(
        f.sesh,
        recipient,
        25n * SESH,
      );
    });

    it("rejects the same signature again after a claim, keeping what was claimed", async function () {
      const f = await loadStakingFixture(creditedFixture);
      const recipient = at(f.stakers, 0);
      await f.rewards.connect(recipient)["claimRewards()"]();
      const replay = rewardSignature(f, recipient.address, CREDIT_A);
      await expect(
        f.rewards.updateRewardsBalance(recipient.address, CREDIT_A, replay, []),
      ).to.be.revertedWithCustomError(f.rewards, "RecipientRewardsTooLow");
      expect(await f.rewards.recipients(recipient.address)).to.deep.equal([CREDIT_A, CREDIT_A]);
      await expect(f.rewards.connect(recipient)["claimRewards(uint256)"](1n)).to.be.revertedWithCustomError(
        f.rewards,
        "MaxClaimExceeded",
      );
    });

    it("credits the recipient when someone else submits its signature first, and the recipient still claims", async function () {
      const f = await loadStakingFixture(seededFixture);
      const [recipient, frontRunner] = [at(f.stakers, 4), at(f.stakers, 5)];
      const signature = rewardSignature(f, recipient.address, 9n * SESH);
      await f.rewards.connect(frontRunner).updateRewardsBalance(recipient.address, 9n * SESH, signature, []);
      await expect(
        f.rewards.connect(recipient).updateRewardsBalance(recipient.address, 9n * SESH, signature, []),
      ).to.be.revertedWithCustomError(f.rewards, "RecipientRewardsTooLow");
      await expect(f.rewards.connect(frontRunner)["claimRewards(uint256)"](1n)).to.be.revertedWithCustomError(
        f.rewards,
        "MaxClaimExceeded",
      );
      await expect(f.rewards.connect(recipient)["claimRewards()"]()).to.changeTokenBalances(
        f.sesh,
        [recipient, frontRunner],
        [9n * SESH, 0n],
      );
    });
  });
});

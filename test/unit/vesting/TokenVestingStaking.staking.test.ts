import { time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ZeroAddress, type ContractTransactionResponse } from "ethers";

import { exitMessage, rewardMessage } from "../../../lib/bls";
import type { ServiceNodeContribution } from "../../../typechain-types";
import { restoreChainAfterSuite } from "../../helpers/chain";
import { loadStakingFixture, type StakingFixture } from "../../helpers/staking";
import { contribute, open, STATUS, WITHDRAWAL_DELAY } from "../contribution/helpers";
import { at, DAY, ED_BASE, HOUR, keyOf, nodeParams, popOf, SEEDED, SESH, signBy } from "../rewards/fixtures";
import { vestingFixtures, type VestingFixture } from "./stakingFixtures";

const { seededVestingFixture } = vestingFixtures();

/** The network node the vesting registers alone (the first one the seeded fixture leaves free), and its id. */
const SOLO = SEEDED;
const SOLO_ID = BigInt(SEEDED + 1);
/** The network nodes of the contribution contracts, their ed25519 keys and the id the first one to register gets. */
const SHARED = SEEDED + 1;
const OTHER_SHARED = SEEDED + 2;
const SHARED_ID = BigInt(SEEDED + 1);
/** A node must be this old before it may exit (MIN_NODE_AGE_BEFORE_EXIT). */
const NODE_AGE_BEFORE_EXIT = 2n * HOUR;
/** The wait after an exit request past which anyone completes the exit (MAX_SERVICE_NODE_EXIT_WAIT_TIME). */
const EXIT_WAIT = 30n * DAY;
/** What the network credits as rewards in these flows. */
const FIRST_REWARDS = 120n * SESH;
const LATER_REWARDS = 80n * SESH;

const tuple = (key: { X: bigint; Y: bigint }) => [key.X, key.Y];

/** The network indices of the registered nodes, in the contract's list order. */
async function registeredIndices(f: StakingFixture): Promise<number[]> {
  const [, keys] = await f.rewards.allServiceNodeIDs();
  return keys.map((key) => {
    const index = f.network.nodes.findIndex(
      (node) => node.publicKeyStruct.X === key.X && node.publicKeyStruct.Y === key.Y,
    );
    if (index < 0) throw new Error(`registered key ${key.X} is no network node's`);
    return index;
  });
}

/** The network (every registered node signing) credits `recipient` with cumulative rewards of `cumulative`. */
async function credit(f: StakingFixture, recipient: string, cumulative: bigint): Promise<void> {
  const signature = signBy(f, await registeredIndices(f), rewardMessage(f.tags, recipient, cumulative));
  await (await f.rewards.updateRewardsBalance(recipient, cumulative, signature, [])).wait();
}

/** The network (every registered node signing) removes the node at network `index`; anyone submits it. */
async function exitBySignature(f: StakingFixture, index: number): Promise<ContractTransactionResponse> {
  const timestamp = BigInt(await time.latest()) + 1n;
  const signature = signBy(f, await registeredIndices(f), exitMessage(f.tags, keyOf(f, index), timestamp));
  await time.setNextBlockTimestamp(timestamp);
  return f.rewards.connect(at(f.stakers, 5)).exitBLSPublicKeyWithSignature(keyOf(f, index), timestamp, signature, []);
}

/** The vesting, by `caller` (the beneficiary by default), registers network node SOLO alone. */
async function registerSolo(
  f: VestingFixture,
  snBeneficiary = ZeroAddress,
  caller = f.beneficiary,
): Promise<ContractTransactionResponse> {
  const ed25519 = ED_BASE + BigInt(SOLO);
  const pop = popOf(f, SOLO, f.vestingAddress, ed25519);
  return f.vesting.connect(caller).addBLSPublicKey(keyOf(f, SOLO), pop, nodeParams(ed25519), snBeneficiary);
}

/** A contribution contract of the factory for network node `node`, its operator (staker 0) in for a quarter. */
async function openShared(f: VestingFixture, node: number): Promise<ServiceNodeContribution> {
  const contribution = await open(f, { node, ed25519: ED_BASE + BigInt(node) });
  await (await contribute(f, contribution, at(f.stakers, 0), f.parameters.stakingRequirement / 4n)).wait();
  return contribution;
}

/** Stakers 1 and 2 fill `contribution` (a quarter each, the second one the rest), which registers the node. */
async function fill(f: VestingFixture, contribution: ServiceNodeContribution): Promise<void> {
  const quarter = f.parameters.stakingRequirement / 4n;
  await (await contribute(f, contribution, at(f.stakers, 1), quarter)).wait();
  const rest = f.parameters.stakingRequirement - (await contribution.totalContribution());
  await expect(contribute(f, contribution, at(f.stakers, 2), rest)).to.emit(contribution, "Finalized");
}

describe("TokenVestingStaking: staking with ServiceNodeRewards and the contribution contracts", function () {
  restoreChainAfterSuite();

  describe("a solo node", function () {
    it("registers, earns rewards it claims into the vesting, exits by signature, claims the stake back and releases all at the end", async function () {
      const f = await loadStakingFixture(seededVestingFixture);
      const requirement = f.parameters.stakingRequirement;
      const sesh = await f.sesh.getAddress();

      await expect(registerSolo(f))
        .to.emit(f.rewards, "NewServiceNodeV2")
        .withArgs(
          SOLO_ID,
          f.vestingAddress,
          tuple(keyOf(f, SOLO)),
          [ED_BASE + BigInt(SOLO), 1n, 2n, 0n],
          [[[f.vestingAddress, f.vestingAddress], requirement]],
        );
      expect(await f.sesh.balanceOf(f.vestingAddress)).to.equal(f.funded - requirement);
      expect(await f.sesh.allowance(f.vestingAddress, f.rewardsAddress)).to.equal(0n);

      await credit(f, f.vestingAddress, FIRST_REWARDS);
      await expect(f.vesting.connect(f.beneficiary)["claimRewards()"]()).to.changeTokenBalances(
        f.sesh,
        [f.vesting, f.rewards],
        [FIRST_REWARDS, -FIRST_REWARDS],
      );

      await time.increase(NODE_AGE_BEFORE_EXIT);
      await expect(f.vesting.connect(f.beneficiary).initiateExitBLSPublicKey(SOLO_ID))
        .to.emit(f.rewards, "ServiceNodeExitRequest")
        .withArgs(SOLO_ID, f.vestingAddress, tuple(keyOf(f, SOLO)));
      await expect(exitBySignature(f, SOLO))
        .to.emit(f.rewards, "ServiceNodeExit")
        .withArgs(SOLO_ID, at(f.stakers, 5).address, requirement, tuple(keyOf(f, SOLO)));

      // The network credits the returned stake with the rewards since: cumulative.
      const total = FIRST_REWARDS + requirement + LATER_REWARDS;
      await credit(f, f.vestingAddress, total);
      await expect(f.vesting.connect(f.beneficiary)["claimRewards(uint256)"](requirement)).to.changeTokenBalance(
        f.sesh,
        f.vesting,
        requirement,
      );
      await expect(f.vesting.connect(f.beneficiary)["claimRewards()"]()).to.changeTokenBalance(
        f.sesh,
        f.vesting,
        LATER_REWARDS,
      );
      expect(await f.rewards.recipients(f.vestingAddress)).to.deep.equal([total, total]);

      await expect(f.vesting.connect(f.beneficiary).release(sesh)).to.be.revertedWithCustomError(
        f.vesting,
        "VestingNotEnded",
      );
      await time.increaseTo(f.end);
      const everything = f.funded + FIRST_REWARDS + LATER_REWARDS;
      await expect(f.vesting.connect(f.beneficiary).release(sesh)).to.changeTokenBalances(
        f.sesh,
        [f.vesting, f.beneficiary],
        [-everything, everything],
      );
    });

    it("exits after the 30-day wait when the network does not sign, and the stake comes back", async function () {
      const f = await loadStakingFixture(seededVestingFixture);
      const requirement = f.parameters.stakingRequirement;
      await (await registerSolo(f)).wait();
      await time.increase(NODE_AGE_BEFORE_EXIT);
      await (await f.vesting.connect(f.beneficiary).initiateExitBLSPublicKey(SOLO_ID)).wait();
      await time.increase(EXIT_WAIT);
      await expect(f.rewards.connect(f.other).exitBLSPublicKeyAfterWaitTime(SOLO_ID))
        .to.emit(f.rewards, "ServiceNodeExit")
        .withArgs(SOLO_ID, f.other.address, requirement, tuple(keyOf(f, SOLO)));
      await credit(f, f.vestingAddress, requirement);
      await (await f.vesting.connect(f.beneficiary)["claimRewards()"]()).wait();
      expect(await f.sesh.balanceOf(f.vestingAddress)).to.equal(f.funded);
      await time.increaseTo(f.end);
      await expect(f.vesting.connect(f.beneficiary).release(await f.sesh.getAddress())).to.changeTokenBalance(
        f.sesh,
        f.beneficiary,
        f.funded,
      );
    });

    it("names the snBeneficiary for the node's rewards, paid outside the vesting, and the vesting as the staker the stake returns to", async function () {
      const f = await loadStakingFixture(seededVestingFixture);
      const requirement = f.parameters.stakingRequirement;
      await (await registerSolo(f, f.beneficiary.address)).wait();
      const node = await f.rewards.serviceNodes(SOLO_ID);
      expect(node.contributors.map((c) => [c.staker.addr, c.staker.beneficiary])).to.deep.equal([
        [f.vestingAddress, f.beneficiary.address],
      ]);
      // The network credits the rewards to the beneficiary named, who claims them itself; the stake to its staker.
      await credit(f, f.beneficiary.address, FIRST_REWARDS);
      await expect(f.rewards.connect(f.beneficiary)["claimRewards()"]()).to.changeTokenBalance(
        f.sesh,
        f.beneficiary,
        FIRST_REWARDS,
      );
      await time.increase(NODE_AGE_BEFORE_EXIT);
      await (await f.vesting.connect(f.beneficiary).initiateExitBLSPublicKey(SOLO_ID)).wait();
      await (await exitBySignature(f, SOLO)).wait();
      await credit(f, f.vestingAddress, requirement);
      await expect(f.vesting.connect(f.beneficiary)["claimRewards()"]()).to.changeTokenBalance(
        f.sesh,
        f.vesting,
        requirement,
      );
      expect(await f.sesh.balanceOf(f.vestingAddress)).to.equal(f.funded);
    });

    it("strands nothing that arrives after the first release: a node staked at the end exits, its stake is released again", async function () {
      const f = await loadStakingFixture(seededVestingFixture);
      const requirement = f.parameters.stakingRequirement;
      const sesh = await f.sesh.getAddress();
      await (await registerSolo(f)).wait();
      await time.increaseTo(f.end);
      await expect(f.vesting.connect(f.beneficiary).release(sesh)).to.changeTokenBalance(
        f.sesh,
        f.beneficiary,
        f.funded - requirement,
      );
      await (await f.vesting.connect(f.beneficiary).initiateExitBLSPublicKey(SOLO_ID)).wait();
      await (await exitBySignature(f, SOLO)).wait();
      await credit(f, f.vestingAddress, requirement + LATER_REWARDS);
      await (await f.vesting.connect(f.beneficiary)["claimRewards()"]()).wait();
      await expect(f.vesting.connect(f.beneficiary).release(sesh))
        .to.emit(f.vesting, "TokensReleased")
        .withArgs(sesh, requirement + LATER_REWARDS);
      expect(await f.sesh.balanceOf(f.vestingAddress)).to.equal(0n);
    });

    it("hands a staked vesting over: the new beneficiary exits and claims, the old one cannot; the node keeps its snBeneficiary", async function () {
      const f = await loadStakingFixture(seededVestingFixture);
      const requirement = f.parameters.stakingRequirement;
      await (await registerSolo(f, f.beneficiary.address)).wait();
      await (await f.vesting.connect(f.beneficiary).transferBeneficiary(f.newcomer.address)).wait();
      await time.increase(NODE_AGE_BEFORE_EXIT);
      await expect(f.vesting.connect(f.beneficiary).initiateExitBLSPublicKey(SOLO_ID))
        .to.be.revertedWithCustomError(f.vesting, "CallerNotBeneficiary")
        .withArgs(f.beneficiary.address, f.newcomer.address);
      const [contributor] = (await f.rewards.serviceNodes(SOLO_ID)).contributors;
      expect(contributor?.staker.beneficiary).to.equal(f.beneficiary.address);
      await expect(f.vesting.connect(f.newcomer).initiateExitBLSPublicKey(SOLO_ID)).to.emit(
        f.rewards,
        "ServiceNodeExitRequest",
      );
      await (await exitBySignature(f, SOLO)).wait();
      await credit(f, f.vestingAddress, requirement);
      await expect(f.vesting.connect(f.beneficiary)["claimRewards()"]())
        .to.be.revertedWithCustomError(f.vesting, "CallerNotBeneficiary")
        .withArgs(f.beneficiary.address, f.newcomer.address);
      await expect(f.vesting.connect(f.newcomer)["claimRewards()"]()).to.changeTokenBalance(
        f.sesh,
        f.vesting,
        requirement,
      );
      await time.increaseTo(f.end);
      await expect(f.vesting.connect(f.newcomer).release(await f.sesh.getAddress())).to.changeTokenBalance(
        f.sesh,
        f.newcomer,
        f.funded,
      );
    });
  });

  describe("a four-contributor node", function () {
    it("contributes to a node the factory opened, which registers with the vesting among its four contributors; rewards, exit, the stake back, release", async function () {
      const f = await loadStakingFixture(seededVestingFixture);
      const quarter = f.parameters.stakingRequirement / 4n;
      const contribution = await openShared(f, SHARED);
      const address = await contribution.getAddress();

      await expect(f.vesting.connect(f.beneficiary).contributeFunds(address, quarter, ZeroAddress))
        .to.emit(contribution, "NewContribution")
        .withArgs(f.vestingAddress, f.vestingAddress, quarter);
      expect(await f.sesh.allowance(f.vestingAddress, address)).to.equal(0n);
      await expect(f.vesting.connect(f.beneficiary).updateBeneficiary(address, f.beneficiary.address))
        .to.emit(contribution, "UpdateStakerBeneficiary")
        .withArgs(f.vestingAddress, f.beneficiary.address);
      // Back to the vesting contract: the network credits this stake's rewards to it, locked with the rest.
      await expect(f.vesting.connect(f.beneficiary).updateBeneficiary(address, ZeroAddress))
        .to.emit(contribution, "UpdateStakerBeneficiary")
        .withArgs(f.vestingAddress, f.vestingAddress);
      await fill(f, contribution);

      const node = await f.rewards.serviceNodes(SHARED_ID);
      expect(node.contributors.map((c) => [c.staker.addr, c.staker.beneficiary, c.stakedAmount])).to.deep.equal([
        [at(f.stakers, 0).address, at(f.stakers, 0).address, quarter],
        [f.vestingAddress, f.vestingAddress, quarter],
        [at(f.stakers, 1).address, at(f.stakers, 1).address, quarter],
        [at(f.stakers, 2).address, at(f.stakers, 2).address, f.parameters.stakingRequirement - 3n * quarter],
      ]);
      expect(await f.sesh.balanceOf(f.vestingAddress)).to.equal(f.funded - quarter);

      await credit(f, f.vestingAddress, FIRST_REWARDS);
      await (await f.vesting.connect(f.beneficiary)["claimRewards()"]()).wait();
      await time.increase(NODE_AGE_BEFORE_EXIT);
      await expect(f.vesting.connect(f.beneficiary).initiateExitBLSPublicKey(SHARED_ID))
        .to.emit(f.rewards, "ServiceNodeExitRequest")
        .withArgs(SHARED_ID, f.vestingAddress, tuple(keyOf(f, SHARED)));
      await (await exitBySignature(f, SHARED)).wait();
      await credit(f, f.vestingAddress, FIRST_REWARDS + quarter);
      await expect(f.vesting.connect(f.beneficiary)["claimRewards()"]()).to.changeTokenBalance(
        f.sesh,
        f.vesting,
        quarter,
      );

      await time.increaseTo(f.end);
      await expect(f.vesting.connect(f.beneficiary).release(await f.sesh.getAddress())).to.changeTokenBalance(
        f.sesh,
        f.beneficiary,
        f.funded + FIRST_REWARDS,
      );
    });

    it("withdraws its contribution from a node that has not filled, a day later; the SESH comes back", async function () {
      const f = await loadStakingFixture(seededVestingFixture);
      const quarter = f.parameters.stakingRequirement / 4n;
      const contribution = await openShared(f, SHARED);
      const address = await contribution.getAddress();
      await (await f.vesting.connect(f.beneficiary).contributeFunds(address, quarter, ZeroAddress)).wait();
      await time.increase(WITHDRAWAL_DELAY);
      await expect(f.vesting.connect(f.beneficiary).withdrawContribution(address))
        .to.emit(contribution, "WithdrawContribution")
        .withArgs(f.vestingAddress, quarter);
      expect(await f.sesh.balanceOf(f.vestingAddress)).to.equal(f.funded);
      expect(await contribution.contributions(f.vestingAddress)).to.equal(0n);
    });

    it("gets its contribution back when the operator resets the node", async function () {
      const f = await loadStakingFixture(seededVestingFixture);
      const quarter = f.parameters.stakingRequirement / 4n;
      const contribution = await openShared(f, SHARED);
      await (
        await f.vesting.connect(f.beneficiary).contributeFunds(await contribution.getAddress(), quarter, ZeroAddress)
      ).wait();
      await expect(contribution.connect(at(f.stakers, 0)).reset()).to.changeTokenBalance(f.sesh, f.vesting, quarter);
      expect(await contribution.status()).to.equal(STATUS.WaitForOperatorContrib);
    });
  });

  describe("a revocation in the middle", function () {
    it("of a solo node: the revoker takes over, exits, claims, and is paid everything at the end", async function () {
      const f = await loadStakingFixture(seededVestingFixture);
      const requirement = f.parameters.stakingRequirement;
      const sesh = await f.sesh.getAddress();
      await (await registerSolo(f)).wait();
      await credit(f, f.vestingAddress, FIRST_REWARDS);
      await (await f.vesting.connect(f.revoker).revoke(sesh)).wait();

      await time.increase(NODE_AGE_BEFORE_EXIT);
      await expect(f.vesting.connect(f.beneficiary).initiateExitBLSPublicKey(SOLO_ID))
        .to.be.revertedWithCustomError(f.vesting, "CallerNotRevoker")
        .withArgs(f.beneficiary.address, f.revoker.address);
      await expect(f.vesting.connect(f.revoker).initiateExitBLSPublicKey(SOLO_ID))
        .to.emit(f.rewards, "ServiceNodeExitRequest")
        .withArgs(SOLO_ID, f.vestingAddress, tuple(keyOf(f, SOLO)));
      await (await exitBySignature(f, SOLO)).wait();
      await credit(f, f.vestingAddress, FIRST_REWARDS + requirement);
      await expect(f.vesting.connect(f.revoker)["claimRewards()"]()).to.changeTokenBalance(
        f.sesh,
        f.vesting,
        FIRST_REWARDS + requirement,
      );

      await expect(f.vesting.connect(f.revoker).revoke(sesh)).to.be.revertedWithCustomError(
        f.vesting,
        "VestingNotEnded",
      );
      await time.increaseTo(f.end);
      await expect(f.vesting.connect(f.beneficiary).release(sesh))
        .to.be.revertedWithCustomError(f.vesting, "VestingRevoked")
        .withArgs(f.revoker.address);
      const everything = f.funded + FIRST_REWARDS;
      await expect(f.vesting.connect(f.revoker).revoke(sesh))
        .to.emit(f.vesting, "TokensRevokedReleased")
        .withArgs(sesh, everything);
      expect(await f.sesh.balanceOf(f.vestingAddress)).to.equal(0n);
      expect(await f.sesh.balanceOf(f.beneficiary.address)).to.equal(0n);
    });

    it("of contributions: the revoker redirects and withdraws an open one, exits a registered one after the wait, and is paid everything at the end", async function () {
      const f = await loadStakingFixture(seededVestingFixture);
      const quarter = f.parameters.stakingRequirement / 4n;
      const sesh = await f.sesh.getAddress();
      const registered = await openShared(f, SHARED);
      const pending = await openShared(f, OTHER_SHARED);
      const [registeredAddress, pendingAddress] = [await registered.getAddress(), await pending.getAddress()];
      await (
        await f.vesting.connect(f.beneficiary).contributeFunds(registeredAddress, quarter, f.beneficiary.address)
      ).wait();
      await (
        await f.vesting.connect(f.beneficiary).contributeFunds(pendingAddress, quarter, f.beneficiary.address)
      ).wait();
      await fill(f, registered);
      await (await f.vesting.connect(f.revoker).revoke(sesh)).wait();

      await expect(f.vesting.connect(f.beneficiary).withdrawContribution(pendingAddress))
        .to.be.revertedWithCustomError(f.vesting, "CallerNotRevoker")
        .withArgs(f.beneficiary.address, f.revoker.address);
      await expect(f.vesting.connect(f.revoker).updateBeneficiary(pendingAddress, ZeroAddress))
        .to.emit(pending, "UpdateStakerBeneficiary")
        .withArgs(f.vestingAddress, f.vestingAddress);
      await time.increase(WITHDRAWAL_DELAY);
      await expect(f.vesting.connect(f.revoker).withdrawContribution(pendingAddress)).to.changeTokenBalance(
        f.sesh,
        f.vesting,
        quarter,
      );

      await time.increase(NODE_AGE_BEFORE_EXIT);
      await (await f.vesting.connect(f.revoker).initiateExitBLSPublicKey(SHARED_ID)).wait();
      await time.increase(EXIT_WAIT);
      await (await f.rewards.connect(f.other).exitBLSPublicKeyAfterWaitTime(SHARED_ID)).wait();
      await credit(f, f.vestingAddress, quarter);
      await (await f.vesting.connect(f.revoker)["claimRewards()"]()).wait();
      expect(await f.sesh.balanceOf(f.vestingAddress)).to.equal(f.funded);

      await time.increaseTo(f.end);
      await expect(f.vesting.connect(f.revoker).revoke(sesh)).to.changeTokenBalances(
        f.sesh,
        [f.vesting, f.revoker],
        [-f.funded, f.funded],
      );
    });

    it("before the vesting contract staked anything: the revoker registers a node itself, the beneficiary cannot", async function () {
      const f = await loadStakingFixture(seededVestingFixture);
      await (await f.vesting.connect(f.revoker).revoke(await f.sesh.getAddress())).wait();
      await expect(registerSolo(f, ZeroAddress, f.beneficiary))
        .to.be.revertedWithCustomError(f.vesting, "CallerNotRevoker")
        .withArgs(f.beneficiary.address, f.revoker.address);
      await expect(registerSolo(f, ZeroAddress, f.revoker)).to.emit(f.rewards, "NewServiceNodeV2");
      expect((await f.rewards.serviceNodes(SOLO_ID)).operator).to.equal(f.vestingAddress);
    });
  });
});

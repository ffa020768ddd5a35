import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { expect } from "chai";
import { ethers, upgrades } from "hardhat";

import { domainTags, exitMessage, rewardMessage } from "../../../lib/bls";
import type { SimulatedNetwork } from "../../../lib/network";
import type { ServiceNodeRewards, ServiceNodeRewardsV2__Mock } from "../../../typechain-types";
import { deployStakingFixture, loadStakingFixture, type StakingFixture } from "../../helpers/staking";

/** The ed25519 key node `index` registers with (any non-zero value unique to the node). */
const ed25519Of = (index: number): bigint => 0xed25519n * 1_000n + BigInt(index);

/** A JSON-comparable copy of a contract's return value (ethers' Result, bigints as decimal strings). */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_, item: unknown) => (typeof item === "bigint" ? item.toString() : item)));
}

/** The staking set, with a new network (no id registered) on every load. */
async function staking(): Promise<StakingFixture> {
  return loadStakingFixture(deployStakingFixture);
}

/** {pluginFixture}, with a new network (no id registered) on every load. */
async function plugin(): Promise<StakingFixture & { readonly proxy: ServiceNodeRewards }> {
  return loadStakingFixture(pluginFixture);
}

function signer(f: StakingFixture, index: number): HardhatEthersSigner {
  const account = f.stakers[index];
  if (account === undefined) throw new Error(`no staker ${index}`);
  return account;
}

/** Registers network node `index` with `caller` paying: solo when `stakes` is empty, else contributors first. */
async function register(
  rewards: ServiceNodeRewards,
  network: SimulatedNetwork,
  tags: StakingFixture["tags"],
  index: number,
  caller: HardhatEthersSigner,
  contributors: readonly { staker: string; beneficiary: string; stakedAmount: bigint }[] = [],
): Promise<bigint> {
  const operator = contributors[0]?.staker ?? caller.address;
  const ed = ed25519Of(index);
  const pop = network.proofOfPossession(index, tags, operator, ed);
  const id = await rewards.nextServiceNodeID();
  await (
    await rewards.connect(caller).addBLSPublicKey(
      network.node(index).publicKeyStruct,
      pop,
      { serviceNodePubkey: ed, serviceNodeSignature1: 1n, serviceNodeSignature2: 2n, fee: 500 },
      contributors.map((contributor) => ({
        staker: { addr: contributor.staker, beneficiary: contributor.beneficiary },
        stakedAmount: contributor.stakedAmount,
      })),
    )
  ).wait();
  network.register(index, id);
  return id;
}

/** Everything the upgrade must keep: every node, the list, the totals, balances, settings, tags and flags. */
async function stateOf(rewards: ServiceNodeRewards, accounts: readonly string[]): Promise<unknown> {
  const next = await rewards.nextServiceNodeID();
  const ids = Array.from({ length: Number(next) }, (_, id) => BigInt(id));
  return plain({
    nodes: await Promise.all(ids.map((id) => rewards.serviceNodes(id))),
    list: await rewards.allServiceNodeIDs(),
    totalNodes: await rewards.totalNodes(),
    nextServiceNodeID: next,
    aggregatePubkey: await rewards.aggregatePubkey(),
    recipients: await Promise.all(accounts.map((account) => rewards.recipients(account))),
    idsByKey: await Promise.all(
      (await rewards.allServiceNodeIDs()).pubkeys.map((key) =>
        rewards.serviceNodeIDs(ethers.AbiCoder.defaultAbiCoder().encode(["uint256", "uint256"], [key.X, key.Y])),
      ),
    ),
    settings: [
      await rewards.designatedToken(),
      await rewards.foundationPool(),
      await rewards.stakingRequirement(),
      await rewards.maxContributors(),
      await rewards.liquidatorRewardRatio(),
      await rewards.poolShareOfLiquidationRatio(),
      await rewards.recipientRatio(),
      await rewards.signatureExpiry(),
      await rewards.claimThreshold(),
      await rewards.claimCycle(),
      await rewards.currentClaimCycle(),
      await rewards.currentClaimTotal(),
      await rewards.blsNonSignerThresholdMax(),
      await rewards.lastHeightPubkeyWasAggregated(),
      await rewards.numPubkeyAggregationsForHeight(),
      await rewards.isStarted(),
      await rewards.owner(),
    ],
    tags: [
      await rewards.proofOfPossessionTag(),
      await rewards.rewardTag(),
      await rewards.exitTag(),
      await rewards.liquidateTag(),
      await rewards.hashToG2Tag(),
    ],
    paused: await rewards.paused(),
  });
}

interface Populated {
  readonly accounts: readonly string[];
  /** Node ids by network index. */
  readonly ids: ReadonlyMap<number, bigint>;
}

/**
 * Three solo nodes and a three-contributor node (one beneficiary differs from its staker); rewards credited to two
 * recipients by the network, part claimed; an exit requested; the owner changes a setting and pauses.
 */
async function populate(f: StakingFixture, rewards: ServiceNodeRewards): Promise<Populated> {
  const rewardsAddress = await rewards.getAddress();
  const tags = f.tags;
  const requirement = await rewards.stakingRequirement();
  const [a, b, c, d] = [signer(f, 0), signer(f, 1), signer(f, 2), signer(f, 3)];
  const ids = new Map<number, bigint>();
  ids.set(0, await register(rewards, f.network, tags, 0, a));
  ids.set(1, await register(rewards, f.network, tags, 1, b));
  ids.set(
    2,
    await register(rewards, f.network, tags, 2, c, [
      { staker: c.address, beneficiary: c.address, stakedAmount: requirement / 2n },
      { staker: d.address, beneficiary: a.address, stakedAmount: requirement / 4n },
      { staker: b.address, beneficiary: b.address, stakedAmount: requirement - requirement / 2n - requirement / 4n },
    ]),
  );
  ids.set(3, await register(rewards, f.network, tags, 3, d));
  // The pool's part: SESH beyond the stakes, to pay rewards from.
  await (await f.sesh.connect(signer(f, 7)).transfer(rewardsAddress, 10n * requirement)).wait();
  for (const [account, amount] of [
    [a.address, 7n * 10n ** 9n],
    [c.address, 3n * 10n ** 9n],
  ] as const) {
    const nonSigner = ids.get(3) ?? 0n;
    const signed = f.network.sign(
      rewardMessage(tags, account, amount),
      tags.hashToG2Tag,
      [...ids.values()].filter((id) => id !== nonSigner),
    );
    await (await rewards.updateRewardsBalance(account, amount, signed.params, [nonSigner])).wait();
  }
  await (await rewards.connect(a)["claimRewards(uint256)"](2n * 10n ** 9n)).wait();
  await (await rewards.connect(c)["claimRewards()"]()).wait();
  await time.increase(3 * 3600);
  await (await rewards.connect(b).initiateExitBLSPublicKey(ids.get(1) ?? 0n)).wait();
  await (await rewards.connect(f.owner).setSignatureExpiry(15 * 60)).wait();
  await (await rewards.connect(f.owner).pause()).wait();
  return { accounts: [a.address, b.address, c.address, d.address], ids };
}

/** After an upgrade: unpause, a network-signed reward update, an exit with signature and one after the wait work. */
async function checkStillWorks(f: StakingFixture, rewards: ServiceNodeRewards, populated: Populated): Promise<void> {
  const tags = f.tags;
  await (await rewards.connect(f.owner).unpause()).wait();
  const a = signer(f, 0);
  const amount = 11n * 10n ** 9n;
  const signed = f.network.sign(rewardMessage(tags, a.address, amount), tags.hashToG2Tag);
  await expect(rewards.updateRewardsBalance(a.address, amount, signed.params, []))
    .to.emit(rewards, "RewardsBalanceUpdated")
    .withArgs(a.address, amount, 7n * 10n ** 9n);
  expect((await rewards.recipients(a.address)).rewards).to.equal(amount);

  const exiting = f.network.node(0);
  const now = BigInt(await time.latest()) + 10n;
  await time.setNextBlockTimestamp(now);
  const exitSignature = f.network.sign(exitMessage(tags, exiting.publicKeyStruct, now), tags.hashToG2Tag);
  const requirement = await rewards.stakingRequirement();
  await expect(rewards.exitBLSPublicKeyWithSignature(exiting.publicKeyStruct, now, exitSignature.params, []))
    .to.emit(rewards, "ServiceNodeExit")
    .withArgs(populated.ids.get(0), f.owner.address, requirement, [
      exiting.publicKeyStruct.X,
      exiting.publicKeyStruct.Y,
    ]);
  f.network.deregister(0);

  await time.increase(30 * 86_400);
  const requested = populated.ids.get(1) ?? 0n;
  await expect(rewards.exitBLSPublicKeyAfterWaitTime(requested)).to.emit(rewards, "ServiceNodeExit");
  f.network.deregister(1);
  expect(await rewards.totalNodes()).to.equal(2n);
  const list = await rewards.allServiceNodeIDs();
  expect(list.ids).to.deep.equal([populated.ids.get(2), populated.ids.get(3)]);
}

async function pluginFixture(): Promise<StakingFixture & { readonly proxy: ServiceNodeRewards }> {
  const f = await deployStakingFixture();
  const factory = await ethers.getContractFactory("ServiceNodeRewards", f.owner);
  const p = f.parameters;
  const proxy = (await upgrades.deployProxy(
    factory,
    [
      await f.sesh.getAddress(),
      f.poolAddress,
      p.stakingRequirement,
      p.maxContributors,
      p.liquidatorRewardRatio,
      p.poolShareOfLiquidationRatio,
      p.recipientRatio,
    ],
    { kind: "transparent" },
  )) as unknown as ServiceNodeRewards;
  await proxy.waitForDeployment();
  const proxyAddress = await proxy.getAddress();
  for (const staker of f.stakers) await (await f.sesh.connect(staker).approve(proxyAddress, 2n ** 255n)).wait();
  return { ...f, proxy, tags: domainTags(f.chainId, proxyAddress) };
}

describe("ServiceNodeRewards (upgrades)", function () {
  describe("the implementation", function () {
    it("passes the upgrades plugin's validation with no unsafeAllow option", async function () {
      const factory = await ethers.getContractFactory("ServiceNodeRewards");
      await upgrades.validateImplementation(factory, { kind: "transparent" });
    });

    it("validates as an upgrade to the V2 double (same storage layout)", async function () {
      const v1 = await ethers.getContractFactory("ServiceNodeRewards");
      const v2 = await ethers.getContractFactory("ServiceNodeRewardsV2__Mock");
      await upgrades.validateUpgrade(v1, v2, { kind: "transparent" });
    });
  });

  describe("a proxy deployed by the upgrades plugin", function () {
    it("is initialised with the arguments and registers a node with nothing deployed or linked first", async function () {
      const f = await plugin();
      const rewards = f.proxy;
      expect(await rewards.designatedToken()).to.equal(await f.sesh.getAddress());
      expect(await rewards.foundationPool()).to.equal(f.poolAddress);
      expect(await rewards.stakingRequirement()).to.equal(f.parameters.stakingRequirement);
      expect(await rewards.owner()).to.equal(f.owner.address);
      await (await rewards.connect(f.owner).start()).wait();
      const id = await register(rewards, f.network, f.tags, 0, signer(f, 0));
      expect(id).to.equal(1n);
      expect(await rewards.totalNodes()).to.equal(1n);
      const key = await rewards.aggregatePubkey();
      expect([key.X, key.Y]).to.deep.equal([f.network.node(0).publicKeyStruct.X, f.network.node(0).publicKeyStruct.Y]);
    });

    it("keeps every node, balance, setting and the aggregate key through upgrades.upgradeProxy to V2", async function () {
      const f = await plugin();
      const rewards = f.proxy;
      const proxyAddress = await rewards.getAddress();
      await (await rewards.connect(f.owner).start()).wait();
      const populated = await populate(f, rewards);
      const before = await stateOf(rewards, populated.accounts);
      expect(await rewards.paused()).to.equal(true);
      const v2Factory = await ethers.getContractFactory("ServiceNodeRewardsV2__Mock", f.owner);
      await upgrades.validateUpgrade(proxyAddress, v2Factory);
      const upgraded = (await upgrades.upgradeProxy(proxyAddress, v2Factory)) as unknown as ServiceNodeRewardsV2__Mock;
      expect(await upgraded.getAddress()).to.equal(proxyAddress);
      expect(await upgraded.version2()).to.equal(2n);
      expect(await stateOf(rewards, populated.accounts)).to.deep.equal(before);
      await checkStillWorks(f, rewards, populated);
    });
  });

  describe("the proxy the Ignition module deployed", function () {
    it("keeps every node, balance, setting and the aggregate key through its ProxyAdmin's upgradeAndCall to V2", async function () {
      const f = await staking();
      await (await f.rewards.connect(f.owner).start()).wait();
      const populated = await populate(f, f.rewards);
      const before = await stateOf(f.rewards, populated.accounts);
      expect(await f.rewards.paused()).to.equal(true);
      const implementation = await ethers.deployContract("ServiceNodeRewardsV2__Mock");
      const oldImplementation = await upgrades.erc1967.getImplementationAddress(f.rewardsAddress);
      await expect(
        f.rewardsAdmin.connect(signer(f, 0)).upgradeAndCall(f.rewardsAddress, await implementation.getAddress(), "0x"),
      ).to.be.revertedWithCustomError(f.rewardsAdmin, "OwnableUnauthorizedAccount");
      await (
        await f.rewardsAdmin.connect(f.owner).upgradeAndCall(f.rewardsAddress, await implementation.getAddress(), "0x")
      ).wait();
      const newImplementation = await upgrades.erc1967.getImplementationAddress(f.rewardsAddress);
      expect(newImplementation).to.not.equal(oldImplementation);
      expect(newImplementation).to.equal(await implementation.getAddress());
      const upgraded = await ethers.getContractAt("ServiceNodeRewardsV2__Mock", f.rewardsAddress);
      expect(await upgraded.version2()).to.equal(2n);
      expect(await stateOf(f.rewards, populated.accounts)).to.deep.equal(before);
      await checkStillWorks(f, f.rewards, populated);
    });
  });
});

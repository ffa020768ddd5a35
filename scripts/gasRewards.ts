import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ZeroAddress, type ContractTransactionResponse } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { deployStaking, stakingParametersFor } from "../deploy/staking";
import { ATOMS_PER_SESH, SESH_TOTAL_SUPPLY } from "../lib/amount";
import {
  domainTags,
  exitMessage,
  liquidationMessage,
  publicKeyOf,
  rewardMessage,
  secretKeyFromSeed,
  toG1Struct,
  type DomainTags,
  type G1PointStruct,
} from "../lib/bls";
import { ARBITRUM_BLOCK_GAS_LIMIT } from "../lib/chain/networks";
import { PreconditionError } from "../lib/errors";
import type { GasSnapshot } from "../lib/gas/snapshot";
import { SimulatedNetwork } from "../lib/network";
import type { SESH, ServiceNodeRewards } from "../typechain-types";

/**
 * The rewards contract's addresses, so its domain tags and so the messages' hash-to-G2 costs (try-and-increment),
 * depend on the deployer's nonce: it is pinned to this value before the measured set is deployed, so that the
 * figures do not move when an earlier measurement sends a different number of transactions.
 */
export const REWARDS_DEPLOYER_NONCE = 1_000;
/**
 * Every measured transaction is mined at a fixed time from here (in 2030, after anything the earlier measurements
 * or the chain's launch calendar reach), so that the signed exit times and the claim cycle are the same every run.
 */
export const REWARDS_BASE_TIME = 1_900_000_000;
/** Seeded nodes were added this long before the base time: old enough to exit. */
const SEEDED_AGE = 30 * 86_400;
/** The exit wait (`MAX_SERVICE_NODE_EXIT_WAIT_TIME`). */
const EXIT_WAIT = 30 * 86_400;
/** Spacing of the measured transactions' timestamps. */
const STEP = 60;

/** Seeded nodes of the signing network: 36, so that 10 non-signers stay within the threshold (36 / 3 = 12). */
export const NETWORK_SIZE = 36;
/** Non-signers of `updateRewardsBalance.10nonSigners`. */
const NON_SIGNERS = 10;
/** Batch sizes whose difference gives the marginal cost of a seeded node: N and 2N nodes. */
const SOLO_BATCH = 20;
const TEN_CONTRIBUTOR_BATCH = 6;
const CONTRIBUTORS = 10;
/** Rewards credited by the measured updates (cumulative), in atoms. */
const REWARDS = [5n, 7n].map((sesh) => sesh * ATOMS_PER_SESH);

type Receipted = Promise<ContractTransactionResponse>;

/** The measured set: SESH, the staking set behind its proxies, and the network's keys. */
export interface RewardsBench {
  readonly hre: HardhatRuntimeEnvironment;
  readonly sesh: SESH;
  readonly rewards: ServiceNodeRewards;
  readonly rewardsAddress: string;
  readonly tags: DomainTags;
  readonly owner: HardhatEthersSigner;
  readonly signers: readonly HardhatEthersSigner[];
  readonly requirement: bigint;
}

/** The gas a transaction used; throws if it was not mined or failed. */
export async function gasOf(sent: Receipted): Promise<number> {
  const receipt = await (await sent).wait();
  if (receipt === null) throw new Error("transaction was not mined");
  return Number(receipt.gasUsed);
}

/** Mines the next transaction at `timestamp`. */
export async function atTime(hre: HardhatRuntimeEnvironment, timestamp: number): Promise<void> {
  await hre.network.provider.send("evm_setNextBlockTimestamp", [timestamp]);
}

/**
 * Deploys SESH (the whole supply to account 0) and the staking set through deploy/staking.ts with the hardhat
 * network's parameters, with the deployer's nonce pinned to {REWARDS_DEPLOYER_NONCE}.
 */
export async function deployRewardsBench(hre: HardhatRuntimeEnvironment): Promise<RewardsBench> {
  if (hre.network.name !== "hardhat") {
    throw new PreconditionError(`gas is measured on the in-process hardhat network, not on ${hre.network.name}`);
  }
  const { ethers } = hre;
  const signers = await ethers.getSigners();
  const owner = signers[0];
  if (owner === undefined || signers.length < 20) throw new PreconditionError("the measurement needs 20 accounts");
  const latest = await ethers.provider.getBlock("latest");
  if (latest === null || latest.timestamp >= REWARDS_BASE_TIME - SEEDED_AGE) {
    throw new Error(`the chain's clock is past ${REWARDS_BASE_TIME - SEEDED_AGE}: raise REWARDS_BASE_TIME`);
  }
  const nonce = await owner.getNonce();
  if (nonce > REWARDS_DEPLOYER_NONCE) {
    throw new Error(`the deployer's nonce ${nonce} is past ${REWARDS_DEPLOYER_NONCE}: raise REWARDS_DEPLOYER_NONCE`);
  }
  await hre.network.provider.request({
    method: "hardhat_setNonce",
    params: [owner.address, `0x${REWARDS_DEPLOYER_NONCE.toString(16)}`],
  });
  const sesh = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, owner.address, ZeroAddress, ZeroAddress]);
  await sesh.waitForDeployment();
  const staking = await deployStaking(hre, {
    sesh: await sesh.getAddress(),
    parameters: stakingParametersFor("hardhat"),
  });
  const { chainId } = await ethers.provider.getNetwork();
  const rewards = staking.rewards.connect(owner);
  return {
    hre,
    sesh,
    rewards,
    rewardsAddress: staking.rewardsAddress,
    tags: domainTags(chainId, staking.rewardsAddress),
    owner,
    signers,
    requirement: await rewards.stakingRequirement(),
  };
}

/** A deterministic address from a label and an index (no key: seeded contributors never send). */
function addressOf(label: number, index: number): string {
  return `0x${label.toString(16).padStart(8, "0")}${(index + 1).toString(16).padStart(32, "0")}`;
}

/** A seeded node's entry. `contributors` 1 is a solo node staking for itself. */
function seedEntry(
  bench: RewardsBench,
  key: G1PointStruct,
  ed25519: bigint,
  contributors: number,
  operator: string,
  label: number,
) {
  const share = bench.requirement / BigInt(contributors);
  return {
    blsPubkey: key,
    ed25519Pubkey: ed25519,
    addedTimestamp: BigInt(REWARDS_BASE_TIME - SEEDED_AGE),
    contributors: Array.from({ length: contributors }, (_, index) => {
      const staker = index === 0 ? operator : addressOf(label, 2 * index);
      return {
        // A solo node is its own beneficiary; the contributors of a shared node each name a distinct one.
        staker: { addr: staker, beneficiary: contributors === 1 ? staker : addressOf(label, 2 * index + 1) },
        stakedAmount: index === 0 ? bench.requirement - share * BigInt(contributors - 1) : share,
      };
    }),
  };
}

/** `count` seeded nodes of `contributors` each, keys from the seed `gas-rewards-seed` from `first` on. */
function seedBatch(bench: RewardsBench, first: number, count: number, contributors: number) {
  return Array.from({ length: count }, (_, offset) => {
    const index = first + offset;
    const key = toG1Struct(publicKeyOf(secretKeyFromSeed("gas-rewards-seed", index)));
    return seedEntry(bench, key, BigInt(1_000_000 + index), contributors, addressOf(0xa0 + index, 0), 0xb000 + index);
  });
}

/** Marginal cost per node and fixed cost of a seeding transaction, from batches of N and 2N after a first one. */
export interface SeedModel {
  readonly perNode: number;
  /** The first batch's fixed cost (the aggregate key and the list's sentinel written from zero). */
  readonly perBatchFirst: number;
  /** A later batch's fixed cost. */
  readonly perBatch: number;
}

async function measureSeeding(bench: RewardsBench, batch: number, contributors: number): Promise<SeedModel> {
  const { rewards } = bench;
  const first = await gasOf(rewards.seedPublicKeyList(seedBatch(bench, 0, batch, contributors)));
  const single = await gasOf(rewards.seedPublicKeyList(seedBatch(bench, batch, batch, contributors)));
  const double = await gasOf(rewards.seedPublicKeyList(seedBatch(bench, 2 * batch, 2 * batch, contributors)));
  const perNode = Math.round((double - single) / batch);
  return { perNode, perBatch: single - perNode * batch, perBatchFirst: first - perNode * batch };
}

/** Reverts the chain to a snapshot and takes it again (a snapshot is used up by its revert). */
async function revertTo(hre: HardhatRuntimeEnvironment, snapshot: string): Promise<string> {
  const reverted = (await hre.network.provider.send("evm_revert", [snapshot])) as boolean;
  if (!reverted) throw new Error(`could not revert to snapshot ${snapshot}`);
  return (await hre.network.provider.send("evm_snapshot", [])) as string;
}

/** The signing network, seeded and started; the measured solo node and the stakers of the measured exits. */
export interface RewardsNetwork {
  readonly network: SimulatedNetwork;
  /** The network node registered with `addBLSPublicKey` (index {NETWORK_SIZE}). */
  readonly added: number;
  /** Operators of seeded network nodes 0 … 2 (initiateExit and exit after the wait, exit by signature, liquidation). */
  readonly operators: readonly HardhatEthersSigner[];
}

/**
 * Seeds {NETWORK_SIZE} solo nodes with the keys of SimulatedNetwork("gas-rewards") (the first three operated by
 * accounts 1 … 3, the others by keyless addresses), funds the contract with their stakes and starts it.
 */
export async function seedNetwork(bench: RewardsBench): Promise<RewardsNetwork> {
  const { rewards, signers, hre } = bench;
  const network = new SimulatedNetwork("gas-rewards", NETWORK_SIZE + 1);
  const operators = signers.slice(1, 4);
  const nodes = network.nodes.slice(0, NETWORK_SIZE).map((node) => {
    const operator = operators[node.index]?.address ?? addressOf(0xc0, node.index);
    return seedEntry(bench, node.publicKeyStruct, BigInt(2_000_000 + node.index), 1, operator, 0xc000 + node.index);
  });
  await atTime(hre, REWARDS_BASE_TIME - SEEDED_AGE + STEP);
  const firstId = await rewards.nextServiceNodeID();
  await gasOf(rewards.seedPublicKeyList(nodes));
  nodes.forEach((_, index) => {
    network.register(index, firstId + BigInt(index));
  });
  await gasOf(bench.sesh.transfer(bench.rewardsAddress, bench.requirement * BigInt(NETWORK_SIZE)));
  await gasOf(rewards.start());
  return { network, added: NETWORK_SIZE, operators };
}

/** The measured seeding costs. */
export interface SeedingGas {
  /** Solo nodes (one contributor, its own beneficiary). */
  readonly solo: SeedModel;
  /** Nodes of 10 contributors with distinct beneficiaries. */
  readonly tenContributors: SeedModel;
  /** The largest first batch of 10-contributor nodes within 32,000,000 gas, and the gas it used. */
  readonly largest: number;
  readonly largestGas: number;
}

/**
 * Measures seeding on `bench` (not started) and reverts the chain to where it was: solo and 10-contributor batches of
 * N and 2N nodes after a first batch, then the largest first batch of 10-contributor nodes that goes through with a
 * gas limit of 32,000,000, found by sending batches of the estimated size and of one node fewer or more.
 */
export async function measureSeedingGas(bench: RewardsBench): Promise<SeedingGas> {
  const { hre, rewards } = bench;
  let snapshot = (await hre.network.provider.send("evm_snapshot", [])) as string;
  await atTime(hre, REWARDS_BASE_TIME - SEEDED_AGE + STEP);
  const solo = await measureSeeding(bench, SOLO_BATCH, 1);
  snapshot = await revertTo(hre, snapshot);
  await atTime(hre, REWARDS_BASE_TIME - SEEDED_AGE + STEP);
  const tenContributors = await measureSeeding(bench, TEN_CONTRIBUTOR_BATCH, CONTRIBUTORS);
  snapshot = await revertTo(hre, snapshot);
  // The estimate ignores the 1/64 of the gas each of the two delegatecalls (proxy, admin half) keeps back, so the
  // largest batch that goes through is found by sending: from the estimate down until one succeeds, then up while
  // one more does.
  let failure: unknown;
  const fits = async (count: number): Promise<number | undefined> => {
    await atTime(hre, REWARDS_BASE_TIME - SEEDED_AGE + STEP);
    const batch = seedBatch(bench, 0, count, CONTRIBUTORS);
    let gas: number | undefined;
    try {
      gas = await gasOf(rewards.seedPublicKeyList(batch, { gasLimit: ARBITRUM_BLOCK_GAS_LIMIT }));
    } catch (error) {
      failure = error;
      gas = undefined;
    }
    snapshot = await revertTo(hre, snapshot);
    return gas;
  };
  let largest = Math.floor((ARBITRUM_BLOCK_GAS_LIMIT - tenContributors.perBatchFirst) / tenContributors.perNode);
  let largestGas = await fits(largest);
  while (largestGas === undefined && largest > 1) {
    largest -= 1;
    largestGas = await fits(largest);
  }
  if (largestGas === undefined) {
    throw new Error(`not even one 10-contributor node can be seeded in 32,000,000 gas: ${String(failure)}`);
  }
  for (let more = await fits(largest + 1); more !== undefined; more = await fits(largest + 1)) {
    largest += 1;
    largestGas = more;
  }
  return { solo, tenContributors, largest, largestGas };
}

/**
 * Gas of ServiceNodeRewards' hot paths, as each transaction's gasUsed, through the transparent proxy, with real BLS
 * signatures of a simulated network. The deployment, the keys, the accounts, the messages and every measured
 * transaction's time are fixed, so the figures are the same every run (a hash-to-G2 costs what its message makes
 * it cost: `npm run bench:rewards` gives the spread over random messages). The network: {NETWORK_SIZE} seeded solo
 * nodes (so up to 12 non-signers), then one registered node.
 * - `.addBLSPublicKey.solo`: a solo registration with a proof of possession (37th node), stake transferred;
 * - `.updateRewardsBalance.newRecipient`: a recipient's first credit (a new slot), every node signing;
 * - `.updateRewardsBalance`: another recipient's second credit; `.10nonSigners`: the same credit (from the same state,
 *   reverted in between) with 10 nodes not signing, so that the difference is the non-signers' alone;
 * - `.claimRewards.first`: that recipient's first claim, of all it was credited (it held no SESH);
 * - `.initiateExit`, `.exitAfterWait`: a seeded solo node's operator asks to leave, then leaves 30 days later;
 * - `.exitWithSignature`, `.liquidate`: a seeded node leaves, another is liquidated, on the network's signature;
 * - `.seed.soloPerNode`, `.seed.10contributorsPerNode`: the marginal gas of a seeded node in a batch (batches of N
 *   and 2N after a first batch, the difference divided by N), solo or of 10 contributors with distinct beneficiaries;
 * - `.seed.max10contributorNodesIn32M`: the largest batch of such 10-contributor nodes one 32,000,000-gas
 *   transaction holds, as the first batch (the costlier one): estimated from the marginal figure and the first
 *   batch's fixed cost, then found by sending batches with a gas limit of 32,000,000 (that many go through, one
 *   more does not).
 */
export async function measureRewardsHotPaths(hre: HardhatRuntimeEnvironment): Promise<GasSnapshot> {
  const bench = await deployRewardsBench(hre);
  const { rewards, signers, tags } = bench;
  const seeding = await measureSeedingGas(bench);

  const { network, added, operators } = await seedNetwork(bench);
  const [exiting, signedExit, liquidated] = operators;
  const operator = signers[4];
  const recipient = signers[5];
  const newRecipient = signers[6];
  const liquidator = signers[7];
  if (!exiting || !signedExit || !liquidated || !operator || !recipient || !newRecipient || !liquidator) {
    throw new PreconditionError("the measurement needs 8 accounts");
  }
  let time = REWARDS_BASE_TIME;
  const next = async (): Promise<number> => {
    time += STEP;
    await atTime(hre, time);
    return time;
  };

  // A solo registration: the operator holds and approved the stake beforehand.
  await gasOf(bench.sesh.transfer(operator.address, bench.requirement));
  await gasOf(bench.sesh.connect(operator).approve(bench.rewardsAddress, bench.requirement));
  const ed25519 = 3_000_000n;
  const proof = network.proofOfPossession(added, tags, operator.address, ed25519);
  const params = { serviceNodePubkey: ed25519, serviceNodeSignature1: 0n, serviceNodeSignature2: 0n, fee: 0 };
  const addedId = await rewards.nextServiceNodeID();
  await next();
  const addSolo = await gasOf(
    rewards.connect(operator).addBLSPublicKey(network.node(added).publicKeyStruct, proof, params, []),
  );
  network.register(added, addedId);

  const credit = async (to: string, amount: bigint, nonSigners: number): Promise<number> => {
    const ids = network.registered().map((node) => node.id ?? 0n);
    const signing = ids.slice(nonSigners);
    const signed = network.sign(rewardMessage(tags, to, amount), tags.hashToG2Tag, signing);
    await next();
    return gasOf(rewards.updateRewardsBalance(to, amount, signed.params, [...signed.nonSignerIds]));
  };
  const [first, second] = REWARDS as [bigint, bigint];
  const creditNew = await credit(newRecipient.address, first, 0);
  await credit(recipient.address, first, 0);
  // The second credit twice, from the same state and at the same time, with and without the non-signers: the
  // difference is the non-signers' cost alone (the message, so the hash-to-G2, is the same).
  const before = (await hre.network.provider.send("evm_snapshot", [])) as string;
  const creditNonSigners = await credit(recipient.address, second, NON_SIGNERS);
  await revertTo(hre, before);
  time -= STEP;
  const creditAgain = await credit(recipient.address, second, 0);

  await next();
  const claimFirst = await gasOf(rewards.connect(recipient)["claimRewards()"]());

  const idOf = (index: number): bigint => network.node(index).id ?? 0n;
  await next();
  const initiateExit = await gasOf(rewards.connect(exiting).initiateExitBLSPublicKey(idOf(0)));

  const removal = async (
    index: number,
    message: (t: DomainTags, key: G1PointStruct, at: bigint) => string,
    liquidate: boolean,
  ): Promise<number> => {
    const key = network.node(index).publicKeyStruct;
    const at = await next();
    const signed = network.sign(message(tags, key, BigInt(at)), tags.hashToG2Tag);
    const sent = liquidate
      ? rewards.connect(liquidator).liquidateBLSPublicKeyWithSignature(key, at, signed.params, [])
      : rewards.connect(signedExit).exitBLSPublicKeyWithSignature(key, at, signed.params, []);
    const gas = await gasOf(sent);
    network.deregister(index);
    return gas;
  };
  const exitWithSignature = await removal(1, exitMessage, false);
  const liquidate = await removal(2, liquidationMessage, true);

  time += EXIT_WAIT;
  await next();
  const exitAfterWait = await gasOf(rewards.connect(exiting).exitBLSPublicKeyAfterWaitTime(idOf(0)));

  return {
    "ServiceNodeRewards.addBLSPublicKey.solo": addSolo,
    "ServiceNodeRewards.updateRewardsBalance": creditAgain,
    "ServiceNodeRewards.updateRewardsBalance.newRecipient": creditNew,
    "ServiceNodeRewards.updateRewardsBalance.10nonSigners": creditNonSigners,
    "ServiceNodeRewards.claimRewards.first": claimFirst,
    "ServiceNodeRewards.initiateExit": initiateExit,
    "ServiceNodeRewards.exitWithSignature": exitWithSignature,
    "ServiceNodeRewards.exitAfterWait": exitAfterWait,
    "ServiceNodeRewards.liquidate": liquidate,
    "ServiceNodeRewards.seed.soloPerNode": seeding.solo.perNode,
    "ServiceNodeRewards.seed.10contributorsPerNode": seeding.tenContributors.perNode,
    "ServiceNodeRewards.seed.max10contributorNodesIn32M": seeding.largest,
  };
}

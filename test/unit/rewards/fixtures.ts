import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { AbiCoder, getBytes } from "ethers";

import {
  aggregatePublicKeys,
  aggregateSignatures,
  hashToG2,
  proofOfPossessionMessage,
  sign,
  signHash,
  toG1Struct,
  toSignatureParams,
  type DomainTags,
  type G1PointStruct,
  type SignatureParams,
} from "../../../lib/bls";
import { deployStakingFixture, deployTestnetStakingFixture, type StakingFixture } from "../../helpers/staking";

/** One SESH in atoms (9 decimals). */
export const SESH = 10n ** 9n;
export const HOUR = 3_600n;
export const DAY = 24n * HOUR;
/** ed25519 keys of the fixtures' nodes: ED_BASE + the node's index in the network. */
export const ED_BASE = 0xed000n;
/** How many nodes {buildSeeded} seeds (network indices 0 .. SEEDED − 1, ids 1 .. SEEDED). */
export const SEEDED = 12;
/** A signature that is no signature, for calls that must revert before the signature is checked. */
export const NO_SIGNATURE: SignatureParams = { sigs0: 0n, sigs1: 0n, sigs2: 0n, sigs3: 0n };

/** `array[index]`, or a thrown error naming what is missing (no non-null assertions in tests). */
export function at<T>(array: readonly T[], index: number): T {
  const value = array[index];
  if (value === undefined) throw new RangeError(`no element ${index} (length ${array.length})`);
  return value;
}

/** The `ServiceNodeParams` of a node with ed25519 key `ed25519` and operator fee `fee`. */
export function nodeParams(ed25519: bigint, fee = 0) {
  return { serviceNodePubkey: ed25519, serviceNodeSignature1: 1n, serviceNodeSignature2: 2n, fee };
}

/** The BLS key of the network's node `index`. */
export function keyOf(f: StakingFixture, index: number): G1PointStruct {
  return f.network.node(index).publicKeyStruct;
}

/** The sum of the keys of the network's nodes at `indices` (what the contract checks a signature against). */
export function aggregateOf(f: StakingFixture, indices: readonly number[]): G1PointStruct {
  return toG1Struct(aggregatePublicKeys(indices.map((index) => f.network.node(index).publicKey)));
}

/** `abi.encode(G1Point)`, the key of `serviceNodeIDs`. */
export function encodeKey(key: G1PointStruct): string {
  return AbiCoder.defaultAbiCoder().encode(["uint256", "uint256"], [key.X, key.Y]);
}

/**
 * The network's aggregate signature on `message` by the nodes at `indices` (their network indices, whatever ids the
 * contract gave them), under `hashToG2Tag` (the fixture's by default). Does not depend on the network's recorded ids.
 */
export function signBy(
  f: StakingFixture,
  indices: readonly number[],
  message: string,
  hashToG2Tag: string = f.tags.hashToG2Tag,
): SignatureParams {
  const messageHash = hashToG2(getBytes(message), hashToG2Tag);
  return toSignatureParams(
    aggregateSignatures(indices.map((index) => signHash(f.network.node(index).secretKey, messageHash))),
  );
}

/** The proof of possession of node `index` for `operator` and `ed25519`, under `tags` (the fixture's by default). */
export function popOf(
  f: StakingFixture,
  index: number,
  operator: string,
  ed25519: bigint,
  tags: Pick<DomainTags, "proofOfPossessionTag" | "hashToG2Tag"> = f.tags,
): SignatureParams {
  const node = f.network.node(index);
  const message = proofOfPossessionMessage(tags, node.publicKeyStruct, operator, ed25519);
  return toSignatureParams(sign(node.secretKey, message, tags.hashToG2Tag));
}

/** `[0, 1, …, n − 1]`. */
export function range(n: number, from = 0): number[] {
  return Array.from({ length: n }, (_, i) => from + i);
}

/** Registers the network's node `index` as a solo node staked by `staker` (ed25519 key ED_BASE + index). */
export async function addSolo(f: StakingFixture, index: number, staker: HardhatEthersSigner): Promise<void> {
  const ed25519 = ED_BASE + BigInt(index);
  const pop = popOf(f, index, staker.address, ed25519);
  await (await f.rewards.connect(staker).addBLSPublicKey(keyOf(f, index), pop, nodeParams(ed25519), [])).wait();
}

/** A solo seed of the network's node `index`, staked by `staker`, added at `addedTimestamp`. */
export function soloSeed(f: StakingFixture, index: number, staker: string, addedTimestamp: bigint) {
  return {
    blsPubkey: keyOf(f, index),
    ed25519Pubkey: ED_BASE + BigInt(index),
    addedTimestamp,
    contributors: [{ staker: { addr: staker, beneficiary: staker }, stakedAmount: f.parameters.stakingRequirement }],
  };
}

/** The fixture, started, with no node. */
async function buildStarted(): Promise<StakingFixture> {
  const f = await deployStakingFixture();
  await (await f.rewards.connect(f.owner).start()).wait();
  return f;
}

/** Four solo nodes registered with proofs of possession (network indices 0..3, ids 1..4, by stakers 0..3), just now. */
async function buildSoloNodes(): Promise<StakingFixture> {
  const f = await buildStarted();
  for (const index of range(4)) await addSolo(f, index, at(f.stakers, index));
  return f;
}

/**
 * {SEEDED} nodes seeded a day ago (network indices 0..11, ids 1..12; node i staked by stakers[i % 8] alone, except
 * node 0: stakers 0 (60 %), 1 (30 %, beneficiary staker 7) and 2 (10 %)), the contract funded with their stakes by
 * stakers 6 and 7, then started. Non-signer threshold 4.
 */
async function buildSeeded(): Promise<StakingFixture> {
  const f = await deployStakingFixture();
  return seedAndStart(f);
}

/** {buildSeeded} on the testnet contract (TestnetServiceNodeRewards, 120 SESH per node). */
async function buildTestnetSeeded(): Promise<StakingFixture> {
  const f = await deployTestnetStakingFixture();
  return seedAndStart(f);
}

async function seedAndStart(f: StakingFixture): Promise<StakingFixture> {
  const requirement = f.parameters.stakingRequirement;
  const dayAgo = BigInt(await time.latest()) - DAY;
  const seeds = range(SEEDED).map((index) => soloSeed(f, index, at(f.stakers, index % 8).address, dayAgo));
  const [s0, s1, s2, s7] = [at(f.stakers, 0), at(f.stakers, 1), at(f.stakers, 2), at(f.stakers, 7)];
  const multi = {
    ...soloSeed(f, 0, s0.address, dayAgo),
    contributors: [
      { staker: { addr: s0.address, beneficiary: s0.address }, stakedAmount: (requirement * 6n) / 10n },
      { staker: { addr: s1.address, beneficiary: s7.address }, stakedAmount: (requirement * 3n) / 10n },
      { staker: { addr: s2.address, beneficiary: s2.address }, stakedAmount: requirement / 10n },
    ],
  };
  await (await f.rewards.connect(f.owner).seedPublicKeyList([multi, ...seeds.slice(1)])).wait();
  const half = (requirement * BigInt(SEEDED)) / 2n;
  await (await f.sesh.connect(at(f.stakers, 6)).transfer(f.rewardsAddress, half)).wait();
  await (await f.sesh.connect(at(f.stakers, 7)).transfer(f.rewardsAddress, half)).wait();
  await (await f.rewards.connect(f.owner).start()).wait();
  return f;
}

/**
 * The fixtures above as new functions, for one test file. `loadFixture` keys its snapshots by function, and
 * `restoreChainAfterSuite` reverts the chain past them when a file's suite ends: a fixture function shared by two
 * files would hand the second an invalid snapshot. Call once per file, at the top level.
 */
export function suiteFixtures() {
  return {
    /** deployStakingFixture: the staking set, not started. */
    deployedFixture: (): Promise<StakingFixture> => deployStakingFixture(),
    /** The contract started, with no node. */
    startedFixture: (): Promise<StakingFixture> => buildStarted(),
    /** Four solo nodes registered with proofs of possession just now (network indices 0..3, ids 1..4, stakers 0..3). */
    soloNodesFixture: (): Promise<StakingFixture> => buildSoloNodes(),
    /** {SEEDED} nodes seeded a day ago, the contract funded with their stakes and started (see buildSeeded). */
    seededFixture: (): Promise<StakingFixture> => buildSeeded(),
    /** seededFixture on TestnetServiceNodeRewards (120 SESH per node). */
    testnetSeededFixture: (): Promise<StakingFixture> => buildTestnetSeeded(),
  };
}

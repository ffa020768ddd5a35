import { AbiCoder, getAddress, keccak256 } from "ethers";

import {
  exitMessage,
  liquidationMessage,
  rewardMessage,
  type DomainTags,
  type G1PointStruct,
  type SignatureParams,
} from "../bls";
import type { SimulatedNetwork } from "../network";

// What a portal, a wallet or the rehearsal needs around ServiceNodeRewards, without a chain: the calls the network
// signs (built and signed with a simulated network, or from a real network's signature), the contract's arithmetic
// (non-signer threshold, per-block aggregations, liquidation shares) and a node read back in plain types.

/** blsNonSignerThreshold = min(totalNodes / 3, max), as the contract computes it. */
export const NON_SIGNER_DIVISOR = 3n;
/** The fewest keys a block may add: max(20, totalNodes × 2 / 100). */
export const MAX_PERMITTED_PUBKEY_AGGREGATIONS_LOWER_BOUND = 20n;
export const PUBKEY_AGGREGATIONS_PERCENT = 2n;
/** The youngest a node may be when it leaves by any path, in seconds. */
export const MIN_NODE_AGE_BEFORE_EXIT = 2n * 3600n;
/** How long after the first exit request anyone may complete the exit, in seconds. */
export const MAX_SERVICE_NODE_EXIT_WAIT_TIME = 30n * 24n * 3600n;

/** The most non-signers a network signature may list with `totalNodes` registered. */
export function nonSignerThreshold(totalNodes: bigint, thresholdMax: bigint): bigint {
  const third = totalNodes / NON_SIGNER_DIVISOR;
  return third < thresholdMax ? third : thresholdMax;
}

/** How many keys one block may add with `totalNodes` registered. */
export function maxPermittedPubkeyAggregations(totalNodes: bigint): bigint {
  const share = (totalNodes * PUBKEY_AGGREGATIONS_PERCENT) / 100n;
  return share > MAX_PERMITTED_PUBKEY_AGGREGATIONS_LOWER_BOUND ? share : MAX_PERMITTED_PUBKEY_AGGREGATIONS_LOWER_BOUND;
}

/** The liquidation ratios of the contract. */
export interface LiquidationRatios {
  readonly liquidator: bigint;
  readonly pool: bigint;
  readonly recipient: bigint;
}

/** How a liquidated deposit is split: paid now to the liquidator and the pool, the rest returned later. */
export interface LiquidationShares {
  readonly liquidator: bigint;
  readonly pool: bigint;
  readonly returned: bigint;
}

/**
 * The contract's split of a liquidated deposit: the pool's share rounded up, the liquidator's down, and the
 * contributors get back the rest, so the three sum to the deposit exactly.
 */
export function liquidationShares(deposit: bigint, ratios: LiquidationRatios): LiquidationShares {
  if (deposit < 0n) throw new RangeError(`a deposit cannot be negative, got ${deposit}`);
  const sum = ratios.liquidator + ratios.pool + ratios.recipient;
  if (ratios.recipient < 1n || (ratios.liquidator + ratios.pool) * 3n > ratios.recipient) {
    throw new RangeError(
      `the ratios ${ratios.liquidator} / ${ratios.pool} / ${ratios.recipient} must leave the contributors at least ` +
        "three quarters (the contract's LiquidatorPenaltyTooHigh)",
    );
  }
  const pool = (deposit * ratios.pool + sum - 1n) / sum;
  const liquidator = (deposit * ratios.liquidator) / sum;
  return { liquidator, pool, returned: deposit - pool - liquidator };
}

/** The arguments of `updateRewardsBalance(recipient, cumulativeRewards, signature, nonSignerIds)`, in order. */
export type RewardsUpdateArgs = readonly [string, bigint, SignatureParams, bigint[]];

/** The arguments of `exitBLSPublicKeyWithSignature` / `liquidateBLSPublicKeyWithSignature`, in order. */
export type SignedRemovalArgs = readonly [G1PointStruct, bigint, SignatureParams, bigint[]];

/**
 * The network's signature on a recipient's cumulative rewards, as the arguments of `updateRewardsBalance`. Signed
 * by the registered nodes with `signerIds` (default: all); the others are listed as non-signers.
 */
export function signRewardsUpdate(
  network: SimulatedNetwork,
  tags: Pick<DomainTags, "rewardTag" | "hashToG2Tag">,
  recipient: string,
  cumulativeRewards: bigint,
  signerIds?: Iterable<bigint>,
): RewardsUpdateArgs {
  const address = getAddress(recipient);
  const signed = network.sign(rewardMessage(tags, address, cumulativeRewards), tags.hashToG2Tag, signerIds);
  return [address, cumulativeRewards, signed.params, [...signed.nonSignerIds]];
}

/** The network's signature on a node's exit at `timestamp`, as the arguments of `exitBLSPublicKeyWithSignature`. */
export function signExit(
  network: SimulatedNetwork,
  tags: Pick<DomainTags, "exitTag" | "hashToG2Tag">,
  publicKey: G1PointStruct,
  timestamp: bigint,
  signerIds?: Iterable<bigint>,
): SignedRemovalArgs {
  return signRemoval(network, exitMessage(tags, publicKey, timestamp), tags, publicKey, timestamp, signerIds);
}

/**
 * The network's signature on a node's liquidation at `timestamp`, as the arguments of
 * `liquidateBLSPublicKeyWithSignature`.
 */
export function signLiquidation(
  network: SimulatedNetwork,
  tags: Pick<DomainTags, "liquidateTag" | "hashToG2Tag">,
  publicKey: G1PointStruct,
  timestamp: bigint,
  signerIds?: Iterable<bigint>,
): SignedRemovalArgs {
  return signRemoval(network, liquidationMessage(tags, publicKey, timestamp), tags, publicKey, timestamp, signerIds);
}

/** An exit's or a liquidation's `message`, signed, as the arguments of the contract's call. */
function signRemoval(
  network: SimulatedNetwork,
  message: string,
  tags: Pick<DomainTags, "hashToG2Tag">,
  publicKey: G1PointStruct,
  timestamp: bigint,
  signerIds?: Iterable<bigint>,
): SignedRemovalArgs {
  const signed = network.sign(message, tags.hashToG2Tag, signerIds);
  return [publicKey, timestamp, signed.params, [...signed.nonSignerIds]];
}

/** The key `serviceNodeIDs(bytes)` takes: `abi.encode(G1Point)`. */
export function encodeBlsPublicKey(publicKey: G1PointStruct): string {
  return AbiCoder.defaultAbiCoder().encode(["uint256", "uint256"], [publicKey.X, publicKey.Y]);
}

/** keccak256 of {encodeBlsPublicKey}: how the contract indexes nodes by key. */
export function blsPublicKeyHash(publicKey: G1PointStruct): string {
  return keccak256(encodeBlsPublicKey(publicKey));
}

/** A contributor of a registered node. */
export interface NodeContributor {
  readonly staker: string;
  readonly beneficiary: string;
  readonly stakedAmount: bigint;
}

/** A registered node in plain types. */
export interface RegisteredNode {
  readonly id: bigint;
  readonly next: bigint;
  readonly prev: bigint;
  readonly operator: string;
  readonly blsPublicKey: G1PointStruct;
  readonly ed25519PublicKey: bigint;
  readonly addedTimestamp: bigint;
  readonly leaveRequestTimestamp: bigint;
  readonly latestLeaveRequestTimestamp: bigint;
  readonly deposit: bigint;
  readonly contributors: readonly NodeContributor[];
}

/** What `serviceNodes(id)` returns, as ethers decodes it. */
export interface ServiceNodeResult {
  readonly next: bigint;
  readonly prev: bigint;
  readonly operator: string;
  readonly blsPubkey: { readonly X: bigint; readonly Y: bigint };
  readonly addedTimestamp: bigint;
  readonly leaveRequestTimestamp: bigint;
  readonly latestLeaveRequestTimestamp: bigint;
  readonly deposit: bigint;
  readonly contributors: readonly {
    readonly staker: { readonly addr: string; readonly beneficiary: string };
    readonly stakedAmount: bigint;
  }[];
  readonly ed25519Pubkey: bigint;
}

/** The part of the rewards contract {readNode} reads. */
export interface ServiceNodeReader {
  serviceNodes(serviceNodeID: bigint): Promise<ServiceNodeResult>;
}

/** Reads node `id` with its contributors; undefined when no node has that id (it never existed, or it left). */
export async function readNode(rewards: ServiceNodeReader, id: bigint): Promise<RegisteredNode | undefined> {
  if (id === 0n) throw new RangeError("id 0 is the list's sentinel, not a node");
  const node = await rewards.serviceNodes(id);
  if (node.deposit === 0n) return undefined;
  return {
    id,
    next: node.next,
    prev: node.prev,
    operator: getAddress(node.operator),
    blsPublicKey: { X: node.blsPubkey.X, Y: node.blsPubkey.Y },
    ed25519PublicKey: node.ed25519Pubkey,
    addedTimestamp: node.addedTimestamp,
    leaveRequestTimestamp: node.leaveRequestTimestamp,
    latestLeaveRequestTimestamp: node.latestLeaveRequestTimestamp,
    deposit: node.deposit,
    contributors: node.contributors.map((contributor) => ({
      staker: getAddress(contributor.staker.addr),
      beneficiary: getAddress(contributor.staker.beneficiary),
      stakedAmount: contributor.stakedAmount,
    })),
  };
}

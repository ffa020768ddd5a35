import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { SESH_TOTAL_SUPPLY } from "../lib/amount";
import { LEAF_ENCODING, type LeafValue } from "../lib/claims";
import { defaultSchedule } from "../lib/schedule";
import type { GasSnapshot } from "../lib/gas/snapshot";

const ONE_OXEN = 10n ** 9n;
/** Leaves of the measured epoch: 100,000 burns, so that a proof is 17 hashes long (2^16 < 100,000 ≤ 2^17). */
const LEAF_COUNT = 100_000;
/** The proof length of the measured claim: the deepest leaves of a 100,000-leaf tree. */
const PROOF_LENGTH = 17;
/** Leaves claimed in the measurement, all in one bitmap word: a new word, a set word, a recipient holding SESH. */
const MEASURED_LEAVES = 3;
/** What the third leaf's recipient holds before its claim: one SESH. */
const HELD = ONE_OXEN;
/** Claims per word of the bridge's claim bitmap. */
const BITMAP_WORD_BITS = 256n;
const POOL = 30_000_000n * ONE_OXEN;
const CONVERTED = 1_000n * ONE_OXEN;

/** Distinct, non-zero recipients and amounts for every leaf. */
function leafValues(): LeafValue[] {
  return Array.from({ length: LEAF_COUNT }, (_, index) => [
    index.toString(),
    `0x${(index + 1).toString(16).padStart(40, "0")}`,
    (1_000n * ONE_OXEN + BigInt(index)).toString(),
  ]);
}

/**
 * Gas of the Oxen claims bridge's hot paths (transaction gasUsed, at the default schedule's opening rate):
 * - `OxenClaims.claim.100kLeaves`: the first claim of a leaf (a cold bitmap word) with a 17-hash proof from a
 *   100,000-leaf StandardMerkleTree, SESH paid to the leaf's recipient (a fresh account);
 * - `OxenClaims.claim.100kLeaves.bitmapWordSet`: the same for a second leaf whose bitmap word is already set (the
 *   marginal claim, the figure compared with Uniswap's merkle-distributor: 75,649 gas for the same tree and token);
 * - `OxenClaims.claim.100kLeaves.recipientHolds`: the same for a third leaf of that word whose recipient already holds
 *   SESH (no new balance slot);
 * - `OxenClaims.convertWrapped`: a conversion of 1,000 wOXEN by a holder who converted before (warm counters).
 * Building the tree takes about 15 s with `StandardMerkleTree.of`.
 */
export async function measureBridgeHotPaths(hre: HardhatRuntimeEnvironment): Promise<GasSnapshot> {
  const { ethers } = hre;
  const [owner, holder] = await ethers.getSigners();
  if (owner === undefined || holder === undefined) throw new Error("the network has fewer than two accounts");

  const values = leafValues();
  const tree = StandardMerkleTree.of(values, [...LEAF_ENCODING]);
  // The epoch declares exactly the sum of its leaves, as the builder would.
  const totalOxen = values.reduce((sum, [, , amount]) => sum + BigInt(amount), 0n);
  // Three leaves with full-length proofs in one word of the claim bitmap: the first claim sets the word, the others
  // find it set (the marginal claim, then one to a recipient who holds SESH).
  const deepest: { value: LeafValue; proof: string[] }[] = [];
  for (const [position, value] of tree.entries()) {
    const proof = tree.getProof(position);
    if (proof.length !== PROOF_LENGTH) continue;
    const [first] = deepest;
    if (first !== undefined && BigInt(first.value[0]) / BITMAP_WORD_BITS !== BigInt(value[0]) / BITMAP_WORD_BITS) {
      deepest.length = 0;
    }
    deepest.push({ value, proof });
    if (deepest.length === MEASURED_LEAVES) break;
  }
  const [measured, warm, holding] = deepest;
  if (measured === undefined || warm === undefined || holding === undefined) {
    throw new Error(`no ${MEASURED_LEAVES} leaves of one bitmap word have a ${PROOF_LENGTH}-hash proof`);
  }

  const sesh = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, owner.address, ZeroAddress, ZeroAddress]);
  const wrapped = await ethers.deployContract("WrappedOxen__Mock");
  const schedule = defaultSchedule().map(({ timestamp, rate }) => ({ timestamp, rate }));
  const bridge = await ethers.deployContract("OxenClaimsBridge", [sesh, wrapped, owner.address, schedule, 0n, owner]);
  await (await sesh.transfer(bridge, POOL)).wait();
  await (await bridge.addEpoch(tree.root, totalOxen)).wait();
  await (await wrapped.mint(holder.address, 3n * CONVERTED)).wait();
  await (await wrapped.connect(holder).approve(bridge, 3n * CONVERTED)).wait();

  const opening = schedule[0]?.timestamp ?? 0n;
  const latest = (await ethers.provider.getBlock("latest"))?.timestamp ?? 0;
  if (BigInt(latest) < opening) await ethers.provider.send("evm_setNextBlockTimestamp", [Number(opening)]);

  const [index, recipient, oxenAmount] = measured.value;
  const claim = await (await bridge.claim(0n, BigInt(index), recipient, BigInt(oxenAmount), measured.proof)).wait();
  const [warmIndex, warmRecipient, warmAmount] = warm.value;
  const warmClaim = await (
    await bridge.claim(0n, BigInt(warmIndex), warmRecipient, BigInt(warmAmount), warm.proof)
  ).wait();
  const [holdingIndex, holdingRecipient, holdingAmount] = holding.value;
  await (await sesh.transfer(holdingRecipient, HELD)).wait();
  const holdingClaim = await (
    await bridge.claim(0n, BigInt(holdingIndex), holdingRecipient, BigInt(holdingAmount), holding.proof)
  ).wait();
  await (await bridge.connect(holder).convertWrapped(CONVERTED)).wait();
  const convert = await (await bridge.connect(holder).convertWrapped(CONVERTED)).wait();
  if (claim === null || warmClaim === null || holdingClaim === null || convert === null) {
    throw new Error("the measured transactions were not mined");
  }

  return {
    "OxenClaims.claim.100kLeaves": Number(claim.gasUsed),
    "OxenClaims.claim.100kLeaves.bitmapWordSet": Number(warmClaim.gasUsed),
    "OxenClaims.claim.100kLeaves.recipientHolds": Number(holdingClaim.gasUsed),
    "OxenClaims.convertWrapped": Number(convert.gasUsed),
  };
}

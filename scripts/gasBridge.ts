import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { SESH_TOTAL_SUPPLY } from "../lib/amount";
import { LEAF_ENCODING, type LeafValue } from "../lib/claims";
import { defaultSchedule } from "../lib/schedule";
import type { GasSnapshot } from "../lib/gas/snapshot";

/** Leaves of the measured epoch: 100,000 burns, so that a proof is 17 hashes long (2^16 < 100,000 ≤ 2^17). */
const LEAF_COUNT = 100_000;
/** The proof length of the measured claim: the deepest leaves of a 100,000-leaf tree. */
const PROOF_LENGTH = 17;
const ONE_OXEN = 10n ** 9n;
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
 * - `OxenClaims.convertWrapped`: a conversion of 1,000 wOXEN by a holder who converted before (warm counters).
 * Building the tree takes about 15 s with `StandardMerkleTree.of`.
 */
export async function measureBridgeHotPaths(hre: HardhatRuntimeEnvironment): Promise<GasSnapshot> {
  const { ethers } = hre;
  const [owner, holder] = await ethers.getSigners();
  if (owner === undefined || holder === undefined) throw new Error("the network has fewer than two accounts");

  const tree = StandardMerkleTree.of(leafValues(), [...LEAF_ENCODING]);
  let measured: { value: LeafValue; proof: string[] } | undefined;
  for (const [position, value] of tree.entries()) {
    const proof = tree.getProof(position);
    if (proof.length === PROOF_LENGTH) {
      measured = { value, proof };
      break;
    }
  }
  if (measured === undefined) throw new Error(`no leaf of the tree has a ${PROOF_LENGTH}-hash proof`);

  const sesh = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, owner.address, ZeroAddress, ZeroAddress]);
  const wrapped = await ethers.deployContract("WrappedOxen__Mock");
  const schedule = defaultSchedule().map(({ timestamp, rate }) => ({ timestamp, rate }));
  const bridge = await ethers.deployContract("OxenClaimsBridge", [sesh, wrapped, owner.address, schedule, 0n, owner]);
  await (await sesh.transfer(bridge, POOL)).wait();
  await (await bridge.addEpoch(tree.root, BigInt(LEAF_COUNT) * 1_000n * ONE_OXEN)).wait();
  await (await wrapped.mint(holder.address, 3n * CONVERTED)).wait();
  await (await wrapped.connect(holder).approve(bridge, 3n * CONVERTED)).wait();

  const opening = schedule[0]?.timestamp ?? 0n;
  const latest = (await ethers.provider.getBlock("latest"))?.timestamp ?? 0;
  if (BigInt(latest) < opening) await ethers.provider.send("evm_setNextBlockTimestamp", [Number(opening)]);

  const [index, recipient, oxenAmount] = measured.value;
  const claim = await (await bridge.claim(0n, BigInt(index), recipient, BigInt(oxenAmount), measured.proof)).wait();
  await (await bridge.connect(holder).convertWrapped(CONVERTED)).wait();
  const convert = await (await bridge.connect(holder).convertWrapped(CONVERTED)).wait();
  if (claim === null || convert === null) throw new Error("the measured transactions were not mined");

  return {
    "OxenClaims.claim.100kLeaves": Number(claim.gasUsed),
    "OxenClaims.convertWrapped": Number(convert.gasUsed),
  };
}

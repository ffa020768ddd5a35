import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { ATOMS_PER_SESH, SESH_TOTAL_SUPPLY } from "../lib/amount";
import type { GasSnapshot } from "../lib/gas/snapshot";

/** The tree the figures are measured on: 1,000 leaves, as large as a real campaign's order of magnitude. */
const LEAF_COUNT = 1_000;
/** The measured leaf: one in the middle of the tree (a full-depth proof). */
const MEASURED_LEAF = 500;
const AWARD = 1_000n * ATOMS_PER_SESH;
const DAY = 86_400;
/** Vesting measured a quarter of the way in: the claim and the release each pay a part. */
const VESTING_DURATION = 100 * DAY;
const QUARTER = VESTING_DURATION / 4;
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** A deterministic, distinct address per leaf. */
function leafAccount(position: number): string {
  return `0x${(position + 1).toString(16).padStart(40, "0")}`;
}

/**
 * Gas of the MerkleDistributor hot paths, as the transaction's gasUsed (what a claimant pays), on a tree of 1,000
 * leaves:
 * - `MerkleDistributor.claim`: a claim without vesting (proof check, bitmap, transfer to a fresh account);
 * - `MerkleDistributor.claim.vesting`: a claim with vesting, a quarter of the way in (records the award and pays the
 *   vested quarter);
 * - `MerkleDistributor.release`: a later release of the vested part of that award.
 */
export async function measureDistributorHotPaths(hre: HardhatRuntimeEnvironment): Promise<GasSnapshot> {
  const { ethers } = hre;
  const [owner] = await ethers.getSigners();
  if (owner === undefined) throw new Error("the network has no account to measure with");
  const values = Array.from({ length: LEAF_COUNT }, (_, position) => [BigInt(position), leafAccount(position), AWARD]);
  const tree = StandardMerkleTree.of(values, ["uint256", "address", "uint256"]);
  const account = leafAccount(MEASURED_LEAF);
  const proof = tree.getProof(MEASURED_LEAF);
  const token = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, owner.address, ZERO_ADDRESS, ZERO_ADDRESS]);
  const tokenAddress = await token.getAddress();

  const deploy = async (vestingStart: number, vestingDuration: number) => {
    const distributor = await ethers.deployContract("MerkleDistributor", [
      tokenAddress,
      tree.root,
      0,
      owner.address,
      vestingStart,
      vestingDuration,
      owner.address,
    ]);
    await (await token.transfer(await distributor.getAddress(), AWARD * BigInt(LEAF_COUNT))).wait();
    return distributor;
  };

  const immediate = await deploy(0, 0);
  const claim = await (await immediate.claim(MEASURED_LEAF, account, AWARD, proof)).wait();

  const latest = await ethers.provider.getBlock("latest");
  if (latest === null) throw new Error("no latest block");
  const start = latest.timestamp + DAY;
  const vesting = await deploy(start, VESTING_DURATION);
  await hre.network.provider.send("evm_setNextBlockTimestamp", [start + QUARTER]);
  const claimVesting = await (await vesting.claim(MEASURED_LEAF, account, AWARD, proof)).wait();
  await hre.network.provider.send("evm_setNextBlockTimestamp", [start + 2 * QUARTER]);
  const release = await (await vesting.release(account)).wait();
  if (claim === null || claimVesting === null || release === null)
    throw new Error("a measured transaction was not mined");

  return {
    "MerkleDistributor.claim": Number(claim.gasUsed),
    "MerkleDistributor.claim.vesting": Number(claimVesting.gasUsed),
    "MerkleDistributor.release": Number(release.gasUsed),
  };
}

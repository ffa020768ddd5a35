import { writeFileSync } from "node:fs";

/**
 * The leaf both Merkle contracts verify (OxenClaimsBridge, MerkleDistributor): `abi.encode(uint256 index,
 * address account, uint256 amount)`, hashed as @openzeppelin/merkle-tree's StandardMerkleTree does.
 */
export const LEAF_ENCODING = ["uint256", "address", "uint256"] as const;

/** A leaf as the tree stores it: decimal strings for the numbers, so that the tree's dump is plain JSON. */
export type LeafValue = [index: string, account: string, amount: string];

/** Writes `value` as indented JSON with a final newline (tree dumps and proof files). */
export function writeJsonFile(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

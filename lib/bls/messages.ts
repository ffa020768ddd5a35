import { solidityPacked } from "ethers";

import type { G1PointStruct } from "./encoding";
import type { DomainTags } from "./tags";

/**
 * The messages the contracts verify, all `abi.encodePacked` (INTERFACE.md, "Messages"). Each starts with its own
 * tag, and every signature is over H(message) under the hash-to-G2 tag.
 */
export function proofOfPossessionMessage(
  tags: Pick<DomainTags, "proofOfPossessionTag">,
  publicKey: G1PointStruct,
  operator: string,
  ed25519PublicKey: bigint,
): string {
  return solidityPacked(
    ["bytes32", "uint256", "uint256", "address", "uint256"],
    [tags.proofOfPossessionTag, publicKey.X, publicKey.Y, operator, ed25519PublicKey],
  );
}

export function rewardMessage(
  tags: Pick<DomainTags, "rewardTag">,
  recipient: string,
  cumulativeRewards: bigint,
): string {
  return solidityPacked(["bytes32", "address", "uint256"], [tags.rewardTag, recipient, cumulativeRewards]);
}

export function exitMessage(tags: Pick<DomainTags, "exitTag">, publicKey: G1PointStruct, timestamp: bigint): string {
  return solidityPacked(
    ["bytes32", "uint256", "uint256", "uint256"],
    [tags.exitTag, publicKey.X, publicKey.Y, timestamp],
  );
}

export function liquidationMessage(
  tags: Pick<DomainTags, "liquidateTag">,
  publicKey: G1PointStruct,
  timestamp: bigint,
): string {
  return solidityPacked(
    ["bytes32", "uint256", "uint256", "uint256"],
    [tags.liquidateTag, publicKey.X, publicKey.Y, timestamp],
  );
}

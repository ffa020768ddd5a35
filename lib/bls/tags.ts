import { keccak256, solidityPacked } from "ethers";

/** The base strings of the domain tags (INTERFACE.md, "Tags"). */
export const TAG_BASES = {
  hashToG2Tag: "BLS_SIG_HASH_TO_FIELD_TAG",
  proofOfPossessionTag: "BLS_SIG_TRYANDINCREMENT_POP",
  rewardTag: "BLS_SIG_TRYANDINCREMENT_REWARD",
  exitTag: "BLS_SIG_TRYANDINCREMENT_EXIT",
  liquidateTag: "BLS_SIG_TRYANDINCREMENT_LIQUIDATE",
} as const;

export type DomainTags = { readonly [name in keyof typeof TAG_BASES]: string };

/** `keccak256(abi.encodePacked(base, chainId, contract))`: binds a signature to one chain and one deployment. */
export function buildTag(base: string, chainId: bigint | number, contract: string): string {
  return keccak256(solidityPacked(["string", "uint256", "address"], [base, chainId, contract]));
}

/** Every tag of the contract at `contract` on chain `chainId`. */
export function domainTags(chainId: bigint | number, contract: string): DomainTags {
  const entries = Object.entries(TAG_BASES).map(([name, base]) => [name, buildTag(base, chainId, contract)]);
  return Object.fromEntries(entries) as DomainTags;
}

import { ethers } from "hardhat";

import { rawTgeParameters, writeTgeParameters, type RawTgeParameters } from "./tge";

/** A network's committed parameter file as loose JSON, to change a deployment section of. */
export type RawNetworkFile = Record<string, unknown> & {
  accounts: Record<string, number | string | null>;
  claimsBridge: Record<string, unknown>;
  distributor: Record<string, unknown>;
  vesting: Record<string, unknown>[];
};

/** The committed parameter file of `network`, changed by `mutate`, written to a temporary file; returns its path. */
export function networkFileWith(name: string, mutate: (raw: RawNetworkFile) => void, network = "hardhat"): string {
  const raw = rawTgeParameters(network) as unknown as RawNetworkFile;
  mutate(raw);
  return writeTgeParameters(name, raw as unknown as RawTgeParameters);
}

/** The addresses of the network's accounts, `[0]` the deployer. */
export async function signerAddresses(): Promise<string[]> {
  return (await ethers.getSigners()).map((signer) => signer.address);
}

/** The deployer's nonce and the block number: what any sent transaction would change. */
export async function chainState(): Promise<{ nonce: number; block: number }> {
  const [deployer] = await ethers.getSigners();
  return {
    nonce: await ethers.provider.getTransactionCount(deployer?.address ?? ""),
    block: await ethers.provider.getBlockNumber(),
  };
}

/** Unix seconds of an ISO-8601 date. */
export function unix(date: string): bigint {
  return BigInt(Date.parse(date) / 1000);
}

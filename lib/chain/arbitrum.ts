import type { EIP1193Provider, HardhatRuntimeEnvironment } from "hardhat/types";

import { ARBITRUM_LOCAL_CHAIN_ID } from "./networks";

/** Address of Arbitrum's ArbSys precompile. */
export const ARB_SYS_ADDRESS = "0x0000000000000000000000000000000000000064";

/** The test double's contract name (contracts/test/ArbSys__Mock.sol). */
const ARB_SYS_DOUBLE = "ArbSys__Mock";

async function chainIdOf(provider: EIP1193Provider): Promise<number> {
  return Number(await provider.request({ method: "eth_chainId" }));
}

/**
 * Makes a local Hardhat chain Arbitrum-like where configuration cannot: copies the ArbSys test double's
 * runtime code to 0x…64 with `hardhat_setCode`. Idempotent. Refuses any chain but the local Arbitrum-like one,
 * so it can never write to a fork of a real network by mistake.
 */
export async function installArbSys(
  hre: HardhatRuntimeEnvironment,
  provider: EIP1193Provider = hre.network.provider,
): Promise<void> {
  const chainId = await chainIdOf(provider);
  if (chainId !== ARBITRUM_LOCAL_CHAIN_ID) {
    throw new Error(
      `the ArbSys double is only installed on the local Arbitrum-like chain (chain id ${ARBITRUM_LOCAL_CHAIN_ID}); ` +
        `this chain has id ${chainId}`,
    );
  }
  const { deployedBytecode } = await hre.artifacts.readArtifact(ARB_SYS_DOUBLE);
  const current = await provider.request({ method: "eth_getCode", params: [ARB_SYS_ADDRESS, "latest"] });
  if (current === deployedBytecode) return;
  await provider.request({ method: "hardhat_setCode", params: [ARB_SYS_ADDRESS, deployedBytecode] });
}

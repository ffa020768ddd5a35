/** Chain id of Arbitrum's nitro test node, used by the local Arbitrum-like chain (SPEC section 5). */
export const ARBITRUM_LOCAL_CHAIN_ID = 412_346;
export const ARBITRUM_SEPOLIA_CHAIN_ID = 421_614;
export const ARBITRUM_ONE_CHAIN_ID = 42_161;

/** Block gas limit of the local chain: Arbitrum's 32,000,000, with no per-transaction cap below it. */
export const ARBITRUM_BLOCK_GAS_LIMIT = 32_000_000;

/** The EVM version the contracts are compiled for and the local chain runs. */
export const EVM_HARDFORK = "cancun";

/** Networks that deploy for real and so need a deployer key from the environment. */
export const LIVE_NETWORKS = {
  arbitrumSepolia: { chainId: ARBITRUM_SEPOLIA_CHAIN_ID, rpcUrlVariable: "ARBITRUM_SEPOLIA_RPC_URL" },
  arbitrumOne: { chainId: ARBITRUM_ONE_CHAIN_ID, rpcUrlVariable: "ARBITRUM_ONE_RPC_URL" },
} as const;

export type LiveNetworkName = keyof typeof LIVE_NETWORKS;

/** Environment variable holding the deployer's private key for live networks (never committed). */
export const DEPLOYER_KEY_VARIABLE = "DEPLOYER_PRIVATE_KEY";

/** Environment variable holding the block explorer's API key (Etherscan API v2, which serves Arbiscan). */
export const ARBISCAN_KEY_VARIABLE = "ARBISCAN_API_KEY";

/** Every setting the configuration reads from the environment or Hardhat's configuration variables (`vars`). */
export const SETTING_VARIABLES = [
  DEPLOYER_KEY_VARIABLE,
  LIVE_NETWORKS.arbitrumSepolia.rpcUrlVariable,
  LIVE_NETWORKS.arbitrumOne.rpcUrlVariable,
  ARBISCAN_KEY_VARIABLE,
] as const;

/** Hardhat's configuration variables (`import { vars } from "hardhat/config"`), as far as the settings use them. */
export interface ConfigurationVariables {
  has(name: string): boolean;
  get(name: string, defaultValue?: string): string;
}

/**
 * The settings, each from the environment when it is set there (not empty), else from Hardhat's configuration
 * variables (`npx hardhat vars set NAME`, stored outside the project; `HARDHAT_VAR_NAME` in the environment also
 * sets one), else unset. Nothing is read from the network or from a file in the project.
 */
export function readSettings(
  env: NodeJS.ProcessEnv,
  vars: ConfigurationVariables,
): Partial<Record<(typeof SETTING_VARIABLES)[number], string>> {
  const settings: Partial<Record<(typeof SETTING_VARIABLES)[number], string>> = {};
  for (const name of SETTING_VARIABLES) {
    const fromEnv = env[name]?.trim();
    const value = fromEnv !== undefined && fromEnv !== "" ? fromEnv : vars.has(name) ? vars.get(name).trim() : "";
    if (value !== "") settings[name] = value;
  }
  return settings;
}

const PRIVATE_KEY = /^(0x)?[0-9a-fA-F]{64}$/;

/** Whether `key` is a private key: 64 hex digits, optionally 0x-prefixed. */
export function isPrivateKey(key: string): boolean {
  return PRIVATE_KEY.test(key);
}

export function isLiveNetwork(name: string): name is LiveNetworkName {
  return Object.hasOwn(LIVE_NETWORKS, name);
}

/** The deployer key of the environment in `0x…` form, or `undefined` when it is not set. */
export function readDeployerKey(env: NodeJS.ProcessEnv): string | undefined {
  const key = env[DEPLOYER_KEY_VARIABLE]?.trim();
  if (key === undefined || key === "") return undefined;
  return key.startsWith("0x") ? key : `0x${key}`;
}

/**
 * Why `network` cannot be used with this environment, or `undefined` when it can. Local networks need
 * nothing; live networks need a well-formed deployer key and an RPC URL.
 */
export function liveNetworkProblem(network: string, env: NodeJS.ProcessEnv): string | undefined {
  if (!isLiveNetwork(network)) return undefined;
  const raw = env[DEPLOYER_KEY_VARIABLE]?.trim();
  if (raw === undefined || raw === "") {
    return (
      `network ${network} deploys for real and needs the deployer's private key: set ${DEPLOYER_KEY_VARIABLE} ` +
      `in the environment (64 hex digits, never committed), e.g. ${DEPLOYER_KEY_VARIABLE}=0x… npx hardhat … --network ${network}, ` +
      `or once with \`npx hardhat vars set ${DEPLOYER_KEY_VARIABLE}\``
    );
  }
  if (!PRIVATE_KEY.test(raw)) {
    return `${DEPLOYER_KEY_VARIABLE} is not a private key: expected 64 hex digits (optionally 0x-prefixed), got ${raw.length} characters`;
  }
  const urlVariable = LIVE_NETWORKS[network].rpcUrlVariable;
  if ((env[urlVariable]?.trim() ?? "") === "") {
    return `network ${network} needs a JSON-RPC endpoint: set ${urlVariable} to the URL of an Arbitrum node`;
  }
  return undefined;
}

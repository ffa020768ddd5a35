import "@nomicfoundation/hardhat-toolbox";
import "@openzeppelin/hardhat-upgrades";

import { extendEnvironment, subtask, task, vars } from "hardhat/config";
import {
  TASK_COMPILE,
  TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD,
  TASK_NODE,
  TASK_NODE_SERVER_READY,
} from "hardhat/builtin-tasks/task-names";
import { HardhatPluginError } from "hardhat/plugins";
import type { EIP1193Provider, HardhatUserConfig, NetworkUserConfig } from "hardhat/types";

import { ANVIL_DEFAULT_URL, ANVIL_RPC_URL_VARIABLE } from "./lib/chain/anvil";
import { installArbSys } from "./lib/chain/arbitrum";
import {
  ARBISCAN_KEY_VARIABLE,
  ARBITRUM_BLOCK_GAS_LIMIT,
  ARBITRUM_LOCAL_CHAIN_ID,
  ARBITRUM_ONE_CHAIN_ID,
  ARBITRUM_SEPOLIA_CHAIN_ID,
  EVM_HARDFORK,
  isPrivateKey,
  LIVE_NETWORKS,
  liveNetworkProblem,
  readDeployerKey,
  readSettings,
} from "./lib/chain/networks";
import { PreconditionError } from "./lib/errors";
import { launchTimeline } from "./lib/timeline";

import "./tasks";
import { installErrorReporting, PLUGIN_NAME } from "./tasks/errors";

// ---------------------------------------------------------------------------------------------------------------
// Compiler: solc 0.8.30 from the npm package `solc` (soljson.js), never downloaded.
// ---------------------------------------------------------------------------------------------------------------
const SOLC_VERSION = "0.8.30";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD).setAction(({ solcVersion }: { solcVersion: string }) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  const longVersion = solc.version().replace(/\.Emscripten\.clang$/, ""); // e.g. 0.8.30+commit.73712a01
  if (solcVersion !== SOLC_VERSION || !longVersion.startsWith(`${SOLC_VERSION}+`)) {
    throw new HardhatPluginError(
      PLUGIN_NAME,
      `solc ${solcVersion} was requested but only the npm package solc ${longVersion} is installed, and no ` +
        `compiler may be downloaded: compile with ${SOLC_VERSION} (pragma solidity ${SOLC_VERSION}).`,
    );
  }
  return Promise.resolve({
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: solcVersion,
    longVersion,
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Networks
// ---------------------------------------------------------------------------------------------------------------
const forkUrl = process.env.FORK_URL?.trim();
const forkBlock = process.env.FORK_BLOCK?.trim();
const forkChainId = process.env.FORK_CHAIN_ID?.trim();
for (const [variable, value] of [
  ["FORK_BLOCK", forkBlock],
  ["FORK_CHAIN_ID", forkChainId],
] as const) {
  if (value !== undefined && value !== "" && !/^\d+$/.test(value)) {
    throw new HardhatPluginError(PLUGIN_NAME, `${variable} must be a whole number, got "${value}"`);
  }
}
const forking =
  forkUrl === undefined || forkUrl === ""
    ? undefined
    : { url: forkUrl, ...(forkBlock ? { blockNumber: Number(forkBlock) } : {}) };

// The deployer key, the RPC URLs and the explorer's API key: from the environment, else from Hardhat's configuration
// variables (`npx hardhat vars set NAME`), never from a committed file (docs/deployment.md).
const settings = readSettings(process.env, vars);
const deployerKey = readDeployerKey(settings);

function liveNetwork(name: keyof typeof LIVE_NETWORKS): NetworkUserConfig {
  const { chainId, rpcUrlVariable } = LIVE_NETWORKS[name];
  return {
    chainId,
    // An unset URL is reported by the check in extendEnvironment below before anything is sent.
    url: settings[rpcUrlVariable] ?? "http://rpc-url-not-set.invalid",
    // A malformed key is left out here (Hardhat would reject the whole configuration) and reported by name below.
    accounts: deployerKey !== undefined && isPrivateKey(deployerKey) ? [deployerKey] : [],
  };
}

// Readable errors of the command's task are printed once, without a stack trace, even on a machine without a
// display (tasks/errors.ts says why). A live network without its key or URL fails before the task starts with a
// message naming the variable to set, instead of an empty signer list deep inside a deployment.
extendEnvironment((hre) => {
  const problem = liveNetworkProblem(hre.network.name, settings);
  installErrorReporting(hre, problem === undefined ? undefined : new PreconditionError(problem));
});

// `npx hardhat node` serves the same Arbitrum-like chain: compile first (the ArbSys double's code comes from its
// artifact), then install the double as soon as the node listens.
task(TASK_NODE).setAction(async (args: unknown, hre, runSuper: (args: unknown) => Promise<unknown>) => {
  await hre.run(TASK_COMPILE, { quiet: true });
  return runSuper(args);
});

subtask(TASK_NODE_SERVER_READY).setAction(
  async (args: { provider: EIP1193Provider }, hre, runSuper: (args: unknown) => Promise<unknown>) => {
    if (forking === undefined) await installArbSys(hre, args.provider);
    return runSuper(args);
  },
);

// Arbitrum chains have run Cancun-equivalent EVMs since ArbOS 20; forks of them execute with Cancun rules.
/**
 * How long a request to a local node may take (Hardhat's default is 20 s): a seed batch of the Landing fills most of a
 * 32,000,000-gas block, which a loaded 2-core machine can take longer than that to execute and mine.
 */
const LOCAL_NODE_TIMEOUT_MS = 120_000;

const arbitrumHardforkHistory = { hardforkHistory: { [EVM_HARDFORK]: 0 } };

const config: HardhatUserConfig = {
  solidity: {
    compilers: [
      {
        version: SOLC_VERSION,
        settings: {
          evmVersion: EVM_HARDFORK,
          // Default: optimizer at 10,000 runs and the legacy pipeline. Token transfers, claims and reward updates
          // are called far more often than the contracts are deployed, so runtime gas wins over code size, and the
          // legacy pipeline compiles several times faster with soljson (no native compiler may be downloaded) and
          // keeps solidity-coverage's instrumentation exact. A contract that comes near the 24,576-byte code size
          // limit (EIP-170; Arbitrum enforces it too, and test/chain/codeSize.test.ts checks every
          // deployable) gets an entry in `overrides` with fewer runs, and viaIR only where stack depth needs it.
          optimizer: { enabled: true, runs: 10_000 },
        },
      },
    ],
    overrides: {
      // The rewards contracts sit near the EIP-170 limit with their BN254 maths (production links no library, nor
      // does ours). 7,000 runs compile the hot paths as 10,000 do (the same gas, measured) in about 800 bytes less;
      // at 4,000 and below a reward update costs some 4,000 gas more.
      "contracts/ServiceNodeRewards.sol": {
        version: SOLC_VERSION,
        settings: { evmVersion: EVM_HARDFORK, optimizer: { enabled: true, runs: 7000 } },
      },
      "contracts/TestnetServiceNodeRewards.sol": {
        version: SOLC_VERSION,
        settings: { evmVersion: EVM_HARDFORK, optimizer: { enabled: true, runs: 7000 } },
      },
      // The upgrade tests' V2 double is the rewards contract plus one function: compiled like it.
      "contracts/test/ServiceNodeRewardsV2__Mock.sol": {
        version: SOLC_VERSION,
        settings: { evmVersion: EVM_HARDFORK, optimizer: { enabled: true, runs: 7000 } },
      },
      // Deployed once and called once, at the TGE: optimised for the size of its deployment, not for calls.
      "contracts/GenesisSplitter.sol": {
        version: SOLC_VERSION,
        settings: { evmVersion: EVM_HARDFORK, optimizer: { enabled: true, runs: 1 } },
      },
    },
  },
  networks: {
    hardhat: {
      // A fork keeps the local chain id unless FORK_CHAIN_ID asks for the forked chain's own (for signatures
      // bound to it).
      chainId: forking !== undefined && forkChainId ? Number(forkChainId) : ARBITRUM_LOCAL_CHAIN_ID,
      hardfork: EVM_HARDFORK,
      blockGasLimit: ARBITRUM_BLOCK_GAS_LIMIT,
      allowUnlimitedContractSize: false,
      // The clock starts before the first on-chain event of the launch calendar so that the rehearsal can move
      // it forward to each real date (a chain's clock cannot go back).
      ...(forking === undefined ? { initialDate: launchTimeline().chainGenesis.toISOString() } : { forking }),
      chains: {
        [ARBITRUM_ONE_CHAIN_ID]: arbitrumHardforkHistory,
        [ARBITRUM_SEPOLIA_CHAIN_ID]: arbitrumHardforkHistory,
      },
    },
    localhost: {
      url: process.env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545",
      chainId: ARBITRUM_LOCAL_CHAIN_ID,
      timeout: LOCAL_NODE_TIMEOUT_MS,
    },
    // The same chain served by anvil, Foundry's node, a second EVM implementation: `npm run anvil` starts it with
    // the flags of lib/chain/anvil.ts (Hardhat's 20 accounts, its clock at the calendar's chain genesis).
    anvil: {
      url: process.env[ANVIL_RPC_URL_VARIABLE] ?? ANVIL_DEFAULT_URL,
      chainId: ARBITRUM_LOCAL_CHAIN_ID,
      timeout: LOCAL_NODE_TIMEOUT_MS,
    },
    arbitrumSepolia: liveNetwork("arbitrumSepolia"),
    arbitrumOne: liveNetwork("arbitrumOne"),
  },
  paths: {
    sources: "contracts",
    tests: "test",
    ignition: "deploy",
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  // `npx hardhat verify --network arbitrumOne ADDRESS ARGS…` (hardhat-verify, loaded by the toolbox): one Etherscan
  // API v2 key serves Arbiscan on Arbitrum One and Arbitrum Sepolia, both known to the plugin by chain id.
  etherscan: { apiKey: settings[ARBISCAN_KEY_VARIABLE] ?? "", customChains: [] },
  sourcify: { enabled: false },
  gasReporter: { enabled: process.env.REPORT_GAS === "true", offline: true, currency: "USD" },
  mocha: { timeout: 300_000 },
};

export default config;

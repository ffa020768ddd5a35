import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";

import { launchTimeline } from "../timeline";
import { ARBITRUM_BLOCK_GAS_LIMIT, ARBITRUM_LOCAL_CHAIN_ID, EVM_HARDFORK } from "./networks";

// Anvil, Foundry's node, is a second EVM implementation that serves the same local Arbitrum-like chain as
// `npx hardhat node`. Its binary comes from npm: the devDependency @foundry-rs/anvil has one optional dependency per
// platform, each holding the binary in bin/, so nothing is downloaded outside the npm registry.

/** Environment variable with the URL of `--network anvil` (hardhat.config.ts). */
export const ANVIL_RPC_URL_VARIABLE = "ANVIL_RPC_URL";

/** The interface anvil listens on: this machine only. */
export const ANVIL_HOST = "127.0.0.1";

/** The port of `--network anvil` when ANVIL_RPC_URL is not set: next to `npx hardhat node`'s 8545. */
export const ANVIL_DEFAULT_PORT = 8546;

/** The URL of `--network anvil` when ANVIL_RPC_URL is not set. */
export const ANVIL_DEFAULT_URL = `http://${ANVIL_HOST}:${ANVIL_DEFAULT_PORT}`;

/** Hardhat's unlocked accounts: its default mnemonic, which is also anvil's, on the same derivation path. */
export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/** How many accounts Hardhat's network unlocks; anvil unlocks 10 unless told otherwise. */
export const HARDHAT_ACCOUNT_COUNT = 20;

/** The ether each of Hardhat's accounts starts with (anvil's default too, given so that the two never drift). */
export const HARDHAT_ACCOUNT_ETHER = 10_000;

/** How long {@link startAnvil} waits for the first answer by default. */
const START_TIMEOUT_MS = 30_000;

/** How long {@link RunningAnvil.stop} waits after SIGTERM before it sends SIGKILL. */
const STOP_TIMEOUT_MS = 5_000;

/** How much of anvil's output {@link RunningAnvil.output} keeps (the end of it). */
const OUTPUT_TAIL_CHARACTERS = 20_000;

/** The npm package of anvil's binary for each platform and processor Node.js reports. */
const BINARY_PACKAGES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  linux: { x64: "@foundry-rs/anvil-linux-amd64", arm64: "@foundry-rs/anvil-linux-arm64" },
  darwin: { x64: "@foundry-rs/anvil-darwin-amd64", arm64: "@foundry-rs/anvil-darwin-arm64" },
  win32: { x64: "@foundry-rs/anvil-win32-amd64" },
};

/** How a module path is resolved (`require.resolve`); a parameter so that a missing package can be tested. */
export type Resolve = (request: string) => string;

/**
 * The path of anvil's binary in node_modules, for this platform (or the one given). Throws an error that says what
 * to do when the platform has no package or the package is not installed (`npm ci` installs it; `--omit=optional`
 * leaves it out).
 */
export function anvilBinary(
  platform: string = process.platform,
  arch: string = process.arch,
  resolve: Resolve = require.resolve,
): string {
  const pkg = BINARY_PACKAGES[platform]?.[arch];
  if (pkg === undefined) {
    throw new Error(`anvil has no npm package for ${platform}/${arch}: run the rehearsal on hardhat or localhost`);
  }
  const file = `${pkg}/bin/${platform === "win32" ? "anvil.exe" : "anvil"}`;
  let binary: string;
  try {
    binary = resolve(file);
  } catch {
    throw new Error(
      `anvil's binary is not installed: ${file} is missing from node_modules. It comes with the devDependency ` +
        `@foundry-rs/anvil as the optional dependency ${pkg}: run \`npm ci\` (without --omit=optional)`,
    );
  }
  if (!existsSync(binary)) throw new Error(`anvil's binary ${binary} does not exist: run \`npm ci\``);
  return binary;
}

const HIGHEST_PORT = 65_535;

/** A TCP port given as text: a whole number from 1 to 65535; `source` names it in the error. */
export function parsePort(text: string, source: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 1 && port <= HIGHEST_PORT)) {
    throw new Error(`${source} must be a TCP port from 1 to ${HIGHEST_PORT}, got "${text}"`);
  }
  return port;
}

/** The port `--network anvil` talks to: that of ANVIL_RPC_URL when it is set and names one, else 8546. */
export function anvilPort(env: NodeJS.ProcessEnv): number {
  const url = env[ANVIL_RPC_URL_VARIABLE]?.trim();
  if (url === undefined || url === "") return ANVIL_DEFAULT_PORT;
  let port: string;
  try {
    port = new URL(url).port;
  } catch {
    throw new Error(`${ANVIL_RPC_URL_VARIABLE} is not a URL: "${url}"`);
  }
  return port === "" ? ANVIL_DEFAULT_PORT : parsePort(port, `the port of ${ANVIL_RPC_URL_VARIABLE}`);
}

export interface AnvilOptions {
  /** The port to listen on (default {@link ANVIL_DEFAULT_PORT}). */
  readonly port?: number;
  /** The interface to listen on (default {@link ANVIL_HOST}). */
  readonly host?: string;
  /** The EVM version (default: the local chain's, Cancun). Another is only for showing that a probe tells them apart. */
  readonly hardfork?: string;
  /** The block gas limit (default: Arbitrum's 32,000,000). Another is only for showing that it is noticed. */
  readonly gasLimit?: number;
}

/**
 * Anvil's command-line arguments for the local Arbitrum-like chain, the same chain as Hardhat's network: chain id
 * 412346, a 32,000,000 block gas limit, Cancun, genesis at the launch calendar's `chainGenesis` (so that the clock can
 * be moved forward to every date of the launch), Hardhat's 20 accounts with 10,000 ether each, and no contract but
 * the ArbSys double the rehearsal installs (anvil would otherwise put the CREATE2 deployer at 0x4e59…956C).
 */
export function anvilArguments(options: AnvilOptions = {}): string[] {
  const genesis = Math.floor(launchTimeline().chainGenesis.getTime() / 1000);
  return [
    "--chain-id",
    String(ARBITRUM_LOCAL_CHAIN_ID),
    "--gas-limit",
    String(options.gasLimit ?? ARBITRUM_BLOCK_GAS_LIMIT),
    "--hardfork",
    options.hardfork ?? EVM_HARDFORK,
    "--timestamp",
    String(genesis),
    "--mnemonic",
    HARDHAT_MNEMONIC,
    "--accounts",
    String(HARDHAT_ACCOUNT_COUNT),
    "--balance",
    String(HARDHAT_ACCOUNT_ETHER),
    "--disable-default-create2-deployer",
    "--host",
    options.host ?? ANVIL_HOST,
    "--port",
    String(options.port ?? ANVIL_DEFAULT_PORT),
  ];
}

/** A port on 127.0.0.1 that nothing listens on at the moment of asking (the system picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, ANVIL_HOST, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  if (address === null || typeof address === "string") throw new Error("the system gave no TCP port");
  return address.port;
}

/** Whether a JSON-RPC endpoint answers `eth_chainId`; the chain id it answers, else undefined. */
export async function chainIdAt(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    const body = (await response.json()) as { result?: unknown };
    return typeof body.result === "string" ? Number(body.result) : undefined;
  } catch {
    return undefined;
  }
}

export interface RunningAnvil {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** The end of what anvil printed (stdout and stderr), for error messages. */
  output(): string;
  /** Stops anvil (SIGTERM, then SIGKILL if it lingers) and waits until it has exited. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts anvil for the local Arbitrum-like chain ({@link anvilArguments}) on a free port unless one is given, and
 * resolves once it answers `eth_chainId`. Rejects, with anvil's output, if it exits first or does not answer within
 * `timeoutMs`; anvil is stopped then.
 */
export async function startAnvil(options: AnvilOptions & { readonly timeoutMs?: number } = {}): Promise<RunningAnvil> {
  const port = options.port ?? (await freePort());
  const host = options.host ?? ANVIL_HOST;
  const url = `http://${host}:${port}`;
  const child = spawn(anvilBinary(), anvilArguments({ ...options, port, host }), {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARACTERS);
  };
  // Both pipes are always read, so that anvil never blocks on a full pipe while it logs every request.
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      resolve();
    });
    child.once("error", (error) => {
      keep(Buffer.from(`\n${error.message}\n`));
      resolve();
    });
  });
  const hasExited = (): boolean => child.exitCode !== null || child.signalCode !== null;

  const stop = async (): Promise<void> => {
    if (child.pid === undefined || hasExited()) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
    }, STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  const timeoutMs = options.timeoutMs ?? START_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  while (child.pid !== undefined && !hasExited()) {
    if ((await chainIdAt(url)) !== undefined && !hasExited()) {
      return { url, port, process: child, output: () => output, stop };
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`anvil did not answer on ${url} within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await exited;
  throw new Error(`anvil exited before it answered on ${url}:\n${output}`);
}

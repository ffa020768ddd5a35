import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

import { formatInteger } from "../lib/amount";
import { generateSnapshot, snapshotToJson } from "../lib/snapshot/generate";
import { AWAITING_CONTRIBUTIONS } from "../lib/snapshot/schema";

/**
 * Writes a synthetic Anchor snapshot (lib/snapshot/generate.ts):
 *
 *   npm run snapshot:generate -- --seed S --nodes N --wallets W --out FILE
 *
 * The same arguments always write the same bytes. Exits with 2 on bad arguments, 1 on any other failure.
 */

const USAGE = "usage: npm run snapshot:generate -- --seed S --nodes N --wallets W --out FILE";
const EXIT_BAD_ARGUMENTS = 2;
const EXIT_FAILURE = 1;
const BYTES_PER_MIB = 1024 * 1024; // bytes
const MILLISECONDS_PER_SECOND = 1000; // milliseconds
// The file must stay loadable: loadSnapshot reads it into one string, which V8 caps at ~512 MiB. A node takes
// ~1.4 kB and a wallet ~0.27 kB of JSON, so these limits keep the file near 270 MB.
const MAX_NODES = 100_000;
const MAX_WALLETS = 500_000;

class UsageError extends Error {}

interface Arguments {
  readonly seed: string;
  readonly nodes: number;
  readonly wallets: number;
  readonly out: string;
}

function count(name: string, text: string | undefined, maximum: number): number {
  if (text === undefined) throw new UsageError(`--${name} is required`);
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > maximum) {
    throw new UsageError(`--${name} must be an integer from 0 to ${formatInteger(maximum)}, got "${text}"`);
  }
  return value;
}

function parseArguments(argv: readonly string[]): Arguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        seed: { type: "string" },
        nodes: { type: "string" },
        wallets: { type: "string" },
        out: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { seed, out } = values;
  if (seed === undefined || seed === "") throw new UsageError("--seed is required (any non-empty text)");
  if (out === undefined || out === "") throw new UsageError("--out is required (the file to write)");
  const nodes = count("nodes", values.nodes, MAX_NODES);
  const wallets = count("wallets", values.wallets, MAX_WALLETS);
  if (nodes > 0 && wallets === 0) throw new UsageError("--wallets must be at least 1 when there are nodes");
  return { seed, nodes, wallets, out };
}

function main(): void {
  const started = performance.now();
  const args = parseArguments(process.argv.slice(2));
  const snapshot = generateSnapshot(args);
  const json = snapshotToJson(snapshot);
  try {
    writeFileSync(args.out, json);
  } catch (error) {
    throw new Error(`cannot write ${args.out}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const seconds = (performance.now() - started) / MILLISECONDS_PER_SECOND;

  const bytes = Buffer.byteLength(json);
  const registered = snapshot.wallets.filter((wallet) => wallet.ethereumAddress !== null).length;
  const shared = snapshot.nodes.filter((node) => node.contributions.length > 1).length;
  const withBls = snapshot.nodes.filter((node) => node.bls !== null).length;
  const awaiting = snapshot.nodes.filter((node) => node.state === AWAITING_CONTRIBUTIONS).length;
  console.log(
    `wrote ${args.out} (seed "${args.seed}"): ${formatInteger(snapshot.wallets.length)} wallets ` +
      `(${formatInteger(registered)} registered), ${formatInteger(snapshot.nodes.length)} nodes ` +
      `(${formatInteger(shared)} shared, ${formatInteger(withBls)} with a BLS key, ` +
      `${formatInteger(awaiting)} awaiting contributions), ` +
      `${formatInteger(bytes)} bytes (${(bytes / BYTES_PER_MIB).toFixed(1)} MiB) in ${seconds.toFixed(2)} s`,
  );
}

try {
  main();
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`error: ${error.message}\n${USAGE}`);
    process.exitCode = EXIT_BAD_ARGUMENTS;
  } else {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT_FAILURE;
  }
}

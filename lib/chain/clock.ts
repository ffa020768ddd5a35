import type { EIP1193Provider } from "hardhat/types";

import { PreconditionError } from "../errors";
import { formatUtc } from "../timeline";

async function latestTimestamp(provider: EIP1193Provider): Promise<number> {
  const block = (await provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
    timestamp: string;
  };
  return Number(block.timestamp);
}

function clockError(now: number, unix: number, label: string): PreconditionError {
  return new PreconditionError(
    `the chain's clock (${formatUtc(now)}) is already ${now === unix ? "at" : "past"} ${label} ` +
      `(${formatUtc(unix)}) and cannot go back: run against a fresh chain ` +
      `(restart \`npx hardhat node\` or \`npm run anvil\`)`,
  );
}

/**
 * Refuses a chain whose clock is already past `unix` (a chain cannot go back in time: the rehearsal then needs a
 * fresh chain). Reads only; returns the chain's latest timestamp.
 */
export async function checkClockNotPast(provider: EIP1193Provider, unix: number, label: string): Promise<number> {
  const now = await latestTimestamp(provider);
  if (now > unix) throw clockError(now, unix, label);
  return now;
}

/**
 * Refuses a chain whose clock has already reached `unix`, at it or past it: for a step that must find the chain
 * before its date. Hardhat gives a block that would share its parent's second the next second, but anvil gives the
 * blocks mined within one second the same timestamp, so a chain that has played a step can still stand exactly at
 * its date. Reads only; returns the chain's latest timestamp.
 */
export async function checkClockBefore(provider: EIP1193Provider, unix: number, label: string): Promise<number> {
  const now = await latestTimestamp(provider);
  if (now >= unix) throw clockError(now, unix, label);
  return now;
}

/**
 * Moves a local chain's clock forward to `unix` by mining one block with that timestamp. A clock already at
 * `unix` stays; a clock past it is an error, since a chain cannot go back in time: the rehearsal then needs a
 * fresh chain. Returns the timestamp the clock moved from.
 */
export async function moveClockTo(provider: EIP1193Provider, unix: number, label: string): Promise<number> {
  const now = await checkClockNotPast(provider, unix, label);
  if (now < unix) await provider.request({ method: "evm_mine", params: [unix] });
  return now;
}

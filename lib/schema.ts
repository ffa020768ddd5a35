import { readFileSync } from "node:fs";

import { getAddress } from "ethers";
import { z } from "zod";

import { InputFileError } from "./errors";

/** Zod pieces shared by the input files of the suite. */

// ISO-8601 in UTC with an explicit `Z`: a date without a zone would be read in the local zone.
const UTC_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/;

/** An ISO-8601 UTC date ("2025-05-21T00:00:00Z"), parsed to a Date. */
export const utcDate = z
  .string()
  .regex(UTC_DATE, { message: "must be an ISO-8601 UTC date such as 2025-05-21T00:00:00Z" })
  .transform((text, ctx) => {
    const date = new Date(text);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 16) !== text.slice(0, 16)) {
      ctx.addIssue({ code: "custom", message: `${text} is not a calendar date` });
      return z.NEVER;
    }
    return date;
  });

/** A non-negative integer amount of atoms written as a decimal string ("15000000000000"), parsed to a bigint. */
export const atoms = z.string().transform((text, ctx) => {
  if (text.startsWith("-")) {
    ctx.addIssue({ code: "custom", message: `"${text}" is negative` });
    return z.NEVER;
  }
  if (!/^\d+$/.test(text)) {
    ctx.addIssue({ code: "custom", message: `"${text}" is not a whole number of atoms` });
    return z.NEVER;
  }
  return BigInt(text);
});

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** The zero address, lowercase: what an input file holds when someone typed a placeholder for an unknown address. */
export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** The problem of an address that is well-formed but zero, for messages. */
export const ZERO_ADDRESS_PROBLEM =
  "is the zero address: tokens sent there are lost for good (write the real address; if it is not known yet, the file is not ready)";

/** Whether hex digits mix lower and upper case (then they carry an EIP-55 checksum). */
function isMixedCase(hex: string): boolean {
  return hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
}

/**
 * Why a text is not an Ethereum address, for an error message; `undefined` when it is one. A mixed-case address
 * must carry a valid EIP-55 checksum; an all-lowercase or all-uppercase one has none to check. One keccak256 at
 * most: the checksummed form is computed once and compared. The zero address is well-formed: see
 * {@link isZeroAddress} and {@link recipientAddress} for where it is refused.
 */
export function addressProblem(text: string): string | undefined {
  const message = "is not an address (expected 0x and 40 hex digits, with a correct checksum if mixed-case)";
  if (!HEX_ADDRESS.test(text)) return message;
  if (isMixedCase(text.slice(2)) && getAddress(text.toLowerCase()) !== text) return message;
  return undefined;
}

/** Whether a well-formed address is the zero address, in any case. */
export function isZeroAddress(address: string): boolean {
  return address.toLowerCase() === ZERO_ADDRESS;
}

/** The EIP-55 form of an address that passed {@link addressProblem}; a mixed-case one already is. */
export function checksumAddress(address: string): string {
  return isMixedCase(address.slice(2)) ? address : getAddress(address.toLowerCase());
}

/**
 * An Ethereum address (checksummed if mixed-case), normalised to its checksummed (EIP-55) form. The zero address
 * passes: use {@link recipientAddress} for anything tokens are sent to.
 */
export const ethereumAddress = z.string().transform((text, ctx) => {
  const problem = addressProblem(text);
  if (problem !== undefined) {
    ctx.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }
  return checksumAddress(text);
});

/**
 * The address of a recipient of tokens, the one address check of the TGE table, the claims burn lists and the
 * distributor awards: 0x and 40 hex digits, an EIP-55 checksum checked when mixed-case, never the zero address;
 * normalised to its checksummed (EIP-55) form.
 */
export const recipientAddress = z.string().transform((text, ctx) => {
  const problem = addressProblem(text) ?? (isZeroAddress(text) ? ZERO_ADDRESS_PROBLEM : undefined);
  if (problem !== undefined) {
    ctx.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }
  return checksumAddress(text);
});

/**
 * An Ethereum address (checksummed if mixed-case), normalised to lowercase hex: for large files (snapshots of
 * 100,000 wallets), where computing each address's checksum would dominate the load time.
 */
export const lowercaseEthereumAddress = z.string().transform((text, ctx) => {
  const problem = addressProblem(text);
  if (problem !== undefined) {
    ctx.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }
  return text.toLowerCase();
});

function readProblem(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return "cannot be read: there is no such file";
    case "EISDIR":
      return "cannot be read: it is a folder, not a file";
    case "ENOTDIR":
      return "cannot be read: a part of its path is a file, not a folder";
    case "EACCES":
    case "EPERM":
      return "cannot be read: permission denied";
    default:
      return `cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * Reads an input file as UTF-8 text; a file that is missing, a folder or not readable is an {@link InputFileError}
 * saying so in words (never a raw ENOENT).
 */
export function readInputFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new InputFileError(file, [readProblem(error)]);
  }
}

/** Parses an input file's JSON text; invalid JSON is an {@link InputFileError} naming the file. */
export function parseJsonText(json: string, file: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    throw new InputFileError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
}

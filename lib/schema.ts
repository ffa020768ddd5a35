import { getAddress, isAddress } from "ethers";
import { z } from "zod";

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

// ethers' isAddress is a type guard on `string`, which would narrow a rejected string to `never`.
export const isAddressText = (text: string): boolean => isAddress(text);

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
/** Whether hex digits mix lower and upper case (then they carry an EIP-55 checksum). */
function isMixedCase(hex: string): boolean {
  return hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
}

/**
 * A mixed-case address must carry a valid EIP-55 checksum; an all-lowercase or all-uppercase one has none to
 * check. One keccak256 at most: the checksummed form is computed once and compared.
 */
function addressProblem(text: string): string | undefined {
  const message = "is not an address (expected 0x and 40 hex digits, with a correct checksum if mixed-case)";
  if (!HEX_ADDRESS.test(text)) return message;
  if (isMixedCase(text.slice(2)) && getAddress(text.toLowerCase()) !== text) return message;
  return undefined;
}

/** An Ethereum address (checksummed if mixed-case), normalised to its checksummed (EIP-55) form. */
export const ethereumAddress = z.string().transform((text, ctx) => {
  const problem = addressProblem(text);
  if (problem !== undefined) {
    ctx.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }
  return isMixedCase(text.slice(2)) ? text : getAddress(text.toLowerCase());
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

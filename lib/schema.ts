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

/** An Ethereum address (checksummed if mixed-case), normalised to its checksummed form. */
export const ethereumAddress = z
  .string()
  .refine(isAddressText, {
    message: "is not an address (expected 0x and 40 hex digits, with a correct checksum if mixed-case)",
  })
  .transform((text) => getAddress(text));

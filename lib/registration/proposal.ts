import { ZeroAddress } from "ethers";
import { z } from "zod";

import { describeZodIssues, InputFileError } from "../errors";
import { atoms, ethereumAddress, parseJsonText, readInputFile } from "../schema";
import type { JoinProposal } from "./plan";
import type { NodeProposal } from "./rules";

// The input files of `npx hardhat node:check`: a node an operator means to open (examples/node-proposal.json), or a
// contribution someone means to make to an open node (examples/node-join.json).

/** A uint256 written as a decimal string or 0x hex ("0x1f", "31"), parsed to a bigint. */
const uint256 = z.string().transform((text, ctx) => {
  if (!/^(0x[0-9a-fA-F]{1,64}|\d+)$/.test(text)) {
    ctx.addIssue({ code: "custom", message: `"${text}" is not a whole number (decimal, or 0x and hex digits)` });
    return z.NEVER;
  }
  const value = BigInt(text);
  if (value >= 2n ** 256n) {
    ctx.addIssue({ code: "custom", message: `"${text}" does not fit 256 bits` });
    return z.NEVER;
  }
  return value;
});

const proposalSchema = z.strictObject({
  operator: ethereumAddress,
  blsPublicKey: z.strictObject({ X: uint256, Y: uint256 }),
  proofOfPossession: z.strictObject({ sigs0: uint256, sigs1: uint256, sigs2: uint256, sigs3: uint256 }),
  ed25519PublicKey: uint256,
  ed25519Signature: z.tuple([uint256, uint256]),
  /** Basis points; a fee above 10,000 is a problem of the plan, not of the file. */
  fee: z.number().int().nonnegative().max(65_535),
  /** Atoms. */
  operatorStake: atoms,
  beneficiary: ethereumAddress.optional(),
  reserved: z.array(z.strictObject({ addr: ethereumAddress, amount: atoms })).default([]),
  manualFinalize: z.boolean().default(false),
});

/** Validates a parsed proposal; every problem names its field. */
export function parseNodeProposal(json: unknown, file: string): NodeProposal {
  const parsed = proposalSchema.safeParse(json);
  if (!parsed.success) throw new InputFileError(file, describeZodIssues(parsed.error));
  const { beneficiary, ...rest } = parsed.data;
  return { ...rest, beneficiary: beneficiary ?? ZeroAddress };
}

/** Reads and validates a proposal file. */
export function loadNodeProposal(file: string): NodeProposal {
  return parseNodeProposal(parseJsonText(readInputFile(file), file), file);
}

const joinSchema = z.strictObject({
  /** Who contributes (and sends the approval and the contribution). */
  contributor: ethereumAddress,
  /** Atoms. */
  amount: atoms,
  /** Who receives the contributor's rewards; omitted or zero: the contributor, or on a top-up the one recorded. */
  beneficiary: ethereumAddress.optional(),
});

/** Validates a parsed join; every problem names its field. */
export function parseJoinProposal(json: unknown, file: string): JoinProposal {
  const parsed = joinSchema.safeParse(json);
  if (!parsed.success) throw new InputFileError(file, describeZodIssues(parsed.error));
  const { beneficiary, ...rest } = parsed.data;
  return { ...rest, beneficiary: beneficiary ?? ZeroAddress };
}

/** Reads and validates a join file. */
export function loadJoinProposal(file: string): JoinProposal {
  return parseJoinProposal(parseJsonText(readInputFile(file), file), file);
}

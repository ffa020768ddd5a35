import { z } from "zod";

import { InputFileError, PreconditionError } from "../errors";
import { partyResolver, readSection, sectionIssues, utcText } from "../parties";
import { utcDate } from "../schema";
import { partySchema } from "../tge/parameters";

/** A Merkle root: 0x and 64 hex digits. */
const MERKLE_ROOT = /^0x[0-9a-fA-F]{64}$/;
const ZERO_ROOT = /^0x0{64}$/;

/** A Merkle root checked before anything is sent: 0x and 64 hex digits, not zero (the constructor refuses it). */
export function merkleRootOption(value: string): string {
  if (!MERKLE_ROOT.test(value)) {
    throw new PreconditionError(
      `merkleRoot ${JSON.stringify(value)} is not a Merkle root (expected 0x and 64 hex digits)`,
    );
  }
  if (ZERO_ROOT.test(value)) throw new PreconditionError("merkleRoot is zero: no award could ever be claimed");
  return value.toLowerCase();
}

/** The section of deploy/parameters/<network>.json that this module validates. */
export const DISTRIBUTOR_SECTION = "distributor";

/** `"claimDeadline": "never"`: claims never close and nothing can be swept (the contract's deadline 0). */
export const NO_DEADLINE_TEXT = "never";
/** `"vesting": "none"`: awards are paid in full when claimed (the contract's duration 0). */
export const NO_VESTING_TEXT = "none";
/** The contract's `NO_DEADLINE`: 0. */
export const NO_DEADLINE = 0n;
/** The contract's `NO_VESTING`: 0. */
export const NO_VESTING = 0n;
/** Seconds in a day: the file gives the vesting's length in days. */
export const SECONDS_PER_DAY = 86_400n;
/** The longest vesting the file accepts, in days (ten years): a longer one is a typo. */
export const MAX_VESTING_DAYS = 3_650;

const vestingSchema = z.strictObject({
  start: utcDate,
  durationDays: z.number().int().min(1).max(MAX_VESTING_DAYS),
});

const sectionSchema = z.strictObject({
  owner: partySchema,
  sweepRecipient: partySchema,
  claimDeadline: z.union([z.literal(NO_DEADLINE_TEXT), utcDate, z.null()], {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not an ISO-8601 UTC date such as 2026-05-21T00:00:00Z, nor "${NO_DEADLINE_TEXT}"`,
  }),
  // "none", null or an object: told apart before parsing, so that a bad field is reported at its own path.
  vesting: z.unknown(),
});

/** A network's MerkleDistributor parameters (the campaign's token and root are given when it is deployed). */
export interface DistributorParameters {
  readonly file: string;
  /** May pause and sweep (`initialOwner`). */
  readonly owner: string;
  /** Receives what no award owes after the deadline. */
  readonly sweepRecipient: string;
  /** Unix seconds, the last second of the claim window; {@link NO_DEADLINE} for never. */
  readonly claimDeadline: bigint;
  /** Unix seconds; 0 without vesting. */
  readonly vestingStart: bigint;
  /** Seconds; {@link NO_VESTING} to pay awards in full at claim. */
  readonly vestingDuration: bigint;
}

/** The section's `vesting`: undefined for "none" (and after recording a problem). */
function vestingOf(value: unknown, problems: string[]): z.infer<typeof vestingSchema> | undefined {
  const where = `${DISTRIBUTOR_SECTION}.vesting`;
  if (value === NO_VESTING_TEXT) return undefined;
  if (value === undefined) {
    problems.push(`${where}: missing: write { "start", "durationDays" }, or "${NO_VESTING_TEXT}"`);
    return undefined;
  }
  if (value === null) {
    problems.push(`${where}: not decided yet: write { "start", "durationDays" }, or "${NO_VESTING_TEXT}"`);
    return undefined;
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    problems.push(`${where}: ${JSON.stringify(value)} is neither { "start", "durationDays" } nor "${NO_VESTING_TEXT}"`);
    return undefined;
  }
  const parsed = vestingSchema.safeParse(value);
  if (!parsed.success) {
    problems.push(...sectionIssues(where, parsed.error));
    return undefined;
  }
  return parsed.data;
}

function unixSeconds(date: Date): bigint {
  return BigInt(Math.floor(date.getTime() / 1000));
}

/**
 * Reads the `distributor` section of a network's parameter file (deploy/parameters/<network>.json) and resolves its
 * parties against the network's accounts (`signers[0]` is the deployer). Every problem is reported at once, naming
 * the field and the value, before anything is sent: a deadline or vesting not decided yet (`null`), the contract's
 * rule that a deadline comes after the vesting's start and, given the chain's time `now`, a deadline still to come.
 */
export function loadDistributorParameters(
  file: string,
  signers: readonly string[],
  now?: bigint,
): DistributorParameters {
  const { json, section } = readSection(file, DISTRIBUTOR_SECTION);
  const parsed = sectionSchema.safeParse(section);
  if (!parsed.success) throw new InputFileError(file, sectionIssues(DISTRIBUTOR_SECTION, parsed.error));
  const data = parsed.data;
  const parties = partyResolver(json, signers);
  const owner = parties.resolve(data.owner, `${DISTRIBUTOR_SECTION}.owner`);
  const sweepRecipient = parties.resolve(data.sweepRecipient, `${DISTRIBUTOR_SECTION}.sweepRecipient`);
  const problems = parties.problems;
  if (data.claimDeadline === null) {
    problems.push(`${DISTRIBUTOR_SECTION}.claimDeadline: not decided yet: write a date, or "${NO_DEADLINE_TEXT}"`);
  }
  const vesting = vestingOf(data.vesting, problems);
  const claimDeadline = data.claimDeadline instanceof Date ? unixSeconds(data.claimDeadline) : NO_DEADLINE;
  const vestingStart = vesting === undefined ? 0n : unixSeconds(vesting.start);
  const vestingDuration = vesting === undefined ? NO_VESTING : BigInt(vesting.durationDays) * SECONDS_PER_DAY;
  if (vesting !== undefined && claimDeadline !== NO_DEADLINE && claimDeadline <= vestingStart) {
    problems.push(
      `${DISTRIBUTOR_SECTION}.claimDeadline: ${utcText(claimDeadline)} is not after the vesting's start ` +
        `${utcText(vestingStart)} (${DISTRIBUTOR_SECTION}.vesting.start)`,
    );
  }
  if (now !== undefined && claimDeadline !== NO_DEADLINE && claimDeadline <= now) {
    problems.push(
      `${DISTRIBUTOR_SECTION}.claimDeadline: ${utcText(claimDeadline)} is not after the chain's time ${utcText(now)}`,
    );
  }
  if (problems.length > 0) throw new InputFileError(file, problems);
  return { file, owner, sweepRecipient, claimDeadline, vestingStart, vestingDuration };
}

/** A distributor's constructor values other than the token, from validated parameters and a campaign's root. */
export interface DistributorConstructorValues {
  readonly merkleRoot: string;
  readonly claimDeadline: bigint;
  readonly sweepRecipient: string;
  readonly vestingStart: bigint;
  readonly vestingDuration: bigint;
  readonly owner: string;
}

/**
 * The values the distributor's module and the Landing's TGE module construct a campaign's distributor with, besides
 * the token; the root is checked ({@link merkleRootOption}).
 */
export function distributorConstructorValues(
  parameters: DistributorParameters,
  merkleRoot: string,
): DistributorConstructorValues {
  return {
    merkleRoot: merkleRootOption(merkleRoot),
    claimDeadline: parameters.claimDeadline,
    sweepRecipient: parameters.sweepRecipient,
    vestingStart: parameters.vestingStart,
    vestingDuration: parameters.vestingDuration,
    owner: parameters.owner,
  };
}

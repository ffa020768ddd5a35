import { ZeroAddress } from "ethers";
import type { z } from "zod";

import { formatIssuePath, InputFileError } from "./errors";
import {
  addressProblem,
  checksumAddress,
  isZeroAddress,
  parseJsonText,
  readInputFile,
  ZERO_ADDRESS_PROBLEM,
} from "./schema";
import type { RawParty } from "./tge/parameters";

/**
 * The parties of the deployment sections of a network's parameter file (deploy/parameters/<network>.json): the
 * owner of the claims bridge, the sweep recipient of the distributor, a vesting contract's beneficiary. Each is
 * written as in the TGE's vesting lines, `{ "account": "ecosystemFund" }` (an account of the file's `accounts`: a
 * local account index on local chains, an address on live ones, `null` while not known) or `{ "address": "0x…" }`.
 */

/** A party's `accounts` entry resolved against the network's accounts; `problems` says why one cannot be. */
export interface PartyResolver {
  /** The party's checksummed address, or the zero address after recording a problem. */
  resolve(party: RawParty, where: string): string;
  readonly problems: string[];
}

/** The `accounts` object of a parameter file's JSON, or an empty one. */
function accountsOf(json: unknown): Readonly<Record<string, unknown>> {
  const accounts = typeof json === "object" && json !== null ? (json as { accounts?: unknown }).accounts : undefined;
  return typeof accounts === "object" && accounts !== null ? (accounts as Record<string, unknown>) : {};
}

/**
 * Resolves parties against the file's `accounts` and the accounts the network offers (`signers[0]` is the
 * deployer). Every problem names the field (`where`) and the account: an account the file does not define, one
 * without an address yet (`null`), a local index the network does not have, a malformed or zero address.
 */
export function partyResolver(json: unknown, signers: readonly string[]): PartyResolver {
  const accounts = accountsOf(json);
  const problems: string[] = [];
  const resolve = (party: RawParty, where: string): string => {
    if (party.address !== undefined) return party.address;
    const name = party.account ?? "";
    const fail = (problem: string): string => {
      problems.push(`${where}: account "${name}" ${problem}`);
      return ZeroAddress;
    };
    if (!Object.hasOwn(accounts, name)) return fail(`is not defined in "accounts"`);
    const value = accounts[name];
    if (value === null) return fail(`has no address yet: set accounts.${name} to its address`);
    if (typeof value === "number") {
      const address = Number.isInteger(value) && value >= 0 ? signers[value] : undefined;
      if (address === undefined) {
        return fail(
          `(accounts.${name}) is local account index ${value}, which this network does not have ` +
            `(it has ${signers.length} account${signers.length === 1 ? "" : "s"})`,
        );
      }
      return checksumAddress(address);
    }
    if (typeof value !== "string") return fail(`(accounts.${name}) is neither an account index nor an address`);
    const problem = addressProblem(value);
    if (problem !== undefined) return fail(`(accounts.${name}) "${value}" ${problem}`);
    if (isZeroAddress(value)) return fail(`(accounts.${name}) ${ZERO_ADDRESS_PROBLEM}`);
    return checksumAddress(value);
  };
  return { resolve, problems };
}

/** The parameter file's `network`, when it is a string (the TGE's schema checks it; sections only compare it). */
export function fileNetworkOf(json: unknown): string | undefined {
  const network = typeof json === "object" && json !== null ? (json as { network?: unknown }).network : undefined;
  return typeof network === "string" ? network : undefined;
}

/** A parameter file's JSON and one of its sections. */
export interface FileSection {
  readonly json: unknown;
  readonly section: unknown;
}

/**
 * Reads a parameter file and one of its sections; a file that is missing or not JSON, or has no such section, is
 * an {@link InputFileError} naming the file (and the section).
 */
export function readSection(file: string, name: string): FileSection {
  const json = parseJsonText(readInputFile(file), file);
  const section = typeof json === "object" && json !== null ? (json as Record<string, unknown>)[name] : undefined;
  if (section === undefined) {
    throw new InputFileError(file, [`${name}: the file has no "${name}" section (see docs/deployment.md)`]);
  }
  return { json, section };
}

/** One line per zod issue, its path inside `section` ("claimsBridge.owner.account: …"). */
export function sectionIssues(section: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatIssuePath([section, ...issue.path])}: ${issue.message}`);
}

/** A Unix time in seconds as an ISO-8601 UTC date, for messages ("2025-05-21T00:00:00Z"). */
export function utcText(seconds: bigint | number): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

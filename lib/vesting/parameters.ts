import { z } from "zod";

import { InputFileError } from "../errors";
import { partyResolver, readSection, sectionIssues, utcText } from "../parties";
import { ZERO_ADDRESS } from "../schema";
import { vestingContractSchema } from "../tge/parameters";
import type { VestingContractName } from "../tge/plan";

/** The section of deploy/parameters/<network>.json that this module validates. */
export const VESTING_SECTION = "vesting";

const sectionSchema = z.array(vestingContractSchema);

/**
 * A vesting contract deployed on its own (not by the TGE): its holder as the section names it, parties resolved to
 * addresses, dates in Unix seconds.
 */
/** What a vesting contract is deployed with, whether the TGE deploys it or it is deployed on its own. */
export interface VestingTerms {
  readonly contract: VestingContractName;
  readonly beneficiary: string;
  /** The zero address: irrevocable. */
  readonly revoker: string;
  /** Unix seconds: the start of a `TokenVestingStaking`, the cliff of a `TokenVestingNoStaking`. */
  readonly from: bigint;
  /** Unix seconds. */
  readonly end: bigint;
  readonly transferableBeneficiary: boolean;
}

export interface VestingContractParameters extends VestingTerms {
  readonly file: string;
  readonly name: string;
}

function unixSeconds(date: Date): bigint {
  return BigInt(Math.floor(date.getTime() / 1000));
}

/**
 * Reads the `vesting` section of a network's parameter file (deploy/parameters/<network>.json), a list of vesting
 * contracts written as the TGE's vesting holders without an amount, and returns the one called `name` (or the only
 * one when `name` is omitted), its parties resolved against the network's accounts (`signers[0]` is the deployer).
 * Every problem is reported at once, naming the holder and the field, before anything is sent; given the chain's time
 * `now`, a staking contract's start and every end must be still to come (the constructors revert otherwise).
 */
export function loadVestingParameters(
  file: string,
  signers: readonly string[],
  name?: string,
  now?: bigint,
): VestingContractParameters {
  const { json, section } = readSection(file, VESTING_SECTION);
  const parsed = sectionSchema.safeParse(section);
  if (!parsed.success) throw new InputFileError(file, sectionIssues(VESTING_SECTION, parsed.error));
  const holders = parsed.data;
  const names = holders.map((holder) => `"${holder.name}"`).join(", ") || "none";
  const problems: string[] = [];
  holders.forEach((holder, index) => {
    const first = holders.findIndex((other) => other.name.toLowerCase() === holder.name.toLowerCase());
    if (first !== index)
      problems.push(`${VESTING_SECTION}[${index}] "${holder.name}": duplicate name of ${VESTING_SECTION}[${first}]`);
  });
  if (holders.length === 0) {
    problems.push(`${VESTING_SECTION}: the section lists no vesting contract`);
  } else if (name === undefined && holders.length !== 1) {
    problems.push(`${VESTING_SECTION}: name the contract to deploy (the section lists ${names})`);
  }
  const index = name === undefined ? 0 : holders.findIndex((holder) => holder.name === name);
  const holder = holders[index];
  if (name !== undefined && holder === undefined && holders.length > 0) {
    problems.push(`${VESTING_SECTION}: no contract is named "${name}" (the section lists ${names})`);
  }
  if (problems.length > 0 || holder === undefined) throw new InputFileError(file, problems);

  const where = `${VESTING_SECTION}[${index}] "${holder.name}"`;
  const parties = partyResolver(json, signers);
  const beneficiary = parties.resolve(holder.beneficiary, `${where}.beneficiary`);
  const revoker = holder.revoker === null ? ZERO_ADDRESS : parties.resolve(holder.revoker, `${where}.revoker`);
  problems.push(...parties.problems);
  // The schema requires the start of a staking contract and the cliff of the other kind.
  const fromDate = (holder.staking ? holder.start : holder.cliff) ?? holder.end;
  const from = unixSeconds(fromDate);
  const end = unixSeconds(holder.end);
  if (now !== undefined) {
    if (holder.staking && from <= now) {
      problems.push(`${where}.start: ${utcText(from)} is not after the chain's time ${utcText(now)}`);
    }
    if (end <= now) problems.push(`${where}.end: ${utcText(end)} is not after the chain's time ${utcText(now)}`);
  }
  if (problems.length > 0) throw new InputFileError(file, problems);
  return {
    file,
    name: holder.name,
    contract: holder.staking ? "TokenVestingStaking" : "TokenVestingNoStaking",
    beneficiary,
    revoker,
    from,
    end,
    transferableBeneficiary: holder.transferableBeneficiary ?? false,
  };
}

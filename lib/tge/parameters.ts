import { z } from "zod";

import { formatSesh, parseSesh, seshAmountProblem, SESH_TOTAL_SUPPLY } from "../amount";
import { formatIssuePath, InputFileError } from "../errors";
import {
  addressProblem,
  utcDate,
  checksumAddress,
  isZeroAddress,
  parseJsonText,
  readInputFile,
  recipientAddress,
  ZERO_ADDRESS_PROBLEM,
} from "../schema";

/**
 * Suite contracts that receive an allocation line. Until a contract exists (a later issue builds it), its line
 * is held by the escrow account named in the parameter file.
 */
export const ALLOCATION_CONTRACTS = [
  "RewardRatePool",
  "OxenClaimsBridge",
  "ServiceNodeRewards",
  "MerkleDistributor",
] as const;
export type AllocationContract = (typeof ALLOCATION_CONTRACTS)[number];

const ACCOUNT_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

const amountText = z.string().superRefine((text, ctx) => {
  const problem = seshAmountProblem(text);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
});

const RECIPIENT_KINDS = ["account", "address", "contract", "vesting"] as const;

const accountName = z.string().regex(ACCOUNT_NAME, { message: "must be an account name (letters and digits)" });

/** Who a vesting contract is for or revocable by: a named account or an address, as a line's recipient. */
export const partySchema = z
  .strictObject({ account: accountName.optional(), address: recipientAddress.optional() })
  .superRefine((party, ctx) => {
    if ((party.account === undefined) === (party.address === undefined)) {
      ctx.addIssue({ code: "custom", message: 'must name exactly one of "account" or "address"' });
    }
  });

/** A named account or an address, as the parameter file writes it (`{ "account": "ecosystemFund" }`). */
export type RawParty = z.infer<typeof partySchema>;

/** The fields of a vesting contract before its amount (`amount` comes between `end` and `transferableBeneficiary`). */
const vestingContractFields = {
  name: z.string().trim().min(1, { message: "must not be empty" }),
  beneficiary: partySchema,
  revoker: partySchema.nullable(),
  staking: z.boolean(),
  start: utcDate.optional(),
  cliff: utcDate.optional(),
  end: utcDate,
};

interface VestingDates {
  readonly staking: boolean;
  readonly start?: Date | undefined;
  readonly cliff?: Date | undefined;
  readonly end: Date;
}

/** A staking contract has a start and no cliff, the other kind the other way round; neither starts after its end. */
function checkVestingDates(holder: VestingDates, ctx: z.RefinementCtx): void {
  const [needed, refused] = holder.staking ? (["start", "cliff"] as const) : (["cliff", "start"] as const);
  const kind = holder.staking ? "a staking vesting contract (staking: true)" : "a vesting contract without staking";
  if (holder[needed] === undefined) {
    ctx.addIssue({ code: "custom", path: [needed], message: `${kind} needs "${needed}"` });
  }
  if (holder[refused] !== undefined) {
    ctx.addIssue({ code: "custom", path: [refused], message: `${kind} has no "${refused}": use "${needed}"` });
  }
  const from = holder[needed];
  // Refinements run even when a date failed its own check; compare only two dates.
  if (from instanceof Date && holder.end instanceof Date && from.getTime() > holder.end.getTime()) {
    ctx.addIssue({
      code: "custom",
      path: [needed],
      message: `${from.toISOString()} is after the end ${holder.end.toISOString()}`,
    });
  }
}

/**
 * One holder of a vesting line: a `TokenVestingStaking` (`"staking": true`, locked from `start` to `end`, stakable
 * meanwhile) or a `TokenVestingNoStaking` (`"staking": false`, 20 % at `cliff`, the rest linearly to `end`) that the
 * TGE deploys and funds with `amount`. Dates are ISO-8601 UTC; a `revoker` of null makes the contract irrevocable.
 */
const vestingHolderSchema = z
  .strictObject({
    ...vestingContractFields,
    amount: amountText,
    transferableBeneficiary: z.boolean().optional(),
  })
  .superRefine(checkVestingDates);

/**
 * A vesting contract deployed on its own (the `vesting` section, lib/vesting/parameters.ts): a vesting line's holder
 * without an amount, since it is funded by a transfer rather than by the TGE's split.
 */
export const vestingContractSchema = z
  .strictObject({ ...vestingContractFields, transferableBeneficiary: z.boolean().optional() })
  .superRefine(checkVestingDates);

// One object with exactly one of three keys, rather than a union of three objects, so that a wrong value is
// reported at its own key ("recipient.address: is not an address") instead of as "matches no alternative".
const recipientSchema = z
  .strictObject({
    account: z.string().regex(ACCOUNT_NAME, { message: "must be an account name (letters and digits)" }).optional(),
    address: recipientAddress.optional(),
    contract: z.enum(ALLOCATION_CONTRACTS).optional(),
    vesting: z.array(vestingHolderSchema).min(1, { message: "lists no holder" }).optional(),
  })
  .superRefine((recipient, ctx) => {
    const given = RECIPIENT_KINDS.filter((kind) => recipient[kind] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message:
          `must name exactly one of "account", "address", "contract" or "vesting" (found ${given.length === 0 ? "none" : given.join(", ")}); ` +
          `contracts are ${ALLOCATION_CONTRACTS.join(", ")}`,
      });
    }
  });

const allocationSchema = z.strictObject({
  name: z.string().trim().min(1, { message: "must not be empty" }),
  amount: amountText,
  recipient: recipientSchema,
  funds: z.string().min(1),
  lockup: z.string().min(1),
});

/**
 * A named account: on local chains the index of one of the node's unlocked accounts, on live networks an
 * address. `null` marks an address the launch engineers still have to fill in; it fails validation.
 */
const accountSchema = z.union([z.int().nonnegative(), z.string(), z.null()], {
  error: "must be a local account index (0, 1, …), an address, or null while the address is not known yet",
});

const parametersSchema = z.strictObject({
  description: z.string().optional(),
  network: z.string().min(1),
  accounts: z.record(
    z.string().regex(ACCOUNT_NAME, { message: "account names are letters and digits" }),
    accountSchema.superRefine((value, ctx) => {
      const problem = typeof value === "string" ? addressProblem(value) : undefined;
      if (problem !== undefined) ctx.addIssue({ code: "custom", message: `"${value}" ${problem}` });
    }),
  ),
  escrow: z.string().regex(ACCOUNT_NAME),
  allocations: z.array(allocationSchema).min(1, { message: "the table has no lines" }),
  // The staking contracts' parameters, validated by lib/staking/parameters.ts.
  staking: z.unknown().optional(),
  // The other deployments' sections, each validated by its own module when that deployment runs:
  // lib/claims/parameters.ts, lib/distribution/parameters.ts and lib/vesting/parameters.ts.
  claimsBridge: z.unknown().optional(),
  distributor: z.unknown().optional(),
  vesting: z.unknown().optional(),
});

type RawParameters = z.infer<typeof parametersSchema>;

export type AccountRef =
  { readonly kind: "index"; readonly index: number } | { readonly kind: "address"; readonly address: string };

/** A named account or an address: who a vesting contract is for, or who may revoke it. */
export type Party =
  | { readonly kind: "account"; readonly name: string; readonly account: AccountRef }
  | { readonly kind: "address"; readonly address: string };

/** A vesting contract the TGE deploys and funds (see the parameter file's `recipient.vesting`). */
export interface VestingHolder {
  /** Position in the line's holder list, from 0. */
  readonly index: number;
  readonly name: string;
  readonly beneficiary: Party;
  /** Who may revoke it; undefined: nobody (the contract is irrevocable). */
  readonly revoker?: Party;
  /** `TokenVestingStaking` (true) or `TokenVestingNoStaking` (false). */
  readonly staking: boolean;
  /** Unix seconds: the start of a staking contract, the cliff of one without staking. */
  readonly from: number;
  /** Unix seconds: the end of the vesting. */
  readonly end: number;
  /** Atoms of SESH. */
  readonly amount: bigint;
  readonly transferableBeneficiary: boolean;
}

export type Recipient =
  | { readonly kind: "account"; readonly name: string; readonly account: AccountRef }
  | { readonly kind: "address"; readonly address: string }
  | { readonly kind: "contract"; readonly contract: AllocationContract }
  | { readonly kind: "vesting"; readonly holders: readonly VestingHolder[] };

export interface AllocationLine {
  /** Row in the file, from 0. */
  readonly row: number;
  readonly name: string;
  /** Atoms of SESH. */
  readonly amount: bigint;
  readonly recipient: Recipient;
  readonly funds: string;
  readonly lockup: string;
}

/** A validated TGE parameter file. */
export interface TgeParameters {
  readonly file: string;
  readonly network: string;
  readonly totalSupply: bigint;
  readonly escrow: { readonly name: string; readonly account: AccountRef };
  readonly allocations: readonly AllocationLine[];
}

function lineLabel(raw: unknown, row: number): string {
  const name = (raw as { allocations?: { name?: unknown }[] } | null)?.allocations?.[row]?.name;
  return typeof name === "string" && name.trim() !== ""
    ? `allocations[${row}] "${name.trim()}"`
    : `allocations[${row}]`;
}

/** Names a zod issue path with the allocation line's name, so that the message says which line is wrong. */
function describePath(raw: unknown, issuePath: readonly PropertyKey[]): string {
  const [head, row, ...rest] = issuePath;
  if (head === "allocations" && typeof row === "number") {
    return rest.length === 0 ? lineLabel(raw, row) : `${lineLabel(raw, row)}.${formatIssuePath(rest)}`;
  }
  return formatIssuePath(issuePath);
}

function toAccountRef(value: number | string): AccountRef {
  return typeof value === "number"
    ? { kind: "index", index: value }
    : { kind: "address", address: checksumAddress(value) };
}

function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function toRecipient(
  raw: RawParameters["allocations"][number]["recipient"],
  account: (name: string) => AccountRef,
): Recipient {
  if (raw.account !== undefined) return { kind: "account", name: raw.account, account: account(raw.account) };
  if (raw.address !== undefined) return { kind: "address", address: raw.address };
  if (raw.contract !== undefined) return { kind: "contract", contract: raw.contract };
  if (raw.vesting !== undefined) {
    const party = (value: RawParty): Party =>
      value.account === undefined
        ? { kind: "address", address: value.address ?? "" }
        : { kind: "account", name: value.account, account: account(value.account) };
    return {
      kind: "vesting",
      holders: raw.vesting.map((holder, index): VestingHolder => ({
        index,
        name: holder.name,
        beneficiary: party(holder.beneficiary),
        ...(holder.revoker === null ? {} : { revoker: party(holder.revoker) }),
        staking: holder.staking,
        from: unixSeconds((holder.staking ? holder.start : holder.cliff) ?? holder.end),
        end: unixSeconds(holder.end),
        amount: parseSesh(holder.amount),
        transferableBeneficiary: holder.transferableBeneficiary ?? false,
      })),
    };
  }
  // The schema admits exactly one of the three keys; reaching this is a programming error.
  throw new Error("recipient without account, address or contract passed validation");
}

/**
 * Lines whose names repeat an earlier line's (compared without case), from the raw file, so that they are
 * reported together with the schema's findings.
 */
function duplicateNameProblems(raw: unknown): string[] {
  const allocations = (raw as { allocations?: unknown } | null)?.allocations;
  if (!Array.isArray(allocations)) return [];
  const problems: string[] = [];
  const rowsByName = new Map<string, number>();
  allocations.forEach((line: unknown, row) => {
    const name = (line as { name?: unknown } | null)?.name;
    if (typeof name !== "string" || name.trim() === "") return;
    const key = name.trim().toLowerCase();
    const first = rowsByName.get(key);
    if (first === undefined) rowsByName.set(key, row);
    else problems.push(`${lineLabel(raw, row)}: duplicate name, already used by allocations[${first}]`);
  });
  return problems;
}

/**
 * A vesting line's holders: each pays more than 0 and names defined accounts, and together they hold exactly the
 * line's amount (the TGE pays each holder's contract its amount out of the line).
 */
function checkVestingHolders(
  label: string,
  lineAmount: bigint,
  holders: RawParameters["allocations"][number]["recipient"]["vesting"] & object,
  accountOf: (name: string, where: string) => void,
  problems: string[],
): void {
  let total = 0n;
  holders.forEach((holder, index) => {
    const where = `${label}.recipient.vesting[${index}] "${holder.name}"`;
    const amount = parseSesh(holder.amount);
    if (amount === 0n) problems.push(`${where}.amount: must be more than 0 SESH`);
    total += amount;
    if (holder.beneficiary.account !== undefined) accountOf(holder.beneficiary.account, `${where}.beneficiary`);
    if (holder.revoker?.account !== undefined) accountOf(holder.revoker.account, `${where}.revoker`);
  });
  if (total !== lineAmount) {
    const difference = total - lineAmount;
    const direction = difference < 0n ? `${formatSesh(-difference)} short of` : `${formatSesh(difference)} more than`;
    problems.push(
      `${label}.recipient.vesting: the ${holders.length} holder${holders.length === 1 ? "" : "s"} sum to ` +
        `${formatSesh(total)}, ${direction} the line's ${formatSesh(lineAmount)}`,
    );
  }
}

function checkTable(data: RawParameters, problems: string[]): void {
  // Accounts set to the zero address are reported at each line they would pay (and at the escrow), so that the
  // message names what would be lost; an account no line uses is reported at its own key.
  const zeroAccounts = new Set(
    Object.entries(data.accounts)
      .filter(([, value]) => typeof value === "string" && isZeroAddress(value))
      .map(([name]) => name),
  );
  const usedAccounts = new Set<string>();
  const accountOf = (name: string, where: string): void => {
    usedAccounts.add(name);
    if (!Object.hasOwn(data.accounts, name)) {
      problems.push(`${where}: account "${name}" is not defined in "accounts"`);
    } else if (data.accounts[name] === null) {
      problems.push(`${where}: account "${name}" has no address yet: set accounts.${name} to the recipient's address`);
    } else if (zeroAccounts.has(name)) {
      problems.push(`${where}: account "${name}" (accounts.${name}) ${ZERO_ADDRESS_PROBLEM}`);
    }
  };
  accountOf(data.escrow, "escrow");
  const escrowIsZero = zeroAccounts.has(data.escrow);

  let total = 0n;
  data.allocations.forEach((line, row) => {
    const label = `allocations[${row}] "${line.name}"`;
    const amount = parseSesh(line.amount);
    if (amount === 0n) problems.push(`${label}.amount: must be more than 0 SESH`);
    total += amount;

    if (line.recipient.account !== undefined) accountOf(line.recipient.account, `${label}.recipient`);
    if (line.recipient.vesting !== undefined)
      checkVestingHolders(label, amount, line.recipient.vesting, accountOf, problems);
    if (line.recipient.contract !== undefined && escrowIsZero) {
      problems.push(
        `${label}.recipient: the line for ${line.recipient.contract} is held by the escrow account ` +
          `"${data.escrow}" (accounts.${data.escrow}), which ${ZERO_ADDRESS_PROBLEM}`,
      );
    }
  });
  for (const name of zeroAccounts) {
    if (!usedAccounts.has(name)) problems.push(`accounts.${name}: ${ZERO_ADDRESS_PROBLEM}`);
  }

  if (total !== SESH_TOTAL_SUPPLY) {
    const difference = total - SESH_TOTAL_SUPPLY;
    const direction = difference < 0n ? `${formatSesh(-difference)} short of` : `${formatSesh(difference)} more than`;
    problems.push(
      `allocations: the ${data.allocations.length} lines sum to ${formatSesh(total)}, ${direction} ` +
        `the total supply of ${formatSesh(SESH_TOTAL_SUPPLY)}`,
    );
  }
}

/**
 * Validates a TGE parameter file given as JSON text. Collects the problems (each naming the line and field, and
 * for the sum the difference) and throws them together as an {@link InputFileError}. The sum and the named
 * accounts are checked once every line is well-formed.
 */
export function parseTgeParameters(json: string, file: string): TgeParameters {
  const raw = parseJsonText(json, file);
  const parsed = parametersSchema.safeParse(raw);
  const duplicates = duplicateNameProblems(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${describePath(raw, issue.path)}: ${issue.message}`);
    throw new InputFileError(file, [...issues, ...duplicates]);
  }
  const data = parsed.data;
  const problems = [...duplicates];
  checkTable(data, problems);
  if (problems.length > 0) throw new InputFileError(file, problems);

  // Every account was checked to exist and be set above.
  const account = (name: string): AccountRef => toAccountRef(data.accounts[name] as number | string);
  return {
    file,
    network: data.network,
    totalSupply: SESH_TOTAL_SUPPLY,
    escrow: { name: data.escrow, account: account(data.escrow) },
    allocations: data.allocations.map((line, row): AllocationLine => {
      const recipient = toRecipient(line.recipient, account);
      return {
        row,
        name: line.name,
        amount: parseSesh(line.amount),
        recipient,
        funds: line.funds,
        lockup: line.lockup,
      };
    }),
  };
}

/** Reads and validates a TGE parameter file. */
export function loadTgeParameters(file: string): TgeParameters {
  return parseTgeParameters(readInputFile(file), file);
}

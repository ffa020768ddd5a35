import { getAddress } from "ethers";

import { formatSesh } from "../amount";
import { markdownTable } from "../markdown";
import { isZeroAddress } from "../schema";
import { expectedBalances, plannedVesting, type PlannedLine, type PlannedVesting, type TgePlan } from "./plan";

/** Widest a table of the terminal output may be, in characters. */
export const TERMINAL_COLUMNS = 120;

/** Who a line goes to, for people: its account name, or the escrow and the contract it holds the line for. */
function recipientOf(line: PlannedLine): string {
  return line.heldFor === undefined ? line.toLabel : `${line.toLabel}, for ${line.heldFor}`;
}

/**
 * The allocation table of a TGE plan in Markdown, with its total: one row per line, the recipient by name (the
 * addresses are in {@link recipientTable}, each once), narrow enough for a terminal of {@link TERMINAL_COLUMNS}.
 */
export function allocationTable(plan: TgePlan): string {
  // Numbered by the table's rows: a line the TGE pays in two parts shows its number twice.
  const rows = plan.lines.map((line) => [
    String(line.row + 1),
    line.name,
    formatSesh(line.amount, { unit: false }),
    recipientOf(line),
  ]);
  const total = plan.lines.reduce((sum, line) => sum + line.amount, 0n);
  rows.push(["", "**total**", `**${formatSesh(total, { unit: false })}**`, ""]);
  return markdownTable(["#", "allocation", "SESH", "recipient"], ["r", "l", "r", "l"], rows);
}

/** Every address the TGE pays, once, checksummed: who it is, the lines it receives and their sum. */
export function recipientTable(plan: TgePlan): string {
  const byAddress = new Map<string, { label: string; lines: number[]; amount: bigint }>();
  plan.lines.forEach((line) => {
    const number = line.row + 1;
    for (const holder of line.vesting ?? []) {
      byAddress.set(`new ${holder.contract} ${holder.index} of line ${number}`, {
        label: vestingLabel(holder),
        lines: [number],
        amount: holder.amount,
      });
    }
    if (line.vesting !== undefined) return;
    // A contract the TGE deploys has no address before it.
    const address = line.to === "" ? `new ${line.paidTo ?? "contract"}` : getAddress(line.to);
    const entry = byAddress.get(address) ?? { label: line.toLabel, lines: [], amount: 0n };
    if (!entry.lines.includes(number)) entry.lines.push(number);
    entry.amount += line.amount;
    byAddress.set(address, entry);
  });
  return markdownTable(
    ["recipient", "address", "lines", "SESH"],
    ["l", "l", "l", "r"],
    [...byAddress].map(([address, entry]) => [
      entry.label,
      address.startsWith("new ") ? address.split(" ").slice(0, 2).join(" ") : address,
      entry.lines.join(", "),
      formatSesh(entry.amount, { unit: false }),
    ]),
  );
}

/** Who a vesting contract is, for people: the holder's name. */
function vestingLabel(holder: PlannedVesting): string {
  return `vesting "${holder.name}"`;
}

function utc(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
}

/** A vesting contract's schedule in words, for the lock-up list. */
export function vestingSchedule(holder: PlannedVesting): string {
  const revoker = isZeroAddress(holder.revokerAddress) ? "irrevocable" : `revocable by ${holder.revokerAddress}`;
  const schedule = holder.staking
    ? `locked (stakable from ${utc(holder.from)}) until ${utc(holder.end)}`
    : `20 % at ${utc(holder.from)}, the rest linearly until ${utc(holder.end)}`;
  return `${holder.name}: ${formatSesh(holder.amount)} in a ${holder.contract} for ${holder.beneficiaryAddress}, ${schedule}, ${revoker}`;
}

/** The lock-up of each line, as a list (too long for a table that fits a terminal); a vesting line lists its holders. */
export function lockupList(plan: TgePlan): string {
  return plan.lines
    .map((line, index) =>
      [
        `${index + 1}. ${line.name}: ${line.lockup}`,
        ...(line.vesting ?? []).map((holder) => `   - ${vestingSchedule(holder)}`),
      ].join("\n"),
    )
    .join("\n");
}

export interface BalanceCheck {
  readonly address: string;
  readonly label: string;
  readonly expected: bigint;
  readonly actual: bigint;
  readonly ok: boolean;
}

/**
 * Compares the balances read after the TGE with what the plan says each recipient must hold; the deploying account
 * and every address of `emptied` (the splitter that received the supply) must hold nothing.
 */
export function checkBalances(
  plan: TgePlan,
  balanceOf: ReadonlyMap<string, bigint>,
  emptied: readonly { readonly address: string; readonly label: string }[] = [],
  vestingAddresses: readonly string[] = [],
): BalanceCheck[] {
  const read = new Map([...balanceOf].map(([address, balance]) => [getAddress(address), balance]));
  const labels = new Map<string, string>([[getAddress(plan.genesisReceiver), "deployer"]]);
  for (const line of plan.lines) {
    if (line.vesting === undefined && line.to !== "") labels.set(getAddress(line.to), line.toLabel);
  }
  plannedVesting(plan).forEach((holder, index) => {
    const address = vestingAddresses[index];
    if (address !== undefined) labels.set(getAddress(address), vestingLabel(holder));
  });
  const expected = new Map(
    [...expectedBalances(plan, vestingAddresses)].map(([address, amount]) => [getAddress(address), amount]),
  );
  for (const holder of emptied) {
    labels.set(getAddress(holder.address), holder.label);
    if (!expected.has(getAddress(holder.address))) expected.set(getAddress(holder.address), 0n);
  }
  return [...expected].map(([address, amount]) => {
    const actual = read.get(address) ?? 0n;
    return { address, label: labels.get(address) ?? address, expected: amount, actual, ok: actual === amount };
  });
}

/** The balance checks as a Markdown table, addresses checksummed. */
export function balanceTable(checks: readonly BalanceCheck[]): string {
  return markdownTable(
    ["holder", "address", "expected SESH", "balance SESH", "check"],
    ["l", "l", "r", "r", "l"],
    checks.map((check) => [
      check.label,
      getAddress(check.address),
      formatSesh(check.expected, { unit: false }),
      formatSesh(check.actual, { unit: false }),
      check.ok ? "ok" : `FAILED: off by ${formatSesh(check.actual - check.expected, { unit: false })}`,
    ]),
  );
}

/** The widest line of a text, in characters (the tables use no character outside the Basic Multilingual Plane). */
export function widestLine(text: string): number {
  return Math.max(0, ...text.split("\n").map((line) => line.length));
}

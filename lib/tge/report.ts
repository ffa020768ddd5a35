import { formatSesh } from "../amount";
import { markdownTable } from "../markdown";
import { expectedBalances, type TgePlan } from "./plan";

/** The allocation table of a TGE plan in Markdown, with its total. */
export function allocationTable(plan: TgePlan): string {
  const rows = plan.lines.map((line, index) => [
    String(index + 1),
    line.name,
    formatSesh(line.amount, { unit: false }),
    line.heldFor === undefined ? line.toLabel : `${line.toLabel} (for ${line.heldFor})`,
    line.to,
    line.lockup,
  ]);
  const total = plan.lines.reduce((sum, line) => sum + line.amount, 0n);
  rows.push(["", "**total**", `**${formatSesh(total, { unit: false })}**`, "", "", ""]);
  return markdownTable(
    ["#", "allocation", "SESH", "recipient", "address", "lock-up"],
    ["r", "l", "r", "l", "l", "l"],
    rows,
  );
}

export interface BalanceCheck {
  readonly address: string;
  readonly label: string;
  readonly expected: bigint;
  readonly actual: bigint;
  readonly ok: boolean;
}

/** Compares the balances read after the TGE with what the plan says each recipient must hold. */
export function checkBalances(plan: TgePlan, balanceOf: ReadonlyMap<string, bigint>): BalanceCheck[] {
  const labels = new Map<string, string>([[plan.genesisReceiver, "genesis receiver (deployer)"]]);
  for (const line of plan.lines) labels.set(line.to, line.toLabel);
  return [...expectedBalances(plan)].map(([address, expected]) => {
    const actual = balanceOf.get(address) ?? 0n;
    return { address, label: labels.get(address) ?? address, expected, actual, ok: actual === expected };
  });
}

/** The balance checks as a Markdown table. */
export function balanceTable(checks: readonly BalanceCheck[]): string {
  return markdownTable(
    ["holder", "address", "expected SESH", "balance SESH", "check"],
    ["l", "l", "r", "r", "l"],
    checks.map((check) => [
      check.label,
      check.address,
      formatSesh(check.expected, { unit: false }),
      formatSesh(check.actual, { unit: false }),
      check.ok ? "ok" : `FAILED (off by ${formatSesh(check.actual - check.expected)})`,
    ]),
  );
}

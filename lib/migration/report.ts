import { formatInteger, formatOxen, formatSesh } from "../amount";
import { markdownTable } from "../markdown";
import { formatUtc } from "../timeline";
import type { DisbandReason, MigrationPlan } from "./plan";

/** The plan as JSON: amounts as decimal strings of atoms, dates ISO-8601 UTC. Stable key order, so diffs are small. */
export function planToJson(plan: MigrationPlan): string {
  return `${JSON.stringify(
    plan,
    (_key, value: unknown) => {
      if (typeof value === "bigint") return value.toString();
      return value;
    },
    2,
  )}\n`;
}

const REASON_TEXT: Record<DisbandReason, string> = {
  deregistered: "deregistered after the Anchor: stake unlocks, bonus credited",
  unlocking: "unlocking (opted out): stake unlocks, bonus credited",
  "not-fully-funded": "still awaiting contributions (never fully funded): registered stakes credited, others unlock",
  "missing-bls-key": "never upgraded (no BLS key): registered stakes credited, others unlock",
  "unregistered-participant": "a participant did not register: registered stakes credited, others unlock",
  "insufficient-pool": "a participant's pool was short at its turn: stakes credited",
};

/** Rows shown in each list of the Markdown summary; plan.json has all of them. */
const LIST_LIMIT = 10;
/** Width of the bars of the disband-reason chart, in characters. */
const BAR_WIDTH = 30;

function short(hex: string): string {
  return hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex;
}

function more(total: number): string[] {
  return total > LIST_LIMIT ? ["", `… and ${formatInteger(total - LIST_LIMIT)} more in plan.json.`] : [];
}

/** A Markdown summary a person can read: totals, a chart of why nodes were disbanded, the first rows of each list. */
export function planToMarkdown(plan: MigrationPlan): string {
  const { totals, parameters } = plan;
  const lines: string[] = [
    "# Landing migration plan",
    "",
    `Anchor height ${formatInteger(plan.anchor.height)} at ${formatUtc(plan.anchor.time)}; input hash \`${plan.inputHash}\`.`,
    `Conversion ${parameters.stakeConversion.numerator}/${parameters.stakeConversion.denominator} SESH per OXEN, ` +
      `staking requirement ${formatSesh(parameters.stakingRequirement)}, bonus pool ${formatSesh(parameters.bonusPool)}, ` +
      `seed batches of at most ${formatInteger(parameters.gasBudget)} gas.`,
    "",
    "## Totals",
    "",
    markdownTable(
      ["", "amount"],
      ["l", "r"],
      [
        ["pools (converted stakes and rewards + bonus)", formatSesh(totals.pools)],
        ["… converted OXEN", formatSesh(totals.converted)],
        ["… Service Node Bonus", formatSesh(totals.bonus)],
        ["re-staked", formatSesh(totals.restaked)],
        ["credited as claimable rewards", formatSesh(totals.credited)],
        ["bonus left undistributed (no points)", formatSesh(totals.bonusUndistributed)],
        ["OXEN unlocked on the Oxen chain", formatOxen(totals.unlockedOxen)],
        ["nodes re-staked", formatInteger(totals.restakedNodes)],
        ["nodes disbanded", formatInteger(totals.disbandedNodes)],
        ["seed transactions", formatInteger(plan.seedBatches.length)],
      ],
    ),
    "",
    `Conservation: pools ${formatSesh(totals.pools)} = re-staked ${formatSesh(totals.restaked)} + credited ` +
      `${formatSesh(totals.credited)}.`,
  ];

  const reasons = new Map<DisbandReason, number>();
  for (const node of plan.disbanded) reasons.set(node.reason, (reasons.get(node.reason) ?? 0) + 1);
  if (reasons.size > 0) {
    const largest = Math.max(...reasons.values());
    lines.push("", "## Why nodes were disbanded", "", "```");
    for (const [reason, count] of [...reasons].sort(([, a], [, b]) => b - a)) {
      const bar = "█".repeat(Math.max(1, Math.round((count / largest) * BAR_WIDTH)));
      lines.push(`${reason.padEnd(25)} ${bar} ${formatInteger(count)}`);
    }
    lines.push("```", "");
    for (const [reason] of [...reasons].sort(([, a], [, b]) => b - a)) {
      lines.push(`- **${reason}**: ${REASON_TEXT[reason]}`);
    }
  }

  lines.push(
    "",
    "## Re-staked nodes (funding order)",
    "",
    markdownTable(
      ["#", "ed25519", "height", "contributors", "operator", "operator stake"],
      ["r", "l", "r", "r", "l", "r"],
      plan.restaked.slice(0, LIST_LIMIT).map((node, index) => {
        const [operator] = node.contributors;
        return [
          String(index + 1),
          short(node.ed25519),
          formatInteger(node.registrationHeight),
          String(node.contributors.length),
          operator === undefined ? "" : short(operator.ethereumAddress),
          operator === undefined ? "" : formatSesh(operator.amount),
        ];
      }),
    ),
    ...more(plan.restaked.length),
    "",
    "## Disbanded nodes",
    "",
    markdownTable(
      ["ed25519", "height", "reason", "detail"],
      ["l", "r", "l", "l"],
      plan.disbanded
        .slice(0, LIST_LIMIT)
        .map((node) => [
          short(node.ed25519),
          formatInteger(node.registrationHeight),
          node.reason,
          node.detail.length > 80 ? `${node.detail.slice(0, 79)}…` : node.detail,
        ]),
    ),
    ...more(plan.disbanded.length),
    "",
    "## Largest credits",
    "",
    markdownTable(
      ["Ethereum address", "credited"],
      ["l", "r"],
      [...plan.credits]
        .sort((a, b) => (a.amount === b.amount ? 0 : a.amount > b.amount ? -1 : 1))
        .slice(0, LIST_LIMIT)
        .map((credit) => [credit.ethereumAddress, formatSesh(credit.amount)]),
    ),
    ...more(plan.credits.length),
    "",
    "## Seed batches",
    "",
    markdownTable(
      ["batch", "nodes", "contributors", "estimated gas"],
      ["r", "r", "r", "r"],
      plan.seedBatches
        .slice(0, LIST_LIMIT)
        .map((batch, index) => [
          String(index + 1),
          formatInteger(batch.nodes.length),
          formatInteger(batch.contributors),
          formatInteger(batch.estimatedGas),
        ]),
    ),
    ...more(plan.seedBatches.length),
    "",
  );
  return lines.join("\n");
}

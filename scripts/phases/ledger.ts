import { getAddress, ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { TgeResult } from "../../deploy/tge";
import { amountPaidTo } from "../../lib/tge/plan";
import { formatInteger, formatSesh } from "../../lib/amount";
import { markdownTable } from "../../lib/markdown";
import type { ReportCheck } from "../../lib/rehearsal/report";

// The rehearsal's books, kept from the token's own Transfer events: the supply is conserved (every balance the
// events give is the chain's, and they sum to the supply), every allocation line sits where the table says, and
// the rewards contract holds what it owes.

export interface LedgerOptions {
  /** The TGE, whose plan says where each line went (its contracts' addresses for the lines it paid them). */
  readonly tge: TgeResult;
  /** The rewards contract whose balance must cover its stakes and its unclaimed rewards. */
  readonly rewardsAddress: string;
}

export interface Ledger {
  readonly checks: ReportCheck[];
  /** Where each allocation line is, for people. */
  readonly markdown: string;
}

/** The balances the Transfer events give, from the TGE's mint on. */
async function balancesFromEvents(tge: TgeResult): Promise<Map<string, bigint>> {
  const balances = new Map<string, bigint>();
  const logs = await tge.sesh.queryFilter(tge.sesh.filters.Transfer());
  for (const log of logs) {
    const { from, to, value } = log.args;
    if (from !== ZeroAddress) balances.set(from, (balances.get(from) ?? 0n) - value);
    if (to !== ZeroAddress) balances.set(to, (balances.get(to) ?? 0n) + value);
  }
  return balances;
}

/** What `from` sent `to`, by the Transfer events. */
async function sent(tge: TgeResult, from: string, to: string): Promise<bigint> {
  const logs = await tge.sesh.queryFilter(tge.sesh.filters.Transfer(from, to));
  return logs.reduce((sum, log) => sum + log.args.value, 0n);
}

/**
 * The checks of the whole launch's books: the supply conserved, every allocation line where the table says (an
 * account's lines still with the account, a contract's lines paid in full by the TGE's split to that contract, the
 * lines of contracts the TGE did not deploy still with the escrow), and the rewards contract's balance covering its
 * nodes' deposits, the stakes exits returned and every unclaimed reward.
 */
export async function ledgerChecks(hre: HardhatRuntimeEnvironment, options: LedgerOptions): Promise<Ledger> {
  const { tge } = options;
  const plan = tge.plan;
  const balances = await balancesFromEvents(tge);
  const totalSupply = await tge.sesh.totalSupply();
  let sum = 0n;
  const mismatched: string[] = [];
  for (const [address, balance] of balances) {
    sum += balance;
    if ((await tge.sesh.balanceOf(address)) !== balance) mismatched.push(address);
  }

  const escrow = getAddress(plan.escrow.address);
  const rows: string[][] = [];
  const wrong: string[] = [];
  const linesFor = new Map<string, bigint>();
  for (const line of plan.lines) {
    if (line.recipient.kind === "contract" || line.to === "") continue;
    const to = getAddress(line.to);
    linesFor.set(to, (linesFor.get(to) ?? 0n) + line.amount);
  }
  for (const line of plan.lines) {
    if (line.recipient.kind !== "contract") {
      // A vesting line's contracts are checked by the TGE; an account's lines stay with it.
      const to = line.to === "" ? undefined : getAddress(line.to);
      const ok = to === undefined || (await tge.sesh.balanceOf(to)) === linesFor.get(to);
      if (!ok) wrong.push(line.name);
      rows.push([line.name, formatSesh(line.amount, { unit: false }), line.toLabel, ok ? "with its holder" : "moved"]);
    }
  }
  // A contract's lines: paid by the TGE's split straight to the contract, or held by the escrow for it.
  const splitter = getAddress(tge.splitterAddress);
  const paidInFull = new Map<string, boolean>();
  for (const line of plan.lines) {
    const to = line.paidTo === undefined ? undefined : getAddress(line.to);
    if (to === undefined || paidInFull.has(to)) continue;
    paidInFull.set(to, (await sent(tge, splitter, to)) === amountPaidTo(plan, to));
  }
  const escrowed = plan.lines.filter((line) => line.heldFor !== undefined);
  const undeployed = escrowed.reduce((total, line) => total + line.amount, 0n);
  const escrowHeld = await tge.sesh.balanceOf(escrow);
  for (const line of plan.lines) {
    if (line.recipient.kind !== "contract") continue;
    const held = line.heldFor !== undefined;
    const ok = held ? escrowHeld === undeployed : paidInFull.get(getAddress(line.to)) === true;
    if (!ok) wrong.push(line.name);
    const where = held
      ? `held by the escrow ${plan.escrow.name} for ${line.heldFor ?? ""}`
      : `paid by the TGE to ${line.paidTo ?? ""}`;
    rows.push([line.name, formatSesh(line.amount, { unit: false }), where, ok ? "in full" : "NOT in full"]);
  }
  if (escrowHeld !== undeployed) {
    wrong.push(`the escrow holds ${formatSesh(escrowHeld)}, not ${formatSesh(undeployed)}`);
  }

  // What the rewards contract owes: its nodes' deposits, the stakes exits returned (credited to the contributors
  // later by the network) and every recipient's credited but unclaimed rewards.
  const rewards = await hre.ethers.getContractAt("ServiceNodeRewards", options.rewardsAddress);
  const [ids] = await rewards.allServiceNodeIDs();
  let deposits = 0n;
  for (const id of ids) deposits += (await rewards.serviceNodes(id)).deposit;
  const exits = await rewards.queryFilter(rewards.filters.ServiceNodeExit());
  const returned = exits.reduce((total, event) => total + event.args.returnedAmount, 0n);
  const recipients = new Set(
    (await rewards.queryFilter(rewards.filters.RewardsBalanceUpdated())).map((event) => event.args.recipientAddress),
  );
  let unclaimed = 0n;
  for (const recipient of recipients) {
    const [credited, claimed] = await rewards.recipients(recipient);
    unclaimed += credited - claimed;
  }
  const rewardsBalance = await tge.sesh.balanceOf(options.rewardsAddress);
  const owed = deposits + returned + unclaimed;

  return {
    checks: [
      {
        name: "supply conserved: the Transfer events give every balance, and the balances sum to the supply",
        ok: totalSupply === plan.totalSupply && sum === totalSupply && mismatched.length === 0,
        detail:
          mismatched.length === 0
            ? `${formatInteger(balances.size)} holders, ${formatSesh(sum)}`
            : `balances differ from the events: ${mismatched.join(", ")}`,
      },
      {
        name: "every allocation line ends where the table says",
        ok: wrong.length === 0,
        detail:
          wrong.length === 0
            ? `${formatInteger(new Set(plan.lines.map((line) => line.row)).size)} lines`
            : `wrong: ${wrong.join("; ")}`,
      },
      {
        name: "the rewards contract's balance covers its stakes, the returned stakes and the unclaimed rewards",
        ok: rewardsBalance >= owed,
        detail:
          `${formatSesh(rewardsBalance)} held; owes ${formatSesh(deposits)} of deposits, ${formatSesh(returned)} ` +
          `returned, ${formatSesh(unclaimed)} unclaimed`,
      },
    ],
    markdown: markdownTable(["allocation", "SESH", "where it is", ""], ["l", "r", "l", "l"], rows),
  };
}

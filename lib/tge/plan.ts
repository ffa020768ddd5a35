import { formatSesh } from "../amount";
import { InputFileError } from "../errors";
import { isZeroAddress, ZERO_ADDRESS, ZERO_ADDRESS_PROBLEM } from "../schema";
import type { AccountRef, AllocationContract, AllocationLine, Party, TgeParameters, VestingHolder } from "./parameters";

/** The vesting contracts the TGE can deploy for a holder. */
export type VestingContractName = "TokenVestingStaking" | "TokenVestingNoStaking";

/** A vesting holder with its beneficiary and revoker resolved to addresses. */
export interface PlannedVesting extends VestingHolder {
  readonly contract: VestingContractName;
  readonly beneficiaryAddress: string;
  /** The zero address when the contract is irrevocable. */
  readonly revokerAddress: string;
  /** Who the beneficiary is, for people: an account name or "address". */
  readonly beneficiaryLabel: string;
}

/** An allocation line with its recipient resolved to an address, or to the vesting contracts it funds. */
export interface PlannedLine extends AllocationLine {
  /** The address the TGE transfers this line to; empty for a vesting line (see `vesting`). */
  readonly to: string;
  /** Who `to` is, for people: an account name, "address", the escrow holding a contract's line, or the vesting. */
  readonly toLabel: string;
  /** The contract this line is for, when the escrow holds it until that contract is deployed. */
  readonly heldFor?: AllocationContract;
  /** The contract the TGE deploys and pays this line to directly (`to` is its address once deployed). */
  readonly paidTo?: AllocationContract;
  /** The vesting contracts a vesting line pays, one per holder, each its holder's amount. */
  readonly vesting?: readonly PlannedVesting[];
}

/** What the TGE module carries out: mint the supply to the genesis receiver, then one transfer per line. */
export interface TgePlan {
  readonly parametersFile: string;
  readonly totalSupply: bigint;
  /** Receives the whole supply in the token's constructor and sends every line: the deploying account. */
  readonly genesisReceiver: string;
  readonly escrow: { readonly name: string; readonly address: string };
  readonly lines: readonly PlannedLine[];
}

/**
 * Resolves the parameter file's named accounts against the accounts the network offers (`accounts[0]` is the
 * deployer). Throws an {@link InputFileError} naming each account index that the network does not have.
 */
export function planTge(parameters: TgeParameters, accounts: readonly string[]): TgePlan {
  const [genesisReceiver] = accounts;
  if (genesisReceiver === undefined) {
    throw new InputFileError(parameters.file, ["the network offers no account to deploy from"]);
  }
  const problems: string[] = [];
  const resolve = (name: string, ref: AccountRef): string => {
    if (ref.kind === "address") return ref.address;
    const address = accounts[ref.index];
    if (address === undefined) {
      problems.push(
        `accounts.${name}: local account index ${ref.index} does not exist on this network, which has ` +
          `${accounts.length} account${accounts.length === 1 ? "" : "s"} (indices 0–${accounts.length - 1})`,
      );
      return "";
    }
    return address;
  };

  const escrow = { name: parameters.escrow.name, address: resolve(parameters.escrow.name, parameters.escrow.account) };
  const resolved = new Map<string, string>();
  const resolveParty = (party: Party): { address: string; label: string } => {
    if (party.kind === "address") return { address: party.address, label: "address" };
    if (!resolved.has(party.name)) resolved.set(party.name, resolve(party.name, party.account));
    return { address: resolved.get(party.name) ?? "", label: party.name };
  };
  const lines = parameters.allocations.map((line): PlannedLine => {
    switch (line.recipient.kind) {
      case "account": {
        const { name, account } = line.recipient;
        if (!resolved.has(name)) resolved.set(name, resolve(name, account));
        return { ...line, to: resolved.get(name) ?? "", toLabel: name };
      }
      case "address":
        return { ...line, to: line.recipient.address, toLabel: "address" };
      case "contract":
        return { ...line, to: escrow.address, toLabel: `escrow ${escrow.name}`, heldFor: line.recipient.contract };
      case "vesting": {
        const vesting = line.recipient.holders.map((holder): PlannedVesting => {
          const beneficiary = resolveParty(holder.beneficiary);
          return {
            ...holder,
            contract: holder.staking ? "TokenVestingStaking" : "TokenVestingNoStaking",
            beneficiaryAddress: beneficiary.address,
            beneficiaryLabel: beneficiary.label,
            revokerAddress: holder.revoker === undefined ? ZERO_ADDRESS : resolveParty(holder.revoker).address,
          };
        });
        const count = vesting.length;
        return { ...line, to: "", toLabel: `${count} vesting contract${count === 1 ? "" : "s"}`, vesting };
      }
    }
  });
  // The parameter file's checks refuse the zero address in every form; this guards plans built in code.
  for (const line of lines) {
    if (line.to !== "" && isZeroAddress(line.to)) {
      problems.push(`allocations[${line.row}] "${line.name}".recipient: ${line.toLabel} ${ZERO_ADDRESS_PROBLEM}`);
    }
    for (const holder of line.vesting ?? []) {
      if (holder.beneficiaryAddress !== "" && isZeroAddress(holder.beneficiaryAddress)) {
        problems.push(
          `allocations[${line.row}] "${line.name}".recipient.vesting[${holder.index}] "${holder.name}".beneficiary: ` +
            `${holder.beneficiaryLabel} ${ZERO_ADDRESS_PROBLEM}`,
        );
      }
    }
  }
  if (problems.length > 0) throw new InputFileError(parameters.file, problems);
  return { parametersFile: parameters.file, totalSupply: parameters.totalSupply, genesisReceiver, escrow, lines };
}

/**
 * The plan as a TGE that deploys the contracts its contract lines fund pays it: each such line straight to its
 * contract (`paidTo`, its address still empty), none to the escrow. The migration's conversions (`converted`: the
 * re-staked and credited stakes and unpaid rewards) come out of the Oxen Coin Claims line and go to the rewards
 * contract, so that line is paid in two parts: `converted` to `ServiceNodeRewards`, the rest to `OxenClaimsBridge`.
 * Throws an {@link InputFileError} when the conversions exceed the Oxen Coin Claims lines.
 */
export function paidDirectly(plan: TgePlan, converted: bigint): TgePlan {
  const isClaims = (line: PlannedLine): boolean =>
    line.recipient.kind === "contract" && line.recipient.contract === "OxenClaimsBridge";
  const claims = plan.lines.filter(isClaims).reduce((sum, line) => sum + line.amount, 0n);
  if (converted < 0n || converted > claims) {
    throw new InputFileError(plan.parametersFile, [
      `allocations: the migration converts ${converted} SESH atoms, which the OxenClaimsBridge (Oxen Coin Claims) ` +
        `lines, ${claims} SESH atoms in all, ${converted < 0n ? "cannot take back" : "cannot pay"}`,
    ]);
  }
  let toConvert = converted;
  const lines = plan.lines.flatMap((line): PlannedLine[] => {
    if (line.recipient.kind !== "contract") return [line];
    const part = (name: string, amount: bigint, contract: AllocationContract): PlannedLine => ({
      ...line,
      heldFor: undefined,
      name,
      amount,
      to: "",
      toLabel: contract,
      paidTo: contract,
    });
    if (!isClaims(line) || toConvert === 0n) return [part(line.name, line.amount, line.recipient.contract)];
    const share = toConvert < line.amount ? toConvert : line.amount;
    toConvert -= share;
    return [
      part(`${line.name}: converted by the migration`, share, "ServiceNodeRewards"),
      ...(share < line.amount ? [part(`${line.name}: claims bridge`, line.amount - share, "OxenClaimsBridge")] : []),
    ];
  });
  return { ...plan, lines };
}

/** A plan of {@link paidDirectly} with the deployed contracts' addresses in `to`; throws if one is missing. */
export function withContractAddresses(
  plan: TgePlan,
  addresses: Readonly<Partial<Record<AllocationContract, string>>>,
): TgePlan {
  const lines = plan.lines.map((line) => {
    if (line.paidTo === undefined) return line;
    const address = addresses[line.paidTo];
    if (address === undefined) throw new Error(`the TGE deployed no ${line.paidTo} for "${line.name}"`);
    return { ...line, to: address };
  });
  return { ...plan, lines };
}

/** The SESH of a plan's lines for `contract` (paid to it, or held for it by the escrow). */
export function contractLines(plan: TgePlan, contract: AllocationContract): bigint {
  return plan.lines
    .filter((line) => line.recipient.kind === "contract" && line.recipient.contract === contract)
    .reduce((sum, line) => sum + line.amount, 0n);
}

/**
 * Why an allocation table cannot pay a migration plan: the converted stakes and unpaid rewards come out of the Oxen
 * Coin Claims line (the `OxenClaimsBridge` line) and the bonus out of the Service Node Bonus line (the
 * `ServiceNodeRewards` line), whose amount the plan's bonus pool must be. Empty when it can.
 */
export function migrationFitProblems(plan: TgePlan, converted: bigint, bonusPool: bigint): string[] {
  const claims = contractLines(plan, "OxenClaimsBridge");
  const bonus = contractLines(plan, "ServiceNodeRewards");
  const problems: string[] = [];
  if (converted > claims) {
    problems.push(
      `the plan converts ${formatSesh(converted)} of stakes and unpaid rewards, more than the ` +
        `${formatSesh(claims)} of the table's OxenClaimsBridge (Oxen Coin Claims) line`,
    );
  }
  if (bonusPool !== bonus) {
    problems.push(
      `the snapshot's bonus pool is ${formatSesh(bonusPool)} but the table's ServiceNodeRewards ` +
        `(Service Node Bonus) line is ${formatSesh(bonus)}`,
    );
  }
  return problems;
}

/** The SESH of the lines a plan of {@link withContractAddresses} pays straight to the contract at `address`. */
export function amountPaidTo(plan: TgePlan, address: string): bigint {
  const to = address.toLowerCase();
  return plan.lines
    .filter((line) => line.paidTo !== undefined && line.to.toLowerCase() === to)
    .reduce((sum, line) => sum + line.amount, 0n);
}

/** The contracts a plan pays directly, once each, in the table's order. */
export function contractsPaid(plan: TgePlan): AllocationContract[] {
  return [...new Set(plan.lines.flatMap((line) => (line.paidTo === undefined ? [] : [line.paidTo])))];
}

/** Every vesting contract of a plan, in the table's order. */
export function plannedVesting(plan: TgePlan): PlannedVesting[] {
  return plan.lines.flatMap((line) => line.vesting ?? []);
}

/**
 * The balance each recipient must hold right after the TGE: the sum of its lines. A vesting line's contracts do not
 * exist before the TGE; `vestingAddresses` gives their addresses (in {@link plannedVesting}'s order) once deployed.
 */
export function expectedBalances(plan: TgePlan, vestingAddresses: readonly string[] = []): Map<string, bigint> {
  const expected = new Map<string, bigint>();
  for (const line of plan.lines) {
    if (line.vesting === undefined) expected.set(line.to, (expected.get(line.to) ?? 0n) + line.amount);
  }
  plannedVesting(plan).forEach((holder, index) => {
    const address = vestingAddresses[index];
    if (address !== undefined) expected.set(address, (expected.get(address) ?? 0n) + holder.amount);
  });
  if (!expected.has(plan.genesisReceiver)) expected.set(plan.genesisReceiver, 0n);
  return expected;
}

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

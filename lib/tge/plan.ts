import { InputFileError } from "../errors";
import { isZeroAddress, ZERO_ADDRESS_PROBLEM } from "../schema";
import type { AccountRef, AllocationContract, AllocationLine, TgeParameters } from "./parameters";

/** An allocation line with its recipient resolved to an address. */
export interface PlannedLine extends AllocationLine {
  /** The address the TGE transfers this line to. */
  readonly to: string;
  /** Who `to` is, for people: an account name, "address", or the escrow holding a contract's line. */
  readonly toLabel: string;
  /** The contract this line is for, when the escrow holds it until that contract is deployed. */
  readonly heldFor?: AllocationContract;
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
    }
  });
  // The parameter file's checks refuse the zero address in every form; this guards plans built in code.
  for (const line of lines) {
    if (line.to !== "" && isZeroAddress(line.to)) {
      problems.push(`allocations[${line.row}] "${line.name}".recipient: ${line.toLabel} ${ZERO_ADDRESS_PROBLEM}`);
    }
  }
  if (problems.length > 0) throw new InputFileError(parameters.file, problems);
  return { parametersFile: parameters.file, totalSupply: parameters.totalSupply, genesisReceiver, escrow, lines };
}

/** The balance each recipient must hold right after the TGE: the sum of its lines. */
export function expectedBalances(plan: TgePlan): Map<string, bigint> {
  const expected = new Map<string, bigint>();
  for (const line of plan.lines) expected.set(line.to, (expected.get(line.to) ?? 0n) + line.amount);
  if (!expected.has(plan.genesisReceiver)) expected.set(plan.genesisReceiver, 0n);
  return expected;
}

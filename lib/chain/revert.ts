import { ErrorFragment, Interface, type InterfaceAbi } from "ethers";

/**
 * The revert data of a failed call, however the provider reported it: ethers' CALL_EXCEPTION (`data`), Hardhat's
 * in-process provider (`data` too), Hardhat's HTTP provider to a node (`data.data`, a JSON-RPC error's data object),
 * or an error wrapped in `info.error` or `error`. Undefined when the error carries none (the call did not revert).
 */
export function revertData(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const search = (value: unknown): string | undefined => {
    if (value === null || typeof value !== "object" || seen.has(value)) return undefined;
    seen.add(value);
    const found = value as { data?: unknown; info?: { error?: unknown }; error?: unknown };
    if (typeof found.data === "string" && found.data.startsWith("0x")) return found.data;
    return search(found.data) ?? search(found.info?.error) ?? search(found.error);
  };
  return search(error);
}

/** An interface that decodes custom errors (an ethers `Interface`, or a typechain contract's `interface`). */
export interface ErrorDecoder {
  parseError(data: string): { readonly name: string; readonly args?: ArrayLike<unknown> } | null;
}

/** The length of an error's selector in a revert's data: `0x` and 4 bytes. */
const SELECTOR_HEX_LENGTH = 10;

/** A decoded error argument as a person reads it: numbers in decimal, tuples and arrays in brackets. */
function formatArgument(value: unknown): string {
  if (typeof value === "bigint" || typeof value === "number" || typeof value === "boolean") return value.toString();
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(formatArgument).join(", ")}]`;
  if (value !== null && typeof value === "object" && typeof (value as { length?: unknown }).length === "number") {
    return formatArgument(Array.from(value as ArrayLike<unknown>));
  }
  return String(value);
}

/**
 * A revert's data as a person reads it: `Name(arg, …)` when `errors` decodes it (ethers' `Interface` also decodes
 * `Error(string)` and `Panic(uint256)`), otherwise the unknown selector, or that the revert gave no data.
 */
export function describeRevert(data: string, errors?: ErrorDecoder): string {
  if (data === "0x") return "no revert data";
  const decoded = errors?.parseError(data) ?? null;
  if (decoded === null) return `the unknown error ${data.slice(0, SELECTOR_HEX_LENGTH)}`;
  return `${decoded.name}(${Array.from(decoded.args ?? [], formatArgument).join(", ")})`;
}

/**
 * One decoder of the custom errors of all `abis` (each a contract's ABI, as an artifact holds it), every error once
 * by its signature: what a failed transaction to any of the project's contracts can revert with.
 */
export function errorDecoderOf(abis: Iterable<readonly unknown[]>): Interface {
  const errors = new Map<string, ErrorFragment>();
  for (const abi of abis) {
    for (const fragment of new Interface(abi as InterfaceAbi).fragments) {
      if (ErrorFragment.isFragment(fragment)) errors.set(fragment.format("sighash"), fragment);
    }
  }
  return new Interface([...errors.values()]);
}

/**
 * Whether `call` reverts with the custom error `name` of `errors` (decoded from the revert data). A call that goes
 * through gives false; a failure without revert data (a dropped connection) is thrown again.
 */
export async function revertsWith(call: () => Promise<unknown>, errors: ErrorDecoder, name: string): Promise<boolean> {
  try {
    await call();
    return false;
  } catch (error) {
    const data = revertData(error);
    if (data === undefined) throw error;
    return errors.parseError(data)?.name === name;
  }
}

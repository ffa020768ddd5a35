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
  parseError(data: string): { readonly name: string } | null;
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

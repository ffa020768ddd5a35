/** Awaits a promise that must reject and returns its error, or fails with a message saying it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  let resolved = false;
  try {
    await promise;
    resolved = true;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error value: ${String(error)}`);
  }
  if (resolved) throw new Error("expected a rejection, but the promise resolved");
  throw new Error("unreachable");
}

/** Awaits a promise that must reject and returns its error; fails if it resolves or rejects with a non-Error. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error value: ${String(error)}`);
  }
  throw new Error("expected a rejection, but the promise resolved");
}

/** Runs `body`, which must throw, and returns its error; fails if it returns or throws a non-Error. */
export function thrownBy(body: () => unknown): Error {
  try {
    body();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error value: ${String(error)}`);
  }
  throw new Error("expected an error, but none was thrown");
}

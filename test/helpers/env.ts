/** Reads an integer setting from the environment, so a failing run can be replayed or widened. */
export function integerFromEnv(name: string, fallback: number, minimum: number): number {
  const text = process.env[name]?.trim();
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value) || value < minimum) {
    throw new Error(`${name} must be an integer of at least ${minimum}, got "${text}"`);
  }
  return value;
}

/** fast-check's seed: fixed by default so that CI replays the same cases, another one with FC_SEED. */
export const FC_SEED = integerFromEnv("FC_SEED", 20250521, Number.MIN_SAFE_INTEGER);

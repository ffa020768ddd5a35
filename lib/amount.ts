/** SESH (and OXEN) have 9 decimals: one token is 10^9 atoms. */
export const SESH_DECIMALS = 9;
export const ATOMS_PER_SESH = 10n ** BigInt(SESH_DECIMALS);

/** 240,000,000 SESH: the whole supply, minted once at the TGE (SPEC 3.2). */
export const SESH_TOTAL_SUPPLY = 240_000_000n * ATOMS_PER_SESH;

/**
 * The bound on OXEN amounts, in atoms: 2^64 (18,446,744,073.709551616 OXEN), taken as the total OXEN supply. The
 * Oxen chain counts amounts in 64-bit atoms, so no burn on it, and not its whole supply, can be above 2^64 atoms
 * (the real supply is a small fraction of it). A burn, or an epoch's sum of burns, above it cannot come from the
 * Oxen chain: the claims builder rejects it, naming the row, before it can become a leaf that overflows `quote`.
 */
export const OXEN_SUPPLY_BOUND = 2n ** 64n;

const DECIMAL_AMOUNT = /^(\d+)(?:\.(\d+))?$/;

/** Why a text is not an amount of SESH, for an error message; `undefined` when it is one. */
export function seshAmountProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith("-")) return `"${text}" is negative`;
  const match = DECIMAL_AMOUNT.exec(trimmed);
  if (match === null) return `"${text}" is not a decimal number of SESH (write it like "63177550" or "0.5")`;
  const fraction = match[2] ?? "";
  if (fraction.replace(/0+$/, "").length > SESH_DECIMALS) {
    return `"${text}" is not a whole number of atoms (SESH has ${SESH_DECIMALS} decimals)`;
  }
  return undefined;
}

/** Parses a decimal amount of SESH ("63177550", "0.000000001") into atoms; throws on anything else. */
export function parseSesh(text: string): bigint {
  const problem = seshAmountProblem(text);
  if (problem !== undefined) throw new RangeError(problem);
  const [whole = "0", fraction = ""] = text.trim().split(".");
  const digits = fraction.replace(/0+$/, "").padEnd(SESH_DECIMALS, "0");
  return BigInt(whole) * ATOMS_PER_SESH + BigInt(digits);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export interface FormatOptions {
  /** Append " SESH" (default true). */
  readonly unit?: boolean;
}

/**
 * Formats atoms as SESH for people: thousands separated, trailing zero decimals dropped, exact to the atom
 * (240000000000000000n → "240,000,000 SESH", 1n → "0.000000001 SESH").
 */
export function formatSesh(atoms: bigint, options: FormatOptions = {}): string {
  const sign = atoms < 0n ? "-" : "";
  const magnitude = atoms < 0n ? -atoms : atoms;
  const whole = groupThousands((magnitude / ATOMS_PER_SESH).toString());
  const fraction = (magnitude % ATOMS_PER_SESH).toString().padStart(SESH_DECIMALS, "0").replace(/0+$/, "");
  const number = `${sign}${whole}${fraction === "" ? "" : `.${fraction}`}`;
  return options.unit === false ? number : `${number} SESH`;
}

/** Formats an integer with thousands separators (gas figures, counts). */
export function formatInteger(value: bigint | number): string {
  const text = BigInt(value).toString();
  return text.startsWith("-") ? `-${groupThousands(text.slice(1))}` : groupThousands(text);
}

/** Formats OXEN atoms for people: OXEN has the same 9 decimals as SESH ("15,000 OXEN"). */
export function formatOxen(atoms: bigint): string {
  return `${formatSesh(atoms, { unit: false })} OXEN`;
}

/** The sum of amounts in atoms (0 for none). */
export function sumAmounts(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { parametersFileFor } from "../../deploy/tge";

/** The raw shape of a TGE parameter file, loose enough to write broken ones. */
export interface RawTgeParameters {
  description?: string;
  network: string;
  accounts: Record<string, number | string | null>;
  escrow: string;
  allocations: {
    name: string;
    amount: string;
    recipient: Record<string, unknown>;
    funds: string;
    lockup: string;
  }[];
}

/** The committed parameter file of a network, as raw JSON to mutate. */
export function rawTgeParameters(network = "hardhat"): RawTgeParameters {
  return JSON.parse(readFileSync(parametersFileFor(network), "utf8")) as RawTgeParameters;
}

let folder: string | undefined;

/** Writes a parameter file to a temporary folder and returns its path. */
export function writeTgeParameters(name: string, content: RawTgeParameters | string): string {
  folder ??= mkdtempSync(path.join(os.tmpdir(), "tge-parameters-"));
  const file = path.join(folder, `${name}.json`);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return file;
}

/** An allocation line of the raw table; throws if the row does not exist, so a broken test says so. */
export function lineOf(raw: RawTgeParameters, row: number): RawTgeParameters["allocations"][number] {
  const line = raw.allocations[row];
  if (line === undefined) throw new Error(`the table has no row ${row}`);
  return line;
}

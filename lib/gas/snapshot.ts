import { readFileSync, writeFileSync } from "node:fs";

import { z } from "zod";

import { formatInteger } from "../amount";
import { describeZodIssues, InputFileError } from "../errors";

/** A named gas figure of a hot path, in gas units. */
export type GasSnapshot = Readonly<Record<string, number>>;

/** A figure may move by this percentage of its recorded value before `gas:check` fails. */
export const GAS_TOLERANCE_PERCENT = 1;

const snapshotSchema = z.record(z.string().min(1), z.int().positive());

export function readGasSnapshot(file: string): GasSnapshot {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new InputFileError(file, [
      `cannot be read as JSON: ${(error as Error).message} (run \`npm run gas\` to record it)`,
    ]);
  }
  const parsed = snapshotSchema.safeParse(raw);
  if (!parsed.success) throw new InputFileError(file, describeZodIssues(parsed.error));
  return parsed.data;
}

/** Writes a snapshot with its names sorted, so that a change shows as a small diff. */
export function writeGasSnapshot(file: string, snapshot: GasSnapshot): void {
  const sorted = Object.fromEntries(Object.entries(snapshot).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
}

export interface GasComparison {
  readonly name: string;
  readonly recorded?: number;
  readonly measured?: number;
  /** measured / recorded, when both exist. */
  readonly ratio?: number;
  readonly ok: boolean;
}

/** Compares measured figures with the recorded snapshot: each must exist in both and move by at most the tolerance. */
export function compareGas(
  recorded: GasSnapshot,
  measured: GasSnapshot,
  tolerancePercent = GAS_TOLERANCE_PERCENT,
): GasComparison[] {
  const names = [...new Set([...Object.keys(recorded), ...Object.keys(measured)])].sort((a, b) => a.localeCompare(b));
  return names.map((name) => {
    const old = recorded[name];
    const now = measured[name];
    if (old === undefined || now === undefined) {
      return {
        name,
        ...(old === undefined ? {} : { recorded: old }),
        ...(now === undefined ? {} : { measured: now }),
        ok: false,
      };
    }
    const ratio = now / old;
    // Compared in integers: a figure exactly 1 % away passes, whatever the floating-point ratio rounds to.
    return { name, recorded: old, measured: now, ratio, ok: Math.abs(now - old) * 100 <= old * tolerancePercent };
  });
}

/** The comparison as a Markdown table, with old, new and the ratio of each figure. */
export function gasComparisonTable(rows: readonly GasComparison[]): string {
  const lines = ["| hot path | recorded | measured | ratio | check |", "| --- | ---: | ---: | ---: | --- |"];
  for (const row of rows) {
    const status = row.ok
      ? "ok"
      : row.recorded === undefined
        ? "FAILED: not in the snapshot"
        : row.measured === undefined
          ? "FAILED: no longer measured"
          : `FAILED: moved more than ${GAS_TOLERANCE_PERCENT} %`;
    lines.push(
      `| ${row.name} | ${row.recorded === undefined ? "—" : formatInteger(row.recorded)} | ` +
        `${row.measured === undefined ? "—" : formatInteger(row.measured)} | ` +
        `${row.ratio === undefined ? "—" : row.ratio.toFixed(4)} | ${status} |`,
    );
  }
  return lines.join("\n");
}

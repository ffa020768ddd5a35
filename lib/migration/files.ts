import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { z } from "zod";

import { InputFileError } from "../errors";

import { loadSnapshot } from "../snapshot/load";
import { planMigration, PLAN_FORMAT, type MigrationPlan, type PlanOptions } from "./plan";
import { planToJson, planToMarkdown } from "./report";

export interface PlanFiles {
  readonly plan: MigrationPlan;
  readonly json: string;
  readonly markdown: string;
}

/**
 * Reads and validates a snapshot file, plans the migration and writes `plan.json` and `plan.md` into `outDir`.
 * A bad snapshot throws an InputFileError naming every bad row, and nothing is written.
 */
export function planMigrationFiles(snapshotFile: string, outDir: string, options: PlanOptions = {}): PlanFiles {
  const plan = planMigration(loadSnapshot(snapshotFile), options);
  const json = path.join(outDir, "plan.json");
  const markdown = path.join(outDir, "plan.md");
  const jsonText = planToJson(plan);
  const markdownText = planToMarkdown(plan);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(json, jsonText);
  writeFileSync(markdown, markdownText);
  return { plan, json, markdown };
}

/** SESH atoms written as a decimal string, as plan.json writes them. */
const atoms = z.string().regex(/^(0|[1-9][0-9]*)$/, "expected a whole number of atoms as a decimal string");

/** The part of plan.json the TGE reads: the format, the bonus pool and the conversions. */
const planTotalsSchema = z.object({
  format: z.literal(PLAN_FORMAT),
  parameters: z.object({ bonusPool: atoms }),
  totals: z.object({ converted: atoms }),
});

/** What the TGE takes from a migration plan: what it converts and the bonus pool it was planned with. */
export interface PlanFunding {
  readonly file: string;
  /** SESH atoms of stakes and unpaid rewards converted at 0.54 (out of the Oxen Coin Claims line). */
  readonly converted: bigint;
  /** SESH atoms of the bonus pool (the Service Node Bonus line). */
  readonly bonusPool: bigint;
}

/**
 * Reads the conversions and the bonus pool of a plan.json that `npx hardhat plan-migration` wrote. Throws an
 * {@link InputFileError} naming each bad field, or saying the file is not JSON.
 */
export function readPlanFunding(file: string): PlanFunding {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    if (error instanceof SyntaxError) throw new InputFileError(file, [`not JSON: ${error.message}`]);
    throw error;
  }
  const parsed = planTotalsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputFileError(
      file,
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "(file)"}: ${issue.message}`),
    );
  }
  return {
    file,
    converted: BigInt(parsed.data.totals.converted),
    bonusPool: BigInt(parsed.data.parameters.bonusPool),
  };
}

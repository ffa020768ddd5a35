import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { loadSnapshot } from "../snapshot/load";
import { planMigration, type MigrationPlan, type PlanOptions } from "./plan";
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

import { accessSync, constants, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

import { formatInteger } from "../amount";
import { PreconditionError } from "../errors";
import { markdownTable } from "../markdown";

// The rehearsal's report: one JSON file for machines and one Markdown file for people, per run, named by the run's
// start (reports/rehearsal-<timestamp>.json and .md), with the charts the Markdown embeds as SVG files beside them.

/** A transaction the rehearsal sent, for the report. */
export interface ReportTransaction {
  readonly label: string;
  readonly hash: string;
  readonly gasUsed: bigint;
}

/** A check of the rehearsal: a property the launch must have. */
export interface ReportCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** One phase of the launch as the rehearsal played it. */
export interface ReportPhase {
  readonly name: string;
  /** What happened, in order, one sentence each. */
  readonly events: readonly string[];
  readonly transactions: readonly ReportTransaction[];
  /** Markdown sections of the phase (tables), in order; one titled "" brings its own headings. */
  readonly sections: readonly { readonly title: string; readonly markdown: string }[];
  readonly checks: readonly ReportCheck[];
  /** Wall-clock seconds the phase took, when measured. */
  readonly seconds?: number;
}

/** A chart the Markdown embeds, written as `<report name>-<name>.svg`. */
export interface ReportChart {
  readonly name: string;
  readonly title: string;
  readonly svg: string;
}

export interface RehearsalReport {
  readonly startedAt: Date;
  readonly network: string;
  readonly chainId: number;
  readonly phases: readonly ReportPhase[];
  readonly charts: readonly ReportChart[];
}

/** Whether every check of every phase passed. */
export function reportPassed(report: RehearsalReport): boolean {
  return report.phases.every((phase) => phase.checks.every((check) => check.ok));
}

/** The report's base name: `rehearsal-` and the start in UTC, safe in a file name (`2025-05-14T00-00-00Z`). */
export function reportName(startedAt: Date): string {
  return `rehearsal-${startedAt
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replaceAll(":", "-")}`;
}

function totalGas(transactions: readonly ReportTransaction[]): bigint {
  return transactions.reduce((sum, tx) => sum + tx.gasUsed, 0n);
}

/** Seconds are written to the millisecond. */
const SECONDS_DECIMALS = 3;

/** The report as JSON (bigints as decimal strings). */
export function reportToJson(report: RehearsalReport): string {
  const json = {
    format: "session-rehearsal-report/1",
    startedAt: report.startedAt.toISOString(),
    network: report.network,
    chainId: report.chainId,
    passed: reportPassed(report),
    phases: report.phases.map((phase) => ({
      name: phase.name,
      events: phase.events,
      transactions: phase.transactions.map((tx) => ({ ...tx, gasUsed: tx.gasUsed.toString() })),
      gasUsed: totalGas(phase.transactions).toString(),
      checks: phase.checks,
      ...(phase.seconds === undefined ? {} : { seconds: Number(phase.seconds.toFixed(SECONDS_DECIMALS)) }),
    })),
    charts: report.charts.map((chart) => ({ name: chart.name, title: chart.title })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** The report as Markdown: a summary, then each phase's events, sections, charts and checks. */
export function reportToMarkdown(report: RehearsalReport, name = reportName(report.startedAt)): string {
  const passed = reportPassed(report);
  const checks = report.phases.flatMap((phase) => phase.checks);
  const failed = checks.filter((check) => !check.ok).length;
  const lines = [
    "# Session Network launch rehearsal",
    "",
    `Started ${report.startedAt.toISOString().replace(/\.\d{3}Z$/, "Z")} on network ${report.network} ` +
      `(chain id ${report.chainId}). **${passed ? `Passed: ${checks.length} of ${checks.length} checks` : `FAILED: ${failed} of ${checks.length} checks`}.**`,
    "",
    markdownTable(
      ["phase", "transactions", "gas", "seconds", "checks"],
      ["l", "r", "r", "r", "l"],
      report.phases.map((phase) => [
        phase.name,
        formatInteger(phase.transactions.length),
        formatInteger(totalGas(phase.transactions)),
        phase.seconds === undefined ? "" : phase.seconds.toFixed(1),
        `${phase.checks.filter((check) => check.ok).length} of ${phase.checks.length} passed`,
      ]),
    ),
  ];
  // A chart a phase's section shows already is not repeated under the summary.
  const shown = report.phases.flatMap((phase) => phase.sections.map((section) => section.markdown)).join("\n");
  for (const chart of report.charts) {
    const file = `${name}-${chart.name}.svg`;
    if (!shown.includes(`(${file})`)) lines.push("", `![${chart.title}](${file})`);
  }
  for (const phase of report.phases) {
    lines.push("", `## ${phase.name}`);
    if (phase.events.length > 0) lines.push("", ...phase.events.map((event) => `- ${event}`));
    // A section without a title brings its own headings.
    for (const section of phase.sections) {
      lines.push(...(section.title === "" ? [""] : ["", `### ${section.title}`, ""]), section.markdown);
    }
    lines.push("", "### Checks", "");
    lines.push(...phase.checks.map((check) => `- ${check.ok ? "ok" : "**FAILED**"}: ${check.name} (${check.detail})`));
    if (phase.transactions.length > 0) {
      lines.push(
        "",
        "### Transactions",
        "",
        markdownTable(
          ["#", "transaction", "hash", "gas"],
          ["r", "l", "l", "r"],
          phase.transactions.map((tx, index) => [
            String(index + 1),
            tx.label,
            `\`${tx.hash.slice(0, 10)}…\``,
            formatInteger(tx.gasUsed),
          ]),
        ),
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Checks, before the rehearsal sends anything, that the reports can be written to `dir`: it is a folder that can be
 * written to, or it can be created.
 */
export function checkReportDir(dir: string): void {
  let existing = path.resolve(dir);
  while (!pathExists(existing)) existing = path.dirname(existing);
  if (!statSync(existing).isDirectory()) {
    throw new PreconditionError(`--report ${dir}: ${existing} is a file, not a folder`);
  }
  try {
    accessSync(existing, constants.W_OK);
  } catch {
    throw new PreconditionError(`--report ${dir}: ${existing} cannot be written to`);
  }
}

function pathExists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

/** The files of a report written by {@link writeReport}. */
export interface WrittenReport {
  readonly json: string;
  readonly markdown: string;
  readonly charts: readonly string[];
}

/**
 * Writes the report's JSON, Markdown and charts into `dir` (created if needed). Each file is written under a
 * temporary name and renamed when all are written, so that the folder never holds part of a report: a failure
 * removes what this call wrote.
 */
export function writeReport(dir: string, report: RehearsalReport): WrittenReport {
  const name = reportName(report.startedAt);
  const files: [string, string][] = [
    ...report.charts.map((chart): [string, string] => [path.join(dir, `${name}-${chart.name}.svg`), chart.svg]),
    [path.join(dir, `${name}.json`), reportToJson(report)],
    [path.join(dir, `${name}.md`), reportToMarkdown(report, name)],
  ];
  mkdirSync(dir, { recursive: true });
  const temporary = files.map(([file]) => `${file}.partial`);
  const renamed: string[] = [];
  try {
    files.forEach(([, content], index) => {
      writeFileSync(temporary[index] ?? "", content);
    });
    files.forEach(([file], index) => {
      renameSync(temporary[index] ?? "", file);
      renamed.push(file);
    });
  } catch (error) {
    for (const file of [...temporary, ...renamed]) rmSync(file, { force: true });
    throw error;
  }
  const [json, markdown] = files.slice(-2).map(([file]) => file);
  return {
    json: json ?? "",
    markdown: markdown ?? "",
    charts: files.slice(0, -2).map(([file]) => file),
  };
}

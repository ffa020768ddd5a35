// Benchmark of the migration planner: plans generated Anchor snapshots of Oxen's real size (2,000 nodes) and of
// ten times that (20,000 nodes, 100,000 wallets), each in a fresh child process so that its peak memory is its
// own. Goal (issue 5): the large one under 2 s and under 1 GiB. Run: npm run bench:planner
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { formatInteger } from "../lib/amount";
import { planMigration } from "../lib/migration/plan";
import { parseSnapshot } from "../lib/snapshot/load";
import { generateSnapshot } from "../lib/snapshot/generate";

const SIZES = [
  { nodes: 2_000, wallets: 10_000 },
  { nodes: 20_000, wallets: 100_000 },
] as const;
const SEED = "bench-planner";
const MIB = 1024 * 1024;
const GOAL_SECONDS = 2;
const GOAL_MIB = 1024;

interface Measurement {
  readonly loadSeconds: number;
  readonly planSeconds: number;
  readonly peakMiB: number;
  readonly restaked: number;
  readonly disbanded: number;
  readonly batches: number;
}

/** In the child: load and plan one snapshot file, print the measurement as JSON. */
function measure(file: string): void {
  const started = performance.now();
  const snapshot = parseSnapshot(readFileSync(file, "utf8"), file);
  const loaded = performance.now();
  const plan = planMigration(snapshot);
  const planned = performance.now();
  const result: Measurement = {
    loadSeconds: (loaded - started) / 1000,
    planSeconds: (planned - loaded) / 1000,
    // maxRSS is in kilobytes.
    peakMiB: (process.resourceUsage().maxRSS * 1024) / MIB,
    restaked: plan.totals.restakedNodes,
    disbanded: plan.totals.disbandedNodes,
    batches: plan.seedBatches.length,
  };
  process.stdout.write(JSON.stringify(result));
}

function main(): void {
  const childFile = process.argv[process.argv.indexOf("--child") + 1];
  if (process.argv.includes("--child") && childFile !== undefined) {
    measure(childFile);
    return;
  }
  const folder = mkdtempSync(path.join(os.tmpdir(), "bench-planner-"));
  const rows: string[] = [
    "| nodes | wallets | snapshot | load + validate | plan | total | peak memory | re-staked | disbanded | batches |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  let met = true;
  for (const size of SIZES) {
    process.stdout.write(`generating ${formatInteger(size.nodes)} nodes and ${formatInteger(size.wallets)} wallets … `);
    const file = path.join(folder, `snapshot-${size.nodes}.json`);
    writeFileSync(file, JSON.stringify(generateSnapshot({ seed: SEED, ...size })));
    const megabytes = statSync(file).size / MIB;
    process.stdout.write(`${megabytes.toFixed(1)} MiB; planning … `);
    const output = execFileSync(process.execPath, [...process.execArgv, __filename, "--child", file], {
      encoding: "utf8",
      maxBuffer: 16 * MIB,
    });
    const result = JSON.parse(output) as Measurement;
    const total = result.loadSeconds + result.planSeconds;
    process.stdout.write(`${total.toFixed(2)} s\n`);
    if (size.nodes === SIZES[SIZES.length - 1]?.nodes) met = total < GOAL_SECONDS && result.peakMiB < GOAL_MIB;
    rows.push(
      `| ${formatInteger(size.nodes)} | ${formatInteger(size.wallets)} | ${megabytes.toFixed(1)} MiB | ` +
        `${result.loadSeconds.toFixed(2)} s | ${result.planSeconds.toFixed(2)} s | ${total.toFixed(2)} s | ` +
        `${result.peakMiB.toFixed(0)} MiB | ${formatInteger(result.restaked)} | ${formatInteger(result.disbanded)} | ` +
        `${formatInteger(result.batches)} |`,
    );
  }
  console.log(`\n${rows.join("\n")}\n`);
  const verdict = benchVerdict(met);
  console.log(verdict.message);
  process.exitCode = verdict.exitCode;
}

/** What the benchmark says at the end, and its exit status: 1 when the goal is missed, so that a script can tell. */
export function benchVerdict(met: boolean): { readonly message: string; readonly exitCode: number } {
  return met
    ? { message: `goal met: the large snapshot plans in under ${GOAL_SECONDS} s and ${GOAL_MIB} MiB`, exitCode: 0 }
    : { message: `goal missed: the large snapshot needs ${GOAL_SECONDS} s and ${GOAL_MIB} MiB at most`, exitCode: 1 };
}

if (require.main === module) main();

import { spawn, spawnSync } from "node:child_process";
import path from "node:path";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How Hardhat decides whether it runs on a CI server: a Linux machine without DISPLAY is one (ci-detection.ts). */
export type Display = "headless" | "display";

/** This process's environment with `display` set (see {@link Display}) and `extraEnv` added. */
function environmentOf(display: Display, extraEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  delete env.WAYLAND_DISPLAY;
  if (display === "headless") delete env.DISPLAY;
  else env.DISPLAY = ":0";
  return env;
}

/**
 * Runs `npx hardhat …args` in the project as a person would, with `DISPLAY` unset (a server, a container, CI) or
 * set (a desktop), and the extra environment given.
 */
export function runHardhat(args: readonly string[], display: Display, extraEnv: NodeJS.ProcessEnv = {}): CliRun {
  const env = environmentOf(display, extraEnv);
  const run = spawnSync("npx", ["hardhat", ...args], { cwd: PROJECT_ROOT, encoding: "utf8", env });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/**
 * {@link runHardhat} without blocking this process's event loop: needed while this process reads a child of its own
 * (a node it started and whose log it drains), which would otherwise block on a full pipe and stall the run.
 */
export function runHardhatAsync(
  args: readonly string[],
  display: Display,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  const env = environmentOf(display, extraEnv);
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["hardhat", ...args], { cwd: PROJECT_ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (status) => {
      resolve({ status, stdout, stderr });
    });
  });
}

/** How many times `text` occurs in `haystack`. */
export function occurrences(haystack: string, text: string): number {
  return haystack.split(text).length - 1;
}

/** Lines of a stack trace ("    at f (file.ts:1:2)"). */
export function stackLines(output: string): string[] {
  return output.split("\n").filter((line) => /^\s+at /.test(line));
}

import { HardhatError } from "hardhat/internal/core/errors";
import { ERRORS } from "hardhat/internal/core/errors-list";
import type { HardhatRuntimeEnvironment, RunTaskFunction } from "hardhat/types";

import { InputFileError, PreconditionError, TransactionFailedError } from "../lib/errors";

export const PLUGIN_NAME = "session-launch";

/** A task argument with a value the task cannot use; the message names the argument (`--gas-budget`) and the value. */
export class ArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArgumentError";
  }
}

/** A task that ran and found something wrong (a failed check); the message says what, the output above says more. */
export class TaskFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TaskFailedError";
  }
}

/** Errors a person acts on by fixing an input or the environment: printed without a stack trace. */
export function isReadableError(error: unknown): error is Error {
  return (
    error instanceof InputFileError ||
    error instanceof PreconditionError ||
    error instanceof ArgumentError ||
    error instanceof TaskFailedError ||
    error instanceof TransactionFailedError
  );
}

/** Node's file-system errors carry a code and the path they are about. */
interface SystemError extends Error {
  readonly code: string;
  readonly path?: string;
  readonly syscall?: string;
}

const FILE_SYSTEM_CODES: Readonly<Record<string, string>> = {
  ENOENT: "does not exist",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "is a folder, not a file",
  EEXIST: "already exists",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOTEMPTY: "is a folder that is not empty",
  EROFS: "is on a read-only file system",
};

function isFileSystemError(error: unknown): error is SystemError {
  return (
    error instanceof Error &&
    typeof (error as Partial<SystemError>).code === "string" &&
    typeof (error as Partial<SystemError>).path === "string" &&
    Object.hasOwn(FILE_SYSTEM_CODES, (error as SystemError).code)
  );
}

/**
 * Runs a task body. Errors a person can act on (bad input files, refused preconditions, bad arguments, and a file
 * or folder that cannot be read or written, which becomes a {@link PreconditionError} naming the path) leave it
 * unchanged in type, so that a caller of `hre.run` can catch them; when the task is the command Hardhat was started
 * with, {@link installErrorReporting} prints them once, without a stack trace, and exits with status 1.
 */
export async function withReadableErrors<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (isFileSystemError(error)) {
      const what = FILE_SYSTEM_CODES[error.code] ?? error.code;
      throw new PreconditionError(`cannot ${error.syscall ?? "use"} ${error.path}: ${what} (${error.code})`);
    }
    throw error;
  }
}

/** Writes a readable error to standard error, once: `Error: <message>`. */
export function printReadableError(error: Error): void {
  process.stderr.write(`Error: ${error.message}\n`);
}

/** Whether this process is the `hardhat` command (`npx hardhat …`), not a script that loads Hardhat as a library. */
export function startedByHardhatCli(): boolean {
  return /[\\/]hardhat[\\/]internal[\\/]cli[\\/](bootstrap|cli)\.[jt]s$/.test(require.main?.filename ?? "");
}

/** How each local network is started, for the message of a network that does not answer. */
const STARTED_BY: Readonly<Record<string, string>> = {
  localhost: "`npx hardhat node`",
  anvil: "`npm run anvil` (or set ANVIL_RPC_URL to where anvil runs)",
};

/**
 * Hardhat's "cannot connect to the network" (HH108, which it prints with a stack trace) as a readable error naming
 * the network, its URL and what starts it; undefined for any other error.
 */
export function unreachableNetworkError(hre: HardhatRuntimeEnvironment, error: unknown): PreconditionError | undefined {
  if (!HardhatError.isHardhatErrorType(error, ERRORS.NETWORK.NODE_IS_NOT_RUNNING)) return undefined;
  const { name, config } = hre.network;
  const url = "url" in config ? ` at ${config.url}` : "";
  const start = STARTED_BY[name];
  return new PreconditionError(
    `the network ${name} does not answer${url}: ` +
      (start === undefined ? "check its URL and the connection" : `start it first with ${start}`),
  );
}

/** Set by {@link installErrorReporting}: how many `hre.run` calls are in progress (1 = the command's own task). */
let runDepth = 0;

/**
 * Why this is needed: on a machine Hardhat takes for a CI server, which includes every Linux machine with no
 * `DISPLAY` (a server, a container), Hardhat prints every error of a task with its stack trace and its cause after
 * the message (hardhat/internal/cli/cli.ts, `SHOULD_SHOW_STACK_TRACES_BY_DEFAULT`): our one-line messages came out
 * three times. So the run of the command's own task (the outermost `hre.run`) catches the readable errors itself,
 * prints the message once to standard error, and sets the exit status to 1; Hardhat then exits with it. Nested
 * runs (a task run by a test or another task) still throw, so their callers see the error. `--show-stack-traces`
 * keeps Hardhat's own output.
 *
 * `startupProblem` is an error found while the environment was built (a live network without its key): it is
 * raised by the command's task instead, so that it is printed the same way.
 */
export function installErrorReporting(hre: HardhatRuntimeEnvironment, startupProblem?: Error): void {
  // A script that loads Hardhat as a library (`hardhat run`, ts-node) keeps the usual behaviour: errors throw.
  if (!startedByHardhatCli()) {
    if (startupProblem !== undefined) throw startupProblem;
    return;
  }
  const run = hre.run;
  const reportingRun = async (...args: Parameters<RunTaskFunction>): Promise<unknown> => {
    runDepth += 1;
    try {
      if (startupProblem !== undefined && runDepth === 1) throw startupProblem;
      return await run(...args);
    } catch (thrown) {
      const error = unreachableNetworkError(hre, thrown) ?? thrown;
      if (runDepth !== 1 || !isReadableError(error) || hre.hardhatArguments.showStackTraces) throw thrown;
      printReadableError(error);
      process.exitCode = 1;
      return undefined;
    } finally {
      runDepth -= 1;
    }
  };
  (hre as { run: RunTaskFunction }).run = reportingRun as RunTaskFunction;
}

import type { z } from "zod";

/**
 * An input file that failed validation. `problems` lists every problem found, each naming the field
 * (and the row, where the file has rows) so that a person can fix the file in one go.
 */
export class InputFileError extends Error {
  readonly file: string;
  readonly problems: readonly string[];

  constructor(file: string, problems: readonly string[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(`${file} is invalid (${count}):\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "InputFileError";
    this.file = file;
    this.problems = problems;
  }
}

/** Writes a zod issue path the way a person reads it: `allocations[3].amount`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else text += text === "" ? String(key) : `.${String(key)}`;
  }
  return text === "" ? "(file)" : text;
}

/** One line per zod issue, each prefixed with its path. */
export function describeZodIssues(error: z.ZodError, describePath = formatIssuePath): string[] {
  return error.issues.map((issue) => `${describePath(issue.path)}: ${issue.message}`);
}

/** A state of the chain or the environment that a step refuses to run in; the message says what to do. */
export class PreconditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PreconditionError";
  }
}

/**
 * A transaction of a run that the chain refused (its gas estimate reverted: nothing was sent) or that reverted once
 * mined. The message names the transaction, its sender and contract, and the custom error where it could be decoded.
 */
export class TransactionFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TransactionFailedError";
  }
}

import { statSync } from "node:fs";
import path from "node:path";

import type { CLIArgumentType } from "hardhat/types";

import { ArgumentError } from "./errors";

/**
 * Typed task parameters, like Hardhat's own `types.inputFile` or `types.bigint`, whose bad values are reported the
 * way every other input error of the tasks is: once, without a stack trace (see `installErrorReporting`).
 * Hardhat's own types throw from the command-line parser, before any task runs, and so print their error twice
 * with a stack trace on a machine without a display. These parse leniently and check in `validate`, which Hardhat
 * calls when the task is run, from the command line or from `hre.run`.
 */

/** The command-line spelling of a parameter: `gasBudget` → `--gas-budget`. */
export function optionName(parameter: string): string {
  return `--${parameter.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

function kindOf(file: string): "file" | "folder" | "other" | "missing" {
  try {
    const stats = statSync(file);
    return stats.isFile() ? "file" : stats.isDirectory() ? "folder" : "other";
  } catch {
    return "missing";
  }
}

function requireString(parameter: string, value: unknown): string {
  if (typeof value !== "string" || value === "") {
    throw new ArgumentError(
      `${optionName(parameter)} must be a path, got ${typeof value === "string" ? JSON.stringify(value) : String(value)}`,
    );
  }
  return value;
}

/** An existing, readable file (Hardhat's `types.inputFile`). */
export const inputFile: CLIArgumentType<string> = {
  name: "inputFile",
  parse: (_parameter, text) => text,
  validate(parameter, value: unknown) {
    const file = requireString(parameter, value);
    const kind = kindOf(file);
    if (kind === "missing") throw new ArgumentError(`${optionName(parameter)}: ${file} does not exist`);
    if (kind !== "file") throw new ArgumentError(`${optionName(parameter)}: ${file} is a ${kind}, not a file`);
  },
};

/** A file to write: its folder must exist, and it must not be a folder itself. */
export const outputFile: CLIArgumentType<string> = {
  name: "outputFile",
  parse: (_parameter, text) => text,
  validate(parameter, value: unknown) {
    const file = requireString(parameter, value);
    const folder = path.dirname(path.resolve(file));
    const folderKind = kindOf(folder);
    if (folderKind !== "folder") {
      throw new ArgumentError(
        `${optionName(parameter)}: cannot write ${file}: its folder ${folder} ` +
          (folderKind === "missing" ? "does not exist (create it first)" : "is not a folder"),
      );
    }
    if (kindOf(file) === "folder") throw new ArgumentError(`${optionName(parameter)}: ${file} is a folder, not a file`);
  },
};

/** A folder to write into: created when missing, refused when it is a file. */
export const outputFolder: CLIArgumentType<string> = {
  name: "outputFolder",
  parse: (_parameter, text) => text,
  validate(parameter, value: unknown) {
    const folder = requireString(parameter, value);
    const kind = kindOf(folder);
    if (kind !== "missing" && kind !== "folder") {
      throw new ArgumentError(`${optionName(parameter)}: ${folder} is a ${kind}, not a folder`);
    }
  },
};

/** A whole number above 0, as a bigint (Hardhat's `types.bigint`, without 0). */
export const positiveInteger: CLIArgumentType<bigint> = {
  name: "positiveInteger",
  // A value that is not a whole number stays text, for `validate` to name it.
  parse: (_parameter, text) => (/^\d+$/.test(text) ? BigInt(text) : (text as unknown as bigint)),
  validate(parameter, value: unknown) {
    if (typeof value !== "bigint" || value <= 0n) {
      const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
      throw new ArgumentError(`${optionName(parameter)} must be a positive whole number, got ${shown}`);
    }
  },
};

/**
 * An address argument, checked when the task runs (the schema loads lazily, as every task's imports do) and
 * returned checksummed; a bad one is an {@link ArgumentError} naming the option.
 */
export async function addressArgument(name: string, value: string): Promise<string> {
  const { addressProblem, checksumAddress } = await import("../lib/schema");
  const problem = addressProblem(value);
  if (problem !== undefined) throw new ArgumentError(`--${name} ${JSON.stringify(value)} ${problem}`);
  return checksumAddress(value);
}

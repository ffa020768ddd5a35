import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

import { PreconditionError } from "./errors";

/**
 * The leaf both Merkle contracts verify (OxenClaimsBridge, MerkleDistributor): `abi.encode(uint256 index,
 * address account, uint256 amount)`, hashed as @openzeppelin/merkle-tree's StandardMerkleTree does.
 */
export const LEAF_ENCODING = ["uint256", "address", "uint256"] as const;

/** A leaf as the tree stores it: decimal strings for the numbers, so that the tree's dump is plain JSON. */
export type LeafValue = [index: string, account: string, amount: string];

/** The largest amount a leaf can encode (`uint256`). */
export const MAX_LEAF_AMOUNT = 2n ** 256n - 1n;

/** Writes `value` as indented JSON with a final newline (tree dumps and proof files). */
export function writeJsonFile(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

export interface OutputFolderOptions {
  /** Replace the content of a folder that is not empty (the whole folder is swapped, never merged). */
  readonly force?: boolean;
}

function fsMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `undefined` when nothing is at `file`; throws a {@link PreconditionError} when a part of the path is a file. */
function statOf(file: string, label: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ENOTDIR") {
      throw new PreconditionError(`${label} ${file}: a part of this path is a file, not a folder; give a folder path`);
    }
    throw new PreconditionError(`${label} ${file}: cannot be read (${fsMessage(error)})`);
  }
}

/**
 * Checks that `outDirectory` can take a builder's output: it is missing, or an empty folder, or (with `force`) a
 * folder whose content is to be replaced. Throws a {@link PreconditionError} saying what to do otherwise: a file
 * is never a folder, and a folder with files would mix old proofs (of another root) with the new ones.
 */
export function checkOutputFolder(outDirectory: string, options: OutputFolderOptions = {}, label = "--out"): void {
  const stats = statOf(outDirectory, label);
  if (stats === undefined) return;
  if (!stats.isDirectory()) {
    throw new PreconditionError(`${label} ${outDirectory} is a file, not a folder: give a folder (created if missing)`);
  }
  const entries = readdirSync(outDirectory).sort();
  if (entries.length > 0 && options.force !== true) {
    const shown = entries.slice(0, 3).join(", ");
    throw new PreconditionError(
      `${label} ${outDirectory} is not empty (${entries.length} entr${entries.length === 1 ? "y" : "ies"}: ` +
        `${shown}${entries.length > 3 ? ", …" : ""}); its files would sit beside the new ones. Give an empty or ` +
        "new folder, or add --force to replace its whole content",
    );
  }
}

/**
 * Writes a builder's output folder in one step: checks it with {@link checkOutputFolder}, lets `write` fill a new
 * temporary sibling folder, then swaps that folder in (the old one, if any, is renamed away and removed). A failure
 * while writing leaves `outDirectory` as it was; readers never see a mix of old and new files.
 */
export function writeOutputFolder<T>(
  outDirectory: string,
  options: OutputFolderOptions,
  write: (directory: string) => T,
): T {
  checkOutputFolder(outDirectory, options);
  const out = path.resolve(outDirectory);
  const parent = path.dirname(out);
  const base = path.basename(out);
  // mkdirSync, not mkdtempSync: the folder keeps the usual permissions (0777 less the umask), not 0700.
  const suffix = randomBytes(6).toString("hex");
  const staging = path.join(parent, `.${base}.new-${suffix}`);
  const retired = path.join(parent, `.${base}.old-${suffix}`);
  try {
    mkdirSync(parent, { recursive: true });
    mkdirSync(staging);
  } catch (error) {
    throw new PreconditionError(`--out ${outDirectory}: cannot create a folder beside it (${fsMessage(error)})`);
  }
  let result: T;
  try {
    result = write(staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const existed = statOf(out, "--out") !== undefined;
  try {
    if (existed) renameSync(out, retired);
    try {
      renameSync(staging, out);
    } catch (error) {
      if (existed) renameSync(retired, out);
      throw error;
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new PreconditionError(`--out ${outDirectory}: cannot move the new files into place (${fsMessage(error)})`);
  }
  if (existed) rmSync(retired, { recursive: true, force: true });
  return result;
}

import { mkdirSync } from "node:fs";
import path from "node:path";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { z } from "zod";

import { formatOxen, OXEN_SUPPLY_BOUND, sumAmounts } from "../amount";
import { describeZodIssues, formatIssuePath, InputFileError, PreconditionError } from "../errors";
import {
  checkOutputFolder,
  LEAF_ENCODING,
  type LeafValue,
  MAX_LEAF_AMOUNT,
  type OutputFolderOptions,
  writeJsonFile,
  writeOutputFolder,
} from "../merkle";
import { atoms, parseJsonText, readInputFile, recipientAddress, utcDate } from "../schema";

/**
 * Epochs of the Oxen claims bridge (SPEC 3.6): a burn list recorded on the Oxen chain becomes a StandardMerkleTree
 * over leaves `[index, recipient, oxenAmount]`, which the owner publishes with `addEpoch(root, totalOxen)`; each
 * recipient gets a proof file for every leaf of theirs.
 *
 * Each bridge epoch has its own claimed bitmap, so a burn published in two epochs could be claimed twice. The
 * builder makes that impossible by construction: it reads the folders of the epochs built before (each records its
 * epoch id and its burn ids) and refuses any burn id already published.
 */

export { LEAF_ENCODING, type LeafValue };

/** The summary file of an epoch folder: the `addEpoch` arguments, the epoch id and the burn ids. */
export const EPOCH_FILE = "epoch.json";
/** The tree's file in an epoch folder, in `StandardMerkleTree.dump()` format. */
export const TREE_FILE = "tree.json";
/** The folder of per-recipient proof files (`<recipient>.json`, checksummed) in an epoch folder. */
export const PROOFS_DIR = "proofs";
/** The `format` of {@link EPOCH_FILE}. */
export const EPOCH_FORMAT = "oxen-claims-epoch/1";

/**
 * A burn id is the hash of the Oxen transaction that burnt the OXEN: 32 bytes, written as 64 hex digits, with or
 * without 0x, in any case. Its normal form, used for de-duplication and in every output, is the 64 digits in
 * lowercase without 0x (as Oxen block explorers show transaction hashes).
 */
const BURN_ID = /^(?:0x)?[0-9a-fA-F]{64}$/;
const NORMAL_BURN_ID = /^[0-9a-f]{64}$/;

/** The normal form of a burn id (64 lowercase hex digits, no 0x), or `undefined` when the text is not one. */
export function normaliseBurnId(text: string): string | undefined {
  const trimmed = text.trim();
  if (!BURN_ID.test(trimmed)) return undefined;
  return (trimmed.startsWith("0x") ? trimmed.slice(2) : trimmed).toLowerCase();
}

/** A burn id in the schema: the Oxen burn transaction's hash, normalised by {@link normaliseBurnId}. */
export const burnId = z.string().transform((text, ctx) => {
  const normal = normaliseBurnId(text);
  if (normal === undefined) {
    ctx.addIssue({
      code: "custom",
      message: "is not a burn id: expected the Oxen burn transaction's hash, 64 hex digits (with or without 0x)",
    });
    return z.NEVER;
  }
  return normal;
});

/** One burn recorded on the Oxen chain: OXEN burnt with the recipient's Ethereum address attached. */
export interface Burn {
  /** The burn transaction's hash, normalised ({@link normaliseBurnId}) when read from a burn list. */
  readonly burnId: string;
  /** Checksummed (EIP-55). */
  readonly recipient: string;
  /** OXEN atoms, positive. */
  readonly oxenAmount: bigint;
  readonly burnedAt?: Date;
}

const burnSchema = z.strictObject({
  burnId,
  recipient: recipientAddress,
  oxenAmount: atoms
    .refine((amount) => amount > 0n, { message: "must be more than zero atoms" })
    .refine((amount) => amount <= OXEN_SUPPLY_BOUND, {
      message: `is more than the total OXEN supply (bound: ${OXEN_SUPPLY_BOUND} atoms, 2^64)`,
    }),
  burnedAt: utcDate.optional(),
});

const burnListSchema = z.strictObject({
  description: z.string().optional(),
  burns: z.array(z.unknown()).min(1, { message: "the list has no burns" }),
});

/** An epoch built before this one, read from its folder: what the new epoch must not repeat. */
export interface PublishedEpoch {
  readonly directory: string;
  readonly epoch: number;
  readonly root: string;
  readonly totalOxen: bigint;
  /** Normal burn ids, in leaf order. */
  readonly burnIds: readonly string[];
}

/** The rows' labels in errors: `burns[3] "<burn id as written>"` when the row has a burn id. */
function rowLabel(raw: unknown, row: number): string {
  const id = (raw as { burnId?: unknown } | null)?.burnId;
  return typeof id === "string" && id.trim() !== "" ? `burns[${row}] "${id.trim()}"` : `burns[${row}]`;
}

/** Where each burn id of the earlier epochs was published. */
function publishedIndex(
  published: readonly PublishedEpoch[],
): Map<string, { readonly epoch: PublishedEpoch; readonly leaf: number }> {
  const index = new Map<string, { epoch: PublishedEpoch; leaf: number }>();
  for (const epoch of published) {
    epoch.burnIds.forEach((id, leaf) => {
      if (!index.has(id)) index.set(id, { epoch, leaf });
    });
  }
  return index;
}

export interface BurnListOptions {
  /** The epochs built before; a burn id already published in one of them is refused. */
  readonly published?: readonly PublishedEpoch[];
}

/**
 * Parses and checks a burn list given as JSON text; `file` names it in errors. Every bad row is reported, naming
 * the row: a burn id that is not a transaction hash or repeats an earlier row's (compared in normal form) or was
 * published in an earlier epoch (named), a recipient that is not an address or is the zero address, an amount
 * that is not a positive whole number of atoms or is above {@link OXEN_SUPPLY_BOUND}; then the list's sum, which
 * must not be above that bound either.
 */
export function parseBurnList(json: string, file: string, options: BurnListOptions = {}): Burn[] {
  const raw = parseJsonText(json, file);
  const list = burnListSchema.safeParse(raw);
  if (!list.success) throw new InputFileError(file, describeZodIssues(list.error));

  const published = publishedIndex(options.published ?? []);
  const problems: string[] = [];
  const burns: Burn[] = [];
  const firstRowOf = new Map<string, number>();
  list.data.burns.forEach((entry, row) => {
    const label = rowLabel(entry, row);
    const parsed = burnSchema.safeParse(entry);
    if (!parsed.success) {
      problems.push(
        ...describeZodIssues(parsed.error, (issuePath) =>
          issuePath.length === 0 ? label : `${label}.${formatIssuePath(issuePath)}`,
        ),
      );
      return;
    }
    const burn = parsed.data;
    const first = firstRowOf.get(burn.burnId);
    if (first !== undefined) {
      problems.push(`${label}: duplicate burn id ${burn.burnId} (first in burns[${first}])`);
      return;
    }
    firstRowOf.set(burn.burnId, row);
    const earlier = published.get(burn.burnId);
    if (earlier !== undefined) {
      problems.push(
        `${label}: burn id ${burn.burnId} was already published in epoch ${earlier.epoch.epoch} ` +
          `(leaf ${earlier.leaf} of ${earlier.epoch.directory}); a burn is paid once: remove it from this list`,
      );
      return;
    }
    burns.push(
      burn.burnedAt === undefined
        ? { burnId: burn.burnId, recipient: burn.recipient, oxenAmount: burn.oxenAmount }
        : burn,
    );
  });
  if (problems.length === 0) {
    const total = sumAmounts(burns.map((burn) => burn.oxenAmount));
    if (total > OXEN_SUPPLY_BOUND) {
      problems.push(
        `burns: the ${burns.length} burns sum to ${total} atoms (${formatOxen(total)}), more than the total OXEN ` +
          `supply (bound: ${OXEN_SUPPLY_BOUND} atoms, 2^64)`,
      );
    }
  }
  if (problems.length > 0) throw new InputFileError(file, problems);
  return burns;
}

/** Reads and checks a burn list file (see {@link parseBurnList}). */
export function loadBurnList(file: string, options: BurnListOptions = {}): Burn[] {
  return parseBurnList(readInputFile(file), file, options);
}

/** A recipient's leaf: the fields a claim needs besides the epoch id. */
export interface RecipientClaim {
  readonly index: string;
  readonly burnId: string;
  readonly oxenAmount: string;
  readonly proof: readonly string[];
}

/** A built epoch, before it is published. */
export interface EpochBuild {
  readonly root: string;
  readonly totalOxen: bigint;
  readonly tree: StandardMerkleTree<LeafValue>;
  /** Leaves by recipient, in index order. */
  readonly claims: ReadonlyMap<string, readonly RecipientClaim[]>;
}

/**
 * The tree over the burns, leaf `i` being burn `i` of the list. It takes the burns as given (tests build leaves
 * that a burn list would refuse); only an amount that no leaf can encode (negative, or above `uint256`) throws,
 * naming the burn.
 */
export function buildEpoch(burns: readonly Burn[]): EpochBuild {
  if (burns.length === 0) throw new RangeError("an epoch needs at least one burn");
  burns.forEach((burn, index) => {
    if (burn.oxenAmount < 0n || burn.oxenAmount > MAX_LEAF_AMOUNT) {
      throw new RangeError(`burn ${index} "${burn.burnId}": ${burn.oxenAmount} atoms cannot be a leaf (uint256)`);
    }
  });
  const values: LeafValue[] = burns.map((burn, index) => [
    index.toString(),
    burn.recipient,
    burn.oxenAmount.toString(),
  ]);
  const tree = StandardMerkleTree.of(values, [...LEAF_ENCODING]);
  const claims = new Map<string, RecipientClaim[]>();
  for (const [position, [index, recipient, oxenAmount]] of tree.entries()) {
    const burn = burns[Number(index)];
    if (burn === undefined) throw new Error(`the tree holds a leaf ${index} that is not in the burn list`);
    const list = claims.get(recipient) ?? [];
    list.push({ index, burnId: burn.burnId, oxenAmount, proof: tree.getProof(position) });
    claims.set(recipient, list);
  }
  for (const list of claims.values()) list.sort((a, b) => Number(a.index) - Number(b.index));
  return { root: tree.root, totalOxen: sumAmounts(burns.map((burn) => burn.oxenAmount)), tree, claims };
}

/** The content of {@link EPOCH_FILE}. */
export interface EpochSummary {
  readonly format: typeof EPOCH_FORMAT;
  /** The id `addEpoch` returns when the epochs are published in the order they were built (0 for the first). */
  readonly epoch: number;
  readonly root: string;
  /** OXEN atoms, as a decimal string: the `totalOxen` argument of `addEpoch`. */
  readonly totalOxen: string;
  /** Leaves. */
  readonly count: number;
  readonly recipients: number;
  /** The burn list's file name. */
  readonly burns: string;
  /** Normal burn ids, leaf `i` being `burnIds[i]`. */
  readonly burnIds: readonly string[];
}

/** The content of `proofs/<recipient>.json`: every leaf of one recipient in one epoch. */
export interface EpochProofFile {
  readonly epoch: number;
  readonly root: string;
  /** Checksummed (EIP-55). */
  readonly recipient: string;
  readonly claims: readonly RecipientClaim[];
}

const epochSummarySchema = z.object({
  format: z.literal(EPOCH_FORMAT, { error: `must be "${EPOCH_FORMAT}" (a folder written by claims:build-epoch)` }),
  epoch: z.int().nonnegative(),
  root: z.string().regex(/^0x[0-9a-f]{64}$/, { message: "must be a 32-byte hex root" }),
  totalOxen: atoms,
  count: z.int().positive(),
  burnIds: z.array(z.string().regex(NORMAL_BURN_ID, { message: "must be a normal burn id (64 lowercase hex)" })),
});

const treeDumpSchema = z.object({ tree: z.array(z.string()).min(1), values: z.array(z.unknown()) });

/**
 * Reads an epoch folder written by {@link writeEpochFiles}: its epoch id, root, total and burn ids, checked against
 * its tree file (same root, one burn id per leaf). Throws an {@link InputFileError} naming the folder's file.
 */
export function loadEpochFolder(directory: string): PublishedEpoch {
  const file = path.join(directory, EPOCH_FILE);
  const parsed = epochSummarySchema.safeParse(parseJsonText(readInputFile(file), file));
  if (!parsed.success) throw new InputFileError(file, describeZodIssues(parsed.error));
  const summary = parsed.data;
  const problems: string[] = [];
  if (summary.burnIds.length !== summary.count) {
    problems.push(`burnIds: ${summary.burnIds.length} burn ids for ${summary.count} leaves`);
  }
  const treeFile = path.join(directory, TREE_FILE);
  const dump = treeDumpSchema.safeParse(parseJsonText(readInputFile(treeFile), treeFile));
  if (!dump.success) throw new InputFileError(treeFile, describeZodIssues(dump.error));
  if (dump.data.tree[0] !== summary.root) {
    problems.push(`root: ${summary.root} is not the root of ${treeFile} (${dump.data.tree[0]})`);
  }
  if (dump.data.values.length !== summary.count) {
    problems.push(`count: ${summary.count} leaves, but ${treeFile} holds ${dump.data.values.length}`);
  }
  if (problems.length > 0) throw new InputFileError(file, problems);
  return {
    directory,
    epoch: summary.epoch,
    root: summary.root,
    totalOxen: summary.totalOxen,
    burnIds: summary.burnIds,
  };
}

/**
 * Reads the folders of the epochs built before and returns them with the id of the next epoch. They must be the
 * epochs 0, 1, …, n − 1, each once (in any order), so that the next one is epoch n, the id `addEpoch` returns when
 * the epochs are published in order; a gap or a repeated id is an {@link InputFileError}.
 */
export function loadPreviousEpochs(directories: readonly string[]): {
  readonly published: readonly PublishedEpoch[];
  readonly epoch: number;
} {
  const published = directories.map((directory) => loadEpochFolder(directory));
  const byId = new Map<number, PublishedEpoch>();
  const problems: string[] = [];
  for (const epoch of published) {
    const other = byId.get(epoch.epoch);
    if (other !== undefined) {
      problems.push(`epoch ${epoch.epoch} is given twice: ${other.directory} and ${epoch.directory}`);
    } else {
      byId.set(epoch.epoch, epoch);
    }
  }
  const missing = published.map((_, id) => id).filter((id) => !byId.has(id));
  if (missing.length > 0) {
    const given = [...byId.keys()].sort((a, b) => a - b).join(", ");
    problems.push(
      `epoch ${missing.join(", ")} missing: the previous epochs must be 0 to ${published.length - 1}, each once ` +
        `(given: ${given}); pass the folder of every epoch built before`,
    );
  }
  if (problems.length > 0) throw new InputFileError("--previous", problems);
  return { published: [...published].sort((a, b) => a.epoch - b.epoch), epoch: published.length };
}

/** What `writeEpochFiles` wrote. */
export interface EpochFiles {
  readonly epoch: number;
  readonly build: EpochBuild;
  /** epoch.json: the summary. */
  readonly summary: string;
  readonly tree: string;
  readonly proofsDirectory: string;
}

export interface EpochFilesOptions extends OutputFolderOptions {
  /** Folders of the epochs built before (written by this function). */
  readonly previous?: readonly string[];
}

/**
 * Builds the epoch of a burn list file and writes, into `outDirectory`: `epoch.json` ({@link EpochSummary}),
 * `tree.json` (the StandardMerkleTree dump) and `proofs/<recipient>.json` ({@link EpochProofFile}) for every
 * recipient. Every input is checked before anything is written; the folder is written whole, then swapped in
 * (see {@link writeOutputFolder}): a folder that is not empty is refused unless `force`.
 */
export function writeEpochFiles(burnsFile: string, outDirectory: string, options: EpochFilesOptions = {}): EpochFiles {
  const previous = options.previous ?? [];
  const { published, epoch } = loadPreviousEpochs(previous);
  const out = path.resolve(outDirectory);
  const clash = previous.find((directory) => path.resolve(directory) === out);
  if (clash !== undefined) {
    throw new PreconditionError(`--out ${outDirectory} is also given as a previous epoch: write each epoch apart`);
  }
  const burns = loadBurnList(burnsFile, { published });
  checkOutputFolder(outDirectory, options);
  const build = buildEpoch(burns);
  const summaryContent: EpochSummary = {
    format: EPOCH_FORMAT,
    epoch,
    root: build.root,
    totalOxen: build.totalOxen.toString(),
    count: build.tree.length,
    recipients: build.claims.size,
    burns: path.basename(burnsFile),
    burnIds: burns.map((burn) => burn.burnId),
  };
  writeOutputFolder(outDirectory, options, (directory) => {
    const proofs = path.join(directory, PROOFS_DIR);
    writeJsonFile(path.join(directory, EPOCH_FILE), summaryContent);
    writeJsonFile(path.join(directory, TREE_FILE), build.tree.dump());
    mkdirSync(proofs);
    for (const [recipient, claims] of build.claims) {
      const proofFile: EpochProofFile = { epoch, root: build.root, recipient, claims };
      writeJsonFile(path.join(proofs, `${recipient}.json`), proofFile);
    }
  });
  return {
    epoch,
    build,
    summary: path.join(outDirectory, EPOCH_FILE),
    tree: path.join(outDirectory, TREE_FILE),
    proofsDirectory: path.join(outDirectory, PROOFS_DIR),
  };
}

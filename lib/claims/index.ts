import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { z } from "zod";

import { sumAmounts } from "../amount";
import { describeZodIssues, formatIssuePath, InputFileError } from "../errors";
import { atoms, ethereumAddress, utcDate } from "../schema";
import { LEAF_ENCODING, type LeafValue, writeJsonFile } from "../merkle";

/**
 * Epochs of the Oxen claims bridge (SPEC 3.6): a burn list recorded on the Oxen chain becomes a StandardMerkleTree
 * over leaves `[index, recipient, oxenAmount]`, which the owner publishes with `addEpoch(root, totalOxen)`; each
 * recipient gets a proof file for every leaf of theirs.
 */

export { LEAF_ENCODING, type LeafValue };

/** One burn recorded on the Oxen chain: OXEN burnt with the recipient's Ethereum address attached. */
export interface Burn {
  readonly burnId: string;
  /** Checksummed (EIP-55). */
  readonly recipient: string;
  /** OXEN atoms, positive. */
  readonly oxenAmount: bigint;
  readonly burnedAt?: Date;
}

const burnSchema = z.strictObject({
  burnId: z.string().trim().min(1, { message: "must not be empty" }),
  recipient: ethereumAddress,
  oxenAmount: atoms.refine((amount) => amount > 0n, { message: "must be more than zero atoms" }),
  burnedAt: utcDate.optional(),
});

const burnListSchema = z.strictObject({
  description: z.string().optional(),
  burns: z.array(z.unknown()).min(1, { message: "the list has no burns" }),
});

/** The rows' labels in errors: `burns[3] "burn-0042"` when the row has a burn id. */
function rowLabel(raw: unknown, row: number): string {
  const burnId = (raw as { burnId?: unknown } | null)?.burnId;
  return typeof burnId === "string" && burnId.trim() !== "" ? `burns[${row}] "${burnId.trim()}"` : `burns[${row}]`;
}

/** Parses and checks a burn list given as JSON text; `file` names it in errors. Every bad row is reported. */
export function parseBurnList(json: string, file: string): Burn[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new InputFileError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  const list = burnListSchema.safeParse(raw);
  if (!list.success) throw new InputFileError(file, describeZodIssues(list.error));

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
      problems.push(`${label}: duplicate burn id (first in burns[${first}])`);
      return;
    }
    firstRowOf.set(burn.burnId, row);
    burns.push(
      burn.burnedAt === undefined
        ? { burnId: burn.burnId, recipient: burn.recipient, oxenAmount: burn.oxenAmount }
        : burn,
    );
  });
  if (problems.length > 0) throw new InputFileError(file, problems);
  return burns;
}

/** Reads and checks a burn list file. */
export function loadBurnList(file: string): Burn[] {
  return parseBurnList(readFileSync(file, "utf8"), file);
}

/** A recipient's leaf: the fields a claim needs besides the epoch id, which the chain assigns when it is added. */
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
  /** Leaves by recipient (checksummed), in index order. */
  readonly claims: ReadonlyMap<string, readonly RecipientClaim[]>;
}

/** The tree over the burns, leaf `i` being burn `i` of the list. */
export function buildEpoch(burns: readonly Burn[]): EpochBuild {
  if (burns.length === 0) throw new RangeError("an epoch needs at least one burn");
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

/** What `writeEpochFiles` wrote. */
export interface EpochFiles {
  readonly build: EpochBuild;
  /** epoch.json: root, totalOxen, leaf and recipient counts. */
  readonly summary: string;
  readonly tree: string;
  readonly proofsDirectory: string;
}

/**
 * Builds the epoch of a burn list file and writes, into `outDirectory`: `epoch.json` (the `addEpoch` arguments),
 * `tree.json` (the StandardMerkleTree dump) and `proofs/<recipient>.json` for every recipient.
 */
export function writeEpochFiles(burnsFile: string, outDirectory: string): EpochFiles {
  const build = buildEpoch(loadBurnList(burnsFile));
  const proofsDirectory = path.join(outDirectory, "proofs");
  mkdirSync(proofsDirectory, { recursive: true });
  const summary = path.join(outDirectory, "epoch.json");
  const tree = path.join(outDirectory, "tree.json");
  writeJsonFile(summary, {
    root: build.root,
    totalOxen: build.totalOxen.toString(),
    leaves: build.tree.length,
    recipients: build.claims.size,
    burns: path.basename(burnsFile),
  });
  writeJsonFile(tree, build.tree.dump());
  for (const [recipient, claims] of build.claims) {
    writeJsonFile(path.join(proofsDirectory, `${recipient}.json`), { recipient, root: build.root, claims });
  }
  return { build, summary, tree, proofsDirectory };
}

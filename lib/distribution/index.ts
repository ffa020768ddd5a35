import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { z } from "zod";

import { formatSesh } from "../amount";
import { formatIssuePath, InputFileError } from "../errors";
import { atoms, ethereumAddress } from "../schema";
import { LEAF_ENCODING, type LeafValue, writeJsonFile } from "../merkle";

/**
 * Merkle campaigns for the MerkleDistributor (SPEC 3.7): an awards file in, the tree and one proof file per
 * account out. Pure TS (no Hardhat); the leaves are `[index, account, amount]`, hashed as the contract does by
 * `@openzeppelin/merkle-tree`'s StandardMerkleTree over {@link LEAF_ENCODING}.
 */

export { LEAF_ENCODING, type LeafValue };

/** The tree's file in the output folder, in `StandardMerkleTree.dump()` format. */
export const TREE_FILE = "tree.json";
/** The folder of per-account proof files (`<account>.json`) in the output folder. */
export const PROOFS_DIR = "proofs";

const awardsFileSchema = z.strictObject({
  description: z.string().optional(),
  total: atoms,
  awards: z
    .array(z.strictObject({ account: ethereumAddress, amount: atoms }))
    .min(1, { message: "the file has no awards" }),
});

/** One award of a campaign; `index` is its row in the awards file and its leaf's index. */
export interface CampaignAward {
  readonly index: number;
  /** Checksummed (EIP-55). */
  readonly account: string;
  /** Token atoms. */
  readonly amount: bigint;
}

/** A validated awards file. */
export interface Awards {
  readonly file: string;
  readonly total: bigint;
  readonly awards: readonly CampaignAward[];
}

export interface Campaign {
  readonly root: string;
  /** Σ amounts, the tokens the distributor must be funded with. */
  readonly total: bigint;
  readonly awards: readonly CampaignAward[];
  readonly tree: StandardMerkleTree<LeafValue>;
}

/** The content of `proofs/<account>.json`. */
export interface ProofFile {
  readonly index: number;
  readonly account: string;
  /** Token atoms, as a decimal string. */
  readonly amount: string;
  readonly proof: readonly string[];
}

function rowLabel(raw: unknown, row: number): string {
  const account = (raw as { awards?: { account?: unknown }[] } | null)?.awards?.[row]?.account;
  return typeof account === "string" && account !== "" ? `awards[${row}] ${account}` : `awards[${row}]`;
}

/** Names a zod issue path with the row's account, so that the message says which award is wrong. */
function describePath(raw: unknown, issuePath: readonly PropertyKey[]): string {
  const [head, row, ...rest] = issuePath;
  if (head === "awards" && typeof row === "number") {
    return rest.length === 0 ? rowLabel(raw, row) : `${rowLabel(raw, row)}.${formatIssuePath(rest)}`;
  }
  return formatIssuePath(issuePath);
}

/** Rows whose amount is zero, and rows whose account (compared without case) repeats an earlier row's. */
function rowProblems(raw: unknown): string[] {
  const rows = (raw as { awards?: unknown } | null)?.awards;
  if (!Array.isArray(rows)) return [];
  const problems: string[] = [];
  const firstRow = new Map<string, number>();
  rows.forEach((row: unknown, index) => {
    const { account, amount } = (row ?? {}) as { account?: unknown; amount?: unknown };
    if (typeof amount === "string" && /^\d+$/.test(amount) && BigInt(amount) === 0n) {
      problems.push(`${rowLabel(raw, index)}.amount: must be more than 0 atoms`);
    }
    if (typeof account !== "string" || account === "") return;
    const key = account.toLowerCase();
    const first = firstRow.get(key);
    if (first === undefined) firstRow.set(key, index);
    else problems.push(`${rowLabel(raw, index)}.account: duplicate account, already awarded at awards[${first}]`);
  });
  return problems;
}

function sumAndDifference(declared: bigint, sum: bigint, rows: number): string {
  const difference = sum - declared;
  const direction = difference < 0n ? "short of" : "more than";
  const magnitude = difference < 0n ? -difference : difference;
  return (
    `total: the ${rows} awards sum to ${sum} atoms (${formatSesh(sum)}), ${magnitude} atoms ` +
    `(${formatSesh(magnitude)}) ${direction} the declared total of ${declared} atoms (${formatSesh(declared)}); ` +
    `difference (sum − total) ${difference} atoms`
  );
}

/**
 * Validates an awards file given as JSON text: `{ total, awards: [{ account, amount }] }`, amounts in atoms as
 * decimal strings. Every problem is reported at once, naming the row and its account: a bad address, an amount
 * that is zero, negative or not whole, an account listed twice, and a declared total that differs from the sum
 * (with both and the difference). Throws an {@link InputFileError}.
 */
export function parseAwards(json: string, file: string): Awards {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new InputFileError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  const parsed = awardsFileSchema.safeParse(raw);
  // Zero amounts and duplicates are found on the raw rows, so that they are reported with the schema's findings.
  const problems = rowProblems(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${describePath(raw, issue.path)}: ${issue.message}`);
    throw new InputFileError(file, [...issues, ...problems]);
  }
  let sum = 0n;
  for (const award of parsed.data.awards) sum += award.amount;
  if (sum !== parsed.data.total) problems.push(sumAndDifference(parsed.data.total, sum, parsed.data.awards.length));
  if (problems.length > 0) throw new InputFileError(file, problems);
  return {
    file,
    total: sum,
    awards: parsed.data.awards.map((award, index) => ({ index, account: award.account, amount: award.amount })),
  };
}

/** Reads and validates an awards file. */
export function loadAwards(file: string): Awards {
  let json: string;
  try {
    json = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputFileError(file, [`cannot be read: ${(error as Error).message}`]);
  }
  return parseAwards(json, file);
}

/** The Merkle tree of validated awards: leaf `i` is `[i, account, amount]`. */
export function buildCampaign(awards: Awards): Campaign {
  const values = awards.awards.map((award): LeafValue => [
    award.index.toString(),
    award.account,
    award.amount.toString(),
  ]);
  const tree = StandardMerkleTree.of(values, [...LEAF_ENCODING]);
  return { root: tree.root, total: awards.total, awards: awards.awards, tree };
}

/** The proof file of every award, keyed by account. */
export function proofFiles(campaign: Campaign): Map<string, ProofFile> {
  const files = new Map<string, ProofFile>();
  for (const [position, [index, account, amount]] of campaign.tree.entries()) {
    files.set(account, { index: Number(index), account, amount, proof: campaign.tree.getProof(position) });
  }
  return files;
}

export interface WrittenCampaign {
  readonly root: string;
  readonly total: bigint;
  readonly count: number;
  readonly treeFile: string;
  readonly proofsDir: string;
}

/** Writes `tree.json` and `proofs/<account>.json` into `outDir` (created if needed). */
export function writeCampaign(campaign: Campaign, outDir: string): WrittenCampaign {
  const proofsDir = path.join(outDir, PROOFS_DIR);
  mkdirSync(proofsDir, { recursive: true });
  const treeFile = path.join(outDir, TREE_FILE);
  writeJsonFile(treeFile, campaign.tree.dump());
  for (const [account, proof] of proofFiles(campaign)) {
    writeJsonFile(path.join(proofsDir, `${account}.json`), proof);
  }
  return { root: campaign.root, total: campaign.total, count: campaign.awards.length, treeFile, proofsDir };
}

/** Reads an awards file, builds its tree and writes the tree and the proofs; returns the root and the total. */
export function buildDistribution(awardsFile: string, outDir: string): WrittenCampaign {
  return writeCampaign(buildCampaign(loadAwards(awardsFile)), outDir);
}

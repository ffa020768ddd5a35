import { mkdirSync } from "node:fs";
import path from "node:path";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { z } from "zod";

import { formatSesh, SESH_TOTAL_SUPPLY } from "../amount";
import { formatIssuePath, InputFileError } from "../errors";
import { atoms, parseJsonText, readInputFile, recipientAddress } from "../schema";
import {
  checkOutputFolder,
  LEAF_ENCODING,
  type LeafValue,
  type OutputFolderOptions,
  writeJsonFile,
  writeOutputFolder,
} from "../merkle";

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
/** The summary file in the output folder: campaign, root, count, total. */
export const CAMPAIGN_FILE = "campaign.json";
/** The `format` of {@link CAMPAIGN_FILE}. */
export const CAMPAIGN_FORMAT = "merkle-distributor-campaign/1";

/**
 * The most a campaign can award, in token atoms: the whole SESH supply. Campaigns pay SESH (SPEC 3.7); a total, or
 * an award, above the supply is a typo, and an amount near 2^256 would overflow the vesting arithmetic or the
 * Merkle leaf (`uint256`) instead of being reported with its row.
 */
export const MAX_CAMPAIGN_TOTAL = SESH_TOTAL_SUPPLY;

const awardsFileSchema = z.strictObject({
  description: z.string().optional(),
  total: atoms,
  awards: z
    .array(z.strictObject({ account: recipientAddress, amount: atoms }))
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
  readonly name: string;
  readonly root: string;
  /** Σ amounts, the tokens the distributor must be funded with. */
  readonly total: bigint;
  readonly awards: readonly CampaignAward[];
  readonly tree: StandardMerkleTree<LeafValue>;
}

/** The content of `proofs/<account>.json`. */
export interface ProofFile {
  /** The campaign's name (see {@link CampaignOptions.name}). */
  readonly campaign: string;
  /** The campaign's root: the distributor this proof is for. */
  readonly root: string;
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

/** A whole number of atoms written as the schema reads it, or `undefined`. */
function atomsOf(value: unknown): bigint | undefined {
  return typeof value === "string" && /^\d+$/.test(value) ? BigInt(value) : undefined;
}

/**
 * Rows whose amount is zero or above the campaign (its declared total when that is a number, and in any case
 * {@link MAX_CAMPAIGN_TOTAL}), and rows whose account (compared without case) repeats an earlier row's.
 */
function rowProblems(raw: unknown): string[] {
  const rows = (raw as { awards?: unknown } | null)?.awards;
  if (!Array.isArray(rows)) return [];
  const declared = atomsOf((raw as { total?: unknown }).total);
  const problems: string[] = [];
  const firstRow = new Map<string, number>();
  rows.forEach((row: unknown, index) => {
    const { account, amount: amountText } = (row ?? {}) as { account?: unknown; amount?: unknown };
    const amount = atomsOf(amountText);
    if (amount === 0n) problems.push(`${rowLabel(raw, index)}.amount: must be more than 0 atoms`);
    if (amount !== undefined && amount > MAX_CAMPAIGN_TOTAL) {
      problems.push(
        `${rowLabel(raw, index)}.amount: ${amount} atoms is more than the whole SESH supply ` +
          `(${MAX_CAMPAIGN_TOTAL} atoms, ${formatSesh(MAX_CAMPAIGN_TOTAL)}), the most a campaign can award`,
      );
    } else if (amount !== undefined && declared !== undefined && amount > declared) {
      problems.push(
        `${rowLabel(raw, index)}.amount: ${amount} atoms is more than the campaign's declared total of ` +
          `${declared} atoms (${formatSesh(declared)})`,
      );
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
  const raw = parseJsonText(json, file);
  const parsed = awardsFileSchema.safeParse(raw);
  // Zero amounts and duplicates are found on the raw rows, so that they are reported with the schema's findings.
  const problems = rowProblems(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${describePath(raw, issue.path)}: ${issue.message}`);
    throw new InputFileError(file, [...issues, ...problems]);
  }
  if (parsed.data.total > MAX_CAMPAIGN_TOTAL) {
    problems.push(
      `total: ${parsed.data.total} atoms is more than the whole SESH supply (${MAX_CAMPAIGN_TOTAL} atoms, ` +
        `${formatSesh(MAX_CAMPAIGN_TOTAL)}), the most a campaign can award`,
    );
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
  return parseAwards(readInputFile(file), file);
}

export interface CampaignOptions {
  /**
   * The campaign's name, written in the summary and every proof file so that files of two campaigns cannot be
   * mixed up (the root tells them apart too). Default: the awards file's name without `.json`.
   */
  readonly name?: string;
}

/** The Merkle tree of validated awards: leaf `i` is `[i, account, amount]`. */
export function buildCampaign(awards: Awards, options: CampaignOptions = {}): Campaign {
  const values = awards.awards.map((award): LeafValue => [
    award.index.toString(),
    award.account,
    award.amount.toString(),
  ]);
  const tree = StandardMerkleTree.of(values, [...LEAF_ENCODING]);
  const name = options.name ?? path.basename(awards.file, ".json");
  return { name, root: tree.root, total: awards.total, awards: awards.awards, tree };
}

/** The proof file of every award, keyed by account. */
export function proofFiles(campaign: Campaign): Map<string, ProofFile> {
  const files = new Map<string, ProofFile>();
  for (const [position, [index, account, amount]] of campaign.tree.entries()) {
    files.set(account, {
      campaign: campaign.name,
      root: campaign.root,
      index: Number(index),
      account,
      amount,
      proof: campaign.tree.getProof(position),
    });
  }
  return files;
}

/** The content of {@link CAMPAIGN_FILE}. */
export interface CampaignSummary {
  readonly format: typeof CAMPAIGN_FORMAT;
  readonly campaign: string;
  /** The distributor's `merkleRoot`. */
  readonly root: string;
  /** Awards (leaves). */
  readonly count: number;
  /** Token atoms, as a decimal string: what the distributor must be funded with. */
  readonly total: string;
  /** The awards file's name. */
  readonly awards: string;
}

export interface WrittenCampaign {
  readonly name: string;
  readonly root: string;
  readonly total: bigint;
  readonly count: number;
  readonly summaryFile: string;
  readonly treeFile: string;
  readonly proofsDir: string;
}

/**
 * Writes `campaign.json` ({@link CampaignSummary}), `tree.json` and `proofs/<account>.json` into `outDir`: the
 * folder is written whole, then swapped in (see {@link writeOutputFolder}); one that is not empty is refused
 * unless `force`.
 */
export function writeCampaign(
  campaign: Campaign,
  outDir: string,
  options: OutputFolderOptions & { readonly awardsFile?: string } = {},
): WrittenCampaign {
  const summary: CampaignSummary = {
    format: CAMPAIGN_FORMAT,
    campaign: campaign.name,
    root: campaign.root,
    count: campaign.awards.length,
    total: campaign.total.toString(),
    awards: path.basename(options.awardsFile ?? `${campaign.name}.json`),
  };
  writeOutputFolder(outDir, options, (directory) => {
    const proofsDir = path.join(directory, PROOFS_DIR);
    mkdirSync(proofsDir);
    writeJsonFile(path.join(directory, CAMPAIGN_FILE), summary);
    writeJsonFile(path.join(directory, TREE_FILE), campaign.tree.dump());
    for (const [account, proof] of proofFiles(campaign)) {
      writeJsonFile(path.join(proofsDir, `${account}.json`), proof);
    }
  });
  return {
    name: campaign.name,
    root: campaign.root,
    total: campaign.total,
    count: campaign.awards.length,
    summaryFile: path.join(outDir, CAMPAIGN_FILE),
    treeFile: path.join(outDir, TREE_FILE),
    proofsDir: path.join(outDir, PROOFS_DIR),
  };
}

export interface DistributionOptions extends OutputFolderOptions, CampaignOptions {}

/**
 * Reads an awards file, builds its tree and writes the campaign folder (see {@link writeCampaign}); every input is
 * checked before anything is written. Returns the root and the total.
 */
export function buildDistribution(
  awardsFile: string,
  outDir: string,
  options: DistributionOptions = {},
): WrittenCampaign {
  const awards = loadAwards(awardsFile);
  checkOutputFolder(outDir, options);
  return writeCampaign(buildCampaign(awards, options), outDir, { ...options, awardsFile });
}

import { formatOxen } from "../amount";
import { formatIssuePath, InputFileError } from "../errors";
import { readInputFile, utcDate } from "../schema";
import { formatUtc } from "../timeline";
import {
  AWAITING_CONTRIBUTIONS,
  nodeSchema,
  oxenAddress,
  parametersSchema,
  snapshotSchema,
  walletSchema,
  type ServiceNode,
  type Snapshot,
  type SnapshotParameters,
  type Wallet,
} from "./schema";

/** At most this many problems are listed; the rest are counted in a last line. */
export const MAX_REPORTED_PROBLEMS = 200;

/** Row labels show this many leading and trailing characters of an Oxen address ("L5Ab…x9Yz"). */
const ADDRESS_LABEL_ENDS = 4; // characters
/** Row labels show this many leading hex digits of an ed25519 key ("ab12cd34…"). */
const ED25519_LABEL_DIGITS = 8; // hex digits

function abbreviate(text: string, head: number, tail: number): string {
  return text.length <= head + tail ? text : `${text.slice(0, head)}…${text.slice(text.length - tail)}`;
}

/** An Oxen address as row labels and messages show it: `L5Ab…x9Yz`. */
export function shortOxenAddress(address: string): string {
  return abbreviate(address, ADDRESS_LABEL_ENDS, ADDRESS_LABEL_ENDS);
}

/** The label of wallet `row`: `wallets[12] (oxen address L5Ab…x9Yz)`, or `wallets[12]` without a usable address. */
export function walletLabel(row: number, address: unknown): string {
  return typeof address === "string" && address !== ""
    ? `wallets[${row}] (oxen address ${shortOxenAddress(address)})`
    : `wallets[${row}]`;
}

/** The label of node `row`: `nodes[3] (ed25519 ab12cd34…)`, or `nodes[3]` without a usable key. */
export function nodeLabel(row: number, ed25519: unknown): string {
  return typeof ed25519 === "string" && ed25519 !== ""
    ? `nodes[${row}] (ed25519 ${abbreviate(ed25519, ED25519_LABEL_DIGITS, 0)})`
    : `nodes[${row}]`;
}

/** The label of a contribution: `nodes[3] (ed25519 ab12cd34…).contributions[1]`. */
export function contributionLabel(row: number, ed25519: unknown, index: number): string {
  return `${nodeLabel(row, ed25519)}.contributions[${index}]`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `value[key]` of a JSON value that may be anything. */
function member(value: unknown, key: string | number): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  return (value as Record<string | number, unknown>)[key];
}

/** Names a zod issue path with the row's label, so that the message says which wallet or node is wrong. */
function describeIssuePath(raw: unknown, path: readonly PropertyKey[]): string {
  const [table, row, ...rest] = path;
  if (typeof row !== "number" || (table !== "wallets" && table !== "nodes")) return formatIssuePath(path);
  const entry = member(member(raw, table), row);
  const label =
    table === "wallets" ? walletLabel(row, member(entry, "oxenAddress")) : nodeLabel(row, member(entry, "ed25519"));
  return rest.length === 0 ? label : `${label}.${formatIssuePath(rest)}`;
}

/**
 * What the cross-row checks look at. After a schema failure, rows that failed are `undefined` and left out, so that
 * each problem is reported once; `walletAddresses` still holds every well-formed Oxen address, so that a wallet with
 * another bad field does not make its address "unknown".
 */
interface CheckedRows {
  readonly anchorTime: Date | undefined;
  readonly parameters: SnapshotParameters | undefined;
  readonly walletAddresses: readonly (string | undefined)[];
  readonly wallets: readonly (Wallet | undefined)[];
  readonly nodes: readonly (ServiceNode | undefined)[];
}

function rowsOf(snapshot: Snapshot): CheckedRows {
  return {
    anchorTime: snapshot.anchor.time,
    parameters: snapshot.parameters,
    walletAddresses: snapshot.wallets.map((wallet) => wallet.oxenAddress),
    wallets: snapshot.wallets,
    nodes: snapshot.nodes,
  };
}

/** The rows of a file that failed the schema, each parsed on its own (only on the error path, so speed is moot). */
function wellFormedRowsOf(raw: unknown): CheckedRows {
  const rawWallets = member(raw, "wallets");
  const rawNodes = member(raw, "nodes");
  const walletRows: unknown[] = Array.isArray(rawWallets) ? rawWallets : [];
  const nodeRows: unknown[] = Array.isArray(rawNodes) ? rawNodes : [];
  return {
    anchorTime: utcDate.safeParse(member(member(raw, "anchor"), "time")).data,
    parameters: parametersSchema.safeParse(member(raw, "parameters")).data,
    walletAddresses: walletRows.map((wallet) => oxenAddress.safeParse(member(wallet, "oxenAddress")).data),
    wallets: walletRows.map((wallet) => walletSchema.safeParse(wallet).data),
    nodes: nodeRows.map((node) => nodeSchema.safeParse(node).data),
  };
}

function parameterProblems(parameters: SnapshotParameters, problems: string[]): void {
  if (parameters.stakeConversion.denominator === 0n) {
    problems.push("parameters.stakeConversion.denominator: must not be zero");
  }
}

function walletProblems(rows: CheckedRows, problems: string[]): void {
  const firstRow = new Map<string, number>();
  rows.walletAddresses.forEach((address, row) => {
    if (address === undefined) return;
    const first = firstRow.get(address);
    if (first === undefined) firstRow.set(address, row);
    else problems.push(`${walletLabel(row, address)}: duplicate wallet, the same Oxen address as wallets[${first}]`);
  });
  rows.wallets.forEach((wallet, row) => {
    if (wallet === undefined) return;
    const hasAddress = wallet.ethereumAddress !== null;
    if (hasAddress !== (wallet.registeredAt !== null)) {
      problems.push(
        `${walletLabel(row, wallet.oxenAddress)}: ethereumAddress and registeredAt must both be set or both be null ` +
          `(ethereumAddress is ${hasAddress ? "set" : "null"}, registeredAt is ${hasAddress ? "null" : "set"})`,
      );
    }
  });
}

function nodeProblems(rows: CheckedRows, problems: string[]): void {
  const known = new Set<string>();
  for (const address of rows.walletAddresses) if (address !== undefined) known.add(address);
  const nodeByKey = new Map<string, number>();
  const nodeByBls = new Map<string, { row: number; ed25519: string }>();
  const { anchorTime, parameters } = rows;

  rows.nodes.forEach((node, row) => {
    if (node === undefined) return;
    const label = nodeLabel(row, node.ed25519);

    const sameKey = nodeByKey.get(node.ed25519);
    if (sameKey === undefined) nodeByKey.set(node.ed25519, row);
    else problems.push(`${label}: duplicate node, the same ed25519 key as nodes[${sameKey}]`);

    if (node.bls !== null) {
      const blsText = `${node.bls.X},${node.bls.Y}`;
      const sameBls = nodeByBls.get(blsText);
      if (sameBls === undefined) nodeByBls.set(blsText, { row, ed25519: node.ed25519 });
      else problems.push(`${label}.bls: the same BLS key as ${nodeLabel(sameBls.row, sameBls.ed25519)}`);
    }

    if (!known.has(node.operator)) {
      problems.push(`${label}.operator: ${shortOxenAddress(node.operator)} is not among the wallets`);
    }
    if (!node.contributions.some((contribution) => contribution.oxenAddress === node.operator)) {
      problems.push(`${label}.operator: ${shortOxenAddress(node.operator)} is not among the node's contributors`);
    }
    if (parameters !== undefined && node.contributions.length > parameters.maxContributors) {
      problems.push(
        `${label}.contributions: ${node.contributions.length} contributions, more than ` +
          `parameters.maxContributors (${parameters.maxContributors})`,
      );
    }

    const firstIndex = new Map<string, number>();
    let total = 0n;
    node.contributions.forEach((contribution, index) => {
      const where = contributionLabel(row, node.ed25519, index);
      const address = contribution.oxenAddress;
      total += contribution.amount;
      if (!known.has(address)) {
        problems.push(`${where}.oxenAddress: ${shortOxenAddress(address)} is not among the wallets`);
      }
      const first = firstIndex.get(address);
      if (first === undefined) firstIndex.set(address, index);
      else {
        problems.push(
          `${where}.oxenAddress: ${shortOxenAddress(address)} already contributes in contributions[${first}]`,
        );
      }
      if (contribution.amount === 0n) problems.push(`${where}.amount: must be more than 0 atoms`);
      const { since, until } = contribution;
      if (until !== null && until < since) {
        problems.push(`${where}.until: ${formatUtc(until)} is before since ${formatUtc(since)}`);
      }
      if (anchorTime !== undefined) {
        for (const [field, date] of [
          ["since", since],
          ["until", until],
        ] as const) {
          if (date !== null && date > anchorTime) {
            problems.push(`${where}.${field}: ${formatUtc(date)} is after the anchor time ${formatUtc(anchorTime)}`);
          }
        }
      }
    });

    // A fully funded node's contributions sum to its stake exactly; a partly funded one's to less, never more.
    const stake = formatOxen(node.stake);
    const awaiting = node.state === AWAITING_CONTRIBUTIONS;
    if (total > node.stake) {
      const more = formatOxen(total - node.stake);
      problems.push(
        `${label}.contributions: sum to ${formatOxen(total)}, ${more} more than the node's stake of ${stake}`,
      );
    } else if (total < node.stake && !awaiting) {
      const short = formatOxen(node.stake - total);
      problems.push(
        `${label}.contributions: sum to ${formatOxen(total)}, ${short} short of the node's stake of ${stake} ` +
          `(a node still awaiting contributions has the state ${AWAITING_CONTRIBUTIONS})`,
      );
    } else if (total === node.stake && awaiting) {
      problems.push(
        `${label}.contributions: sum to the node's whole stake of ${stake}, but its state is ` +
          `${AWAITING_CONTRIBUTIONS} (a fully funded node is active, decommissioned, deregistered or unlocking)`,
      );
    }
  });
}

/** Checks across rows and against the parameters, which the zod schema cannot express row by row. */
function crossRowProblems(rows: CheckedRows): string[] {
  const problems: string[] = [];
  if (rows.parameters !== undefined) parameterProblems(rows.parameters, problems);
  walletProblems(rows, problems);
  nodeProblems(rows, problems);
  return problems;
}

function fail(file: string, problems: readonly string[]): never {
  const hidden = problems.length - MAX_REPORTED_PROBLEMS;
  throw new InputFileError(
    file,
    hidden > 0 ? [...problems.slice(0, MAX_REPORTED_PROBLEMS), `… and ${hidden} more`] : problems,
  );
}

/**
 * Validates an Anchor snapshot given as JSON text; `file` names it in errors. First the zod schema, once over the
 * whole file, then the checks across rows in plain loops: duplicate wallets, nodes and BLS keys; addresses that are
 * not among the wallets; an operator that does not contribute; contributions that do not sum to the node's stake
 * (with both sums and the difference; a node `awaiting-contributions` must stay below it instead), are zero, repeat
 * a wallet or outnumber `parameters.maxContributors`; a wallet with only one of `ethereumAddress` and
 * `registeredAt`; `until` before `since`, either after the Anchor; a zero conversion denominator. Every problem names its row (`wallets[12] (oxen address L5Ab…x9Yz)`,
 * `nodes[3] (ed25519 ab12cd34…).contributions[1]`) and all are thrown together as one {@link InputFileError}
 * (the first {@link MAX_REPORTED_PROBLEMS}, then a count), before anything else uses the snapshot.
 */
export function parseSnapshot(json: string, file: string): Snapshot {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new InputFileError(file, [`not valid JSON: ${messageOf(error)}`]);
  }
  const parsed = snapshotSchema.safeParse(raw);
  if (parsed.success) {
    const problems = crossRowProblems(rowsOf(parsed.data));
    if (problems.length > 0) fail(file, problems);
    return parsed.data;
  }
  const schemaProblems = parsed.error.issues.map((issue) => `${describeIssuePath(raw, issue.path)}: ${issue.message}`);
  fail(file, [...schemaProblems, ...crossRowProblems(wellFormedRowsOf(raw))]);
}

/**
 * Reads and validates an Anchor snapshot file (see {@link parseSnapshot}). The whole file is read into one string
 * and parsed with JSON.parse, which holds up to V8's string limit of about 512 MiB (2^29 − 24 UTF-16 units); a
 * bigger snapshot would need a streaming parser. A 20,000-node, 100,000-wallet snapshot is about 54 MB.
 */
export function loadSnapshot(file: string): Snapshot {
  return parseSnapshot(readInputFile(file), file);
}

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

import type { Provider, TransactionReceipt, TransactionRequest } from "ethers";

import { formatInteger } from "../amount";
import { describeRevert, revertData, type ErrorDecoder } from "../chain/revert";
import { PreconditionError, TransactionFailedError } from "../errors";

// The rehearsal's journal: what it has done, written as it goes, so that a run killed at any point resumes
// (`--resume`) without sending any transaction twice. It is a file of JSON lines, appended and flushed one line at a
// time; a line cut short by a kill is the last one and is ignored.
//
// Two kinds of record:
// - a transaction, recorded *before* it is sent with its sender and nonce ("sending"), then with its hash once the
//   node took it ("sent"), then with its receipt's status once mined ("mined"). On resume a transaction recorded as
//   sending or sent was mined exactly when its sender's nonce has moved past it; then it is not sent again. One that
//   reverted changed nothing but its sender's nonce: a resumed run sends it again;
// - a step, recorded once all its work is done, with the result later steps need (addresses, ids, amounts).

/** The signer of the journal's transactions: ethers' `Signer`, narrowed to what is used. */
export interface JournalSigner {
  getAddress(): Promise<string>;
  sendTransaction(tx: TransactionRequest): Promise<{ hash: string; wait(): Promise<TransactionReceipt | null> }>;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Line =
  | { readonly kind: "run"; readonly chainId: string; readonly startedAt: string }
  | { readonly kind: "sending"; readonly key: string; readonly from: string; readonly nonce: number }
  | { readonly kind: "sent"; readonly key: string; readonly hash: string }
  | { readonly kind: "mined"; readonly key: string; readonly hash: string; readonly blockNumber: number }
  | { readonly kind: "step"; readonly step: string; readonly result: Json };

interface TransactionRecord {
  from: string;
  nonce: number;
  hash?: string;
  blockNumber?: number;
}

/** What a resumed journal found, for the progress display and the report. */
export interface ResumeSummary {
  readonly steps: number;
  readonly transactions: number;
  /** Transactions the previous run sent without recording their receipt; found mined on the chain. */
  readonly recovered: number;
}

/**
 * How much gas a transaction is given above its estimate, in percent. A node estimates the least gas that succeeds
 * in the block it would mine next, which is not the block that mines it: anvil's clock follows the wall clock, so a
 * branch on `block.timestamp` (a signature's expiry) can cost a few gas more a second later, and a BLS check forwards
 * 63/64 of what is left to the pairing precompile. A wallet leaves the same margin.
 */
export const GAS_LIMIT_MARGIN_PERCENT = 20n;

const PERCENT = 100n;

export interface JournalOptions {
  /** Continue the journal in `file` (it must exist, on this chain); otherwise start a new one (none may exist). */
  readonly resume: boolean;
  /** Decodes the custom errors of a transaction that fails (the project's contracts), for its message. */
  readonly errors?: ErrorDecoder;
  /** Test hook: called after a line is written, with that line's kind and key (a throw there is a kill). */
  readonly afterWrite?: (kind: Line["kind"], key: string) => void;
}

function keyOf(line: Line): string {
  if (line.kind === "step") return line.step;
  if (line.kind === "run") return "run";
  return line.key;
}

/** The rehearsal's journal of transactions and steps (see the module comment). */
export class Journal {
  readonly file: string;
  private readonly provider: Provider;
  private readonly transactions = new Map<string, TransactionRecord>();
  private readonly steps = new Map<string, Json>();
  private readonly afterWrite: JournalOptions["afterWrite"];
  private readonly errors: ErrorDecoder | undefined;
  private fd: number;
  private recovered = 0;
  private blockGasLimit: bigint | undefined;

  private constructor(file: string, provider: Provider, options: JournalOptions) {
    this.file = file;
    this.provider = provider;
    this.afterWrite = options.afterWrite;
    this.errors = options.errors;
    mkdirSync(path.dirname(file), { recursive: true });
    this.fd = openSync(file, "a");
  }

  /**
   * Opens the journal of a run. A new run refuses an existing journal (say `--resume`, or remove it); a resumed
   * run refuses a missing one, or one written on another chain (its chain id, and every transaction it recorded
   * as mined must be on this chain).
   */
  static async open(file: string, provider: Provider, options: JournalOptions): Promise<Journal> {
    const chainId = (await provider.getNetwork()).chainId.toString();
    const exists = existsSync(file);
    if (!options.resume && exists) {
      throw new PreconditionError(
        `${file} holds the journal of an earlier rehearsal: continue it with --resume, or delete it to start afresh`,
      );
    }
    if (options.resume && !exists) {
      throw new PreconditionError(`--resume: there is no journal at ${file} to continue`);
    }
    const lines = exists ? Journal.read(file) : [];
    const journal = new Journal(file, provider, options);
    if (!exists) {
      journal.write({ kind: "run", chainId, startedAt: new Date().toISOString() });
      return journal;
    }
    const run = lines[0];
    if (run?.kind !== "run") throw new PreconditionError(`${file} is not a rehearsal journal (no run line first)`);
    if (run.chainId !== chainId) {
      throw new PreconditionError(`${file} was written on chain ${run.chainId}, not on this chain ${chainId}`);
    }
    for (const line of lines) journal.apply(line);
    await journal.reconcile();
    return journal;
  }

  /** The journal's lines; an unreadable last line (cut by a kill) is dropped, an unreadable earlier one refused. */
  private static read(file: string): Line[] {
    const texts = readFileSync(file, "utf8").split("\n");
    const lines: Line[] = [];
    texts.forEach((text, index) => {
      if (text.trim() === "") return;
      try {
        lines.push(JSON.parse(text) as Line);
      } catch {
        const last = texts.slice(index + 1).every((rest) => rest.trim() === "");
        if (!last) throw new PreconditionError(`${file}: line ${index + 1} is not JSON; the journal is damaged`);
      }
    });
    return lines;
  }

  private apply(line: Line): void {
    switch (line.kind) {
      case "run":
        return;
      case "sending":
        this.transactions.set(line.key, { from: line.from, nonce: line.nonce });
        return;
      case "sent":
      case "mined": {
        const record = this.transactions.get(line.key);
        if (record === undefined) throw new PreconditionError(`${this.file}: ${line.key} has no sending line`);
        record.hash = line.hash;
        if (line.kind === "mined") record.blockNumber = line.blockNumber;
        return;
      }
      case "step":
        this.steps.set(line.step, line.result);
        return;
    }
  }

  /**
   * Settles the transactions the previous run left unconfirmed: mined (the sender's nonce moved past it) or not
   * (it will be sent again, at the sender's current nonce). A transaction recorded as mined must exist here.
   */
  private async reconcile(): Promise<void> {
    for (const [key, record] of this.transactions) {
      if (record.blockNumber !== undefined) {
        if (record.hash !== undefined && (await this.provider.getTransactionReceipt(record.hash)) === null) {
          throw new PreconditionError(
            `${this.file} records ${key} as mined (${record.hash}), which this chain does not have: the journal ` +
              `belongs to another chain (a restarted node starts empty); delete it to start afresh`,
          );
        }
        continue;
      }
      const count = await this.provider.getTransactionCount(record.from, "latest");
      if (count <= record.nonce) {
        this.transactions.delete(key);
        continue;
      }
      const receipt = await this.receiptAt(record);
      this.recovered += 1;
      this.write({ kind: "mined", key, hash: receipt.hash, blockNumber: receipt.blockNumber });
    }
  }

  /** The receipt of `record`'s sender's transaction at its nonce: by its hash if known, else found in the blocks. */
  private async receiptAt(record: TransactionRecord): Promise<TransactionReceipt> {
    if (record.hash !== undefined) {
      const receipt = await this.provider.getTransactionReceipt(record.hash);
      if (receipt !== null) return receipt;
    }
    const latest = await this.provider.getBlockNumber();
    for (let number = latest; number >= 0; number--) {
      const block = await this.provider.getBlock(number, true);
      for (const tx of block?.prefetchedTransactions ?? []) {
        if (tx.from.toLowerCase() === record.from.toLowerCase() && tx.nonce === record.nonce) {
          const receipt = await this.provider.getTransactionReceipt(tx.hash);
          if (receipt !== null) return receipt;
        }
      }
    }
    throw new PreconditionError(
      `${this.file}: ${record.from}'s transaction at nonce ${record.nonce} was mined but is in no block`,
    );
  }

  private write(line: Line): void {
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    fsyncSync(this.fd);
    this.apply(line);
    this.afterWrite?.(line.kind, keyOf(line));
  }

  /** What the resumed journal held. */
  summary(): ResumeSummary {
    return { steps: this.steps.size, transactions: this.transactions.size, recovered: this.recovered };
  }

  /** Whether `step` completed in this run or an earlier one. */
  isDone(step: string): boolean {
    return this.steps.has(step);
  }

  /** The result `step` recorded when it completed, in this run or an earlier one; undefined while it has not. */
  recorded(step: string): Json | undefined {
    return this.steps.get(step);
  }

  /**
   * Runs `step` once over all runs: a step completed earlier returns its recorded result without running again.
   * The result must be JSON (bigints as strings).
   */
  async step<T extends Json>(step: string, run: () => Promise<T>): Promise<T> {
    if (this.steps.has(step)) return this.steps.get(step) as T;
    const result = await run();
    this.write({ kind: "step", step, result });
    return result;
  }

  /**
   * Sends the transaction `key` from `signer` once over all runs, and returns its receipt. Recorded with the sender's
   * nonce before it is sent, so that a kill at any point is settled on resume. Without a gas limit of its own it is
   * given its estimate plus {@link GAS_LIMIT_MARGIN_PERCENT} (at most the block gas limit). A transaction whose
   * estimate reverts is not sent; one that reverts once mined is recorded (a resumed run sends it again, since it
   * changed nothing). Both throw a {@link TransactionFailedError} naming the custom error where it can be decoded.
   */
  async send(
    key: string,
    signer: JournalSigner,
    build: () => Promise<TransactionRequest>,
  ): Promise<TransactionReceipt> {
    const done = this.transactions.get(key);
    if (done?.hash !== undefined && done.blockNumber !== undefined) {
      const receipt = await this.provider.getTransactionReceipt(done.hash);
      if (receipt === null) throw new PreconditionError(`${this.file}: ${key}'s receipt is not on this chain`);
      if (receipt.status !== 0) return receipt;
    }
    const from = await signer.getAddress();
    const nonce = await this.provider.getTransactionCount(from, "pending");
    const request: TransactionRequest = { ...(await build()), from, nonce };
    request.gasLimit ??= await this.gasLimitOf(key, request);
    this.write({ kind: "sending", key, from, nonce });
    let sent: Awaited<ReturnType<JournalSigner["sendTransaction"]>>;
    try {
      sent = await signer.sendTransaction(request);
    } catch (error) {
      // Hardhat's chain mines a transaction that reverts and answers with the revert instead of its hash.
      if ((await this.provider.getTransactionCount(from, "latest")) <= nonce) throw error;
      const reverted = await this.receiptAt({ from, nonce });
      if (reverted.status !== 0) throw error;
      this.write({ kind: "sent", key, hash: reverted.hash });
      return this.reverted(key, request, reverted);
    }
    this.write({ kind: "sent", key, hash: sent.hash });
    let receipt: TransactionReceipt | null;
    try {
      receipt = await sent.wait();
    } catch (error) {
      const reverted = await this.provider.getTransactionReceipt(sent.hash);
      if (reverted === null) throw error;
      return this.reverted(key, request, reverted);
    }
    if (receipt === null) throw new Error(`${key}: ${sent.hash} was not mined`);
    this.write({ kind: "mined", key, hash: receipt.hash, blockNumber: receipt.blockNumber });
    return receipt;
  }

  /** Records a transaction that reverted once mined (its nonce is spent) and throws what it says. */
  private async reverted(key: string, request: TransactionRequest, receipt: TransactionReceipt): Promise<never> {
    this.write({ kind: "mined", key, hash: receipt.hash, blockNumber: receipt.blockNumber });
    throw new TransactionFailedError(await this.revertedMessage(key, request, receipt));
  }

  /** `request`'s estimate plus the margin, at most the block gas limit; a revert of the estimate is refused. */
  private async gasLimitOf(key: string, request: TransactionRequest): Promise<bigint> {
    let estimate: bigint;
    try {
      estimate = await this.provider.estimateGas(request);
    } catch (error) {
      const data = revertData(error);
      if (data === undefined) throw error;
      throw new TransactionFailedError(
        `${key}: ${describeRequest(request)} would revert with ${describeRevert(data, this.errors)}; it was not sent`,
      );
    }
    this.blockGasLimit ??= (await this.provider.getBlock("latest"))?.gasLimit ?? estimate;
    const padded = estimate + (estimate * GAS_LIMIT_MARGIN_PERCENT) / PERCENT;
    return padded < this.blockGasLimit ? padded : this.blockGasLimit;
  }

  /** What a mined revert says: where, how much gas, and why (out of gas, or the error a replay of it gives). */
  private async revertedMessage(
    key: string,
    request: TransactionRequest,
    receipt: TransactionReceipt,
  ): Promise<string> {
    const limit = request.gasLimit === undefined || request.gasLimit === null ? undefined : BigInt(request.gasLimit);
    const gas =
      limit === undefined
        ? `using ${formatInteger(receipt.gasUsed)} gas`
        : `using ${formatInteger(receipt.gasUsed)} of its ${formatInteger(limit)} gas`;
    let why: string;
    if (limit !== undefined && receipt.gasUsed >= limit) {
      why = "it ran out of gas";
    } else {
      // Replayed on the state it was mined on (one transaction a block on a local node).
      try {
        await this.provider.call({ ...request, blockTag: receipt.blockNumber - 1 });
        why = "a replay on the block before does not revert: it depended on its block";
      } catch (error) {
        const data = revertData(error);
        if (data === undefined) throw error;
        why = `a replay on the block before reverts with ${describeRevert(data, this.errors)}`;
      }
    }
    return (
      `${key}: ${describeRequest(request)} reverted in block ${formatInteger(receipt.blockNumber)} ` +
      `(${receipt.hash}), ${gas}: ${why}. ${this.file} records it: once the cause is fixed, --resume sends it again`
    );
  }

  /** Closes the file; `remove` deletes it (a run that completed needs no journal). */
  close(remove = false): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    if (remove) rmSync(this.file, { force: true });
  }
}

/** A transaction request as a message names it: its sender and its contract (or a deployment). */
function describeRequest(request: TransactionRequest): string {
  const address = (target: TransactionRequest["to"]): string =>
    typeof target === "string" ? target : target === undefined || target === null ? "a new contract" : "a contract";
  return `the transaction from ${address(request.from)} to ${address(request.to)}`;
}

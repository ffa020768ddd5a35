import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

import type { Provider, TransactionReceipt, TransactionRequest } from "ethers";

import { PreconditionError } from "../errors";

// The rehearsal's journal: what it has done, written as it goes, so that a run killed at any point resumes
// (`--resume`) without sending any transaction twice. It is a file of JSON lines, appended and flushed one line at a
// time; a line cut short by a kill is the last one and is ignored.
//
// Two kinds of record:
// - a transaction, recorded *before* it is sent with its sender and nonce ("sending"), then with its hash once the
//   node took it ("sent"), then with its receipt's status once mined ("mined"). On resume a transaction recorded as
//   sending or sent was mined exactly when its sender's nonce has moved past it; then it is not sent again;
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

export interface JournalOptions {
  /** Continue the journal in `file` (it must exist, on this chain); otherwise start a new one (none may exist). */
  readonly resume: boolean;
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
  private fd: number;
  private recovered = 0;

  private constructor(file: string, provider: Provider, afterWrite: JournalOptions["afterWrite"]) {
    this.file = file;
    this.provider = provider;
    this.afterWrite = afterWrite;
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
    const journal = new Journal(file, provider, options.afterWrite);
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
   * nonce before it is sent, so that a kill at any point is settled on resume; a transaction that reverts throws
   * (its receipt is recorded: it is not sent again).
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
      return receipt;
    }
    const from = await signer.getAddress();
    const nonce = await this.provider.getTransactionCount(from, "pending");
    const request = { ...(await build()), nonce };
    this.write({ kind: "sending", key, from, nonce });
    const sent = await signer.sendTransaction(request);
    this.write({ kind: "sent", key, hash: sent.hash });
    let receipt: TransactionReceipt | null;
    try {
      receipt = await sent.wait();
    } catch (error) {
      // A revert: mined all the same, so recorded, and never sent again.
      const reverted = await this.provider.getTransactionReceipt(sent.hash);
      if (reverted !== null) this.write({ kind: "mined", key, hash: reverted.hash, blockNumber: reverted.blockNumber });
      throw error;
    }
    if (receipt === null) throw new Error(`${key}: ${sent.hash} was not mined`);
    this.write({ kind: "mined", key, hash: receipt.hash, blockNumber: receipt.blockNumber });
    return receipt;
  }

  /** Closes the file; `remove` deletes it (a run that completed needs no journal). */
  close(remove = false): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    if (remove) rmSync(this.file, { force: true });
  }
}

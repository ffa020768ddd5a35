import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { expect } from "chai";
import fc from "fast-check";
import { Interface, Wallet, type TransactionRequest } from "ethers";
import { ethers } from "hardhat";

import { PreconditionError } from "../../../../lib/errors";
import { Journal, type JournalOptions, type JournalSigner } from "../../../../lib/rehearsal";
import { restoreChainAfterSuite } from "../../../helpers/chain";
import { rejectionOf } from "../../../helpers/errors";

/** What a kill throws: the process dies right after the journal wrote a line. */
class Killed extends Error {}

/** A hook that kills the run after the `occurrence`-th line of `kind` (counting from 1). */
function killAfter(kind: string, occurrence: number): JournalOptions["afterWrite"] {
  let seen = 0;
  return (written) => {
    if (written !== kind) return;
    seen += 1;
    if (seen === occurrence) throw new Killed(`killed after ${kind} #${occurrence}`);
  };
}

const AMOUNTS = [1n, 2n, 3n, 4n, 5n].map((wei) => wei * 10n ** 15n);

describe("lib/rehearsal: the journal", function () {
  restoreChainAfterSuite();

  let dir: string;
  let sender: HardhatEthersSigner;
  let recipients: string[];
  before(async function () {
    dir = mkdtempSync(path.join(tmpdir(), "journal-"));
    const signers = await ethers.getSigners();
    sender = signers[19] as HardhatEthersSigner;
    recipients = Array.from({ length: AMOUNTS.length }, () => Wallet.createRandom().address);
  });
  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  let count = 0;
  const fileFor = (name: string) => path.join(dir, `${name}-${++count}.jsonl`);
  const open = (file: string, options: JournalOptions) => Journal.open(file, ethers.provider, options);

  /** The payments of a run: one transfer per amount to fresh recipients, as steps of one transaction each. */
  async function payments(journal: Journal, to: readonly string[], signer: JournalSigner = sender): Promise<void> {
    for (const [index, amount] of AMOUNTS.entries()) {
      await journal.step(`pay-${index}`, async () => {
        const receipt = await journal.send(`pay-${index}`, signer, () =>
          Promise.resolve({ to: to[index], value: amount }),
        );
        return receipt.hash;
      });
    }
  }

  async function balances(to: readonly string[]): Promise<bigint[]> {
    return Promise.all(to.map((address) => ethers.provider.getBalance(address)));
  }

  /** Runs the payments, killed after `kind` #`occurrence`, then resumes them until done; returns the journal. */
  async function killAndResume(kind: string, occurrence: number, to: readonly string[]) {
    const file = fileFor(`kill-${kind}-${occurrence}`);
    const first = await open(file, { resume: false, afterWrite: killAfter(kind, occurrence) });
    const error = await rejectionOf(payments(first, to));
    first.close();
    expect(error).to.be.instanceOf(Killed);
    const resumed = await open(file, { resume: true });
    await payments(resumed, to);
    resumed.close();
    return resumed;
  }

  describe("an uninterrupted run", function () {
    it("sends each transaction once and records every step", async function () {
      const to = recipients.map(() => Wallet.createRandom().address);
      const nonce = await sender.getNonce();
      const journal = await open(fileFor("plain"), { resume: false });
      await payments(journal, to);
      expect(await sender.getNonce()).to.equal(nonce + AMOUNTS.length);
      expect(await balances(to)).to.deep.equal(AMOUNTS);
      for (const index of AMOUNTS.keys()) expect(journal.isDone(`pay-${index}`)).to.equal(true);
      // A second pass over the same journal sends nothing.
      await payments(journal, to);
      expect(await sender.getNonce()).to.equal(nonce + AMOUNTS.length);
      journal.close();
    });
  });

  describe("killed at any point and resumed", function () {
    for (const kind of ["sending", "sent", "mined", "step"]) {
      it(`after a "${kind}" line: ends with the balances of an uninterrupted run, no transaction twice`, async function () {
        const to = recipients.map(() => Wallet.createRandom().address);
        const nonce = await sender.getNonce();
        await killAndResume(kind, 3, to);
        expect(await balances(to)).to.deep.equal(AMOUNTS);
        expect(await sender.getNonce()).to.equal(nonce + AMOUNTS.length);
      });
    }

    it("recovers a transaction mined after a kill that left only its sending line (found by nonce in the blocks)", async function () {
      const to = recipients.map(() => Wallet.createRandom().address);
      const nonce = await sender.getNonce();
      // Killed after the node took the transaction but before its hash was written.
      const killing: JournalSigner = {
        getAddress: () => sender.getAddress(),
        sendTransaction: async (tx: TransactionRequest) => {
          const sent = await sender.sendTransaction(tx);
          await sent.wait();
          throw new Killed("killed after the broadcast");
        },
      };
      const file = fileFor("broadcast");
      const first = await open(file, { resume: false });
      expect(await rejectionOf(payments(first, to, killing))).to.be.instanceOf(Killed);
      first.close();
      const resumed = await open(file, { resume: true });
      expect(resumed.summary()).to.deep.equal({ steps: 0, transactions: 1, recovered: 1 });
      await payments(resumed, to);
      resumed.close();
      expect(await balances(to)).to.deep.equal(AMOUNTS);
      expect(await sender.getNonce()).to.equal(nonce + AMOUNTS.length);
    });

    it("holds for every kill point (property)", async function () {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("sending", "sent", "mined", "step"),
          fc.integer({ min: 1, max: AMOUNTS.length }),
          async (kind, occurrence) => {
            const to = recipients.map(() => Wallet.createRandom().address);
            const nonce = await sender.getNonce();
            await killAndResume(kind, occurrence, to);
            expect(await balances(to)).to.deep.equal(AMOUNTS);
            expect(await sender.getNonce()).to.equal(nonce + AMOUNTS.length);
          },
        ),
        { numRuns: 12 },
      );
    });

    it("returns a completed step's recorded result without running it again", async function () {
      const file = fileFor("steps");
      const first = await open(file, { resume: false });
      expect(await first.step("answer", () => Promise.resolve({ value: "42" }))).to.deep.equal({ value: "42" });
      first.close();
      const resumed = await open(file, { resume: true });
      let ran = false;
      const result = await resumed.step("answer", () => {
        ran = true;
        return Promise.resolve({ value: "other" });
      });
      resumed.close(true);
      expect([result, ran]).to.deep.equal([{ value: "42" }, false]);
    });

    it("records a reverted transaction as mined: it is not sent again", async function () {
      const file = fileFor("revert");
      const target = await ethers.deployContract("SESH", [
        240_000_000n * 10n ** 9n,
        sender.address,
        ethers.ZeroAddress,
        ethers.ZeroAddress,
      ]);
      const data = new Interface(["function transfer(address to, uint256 value)"]).encodeFunctionData("transfer", [
        recipients[0],
        10n ** 30n,
      ]);
      const journal = await open(file, { resume: false });
      const build = async () => ({ to: await target.getAddress(), data, gasLimit: 100_000n });
      await rejectionOf(journal.send("too-much", sender, build));
      const nonce = await sender.getNonce();
      journal.close();
      const resumed = await open(file, { resume: true });
      const receipt = await resumed.send("too-much", sender, build);
      resumed.close();
      expect(receipt.status).to.equal(0);
      expect(await sender.getNonce()).to.equal(nonce);
    });
  });

  describe("refusals", function () {
    it("refuses to start a new run over an existing journal", async function () {
      const file = fileFor("exists");
      (await open(file, { resume: false })).close();
      const error = await rejectionOf(open(file, { resume: false }));
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.contain("continue it with --resume, or delete it");
    });

    it("refuses to resume without a journal", async function () {
      const error = await rejectionOf(open(path.join(dir, "none.jsonl"), { resume: true }));
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.contain("there is no journal");
    });

    it("refuses a journal of another chain id", async function () {
      const file = fileFor("chain");
      writeFileSync(file, `${JSON.stringify({ kind: "run", chainId: "1", startedAt: "2025-05-14T00:00:00Z" })}\n`);
      const error = await rejectionOf(open(file, { resume: true }));
      expect(error.message).to.match(/written on chain 1, not on this chain \d+/);
    });

    it("refuses a journal whose mined transaction this chain does not have (a restarted node)", async function () {
      const file = fileFor("restarted");
      const { chainId } = await ethers.provider.getNetwork();
      const hash = `0x${"ab".repeat(32)}`;
      writeFileSync(
        file,
        [
          { kind: "run", chainId: chainId.toString(), startedAt: "2025-05-14T00:00:00Z" },
          { kind: "sending", key: "pay-0", from: sender.address, nonce: 0 },
          { kind: "sent", key: "pay-0", hash },
          { kind: "mined", key: "pay-0", hash, blockNumber: 1 },
        ]
          .map((line) => JSON.stringify(line))
          .join("\n") + "\n",
      );
      const error = await rejectionOf(open(file, { resume: true }));
      expect(error.message).to.contain("belongs to another chain");
    });

    it("ignores a last line cut short by a kill, and refuses a damaged line before it", async function () {
      const file = fileFor("torn");
      const journal = await open(file, { resume: false });
      await journal.step("done", () => Promise.resolve("yes"));
      journal.close();
      writeFileSync(file, `${readFileSync(file, "utf8")}{"kind":"st`);
      const resumed = await open(file, { resume: true });
      expect(resumed.isDone("done")).to.equal(true);
      resumed.close();
      writeFileSync(file, `${readFileSync(file, "utf8")}\n{"kind":"step","step":"later","result":1}\n`);
      const error = await rejectionOf(open(file, { resume: true }));
      expect(error.message).to.match(/line \d+ is not JSON; the journal is damaged/);
    });
  });
});

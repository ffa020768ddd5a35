import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { expect } from "chai";
import fc from "fast-check";
import { Interface, Wallet, type TransactionRequest } from "ethers";
import hre, { ethers } from "hardhat";

import { errorDecoderOf } from "../../../../lib/chain/revert";
import { PreconditionError, TransactionFailedError } from "../../../../lib/errors";
import { GAS_LIMIT_MARGIN_PERCENT, Journal, type JournalOptions, type JournalSigner } from "../../../../lib/rehearsal";
import type { SESH } from "../../../../typechain-types";
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
  });

  describe("gas and failed transactions", function () {
    const SUPPLY = 240_000_000n * 10n ** 9n;
    const ERC20 = new Interface(["function transfer(address to, uint256 value)"]);
    let token: SESH;
    let errors: Interface;
    before(async function () {
      token = await ethers.deployContract("SESH", [SUPPLY, sender.address, ethers.ZeroAddress, ethers.ZeroAddress]);
      errors = errorDecoderOf([(await hre.artifacts.readArtifact("SESH")).abi as unknown[]]);
    });

    /** A transfer of `amount` of the token to the first recipient (more than the supply reverts). */
    const transfer = (amount: bigint, gasLimit?: bigint) => async (): Promise<TransactionRequest> => ({
      to: await token.getAddress(),
      data: ERC20.encodeFunctionData("transfer", [recipients[0], amount]),
      ...(gasLimit === undefined ? {} : { gasLimit }),
    });

    it(`gives a transaction its estimate plus ${GAS_LIMIT_MARGIN_PERCENT} %`, async function () {
      const build = transfer(1n);
      const estimate = await ethers.provider.estimateGas({ ...(await build()), from: sender.address });
      const journal = await open(fileFor("margin"), { resume: false });
      const receipt = await journal.send("margin", sender, build);
      journal.close(true);
      const sent = await ethers.provider.getTransaction(receipt.hash);
      expect(sent?.gasLimit).to.equal(estimate + (estimate * GAS_LIMIT_MARGIN_PERCENT) / 100n);
      expect(receipt.gasUsed).to.be.at.most(estimate);
    });

    it("gives at most the block gas limit", async function () {
      const block = await ethers.provider.getBlock("latest");
      const limit = block?.gasLimit ?? 0n;
      // A provider whose estimate is nearly the block gas limit: with the margin it would be above it.
      const provider = new Proxy(ethers.provider, {
        get(target, property, receiver) {
          if (property === "estimateGas") return () => Promise.resolve(limit - 1n);
          return Reflect.get(target, property, receiver) as unknown;
        },
      });
      const journal = await Journal.open(fileFor("cap"), provider, { resume: false });
      const receipt = await journal.send("cap", sender, () => Promise.resolve({ to: recipients[1], value: 1n }));
      journal.close(true);
      expect((await ethers.provider.getTransaction(receipt.hash))?.gasLimit).to.equal(limit);
    });

    it("keeps a transaction's own gas limit", async function () {
      const journal = await open(fileFor("own"), { resume: false });
      const receipt = await journal.send("own", sender, transfer(1n, 90_000n));
      journal.close(true);
      expect((await ethers.provider.getTransaction(receipt.hash))?.gasLimit).to.equal(90_000n);
    });

    it("does not send a transaction whose estimate reverts, and names the decoded error", async function () {
      const file = fileFor("refused");
      const nonce = await sender.getNonce();
      const balance = await token.balanceOf(sender.address);
      const journal = await open(file, { resume: false, errors });
      const error = await rejectionOf(journal.send("too-much", sender, transfer(SUPPLY + 1n)));
      journal.close();
      expect(error).to.be.instanceOf(TransactionFailedError);
      expect(error.message).to.equal(
        `too-much: the transaction from ${sender.address} to ${await token.getAddress()} would revert with ` +
          `ERC20InsufficientBalance(${sender.address}, ${balance}, ${SUPPLY + 1n}); it was not sent`,
      );
      expect(await sender.getNonce()).to.equal(nonce);
      expect(readFileSync(file, "utf8")).not.to.include('"sending"');
    });

    it("names an error it cannot decode by its selector", async function () {
      const journal = await open(fileFor("unknown"), { resume: false });
      const error = await rejectionOf(journal.send("too-much", sender, transfer(SUPPLY + 1n)));
      journal.close();
      const selector = errors.getError("ERC20InsufficientBalance")?.selector ?? "";
      expect(error.message).to.include(`would revert with the unknown error ${selector}; it was not sent`);
    });

    it("records a transaction that reverts once mined, names the error, and sends it again on resume", async function () {
      const file = fileFor("revert");
      const balance = await token.balanceOf(sender.address);
      const journal = await open(file, { resume: false, errors });
      // Its own gas limit: sent without an estimate, it reverts in its block.
      const error = await rejectionOf(journal.send("too-much", sender, transfer(SUPPLY + 1n, 100_000n)));
      journal.close();
      expect(error).to.be.instanceOf(TransactionFailedError);
      expect(error.message).to.match(
        new RegExp(
          `^too-much: the transaction from ${sender.address} to ${await token.getAddress()} reverted in block ` +
            `[\\d,]+ \\(0x[0-9a-f]{64}\\), using [\\d,]+ of its 100,000 gas: a replay on the block before reverts ` +
            `with ERC20InsufficientBalance\\(${sender.address}, ${balance}, ${SUPPLY + 1n}\\)\\. ` +
            `.*revert-\\d+\\.jsonl records it: once the cause is fixed, --resume sends it again$`,
        ),
      );
      // The cause fixed (a smaller amount), the resumed run sends the transaction again, and it goes through.
      const nonce = await sender.getNonce();
      const resumed = await open(file, { resume: true, errors });
      const receipt = await resumed.send("too-much", sender, transfer(1n));
      resumed.close();
      expect(receipt.status).to.equal(1);
      expect(await sender.getNonce()).to.equal(nonce + 1);
      // A second resume finds it mined and sends nothing.
      const again = await open(file, { resume: true, errors });
      expect((await again.send("too-much", sender, transfer(1n))).hash).to.equal(receipt.hash);
      again.close(true);
      expect(await sender.getNonce()).to.equal(nonce + 1);
    });

    it("says that a transaction ran out of gas", async function () {
      const journal = await open(fileFor("gas"), { resume: false, errors });
      const error = await rejectionOf(journal.send("short", sender, transfer(1n, 22_000n)));
      journal.close(true);
      expect(error).to.be.instanceOf(TransactionFailedError);
      expect(error.message).to.match(/, using 22,000 of its 22,000 gas: it ran out of gas\. /);
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

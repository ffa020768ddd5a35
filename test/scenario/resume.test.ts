import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre, { ethers } from "hardhat";

import { PreconditionError } from "../../lib/errors";
import { journalFileName, rehearse, type RehearsalResult } from "../../scripts/rehearse";
import { anchorOf, landingOf } from "../helpers/rehearsal";
import { restoreChainAfterSuite } from "../helpers/chain";
import { rejectionOf } from "../helpers/errors";

/** Enough nodes for several seed batches, so that the kill lands between two of them. */
const NODES = 1_000;
const quiet = (): void => undefined;

/** What a kill throws: the process dies right after the journal wrote a line. */
class Killed extends Error {}

/** Kills the run right after the journal wrote its `kind` line of `key` (the transaction was sent, not recorded). */
function killAfter(kind: string, key: string) {
  return (written: string, writtenKey: string): void => {
    if (written === kind && writtenKey === key) throw new Killed(`killed after ${kind} ${key}`);
  };
}

/** The chain state a rehearsal leaves: balances of the holders that move, nonces of the senders, the nodes. */
async function stateAfter(result: RehearsalResult) {
  const { tge, seeding } = landingOf(result);
  const rewards = await ethers.getContractAt("ServiceNodeRewards", seeding.rewardsAddress);
  const escrow = tge.plan.escrow.address;
  const deployer = tge.plan.genesisReceiver;
  return {
    rewardsBalance: await tge.sesh.balanceOf(seeding.rewardsAddress),
    escrowBalance: await tge.sesh.balanceOf(escrow),
    nodes: await rewards.totalNodes(),
    ids: (await rewards.allServiceNodeIDs())[0].map(String),
    started: await rewards.isStarted(),
    escrowNonce: await ethers.provider.getTransactionCount(escrow),
    deployerNonce: await ethers.provider.getTransactionCount(deployer),
  };
}

// The rehearsal killed in the middle of the Landing's seeding and resumed (SPEC 5, issue 13): it must end with exactly
// the state of an uninterrupted run and send no transaction twice. Both runs start from the same chain state (an EVM
// snapshot), so that every address is the same and the states compare directly.
describe("scenario: the rehearsal killed during the seeding and resumed", function () {
  restoreChainAfterSuite();

  const dirs: string[] = [];
  const reportDir = (): string => {
    const dir = mkdtempSync(path.join(tmpdir(), "rehearsal-resume-"));
    dirs.push(dir);
    return dir;
  };
  after(function () {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  let uninterrupted: Awaited<ReturnType<typeof stateAfter>>;
  let resumed: RehearsalResult;
  let interruptedDir: string;
  let killed: Error;
  let journalLeft: boolean;
  const lines: string[] = [];

  before(async function () {
    const start = (await ethers.provider.send("evm_snapshot", [])) as string;
    uninterrupted = await stateAfter(await rehearse(hre, { nodes: NODES, reportDir: reportDir(), log: quiet }));
    await ethers.provider.send("evm_revert", [start]);

    interruptedDir = reportDir();
    killed = await rejectionOf(
      rehearse(hre, {
        nodes: NODES,
        reportDir: interruptedDir,
        log: quiet,
        // The second seed batch was sent and mined, but the kill came before its receipt was written.
        journalHook: killAfter("sent", "landing.seed.1"),
      }),
    );
    journalLeft = existsSync(path.join(interruptedDir, journalFileName("hardhat")));
    resumed = await rehearse(hre, {
      nodes: NODES,
      reportDir: interruptedDir,
      resume: true,
      log: (text) => lines.push(...text.split("\n")),
    });
  });

  it("was killed in the middle of the seeding, leaving its journal", function () {
    expect(killed).to.be.instanceOf(Killed);
    expect(journalLeft).to.equal(true);
    expect(anchorOf(resumed).plan.seedBatches.length).to.be.greaterThan(2);
  });

  it("resumes from the journal, finding the batch mined after the kill", function () {
    expect(lines[1]).to.match(
      /^resuming .*rehearsal-journal-hardhat\.jsonl: \d+ steps and \d+ transactions done, 1 found mined/,
    );
  });

  it("ends with exactly the state of an uninterrupted run", async function () {
    expect(await stateAfter(resumed)).to.deep.equal(uninterrupted);
  });

  it("seeded no node twice and passes every check", function () {
    expect(landingOf(resumed).seeding.seededNodes).to.equal(anchorOf(resumed).plan.totals.restakedNodes);
    expect(resumed.checks.filter((check) => !check.ok)).to.deep.equal([]);
  });

  it("removes its journal once it passed", function () {
    expect(existsSync(path.join(interruptedDir, journalFileName("hardhat")))).to.equal(false);
  });

  it("refuses to resume when there is no journal", async function () {
    const error = await rejectionOf(rehearse(hre, { reportDir: reportDir(), resume: true, log: quiet }));
    expect(error).to.be.instanceOf(PreconditionError);
    expect(error.message).to.contain("there is no journal");
  });
});

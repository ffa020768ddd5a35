import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre, { ethers } from "hardhat";

import { InputFileError, PreconditionError } from "../../lib/errors";
import { Journal } from "../../lib/rehearsal/journal";
import { generateSnapshot, parseSnapshot, snapshotToJson, type SnapshotInput } from "../../lib/snapshot";
import { launchTimeline } from "../../lib/timeline";
import { DECOMMISSION_GRACE_SECONDS, planAnchor, runAnchor, type AnchorPhase } from "../../scripts/phases/anchor";
import { rehearse } from "../../scripts/rehearse";
import { restoreChainAfterSuite } from "../helpers/chain";
import { rejectionOf } from "../helpers/errors";
import { lineOf, rawTgeParameters, writeTgeParameters } from "../helpers/tge";

const NODES = 120;
const SEED = "scenario-anchor";
const quiet = (): void => undefined;
const EXAMPLE_SNAPSHOT = path.join(__dirname, "..", "..", "examples", "snapshot-12-nodes.json");

function generated(): SnapshotInput {
  return generateSnapshot({ seed: SEED, nodes: NODES, wallets: NODES * 5 });
}

async function latest(): Promise<{ number: number; timestamp: number }> {
  const block = await ethers.provider.getBlock("latest");
  return { number: block?.number ?? -1, timestamp: block?.timestamp ?? -1 };
}

/** Writes `snapshot` to a temporary file and returns its path and folder. */
function snapshotFile(name: string, snapshot: unknown): { file: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), `anchor-${name}-`));
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(snapshot, null, 2));
  return { file, dir };
}

// The Anchor as the rehearsal plays it (scripts/phases/anchor.ts): the snapshot through the hardfork, the
// deregistration of un-upgraded nodes and the bonus snapshot, then the plan. Scenario suites share state in order;
// this one restores the chain afterwards.
describe("scenario: Anchor", function () {
  restoreChainAfterSuite();

  describe("played on the chain's clock", function () {
    restoreChainAfterSuite();
    const dir = mkdtempSync(path.join(tmpdir(), "anchor-journal-"));
    const snapshot = parseSnapshot(snapshotToJson(generated()), "the generated snapshot");
    let journal: Journal;
    let anchor: AnchorPhase;
    let blocksBefore: number;

    before(async function () {
      blocksBefore = (await latest()).number;
      journal = await Journal.open(path.join(dir, "journal.jsonl"), ethers.provider, { resume: false });
      anchor = await runAnchor(hre, {
        snapshot,
        source: "generated",
        journal,
        ...planAnchor(snapshot),
        chartFile: "chart.svg",
      });
    });
    after(function () {
      journal.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("ends with the chain's clock at the bonus snapshot, one block per date and no transaction", async function () {
      const now = await latest();
      expect(now.timestamp).to.equal(launchTimeline().at("bonusSnapshot").unix);
      expect(now.number - blocksBefore).to.equal(4);
      expect(anchor.phase.transactions).to.deep.equal([]);
    });

    it("walks the four dates of the Anchor, the deregistration a week after the hardfork", function () {
      const timeline = launchTimeline();
      const hardfork = timeline.at("anchorHardfork").date.getTime();
      expect(anchor.stages.map((stage) => stage.date.getTime())).to.deep.equal([
        timeline.at("anchorRelease").date.getTime(),
        hardfork,
        hardfork + DECOMMISSION_GRACE_SECONDS * 1_000,
        timeline.at("bonusSnapshot").date.getTime(),
      ]);
    });

    it("decommissions the nodes without a BLS key at the hardfork and deregisters them a week later", function () {
      const unupgraded = snapshot.nodes.filter(
        (node) => node.bls === null && ["active", "awaiting-contributions"].includes(node.state),
      ).length;
      expect(unupgraded).to.be.greaterThan(0);
      const [release, hardfork, deregistration, bonus] = anchor.stages;
      expect(hardfork?.running).to.equal((release?.running ?? 0) - unupgraded);
      expect(hardfork?.decommissioned).to.equal((release?.decommissioned ?? 0) + unupgraded);
      expect(deregistration?.deregistered).to.equal((release?.deregistered ?? 0) + unupgraded);
      expect(deregistration?.decommissioned).to.equal(release?.decommissioned);
      expect(bonus).to.deep.include({ running: deregistration?.running, deregistered: deregistration?.deregistered });
      for (const stage of anchor.stages) {
        expect(stage.running + stage.decommissioned + stage.deregistered + stage.unlocking).to.equal(NODES);
      }
    });

    it("plans the migration: every node is re-staked or disbanded, the un-upgraded ones disbanded", function () {
      const { plan } = anchor;
      expect(plan.totals.restakedNodes + plan.totals.disbandedNodes).to.equal(NODES);
      const disbanded = new Set(plan.disbanded.map((node) => node.ed25519));
      const unupgraded = snapshot.nodes.filter((node) => node.bls === null);
      expect(unupgraded.filter((node) => !disbanded.has(node.ed25519))).to.deep.equal([]);
    });

    it("passes its checks: the snapshot's dates, the frozen registrations, the FAQ's two promises", function () {
      expect(anchor.phase.checks.map((check) => [check.name.split(":")[0], check.ok])).to.deep.equal([
        ["the snapshot was taken at the Anchor hardfork, when registrations froze", true],
        ["no node registered after the hardfork froze registrations", true],
        ["the bonus points were counted up to the bonus snapshot", true],
        ["every node deregistered for not upgrading is disbanded by the plan", true],
        ["FAQ promise", true],
        ["FAQ promise", true],
      ]);
    });

    it("resumed with its journal, moves no clock and mines no block", async function () {
      const before = await latest();
      const again = await runAnchor(hre, {
        snapshot,
        source: "generated",
        journal,
        ...planAnchor(snapshot),
        chartFile: "chart.svg",
      });
      expect(await latest()).to.deep.equal(before);
      expect(again.stages).to.deep.equal(anchor.stages);
    });

    it("reports the nodes at each date in its Markdown", function () {
      const table = anchor.phase.sections.find((section) => section.title === "Nodes through the Anchor");
      expect(table?.markdown.split("\n")).to.have.length(2 + anchor.stages.length);
      expect(table?.markdown).to.contain("| 2025-05-06T00:00:00Z | un-upgraded nodes deregistered |");
    });
  });

  describe("a snapshot whose dates are not the calendar's fails the phase's checks", function () {
    it("names the bonus snapshot it was counted to, without a clock move under --real-time", async function () {
      const raw = generated();
      raw.parameters.snapshotTime = "2025-05-10T00:00:00Z";
      const snapshot = parseSnapshot(JSON.stringify(raw), "a later bonus snapshot");
      const dir = mkdtempSync(path.join(tmpdir(), "anchor-late-bonus-"));
      const journal = await Journal.open(path.join(dir, "journal.jsonl"), ethers.provider, { resume: false });
      const before = await latest();
      const anchor = await runAnchor(hre, {
        snapshot,
        source: "edited",
        journal,
        realTime: true,
        ...planAnchor(snapshot),
        chartFile: "chart.svg",
      });
      journal.close();
      rmSync(dir, { recursive: true, force: true });
      expect(await latest()).to.deep.equal(before);
      const failed = anchor.phase.checks.filter((check) => !check.ok);
      expect(failed.map((check) => [check.name, check.detail])).to.deep.equal([
        ["the bonus points were counted up to the bonus snapshot", "points until 2025-05-10T00:00:00Z"],
      ]);
    });
  });

  describe("the rehearsal's inputs, checked before the chain is touched", function () {
    it("names the row of a bad snapshot, and sends nothing", async function () {
      const raw = JSON.parse(readFileSync(EXAMPLE_SNAPSHOT, "utf8")) as { nodes: { stake: string }[] };
      const row = raw.nodes[3];
      if (row === undefined) throw new Error("the example has no node 3");
      row.stake = "12x";
      const { file, dir } = snapshotFile("bad-snapshot", raw);
      const reports = path.join(dir, "reports");
      const before = await latest();
      const error = await rejectionOf(rehearse(hre, { snapshotFile: file, reportDir: reports, log: quiet }));
      expect(error).to.be.instanceOf(InputFileError);
      expect(error.message).to.match(
        /nodes\[3\] \(ed25519 [0-9a-f]{8}…\)\.stake: "12x" is not a whole number of atoms/,
      );
      expect(await latest()).to.deep.equal(before);
      expect(readdirSync(dir)).to.deep.equal(["bad-snapshot.json"]);
      rmSync(dir, { recursive: true, force: true });
    });

    it("refuses a snapshot whose bonus pool is not the table's Service Node Bonus line, and sends nothing", async function () {
      const raw = JSON.parse(readFileSync(EXAMPLE_SNAPSHOT, "utf8")) as { parameters: { bonusPool: string } };
      raw.parameters.bonusPool = "29000000000000000";
      const { file, dir } = snapshotFile("other-bonus", raw);
      const before = await latest();
      const error = await rejectionOf(rehearse(hre, { snapshotFile: file, reportDir: dir, log: quiet }));
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.match(
        /does not fit the migration plan: the snapshot's bonus pool is 29,000,000 SESH but the table's ServiceNodeRewards \(Service Node Bonus\) line is 30,000,000 SESH/,
      );
      expect(await latest()).to.deep.equal(before);
      expect(readdirSync(dir)).to.deep.equal(["other-bonus.json"]);
      rmSync(dir, { recursive: true, force: true });
    });

    it("refuses an allocation table whose Oxen Coin Claims line cannot pay the converted stakes, and sends nothing", async function () {
      const table = rawTgeParameters();
      // Oxen Coin Claims (row 3) down to 1 SESH, the rest to the Ecosystem fund (row 1): the table still sums.
      const claims = lineOf(table, 3);
      const fund = lineOf(table, 1);
      fund.amount = String(BigInt(fund.amount) + BigInt(claims.amount) - 1n);
      claims.amount = "1";
      const file = writeTgeParameters("rehearsal-small-claims", table);
      const dir = mkdtempSync(path.join(tmpdir(), "anchor-small-claims-"));
      const before = await latest();
      const error = await rejectionOf(rehearse(hre, { parametersFile: file, reportDir: dir, nodes: 20, log: quiet }));
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.match(
        /does not fit the migration plan: the plan converts [\d,.]+ SESH of stakes and unpaid rewards, more than the 1 SESH of the table's OxenClaimsBridge \(Oxen Coin Claims\) line/,
      );
      expect(await latest()).to.deep.equal(before);
      expect(readdirSync(dir)).to.deep.equal([]);
      rmSync(dir, { recursive: true, force: true });
    });

    it("refuses --snapshot together with --nodes or --seed", async function () {
      const error = await rejectionOf(rehearse(hre, { snapshotFile: EXAMPLE_SNAPSHOT, nodes: 10, log: quiet }));
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.contain("--snapshot reads the Anchor snapshot from its file");
    });
  });

  describe("`--phase anchor`", function () {
    it("plays the launch to the Anchor: the Lighthouse and the Anchor, no Landing, a report of two phases", async function () {
      const dir = mkdtempSync(path.join(tmpdir(), "anchor-phase-"));
      const result = await rehearse(hre, {
        phase: "anchor",
        snapshotFile: EXAMPLE_SNAPSHOT,
        reportDir: dir,
        log: quiet,
      });
      expect(result.phases).to.deep.equal(["lighthouse", "anchor"]);
      expect(result.landing).to.equal(undefined);
      expect(result.passed).to.equal(true);
      const json = JSON.parse(readFileSync(result.report.json, "utf8")) as { phases: { name: string }[] };
      expect(json.phases.map((phase) => phase.name.split(":")[0])).to.deep.equal(["Lighthouse", "Anchor"]);
      expect((await latest()).timestamp).to.equal(launchTimeline().at("bonusSnapshot").unix);
      // The requirement and nodes charts: the rate chart comes with the Landing's claims bridge.
      expect(readdirSync(dir).filter((name) => name.endsWith(".svg"))).to.have.length(2);
      rmSync(dir, { recursive: true, force: true });
    });
  });
});

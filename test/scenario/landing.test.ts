import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { getAddress } from "ethers";
import hre, { ethers } from "hardhat";

import { InputFileError, PreconditionError } from "../../lib/errors";
import { formatSesh } from "../../lib/amount";
import { liquidationShares } from "../../lib/rewards";
import { FINAL_RATE, OPENING_RATE, quote } from "../../lib/schedule";
import { TERMINAL_COLUMNS, widestLine } from "../../lib/tge/report";
import { launchTimeline } from "../../lib/timeline";
import { DEFAULT_NODES, rehearse, type RehearsalResult } from "../../scripts/rehearse";
import { anchorOf, landingOf } from "../helpers/rehearsal";
import { restoreChainAfterSuite } from "../helpers/chain";
import { rejectionOf } from "../helpers/errors";
import { largestCredits } from "../../scripts/phases/landingNetwork";
import { lineOf, rawTgeParameters, writeTgeParameters } from "../helpers/tge";

const SECONDS_PER_MINUTE = 60;
/** The rewards contract's default claim threshold: 1,000,000 SESH a claim cycle. */
const CLAIM_THRESHOLD = 1_000_000n * 10n ** 9n;

// The Landing as the rehearsal plays it (scripts/rehearse.ts), through the same deploy code. Scenario suites
// share state in order; this one restores the chain afterwards so that later suites keep the calendar's clock.
describe("scenario: Landing", function () {
  restoreChainAfterSuite();

  describe("finding 13: the rehearsal validates every input before it touches the chain", function () {
    it("refuses a report folder that is a file, before the chain is touched", async function () {
      const dir = mkdtempSync(path.join(tmpdir(), "rehearsal-not-a-folder-"));
      const file = path.join(dir, "reports");
      writeFileSync(file, "not a folder");
      const before = await ethers.provider.getBlock("latest");
      const error = await rejectionOf(rehearse(hre, { reportDir: path.join(file, "inner"), log: () => undefined }));
      rmSync(dir, { recursive: true, force: true });
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.contain("is a file, not a folder");
      const after = await ethers.provider.getBlock("latest");
      expect([after?.number, after?.timestamp]).to.deep.equal([before?.number, before?.timestamp]);
    });

    it("leaves the block number and the clock unchanged when it rejects the allocation table", async function () {
      const raw = rawTgeParameters();
      lineOf(raw, 1).amount = "42999999";
      const file = writeTgeParameters("rehearsal-bad-sum", raw);
      const before = await ethers.provider.getBlock("latest");
      const reports = mkdtempSync(path.join(tmpdir(), "rehearsal-bad-table-"));
      const error = await rejectionOf(
        rehearse(hre, { parametersFile: file, log: () => undefined, reportDir: reports }),
      );
      expect(readdirSync(reports)).to.deep.equal([]);
      rmSync(reports, { recursive: true, force: true });
      expect(error).to.be.instanceOf(InputFileError);
      expect(error.message).to.include("1 SESH short of the total supply");
      const after = await ethers.provider.getBlock("latest");
      expect([after?.number, after?.timestamp]).to.deep.equal([before?.number, before?.timestamp]);
    });
  });

  describe("the rehearsal", function () {
    let result: RehearsalResult;
    const output: string[] = [];

    const reportDir = mkdtempSync(path.join(tmpdir(), "rehearsal-reports-"));
    before(async function () {
      result = await rehearse(hre, { log: (text) => output.push(...text.split("\n")), reportDir });
    });
    after(function () {
      rmSync(reportDir, { recursive: true, force: true });
    });

    it("writes the JSON and Markdown reports and their three charts, named by the run's start, and nothing else", function () {
      const names = readdirSync(reportDir).sort();
      expect(names).to.have.length(5);
      const base = path.basename(result.report.json, ".json");
      expect(base).to.match(/^rehearsal-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/);
      expect(names).to.deep.equal([
        `${base}-nodes.svg`,
        `${base}-rate.svg`,
        `${base}-requirement.svg`,
        `${base}.json`,
        `${base}.md`,
      ]);
    });

    it("embeds the requirement chart in the Anchor's section, once", function () {
      const markdown = readFileSync(result.report.markdown, "utf8");
      const chart = path.basename(result.report.charts[0] ?? "");
      expect(markdown.split(`(${chart})`)).to.have.length(2);
      expect(markdown.indexOf(`(${chart})`)).to.be.greaterThan(markdown.indexOf("## Anchor"));
      expect(readFileSync(result.report.charts[0] ?? "", "utf8")).to.match(
        /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/,
      );
    });

    it("checks the Migration FAQ's two promises at the launch's requirement", function () {
      expect(anchorOf(result).analysis.promises.requirement).to.equal(25_000n * 10n ** 9n);
      expect([
        anchorOf(result).analysis.promises.solo.kept,
        anchorOf(result).analysis.promises.multi.kept,
      ]).to.deep.equal([true, true]);
      expect(result.checks.filter((check) => check.name.startsWith("FAQ promise"))).to.have.length(2);
    });

    it("reports every check, and every transaction of the TGE, in the JSON", function () {
      const json = JSON.parse(readFileSync(result.report.json, "utf8")) as {
        passed: boolean;
        chainId: number;
        phases: {
          name: string;
          checks: { ok: boolean }[];
          transactions: { hash: string; gasUsed: string }[];
          gasUsed: string;
        }[];
      };
      expect([json.passed, json.chainId]).to.deep.equal([true, 412_346]);
      const landing = json.phases.find((phase) => phase.name === "Landing: Token Generation Event");
      expect(json.phases.flatMap((phase) => phase.checks.map((check) => check.ok))).to.deep.equal(
        result.checks.map(() => true),
      );
      expect(landing?.transactions.map((tx) => tx.hash)).to.deep.equal(
        landingOf(result).tge.transactions.map((tx) => tx.hash),
      );
      expect(landing?.gasUsed).to.equal(landingOf(result).tge.gasUsed.toString());
    });

    it("gives people the summary, the allocation and the balances in the Markdown", function () {
      const markdown = readFileSync(result.report.markdown, "utf8");
      expect(markdown).to.match(/^# Session Network launch rehearsal\n/);
      expect(markdown).to.contain(`**Passed: ${result.checks.length} of ${result.checks.length} checks.**`);
      for (const title of ["### Allocation", "### Balances after the TGE", "### Checks", "### Transactions"]) {
        expect(markdown).to.contain(title);
      }
    });

    describe("the re-staking", function () {
      it("plans the migration of a generated snapshot of 200 nodes", function () {
        expect(anchorOf(result).plan.totals.restakedNodes + anchorOf(result).plan.totals.disbandedNodes).to.equal(
          DEFAULT_NODES,
        );
        expect(anchorOf(result).plan.totals.restakedNodes).to.be.greaterThan(0);
      });

      it("seeds every re-staked node, in the plan's order, with its contributors and stakes", async function () {
        const rewards = await ethers.getContractAt("ServiceNodeRewards", landingOf(result).seeding.rewardsAddress);
        // Every re-staked node but the two the grace week's end liquidated, and the two registered when staking opened.
        expect(await rewards.totalNodes()).to.equal(BigInt(anchorOf(result).plan.totals.restakedNodes - 2 + 2));
        const [ids] = await rewards.allServiceNodeIDs();
        const first = await rewards.serviceNodes(ids[0] ?? 0n);
        const planned = anchorOf(result).plan.restaked[0];
        expect(first.ed25519Pubkey).to.equal(BigInt(`0x${planned?.ed25519 ?? ""}`));
        expect(first.contributors.map((c) => [c.staker.addr, c.stakedAmount])).to.deep.equal(
          planned?.contributors.map((c) => [getAddress(c.ethereumAddress), c.amount]),
        );
      });

      it("is funded by the TGE: the rewards contract with the bonus line and the plan's conversions, the bridge with the rest of the claims line, the escrow with nothing", async function () {
        const { tge, seeding, bridge } = landingOf(result);
        const { plan } = anchorOf(result);
        const expected = plan.totals.restaked + plan.totals.credited;
        const bonusLine = 30_000_000n * 10n ** 9n;
        expect(plan.totals.bonusUndistributed).to.equal(0n);
        expect(expected).to.equal(bonusLine + plan.totals.converted);
        expect(seeding.funded).to.equal(expected);
        expect(seeding.phase.checks[1]?.detail).to.equal(
          `${formatSesh(expected)} held; ${formatSesh(expected)} planned`,
        );
        // Every SESH the rewards contract, the pool, the bridge and the distributor received at the TGE came from
        // the splitter, in the split's one transaction.
        const split = (await tge.sesh.queryFilter(tge.sesh.filters.Transfer(tge.splitterAddress)))[0]?.transactionHash;
        expect(tge.transactions.map((tx) => tx.hash)).to.include(split);
        for (const [address, line] of [
          [seeding.rewardsAddress, expected],
          [seeding.poolAddress, 63_177_550n * 10n ** 9n],
          [bridge.bridgeAddress, 30_000_000n * 10n ** 9n - plan.totals.converted],
          [tge.distributorAddress ?? "", 1_000_000n * 10n ** 9n],
        ] as const) {
          const received = await tge.sesh.queryFilter(tge.sesh.filters.Transfer(undefined, address));
          const atTge = received.filter((log) => log.args.from === tge.splitterAddress);
          expect(atTge.every((log) => log.transactionHash === split)).to.equal(true);
          expect(atTge.reduce((sum, log) => sum + log.args.value, 0n)).to.equal(line);
          // Nothing reached the contract before the split.
          expect(received[0]?.transactionHash).to.equal(split);
        }
        const claimsLine = 30_000_000n * 10n ** 9n;
        expect(await tge.sesh.balanceOf(bridge.bridgeAddress)).to.equal(
          claimsLine - plan.totals.converted - bridge.payments.reduce((sum, payment) => sum + payment.sesh, 0n),
        );
        const escrowReceived = await tge.sesh.queryFilter(
          tge.sesh.filters.Transfer(undefined, tge.plan.escrow.address),
        );
        expect(escrowReceived).to.have.length(0);
      });

      it("pays out of the rewards contract only the credits claimed and the liquidations' penalties, and takes in the new nodes' stakes", async function () {
        const { tge, seeding } = landingOf(result);
        const { plan } = anchorOf(result);
        const claimed = largestCredits(plan, 2, CLAIM_THRESHOLD).reduce((sum, credit) => sum + credit.amount, 0n);
        const shares = liquidationShares(25_000n * 10n ** 9n, { liquidator: 3n, pool: 17n, recipient: 9_980n });
        expect(await tge.sesh.balanceOf(seeding.rewardsAddress)).to.equal(
          seeding.funded - claimed - 2n * (shares.liquidator + shares.pool) + 2n * 25_000n * 10n ** 9n,
        );
      });

      it("starts the rewards contract after the last seed batch", async function () {
        const rewards = await ethers.getContractAt("ServiceNodeRewards", landingOf(result).seeding.rewardsAddress);
        expect(await rewards.isStarted()).to.equal(true);
        const labels = landingOf(result).seeding.phase.transactions.map((tx) => tx.label);
        expect(labels.at(-1)).to.equal("start()");
        expect(labels.slice(0, -1)).to.have.length(anchorOf(result).plan.seedBatches.length);
        expect(labels.slice(0, -1).every((label) => label.startsWith("seed batch "))).to.equal(true);
      });

      it("passes the re-staking's checks and reports them as a phase of their own", function () {
        expect(landingOf(result).seeding.phase.checks.map((check) => check.ok)).to.deep.equal([true, true, true, true]);
        const markdown = readFileSync(result.report.markdown, "utf8");
        expect(markdown).to.contain("## Landing: re-staking");
        expect(markdown).to.match(/nodes seeded in \d+ batch(es)?, [\d,]+ gas \([\d,]+ per node\)/);
      });
    });

    describe("the network's credits and the grace week", function () {
      it("records the four credits the seeded nodes signed, and pays the two claimed in full", async function () {
        const { tge, seeding } = landingOf(result);
        const rewards = await ethers.getContractAt("ServiceNodeRewards", seeding.rewardsAddress);
        const credits = largestCredits(anchorOf(result).plan, 4, CLAIM_THRESHOLD);
        for (const [index, credit] of credits.entries()) {
          const [balance, claimed] = await rewards.recipients(credit.ethereumAddress);
          expect([balance, claimed]).to.deep.equal([credit.amount, index < 2 ? credit.amount : 0n]);
        }
        // The two who claimed staked 25,000 + 18,750 and 6,250 SESH of it in the nodes registered when staking opened.
        const staked = [43_750n, 6_250n].map((sesh) => sesh * 10n ** 9n);
        for (const [index, credit] of credits.entries()) {
          expect(await tge.sesh.balanceOf(credit.ethereumAddress)).to.equal(
            index < 2 ? credit.amount - (staked[index] ?? 0n) : 0n,
          );
        }
      });

      it("liquidates the last two seeded nodes at the grace week's end, on the network's signature", async function () {
        const { seeding } = landingOf(result);
        const rewards = await ethers.getContractAt("ServiceNodeRewards", seeding.rewardsAddress);
        const events = await rewards.queryFilter(rewards.filters.ServiceNodeLiquidated());
        expect(events.map((event) => event.args.serviceNodeID)).to.deep.equal([123n, 124n]);
        const block = await ethers.provider.getBlock(events[0]?.blockNumber ?? 0);
        const graceEnd = launchTimeline().at("tge").unix + 7 * 24 * 3_600;
        expect(block?.timestamp).to.be.within(graceEnd, graceEnd + SECONDS_PER_MINUTE);
      });
    });

    describe("staking's opening", function () {
      it("registers a solo and a shared node through the factory, funded with two claimed credits", async function () {
        const { seeding } = landingOf(result);
        const rewards = await ethers.getContractAt("ServiceNodeRewards", seeding.rewardsAddress);
        const added = await rewards.queryFilter(rewards.filters.NewServiceNodeV2());
        const [first, second] = largestCredits(anchorOf(result).plan, 2, CLAIM_THRESHOLD).map((credit) =>
          getAddress(credit.ethereumAddress),
        );
        expect(
          added.map((event) => [event.args.serviceNodeID, event.args.contributors.map((c) => c.staker.addr)]),
        ).to.deep.equal([
          [125n, [first]],
          [126n, [second, first]],
        ]);
        const block = await ethers.provider.getBlock(added[0]?.blockNumber ?? 0);
        const opening = launchTimeline().at("stakingPortalLive").unix;
        expect(block?.timestamp).to.be.within(opening, opening + SECONDS_PER_MINUTE);
      });
    });

    describe("the testnet awards", function () {
      it("distributes the Lighthouse's awards through a MerkleDistributor with vesting, three claimed and released in full", async function () {
        const lighthouse = result.lighthouse;
        if (lighthouse === undefined) throw new Error("no Lighthouse");
        const json = JSON.parse(readFileSync(result.report.json, "utf8")) as {
          phases: { name: string; checks: { ok: boolean }[]; transactions: { label: string }[] }[];
        };
        const awards = json.phases.find((phase) => phase.name === "Landing: the testnet awards");
        expect(awards?.checks.map((check) => check.ok)).to.deep.equal([true, true, true, true]);
        expect(awards?.transactions.filter((tx) => tx.label.startsWith("claim award"))).to.have.length(3);
        expect(awards?.transactions.filter((tx) => tx.label.startsWith("release"))).to.have.length(3);
        const { tge } = landingOf(result);
        const sorted = [...lighthouse.awards.awards].sort((a, b) => a.index - b.index);
        for (const award of sorted.slice(0, 3)) {
          expect(await tge.sesh.balanceOf(award.account)).to.equal(award.amount);
        }
        for (const award of sorted.slice(3)) expect(await tge.sesh.balanceOf(award.account)).to.equal(0n);
      });
    });

    describe("the claims bridge", function () {
      it("pays every claim and conversion the schedule's quote, at 0.54, 0.54, in the decay and at 0.378", function () {
        const { bridge } = landingOf(result);
        for (const payment of bridge.payments) {
          expect(payment.sesh).to.equal(quote(bridge.schedule, payment.oxen, BigInt(payment.timestamp)));
        }
        const [opening, eve, decay, after] = bridge.rates.map((round) => round.rate);
        expect([opening, eve, after]).to.deep.equal([OPENING_RATE, OPENING_RATE, FINAL_RATE]);
        expect(decay).to.be.lessThan(OPENING_RATE).and.greaterThan(FINAL_RATE);
      });

      it("claims three leaves and converts 1,000 wOXEN on each of the four dates, each leaf once", async function () {
        const { bridge } = landingOf(result);
        expect(bridge.payments.filter((payment) => payment.kind === "claim")).to.have.length(12);
        expect(bridge.payments.filter((payment) => payment.kind === "wOXEN")).to.have.length(4);
        const contract = await ethers.getContractAt("OxenClaimsBridge", bridge.bridgeAddress);
        const claimed = await contract.queryFilter(contract.filters.Claimed());
        expect(new Set(claimed.map((event) => event.args.index)).size).to.equal(12);
        expect(await contract.wrappedOxenLocked()).to.equal(4_000n * 10n ** 9n);
      });

      it("embeds the rate chart with a ring per payment in the report", function () {
        const markdown = readFileSync(result.report.markdown, "utf8");
        const chart = result.report.charts.find((file) => file.endsWith("-rate.svg")) ?? "";
        expect(markdown).to.contain(`(${path.basename(chart)})`);
        expect(readFileSync(chart, "utf8").match(/class="payment"/g)).to.have.length(16);
      });
    });

    it("runs on chain id 412346", function () {
      expect(result.chainId).to.equal(412_346);
    });

    it("runs the TGE at 2025-05-21T00:00:00Z", async function () {
      const deployment = await ethers.provider.getTransactionReceipt(landingOf(result).tge.transactions[0]?.hash ?? "");
      const block = await ethers.provider.getBlock(deployment?.blockNumber ?? 0);
      const tge = launchTimeline().at("tge").unix;
      // The clock is moved to the TGE, then keeps running with the wall clock while Ignition prepares the first
      // transaction: on a loaded machine that takes a few seconds. Within the TGE's first minute is on time.
      expect(block?.timestamp).to.be.within(tge, tge + SECONDS_PER_MINUTE);
    });

    it("passes every check", function () {
      expect(result.checks.filter((check) => !check.ok)).to.deep.equal([]);
      expect(result.passed).to.be.true;
    });

    it("prints the ten allocation lines and their total, the Oxen Coin Claims line in its two parts", function () {
      const lines = output.filter((line) => /^\| \d+ \| /.test(line));
      expect(lines.map((line) => line.split(" | ")[0])).to.deep.equal(
        ["1", "2", "3", "4", "4", "5", "6", "7", "8", "9", "10"].map((number) => `| ${number}`),
      );
      expect(output).to.include("|  | **total** | **240,000,000** |  |");
    });

    it("says which contract the TGE paid each contract line to, and that the escrow holds none", function () {
      const { plan } = anchorOf(result);
      const text = output.join("\n");
      expect(text).to.include("| 1 | Staking Reward Pool | 63,177,550 | RewardRatePool |");
      expect(text).to.include(
        `| 4 | Oxen Coin Claims: converted by the migration | ${formatSesh(plan.totals.converted, { unit: false })} | ` +
          "ServiceNodeRewards |",
      );
      expect(text).to.include(
        `| 4 | Oxen Coin Claims: claims bridge | ${formatSesh(30_000_000n * 10n ** 9n - plan.totals.converted, { unit: false })} | ` +
          "OxenClaimsBridge |",
      );
      expect(text).to.include("| 5 | Service Node Bonus | 30,000,000 | ServiceNodeRewards |");
      expect(text).to.include("| 10 | Testnet Incentive | 1,000,000 | MerkleDistributor |");
      expect(text).not.to.include("Held by the escrow");
    });

    it("finding 16: prints every address checksummed", function () {
      const addresses = output.join("\n").match(/0x[0-9a-fA-F]{40}/g) ?? [];
      expect(addresses.length).to.be.above(10);
      expect(addresses.filter((address) => address !== getAddress(address))).to.deep.equal([]);
    });

    it(`finding 16: prints tables no wider than ${TERMINAL_COLUMNS} columns`, function () {
      const tables = output.filter((line) => line.startsWith("|"));
      expect(tables.length).to.be.above(20);
      expect(widestLine(tables.join("\n"))).to.be.at.most(TERMINAL_COLUMNS);
    });

    it("refuses to run again on a chain already past the testnet launch, its first date", async function () {
      let message = "";
      await rehearse(hre, { log: () => undefined, reportDir }).catch((error: unknown) => {
        message = error instanceof Error ? error.message : String(error);
      });
      expect(message).to.match(/is already past the testnet launch \(2024-07-09T00:00:00Z\) and cannot go back/);
      // Refused before anything was written: no journal beside the first run's report.
      expect(readdirSync(reportDir).filter((name) => name.includes("journal"))).to.deep.equal([]);
    });
  });
});

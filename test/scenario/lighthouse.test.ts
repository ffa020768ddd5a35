import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { getAddress } from "ethers";
import hre, { ethers } from "hardhat";

import { SESH_TOTAL_SUPPLY } from "../../lib/amount";
import { buildCampaign } from "../../lib/distribution";
import { PreconditionError } from "../../lib/errors";
import { readNodeActivity } from "../../lib/network";
import { Journal, type JournalOptions } from "../../lib/rehearsal/journal";
import { liquidationShares } from "../../lib/rewards";
import { TESTNET_INCENTIVE_POOL } from "../../lib/testnet-awards";
import { launchTimeline } from "../../lib/timeline";
import { DEFAULT_LIGHTHOUSE_NODES, runLighthouse, type LighthouseResult } from "../../scripts/phases/lighthouse";
import { rejectionOf } from "../helpers/errors";

const SEED = "rehearsal";
/** The accounts the Lighthouse plays with: the faucet (0) and the participants (8–19). */
const ACCOUNTS = [0, ...Array.from({ length: 12 }, (_, i) => 8 + i)];
const quiet = (): void => undefined;

/** What a kill throws: the process dies right after the journal wrote a line. */
class Killed extends Error {}

/** A journal in a fresh temporary folder; `dirs` collects the folders to remove. */
async function openJournal(dirs: string[], hook?: JournalOptions["afterWrite"]): Promise<Journal> {
  const dir = mkdtempSync(path.join(tmpdir(), "lighthouse-journal-"));
  dirs.push(dir);
  return Journal.open(path.join(dir, "journal.jsonl"), ethers.provider, {
    resume: false,
    ...(hook === undefined ? {} : { afterWrite: hook }),
  });
}

/** The chain state the Lighthouse leaves: balances and nonces of its accounts, the nodes, the recipients. */
async function stateAfter(result: LighthouseResult) {
  const signers = await ethers.getSigners();
  const sesh = await ethers.getContractAt("SESH", result.addresses.sesh);
  const rewards = await ethers.getContractAt("TestnetServiceNodeRewards", result.addresses.rewards);
  const accounts = ACCOUNTS.map((index) => signers[index]?.address ?? "");
  const recipients = [...accounts, result.addresses.vesting];
  return {
    balances: await Promise.all([...recipients, result.addresses.rewards].map((a) => sesh.balanceOf(a))),
    nonces: await Promise.all(accounts.map((a) => ethers.provider.getTransactionCount(a))),
    ids: (await rewards.allServiceNodeIDs())[0].map(String),
    totalNodes: await rewards.totalNodes(),
    recipients: await Promise.all(recipients.map(async (a) => (await rewards.recipients(a)).map(String))),
    awards: result.awards.awards.map((award) => award.account),
  };
}

/** Moves the in-process chain's clock to `unix` (the tests' own call, never the phase's in real time). */
async function clockAt(unix: number): Promise<void> {
  const latest = await ethers.provider.getBlock("latest");
  if ((latest?.timestamp ?? 0) < unix) await ethers.provider.send("evm_mine", [unix]);
}

// The Lighthouse as the rehearsal plays it (scripts/phases/lighthouse.ts): the testnet of July 2024 to the Anchor on
// the in-process chain. Each suite takes an EVM snapshot and reverts to it, so that later suites find the chain at
// its genesis.
describe("scenario: Lighthouse", function () {
  const dirs: string[] = [];
  after(function () {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  describe("refuses bad input before any transaction", function () {
    it("refuses a network too small for every path, leaving the chain as it was", async function () {
      const before = await ethers.provider.getBlock("latest");
      const journal = await openJournal(dirs);
      const error = await rejectionOf(runLighthouse(hre, { journal, seed: SEED, nodes: 3 }));
      journal.close();
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.contain("6 to 60 nodes, not 3");
      const after = await ethers.provider.getBlock("latest");
      expect([after?.number, after?.timestamp]).to.deep.equal([before?.number, before?.timestamp]);
    });
  });

  describe("refuses a chain whose clock is past the testnet's launch, before any transaction", function () {
    let snapshot: string;
    before(async function () {
      snapshot = (await ethers.provider.send("evm_snapshot", [])) as string;
    });
    after(async function () {
      await ethers.provider.send("evm_revert", [snapshot]);
    });

    it("says the clock cannot go back and sends nothing", async function () {
      await clockAt(launchTimeline().at("anchorRelease").unix);
      const faucet = (await ethers.getSigners())[0]?.address ?? "";
      const nonce = await ethers.provider.getTransactionCount(faucet);
      const before = await ethers.provider.getBlock("latest");
      const journal = await openJournal(dirs);
      const error = await rejectionOf(runLighthouse(hre, { journal, seed: SEED, log: quiet }));
      journal.close();
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.contain("cannot go back");
      expect(await ethers.provider.getTransactionCount(faucet)).to.equal(nonce);
      expect((await ethers.provider.getBlock("latest"))?.number).to.equal(before?.number);
    });
  });

  describe("the simulated testnet, on the calendar's clock", function () {
    let snapshot: string;
    let result: LighthouseResult;
    let journal: Journal;
    let elapsed: number;

    before(async function () {
      snapshot = (await ethers.provider.send("evm_snapshot", [])) as string;
      journal = await openJournal(dirs);
      const started = performance.now();
      result = await runLighthouse(hre, { journal, seed: SEED, log: quiet });
      elapsed = performance.now() - started;
    });
    after(async function () {
      journal.close();
      await ethers.provider.send("evm_revert", [snapshot]);
    });

    it("passes every check of its phase", function () {
      expect(result.phase.checks.filter((check) => !check.ok)).to.deep.equal([]);
      expect(result.phase.checks.length).to.be.greaterThanOrEqual(10);
    });

    it("deploys the testnet SESH, its whole supply minted to the faucet, and the testnet staking set", async function () {
      const sesh = await ethers.getContractAt("SESH", result.addresses.sesh);
      const rewards = await ethers.getContractAt("TestnetServiceNodeRewards", result.addresses.rewards);
      const factory = await ethers.getContractAt("ServiceNodeContributionFactory", result.addresses.factory);
      expect(await sesh.totalSupply()).to.equal(SESH_TOTAL_SUPPLY);
      expect(await rewards.stakingRequirement()).to.equal(120n * 10n ** 9n);
      expect(await rewards.designatedToken()).to.equal(result.addresses.sesh);
      expect(await rewards.isStarted()).to.equal(true);
      expect(await factory.stakingRewardsContract()).to.equal(result.addresses.rewards);
      expect(await rewards.foundationPool()).to.equal(result.addresses.pool);
      // The testnet contract's owner exits exist: the owner is the faucet.
      expect(await rewards.owner()).to.equal((await ethers.getSigners())[0]?.address);
    });

    it("registers every node, solo and multi-contributor, under the ids of its NewServiceNodeV2 events", async function () {
      const activity = await readNodeActivity(ethers.provider, result.addresses.rewards, { fromBlock: 0 });
      const registrations = activity.filter((event) => event.kind === "NewServiceNodeV2");
      expect(registrations).to.have.length(DEFAULT_LIGHTHOUSE_NODES);
      expect(result.nodes.registered).to.equal(DEFAULT_LIGHTHOUSE_NODES);
      expect(result.nodeList.map((node) => node.id)).to.deep.equal(registrations.map((event) => event.serviceNodeID));
      const solo = result.nodeList.filter((node) => node.kind === "solo");
      const multi = result.nodeList.filter((node) => node.kind === "multi");
      expect(solo).to.have.length(4);
      expect(multi).to.have.length(4);
      for (const node of solo) expect(node.contributors).to.have.length(1);
      for (const node of multi) {
        expect(node.contributors).to.have.length(3);
        expect(node.contributors[0]?.staker.addr).to.equal(node.operator);
        expect(
          await (await ethers.getContractAt("ServiceNodeContribution", node.contribution ?? "")).status(),
        ).to.equal(3n);
      }
      // The running nodes are the network's registered ones, the exited ones deregistered.
      const rewards = await ethers.getContractAt("TestnetServiceNodeRewards", result.addresses.rewards);
      const [ids] = await rewards.allServiceNodeIDs();
      expect(result.network.registered().map((node) => node.id)).to.deep.equal([...ids]);
      expect(ids).to.have.length(DEFAULT_LIGHTHOUSE_NODES - 3);
      for (const node of result.nodeList.filter((entry) => entry.fate !== "running")) {
        expect(result.network.node(node.index).id).to.equal(undefined);
      }
    });

    it("has the vesting holder's TokenVestingStaking stake in a node and claim its rewards into the vesting", async function () {
      const node = result.nodeList.find((entry) =>
        entry.contributors.some((contributor) => contributor.staker.addr === result.addresses.vesting),
      );
      expect(node?.fate).to.equal("running");
      const rewards = await ethers.getContractAt("TestnetServiceNodeRewards", result.addresses.rewards);
      const [credited, claimed] = await rewards.recipients(result.addresses.vesting);
      expect(claimed).to.equal(credited);
      expect(claimed).to.equal((40n * 10n ** 9n * 500n) / 10_000n);
      const sesh = await ethers.getContractAt("SESH", result.addresses.sesh);
      // Funded with its stake and 10 SESH; the stake left, the rewards came in.
      expect(await sesh.balanceOf(result.addresses.vesting)).to.equal(10n * 10n ** 9n + claimed);
    });

    it("plays the three exits on the calendar: a liquidation, an exit by signature, an exit after the wait time", async function () {
      expect(result.nodes).to.deep.equal({ registered: DEFAULT_LIGHTHOUSE_NODES, exited: 2, liquidated: 1 });
      expect(result.nodeList.map((node) => node.fate).sort()).to.deep.equal(
        ["exited after the wait time", "exited by signature", "liquidated", ...Array<string>(5).fill("running")].sort(),
      );
      const activity = await readNodeActivity(ethers.provider, result.addresses.rewards, { fromBlock: 0 });
      const liquidatedNode = result.nodeList.find((node) => node.fate === "liquidated");
      const exit = activity.find(
        (event) => event.kind === "ServiceNodeExit" && event.serviceNodeID === liquidatedNode?.id,
      );
      const shares = liquidationShares(120n * 10n ** 9n, { liquidator: 3n, pool: 17n, recipient: 9980n });
      expect(exit?.kind === "ServiceNodeExit" ? exit.returnedAmount : undefined).to.equal(shares.returned);
      const sesh = await ethers.getContractAt("SESH", result.addresses.sesh);
      expect(await sesh.balanceOf(result.addresses.pool)).to.equal(shares.pool);
      const waited = result.nodeList.find((node) => node.fate === "exited after the wait time");
      const waitedExit = activity.find(
        (event) => event.kind === "ServiceNodeExit" && event.serviceNodeID === waited?.id,
      );
      const rewards = await ethers.getContractAt("TestnetServiceNodeRewards", result.addresses.rewards);
      const requests = await rewards.queryFilter(rewards.filters.ServiceNodeExitRequest());
      expect(requests.map((event) => event.args.serviceNodeID).sort()).to.deep.equal(
        result.nodeList
          .filter((node) => node.fate === "exited by signature" || node.fate === "exited after the wait time")
          .map((node) => node.id)
          .sort(),
      );
      expect(Number(waitedExit?.timestamp ?? 0n)).to.be.greaterThanOrEqual(
        launchTimeline().at("testnetReferralStart").unix + 30 * 86_400,
      );
      const latest = await ethers.provider.getBlock("latest");
      expect(latest?.timestamp).to.be.lessThan(launchTimeline().at("anchorRelease").unix);
    });

    it("credits and pays every contributor its rewards and returned stake: its balance is what it staked back plus rewards", async function () {
      const sesh = await ethers.getContractAt("SESH", result.addresses.sesh);
      const rewards = await ethers.getContractAt("TestnetServiceNodeRewards", result.addresses.rewards);
      const faucet = (await ethers.getSigners())[0]?.address ?? "";
      const requirement = 120n * 10n ** 9n;
      const reward = (amount: bigint): bigint => (amount * 500n) / 10_000n;
      const expected = new Map<string, bigint>();
      const addTo = (account: string, amount: bigint): void => {
        expected.set(account, (expected.get(account) ?? 0n) + amount);
      };
      const shares = liquidationShares(requirement, { liquidator: 3n, pool: 17n, recipient: 9980n });
      for (const node of result.nodeList) {
        for (const contributor of node.contributors) {
          addTo(contributor.staker.addr, reward(contributor.stakedAmount));
          if (node.fate === "running") continue;
          const back = node.fate === "liquidated" ? shares.returned : requirement;
          addTo(contributor.staker.addr, (back * contributor.stakedAmount) / requirement);
        }
        // The liquidated node's rounding goes to its operator.
        if (node.fate === "liquidated") {
          const paid = node.contributors.reduce((sum, c) => sum + (shares.returned * c.stakedAmount) / requirement, 0n);
          addTo(node.operator, shares.returned - paid);
        }
      }
      for (const [account, total] of expected) {
        const [credited, claimed] = await rewards.recipients(account);
        expect([credited, claimed], account).to.deep.equal([total, total]);
      }
      // An account's SESH: what the faucet gave it, less its stakes, plus what it claimed (and a liquidator's share).
      const liquidator = (await ethers.getSigners())[14]?.address ?? "";
      for (const [account, total] of expected) {
        if (account === result.addresses.vesting) continue;
        const given = (await sesh.queryFilter(sesh.filters.Transfer(faucet, account))).reduce(
          (sum, event) => sum + event.args.value,
          0n,
        );
        const staked = result.nodeList
          .flatMap((node) => node.contributors)
          .filter((c) => c.staker.addr === account)
          .reduce((sum, c) => sum + c.stakedAmount, 0n);
        const bonus = account === liquidator ? shares.liquidator : 0n;
        expect(await sesh.balanceOf(account), account).to.equal(given - staked + total + bonus);
      }
    });

    it("computes the testnet awards from the chain's events over the incentive window, summing to the pool", function () {
      const timeline = launchTimeline();
      expect(result.window).to.deep.equal({
        start: timeline.at("testnetIncentiveStart").unix,
        end: timeline.at("anchorRelease").unix,
      });
      expect(result.awards.total).to.equal(TESTNET_INCENTIVE_POOL);
      expect(result.testnetAwards.undistributed).to.equal(0n);
      const stakers = new Set(result.nodeList.flatMap((node) => node.contributors.map((c) => c.staker.addr)));
      for (const award of result.awards.awards) expect(stakers.has(award.account), award.account).to.equal(true);
      expect(result.testnetAwards.rejectedReferrals.map((rejected) => rejected.reason)).to.deep.equal([
        "referred earned no points",
      ]);
      expect([...result.testnetAwards.referrals.values()].reduce((sum, count) => sum + count, 0)).to.equal(3);
      // The Landing's MerkleDistributor takes them as they are.
      const campaign = buildCampaign(result.awards, { name: "testnet" });
      expect(campaign.total).to.equal(TESTNET_INCENTIVE_POOL);
      expect(campaign.awards.map((award) => getAddress(award.account))).to.deep.equal(
        result.awards.awards.map((award) => award.account),
      );
    });

    it("counts a node registered at the launch from the incentive's start only, to the window's end", function () {
      // Node 2 is solo, registered at the testnet launch and running; its operator runs no other node.
      const solo = result.nodeList[2];
      expect([solo?.kind, solo?.fate]).to.deep.equal(["solo", "running"]);
      expect(result.nodeList.filter((node) => node.operator === solo?.operator)).to.have.length(1);
      const seconds = BigInt(result.window.end - result.window.start);
      expect(result.testnetAwards.nodeWeights.get(solo?.operator ?? "")).to.equal(120n * 10n ** 9n * seconds);
    });

    it("is quick, and says how long the BLS signing took", function () {
      expect(result.signing.signatures).to.be.greaterThan(DEFAULT_LIGHTHOUSE_NODES);
      expect(result.timings.map((timing) => timing.step)).to.include("rewards signed and claimed");
      expect(result.phase.sections.map((section) => section.title)).to.include("Timing");
      console.log(
        `      Lighthouse: ${Math.round(elapsed)} ms, ${result.signing.signatures} BLS signatures in ` +
          `${result.signing.milliseconds} ms; ` +
          result.timings.map((t) => `${t.step} ${t.milliseconds} ms (${t.signatures} sig.)`).join(", "),
      );
    });
  });

  describe("in real time: no evm_* nor hardhat_* call of its own", function () {
    let snapshot: string;
    let result: LighthouseResult;
    let journal: Journal;
    const methods: string[] = [];

    before(async function () {
      snapshot = (await ethers.provider.send("evm_snapshot", [])) as string;
      // The test, not the phase, puts the chain at the testnet's launch.
      await clockAt(launchTimeline().at("testnetLaunch").unix);
      journal = await openJournal(dirs);
      const provider = hre.network.provider;
      const request = provider.request.bind(provider);
      provider.request = (args) => {
        methods.push(args.method);
        return request(args);
      };
      try {
        result = await runLighthouse(hre, { journal, seed: SEED, realTime: true, log: quiet });
      } finally {
        provider.request = request;
      }
    });
    after(async function () {
      journal.close();
      await ethers.provider.send("evm_revert", [snapshot]);
    });

    it("made its calls through the recorded provider, none of them evm_* or hardhat_* but Ignition's probe", function () {
      expect(methods).to.include("eth_sendTransaction");
      expect(methods.filter((method) => method.startsWith("evm_"))).to.deep.equal([]);
      // Ignition's deploy asks the node, read-only, whether it automines (a real testnet answers "method not
      // found", which Ignition expects): once per deployment, the token's and the staking set's.
      expect(methods.filter((method) => method.startsWith("hardhat_"))).to.deep.equal([
        "hardhat_getAutomine",
        "hardhat_getAutomine",
      ]);
    });

    it("passes every check, the owner's exits standing in for the exits that wait", function () {
      expect(result.phase.checks.filter((check) => !check.ok)).to.deep.equal([]);
      expect(result.nodes).to.deep.equal({ registered: DEFAULT_LIGHTHOUSE_NODES, exited: 3, liquidated: 0 });
      expect(result.nodeList.filter((node) => node.fate === "owner exit")).to.have.length(3);
      expect(result.phase.events.some((event) => event.includes("owner exits of TestnetServiceNodeRewards"))).to.equal(
        true,
      );
    });

    it("kept the clock: it never jumped to a calendar date", async function () {
      const latest = await ethers.provider.getBlock("latest");
      const launch = launchTimeline().at("testnetLaunch").unix;
      expect(latest?.timestamp).to.be.lessThan(launch + 3600);
      expect(result.window.start).to.be.greaterThanOrEqual(launch);
      expect(result.window.end).to.be.lessThanOrEqual((latest?.timestamp ?? 0) + 1);
    });

    it("credits every contributor of the three removed nodes its whole stake back, and they claim it", async function () {
      const rewards = await ethers.getContractAt("TestnetServiceNodeRewards", result.addresses.rewards);
      const activity = await readNodeActivity(ethers.provider, result.addresses.rewards, { fromBlock: 0 });
      const returned = activity.flatMap((event) => (event.kind === "ServiceNodeExit" ? [event.returnedAmount] : []));
      expect(returned).to.deep.equal([120n * 10n ** 9n, 120n * 10n ** 9n, 120n * 10n ** 9n]);
      for (const node of result.nodeList.filter((entry) => entry.fate === "owner exit")) {
        for (const contributor of node.contributors) {
          const [credited, claimed] = await rewards.recipients(contributor.staker.addr);
          expect(claimed).to.equal(credited);
          expect(credited).to.be.greaterThan(contributor.stakedAmount);
        }
      }
      expect(result.awards.total).to.equal(TESTNET_INCENTIVE_POOL);
    });
  });

  describe("killed twice (in the registrations, then in the exits) and resumed", function () {
    let snapshot: string;
    let uninterrupted: Awaited<ReturnType<typeof stateAfter>>;
    let resumed: LighthouseResult;
    const kills: Error[] = [];
    const sent: string[] = [];
    /** Records the sent transactions; throws a kill right after the journal wrote `kind` of `key`. */
    const hook =
      (kind?: string, key?: string): JournalOptions["afterWrite"] =>
      (written, writtenKey) => {
        if (written === "sent") sent.push(writtenKey);
        if (written === kind && writtenKey === key) throw new Killed(`killed after ${kind} ${key}`);
      };

    before(async function () {
      snapshot = (await ethers.provider.send("evm_snapshot", [])) as string;
      const first = await openJournal(dirs);
      uninterrupted = await stateAfter(await runLighthouse(hre, { journal: first, seed: SEED, log: quiet }));
      first.close();
      await ethers.provider.send("evm_revert", [snapshot]);
      snapshot = (await ethers.provider.send("evm_snapshot", [])) as string;

      // First kill: a contribution was sent and mined, but its receipt was not written.
      const interrupted = await openJournal(dirs, hook("sent", "lighthouse.node.5.join.0.contribute"));
      const file = interrupted.file;
      kills.push(await rejectionOf(runLighthouse(hre, { journal: interrupted, seed: SEED, log: quiet })));
      interrupted.close();
      // Second kill: the liquidation was recorded as sending, signed, but never reached the node.
      const again = await Journal.open(file, ethers.provider, {
        resume: true,
        afterWrite: hook("sending", "lighthouse.exit.liquidate.6"),
      });
      kills.push(await rejectionOf(runLighthouse(hre, { journal: again, seed: SEED, log: quiet })));
      again.close();
      const last = await Journal.open(file, ethers.provider, { resume: true, afterWrite: hook() });
      try {
        resumed = await runLighthouse(hre, { journal: last, seed: SEED, log: quiet });
      } finally {
        last.close();
      }
    });
    after(async function () {
      await ethers.provider.send("evm_revert", [snapshot]);
    });

    it("was killed after sending a contribution, then before sending the liquidation", function () {
      expect(kills.map((kill) => [kill instanceof Killed, kill.message])).to.deep.equal([
        [true, "killed after sent lighthouse.node.5.join.0.contribute"],
        [true, "killed after sending lighthouse.exit.liquidate.6"],
      ]);
      expect(sent).to.include("lighthouse.node.5.join.0.contribute");
      expect(sent).to.include("lighthouse.exit.liquidate.6");
    });

    it("sent no transaction twice over the three runs", function () {
      expect(new Set(sent).size).to.equal(sent.length);
    });

    it("ends with exactly the balances, nonces, nodes and awarded accounts of an uninterrupted run", async function () {
      expect(await stateAfter(resumed)).to.deep.equal(uninterrupted);
      expect(resumed.phase.checks.filter((check) => !check.ok)).to.deep.equal([]);
      expect(resumed.nodes).to.deep.equal({ registered: DEFAULT_LIGHTHOUSE_NODES, exited: 2, liquidated: 1 });
    });
  });
});

import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { type BlockTag, getAddress, Interface, type ParamType, ZeroAddress } from "ethers";
import hre, { ethers } from "hardhat";

import { formatSesh, SESH_TOTAL_SUPPLY } from "../../../lib/amount";
import { rewardMessage } from "../../../lib/bls";
import { PreconditionError } from "../../../lib/errors";
import { vestedAmount } from "../../../lib/vesting";
import { formatVestingStatus, readVestingStatus, STATUS_ABI, type VestingStatus } from "../../../lib/vesting/status";
import { ArgumentError } from "../../../tasks/errors";
import { restoreChainAfterSuite } from "../../helpers/chain";
import { occurrences, runHardhat, stackLines } from "../../helpers/cli";
import { rejectionOf } from "../../helpers/errors";
import { loadStakingFixture, type StakingFixture } from "../../helpers/staking";
import { contribute, open, STATUS } from "../contribution/helpers";
import { at, DAY, ED_BASE, HOUR, keyOf, nodeParams, popOf, SEEDED, SESH, signBy } from "../rewards/fixtures";
import { parties, vestingFixtures, type VestingFixture } from "../vesting/stakingFixtures";

const { seededVestingFixture } = vestingFixtures();

/** The network node the vesting registers alone, and the id it gets (the seeded fixture holds ids 1 .. SEEDED). */
const SOLO = SEEDED;
const SOLO_ID = BigInt(SEEDED + 1);
/** The network node of the factory's contribution contract, and the id it gets once filled (after the solo node). */
const SHARED = SEEDED + 1;
const SHARED_ID = BigInt(SEEDED + 2);
/** A node must be this old before it may exit (MIN_NODE_AGE_BEFORE_EXIT). */
const NODE_AGE_BEFORE_EXIT = 2n * HOUR;
/** What the network credits the vesting contract with, and the part of it the beneficiary claims. */
const CREDITED = 120n * SESH;
const CLAIMED = 45n * SESH;
/** SESH sent to the staking vesting after its first release, paid by a second one. */
const LATE_ARRIVAL = 7n * SESH + 3n;

/** The no-staking vesting: its cliff 90 days after deployment, its linear part 730 days, its odd total. */
const CLIFF_DELAY = 90n * DAY;
const LINEAR_DURATION = 730n * DAY;
const TOTAL = 1_234_567n * SESH + 3n;
/** A second token the no-staking vesting receives after SESH. */
const OTHER_TOTAL = 987_654_321n;

/** Runs `body` with console.log captured; returns what it printed. */
async function captured(body: () => Promise<unknown>): Promise<string[]> {
  const log = console.log;
  const lines: string[] = [];
  console.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  try {
    await body();
    return lines;
  } finally {
    console.log = log;
  }
}

/** The network indices of the registered nodes, in the contract's list order. */
async function registeredIndices(f: StakingFixture): Promise<number[]> {
  const [, keys] = await f.rewards.allServiceNodeIDs();
  return keys.map((key) => {
    const index = f.network.nodes.findIndex(
      (node) => node.publicKeyStruct.X === key.X && node.publicKeyStruct.Y === key.Y,
    );
    if (index < 0) throw new Error(`registered key ${key.X} is no network node's`);
    return index;
  });
}

/** The network (every registered node signing) credits `recipient` with cumulative rewards of `cumulative`. */
async function credit(f: StakingFixture, recipient: string, cumulative: bigint): Promise<void> {
  const signature = signBy(f, await registeredIndices(f), rewardMessage(f.tags, recipient, cumulative));
  await (await f.rewards.updateRewardsBalance(recipient, cumulative, signature, [])).wait();
}

/** A started staking vesting with a solo node, a quarter in an open contribution contract and rewards in part claimed. */
interface StakedVesting extends VestingFixture {
  /** The factory's contribution contract the vesting contributed a quarter to, open (staker 0 its operator). */
  readonly contribution: string;
  readonly quarter: bigint;
}

async function stakedVestingFixture(): Promise<StakedVesting> {
  const f = await seededVestingFixture();
  const ed25519 = ED_BASE + BigInt(SOLO);
  const pop = popOf(f, SOLO, f.vestingAddress, ed25519);
  await (
    await f.vesting.connect(f.beneficiary).addBLSPublicKey(keyOf(f, SOLO), pop, nodeParams(ed25519), ZeroAddress)
  ).wait();
  const quarter = f.parameters.stakingRequirement / 4n;
  const contribution = await open(f, { node: SHARED, ed25519: ED_BASE + BigInt(SHARED) });
  await (await contribute(f, contribution, at(f.stakers, 0), quarter)).wait();
  const address = await contribution.getAddress();
  await (await f.vesting.connect(f.beneficiary).contributeFunds(address, quarter, ZeroAddress)).wait();
  await credit(f, f.vestingAddress, CREDITED);
  await (await f.vesting.connect(f.beneficiary)["claimRewards(uint256)"](CLAIMED)).wait();
  return { ...f, contribution: address, quarter };
}

/** The vesting's status now, read as the task reads it. */
async function statusOf(address: string, token?: string): Promise<VestingStatus> {
  return readVestingStatus(ethers.provider, address, token);
}

/** The timestamp of the latest block. */
async function now(): Promise<bigint> {
  return BigInt(await time.latest());
}

/** A row of the status's first table: `| name | value |`. */
function row(name: string, value: string): string {
  return `| ${name} | ${value} |`;
}

function utc(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

/** A no-staking vesting (signers 18 and 19 its beneficiary and revoker) of {TOTAL} SESH, then {OTHER_TOTAL} others. */
async function noStakingFixture() {
  const [deployer] = await ethers.getSigners();
  if (deployer === undefined) throw new Error("no accounts");
  const { beneficiary, revoker } = await parties();
  const sesh = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, deployer.address, ZeroAddress, ZeroAddress]);
  const other = await ethers.deployContract("HostileToken__Mock");
  const cliff = (await now()) + CLIFF_DELAY;
  const end = cliff + LINEAR_DURATION;
  const vesting = await ethers.deployContract("TokenVestingNoStaking", [
    beneficiary.address,
    revoker.address,
    cliff,
    end,
    false,
  ]);
  const address = await vesting.getAddress();
  await (await sesh.transfer(address, TOTAL)).wait();
  await (await other.mint(address, OTHER_TOTAL)).wait();
  const empty = await ethers.deployContract("TokenVestingNoStaking", [
    beneficiary.address,
    ZeroAddress,
    cliff,
    end,
    true,
  ]);
  return {
    sesh,
    seshAddress: await sesh.getAddress(),
    other,
    otherAddress: await other.getAddress(),
    vesting,
    address,
    /** A vesting that has received nothing. */
    emptyAddress: await empty.getAddress(),
    beneficiary,
    revoker,
    cliff,
    end,
  };
}

describe("vesting:status", function () {
  this.timeout(120_000);
  restoreChainAfterSuite();

  describe("of a TokenVestingStaking with a solo node, an open contribution and rewards in part claimed", function () {
    it("reads its kind, parties, schedule and SESH", async function () {
      const f = await loadStakingFixture(stakedVestingFixture);
      const status = await statusOf(f.vestingAddress);
      expect({
        address: status.address,
        kind: status.kind,
        token: status.token,
        beneficiary: status.beneficiary,
        revoker: status.revoker,
        transferableBeneficiary: status.transferableBeneficiary,
        from: status.from,
        end: status.end,
        revoked: status.revoked,
        now: status.now,
      }).to.deep.equal({
        address: f.vestingAddress,
        kind: "TokenVestingStaking",
        token: await f.sesh.getAddress(),
        beneficiary: f.beneficiary.address,
        revoker: f.revoker.address,
        transferableBeneficiary: true,
        from: f.start,
        end: f.end,
        revoked: false,
        now: await now(),
      });
    });

    it("reads nothing vested, released nor releasable before the end, and the balance the stakes left", async function () {
      const f = await loadStakingFixture(stakedVestingFixture);
      const status = await statusOf(f.vestingAddress);
      expect([status.balance, status.vested, status.released, status.releasable]).to.deep.equal([
        f.funded - f.parameters.stakingRequirement - f.quarter + CLAIMED,
        0n,
        0n,
        0n,
      ]);
      expect(status.balance).to.equal(await f.sesh.balanceOf(f.vestingAddress));
    });

    it("lists the solo node: operated and staked by the vesting contract, its rewards to it, no exit requested", async function () {
      const f = await loadStakingFixture(stakedVestingFixture);
      const status = await statusOf(f.vestingAddress);
      expect(status.staking?.nodes).to.deep.equal([
        {
          id: SOLO_ID,
          operator: f.vestingAddress,
          stake: f.parameters.stakingRequirement,
          beneficiary: f.vestingAddress,
          leaveRequestTimestamp: 0n,
        },
      ]);
    });

    it("lists the open contribution, and the rewards credited and not claimed", async function () {
      const f = await loadStakingFixture(stakedVestingFixture);
      const status = await statusOf(f.vestingAddress);
      expect({ ...status.staking, nodes: undefined }).to.deep.equal({
        rewards: f.rewardsAddress,
        factory: f.factoryAddress,
        nodes: undefined,
        contributions: [{ contract: f.contribution, amount: f.quarter, status: Number(STATUS.OpenForPublicContrib) }],
        unclaimedRewards: CREDITED - CLAIMED,
      });
      const [credited, claimed] = await f.rewards.recipients(f.vestingAddress);
      expect(status.staking?.unclaimedRewards).to.equal(credited - claimed);
    });

    it("shows the time of an exit request", async function () {
      const f = await loadStakingFixture(stakedVestingFixture);
      await time.increase(NODE_AGE_BEFORE_EXIT);
      await (await f.vesting.connect(f.beneficiary).initiateExitBLSPublicKey(SOLO_ID)).wait();
      const status = await statusOf(f.vestingAddress);
      expect(status.staking?.nodes.map((node) => [node.id, node.leaveRequestTimestamp])).to.deep.equal([
        [SOLO_ID, await now()],
      ]);
      expect(formatVestingStatus(status)).to.contain(`| ${utc(await now())} |`);
    });

    it("moves a filled contribution to the nodes, with its operator and the vesting's stake in it", async function () {
      const f = await loadStakingFixture(stakedVestingFixture);
      const contribution = await ethers.getContractAt("ServiceNodeContribution", f.contribution);
      await (await contribute(f, contribution, at(f.stakers, 1), f.quarter)).wait();
      await (await contribute(f, contribution, at(f.stakers, 2), f.quarter)).wait();
      expect(await contribution.status()).to.equal(STATUS.Finalized);
      const status = await statusOf(f.vestingAddress);
      expect(status.staking?.contributions).to.deep.equal([]);
      expect(status.staking?.nodes.map((node) => [node.id, node.operator, node.stake, node.beneficiary])).to.deep.equal(
        [
          [SOLO_ID, f.vestingAddress, f.parameters.stakingRequirement, f.vestingAddress],
          [SHARED_ID, at(f.stakers, 0).address, f.quarter, f.vestingAddress],
        ],
      );
    });

    it("formats the schedule, the amounts, the node, the contribution and the unclaimed rewards in Markdown", async function () {
      const f = await loadStakingFixture(stakedVestingFixture);
      const status = await statusOf(f.vestingAddress);
      const lines = formatVestingStatus(status).split("\n");
      const requirement = f.parameters.stakingRequirement;
      expect(lines[0]).to.equal(`## TokenVestingStaking ${f.vestingAddress}`);
      expect(lines).to.include.members([
        row("beneficiary", `${f.beneficiary.address} (transferable)`),
        row("revoker", f.revoker.address),
        row("start (staking opens)", utc(f.start)),
        row("end (everything vests)", utc(f.end)),
        row("revoked", "no"),
        row("read at", utc(status.now)),
        row("token", await f.sesh.getAddress()),
        row("balance", formatSesh(f.funded - requirement - f.quarter + CLAIMED)),
        row("vested", "0 SESH"),
        row("released", "0 SESH"),
        row("releasable now", "0 SESH"),
        `### Staked in ${f.rewardsAddress}`,
        `| ${SOLO_ID} | ${f.vestingAddress} | ${formatSesh(requirement)} | ${f.vestingAddress} | no |`,
        `| ${f.contribution} | ${formatSesh(f.quarter)} | open |`,
        `Unclaimed rewards (claimable into the vesting contract): ${formatSesh(CREDITED - CLAIMED)}`,
      ]);
    });

    it("prints the formatted status from the task", async function () {
      const f = await loadStakingFixture(stakedVestingFixture);
      const lines = await captured(() => hre.run("vesting:status", { address: f.vestingAddress.toLowerCase() }));
      expect(lines).to.deep.equal([formatVestingStatus(await statusOf(f.vestingAddress))]);
    });
  });

  describe("of a TokenVestingStaking at and after its end", function () {
    it("vests the whole balance at the end, all of it releasable", async function () {
      const f = await loadStakingFixture(stakedVestingFixture);
      await time.increaseTo(f.end);
      const status = await statusOf(f.vestingAddress);
      const balance = await f.sesh.balanceOf(f.vestingAddress);
      expect([status.balance, status.vested, status.released, status.releasable]).to.deep.equal([
        balance,
        balance,
        0n,
        balance,
      ]);
    });

    it("reads a second before the end as nothing vested", async function () {
      const f = await loadStakingFixture(stakedVestingFixture);
      await time.increaseTo(f.end - 1n);
      const status = await statusOf(f.vestingAddress);
      expect([status.now, status.vested, status.releasable]).to.deep.equal([f.end - 1n, 0n, 0n]);
    });

    it("sums the releases as released: the first at the end, the second of SESH that arrived after it", async function () {
      const f = await loadStakingFixture(stakedVestingFixture);
      const sesh = await f.sesh.getAddress();
      await time.increaseTo(f.end);
      const first = await f.sesh.balanceOf(f.vestingAddress);
      await (await f.vesting.connect(f.beneficiary).release(sesh)).wait();
      await (await f.sesh.connect(at(f.stakers, 7)).transfer(f.vestingAddress, LATE_ARRIVAL)).wait();
      expect((await statusOf(f.vestingAddress)).released).to.equal(first);
      await (await f.vesting.connect(f.beneficiary).release(sesh)).wait();
      const status = await statusOf(f.vestingAddress);
      expect([status.balance, status.vested, status.released, status.releasable]).to.deep.equal([
        0n,
        0n,
        first + LATE_ARRIVAL,
        0n,
      ]);
      expect(formatVestingStatus(status)).to.contain(row("released", formatSesh(first + LATE_ARRIVAL)));
    });

    it("counts the releases of the token it reports only; --token reports another", async function () {
      const f = await loadStakingFixture(stakedVestingFixture);
      const other = await ethers.deployContract("HostileToken__Mock");
      const otherAddress = await other.getAddress();
      await (await other.mint(f.vestingAddress, OTHER_TOTAL)).wait();
      await time.increaseTo(f.end);
      await (await f.vesting.connect(f.beneficiary).release(otherAddress)).wait();
      const sesh = await statusOf(f.vestingAddress);
      const others = await statusOf(f.vestingAddress, otherAddress);
      expect([sesh.token, sesh.released]).to.deep.equal([await f.sesh.getAddress(), 0n]);
      expect([others.token, others.balance, others.released]).to.deep.equal([otherAddress, 0n, OTHER_TOTAL]);
    });

    it("reads a revoked vesting as revoked, nothing releasable, and the revoker's payout at the end as released", async function () {
      const f = await loadStakingFixture(stakedVestingFixture);
      const sesh = await f.sesh.getAddress();
      await (await f.vesting.connect(f.revoker).revoke(sesh)).wait();
      const revoked = await statusOf(f.vestingAddress);
      expect([revoked.revoked, revoked.vested, revoked.releasable]).to.deep.equal([true, 0n, 0n]);
      await time.increaseTo(f.end);
      const paid = await f.sesh.balanceOf(f.vestingAddress);
      expect((await statusOf(f.vestingAddress)).releasable, "nothing releasable to the beneficiary").to.equal(0n);
      await expect(f.vesting.connect(f.revoker).revoke(sesh))
        .to.emit(f.vesting, "TokensRevokedReleased")
        .withArgs(sesh, paid);
      const status = await statusOf(f.vestingAddress);
      expect([status.revoked, status.balance, status.released, status.releasable]).to.deep.equal([true, 0n, paid, 0n]);
      expect(formatVestingStatus(status)).to.contain(row("revoked", "yes"));
    });
  });

  describe("of a TokenVestingNoStaking", function () {
    it("finds the token from the first transfer it received, and reads its kind, parties and schedule", async function () {
      const f = await loadFixture(noStakingFixture);
      const status = await statusOf(f.address);
      expect(status).to.deep.equal({
        address: f.address,
        kind: "TokenVestingNoStaking",
        token: f.seshAddress,
        beneficiary: f.beneficiary.address,
        revoker: f.revoker.address,
        transferableBeneficiary: false,
        from: f.cliff,
        end: f.end,
        revoked: false,
        now: await now(),
        balance: TOTAL,
        vested: 0n,
        released: 0n,
        releasable: 0n,
      });
    });

    it("reads vested, released and releasable in the linear part, after a partial release", async function () {
      const f = await loadFixture(noStakingFixture);
      await time.increaseTo(f.cliff + LINEAR_DURATION / 4n);
      const receipt = await (await f.vesting.connect(f.beneficiary).release(f.seshAddress)).wait();
      const released = vestedAmount(TOTAL, f.cliff, f.end, BigInt((await receipt?.getBlock())?.timestamp ?? 0));
      expect(await f.vesting.released(f.seshAddress)).to.equal(released);
      await time.increaseTo(f.cliff + LINEAR_DURATION / 2n + 1n);
      const status = await statusOf(f.address);
      const vested = vestedAmount(TOTAL, f.cliff, f.end, f.cliff + LINEAR_DURATION / 2n + 1n);
      expect([status.now, status.balance, status.vested, status.released, status.releasable]).to.deep.equal([
        f.cliff + LINEAR_DURATION / 2n + 1n,
        TOTAL - released,
        vested,
        released,
        vested - released,
      ]);
      expect(released).to.be.greaterThan(0n);
      expect(vested - released).to.be.greaterThan(0n);
    });

    it("reads another token with --token", async function () {
      const f = await loadFixture(noStakingFixture);
      await time.increaseTo(f.end);
      const status = await statusOf(f.address, f.otherAddress);
      expect([status.token, status.balance, status.vested, status.released, status.releasable]).to.deep.equal([
        f.otherAddress,
        OTHER_TOTAL,
        OTHER_TOTAL,
        0n,
        OTHER_TOTAL,
      ]);
    });

    it("reads a revoked token as revoked, what stayed all releasable; another token as not revoked", async function () {
      const f = await loadFixture(noStakingFixture);
      await time.increaseTo(f.cliff + LINEAR_DURATION / 3n);
      const receipt = await (await f.vesting.connect(f.revoker).revoke(f.seshAddress)).wait();
      const revokedAt = BigInt((await receipt?.getBlock())?.timestamp ?? 0);
      const stayed = await f.sesh.balanceOf(f.address);
      await time.increase(DAY);
      const status = await statusOf(f.address);
      expect([status.revoked, status.balance, status.vested, status.released, status.releasable]).to.deep.equal([
        true,
        stayed,
        stayed,
        0n,
        stayed,
      ]);
      expect(stayed).to.equal(vestedAmount(TOTAL, f.cliff, f.end, revokedAt));
      expect((await statusOf(f.address, f.otherAddress)).revoked).to.equal(false);
      expect(formatVestingStatus(status)).to.contain(row("revoked", "yes"));
    });

    it("formats a cliff in place of a start, and no staking section", async function () {
      const f = await loadFixture(noStakingFixture);
      const text = formatVestingStatus(await statusOf(f.address));
      expect(text.split("\n")).to.include.members([
        `## TokenVestingNoStaking ${f.address}`,
        row("beneficiary", f.beneficiary.address),
        row("revoker", f.revoker.address),
        row("cliff (20 % vests)", utc(f.cliff)),
        row("end (everything vests)", utc(f.end)),
        row("token", f.seshAddress),
        row("balance", formatSesh(TOTAL)),
      ]);
      expect(text).not.to.contain("Staked in");
      expect(text).not.to.contain("start (staking opens)");
    });

    it("formats a vesting nobody may revoke as irrevocable", async function () {
      const f = await loadFixture(noStakingFixture);
      const text = formatVestingStatus(await statusOf(f.emptyAddress, f.seshAddress));
      expect(text).to.contain(row("revoker", "none (irrevocable)"));
      expect(text).to.contain(row("beneficiary", `${f.beneficiary.address} (transferable)`));
    });
  });

  describe("reads", function () {
    it("reads every value at one block, the one the provider names latest (a lagging node's)", async function () {
      const f = await loadStakingFixture(stakedVestingFixture);
      await time.increaseTo(f.end);
      const before = await statusOf(f.vestingAddress);
      const latest = await ethers.provider.getBlockNumber();
      await (await f.vesting.connect(f.beneficiary).release(await f.sesh.getAddress())).wait();
      // A provider whose latest block is still the one before the release, as a node that lags behind.
      const lagging = new Proxy(ethers.provider, {
        get(target, key) {
          if (key === "getBlock") {
            return (tag: BlockTag) => target.getBlock(tag === "latest" ? latest : tag);
          }
          const value: unknown = Reflect.get(target, key, target);
          return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
      expect(await readVestingStatus(lagging, f.vestingAddress)).to.deep.equal(before);
      expect((await statusOf(f.vestingAddress)).released).to.equal(before.balance);
    });

    for (const [name, fragments] of Object.entries(STATUS_ABI)) {
      const artifact = name === "ERC20" ? "SESH" : name;
      it(`reads ${artifact} through fragments of its ABI, of the same types`, async function () {
        const deployed = new Interface((await hre.artifacts.readArtifact(artifact)).abi);
        const used = new Interface(fragments);
        const types = (params: readonly ParamType[]) =>
          params.map((p) => `${p.format("sighash")}${p.indexed === true ? " indexed" : ""}`);
        used.forEachFunction((fragment) => {
          const own = deployed.getFunction(fragment.selector);
          expect(own, `${artifact}.${fragment.format("sighash")}`).not.to.equal(null);
          expect([own?.stateMutability, types(own?.outputs ?? [])], fragment.format("sighash")).to.deep.equal([
            fragment.stateMutability,
            types(fragment.outputs),
          ]);
        });
        used.forEachEvent((fragment) => {
          const own = deployed.getEvent(fragment.topicHash);
          expect(own, `${artifact} event ${fragment.format("sighash")}`).not.to.equal(null);
          expect(types(own?.inputs ?? []), fragment.format("sighash")).to.deep.equal(types(fragment.inputs));
        });
        expect(used.fragments.length).to.be.greaterThan(0);
      });
    }
  });

  describe("refusals", function () {
    it("refuses an address with no code", async function () {
      const address = getAddress("0x" + "12".repeat(20));
      const error = await rejectionOf(hre.run("vesting:status", { address }));
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.equal(`${address}: no contract there`);
    });

    it("refuses a contract that is no vesting contract: the SESH token", async function () {
      const f = await loadFixture(noStakingFixture);
      const error = await rejectionOf(hre.run("vesting:status", { address: f.seshAddress }));
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.equal(
        `${f.seshAddress} is not a vesting contract: it has neither rewardsContract() (TokenVestingStaking) nor ` +
          "cliff() (TokenVestingNoStaking)",
      );
    });

    it("refuses a malformed --address, naming it", async function () {
      const error = await rejectionOf(hre.run("vesting:status", { address: "0x12" }));
      expect(error).to.be.instanceOf(ArgumentError);
      expect(error.message).to.equal(
        '--address "0x12" is not an address (expected 0x and 40 hex digits, with a correct checksum if mixed-case)',
      );
    });

    it("refuses a malformed --token, naming it", async function () {
      const f = await loadFixture(noStakingFixture);
      const error = await rejectionOf(hre.run("vesting:status", { address: f.address, token: "SESH" }));
      expect(error).to.be.instanceOf(ArgumentError);
      expect(error.message).to.match(/^--token "SESH" is not an address/);
    });

    it("refuses a look-alike that answers cliff() but not the other views of a TokenVestingNoStaking", async function () {
      const { beneficiary } = await parties();
      const start = await now();
      const wallet = await ethers.deployContract("VestingWalletCliff__Mock", [
        beneficiary.address,
        start,
        LINEAR_DURATION,
        CLIFF_DELAY,
      ]);
      const address = await wallet.getAddress();
      expect(await wallet.cliff()).to.equal(start + CLIFF_DELAY);
      const error = await rejectionOf(hre.run("vesting:status", { address }));
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.match(
        new RegExp(
          `^${address} answers cliff\\(\\) but not getBeneficiary\\(\\) \\(.+\\): it is not a TokenVestingNoStaking$`,
        ),
      );
    });

    it("refuses a --token with no code", async function () {
      const f = await loadFixture(noStakingFixture);
      const token = f.beneficiary.address;
      const error = await rejectionOf(hre.run("vesting:status", { address: f.address, token }));
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.equal(`the token ${token}: no contract there`);
    });

    it("refuses a --token that is no ERC-20 token", async function () {
      const f = await loadFixture(noStakingFixture);
      const token = f.emptyAddress;
      const error = await rejectionOf(hre.run("vesting:status", { address: f.address, token }));
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.match(
        new RegExp(`^the token ${token} is not an ERC-20 token: its balanceOf\\(address\\) failed \\(.+\\)$`),
      );
    });

    it("refuses a TokenVestingNoStaking that received no token when --token is not given", async function () {
      const f = await loadFixture(noStakingFixture);
      const error = await rejectionOf(hre.run("vesting:status", { address: f.emptyAddress }));
      expect(error).to.be.instanceOf(PreconditionError);
      expect(error.message).to.equal(
        `${f.emptyAddress} has received no token transfer: name the vesting's token with --token`,
      );
    });
  });

  describe("from the command line, with a malformed --address (DISPLAY unset)", function () {
    const message = '--address "0x12" is not an address';
    let run: ReturnType<typeof runHardhat>;
    before(function () {
      run = runHardhat(["vesting:status", "--address", "0x12"], "headless");
    });

    it("exits with status 1, the message printed once on standard error, with no stack trace", function () {
      expect(run.status, run.stderr).to.equal(1);
      expect(occurrences(run.stderr, message), run.stderr).to.equal(1);
      expect(occurrences(run.stdout, message), run.stdout).to.equal(0);
      expect(stackLines(run.stderr + run.stdout)).to.deep.equal([]);
    });
  });
});

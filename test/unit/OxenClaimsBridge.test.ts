import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type ContractTransactionResponse, MaxUint256, Wallet, ZeroAddress, ZeroHash } from "ethers";
import { ethers } from "hardhat";

import { SESH_TOTAL_SUPPLY } from "../../lib/amount";
import { type Burn, buildEpoch, LEAF_ENCODING, type LeafValue, type RecipientClaim } from "../../lib/claims";
import {
  type Breakpoint,
  conversionRateAt,
  defaultSchedule,
  FINAL_RATE,
  MAX_BREAKPOINTS,
  MAX_RATE,
  OPENING_RATE,
  quote,
  RATE_PRECISION,
} from "../../lib/schedule";
import type { OxenClaimsBridge } from "../../typechain-types";
import { shouldBehaveLikeManaged } from "../behaviours/managed";
import { restoreChainAfterSuite } from "../helpers/chain";

/** 30,000,000 SESH: the claims pool allocated at the TGE. */
const POOL = 30_000_000n * 10n ** 9n;
const ONE_OXEN = 10n ** 9n;
const DAY = 86_400n;
/** The close time of the closing bridge: 60 days after the decay ends. */
const CLOSE_AFTER_DECAY_END = 60n * DAY;
const WRAPPED_MINTED = 1_000_000n * ONE_OXEN;
/** The contract's `MAX_EPOCH_TOTAL`: the width of an epoch's packed total. */
const MAX_EPOCH_TOTAL = 2n ** 120n - 1n;
/**
 * Runtime code of a token double that answers every call with 32 bytes of 0xff: its `balanceOf` is 2^256 − 1 and its
 * `transfer` returns neither true nor nothing, so every transfer fails with the balance more than enough.
 * PUSH32 0xff…ff, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN.
 */
const ANSWERS_ALL_ONES_CODE = `0x7f${"ff".repeat(32)}60005260206000f3`;

/** A burn id in the builder's format: the Oxen burn transaction's hash, 64 hex digits. */
function burnId(n: number): string {
  return `0x${n.toString(16).padStart(64, "0")}`;
}

type Signer = HardhatEthersSigner;

function signerAt(signers: readonly Signer[], index: number): Signer {
  const found = signers[index];
  if (found === undefined) throw new Error(`the hardhat network has no account ${index}`);
  return found;
}

function pointAt(schedule: readonly Breakpoint[], index: number): Breakpoint {
  const point = schedule[index];
  if (point === undefined) throw new Error(`the schedule has no breakpoint ${index}`);
  return point;
}

function asStruct(schedule: readonly Breakpoint[]): { timestamp: bigint; rate: bigint }[] {
  return schedule.map(({ timestamp, rate }) => ({ timestamp, rate }));
}

async function bridgeFixture() {
  const signers = await ethers.getSigners();
  const [owner, alice, bob, carol, relayer, treasury, stranger] = [0, 1, 2, 3, 4, 5, 6].map((index) =>
    signerAt(signers, index),
  ) as [Signer, Signer, Signer, Signer, Signer, Signer, Signer];
  const sesh = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, owner.address, ZeroAddress, ZeroAddress]);
  const wrapped = await ethers.deployContract("WrappedOxen__Mock");
  const schedule = defaultSchedule();
  const opening = pointAt(schedule, 0).timestamp;
  const decayEnd = pointAt(schedule, 2).timestamp;
  const closeTime = decayEnd + CLOSE_AFTER_DECAY_END;
  const factory = await ethers.getContractFactory("OxenClaimsBridge");
  const deploy = (close: bigint) =>
    factory.deploy(sesh, wrapped, owner.address, asStruct(schedule), close, treasury.address);
  const bridge = await deploy(0n);
  const closing = await deploy(closeTime);
  await sesh.transfer(bridge, POOL);
  await sesh.transfer(closing, POOL);

  const burns: Burn[] = [
    { burnId: burnId(0), recipient: alice.address, oxenAmount: 15_000n * ONE_OXEN },
    { burnId: burnId(1), recipient: bob.address, oxenAmount: 2_500n * ONE_OXEN + 123n },
    { burnId: burnId(2), recipient: alice.address, oxenAmount: 7n },
    { burnId: burnId(3), recipient: carol.address, oxenAmount: 60_000_000n * ONE_OXEN },
  ];
  const epoch = buildEpoch(burns);
  await bridge.addEpoch(epoch.root, epoch.totalOxen);
  await closing.addEpoch(epoch.root, epoch.totalOxen);

  for (const holder of [alice, bob]) {
    await wrapped.mint(holder.address, WRAPPED_MINTED);
    await wrapped.connect(holder).approve(bridge, WRAPPED_MINTED);
    await wrapped.connect(holder).approve(closing, WRAPPED_MINTED);
  }
  return {
    sesh,
    wrapped,
    bridge,
    closing,
    factory,
    schedule,
    opening,
    decayEnd,
    closeTime,
    epoch,
    owner,
    alice,
    bob,
    carol,
    relayer,
    treasury,
    stranger,
  };
}

type Fixture = Awaited<ReturnType<typeof bridgeFixture>>;

function claimOf(fixture: Fixture, recipient: Signer, which = 0): RecipientClaim {
  const claim = fixture.epoch.claims.get(recipient.address)?.[which];
  if (claim === undefined) throw new Error(`no claim ${which} for ${recipient.address}`);
  return claim;
}

function submit(
  bridge: OxenClaimsBridge,
  caller: Signer,
  recipient: string,
  claim: RecipientClaim,
  overrides: { epoch?: bigint; index?: bigint; oxenAmount?: bigint; proof?: string[] } = {},
): Promise<ContractTransactionResponse> {
  return bridge
    .connect(caller)
    .claim(
      overrides.epoch ?? 0n,
      overrides.index ?? BigInt(claim.index),
      recipient,
      overrides.oxenAmount ?? BigInt(claim.oxenAmount),
      overrides.proof ?? [...claim.proof],
    );
}

/** The SESH and wOXEN balances of every account of the fixture and of both bridges. */
async function balances(fixture: Fixture): Promise<bigint[]> {
  const holders = [
    fixture.bridge,
    fixture.closing,
    fixture.owner,
    fixture.alice,
    fixture.bob,
    fixture.carol,
    fixture.relayer,
    fixture.treasury,
  ];
  const result: bigint[] = [];
  for (const holder of holders) {
    result.push(await fixture.sesh.balanceOf(holder), await fixture.wrapped.balanceOf(holder));
  }
  return result;
}

/** Runs `attempt`, which must revert, and checks that no balance moved. */
async function expectNothingMoved(fixture: Fixture, attempt: () => Promise<void>): Promise<void> {
  const before = await balances(fixture);
  await attempt();
  expect(await balances(fixture)).to.deep.equal(before);
}

/** Deploys another bridge with the fixture's tokens and owner (default schedule, no close time, not funded). */
async function deployBridge(
  fixture: Fixture,
  overrides: { schedule?: readonly Breakpoint[]; closeTime?: bigint; sesh?: string } = {},
): Promise<OxenClaimsBridge> {
  const bridge = await fixture.factory.deploy(
    overrides.sesh ?? (await fixture.sesh.getAddress()),
    fixture.wrapped,
    fixture.owner.address,
    asStruct(overrides.schedule ?? fixture.schedule),
    overrides.closeTime ?? 0n,
    fixture.treasury.address,
  );
  await bridge.waitForDeployment();
  return bridge;
}

/** A tree over hand-made leaves, for the leaves the epoch builder refuses (zero recipient, huge amounts). */
function treeOf(leaves: readonly (readonly [bigint, string, bigint])[]): StandardMerkleTree<LeafValue> {
  const values: LeafValue[] = leaves.map(([index, recipient, amount]) => [
    index.toString(),
    recipient,
    amount.toString(),
  ]);
  return StandardMerkleTree.of(values, [...LEAF_ENCODING]);
}

/** The leaf of `tree` with index `index`, ready for `claim`. */
function leafOf(
  tree: StandardMerkleTree<LeafValue>,
  index: bigint,
): { index: bigint; recipient: string; oxenAmount: bigint; proof: string[] } {
  for (const [position, [leafIndex, recipient, amount]] of tree.entries()) {
    if (BigInt(leafIndex) === index) {
      return { index, recipient, oxenAmount: BigInt(amount), proof: tree.getProof(position) };
    }
  }
  throw new Error(`the tree has no leaf ${index}`);
}

/** A token sent to the bridge by mistake, all of which may be rescued. */
const STRAY_AMOUNT = 1_000n;
/** wOXEN a holder converted, all of it locked in the bridge. */
const WRAPPED_CONVERTED = 1_000n * ONE_OXEN;
/** wOXEN sent to the bridge by mistake on top of what conversions locked: the surplus a rescue may take. */
const WRAPPED_SURPLUS = 5n;

/**
 * The closing bridge as the behaviour of `Managed` sees it, once claims are open: it holds its SESH pool (owed as a
 * whole), `WRAPPED_CONVERTED` locked wOXEN plus `WRAPPED_SURPLUS` more, and `STRAY_AMOUNT` of a stray token.
 */
async function managedFixture() {
  const fixture = await loadFixture(bridgeFixture);
  const { closing, wrapped, bob, opening } = fixture;
  const stray = await ethers.deployContract("WrappedOxen__Mock");
  await stray.mint(closing, STRAY_AMOUNT);
  await time.increaseTo(opening);
  await closing.connect(bob).convertWrapped(WRAPPED_CONVERTED);
  await wrapped.connect(bob).transfer(closing, WRAPPED_SURPLUS);
  return { ...fixture, contract: closing, other: fixture.stranger, stray };
}

describe("OxenClaimsBridge", function () {
  restoreChainAfterSuite();

  shouldBehaveLikeManaged(managedFixture, {
    rescuable: (f) => [
      { token: f.stray, surplus: STRAY_AMOUNT },
      { token: f.wrapped, surplus: WRAPPED_SURPLUS },
    ],
    notRescuable: (f) => [f.sesh],
    pausedCalls: [
      { name: "claim", call: (f) => submit(f.closing, f.alice, f.alice.address, claimOf(f, f.alice)) },
      { name: "convertWrapped", call: (f) => f.closing.connect(f.bob).convertWrapped(ONE_OXEN) },
      { name: "sweep", call: (f) => f.closing.connect(f.owner).sweep() },
    ],
  });

  describe("#constructor", function () {
    async function deployWith(
      fixture: Fixture,
      overrides: {
        schedule?: Breakpoint[];
        closeTime?: bigint;
        sesh?: string;
        wrapped?: string;
        owner?: string;
        recipient?: string;
      },
    ) {
      return fixture.factory.deploy(
        overrides.sesh ?? (await fixture.sesh.getAddress()),
        overrides.wrapped ?? (await fixture.wrapped.getAddress()),
        overrides.owner ?? fixture.owner.address,
        asStruct(overrides.schedule ?? fixture.schedule),
        overrides.closeTime ?? 0n,
        overrides.recipient ?? fixture.treasury.address,
      );
    }

    it("records the tokens, owner, schedule, opening and close times and sweep recipient", async function () {
      const { closing, sesh, wrapped, owner, schedule, opening, closeTime, treasury } =
        await loadFixture(bridgeFixture);
      expect(await closing.sesh()).to.equal(await sesh.getAddress());
      expect(await closing.wrappedOxen()).to.equal(await wrapped.getAddress());
      expect(await closing.owner()).to.equal(owner.address);
      expect((await closing.schedule()).map(([timestamp, rate]) => ({ timestamp, rate }))).to.deep.equal(schedule);
      expect(await closing.openingTime()).to.equal(opening);
      expect(await closing.closeTime()).to.equal(closeTime);
      expect(await closing.sweepRecipient()).to.equal(treasury.address);
      expect(await closing.MAX_RATE()).to.equal(MAX_RATE);
      expect(await closing.MAX_BREAKPOINTS()).to.equal(BigInt(MAX_BREAKPOINTS));
      expect(await closing.RATE_PRECISION()).to.equal(ONE_OXEN);
    });

    it("reverts if the schedule is empty", async function () {
      const fixture = await loadFixture(bridgeFixture);
      await expect(deployWith(fixture, { schedule: [] })).to.be.revertedWithCustomError(
        fixture.bridge,
        "EmptySchedule",
      );
    });

    it("reverts if the schedule has too many breakpoints", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const schedule = Array.from({ length: MAX_BREAKPOINTS + 1 }, (_, i) => ({ timestamp: BigInt(i), rate: 1n }));
      await expect(deployWith(fixture, { schedule }))
        .to.be.revertedWithCustomError(fixture.bridge, "TooManyBreakpoints")
        .withArgs(MAX_BREAKPOINTS + 1, MAX_BREAKPOINTS);
    });

    it("reverts if a timestamp comes before the previous one", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const schedule = [
        { timestamp: 100n, rate: 1n },
        { timestamp: 200n, rate: 1n },
        { timestamp: 199n, rate: 1n },
      ];
      await expect(deployWith(fixture, { schedule }))
        .to.be.revertedWithCustomError(fixture.bridge, "BreakpointsOutOfOrder")
        .withArgs(2, 199, 200);
    });

    it("reverts if a rate is zero", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const schedule = [
        { timestamp: 100n, rate: 5n },
        { timestamp: 200n, rate: 0n },
      ];
      await expect(deployWith(fixture, { schedule }))
        .to.be.revertedWithCustomError(fixture.bridge, "RateOutOfRange")
        .withArgs(1, 0, MAX_RATE);
    });

    it("reverts if a rate is above MAX_RATE", async function () {
      const fixture = await loadFixture(bridgeFixture);
      await expect(deployWith(fixture, { schedule: [{ timestamp: 100n, rate: MAX_RATE + 1n }] }))
        .to.be.revertedWithCustomError(fixture.bridge, "RateOutOfRange")
        .withArgs(0, MAX_RATE + 1n, MAX_RATE);
    });

    it("accepts a rate of exactly MAX_RATE and equal timestamps (a step)", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const schedule = [
        { timestamp: 100n, rate: MAX_RATE },
        { timestamp: 100n, rate: 1n },
      ];
      const bridge = await deployWith(fixture, { schedule });
      expect(await bridge.conversionRateAt(100n)).to.equal(1n);
    });

    it("reverts if the close time is not after the opening time", async function () {
      const fixture = await loadFixture(bridgeFixture);
      await expect(deployWith(fixture, { closeTime: fixture.opening }))
        .to.be.revertedWithCustomError(fixture.bridge, "CloseTimeNotAfterOpening")
        .withArgs(fixture.opening, fixture.opening);
    });

    for (const parameter of ["sesh", "wrappedOxen", "sweepRecipient"] as const) {
      it(`reverts if ${parameter} is the zero address`, async function () {
        const fixture = await loadFixture(bridgeFixture);
        const overrides =
          parameter === "sesh"
            ? { sesh: ZeroAddress }
            : parameter === "wrappedOxen"
              ? { wrapped: ZeroAddress }
              : { recipient: ZeroAddress };
        await expect(deployWith(fixture, overrides))
          .to.be.revertedWithCustomError(fixture.bridge, "ZeroAddress")
          .withArgs(parameter);
      });
    }

    it("reverts if the owner is the zero address", async function () {
      const fixture = await loadFixture(bridgeFixture);
      await expect(deployWith(fixture, { owner: ZeroAddress }))
        .to.be.revertedWithCustomError(fixture.bridge, "OwnableInvalidOwner")
        .withArgs(ZeroAddress);
    });

    it("reverts if SESH and wOXEN are the same token", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const sesh = await fixture.sesh.getAddress();
      await expect(deployWith(fixture, { wrapped: sesh }))
        .to.be.revertedWithCustomError(fixture.bridge, "SameToken")
        .withArgs(sesh);
    });
  });

  describe("#conversionRateAt", function () {
    it("matches the TS reference at every breakpoint and one second either side", async function () {
      const { bridge, schedule } = await loadFixture(bridgeFixture);
      for (const { timestamp } of schedule) {
        for (const t of [timestamp - 1n, timestamp, timestamp + 1n]) {
          expect(await bridge.conversionRateAt(t)).to.equal(conversionRateAt(schedule, t), `at ${t}`);
        }
      }
    });

    it("is 0 before opening, 0.54 until the decay, 0.378 after it, and rounds down in between", async function () {
      const { bridge, opening, decayEnd } = await loadFixture(bridgeFixture);
      expect(await bridge.conversionRateAt(opening - 1n)).to.equal(0n);
      expect(await bridge.conversionRateAt(opening)).to.equal(540_000_000n);
      expect(await bridge.conversionRateAt(decayEnd)).to.equal(378_000_000n);
      expect(await bridge.conversionRateAt(decayEnd + 10_000n * DAY)).to.equal(378_000_000n);
      // One second into the decay: 162,000,000 / 2,592,000 = 62.5 atoms, so the rate drops by 63.
      expect(await bridge.conversionRateAt(decayEnd - 30n * DAY + 1n)).to.equal(540_000_000n - 63n);
    });

    it("rounds a rising segment down", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const bridge = await fixture.factory.deploy(
        fixture.sesh,
        fixture.wrapped,
        fixture.owner.address,
        [
          { timestamp: 1_000n, rate: 1n },
          { timestamp: 1_003n, rate: 3n },
        ],
        0n,
        fixture.treasury.address,
      );
      expect(await bridge.conversionRateAt(1_001n)).to.equal(1n); // 1 + 2/3
      expect(await bridge.conversionRateAt(1_002n)).to.equal(2n); // 1 + 4/3
    });

    it("is the rate now in conversionRate()", async function () {
      const { bridge, opening } = await loadFixture(bridgeFixture);
      await time.increaseTo(opening + 5n);
      expect(await bridge.conversionRate()).to.equal(540_000_000n);
    });
  });

  describe("#quote", function () {
    it("rounds down oxenAmount × rate / 10^9", async function () {
      const { bridge, schedule, decayEnd } = await loadFixture(bridgeFixture);
      const t = decayEnd - 7n * DAY - 17n;
      const amount = 123_456_789_123n;
      expect(await bridge.quote(amount, t)).to.equal(quote(schedule, amount, t));
      expect(await bridge.quote(1n, t)).to.equal(0n);
    });
  });

  describe("only-owner functions", function () {
    const calls: [string, (bridge: OxenClaimsBridge) => Promise<ContractTransactionResponse>][] = [
      ["addEpoch", (bridge) => bridge.addEpoch(`0x${"11".repeat(32)}`, 1n)],
      ["sweep", (bridge) => bridge.sweep()],
      ["revokeEpoch", (bridge) => bridge.revokeEpoch(0n)],
    ];
    for (const [name, call] of calls) {
      it(`reverts if ${name} is called by another account`, async function () {
        const fixture = await loadFixture(bridgeFixture);
        await expectNothingMoved(fixture, async () => {
          await expect(call(fixture.closing.connect(fixture.stranger)))
            .to.be.revertedWithCustomError(fixture.closing, "OwnableUnauthorizedAccount")
            .withArgs(fixture.stranger.address);
        });
      });
    }
  });

  describe("#addEpoch", function () {
    it("numbers epochs from 0 and records root and total", async function () {
      const { bridge, epoch } = await loadFixture(bridgeFixture);
      const root = `0x${"ab".repeat(32)}`;
      await expect(bridge.addEpoch(root, 77n)).to.emit(bridge, "EpochAdded").withArgs(1n, root, 77n);
      expect(await bridge.epochCount()).to.equal(2n);
      expect(await bridge.epochAt(0n)).to.deep.equal([epoch.root, epoch.totalOxen, 0n, false]);
      expect(await bridge.epochAt(1n)).to.deep.equal([root, 77n, 0n, false]);
    });

    it("reverts if the root is zero", async function () {
      const { bridge } = await loadFixture(bridgeFixture);
      await expect(bridge.addEpoch(ZeroHash, 1n)).to.be.revertedWithCustomError(bridge, "ZeroRoot");
    });

    it("reverts reading an unknown epoch", async function () {
      const { bridge } = await loadFixture(bridgeFixture);
      await expect(bridge.epochAt(1n)).to.be.revertedWithCustomError(bridge, "UnknownEpoch").withArgs(1n, 1n);
    });
  });

  describe("#claim", function () {
    describe("when claims are open", function () {
      it("pays quote(oxenAmount, now) to the leaf's recipient, whoever submits", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { bridge, sesh, alice, relayer, schedule, decayEnd } = fixture;
        const claim = claimOf(fixture, alice);
        const at = decayEnd - 10n * DAY + 3n;
        await time.setNextBlockTimestamp(at);
        const expected = quote(schedule, BigInt(claim.oxenAmount), at);
        await expect(submit(bridge, relayer, alice.address, claim)).to.changeTokenBalances(
          sesh,
          [alice, relayer, bridge],
          [expected, 0n, -expected],
        );
      });

      it("emits Claimed with the amounts and the rate", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { bridge, bob, opening, schedule } = fixture;
        const claim = claimOf(fixture, bob);
        await time.setNextBlockTimestamp(opening);
        const amount = BigInt(claim.oxenAmount);
        await expect(submit(bridge, bob, bob.address, claim))
          .to.emit(bridge, "Claimed")
          .withArgs(0n, BigInt(claim.index), bob.address, amount, quote(schedule, amount, opening), 540_000_000n);
      });

      it("marks the leaf claimed and no other", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { bridge, alice, opening } = fixture;
        const claim = claimOf(fixture, alice, 1);
        await time.increaseTo(opening);
        await submit(bridge, alice, alice.address, claim);
        expect(await bridge.isClaimed(0n, BigInt(claim.index))).to.equal(true);
        expect(await bridge.isClaimed(0n, BigInt(claimOf(fixture, alice).index))).to.equal(false);
        expect(await bridge.isClaimed(5n, BigInt(claim.index))).to.equal(false);
      });

      it("reverts if the leaf was claimed already", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { bridge, alice, opening } = fixture;
        const claim = claimOf(fixture, alice);
        await time.increaseTo(opening);
        await submit(bridge, alice, alice.address, claim);
        await expectNothingMoved(fixture, async () => {
          await expect(submit(bridge, alice, alice.address, claim))
            .to.be.revertedWithCustomError(bridge, "AlreadyClaimed")
            .withArgs(0n, BigInt(claim.index));
        });
      });

      it("reverts if the proof is wrong", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { bridge, alice, bob, opening } = fixture;
        const claim = claimOf(fixture, alice);
        await time.increaseTo(opening);
        await expectNothingMoved(fixture, async () => {
          await expect(submit(bridge, alice, alice.address, claim, { proof: [...claimOf(fixture, bob).proof] }))
            .to.be.revertedWithCustomError(bridge, "InvalidProof")
            .withArgs(0n, BigInt(claim.index), alice.address, BigInt(claim.oxenAmount));
        });
      });

      it("reverts if the recipient is not the leaf's", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { bridge, alice, stranger, opening } = fixture;
        const claim = claimOf(fixture, alice);
        await time.increaseTo(opening);
        await expectNothingMoved(fixture, async () => {
          await expect(submit(bridge, stranger, stranger.address, claim))
            .to.be.revertedWithCustomError(bridge, "InvalidProof")
            .withArgs(0n, BigInt(claim.index), stranger.address, BigInt(claim.oxenAmount));
        });
      });

      it("reverts if the amount is not the leaf's", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { bridge, alice, opening } = fixture;
        const claim = claimOf(fixture, alice);
        const inflated = BigInt(claim.oxenAmount) + 1n;
        await time.increaseTo(opening);
        await expectNothingMoved(fixture, async () => {
          await expect(submit(bridge, alice, alice.address, claim, { oxenAmount: inflated }))
            .to.be.revertedWithCustomError(bridge, "InvalidProof")
            .withArgs(0n, BigInt(claim.index), alice.address, inflated);
        });
      });

      it("reverts if the epoch is unknown", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { bridge, alice, opening } = fixture;
        await time.increaseTo(opening);
        await expectNothingMoved(fixture, async () => {
          await expect(submit(bridge, alice, alice.address, claimOf(fixture, alice), { epoch: 1n }))
            .to.be.revertedWithCustomError(bridge, "UnknownEpoch")
            .withArgs(1n, 1n);
        });
      });

      it("reverts if the pool cannot pay the whole claim", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { bridge, carol, opening, schedule } = fixture;
        const claim = claimOf(fixture, carol);
        await time.setNextBlockTimestamp(opening);
        await expectNothingMoved(fixture, async () => {
          await expect(submit(bridge, carol, carol.address, claim))
            .to.be.revertedWithCustomError(bridge, "InsufficientPool")
            .withArgs(quote(schedule, BigInt(claim.oxenAmount), opening), POOL);
        });
        expect(await bridge.isClaimed(0n, BigInt(claim.index))).to.equal(false);
      });
    });

    describe("when claims are not open", function () {
      it("reverts if claims have not opened yet", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { bridge, alice, opening } = fixture;
        await time.setNextBlockTimestamp(opening - 1n);
        await expectNothingMoved(fixture, async () => {
          await expect(submit(bridge, alice, alice.address, claimOf(fixture, alice)))
            .to.be.revertedWithCustomError(bridge, "ClaimsNotOpen")
            .withArgs(opening - 1n, opening);
        });
      });

      it("reverts if claims have closed", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { closing, alice, closeTime } = fixture;
        await time.setNextBlockTimestamp(closeTime);
        await expectNothingMoved(fixture, async () => {
          await expect(submit(closing, alice, alice.address, claimOf(fixture, alice)))
            .to.be.revertedWithCustomError(closing, "ClaimsClosed")
            .withArgs(closeTime, closeTime);
        });
      });

      it("pays one second before the close time", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { closing, sesh, alice, closeTime } = fixture;
        const claim = claimOf(fixture, alice);
        await time.setNextBlockTimestamp(closeTime - 1n);
        const expected = (BigInt(claim.oxenAmount) * 378_000_000n) / ONE_OXEN;
        await expect(submit(closing, alice, alice.address, claim)).to.changeTokenBalance(sesh, alice, expected);
      });
    });

    describe("when paused", function () {
      it("reverts with EnforcedPause, and pays again once unpaused", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { bridge, sesh, alice, owner, opening } = fixture;
        const claim = claimOf(fixture, alice);
        await time.increaseTo(opening);
        await bridge.connect(owner).pause();
        await expectNothingMoved(fixture, async () => {
          await expect(submit(bridge, alice, alice.address, claim)).to.be.revertedWithCustomError(
            bridge,
            "EnforcedPause",
          );
        });
        await bridge.connect(owner).unpause();
        await expect(submit(bridge, alice, alice.address, claim)).to.changeTokenBalance(
          sesh,
          alice,
          (BigInt(claim.oxenAmount) * 540_000_000n) / ONE_OXEN,
        );
      });
    });
  });

  describe("#convertWrapped", function () {
    describe("when conversions are open", function () {
      it("locks the wOXEN and pays quote(amount, now) to the caller", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { bridge, sesh, wrapped, bob, schedule, decayEnd } = fixture;
        const amount = 1_234n * ONE_OXEN + 5n;
        const at = decayEnd - 1n;
        await time.setNextBlockTimestamp(at);
        const expected = quote(schedule, amount, at);
        const tx = bridge.connect(bob).convertWrapped(amount);
        await expect(tx).to.changeTokenBalances(sesh, [bob, bridge], [expected, -expected]);
        await expect(tx).to.changeTokenBalances(wrapped, [bob, bridge], [-amount, amount]);
        await expect(tx)
          .to.emit(bridge, "WrappedConverted")
          .withArgs(bob.address, amount, expected, conversionRateAt(schedule, at));
        expect(await bridge.wrappedOxenLocked()).to.equal(amount);
      });

      it("reverts if the amount is zero", async function () {
        const fixture = await loadFixture(bridgeFixture);
        await time.increaseTo(fixture.opening);
        await expectNothingMoved(fixture, async () => {
          await expect(fixture.bridge.connect(fixture.bob).convertWrapped(0n)).to.be.revertedWithCustomError(
            fixture.bridge,
            "ZeroAmount",
          );
        });
      });

      it("reverts if the amount pays nothing", async function () {
        const fixture = await loadFixture(bridgeFixture);
        await time.setNextBlockTimestamp(fixture.opening);
        await expectNothingMoved(fixture, async () => {
          await expect(fixture.bridge.connect(fixture.bob).convertWrapped(1n))
            .to.be.revertedWithCustomError(fixture.bridge, "NothingToPay")
            .withArgs(1n, 540_000_000n);
        });
      });

      it("reverts if the pool cannot pay", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { bridge, wrapped, alice, opening } = fixture;
        const amount = 60_000_000n * ONE_OXEN;
        await wrapped.mint(alice.address, amount);
        await wrapped.connect(alice).approve(bridge, amount);
        await time.setNextBlockTimestamp(opening);
        await expectNothingMoved(fixture, async () => {
          await expect(bridge.connect(alice).convertWrapped(amount))
            .to.be.revertedWithCustomError(bridge, "InsufficientPool")
            .withArgs((amount * 540_000_000n) / ONE_OXEN, POOL);
        });
      });

      it("reverts if the caller has not approved the wOXEN", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { bridge, wrapped, carol, opening } = fixture;
        await wrapped.mint(carol.address, ONE_OXEN);
        await time.increaseTo(opening);
        await expectNothingMoved(fixture, async () => {
          await expect(bridge.connect(carol).convertWrapped(ONE_OXEN))
            .to.be.revertedWithCustomError(wrapped, "ERC20InsufficientAllowance")
            .withArgs(await bridge.getAddress(), 0n, ONE_OXEN);
        });
      });
    });

    describe("when conversions are not open", function () {
      it("reverts before the opening time", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { bridge, bob, opening } = fixture;
        await time.setNextBlockTimestamp(opening - 1n);
        await expectNothingMoved(fixture, async () => {
          await expect(bridge.connect(bob).convertWrapped(ONE_OXEN))
            .to.be.revertedWithCustomError(bridge, "ClaimsNotOpen")
            .withArgs(opening - 1n, opening);
        });
      });

      it("reverts after the close time", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { closing, bob, closeTime } = fixture;
        await time.setNextBlockTimestamp(closeTime + 1n);
        await expectNothingMoved(fixture, async () => {
          await expect(closing.connect(bob).convertWrapped(ONE_OXEN))
            .to.be.revertedWithCustomError(closing, "ClaimsClosed")
            .withArgs(closeTime + 1n, closeTime);
        });
      });

      it("moves nothing while paused, and converts again once unpaused", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { bridge, wrapped, bob, owner, opening } = fixture;
        await time.increaseTo(opening);
        await bridge.connect(owner).pause();
        await expectNothingMoved(fixture, async () => {
          await expect(bridge.connect(bob).convertWrapped(ONE_OXEN)).to.be.revertedWithCustomError(
            bridge,
            "EnforcedPause",
          );
        });
        await bridge.connect(owner).unpause();
        await expect(bridge.connect(bob).convertWrapped(ONE_OXEN)).to.changeTokenBalance(wrapped, bob, -ONE_OXEN);
      });
    });
  });

  describe("#sweep", function () {
    it("reverts if the bridge has no close time", async function () {
      const fixture = await loadFixture(bridgeFixture);
      await time.increaseTo(fixture.closeTime + 365n * DAY);
      await expectNothingMoved(fixture, async () => {
        await expect(fixture.bridge.sweep()).to.be.revertedWithCustomError(fixture.bridge, "NoCloseTime");
      });
    });

    it("reverts before the close time", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { closing, closeTime } = fixture;
      await time.setNextBlockTimestamp(closeTime - 1n);
      await expectNothingMoved(fixture, async () => {
        await expect(closing.sweep())
          .to.be.revertedWithCustomError(closing, "SweepBeforeClose")
          .withArgs(closeTime - 1n, closeTime);
      });
    });

    it("moves exactly the remainder to the sweep recipient after the close time", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { closing, sesh, alice, bob, treasury, opening, closeTime, schedule } = fixture;
      const claim = claimOf(fixture, alice);
      await time.setNextBlockTimestamp(opening);
      await submit(closing, bob, alice.address, claim);
      await time.setNextBlockTimestamp(opening + 1n);
      await closing.connect(bob).convertWrapped(ONE_OXEN);
      const paid = quote(schedule, BigInt(claim.oxenAmount), opening) + quote(schedule, ONE_OXEN, opening + 1n);
      const remainder = POOL - paid;
      await time.setNextBlockTimestamp(closeTime);
      const tx = closing.sweep();
      await expect(tx).to.changeTokenBalances(sesh, [closing, treasury], [-remainder, remainder]);
      await expect(tx).to.emit(closing, "Swept").withArgs(treasury.address, remainder);
      expect(await sesh.balanceOf(closing)).to.equal(0n);
    });
  });

  describe("finding 3: an epoch can pay more than it declares", function () {
    /** A fresh funded bridge whose epoch 0 is the fixture's tree with `declared` as its total. */
    async function withDeclaredTotal(fixture: Fixture, declared: bigint): Promise<OxenClaimsBridge> {
      const bridge = await deployBridge(fixture);
      await fixture.sesh.transfer(bridge, POOL);
      await bridge.addEpoch(fixture.epoch.root, declared);
      return bridge;
    }

    it("reverts EpochTotalExceeded(epoch, claimed, total) for the leaf that would pass the total, paying nothing", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { alice, bob, opening } = fixture;
      const first = claimOf(fixture, alice);
      const second = claimOf(fixture, bob);
      const declared = BigInt(first.oxenAmount) + BigInt(second.oxenAmount) - 1n;
      const bridge = await withDeclaredTotal(fixture, declared);
      await time.setNextBlockTimestamp(opening);
      await submit(bridge, alice, alice.address, first);
      const sesh = await fixture.sesh.balanceOf(bridge);
      await expect(submit(bridge, bob, bob.address, second))
        .to.be.revertedWithCustomError(bridge, "EpochTotalExceeded")
        .withArgs(0n, BigInt(first.oxenAmount), declared);
      expect(await fixture.sesh.balanceOf(bridge)).to.equal(sesh);
      expect(await bridge.isClaimed(0n, BigInt(second.index))).to.equal(false);
      expect((await bridge.epochAt(0n)).claimedOxen).to.equal(BigInt(first.oxenAmount));
    });

    it("pays the leaf that brings the claimed OXEN exactly to the total, and epochAt reports it", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { alice, bob, opening } = fixture;
      const first = claimOf(fixture, alice);
      const second = claimOf(fixture, bob);
      const declared = BigInt(first.oxenAmount) + BigInt(second.oxenAmount);
      const bridge = await withDeclaredTotal(fixture, declared);
      await time.setNextBlockTimestamp(opening);
      await submit(bridge, alice, alice.address, first);
      await expect(submit(bridge, bob, bob.address, second)).to.emit(bridge, "Claimed");
      expect(await bridge.epochAt(0n)).to.deep.equal([fixture.epoch.root, declared, declared, false]);
    });

    it("reverts EpochTotalExceeded, not a panic, for a leaf of 2^255 or 2^256 − 1 atoms", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { alice, bob, opening } = fixture;
      const tree = treeOf([
        [0n, alice.address, 2n ** 255n],
        [1n, bob.address, MaxUint256],
      ]);
      const bridge = await deployBridge(fixture);
      await fixture.sesh.transfer(bridge, POOL);
      await bridge.addEpoch(tree.root, MAX_EPOCH_TOTAL);
      await time.increaseTo(opening);
      for (const index of [0n, 1n]) {
        const leaf = leafOf(tree, index);
        await expect(bridge.claim(0n, index, leaf.recipient, leaf.oxenAmount, leaf.proof))
          .to.be.revertedWithCustomError(bridge, "EpochTotalExceeded")
          .withArgs(0n, 0n, MAX_EPOCH_TOTAL);
      }
    });

    it("reverts addEpoch if the declared total is above MAX_EPOCH_TOTAL, and accepts MAX_EPOCH_TOTAL", async function () {
      const { bridge } = await loadFixture(bridgeFixture);
      const root = `0x${"ab".repeat(32)}`;
      expect(await bridge.MAX_EPOCH_TOTAL()).to.equal(MAX_EPOCH_TOTAL);
      await expect(bridge.addEpoch(root, MAX_EPOCH_TOTAL + 1n))
        .to.be.revertedWithCustomError(bridge, "EpochTotalTooLarge")
        .withArgs(MAX_EPOCH_TOTAL + 1n, MAX_EPOCH_TOTAL);
      expect(await bridge.epochCount()).to.equal(1n);
      await bridge.addEpoch(root, MAX_EPOCH_TOTAL);
      expect(await bridge.epochAt(1n)).to.deep.equal([root, MAX_EPOCH_TOTAL, 0n, false]);
    });
  });

  describe("finding 3: #revokeEpoch", function () {
    it("emits EpochRevoked with the OXEN claimed and the total, and epochAt shows it revoked", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { bridge, alice, opening, epoch } = fixture;
      const claim = claimOf(fixture, alice);
      await time.setNextBlockTimestamp(opening);
      await submit(bridge, alice, alice.address, claim);
      await expect(bridge.revokeEpoch(0n))
        .to.emit(bridge, "EpochRevoked")
        .withArgs(0n, BigInt(claim.oxenAmount), epoch.totalOxen);
      expect(await bridge.epochAt(0n)).to.deep.equal([epoch.root, epoch.totalOxen, BigInt(claim.oxenAmount), true]);
    });

    it("makes the epoch's unclaimed leaves unpayable with EpochIsRevoked(epoch)", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { bridge, bob, opening } = fixture;
      const claim = claimOf(fixture, bob);
      await bridge.revokeEpoch(0n);
      await time.increaseTo(opening);
      await expectNothingMoved(fixture, async () => {
        await expect(submit(bridge, bob, bob.address, claim))
          .to.be.revertedWithCustomError(bridge, "EpochIsRevoked")
          .withArgs(0n);
      });
      expect(await bridge.isClaimed(0n, BigInt(claim.index))).to.equal(false);
    });

    it("leaves the other epochs payable", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { bridge, sesh, alice, opening, epoch } = fixture;
      await bridge.addEpoch(epoch.root, epoch.totalOxen);
      await bridge.revokeEpoch(0n);
      const claim = claimOf(fixture, alice);
      await time.setNextBlockTimestamp(opening);
      await expect(submit(bridge, alice, alice.address, claim, { epoch: 1n })).to.changeTokenBalance(
        sesh,
        alice,
        quote(fixture.schedule, BigInt(claim.oxenAmount), opening),
      );
    });

    it("works while paused", async function () {
      const { bridge } = await loadFixture(bridgeFixture);
      await bridge.pause();
      await expect(bridge.revokeEpoch(0n)).to.emit(bridge, "EpochRevoked");
    });

    it("reverts if the epoch is unknown", async function () {
      const { bridge } = await loadFixture(bridgeFixture);
      await expect(bridge.revokeEpoch(1n)).to.be.revertedWithCustomError(bridge, "UnknownEpoch").withArgs(1n, 1n);
    });

    it("reverts if the epoch was revoked already", async function () {
      const { bridge } = await loadFixture(bridgeFixture);
      await bridge.revokeEpoch(0n);
      await expect(bridge.revokeEpoch(0n)).to.be.revertedWithCustomError(bridge, "EpochIsRevoked").withArgs(0n);
    });
  });

  describe("finding 5: quote and conversionRateAt take any uint256", function () {
    const extremeTimes = [0n, 1n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 255n, MaxUint256];
    const extremeAmounts = [0n, 1n, 2n ** 64n, 2n ** 255n, MaxUint256];

    it("gives the TS reference's rate at 0, 2^64 − 1, 2^64, 2^255 and 2^256 − 1", async function () {
      const { bridge, schedule } = await loadFixture(bridgeFixture);
      for (const t of extremeTimes) {
        expect(await bridge.conversionRateAt(t)).to.equal(conversionRateAt(schedule, t), `at ${t}`);
      }
      expect(await bridge.conversionRateAt(MaxUint256)).to.equal(FINAL_RATE);
    });

    it("quotes amounts up to 2^256 − 1 exactly at every extreme time (rates up to 1 SESH per OXEN)", async function () {
      const { bridge, schedule, opening, decayEnd } = await loadFixture(bridgeFixture);
      for (const amount of extremeAmounts) {
        for (const t of [...extremeTimes, opening, decayEnd - DAY]) {
          expect(await bridge.quote(amount, t)).to.equal(quote(schedule, amount, t), `${amount} at ${t}`);
        }
      }
      expect(await bridge.quote(MaxUint256, opening)).to.equal((MaxUint256 * OPENING_RATE) / RATE_PRECISION);
    });

    it("reverts QuoteOverflow(oxenAmount, rate) only for a quote above 2^256 − 1", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const bridge = await deployBridge(fixture, { schedule: [{ timestamp: 1_000n, rate: MAX_RATE }] });
      // At 10 SESH per OXEN the quote is 10 × the amount: the largest amount quoted is ⌊(2^256 − 1) / 10⌋.
      const largest = MaxUint256 / 10n;
      expect(await bridge.quote(largest, 1_000n)).to.equal(largest * 10n);
      await expect(bridge.quote(largest + 1n, 1_000n))
        .to.be.revertedWithCustomError(bridge, "QuoteOverflow")
        .withArgs(largest + 1n, MAX_RATE);
      await expect(bridge.quote(MaxUint256, MaxUint256))
        .to.be.revertedWithCustomError(bridge, "QuoteOverflow")
        .withArgs(MaxUint256, MAX_RATE);
    });

    it("reverts a conversion of 2^255 wOXEN with InsufficientPool, not a panic", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { bridge, wrapped, carol, opening, schedule } = fixture;
      const amount = 2n ** 255n;
      await wrapped.mint(carol.address, amount);
      await wrapped.connect(carol).approve(bridge, amount);
      await time.setNextBlockTimestamp(opening);
      await expect(bridge.connect(carol).convertWrapped(amount))
        .to.be.revertedWithCustomError(bridge, "InsufficientPool")
        .withArgs(quote(schedule, amount, opening), POOL);
    });
  });

  describe("finding 6: the zero address as a recipient", function () {
    it("reverts ZeroRecipient(epoch, index) for a leaf of the zero address, which stays unclaimed", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { bridge, alice, relayer, opening } = fixture;
      const tree = treeOf([
        [0n, alice.address, 1_000n * ONE_OXEN],
        [1n, ZeroAddress, 1_000n * ONE_OXEN],
      ]);
      await bridge.addEpoch(tree.root, 2_000n * ONE_OXEN);
      const leaf = leafOf(tree, 1n);
      await time.increaseTo(opening);
      await expectNothingMoved(fixture, async () => {
        await expect(bridge.connect(relayer).claim(1n, 1n, ZeroAddress, leaf.oxenAmount, leaf.proof))
          .to.be.revertedWithCustomError(bridge, "ZeroRecipient")
          .withArgs(1n, 1n);
      });
      expect(await bridge.isClaimed(1n, 1n)).to.equal(false);
    });
  });

  describe("finding 7: sweep while paused", function () {
    it("reverts with EnforcedPause, and sweeps once unpaused", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { closing, sesh, treasury, closeTime } = fixture;
      await time.increaseTo(closeTime);
      await closing.pause();
      await expectNothingMoved(fixture, async () => {
        await expect(closing.sweep()).to.be.revertedWithCustomError(closing, "EnforcedPause");
      });
      await closing.unpause();
      await expect(closing.sweep()).to.changeTokenBalances(sesh, [closing, treasury], [-POOL, POOL]);
    });
  });

  describe("finding 7: a leaf that pays nothing", function () {
    it("reverts NothingToPay(oxenAmount, rate) and stays claimable, then pays at a rate that pays", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { sesh, alice, bob } = fixture;
      // 0.5 SESH per OXEN for a day, then a step to 2: one atom pays 0 atoms, then 2.
      const start = BigInt(await time.latest()) + 1_000n;
      const schedule = [
        { timestamp: start, rate: RATE_PRECISION / 2n },
        { timestamp: start + DAY, rate: RATE_PRECISION / 2n },
        { timestamp: start + DAY, rate: 2n * RATE_PRECISION },
      ];
      const bridge = await deployBridge(fixture, { schedule });
      await sesh.transfer(bridge, POOL);
      const tree = treeOf([
        [0n, alice.address, 1n],
        [1n, bob.address, ONE_OXEN],
      ]);
      await bridge.addEpoch(tree.root, ONE_OXEN + 1n);
      const leaf = leafOf(tree, 0n);
      await time.setNextBlockTimestamp(start);
      await expect(bridge.claim(0n, 0n, alice.address, 1n, leaf.proof))
        .to.be.revertedWithCustomError(bridge, "NothingToPay")
        .withArgs(1n, RATE_PRECISION / 2n);
      expect(await bridge.isClaimed(0n, 0n)).to.equal(false);
      expect((await bridge.epochAt(0n)).claimedOxen).to.equal(0n);
      await time.setNextBlockTimestamp(start + DAY);
      await expect(bridge.claim(0n, 0n, alice.address, 1n, leaf.proof))
        .to.emit(bridge, "Claimed")
        .withArgs(0n, 0n, alice.address, 1n, 2n, 2n * RATE_PRECISION);
    });
  });

  describe("finding 7: #rescueERC20", function () {
    it("sends wOXEN only above wrappedOxenLocked(): RescueExceedsSurplus(token, amount, 0) with nothing above", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { bridge, wrapped, bob, stranger, opening } = fixture;
      await time.increaseTo(opening);
      await bridge.connect(bob).convertWrapped(WRAPPED_CONVERTED);
      await expectNothingMoved(fixture, async () => {
        await expect(bridge.rescueERC20(wrapped, stranger.address, 1n))
          .to.be.revertedWithCustomError(bridge, "RescueExceedsSurplus")
          .withArgs(await wrapped.getAddress(), 1n, 0n);
      });
      await wrapped.connect(bob).transfer(bridge, WRAPPED_SURPLUS);
      await expect(bridge.rescueERC20(wrapped, stranger.address, WRAPPED_SURPLUS)).to.changeTokenBalance(
        wrapped,
        stranger,
        WRAPPED_SURPLUS,
      );
      expect(await wrapped.balanceOf(bridge)).to.equal(await bridge.wrappedOxenLocked());
    });

    it("never sends SESH, even after the close time (sweep is its only way out)", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { closing, sesh, stranger, closeTime } = fixture;
      await time.increaseTo(closeTime);
      await expectNothingMoved(fixture, async () => {
        await expect(closing.rescueERC20(sesh, stranger.address, POOL))
          .to.be.revertedWithCustomError(closing, "TokenNotRescuable")
          .withArgs(await sesh.getAddress());
      });
    });
  });

  describe("finding 7: a schedule that opens at timestamp 0", function () {
    it("reverts ZeroOpeningTime in the constructor", async function () {
      const fixture = await loadFixture(bridgeFixture);
      await expect(
        deployBridge(fixture, {
          schedule: [
            { timestamp: 0n, rate: OPENING_RATE },
            { timestamp: 10n, rate: FINAL_RATE },
          ],
        }),
      ).to.be.revertedWithCustomError(fixture.bridge, "ZeroOpeningTime");
    });

    it("accepts a start in the past, and claims are open at once", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const bridge = await deployBridge(fixture, { schedule: [{ timestamp: 1n, rate: OPENING_RATE }] });
      expect(await bridge.openingTime()).to.equal(1n);
      expect(await bridge.conversionRate()).to.equal(OPENING_RATE);
    });
  });

  describe("finding 7: the close time is fixed at deployment", function () {
    it("has no function that sets or moves it: the state-changing functions are exactly these", async function () {
      const { bridge } = await loadFixture(bridgeFixture);
      const changing: string[] = [];
      bridge.interface.forEachFunction((fragment) => {
        if (!fragment.constant) changing.push(fragment.name);
      });
      expect(changing.sort()).to.deep.equal([
        "acceptOwnership",
        "addEpoch",
        "claim",
        "convertWrapped",
        "pause",
        "rescueERC20",
        "revokeEpoch",
        "sweep",
        "transferOwnership",
        "unpause",
      ]);
    });
  });

  describe("the pool at its last atom", function () {
    /** A fresh bridge with the fixture's epoch, funded with exactly `pool` SESH atoms. */
    async function fundedWith(fixture: Fixture, pool: bigint): Promise<OxenClaimsBridge> {
      const bridge = await deployBridge(fixture);
      await fixture.sesh.transfer(bridge, pool);
      await bridge.addEpoch(fixture.epoch.root, fixture.epoch.totalOxen);
      await fixture.wrapped.connect(fixture.bob).approve(bridge, WRAPPED_MINTED);
      return bridge;
    }

    it("pays a claim that costs exactly the bridge's balance, leaving 0", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { sesh, alice, opening, schedule } = fixture;
      const claim = claimOf(fixture, alice);
      const owed = quote(schedule, BigInt(claim.oxenAmount), opening);
      const bridge = await fundedWith(fixture, owed);
      await time.setNextBlockTimestamp(opening);
      await expect(submit(bridge, alice, alice.address, claim)).to.changeTokenBalances(
        sesh,
        [alice, bridge],
        [owed, -owed],
      );
      expect(await sesh.balanceOf(bridge)).to.equal(0n);
    });

    it("reverts InsufficientPool(needed, available) for a claim one atom above the balance", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { sesh, alice, opening, schedule } = fixture;
      const claim = claimOf(fixture, alice);
      const owed = quote(schedule, BigInt(claim.oxenAmount), opening);
      const bridge = await fundedWith(fixture, owed - 1n);
      await time.setNextBlockTimestamp(opening);
      await expect(submit(bridge, alice, alice.address, claim))
        .to.be.revertedWithCustomError(bridge, "InsufficientPool")
        .withArgs(owed, owed - 1n);
      expect(await sesh.balanceOf(bridge)).to.equal(owed - 1n);
      expect(await bridge.isClaimed(0n, BigInt(claim.index))).to.equal(false);
      expect((await bridge.epochAt(0n)).claimedOxen).to.equal(0n);
    });

    it("pays a conversion that costs exactly the bridge's balance, leaving 0", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { sesh, bob, opening, schedule } = fixture;
      const amount = 1_000n * ONE_OXEN + 1n;
      const owed = quote(schedule, amount, opening);
      const bridge = await fundedWith(fixture, owed);
      await time.setNextBlockTimestamp(opening);
      await expect(bridge.connect(bob).convertWrapped(amount)).to.changeTokenBalances(
        sesh,
        [bob, bridge],
        [owed, -owed],
      );
      expect(await sesh.balanceOf(bridge)).to.equal(0n);
    });

    it("reverts InsufficientPool(needed, available) for a conversion one atom above the balance", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { sesh, wrapped, bob, opening, schedule } = fixture;
      const amount = 1_000n * ONE_OXEN + 1n;
      const owed = quote(schedule, amount, opening);
      const bridge = await fundedWith(fixture, owed - 1n);
      await time.setNextBlockTimestamp(opening);
      await expect(bridge.connect(bob).convertWrapped(amount))
        .to.be.revertedWithCustomError(bridge, "InsufficientPool")
        .withArgs(owed, owed - 1n);
      expect(await sesh.balanceOf(bridge)).to.equal(owed - 1n);
      expect(await wrapped.balanceOf(bridge)).to.equal(0n);
      expect(await bridge.wrappedOxenLocked()).to.equal(0n);
    });

    it("reverts SafeERC20FailedOperation, not InsufficientPool, when a transfer fails with the balance enough", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { alice, opening } = fixture;
      const token = Wallet.createRandom().address;
      await ethers.provider.send("hardhat_setCode", [token, ANSWERS_ALL_ONES_CODE]);
      const bridge = await deployBridge(fixture, { sesh: token });
      await bridge.addEpoch(fixture.epoch.root, fixture.epoch.totalOxen);
      await time.setNextBlockTimestamp(opening);
      await expect(submit(bridge, alice, alice.address, claimOf(fixture, alice)))
        .to.be.revertedWithCustomError(bridge, "SafeERC20FailedOperation")
        .withArgs(token);
    });
  });

  describe("the proof loop (inline assembly)", function () {
    /** The fixture, with a tree of 300 leaves of Alice's (proofs of 8 or 9 hashes) published as epoch 1. */
    async function deepTreeFixture() {
      const fixture = await loadFixture(bridgeFixture);
      const leaves = Array.from(
        { length: 300 },
        (_, i) => [BigInt(i), fixture.alice.address, ONE_OXEN + BigInt(i)] as const,
      );
      const tree = treeOf(leaves);
      await fixture.bridge.addEpoch(
        tree.root,
        leaves.reduce((sum, [, , amount]) => sum + amount, 0n),
      );
      return { ...fixture, tree };
    }

    it("pays a leaf of a deep tree exactly, with the event's data intact", async function () {
      const { bridge, sesh, alice, relayer, tree, opening, schedule } = await deepTreeFixture();
      const leaf = leafOf(tree, 137n);
      expect(leaf.proof.length).to.be.at.least(8);
      const owed = quote(schedule, leaf.oxenAmount, opening);
      await time.setNextBlockTimestamp(opening);
      const tx = bridge.connect(relayer).claim(1n, leaf.index, leaf.recipient, leaf.oxenAmount, leaf.proof);
      await expect(tx)
        .to.emit(bridge, "Claimed")
        .withArgs(1n, 137n, alice.address, leaf.oxenAmount, owed, OPENING_RATE);
      await expect(tx).to.changeTokenBalance(sesh, alice, owed);
    });

    it("reverts InvalidProof for a sibling changed, dropped, added or moved", async function () {
      const { bridge, tree, opening } = await deepTreeFixture();
      const leaf = leafOf(tree, 42n);
      const flipped = [...leaf.proof];
      flipped[3] = `0x${(BigInt(flipped[3] ?? ZeroHash) ^ 1n).toString(16).padStart(64, "0")}`;
      const swapped = [...leaf.proof];
      [swapped[0], swapped[1]] = [swapped[1] ?? ZeroHash, swapped[0] ?? ZeroHash];
      const mutations = [flipped, leaf.proof.slice(0, -1), [...leaf.proof, ZeroHash], swapped, []];
      await time.increaseTo(opening);
      for (const proof of mutations) {
        await expect(bridge.claim(1n, leaf.index, leaf.recipient, leaf.oxenAmount, proof))
          .to.be.revertedWithCustomError(bridge, "InvalidProof")
          .withArgs(1n, leaf.index, leaf.recipient, leaf.oxenAmount);
      }
    });

    it("pays the only leaf of a one-leaf tree with an empty proof (its root is the leaf)", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const { bridge, sesh, bob, opening, schedule } = fixture;
      const tree = treeOf([[0n, bob.address, ONE_OXEN]]);
      await bridge.addEpoch(tree.root, ONE_OXEN);
      await time.setNextBlockTimestamp(opening);
      await expect(bridge.claim(1n, 0n, bob.address, ONE_OXEN, [])).to.changeTokenBalance(
        sesh,
        bob,
        quote(schedule, ONE_OXEN, opening),
      );
    });

    it("reverts without a reason for calldata whose proof runs past its end, or claims 2^64 siblings", async function () {
      const fixture = await deepTreeFixture();
      const { bridge, relayer, tree, opening } = fixture;
      const leaf = leafOf(tree, 7n);
      const data = bridge.interface.encodeFunctionData("claim", [
        1n,
        leaf.index,
        leaf.recipient,
        leaf.oxenAmount,
        leaf.proof,
      ]);
      // The proof's length word follows the selector and five head words.
      const lengthAt = 2 + 2 * (4 + 5 * 32);
      const truncated = data.slice(0, -64);
      const huge = `${data.slice(0, lengthAt)}${(2n ** 64n).toString(16).padStart(64, "0")}${data.slice(lengthAt + 64)}`;
      await time.increaseTo(opening);
      const to = await bridge.getAddress();
      await expectNothingMoved(fixture, async () => {
        for (const malformed of [truncated, huge]) {
          await expect(relayer.sendTransaction({ to, data: malformed })).to.be.revertedWithoutReason();
        }
      });
      expect(await bridge.isClaimed(1n, leaf.index)).to.equal(false);
      await expect(relayer.sendTransaction({ to, data })).to.emit(bridge, "Claimed");
    });
  });

  describe("#schedule", function () {
    it("returns every breakpoint of a schedule of MAX_BREAKPOINTS, and the rate follows it", async function () {
      const fixture = await loadFixture(bridgeFixture);
      const base = 1_000_000n;
      const schedule = Array.from({ length: MAX_BREAKPOINTS }, (_, i) => ({
        timestamp: base + BigInt(Math.floor(i / 2)) * 100n,
        rate: BigInt(i + 1) * 100_000_000n,
      }));
      const bridge = await deployBridge(fixture, { schedule });
      expect((await bridge.schedule()).map(([timestamp, rate]) => ({ timestamp, rate }))).to.deep.equal(schedule);
      for (let t = base - 1n; t <= base + 400n; t += 7n) {
        expect(await bridge.conversionRateAt(t)).to.equal(conversionRateAt(schedule, t), `at ${t}`);
      }
      for (const { timestamp } of schedule) {
        expect(await bridge.conversionRateAt(timestamp)).to.equal(conversionRateAt(schedule, timestamp));
      }
    });
  });
});

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { type ContractTransactionResponse, ZeroAddress, ZeroHash } from "ethers";
import { ethers } from "hardhat";

import { SESH_TOTAL_SUPPLY } from "../../lib/amount";
import { type Burn, buildEpoch, type RecipientClaim } from "../../lib/claims";
import {
  type Breakpoint,
  conversionRateAt,
  defaultSchedule,
  MAX_BREAKPOINTS,
  MAX_RATE,
  quote,
} from "../../lib/schedule";
import type { OxenClaimsBridge } from "../../typechain-types";
import { restoreChainAfterSuite } from "../helpers/chain";

/** 30,000,000 SESH: the claims pool allocated at the TGE. */
const POOL = 30_000_000n * 10n ** 9n;
const ONE_OXEN = 10n ** 9n;
const DAY = 86_400n;
/** The close time of the closing bridge: 60 days after the decay ends. */
const CLOSE_AFTER_DECAY_END = 60n * DAY;
const WRAPPED_MINTED = 1_000_000n * ONE_OXEN;

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
    { burnId: "burn-0", recipient: alice.address, oxenAmount: 15_000n * ONE_OXEN },
    { burnId: "burn-1", recipient: bob.address, oxenAmount: 2_500n * ONE_OXEN + 123n },
    { burnId: "burn-2", recipient: alice.address, oxenAmount: 7n },
    { burnId: "burn-3", recipient: carol.address, oxenAmount: 60_000_000n * ONE_OXEN },
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

describe("OxenClaimsBridge", function () {
  restoreChainAfterSuite();

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

  describe("#renounceOwnership", function () {
    it("reverts for the owner", async function () {
      const { bridge, owner } = await loadFixture(bridgeFixture);
      await expect(bridge.connect(owner).renounceOwnership()).to.be.revertedWithCustomError(
        bridge,
        "OwnershipCannotBeRenounced",
      );
      expect(await bridge.owner()).to.equal(owner.address);
    });

    it("reverts if the caller is not the owner", async function () {
      const { bridge, stranger } = await loadFixture(bridgeFixture);
      await expect(bridge.connect(stranger).renounceOwnership())
        .to.be.revertedWithCustomError(bridge, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
    });
  });

  describe("#transferOwnership", function () {
    it("takes two steps", async function () {
      const { bridge, owner, stranger } = await loadFixture(bridgeFixture);
      await bridge.connect(owner).transferOwnership(stranger.address);
      expect(await bridge.owner()).to.equal(owner.address);
      await bridge.connect(stranger).acceptOwnership();
      expect(await bridge.owner()).to.equal(stranger.address);
    });
  });

  describe("only-owner functions", function () {
    const calls: [string, (bridge: OxenClaimsBridge) => Promise<ContractTransactionResponse>][] = [
      ["addEpoch", (bridge) => bridge.addEpoch(`0x${"11".repeat(32)}`, 1n)],
      ["pause", (bridge) => bridge.pause()],
      ["unpause", (bridge) => bridge.unpause()],
      ["sweep", (bridge) => bridge.sweep()],
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
      expect(await bridge.epochAt(0n)).to.deep.equal([epoch.root, epoch.totalOxen]);
      expect(await bridge.epochAt(1n)).to.deep.equal([root, 77n]);
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
        await expect(bridge.connect(owner).pause()).to.emit(bridge, "Paused").withArgs(owner.address);
        await expectNothingMoved(fixture, async () => {
          await expect(submit(bridge, alice, alice.address, claim)).to.be.revertedWithCustomError(
            bridge,
            "EnforcedPause",
          );
        });
        await expect(bridge.connect(owner).unpause()).to.emit(bridge, "Unpaused").withArgs(owner.address);
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

      it("reverts while paused", async function () {
        const fixture = await loadFixture(bridgeFixture);
        const { bridge, bob, owner, opening } = fixture;
        await time.increaseTo(opening);
        await bridge.connect(owner).pause();
        await expectNothingMoved(fixture, async () => {
          await expect(bridge.connect(bob).convertWrapped(ONE_OXEN)).to.be.revertedWithCustomError(
            bridge,
            "EnforcedPause",
          );
        });
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
});

import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { ethers } from "hardhat";
import fc from "fast-check";

import { SESH_TOTAL_SUPPLY } from "../../lib/amount";
import { type Burn, buildEpoch, type RecipientClaim } from "../../lib/claims";
import { type Breakpoint, conversionRateAt, defaultSchedule, MAX_RATE, quote } from "../../lib/schedule";
import { FC_SEED, integerFromEnv } from "../helpers/env";
import { restoreChainAfterSuite } from "../helpers/chain";

/** Generated schedules, one deployment each; each is checked at many timestamps. */
const SCHEDULE_RUNS = integerFromEnv("FC_BRIDGE_SCHEDULES", 30, 1);
/** Random timestamps per deployment (with ≥ 30 deployments, well over 1,000 in all). */
const TIMESTAMPS_PER_SCHEDULE = 90;
/** Random timestamps checked against the default schedule. */
const DEFAULT_TIMESTAMPS = integerFromEnv("FC_BRIDGE_TIMESTAMPS", 1_000, 1);
/** Random sequences of claims and conversions for the pool invariant. */
const SEQUENCE_RUNS = integerFromEnv("FC_BRIDGE_SEQUENCES", 40, 1);

const ONE_OXEN = 10n ** 9n;
const DAY = 86_400n;
const YEAR = 365n * DAY;
/** A pool small enough that some generated sequences exhaust it. */
const SMALL_POOL = 20_000n * ONE_OXEN;
const WRAPPED_MINTED = 10n ** 9n * ONE_OXEN;
const LEAVES = 12;

async function tokensFixture() {
  const [owner, treasury, ...others] = await ethers.getSigners();
  if (owner === undefined || treasury === undefined || others.length < 4) throw new Error("too few accounts");
  const sesh = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, owner.address, ZeroAddress, ZeroAddress]);
  const wrapped = await ethers.deployContract("WrappedOxen__Mock");
  const factory = await ethers.getContractFactory("OxenClaimsBridge");
  const holders = others.slice(0, 4);
  return { sesh, wrapped, factory, owner, treasury, holders };
}

function deploy(fixture: Awaited<ReturnType<typeof tokensFixture>>, schedule: readonly Breakpoint[], close = 0n) {
  return fixture.factory.deploy(
    fixture.sesh,
    fixture.wrapped,
    fixture.owner.address,
    schedule.map(({ timestamp, rate }) => ({ timestamp, rate })),
    close,
    fixture.treasury.address,
  );
}

/** Valid schedules of 1 to 6 breakpoints, offsets in seconds from a base; zero gaps make steps. */
const scheduleArbitrary = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 60n }), fc.bigInt({ min: 1n, max: YEAR })),
      fc.oneof(fc.bigInt({ min: 1n, max: 10n }), fc.bigInt({ min: 1n, max: MAX_RATE })),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((points) => {
    let offset = 0n;
    return points.map(([gap, rate], index) => {
      offset += index === 0 ? 0n : gap;
      return { offset, rate };
    });
  });

describe("OxenClaimsBridge (properties)", function () {
  restoreChainAfterSuite();

  describe("#conversionRateAt", function () {
    it("equals the TS reference for the default schedule at ≥ 1,000 random timestamps", async function () {
      const fixture = await loadFixture(tokensFixture);
      const schedule = defaultSchedule();
      const bridge = await deploy(fixture, schedule);
      const first = schedule[0]?.timestamp ?? 0n;
      const last = schedule[schedule.length - 1]?.timestamp ?? 0n;
      const timestamps = fc.sample(
        fc.oneof(
          fc.bigInt({ min: first - 60n * DAY, max: last + 60n * DAY }),
          fc.bigInt({ min: last - 31n * DAY, max: last + DAY }),
          fc.bigInt({ min: 0n, max: 2n ** 64n }),
        ),
        { numRuns: DEFAULT_TIMESTAMPS, seed: FC_SEED },
      );
      for (const t of timestamps) {
        expect(await bridge.conversionRateAt(t)).to.equal(conversionRateAt(schedule, t), `at ${t}`);
      }
    });

    it("equals the TS reference for random schedules, and claims at those times pay exactly quote", async function () {
      const fixture = await loadFixture(tokensFixture);
      const recipient = fixture.holders[0];
      if (recipient === undefined) throw new Error("no holder");
      await fc.assert(
        fc.asyncProperty(
          scheduleArbitrary,
          fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n }), {
            minLength: TIMESTAMPS_PER_SCHEDULE,
            maxLength: TIMESTAMPS_PER_SCHEDULE,
          }),
          fc.array(fc.bigInt({ min: 1n, max: 2n * YEAR }), { minLength: 3, maxLength: 3 }),
          async (points, randomTimes, claimDelays) => {
            const base = BigInt(await time.latest()) + 1_000n;
            const schedule = points.map(({ offset, rate }) => ({ timestamp: base + offset, rate }));
            const bridge = await deploy(fixture, schedule);
            const last = schedule[schedule.length - 1]?.timestamp ?? base;
            const near = randomTimes.map((t) => base - DAY + (t % (last - base + 2n * DAY)));
            const boundaries = schedule.flatMap(({ timestamp }) => [timestamp - 1n, timestamp, timestamp + 1n]);
            for (const t of [...boundaries, ...near, ...randomTimes]) {
              expect(await bridge.conversionRateAt(t)).to.equal(conversionRateAt(schedule, t), `at ${t}`);
            }

            // Claims at random times after the opening pay exactly quote.
            const burns: Burn[] = claimDelays.map((_, i) => ({
              burnId: `b${i}`,
              recipient: recipient.address,
              oxenAmount: 1_000n * ONE_OXEN + BigInt(i) * 7_777_777n,
            }));
            const epoch = buildEpoch(burns);
            await bridge.addEpoch(epoch.root, epoch.totalOxen);
            await fixture.sesh.transfer(bridge, 100_000n * ONE_OXEN);
            const claims = epoch.claims.get(recipient.address) ?? [];
            let at = base;
            for (const [i, claim] of claims.entries()) {
              at += (claimDelays[i] ?? 1n) % (last - base + DAY + 1n);
              await time.setNextBlockTimestamp(at);
              const expected = quote(schedule, BigInt(claim.oxenAmount), at);
              await expect(
                bridge.claim(0n, BigInt(claim.index), recipient.address, BigInt(claim.oxenAmount), [...claim.proof]),
              ).to.changeTokenBalance(fixture.sesh, recipient, expected);
            }
          },
        ),
        { numRuns: SCHEDULE_RUNS, seed: FC_SEED },
      );
    });
  });

  describe("pool accounting", function () {
    type Step =
      | { readonly kind: "claim"; readonly leaf: number; readonly delay: bigint }
      | { readonly kind: "convert"; readonly holder: number; readonly amount: bigint; readonly delay: bigint };

    const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
      fc.record({
        kind: fc.constant("claim" as const),
        leaf: fc.integer({ min: 0, max: LEAVES - 1 }),
        delay: fc.bigInt({ min: 0n, max: 40n * DAY }),
      }),
      fc.record({
        kind: fc.constant("convert" as const),
        holder: fc.integer({ min: 0, max: 3 }),
        amount: fc.oneof(fc.bigInt({ min: 0n, max: 10n }), fc.bigInt({ min: 1n, max: 20_000n * ONE_OXEN })),
        delay: fc.bigInt({ min: 0n, max: 40n * DAY }),
      }),
    );

    it("keeps SESH paid + SESH held = SESH funded over random claims and conversions", async function () {
      const fixture = await loadFixture(tokensFixture);
      const schedule = defaultSchedule();
      const opening = schedule[0]?.timestamp ?? 0n;
      const decayStart = schedule[1]?.timestamp ?? 0n;
      for (const holder of fixture.holders) await fixture.wrapped.mint(holder.address, WRAPPED_MINTED);
      const setup = async () => {
        const bridge = await deploy(fixture, schedule);
        for (const holder of fixture.holders) await fixture.wrapped.connect(holder).approve(bridge, WRAPPED_MINTED);
        return bridge;
      };
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.bigInt({ min: 1n, max: 5_000n * ONE_OXEN }), { minLength: LEAVES, maxLength: LEAVES }),
          fc.array(stepArbitrary, { minLength: 1, maxLength: 12 }),
          fc.bigInt({ min: 0n, max: 200n * DAY }),
          async (amounts, steps, startOffset) => {
            const bridge = await setup();
            const burns: Burn[] = amounts.map((oxenAmount, i) => ({
              burnId: `burn-${i}`,
              recipient: fixture.holders[i % fixture.holders.length]?.address ?? ZeroAddress,
              oxenAmount,
            }));
            const epoch = buildEpoch(burns);
            const leaves: RecipientClaim[] = [...epoch.claims.values()]
              .flat()
              .sort((a, b) => Number(a.index) - Number(b.index));
            await bridge.addEpoch(epoch.root, epoch.totalOxen);
            await fixture.sesh.transfer(bridge, SMALL_POOL);
            let held = SMALL_POOL;
            let paid = 0n;
            let locked = 0n;
            const claimed = new Set<number>();
            let now = BigInt(await time.latest());
            const start = (opening > now ? opening : now) + (startOffset % (decayStart - opening + 60n * DAY));
            now = start - 1n;
            for (const step of steps) {
              now += step.delay + 1n;
              await time.setNextBlockTimestamp(now);
              if (step.kind === "claim") {
                const leaf = leaves[step.leaf];
                if (leaf === undefined) throw new Error("no leaf");
                const recipient = burns[step.leaf]?.recipient ?? ZeroAddress;
                const owed = quote(schedule, BigInt(leaf.oxenAmount), now);
                const tx = bridge.claim(0n, BigInt(leaf.index), recipient, BigInt(leaf.oxenAmount), [...leaf.proof]);
                if (claimed.has(step.leaf)) {
                  await expect(tx).to.be.revertedWithCustomError(bridge, "AlreadyClaimed");
                } else if (owed > held) {
                  await expect(tx).to.be.revertedWithCustomError(bridge, "InsufficientPool").withArgs(owed, held);
                } else {
                  await tx;
                  claimed.add(step.leaf);
                  held -= owed;
                  paid += owed;
                }
              } else {
                const holder = fixture.holders[step.holder];
                if (holder === undefined) throw new Error("no holder");
                const owed = quote(schedule, step.amount, now);
                const tx = bridge.connect(holder).convertWrapped(step.amount);
                if (step.amount === 0n) await expect(tx).to.be.revertedWithCustomError(bridge, "ZeroAmount");
                else if (owed === 0n) await expect(tx).to.be.revertedWithCustomError(bridge, "NothingToPay");
                else if (owed > held) await expect(tx).to.be.revertedWithCustomError(bridge, "InsufficientPool");
                else {
                  await tx;
                  held -= owed;
                  paid += owed;
                  locked += step.amount;
                }
              }
              const balance = await fixture.sesh.balanceOf(bridge);
              expect(balance).to.equal(held);
              expect(balance + paid).to.equal(SMALL_POOL);
              expect(await bridge.wrappedOxenLocked()).to.equal(locked);
              expect(await fixture.wrapped.balanceOf(bridge)).to.equal(locked);
            }
          },
        ),
        { numRuns: SEQUENCE_RUNS, seed: FC_SEED },
      );
    });
  });
});

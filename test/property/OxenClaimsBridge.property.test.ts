import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { ethers } from "hardhat";
import fc from "fast-check";

import { SESH_TOTAL_SUPPLY } from "../../lib/amount";
import { type Burn, buildEpoch, LEAF_ENCODING, type LeafValue, type RecipientClaim } from "../../lib/claims";
import {
  type Breakpoint,
  conversionRateAt,
  defaultSchedule,
  MAX_BREAKPOINTS,
  MAX_QUOTE,
  MAX_RATE,
  quote,
} from "../../lib/schedule";
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
/** Random trees, each with one honest or mutated proof, against the JS verifier (the proof loop is assembly). */
const PROOF_RUNS = integerFromEnv("FC_BRIDGE_PROOFS", 60, 1);
/** Random (amount, time) pairs quoted per generated schedule, amounts over the whole uint256 range. */
const QUOTES_PER_SCHEDULE = 12;

const ONE_OXEN = 10n ** 9n;
const DAY = 86_400n;
const YEAR = 365n * DAY;
/** A pool small enough that some generated sequences exhaust it. */
const SMALL_POOL = 8_000n * ONE_OXEN;
const WRAPPED_MINTED = 10n ** 9n * ONE_OXEN;
const LEAVES = 12;
const MAX_UINT256 = 2n ** 256n - 1n;

/** A burn id in the builder's format: the Oxen burn transaction's hash, 64 hex digits. */
function burnId(n: number): string {
  return `0x${n.toString(16).padStart(64, "0")}`;
}

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

/** Valid schedules of 1 to MAX_BREAKPOINTS breakpoints, offsets in seconds from a base; zero gaps make steps. */
const scheduleArbitrary = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 60n }), fc.bigInt({ min: 1n, max: YEAR })),
      fc.oneof(fc.bigInt({ min: 1n, max: 10n }), fc.bigInt({ min: 1n, max: MAX_RATE })),
    ),
    { minLength: 1, maxLength: MAX_BREAKPOINTS },
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

    it("equals the TS reference for random schedules, quotes any uint256 as it does, and claims pay exactly quote", async function () {
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
          fc.array(
            fc.tuple(
              fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }), fc.bigInt({ min: 0n, max: MAX_UINT256 })),
              fc.oneof(fc.bigInt({ min: 0n, max: 2n * YEAR }), fc.bigInt({ min: 0n, max: MAX_UINT256 })),
            ),
            { minLength: QUOTES_PER_SCHEDULE, maxLength: QUOTES_PER_SCHEDULE },
          ),
          async (points, randomTimes, claimDelays, quotes) => {
            const base = BigInt(await time.latest()) + 1_000n;
            const schedule = points.map(({ offset, rate }) => ({ timestamp: base + offset, rate }));
            const bridge = await deploy(fixture, schedule);
            const last = schedule[schedule.length - 1]?.timestamp ?? base;
            const near = randomTimes.map((t) => base - DAY + (t % (last - base + 2n * DAY)));
            const boundaries = schedule.flatMap(({ timestamp }) => [timestamp - 1n, timestamp, timestamp + 1n]);
            for (const t of [...boundaries, ...near, ...randomTimes]) {
              expect(await bridge.conversionRateAt(t)).to.equal(conversionRateAt(schedule, t), `at ${t}`);
            }
            // Quotes over the whole uint256 range: the TS value, or QuoteOverflow exactly where it exceeds 2^256 − 1.
            for (const [amount, offset] of quotes) {
              const t = offset > 2n * YEAR ? offset : base + offset;
              const rate = conversionRateAt(schedule, t);
              if ((amount * rate) / 10n ** 9n > MAX_QUOTE) {
                await expect(bridge.quote(amount, t))
                  .to.be.revertedWithCustomError(bridge, "QuoteOverflow")
                  .withArgs(amount, rate);
              } else {
                expect(await bridge.quote(amount, t)).to.equal(quote(schedule, amount, t), `${amount} at ${t}`);
              }
            }

            // Claims at random times after the opening pay exactly quote.
            const burns: Burn[] = claimDelays.map((_, i) => ({
              burnId: burnId(i),
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

  describe("pool and epoch accounting", function () {
    type Step =
      | { readonly kind: "claim"; readonly leaf: number; readonly delay: bigint }
      | { readonly kind: "convert"; readonly holder: number; readonly amount: bigint; readonly delay: bigint }
      | { readonly kind: "revoke"; readonly delay: bigint };

    const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
      {
        weight: 10,
        arbitrary: fc.record({
          kind: fc.constant("claim" as const),
          leaf: fc.integer({ min: 0, max: LEAVES - 1 }),
          delay: fc.bigInt({ min: 0n, max: 40n * DAY }),
        }),
      },
      {
        weight: 6,
        arbitrary: fc.record({
          kind: fc.constant("convert" as const),
          holder: fc.integer({ min: 0, max: 3 }),
          amount: fc.oneof(fc.bigInt({ min: 0n, max: 10n }), fc.bigInt({ min: 1n, max: 20_000n * ONE_OXEN })),
          delay: fc.bigInt({ min: 0n, max: 40n * DAY }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant("revoke" as const), delay: fc.bigInt({ min: 0n, max: DAY }) }),
      },
    );

    it("keeps SESH paid + held = funded, and an epoch's claimed OXEN within its total, over random steps", async function () {
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
          // Leaves of 1 to 3 atoms pay nothing at these rates; the others are up to 10,000 OXEN (5,400 SESH).
          fc.array(
            fc.oneof(
              { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 3n }) },
              { weight: 5, arbitrary: fc.bigInt({ min: 1n, max: 10_000n * ONE_OXEN }) },
            ),
            { minLength: LEAVES, maxLength: LEAVES },
          ),
          fc.array(stepArbitrary, { minLength: 1, maxLength: 12 }),
          fc.bigInt({ min: 0n, max: 200n * DAY }),
          // How much the owner under-declares the epoch's total (a bad build), often nothing.
          fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 20_000n * ONE_OXEN })),
          async (amounts, steps, startOffset, shortfall) => {
            const bridge = await setup();
            const burns: Burn[] = amounts.map((oxenAmount, i) => ({
              burnId: burnId(i),
              recipient: fixture.holders[i % fixture.holders.length]?.address ?? ZeroAddress,
              oxenAmount,
            }));
            const epoch = buildEpoch(burns);
            const leaves: RecipientClaim[] = [...epoch.claims.values()]
              .flat()
              .sort((a, b) => Number(a.index) - Number(b.index));
            const declared = epoch.totalOxen > shortfall ? epoch.totalOxen - shortfall : 0n;
            await bridge.addEpoch(epoch.root, declared);
            await fixture.sesh.transfer(bridge, SMALL_POOL);
            let held = SMALL_POOL;
            let paid = 0n;
            let locked = 0n;
            let claimedOxen = 0n;
            let revoked = false;
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
                const oxenAmount = BigInt(leaf.oxenAmount);
                const owed = quote(schedule, oxenAmount, now);
                const rate = conversionRateAt(schedule, now);
                const tx = bridge.claim(0n, BigInt(leaf.index), recipient, oxenAmount, [...leaf.proof]);
                // The contract's order of checks: claimed flag, revocation, epoch total, zero payout, pool.
                if (claimed.has(step.leaf)) {
                  await expect(tx).to.be.revertedWithCustomError(bridge, "AlreadyClaimed");
                } else if (revoked) {
                  await expect(tx).to.be.revertedWithCustomError(bridge, "EpochIsRevoked").withArgs(0n);
                } else if (claimedOxen + oxenAmount > declared) {
                  await expect(tx)
                    .to.be.revertedWithCustomError(bridge, "EpochTotalExceeded")
                    .withArgs(0n, claimedOxen, declared);
                } else if (owed === 0n) {
                  await expect(tx).to.be.revertedWithCustomError(bridge, "NothingToPay").withArgs(oxenAmount, rate);
                } else if (owed > held) {
                  await expect(tx).to.be.revertedWithCustomError(bridge, "InsufficientPool").withArgs(owed, held);
                } else {
                  await tx;
                  claimed.add(step.leaf);
                  claimedOxen += oxenAmount;
                  held -= owed;
                  paid += owed;
                }
                expect(await bridge.isClaimed(0n, BigInt(leaf.index))).to.equal(claimed.has(step.leaf));
              } else if (step.kind === "convert") {
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
              } else if (revoked) {
                await expect(bridge.revokeEpoch(0n)).to.be.revertedWithCustomError(bridge, "EpochIsRevoked");
              } else {
                await bridge.revokeEpoch(0n);
                revoked = true;
              }
              const balance = await fixture.sesh.balanceOf(bridge);
              expect(balance).to.equal(held);
              expect(balance + paid).to.equal(SMALL_POOL);
              expect(await bridge.wrappedOxenLocked()).to.equal(locked);
              expect(await fixture.wrapped.balanceOf(bridge)).to.equal(locked);
              expect(await bridge.epochAt(0n)).to.deep.equal([epoch.root, declared, claimedOxen, revoked]);
              expect(claimedOxen).to.be.at.most(declared);
            }
          },
        ),
        { numRuns: SEQUENCE_RUNS, seed: FC_SEED },
      );
    });
  });

  describe("the proof loop (inline assembly) against the JS verifier", function () {
    type Mutation =
      | { readonly kind: "none" }
      | { readonly kind: "flipBit"; readonly at: number; readonly bit: number }
      | { readonly kind: "drop"; readonly at: number }
      | { readonly kind: "insert"; readonly at: number; readonly word: bigint }
      | { readonly kind: "swap"; readonly at: number }
      | { readonly kind: "otherLeaf"; readonly leaf: number }
      | { readonly kind: "otherAmount"; readonly delta: bigint };

    const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
      { weight: 3, arbitrary: fc.constant({ kind: "none" as const }) },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant("flipBit" as const),
          at: fc.nat(),
          bit: fc.integer({ min: 0, max: 255 }),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("drop" as const), at: fc.nat() }) },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant("insert" as const),
          at: fc.nat(),
          word: fc.bigInt({ min: 0n, max: MAX_UINT256 }),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("swap" as const), at: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("otherLeaf" as const), leaf: fc.nat() }) },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant("otherAmount" as const), delta: fc.bigInt({ min: 1n, max: 5n }) }),
      },
    );

    const hex32 = (value: bigint): string => `0x${value.toString(16).padStart(64, "0")}`;

    function mutate(proof: readonly string[], proofs: readonly string[][], mutation: Mutation): string[] {
      const copy = [...proof];
      const at = copy.length === 0 ? 0 : ("at" in mutation ? mutation.at : 0) % copy.length;
      switch (mutation.kind) {
        case "flipBit":
          if (copy.length > 0) copy[at] = hex32(BigInt(copy[at] ?? "0x0") ^ (1n << BigInt(mutation.bit)));
          return copy;
        case "drop":
          copy.splice(at, 1);
          return copy;
        case "insert":
          copy.splice(mutation.at % (copy.length + 1), 0, hex32(mutation.word));
          return copy;
        case "swap":
          if (copy.length > 1) {
            const next = (at + 1) % copy.length;
            [copy[at], copy[next]] = [copy[next] ?? "", copy[at] ?? ""];
          }
          return copy;
        case "otherLeaf":
          return [...(proofs[mutation.leaf % proofs.length] ?? [])];
        case "none":
        case "otherAmount":
          return copy;
      }
    }

    it("pays exactly the leaves whose proofs the JS verifier accepts, for honest and mutated proofs", async function () {
      const fixture = await loadFixture(tokensFixture);
      const recipient = fixture.holders[1];
      if (recipient === undefined) throw new Error("no holder");
      const schedule = defaultSchedule();
      const bridge = await deploy(fixture, schedule);
      await fixture.sesh.transfer(bridge, 10_000_000n * ONE_OXEN);
      const opening = schedule[0]?.timestamp ?? 0n;
      const now = BigInt(await time.latest());
      if (now < opening) await time.increaseTo(opening);
      let epochId = 0n;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.bigInt({ min: ONE_OXEN, max: 100n * ONE_OXEN }), { minLength: 1, maxLength: 70 }),
          fc.nat(),
          mutationArbitrary,
          async (amounts, pick, mutation) => {
            const values: LeafValue[] = amounts.map((amount, i) => [
              i.toString(),
              recipient.address,
              amount.toString(),
            ]);
            const tree = StandardMerkleTree.of(values, [...LEAF_ENCODING]);
            const proofs = values.map((_, position) => tree.getProof(position));
            const position = pick % values.length;
            const [index, , amount] = tree.at(position) ?? values[0] ?? ["0", ZeroAddress, "0"];
            const oxenAmount = BigInt(amount) + (mutation.kind === "otherAmount" ? mutation.delta : 0n);
            const proof = mutate(proofs[position] ?? [], proofs, mutation);
            const leaf: LeafValue = [index, recipient.address, oxenAmount.toString()];
            const valid = StandardMerkleTree.verify(tree.root, [...LEAF_ENCODING], leaf, proof);

            await bridge.addEpoch(tree.root, 100n * 70n * ONE_OXEN);
            const epoch = epochId;
            epochId += 1n;
            const tx = bridge.claim(epoch, BigInt(index), recipient.address, oxenAmount, proof);
            if (valid) {
              await expect(tx).to.emit(bridge, "Claimed");
            } else {
              await expect(tx)
                .to.be.revertedWithCustomError(bridge, "InvalidProof")
                .withArgs(epoch, BigInt(index), recipient.address, oxenAmount);
            }
            expect(await bridge.isClaimed(epoch, BigInt(index))).to.equal(valid);
          },
        ),
        { numRuns: PROOF_RUNS, seed: FC_SEED },
      );
    });
  });
});

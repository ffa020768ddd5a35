import { expect } from "chai";
import { getAddress } from "ethers";
import fc from "fast-check";

import { splitProRata } from "../../lib/bonus";
import { FC_SEED, integerFromEnv } from "../helpers/env";
import { sumAmounts } from "../../lib/amount";

const NUM_RUNS = integerFromEnv("FC_NUM_RUNS", 200, 1);

/** 30,000,000 SESH in atoms: the real pool, the upper end of the generated totals. */
const BONUS_POOL = 30_000_000n * 10n ** 9n;

/** Checksummed addresses, so that the tie-break meets mixed case. */
const addressArbitrary = fc
  .bigInt({ min: 0n, max: 2n ** 160n - 1n })
  .map((value) => getAddress(`0x${value.toString(16).padStart(40, "0")}`));

/** Small weights make equal remainders (ties) common; large ones look like real points (atoms × seconds). */
const weightArbitrary = fc.oneof(fc.bigInt({ min: 0n, max: 5n }), fc.bigInt({ min: 0n, max: 2n ** 96n }));

const entriesArbitrary = fc.uniqueArray(fc.tuple(addressArbitrary, weightArbitrary), {
  minLength: 1,
  maxLength: 24,
  selector: ([address]) => address.toLowerCase(),
});

/** Totals a few atoms wide (so the leftover atoms matter) up to the whole pool. */
const totalArbitrary = fc.oneof(fc.bigInt({ min: 0n, max: 50n }), fc.bigInt({ min: 0n, max: BONUS_POOL }));

function awardOf(awards: ReadonlyMap<string, bigint>, address: string): bigint {
  const award = awards.get(address);
  if (award === undefined) throw new Error(`no award for ${address}`);
  return award;
}

function check(
  property: (total: bigint, weights: ReadonlyMap<string, bigint>, awards: ReadonlyMap<string, bigint>) => void,
): void {
  fc.assert(
    fc.property(totalArbitrary, entriesArbitrary, (total, entries) => {
      const weights = new Map(entries);
      property(total, weights, splitProRata(total, weights));
    }),
    { numRuns: NUM_RUNS, seed: FC_SEED },
  );
}

describe("lib/bonus (properties)", function () {
  describe("#splitProRata", function () {
    it("sums exactly to the total whenever some weight is positive", function () {
      check((total, weights, awards) => {
        fc.pre(sumAmounts(weights.values()) > 0n);
        expect(sumAmounts(awards.values())).to.equal(total);
      });
    });

    it("gives every key an award within one atom of its exact share", function () {
      check((total, weights, awards) => {
        const weightSum = sumAmounts(weights.values());
        fc.pre(weightSum > 0n);
        expect(awards.size).to.equal(weights.size);
        for (const [address, weight] of weights) {
          const award = awardOf(awards, address);
          const floor = (total * weight) / weightSum;
          expect(award >= floor && award <= floor + 1n, `${address}: ${award} vs floor ${floor}`).to.be.true;
          // |award − total × weight / Σ| < 1, multiplied through by Σ.
          const error = award * weightSum - total * weight;
          expect(error > -weightSum && error < weightSum, `${address}: off by ${error}/${weightSum}`).to.be.true;
        }
      });
    });

    it("never gives more weight fewer atoms", function () {
      check((_total, weights, awards) => {
        const entries = [...weights];
        for (const [address, weight] of entries) {
          for (const [other, otherWeight] of entries) {
            if (weight > otherWeight) {
              expect(awardOf(awards, address) >= awardOf(awards, other), `${address} vs ${other}`).to.be.true;
            }
          }
        }
      });
    });

    it("gives the same awards for any insertion order", function () {
      fc.assert(
        fc.property(
          totalArbitrary,
          entriesArbitrary.chain((entries) =>
            fc.tuple(
              fc.constant(entries),
              fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }),
            ),
          ),
          (total, [entries, shuffled]) => {
            const awards = splitProRata(total, new Map(entries));
            const reordered = splitProRata(total, new Map(shuffled));
            expect(reordered.size).to.equal(awards.size);
            for (const [address, award] of awards) expect(awardOf(reordered, address)).to.equal(award);
          },
        ),
        { numRuns: NUM_RUNS, seed: FC_SEED },
      );
    });

    it("gives every key zero when the total is zero", function () {
      fc.assert(
        fc.property(entriesArbitrary, (entries) => {
          const awards = splitProRata(0n, new Map(entries));
          expect([...awards]).to.deep.equal(entries.map(([address]) => [address, 0n]));
        }),
        { numRuns: NUM_RUNS, seed: FC_SEED },
      );
    });
  });
});

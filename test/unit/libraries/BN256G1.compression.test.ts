import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";

import {
  FIELD_MODULUS,
  Fp,
  G1Point,
  GROUP_ORDER,
  fromG1Struct,
  publicKeyOf,
  secretKeyFromSeed,
  toG1Struct,
  type G1PointStruct,
} from "../../../lib/bls";
import { BLS__Harness__factory } from "../../../typechain-types";
import { restoreChainAfterSuite } from "../../helpers/chain";
import { FC_SEED } from "../../helpers/env";
import {
  answerWith,
  failEveryCall,
  G1_ADD,
  installRedirectedHarness,
  MODEXP,
  PRECOMPILES,
} from "../../helpers/precompiles";

// ---------------------------------------------------------------------------------------------------------------
// Compressed points, computed in TypeScript
// ---------------------------------------------------------------------------------------------------------------

const Y_PARITY = 1n << 255n;
const MAX_UINT256 = 2n ** 256n - 1n;
const IDENTITY: G1PointStruct = { X: 0n, Y: 0n };
const SQRT_EXPONENT = (FIELD_MODULUS + 1n) / 4n;
const PROPERTY_RUNS = 50;

/** The reference encoding: X with the parity of Y in bit 255, the identity as 0. */
function compressed(point: G1PointStruct): bigint {
  return point.X | ((point.Y & 1n) * Y_PARITY);
}

function words(point: { X: bigint; Y: bigint }): bigint[] {
  return [point.X, point.Y];
}

/** A point returned by the harness (a read-only ethers Result) as a struct it takes again. */
function plain(point: { X: bigint; Y: bigint }): G1PointStruct {
  return { X: point.X, Y: point.Y };
}

function curveRight(x: bigint): bigint {
  return Fp.add(Fp.mul(Fp.mul(x, x), x), 3n);
}

/** The smallest X above 1 for which X³ + 3 is no square, and the power the library takes for its root. */
function nonSquareX(): { x: bigint; power: bigint } {
  for (let x = 2n; ; ++x) {
    const right = curveRight(x);
    if (Fp.pow(right, (FIELD_MODULUS - 1n) / 2n) === FIELD_MODULUS - 1n) {
      return { x, power: Fp.pow(right, SQRT_EXPONENT) };
    }
  }
}

const NON_SQUARE = nonSquareX();

/** Public keys made by the TS signer: many points of both parities of Y. */
const KEYS: readonly G1PointStruct[] = Array.from({ length: 40 }, (_, i) =>
  toG1Struct(publicKeyOf(secretKeyFromSeed("BN256G1 compression", i))),
);

/** Words whose X part is no field element: P, P + 1 and the largest X, each with and without the parity bit. */
const X_NOT_IN_FIELD: readonly bigint[] = [FIELD_MODULUS, FIELD_MODULUS + 1n, MAX_UINT256 >> 1n].flatMap((x) => [
  x,
  x | Y_PARITY,
]);

const secretKeys = fc.bigInt({ min: 1n, max: GROUP_ORDER - 1n });

function pointOf(secretKey: bigint): G1PointStruct {
  return toG1Struct(G1Point.BASE.multiply(secretKey));
}

// ---------------------------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------------------------

async function harnessFixture() {
  const [deployer] = await ethers.getSigners();
  if (deployer === undefined) throw new Error("no signer");
  return { harness: await new BLS__Harness__factory(deployer).deploy() };
}

/**
 * The harness's code at {@link REDIRECTED_HARNESS} with its calls to 0x05 to 0x08 redirected to doubles, which
 * start out transparent. The harness deployed at its own address keeps calling the real precompiles.
 */
async function redirectedHarnessFixture() {
  const { harness: deployed } = await harnessFixture();
  const { harness, calls } = await installRedirectedHarness(deployed);
  return { harness, deployed, calls };
}

// ---------------------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------------------

describe("BN256G1 compressed points", function () {
  // Code is set at fixed addresses (the doubles, the redirected harness): leave the chain as it was found.
  restoreChainAfterSuite();

  it("draws keys of both parities of Y and an X whose X³ + 3 is no square", function () {
    expect(KEYS.some((key) => (key.Y & 1n) === 0n)).to.be.true;
    expect(KEYS.some((key) => (key.Y & 1n) === 1n)).to.be.true;
    expect(Fp.sqr(NON_SQUARE.power)).to.not.equal(curveRight(NON_SQUARE.x));
  });

  describe("#g1Compress", function () {
    it("keeps X in the low 255 bits and the parity of Y in bit 255", async function () {
      const { harness } = await loadFixture(harnessFixture);
      for (const key of KEYS) {
        const word = await harness.g1Compress(key);
        expect(word & ~Y_PARITY, `X of (${key.X}, ${key.Y})`).to.equal(key.X);
        expect(word >> 255n, `parity of (${key.X}, ${key.Y})`).to.equal(key.Y & 1n);
        expect(word).to.equal(compressed(key));
      }
    });

    it("maps the identity to 0", async function () {
      const { harness } = await loadFixture(harnessFixture);
      expect(await harness.g1Compress(IDENTITY)).to.equal(0n);
    });

    it("tells a point from its negation by the top bit only", async function () {
      const { harness } = await loadFixture(harnessFixture);
      for (const key of KEYS.slice(0, 8)) {
        const negated = { X: key.X, Y: FIELD_MODULUS - key.Y };
        expect((await harness.g1Compress(key)) ^ (await harness.g1Compress(negated))).to.equal(Y_PARITY);
      }
    });
  });

  describe("#g1Decompress", function () {
    it("inverts g1Compress for keys of both parities and their negations", async function () {
      const { harness } = await loadFixture(harnessFixture);
      for (const key of KEYS) {
        for (const point of [key, { X: key.X, Y: FIELD_MODULUS - key.Y }]) {
          expect(
            words(await harness.g1Decompress(await harness.g1Compress(point))),
            `(${point.X}, ${point.Y})`,
          ).to.deep.equal(words(point));
        }
      }
    });

    it("inverts g1Compress for random points", async function () {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(secretKeys, async (secretKey) => {
          const point = pointOf(secretKey);
          expect(words(await harness.g1Decompress(compressed(point)))).to.deep.equal(words(point));
        }),
        { numRuns: PROPERTY_RUNS, seed: FC_SEED },
      );
    });

    it("maps 0 to the identity", async function () {
      const { harness } = await loadFixture(harnessFixture);
      expect(words(await harness.g1Decompress(0n))).to.deep.equal(words(IDENTITY));
    });

    for (const word of X_NOT_IN_FIELD) {
      it(`reverts G1CoordinateNotInField(X, 0) for X = 0x${(word & ~Y_PARITY).toString(16)} with bit 255 ${word >> 255n}`, async function () {
        const { harness } = await loadFixture(harnessFixture);
        await expect(harness.g1Decompress(word))
          .to.be.revertedWithCustomError(harness, "G1CoordinateNotInField")
          .withArgs(word & ~Y_PARITY, 0n);
      });
    }

    for (const parity of [0n, Y_PARITY]) {
      it(`reverts G1PointNotOnCurve(X, power) for an X whose X³ + 3 is no square, bit 255 ${parity >> 255n}`, async function () {
        const { harness } = await loadFixture(harnessFixture);
        await expect(harness.g1Decompress(NON_SQUARE.x | parity))
          .to.be.revertedWithCustomError(harness, "G1PointNotOnCurve")
          .withArgs(NON_SQUARE.x, NON_SQUARE.power);
      });
    }

    it("reverts G1PointNotOnCurve(0, power) for bit 255 alone (X = 0 with a parity: no point, not the identity)", async function () {
      const { harness } = await loadFixture(harnessFixture);
      await expect(harness.g1Decompress(Y_PARITY))
        .to.be.revertedWithCustomError(harness, "G1PointNotOnCurve")
        .withArgs(0n, Fp.pow(3n, SQRT_EXPONENT));
    });

    it("is transparent through the doubles with exact answers", async function () {
      const { harness, calls } = await loadFixture(redirectedHarnessFixture);
      expect([...calls.keys()].sort()).to.deep.equal([...PRECOMPILES]);
      const [key] = KEYS;
      if (key === undefined) throw new Error("no key");
      expect(words(await harness.g1Decompress(compressed(key)))).to.deep.equal(words(key));
    });

    it("reverts G1PrecompileFailed(5), not the size error, when the modexp call fails", async function () {
      const { harness } = await loadFixture(redirectedHarnessFixture);
      await failEveryCall(MODEXP);
      await expect(harness.g1Decompress(compressed(KEYS[0] ?? IDENTITY)))
        .to.be.revertedWithCustomError(harness, "G1PrecompileFailed")
        .withArgs(BigInt(MODEXP));
    });

    for (const size of [0, 31, 33, 64]) {
      it(`reverts G1PrecompileReturnedWrongSize(5, ${size}, 32) when the modexp call returns ${size} bytes`, async function () {
        const { harness } = await loadFixture(redirectedHarnessFixture);
        await answerWith(MODEXP, size);
        await expect(harness.g1Decompress(compressed(KEYS[0] ?? IDENTITY)))
          .to.be.revertedWithCustomError(harness, "G1PrecompileReturnedWrongSize")
          .withArgs(BigInt(MODEXP), BigInt(size), 32n);
      });
    }
  });

  describe("#g1SubtractCompressed", function () {
    it("equals g1Add(acc, g1Negate(g1Decompress(c))) for random acc and c", async function () {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(secretKeys, secretKeys, async (accKey, subtractedKey) => {
          const acc = pointOf(accKey);
          const word = compressed(pointOf(subtractedKey));
          const reference = await harness.g1Add(
            acc,
            plain(await harness.g1Negate(plain(await harness.g1Decompress(word)))),
          );
          const difference = await harness.g1SubtractCompressed(acc, word);
          expect(words(difference)).to.deep.equal(words(reference));
          expect(words(difference)).to.deep.equal(
            words(toG1Struct(G1Point.BASE.multiply(accKey).subtract(G1Point.BASE.multiply(subtractedKey)))),
          );
        }),
        { numRuns: PROPERTY_RUNS, seed: FC_SEED },
      );
    });

    it("subtracts keys of both parities of Y", async function () {
      const { harness } = await loadFixture(harnessFixture);
      const acc = pointOf(7n);
      for (const key of KEYS) {
        const expected = toG1Struct(fromG1Struct(acc).subtract(fromG1Struct(key)));
        expect(words(await harness.g1SubtractCompressed(acc, compressed(key))), `(${key.X}, ${key.Y})`).to.deep.equal(
          words(expected),
        );
      }
    });

    it("leaves acc unchanged for c = 0 (the identity)", async function () {
      const { harness } = await loadFixture(harnessFixture);
      for (const acc of [pointOf(5n), IDENTITY]) {
        expect(words(await harness.g1SubtractCompressed(acc, 0n))).to.deep.equal(words(acc));
      }
    });

    it("gives the identity when subtracting acc from itself", async function () {
      const { harness } = await loadFixture(harnessFixture);
      for (const key of KEYS.slice(0, 8)) {
        expect(words(await harness.g1SubtractCompressed(key, compressed(key)))).to.deep.equal(words(IDENTITY));
      }
    });

    it("gives −c when acc is the identity", async function () {
      const { harness } = await loadFixture(harnessFixture);
      for (const key of KEYS.slice(0, 8)) {
        expect(words(await harness.g1SubtractCompressed(IDENTITY, compressed(key)))).to.deep.equal([
          key.X,
          FIELD_MODULUS - key.Y,
        ]);
      }
    });

    it("does not move the free memory pointer", async function () {
      const { harness } = await loadFixture(harnessFixture);
      const [key, other] = KEYS;
      if (key === undefined || other === undefined) throw new Error("no key");
      for (const word of [compressed(other), 0n, compressed(key)]) {
        const { freeMemoryBefore, freeMemoryAfter, difference } = await harness.measureSubtractCompressedMemory(
          key,
          word,
        );
        expect(freeMemoryAfter).to.equal(freeMemoryBefore);
        expect(words(difference)).to.deep.equal(words(await harness.g1SubtractCompressed(key, word)));
      }
    });

    for (const word of X_NOT_IN_FIELD) {
      it(`reverts G1CoordinateNotInField(X, 0) for X = 0x${(word & ~Y_PARITY).toString(16)} with bit 255 ${word >> 255n} (status 1)`, async function () {
        const { harness } = await loadFixture(harnessFixture);
        await expect(harness.g1SubtractCompressed(KEYS[0] ?? IDENTITY, word))
          .to.be.revertedWithCustomError(harness, "G1CoordinateNotInField")
          .withArgs(word & ~Y_PARITY, 0n);
      });
    }

    for (const parity of [0n, Y_PARITY]) {
      it(`reverts G1PointNotOnCurve(X, power) for an X whose X³ + 3 is no square, bit 255 ${parity >> 255n} (status 4)`, async function () {
        const { harness } = await loadFixture(harnessFixture);
        await expect(harness.g1SubtractCompressed(KEYS[0] ?? IDENTITY, NON_SQUARE.x | parity))
          .to.be.revertedWithCustomError(harness, "G1PointNotOnCurve")
          .withArgs(NON_SQUARE.x, NON_SQUARE.power);
      });
    }

    it("reverts G1PointNotOnCurve(0, power) for bit 255 alone, which is not the identity (status 4)", async function () {
      const { harness } = await loadFixture(harnessFixture);
      await expect(harness.g1SubtractCompressed(KEYS[0] ?? IDENTITY, Y_PARITY))
        .to.be.revertedWithCustomError(harness, "G1PointNotOnCurve")
        .withArgs(0n, Fp.pow(3n, SQRT_EXPONENT));
    });

    it("reverts G1PrecompileFailed(6) for an acc with a coordinate of P, which the addition precompile rejects (status 5)", async function () {
      const { harness } = await loadFixture(harnessFixture);
      const key = KEYS[0] ?? IDENTITY;
      await expect(
        harness.g1SubtractCompressed({ X: key.X, Y: key.Y + FIELD_MODULUS }, compressed(KEYS[1] ?? IDENTITY)),
      )
        .to.be.revertedWithCustomError(harness, "G1PrecompileFailed")
        .withArgs(BigInt(G1_ADD));
    });

    it("reverts G1PrecompileFailed(6) for an acc off the curve, which the addition precompile rejects (status 5)", async function () {
      const { harness } = await loadFixture(harnessFixture);
      await expect(harness.g1SubtractCompressed({ X: 1n, Y: 3n }, compressed(KEYS[0] ?? IDENTITY)))
        .to.be.revertedWithCustomError(harness, "G1PrecompileFailed")
        .withArgs(BigInt(G1_ADD));
    });

    it("is transparent through the doubles with exact answers", async function () {
      const { harness } = await loadFixture(redirectedHarnessFixture);
      const [acc, key] = KEYS;
      if (acc === undefined || key === undefined) throw new Error("no key");
      const expected = toG1Struct(fromG1Struct(acc).subtract(fromG1Struct(key)));
      expect(words(await harness.g1SubtractCompressed(acc, compressed(key)))).to.deep.equal(words(expected));
    });

    it("reverts G1PrecompileFailed(5), not the size error, when the modexp call fails (status 2)", async function () {
      const { harness } = await loadFixture(redirectedHarnessFixture);
      await failEveryCall(MODEXP);
      await expect(harness.g1SubtractCompressed(KEYS[0] ?? IDENTITY, compressed(KEYS[1] ?? IDENTITY)))
        .to.be.revertedWithCustomError(harness, "G1PrecompileFailed")
        .withArgs(BigInt(MODEXP));
    });

    for (const size of [0, 31, 33, 64]) {
      it(`reverts G1PrecompileReturnedWrongSize(5, ${size}, 32) when the modexp call returns ${size} bytes (status 3)`, async function () {
        const { harness } = await loadFixture(redirectedHarnessFixture);
        await answerWith(MODEXP, size);
        await expect(harness.g1SubtractCompressed(KEYS[0] ?? IDENTITY, compressed(KEYS[1] ?? IDENTITY)))
          .to.be.revertedWithCustomError(harness, "G1PrecompileReturnedWrongSize")
          .withArgs(BigInt(MODEXP), BigInt(size), 32n);
      });
    }

    it("reverts G1PrecompileFailed(6), not the size error, when the addition call fails (status 5)", async function () {
      const { harness, deployed } = await loadFixture(redirectedHarnessFixture);
      await failEveryCall(G1_ADD);
      await expect(harness.g1SubtractCompressed(KEYS[0] ?? IDENTITY, compressed(KEYS[1] ?? IDENTITY)))
        .to.be.revertedWithCustomError(harness, "G1PrecompileFailed")
        .withArgs(BigInt(G1_ADD));
      // The double is at 0xf6, not 0x06: the harness at its own address still adds.
      expect(words(await deployed.g1SubtractCompressed(KEYS[0] ?? IDENTITY, 0n))).to.deep.equal(
        words(KEYS[0] ?? IDENTITY),
      );
      expect(words(await deployed.g1Add(KEYS[0] ?? IDENTITY, IDENTITY))).to.deep.equal(words(KEYS[0] ?? IDENTITY));
    });

    for (const size of [0, 32, 63, 65, 96]) {
      it(`reverts G1PrecompileReturnedWrongSize(6, ${size}, 64) when the addition call returns ${size} bytes (status 6)`, async function () {
        const { harness } = await loadFixture(redirectedHarnessFixture);
        await answerWith(G1_ADD, size);
        await expect(harness.g1SubtractCompressed(KEYS[0] ?? IDENTITY, compressed(KEYS[1] ?? IDENTITY)))
          .to.be.revertedWithCustomError(harness, "G1PrecompileReturnedWrongSize")
          .withArgs(BigInt(G1_ADD), BigInt(size), 64n);
      });
    }
  });
  describe("#g1SubtractCompressedKeys", function () {
    /** acc − Σ keys, computed in TypeScript. */
    function expectedDifference(acc: G1PointStruct, keys: readonly G1PointStruct[]): bigint[] {
      let point = fromG1Struct(acc);
      for (const key of keys) point = point.subtract(fromG1Struct(key));
      return words(toG1Struct(point));
    }

    it("equals acc less each key in turn for random lists of 0 to 6 keys", async function () {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(secretKeys, fc.array(secretKeys, { maxLength: 6 }), async (accKey, keyScalars) => {
          const acc = pointOf(accKey);
          const keys = keyScalars.map(pointOf);
          const difference = await harness.g1SubtractCompressedKeys(acc, keys.map(compressed));
          expect(words(difference)).to.deep.equal(expectedDifference(acc, keys));
          let sequential = acc;
          for (const key of keys) sequential = plain(await harness.g1SubtractCompressed(sequential, compressed(key)));
          expect(words(difference)).to.deep.equal(words(sequential));
        }),
        { numRuns: 20, seed: FC_SEED },
      );
    });

    it("subtracts keys of both parities of Y, all in one call", async function () {
      const { harness } = await loadFixture(harnessFixture);
      const acc = pointOf(11n);
      expect(words(await harness.g1SubtractCompressedKeys(acc, KEYS.map(compressed)))).to.deep.equal(
        expectedDifference(acc, KEYS),
      );
    });

    it("skips zero words (the identity) and leaves acc unchanged for an empty list", async function () {
      const { harness } = await loadFixture(harnessFixture);
      const acc = pointOf(5n);
      const [first, second] = KEYS;
      if (first === undefined || second === undefined) throw new Error("no key");
      expect(words(await harness.g1SubtractCompressedKeys(acc, []))).to.deep.equal(words(acc));
      expect(words(await harness.g1SubtractCompressedKeys(acc, [0n, 0n]))).to.deep.equal(words(acc));
      expect(
        words(await harness.g1SubtractCompressedKeys(acc, [0n, compressed(first), 0n, compressed(second)])),
      ).to.deep.equal(expectedDifference(acc, [first, second]));
    });

    it("gives the identity when the keys sum to acc", async function () {
      const { harness } = await loadFixture(harnessFixture);
      const [first, second] = KEYS;
      if (first === undefined || second === undefined) throw new Error("no key");
      const acc = toG1Struct(fromG1Struct(first).add(fromG1Struct(second)));
      expect(words(await harness.g1SubtractCompressedKeys(acc, [compressed(first), compressed(second)]))).to.deep.equal(
        words(IDENTITY),
      );
    });

    // Words {compress} cannot make fail the addition precompile's own check of the point (X, ±root): the batch skips
    // the two checks {subtractCompressed} makes first, fail closed all the same.
    for (const word of X_NOT_IN_FIELD) {
      it(`reverts G1PrecompileFailed(6) for X = 0x${(word & ~Y_PARITY).toString(16)} with bit 255 ${word >> 255n}, not in the field`, async function () {
        const { harness } = await loadFixture(harnessFixture);
        await expect(harness.g1SubtractCompressedKeys(KEYS[0] ?? IDENTITY, [compressed(KEYS[1] ?? IDENTITY), word]))
          .to.be.revertedWithCustomError(harness, "G1PrecompileFailed")
          .withArgs(BigInt(G1_ADD));
      });
    }

    for (const word of [NON_SQUARE.x, NON_SQUARE.x | Y_PARITY, Y_PARITY]) {
      it(`reverts G1PrecompileFailed(6) for X = ${word & ~Y_PARITY} with bit 255 ${word >> 255n}, whose X³ + 3 is no square`, async function () {
        const { harness } = await loadFixture(harnessFixture);
        await expect(harness.g1SubtractCompressedKeys(KEYS[0] ?? IDENTITY, [word]))
          .to.be.revertedWithCustomError(harness, "G1PrecompileFailed")
          .withArgs(BigInt(G1_ADD));
      });
    }

    it("is transparent through the doubles with exact answers", async function () {
      const { harness } = await loadFixture(redirectedHarnessFixture);
      const acc = KEYS[0] ?? IDENTITY;
      const keys = KEYS.slice(1, 4);
      expect(words(await harness.g1SubtractCompressedKeys(acc, keys.map(compressed)))).to.deep.equal(
        expectedDifference(acc, keys),
      );
    });

    it("reverts G1PrecompileFailed(5), not the size error, when the modexp call fails", async function () {
      const { harness } = await loadFixture(redirectedHarnessFixture);
      await failEveryCall(MODEXP);
      await expect(harness.g1SubtractCompressedKeys(KEYS[0] ?? IDENTITY, [compressed(KEYS[1] ?? IDENTITY)]))
        .to.be.revertedWithCustomError(harness, "G1PrecompileFailed")
        .withArgs(BigInt(MODEXP));
    });

    for (const size of [0, 31, 33, 64]) {
      it(`reverts G1PrecompileReturnedWrongSize(5, ${size}, 32) when the modexp call returns ${size} bytes`, async function () {
        const { harness } = await loadFixture(redirectedHarnessFixture);
        await answerWith(MODEXP, size);
        await expect(harness.g1SubtractCompressedKeys(KEYS[0] ?? IDENTITY, [compressed(KEYS[1] ?? IDENTITY)]))
          .to.be.revertedWithCustomError(harness, "G1PrecompileReturnedWrongSize")
          .withArgs(BigInt(MODEXP), BigInt(size), 32n);
      });
    }

    it("reverts G1PrecompileFailed(6), not the size error, when the addition call fails", async function () {
      const { harness } = await loadFixture(redirectedHarnessFixture);
      await failEveryCall(G1_ADD);
      await expect(harness.g1SubtractCompressedKeys(KEYS[0] ?? IDENTITY, [compressed(KEYS[1] ?? IDENTITY)]))
        .to.be.revertedWithCustomError(harness, "G1PrecompileFailed")
        .withArgs(BigInt(G1_ADD));
    });

    for (const size of [0, 32, 63, 65, 96]) {
      it(`reverts G1PrecompileReturnedWrongSize(6, ${size}, 64) when the addition call returns ${size} bytes`, async function () {
        const { harness } = await loadFixture(redirectedHarnessFixture);
        await answerWith(G1_ADD, size);
        await expect(harness.g1SubtractCompressedKeys(KEYS[0] ?? IDENTITY, [compressed(KEYS[1] ?? IDENTITY)]))
          .to.be.revertedWithCustomError(harness, "G1PrecompileReturnedWrongSize")
          .withArgs(BigInt(G1_ADD), BigInt(size), 64n);
      });
    }
  });
});

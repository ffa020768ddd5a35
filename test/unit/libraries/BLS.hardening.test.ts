import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";

import {
  FIELD_MODULUS,
  G1Point,
  domainTags,
  hashToG2,
  mapToTwist,
  publicKeyOf,
  secretKeyFromSeed,
  sign,
  toG1Struct,
  toG2Struct,
  type DomainTags,
  type G1PointStruct,
  type G2PointStruct,
} from "../../../lib/bls";
import type { BLS__Harness } from "../../../typechain-types";
import { BLS__Harness__factory } from "../../../typechain-types";
import { restoreChainAfterSuite } from "../../helpers/chain";
import {
  addressOf,
  answerWith,
  failEveryCall,
  G1_ADD,
  G1_MUL,
  installDouble,
  installRedirectedHarness,
  MODEXP,
  PAIRING,
  PRECOMPILES,
  REDIRECTED_HARNESS,
} from "../../helpers/precompiles";

// ---------------------------------------------------------------------------------------------------------------
// Points and signatures
// ---------------------------------------------------------------------------------------------------------------

type Pair = [bigint, bigint];

const MAX_UINT256 = 2n ** 256n - 1n;
const GENERATOR: G1PointStruct = { X: 1n, Y: 2n };
const MESSAGE = "0x5e55105e";

/** A G2 struct with mutable tuples, as the typed bindings take it. */
function plainG2(point: G2PointStruct): { X: Pair; Y: Pair } {
  return { X: [point.X[0], point.X[1]], Y: [point.Y[0], point.Y[1]] };
}

function g1Words(point: { X: bigint; Y: bigint }): bigint[] {
  return [point.X, point.Y];
}

function g2Words(point: G2PointStruct): bigint[] {
  return [point.X[0], point.X[1], point.Y[0], point.Y[1]];
}

/** A signer's key, its signature on {@link MESSAGE}, another signer's signature on it, and the message's hash. */
function signatures(tags: DomainTags) {
  const secretKey = secretKeyFromSeed("finding 8", 0);
  const otherKey = secretKeyFromSeed("finding 8", 1);
  return {
    key: toG1Struct(publicKeyOf(secretKey)),
    otherKey: toG1Struct(publicKeyOf(otherKey)),
    valid: plainG2(toG2Struct(sign(secretKey, MESSAGE, tags.hashToG2Tag))),
    wrong: plainG2(toG2Struct(sign(otherKey, MESSAGE, tags.hashToG2Tag))),
    hash: plainG2(toG2Struct(hashToG2(MESSAGE, tags.hashToG2Tag))),
  };
}

/** Coordinates that are no field elements: P itself (equal to 0 modulo P), P + 1, P + 2 and the largest word. */
const NOT_IN_FIELD: readonly G1PointStruct[] = [
  { X: FIELD_MODULUS, Y: 2n },
  { X: FIELD_MODULUS + 1n, Y: 2n },
  { X: MAX_UINT256, Y: 2n },
  { X: 1n, Y: FIELD_MODULUS },
  { X: 1n, Y: FIELD_MODULUS + 1n },
  { X: 1n, Y: MAX_UINT256 },
  // (0, P) is (0, 0) modulo P: the old negate turned it into the identity.
  { X: 0n, Y: FIELD_MODULUS },
  { X: 1n, Y: FIELD_MODULUS + 2n },
];

/** Canonical coordinates off y² = x³ + 3. */
const OFF_CURVE: readonly G1PointStruct[] = [
  { X: 1n, Y: 3n },
  { X: 0n, Y: 1n },
  { X: 1n, Y: FIELD_MODULUS - 1n },
  { X: FIELD_MODULUS - 1n, Y: FIELD_MODULUS - 1n },
];

/** Expects `call` to revert with the error that names what is wrong with `point`. */
async function expectG1Rejected(harness: BLS__Harness, call: Promise<unknown>, point: G1PointStruct): Promise<void> {
  const inField = point.X < FIELD_MODULUS && point.Y < FIELD_MODULUS;
  await expect(call, `(${point.X}, ${point.Y})`)
    .to.be.revertedWithCustomError(harness, inField ? "G1PointNotOnCurve" : "G1CoordinateNotInField")
    .withArgs(point.X, point.Y);
}

// ---------------------------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------------------------

async function harnessFixture() {
  const [deployer] = await ethers.getSigners();
  if (deployer === undefined) throw new Error("no signer");
  const harness = await new BLS__Harness__factory(deployer).deploy();
  const { chainId } = await ethers.provider.getNetwork();
  return { harness, tags: domainTags(chainId, await harness.getAddress()) };
}

/**
 * The harness's code at {@link REDIRECTED_HARNESS} with its calls to 0x05 to 0x08 redirected to doubles, which
 * start out transparent (each answers with its precompile's own output).
 */
async function redirectedHarnessFixture() {
  const { harness: deployed } = await harnessFixture();
  const { harness, calls } = await installRedirectedHarness(deployed);
  const { chainId } = await ethers.provider.getNetwork();
  return { harness, calls, tags: domainTags(chainId, REDIRECTED_HARNESS) };
}

/** The harness with the two keys of `signatures` added to its aggregate. */
async function aggregateFixture() {
  const fixture = await harnessFixture();
  const { key, otherKey } = signatures(fixture.tags);
  await (await fixture.harness.addKey(key)).wait();
  await (await fixture.harness.addKey(otherKey)).wait();
  return { ...fixture, key, otherKey };
}

// ---------------------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------------------

describe("finding 8: BLS libraries, defence in depth", function () {
  // Code is set at fixed addresses (the doubles, the redirected harness): leave the chain as it was found.
  restoreChainAfterSuite();

  describe("precompile answers of the wrong size", function () {
    it("cannot be simulated at the precompiles' own addresses: EDR runs the precompile despite hardhat_setCode", async function () {
      const { harness, tags } = await loadFixture(harnessFixture);
      const { key, valid, wrong, hash } = signatures(tags);
      for (const precompile of PRECOMPILES) {
        await installDouble(addressOf(precompile), precompile, 0);
        expect(await ethers.provider.getCode(addressOf(precompile))).to.not.equal("0x");
      }
      // Doubles answering nothing would make the wrong signature read as valid on the old code, and the sums
      // (0, 0): EDR ignores them and answers as the precompiles do.
      expect(await harness.verify(key, wrong, hash)).to.be.false;
      expect(await harness.verifyMessage(key, valid, MESSAGE, tags.hashToG2Tag)).to.be.true;
      expect(g1Words(await harness.g1Add(GENERATOR, GENERATOR))).to.deep.equal(
        g1Words(toG1Struct(G1Point.BASE.multiply(2n))),
      );
      expect(g1Words(await harness.g1ScalarMul(GENERATOR, 3n))).to.deep.equal(
        g1Words(toG1Struct(G1Point.BASE.multiply(3n))),
      );
    });

    it("are simulated by redirecting every precompile call of the harness, which is transparent with exact answers", async function () {
      const { harness, calls, tags } = await loadFixture(redirectedHarnessFixture);
      expect([...calls.keys()].sort()).to.deep.equal([...PRECOMPILES]);
      const { key, valid, wrong, hash } = signatures(tags);
      expect(await harness.verify(key, valid, hash)).to.be.true;
      expect(await harness.verify(key, wrong, hash)).to.be.false;
      expect(await harness.verifyMessage(key, valid, MESSAGE, tags.hashToG2Tag)).to.be.true;
      expect(g2Words(await harness.hashToG2(MESSAGE, tags.hashToG2Tag))).to.deep.equal(g2Words(hash));
      expect(g1Words(await harness.g1Add(GENERATOR, GENERATOR))).to.deep.equal(
        g1Words(toG1Struct(G1Point.BASE.multiply(2n))),
      );
      expect(g1Words(await harness.g1ScalarMul(GENERATOR, 3n))).to.deep.equal(
        g1Words(toG1Struct(G1Point.BASE.multiply(3n))),
      );
    });

    describe("#verify (pairing, 0x08)", function () {
      it("reverts PairingPrecompileReturnedWrongSize(0, 32) when the call returns nothing (a wrong signature read as valid)", async function () {
        const { harness, tags } = await loadFixture(redirectedHarnessFixture);
        const { key, wrong, hash } = signatures(tags);
        await answerWith(PAIRING, 0);
        await expect(harness.verify(key, wrong, hash))
          .to.be.revertedWithCustomError(harness, "PairingPrecompileReturnedWrongSize")
          .withArgs(0n, 32n);
      });

      for (const size of [1, 31, 33, 64]) {
        it(`reverts PairingPrecompileReturnedWrongSize(${size}, 32) when the call returns ${size} bytes`, async function () {
          const { harness, tags } = await loadFixture(redirectedHarnessFixture);
          const { key, wrong, hash } = signatures(tags);
          await answerWith(PAIRING, size);
          await expect(harness.verify(key, wrong, hash))
            .to.be.revertedWithCustomError(harness, "PairingPrecompileReturnedWrongSize")
            .withArgs(BigInt(size), 32n);
        });
      }

      it("reverts PairingPrecompileFailed, not the size error, when the call fails", async function () {
        const { harness, tags } = await loadFixture(redirectedHarnessFixture);
        const { key, valid } = signatures(tags);
        // A signature on the twist outside G2 fails the pairing; the double fails with it.
        const outside = plainG2(toG2Struct(mapToTwist("0x01", tags.hashToG2Tag).point));
        await expect(harness.verify(key, valid, outside)).to.be.revertedWithCustomError(
          harness,
          "PairingPrecompileFailed",
        );
      });
    });

    describe("#verifyWithCheckedKey (the key's checks are the caller's)", function () {
      it("agrees with #verify on the valid and the wrong signature", async function () {
        const { harness, tags } = await loadFixture(harnessFixture);
        const { key, valid, wrong, hash } = signatures(tags);
        expect(await harness.verifyWithCheckedKey(key, valid, hash)).to.be.true;
        expect(await harness.verifyWithCheckedKey(key, wrong, hash)).to.be.false;
      });

      it("checks the signature as #verify does: the identity, then the twist, then G2 (the precompile)", async function () {
        const { harness, tags } = await loadFixture(harnessFixture);
        const { key, valid, hash } = signatures(tags);
        const identity = { X: [0n, 0n] as [bigint, bigint], Y: [0n, 0n] as [bigint, bigint] };
        await expect(harness.verifyWithCheckedKey(key, identity, hash)).to.be.revertedWithCustomError(
          harness,
          "BLSSignatureIsIdentity",
        );
        const offTwist = { X: valid.X, Y: [valid.Y[0], valid.Y[1] ^ 1n] as [bigint, bigint] };
        await expect(harness.verifyWithCheckedKey(key, offTwist, hash))
          .to.be.revertedWithCustomError(harness, "G2PointNotOnTwist")
          .withArgs(offTwist.X, offTwist.Y);
        const outside = plainG2(toG2Struct(mapToTwist("0x01", tags.hashToG2Tag).point));
        await expect(harness.verifyWithCheckedKey(key, outside, hash)).to.be.revertedWithCustomError(
          harness,
          "PairingPrecompileFailed",
        );
      });

      it("never accepts a key off the curve or outside the field it was handed (it reverts or answers false)", async function () {
        const { harness, tags } = await loadFixture(harnessFixture);
        const { valid, hash } = signatures(tags);
        for (const point of [...OFF_CURVE, ...NOT_IN_FIELD]) {
          const outcome = await harness.verifyWithCheckedKey(point, valid, hash).then(
            (ok) => (ok ? "accepted" : "rejected"),
            () => "reverted",
          );
          expect(outcome, `(${point.X}, ${point.Y})`).to.not.equal("accepted");
        }
      });

      it("reverts PairingPrecompileReturnedWrongSize(0, 32) when the call returns nothing", async function () {
        const { harness, tags } = await loadFixture(redirectedHarnessFixture);
        const { key, wrong, hash } = signatures(tags);
        await answerWith(PAIRING, 0);
        await expect(harness.verifyWithCheckedKey(key, wrong, hash))
          .to.be.revertedWithCustomError(harness, "PairingPrecompileReturnedWrongSize")
          .withArgs(0n, 32n);
      });
    });

    for (const [precompile, name, call] of [
      [G1_ADD, "#g1Add (addition, 0x06)", (harness: BLS__Harness) => harness.g1Add(GENERATOR, GENERATOR)],
      [
        G1_MUL,
        "#g1ScalarMul (scalar multiplication, 0x07)",
        (harness: BLS__Harness) => harness.g1ScalarMul(GENERATOR, 3n),
      ],
    ] as const) {
      describe(name, function () {
        it(`reverts G1PrecompileFailed(${precompile}), not the size error, when the call fails`, async function () {
          const { harness } = await loadFixture(redirectedHarnessFixture);
          await failEveryCall(precompile);
          await expect(call(harness))
            .to.be.revertedWithCustomError(harness, "G1PrecompileFailed")
            .withArgs(BigInt(precompile));
        });

        for (const size of [0, 32, 63, 65, 96]) {
          it(`reverts G1PrecompileReturnedWrongSize(${precompile}, ${size}, 64) when the call returns ${size} bytes`, async function () {
            const { harness } = await loadFixture(redirectedHarnessFixture);
            await answerWith(precompile, size);
            await expect(call(harness))
              .to.be.revertedWithCustomError(harness, "G1PrecompileReturnedWrongSize")
              .withArgs(BigInt(precompile), BigInt(size), 64n);
          });
        }
      });
    }

    describe("#addKey (addition, 0x06)", function () {
      it("reverts G1PrecompileReturnedWrongSize(6, 0, 64) and keeps the aggregate when the call returns nothing", async function () {
        const { harness, tags } = await loadFixture(redirectedHarnessFixture);
        const { key, otherKey } = signatures(tags);
        await (await harness.addKey(key)).wait();
        await answerWith(G1_ADD, 0);
        await expect(harness.addKey(otherKey))
          .to.be.revertedWithCustomError(harness, "G1PrecompileReturnedWrongSize")
          .withArgs(BigInt(G1_ADD), 0n, 64n);
        expect(g1Words(await harness.aggregateKey())).to.deep.equal(g1Words(key));
      });
    });

    describe("#hashToG2 (square roots, 0x05)", function () {
      it("reverts ModExpFailed, not the size error, when the call fails", async function () {
        const { harness, tags } = await loadFixture(redirectedHarnessFixture);
        await failEveryCall(MODEXP);
        await expect(harness.hashToG2(MESSAGE, tags.hashToG2Tag)).to.be.revertedWithCustomError(
          harness,
          "ModExpFailed",
        );
      });

      for (const size of [0, 31, 33, 64]) {
        it(`reverts ModExpReturnedWrongSize(${size}, 32) when the call returns ${size} bytes`, async function () {
          const { harness, tags } = await loadFixture(redirectedHarnessFixture);
          await answerWith(MODEXP, size);
          await expect(harness.hashToG2(MESSAGE, tags.hashToG2Tag))
            .to.be.revertedWithCustomError(harness, "ModExpReturnedWrongSize")
            .withArgs(BigInt(size), 32n);
        });
      }
    });

    describe("#clearCofactor (inversions, 0x05)", function () {
      it("reverts ModExpFailed, not the size error, when the call fails", async function () {
        const { harness, tags } = await loadFixture(redirectedHarnessFixture);
        const mapped = plainG2(toG2Struct(mapToTwist(MESSAGE, tags.hashToG2Tag).point));
        await failEveryCall(MODEXP);
        await expect(harness.clearCofactor(mapped)).to.be.revertedWithCustomError(harness, "ModExpFailed");
      });

      for (const size of [0, 31, 33, 64]) {
        it(`reverts ModExpReturnedWrongSize(${size}, 32) when the call returns ${size} bytes`, async function () {
          const { harness, tags } = await loadFixture(redirectedHarnessFixture);
          const mapped = plainG2(toG2Struct(mapToTwist(MESSAGE, tags.hashToG2Tag).point));
          await answerWith(MODEXP, size);
          await expect(harness.clearCofactor(mapped))
            .to.be.revertedWithCustomError(harness, "ModExpReturnedWrongSize")
            .withArgs(BigInt(size), 32n);
        });
      }
    });
  });

  describe("G1 inputs: coordinates of P, P + 1, 2^256 − 1 and points off the curve", function () {
    const BAD_POINTS = [...NOT_IN_FIELD, ...OFF_CURVE];

    describe("#g1Negate", function () {
      it("reverts G1CoordinateNotInField or G1PointNotOnCurve, never panics nor maps (0, P) to the identity", async function () {
        const { harness } = await loadFixture(harnessFixture);
        for (const point of BAD_POINTS) await expectG1Rejected(harness, harness.g1Negate(point), point);
      });

      it("negates the points of G1, the identity included", async function () {
        const { harness, tags } = await loadFixture(harnessFixture);
        const { key } = signatures(tags);
        expect(g1Words(await harness.g1Negate(key))).to.deep.equal([key.X, FIELD_MODULUS - key.Y]);
        expect(g1Words(await harness.g1Negate({ X: 0n, Y: 0n }))).to.deep.equal([0n, 0n]);
      });
    });

    describe("#verify", function () {
      it("reverts G1CoordinateNotInField or G1PointNotOnCurve for such a key", async function () {
        const { harness, tags } = await loadFixture(harnessFixture);
        const { valid, hash } = signatures(tags);
        for (const point of BAD_POINTS) await expectG1Rejected(harness, harness.verify(point, valid, hash), point);
      });
    });

    describe("#addKey", function () {
      it("reverts G1CoordinateNotInField or G1PointNotOnCurve and keeps the aggregate", async function () {
        const { harness, key, otherKey } = await loadFixture(aggregateFixture);
        const before = toG1Struct(
          G1Point.fromAffine({ x: key.X, y: key.Y }).add(G1Point.fromAffine({ x: otherKey.X, y: otherKey.Y })),
        );
        for (const point of BAD_POINTS) await expectG1Rejected(harness, harness.addKey(point), point);
        expect(g1Words(await harness.aggregateKey())).to.deep.equal(g1Words(before));
      });
    });

    describe("#removeKey", function () {
      it("reverts G1CoordinateNotInField or G1PointNotOnCurve (not Panic(0x11), not accepted) and keeps the aggregate", async function () {
        const { harness } = await loadFixture(aggregateFixture);
        const before = await harness.aggregateKey();
        for (const point of BAD_POINTS) await expectG1Rejected(harness, harness.removeKey(point), point);
        expect(g1Words(await harness.aggregateKey())).to.deep.equal(g1Words(before));
      });
    });

    describe("#verifyWithNonSigners", function () {
      it("reverts G1CoordinateNotInField or G1PointNotOnCurve for such a non-signer key", async function () {
        const { harness, tags, otherKey } = await loadFixture(aggregateFixture);
        const { valid } = signatures(tags);
        for (const point of BAD_POINTS) {
          await expectG1Rejected(
            harness,
            harness.verifyWithNonSigners([otherKey, point], valid, MESSAGE, tags.hashToG2Tag),
            point,
          );
        }
        // The good non-signer list still verifies: the checks reject only the bad keys.
        expect(await harness.verifyWithNonSigners([otherKey], valid, MESSAGE, tags.hashToG2Tag)).to.be.true;
      });
    });

    describe("#g1Add and #g1ScalarMul", function () {
      it("leave the check to the precompile, which fails closed: G1PrecompileFailed(6) or (7)", async function () {
        const { harness } = await loadFixture(harnessFixture);
        for (const point of BAD_POINTS) {
          const pairs: [G1PointStruct, G1PointStruct][] = [
            [point, GENERATOR],
            [GENERATOR, point],
          ];
          for (const [a, b] of pairs) {
            await expect(harness.g1Add(a, b))
              .to.be.revertedWithCustomError(harness, "G1PrecompileFailed")
              .withArgs(BigInt(G1_ADD));
          }
          await expect(harness.g1ScalarMul(point, 3n))
            .to.be.revertedWithCustomError(harness, "G1PrecompileFailed")
            .withArgs(BigInt(G1_MUL));
        }
      });
    });
  });

  describe("G2 input of #clearCofactor", function () {
    it("reverts G2CoordinateNotInField or G2PointNotOnTwist for a point off the twist, HashToG2Failed(0) for the identity", async function () {
      const { harness, tags } = await loadFixture(harnessFixture);
      const mapped = plainG2(toG2Struct(mapToTwist(MESSAGE, tags.hashToG2Tag).point));
      const shifted = { X: mapped.X, Y: [mapped.Y[0] + FIELD_MODULUS, mapped.Y[1]] as Pair };
      await expect(harness.clearCofactor(shifted))
        .to.be.revertedWithCustomError(harness, "G2CoordinateNotInField")
        .withArgs(shifted.X, shifted.Y);
      const off = { X: mapped.X, Y: [mapped.Y[0], mapped.Y[1] ^ 1n] as Pair };
      await expect(harness.clearCofactor(off))
        .to.be.revertedWithCustomError(harness, "G2PointNotOnTwist")
        .withArgs(off.X, off.Y);
      await expect(harness.clearCofactor({ X: [0n, 0n], Y: [0n, 0n] }))
        .to.be.revertedWithCustomError(harness, "HashToG2Failed")
        .withArgs(0n);
    });
  });

  describe("the harness's aggregate key is test-only", function () {
    it("accepts the identity, a key added twice and a key never added, as its NatSpec says", async function () {
      const { harness, tags } = await loadFixture(harnessFixture);
      const { key, otherKey } = signatures(tags);
      await (await harness.addKey({ X: 0n, Y: 0n })).wait();
      expect(g1Words(await harness.aggregateKey())).to.deep.equal([0n, 0n]);
      await (await harness.addKey(key)).wait();
      await (await harness.addKey(key)).wait();
      const doubled = toG1Struct(G1Point.fromAffine({ x: key.X, y: key.Y }).double());
      expect(g1Words(await harness.aggregateKey())).to.deep.equal(g1Words(doubled));
      await (await harness.removeKey(otherKey)).wait();
      const expected = G1Point.fromAffine({ x: doubled.X, y: doubled.Y }).subtract(
        G1Point.fromAffine({ x: otherKey.X, y: otherKey.Y }),
      );
      expect(g1Words(await harness.aggregateKey())).to.deep.equal(g1Words(toG1Struct(expected)));
    });

    it("is named by nothing outside the tests but the gas probe (no deployable, deploy module, task or lib code)", function () {
      const root = path.resolve(__dirname, "..", "..", "..");
      // The gas snapshot measures the aggregate update on the harness, as it measures the hash on it.
      const allowed = new Set([path.join("scripts", "gasBls.ts")]);
      const offenders: string[] = [];
      const visit = (directory: string): void => {
        for (const entry of readdirSync(path.join(root, directory), { withFileTypes: true })) {
          const relative = path.join(directory, entry.name);
          if (entry.isDirectory()) {
            if (
              relative !== path.join("contracts", "test") &&
              !relative.startsWith(path.join("deploy", "deployments"))
            ) {
              visit(relative);
            }
          } else if (/\.(sol|ts)$/.test(entry.name) && !allowed.has(relative)) {
            if (readFileSync(path.join(root, relative), "utf8").includes("BLS__Harness")) offenders.push(relative);
          }
        }
      };
      for (const directory of ["contracts", "deploy", "lib", "scripts", "tasks"]) visit(directory);
      expect(offenders).to.deep.equal([]);
    });
  });
});

import { loadFixture, setCode } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { getBytes, hexlify, randomBytes, ZeroHash } from "ethers";
import { ethers } from "hardhat";

import {
  aggregatePublicKeys,
  clearCofactor,
  FIELD_MODULUS,
  fromG1Struct,
  fromG2Struct,
  fromSignatureParams,
  Fp2,
  G1Point,
  G2Point,
  GROUP_ORDER,
  hashToG2,
  mapToTwist,
  TAG_BASES,
  toG1Struct,
  toG2Struct,
  TWIST_B,
  type DomainTags,
  type Fp2Element,
  type G1PointStruct,
  type G2,
  type G2PointStruct,
  type SignatureParams,
} from "../../../lib/bls";
import type { BLS__Harness } from "../../../typechain-types";
import { BLS__Harness__factory } from "../../../typechain-types";
import { hashToG2Vectors, signatureVectors as readSignatureVectors } from "../../helpers/vectors";

// Known answers made with the production contracts (INTERFACE.md section 1), checked against their schema.
const hashVectors = hashToG2Vectors();
const signatureVectors = readSignatureVectors();

// ---------------------------------------------------------------------------------------------------------------
// Test-only helpers on lib/bls for the attacks
// ---------------------------------------------------------------------------------------------------------------

/** The twist has h·r points with h = 2p − r = 10069 · 5864401 · 1875725156269 · (a 177-bit prime). */
const TWIST_COFACTOR = 2n * FIELD_MODULUS - GROUP_ORDER;
const SMALL_ORDER = 10_069n;

/** Gas the pairing precompile charges for two pairs (EIP-1108): the floor of any verification. */
const PAIRING_GAS = 45_000n + 2n * 34_000n;

/**
 * Upper bounds, about 5 % above the measured figures printed by the gas tests (hash to G2 about 114,000 to
 * 120,000 gas with one to three attempts; verification about 232,000 inside the library). The goal for a whole
 * verification is 275,000 gas.
 */
const MAX_HASH_TO_G2_GAS = 126_000n;
const MAX_VERIFY_MESSAGE_GAS = 245_000n;
const MAX_VERIFY_MESSAGE_CALL_GAS = 275_000n;

/** A G2 struct with mutable tuples, as the harness takes it; its call results are frozen and cannot be passed back. */
function plainG2(point: G2PointStruct): { X: [bigint, bigint]; Y: [bigint, bigint] } {
  return { X: [point.X[0], point.X[1]], Y: [point.Y[0], point.Y[1]] };
}

/** A twist point as the harness takes it. */
function g2Argument(point: G2): { X: [bigint, bigint]; Y: [bigint, bigint] } {
  return plainG2(toG2Struct(point));
}

/** Signature parameters (x.real, x.imaginary, y.real, y.imaginary) as the harness's G2 struct. */
function signatureArgument(params: SignatureParams): { X: [bigint, bigint]; Y: [bigint, bigint] } {
  return g2Argument(fromSignatureParams(params));
}

/** The four G2 words as the harness returns them, for deep equality. */
function words(point: G2PointStruct): bigint[] {
  return [point.X[0], point.X[1], point.Y[0], point.Y[1]];
}

/**
 * [k]Q by double-and-add, for scalars of r or more, which noble's `multiplyUnsafe` refuses (it accepts points
 * outside G2 but only scalars below r).
 */
function multiplyAny(point: G2, scalar: bigint): G2 {
  let result = G2Point.ZERO;
  for (let bit = BigInt(scalar.toString(2).length - 1); bit >= 0n; bit--) {
    result = result.double();
    if ((scalar >> bit) & 1n) result = result.add(point);
  }
  return result;
}

function flipBit(value: bigint, bit: number): bigint {
  return value ^ (1n << BigInt(bit));
}

function flipByte(message: string, index: number): string {
  const bytes = getBytes(message);
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return hexlify(bytes);
}

/** Points of the twist with x = (P − k) + (P − 1)·u and y or −y close to P too, for k = 1, 2, …. */
function twistPointsNearP(count: number): G2[] {
  const points: G2[] = [];
  for (let k = 1n; points.length < count; k++) {
    const x = Fp2.create({ c0: FIELD_MODULUS - k, c1: FIELD_MODULUS - 1n });
    let y: Fp2Element;
    try {
      y = Fp2.sqrt(Fp2.add(Fp2.mul(Fp2.sqr(x), x), TWIST_B));
    } catch {
      continue;
    }
    points.push(G2Point.fromAffine({ x, y }), G2Point.fromAffine({ x, y: Fp2.neg(y) }));
  }
  return points;
}

/** A point of order 10069 on the twist: [h·r/10069]M for the try-and-increment point M of 0x01. */
function smallOrderTwistPoint(): G2 {
  const { point: mapped } = mapToTwist("0x01", ZeroHash);
  const point = multiplyAny(mapped, (TWIST_COFACTOR * GROUP_ORDER) / SMALL_ORDER);
  if (point.is0() || !point.multiplyUnsafe(SMALL_ORDER).is0()) throw new Error("no small-order point");
  return point;
}

async function harnessFixture(): Promise<{ harness: BLS__Harness }> {
  const [deployer] = await ethers.getSigners();
  if (deployer === undefined) throw new Error("no signer");
  const harness = await new BLS__Harness__factory(deployer).deploy();
  return { harness };
}

/** The harness's runtime code at the address the signature vectors were made for (their tags bind it). */
async function harnessAtVectorsAddressFixture(): Promise<{ harness: BLS__Harness; deployed: BLS__Harness }> {
  const { harness: deployed } = await harnessFixture();
  const code = await ethers.provider.getCode(await deployed.getAddress());
  const target = signatureVectors.serviceNodeRewards;
  await setCode(target, code);
  const [deployer] = await ethers.getSigners();
  if (deployer === undefined) throw new Error("no signer");
  return { harness: BLS__Harness__factory.connect(target, deployer), deployed };
}

describe("BLS (BN256G1, BN256G2, BLS libraries) against production's known answers", function () {
  before(async function () {
    const chainId = (await ethers.provider.getNetwork()).chainId;
    expect(chainId, "the vectors are bound to chain 412346").to.equal(signatureVectors.chainId);
    expect(chainId).to.equal(hashVectors.tagDerivation.chainId);
  });

  describe("BN256G2", function () {
    describe("#hashToField", function () {
      for (const [index, vector] of hashVectors.vectors.entries()) {
        const { hashToField } = vector;
        if (hashToField === undefined) continue;
        it(`matches vector ${index} (${(vector.message.length - 2) / 2}-byte message)`, async function () {
          const { harness } = await loadFixture(harnessFixture);
          const [u0, u1, b] = await harness.hashToField(vector.message, vector.hashToFieldTag);
          expect([u0, u1, b]).to.deep.equal([hashToField.u0, hashToField.u1, hashToField.b]);
        });
      }
    });

    describe("#hashToG2", function () {
      const attempts: number[] = [];

      after(function () {
        if (attempts.length > 0) console.log(`      try-and-increment attempts per vector: ${attempts.join(", ")}`);
      });

      for (const [index, vector] of hashVectors.vectors.entries()) {
        it(`matches vector ${index} (${(vector.message.length - 2) / 2}-byte message)`, async function () {
          const { harness } = await loadFixture(harnessFixture);
          const hash = await harness.hashToG2(vector.message, vector.hashToFieldTag);
          expect(words(hash)).to.deep.equal(words(vector.hashToG2));
          const [, counter] = await harness.mapToTwist(vector.message, vector.hashToFieldTag);
          attempts.push(Number(counter) + 1);
        });
      }

      it("maps random messages as lib/bls does and clears the cofactor into G2", async function () {
        const { harness } = await loadFixture(harnessFixture);
        const tag = hexlify(randomBytes(32));
        for (const length of [0, 1, 31, 32, 33, 100, 135, 136, 137, 255, 256, 600]) {
          const message = hexlify(randomBytes(length));
          const [mapped, counter] = await harness.mapToTwist(message, tag);
          const expected = mapToTwist(message, tag);
          expect(words(mapped)).to.deep.equal(words(toG2Struct(expected.point)));
          expect(counter).to.equal(BigInt(expected.attempt));
          const hash = await harness.hashToG2(message, tag);
          expect(words(hash)).to.deep.equal(words(toG2Struct(hashToG2(message, tag))));
          expect(fromG2Struct(hash).isTorsionFree()).to.be.true;
        }
      });
    });

    describe("#clearCofactor", function () {
      it("clears twist points whose coordinates are close to P as lib/bls does (lazy-reduction bounds)", async function () {
        const { harness } = await loadFixture(harnessFixture);
        for (const point of twistPointsNearP(4)) {
          const cleared = await harness.clearCofactor(g2Argument(point));
          expect(words(cleared)).to.deep.equal(words(toG2Struct(clearCofactor(point))));
        }
      });

      it("reverts HashToG2Failed(0) for a twist point of small order, whose cleared point is the identity", async function () {
        const { harness } = await loadFixture(harnessFixture);
        await expect(harness.clearCofactor(g2Argument(smallOrderTwistPoint())))
          .to.be.revertedWithCustomError(harness, "HashToG2Failed")
          .withArgs(0n);
      });
    });

    describe("#isOnTwist", function () {
      it("accepts a hash, the identity and a point outside G2 on the twist", async function () {
        const { harness } = await loadFixture(harnessFixture);
        const [vector] = hashVectors.vectors;
        if (vector === undefined) throw new Error("no vector");
        expect(await harness.g2IsOnTwist(vector.hashToG2)).to.be.true;
        expect(await harness.g2IsOnTwist({ X: [0n, 0n], Y: [0n, 0n] })).to.be.true;
        expect(await harness.g2IsOnTwist(g2Argument(smallOrderTwistPoint()))).to.be.true;
      });

      it("rejects a point off the twist and a coordinate of P or more", async function () {
        const { harness } = await loadFixture(harnessFixture);
        const [vector] = hashVectors.vectors;
        if (vector === undefined) throw new Error("no vector");
        const { X, Y } = vector.hashToG2;
        const off = { X, Y: [Y[0], flipBit(Y[1], 0)] as [bigint, bigint] };
        expect(await harness.g2IsOnTwist(off)).to.be.false;
        await expect(harness.g2CheckOnTwist(off))
          .to.be.revertedWithCustomError(harness, "G2PointNotOnTwist")
          .withArgs(off.X, off.Y);
        // The same point with a word shifted by P: equal modulo P, yet not canonical.
        const shifted = { X: [X[0] + FIELD_MODULUS, X[1]] as [bigint, bigint], Y };
        expect(await harness.g2IsOnTwist(shifted)).to.be.false;
        await expect(harness.g2CheckOnTwist(shifted))
          .to.be.revertedWithCustomError(harness, "G2CoordinateNotInField")
          .withArgs(shifted.X, shifted.Y);
      });
    });
  });

  describe("BN256G1", function () {
    it("adds, negates and multiplies as the curve does", async function () {
      const { harness } = await loadFixture(harnessFixture);
      const generator = await harness.g1Generator();
      expect([generator.X, generator.Y]).to.deep.equal([1n, 2n]);
      const g = { X: generator.X, Y: generator.Y };
      const twice = await harness.g1Add(g, g);
      const expected = toG1Struct(G1Point.BASE.multiply(2n));
      expect([twice.X, twice.Y]).to.deep.equal([expected.X, expected.Y]);
      expect(await harness.g1ScalarMul(g, 2n)).to.deep.equal([expected.X, expected.Y]);
      const negated = await harness.g1Negate(g);
      expect([negated.X, negated.Y]).to.deep.equal([1n, FIELD_MODULUS - 2n]);
      const zero = await harness.g1Add(g, { X: negated.X, Y: negated.Y });
      expect([zero.X, zero.Y]).to.deep.equal([0n, 0n]);
      expect(await harness.g1IsIdentity({ X: 0n, Y: 0n })).to.be.true;
      expect(await harness.g1IsIdentity(g)).to.be.false;
      expect(await harness.g1ScalarMul(g, GROUP_ORDER)).to.deep.equal([0n, 0n]);
      expect(await harness.g1Negate({ X: 0n, Y: 0n })).to.deep.equal([0n, 0n]);
    });

    it("accepts points of the curve and the identity, and nothing else", async function () {
      const { harness } = await loadFixture(harnessFixture);
      for (const key of signatureVectors.publicKeys) expect(await harness.g1IsOnCurve(key)).to.be.true;
      expect(await harness.g1IsOnCurve({ X: 0n, Y: 0n })).to.be.true;
      expect(await harness.g1IsOnCurve({ X: 1n, Y: 3n })).to.be.false;
      expect(await harness.g1IsOnCurve({ X: 1n + FIELD_MODULUS, Y: 2n })).to.be.false;
      await expect(harness.g1CheckOnCurve({ X: 1n, Y: 3n }))
        .to.be.revertedWithCustomError(harness, "G1PointNotOnCurve")
        .withArgs(1n, 3n);
      await expect(harness.g1CheckOnCurve({ X: 1n + FIELD_MODULUS, Y: 2n }))
        .to.be.revertedWithCustomError(harness, "G1CoordinateNotInField")
        .withArgs(1n + FIELD_MODULUS, 2n);
      await expect(harness.g1Add({ X: 1n, Y: 3n }, { X: 1n, Y: 2n }))
        .to.be.revertedWithCustomError(harness, "G1PrecompileFailed")
        .withArgs(6n);
      await expect(harness.g1ScalarMul({ X: 1n, Y: 3n }, 2n))
        .to.be.revertedWithCustomError(harness, "G1PrecompileFailed")
        .withArgs(7n);
    });
  });

  // Signed by the production contracts' tags, so most of these run the harness code at the vectors' address.
  describe("BLS", function () {
    const { publicKeys, proofOfPossession, rewardUpdates, tags } = signatureVectors;

    function aggregateKey(signers: readonly number[]): G1PointStruct {
      return toG1Struct(
        aggregatePublicKeys(
          signers.map((signer) => {
            const key = publicKeys[signer];
            if (key === undefined) throw new Error(`the vectors have no public key ${signer}`);
            return fromG1Struct(key);
          }),
        ),
      );
    }

    function rewardUpdate(index: number) {
      const update = rewardUpdates[index];
      if (update === undefined) throw new Error(`no reward update ${index}`);
      return update;
    }

    describe("#buildTag", function () {
      for (const [name, base] of Object.entries(TAG_BASES) as [keyof DomainTags, string][]) {
        it(`derives ${name} from "${base}", the chain id and the contract address`, async function () {
          const { harness } = await loadFixture(harnessAtVectorsAddressFixture);
          expect(await harness.buildTag(base)).to.equal(tags[name]);
        });
      }

      it("derives the hash vectors' tags at their own verifying contract", async function () {
        const { harness: deployed } = await loadFixture(harnessFixture);
        const target = hashVectors.tagDerivation.verifyingContract;
        await setCode(target, await ethers.provider.getCode(await deployed.getAddress()));
        const harness = BLS__Harness__factory.connect(target, ethers.provider);
        for (const [base, tag] of hashVectors.tagDerivation.tags) {
          expect(await harness.buildTag(base)).to.equal(tag);
        }
        const hashToG2Tag = hashVectors.tagDerivation.tags.get(TAG_BASES.hashToG2Tag);
        expect(hashToG2Tag).to.be.a("string");
        expect(hashToG2Tag).to.equal(hashVectors.vectors[0]?.hashToFieldTag);
      });

      it("derives other tags at another address", async function () {
        const { deployed } = await loadFixture(harnessAtVectorsAddressFixture);
        expect(await deployed.buildTag(TAG_BASES.hashToG2Tag)).to.not.equal(tags.hashToG2Tag);
      });
    });

    describe("#signatureFromParams", function () {
      it("reorders (x.real, x.imaginary, y.real, y.imaginary) to X = [imaginary, real], Y = [imaginary, real]", async function () {
        const { harness } = await loadFixture(harnessFixture);
        const { sigs0, sigs1, sigs2, sigs3 } = proofOfPossession.signature;
        const point = await harness.signatureFromParams(sigs0, sigs1, sigs2, sigs3);
        expect(words(point)).to.deep.equal([sigs1, sigs0, sigs3, sigs2]);
      });
    });

    describe("#verifyMessage", function () {
      it("accepts the proof of possession for its key", async function () {
        const { harness } = await loadFixture(harnessAtVectorsAddressFixture);
        expect(proofOfPossession.message.startsWith(tags.proofOfPossessionTag)).to.be.true;
        expect(
          await harness.verifyMessage(
            proofOfPossession.publicKey,
            signatureArgument(proofOfPossession.signature),
            proofOfPossession.message,
            tags.hashToG2Tag,
          ),
        ).to.be.true;
      });

      it("accepts the reward update signed by all three keys against their sum", async function () {
        const { harness } = await loadFixture(harnessAtVectorsAddressFixture);
        const update = rewardUpdate(0);
        expect(update.signers).to.deep.equal([0, 1, 2]);
        expect(
          await harness.verifyMessage(
            aggregateKey([0, 1, 2]),
            signatureArgument(update.signature),
            update.message,
            tags.hashToG2Tag,
          ),
        ).to.be.true;
      });

      it("accepts the reward update signed by keys 0 and 1 (node 3 did not sign) against their sum", async function () {
        const { harness } = await loadFixture(harnessAtVectorsAddressFixture);
        const update = rewardUpdate(1);
        expect(update.signers).to.deep.equal([0, 1]);
        expect(
          await harness.verifyMessage(
            aggregateKey([0, 1]),
            signatureArgument(update.signature),
            update.message,
            tags.hashToG2Tag,
          ),
        ).to.be.true;
      });

      it("rejects the two-signer signature against the sum of all three keys (wrong signer set)", async function () {
        const { harness } = await loadFixture(harnessAtVectorsAddressFixture);
        const update = rewardUpdate(1);
        expect(
          await harness.verifyMessage(
            aggregateKey([0, 1, 2]),
            signatureArgument(update.signature),
            update.message,
            tags.hashToG2Tag,
          ),
        ).to.be.false;
      });

      it("returns false for a message with one flipped bit", async function () {
        const { harness } = await loadFixture(harnessAtVectorsAddressFixture);
        const update = rewardUpdate(0);
        const last = getBytes(update.message).length - 1;
        for (const index of [0, 40, last]) {
          expect(
            await harness.verifyMessage(
              aggregateKey([0, 1, 2]),
              signatureArgument(update.signature),
              flipByte(update.message, index),
              tags.hashToG2Tag,
            ),
          ).to.be.false;
        }
      });

      it("returns false for another signer's valid key and for the negated key", async function () {
        const { harness } = await loadFixture(harnessAtVectorsAddressFixture);
        const signature = signatureArgument(proofOfPossession.signature);
        const other = publicKeys[1];
        if (other === undefined) throw new Error("no key 1");
        expect(await harness.verifyMessage(other, signature, proofOfPossession.message, tags.hashToG2Tag)).to.be.false;
        const { X, Y } = proofOfPossession.publicKey;
        expect(
          await harness.verifyMessage(
            { X, Y: FIELD_MODULUS - Y },
            signature,
            proofOfPossession.message,
            tags.hashToG2Tag,
          ),
        ).to.be.false;
      });

      it("returns false when replayed on another contract or with another tag", async function () {
        const { harness, deployed } = await loadFixture(harnessAtVectorsAddressFixture);
        const signature = signatureArgument(proofOfPossession.signature);
        const otherTag = await deployed.buildTag(TAG_BASES.hashToG2Tag);
        expect(await harness.verifyMessage(proofOfPossession.publicKey, signature, proofOfPossession.message, otherTag))
          .to.be.false;
        expect(
          await harness.verifyMessage(
            proofOfPossession.publicKey,
            signature,
            proofOfPossession.message,
            tags.rewardTag,
          ),
        ).to.be.false;
      });

      it("reverts G2PointNotOnTwist for a signature with one flipped bit", async function () {
        const { harness } = await loadFixture(harnessAtVectorsAddressFixture);
        const { sigs0, sigs1, sigs2, sigs3 } = proofOfPossession.signature;
        for (const mutated of [
          { sigs0: flipBit(sigs0, 0), sigs1, sigs2, sigs3 },
          { sigs0, sigs1: flipBit(sigs1, 100), sigs2, sigs3 },
          { sigs0, sigs1, sigs2: flipBit(sigs2, 7), sigs3 },
          { sigs0, sigs1, sigs2, sigs3: flipBit(sigs3, 200) },
        ]) {
          const point = signatureArgument(mutated);
          await expect(
            harness.verifyMessage(proofOfPossession.publicKey, point, proofOfPossession.message, tags.hashToG2Tag),
          )
            .to.be.revertedWithCustomError(harness, "G2PointNotOnTwist")
            .withArgs(point.X, point.Y);
        }
      });

      it("reverts G1PointNotOnCurve for a key with one flipped bit", async function () {
        const { harness } = await loadFixture(harnessAtVectorsAddressFixture);
        const { X, Y } = proofOfPossession.publicKey;
        const signature = signatureArgument(proofOfPossession.signature);
        for (const key of [
          { X: flipBit(X, 0), Y },
          { X, Y: flipBit(Y, 77) },
        ]) {
          await expect(harness.verifyMessage(key, signature, proofOfPossession.message, tags.hashToG2Tag))
            .to.be.revertedWithCustomError(harness, "G1PointNotOnCurve")
            .withArgs(key.X, key.Y);
        }
      });

      it("reverts for coordinates of P or more, even when equal to a valid point modulo P", async function () {
        const { harness } = await loadFixture(harnessAtVectorsAddressFixture);
        const { X, Y } = proofOfPossession.publicKey;
        const signature = signatureArgument(proofOfPossession.signature);
        await expect(
          harness.verifyMessage({ X: X + FIELD_MODULUS, Y }, signature, proofOfPossession.message, tags.hashToG2Tag),
        )
          .to.be.revertedWithCustomError(harness, "G1CoordinateNotInField")
          .withArgs(X + FIELD_MODULUS, Y);
        const shifted = { X: signature.X, Y: [signature.Y[0] + FIELD_MODULUS, signature.Y[1]] as [bigint, bigint] };
        await expect(harness.verifyMessage({ X, Y }, shifted, proofOfPossession.message, tags.hashToG2Tag))
          .to.be.revertedWithCustomError(harness, "G2CoordinateNotInField")
          .withArgs(shifted.X, shifted.Y);
      });

      it("reverts for the identity key and the identity signature", async function () {
        const { harness } = await loadFixture(harnessAtVectorsAddressFixture);
        const signature = signatureArgument(proofOfPossession.signature);
        await expect(
          harness.verifyMessage({ X: 0n, Y: 0n }, signature, proofOfPossession.message, tags.hashToG2Tag),
        ).to.be.revertedWithCustomError(harness, "BLSPublicKeyIsIdentity");
        await expect(
          harness.verifyMessage(
            proofOfPossession.publicKey,
            { X: [0n, 0n], Y: [0n, 0n] },
            proofOfPossession.message,
            tags.hashToG2Tag,
          ),
        ).to.be.revertedWithCustomError(harness, "BLSSignatureIsIdentity");
      });

      it("reverts PairingPrecompileFailed for a signature on the twist but outside G2", async function () {
        const { harness } = await loadFixture(harnessAtVectorsAddressFixture);
        const outside = g2Argument(smallOrderTwistPoint());
        await expect(
          harness.verifyMessage(proofOfPossession.publicKey, outside, proofOfPossession.message, tags.hashToG2Tag),
        ).to.be.revertedWithCustomError(harness, "PairingPrecompileFailed");
      });
    });

    describe("#verify", function () {
      it("checks a signature against a hash computed once", async function () {
        const { harness } = await loadFixture(harnessAtVectorsAddressFixture);
        const update = rewardUpdate(0);
        const hash = plainG2(await harness.hashToG2(update.message, tags.hashToG2Tag));
        const signature = signatureArgument(update.signature);
        expect(await harness.verify(aggregateKey([0, 1, 2]), signature, hash)).to.be.true;
        expect(await harness.verify(aggregateKey([0, 1]), signature, hash)).to.be.false;
      });
    });
  });

  describe("gas", function () {
    const { proofOfPossession, tags } = signatureVectors;

    function vectorOfLength(length: number) {
      const vector = hashVectors.vectors.find(
        (candidate) => (candidate.message.length - 2) / 2 === length && candidate.gasInsideLibrary !== undefined,
      );
      if (vector === undefined) throw new Error(`no ${length}-byte vector`);
      return vector;
    }

    for (const length of [32, 116]) {
      it(`hashes a ${length}-byte message to G2 in under ${MAX_HASH_TO_G2_GAS} gas`, async function () {
        const { harness } = await loadFixture(harnessFixture);
        const vector = vectorOfLength(length);
        const [gasUsed, hash] = await harness.measureHashToG2(vector.message, vector.hashToFieldTag);
        expect(words(hash)).to.deep.equal(words(vector.hashToG2));
        const [, counter] = await harness.mapToTwist(vector.message, vector.hashToFieldTag);
        console.log(
          `      hashToG2(${length} bytes): ${gasUsed} gas (${Number(counter) + 1} attempt(s); production ${vector.gasInsideLibrary ?? "?"})`,
        );
        expect(gasUsed).to.be.lessThan(MAX_HASH_TO_G2_GAS);
      });
    }

    it(`verifies the proof of possession (hash to G2, checks, pairing) in under ${MAX_VERIFY_MESSAGE_GAS} gas`, async function () {
      const { harness } = await loadFixture(harnessAtVectorsAddressFixture);
      const [gasUsed, valid] = await harness.measureVerifyMessage(
        proofOfPossession.publicKey,
        signatureArgument(proofOfPossession.signature),
        proofOfPossession.message,
        tags.hashToG2Tag,
      );
      expect(valid).to.be.true;
      const estimate = await harness.verifyMessage.estimateGas(
        proofOfPossession.publicKey,
        signatureArgument(proofOfPossession.signature),
        proofOfPossession.message,
        tags.hashToG2Tag,
      );
      console.log(
        `      verifyMessage(${getBytes(proofOfPossession.message).length} bytes): ${gasUsed} gas inside the library, ` +
          `${estimate} for the whole call by estimateGas (${estimate - 21_000n} without the 21,000 intrinsic gas; ` +
          `pairing alone ${PAIRING_GAS}; production's validateProofOfPossession ` +
          `${signatureVectors.productionGas.validateProofOfPossession})`,
      );
      expect(gasUsed).to.be.lessThan(MAX_VERIFY_MESSAGE_GAS);
      expect(gasUsed).to.be.greaterThan(PAIRING_GAS);
      expect(estimate).to.be.lessThan(MAX_VERIFY_MESSAGE_CALL_GAS);
    });

    it("updates the stored aggregate key with one precompile addition on add and on remove", async function () {
      const { harness } = await loadFixture(harnessFixture);
      const { publicKeys } = signatureVectors;
      const [first, second] = publicKeys;
      if (first === undefined || second === undefined) throw new Error("no keys");
      await (await harness.addKey(first)).wait();
      const addReceipt = await (await harness.addKey(second)).wait();
      const expected = toG1Struct(aggregatePublicKeys([fromG1Struct(first), fromG1Struct(second)]));
      expect(await harness.aggregateKey()).to.deep.equal([expected.X, expected.Y]);
      const removeTx = await harness.removeKey(second);
      await expect(removeTx).to.emit(harness, "AggregateKeyUpdated").withArgs(first.X, first.Y);
      const removeReceipt = await removeTx.wait();
      expect(await harness.aggregateKey()).to.deep.equal([first.X, first.Y]);
      console.log(
        `      aggregate key update (transaction gas, 21,000 intrinsic included): add ${addReceipt?.gasUsed}, ` +
          `remove ${removeReceipt?.gasUsed}`,
      );
    });
  });
});

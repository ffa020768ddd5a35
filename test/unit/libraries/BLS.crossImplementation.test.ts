import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { getBytes } from "ethers";
import fc from "fast-check";
import { ethers } from "hardhat";

import {
  domainTags,
  G1Point,
  GROUP_ORDER,
  hashToG2,
  mapToTwist,
  publicKeyOf,
  secretKeyFromSeed,
  sign,
  toG1Struct,
  toG2Struct,
  type G2PointStruct,
} from "../../../lib/bls";
import { SimulatedNetwork } from "../../../lib/network";
import { FC_SEED, integerFromEnv } from "../../helpers/env";

/** Random messages per property: 500 by default (the floor), more with BLS_RUNS for a longer soak. */
const RUNS = integerFromEnv("BLS_RUNS", 500, 1);

/** Messages up to 300 bytes: the contracts sign 84 to 116 bytes; longer ones cross keccak block boundaries. */
const messages = fc.uint8Array({ minLength: 0, maxLength: 300 });
const secretKeys = fc.bigInt({ min: 1n, max: GROUP_ORDER - 1n });

type Pair = [bigint, bigint];

/** A mutable copy of a G2 point struct, as the typed contract bindings take it. */
function asStruct(point: G2PointStruct): { X: Pair; Y: Pair } {
  return { X: [point.X[0], point.X[1]], Y: [point.Y[0], point.Y[1]] };
}

function plain(point: { X: readonly bigint[]; Y: readonly bigint[] }) {
  return { X: [...point.X], Y: [...point.Y] };
}

async function harnessFixture() {
  const factory = await ethers.getContractFactory("BLS__Harness");
  const harness = await factory.deploy();
  const other = await factory.deploy();
  const { chainId } = await ethers.provider.getNetwork();
  return {
    harness,
    other,
    tags: domainTags(chainId, await harness.getAddress()),
    otherTags: domainTags(chainId, await other.getAddress()),
  };
}

describe("BLS libraries against lib/bls", function () {
  this.timeout(600_000);

  it(`hash to the same G2 point for ${RUNS} random messages`, async function () {
    const { harness, tags } = await loadFixture(harnessFixture);
    await fc.assert(
      fc.asyncProperty(messages, async (message) => {
        const onChain = await harness.hashToG2(message, tags.hashToG2Tag);
        expect(plain(onChain)).to.deep.equal(plain(toG2Struct(hashToG2(message, tags.hashToG2Tag))));
      }),
      { numRuns: RUNS, seed: FC_SEED },
    );
  });

  it(`accept lib/bls signatures for ${RUNS} random messages and keys`, async function () {
    const { harness, tags } = await loadFixture(harnessFixture);
    await fc.assert(
      fc.asyncProperty(messages, secretKeys, async (message, secretKey) => {
        const signature = toG2Struct(sign(secretKey, message, tags.hashToG2Tag));
        const key = toG1Struct(publicKeyOf(secretKey));
        expect(await harness.verifyMessage(key, asStruct(signature), message, tags.hashToG2Tag)).to.be.true;
      }),
      { numRuns: RUNS, seed: FC_SEED },
    );
  });

  describe("mutations that must fail", function () {
    const message = getBytes("0x5e55105e55105e5510");
    const secretKey = secretKeyFromSeed("mutations", 0);
    const key = toG1Struct(publicKeyOf(secretKey));

    async function signed() {
      const fixture = await loadFixture(harnessFixture);
      const signature = toG2Struct(sign(secretKey, message, fixture.tags.hashToG2Tag));
      return { ...fixture, signature };
    }

    it("accepts the unmutated signature", async function () {
      const { harness, tags, signature } = await signed();
      expect(await harness.verifyMessage(key, asStruct(signature), message, tags.hashToG2Tag)).to.be.true;
    });

    it("reverts for a flipped bit in the signature, which leaves the twist", async function () {
      const { harness, tags, signature } = await signed();
      const flipped: { X: Pair; Y: Pair } = {
        X: [signature.X[0], signature.X[1] ^ 1n],
        Y: [signature.Y[0], signature.Y[1]],
      };
      await expect(harness.verifyMessage(key, flipped, message, tags.hashToG2Tag))
        .to.be.revertedWithCustomError(harness, "G2PointNotOnTwist")
        .withArgs(flipped.X, flipped.Y);
    });

    it("rejects a flipped bit in the message", async function () {
      const { harness, tags, signature } = await signed();
      for (const bit of [0, 7, 8 * message.length - 1]) {
        const mutated = Uint8Array.from(message);
        mutated[bit >> 3] = (mutated[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        expect(await harness.verifyMessage(key, asStruct(signature), mutated, tags.hashToG2Tag), `bit ${bit}`).to.be
          .false;
      }
    });

    it("reverts for a flipped bit in the public key, which leaves the curve", async function () {
      const { harness, tags, signature } = await signed();
      const flipped = { X: key.X ^ 1n, Y: key.Y };
      await expect(harness.verifyMessage(flipped, asStruct(signature), message, tags.hashToG2Tag))
        .to.be.revertedWithCustomError(harness, "G1PointNotOnCurve")
        .withArgs(flipped.X, flipped.Y);
    });

    it("rejects a signature by a different key", async function () {
      const { harness, tags } = await signed();
      const other = toG2Struct(sign(secretKeyFromSeed("mutations", 1), message, tags.hashToG2Tag));
      expect(await harness.verifyMessage(key, asStruct(other), message, tags.hashToG2Tag)).to.be.false;
    });

    it("rejects the right signature made for another chain id", async function () {
      const { harness, tags } = await signed();
      const foreign = domainTags(42_161n, await harness.getAddress());
      const signature = toG2Struct(sign(secretKey, message, foreign.hashToG2Tag));
      expect(await harness.verifyMessage(key, asStruct(signature), message, tags.hashToG2Tag)).to.be.false;
    });

    it("rejects the right signature made for another contract address", async function () {
      const { harness, other, tags, otherTags } = await signed();
      const signature = toG2Struct(sign(secretKey, message, otherTags.hashToG2Tag));
      expect(
        await other.verifyMessage(key, asStruct(signature), message, await other.buildTag("BLS_SIG_HASH_TO_FIELD_TAG")),
      ).to.be.true;
      expect(await harness.verifyMessage(key, asStruct(signature), message, tags.hashToG2Tag)).to.be.false;
    });

    it("derives a different hash-to-G2 tag at each contract address", async function () {
      const { harness, other, tags, otherTags } = await loadFixture(harnessFixture);
      expect(await harness.buildTag("BLS_SIG_HASH_TO_FIELD_TAG")).to.equal(tags.hashToG2Tag);
      expect(await other.buildTag("BLS_SIG_HASH_TO_FIELD_TAG")).to.equal(otherTags.hashToG2Tag);
      expect(tags.hashToG2Tag).to.not.equal(otherTags.hashToG2Tag);
    });

    it("reverts for a public key not on the curve", async function () {
      const { harness, tags, signature } = await signed();
      await expect(harness.verifyMessage({ X: 1n, Y: 3n }, asStruct(signature), message, tags.hashToG2Tag))
        .to.be.revertedWithCustomError(harness, "G1PointNotOnCurve")
        .withArgs(1n, 3n);
    });

    it("reverts for a signature on the twist but outside G2", async function () {
      const { harness, tags } = await signed();
      // The mapped point before cofactor clearing is on the twist but not in the order-r subgroup.
      const outside = toG2Struct(mapToTwist(message, tags.hashToG2Tag).point);
      expect(await harness.g2IsOnTwist(asStruct(outside))).to.be.true;
      await expect(
        harness.verifyMessage(key, asStruct(outside), message, tags.hashToG2Tag),
      ).to.be.revertedWithCustomError(harness, "PairingPrecompileFailed");
    });

    it("reverts for the identity as public key", async function () {
      const { harness, tags, signature } = await signed();
      await expect(
        harness.verifyMessage(toG1Struct(G1Point.ZERO), asStruct(signature), message, tags.hashToG2Tag),
      ).to.be.revertedWithCustomError(harness, "BLSPublicKeyIsIdentity");
    });

    it("reverts for the identity as signature", async function () {
      const { harness, tags } = await signed();
      const identity: { X: Pair; Y: Pair } = { X: [0n, 0n], Y: [0n, 0n] };
      await expect(harness.verifyMessage(key, identity, message, tags.hashToG2Tag)).to.be.revertedWithCustomError(
        harness,
        "BLSSignatureIsIdentity",
      );
    });
  });

  describe("aggregation", function () {
    const SIZE = 7;
    const message = getBytes("0xa99e9a7e");

    async function networkFixture() {
      const fixture = await harnessFixture();
      const network = new SimulatedNetwork("aggregation", SIZE);
      for (const node of network.nodes) {
        network.register(node.index, BigInt(node.index + 1));
        await fixture.harness.addKey(node.publicKeyStruct);
      }
      return { ...fixture, network };
    }

    function keysOf(network: SimulatedNetwork, ids: readonly bigint[]) {
      return ids.map((id) => network.node(Number(id) - 1).publicKeyStruct);
    }

    it("keeps the sum of the added keys", async function () {
      const { harness, network } = await loadFixture(networkFixture);
      expect(await harness.aggregateKey()).to.deep.equal(Object.values(toG1Struct(network.aggregatePublicKey())));
    });

    it("verifies k of n signers with the rest listed as non-signers", async function () {
      const { harness, tags, network } = await loadFixture(networkFixture);
      const signed = network.sign(message, tags.hashToG2Tag, [1n, 2n, 4n, 5n, 7n]);
      expect(signed.nonSignerIds).to.deep.equal([3n, 6n]);
      const nonSigners = keysOf(network, signed.nonSignerIds);
      expect(
        await harness.verifyWithNonSigners(
          nonSigners,
          asStruct(toG2Struct(signed.signature)),
          message,
          tags.hashToG2Tag,
        ),
      ).to.be.true;
    });

    it("fails with a wrong non-signer list", async function () {
      const { harness, tags, network } = await loadFixture(networkFixture);
      const signed = network.sign(message, tags.hashToG2Tag, [1n, 2n, 4n, 5n, 7n]);
      for (const wrong of [[3n], [3n, 6n, 7n], [2n, 6n], []]) {
        expect(
          await harness.verifyWithNonSigners(
            keysOf(network, wrong),
            asStruct(toG2Struct(signed.signature)),
            message,
            tags.hashToG2Tag,
          ),
          `non-signers ${wrong.join(", ")}`,
        ).to.be.false;
      }
    });

    it("removes a key from the aggregate", async function () {
      const { harness, network } = await loadFixture(networkFixture);
      await harness.removeKey(network.node(2).publicKeyStruct);
      const expected = network.aggregatePublicKey().subtract(network.node(2).publicKey);
      expect(await harness.aggregateKey()).to.deep.equal(Object.values(toG1Struct(expected)));
    });
  });
});

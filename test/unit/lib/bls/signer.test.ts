import { expect } from "chai";
import fc from "fast-check";

import {
  aggregatePublicKeys,
  aggregateSignatures,
  buildTag,
  domainTags,
  fromG1Struct,
  fromG2Struct,
  fromSignatureParams,
  G1Point,
  G2Point,
  GROUP_ORDER,
  proofOfPossessionMessage,
  publicKeyOf,
  rewardMessage,
  secretKeyFromSeed,
  sign,
  toG1Struct,
  toG2Struct,
  toSignatureParams,
  verify,
} from "../../../../lib/bls";
import { signatureVectors } from "../../../helpers/vectors";
import { FC_SEED } from "../../../helpers/env";

describe("lib/bls/signer", function () {
  const vectors = signatureVectors();
  const secretKeys = vectors.secretKeys;
  const secretKey = (index: number): bigint => {
    const key = secretKeys[index];
    if (key === undefined) throw new Error(`no secret key ${index}`);
    return key;
  };
  const tags = domainTags(vectors.chainId, vectors.serviceNodeRewards);

  describe("known answers of the production code", function () {
    it("derives the vectors' tags from the chain id and the contract address", function () {
      expect(tags).to.deep.equal(vectors.tags);
    });

    it("derives each public key from its secret key", function () {
      expect(secretKeys.map((key) => toG1Struct(publicKeyOf(key)))).to.deep.equal(vectors.publicKeys);
    });

    it("builds the proof-of-possession message", function () {
      const { publicKey, caller, ed25519Pubkey, message } = vectors.proofOfPossession;
      const built = proofOfPossessionMessage(tags, publicKey, caller, ed25519Pubkey);
      expect(built).to.equal(message.toLowerCase());
    });

    it("reproduces the proof of possession", function () {
      const { message, signature } = vectors.proofOfPossession;
      expect(toSignatureParams(sign(secretKey(0), message, tags.hashToG2Tag))).to.deep.equal(signature);
    });

    for (const [index, update] of vectors.rewardUpdates.entries()) {
      describe(`reward update ${index} (signers ${update.signers.join(", ")})`, function () {
        it("builds the reward message", function () {
          expect(rewardMessage(tags, update.recipient, update.amount)).to.equal(update.message.toLowerCase());
        });

        it("reproduces the aggregate signature", function () {
          const signatures = update.signers.map((signer) => sign(secretKey(signer), update.message, tags.hashToG2Tag));
          expect(toSignatureParams(aggregateSignatures(signatures))).to.deep.equal(update.signature);
        });

        it("verifies against the signers' aggregate key", function () {
          const key = aggregatePublicKeys(update.signers.map((signer) => publicKeyOf(secretKey(signer))));
          const signature = fromSignatureParams(update.signature);
          expect(verify(key, update.message, signature, tags.hashToG2Tag)).to.be.true;
        });
      });
    }
  });

  describe("#verify", function () {
    const message = "0x1234";
    const key = secretKeyFromSeed("verify", 0);
    const signature = sign(key, message, tags.hashToG2Tag);

    it("accepts the signer's signature", function () {
      expect(verify(publicKeyOf(key), message, signature, tags.hashToG2Tag)).to.be.true;
    });

    it("rejects another message", function () {
      expect(verify(publicKeyOf(key), "0x1235", signature, tags.hashToG2Tag)).to.be.false;
    });

    it("rejects another key's signature", function () {
      const other = sign(secretKeyFromSeed("verify", 1), message, tags.hashToG2Tag);
      expect(verify(publicKeyOf(key), message, other, tags.hashToG2Tag)).to.be.false;
    });

    it("rejects a signature made for another chain", function () {
      const elsewhere = domainTags(1n, vectors.serviceNodeRewards);
      const foreign = sign(key, message, elsewhere.hashToG2Tag);
      expect(verify(publicKeyOf(key), message, foreign, tags.hashToG2Tag)).to.be.false;
    });

    it("rejects a signature made for another contract", function () {
      const elsewhere = domainTags(vectors.chainId, "0x0000000000000000000000000000000000000001");
      const foreign = sign(key, message, elsewhere.hashToG2Tag);
      expect(verify(publicKeyOf(key), message, foreign, tags.hashToG2Tag)).to.be.false;
    });

    it("rejects the identity as a key or a signature", function () {
      expect(verify(G1Point.ZERO, message, signature, tags.hashToG2Tag)).to.be.false;
      expect(verify(publicKeyOf(key), message, G2Point.ZERO, tags.hashToG2Tag)).to.be.false;
    });
  });

  describe("#secretKeyFromSeed", function () {
    it("gives the same key for the same seed and index", function () {
      expect(secretKeyFromSeed("network", 3)).to.equal(secretKeyFromSeed("network", 3));
    });

    it("gives keys in [1, r − 1] that differ by index and seed", function () {
      fc.assert(
        fc.property(fc.string(), fc.nat({ max: 10_000 }), (seed, index) => {
          const key = secretKeyFromSeed(seed, index);
          expect(key > 0n && key < GROUP_ORDER).to.be.true;
          expect(key).to.not.equal(secretKeyFromSeed(seed, index + 1));
          expect(key).to.not.equal(secretKeyFromSeed(`${seed}.`, index));
        }),
        { numRuns: 100, seed: FC_SEED },
      );
    });

    it("refuses keys outside [1, r − 1]", function () {
      expect(() => publicKeyOf(0n)).to.throw(RangeError);
      expect(() => publicKeyOf(GROUP_ORDER)).to.throw(RangeError);
    });
  });

  describe("encoding", function () {
    const signature = sign(secretKey(1), "0xabcdef", tags.hashToG2Tag);

    it("orders signature parameters as (x.real, x.imaginary, y.real, y.imaginary)", function () {
      const { x, y } = signature.toAffine();
      expect(toSignatureParams(signature)).to.deep.equal({ sigs0: x.c0, sigs1: x.c1, sigs2: y.c0, sigs3: y.c1 });
    });

    it("orders the contracts' G2 coordinates as [imaginary, real]", function () {
      const { x, y } = signature.toAffine();
      expect(toG2Struct(signature)).to.deep.equal({ X: [x.c1, x.c0], Y: [y.c1, y.c0] });
    });

    it("round-trips points through every layout", function () {
      const key = publicKeyOf(secretKey(2));
      expect(fromG1Struct(toG1Struct(key)).equals(key)).to.be.true;
      expect(fromG2Struct(toG2Struct(signature)).equals(signature)).to.be.true;
      expect(fromSignatureParams(toSignatureParams(signature)).equals(signature)).to.be.true;
    });

    it("writes the identity as zeros", function () {
      expect(toG1Struct(G1Point.ZERO)).to.deep.equal({ X: 0n, Y: 0n });
      expect(toSignatureParams(G2Point.ZERO)).to.deep.equal({ sigs0: 0n, sigs1: 0n, sigs2: 0n, sigs3: 0n });
      expect(fromG1Struct({ X: 0n, Y: 0n }).is0()).to.be.true;
    });
  });

  describe("#buildTag", function () {
    it("hashes the base, the chain id and the contract like abi.encodePacked", function () {
      expect(buildTag("BLS_SIG_TRYANDINCREMENT_REWARD", 412_346n, vectors.serviceNodeRewards)).to.equal(
        vectors.tags.rewardTag,
      );
    });
  });
});

import { expect } from "chai";

import {
  aggregateSignatures,
  domainTags,
  fromSignatureParams,
  G1Point,
  GROUP_ORDER,
  proofOfPossessionMessage,
  secretKeyFromSeed,
  sign,
  verify,
} from "../../../../lib/bls";
import { SimulatedNetwork } from "../../../../lib/network";

describe("lib/network/SimulatedNetwork", function () {
  const tags = domainTags(412_346n, "0x5FbDB2315678afecb367f032d93F642f64180aa3");
  const message = "0xfeedbeef";

  function network(size = 6, registered = size): SimulatedNetwork {
    const simulated = new SimulatedNetwork("lib/network tests", size);
    for (let index = 0; index < registered; index++) simulated.register(index, BigInt(index + 1));
    return simulated;
  }

  it("derives the same keys from the same seed", function () {
    const keys = (net: SimulatedNetwork) => net.nodes.map((node) => node.publicKeyStruct);
    expect(keys(network())).to.deep.equal(keys(network()));
    expect(keys(new SimulatedNetwork("another seed", 6))).to.not.deep.equal(keys(network()));
  });

  it("takes its keys from the caller when given, such as a generated snapshot's", function () {
    const given = new SimulatedNetwork("given keys", 3, (index) => secretKeyFromSeed("elsewhere", index + 10));
    expect(given.nodes.map((node) => node.secretKey)).to.deep.equal(
      [10, 11, 12].map((i) => secretKeyFromSeed("elsewhere", i)),
    );
  });

  describe("#sign", function () {
    it("gives exactly the sum of each signer's own signature", function () {
      const net = network(5);
      const signed = net.sign(message, tags.hashToG2Tag, [1n, 3n, 4n]);
      const own = [0, 2, 3].map((index) => sign(net.node(index).secretKey, message, tags.hashToG2Tag));
      expect(signed.signature.equals(aggregateSignatures(own))).to.be.true;
    });

    it("gives the identity when the signers' keys cancel out, as their signatures would", function () {
      const first = secretKeyFromSeed("cancel", 0);
      const keys = [first, GROUP_ORDER - first];
      const net = new SimulatedNetwork("cancel", 2, (index) => keys[index] ?? 1n);
      net.register(0, 1n);
      net.register(1, 2n);
      const signed = net.sign(message, tags.hashToG2Tag);
      const own = keys.map((key) => sign(key, message, tags.hashToG2Tag));
      expect(signed.signature.equals(aggregateSignatures(own))).to.be.true;
      expect(signed.signature.is0()).to.be.true;
    });

    it("lets every registered node sign by default, with no non-signers", function () {
      const signed = network().sign(message, tags.hashToG2Tag);
      expect(signed.nonSignerIds).to.deep.equal([]);
      expect(signed.signerIds).to.deep.equal([1n, 2n, 3n, 4n, 5n, 6n]);
    });

    it("verifies against the aggregate key when all sign", function () {
      const net = network();
      const signed = net.sign(message, tags.hashToG2Tag);
      expect(verify(net.aggregatePublicKey(), message, signed.signature, tags.hashToG2Tag)).to.be.true;
    });

    it("lists the registered nodes that did not sign", function () {
      const signed = network().sign(message, tags.hashToG2Tag, [1n, 3n, 4n, 6n]);
      expect(signed.nonSignerIds).to.deep.equal([2n, 5n]);
    });

    it("verifies k of n against the aggregate minus the non-signers' keys", function () {
      const net = network();
      const signed = net.sign(message, tags.hashToG2Tag, [1n, 3n, 4n, 6n]);
      let key = net.aggregatePublicKey();
      for (const id of signed.nonSignerIds) key = key.subtract(net.node(Number(id) - 1).publicKey);
      expect(verify(key, message, fromSignatureParams(signed.params), tags.hashToG2Tag)).to.be.true;
    });

    it("fails against a wrong non-signer list", function () {
      const net = network();
      const signed = net.sign(message, tags.hashToG2Tag, [1n, 3n, 4n, 6n]);
      const key = net.aggregatePublicKey().subtract(net.node(1).publicKey);
      expect(verify(key, message, signed.signature, tags.hashToG2Tag)).to.be.false;
    });

    it("refuses a signer id that is not registered", function () {
      expect(() => network(6, 4).sign(message, tags.hashToG2Tag, [5n])).to.throw("node id 5 is not registered");
    });

    it("leaves unregistered nodes out of signers and non-signers", function () {
      const signed = network(6, 4).sign(message, tags.hashToG2Tag);
      expect([...signed.signerIds, ...signed.nonSignerIds]).to.deep.equal([1n, 2n, 3n, 4n]);
    });
  });

  describe("registration", function () {
    it("refuses to give one id to two nodes", function () {
      const net = network(3, 1);
      expect(() => {
        net.register(2, 1n);
      }).to.throw("id 1 is already node 0's");
    });

    it("drops a deregistered node from the aggregate", function () {
      const net = network(3);
      net.deregister(1);
      expect(net.aggregatePublicKey().equals(net.node(0).publicKey.add(net.node(2).publicKey))).to.be.true;
      expect(net.registered().map((node) => node.id)).to.deep.equal([1n, 3n]);
    });

    it("has an identity aggregate when nobody is registered", function () {
      expect(network(2, 0).aggregatePublicKey().equals(G1Point.ZERO)).to.be.true;
    });

    it("refuses a network without nodes", function () {
      expect(() => new SimulatedNetwork("empty", 0)).to.throw(RangeError);
    });
  });

  describe("#proofOfPossession", function () {
    it("signs the proof-of-possession message with the node's key", function () {
      const net = network(2);
      const operator = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
      const params = net.proofOfPossession(1, tags, operator, 0x1234n);
      const popMessage = proofOfPossessionMessage(tags, net.node(1).publicKeyStruct, operator, 0x1234n);
      expect(verify(net.node(1).publicKey, popMessage, fromSignatureParams(params), tags.hashToG2Tag)).to.be.true;
    });
  });
});

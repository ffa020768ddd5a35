import { getBytes, type BytesLike } from "ethers";

import type { G1, G2 } from "../bls/curve";
import { toG1Struct, toSignatureParams, type G1PointStruct, type SignatureParams } from "../bls/encoding";
import { hashToG2 } from "../bls/hashToG2";
import { proofOfPossessionMessage } from "../bls/messages";
import { G2Point, GROUP_ORDER } from "../bls/curve";
import { aggregatePublicKeys, publicKeyOf, secretKeyFromSeed, sign, signHash } from "../bls/signer";
import type { DomainTags } from "../bls/tags";

/** A simulated Session Node: its BLS keys and, once registered, the id the rewards contract gave it. */
export interface SimulatedNode {
  /** Position in the network, from 0. */
  readonly index: number;
  readonly secretKey: bigint;
  readonly publicKey: G1;
  /** The public key as the contracts take it. */
  readonly publicKeyStruct: G1PointStruct;
  /** The contract's service node id (from 1), when the node is registered. */
  id?: bigint;
}

/** A network signature as the contracts take it: the aggregate signature and the ids of the nodes that did not sign. */
export interface NetworkSignature {
  readonly signature: G2;
  readonly params: SignatureParams;
  /** Registered nodes that did not sign, in ascending id order. */
  readonly nonSignerIds: readonly bigint[];
  /** Registered nodes that signed, in ascending id order. */
  readonly signerIds: readonly bigint[];
}

/**
 * N Session Nodes with deterministic BLS keys from one seed. It signs as the real network does: every chosen
 * registered node signs H(message), the signatures are added, and the registered nodes that did not sign are
 * listed as non-signers, whose keys the contract subtracts from its aggregate. Signatures are linear in the key, so
 * the sum is computed as one signature by the sum of the signers' keys: the same point, at the cost of one.
 */
export class SimulatedNetwork {
  readonly seed: string;
  readonly nodes: readonly SimulatedNode[];

  /**
   * `size` nodes whose keys derive from `seed` ({@link secretKeyFromSeed}), or come from `secretKeyOf` (the keys of
   * a generated Anchor snapshot's nodes, for example).
   */
  constructor(
    seed: string,
    size: number,
    secretKeyOf: (index: number) => bigint = (index) => secretKeyFromSeed(seed, index),
  ) {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`a network needs at least one node, got ${size}`);
    this.seed = seed;
    this.nodes = Array.from({ length: size }, (_, index) => {
      const secretKey = secretKeyOf(index);
      const publicKey = publicKeyOf(secretKey);
      return { index, secretKey, publicKey, publicKeyStruct: toG1Struct(publicKey) };
    });
  }

  /** The node at `index`; throws for an index the network does not have. */
  node(index: number): SimulatedNode {
    const node = this.nodes[index];
    if (node === undefined) throw new RangeError(`the network has no node ${index} (it has ${this.nodes.length})`);
    return node;
  }

  /** Records the id the contract gave a node at registration. Ids are unique. */
  register(index: number, id: bigint): void {
    const holder = this.nodes.find((node) => node.id === id);
    if (holder !== undefined && holder.index !== index) {
      throw new Error(`id ${id} is already node ${holder.index}'s`);
    }
    this.node(index).id = id;
  }

  /** Forgets a node's id, as the contract does when the node exits or is liquidated. */
  deregister(index: number): void {
    delete this.node(index).id;
  }

  /** Registered nodes in ascending id order. */
  registered(): SimulatedNode[] {
    return this.nodes
      .filter((node): node is SimulatedNode & { id: bigint } => node.id !== undefined)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The sum of the registered nodes' keys: the contract's aggregate key. */
  aggregatePublicKey(): G1 {
    return aggregatePublicKeys(this.registered().map((node) => node.publicKey));
  }

  /**
   * The network's signature on `message` by the registered nodes with the given ids (default: all of them).
   * Throws for an id that is not registered, so a test cannot sign with a node the contract does not know.
   */
  sign(message: BytesLike, hashToG2Tag: BytesLike, signerIds?: Iterable<bigint>): NetworkSignature {
    const registered = this.registered();
    const chosen = new Set(signerIds ?? registered.map((node) => node.id).filter((id) => id !== undefined));
    for (const id of chosen) {
      if (!registered.some((node) => node.id === id)) throw new Error(`node id ${id} is not registered`);
    }
    const signers = registered.filter((node) => node.id !== undefined && chosen.has(node.id));
    const messageHash = hashToG2(getBytes(message), hashToG2Tag);
    // The sum of the signers' signatures sk_i·H(m) is (Σ sk_i)·H(m): one multiplication however many nodes sign.
    const aggregateSecret = signers.reduce((sum, node) => (sum + node.secretKey) % GROUP_ORDER, 0n);
    const signature = aggregateSecret === 0n ? G2Point.ZERO : signHash(aggregateSecret, messageHash);
    const idsOf = (nodes: SimulatedNode[]): bigint[] =>
      nodes.flatMap((node) => (node.id === undefined ? [] : [node.id]));
    return {
      signature,
      params: toSignatureParams(signature),
      nonSignerIds: idsOf(registered.filter((node) => !signers.includes(node))),
      signerIds: idsOf(signers),
    };
  }

  /** A node's proof of possession of its key, for registration by `operator` with its ed25519 key. */
  proofOfPossession(
    index: number,
    tags: Pick<DomainTags, "proofOfPossessionTag" | "hashToG2Tag">,
    operator: string,
    ed25519PublicKey: bigint,
  ): SignatureParams {
    const node = this.node(index);
    const message = proofOfPossessionMessage(tags, node.publicKeyStruct, operator, ed25519PublicKey);
    return toSignatureParams(sign(node.secretKey, message, tags.hashToG2Tag));
  }
}

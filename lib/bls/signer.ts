import { bn254 } from "@noble/curves/bn254";
import { AbiCoder, getBytes, keccak256, type BytesLike } from "ethers";

import { Fp12, G1Point, G2Point, GROUP_ORDER, type G1, type G2 } from "./curve";
import { hashToG2 } from "./hashToG2";

/** Domain of the deterministic key derivation, so that its keys never collide with another scheme's. */
const KEY_DERIVATION_DOMAIN = "SESSION_LAUNCH_SUITE_BLS_KEY_V1";

/**
 * A secret key derived deterministically from a seed and an index: keccak256(abi.encode(domain, seed, index))
 * reduced into [1, r − 1]. For simulated networks and tests, where a seed must give the same keys every run; real
 * Session Nodes generate their own keys.
 */
export function secretKeyFromSeed(seed: string, index: number | bigint): bigint {
  const digest = keccak256(
    AbiCoder.defaultAbiCoder().encode(["string", "string", "uint256"], [KEY_DERIVATION_DOMAIN, seed, index]),
  );
  return (BigInt(digest) % (GROUP_ORDER - 1n)) + 1n;
}

function checkSecretKey(secretKey: bigint): void {
  if (secretKey <= 0n || secretKey >= GROUP_ORDER) {
    throw new RangeError("a BLS secret key must be in [1, r − 1]");
  }
}

/** The public key in G1: sk·G. */
export function publicKeyOf(secretKey: bigint): G1 {
  checkSecretKey(secretKey);
  return G1Point.BASE.multiply(secretKey);
}

/** Signs an already hashed message: sk·H(m). */
export function signHash(secretKey: bigint, messageHash: G2): G2 {
  checkSecretKey(secretKey);
  return messageHash.multiply(secretKey);
}

/** Signs `message` under the hash-to-G2 tag: sk·H(m). */
export function sign(secretKey: bigint, message: BytesLike, hashToG2Tag: BytesLike): G2 {
  return signHash(secretKey, hashToG2(getBytes(message), hashToG2Tag));
}

/**
 * The contracts' check: e(G1 generator, S) · e(−P, H(m)) = 1. The identity is rejected as a key or a signature,
 * and both must be in their prime-order groups, as the EIP-197 precompile requires.
 */
export function verifyHash(publicKey: G1, messageHash: G2, signature: G2): boolean {
  if (publicKey.is0() || signature.is0()) return false;
  try {
    publicKey.assertValidity();
    signature.assertValidity();
  } catch {
    return false;
  }
  // The pairing product with the final exponentiation, as the EIP-197 precompile computes it.
  const product = bn254.pairingBatch([
    { g1: G1Point.BASE, g2: signature },
    { g1: publicKey.negate(), g2: messageHash },
  ]);
  return Fp12.eql(product, Fp12.ONE);
}

/** Verifies a signature on `message` under the hash-to-G2 tag. */
export function verify(publicKey: G1, message: BytesLike, signature: G2, hashToG2Tag: BytesLike): boolean {
  return verifyHash(publicKey, hashToG2(getBytes(message), hashToG2Tag), signature);
}

/** Point addition of public keys; the empty set gives the identity. */
export function aggregatePublicKeys(keys: Iterable<G1>): G1 {
  let sum = G1Point.ZERO;
  for (const key of keys) sum = sum.add(key);
  return sum;
}

/** Point addition of signatures; the empty set gives the identity. */
export function aggregateSignatures(signatures: Iterable<G2>): G2 {
  let sum = G2Point.ZERO;
  for (const signature of signatures) sum = sum.add(signature);
  return sum;
}

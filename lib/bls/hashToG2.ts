import { concat, getBytes, toBigInt, type BytesLike } from "ethers";

import { BN_PARAMETER, Fp, Fp2, FIELD_MODULUS, G2Point, psi, TWIST_B, type G2 } from "./curve";
import { expandMessageXmd } from "./expand";

/** Bytes that hash-to-field expands a message into: four 32-byte blocks. */
const HASH_TO_FIELD_BYTES = 128;
/** Try-and-increment appends one counter byte, so it gives up after 256 attempts. */
export const MAX_HASH_ATTEMPTS = 256;

export interface FieldHash {
  /** Real part of the candidate x-coordinate. */
  readonly u0: bigint;
  /** Imaginary part of the candidate x-coordinate. */
  readonly u1: bigint;
  /** Whether to negate the square root found for y. */
  readonly b: boolean;
}

/**
 * Hash-to-field of the Session Network: `expand_message_xmd` (keccak256) of `message` with the 32-byte `tag` as
 * domain, 128 bytes b1‖b2‖b3‖b4; u0 = b1‖b2[0..16] mod p, u1 = b2[16..32]‖b3 mod p, b = lowest bit of b4.
 */
export function hashToField(message: BytesLike, tag: BytesLike): FieldHash {
  const bytes = expandMessageXmd(message, tag, HASH_TO_FIELD_BYTES);
  const last = bytes[HASH_TO_FIELD_BYTES - 1] ?? 0;
  return {
    u0: toBigInt(bytes.subarray(0, 48)) % FIELD_MODULUS,
    u1: toBigInt(bytes.subarray(48, 96)) % FIELD_MODULUS,
    b: (last & 1) === 1,
  };
}

const SQRT_EXPONENT = (FIELD_MODULUS + 1n) / 4n;
const HALF = Fp.inv(2n);

/** a^((p+1)/4), accepted only if its square is a (p ≡ 3 mod 4). */
function fpSqrt(value: bigint): bigint | undefined {
  const root = Fp.pow(value, SQRT_EXPONENT);
  return Fp.eql(Fp.sqr(root), value) ? root : undefined;
}

/**
 * The square root in Fp2 that herumi's mcl computes (and so the Session Network): for c + d·u with d ≠ 0,
 * t = √(c² + d²), a² = (c + t)/2 or else (c − t)/2, root = a + d/(2a)·u. For d = 0 the root has a zero component,
 * which try-and-increment rejects, so it is reported as none.
 */
export function fp2Sqrt(value: { c0: bigint; c1: bigint }): { c0: bigint; c1: bigint } | undefined {
  const { c0: c, c1: d } = value;
  if (d === 0n) return undefined;
  const t = fpSqrt(Fp.add(Fp.sqr(c), Fp.sqr(d)));
  if (t === undefined) return undefined;
  const a = fpSqrt(Fp.mul(Fp.add(c, t), HALF)) ?? fpSqrt(Fp.mul(Fp.sub(c, t), HALF));
  if (a === undefined) return undefined;
  return { c0: a, c1: Fp.div(d, Fp.add(a, a)) };
}

export interface MappedPoint {
  /** The point on the twist before cofactor clearing. */
  readonly point: G2;
  /** The counter byte that produced it. */
  readonly attempt: number;
}

/**
 * Try-and-increment: for i = 0, 1, …, hash m‖i to a candidate x = u0 + u1·u and take the first whose
 * y² = x³ + 3/(9+u) has an mcl square root with both components non-zero; negate y when b is set.
 */
export function mapToTwist(message: BytesLike, tag: BytesLike): MappedPoint {
  const bytes = getBytes(message);
  for (let attempt = 0; attempt < MAX_HASH_ATTEMPTS; attempt++) {
    const { u0, u1, b } = hashToField(concat([bytes, Uint8Array.of(attempt)]), tag);
    const x = Fp2.create({ c0: u0, c1: u1 });
    const root = fp2Sqrt(Fp2.add(Fp2.mul(Fp2.sqr(x), x), TWIST_B));
    if (root === undefined || root.c0 === 0n || root.c1 === 0n) continue;
    const y = Fp2.create(b ? Fp2.neg(root) : root);
    return { point: G2Point.fromAffine({ x, y }), attempt };
  }
  throw new Error(`no point on the twist within ${MAX_HASH_ATTEMPTS} attempts`);
}

/**
 * Cofactor clearing of Fuentes-Castañeda, Knapp and Rodríguez-Henríquez: [x]M + ψ([3x]M) + ψ²([x]M) + ψ³(M),
 * which maps any point of the twist into the order-r subgroup G2.
 */
export function clearCofactor(point: G2): G2 {
  const xM = point.multiplyUnsafe(BN_PARAMETER);
  return xM
    .add(psi(point.multiplyUnsafe(3n * BN_PARAMETER)))
    .add(psi(psi(xM)))
    .add(psi(psi(psi(point))));
}

/** The Session Network's hash-to-G2 H(m) under the 32-byte hash-to-field tag. */
export function hashToG2(message: BytesLike, tag: BytesLike): G2 {
  return clearCofactor(mapToTwist(message, tag).point);
}

import { bn254 } from "@noble/curves/bn254";
import type { Fp2 as Fp2Element } from "@noble/curves/abstract/tower";
import type { WeierstrassPoint } from "@noble/curves/abstract/weierstrass";

/** BN254 (alt_bn128) as the EIP-196/197 precompiles and the Session Network use it, from @noble/curves. */
export const Fp = bn254.fields.Fp;
export const Fp2 = bn254.fields.Fp2;
export const Fp12 = bn254.fields.Fp12;

/** The base field modulus p. */
export const FIELD_MODULUS = Fp.ORDER;
/** The order r of G1, G2 and the scalars. */
export const GROUP_ORDER = bn254.fields.Fr.ORDER;
/** The BN parameter x, which the cofactor clearing of hash-to-G2 multiplies by. */
export const BN_PARAMETER = 4_965_661_367_192_848_881n;

/** An element c0 + c1·u of Fp2 = Fp[u]/(u² + 1): c0 real, c1 imaginary. */
export type { Fp2Element };
export type G1 = WeierstrassPoint<bigint>;
export type G2 = WeierstrassPoint<Fp2Element>;

export const G1Point = bn254.G1.Point;
export const G2Point = bn254.G2.Point;

/** ξ = 9 + u, the non-residue that defines the twist y² = x³ + 3/ξ. */
export const XI: Fp2Element = Fp2.create({ c0: 9n, c1: 1n });
/** The twist's constant term b' = 3/ξ. */
export const TWIST_B: Fp2Element = Fp2.div(Fp2.create({ c0: 3n, c1: 0n }), XI);

/** ψ's constants: ξ^((p−1)/3) for x and ξ^((p−1)/2) for y. */
const PSI_X = Fp2.pow(XI, (FIELD_MODULUS - 1n) / 3n);
const PSI_Y = Fp2.pow(XI, (FIELD_MODULUS - 1n) / 2n);

function conjugate(value: Fp2Element): Fp2Element {
  return Fp2.create({ c0: value.c0, c1: Fp.neg(value.c1) });
}

/** The Frobenius endomorphism of the twist, ψ(x, y) = (conj(x)·ξ^((p−1)/3), conj(y)·ξ^((p−1)/2)). */
export function psi(point: G2): G2 {
  if (point.is0()) return point;
  const { x, y } = point.toAffine();
  return G2Point.fromAffine({ x: Fp2.mul(conjugate(x), PSI_X), y: Fp2.mul(conjugate(y), PSI_Y) });
}

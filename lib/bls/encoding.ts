import { Fp2, G1Point, G2Point, type G1, type G2 } from "./curve";

/** `BN256G1.G1Point` of the contracts: an affine G1 point, the identity as (0, 0). */
export interface G1PointStruct {
  readonly X: bigint;
  readonly Y: bigint;
}

/**
 * `BLSSignatureParams` of the contracts' external functions: a G2 point as
 * (x.real, x.imaginary, y.real, y.imaginary).
 */
export interface SignatureParams {
  readonly sigs0: bigint;
  readonly sigs1: bigint;
  readonly sigs2: bigint;
  readonly sigs3: bigint;
}

/** `BN256G2.G2Point` inside the contracts: coordinates as [imaginary, real], the EIP-197 precompile's order. */
export interface G2PointStruct {
  readonly X: readonly [bigint, bigint];
  readonly Y: readonly [bigint, bigint];
}

export function toG1Struct(point: G1): G1PointStruct {
  if (point.is0()) return { X: 0n, Y: 0n };
  const { x, y } = point.toAffine();
  return { X: x, Y: y };
}

/** A G1 point from the contracts' struct; (0, 0) is the identity. Not checked to be on the curve. */
export function fromG1Struct(point: G1PointStruct): G1 {
  if (point.X === 0n && point.Y === 0n) return G1Point.ZERO;
  return G1Point.fromAffine({ x: point.X, y: point.Y });
}

export function toSignatureParams(point: G2): SignatureParams {
  if (point.is0()) return { sigs0: 0n, sigs1: 0n, sigs2: 0n, sigs3: 0n };
  const { x, y } = point.toAffine();
  return { sigs0: x.c0, sigs1: x.c1, sigs2: y.c0, sigs3: y.c1 };
}

/** A G2 point from signature parameters; all zeros is the identity. Not checked to be on the twist. */
export function fromSignatureParams(params: SignatureParams): G2 {
  if (params.sigs0 === 0n && params.sigs1 === 0n && params.sigs2 === 0n && params.sigs3 === 0n) return G2Point.ZERO;
  return G2Point.fromAffine({
    x: Fp2.create({ c0: params.sigs0, c1: params.sigs1 }),
    y: Fp2.create({ c0: params.sigs2, c1: params.sigs3 }),
  });
}

export function toG2Struct(point: G2): G2PointStruct {
  const { sigs0, sigs1, sigs2, sigs3 } = toSignatureParams(point);
  return { X: [sigs1, sigs0], Y: [sigs3, sigs2] };
}

export function fromG2Struct(point: G2PointStruct): G2 {
  return fromSignatureParams({ sigs0: point.X[1], sigs1: point.X[0], sigs2: point.Y[1], sigs3: point.Y[0] });
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

// Curve arithmetic is the one place STYLE.md allows inline assembly (precompile calls); each block states its
// invariant and test/unit/libraries/BLS.hardening.test.ts attacks it (the compression, BN256G1.compression.test.ts).
// solhint-disable no-inline-assembly

/// @title BN254 G1 arithmetic
/// @notice Points of the curve y² = x³ + 3 over Fp (alt_bn128, EIP-196/197) in affine coordinates, with the
/// identity written (0, 0) as the precompiles do. The BLS public keys of the Session Network are such points.
/// @dev G1 of BN254 has cofactor 1: every point on the curve lies in the subgroup of prime order `R`, so
/// {isOnCurve} is also the subgroup check. Addition and scalar multiplication use the precompiles 0x06 and 0x07
/// (150 and 6,000 gas), which themselves reject a coordinate of `P` or more and a point off the curve
/// ({G1PrecompileFailed}); their answer is used only when it is exactly one point ({G1PrecompileReturnedWrongSize}).
/// Every other function that takes a point checks it first with {checkOnCurve}, so a bad point is named
/// ({G1CoordinateNotInField}, {G1PointNotOnCurve}) wherever it enters.
library BN256G1 {
    /// @notice An affine point of G1; (0, 0) is the identity.
    /// @dev Part of the production ABI (`BN256G1.G1Point`): the field names and their order are fixed.
    struct G1Point {
        uint256 X;
        uint256 Y;
    }

    /// @notice A G1 precompile call failed (an input point is not on the curve, or the call ran out of gas).
    /// @param precompile The address of the precompile that failed: 5 (modexp, in {decompress}), 6 (addition) or 7
    /// (scalar multiplication).
    error G1PrecompileFailed(uint256 precompile);

    /// @notice A G1 precompile call succeeded but did not return exactly one point (64 bytes), as EIP-196
    /// specifies: the address holds no such precompile on this chain (a call to an empty account succeeds with no
    /// output) or something else answers there.
    /// @param precompile The address of the precompile: 5 (modexp, in {decompress}), 6 (addition) or 7 (scalar
    /// multiplication).
    /// @param size The number of bytes returned.
    /// @param expected The number of bytes EIP-196 returns (64).
    error G1PrecompileReturnedWrongSize(uint256 precompile, uint256 size, uint256 expected);

    /// @notice A coordinate is not a canonical field element (it is not below the field modulus `P`).
    /// @param X The point's x-coordinate.
    /// @param Y The point's y-coordinate.
    error G1CoordinateNotInField(uint256 X, uint256 Y);

    /// @notice The point does not satisfy y² = x³ + 3.
    /// @param X The point's x-coordinate.
    /// @param Y The point's y-coordinate.
    error G1PointNotOnCurve(uint256 X, uint256 Y);

    /// @notice The base field modulus p of BN254.
    uint256 internal constant P = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47;

    /// @notice The order r of G1 and G2 (the scalar field modulus).
    uint256 internal constant R = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001;

    /// @notice The constant b of the curve equation y² = x³ + b.
    uint256 internal constant CURVE_B = 3;

    /// @notice x-coordinate of the standard generator (1, 2).
    uint256 internal constant GENERATOR_X = 1;

    /// @notice y-coordinate of the standard generator (1, 2).
    uint256 internal constant GENERATOR_Y = 2;

    /// @dev Addresses of the EIP-196 precompiles.
    uint256 private constant PRECOMPILE_ADD = 0x06;
    uint256 private constant PRECOMPILE_MUL = 0x07;

    /// @dev The answer of both: one affine point, two words.
    uint256 private constant POINT_BYTES = 0x40;

    /// @notice In a compressed point (see {compress}), the bit that holds the parity of Y.
    uint256 internal constant COMPRESSED_Y_PARITY = 1 << 255;

    /// @dev The EIP-198 modexp precompile, for the square root in {decompress}.
    uint256 private constant PRECOMPILE_MODEXP = 0x05;

    /// @dev Its input: three 32-byte lengths, then base, exponent and modulus; its answer: one word.
    uint256 private constant MODEXP_INPUT_BYTES = 0xc0;
    uint256 private constant WORD_BYTES = 0x20;

    /// @dev P ≡ 3 (mod 4), so a square a has the square root a^((P + 1) / 4).
    uint256 private constant SQRT_EXPONENT = (P + 1) / 4;

    /// @notice The standard generator (1, 2) of G1.
    /// @return The generator.
    function generator() internal pure returns (G1Point memory) {
        return G1Point(GENERATOR_X, GENERATOR_Y);
    }

    /// @notice The identity (point at infinity), written (0, 0).
    /// @return The identity.
    function identity() internal pure returns (G1Point memory) {
        return G1Point(0, 0);
    }

    /// @notice Adds two points with the precompile 0x06.
    /// @dev Reverts {G1PrecompileFailed}(6) when either point is not on the curve or has a coordinate ≥ `P` (the
    /// precompile checks both: on the hot path of an aggregate key this costs nothing more), and
    /// {G1PrecompileReturnedWrongSize} when the call returns anything but one point.
    /// @param a The first summand.
    /// @param b The second summand.
    /// @return r The sum a + b (the identity as (0, 0)).
    function add(G1Point memory a, G1Point memory b) internal view returns (G1Point memory r) {
        bool ok;
        uint256 size;
        // Invariant: the input is the four words a.X, a.Y, b.X, b.Y laid out at the free memory pointer, which is
        // scratch space here (the pointer is not advanced); the output goes to `r`, which Solidity allocated
        // zeroed, and is the sum only when `size` (the returned bytes) is 64, checked below.
        assembly ("memory-safe") {
            let input := mload(0x40)
            mstore(input, mload(a))
            mstore(add(input, 0x20), mload(add(a, 0x20)))
            mstore(add(input, 0x40), mload(b))
            mstore(add(input, 0x60), mload(add(b, 0x20)))
            ok := staticcall(gas(), PRECOMPILE_ADD, input, 0x80, r, POINT_BYTES)
            size := returndatasize()
        }
        if (!ok) revert G1PrecompileFailed(PRECOMPILE_ADD);
        // Why: a call that succeeds with less output leaves `r` partly as allocated, (0, 0) or (X, 0): the identity
        // or a point off the curve, returned as if it were the sum.
        if (size != POINT_BYTES) revert G1PrecompileReturnedWrongSize(PRECOMPILE_ADD, size, POINT_BYTES);
    }

    /// @notice Multiplies a point by a scalar with the precompile 0x07.
    /// @dev Reverts {G1PrecompileFailed}(7) when the point is not on the curve or has a coordinate ≥ `P` (checked
    /// by the precompile), and {G1PrecompileReturnedWrongSize} when the call returns anything but one point.
    /// @param a The point.
    /// @param scalar The scalar (any 256-bit value; the group has order `R`).
    /// @return r The product [scalar]a.
    function scalarMul(G1Point memory a, uint256 scalar) internal view returns (G1Point memory r) {
        bool ok;
        uint256 size;
        // Invariant: the input is a.X, a.Y, scalar at the free memory pointer (scratch, not advanced); the output
        // goes to `r`, which Solidity allocated zeroed, and is the product only when `size` is 64, checked below.
        assembly ("memory-safe") {
            let input := mload(0x40)
            mstore(input, mload(a))
            mstore(add(input, 0x20), mload(add(a, 0x20)))
            mstore(add(input, 0x40), scalar)
            ok := staticcall(gas(), PRECOMPILE_MUL, input, 0x60, r, POINT_BYTES)
            size := returndatasize()
        }
        if (!ok) revert G1PrecompileFailed(PRECOMPILE_MUL);
        // Why: as in {add}, a short answer would leave (0, 0) or (X, 0) in `r`.
        if (size != POINT_BYTES) revert G1PrecompileReturnedWrongSize(PRECOMPILE_MUL, size, POINT_BYTES);
    }

    /// @notice One word for a point of G1: X with the parity of Y in the top bit; the identity is 0.
    /// @dev X < P < 2^254 leaves the top bit free, and Y is the one of ±Y with that parity (P is odd, so Y and
    /// P − Y have different parities). No point has X = 0 (3 is not a square mod P), so 0 is free for the identity.
    /// The point must be in G1 (checked by the caller, e.g. with {checkOnCurve}): {decompress} inverts this only
    /// for such points.
    /// @param a A point of G1.
    /// @return The compressed point.
    function compress(G1Point memory a) internal pure returns (uint256) {
        return a.X | ((a.Y & 1) * COMPRESSED_Y_PARITY);
    }

    /// @notice The point of G1 that {compress} turned into `compressed`.
    /// @dev Y = (X³ + 3)^((P + 1) / 4) with the modexp precompile (about 1,450 gas), negated to the stored parity.
    /// Reverts {G1PointNotOnCurve} when X³ + 3 has no square root (`compressed` was not made by {compress}),
    /// {G1CoordinateNotInField} when X ≥ P, {G1PrecompileFailed}(5) or {G1PrecompileReturnedWrongSize}(5, …) when
    /// the modexp call fails or does not answer one word.
    /// @param compressed A compressed point, 0 for the identity.
    /// @return r The point.
    function decompress(uint256 compressed) internal view returns (G1Point memory r) {
        if (compressed == 0) return r;
        uint256 x = compressed & ~COMPRESSED_Y_PARITY;
        // solhint-disable-next-line gas-strict-inequalities
        if (x >= P) revert G1CoordinateNotInField(x, 0);
        uint256 square = addmod(mulmod(mulmod(x, x, P), x, P), CURVE_B, P);
        uint256 exponent = SQRT_EXPONENT;
        bool ok;
        uint256 size;
        uint256 y;
        // Invariant: the six words of the modexp input are written at the free memory pointer as scratch (not
        // allocated); the answer overwrites word 0 (the base's length, 32) and is the root only when `size` is 32,
        // checked below.
        assembly ("memory-safe") {
            let input := mload(0x40)
            mstore(input, WORD_BYTES)
            mstore(add(input, 0x20), WORD_BYTES)
            mstore(add(input, 0x40), WORD_BYTES)
            mstore(add(input, 0x60), square)
            mstore(add(input, 0x80), exponent)
            mstore(add(input, 0xa0), P)
            ok := staticcall(gas(), PRECOMPILE_MODEXP, input, MODEXP_INPUT_BYTES, input, WORD_BYTES)
            size := returndatasize()
            y := mload(input)
        }
        if (!ok) revert G1PrecompileFailed(PRECOMPILE_MODEXP);
        if (size != WORD_BYTES) revert G1PrecompileReturnedWrongSize(PRECOMPILE_MODEXP, size, WORD_BYTES);
        // Why: a non-square has no root; the power is then some other number, which is no Y of this X.
        if (mulmod(y, y, P) != square) revert G1PointNotOnCurve(x, y);
        // No point has Y = 0 (G1 has odd order), so y is in (0, P) and P − y too.
        if ((y & 1) != compressed >> 255) y = P - y;
        r.X = x;
        r.Y = y;
    }

    /// @notice acc := acc − decompress(compressed), in place: the cheap way to take keys out of an aggregate (about
    /// 1,800 gas: one modexp and one precompile addition, no memory allocated).
    /// @dev −(X, Y) = (X, P − Y) is the point of the other parity, so the square root is taken for it directly.
    /// Reverts as {decompress} does for a word it did not make, and {G1PrecompileFailed}(6) or
    /// {G1PrecompileReturnedWrongSize}(6, …) as {add}. A zero word (the identity) leaves `acc` unchanged.
    /// @param acc The point to subtract from, overwritten with the difference.
    /// @param compressed The compressed point to subtract.
    // One assembly block, so that a non-signer costs two precompile calls and few jumps (it is the hot loop of every
    // network signature); it does not split into shorter functions without those jumps.
    // solhint-disable-next-line function-max-lines
    function subtractCompressed(G1Point memory acc, uint256 compressed) internal view {
        if (compressed == 0) return;
        uint256 exponent = SQRT_EXPONENT;
        uint256 x;
        uint256 y;
        uint256 status;
        // Invariant: scratch at the free memory pointer (not allocated) holds first the six modexp words, then the
        // four words of the addition (acc, then (x, y)); the sum is written over `acc`. `status` says what failed,
        // in order (0: nothing), and `acc` is the difference only when it is 0:
        // 1 X ≥ P; 2 the modexp call failed; 3 it did not answer one word; 4 X³ + 3 has no root (then `y` is the
        // power, no Y of X); 5 the addition failed; 6 it did not answer one point (`y` is then the answer's size).
        assembly ("memory-safe") {
            let p := P
            x := and(compressed, not(COMPRESSED_Y_PARITY))
            let input := mload(0x40)
            switch lt(x, p)
            case 0 {
                status := 1
            }
            default {
                let square := addmod(mulmod(mulmod(x, x, p), x, p), CURVE_B, p)
                mstore(input, WORD_BYTES)
                mstore(add(input, 0x20), WORD_BYTES)
                mstore(add(input, 0x40), WORD_BYTES)
                mstore(add(input, 0x60), square)
                mstore(add(input, 0x80), exponent)
                mstore(add(input, 0xa0), p)
                switch staticcall(gas(), PRECOMPILE_MODEXP, input, MODEXP_INPUT_BYTES, input, WORD_BYTES)
                case 0 {
                    status := 2
                }
                default {
                    switch eq(returndatasize(), WORD_BYTES)
                    case 0 {
                        status := 3
                        y := returndatasize()
                    }
                    default {
                        y := mload(input)
                        switch eq(mulmod(y, y, p), square)
                        case 0 {
                            status := 4
                        }
                        default {
                            // The negation has the parity the stored point does not have; y is in (0, P).
                            if eq(and(y, 1), shr(255, compressed)) {
                                y := sub(p, y)
                            }
                            mstore(input, mload(acc))
                            mstore(add(input, 0x20), mload(add(acc, 0x20)))
                            mstore(add(input, 0x40), x)
                            mstore(add(input, 0x60), y)
                            switch staticcall(gas(), PRECOMPILE_ADD, input, 0x80, acc, POINT_BYTES)
                            case 0 {
                                status := 5
                            }
                            default {
                                if iszero(eq(returndatasize(), POINT_BYTES)) {
                                    status := 6
                                    y := returndatasize()
                                }
                            }
                        }
                    }
                }
            }
        }
        if (status != 0) _revertSubtraction(status, x, y);
    }

    /// @notice acc := acc − Σ decompress(compressed[i]), in place: {subtractCompressed} for a list, at about 1,700 gas
    /// a key (one modexp and one precompile addition each, the fixed words of their inputs written once).
    /// @dev Zero words (the identity) are skipped. The modexp's answer is written straight into the addition's
    /// input. Unlike {subtractCompressed}, X and the root are not checked here: the addition precompile checks the
    /// point (X, ±root) against the curve and the field, so a word {compress} did not make (X ≥ P, or no root)
    /// fails it, {G1PrecompileFailed}(6). Reverts {G1PrecompileFailed}(5) or {G1PrecompileReturnedWrongSize}(5, …)
    /// when the modexp call fails or does not answer one word, {G1PrecompileReturnedWrongSize}(6, …) for the
    /// addition's; it stops at the first key that fails.
    /// @param acc The point to subtract from, overwritten with the difference.
    /// @param compressed The compressed points to subtract.
    // One assembly block, so that the loop over the keys pays no call, no allocation and no rewrite of the constant
    // input words (it is the hot loop of every network signature with non-signers); it does not split.
    // solhint-disable-next-line function-max-lines
    function subtractCompressedKeys(G1Point memory acc, uint256[] memory compressed) internal view {
        uint256 exponent = SQRT_EXPONENT;
        uint256 y;
        uint256 status;
        // Invariant: scratch at the free memory pointer (not allocated; no Solidity code runs in the block) holds the
        // six modexp words at `m`, of which only the base changes per key, then the four words of the addition at
        // `s`: the running difference, then (x, y) of the negated key, whose y the modexp writes. The difference is
        // copied to `acc` at the end (it is `acc` itself when a call failed, which then reverts). `status` says what
        // failed, numbered as in {subtractCompressed} (0: nothing); `y` is then the answer's size.
        assembly ("memory-safe") {
            let p := P
            let m := mload(0x40)
            let s := add(m, MODEXP_INPUT_BYTES)
            mstore(m, WORD_BYTES)
            mstore(add(m, 0x20), WORD_BYTES)
            mstore(add(m, 0x40), WORD_BYTES)
            mstore(add(m, 0x80), exponent)
            mstore(add(m, 0xa0), p)
            mstore(s, mload(acc))
            mstore(add(s, 0x20), mload(add(acc, 0x20)))
            let key := add(compressed, 0x20)
            for {
                let end := add(key, shl(5, mload(compressed)))
            } lt(key, end) {
                key := add(key, 0x20)
            } {
                let word := mload(key)
                if word {
                    let x := and(word, not(COMPRESSED_Y_PARITY))
                    mstore(add(m, 0x60), addmod(mulmod(mulmod(x, x, p), x, p), CURVE_B, p))
                    if iszero(staticcall(gas(), PRECOMPILE_MODEXP, m, MODEXP_INPUT_BYTES, add(s, 0x60), WORD_BYTES)) {
                        status := 2
                        break
                    }
                    if iszero(eq(returndatasize(), WORD_BYTES)) {
                        status := 3
                        y := returndatasize()
                        break
                    }
                    y := mload(add(s, 0x60))
                    // The negation has the parity the stored point does not have; y is in (0, P).
                    if eq(and(y, 1), shr(255, word)) {
                        mstore(add(s, 0x60), sub(p, y))
                    }
                    mstore(add(s, 0x40), x)
                    if iszero(staticcall(gas(), PRECOMPILE_ADD, s, 0x80, s, POINT_BYTES)) {
                        status := 5
                        break
                    }
                    if iszero(eq(returndatasize(), POINT_BYTES)) {
                        status := 6
                        y := returndatasize()
                        break
                    }
                }
            }
            mstore(acc, mload(s))
            mstore(add(acc, 0x20), mload(add(s, 0x20)))
        }
        // Statuses 1 and 4 do not arise here (see above): X is not looked at.
        if (status != 0) _revertSubtraction(status, 0, y);
    }

    /// @notice The additive inverse −a = (X, P − Y); the identity stays the identity.
    /// @dev Reverts {G1CoordinateNotInField} or {G1PointNotOnCurve} unless `a` is a point of G1 (see
    /// {checkOnCurve}): a Y above `P` would underflow P − Y, Y = P would turn (0, P) into the identity, and a point
    /// off the curve has no meaningful negation.
    /// @param a The point.
    /// @return The point −a.
    function negate(G1Point memory a) internal pure returns (G1Point memory) {
        // Why: the result is passed on (to the precompile, to storage) as a point; name a bad input here rather than
        // panic or hand on a point that is not the negation.
        checkOnCurve(a);
        // On the curve and Y = 0 is the identity only (G1 has odd order: no point of order 2), which is its own
        // negation; otherwise 0 < Y < P and P − Y is canonical.
        if (a.Y == 0) return G1Point(a.X, 0);
        return G1Point(a.X, P - a.Y);
    }

    /// @notice Whether `a` is the identity (0, 0).
    /// @param a The point.
    /// @return True for (0, 0).
    function isIdentity(G1Point memory a) internal pure returns (bool) {
        return a.X == 0 && a.Y == 0;
    }

    /// @notice Whether `a` is a point of G1: both coordinates below `P` and y² = x³ + 3, or the identity (0, 0).
    /// @dev The identity is accepted here because it is the precompiles' encoding of the point at infinity;
    /// callers that must not accept it (public keys) test {isIdentity} as well. With cofactor 1, on the curve
    /// means in the prime-order subgroup.
    /// @param a The point.
    /// @return True when `a` is in G1.
    function isOnCurve(G1Point memory a) internal pure returns (bool) {
        uint256 x = a.X;
        uint256 y = a.Y;
        // Why: mulmod reduces any word, so (X + P, Y) would satisfy the equation; only canonical coordinates are
        // one encoding of one point.
        if (!(x < P && y < P)) return false;
        return _onCurveOrIdentity(x, y);
    }

    /// @notice Reverts unless `a` is a point of G1 (the identity included; see {isOnCurve}).
    /// @dev Reverts {G1CoordinateNotInField} for a coordinate ≥ `P`, {G1PointNotOnCurve} off the curve.
    /// @param a The point.
    function checkOnCurve(G1Point memory a) internal pure {
        uint256 x = a.X;
        uint256 y = a.Y;
        // Why: as in {isOnCurve}; checked first so that the error names the encoding, not the curve.
        if (!(x < P && y < P)) revert G1CoordinateNotInField(x, y);
        if (!_onCurveOrIdentity(x, y)) revert G1PointNotOnCurve(x, y);
    }

    /// @dev y² = x³ + 3, or (x, y) = (0, 0), for canonical x, y (below `P`).
    function _onCurveOrIdentity(uint256 x, uint256 y) private pure returns (bool) {
        if (x == 0 && y == 0) return true;
        return mulmod(y, y, P) == addmod(mulmod(mulmod(x, x, P), x, P), CURVE_B, P);
    }

    /// @dev The error of a failed subtraction ({subtractCompressed}, {subtractCompressedKeys}) by its status: 1 X ≥ P,
    /// 2 the modexp call failed, 3 it did not answer one word (`y` is the answer's size), 4 X³ + 3 has no root (`y`
    /// is the power), 5 the addition failed, 6 it did not answer one point (`y` is the answer's size).
    function _revertSubtraction(uint256 status, uint256 x, uint256 y) private pure {
        if (status == 1) revert G1CoordinateNotInField(x, 0);
        if (status == 2) revert G1PrecompileFailed(PRECOMPILE_MODEXP);
        if (status == 3) revert G1PrecompileReturnedWrongSize(PRECOMPILE_MODEXP, y, WORD_BYTES);
        if (status == 4) revert G1PointNotOnCurve(x, y);
        if (status == 5) revert G1PrecompileFailed(PRECOMPILE_ADD);
        revert G1PrecompileReturnedWrongSize(PRECOMPILE_ADD, y, POINT_BYTES);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

// Curve arithmetic is the one place STYLE.md allows inline assembly (mulmod pipelines, precompile calls); each
// block states its invariant and test/unit/libraries/BLS.vectors.test.ts and BLS.hardening.test.ts attack it.
// solhint-disable no-inline-assembly

/// @title BN254 G2 arithmetic and the Session Network hash-to-G2
/// @notice Points of the sextic twist y² = x³ + 3/(9 + u) over Fp2 = Fp[u]/(u² + 1), and the hash of a message to
/// G2 that the production Session Network contracts use (try-and-increment with herumi mcl's Fp2 square root,
/// then the cofactor clearing of Fuentes-Castañeda, Knapp and Rodríguez-Henríquez). It returns the same points
/// as the production library (known answers in `bls-hash-to-g2-vectors.json`) for about a tenth of its gas.
/// @dev A G2 point is stored as EIP-197 takes it: `X = [imaginary, real]`, `Y = [imaginary, real]`; (0, 0, 0, 0)
/// is the identity. Internally an Fp2 element a0 + a1·u is handled as its two words (a0, a1) = (real, imaginary).
///
/// The arithmetic runs in inline assembly on unsigned words with `mulmod`/`addmod`. Because P < 2^254, a sum of
/// up to five values below P fits in 256 bits, and `mulmod` reduces any two 256-bit inputs exactly; so sums that
/// only feed `mulmod` or `addmod` are left unreduced ("lazy reduction"), and every assembly block states the
/// bound it relies on. Square roots and inversions use the modexp precompile 0x05 (EIP-198, EIP-2565 pricing:
/// about 1,350 gas per 254-bit exponent); each answer is used only when it is exactly one word
/// ({ModExpReturnedWrongSize} otherwise).
library BN256G2 {
    /// @notice An affine point of the twist, coordinates as [imaginary, real] (EIP-197 order).
    struct G2Point {
        uint256[2] X;
        uint256[2] Y;
    }

    /// @notice Hash-to-G2 found no point, or its result was the identity: it fails closed instead of returning
    /// a point that is not the production hash.
    /// @dev The first cause needs 256 consecutive counters whose x has no point on the twist (probability 2^-256);
    /// the second a message whose first candidate point has a tiny order (finding one needs a keccak256 preimage).
    /// @param attempts The number of counters tried: 256 when none gave a point, else the counter of the point that
    /// cleared to the identity plus one (0 when {clearCofactor} was called directly).
    error HashToG2Failed(uint256 attempts);

    /// @notice A call to the modexp precompile 0x05 failed (it ran out of gas).
    error ModExpFailed();

    /// @notice A call to the modexp precompile 0x05 succeeded but did not return exactly one word (the modulus'
    /// length), as EIP-198 specifies: the address holds no such precompile on this chain (a call to an empty account
    /// succeeds with no output) or something else answers there.
    /// @param size The number of bytes returned.
    /// @param expected The number of bytes EIP-198 returns for a 32-byte modulus (32).
    error ModExpReturnedWrongSize(uint256 size, uint256 expected);

    /// @notice A coordinate is not a canonical field element (one of its words is not below `P`).
    /// @param X The x-coordinate, [imaginary, real].
    /// @param Y The y-coordinate, [imaginary, real].
    error G2CoordinateNotInField(uint256[2] X, uint256[2] Y);

    /// @notice The point does not satisfy y² = x³ + 3/(9 + u).
    /// @param X The x-coordinate, [imaginary, real].
    /// @param Y The y-coordinate, [imaginary, real].
    error G2PointNotOnTwist(uint256[2] X, uint256[2] Y);

    /// @notice The base field modulus p of BN254 (equal to `BN256G1.P`).
    uint256 internal constant P = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47;

    /// @notice Real part of the twist constant b' = 3/(9 + u).
    uint256 internal constant TWIST_B_REAL = 0x2b149d40ceb8aaae81be18991be06ac3b5b4c5e559dbefa33267e6dc24a138e5;

    /// @notice Imaginary part of the twist constant b' = 3/(9 + u).
    uint256 internal constant TWIST_B_IMAGINARY = 0x009713b03af0fed4cd2cafadeed8fdf4a74fa084e52d1852e4a2bd0685c315d2;

    /// @notice The BN parameter x = 4965661367192848881 (0x44e992b44a6909f1) of the cofactor clearing.
    uint256 internal constant BN_X = 4_965_661_367_192_848_881;

    /// @notice Counters tried by the try-and-increment (one byte: 0 to 255).
    uint256 internal constant MAX_ATTEMPTS = 256;

    /// @dev Multiples of P for lazy subtraction: a − b with b < k·P is computed as a + (k·P − b), never negative.
    /// (5P < 2^256 < 6P.)
    uint256 private constant P2 = 0x60c89ce5c263405370a08b6d0302b0bb2f02d522d0e3951a7841182db0f9fa8e;
    uint256 private constant P3 = 0x912ceb58a394e07d28f0d12384840918c6843fb439555fa7b461a4448976f7d5;

    /// @dev 1/2 and 3/2 modulo P.
    uint256 private constant INV_2 = 0x183227397098d014dc2822db40c0ac2ecbc0b548b438e5469e10460b6c3e7ea4;
    uint256 private constant THREE_HALVES = 0x183227397098d014dc2822db40c0ac2ecbc0b548b438e5469e10460b6c3e7ea5;

    /// @dev 2^256 mod P, to reduce the top 128 bits of a 384-bit integer (hash to field).
    uint256 private constant TWO_256_MOD_P = 0x0e0a77c19a07df2f666ea36f7879462c0a78eb28f5c70b3dd35d438dc58f0d9d;

    /// @dev Exponents of the modexp calls: a^((p+1)/4) is the square root of a square a (p ≡ 3 mod 4);
    /// w = a^((p−3)/4) gives both the root a·w and its inverse w; a^(p−2) = 1/a.
    uint256 private constant SQRT_EXP = 0x0c19139cb84c680a6e14116da060561765e05aa45a1c72a34f082305b61f3f52;
    uint256 private constant SQRT_INV_EXP = 0x0c19139cb84c680a6e14116da060561765e05aa45a1c72a34f082305b61f3f51;
    uint256 private constant INV_EXP = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd45;

    /// @dev ψ(x, y) = (conj(x)·C1, conj(y)·C2) with C1 = ξ^((p−1)/3), C2 = ξ^((p−1)/2), ξ = 9 + u.
    uint256 private constant PSI_X_REAL = 0x2fb347984f7911f74c0bec3cf559b143b78cc310c2c3330c99e39557176f553d;
    uint256 private constant PSI_X_IMAGINARY = 0x16c9e55061ebae204ba4cc8bd75a079432ae2a1d0b7c9dce1665d51c640fcba2;
    uint256 private constant PSI_Y_REAL = 0x063cf305489af5dcdc5ec698b6e2f9b9dbaae0eda9c95998dc54014671a0135a;
    uint256 private constant PSI_Y_IMAGINARY = 0x07c03cbcac41049a0704b5a7ec796f2b21807dc98fa25bd282d37f632623b0e3;

    /// @dev ψ²(x, y) = (x·N, −y) with N = C1·conj(C1) ∈ Fp (and C2·conj(C2) = −1).
    uint256 private constant PSI2_X = 0x30644e72e131a0295e6dd9e7e0acccb0c28f069fbb966e3de4bd44e5607cfd48;

    /// @dev ψ³(x, y) = (conj(x)·C1·N, −conj(y)·C2).
    uint256 private constant PSI3_X_REAL = 0x0856e078b755ef0abaff1c77959f25ac805ffd3d5d6942d37b746ee87bdcfb6d;
    uint256 private constant PSI3_X_IMAGINARY = 0x04f1de41b3d1766fa9f30e6dec26094f0fdf31bf98ff2631380cab2baaa586de;
    uint256 private constant PSI3_Y_REAL = 0x2a275b6d9896aa4cdbf17f1dca9e5ea3bbd689a3bea870f45fcc8ad066dce9ed;
    uint256 private constant PSI3_Y_IMAGINARY = 0x28a411b634f09b8fb14b900e9507e9327600ecc7d8cf6ebab94d0cb3b2594c64;

    /// @dev The width-3 non-adjacent form of BN_X = Σ d_i·2^i, d_i ∈ {0, ±1, ±3} (63 digits, 18 of them non-zero, no
    /// two non-zero digits within 3 places; the top one, bit 62, is 1), as the steps of the scalar multiplication
    /// after the top digit: byte k (from the lowest) is the k-th step, (n << 2) | a, meaning "double n times, then
    /// add addend a", a = 0 for +T, 1 for −T, 2 for +3T, 3 for −3T. 17 steps, every byte non-zero (n ≥ 3), so the
    /// table is empty exactly when it is used up. test/unit/libraries/BN256G2.wnaf.test.ts rebuilds it from BN_X.
    uint256 internal constant WNAF_STEPS = 0x10150f100c130f1210130e0c0c12170f0c;

    /// @dev Address of the EIP-198 modexp precompile, and the size of its input (three 32-byte lengths, then base,
    /// exponent and modulus of 32 bytes each) and of its answer (as long as the modulus).
    uint256 private constant PRECOMPILE_MODEXP = 0x05;
    uint256 private constant MODEXP_INPUT_BYTES = 0xc0;
    uint256 private constant MODEXP_OUTPUT_BYTES = 0x20;

    /// @dev What the assembly's modexp helper reports instead of the answer's size when the call failed: no answer
    /// has that many bytes. (type(uint256).max, written out because assembly takes only literal constants.)
    uint256 private constant MODEXP_CALL_FAILED = 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff;

    /// @dev expand_message_xmd with keccak256: block size 136 bytes (keccak's rate), 128 bytes of output.
    uint256 private constant KECCAK_BLOCK_BYTES = 136;

    /// @notice The identity (point at infinity), written (0, 0, 0, 0).
    /// @return The identity.
    function identity() internal pure returns (G2Point memory) {
        return G2Point([uint256(0), 0], [uint256(0), 0]);
    }

    /// @notice Whether `point` is the identity (0, 0, 0, 0).
    /// @param point The point.
    /// @return True for the identity.
    function isIdentity(G2Point memory point) internal pure returns (bool) {
        return point.X[0] == 0 && point.X[1] == 0 && point.Y[0] == 0 && point.Y[1] == 0;
    }

    /// @notice Whether `point` lies on the twist: its four words below `P` and y² = x³ + 3/(9 + u) over Fp2, or
    /// it is the identity (0, 0, 0, 0).
    /// @dev On the twist is not in G2: the twist has order h·r with a cofactor h of 254 bits. The pairing
    /// precompile checks the subgroup itself and fails for a point outside it.
    /// @param point The point, coordinates as [imaginary, real].
    /// @return onTwist True when the point is on the twist.
    function isOnTwist(G2Point memory point) internal pure returns (bool onTwist) {
        uint256 x1 = point.X[0];
        uint256 x0 = point.X[1];
        uint256 y1 = point.Y[0];
        uint256 y0 = point.Y[1];
        // Why: mulmod reduces any word, so a word shifted by P would satisfy the equation; only canonical words are
        // one encoding of one point, and the lazy-reduction bounds below assume them.
        if (!(x0 < P && x1 < P && y0 < P && y1 < P)) return false;
        // Why: (0, 0, 0, 0) is the precompile's encoding of the identity, which is no solution of the equation.
        if (x0 | x1 | y0 | y1 == 0) return true;
        // Invariant: all four words are below P (checked above), so each sum below is under 2P and `sub(P, v)`
        // is in (0, P]; y² and x³ + b' are fully reduced before they are compared.
        assembly ("memory-safe") {
            let p := P
            // x² = (x0 + x1)(x0 − x1) + 2·x0·x1·u
            let s0 := mulmod(add(x0, x1), add(x0, sub(p, x1)), p)
            let s1 := mulmod(shl(1, x0), x1, p)
            // x³ + b' = x²·x + b'
            let r0 := addmod(add(mulmod(s0, x0, p), mulmod(s1, sub(p, x1), p)), TWIST_B_REAL, p)
            let r1 := addmod(add(mulmod(s0, x1, p), mulmod(s1, x0, p)), TWIST_B_IMAGINARY, p)
            // y²
            let t0 := mulmod(add(y0, y1), add(y0, sub(p, y1)), p)
            let t1 := mulmod(shl(1, y0), y1, p)
            onTwist := and(eq(r0, t0), eq(r1, t1))
        }
    }

    /// @notice Reverts unless `point` lies on the twist (the identity included; see {isOnTwist}).
    /// @dev Reverts {G2CoordinateNotInField} for a word ≥ `P`, {G2PointNotOnTwist} off the twist.
    /// @param point The point.
    function checkOnTwist(G2Point memory point) internal pure {
        // Why: as in {isOnTwist}; checked first so that the error names the encoding, not the twist.
        if (!(point.X[0] < P && point.X[1] < P && point.Y[0] < P && point.Y[1] < P)) {
            revert G2CoordinateNotInField(point.X, point.Y);
        }
        if (!isOnTwist(point)) revert G2PointNotOnTwist(point.X, point.Y);
    }

    /// @notice Hash to field of the Session Network: RFC 9380 `expand_message_xmd` with keccak256 (block size
    /// 136 bytes), DST = the 32 bytes of `tag`, 128 bytes of output b1 ‖ b2 ‖ b3 ‖ b4.
    /// @param message The byte string to hash (for hash-to-G2 this is the message followed by the counter byte).
    /// @param tag The domain separation tag (DST).
    /// @return u0 int(b1 ‖ b2[0..16]) mod p, the real part of the candidate x.
    /// @return u1 int(b2[16..32] ‖ b3) mod p, the imaginary part of the candidate x.
    /// @return b The lowest bit of b4's last byte: whether to negate the square root.
    function hashToField(bytes memory message, bytes32 tag) internal pure returns (uint256 u0, uint256 u1, bool b) {
        (uint256 buffer, uint256 length, ) = _expandInput(message, tag, 0);
        return _fieldElements(buffer, length, tag);
    }

    /// @notice Hashes `message` to a point of G2 exactly as the production Session Network library does.
    /// @dev Try-and-increment on s = message ‖ byte(i) for i = 0, 1, …: x = u0 + u1·u from {hashToField}(s, tag),
    /// y = mcl's Fp2 square root of x³ + b' (negated when b is set); then H = [x]M + ψ([3x]M) + ψ²([x]M) + ψ³(M)
    /// clears the cofactor (see {clearCofactor}). Reverts {HashToG2Failed} rather than return anything else.
    /// @param message The message.
    /// @param tag The 32-byte domain separation tag of the hash to field.
    /// @return hash The affine point H(message) of G2.
    function hashToG2(bytes memory message, bytes32 tag) internal view returns (G2Point memory hash) {
        (uint256 x0, uint256 x1, uint256 y0, uint256 y1, uint256 counter) = _mapToTwist(message, tag);
        bool nonIdentity;
        (hash, nonIdentity) = _clearCofactor(x0, x1, y0, y1);
        // Why: the identity is no hash (it verifies with the identity key only, which BLS.verify refuses anyway);
        // fail closed rather than return it.
        if (!nonIdentity) revert HashToG2Failed(counter + 1);
    }

    /// @notice The first step of {hashToG2}: the try-and-increment point M on the twist, before the cofactor
    /// is cleared, and the counter that found it.
    /// @param message The message.
    /// @param tag The 32-byte domain separation tag of the hash to field.
    /// @return point The point M on the twist (in general not in G2).
    /// @return counter The counter i of the string message ‖ byte(i) that gave M.
    function mapToTwist(
        bytes memory message,
        bytes32 tag
    ) internal view returns (G2Point memory point, uint256 counter) {
        (uint256 x0, uint256 x1, uint256 y0, uint256 y1, uint256 i) = _mapToTwist(message, tag);
        return (G2Point([x1, x0], [y1, y0]), i);
    }

    /// @notice The second step of {hashToG2}: H = [x]M + ψ([3x]M) + ψ²([x]M) + ψ³(M), which maps any point of
    /// the twist into G2.
    /// @dev Reverts {G2CoordinateNotInField} or {G2PointNotOnTwist} unless `point` is on the twist, and
    /// {HashToG2Failed}(0) when the result, or an intermediate value, is the identity (so for the identity too).
    /// {hashToG2} skips the check: its points are on the twist by construction.
    /// @param point The point M, coordinates as [imaginary, real].
    /// @return cleared The affine point H of G2.
    function clearCofactor(G2Point memory point) internal view returns (G2Point memory cleared) {
        // Why: the formulas hold for points of the twist only, and their lazy-reduction bounds need words below P.
        checkOnTwist(point);
        bool nonIdentity;
        (cleared, nonIdentity) = _clearCofactor(point.X[1], point.X[0], point.Y[1], point.Y[0]);
        if (!nonIdentity) revert HashToG2Failed(0);
    }

    /// @dev Try-and-increment. Returns M = (x0 + x1·u, y0 + y1·u) and the counter that found it; reverts
    /// {HashToG2Failed}(256) when no counter does.
    function _mapToTwist(
        bytes memory message,
        bytes32 tag
    ) private view returns (uint256 x0, uint256 x1, uint256 y0, uint256 y1, uint256 counter) {
        (uint256 buffer, uint256 length, uint256 counterAt) = _expandInput(message, tag, 1);
        for (; counter < MAX_ATTEMPTS; ++counter) {
            // Invariant: `counterAt` is the byte of the allocated buffer reserved for the counter; `counter` < 256.
            assembly ("memory-safe") {
                mstore8(counterAt, counter)
            }
            (uint256 u0, uint256 u1, bool negate) = _fieldElements(buffer, length, tag);
            (bool found, uint256 r0, uint256 r1) = _sqrtOfRhs(u0, u1);
            if (found) {
                // Both parts of a root returned by _sqrtOfRhs are non-zero, so P − r is in (0, P).
                if (negate) (r0, r1) = (P - r0, P - r1);
                return (u0, u1, r0, r1, counter);
            }
        }
        revert HashToG2Failed(MAX_ATTEMPTS);
    }

    /// @dev Lays out the input of b0 = keccak256(Z_pad ‖ s ‖ I2OSP(128, 2) ‖ 0x00 ‖ DST ‖ 0x20) in newly allocated
    /// memory, where s is `message` followed by `counterBytes` bytes reserved for a counter (0 or 1). Returns the
    /// buffer, its length and the address of the reserved counter byte.
    function _expandInput(
        bytes memory message,
        bytes32 tag,
        uint256 counterBytes
    ) private pure returns (uint256 buffer, uint256 length, uint256 counterAt) {
        // Invariant: the buffer is allocated at the free memory pointer, which is advanced past it (rounded up to
        // a word); every write below lies inside it. Memory there may hold old data, so the zero pad is written.
        assembly ("memory-safe") {
            buffer := mload(0x40)
            // Z_pad: 136 zero bytes (five words cover bytes 0..160; the message overwrites from byte 136).
            mstore(buffer, 0)
            mstore(add(buffer, 0x20), 0)
            mstore(add(buffer, 0x40), 0)
            mstore(add(buffer, 0x60), 0)
            mstore(add(buffer, 0x80), 0)
            let messageLength := mload(message)
            mcopy(add(buffer, KECCAK_BLOCK_BYTES), add(message, 0x20), messageLength)
            counterAt := add(add(buffer, KECCAK_BLOCK_BYTES), messageLength)
            let tail := add(counterAt, counterBytes)
            // I2OSP(128, 2) ‖ I2OSP(0, 1) = 0x00 0x80 0x00, then DST = tag, then I2OSP(32, 1).
            mstore(tail, shl(232, 0x008000))
            mstore(add(tail, 3), tag)
            mstore8(add(tail, 35), 0x20)
            length := sub(add(tail, 36), buffer)
            mstore(0x40, add(buffer, and(add(length, 31), not(31))))
        }
    }

    /// @dev The rest of expand_message_xmd and the reduction to two field elements and a bit, for the b0 input
    /// laid out by {_expandInput}.
    function _fieldElements(
        uint256 buffer,
        uint256 length,
        bytes32 tag
    ) private pure returns (uint256 u0, uint256 u1, bool b) {
        // Invariant: [buffer, buffer + length) is the b0 input; the 66 bytes b ‖ i ‖ DST ‖ 0x20 hashed for b1..b4
        // are laid out at the free memory pointer as scratch (not allocated, nothing else runs meanwhile).
        // mulmod and addmod reduce any 256-bit inputs, so b1, b2, b3 need no prior reduction.
        assembly ("memory-safe") {
            let p := P
            let b0 := keccak256(buffer, length)
            let q := mload(0x40)
            mstore(add(q, 0x21), tag)
            mstore8(add(q, 0x41), 0x20)
            mstore(q, b0)
            mstore8(add(q, 0x20), 1)
            let b1 := keccak256(q, 0x42)
            mstore(q, xor(b0, b1))
            mstore8(add(q, 0x20), 2)
            let b2 := keccak256(q, 0x42)
            mstore(q, xor(b0, b2))
            mstore8(add(q, 0x20), 3)
            let b3 := keccak256(q, 0x42)
            mstore(q, xor(b0, b3))
            mstore8(add(q, 0x20), 4)
            let b4 := keccak256(q, 0x42)
            // int(b1 ‖ b2[0..16]) = b1·2^128 + (b2 >> 128)
            u0 := addmod(mulmod(b1, shl(128, 1), p), shr(128, b2), p)
            // int(b2[16..32] ‖ b3) = (b2 mod 2^128)·2^256 + b3
            u1 := addmod(mulmod(and(b2, sub(shl(128, 1), 1)), TWO_256_MOD_P, p), b3, p)
            b := and(b4, 1)
        }
    }

    /// @dev herumi mcl's square root of x³ + b' for x = x0 + x1·u (x0, x1 < P). `found` is false when mcl finds
    /// no root or one with a zero part (the try-and-increment rejects both); otherwise (r0, r1) is mcl's root,
    /// both parts non-zero, and it has been checked to square to x³ + b'.
    // The square root is one assembly block (its modexp helper is a Yul function, which cannot be shared across
    // blocks), so it does not split into shorter functions.
    // solhint-disable-next-line function-max-lines
    function _sqrtOfRhs(uint256 x0, uint256 x1) private view returns (bool found, uint256 r0, uint256 r1) {
        uint256 size = MODEXP_OUTPUT_BYTES;
        // Invariant: x0, x1 < P; every value kept in a variable is reduced below P, sums of two of them are under
        // 2P and feed mulmod/addmod directly; `sub(P, v)` is in (0, P]. The modexp input (6 words) is written at
        // the free memory pointer as scratch; each answer overwrites its first word. `size` stays
        // MODEXP_OUTPUT_BYTES while every modexp call answers one word, else it is the size of the last other
        // answer (MODEXP_CALL_FAILED for a failed call): the results are used only in the first case, checked below.
        assembly ("memory-safe") {
            // base^e mod P with the modexp precompile; `answered` is the size of the answer r, MODEXP_CALL_FAILED
            // when the call failed. r is the power only when `answered` is MODEXP_OUTPUT_BYTES.
            function expMod(base, e) -> r, answered {
                let m := mload(0x40)
                mstore(m, 0x20)
                mstore(add(m, 0x20), 0x20)
                mstore(add(m, 0x40), 0x20)
                mstore(add(m, 0x60), base)
                mstore(add(m, 0x80), e)
                mstore(add(m, 0xa0), P)
                let success := staticcall(gas(), PRECOMPILE_MODEXP, m, MODEXP_INPUT_BYTES, m, MODEXP_OUTPUT_BYTES)
                answered := returndatasize()
                if iszero(success) {
                    answered := MODEXP_CALL_FAILED
                }
                r := mload(m)
            }

            {
                // The modulus on the stack: DUP is as cheap as PUSH32 and keeps the constant optimiser from
                // replacing hundreds of PUSH32 P by copies from code.
                let p := P
                // (c, d) = x³ + b'
                let s0 := mulmod(add(x0, x1), add(x0, sub(p, x1)), p)
                let s1 := mulmod(shl(1, x0), x1, p)
                let c := addmod(add(mulmod(s0, x0, p), mulmod(s1, sub(p, x1), p)), TWIST_B_REAL, p)
                let d := addmod(add(mulmod(s0, x1, p), mulmod(s1, x0, p)), TWIST_B_IMAGINARY, p)

                // d = 0: mcl returns (√c, 0) or (0, √c), which the try-and-increment rejects.
                if d {
                    // t = √(c² + d²), the root of the norm; none means c + d·u is not a square in Fp2.
                    let n := addmod(mulmod(c, c, p), mulmod(d, d, p), p)
                    let t, s := expMod(n, SQRT_EXP)
                    if iszero(eq(s, MODEXP_OUTPUT_BYTES)) {
                        size := s
                    }
                    if eq(mulmod(t, t, p), n) {
                        // a = √((c + t)/2), else √((c − t)/2). With w = v^((p−3)/4), a = v^((p+1)/4) = v·w and, when
                        // a² = v ≠ 0, v·w² = 1 so 1/a = w: one modexp gives the root and the inverse for d/(2a).
                        let v := mulmod(add(c, t), INV_2, p)
                        let w, s2 := expMod(v, SQRT_INV_EXP)
                        if iszero(eq(s2, MODEXP_OUTPUT_BYTES)) {
                            size := s2
                        }
                        let a := mulmod(v, w, p)
                        if iszero(eq(mulmod(a, a, p), v)) {
                            v := mulmod(add(c, sub(p, t)), INV_2, p)
                            let s3
                            w, s3 := expMod(v, SQRT_INV_EXP)
                            if iszero(eq(s3, MODEXP_OUTPUT_BYTES)) {
                                size := s3
                            }
                            a := mulmod(v, w, p)
                        }
                        // v = 0 (so a = 0) cannot happen for d ≠ 0, but would make w no inverse: reject it too.
                        if and(eq(mulmod(a, a, p), v), iszero(iszero(a))) {
                            r0 := a
                            // d/(2a) = d·w/2, non-zero as d and w are.
                            r1 := mulmod(mulmod(d, w, p), INV_2, p)
                            // The root squares to (c, d) whenever the checks above passed; verify it anyway, as the
                            // try-and-increment of the specification does (fail closed).
                            found := and(
                                eq(mulmod(add(r0, r1), add(r0, sub(p, r1)), p), c),
                                eq(mulmod(shl(1, r0), r1, p), d)
                            )
                        }
                    }
                }
            }
        }
        // Why: a failed modexp call leaves its input where its answer is read; nothing computed from it is a root.
        if (size == MODEXP_CALL_FAILED) revert ModExpFailed();
        // Why: so does a call that succeeds with less than a word (part of the length 0x20 is read as the root).
        if (size != MODEXP_OUTPUT_BYTES) revert ModExpReturnedWrongSize(size, MODEXP_OUTPUT_BYTES);
    }

    /// @dev H = [x]M + ψ([3x]M) + ψ²([x]M) + ψ³(M) for M = (mx0 + mx1·u, my0 + my1·u) on the twist, computed as
    /// [x]T + ψ³(M) with T = M + ψ(3M) + ψ²(M) (ψ is linear): one scalar multiplication by x (width-3 NAF over
    /// ±T and ±3T: 62 Jacobian doublings and 17 mixed additions, after one doubling and one addition for 3T) and
    /// three inversions (T, 3T and H to affine). `nonIdentity` is false when T, 3T or H is the identity, in which
    /// case `result` is meaningless.
    // One assembly block: the doubling and addition Yul functions must live in the block of the loop that calls
    // them, so it does not split into shorter functions.
    // solhint-disable-next-line function-max-lines
    function _clearCofactor(
        uint256 mx0,
        uint256 mx1,
        uint256 my0,
        uint256 my1
    ) private view returns (G2Point memory result, bool nonIdentity) {
        uint256 size;
        // Invariants:
        // - Points live in scratch memory at the free memory pointer (not allocated; no Solidity code runs in the
        //   block): `m` modexp input (6 words), `j` the Jacobian accumulator (X0, X1, Y0, Y1, Z0, Z1) followed by
        //   4 words of temporaries of dbl and madd, then four affine addends (x0, x1, y0, y1) 0x80 apart, `ap` = +T,
        //   `an` = −T, `a3` = +3T and `a3n` = −3T (`ap` is scratch before and after the multiplication), and `mp`
        //   the input point M. A modexp answer overwrites the first word of `m`.
        // - `size` is MODEXP_OUTPUT_BYTES when the three modexp calls (one in each toAffine) answered one word, else the
        //   size the first other answer had (MODEXP_CALL_FAILED for a failed call): the result is used only in the
        //   first case, checked below.
        // - Every word stored in a point is reduced below P. Inside the formulas, a value written "< kP" is an
        //   unreduced sum with k ≤ 5 (5P < 2^256, so no addition overflows); it only feeds mulmod/addmod, which
        //   reduce any 256-bit input, or a subtraction k'P − v with k' ≥ k, which therefore never underflows.
        // - Jacobian (X, Y, Z) stands for (X/Z², Y/Z³); Z = 0 is the identity and stays Z = 0 through every
        //   doubling (Z3 = Y·Z) and mixed addition (Z3 = Z1·H), so an identity reached on the way, or a mixed
        //   addition of equal points (H = 0, where the formula does not apply), ends in Z = 0. T, 3T and the
        //   result are checked for Z ≠ 0, so the result is exact or the call reverts. (The twist has odd order, so
        //   no point has Y = 0.)
        assembly ("memory-safe") {
            // base^e mod P with the modexp precompile; `answered` is the size of the answer r, MODEXP_CALL_FAILED
            // when the call failed. r is the power only when `answered` is MODEXP_OUTPUT_BYTES.
            function expMod(m, base, e) -> r, answered {
                mstore(m, 0x20)
                mstore(add(m, 0x20), 0x20)
                mstore(add(m, 0x40), 0x20)
                mstore(add(m, 0x60), base)
                mstore(add(m, 0x80), e)
                mstore(add(m, 0xa0), P)
                let success := staticcall(gas(), PRECOMPILE_MODEXP, m, MODEXP_INPUT_BYTES, m, MODEXP_OUTPUT_BYTES)
                answered := returndatasize()
                if iszero(success) {
                    answered := MODEXP_CALL_FAILED
                }
                r := mload(m)
            }

            // j := 2·j. dbl-2009-l for a = 0 scaled by λ = 1/2 (the Jacobian point (λ²X, λ³Y, λZ) is the same
            // point), which removes its constant factors: B = Y², D = X·B, E = (3/2)·X², X3 = E² − 2D,
            // Y3 = E·(D − X3) − B², Z3 = Y·Z.
            function dbl(j) {
                let p := P
                let x0 := mload(j)
                let x1 := mload(add(j, 0x20))
                // E = (3/2)·X²: ((x0 + x1)(x0 − x1)·3/2, 3·x0·x1), reduced (3x < 3P)
                let e0 := mulmod(mulmod(add(x0, x1), add(x0, sub(p, x1)), p), THREE_HALVES, p)
                let e1 := mulmod(mul(3, x0), x1, p)
                let b0
                let b1
                {
                    let y0 := mload(add(j, 0x40))
                    let y1 := mload(add(j, 0x60))
                    // Z3 = Y·Z
                    {
                        let z0 := mload(add(j, 0x80))
                        let z1 := mload(add(j, 0xa0))
                        mstore(add(j, 0x80), addmod(mulmod(y0, z0, p), mulmod(y1, sub(p, z1), p), p))
                        mstore(add(j, 0xa0), addmod(mulmod(y0, z1, p), mulmod(y1, z0, p), p))
                    }
                    // B = Y², reduced
                    b0 := mulmod(add(y0, y1), add(y0, sub(p, y1)), p)
                    b1 := mulmod(shl(1, y0), y1, p)
                }
                // D = X·B, reduced, into the x slots
                {
                    let d0 := addmod(mulmod(x0, b0, p), mulmod(x1, sub(p, b1), p), p)
                    x1 := addmod(mulmod(x0, b1, p), mulmod(x1, b0, p), p)
                    x0 := d0
                }
                // X3 = E² − 2D (2D < 2P)
                let x30 := addmod(mulmod(add(e0, e1), add(e0, sub(p, e1)), p), sub(P2, shl(1, x0)), p)
                let x31 := addmod(mulmod(shl(1, e0), e1, p), sub(P2, shl(1, x1)), p)
                mstore(j, x30)
                mstore(add(j, 0x20), x31)
                // Y3 = E·(D − X3) − B², with D − X3 < 2P and −B² = ((b0 + b1)(b1 − b0), 2·b0·(−b1)) < P each
                x0 := add(x0, sub(p, x30))
                x1 := add(x1, sub(p, x31))
                mstore(
                    add(j, 0x40),
                    addmod(
                        add(mulmod(e0, x0, p), mulmod(e1, sub(P2, x1), p)),
                        mulmod(add(b0, b1), add(b1, sub(p, b0)), p),
                        p
                    )
                )
                mstore(
                    add(j, 0x60),
                    addmod(add(mulmod(e0, x1, p), mulmod(e1, x0, p)), mulmod(shl(1, b0), sub(p, b1), p), p)
                )
            }

            // j := j + a for an affine a (Z2 = 1). madd-2007-bl scaled by λ = 1/2: ZZ = Z1², U2 = X2·ZZ,
            // S2 = Y2·Z1·ZZ, H = U2 − X1, R = S2 − Y1, HH = H², HHH = H·HH, V = X1·HH, X3 = R² − HHH − 2V,
            // Y3 = R·(V − X3) − Y1·HHH, Z3 = Z1·H. HHH is kept in the temporaries at j + 0xc0.
            function madd(j, a) {
                let p := P
                let h0
                let h1
                let s0
                let s1
                {
                    let z0 := mload(add(j, 0x80))
                    let z1 := mload(add(j, 0xa0))
                    // ZZ = Z1², reduced
                    let zz0 := mulmod(add(z0, z1), add(z0, sub(p, z1)), p)
                    let zz1 := mulmod(shl(1, z0), z1, p)
                    // H = X2·ZZ − X1, reduced (the product is < 2P before its reduction)
                    h0 := addmod(
                        add(mulmod(mload(a), zz0, p), mulmod(mload(add(a, 0x20)), sub(p, zz1), p)),
                        sub(p, mload(j)),
                        p
                    )
                    h1 := addmod(
                        add(mulmod(mload(a), zz1, p), mulmod(mload(add(a, 0x20)), zz0, p)),
                        sub(p, mload(add(j, 0x20))),
                        p
                    )
                    // S = Z1·ZZ (< 2P each, feeds mulmod only)
                    s0 := add(mulmod(z0, zz0, p), mulmod(z1, sub(p, zz1), p))
                    s1 := add(mulmod(z0, zz1, p), mulmod(z1, zz0, p))
                    // Z3 = Z1·H
                    mstore(add(j, 0x80), addmod(mulmod(z0, h0, p), mulmod(z1, sub(p, h1), p), p))
                    mstore(add(j, 0xa0), addmod(mulmod(z0, h1, p), mulmod(z1, h0, p), p))
                }
                // R = Y2·S − Y1, reduced, into the s slots (S < 2P, so P2 − s1 ≥ 0)
                {
                    let ay0 := mload(add(a, 0x40))
                    let ay1 := mload(add(a, 0x60))
                    let r0 := addmod(
                        add(mulmod(ay0, s0, p), mulmod(ay1, sub(P2, s1), p)),
                        sub(p, mload(add(j, 0x40))),
                        p
                    )
                    s1 := addmod(add(mulmod(ay0, s1, p), mulmod(ay1, s0, p)), sub(p, mload(add(j, 0x60))), p)
                    s0 := r0
                }
                // HHH = H·H² into the temporaries; V = X1·H², reduced
                let v0
                let v1
                {
                    let hh0 := mulmod(add(h0, h1), add(h0, sub(p, h1)), p)
                    let hh1 := mulmod(shl(1, h0), h1, p)
                    mstore(add(j, 0xc0), addmod(mulmod(h0, hh0, p), mulmod(h1, sub(p, hh1), p), p))
                    mstore(add(j, 0xe0), addmod(mulmod(h0, hh1, p), mulmod(h1, hh0, p), p))
                    h0 := mload(j)
                    h1 := mload(add(j, 0x20))
                    v0 := addmod(mulmod(h0, hh0, p), mulmod(h1, sub(p, hh1), p), p)
                    v1 := addmod(mulmod(h0, hh1, p), mulmod(h1, hh0, p), p)
                }
                // X3 = R² − HHH − 2V, into the h slots (HHH + 2V < 3P)
                h0 := addmod(
                    mulmod(add(s0, s1), add(s0, sub(p, s1)), p),
                    sub(P3, add(mload(add(j, 0xc0)), shl(1, v0))),
                    p
                )
                h1 := addmod(mulmod(shl(1, s0), s1, p), sub(P3, add(mload(add(j, 0xe0)), shl(1, v1))), p)
                // Y3 = R·(V − X3) − Y1·HHH (V − X3 < 2P; −Y1·HHH as two products < P each)
                v0 := add(v0, sub(p, h0))
                v1 := add(v1, sub(p, h1))
                {
                    let y0 := mload(add(j, 0x40))
                    let y1 := mload(add(j, 0x60))
                    let c0 := mload(add(j, 0xc0))
                    let c1 := mload(add(j, 0xe0))
                    mstore(
                        add(j, 0x40),
                        addmod(
                            add(mulmod(s0, v0, p), mulmod(s1, sub(P2, v1), p)),
                            add(mulmod(y0, sub(p, c0), p), mulmod(y1, c1, p)),
                            p
                        )
                    )
                    mstore(
                        add(j, 0x60),
                        addmod(
                            add(mulmod(s0, v1, p), mulmod(s1, v0, p)),
                            add(mulmod(y0, sub(p, c1), p), mulmod(y1, sub(p, c0), p)),
                            p
                        )
                    )
                }
                mstore(j, h0)
                mstore(add(j, 0x20), h1)
            }

            // Writes the affine (x0, x1, y0, y1) of the Jacobian j (Z ≠ 0) to out: 1/Z = conj(Z)/(Z0² + Z1²).
            // `answered` is its modexp call's (see expMod).
            function toAffine(m, j, out) -> answered {
                let p := P
                let z0 := mload(add(j, 0x80))
                let z1 := mload(add(j, 0xa0))
                let n
                n, answered := expMod(m, addmod(mulmod(z0, z0, p), mulmod(z1, z1, p), p), INV_EXP)
                // 1/Z
                z0 := mulmod(z0, n, p)
                z1 := mulmod(sub(p, z1), n, p)
                // 1/Z²
                let s0 := mulmod(add(z0, z1), add(z0, sub(p, z1)), p)
                let s1 := mulmod(shl(1, z0), z1, p)
                // 1/Z³ = 1/Z² · 1/Z
                n := addmod(mulmod(s0, z0, p), mulmod(s1, sub(p, z1), p), p)
                z1 := addmod(mulmod(s0, z1, p), mulmod(s1, z0, p), p)
                z0 := n
                let c0 := mload(j)
                let c1 := mload(add(j, 0x20))
                mstore(out, addmod(mulmod(c0, s0, p), mulmod(c1, sub(p, s1), p), p))
                mstore(add(out, 0x20), addmod(mulmod(c0, s1, p), mulmod(c1, s0, p), p))
                c0 := mload(add(j, 0x40))
                c1 := mload(add(j, 0x60))
                mstore(add(out, 0x40), addmod(mulmod(c0, z0, p), mulmod(c1, sub(p, z1), p), p))
                mstore(add(out, 0x60), addmod(mulmod(c0, z1, p), mulmod(c1, z0, p), p))
            }

            // out := (conj(x)·(cx0 + cx1·u), conj(y)·(cy0 + cy1·u)) for the affine point at src, the form of ψ and
            // ψ³: (x0 − x1·u)(c0 + c1·u) = (x0·c0 + x1·c1) + (x0·c1 − x1·c0)·u.
            function frobenius(out, src, cx0, cx1, cy0, cy1) {
                let p := P
                let v0 := mload(src)
                let v1 := mload(add(src, 0x20))
                mstore(out, addmod(mulmod(v0, cx0, p), mulmod(v1, cx1, p), p))
                mstore(add(out, 0x20), addmod(mulmod(v0, cx1, p), mulmod(sub(p, v1), cx0, p), p))
                v0 := mload(add(src, 0x40))
                v1 := mload(add(src, 0x60))
                mstore(add(out, 0x40), addmod(mulmod(v0, cy0, p), mulmod(v1, cy1, p), p))
                mstore(add(out, 0x60), addmod(mulmod(v0, cy1, p), mulmod(sub(p, v1), cy0, p), p))
            }

            // Sets the Jacobian j to the affine point at a (Z = 1).
            function fromAffine(j, a) {
                mcopy(j, a, 0x80)
                mstore(add(j, 0x80), 1)
                mstore(add(j, 0xa0), 0)
            }

            {
                // The modulus on the stack: DUP is as cheap as PUSH32 and keeps the constant optimiser from
                // replacing hundreds of PUSH32 P by copies from code.
                let p := P
                let m := mload(0x40)
                // j: 6 words of the point, 4 of temporaries for dbl and madd
                let j := add(m, 0xc0)
                let ap := add(m, 0x200)
                let an := add(m, 0x280)
                let a3 := add(m, 0x300)
                let a3n := add(m, 0x380)
                let mp := add(m, 0x400)
                mstore(mp, mx0)
                mstore(add(mp, 0x20), mx1)
                mstore(add(mp, 0x40), my0)
                mstore(add(mp, 0x60), my1)

                // T = ψ(M) + 2ψ(M) + M + ψ²(M), in j.
                frobenius(ap, mp, PSI_X_REAL, PSI_X_IMAGINARY, PSI_Y_REAL, PSI_Y_IMAGINARY)
                fromAffine(j, ap)
                dbl(j)
                madd(j, ap)
                madd(j, mp)
                // ψ²(M) = (x·N, −y); mod keeps P − 0 reduced (y has no zero part for a try-and-increment point anyway).
                mstore(ap, mulmod(mload(mp), PSI2_X, p))
                mstore(add(ap, 0x20), mulmod(mload(add(mp, 0x20)), PSI2_X, p))
                mstore(add(ap, 0x40), mod(sub(p, mload(add(mp, 0x40))), p))
                mstore(add(ap, 0x60), mod(sub(p, mload(add(mp, 0x60))), p))
                madd(j, ap)

                // T to affine, into ap, and −T into an.
                nonIdentity := iszero(iszero(or(mload(add(j, 0x80)), mload(add(j, 0xa0)))))
                size := toAffine(m, j, ap)
                mcopy(an, ap, 0x40)
                mstore(add(an, 0x40), mod(sub(p, mload(add(ap, 0x40))), p))
                mstore(add(an, 0x60), mod(sub(p, mload(add(ap, 0x60))), p))

                // 3T = 2T + T to affine, into a3, and −3T into a3n (the other two addends of the width-3 NAF).
                fromAffine(j, ap)
                dbl(j)
                madd(j, ap)
                nonIdentity := and(nonIdentity, iszero(iszero(or(mload(add(j, 0x80)), mload(add(j, 0xa0))))))
                {
                    let s := toAffine(m, j, a3)
                    if eq(size, MODEXP_OUTPUT_BYTES) {
                        size := s
                    }
                }
                mcopy(a3n, a3, 0x40)
                mstore(add(a3n, 0x40), mod(sub(p, mload(add(a3, 0x40))), p))
                mstore(add(a3n, 0x60), mod(sub(p, mload(add(a3, 0x60))), p))

                // [x]T from the top digit (j = T) down: each step of WNAF_STEPS doubles n times, then adds its
                // addend, the four of which lie 0x80 apart from ap in the order of the step's low two bits.
                fromAffine(j, ap)
                for {
                    let steps := WNAF_STEPS
                } steps {
                    steps := shr(8, steps)
                } {
                    for {
                        let n := and(shr(2, steps), 0x3f)
                    } n {
                        n := sub(n, 1)
                    } {
                        dbl(j)
                    }
                    madd(j, add(ap, shl(7, and(steps, 3))))
                }

                // + ψ³(M) = (conj(x)·C1·N, −conj(y)·C2)
                frobenius(ap, mp, PSI3_X_REAL, PSI3_X_IMAGINARY, PSI3_Y_REAL, PSI3_Y_IMAGINARY)
                madd(j, ap)

                nonIdentity := and(nonIdentity, iszero(iszero(or(mload(add(j, 0x80)), mload(add(j, 0xa0))))))
                // The first wrong answer is the one reported.
                {
                    let s := toAffine(m, j, ap)
                    if eq(size, MODEXP_OUTPUT_BYTES) {
                        size := s
                    }
                }
                // `result` was allocated by Solidity: its X and Y arrays take [imaginary, real].
                let resultX := mload(result)
                let resultY := mload(add(result, 0x20))
                mstore(resultX, mload(add(ap, 0x20)))
                mstore(add(resultX, 0x20), mload(ap))
                mstore(resultY, mload(add(ap, 0x60)))
                mstore(add(resultY, 0x20), mload(add(ap, 0x40)))
            }
        }
        // Why: a failed modexp call leaves its input where its answer is read: the point would not be the hash.
        if (size == MODEXP_CALL_FAILED) revert ModExpFailed();
        // Why: so does a call that succeeds with less than a word (part of the length 0x20 is read as 1/Z).
        if (size != MODEXP_OUTPUT_BYTES) revert ModExpReturnedWrongSize(size, MODEXP_OUTPUT_BYTES);
    }
}

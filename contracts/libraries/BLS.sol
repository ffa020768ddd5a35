// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

// Curve arithmetic is the one place STYLE.md allows inline assembly (the pairing precompile call); the block states
// its invariant and test/unit/libraries/BLS.hardening.test.ts attacks it.
// solhint-disable no-inline-assembly

import {BN256G1} from "./BN256G1.sol";
import {BN256G2} from "./BN256G2.sol";

/// @title BLS signatures of the Session Network on BN254
/// @notice Public keys are G1 points, signatures and message hashes G2 points. A signature S on message m by key
/// P is valid when e(G1 generator, S) = e(P, H(m)), checked as e(G1 generator, S) · e(−P, H(m)) = 1 with the
/// EIP-197 pairing precompile 0x08 (45,000 + 2 × 34,000 gas). Aggregate keys and signatures are point sums, so
/// the same check verifies an aggregate signature against the sum of its signers' keys.
/// @dev Keys and signatures are validated before the pairing: the identity is refused as either (the identity
/// key with the identity signature passes the check for every message), and points off the curve or the twist
/// revert with the point.
/// The pairing precompile itself rejects a signature outside the order-r subgroup of the twist, reported as
/// {PairingPrecompileFailed}. Its answer is read only when it is exactly one word
/// ({PairingPrecompileReturnedWrongSize} otherwise): a call that succeeds with less output would leave input
/// words in the buffer where the result is read.
library BLS {
    /// @notice The public key is the identity (0, 0), which no secret key has and which would accept the identity
    /// signature on any message.
    error BLSPublicKeyIsIdentity();

    /// @notice The signature is the identity (0, 0, 0, 0).
    error BLSSignatureIsIdentity();

    /// @notice The pairing precompile 0x08 failed: a point is not in its group (for instance a signature on the
    /// twist but outside G2), or the call ran out of gas.
    error PairingPrecompileFailed();

    /// @notice The pairing precompile 0x08 succeeded but did not return exactly one word, as EIP-197 specifies: the
    /// address holds no such precompile on this chain (a call to an empty account succeeds with no output) or
    /// something else answers there. Its answer cannot be trusted either way.
    /// @param size The number of bytes returned.
    /// @param expected The number of bytes EIP-197 returns (32).
    error PairingPrecompileReturnedWrongSize(uint256 size, uint256 expected);

    /// @dev Address of the EIP-197 pairing precompile.
    uint256 private constant PRECOMPILE_PAIRING = 0x08;

    /// @dev Two pairs of (G1, G2): 2 × (2 + 4) words.
    uint256 private constant PAIRING_INPUT_BYTES = 0x180;

    /// @dev The pairing's answer: one word, 1 when the product of the pairings is 1, else 0.
    uint256 private constant PAIRING_OUTPUT_BYTES = 0x20;

    /// @notice Checks a BLS signature against a public key and an already hashed message.
    /// @dev Reverts {BLSPublicKeyIsIdentity}, `BN256G1.G1CoordinateNotInField`/`G1PointNotOnCurve` for a bad key,
    /// {BLSSignatureIsIdentity}, `BN256G2.G2CoordinateNotInField`/`G2PointNotOnTwist` for a bad signature, and
    /// {PairingPrecompileFailed} when the precompile rejects its input (a signature outside G2, or a
    /// `messageHash` not in G2: pass only outputs of `BN256G2.hashToG2`), {PairingPrecompileReturnedWrongSize} when
    /// its call succeeds without exactly one word of output.
    /// @param pubkey The (aggregate) public key P, in G1.
    /// @param signature The (aggregate) signature S, on the twist.
    /// @param messageHash The hash H(m) of the message, in G2.
    /// @return True when e(G1 generator, S) · e(−P, H(m)) = 1.
    function verify(
        BN256G1.G1Point memory pubkey,
        BN256G2.G2Point memory signature,
        BN256G2.G2Point memory messageHash
    ) internal view returns (bool) {
        // Why: the identity key with the identity signature passes the pairing check for every message.
        if (BN256G1.isIdentity(pubkey)) revert BLSPublicKeyIsIdentity();
        // Why: name a bad key (the precompile fails anonymously); −P below needs a canonical Y.
        BN256G1.checkOnCurve(pubkey);
        return verifyWithCheckedKey(pubkey, signature, messageHash);
    }

    /// @notice {verify} for a public key the caller has checked itself, for instance an aggregate it computed from
    /// checked keys with the precompiles: `pubkey` must be a point of G1 other than the identity (neither is
    /// checked here; a point off the curve makes the pairing fail, {PairingPrecompileFailed}). The signature's
    /// checks and errors are {verify}'s.
    /// @param pubkey The (aggregate) public key P: in G1, not the identity, coordinates below P.
    /// @param signature The (aggregate) signature S, on the twist.
    /// @param messageHash The hash H(m) of the message, in G2.
    /// @return True when e(G1 generator, S) · e(−P, H(m)) = 1.
    function verifyWithCheckedKey(
        BN256G1.G1Point memory pubkey,
        BN256G2.G2Point memory signature,
        BN256G2.G2Point memory messageHash
    ) internal view returns (bool) {
        // Why: the identity signature belongs to no key; refuse it before paying for the pairing.
        if (BN256G2.isIdentity(signature)) revert BLSSignatureIsIdentity();
        // Why: name a bad signature; the subgroup check (on the twist is not in G2) is the precompile's.
        BN256G2.checkOnTwist(signature);

        // The key is on the curve and not the identity (checked by the caller or {verify}), so 0 < Y < P and
        // −P = (X, P − Y) is canonical.
        uint256 negatedY = BN256G1.P - pubkey.Y;
        uint256 generatorX = BN256G1.GENERATOR_X;
        uint256 generatorY = BN256G1.GENERATOR_Y;
        bool ok;
        uint256 size;
        uint256 result;
        // Invariant: the 12 words of the two pairs are written at the free memory pointer as scratch (not
        // allocated), each G2 point in its stored EIP-197 order, X = [imaginary, real], then Y. The answer lands on
        // word 0 (the generator's X = 1): `result` is the answer only when `size` is 32, checked below.
        assembly ("memory-safe") {
            let input := mload(0x40)
            mstore(input, generatorX)
            mstore(add(input, 0x20), generatorY)
            let sx := mload(signature)
            let sy := mload(add(signature, 0x20))
            mstore(add(input, 0x40), mload(sx))
            mstore(add(input, 0x60), mload(add(sx, 0x20)))
            mstore(add(input, 0x80), mload(sy))
            mstore(add(input, 0xa0), mload(add(sy, 0x20)))
            mstore(add(input, 0xc0), mload(pubkey))
            mstore(add(input, 0xe0), negatedY)
            let hx := mload(messageHash)
            let hy := mload(add(messageHash, 0x20))
            mstore(add(input, 0x100), mload(hx))
            mstore(add(input, 0x120), mload(add(hx, 0x20)))
            mstore(add(input, 0x140), mload(hy))
            mstore(add(input, 0x160), mload(add(hy, 0x20)))
            ok := staticcall(gas(), PRECOMPILE_PAIRING, input, PAIRING_INPUT_BYTES, input, PAIRING_OUTPUT_BYTES)
            size := returndatasize()
            result := mload(input)
        }
        if (!ok) revert PairingPrecompileFailed();
        // Why: with no output (no precompile at 0x08) word 0 still holds X = 1, and with 1 to 31 bytes its last
        // byte 0x01: every signature would read as valid. Only an answer of exactly one word overwrote it.
        if (size != PAIRING_OUTPUT_BYTES) revert PairingPrecompileReturnedWrongSize(size, PAIRING_OUTPUT_BYTES);
        return result == 1;
    }

    /// @notice Hashes `message` to G2 with `hashToG2Tag` and checks the signature on it (see {verify}).
    /// @param pubkey The (aggregate) public key, in G1.
    /// @param signature The (aggregate) signature, on the twist.
    /// @param message The signed message.
    /// @param hashToG2Tag The domain tag of the hash to G2 (`buildTag("BLS_SIG_HASH_TO_FIELD_TAG")`).
    /// @return True when the signature is valid.
    function verifyMessage(
        BN256G1.G1Point memory pubkey,
        BN256G2.G2Point memory signature,
        bytes memory message,
        bytes32 hashToG2Tag
    ) internal view returns (bool) {
        return verify(pubkey, signature, BN256G2.hashToG2(message, hashToG2Tag));
    }

    /// @notice The domain tag of `base` for this chain and this contract:
    /// keccak256(abi.encodePacked(base, block.chainid, address(this))), as production derives its tags.
    /// @param base The tag's name, e.g. "BLS_SIG_TRYANDINCREMENT_REWARD".
    /// @return The 32-byte tag.
    function buildTag(string memory base) internal view returns (bytes32) {
        return keccak256(abi.encodePacked(base, block.chainid, address(this)));
    }

    /// @notice Converts the production signature parameters to a stored G2 point.
    /// @dev Production passes (sigs0, sigs1, sigs2, sigs3) = (x.real, x.imaginary, y.real, y.imaginary); the stored
    /// point is X = [imaginary, real], Y = [imaginary, real].
    /// @param sigs0 x.real.
    /// @param sigs1 x.imaginary.
    /// @param sigs2 y.real.
    /// @param sigs3 y.imaginary.
    /// @return The signature as a G2 point (not validated; {verify} does that).
    function signatureFromParams(
        uint256 sigs0,
        uint256 sigs1,
        uint256 sigs2,
        uint256 sigs3
    ) internal pure returns (BN256G2.G2Point memory) {
        return BN256G2.G2Point([sigs1, sigs0], [sigs3, sigs2]);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Test doubles are named X__Harness (STYLE.md), which this rule does not know.
// solhint-disable contract-name-capwords

import {BLS} from "../libraries/BLS.sol";
import {BN256G1} from "../libraries/BN256G1.sol";
import {BN256G2} from "../libraries/BN256G2.sol";

/// @title Test harness of the BN254 and BLS libraries (TEST ONLY: never deploy it, never copy its aggregate key)
/// @notice Exposes every internal function of {BN256G1}, {BN256G2} and {BLS} as an external one, gas probes
/// around the hot paths, and an aggregate public key kept in storage to measure its update.
/// @dev Has no constructor state and no immutables, and derives tags from `address(this)` on each call, so its
/// runtime code can be copied to any address with `hardhat_setCode` (for instance the address the signature
/// vectors were made for) and behaves there as a contract deployed at that address.
///
/// TEST ONLY — the aggregate key ({addKey}, {removeKey}, {verifyWithNonSigners}) is a bare sum of points for
/// tests and gas figures, not a model of the rewards contract. Anyone may call it, and it checks only that each
/// key is a point of G1 (coordinates below P, on the curve). It accepts the identity as a key, a key added twice,
/// the removal of a key never added, and any list of non-signers (repeated, or never added); the sum cannot tell.
/// The rewards contract (a later issue) keeps this logic itself, keyed by node id: one key per node, added once
/// with its proof of possession, removed only when present, non-signers given as ids of present nodes. Nothing
/// but the tests and the gas probe (scripts/gasBls.ts) uses this contract, which a test checks.
contract BLS__Harness {
    /// @notice The stored aggregate key changed.
    /// @param X The new aggregate's x-coordinate.
    /// @param Y The new aggregate's y-coordinate.
    event AggregateKeyUpdated(uint256 indexed X, uint256 indexed Y);

    BN256G1.G1Point private _aggregateKey;

    // ------------------------------------------------------------------------------------------------------------
    // Aggregate key
    // ------------------------------------------------------------------------------------------------------------

    /// @notice Adds `key` to the stored aggregate key with one precompile addition. Test only (see the contract's
    /// NatSpec): the identity and a key already added are accepted.
    /// @dev Reverts `BN256G1.G1CoordinateNotInField`/`G1PointNotOnCurve` for a key that is no point of G1.
    /// @param key The public key to add.
    function addKey(BN256G1.G1Point calldata key) external {
        // Why: the precompile would reject such a key too, but anonymously; name it as every other G1 input is.
        BN256G1.checkOnCurve(key);
        BN256G1.G1Point memory aggregate = BN256G1.add(_aggregateKey, key);
        _aggregateKey = aggregate;
        emit AggregateKeyUpdated(aggregate.X, aggregate.Y);
    }

    /// @notice Subtracts `key` from the stored aggregate key: one precompile addition of its negation. Test only
    /// (see the contract's NatSpec): a key never added is subtracted all the same.
    /// @dev Reverts `BN256G1.G1CoordinateNotInField`/`G1PointNotOnCurve` (from `BN256G1.negate`) for a key that is
    /// no point of G1.
    /// @param key The public key to remove.
    function removeKey(BN256G1.G1Point calldata key) external {
        BN256G1.G1Point memory aggregate = BN256G1.add(_aggregateKey, BN256G1.negate(key));
        _aggregateKey = aggregate;
        emit AggregateKeyUpdated(aggregate.X, aggregate.Y);
    }

    /// @notice Checks a network signature against the stored aggregate key minus the keys of the nodes that did
    /// not sign, as the rewards contract will. Test only (see the contract's NatSpec): the non-signer keys are not
    /// checked against the added ones, nor for repeats.
    /// @dev Reverts `BN256G1.G1CoordinateNotInField`/`G1PointNotOnCurve` (from `BN256G1.negate`) for a non-signer
    /// key that is no point of G1, and as `BLS.verifyMessage` does.
    /// @param nonSignerKeys The public keys of the non-signers, each subtracted from the aggregate.
    /// @param signature The aggregate signature of the signers.
    /// @param message The signed message.
    /// @param hashToG2Tag The domain tag of the hash to G2.
    /// @return Whether the signature is valid for the aggregate of the signers.
    function verifyWithNonSigners(
        BN256G1.G1Point[] calldata nonSignerKeys,
        BN256G2.G2Point calldata signature,
        bytes calldata message,
        bytes32 hashToG2Tag
    ) external view returns (bool) {
        BN256G1.G1Point memory key = _aggregateKey;
        for (uint256 i = 0; i < nonSignerKeys.length; ++i) {
            key = BN256G1.add(key, BN256G1.negate(nonSignerKeys[i]));
        }
        return BLS.verifyMessage(key, signature, message, hashToG2Tag);
    }

    /// @notice The stored aggregate key.
    /// @return The sum of the added keys minus the removed ones.
    function aggregateKey() external view returns (BN256G1.G1Point memory) {
        return _aggregateKey;
    }

    // ------------------------------------------------------------------------------------------------------------
    // BN256G1
    // ------------------------------------------------------------------------------------------------------------

    /// @notice See `BN256G1.generator`.
    /// @return The generator of G1.
    function g1Generator() external pure returns (BN256G1.G1Point memory) {
        return BN256G1.generator();
    }

    /// @notice See `BN256G1.add`.
    /// @param a The first summand.
    /// @param b The second summand.
    /// @return The sum.
    function g1Add(
        BN256G1.G1Point calldata a,
        BN256G1.G1Point calldata b
    ) external view returns (BN256G1.G1Point memory) {
        return BN256G1.add(a, b);
    }

    /// @notice See `BN256G1.scalarMul`.
    /// @param a The point.
    /// @param scalar The scalar.
    /// @return The product.
    function g1ScalarMul(BN256G1.G1Point calldata a, uint256 scalar) external view returns (BN256G1.G1Point memory) {
        return BN256G1.scalarMul(a, scalar);
    }

    /// @notice See `BN256G1.negate`.
    /// @param a The point.
    /// @return The negation.
    function g1Negate(BN256G1.G1Point calldata a) external pure returns (BN256G1.G1Point memory) {
        return BN256G1.negate(a);
    }

    /// @notice See `BN256G1.isOnCurve`.
    /// @param a The point.
    /// @return Whether it is in G1.
    function g1IsOnCurve(BN256G1.G1Point calldata a) external pure returns (bool) {
        return BN256G1.isOnCurve(a);
    }

    /// @notice See `BN256G1.isIdentity`.
    /// @param a The point.
    /// @return Whether it is the identity.
    function g1IsIdentity(BN256G1.G1Point calldata a) external pure returns (bool) {
        return BN256G1.isIdentity(a);
    }

    /// @notice See `BN256G1.checkOnCurve`.
    /// @param a The point.
    function g1CheckOnCurve(BN256G1.G1Point calldata a) external pure {
        BN256G1.checkOnCurve(a);
    }

    /// @notice See `BN256G1.compress`.
    /// @param a A point of G1 (not checked, as in the library).
    /// @return The compressed point.
    function g1Compress(BN256G1.G1Point calldata a) external pure returns (uint256) {
        return BN256G1.compress(a);
    }

    /// @notice See `BN256G1.decompress`.
    /// @param compressed A compressed point, 0 for the identity.
    /// @return The point.
    function g1Decompress(uint256 compressed) external view returns (BN256G1.G1Point memory) {
        return BN256G1.decompress(compressed);
    }

    /// @notice See `BN256G1.subtractCompressed`, which works in place: here on a memory copy of `acc`.
    /// @param acc The point to subtract from.
    /// @param compressed The compressed point to subtract.
    /// @return difference acc − decompress(compressed).
    function g1SubtractCompressed(
        BN256G1.G1Point calldata acc,
        uint256 compressed
    ) external view returns (BN256G1.G1Point memory difference) {
        difference = acc;
        BN256G1.subtractCompressed(difference, compressed);
    }

    /// @notice See `BN256G1.subtractCompressedKeys`.
    /// @param acc The point to subtract from.
    /// @param compressed The compressed points to subtract.
    /// @return difference acc − Σ decompress(compressed[i]).
    function g1SubtractCompressedKeys(
        BN256G1.G1Point calldata acc,
        uint256[] calldata compressed
    ) external view returns (BN256G1.G1Point memory difference) {
        difference = acc;
        BN256G1.subtractCompressedKeys(difference, compressed);
    }

    // ------------------------------------------------------------------------------------------------------------
    // BN256G2
    // ------------------------------------------------------------------------------------------------------------

    /// @notice See `BN256G2.isOnTwist`.
    /// @param point The point.
    /// @return Whether it is on the twist.
    function g2IsOnTwist(BN256G2.G2Point calldata point) external pure returns (bool) {
        return BN256G2.isOnTwist(point);
    }

    /// @notice See `BN256G2.isIdentity`.
    /// @param point The point.
    /// @return Whether it is the identity.
    function g2IsIdentity(BN256G2.G2Point calldata point) external pure returns (bool) {
        return BN256G2.isIdentity(point);
    }

    /// @notice See `BN256G2.checkOnTwist`.
    /// @param point The point.
    function g2CheckOnTwist(BN256G2.G2Point calldata point) external pure {
        BN256G2.checkOnTwist(point);
    }

    /// @notice See `BN256G2.hashToField`.
    /// @param message The byte string.
    /// @param tag The domain tag.
    /// @return u0 The real part of the candidate x.
    /// @return u1 The imaginary part of the candidate x.
    /// @return b The sign bit.
    function hashToField(bytes calldata message, bytes32 tag) external pure returns (uint256 u0, uint256 u1, bool b) {
        return BN256G2.hashToField(message, tag);
    }

    /// @notice See `BN256G2.hashToG2`.
    /// @param message The message.
    /// @param tag The domain tag.
    /// @return The hash, in G2.
    function hashToG2(bytes calldata message, bytes32 tag) external view returns (BN256G2.G2Point memory) {
        return BN256G2.hashToG2(message, tag);
    }

    /// @notice See `BN256G2.mapToTwist`.
    /// @param message The message.
    /// @param tag The domain tag.
    /// @return point The try-and-increment point.
    /// @return counter The counter that found it.
    function mapToTwist(
        bytes calldata message,
        bytes32 tag
    ) external view returns (BN256G2.G2Point memory point, uint256 counter) {
        return BN256G2.mapToTwist(message, tag);
    }

    /// @notice See `BN256G2.clearCofactor`.
    /// @param point A point on the twist.
    /// @return The cleared point, in G2.
    function clearCofactor(BN256G2.G2Point calldata point) external view returns (BN256G2.G2Point memory) {
        return BN256G2.clearCofactor(point);
    }

    // ------------------------------------------------------------------------------------------------------------
    // BLS
    // ------------------------------------------------------------------------------------------------------------

    /// @notice See `BLS.verify`.
    /// @param pubkey The public key.
    /// @param signature The signature.
    /// @param messageHash The hashed message.
    /// @return Whether the signature is valid.
    function verify(
        BN256G1.G1Point calldata pubkey,
        BN256G2.G2Point calldata signature,
        BN256G2.G2Point calldata messageHash
    ) external view returns (bool) {
        return BLS.verify(pubkey, signature, messageHash);
    }

    /// @notice See `BLS.verifyWithCheckedKey`.
    /// @param pubkey The public key (a point of G1, not the identity: the caller's to check).
    /// @param signature The signature.
    /// @param messageHash The hashed message.
    /// @return Whether the signature is valid.
    function verifyWithCheckedKey(
        BN256G1.G1Point calldata pubkey,
        BN256G2.G2Point calldata signature,
        BN256G2.G2Point calldata messageHash
    ) external view returns (bool) {
        return BLS.verifyWithCheckedKey(pubkey, signature, messageHash);
    }

    /// @notice See `BLS.verifyMessage`.
    /// @param pubkey The public key.
    /// @param signature The signature.
    /// @param message The message.
    /// @param hashToG2Tag The domain tag of the hash to G2.
    /// @return Whether the signature is valid.
    function verifyMessage(
        BN256G1.G1Point calldata pubkey,
        BN256G2.G2Point calldata signature,
        bytes calldata message,
        bytes32 hashToG2Tag
    ) external view returns (bool) {
        return BLS.verifyMessage(pubkey, signature, message, hashToG2Tag);
    }

    /// @notice See `BLS.buildTag`.
    /// @param base The tag's name.
    /// @return The tag for this chain and this contract's address.
    function buildTag(string calldata base) external view returns (bytes32) {
        return BLS.buildTag(base);
    }

    /// @notice See `BLS.signatureFromParams`.
    /// @param sigs0 x.real.
    /// @param sigs1 x.imaginary.
    /// @param sigs2 y.real.
    /// @param sigs3 y.imaginary.
    /// @return The signature as a G2 point.
    function signatureFromParams(
        uint256 sigs0,
        uint256 sigs1,
        uint256 sigs2,
        uint256 sigs3
    ) external pure returns (BN256G2.G2Point memory) {
        return BLS.signatureFromParams(sigs0, sigs1, sigs2, sigs3);
    }

    /// @notice The constants of the cofactor clearing's scalar multiplication, for the test that rebuilds the
    /// width-3 NAF steps from the BN parameter.
    /// @return bnX `BN256G2.BN_X`.
    /// @return wnafSteps `BN256G2.WNAF_STEPS`.
    function scalarMultiplicationConstants() external pure returns (uint256 bnX, uint256 wnafSteps) {
        return (BN256G2.BN_X, BN256G2.WNAF_STEPS);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Gas probes: the gas spent inside the library call, without the transaction and ABI overhead
    // ------------------------------------------------------------------------------------------------------------

    /// @notice {hashToG2} with the gas spent inside `BN256G2.hashToG2`.
    /// @param message The message.
    /// @param tag The domain tag.
    /// @return gasUsed Gas spent by the library call.
    /// @return hash The hash.
    function measureHashToG2(
        bytes calldata message,
        bytes32 tag
    ) external view returns (uint256 gasUsed, BN256G2.G2Point memory hash) {
        uint256 before = gasleft();
        hash = BN256G2.hashToG2(message, tag);
        gasUsed = before - gasleft();
    }

    /// @notice {g1SubtractCompressed} with the free memory pointer read just before and just after
    /// `BN256G1.subtractCompressed`, which uses memory past it as scratch and must not advance it.
    /// @param acc The point to subtract from.
    /// @param compressed The compressed point to subtract.
    /// @return freeMemoryBefore The free memory pointer before the call.
    /// @return freeMemoryAfter The free memory pointer after the call.
    /// @return difference acc − decompress(compressed).
    function measureSubtractCompressedMemory(
        BN256G1.G1Point calldata acc,
        uint256 compressed
    ) external view returns (uint256 freeMemoryBefore, uint256 freeMemoryAfter, BN256G1.G1Point memory difference) {
        difference = acc;
        // Invariant: only reads the free memory pointer (the library's assembly is the one under test).
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            freeMemoryBefore := mload(0x40)
        }
        BN256G1.subtractCompressed(difference, compressed);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            freeMemoryAfter := mload(0x40)
        }
    }

    /// @notice {verifyMessage} with the gas spent inside `BLS.verifyMessage` (hash to G2, checks and pairing).
    /// @param pubkey The public key.
    /// @param signature The signature.
    /// @param message The message.
    /// @param hashToG2Tag The domain tag of the hash to G2.
    /// @return gasUsed Gas spent by the library call.
    /// @return valid Whether the signature is valid.
    function measureVerifyMessage(
        BN256G1.G1Point calldata pubkey,
        BN256G2.G2Point calldata signature,
        bytes calldata message,
        bytes32 hashToG2Tag
    ) external view returns (uint256 gasUsed, bool valid) {
        uint256 before = gasleft();
        valid = BLS.verifyMessage(pubkey, signature, message, hashToG2Tag);
        gasUsed = before - gasleft();
    }
}

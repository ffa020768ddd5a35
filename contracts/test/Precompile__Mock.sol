// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Test doubles are named X__Mock (STYLE.md), which this rule does not know; the double is one forwarding fallback,
// and it fails as a precompile does, with no revert data (not a custom error).
// solhint-disable contract-name-capwords, no-complex-fallback, gas-custom-errors

/// @title A precompile that answers with a chosen amount of output
/// @notice Test double for the attack tests of the BN254 and BLS libraries: forwards its call data to a real
/// precompile and returns exactly `OUTPUT_BYTES` bytes of the answer, cut short or padded with zero bytes. It fails
/// (with no revert data, as a precompile does) when the real precompile fails. With the precompile's own output
/// size it is transparent; with 0 it is a chain where the call succeeds and returns nothing.
/// @dev EDR runs a precompile's own implementation even at an address where `hardhat_setCode` put code, so the
/// tests cannot replace 0x05 to 0x08 themselves. They copy this double's runtime code (its immutables included)
/// to an ordinary one-byte address instead, and run the harness's code with the address byte of each precompile
/// call redirected there (test/unit/libraries/BLS.hardening.test.ts).
contract Precompile__Mock {
    /// @dev The precompile whose answers are forwarded.
    address private immutable PRECOMPILE;

    /// @dev The number of bytes every successful call returns.
    uint256 private immutable OUTPUT_BYTES;

    /// @notice Forwards to `precompile` and returns `outputBytes` bytes of each answer.
    /// @param precompile The real precompile, for instance 0x08.
    /// @param outputBytes The size of every successful answer (0: nothing).
    constructor(address precompile, uint256 outputBytes) {
        PRECOMPILE = precompile;
        OUTPUT_BYTES = outputBytes;
    }

    /// @notice Answers a call as the precompile would, but with `OUTPUT_BYTES` bytes of output.
    /// @param input The precompile's input, forwarded unchanged.
    /// @return output The first `OUTPUT_BYTES` bytes of the precompile's answer, zero-padded.
    fallback(bytes calldata input) external returns (bytes memory output) {
        (bool ok, bytes memory answer) = PRECOMPILE.staticcall(input);
        // A failing precompile returns no data; failing the same way keeps the library on its failure path.
        if (!ok) revert();
        output = new bytes(OUTPUT_BYTES);
        uint256 copied = answer.length < OUTPUT_BYTES ? answer.length : OUTPUT_BYTES;
        for (uint256 i = 0; i < copied; ++i) output[i] = answer[i];
    }
}

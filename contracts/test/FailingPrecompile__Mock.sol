// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Test doubles are named X__Mock (STYLE.md), which this rule does not know; the double fails as a precompile does,
// with no revert data (not a custom error).
// solhint-disable contract-name-capwords, gas-custom-errors

/// @title A precompile whose every call fails
/// @notice Test double for the attack tests of the BN254 and BLS libraries: stands for a precompile that fails (as
/// one does out of gas), so that the libraries' failure path is told apart from their wrong-size path. Installed
/// like {Precompile__Mock}, at an address the harness's precompile calls are redirected to.
contract FailingPrecompile__Mock {
    /// @notice Fails every call, with no revert data.
    fallback() external {
        revert();
    }
}

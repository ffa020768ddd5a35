// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Test doubles are named X__Mock (STYLE.md), which this rule does not know.
// solhint-disable contract-name-capwords

import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title Contract account test double
/// @notice Forwards any call it is asked to make, so that a contract can hold a role (a beneficiary, a revoker) and
/// act in it, also from inside a token's transfer hook. Anyone may use it: for tests only.
contract Caller__Mock {
    /// @notice Calls `target` with `data`; a revert is bubbled with the callee's own data (`FailedCall()` if empty).
    /// @param target The contract to call.
    /// @param data The calldata.
    /// @return What the call returned.
    function forward(address target, bytes calldata data) external returns (bytes memory) {
        return Address.functionCall(target, data);
    }
}

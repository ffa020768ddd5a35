// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Test doubles are named X__Mock (STYLE.md), which this rule does not know.
// solhint-disable contract-name-capwords

import {ServiceNodeRewards} from "../ServiceNodeRewards.sol";

/// @title A second version of ServiceNodeRewards, for the upgrade tests
/// @notice Adds one pure function and no storage: the upgrade tests check that every node, balance and setting of
/// the first version survives an upgrade to it.
/// @dev It needs no initializer of its own: it adds no state, and the proxy was initialised by the first version.
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract ServiceNodeRewardsV2__Mock is ServiceNodeRewards {
    /// @dev The version this double reports.
    uint256 private constant VERSION_2 = 2;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() ServiceNodeRewards() {}

    /// @notice Tells the second version from the first.
    /// @return The version: 2.
    function version2() external pure returns (uint256) {
        return VERSION_2;
    }
}

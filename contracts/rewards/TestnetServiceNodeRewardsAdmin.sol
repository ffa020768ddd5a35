// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ServiceNodeRewardsAdmin} from "./ServiceNodeRewardsAdmin.sol";

/// @title The admin half of TestnetServiceNodeRewards: ServiceNodeRewardsAdmin with the owner's exits
/// @notice Run by `delegatecall` from `TestnetServiceNodeRewards` after its owner check (see
/// `ITestnetServiceNodeRewards`).
contract TestnetServiceNodeRewardsAdmin is ServiceNodeRewardsAdmin {
    /// @notice See `ITestnetServiceNodeRewards.requestExitNodeBySNID`.
    /// @param ids The nodes.
    function requestExitNodeBySNID(uint64[] calldata ids) external onlyDelegated {
        uint256 count = ids.length;
        for (uint256 i = 0; i < count; ++i) {
            uint64 id = ids[i];
            _requestExit(id, _checkExists(id), msg.sender);
        }
    }

    /// @notice See `ITestnetServiceNodeRewards.exitNodeBySNID`.
    /// @param ids The nodes.
    function exitNodeBySNID(uint64[] calldata ids) external onlyDelegated {
        uint256 count = ids.length;
        for (uint256 i = 0; i < count; ++i) {
            uint64 id = ids[i];
            _removeNodeById(id, _checkExists(id));
        }
    }
}

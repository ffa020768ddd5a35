// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ITestnetServiceNodeRewards} from "./interfaces/ITestnetServiceNodeRewards.sol";
import {TestnetServiceNodeRewardsAdmin} from "./rewards/TestnetServiceNodeRewardsAdmin.sol";
import {ServiceNodeRewards} from "./ServiceNodeRewards.sol";

/// @title ServiceNodeRewards for testnet rehearsals, with the owner's exits
/// @notice See {ITestnetServiceNodeRewards}. Deployed by the testnet parameters only; mainnet deploys
/// `ServiceNodeRewards`.
/// @dev Its initialiser is ServiceNodeRewards' own, which the upgrades plugin does not see through the inheritance.
/// @custom:oz-upgrades-unsafe-allow constructor missing-initializer
contract TestnetServiceNodeRewards is ServiceNodeRewards, ITestnetServiceNodeRewards {
    /// @inheritdoc ITestnetServiceNodeRewards
    /// @custom:oz-upgrades-unsafe-allow-reachable delegatecall
    function requestExitNodeBySNID(uint64[] calldata) external override onlyOwner whenNotPaused {
        _runInAdmin();
    }

    /// @inheritdoc ITestnetServiceNodeRewards
    /// @custom:oz-upgrades-unsafe-allow-reachable delegatecall
    function exitNodeBySNID(uint64[] calldata) external override onlyOwner whenNotPaused {
        _runInAdmin();
    }

    /// @dev The admin half with the owner's exits.
    function _deployAdmin() internal override returns (address) {
        return address(new TestnetServiceNodeRewardsAdmin());
    }
}

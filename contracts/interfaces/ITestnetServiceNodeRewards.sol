// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IServiceNodeRewards} from "./IServiceNodeRewards.sol";

/// @title ServiceNodeRewards with the owner's exits of production's testnet
/// @notice For testnet rehearsals only (never deployed on mainnet parameters): the owner can ask for, and complete,
/// the exit of any node without its contributors or a network signature, as production's testnet contract allows,
/// to clear nodes that never came up.
interface ITestnetServiceNodeRewards is IServiceNodeRewards {
    /// @notice Records an exit request for each node, as if a contributor had asked (only the owner, not while
    /// paused). Emits `ServiceNodeExitRequest` per node, with the owner as initiator.
    /// @dev Reverts `DeleteSentinelNodeNotAllowed` for id 0, `ServiceNodeDoesntExist` for an id no node has and
    /// `LeaveRequestTooEarly` within an hour of the node's last request; the whole call reverts with the first.
    /// @param ids The nodes.
    function requestExitNodeBySNID(uint64[] calldata ids) external;

    /// @notice Removes each node now (only the owner, not while paused). Emits `ServiceNodeExit` per node with its
    /// whole deposit as the returned amount; no tokens move, as for every exit.
    /// @dev Reverts `DeleteSentinelNodeNotAllowed` for id 0 and `ServiceNodeDoesntExist` for an id no node has (a
    /// repeated id included); the whole call reverts with the first.
    /// @param ids The nodes.
    function exitNodeBySNID(uint64[] calldata ids) external;
}

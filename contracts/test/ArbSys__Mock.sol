// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Test doubles are named X__Mock (STYLE.md), which this rule does not know.
// solhint-disable contract-name-capwords

import {IArbSys} from "../interfaces/IArbSys.sol";

/// @title ArbSys test double
/// @notice Installed at 0x…64 of the local Arbitrum-like chain with `hardhat_setCode` (see `lib/chain/arbitrum.ts`).
/// The local chain has no L1, so its own block number stands for the L2 block number.
/// @dev Holds no storage and no immutables: its runtime code alone is copied to the precompile address.
contract ArbSys__Mock is IArbSys {
    /// @inheritdoc IArbSys
    function arbBlockNumber() external view returns (uint256) {
        return block.number;
    }

    /// @inheritdoc IArbSys
    function arbChainID() external view returns (uint256) {
        return block.chainid;
    }
}

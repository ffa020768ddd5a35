// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @dev Address of Arbitrum's ArbSys precompile on every Arbitrum chain.
address constant ARB_SYS_ADDRESS = address(0x64);

/// @title The part of Arbitrum's ArbSys precompile (at 0x…64) that this suite reads.
/// @notice On Arbitrum `block.number` is an approximation of the L1 block number; the chain's own block number
/// and chain id come from ArbSys. Contracts of this suite measure time in seconds and do not rely on either.
interface IArbSys {
    /// @notice The Arbitrum chain's own (L2) block number.
    /// @return The current L2 block number.
    function arbBlockNumber() external view returns (uint256);

    /// @notice The Arbitrum chain's id.
    /// @return The chain id, as `block.chainid`.
    function arbChainID() external view returns (uint256);
}

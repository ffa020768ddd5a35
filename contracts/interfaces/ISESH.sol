// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

/// @title Session Token (SESH)
/// @notice The ERC-20 token of the Session Network on Arbitrum: name `Session Token`, symbol `SESH`, 9 decimals,
/// ERC-2612 permit. The whole supply of 240,000,000 SESH is minted once, in the constructor, to the genesis
/// receiver that carries out the TGE allocation; no function can mint or burn afterwards, so `totalSupply()` is
/// constant for the token's life.
/// @dev Keeps the external interface of the production Session Network token (constructor, `VERSION`,
/// `gateway`, `router`, the ERC-20, ERC-2612 and ERC-5267 surfaces). The production token's Ethereum-side
/// Arbitrum gateway registration (`registerTokenOnL2`, `isArbitrumEnabled`) belongs to the L1 deployment and
/// is not part of this Arbitrum-side token.
interface ISESH is IERC20Metadata, IERC20Permit, IERC5267 {
    /// @notice The constructor was asked to mint a supply other than the fixed one.
    /// @param provided The supply passed to the constructor, in atoms.
    /// @param expected The only supply the token accepts (`TOTAL_SUPPLY`), in atoms.
    error TotalSupplyMismatch(uint256 provided, uint256 expected);

    /// @notice Version of this token contract's interface and behaviour.
    /// @return The version number, 1 for this contract.
    function VERSION() external view returns (uint256);

    /// @notice The whole supply minted at construction: 240,000,000 SESH in atoms (9 decimals).
    /// @return The fixed total supply in atoms.
    function TOTAL_SUPPLY() external view returns (uint256);

    /// @notice The Arbitrum token gateway recorded at deployment, for tooling that reads it from the production
    /// token. It has no powers over this token (zero when there is none).
    /// @return The gateway address given to the constructor.
    function gateway() external view returns (address);

    /// @notice The Arbitrum gateway router recorded at deployment, for tooling that reads it from the production
    /// token. It has no powers over this token (zero when there is none).
    /// @return The router address given to the constructor.
    function router() external view returns (address);
}

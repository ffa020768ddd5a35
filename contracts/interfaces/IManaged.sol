// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

// `ERC20Rescued` keeps the signature the bridge and the distributor emitted before the base (amounts are not
// filtered on).
// solhint-disable gas-indexed-events

/// @title The owner's controls every deployable of the suite shares
/// @notice `OxenClaimsBridge`, `MerkleDistributor`, `ServiceNodeRewards` and `RewardRatePool` all have one owner who
/// takes over in two steps (`transferOwnership`, then `acceptOwnership` by the new owner) and can never leave
/// (`renounceOwnership` always reverts: each contract needs an owner to pause it and to act on what it holds), who
/// can pause every outflow of tokens, and who can send back tokens that were sent to the contract by mistake, but
/// never the tokens the contract owes.
/// @dev Implemented once for plain contracts (`Managed`) and once for contracts behind a proxy
/// (`ManagedUpgradeable`); each contract says, in `_rescuableSurplus`, how much of a token it may give back.
interface IManaged {
    /// @notice `renounceOwnership` was called: the contract must always keep an owner.
    error OwnershipCannotBeRenounced();

    /// @notice `rescueERC20` was given the zero address as the recipient.
    error RescueToZeroAddress();

    /// @notice `rescueERC20` was asked for nothing.
    error RescueAmountIsZero();

    /// @notice `rescueERC20` was asked for a token the contract owes as a whole (for instance the token it pays
    /// out): no amount of it counts as sent by mistake.
    /// @param token The token.
    error TokenNotRescuable(address token);

    /// @notice `rescueERC20` was asked for more of `token` than the contract holds beyond what it owes.
    /// @param token The token.
    /// @param amount The amount asked for.
    /// @param surplus What the contract holds beyond what it owes.
    error RescueExceedsSurplus(address token, uint256 amount, uint256 surplus);

    /// @notice The owner sent tokens that were not owed back out of the contract.
    /// @param token The token.
    /// @param to The recipient.
    /// @param amount The amount sent.
    event ERC20Rescued(address indexed token, address indexed to, uint256 amount);

    /// @notice Sends `amount` of `token`, held by the contract beyond what it owes, to `to` (only the owner, not while
    /// paused). Emits {ERC20Rescued}.
    /// @dev Reverts {RescueToZeroAddress}, {RescueAmountIsZero}, {TokenNotRescuable} for a token the contract owes as
    /// a whole, and {RescueExceedsSurplus} above the surplus, in that order.
    /// @param token The token to send.
    /// @param to The recipient.
    /// @param amount The amount to send.
    function rescueERC20(IERC20 token, address to, uint256 amount) external;

    /// @notice Stops every outflow of tokens and every state change the contract names (only the owner). Emits
    /// `Paused`; reverts `EnforcedPause` when already paused.
    function pause() external;

    /// @notice Resumes what {pause} stopped (only the owner). Emits `Unpaused`; reverts `ExpectedPause` when not
    /// paused.
    function unpause() external;
}

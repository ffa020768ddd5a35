// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IManaged} from "../interfaces/IManaged.sol";

/// @title The checks and the transfer of `IManaged.rescueERC20`, written once for `Managed` and `ManagedUpgradeable`
/// @notice Used by both bases' `rescueERC20`: `checkRequest` before the contract's `_rescuableSurplus`, `send` after.
library Rescue {
    using SafeERC20 for IERC20;

    /// @notice Checks the request itself, before anything reads the token: a recipient and an amount.
    /// @dev Reverts `IManaged.RescueToZeroAddress`, then `IManaged.RescueAmountIsZero`.
    /// @param to The recipient.
    /// @param amount The amount to send.
    function checkRequest(address to, uint256 amount) internal pure {
        if (to == address(0)) revert IManaged.RescueToZeroAddress();
        if (amount == 0) revert IManaged.RescueAmountIsZero();
    }

    /// @notice Checks `amount` against `surplus`, emits `IManaged.ERC20Rescued` and transfers.
    /// @dev Reverts `IManaged.RescueExceedsSurplus`; a token whose transfer fails reverts with SafeERC20's error.
    /// @param token The token to send.
    /// @param to The recipient.
    /// @param amount The amount to send.
    /// @param surplus What the contract holds of `token` beyond what it owes.
    function send(IERC20 token, address to, uint256 amount, uint256 surplus) internal {
        if (amount > surplus) revert IManaged.RescueExceedsSurplus(address(token), amount, surplus);
        emit IManaged.ERC20Rescued(address(token), to, amount);
        token.safeTransfer(to, amount);
    }
}

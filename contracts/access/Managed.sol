// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IManaged} from "../interfaces/IManaged.sol";
import {Rescue} from "../libraries/Rescue.sol";

/// @title Two-step ownership that cannot be renounced, pause and rescue, for a plain (not upgradeable) contract
/// @notice See {IManaged}. The upgradeable twin is `ManagedUpgradeable`.
abstract contract Managed is IManaged, Ownable2Step, Pausable {
    /// @notice Sets the owner, who takes over in two steps from then on, and starts unpaused.
    /// @param initialOwner The owner; zero reverts `OwnableInvalidOwner(address(0))`.
    constructor(address initialOwner) Ownable(initialOwner) {}

    /// @inheritdoc IManaged
    function rescueERC20(IERC20 token, address to, uint256 amount) external override onlyOwner whenNotPaused {
        Rescue.checkRequest(to, amount);
        Rescue.send(token, to, amount, _rescuableSurplus(token));
    }

    /// @inheritdoc IManaged
    function pause() external override onlyOwner {
        _pause();
    }

    /// @inheritdoc IManaged
    function unpause() external override onlyOwner {
        _unpause();
    }

    /// @notice Always reverts {OwnershipCannotBeRenounced} (after the owner check): the contract must keep an owner.
    /// @dev `view` because it changes nothing; production's ABI lists it as nonpayable, which calls it the same way.
    function renounceOwnership() public view override onlyOwner {
        revert OwnershipCannotBeRenounced();
    }

    /// @notice How much of `token` the contract holds beyond what it owes: the most `rescueERC20` may send.
    /// @dev By default all of it. A contract reverts {TokenNotRescuable} here for a token it owes as a whole.
    /// @param token The token.
    /// @return The surplus.
    function _rescuableSurplus(IERC20 token) internal view virtual returns (uint256) {
        return token.balanceOf(address(this));
    }
}

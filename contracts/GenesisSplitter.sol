// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IGenesisSplitter} from "./interfaces/IGenesisSplitter.sol";

/// @title GenesisSplitter
/// @notice Splits a token's genesis supply by the TGE allocation table in one transaction; see {IGenesisSplitter}.
contract GenesisSplitter is IGenesisSplitter {
    using SafeERC20 for IERC20;

    address private immutable DEPLOYER;

    /// @dev Zero until the split; set once, by the successful {split}.
    IERC20 private _splitToken;

    /// @notice Records the deploying account as the only one that may call {split}.
    constructor() {
        DEPLOYER = msg.sender;
    }

    /// @inheritdoc IGenesisSplitter
    function split(IERC20 token, address[] calldata recipients, uint256[] calldata amounts) external override {
        if (msg.sender != DEPLOYER) revert NotDeployer(msg.sender, DEPLOYER);
        if (address(_splitToken) != address(0)) revert AlreadySplit(_splitToken);
        uint256 balance = token.balanceOf(address(this));
        if (balance == 0) revert NothingToSplit(token);
        uint256 lines = recipients.length;
        if (amounts.length != lines) revert LengthMismatch(lines, amounts.length);

        // Every line is checked before the first transfer, so that a bad table reverts whole with its line named.
        uint256 unallocated = balance;
        for (uint256 index = 0; index < lines; ++index) {
            address recipient = recipients[index];
            if (recipient == address(0) || recipient == address(this)) revert InvalidRecipient(index, recipient);
            uint256 amount = amounts[index];
            if (amount == 0) revert ZeroAmount(index);
            if (amount > unallocated) revert AllocationExceedsBalance(index, amount, unallocated);
            // Cannot underflow: amount <= unallocated was checked on the line above.
            unchecked {
                unallocated -= amount;
            }
        }
        if (unallocated != 0) revert AllocationBelowBalance(balance - unallocated, balance);

        _splitToken = token;
        for (uint256 index = 0; index < lines; ++index) {
            token.safeTransfer(recipients[index], amounts[index]);
        }
        emit Split(token, lines, balance);
    }

    /// @inheritdoc IGenesisSplitter
    function deployer() external view override returns (address) {
        return DEPLOYER;
    }

    /// @inheritdoc IGenesisSplitter
    function splitToken() external view override returns (IERC20) {
        return _splitToken;
    }
}

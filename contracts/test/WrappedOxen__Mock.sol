// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Test doubles are named X__Mock (STYLE.md), which this rule does not know.
// solhint-disable contract-name-capwords

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title Wrapped OXEN test double
/// @notice A plain ERC-20 with 9 decimals, like wOXEN, that anyone may mint: for tests only.
contract WrappedOxen__Mock is ERC20 {
    /// @dev wOXEN keeps OXEN's precision.
    uint8 private constant DECIMALS = 9;

    /// @notice Deploys the token with no supply.
    constructor() ERC20("Wrapped OXEN", "wOXEN") {}

    /// @notice Mints `amount` atoms to `to`.
    /// @param to Receives the tokens.
    /// @param amount Atoms to mint.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Number of decimals: 9, as OXEN.
    /// @return Always 9.
    function decimals() public pure override returns (uint8) {
        return DECIMALS;
    }
}

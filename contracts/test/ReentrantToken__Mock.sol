// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Test doubles are named X__Mock (STYLE.md), which this rule does not know.
// solhint-disable contract-name-capwords

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ERC-20 test double with a transfer hook
/// @notice A plain ERC-20 that anyone may mint and that, once armed, calls a target with given calldata in the
/// middle of its next transfer (after the balances moved), as an ERC-777 or a malicious token could: for
/// re-entrancy tests only. The hook fires once, then disarms; the outcome of the call is recorded, not bubbled.
contract ReentrantToken__Mock is ERC20 {
    address private _hookTarget;
    bytes private _hookData;
    bool private _hookCalled;
    bool private _hookSucceeded;
    bytes private _hookReturnData;

    /// @notice Deploys the token with no supply.
    constructor() ERC20("Reentrant Token", "REENTER") {}

    /// @notice Mints `amount` atoms to `to`.
    /// @param to Receives the tokens.
    /// @param amount Atoms to mint.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the hook: the next transfer calls `target` with `data`.
    /// @param target The contract to call back.
    /// @param data The calldata to send it.
    function armHook(address target, bytes calldata data) external {
        _hookTarget = target;
        _hookData = data;
        _hookCalled = false;
        _hookSucceeded = false;
        delete _hookReturnData;
    }

    /// @notice What the hook did since it was last armed.
    /// @return called Whether it fired.
    /// @return succeeded Whether its call succeeded.
    /// @return returned What the call returned (its revert data when it failed).
    function hookOutcome() external view returns (bool called, bool succeeded, bytes memory returned) {
        return (_hookCalled, _hookSucceeded, _hookReturnData);
    }

    /// @dev Moves the balances, then fires the armed hook once (disarming it first, so it cannot recurse).
    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        address target = _hookTarget;
        if (target == address(0)) return;
        _hookTarget = address(0);
        _hookCalled = true;
        // The re-entrant call is the point of this double; its outcome is recorded for the test to read.
        // solhint-disable-next-line avoid-low-level-calls
        (bool success, bytes memory returned) = target.call(_hookData);
        _hookSucceeded = success;
        _hookReturnData = returned;
    }
}

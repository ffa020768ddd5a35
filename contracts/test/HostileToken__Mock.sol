// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Test doubles are named X__Mock (STYLE.md), which this rule does not know.
// solhint-disable contract-name-capwords

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ERC-20 test double that misbehaves on demand
/// @notice A mintable ERC-20 for attacks on contracts that hold arbitrary tokens: a transfer fee (taken from the
/// amount, so the recipient gets less than was sent), a `burn` anyone may call (a negative rebase or a slashing of
/// the holder's balance), and a hook that, once armed, calls a target with given calldata during the next transfer,
/// before the balances move (as a token with a pre-transfer callback) or after them (as an ERC-777 receive hook),
/// and a switch that makes `transfer` return false without moving anything (as some old tokens fail).
/// The hook fires once, then disarms; its outcome is recorded, not bubbled. For tests only.
contract HostileToken__Mock is ERC20 {
    /// @dev Fees are in basis points of the amount sent.
    uint256 private constant BASIS_POINTS = 10_000;

    uint256 private _feeBasisPoints;
    bool private _refuseTransfers;
    address private _hookTarget;
    bytes private _hookData;
    bool private _hookBeforeMove;
    bool private _hookCalled;
    bool private _hookSucceeded;
    bytes private _hookReturnData;

    /// @notice Deploys the token with no supply, no fee and no hook.
    constructor() ERC20("Hostile Token", "HOSTILE") {}

    /// @notice Mints `amount` atoms to `to`.
    /// @param to Receives the tokens.
    /// @param amount Atoms to mint.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Destroys `amount` atoms of `from`'s balance, without its consent: a negative rebase.
    /// @param from The holder whose balance shrinks.
    /// @param amount Atoms to destroy.
    function burn(address from, uint256 amount) external {
        _burn(from, amount);
    }

    /// @notice Sets the fee every later transfer takes from the amount sent (destroyed, not paid to anyone).
    /// @param feeBasisPoints The fee, in basis points of the amount (at most 10,000).
    function setFee(uint256 feeBasisPoints) external {
        _feeBasisPoints = feeBasisPoints;
    }

    /// @notice Makes every later `transfer` return false, moving nothing, or lets transfers work again.
    /// @param refuse True to refuse transfers.
    function setRefuseTransfers(bool refuse) external {
        _refuseTransfers = refuse;
    }

    /// @notice Arms the hook: the next transfer calls `target` with `data`, before or after the balances move.
    /// @param target The contract to call.
    /// @param data The calldata to send it.
    /// @param beforeMove True to call before the balances move, false after.
    function armHook(address target, bytes calldata data, bool beforeMove) external {
        _hookTarget = target;
        _hookData = data;
        _hookBeforeMove = beforeMove;
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

    /// @notice Moves `value` atoms to `to`, or returns false and moves nothing while transfers are refused.
    /// @param to The recipient.
    /// @param value Atoms sent (the recipient gets them less the fee).
    /// @return Whether the transfer happened.
    function transfer(address to, uint256 value) public override returns (bool) {
        if (_refuseTransfers) return false;
        return super.transfer(to, value);
    }

    /// @dev Fires the hook before or after moving the balances; a transfer (not a mint or a burn) pays the fee.
    function _update(address from, address to, uint256 value) internal override {
        if (_hookBeforeMove) _fireHook();
        uint256 fee = from == address(0) || to == address(0) ? 0 : (value * _feeBasisPoints) / BASIS_POINTS;
        if (fee != 0) super._update(from, address(0), fee);
        super._update(from, to, value - fee);
        if (!_hookBeforeMove) _fireHook();
    }

    /// @dev Calls the armed target once, disarming first so that it cannot recurse.
    function _fireHook() private {
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

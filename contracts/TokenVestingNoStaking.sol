// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {ITokenVestingNoStaking} from "./interfaces/ITokenVestingNoStaking.sol";

/// @title Investor vesting without staking
/// @notice One contract per holder: 20 % of each token vests at the cliff, the rest linearly until the end; the
/// revoker, if any, may take back the unvested part of each token once. See {ITokenVestingNoStaking}.
/// @dev Self-contained (no shared vesting base). Each token's state is its `released` amount and its revoked flag;
/// its total is always recomputed as balance + released, so tokens sent at any time join the schedule. `release`
/// and `revoke` follow checks-effects-interactions and also hold a re-entrancy lock, because a token
/// passed to them is arbitrary code: a token that calls back before it moves the balance would otherwise see the
/// released amount raised while the balance is not yet lowered, an inflated total.
contract TokenVestingNoStaking is ITokenVestingNoStaking, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @inheritdoc ITokenVestingNoStaking
    uint256 public constant override CLIFF_DENOMINATOR = 5;

    uint256 private immutable CLIFF;
    uint256 private immutable END;
    bool private immutable TRANSFERABLE_BENEFICIARY;

    address private _beneficiary;
    address private _revoker;
    /// @dev Set by the first successful `revoke`, whatever the token: production's `revoked()`.
    bool private _anyRevoked;
    mapping(IERC20 token => uint256 amount) private _released;
    mapping(IERC20 token => bool revoked) private _revoked;

    modifier onlyBeneficiary() {
        _checkBeneficiary();
        _;
    }

    modifier onlyRevoker() {
        _checkRevoker();
        _;
    }

    /// @notice Sets up the vesting; fund it by transferring the tokens to this contract (at any time: the total is
    /// the balance plus what has been released).
    /// @param beneficiary_ Receives the tokens and may release them; the zero address or this contract reverts with
    /// {InvalidBeneficiary}.
    /// @param revoker_ May revoke each token once before the end; `address(0)` for a vesting that cannot be revoked.
    /// @param cliff_ When the first fifth vests (Unix seconds); 0 reverts with {ZeroCliff}, a cliff after the end
    /// with {CliffAfterEnd}. A cliff in the past is accepted; a cliff equal to the end vests everything at once then.
    /// @param end_ When everything has vested (Unix seconds); not after the block's timestamp reverts with
    /// {EndNotInFuture}.
    /// @param transferableBeneficiary_ Whether the beneficiary may hand the vesting to another address.
    constructor(address beneficiary_, address revoker_, uint256 cliff_, uint256 end_, bool transferableBeneficiary_) {
        _checkBeneficiaryAddress(beneficiary_);
        // Timestamp 0 is a typo, not a date: it would vest almost everything at once.
        if (cliff_ == 0) revert ZeroCliff();
        if (cliff_ > end_) revert CliffAfterEnd(cliff_, end_);
        // solhint-disable-next-line gas-strict-inequalities
        if (end_ <= block.timestamp) revert EndNotInFuture(end_, block.timestamp);
        _beneficiary = beneficiary_;
        _revoker = revoker_;
        CLIFF = cliff_;
        END = end_;
        TRANSFERABLE_BENEFICIARY = transferableBeneficiary_;
    }

    /// @inheritdoc ITokenVestingNoStaking
    function release(IERC20 token) external override onlyBeneficiary nonReentrant {
        uint256 amount = _releasableAt(token, block.timestamp);
        if (amount == 0) revert NothingToRelease(token);
        _released[token] += amount;
        emit TokensReleased(token, amount);
        token.safeTransfer(_beneficiary, amount);
    }

    /// @inheritdoc ITokenVestingNoStaking
    function revoke(IERC20 token) external override onlyRevoker nonReentrant {
        if (_revoked[token]) revert AlreadyRevoked(token);
        // solhint-disable-next-line gas-strict-inequalities
        if (block.timestamp >= END) revert VestingEnded(END, block.timestamp);
        // What stays is what the beneficiary could release now; it is at most the balance, since the vested amount
        // never exceeds balance + released.
        uint256 refund = token.balanceOf(address(this)) - _releasableAt(token, block.timestamp);
        _revoked[token] = true;
        _anyRevoked = true;
        emit TokenVestingRevoked(token, refund);
        // Some tokens refuse a transfer of 0; nothing needs to move then.
        if (refund != 0) token.safeTransfer(_revoker, refund);
    }

    /// @inheritdoc ITokenVestingNoStaking
    function transferBeneficiary(address beneficiary_) external override onlyBeneficiary {
        if (!TRANSFERABLE_BENEFICIARY) revert BeneficiaryNotTransferable();
        _checkBeneficiaryAddress(beneficiary_);
        address oldBeneficiary = _beneficiary;
        _beneficiary = beneficiary_;
        emit BeneficiaryTransferred(oldBeneficiary, beneficiary_);
    }

    /// @inheritdoc ITokenVestingNoStaking
    function transferRevoker(address revoker_) external override onlyRevoker {
        address oldRevoker = _revoker;
        _revoker = revoker_;
        emit RevokerTransferred(oldRevoker, revoker_);
    }

    /// @inheritdoc ITokenVestingNoStaking
    function cliff() external view override returns (uint256) {
        return CLIFF;
    }

    /// @inheritdoc ITokenVestingNoStaking
    function end() external view override returns (uint256) {
        return END;
    }

    /// @inheritdoc ITokenVestingNoStaking
    function transferableBeneficiary() external view override returns (bool) {
        return TRANSFERABLE_BENEFICIARY;
    }

    /// @inheritdoc ITokenVestingNoStaking
    function getBeneficiary() external view override returns (address) {
        return _beneficiary;
    }

    /// @inheritdoc ITokenVestingNoStaking
    function getRevoker() external view override returns (address) {
        return _revoker;
    }

    /// @inheritdoc ITokenVestingNoStaking
    function revoked() external view override returns (bool) {
        return _anyRevoked;
    }

    /// @inheritdoc ITokenVestingNoStaking
    function isRevoked(IERC20 token) external view override returns (bool) {
        return _revoked[token];
    }

    /// @inheritdoc ITokenVestingNoStaking
    function released(IERC20 token) external view override returns (uint256) {
        return _released[token];
    }

    /// @inheritdoc ITokenVestingNoStaking
    function vestedAmount(IERC20 token, uint256 timestamp) external view override returns (uint256) {
        return _vestedAt(token, timestamp);
    }

    /// @inheritdoc ITokenVestingNoStaking
    function releasable(IERC20 token) external view override returns (uint256) {
        return _releasableAt(token, block.timestamp);
    }

    function _checkBeneficiary() internal view {
        if (msg.sender != _beneficiary) revert NotBeneficiary(msg.sender);
    }

    function _checkRevoker() internal view {
        // A revoker of address(0) matches no caller: such a vesting cannot be revoked.
        if (msg.sender != _revoker) revert NotRevoker(msg.sender);
    }

    /// @dev This contract as beneficiary could never call `release`: its tokens would be stuck.
    function _checkBeneficiaryAddress(address beneficiary_) private view {
        if (beneficiary_ == address(0) || beneficiary_ == address(this)) revert InvalidBeneficiary(beneficiary_);
    }

    /// @dev Vested minus released, and 0 rather than an underflow when a token's balance shrank on its own
    /// (a negative rebase, a fee taken from the sender) below what the schedule says was due.
    function _releasableAt(IERC20 token, uint256 timestamp) private view returns (uint256) {
        uint256 vested = _vestedAt(token, timestamp);
        uint256 alreadyReleased = _released[token];
        return vested > alreadyReleased ? vested - alreadyReleased : 0;
    }

    /// @dev The schedule applied to total = balance + released. Once a token is revoked, its unvested part has been
    /// refunded, so whatever is left (and whatever arrives later) is the beneficiary's: the whole total.
    function _vestedAt(IERC20 token, uint256 timestamp) private view returns (uint256) {
        uint256 total = token.balanceOf(address(this)) + _released[token];
        if (_revoked[token]) return total;
        if (timestamp < CLIFF) return 0;
        // solhint-disable-next-line gas-strict-inequalities
        if (timestamp >= END) return total;
        // Here CLIFF <= timestamp < END, so END − CLIFF > 0. The cliff part is rounded down and the linear part too,
        // and the linear part is below total − atCliff since timestamp − CLIFF < END − CLIFF: vested < total.
        uint256 atCliff = total / CLIFF_DENOMINATOR;
        return atCliff + Math.mulDiv(total - atCliff, timestamp - CLIFF, END - CLIFF);
    }
}

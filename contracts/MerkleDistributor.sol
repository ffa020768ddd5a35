// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {Managed} from "./access/Managed.sol";
import {IMerkleDistributor} from "./interfaces/IMerkleDistributor.sol";

/// @title Merkle distributor of one award campaign
/// @notice Claim-once Merkle airdrop with an optional deadline (fixed at deployment) and sweep, optional linear
/// vesting, and a rescue of other tokens sent by mistake; see {IMerkleDistributor}.
/// @dev The owner's controls (two-step ownership that cannot be renounced, pause, rescue) come from {Managed}; the
/// distributor only says, in `_rescuableSurplus`, that the campaign token is never rescued.
contract MerkleDistributor is IMerkleDistributor, Managed {
    using SafeERC20 for IERC20;

    /// @dev `claimDeadline == NO_DEADLINE`: claims never close and nothing can be swept.
    uint256 private constant NO_DEADLINE = 0;
    /// @dev `vestingDuration == NO_VESTING`: awards are paid in full at claim.
    uint256 private constant NO_VESTING = 0;
    /// @dev Claimed flags are packed 256 to a storage word.
    uint256 private constant BITS_PER_WORD = 256;

    IERC20 private immutable TOKEN;
    bytes32 private immutable MERKLE_ROOT;
    uint256 private immutable CLAIM_DEADLINE;
    address private immutable SWEEP_RECIPIENT;
    uint256 private immutable VESTING_START;
    uint256 private immutable VESTING_DURATION;

    mapping(uint256 wordIndex => uint256 word) private _claimedWords;
    mapping(address account => uint256 amount) private _awarded;
    mapping(address account => uint256 amount) private _released;
    uint256 private _totalAwarded;
    uint256 private _totalReleased;

    /// @notice Sets up the campaign; fund it by transferring the campaign's total of `token` to this contract.
    /// @param token_ The token paid out; zero reverts with {InvalidToken}.
    /// @param merkleRoot_ The root of the awards tree; zero reverts with {InvalidMerkleRoot}.
    /// @param claimDeadline_ The last second at which claims are accepted, 0 for none; it can never be changed (see
    /// {IMerkleDistributor} on the trust model).
    /// @param sweepRecipient_ Where `sweep` sends what no award owes; zero reverts with {InvalidSweepRecipient}.
    /// @param vestingStart_ Start of the linear vesting (Unix seconds); must be 0 without vesting, else
    /// {VestingStartWithoutDuration}, and not 0 with vesting, else {ZeroVestingStart} (a start in the past is
    /// accepted); when a deadline is set it must be before it, else {ClaimDeadlineNotAfterVestingStart}.
    /// @param vestingDuration_ Length of the linear vesting in seconds, 0 to pay awards in full at claim.
    /// @param initialOwner The owner (may sweep and pause); zero reverts with `OwnableInvalidOwner(address(0))`.
    constructor(
        IERC20 token_,
        bytes32 merkleRoot_,
        uint256 claimDeadline_,
        address sweepRecipient_,
        uint256 vestingStart_,
        uint256 vestingDuration_,
        address initialOwner
    ) Managed(initialOwner) {
        if (address(token_) == address(0)) revert InvalidToken(address(token_));
        if (merkleRoot_ == bytes32(0)) revert InvalidMerkleRoot(merkleRoot_);
        if (sweepRecipient_ == address(0)) revert InvalidSweepRecipient(sweepRecipient_);
        if (vestingDuration_ == NO_VESTING && vestingStart_ != 0) revert VestingStartWithoutDuration(vestingStart_);
        // Timestamp 0 is a typo, not a date: it would vest every award at once.
        if (vestingDuration_ != NO_VESTING && vestingStart_ == 0) revert ZeroVestingStart(vestingDuration_);
        // The deadline is the last second of the claim window, hence the non-strict comparisons with it.
        // solhint-disable-next-line gas-strict-inequalities
        if (vestingDuration_ != NO_VESTING && claimDeadline_ != NO_DEADLINE && claimDeadline_ <= vestingStart_) {
            revert ClaimDeadlineNotAfterVestingStart(claimDeadline_, vestingStart_);
        }
        TOKEN = token_;
        MERKLE_ROOT = merkleRoot_;
        CLAIM_DEADLINE = claimDeadline_;
        SWEEP_RECIPIENT = sweepRecipient_;
        VESTING_START = vestingStart_;
        VESTING_DURATION = vestingDuration_;
    }

    /// @inheritdoc IMerkleDistributor
    function claim(
        uint256 index,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) external override whenNotPaused {
        if (CLAIM_DEADLINE != NO_DEADLINE && block.timestamp > CLAIM_DEADLINE) {
            revert ClaimDeadlinePassed(block.timestamp, CLAIM_DEADLINE);
        }
        // A leaf for the zero address could never be paid; with vesting it would be recorded and owed forever.
        if (account == address(0)) revert ZeroAccount(index);
        if (isClaimed(index)) revert AlreadyClaimed(index);
        // The StandardMerkleTree leaf: the double hash keeps a leaf from being read as an inner node.
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
        if (!MerkleProof.verifyCalldata(proof, MERKLE_ROOT, leaf)) revert InvalidProof(index, account, amount);

        _setClaimed(index);
        if (VESTING_DURATION == NO_VESTING) {
            _checkPool(amount);
            emit Claimed(index, account, amount);
            TOKEN.safeTransfer(account, amount);
        } else {
            _awarded[account] += amount;
            _totalAwarded += amount;
            emit Claimed(index, account, amount);
            uint256 due = _releasableAt(account, block.timestamp);
            if (due != 0) _release(account, due);
        }
    }

    /// @inheritdoc IMerkleDistributor
    function release(address account) external override whenNotPaused {
        uint256 due = _releasableAt(account, block.timestamp);
        if (due == 0) revert NothingToRelease(account);
        _release(account, due);
    }

    /// @inheritdoc IMerkleDistributor
    function sweep() external override onlyOwner whenNotPaused {
        if (CLAIM_DEADLINE == NO_DEADLINE) revert NoClaimDeadline();
        // solhint-disable-next-line gas-strict-inequalities
        if (block.timestamp <= CLAIM_DEADLINE) revert ClaimDeadlineNotPassed(block.timestamp, CLAIM_DEADLINE);
        uint256 balance = TOKEN.balanceOf(address(this));
        // Claimed vesting awards keep what they still owe; an underfunded contract has nothing to sweep.
        uint256 owed = _totalAwarded - _totalReleased;
        uint256 amount = balance > owed ? balance - owed : 0;
        emit Swept(SWEEP_RECIPIENT, amount);
        TOKEN.safeTransfer(SWEEP_RECIPIENT, amount);
    }

    /// @inheritdoc IMerkleDistributor
    function token() external view override returns (IERC20) {
        return TOKEN;
    }

    /// @inheritdoc IMerkleDistributor
    function merkleRoot() external view override returns (bytes32) {
        return MERKLE_ROOT;
    }

    /// @inheritdoc IMerkleDistributor
    function claimDeadline() external view override returns (uint256) {
        return CLAIM_DEADLINE;
    }

    /// @inheritdoc IMerkleDistributor
    function sweepRecipient() external view override returns (address) {
        return SWEEP_RECIPIENT;
    }

    /// @inheritdoc IMerkleDistributor
    function vestingStart() external view override returns (uint256) {
        return VESTING_START;
    }

    /// @inheritdoc IMerkleDistributor
    function vestingDuration() external view override returns (uint256) {
        return VESTING_DURATION;
    }

    /// @inheritdoc IMerkleDistributor
    function awarded(address account) external view override returns (uint256) {
        return _awarded[account];
    }

    /// @inheritdoc IMerkleDistributor
    function released(address account) external view override returns (uint256) {
        return _released[account];
    }

    /// @inheritdoc IMerkleDistributor
    function totalAwarded() external view override returns (uint256) {
        return _totalAwarded;
    }

    /// @inheritdoc IMerkleDistributor
    function totalReleased() external view override returns (uint256) {
        return _totalReleased;
    }

    /// @inheritdoc IMerkleDistributor
    function vestedAmount(address account, uint256 timestamp) external view override returns (uint256) {
        return _vestedAt(account, timestamp);
    }

    /// @inheritdoc IMerkleDistributor
    function releasable(address account) external view override returns (uint256) {
        return _releasableAt(account, block.timestamp);
    }

    /// @inheritdoc IMerkleDistributor
    function isClaimed(uint256 index) public view override returns (bool) {
        uint256 mask = 1 << (index % BITS_PER_WORD);
        return _claimedWords[index / BITS_PER_WORD] & mask != 0;
    }

    /// @notice What `rescueERC20` may send of `token_`: never the campaign token, which is owed to the claimants
    /// (`sweep`, after the deadline, is its only way out); any other token up to the contract's balance.
    /// @dev Reverts {TokenNotRescuable} for the campaign token. (`token_`: `token` is the campaign token's getter.)
    /// @param token_ The token asked for.
    /// @return The contract's balance of `token_`.
    function _rescuableSurplus(IERC20 token_) internal view override returns (uint256) {
        if (token_ == TOKEN) revert TokenNotRescuable(address(token_));
        return super._rescuableSurplus(token_);
    }

    function _setClaimed(uint256 index) private {
        _claimedWords[index / BITS_PER_WORD] |= 1 << (index % BITS_PER_WORD);
    }

    /// @dev Effects before the transfer (checks-effects-interactions): `due` is recorded as released first.
    function _release(address account, uint256 due) private {
        _checkPool(due);
        _released[account] += due;
        _totalReleased += due;
        emit Released(account, due);
        TOKEN.safeTransfer(account, due);
    }

    /// @dev Reverts with {InsufficientPool} when the contract holds less than `needed`; exactly `needed` passes.
    function _checkPool(uint256 needed) private view {
        uint256 available = TOKEN.balanceOf(address(this));
        if (needed > available) revert InsufficientPool(needed, available);
    }

    function _releasableAt(address account, uint256 timestamp) private view returns (uint256) {
        // vested ≥ released always: vested only grows with time and releases are capped by it.
        return _vestedAt(account, timestamp) - _released[account];
    }

    /// @dev Linear vesting: awarded × elapsed / duration, rounded down, with elapsed = timestamp − start capped at
    /// the duration. `elapsed >= duration` is compared instead of `timestamp >= start + duration` so that no sum
    /// can overflow; mulDiv keeps the product exact.
    function _vestedAt(address account, uint256 timestamp) private view returns (uint256) {
        uint256 total = _awarded[account];
        if (timestamp < VESTING_START) return 0;
        uint256 elapsed = timestamp - VESTING_START;
        // solhint-disable-next-line gas-strict-inequalities
        if (elapsed >= VESTING_DURATION) return total;
        return Math.mulDiv(total, elapsed, VESTING_DURATION);
    }
}

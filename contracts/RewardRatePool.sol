// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {ManagedUpgradeable} from "./access/ManagedUpgradeable.sol";
import {IRewardRatePool} from "./interfaces/IRewardRatePool.sol";

/// @title Reward rate pool
/// @notice Releases the staking-rewards allocation to the rewards contract at 15.1 % a year, simple, on its balance;
/// see {IRewardRatePool}. Deployed behind a transparent proxy.
/// @dev Storage, three slots (OpenZeppelin's ownership and initialization state live in their ERC-7201
/// namespaces): slot 0 is `_payouts`, `lastPaidOutTime` (uint64) packed with `totalPaidOut` (uint184) and the pause
/// flag, which every payout reads and writes together (the flag lives here rather than in OpenZeppelin's pause
/// namespace, which would cost a payout a second cold slot: `paused`, `_pause` and `_unpause` are overridden);
/// slot 1 is `_seshToken`, slot 2 `_beneficiaryAccount`. uint64 seconds last beyond the year 500,000,000,000;
/// uint184 atoms hold 2 × 10^55, far above any token's supply (SafeCast reverts rather than wrap).
contract RewardRatePool is IRewardRatePool, Initializable, ManagedUpgradeable {
    using SafeERC20 for IERC20;

    /// @dev The two figures every payout writes and the pause flag it reads, packed in one slot.
    /// @param lastPaidOutTime See {IRewardRatePool-lastPaidOutTime}.
    /// @param totalPaidOut See {IRewardRatePool-totalPaidOut}.
    /// @param paused See {paused}.
    struct Payouts {
        uint64 lastPaidOutTime;
        uint184 totalPaidOut;
        bool paused;
    }

    /// @inheritdoc IRewardRatePool
    uint64 public constant override ANNUAL_SIMPLE_PAYOUT_RATE = 151;
    /// @inheritdoc IRewardRatePool
    uint64 public constant override BASIS_POINTS = 1000;
    /// @inheritdoc IRewardRatePool
    uint256 public constant override VERSION = 1;
    /// @dev The year of the annual rate: 365 days, as production.
    uint256 private constant SECONDS_PER_YEAR = 365 days;
    /// @dev The one divisor of `calculatePayoutAmount`: 1000 × 365 days = 31,536,000,000.
    uint256 private constant PAYOUT_DENOMINATOR = BASIS_POINTS * SECONDS_PER_YEAR;
    /// @dev The period of `rewardRate`: 2 minutes, as production.
    uint256 private constant REWARD_RATE_PERIOD = 2 minutes;

    // Slot 0: the two figures every payout writes, in one store, and the pause flag.
    Payouts private _payouts;
    // Slots 1 and 2, one address each (an address packed with a figure would make a payout write two slots).
    IERC20 private _seshToken;
    address private _beneficiaryAccount;

    /// @notice Locks the implementation: only a proxy can be initialized.
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @inheritdoc IRewardRatePool
    function initialize(address _beneficiary, address _sesh) external override initializer {
        if (_beneficiary == address(0)) revert InvalidBeneficiary(_beneficiary);
        if (_sesh == address(0)) revert InvalidSesh(_sesh);
        __Managed_init(msg.sender);
        _seshToken = IERC20(_sesh);
        _beneficiaryAccount = _beneficiary;
        _payouts.lastPaidOutTime = SafeCast.toUint64(block.timestamp);
        emit BeneficiaryUpdated(_beneficiary);
    }

    /// @inheritdoc IRewardRatePool
    function payoutReleased() external override whenNotPaused {
        IERC20 sesh = _seshToken;
        Payouts memory payouts = _payouts;
        uint256 elapsed;
        unchecked {
            // `lastPaidOutTime` is an earlier block's timestamp, never after this one's.
            elapsed = block.timestamp - payouts.lastPaidOutTime;
        }
        uint256 amount = _releasedSince(sesh.balanceOf(address(this)), elapsed);
        // `paused` is false here (whenNotPaused).
        _payouts = Payouts({
            lastPaidOutTime: SafeCast.toUint64(block.timestamp),
            totalPaidOut: SafeCast.toUint184(payouts.totalPaidOut + amount),
            paused: false
        });
        emit FundsReleased(amount);
        if (amount != 0) sesh.safeTransfer(_beneficiaryAccount, amount);
    }

    /// @inheritdoc IRewardRatePool
    function setBeneficiary(address newBeneficiary) external override onlyOwner {
        if (newBeneficiary == address(0)) revert InvalidBeneficiary(newBeneficiary);
        _beneficiaryAccount = newBeneficiary;
        emit BeneficiaryUpdated(newBeneficiary);
    }

    /// @notice Whether the pool is paused (then `payoutReleased` reverts `EnforcedPause`).
    /// @return True while paused.
    function paused() public view override returns (bool) {
        return _payouts.paused;
    }

    /// @inheritdoc IRewardRatePool
    function SESH() external view override returns (IERC20) {
        return _seshToken;
    }

    /// @inheritdoc IRewardRatePool
    function beneficiary() external view override returns (address) {
        return _beneficiaryAccount;
    }

    /// @inheritdoc IRewardRatePool
    function lastPaidOutTime() external view override returns (uint256) {
        return _payouts.lastPaidOutTime;
    }

    /// @inheritdoc IRewardRatePool
    function totalPaidOut() external view override returns (uint256) {
        return _payouts.totalPaidOut;
    }

    /// @inheritdoc IRewardRatePool
    function calculateReleasedAmount() external view override returns (uint256) {
        return _releasedAmount();
    }

    /// @inheritdoc IRewardRatePool
    function calculateTotalDeposited() external view override returns (uint256) {
        return _totalDeposited();
    }

    /// @inheritdoc IRewardRatePool
    function rewardRate() external view override returns (uint256) {
        // The cap in `_releasedSince` keeps the released amount within the deposits, so this cannot underflow.
        return calculatePayoutAmount(_totalDeposited() - _releasedAmount(), REWARD_RATE_PERIOD);
    }

    /// @inheritdoc IRewardRatePool
    function calculatePayoutAmount(uint256 balance, uint256 timeElapsed) public pure override returns (uint256) {
        // One order, the same as lib/rewards/pool.ts: (balance × 151) × timeElapsed, then one division rounding down.
        return (balance * ANNUAL_SIMPLE_PAYOUT_RATE * timeElapsed) / PAYOUT_DENOMINATOR;
    }

    /// @dev OpenZeppelin's `_pause`, on the flag in `_payouts`.
    function _pause() internal override {
        _requireNotPaused();
        _payouts.paused = true;
        emit Paused(msg.sender);
    }

    /// @dev OpenZeppelin's `_unpause`, on the flag in `_payouts`.
    function _unpause() internal override {
        _requirePaused();
        _payouts.paused = false;
        emit Unpaused(msg.sender);
    }

    /// @dev SESH is what the pool owes the beneficiary as a whole: none of it counts as sent by mistake.
    function _rescuableSurplus(IERC20 token) internal view override returns (uint256) {
        if (token == _seshToken) revert TokenNotRescuable(address(token));
        return super._rescuableSurplus(token);
    }

    /// @dev Everything released so far, paid or not (see {IRewardRatePool-calculateReleasedAmount}).
    function _releasedAmount() private view returns (uint256) {
        Payouts memory payouts = _payouts;
        return
            payouts.totalPaidOut +
            _releasedSince(_seshToken.balanceOf(address(this)), block.timestamp - payouts.lastPaidOutTime);
    }

    /// @dev The pool's balance plus everything paid out.
    function _totalDeposited() private view returns (uint256) {
        return _seshToken.balanceOf(address(this)) + _payouts.totalPaidOut;
    }

    /// @dev What `balance` releases over `timeElapsed` seconds, at most `balance` itself: the simple rate reaches the
    /// whole balance after 1000/151 years without a payout, and paying more than the pool holds would revert every
    /// payout from then on (production's flaw).
    function _releasedSince(uint256 balance, uint256 timeElapsed) private pure returns (uint256) {
        return Math.min(calculatePayoutAmount(balance, timeElapsed), balance);
    }
}

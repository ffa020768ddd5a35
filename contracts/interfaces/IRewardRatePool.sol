// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IManaged} from "./IManaged.sol";

// The events' signatures are production's (INTERFACE.md section 7); nothing filters on their fields.
// solhint-disable gas-indexed-events

/// @title Reward rate pool: the staking-rewards allocation, released per second to the rewards contract
/// @notice Holds SESH (63,177,550 SESH at launch) and releases it continuously at 15.1 % a year, simple, on the
/// pool's balance (SPEC 3.5, INTERFACE.md section 4): over `t` seconds since the last payout, a balance `B` releases
/// `B × 151 × t / (1000 × 365 days)`, rounded down. `payoutReleased()`, which anyone may call, sends what has been
/// released to the beneficiary (the `ServiceNodeRewards` contract). Each payout lowers the balance the next one is
/// computed on, so the yearly release compounds below 15.1 %: a year releases 14.0152 % of the balance with a payout
/// every 2 minutes, 14.0179 % with one a day (the limit, continuous payouts, is 1 − e^(−0.151) ≈ 14.0152 %; with one
/// payout a year, 15.1 %).
///
/// Anyone may add SESH by a plain transfer (a top-up). A top-up counts from the last payout, not from its arrival:
/// the next payout releases `top-up × 151 × (time since the last payout) / (1000 × 365 days)` of it at once, as in
/// production; whoever tops up calls `payoutReleased()` just before to start it from now.
///
/// Our changes to production, with the same interface: the release since the last payout never exceeds the balance
/// (production's views and payout revert for ever once no payout has happened for more than 1000/151 years, about
/// 6.6 years; ours then release the whole balance); `payoutReleased()` sends no transfer when nothing was released
/// (it still records the time and emits `FundsReleased(0)`, as production does); the owner can pause payouts, and
/// can rescue any token but SESH (`IManaged`); ownership moves in two steps and cannot be renounced.
/// @dev Every rounding is down, in favour of the pool: the atoms not released by a payout stay in the pool's balance
/// and are released later, so `balanceOf(pool) + totalPaidOut()` always equals everything ever deposited. Calling
/// `payoutReleased()` every block costs the beneficiary at most one atom per call against a single later payout
/// besides the compounding; with a balance under 1000 × 365 days / 151 ≈ 208,847,683 atoms (0.21 SESH) a payout one
/// second after the last releases nothing, so payouts every second keep such a dust balance in the pool.
interface IRewardRatePool is IManaged {
    /// @notice `initialize` or `setBeneficiary` was given the zero address as the beneficiary.
    /// @param beneficiary The beneficiary given (zero).
    error InvalidBeneficiary(address beneficiary);

    /// @notice `initialize` was given the zero address as the SESH token.
    /// @param sesh The token given (zero).
    error InvalidSesh(address sesh);

    /// @notice The owner set a new beneficiary; payouts go to it from now on, including what was released before and
    /// not paid out yet.
    /// @param newBeneficiary The new beneficiary.
    event BeneficiaryUpdated(address newBeneficiary);

    /// @notice `payoutReleased()` paid `amount` SESH atoms to the beneficiary (0 when nothing was released since the
    /// last payout).
    /// @param amount The atoms paid.
    event FundsReleased(uint256 amount);

    /// @notice Sets the beneficiary and the token, makes the caller the owner, and starts the release clock now.
    /// Called once, through the proxy.
    /// @dev Reverts {InvalidBeneficiary} or {InvalidSesh} for a zero address, and `InvalidInitialization` when called
    /// again. Emits {BeneficiaryUpdated}, `OwnershipTransferred` and `Initialized(1)`.
    /// @param _beneficiary Receives the payouts (the rewards contract).
    /// @param _sesh The SESH token the pool holds and releases.
    function initialize(address _beneficiary, address _sesh) external;

    /// @notice Sends everything released since the last payout to the beneficiary, and starts the next period now.
    /// Anyone may call it; not while paused (`EnforcedPause`).
    /// @dev Pays `calculateReleasedAmount() - totalPaidOut()`, adds it to `totalPaidOut()`, sets `lastPaidOutTime()`
    /// to the block's timestamp and emits {FundsReleased}, then transfers (no transfer when the amount is 0). A
    /// second call in the same block pays 0.
    function payoutReleased() external;

    /// @notice Sets the beneficiary of future payouts (only the owner). Emits {BeneficiaryUpdated}.
    /// @dev Reverts {InvalidBeneficiary} for the zero address. What was released and not paid yet goes to the new
    /// beneficiary at the next payout: call `payoutReleased()` first to pay it to the old one.
    /// @param newBeneficiary The new beneficiary.
    function setBeneficiary(address newBeneficiary) external;

    /// @notice The yearly simple payout rate, in `BASIS_POINTS` (per mille): 151, that is 15.1 %.
    /// @return The rate.
    function ANNUAL_SIMPLE_PAYOUT_RATE() external view returns (uint64);

    /// @notice The denominator of `ANNUAL_SIMPLE_PAYOUT_RATE`: 1000 (the name is production's; the unit is per mille).
    /// @return The denominator.
    function BASIS_POINTS() external view returns (uint64);

    /// @notice The SESH token the pool holds and releases (set once, at initialization).
    /// @return The token.
    function SESH() external view returns (IERC20);

    /// @notice The version of this implementation: 1.
    /// @return The version.
    function VERSION() external view returns (uint256);

    /// @notice The address payouts go to.
    /// @return The beneficiary.
    function beneficiary() external view returns (address);

    /// @notice When the release clock last started: the last payout's block timestamp, or the initialization's.
    /// @return Unix time, in seconds.
    function lastPaidOutTime() external view returns (uint256);

    /// @notice Everything paid to beneficiaries so far.
    /// @return SESH atoms.
    function totalPaidOut() external view returns (uint256);

    /// @notice What a balance releases over a time at the annual simple rate, rounded down:
    /// `balance * 151 * timeElapsed / (1000 * 365 days)`, multiplied left to right, then divided once.
    /// @dev Not capped at `balance` (beyond 1000/151 years it exceeds it; `calculateReleasedAmount` caps). Reverts
    /// with a panic (0x11) when `balance * 151 * timeElapsed` does not fit in 256 bits.
    /// @param balance SESH atoms.
    /// @param timeElapsed Seconds.
    /// @return SESH atoms released.
    function calculatePayoutAmount(uint256 balance, uint256 timeElapsed) external pure returns (uint256);

    /// @notice Everything released so far, paid or not: `totalPaidOut()` plus what the pool's current balance releases
    /// since `lastPaidOutTime()`, at most that balance.
    /// @return SESH atoms.
    function calculateReleasedAmount() external view returns (uint256);

    /// @notice Everything ever deposited: the pool's balance plus `totalPaidOut()`.
    /// @return SESH atoms.
    function calculateTotalDeposited() external view returns (uint256);

    /// @notice What the unreleased part of the deposits releases over the next 2 minutes (production's figure for
    /// the rewards contract): `calculatePayoutAmount(calculateTotalDeposited() - calculateReleasedAmount(), 2 minutes)`.
    /// @return SESH atoms per 2 minutes.
    function rewardRate() external view returns (uint256);
}

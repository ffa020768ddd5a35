// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

// The event signatures are production's (INTERFACE.md section 6), read by the staking portal and wallets.
// solhint-disable gas-indexed-events

/// @title Investor vesting without staking: 20 % at the cliff, the rest linearly to the end
/// @notice Holds the tokens of one holder (the beneficiary) and pays them out on a fixed schedule. For every token
/// the contract holds, the total is its balance plus what has been released of it; of that total nothing vests
/// before `cliff()`, one `CLIFF_DENOMINATOR()`-th (20 %) vests at `cliff()`, and the rest vests linearly, second by
/// second, until `end()`, when everything has vested. Each token is tracked on its own: a second token sent here
/// vests on the same schedule, computed from its own balance and releases.
///
/// Only the beneficiary may `release` (the tokens go to the beneficiary). The revoker, when there is one, may
/// `revoke` each token once before `end()`: the part not yet vested goes back to the revoker at once, the vested part
/// stays here for the beneficiary to release, and from then on everything this contract holds of that token is the
/// beneficiary's. A revoker of `address(0)` means the vesting cannot be revoked. The beneficiary may hand the vesting
/// to another address only if the contract was deployed transferable; the revoker may always hand its role on, or
/// give it up by handing it to `address(0)`.
///
/// Rounding is in the revoker's favour and never lets the beneficiary take more than the total: the vested amount is
/// rounded down, never exceeds the total and never decreases with time; `released` never decreases; after a revoke,
/// what the beneficiary was paid and will be paid plus the refund equals the total at the revoke.
/// @dev Keeps production's interface (INTERFACE.md section 6): constructor, functions, events and the OpenZeppelin
/// error `SafeERC20FailedOperation`. Production reverts with strings; this contract reverts with the custom errors
/// below. Production keeps one `revoked()` flag for the whole contract (no token argument), so it revokes once per
/// contract; here each token is revoked on its own (`isRevoked(token)`), and `revoked()` tells whether any token has
/// been revoked.
interface ITokenVestingNoStaking {
    /// @notice The beneficiary given cannot receive the vesting: the zero address, or this contract itself (which
    /// could never call `release`, so the tokens would be stuck).
    /// @param beneficiary The address given.
    error InvalidBeneficiary(address beneficiary);

    /// @notice The constructor was given a cliff of 0: that is a typo, not a date (a cliff in the past is accepted).
    error ZeroCliff();

    /// @notice The constructor was given a cliff after the end.
    /// @param cliff The cliff given, in Unix seconds.
    /// @param end The end given, in Unix seconds.
    error CliffAfterEnd(uint256 cliff, uint256 end);

    /// @notice The constructor was given an end that is not in the future: such a vesting would pay everything at
    /// once.
    /// @param end The end given, in Unix seconds.
    /// @param timestamp The block's timestamp, in Unix seconds.
    error EndNotInFuture(uint256 end, uint256 timestamp);

    /// @notice A function only the beneficiary may call was called by someone else.
    /// @param caller The caller.
    error NotBeneficiary(address caller);

    /// @notice A function only the revoker may call was called by someone else (always, when there is no revoker).
    /// @param caller The caller.
    error NotRevoker(address caller);

    /// @notice `transferBeneficiary` was called on a vesting deployed with `transferableBeneficiary_ = false`.
    error BeneficiaryNotTransferable();

    /// @notice `release` was called for a token of which nothing is vested and unreleased.
    /// @param token The token given.
    error NothingToRelease(IERC20 token);

    /// @notice `revoke` was called for a token that has already been revoked.
    /// @param token The token given.
    error AlreadyRevoked(IERC20 token);

    /// @notice `revoke` was called at or after the end, when everything has vested and nothing is left to return.
    /// @param end The vesting end, in Unix seconds.
    /// @param timestamp The block's timestamp, in Unix seconds.
    error VestingEnded(uint256 end, uint256 timestamp);

    /// @notice Vested tokens were paid to the beneficiary.
    /// @param token The token paid.
    /// @param amount The amount paid, in the token's atoms (what left this contract).
    event TokensReleased(IERC20 indexed token, uint256 amount);

    /// @notice A token was revoked: its unvested part was returned to the revoker.
    /// @param token The token revoked.
    /// @param refund The amount returned to the revoker, in the token's atoms (0 when nothing was unvested).
    event TokenVestingRevoked(IERC20 indexed token, uint256 refund);

    /// @notice The beneficiary handed the vesting to another address.
    /// @param oldBeneficiary The former beneficiary.
    /// @param newBeneficiary The new beneficiary.
    event BeneficiaryTransferred(address oldBeneficiary, address newBeneficiary);

    /// @notice The revoker handed its role to another address (`address(0)`: the vesting can no longer be revoked).
    /// @param oldRevoker The former revoker.
    /// @param newRevoker The new revoker.
    event RevokerTransferred(address oldRevoker, address newRevoker);

    /// @notice Pays the beneficiary what has vested of `token` and has not been released yet.
    /// @dev Only the beneficiary. Reverts with {NotBeneficiary} for anyone else, {NothingToRelease} when that amount
    /// is 0 (before the cliff, or when everything vested has been released), `SafeERC20FailedOperation(token)` when
    /// the token refuses the transfer, and `ReentrancyGuardReentrantCall()` when called from inside a `release` or
    /// `revoke` (a token that calls back). Records the amount as released before the transfer and emits
    /// {TokensReleased}.
    /// @param token The token to release.
    function release(IERC20 token) external;

    /// @notice Revokes the vesting of `token`: returns to the revoker what has not vested at this second, leaves what
    /// has vested (and not been released) here for the beneficiary, and makes everything this contract holds of
    /// `token` from now on releasable by the beneficiary. Each token can be revoked once; other tokens keep vesting.
    /// @dev Only the revoker, only while `block.timestamp < end()`. Reverts with {NotRevoker} for anyone else (and
    /// for everyone when the revoker is `address(0)`), {AlreadyRevoked} for a token already revoked, {VestingEnded}
    /// from `end()` on, `SafeERC20FailedOperation(token)` when the token refuses the transfer and
    /// `ReentrancyGuardReentrantCall()` when called from inside a `release` or `revoke`. A refund of 0 (before anything
    /// was sent, or when the whole balance has vested) makes no transfer. Emits {TokenVestingRevoked}.
    /// @param token The token to revoke.
    function revoke(IERC20 token) external;

    /// @notice Hands the vesting to `beneficiary_`: from now on only it may release, and the tokens go to it.
    /// @dev Only the beneficiary, only on a vesting deployed transferable. Reverts with {NotBeneficiary} for anyone
    /// else, {BeneficiaryNotTransferable} when not transferable, and {InvalidBeneficiary} for the zero address or
    /// this contract. Emits {BeneficiaryTransferred}.
    /// @param beneficiary_ The new beneficiary.
    function transferBeneficiary(address beneficiary_) external;

    /// @notice Hands the revoker's role to `revoker_`; `address(0)` gives the role up, for good.
    /// @dev Only the revoker; reverts with {NotRevoker} for anyone else. Emits {RevokerTransferred}.
    /// @param revoker_ The new revoker, or `address(0)`.
    function transferRevoker(address revoker_) external;

    /// @notice The denominator of the part that vests at the cliff: 5, so one fifth (20 %) of the total.
    /// @return Always 5.
    function CLIFF_DENOMINATOR() external view returns (uint256);

    /// @notice When the first fifth vests; nothing vests before it.
    /// @return The cliff, in Unix seconds.
    function cliff() external view returns (uint256);

    /// @notice When everything has vested.
    /// @return The end, in Unix seconds.
    function end() external view returns (uint256);

    /// @notice Whether the beneficiary may hand the vesting to another address.
    /// @return The value given to the constructor.
    function transferableBeneficiary() external view returns (bool);

    /// @notice Who receives the tokens and may release them.
    /// @return The beneficiary.
    function getBeneficiary() external view returns (address);

    /// @notice Who may revoke; `address(0)` when the vesting cannot be revoked.
    /// @return The revoker.
    function getRevoker() external view returns (address);

    /// @notice Whether any token has been revoked (production's one flag; see `isRevoked` for a given token).
    /// @return True once `revoke` has succeeded for some token.
    function revoked() external view returns (bool);

    /// @notice Whether `token` has been revoked.
    /// @param token The token.
    /// @return True once `revoke(token)` has succeeded.
    function isRevoked(IERC20 token) external view returns (bool);

    /// @notice What has been paid of `token` to the beneficiaries so far.
    /// @param token The token.
    /// @return The amount released, in the token's atoms; it never decreases.
    function released(IERC20 token) external view returns (uint256);

    /// @notice How much of `token` has vested at `timestamp`, of the total this contract holds and has released now
    /// (balance + released): 0 before the cliff, `total / 5` (rounded down) at the cliff, then
    /// `total / 5 + (total − total / 5) × (timestamp − cliff) / (end − cliff)` (rounded down), the whole total from
    /// the end on; the whole total at any timestamp once `token` has been revoked.
    /// @param token The token.
    /// @param timestamp The time at which to evaluate, in Unix seconds.
    /// @return The vested amount, released or not, in the token's atoms.
    function vestedAmount(IERC20 token, uint256 timestamp) external view returns (uint256);

    /// @notice What `release(token)` would pay now: the amount vested at the current block's timestamp minus what
    /// has been released (0 if a token whose balance shrank on its own leaves less vested than released).
    /// @param token The token.
    /// @return The releasable amount, in the token's atoms.
    function releasable(IERC20 token) external view returns (uint256);
}

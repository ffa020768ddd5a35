// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IManaged} from "./IManaged.sol";

// The events' signatures and indexed fields are fixed by SPEC section 3.6; amounts are not filtered on.
// solhint-disable gas-indexed-events

/// @title Oxen claims bridge
/// @notice Converts OXEN that was not migrated into SESH (SPEC section 3.6). Entitlements come in epochs: each epoch
/// is the root of an OpenZeppelin `StandardMerkleTree` over leaves `(uint256 index, address recipient,
/// uint256 oxenAmount)`, published by the owner. Each leaf is claimable once; anyone may submit a claim and the SESH
/// always goes to the leaf's recipient. Holders of wrapped OXEN (wOXEN) on the same chain convert with
/// `convertWrapped`, at the same rate; their wOXEN is locked in the bridge for good.
/// @dev The rate follows a schedule of breakpoints fixed at deployment: rates are SESH atoms per 10^9 OXEN atoms
/// (0.54 SESH per OXEN is 540,000,000), linear between breakpoints, a step where two breakpoints share a timestamp,
/// flat after the last one, and zero (claims not open) before the first one. Every rounding favours the pool.
/// Epoch ids count from 0 in the order the epochs were added. An epoch never pays more OXEN than its declared total,
/// and the owner can revoke one bad epoch (its unclaimed leaves are then never paid) without pausing the others.
///
/// Trust model of the close time: it is fixed at deployment and can never be set or moved later. A bridge deployed
/// without one (close time 0, the default) runs for ever: the owner can never end the program early nor take the
/// SESH owed to claimants, and the price is that its surplus SESH (unclaimed, revoked or never published) stays in
/// the bridge for good. Only `sweep`, after a close time, moves SESH out other than to claimants.
///
/// The owner's controls are those of {IManaged}: ownership moves in two steps and cannot be renounced (publishing,
/// revoking, pausing and sweeping need an owner). `pause` stops claims, conversions, `sweep` and `rescueERC20`
/// (`addEpoch` and `revokeEpoch` still work, so that a bad epoch can be revoked while everything is stopped).
/// `rescueERC20` never sends SESH (`TokenNotRescuable`: all of it is owed to claimants, and `sweep` is its only way
/// out), sends wOXEN only above what conversions locked (`RescueExceedsSurplus` beyond the balance less
/// `wrappedOxenLocked()`) and any other token up to the bridge's balance.
interface IOxenClaimsBridge is IManaged {
    /// @notice A point of the conversion-rate schedule.
    /// @param timestamp Unix time (seconds) from which the rate is `rate`.
    /// @param rate SESH atoms paid per 10^9 OXEN atoms at `timestamp`.
    struct Breakpoint {
        uint64 timestamp;
        uint64 rate;
    }

    /// @notice A published set of entitlements and what it has paid.
    /// @param root Root of the `StandardMerkleTree` over the epoch's leaves.
    /// @param totalOxen Sum of the leaves' OXEN amounts, in atoms, as the owner declared it: the most the epoch pays.
    /// @param claimedOxen OXEN atoms of the epoch's leaves claimed so far (never above `totalOxen`).
    /// @param revoked Whether the owner revoked the epoch (its unclaimed leaves are no longer payable).
    struct Epoch {
        bytes32 root;
        uint256 totalOxen;
        uint256 claimedOxen;
        bool revoked;
    }

    /// @notice The constructor was given no breakpoint.
    error EmptySchedule();

    /// @notice The constructor was given more breakpoints than the bridge accepts.
    /// @param count Number of breakpoints given.
    /// @param maximum Largest number accepted (`MAX_BREAKPOINTS`).
    error TooManyBreakpoints(uint256 count, uint256 maximum);

    /// @notice A breakpoint comes before the one preceding it.
    /// @param index Position of the offending breakpoint in the schedule.
    /// @param timestamp Its timestamp.
    /// @param previousTimestamp Timestamp of the breakpoint before it.
    error BreakpointsOutOfOrder(uint256 index, uint256 timestamp, uint256 previousTimestamp);

    /// @notice A breakpoint's rate is zero or above `MAX_RATE`.
    /// @param index Position of the offending breakpoint in the schedule.
    /// @param rate Its rate, in SESH atoms per 10^9 OXEN atoms.
    /// @param maximum Largest rate accepted (`MAX_RATE`).
    error RateOutOfRange(uint256 index, uint256 rate, uint256 maximum);

    /// @notice The first breakpoint has timestamp 0, which would open claims at once: a typo, not a date (a start in
    /// the past is accepted).
    error ZeroOpeningTime();

    /// @notice The close time is set but does not come after the opening time (the first breakpoint).
    /// @param closeTime The close time given.
    /// @param openingTime The first breakpoint's timestamp.
    error CloseTimeNotAfterOpening(uint256 closeTime, uint256 openingTime);

    /// @notice An address parameter of the constructor is the zero address.
    /// @param parameter Name of the parameter.
    error ZeroAddress(string parameter);

    /// @notice SESH and wrapped OXEN were given the same token, which would let conversions pay out locked wOXEN.
    /// @param token The address given for both.
    error SameToken(address token);

    /// @notice An epoch was published with a zero root, which no proof can match.
    error ZeroRoot();

    /// @notice An epoch was published with a declared total above what the bridge can account for.
    /// @param totalOxen The total given, in OXEN atoms.
    /// @param maximum Largest total accepted (`MAX_EPOCH_TOTAL`).
    error EpochTotalTooLarge(uint256 totalOxen, uint256 maximum);

    /// @notice A claim would take the epoch's claimed OXEN past its declared total; nothing is paid.
    /// @param epoch The epoch.
    /// @param claimed OXEN atoms of the epoch claimed before this claim (the claim's own amount is its `oxenAmount`).
    /// @param total The epoch's declared total, in OXEN atoms.
    error EpochTotalExceeded(uint256 epoch, uint256 claimed, uint256 total);

    /// @notice The epoch was revoked: its unclaimed leaves are no longer payable, and it cannot be revoked again.
    /// @param epoch The epoch.
    error EpochIsRevoked(uint256 epoch);

    /// @notice A claim for the zero address, which can never be paid.
    /// @param epoch The leaf's epoch.
    /// @param index The leaf's index.
    error ZeroRecipient(uint256 epoch, uint256 index);

    /// @notice No epoch has this id.
    /// @param epoch The id asked for.
    /// @param epochCount Number of epochs published so far (valid ids are below it).
    error UnknownEpoch(uint256 epoch, uint256 epochCount);

    /// @notice Claims and conversions have not opened yet.
    /// @param timestamp The current block's timestamp.
    /// @param openingTime When they open.
    error ClaimsNotOpen(uint256 timestamp, uint256 openingTime);

    /// @notice Claims and conversions have closed.
    /// @param timestamp The current block's timestamp.
    /// @param closeTime When they closed.
    error ClaimsClosed(uint256 timestamp, uint256 closeTime);

    /// @notice The leaf was claimed already.
    /// @param epoch The leaf's epoch.
    /// @param index The leaf's index.
    error AlreadyClaimed(uint256 epoch, uint256 index);

    /// @notice The proof does not show that the leaf is in the epoch's tree.
    /// @param epoch The epoch.
    /// @param index The index of the claimed leaf.
    /// @param recipient The recipient of the claimed leaf.
    /// @param oxenAmount The OXEN amount of the claimed leaf.
    error InvalidProof(uint256 epoch, uint256 index, address recipient, uint256 oxenAmount);

    /// @notice The bridge holds less SESH than the claim or conversion pays; nothing is paid.
    /// @param needed SESH atoms the claim or conversion pays.
    /// @param available SESH atoms the bridge holds.
    error InsufficientPool(uint256 needed, uint256 available);

    /// @notice A conversion of zero wOXEN.
    error ZeroAmount();

    /// @notice A claim or conversion so small that it would pay no SESH at the rate now (the leaf would be marked
    /// claimed, or the wOXEN locked, for nothing). A leaf stays claimable, at a later rate that pays.
    /// @param oxenAmount OXEN (or wOXEN) atoms offered.
    /// @param rate The rate now.
    error NothingToPay(uint256 oxenAmount, uint256 rate);

    /// @notice A quote above 2^256 − 1 SESH atoms, which only a rate above 1 SESH per OXEN can give.
    /// @param oxenAmount OXEN atoms quoted.
    /// @param rate The rate, in SESH atoms per 10^9 OXEN atoms.
    error QuoteOverflow(uint256 oxenAmount, uint256 rate);

    /// @notice The bridge has no close time, so nothing can be swept.
    error NoCloseTime();

    /// @notice A sweep before the close time.
    /// @param timestamp The current block's timestamp.
    /// @param closeTime When sweeping becomes possible.
    error SweepBeforeClose(uint256 timestamp, uint256 closeTime);

    /// @notice The owner published an epoch.
    /// @param epoch The new epoch's id.
    /// @param root Root of its Merkle tree.
    /// @param totalOxen Sum of its OXEN amounts, in atoms.
    event EpochAdded(uint256 indexed epoch, bytes32 root, uint256 totalOxen);

    /// @notice The owner revoked an epoch: its unclaimed leaves are no longer payable.
    /// @param epoch The epoch's id.
    /// @param claimedOxen OXEN atoms of the epoch claimed (and paid) before the revocation.
    /// @param totalOxen The epoch's declared total, in OXEN atoms.
    event EpochRevoked(uint256 indexed epoch, uint256 claimedOxen, uint256 totalOxen);

    /// @notice A leaf was claimed and paid.
    /// @param epoch The leaf's epoch.
    /// @param index The leaf's index.
    /// @param recipient The leaf's recipient, who received the SESH.
    /// @param oxenAmount The leaf's OXEN amount, in atoms.
    /// @param seshAmount SESH atoms paid.
    /// @param rate The rate applied, in SESH atoms per 10^9 OXEN atoms.
    event Claimed(
        uint256 indexed epoch,
        uint256 indexed index,
        address indexed recipient,
        uint256 oxenAmount,
        uint256 seshAmount,
        uint256 rate
    );

    /// @notice wOXEN was converted: locked in the bridge, SESH paid to the account.
    /// @param account The account that converted and received the SESH.
    /// @param oxenAmount wOXEN atoms locked.
    /// @param seshAmount SESH atoms paid.
    /// @param rate The rate applied, in SESH atoms per 10^9 OXEN atoms.
    event WrappedConverted(address indexed account, uint256 oxenAmount, uint256 seshAmount, uint256 rate);

    /// @notice The SESH left after the close time was swept.
    /// @param recipient Where it went.
    /// @param amount SESH atoms moved.
    event Swept(address recipient, uint256 amount);

    /// @notice Publishes an epoch of entitlements. Owner only.
    /// @param root Root of the epoch's `StandardMerkleTree`; must not be zero.
    /// @param totalOxen Sum of its OXEN amounts, in atoms: the epoch never pays more OXEN than this; at most
    /// `MAX_EPOCH_TOTAL`.
    /// @return epoch The new epoch's id (0 for the first).
    function addEpoch(bytes32 root, uint256 totalOxen) external returns (uint256 epoch);

    /// @notice Revokes an epoch: its leaves not claimed yet are never paid (`EpochIsRevoked`); other epochs go on.
    /// Owner only; works while paused. The SESH those leaves would have been paid stays in the bridge (see the
    /// close-time trust model above).
    /// @dev Reverts for an unknown epoch (`UnknownEpoch`) and for one revoked already (`EpochIsRevoked`).
    /// @param epoch The epoch's id.
    function revokeEpoch(uint256 epoch) external;

    /// @notice Claims a leaf: pays `quote(oxenAmount, block.timestamp)` SESH to `recipient`. Anyone may submit.
    /// @dev Reverts while paused (`EnforcedPause`), for the zero recipient, for an unknown or revoked epoch, before
    /// the opening time, at or after the close time, for a leaf claimed already, with a wrong proof, when the leaf
    /// would take the epoch past its declared total, when it pays nothing at the rate now (the leaf stays
    /// claimable), and when the pool cannot pay the whole amount (`InsufficientPool`; a SESH transfer that fails with
    /// the pool large enough reverts with SafeERC20's `SafeERC20FailedOperation`).
    /// @param epoch The leaf's epoch.
    /// @param index The leaf's index.
    /// @param recipient The leaf's recipient.
    /// @param oxenAmount The leaf's OXEN amount, in atoms.
    /// @param proof The `StandardMerkleTree` proof of the leaf.
    /// @return seshAmount SESH atoms paid.
    function claim(
        uint256 epoch,
        uint256 index,
        address recipient,
        uint256 oxenAmount,
        bytes32[] calldata proof
    ) external returns (uint256 seshAmount);

    /// @notice Converts wOXEN: pulls `amount` from the caller (who must have approved it), locks it in the bridge for
    /// good and pays the caller `quote(amount, block.timestamp)` SESH.
    /// @dev Same time, pause and pool checks as `claim`; reverts for a zero amount and for one that pays nothing.
    /// @param amount wOXEN atoms to convert.
    /// @return seshAmount SESH atoms paid.
    function convertWrapped(uint256 amount) external returns (uint256 seshAmount);

    /// @notice Moves the whole SESH balance to the sweep recipient. Owner only, at or after the close time, and not
    /// while paused (`EnforcedPause`): pausing over the close time cannot be used to stop claims and then sweep.
    /// @dev A bridge with no close time can never be swept (`NoCloseTime`): its surplus SESH stays in it for good.
    /// @return amount SESH atoms moved.
    function sweep() external returns (uint256 amount);

    /// @notice Largest rate a breakpoint may have: 10 SESH per OXEN.
    /// @return SESH atoms per 10^9 OXEN atoms.
    function MAX_RATE() external view returns (uint256);

    /// @notice OXEN atoms a rate is quoted for: 10^9, one OXEN.
    /// @return The divisor of `oxenAmount × rate`.
    function RATE_PRECISION() external view returns (uint256);

    /// @notice Largest number of breakpoints a schedule may have (the schedule is kept in the bridge's code).
    /// @return The maximum.
    function MAX_BREAKPOINTS() external view returns (uint256);

    /// @notice Largest declared total of an epoch, in OXEN atoms: 2^120 − 1, far above any OXEN supply.
    /// @return The maximum.
    function MAX_EPOCH_TOTAL() external view returns (uint256);

    /// @notice The SESH token paid out.
    /// @return Its address.
    function sesh() external view returns (address);

    /// @notice The wrapped OXEN token accepted by `convertWrapped`.
    /// @return Its address.
    function wrappedOxen() external view returns (address);

    /// @notice Where `sweep` sends the SESH left after the close time.
    /// @return The sweep recipient.
    function sweepRecipient() external view returns (address);

    /// @notice The rate at a time: 0 before the opening time, linear between breakpoints (rounded down), the later
    /// breakpoint's rate where two share a timestamp, flat after the last.
    /// @param timestamp Unix time in seconds.
    /// @return SESH atoms per 10^9 OXEN atoms.
    function conversionRateAt(uint256 timestamp) external view returns (uint256);

    /// @notice The rate now: `conversionRateAt(block.timestamp)`.
    /// @return SESH atoms per 10^9 OXEN atoms.
    function conversionRate() external view returns (uint256);

    /// @notice SESH paid for an OXEN amount at a time: `oxenAmount × conversionRateAt(timestamp) / 10^9`, rounded
    /// down, computed in 512 bits so that any `uint256` amount and time is quoted; reverts with `QuoteOverflow` only
    /// when the result is above 2^256 − 1 (possible only at a rate above 1 SESH per OXEN).
    /// @param oxenAmount OXEN atoms.
    /// @param timestamp Unix time in seconds.
    /// @return SESH atoms.
    function quote(uint256 oxenAmount, uint256 timestamp) external view returns (uint256);

    /// @notice When claims and conversions open: the first breakpoint's timestamp.
    /// @return Unix time in seconds.
    function openingTime() external view returns (uint256);

    /// @notice When claims and conversions close and sweeping becomes possible (0: never). Fixed at deployment:
    /// with no close time the program runs for ever and its surplus SESH stays in the bridge.
    /// @return Unix time in seconds, or 0.
    function closeTime() external view returns (uint256);

    /// @notice The rate schedule fixed at deployment.
    /// @return The breakpoints, in order.
    function schedule() external view returns (Breakpoint[] memory);

    /// @notice Number of epochs published.
    /// @return The count; epoch ids run from 0 to count − 1.
    function epochCount() external view returns (uint256);

    /// @notice A published epoch.
    /// @param epoch The epoch's id; unknown ids revert with `UnknownEpoch`.
    /// @return The epoch's root, declared total, OXEN claimed so far and revoked flag.
    function epochAt(uint256 epoch) external view returns (Epoch memory);

    /// @notice Whether a leaf was claimed.
    /// @param epoch The leaf's epoch (any id; unknown epochs have no claimed leaf).
    /// @param index The leaf's index.
    /// @return True once claimed.
    function isClaimed(uint256 epoch, uint256 index) external view returns (bool);

    /// @notice wOXEN atoms converted so far, all of them locked in the bridge for good.
    /// @return The total.
    function wrappedOxenLocked() external view returns (uint256);
}

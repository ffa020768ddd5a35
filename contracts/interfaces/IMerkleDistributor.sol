// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IManaged} from "./IManaged.sol";

// The event signatures are fixed by the campaign's indexers (amounts and the sweep are read from the data).
// solhint-disable gas-indexed-events

/// @title Merkle distributor of one award campaign (the 1,000,000 SESH testnet incentive)
/// @notice Pays the awards of one campaign against a Merkle root. Each award is a leaf `(index, account, amount)`
/// of an OpenZeppelin merkle-tree StandardMerkleTree over `["uint256", "address", "uint256"]`, that is
/// `keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))))`. Anyone may submit a claim; the tokens
/// always go to the award's account, and each index can be claimed once.
///
/// Optional claim deadline: when `claimDeadline() > 0`, claims are accepted while `block.timestamp <=
/// claimDeadline()`; afterwards the owner may sweep what is not owed to anyone to `sweepRecipient()`.
///
/// Optional linear vesting: when `vestingDuration() > 0`, a claim records the award for its account and pays only
/// what has vested; the rest is paid by `release` as it vests, linearly from `vestingStart()` over
/// `vestingDuration()` seconds. When `vestingDuration() == 0` a claim pays the whole award at once, nothing is held
/// back, and the per-account vesting views read 0.
///
/// Trust model: the claim deadline is fixed at deployment and can never be set, moved or removed later, so the owner
/// can never end the campaign early. The price of that choice: a campaign deployed without a deadline keeps every
/// token no award takes (surplus funding, unclaimed awards) in this contract forever, since nothing, not even
/// `rescueERC20`, can move the campaign token out of it except claims and releases.
///
/// The owner's controls are those of {IManaged}. `pause` stops claims, releases, `sweep` and `rescueERC20`. A pause
/// does not move the deadline, so a pause held across it stops the last claims: the owner is trusted not to do that.
/// The owner can sweep after the deadline (not while paused) what no claimed award still owes, and rescue any other
/// token sent here by mistake, up to the contract's balance of it; `rescueERC20` never sends the campaign token
/// (`TokenNotRescuable`), so the owner cannot take it otherwise. Ownership moves in two steps and cannot be renounced
/// (`OwnershipCannotBeRenounced`): the campaign always keeps someone able to sweep or unpause it.
interface IMerkleDistributor is IManaged {
    /// @notice The constructor was given the zero address as the token.
    /// @param token The token address given (zero).
    error InvalidToken(address token);

    /// @notice The constructor was given the zero Merkle root, which no proof can reach.
    /// @param merkleRoot The root given (zero).
    error InvalidMerkleRoot(bytes32 merkleRoot);

    /// @notice The constructor was given the zero address as the sweep recipient.
    /// @param sweepRecipient The recipient given (zero).
    error InvalidSweepRecipient(address sweepRecipient);

    /// @notice The constructor was given a vesting start without a vesting duration: without vesting the start
    /// must be 0, so that a misconfigured campaign cannot pass for a vesting one.
    /// @param vestingStart The vesting start given, in Unix seconds.
    error VestingStartWithoutDuration(uint256 vestingStart);

    /// @notice The constructor was given a claim deadline that is not after the vesting start, although both are
    /// set: no claim could then be made while the award vests.
    /// @param claimDeadline The claim deadline given, in Unix seconds.
    /// @param vestingStart The vesting start given, in Unix seconds.
    error ClaimDeadlineNotAfterVestingStart(uint256 claimDeadline, uint256 vestingStart);

    /// @notice The constructor was given a vesting duration with a vesting start of 0, which would vest every award
    /// at once: 0 is a typo, not a date (a start in the past is accepted).
    /// @param vestingDuration The vesting duration given, in seconds.
    error ZeroVestingStart(uint256 vestingDuration);

    /// @notice A claim named the zero address as the award's account: such an award could never be paid.
    /// @param index The index given.
    error ZeroAccount(uint256 index);

    /// @notice The contract holds fewer tokens than a claim or a release must pay now.
    /// @param needed The tokens to pay, in atoms (a whole award without vesting, the vested part with vesting).
    /// @param available The contract's balance of the campaign token, in atoms.
    error InsufficientPool(uint256 needed, uint256 available);

    /// @notice The award at `index` has already been claimed.
    /// @param index The index of the award's leaf.
    error AlreadyClaimed(uint256 index);

    /// @notice The proof does not lead from the leaf `(index, account, amount)` to the Merkle root.
    /// @param index The index given.
    /// @param account The account given.
    /// @param amount The amount given, in token atoms.
    error InvalidProof(uint256 index, address account, uint256 amount);

    /// @notice The claim deadline has passed: no claim is accepted any more.
    /// @param timestamp The block's timestamp, in Unix seconds.
    /// @param claimDeadline The last second at which claims were accepted.
    error ClaimDeadlinePassed(uint256 timestamp, uint256 claimDeadline);

    /// @notice A sweep was asked before the claim deadline had passed.
    /// @param timestamp The block's timestamp, in Unix seconds.
    /// @param claimDeadline The last second at which claims are accepted; sweeping is possible after it.
    error ClaimDeadlineNotPassed(uint256 timestamp, uint256 claimDeadline);

    /// @notice A sweep was asked from a campaign without a claim deadline, whose awards stay claimable forever.
    error NoClaimDeadline();

    /// @notice `release` was called for an account that has nothing vested and unreleased.
    /// @param account The account given.
    error NothingToRelease(address account);

    /// @notice The award at `index` was claimed for `account`.
    /// @param index The index of the award's leaf.
    /// @param account The account the award belongs to.
    /// @param amount The whole award, in token atoms (paid now, or recorded for vesting).
    event Claimed(uint256 indexed index, address indexed account, uint256 amount);

    /// @notice Vested tokens of a vesting award were paid to `account`.
    /// @param account The account paid.
    /// @param amount The tokens paid, in atoms.
    event Released(address indexed account, uint256 amount);

    /// @notice The tokens not owed to anyone were moved to the sweep recipient after the claim deadline.
    /// @param recipient The sweep recipient.
    /// @param amount The tokens moved, in atoms (0 when nothing was left).
    event Swept(address recipient, uint256 amount);

    /// @notice Claims the award `(index, account, amount)` for `account`; anyone may submit it. Without vesting
    /// the whole amount is paid to `account`; with vesting the award is recorded and what has vested so far is
    /// paid (emitting {Released} when that is more than 0).
    /// Front-running is harmless: whoever submits the claim, the tokens go to `account` only, and with vesting the
    /// amount vested depends on the time alone, not on when or by whom the award was claimed.
    /// @dev Reverts with `EnforcedPause()` while paused, {ClaimDeadlinePassed} after the deadline, {ZeroAccount} for
    /// the zero address, {AlreadyClaimed} for a claimed index, {InvalidProof} when the proof does not match, and
    /// {InsufficientPool} when the balance is below what the claim pays now (exactly the balance is paid).
    /// @param index The index of the award's leaf.
    /// @param account The account the award belongs to; it receives the tokens.
    /// @param amount The award, in token atoms.
    /// @param proof The Merkle proof of the leaf (sibling hashes from the leaf to the root).
    function claim(uint256 index, address account, uint256 amount, bytes32[] calldata proof) external;

    /// @notice Pays `account` the vested and not yet released part of its award; anyone may call it.
    /// @dev Reverts with `EnforcedPause()` while paused, {NothingToRelease} when that part is 0, and
    /// {InsufficientPool} when the balance is below it (exactly the balance is paid).
    /// @param account The account to pay.
    function release(address account) external;

    /// @notice Moves the tokens no award owes (the balance minus the claimed-but-unreleased vesting awards) to
    /// the sweep recipient. Only the owner, only after the claim deadline; may be repeated.
    /// Sweeping while paused reverts: the owner must first unpause, which lets claims and releases through again.
    /// A pause does not extend the deadline: a pause held across it stops the last claims, a power trusted to the
    /// owner (see above).
    /// @dev Reverts with `OwnableUnauthorizedAccount(caller)` for anyone but the owner, `EnforcedPause()` while
    /// paused, {NoClaimDeadline} when the campaign has no deadline (its surplus stays here forever: the chosen trust
    /// model, see above) and {ClaimDeadlineNotPassed} before the deadline has passed.
    function sweep() external;

    /// @notice Whether the award at `index` has been claimed.
    /// @param index The index of the award's leaf.
    /// @return True once the award has been claimed.
    function isClaimed(uint256 index) external view returns (bool);

    /// @notice The token paid out.
    /// @return The token's address.
    function token() external view returns (IERC20);

    /// @notice The root of the campaign's Merkle tree.
    /// @return The root.
    function merkleRoot() external view returns (bytes32);

    /// @notice The last second at which claims are accepted, 0 when claims never close.
    /// @return The deadline in Unix seconds, or 0.
    function claimDeadline() external view returns (uint256);

    /// @notice Where `sweep` sends the tokens no award owes.
    /// @return The sweep recipient.
    function sweepRecipient() external view returns (address);

    /// @notice When the linear vesting of the awards starts (0 without vesting).
    /// @return The vesting start in Unix seconds.
    function vestingStart() external view returns (uint256);

    /// @notice How long the linear vesting lasts, 0 when awards are paid in full at claim.
    /// @return The vesting duration in seconds.
    function vestingDuration() external view returns (uint256);

    /// @notice The awards claimed for `account` under vesting (0 without vesting).
    /// @param account The account.
    /// @return The sum of its claimed awards, in atoms.
    function awarded(address account) external view returns (uint256);

    /// @notice What has been paid to `account` from its vesting awards (0 without vesting).
    /// @param account The account.
    /// @return The tokens released to it, in atoms.
    function released(address account) external view returns (uint256);

    /// @notice The sum of all awards claimed under vesting.
    /// @return The total awarded, in atoms.
    function totalAwarded() external view returns (uint256);

    /// @notice The sum of all tokens released from vesting awards.
    /// @return The total released, in atoms.
    function totalReleased() external view returns (uint256);

    /// @notice How much of `account`'s claimed awards has vested at `timestamp`: 0 before the vesting start,
    /// `awarded × (timestamp − start) / duration` (rounded down) during the vesting, the whole award from
    /// `start + duration` on. 0 for a campaign without vesting.
    /// @param account The account.
    /// @param timestamp The time at which to evaluate, in Unix seconds.
    /// @return The vested amount, in atoms (released or not).
    function vestedAmount(address account, uint256 timestamp) external view returns (uint256);

    /// @notice What `release(account)` would pay now: the amount vested at the current block's timestamp minus
    /// what has already been released.
    /// @param account The account.
    /// @return The releasable amount, in atoms.
    function releasable(address account) external view returns (uint256);
}

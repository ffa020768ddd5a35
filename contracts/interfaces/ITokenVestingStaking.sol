// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {BN256G1} from "../libraries/BN256G1.sol";
import {IServiceNodeContributionFactory} from "./IServiceNodeContributionFactory.sol";
import {IServiceNodeRewards} from "./IServiceNodeRewards.sol";

// The events are production's, fields and `indexed` as deployed: wallets and explorers decode them so.
// solhint-disable gas-indexed-events

/// @title Investor vesting that can stake: everything locked until the end, stakeable meanwhile
/// @notice Production-compatible interface of the Session Network's `TokenVestingStaking` (names, argument order and
/// types and events as deployed). One contract per holder. Everything it holds is locked until {end}, a cliff: from
/// {end} on, {release} pays the beneficiary the whole balance of any token, as often as something new arrives.
/// While locked, the SESH can work: from {start} on, the beneficiary registers solo Session Nodes staked by this
/// contract ({addBLSPublicKey}), contributes to multi-contributor nodes the factory opened ({contributeFunds},
/// {withdrawContribution}, {updateBeneficiary}), asks for exits ({initiateExitBLSPublicKey}) and claims what the
/// network credited this contract ({claimRewards}) — rewards and returned stakes, which land here, locked with the
/// rest. The stake's own rewards go to the `snBeneficiary` the holder names (this contract when 0).
///
/// A revoker, if there is one (a zero revoker means the vesting cannot be revoked), may {revoke} until {end}: the
/// beneficiary is halted for good and the revoker takes over the staking functions, so that it can bring staked
/// SESH home. The revoker too waits for {end}: from then on each {revoke}(token) pays it the whole balance of that
/// token, as often as something new arrives, so the circulating supply stays what the schedule says.
/// @dev Where ours differs from production (the interface is kept):
/// - custom errors carrying the values instead of the "Vesting: …" strings;
/// - production has no payout for the revoker: {revoke} marks the revocation before {end} and pays the revoker
///   from {end} on (see {revoke}); it can be called again for what arrives later, as {release} can;
/// - approvals are exact and checked spent ({AllowanceNotSpent}): no allowance is ever left behind;
/// - an `snBeneficiary` of 0 means this contract in all three calls that take one (the rewards contract refuses a
///   zero beneficiary, a contribution contract reads 0 as its caller): no reward is credited to the zero address;
/// - a contribution contract the factory did not open is named in {ContributionNotFromFactory};
/// - the beneficiary cannot be moved to the zero address or this contract, nor after a revocation; the revoker
///   cannot be moved to either;
/// - the constructor checks that the three contracts have code, that the rewards contract stakes `sesh_` and that
///   the factory opens nodes in that rewards contract;
/// - every state-changing function is guarded against re-entry (a token passed to {release} is any contract);
/// - {release} and {revoke} refuse to pay nothing ({NothingToRelease});
/// - additions: {vestedAmount} and {releasable}.
///
/// Trust: the rewards contract and the factory (both upgradeable) are trusted as the staking set is: the factory's
/// `owns` decides where the locked SESH may be sent. The locking rests on the network crediting a returned stake to
/// its staker (this contract), as it does; only the rewards go to `snBeneficiary`.
interface ITokenVestingStaking {
    // ----------------------------------------------------------------------------------------------------------------
    // Errors (ours; production reverts with strings)
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice The beneficiary given is the zero address or this contract, which could never call.
    /// @param beneficiary The address given.
    error InvalidBeneficiary(address beneficiary);

    /// @notice The revoker given is this contract (constructor), or the zero address or this contract
    /// ({transferRevoker}).
    /// @param revoker The address given.
    error InvalidRevoker(address revoker);

    /// @notice The vesting would start after it ends.
    /// @param start The start given.
    /// @param end The end given.
    error StartAfterEnd(uint256 start, uint256 end);

    /// @notice The vesting would start now or in the past.
    /// @param start The start given.
    /// @param currentTime The block's timestamp.
    error StartNotInFuture(uint256 start, uint256 currentTime);

    /// @notice The rewards contract, the factory or the token given has no code.
    /// @param account The address given.
    error NotAContract(address account);

    /// @notice The rewards contract stakes another token than the one given.
    /// @param sesh The token given.
    /// @param stakingToken The rewards contract's `designatedToken`.
    error TokenMismatch(address sesh, address stakingToken);

    /// @notice The factory opens nodes in another rewards contract than the one given.
    /// @param factoryRewards The factory's `stakingRewardsContract`.
    /// @param rewards The rewards contract given.
    error FactoryRewardsMismatch(address factoryRewards, address rewards);

    /// @notice Only the beneficiary may call this (the staking functions: while the vesting is not revoked).
    /// @param caller The caller.
    /// @param beneficiary The beneficiary.
    error CallerNotBeneficiary(address caller, address beneficiary);

    /// @notice Only the revoker may call this (the staking functions: once the vesting is revoked). A revoker of 0
    /// means the vesting cannot be revoked.
    /// @param caller The caller.
    /// @param revoker The revoker.
    error CallerNotRevoker(address caller, address revoker);

    /// @notice The vesting has not started: the staking functions wait for {start}.
    /// @param currentTime The block's timestamp.
    /// @param start The start.
    error VestingNotStarted(uint256 currentTime, uint256 start);

    /// @notice The vesting has not ended: nothing is paid out before {end}.
    /// @param currentTime The block's timestamp.
    /// @param end The end.
    error VestingNotEnded(uint256 currentTime, uint256 end);

    /// @notice The vesting has ended unrevoked: everything is the beneficiary's, it can no longer be revoked.
    /// @param currentTime The block's timestamp.
    /// @param end The end.
    error VestingEnded(uint256 currentTime, uint256 end);

    /// @notice The vesting was revoked: the beneficiary is halted and the revoker acts instead.
    /// @param revoker The revoker.
    error VestingRevoked(address revoker);

    /// @notice The beneficiary was set as not transferable at deployment.
    error BeneficiaryNotTransferable();

    /// @notice This contract holds none of `token`: there is nothing to pay.
    /// @param token The token.
    error NothingToRelease(IERC20 token);

    /// @notice The contribution contract was not opened by the factory: no SESH is sent to it, nothing is called.
    /// @param snContribAddr The address given.
    /// @param factory The factory, {snContribFactory}.
    error ContributionNotFromFactory(address snContribAddr, address factory);

    /// @notice A staking call left part of the allowance this contract gave for it unspent.
    /// @param spender The contract approved.
    /// @param remaining The allowance left.
    error AllowanceNotSpent(address spender, uint256 remaining);

    // ----------------------------------------------------------------------------------------------------------------
    // Events (production)
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice The beneficiary was paid the whole balance of `token`.
    /// @param token The token.
    /// @param amount The amount paid, in atoms.
    event TokensReleased(IERC20 indexed token, uint256 amount);

    /// @notice The revoker was paid the whole balance of `token`, after the end of a revoked vesting.
    /// @param token The token.
    /// @param amount The amount paid, in atoms.
    event TokensRevokedReleased(IERC20 indexed token, uint256 amount);

    /// @notice The vesting was revoked (once, before {end}): the beneficiary is halted.
    /// @param token The token named in the revoking call (the revocation is of the whole contract).
    event TokenVestingRevoked(IERC20 indexed token);

    /// @notice The beneficiary changed (also emitted by the constructor, from the zero address).
    /// @param oldBeneficiary The previous beneficiary.
    /// @param newBeneficiary The new beneficiary.
    event BeneficiaryTransferred(address oldBeneficiary, address newBeneficiary);

    /// @notice The revoker changed (also emitted by the constructor, from the zero address, when there is one).
    /// @param oldRevoker The previous revoker.
    /// @param newRevoker The new revoker.
    event RevokerTransferred(address oldRevoker, address newRevoker);

    // ----------------------------------------------------------------------------------------------------------------
    // Staking: from {start}, by the beneficiary, or by the revoker once revoked
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice Registers a solo Session Node staked by this contract: it approves exactly the staking requirement
    /// to the rewards contract and calls its `addBLSPublicKey` with one contributor, this contract, whose rewards go
    /// to `snBeneficiary`.
    /// @dev The operator of the node is this contract, so the proof of possession must be made for this contract's
    /// address (the rewards contract checks it for `contributors[0]`), not for the caller's. Reverts
    /// {CallerNotBeneficiary} (or {CallerNotRevoker} once revoked), {VestingNotStarted}, then as the rewards
    /// contract's `addBLSPublicKey` (a balance below the requirement: the token's `ERC20InsufficientBalance`), and
    /// {AllowanceNotSpent} should it not take the whole requirement.
    /// @param blsPubkey The node's BLS key.
    /// @param blsSignature Its proof of possession, made for this contract as the operator.
    /// @param serviceNodeParams The ed25519 key, its signature and the fee.
    /// @param snBeneficiary Who receives the node's rewards; 0 for this contract.
    function addBLSPublicKey(
        BN256G1.G1Point calldata blsPubkey,
        IServiceNodeRewards.BLSSignatureParams calldata blsSignature,
        IServiceNodeRewards.ServiceNodeParams calldata serviceNodeParams,
        address snBeneficiary
    ) external;

    /// @notice Asks for the exit of a node this contract staked in (`initiateExitBLSPublicKey` of the rewards
    /// contract). The network credits the returned stake to this contract later; {claimRewards} brings it home.
    /// @dev Reverts {CallerNotBeneficiary} (or {CallerNotRevoker} once revoked), {VestingNotStarted}, then as the
    /// rewards contract's `initiateExitBLSPublicKey`.
    /// @param serviceNodeID The node's id.
    function initiateExitBLSPublicKey(uint64 serviceNodeID) external;

    /// @notice Claims everything the network credited this contract (rewards and returned stakes) into it, where it
    /// is locked with the rest.
    /// @dev Reverts {CallerNotBeneficiary} (or {CallerNotRevoker} once revoked), {VestingNotStarted}, then as the
    /// rewards contract's `claimRewards()`.
    function claimRewards() external;

    /// @notice Claims `amount` of what the network credited this contract into it.
    /// @dev Reverts {CallerNotBeneficiary} (or {CallerNotRevoker} once revoked), {VestingNotStarted}, then as the
    /// rewards contract's `claimRewards(amount)`.
    /// @param amount The amount, in atoms.
    function claimRewards(uint256 amount) external;

    /// @notice Contributes `amount` of the locked SESH to a node the factory opened, its rewards going to
    /// `snContribBeneficiary`: approves exactly `amount` to the contribution contract and calls its
    /// `contributeFunds`. What it refunds comes back to this contract.
    /// @dev Reverts {CallerNotBeneficiary} (or {CallerNotRevoker} once revoked), {VestingNotStarted},
    /// {ContributionNotFromFactory}, then as the contribution contract's `contributeFunds`, and {AllowanceNotSpent}
    /// should it not take the whole amount. A beneficiary of 0 is this contract (on a top-up too: the recorded
    /// beneficiary becomes this contract).
    /// @param snContribAddr The contribution contract.
    /// @param amount The amount, in atoms.
    /// @param snContribBeneficiary Who receives this contribution's rewards; 0 for this contract.
    function contributeFunds(address snContribAddr, uint256 amount, address snContribBeneficiary) external;

    /// @notice Withdraws this contract's contribution from a node the factory opened and that has not registered
    /// (the contribution contract's `withdrawContribution`); the SESH comes back here.
    /// @dev Reverts {CallerNotBeneficiary} (or {CallerNotRevoker} once revoked), {VestingNotStarted},
    /// {ContributionNotFromFactory}, then as the contribution contract's `withdrawContribution`.
    /// @param snContribAddr The contribution contract.
    function withdrawContribution(address snContribAddr) external;

    /// @notice Changes who receives the rewards of this contract's contribution to a node the factory opened,
    /// while the node is open (the contribution contract's `updateBeneficiary`).
    /// @dev Reverts {CallerNotBeneficiary} (or {CallerNotRevoker} once revoked), {VestingNotStarted},
    /// {ContributionNotFromFactory}, then as the contribution contract's `updateBeneficiary`.
    /// @param snContribAddr The contribution contract.
    /// @param snContribBeneficiary The new beneficiary of the rewards; 0 for this contract.
    function updateBeneficiary(address snContribAddr, address snContribBeneficiary) external;

    // ----------------------------------------------------------------------------------------------------------------
    // Payouts and revocation
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice Pays the beneficiary this contract's whole balance of `token` (any token), from {end} on. Can be
    /// called again for what arrives later (a stake returned and claimed after the end).
    /// @dev Reverts {CallerNotBeneficiary}, {VestingRevoked}, {VestingNotEnded} before {end}, {NothingToRelease}.
    /// Emits {TokensReleased}.
    /// @param token The token.
    function release(IERC20 token) external;

    /// @notice The revoker's one function for the revocation and its payout. Before {end}, on a vesting not revoked:
    /// revokes it — the beneficiary is halted for good, the revoker takes over the staking functions — and emits
    /// {TokenVestingRevoked}; nothing moves. From {end} on, once revoked: pays the revoker this contract's whole
    /// balance of `token` (any token) and emits {TokensRevokedReleased}; it can be called again for what arrives
    /// later.
    /// @dev Reverts {CallerNotRevoker} (always, for a revoker of 0); on a vesting not revoked {VestingEnded} from
    /// {end} on; on a revoked one {VestingNotEnded} before {end} and {NothingToRelease}.
    /// @param token The token named in the revocation, or the token to pay out.
    function revoke(IERC20 token) external;

    /// @notice Hands the vesting to a new beneficiary, if it was made transferable. The stakes stay this contract's
    /// and pass to the new beneficiary's control at once; the rewards of nodes already registered keep going to the
    /// `snBeneficiary` named when they were staked, until they exit.
    /// @dev Reverts {CallerNotBeneficiary}, {BeneficiaryNotTransferable}, {VestingRevoked}, {InvalidBeneficiary} for
    /// the zero address or this contract. Emits {BeneficiaryTransferred}.
    /// @param beneficiary_ The new beneficiary.
    function transferBeneficiary(address beneficiary_) external;

    /// @notice Hands the revoker's role to a new revoker, before or after a revocation.
    /// @dev Reverts {CallerNotRevoker}, {InvalidRevoker} for the zero address or this contract. Emits
    /// {RevokerTransferred}.
    /// @param revoker_ The new revoker.
    function transferRevoker(address revoker_) external;

    // ----------------------------------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice How much of `token` has vested at `timestamp`, on this contract's current balance: nothing before
    /// {end}, the whole balance from {end} on (ours).
    /// @param token The token.
    /// @param timestamp The time, in seconds since the epoch.
    /// @return The amount, in atoms.
    function vestedAmount(IERC20 token, uint256 timestamp) external view returns (uint256);

    /// @notice What {release} would pay the beneficiary now: {vestedAmount} at this block, or 0 once revoked (ours).
    /// @param token The token.
    /// @return The amount, in atoms.
    function releasable(IERC20 token) external view returns (uint256);

    /// @notice The beneficiary: who receives the vested tokens and runs the staking functions until a revocation.
    /// @return The beneficiary's address.
    function beneficiary() external view returns (address);

    /// @notice The revoker, or 0 when the vesting cannot be revoked.
    /// @return The revoker's address.
    function revoker() external view returns (address);

    /// @notice Whether the beneficiary may hand the vesting over ({transferBeneficiary}).
    /// @return True when it may.
    function transferableBeneficiary() external view returns (bool);

    /// @notice When the staking functions open, in seconds since the epoch.
    /// @return The start.
    function start() external view returns (uint256);

    /// @notice When everything vests at once, in seconds since the epoch.
    /// @return The end.
    function end() external view returns (uint256);

    /// @notice Whether the vesting was revoked.
    /// @return True once revoked.
    function revoked() external view returns (bool);

    /// @notice The token the staking functions stake.
    /// @return SESH.
    function SESH() external view returns (IERC20);

    /// @notice The rewards contract the solo nodes register in and the rewards are claimed from.
    /// @return The rewards contract.
    function rewardsContract() external view returns (IServiceNodeRewards);

    /// @notice The factory whose contribution contracts this contract may contribute to.
    /// @return The factory.
    function snContribFactory() external view returns (IServiceNodeContributionFactory);
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {BN256G1} from "../libraries/BN256G1.sol";
import {IServiceNodeRewards} from "./IServiceNodeRewards.sol";

// The events are production's, fields and `indexed` as deployed: the node software and portals decode them so.
// solhint-disable gas-indexed-events

/// @title A multi-contributor Session Node in the making
/// @notice Production-compatible interface of the Session Network's `ServiceNodeContribution` (names, argument
/// order and types, events and errors as deployed). One contract per node, opened by its operator through the
/// factory with the node's keys, fee and optional reserved spots. The operator contributes first (at least a
/// quarter of the staking requirement), then the public fills the rest; the contribution that reaches the
/// requirement exactly emits {Filled} and registers the node in the rewards contract ({finalize}) unless the
/// operator asked to finalise by hand. Until then a contributor may withdraw a day after their last contribution,
/// and the operator may reset the contract, which refunds everyone.
///
/// Status: 0 WaitForOperatorContrib, 1 OpenForPublicContrib, 2 WaitForFinalized, 3 Finalized.
/// @dev Where ours differs from production (the interface is kept):
/// - the contract is a minimal clone of one implementation, set up by the factory (production deploys the whole
///   contract per node, about 4.1 M gas): what never changes for a clone (the rewards contract, SESH, the operator,
///   the staking requirement, the maximum contributors) lives in the clone's code;
/// - the proof of possession is not checked when the contract is opened or its keys updated (production spends
///   about 225,000 gas on it there): the rewards contract checks it when the node registers, and a portal checks it
///   before it lists a node with `IServiceNodeRewards.validateProofOfPossession`, a free view (lib/registration does);
/// - a top-up with beneficiary 0 keeps the recorded beneficiary (production resets it to the contributor);
/// - a changed staking requirement of the rewards contract reports {RewardsContractStakingRequirementChanged}
///   (production reports it with the maximum-contributors error).
interface IServiceNodeContribution {
    /// @notice Where the contract is in its life.
    enum Status {
        WaitForOperatorContrib,
        OpenForPublicContrib,
        WaitForFinalized,
        Finalized
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Events (production ABI)
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice The contributions reached the staking requirement exactly.
    event Filled();

    /// @notice The node registered in the rewards contract with these contributors.
    event Finalized();

    /// @notice `contributor` contributed `amount` atoms (a first contribution or a top-up), its rewards going to
    /// `beneficiary`.
    /// @param contributor The staker.
    /// @param beneficiary Who receives its rewards.
    /// @param amount The atoms contributed by this call.
    event NewContribution(address indexed contributor, address beneficiary, uint256 amount);

    /// @notice The operator contributed: the public may contribute now.
    event OpenForPublicContribution();

    /// @notice The contract was reset: every contribution refunded, waiting for the operator again.
    event Reset();

    /// @notice The operator's fee changed.
    /// @param newFee The fee in basis points.
    event UpdateFee(uint16 newFee);

    /// @notice Whether the operator finalises by hand changed.
    /// @param newValue True when {finalize} must be called once the node is filled.
    event UpdateManualFinalize(bool newValue);

    /// @notice The node's keys changed.
    /// @param newBLSPubkey The BLS key.
    /// @param newEd25519Pubkey The ed25519 key.
    event UpdatePubkeys(BN256G1.G1Point newBLSPubkey, uint256 newEd25519Pubkey);

    /// @notice The reserved spots changed.
    /// @param newReservedContributors The spots, operator first when it holds one.
    event UpdateReservedContributors(IServiceNodeRewards.ReservedContributor[] newReservedContributors);

    /// @notice A contributor changed who receives its rewards.
    /// @param staker The contributor.
    /// @param newBeneficiary The new beneficiary.
    event UpdateStakerBeneficiary(address indexed staker, address newBeneficiary);

    /// @notice A contributor withdrew its whole contribution.
    /// @param contributor The contributor.
    /// @param amount The atoms returned.
    event WithdrawContribution(address indexed contributor, uint256 amount);

    // ----------------------------------------------------------------------------------------------------------------
    // Errors (production ABI, and ours, marked so)
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice Beneficiaries change only while the node is open (before it is filled).
    /// @param ed25519Pubkey The node's ed25519 key.
    error BeneficiaryUpdatingDisabledNodeIsNotOpen(uint256 ed25519Pubkey);

    /// @notice {calcMinimumContribution} was asked for a spot that does not exist.
    /// @param numContributors The contributors (and reserved spots) counted.
    /// @param maxNumContributors The maximum.
    error CalcMinContributionGivenBadContribArgs(uint256 numContributors, uint256 maxNumContributors);

    /// @notice Contributions are taken only while waiting for the operator or open.
    /// @param status The contract's status.
    error ContributeFundsNotPossible(uint8 status);

    /// @notice The contribution is below the minimum a new contributor must pay.
    /// @param contributed The amount offered.
    /// @param min The minimum.
    error ContributionBelowMinAmount(uint256 contributed, uint256 min);

    /// @notice A reserved contributor offered less than its reservation.
    /// @param contributed The amount offered.
    /// @param reserved The reservation.
    error ContributionBelowReservedAmount(uint256 contributed, uint256 reserved);

    /// @notice The contribution would take the total past what the requirement leaves once the reserved spots not
    /// yet taken are counted.
    /// @param totalContributed The total with this contribution.
    /// @param totalReserved The reservations not yet taken.
    /// @param stakingRequirement The staking requirement.
    error ContributionExceedsStakingRequirement(
        uint256 totalContributed,
        uint256 totalReserved,
        uint256 stakingRequirement
    );

    /// @notice Two reserved spots name the same address.
    /// @param index The index of the second one.
    error DuplicateAddressInReservedContributor(uint256 index);

    /// @notice The operator's fee is above 10,000 basis points.
    /// @param fee The fee.
    /// @param max The maximum, {MAX_FEE}.
    error FeeExceedsPossibleValue(uint16 fee, uint16 max);

    /// @notice {finalize} needs the node filled and not yet registered.
    /// @param status The contract's status.
    error FinalizeNotPossible(uint8 status);

    /// @notice The first contribution is the operator's.
    /// @param contributor Who tried.
    /// @param operator The operator.
    error FirstContributionMustBeOperator(address contributor, address operator);

    /// @notice A non-empty list of reserved spots starts with the operator's.
    /// @param index The index checked (0).
    /// @param operator The operator.
    error FirstReservedContributorMustBeOperator(uint256 index, address operator);

    /// @notice Every spot is taken.
    /// @param maxContributors The maximum number of contributors.
    error MaxContributorsExceeded(uint256 maxContributors);

    /// @notice Only a contributor has a beneficiary to change.
    /// @param nonContributorAddr The caller.
    error NonContributorUpdatedBeneficiary(address nonContributorAddr);

    /// @notice Only the operator may do this.
    /// @param addr The caller.
    /// @param operator The operator.
    error OnlyOperatorIsAuthorised(address addr, address operator);

    /// @notice The keys, fee, reservations and manual finalisation change only while waiting for the operator.
    /// @param status The contract's status.
    error RequireWaitForOperatorContribStatus(uint8 status);

    /// @notice The contract holds none of the token.
    /// @param token The token.
    error RescueBalanceIsEmpty(address token);

    /// @notice SESH is rescued only once the node is registered (before, the contract holds contributions).
    /// @param status The contract's status.
    error RescueNotPossible(uint8 status);

    /// @notice A reserved spot is below the minimum its place in the list allows.
    /// @param index The spot's index.
    /// @param contributed The reservation.
    /// @param min The minimum.
    error ReservedContributionBelowMinAmount(uint256 index, uint256 contributed, uint256 min);

    /// @notice The reserved spots so far exceed the staking requirement.
    /// @param index The spot's index.
    /// @param contributed The reservation.
    /// @param remaining What the requirement leaves after the spots before it.
    error ReservedContributionExceedsStakingRequirement(uint256 index, uint256 contributed, uint256 remaining);

    /// @notice A reserved spot names the zero address.
    /// @param index The spot's index.
    error ReservedContributorHasZeroAddress(uint256 index);

    /// @notice The rewards contract's maximum number of contributors changed since this contract was opened.
    /// @param oldMax The maximum this contract was opened with.
    /// @param newMax The rewards contract's maximum now.
    error RewardsContractMaxContributorsChanged(uint256 oldMax, uint256 newMax);

    /// @notice The rewards contract's staking requirement changed since this contract was opened.
    /// @param oldRequirement The requirement this contract was opened with.
    /// @param newRequirement The rewards contract's requirement now.
    error RewardsContractStakingRequirementChanged(uint256 oldRequirement, uint256 newRequirement);

    /// @notice More reserved spots than contributors allowed.
    /// @param length The number of spots.
    /// @param max The maximum number of contributors.
    error TooManyReservedContributors(uint256 length, uint256 max);

    /// @notice The clone was set up already, or this is the implementation (ours).
    error AlreadyInitialized();

    /// @notice Only the factory that opened the clone sets it up (ours).
    /// @param caller The caller.
    /// @param factory The factory.
    error OnlyFactoryInitializes(address caller, address factory);

    /// @notice A contribution of zero atoms (ours).
    error ZeroContribution();

    /// @notice An index past the end of a list (ours: production's arrays reverted with a panic).
    /// @param index The index.
    /// @param length The list's length.
    error IndexOutOfRange(uint256 index, uint256 length);

    /// @notice The caller has nothing to withdraw (ours: production let it through with nothing).
    /// @param caller The caller.
    error WithdrawalByNonContributor(address caller);

    /// @notice Nothing is withdrawn once the node is registered: the stake is in the rewards contract (ours).
    /// @param status The contract's status.
    error WithdrawNotPossible(uint8 status);

    /// @notice A contributor withdraws only a day after its last contribution.
    /// @param contribTime The time of its last contribution.
    /// @param blockTime The block's time.
    /// @param delayRequired {WITHDRAWAL_DELAY}.
    error WithdrawTooEarly(uint256 contribTime, uint256 blockTime, uint256 delayRequired);

    // ----------------------------------------------------------------------------------------------------------------
    // Set-up (ours: a clone has no constructor)
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice Sets up a clone the factory just opened: the fee, the reservations and manual finalisation (what
    /// never changes is in the clone's code). The factory calls it once, in the transaction that opens the clone.
    /// @dev Reverts {AlreadyInitialized} on the implementation, then {OnlyFactoryInitializes}, {AlreadyInitialized}
    /// for a clone set up already, then as {updateFee} and {updateReservedContributors}. Emits {UpdatePubkeys},
    /// {UpdateFee}, {UpdateReservedContributors} and {UpdateManualFinalize}, as production's constructor.
    /// @param fee The operator's fee in basis points.
    /// @param reserved The reserved spots, operator first when it holds one.
    /// @param manualFinalize_ Whether the operator finalises by hand.
    function initialize(
        uint16 fee,
        IServiceNodeRewards.ReservedContributor[] calldata reserved,
        bool manualFinalize_
    ) external;

    // ----------------------------------------------------------------------------------------------------------------
    // Contributions
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice Contributes `amount` atoms of SESH (approved to this contract beforehand), its rewards going to
    /// `beneficiary` (0: the caller, or on a top-up the beneficiary already recorded).
    /// @dev Checked in this order: the status is WaitForOperatorContrib or OpenForPublicContrib
    /// ({ContributeFundsNotPossible}); while waiting for the operator, the caller is the operator
    /// ({FirstContributionMustBeOperator}); the rewards contract's staking requirement and maximum contributors are
    /// the ones this contract was opened with ({RewardsContractStakingRequirementChanged},
    /// {RewardsContractMaxContributorsChanged}); the amount is not zero ({ZeroContribution}, ours); a reserved
    /// contributor's first contribution covers its reservation ({ContributionBelowReservedAmount}); any other first
    /// contribution finds a spot not reserved for someone else ({MaxContributorsExceeded}) and is at least
    /// {minimumContribution} ({ContributionBelowMinAmount}; the operator's at least {minimumOperatorContribution});
    /// the total, with the reservations not yet taken, stays within the requirement
    /// ({ContributionExceedsStakingRequirement}). A top-up by a contributor has no minimum. Emits {NewContribution},
    /// then {OpenForPublicContribution} after the operator's first contribution, and {Filled} when the requirement
    /// is reached, which also finalises unless {manualFinalize}.
    /// @param amount The atoms to contribute.
    /// @param beneficiary Who receives the caller's rewards; 0 for the caller (or, on a top-up, unchanged).
    function contributeFunds(uint256 amount, address beneficiary) external;

    /// @notice Returns the caller's whole contribution, a day after its last one, while the node is not
    /// registered. The operator's withdrawal resets the contract (every contributor refunded, {Reset}).
    /// @dev Checked in this order: not finalised ({WithdrawNotPossible}, ours), the caller a contributor
    /// ({WithdrawalByNonContributor}, ours), then, for a contributor other than the operator, a day since its last
    /// contribution ({WithdrawTooEarly}); the operator's withdrawal is a {reset}, at once. The last contributor takes
    /// the leaver's place in the list. A reserved spot withdrawn is open to its holder again; a filled node reopens
    /// (OpenForPublicContrib). Emits {WithdrawContribution} (the operator's: as {reset}).
    function withdrawContribution() external;

    /// @notice Registers the filled node in the rewards contract: `addBLSPublicKey` with the contributors in the
    /// list's order (the operator first; a contributor who withdrew was replaced by the last one), and their
    /// beneficiaries; the stake goes with it.
    /// @dev Operator only ({OnlyOperatorIsAuthorised}); the status is WaitForFinalized ({FinalizeNotPossible}).
    /// It approves the requirement to the rewards contract, which takes it.
    /// The rewards contract's own checks apply (the proof of possession among them). Emits {Finalized}.
    function finalize() external;

    /// @notice Refunds every contribution and waits for the operator again, keeping the keys, fee and
    /// reservations. After the node registered it clears the contributors (their stake is in the rewards
    /// contract) so that the same node can be registered again once it has left.
    /// @dev Operator only ({OnlyOperatorIsAuthorised}). Emits {Reset}, then one {WithdrawContribution} per contributor
    /// refunded.
    function reset() external;

    /// @notice {reset}, then new keys, fee, reservations and manual finalisation, then the operator's contribution,
    /// in one transaction.
    /// @dev Operator only. Each step's checks and events are those of {reset}, {updatePubkeys}, {updateFee},
    /// {updateReservedContributors}, {updateManualFinalize} and {contributeFunds}, in that order.
    /// @param key The node's BLS key.
    /// @param sig Its proof of possession (checked by the rewards contract at registration).
    /// @param params The ed25519 key, its signature and the fee.
    /// @param reserved The reserved spots, operator first when it holds one.
    /// @param _manualFinalize Whether the operator finalises by hand.
    /// @param beneficiary The operator's beneficiary (0: the operator).
    /// @param amount The operator's contribution.
    function resetUpdateAndContribute(
        BN256G1.G1Point calldata key,
        IServiceNodeRewards.BLSSignatureParams calldata sig,
        IServiceNodeRewards.ServiceNodeParams calldata params,
        IServiceNodeRewards.ReservedContributor[] calldata reserved,
        bool _manualFinalize,
        address beneficiary,
        uint256 amount
    ) external;

    // ----------------------------------------------------------------------------------------------------------------
    // The operator's settings (only while waiting for the operator's contribution)
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice Sets the node's keys. Operator only ({OnlyOperatorIsAuthorised}), while WaitForOperatorContrib
    /// ({RequireWaitForOperatorContribStatus}). Emits {UpdatePubkeys}.
    /// @param newBLSPubkey The BLS key.
    /// @param newBLSSig Its proof of possession.
    /// @param ed25519Pubkey The ed25519 key.
    /// @param ed25519Sig0 The first half of its signature.
    /// @param ed25519Sig1 The second half.
    function updatePubkeys(
        BN256G1.G1Point calldata newBLSPubkey,
        IServiceNodeRewards.BLSSignatureParams calldata newBLSSig,
        uint256 ed25519Pubkey,
        uint256 ed25519Sig0,
        uint256 ed25519Sig1
    ) external;

    /// @notice Sets the operator's fee. Operator only, while WaitForOperatorContrib; at most {MAX_FEE}
    /// ({FeeExceedsPossibleValue}). Emits {UpdateFee}.
    /// @param fee The fee in basis points.
    function updateFee(uint16 fee) external;

    /// @notice Replaces the reserved spots. Operator only, while WaitForOperatorContrib. Checked in this order: at
    /// most {maxContributors} spots ({TooManyReservedContributors}); then for each spot i, no zero address
    /// ({ReservedContributorHasZeroAddress}), spot 0 the operator's ({FirstReservedContributorMustBeOperator}), at
    /// least the minimum for its place — {minimumOperatorContribution} for spot 0, else
    /// {calcMinimumContribution}(what is left, i, max) ({ReservedContributionBelowMinAmount}) — at most what is
    /// left ({ReservedContributionExceedsStakingRequirement}), and no repeated address
    /// ({DuplicateAddressInReservedContributor}). Emits {UpdateReservedContributors}.
    /// @param reserved The spots.
    function updateReservedContributors(IServiceNodeRewards.ReservedContributor[] calldata reserved) external;

    /// @notice Sets whether the operator finalises by hand. Operator only, while WaitForOperatorContrib. Emits
    /// {UpdateManualFinalize}.
    /// @param value True to finalise by hand.
    function updateManualFinalize(bool value) external;

    /// @notice Changes who receives the caller's rewards, while the node is open (WaitForOperatorContrib or
    /// OpenForPublicContrib; {BeneficiaryUpdatingDisabledNodeIsNotOpen}). Contributors only
    /// ({NonContributorUpdatedBeneficiary}). Emits {UpdateStakerBeneficiary}.
    /// @param newBeneficiary The beneficiary (0: the caller).
    function updateBeneficiary(address newBeneficiary) external;

    /// @notice Sends the contract's whole balance of `tokenAddress` to the operator. Operator only; SESH only once
    /// the node is registered ({RescueNotPossible}); {RescueBalanceIsEmpty} when there is none.
    /// @param tokenAddress The token.
    function rescueERC20(address tokenAddress) external;

    // ----------------------------------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice The highest fee, in basis points.
    /// @return 10,000.
    function MAX_FEE() external view returns (uint16);

    /// @notice How long after its last contribution a contributor may withdraw.
    /// @return 1 day, in seconds.
    function WITHDRAWAL_DELAY() external view returns (uint64);

    /// @notice The staking token.
    /// @return SESH.
    function SESH() external view returns (address);

    /// @notice The rewards contract the node registers in.
    /// @return The rewards contract.
    function stakingRewardsContract() external view returns (address);

    /// @notice The staking requirement this contract was opened with.
    /// @return The requirement, in atoms.
    function stakingRequirement() external view returns (uint256);

    /// @notice The maximum number of contributors this contract was opened with.
    /// @return The maximum.
    function maxContributors() external view returns (uint256);

    /// @notice The node's operator.
    /// @return The operator.
    function operator() external view returns (address);

    /// @notice Where the contract is (see {Status}).
    /// @return The status as a number.
    function status() external view returns (uint8);

    /// @notice Whether the operator finalises by hand.
    /// @return True when {finalize} must be called.
    function manualFinalize() external view returns (bool);

    /// @notice The node's BLS key.
    /// @return X The x-coordinate.
    /// @return Y The y-coordinate.
    function blsPubkey() external view returns (uint256 X, uint256 Y);

    /// @notice The BLS key's proof of possession.
    /// @return The signature.
    function blsSignature() external view returns (IServiceNodeRewards.BLSSignatureParams memory);

    /// @notice The proof of possession as production's public variable returns it.
    /// @return sigs0 x.real.
    /// @return sigs1 x.imaginary.
    /// @return sigs2 y.real.
    /// @return sigs3 y.imaginary.
    function _blsSignature() external view returns (uint256 sigs0, uint256 sigs1, uint256 sigs2, uint256 sigs3);

    /// @notice The ed25519 key, its signature and the fee.
    /// @return The parameters.
    function serviceNodeParams() external view returns (IServiceNodeRewards.ServiceNodeParams memory);

    /// @notice {serviceNodeParams} as production's public variable returns it.
    /// @return serviceNodePubkey The ed25519 key.
    /// @return serviceNodeSignature1 The first half of its signature.
    /// @return serviceNodeSignature2 The second half.
    /// @return fee The fee.
    function _serviceNodeParams()
        external
        view
        returns (uint256 serviceNodePubkey, uint256 serviceNodeSignature1, uint256 serviceNodeSignature2, uint16 fee);

    /// @notice Contributor `index`: the operator first, then in the order they contributed, except that a contributor
    /// who withdrew was replaced by the last one.
    /// @param index The index, below {contributorAddressesLength}.
    /// @return The staker and its beneficiary.
    function contributorAddresses(uint256 index) external view returns (IServiceNodeRewards.Staker memory);

    /// @notice {contributorAddresses} as production's public array returns it.
    /// @param index The index.
    /// @return addr The staker.
    /// @return beneficiary Its beneficiary.
    function _contributorAddresses(uint256 index) external view returns (address addr, address beneficiary);

    /// @notice The number of contributors.
    /// @return result The count.
    function contributorAddressesLength() external view returns (uint256 result);

    /// @notice What `stakerAddr` contributed (0 for no contributor).
    /// @param stakerAddr The staker.
    /// @return amount The atoms.
    function contributions(address stakerAddr) external view returns (uint256 amount);

    /// @notice The time of `stakerAddr`'s last contribution (0 for no contributor).
    /// @param stakerAddr The staker.
    /// @return amount The unix time (production's name for it).
    function contributionTimestamp(address stakerAddr) external view returns (uint256 amount);

    /// @notice Every contributor, its beneficiary and its contribution, in order.
    /// @return addrs The stakers.
    /// @return beneficiaries Their beneficiaries.
    /// @return contribs Their contributions.
    function getContributions()
        external
        view
        returns (address[] memory addrs, address[] memory beneficiaries, uint256[] memory contribs);

    /// @notice Every reserved spot, its amount and whether its holder has contributed.
    /// @return addrs The holders.
    /// @return contribs The reservations.
    /// @return received Whether each holder has contributed.
    function getReserved()
        external
        view
        returns (address[] memory addrs, uint256[] memory contribs, bool[] memory received);

    /// @notice `stakerAddr`'s reservation (0 for none) and whether it has contributed.
    /// @param stakerAddr The holder.
    /// @return amount The reservation.
    /// @return received Whether it has contributed.
    function reservedContributions(address stakerAddr) external view returns (uint256 amount, bool received);

    /// @notice The holder of reserved spot `index`.
    /// @param index The index.
    /// @return The holder.
    function reservedContributionsAddresses(uint256 index) external view returns (address);

    /// @notice The operator's contribution (0 before it).
    /// @return result The atoms.
    function operatorContribution() external view returns (uint256 result);

    /// @notice All contributions so far.
    /// @return result The atoms.
    function totalContribution() external view returns (uint256 result);

    /// @notice The reservations not yet taken.
    /// @return result The atoms.
    function totalReservedContribution() external view returns (uint256 result);

    /// @notice The least a new, unreserved contributor may contribute now:
    /// {calcMinimumContribution}(requirement − total − reservations not taken, contributors + reservations not
    /// taken, max); {minimumOperatorContribution} while waiting for the operator.
    /// @return result The atoms.
    function minimumContribution() external view returns (uint256 result);

    /// @notice ⌈remaining / (max − contributors)⌉, the share of the remaining stake each spot left must take at
    /// least; ⌈remaining / 4⌉ for the first contributor.
    /// @dev Reverts {CalcMinContributionGivenBadContribArgs} when no spot is left (contributors ≥ max).
    /// @param contributionRemaining The stake left to fill.
    /// @param numContributors The spots taken (contributors and reservations not taken).
    /// @param maxNumContributors The maximum.
    /// @return result The minimum.
    function calcMinimumContribution(
        uint256 contributionRemaining,
        uint256 numContributors,
        uint256 maxNumContributors
    ) external pure returns (uint256 result);

    /// @notice The operator's minimum: ⌈requirement / 4⌉.
    /// @param _stakingRequirement The staking requirement.
    /// @return result The minimum.
    function minimumOperatorContribution(uint256 _stakingRequirement) external pure returns (uint256 result);
}

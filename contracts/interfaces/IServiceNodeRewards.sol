// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {BN256G1} from "../libraries/BN256G1.sol";
import {IManaged} from "./IManaged.sol";

// The events are production's, fields and `indexed` as deployed: the node software and portals decode them so.
// solhint-disable gas-indexed-events

/// @title The Session Node registry, its stakes and the network-signed rewards
/// @notice Production-compatible interface of the Session Network's `ServiceNodeRewards` (names, argument order and
/// types, structs, events and errors as deployed). A Session Node is registered by its BLS public key (a G1 point)
/// with a proof of possession of its secret key, its ed25519 key and its contributors, whose stakes sum to the
/// staking requirement. The network of registered nodes signs, with one aggregate BLS signature and a list of the
/// nodes that did not sign, each recipient's cumulative rewards, each exit and each liquidation. Exits and
/// liquidations move no stake themselves: the network credits each contributor's returned stake later through
/// {updateRewardsBalance}, and they claim it with {claimRewards}.
/// @dev Where ours differs from production (all additions or stricter checks, keeping the interface):
/// - every outflow and state change stops while paused, claims included;
/// - a non-signer list with a repeated id ({NonSignerRepeated}) or the id of no registered node
///   ({NonSignerNotRegistered}) is refused; the order of the list stays free;
/// - every exit path (initiate, with signature, after the wait, liquidation) runs the same removal checks: not the
///   sentinel, the node exists, and it is at least {MIN_NODE_AGE_BEFORE_EXIT} old;
/// - the liquidation shares add up to the penalty exactly: the pool's share is rounded up, the liquidator's down,
///   and the contributors get back the rest of the deposit;
/// - `renounceOwnership` always reverts; `rescueERC20` returns tokens other than SESH sent by mistake;
/// - input that production stores as it comes is checked: a fee above 10,000 basis points, a zero or repeated
///   contributor, a zero stake, a seeded node added in the future, and settings above what storage holds.
interface IServiceNodeRewards is IManaged {
    // ----------------------------------------------------------------------------------------------------------------
    // Structs (production ABI)
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice A G2 signature as it travels: (x.real, x.imaginary, y.real, y.imaginary).
    struct BLSSignatureParams {
        uint256 sigs0;
        uint256 sigs1;
        uint256 sigs2;
        uint256 sigs3;
    }

    /// @notice What a node registers besides its BLS key: its ed25519 key with the signature of it (kept for the
    /// node software, not checked here) and the operator's fee in basis points (0 to 10,000).
    struct ServiceNodeParams {
        uint256 serviceNodePubkey;
        uint256 serviceNodeSignature1;
        uint256 serviceNodeSignature2;
        uint16 fee;
    }

    /// @notice A contributor: the address that staked and the address that receives its rewards.
    struct Staker {
        address addr;
        address beneficiary;
    }

    /// @notice A contributor and its stake.
    struct Contributor {
        Staker staker;
        uint256 stakedAmount;
    }

    /// @notice A reserved spot of a contribution contract: who holds it and the least it contributes.
    struct ReservedContributor {
        address addr;
        uint256 amount;
    }

    /// @notice A node re-staked at the Landing: no proof of possession, its original time of registration.
    struct SeedServiceNode {
        BN256G1.G1Point blsPubkey;
        uint256 ed25519Pubkey;
        uint256 addedTimestamp;
        Contributor[] contributors;
    }

    /// @notice A registered node as {serviceNodes} returns it. `next` and `prev` link the list of nodes (0 is the
    /// sentinel: `serviceNodes(0).next` is the first node and `.prev` the last).
    struct ServiceNode {
        uint64 next;
        uint64 prev;
        address operator;
        BN256G1.G1Point blsPubkey;
        uint256 addedTimestamp;
        uint256 leaveRequestTimestamp;
        uint256 latestLeaveRequestTimestamp;
        uint256 deposit;
        Contributor[] contributors;
        uint256 ed25519Pubkey;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Errors (production ABI)
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice A node with this BLS key is registered already.
    /// @param serviceNodeID Its id.
    error BLSPubkeyAlreadyExists(uint64 serviceNodeID);

    /// @notice No registered node has this BLS key.
    /// @param pubkey The key.
    error BLSPubkeyDoesNotExist(BN256G1.G1Point pubkey);

    /// @notice Kept from the production ABI; production raised it when an id and a key disagreed. Ours looks nodes
    /// up by one or the other, never both, and does not raise it.
    /// @param serviceNodeID The id.
    /// @param pubkey The key.
    error BLSPubkeyDoesNotMatch(uint64 serviceNodeID, BN256G1.G1Point pubkey);

    /// @notice Only a contributor of the node may ask for its exit.
    /// @param serviceNodeID The node.
    /// @param caller The caller, who is none of its contributors.
    error CallerNotContributor(uint64 serviceNodeID, address caller);

    /// @notice The claim would take this claim cycle's payouts, across all claimants, over `claimThreshold`.
    error ClaimThresholdExceeded();

    /// @notice `start` was called already (or seeding was asked for after it).
    error ContractAlreadyStarted();

    /// @notice The contract has not been started: registrations, signatures and exits wait for `start`.
    error ContractNotStarted();

    /// @notice The contributors' stakes do not sum to the staking requirement.
    /// @param required The staking requirement.
    /// @param provided The sum of the stakes (saturating at 2^256 − 1).
    error ContributionTotalMismatch(uint256 required, uint256 provided);

    /// @notice The sentinel (id 0) is no node and cannot be removed.
    error DeleteSentinelNodeNotAllowed();

    /// @notice A node with this ed25519 key is registered already.
    /// @param serviceNodeID Its id.
    error Ed25519PubkeyAlreadyExists(uint64 serviceNodeID);

    /// @notice The node is younger than {MIN_NODE_AGE_BEFORE_EXIT}: it cannot leave yet.
    /// @param serviceNodeID The node.
    /// @param addedTimestamp When it was added.
    /// @param currenttime The block's timestamp.
    error ExitTooEarly(uint64 serviceNodeID, uint256 addedTimestamp, uint256 currenttime);

    /// @notice More nodes did not sign than `blsNonSignerThreshold` allows.
    /// @param numSigners The nodes that signed: the registered nodes less the non-signers listed (0 if more are
    /// listed than are registered).
    /// @param requiredSigners The fewest signers accepted: the registered nodes less the threshold.
    error InsufficientBLSSignatures(uint256 numSigners, uint256 requiredSigners);

    /// @notice A seeded node has no contributor.
    error InsufficientContributors();

    /// @notice Kept from the production ABI; ours does not raise it.
    error InsufficientNodes();

    /// @notice The operator (the first contributor) stakes less than a quarter of the requirement.
    /// @param operatorStake The operator's stake.
    error InsufficientOperatorContribution(uint256 operatorStake);

    /// @notice The proof of possession is not a signature of this key on (key, operator, ed25519 key) under this
    /// deployment's proof-of-possession tag.
    error InvalidBLSProofOfPossession();

    /// @notice The network signature does not verify against the aggregate key of the signers.
    /// @param aggPubkey The key it was checked against: the aggregate of all nodes less the non-signers.
    error InvalidBLSSignature(BN256G1.G1Point aggPubkey);

    /// @notice The node's exit was never asked for, so the wait has not started.
    /// @param serviceNodeID The node.
    error LeaveRequestNotInitiatedYet(uint64 serviceNodeID);

    /// @notice Too early: a repeated exit request within an hour of the last one, or an exit before the wait ends.
    /// @param serviceNodeID The node.
    /// @param endTimestamp When it becomes possible.
    /// @param currTimestamp The block's timestamp.
    error LeaveRequestTooEarly(uint64 serviceNodeID, uint256 endTimestamp, uint256 currTimestamp);

    /// @notice The ratios do not leave the contributors at least three quarters of a liquidated deposit:
    /// (liquidator + pool) × 3 must not exceed the recipients' ratio, which must be at least 1.
    error LiquidatorPenaltyTooHigh();

    /// @notice The claim is above what the caller is owed (rewards credited less rewards claimed).
    error MaxClaimExceeded();

    /// @notice More contributors than `maxContributors`.
    error MaxContributorsExceeded();

    /// @notice This block already added `maxPermittedPubkeyAggregations()` keys.
    error MaxPubkeyAggregationsExceeded();

    /// @notice A zero address where an account is needed (a contributor, a beneficiary, a recipient, the token or
    /// the foundation pool).
    error NullAddress();

    /// @notice The BLS key is the identity (0, 0).
    error NullBLSPubkey();

    /// @notice The ed25519 key is 0.
    error NullEd25519Pubkey();

    /// @notice A setting that must be positive was given 0.
    error PositiveNumberRequirement();

    /// @notice Kept from the production ABI; ours does not raise it.
    /// @param expectedRecipient The recipient expected.
    /// @param providedRecipient The recipient given.
    /// @param serviceNodeID The node.
    error RecipientAddressDoesNotMatch(address expectedRecipient, address providedRecipient, uint256 serviceNodeID);

    /// @notice The signed cumulative rewards do not exceed what the recipient was already credited: a replayed or
    /// older signature changes nothing.
    error RecipientRewardsTooLow();

    /// @notice No node has this id (it never existed, or it left).
    /// @param serviceNodeID The id.
    error ServiceNodeDoesntExist(uint64 serviceNodeID);

    /// @notice The signed timestamp is more than `signatureExpiry` away from the block's timestamp.
    /// @param serviceNodeID The node the signature is about.
    /// @param timestamp The signed timestamp.
    /// @param currenttime The block's timestamp.
    error SignatureExpired(uint64 serviceNodeID, uint256 timestamp, uint256 currenttime);

    /// @notice A contributor with less than a quarter of the deposit may ask for an exit only 30 days after the
    /// node was added.
    /// @param serviceNodeID The node.
    /// @param contributor The caller.
    error SmallContributorLeaveTooEarly(uint64 serviceNodeID, address contributor);

    // ----------------------------------------------------------------------------------------------------------------
    // Errors (ours)
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice The non-signer list names this id twice.
    /// @param serviceNodeID The repeated id.
    error NonSignerRepeated(uint64 serviceNodeID);

    /// @notice The non-signer list names an id no registered node has (the sentinel 0, an id never given, or a
    /// node that left).
    /// @param serviceNodeID The id.
    error NonSignerNotRegistered(uint64 serviceNodeID);

    /// @notice The operator fee is above 10,000 basis points.
    /// @param fee The fee given.
    /// @param maximum The largest fee, {MAX_FEE}.
    error FeeTooHigh(uint256 fee, uint256 maximum);

    /// @notice A contributor stakes nothing.
    /// @param index Its position in the list.
    error ZeroStake(uint256 index);

    /// @notice The same address is listed twice as a contributor of one node.
    /// @param index The position of the second entry.
    /// @param contributor The address.
    error ContributorRepeated(uint256 index, address contributor);

    /// @notice A seeded node's time of registration is after the block's timestamp.
    /// @param addedTimestamp The time given.
    /// @param currenttime The block's timestamp.
    error AddedTimestampInFuture(uint256 addedTimestamp, uint256 currenttime);

    /// @notice A value is larger than the field that stores it (for instance a staking requirement of more than
    /// 2^64 − 1 atoms, far more SESH than exist).
    /// @param value The value given.
    /// @param maximum The largest value accepted.
    error ValueTooLarge(uint256 value, uint256 maximum);

    // ----------------------------------------------------------------------------------------------------------------
    // Events (production ABI)
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice The owner changed the most non-signers a network signature may have.
    /// @param newMax The new maximum.
    event BLSNonSignerThresholdMaxUpdated(uint256 newMax);

    /// @notice The owner changed the length of a claim cycle.
    /// @param newValue The new length, in seconds.
    event ClaimCycleUpdated(uint256 newValue);

    /// @notice The owner changed the most SESH all claims of one cycle may pay.
    /// @param newThreshold The new threshold, in atoms.
    event ClaimThresholdUpdated(uint256 newThreshold);

    /// @notice The owner changed the liquidation ratios.
    /// @param liquidatorRatio The liquidator's part.
    /// @param poolRatio The foundation pool's part.
    /// @param recipientRatio The contributors' part.
    event LiquidationRatiosUpdated(uint256 liquidatorRatio, uint256 poolRatio, uint256 recipientRatio);

    /// @notice The owner seeded a node (the Landing re-staking).
    /// @param serviceNodeID Its id.
    /// @param blsPubkey Its BLS key.
    /// @param ed25519Pubkey Its ed25519 key.
    event NewSeededServiceNode(uint64 indexed serviceNodeID, BN256G1.G1Point blsPubkey, uint256 ed25519Pubkey);

    /// @notice A node was registered with its proof of possession.
    /// @param serviceNodeID Its id.
    /// @param initiator The caller, who paid the stake.
    /// @param pubkey Its BLS key.
    /// @param serviceNode Its ed25519 key, that key's signature and the operator fee.
    /// @param contributors Its contributors (the caller alone for a solo node).
    event NewServiceNodeV2(
        uint64 indexed serviceNodeID,
        address initiator,
        BN256G1.G1Point pubkey,
        ServiceNodeParams serviceNode,
        Contributor[] contributors
    );

    /// @notice The network credited a recipient.
    /// @param recipientAddress The recipient.
    /// @param amount The new cumulative rewards.
    /// @param previousBalance The cumulative rewards before.
    event RewardsBalanceUpdated(address indexed recipientAddress, uint256 amount, uint256 previousBalance);

    /// @notice A recipient claimed rewards.
    /// @param recipientAddress The recipient.
    /// @param amount The amount paid.
    event RewardsClaimed(address indexed recipientAddress, uint256 amount);

    /// @notice A node left (an exit or a liquidation). No stake moved: the network credits `returnedAmount` to the
    /// contributors through {updateRewardsBalance}.
    /// @param serviceNodeID Its id.
    /// @param initiator The caller.
    /// @param returnedAmount What the contributors get back: the deposit, less the penalty for a liquidation.
    /// @param pubkey Its BLS key.
    event ServiceNodeExit(
        uint64 indexed serviceNodeID,
        address initiator,
        uint256 returnedAmount,
        BN256G1.G1Point pubkey
    );

    /// @notice A contributor asked for the node's exit.
    /// @param serviceNodeID The node.
    /// @param initiator The contributor.
    /// @param pubkey Its BLS key.
    event ServiceNodeExitRequest(uint64 indexed serviceNodeID, address initiator, BN256G1.G1Point pubkey);

    /// @notice A node was liquidated (followed by {ServiceNodeExit}).
    /// @param serviceNodeID Its id.
    /// @param initiator The liquidator.
    /// @param pubkey Its BLS key.
    event ServiceNodeLiquidated(uint64 indexed serviceNodeID, address initiator, BN256G1.G1Point pubkey);

    /// @notice The owner changed how far a signed timestamp may be from the block's.
    /// @param newExpiry The new expiry, in seconds.
    event SignatureExpiryUpdated(uint256 newExpiry);

    /// @notice The owner changed the stake of a new node.
    /// @param newRequirement The new requirement, in atoms.
    event StakingRequirementUpdated(uint256 newRequirement);

    // ----------------------------------------------------------------------------------------------------------------
    // Registration
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice Registers a node with its proof of possession; the caller pays the whole staking requirement.
    /// @dev Not while paused, only after {start}. Checked in this order: with no contributors the caller alone
    /// stakes the requirement; otherwise at most `maxContributors` ({MaxContributorsExceeded}), then for each
    /// contributor no zero address ({NullAddress}), no zero stake ({ZeroStake}) and no repeated address
    /// ({ContributorRepeated}), stakes summing to the requirement ({ContributionTotalMismatch}), the operator
    /// (contributors[0]) staking at least a quarter ({InsufficientOperatorContribution}); the fee ({FeeTooHigh}); the
    /// key not registered ({BLSPubkeyAlreadyExists}); the proof of possession ({InvalidBLSProofOfPossession}; the
    /// null key with a null proof is {NullBLSPubkey}, and a key off the curve or a malformed proof reverts as
    /// `BLS.verify` does, see {validateProofOfPossession}); then, as the node is added, the block's aggregations
    /// ({MaxPubkeyAggregationsExceeded}), the null ed25519 key ({NullEd25519Pubkey}) and the ed25519 key not
    /// registered ({Ed25519PubkeyAlreadyExists}). Emits {NewServiceNodeV2}, then takes the requirement from the
    /// caller with `transferFrom`.
    /// @param blsPubkey The node's BLS key.
    /// @param blsSignature The proof of possession: the key's signature on
    /// (proofOfPossessionTag, key, operator, ed25519 key).
    /// @param serviceNodeParams The ed25519 key, its signature and the operator fee.
    /// @param contributors The contributors, operator first; empty for a node the caller stakes alone.
    function addBLSPublicKey(
        BN256G1.G1Point calldata blsPubkey,
        BLSSignatureParams calldata blsSignature,
        ServiceNodeParams calldata serviceNodeParams,
        Contributor[] calldata contributors
    ) external;

    /// @notice Adds the Landing's re-staked nodes without proofs of possession (only the owner, before {start}).
    /// Moves no tokens: the contract is funded separately with the stakes.
    /// @dev Per node: 1 to `maxContributors` contributors ({InsufficientContributors}, {MaxContributorsExceeded}),
    /// the same contributor checks as {addBLSPublicKey} bar the operator's quarter, a time of registration not in
    /// the future ({AddedTimestampInFuture}), then the null and duplicate key checks. Emits {NewSeededServiceNode}
    /// per node.
    /// @param nodes The nodes, in the order they get their ids.
    function seedPublicKeyList(SeedServiceNode[] calldata nodes) external;

    /// @notice Opens registration, signatures and exits (only the owner, once).
    /// @dev Reverts {ContractAlreadyStarted} the second time.
    function start() external;

    /// @notice Reverts {InvalidBLSProofOfPossession} unless `blsSignature` is `blsPubkey`'s signature on
    /// (proofOfPossessionTag, blsPubkey.X, blsPubkey.Y, caller, serviceNodePubkey).
    /// @dev Also reverts as `BLS.verify` does for a key off the curve or a malformed signature.
    /// @param blsPubkey The key.
    /// @param blsSignature The proof.
    /// @param caller The operator the proof was made for.
    /// @param serviceNodePubkey The ed25519 key the proof was made for.
    function validateProofOfPossession(
        BN256G1.G1Point calldata blsPubkey,
        BLSSignatureParams calldata blsSignature,
        address caller,
        uint256 serviceNodePubkey
    ) external view;

    // ----------------------------------------------------------------------------------------------------------------
    // Rewards
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice Records a recipient's cumulative rewards, signed by the network. Anyone may submit it.
    /// @dev Not while paused, only after {start}. Reverts, in order: {InsufficientBLSSignatures} for more
    /// non-signers than `blsNonSignerThreshold`, {NullAddress}, {RecipientRewardsTooLow} unless the value exceeds
    /// the one stored, {ValueTooLarge} above 2^128 − 1, {NonSignerNotRegistered} / {NonSignerRepeated},
    /// {InvalidBLSSignature}. Emits
    /// {RewardsBalanceUpdated}.
    /// @param recipientAddress The recipient.
    /// @param recipientRewards Its new cumulative rewards (never lower than before: claims are counted apart).
    /// @param blsSignature The network's signature on (rewardTag, recipientAddress, recipientRewards).
    /// @param ids The ids of the registered nodes that did not sign, in any order.
    function updateRewardsBalance(
        address recipientAddress,
        uint256 recipientRewards,
        BLSSignatureParams calldata blsSignature,
        uint64[] calldata ids
    ) external;

    /// @notice Pays the caller everything it is owed (rewards credited less rewards claimed).
    /// @dev As {claimRewards}(amount) with that amount.
    function claimRewards() external;

    /// @notice Pays the caller `amount` of what it is owed.
    /// @dev Not while paused. Reverts {MaxClaimExceeded} above what is owed and {ClaimThresholdExceeded} when this
    /// claim cycle's payouts would exceed `claimThreshold`. Emits {RewardsClaimed}.
    /// @param amount The amount, in atoms.
    function claimRewards(uint256 amount) external;

    // ----------------------------------------------------------------------------------------------------------------
    // Exits
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice A contributor asks for the node's exit: the network then signs it, or anyone completes it after
    /// `MAX_SERVICE_NODE_EXIT_WAIT_TIME`.
    /// @dev Not while paused, only after {start}. Reverts {DeleteSentinelNodeNotAllowed}, {ServiceNodeDoesntExist},
    /// {ExitTooEarly} (the removal checks of every exit path), {CallerNotContributor},
    /// {SmallContributorLeaveTooEarly} within `SMALL_CONTRIBUTOR_LEAVE_DELAY` of the node's addition for a
    /// contributor under a quarter of the deposit, {LeaveRequestTooEarly} within
    /// `MIN_TIME_BEFORE_REPEATED_LEAVE_REQUEST` of the last request. Emits {ServiceNodeExitRequest}.
    /// @param serviceNodeID The node.
    function initiateExitBLSPublicKey(uint64 serviceNodeID) external;

    /// @notice Removes a node whose exit the network signed.
    /// @dev Not while paused, only after {start}. Reverts {InsufficientBLSSignatures}, {BLSPubkeyDoesNotExist},
    /// {SignatureExpired}, {ExitTooEarly}, the non-signer errors and {InvalidBLSSignature}. Emits {ServiceNodeExit}.
    /// @param blsPubkey The node's key.
    /// @param timestamp The signed time.
    /// @param blsSignature The network's signature on (exitTag, key, timestamp).
    /// @param ids The non-signers.
    function exitBLSPublicKeyWithSignature(
        BN256G1.G1Point calldata blsPubkey,
        uint256 timestamp,
        BLSSignatureParams calldata blsSignature,
        uint64[] calldata ids
    ) external;

    /// @notice Removes a node `MAX_SERVICE_NODE_EXIT_WAIT_TIME` after its first exit request (anyone may call).
    /// @dev Not while paused, only after {start}. Reverts {DeleteSentinelNodeNotAllowed},
    /// {ServiceNodeDoesntExist}, {ExitTooEarly}, {LeaveRequestNotInitiatedYet}, {LeaveRequestTooEarly}. Emits
    /// {ServiceNodeExit}.
    /// @param serviceNodeID The node.
    function exitBLSPublicKeyAfterWaitTime(uint64 serviceNodeID) external;

    /// @notice Removes a node the network signed a liquidation of, and pays the penalty now: the liquidator
    /// (caller) deposit × liquidatorRatio / sum (rounded down), the foundation pool deposit × poolRatio / sum
    /// (rounded up). The rest of the deposit is the returned amount, credited to the contributors later.
    /// @dev As {exitBLSPublicKeyWithSignature}, with the liquidation tag. Emits {ServiceNodeLiquidated} then
    /// {ServiceNodeExit}.
    /// @param blsPubkey The node's key.
    /// @param timestamp The signed time.
    /// @param blsSignature The network's signature on (liquidateTag, key, timestamp).
    /// @param ids The non-signers.
    function liquidateBLSPublicKeyWithSignature(
        BN256G1.G1Point calldata blsPubkey,
        uint256 timestamp,
        BLSSignatureParams calldata blsSignature,
        uint64[] calldata ids
    ) external;

    /// @notice Recomputes the node count and the aggregate key from the list of nodes (anyone may call; the stored
    /// values are always equal to these, so this changes nothing unless storage was corrupted).
    function rederiveTotalNodesAndAggregatePubkey() external;

    // ----------------------------------------------------------------------------------------------------------------
    // Owner settings
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice Sets the stake of a new node (only the owner). Registered nodes keep their deposit.
    /// @dev Reverts {PositiveNumberRequirement} for 0, {ValueTooLarge} above 2^64 − 1. Emits
    /// {StakingRequirementUpdated}.
    /// @param newRequirement The requirement, in atoms.
    function setStakingRequirement(uint256 newRequirement) external;

    /// @notice Sets how far a signed timestamp may be from the block's (only the owner).
    /// @dev Reverts {PositiveNumberRequirement} for 0, {ValueTooLarge} above 2^32 − 1. Emits
    /// {SignatureExpiryUpdated}.
    /// @param newExpiry The expiry, in seconds.
    function setSignatureExpiry(uint256 newExpiry) external;

    /// @notice Sets the most non-signers a network signature may have, whatever the node count (only the owner).
    /// @dev Reverts {PositiveNumberRequirement} for 0, {ValueTooLarge} above 2^32 − 1. Emits
    /// {BLSNonSignerThresholdMaxUpdated}.
    /// @param newMax The maximum.
    function setBLSNonSignerThresholdMax(uint256 newMax) external;

    /// @notice Sets the most SESH all claims of one claim cycle may pay (only the owner).
    /// @dev Reverts {PositiveNumberRequirement} for 0, {ValueTooLarge} above 2^64 − 1. Emits
    /// {ClaimThresholdUpdated}.
    /// @param newMax The threshold, in atoms.
    function setClaimThreshold(uint256 newMax) external;

    /// @notice Sets the length of a claim cycle (only the owner). The current cycle's total restarts at the next
    /// claim, which counts cycles of the new length.
    /// @dev Reverts {PositiveNumberRequirement} for 0, {ValueTooLarge} above 2^32 − 1. Emits {ClaimCycleUpdated}.
    /// @param newValue The length, in seconds.
    function setClaimCycle(uint256 newValue) external;

    /// @notice Sets the liquidation ratios (only the owner).
    /// @dev Reverts {LiquidatorPenaltyTooHigh} unless recipient ≥ 1 and (liquidator + pool) × 3 ≤ recipient,
    /// {ValueTooLarge} for a ratio above 2^32 − 1. Emits {LiquidationRatiosUpdated}.
    /// @param liquidator The liquidator's part.
    /// @param pool The foundation pool's part.
    /// @param recipient The contributors' part.
    function setLiquidationRatios(uint256 liquidator, uint256 pool, uint256 recipient) external;

    // ----------------------------------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice The production version of this interface: 1.
    /// @return The version.
    function VERSION() external view returns (uint256);

    /// @notice The id of the list's sentinel: 0.
    /// @return The sentinel's id.
    function LIST_SENTINEL() external view returns (uint64);

    /// @notice How long after the first exit request anyone may complete the exit: 30 days.
    /// @return The wait, in seconds.
    function MAX_SERVICE_NODE_EXIT_WAIT_TIME() external view returns (uint256);

    /// @notice The fewest keys a block may add whatever the node count: 20.
    /// @return The bound.
    function MAX_PERMITTED_PUBKEY_AGGREGATIONS_LOWER_BOUND() external view returns (uint256);

    /// @notice How long a contributor waits before asking for an exit again: 1 hour.
    /// @return The delay, in seconds.
    function MIN_TIME_BEFORE_REPEATED_LEAVE_REQUEST() external view returns (uint256);

    /// @notice A contributor under deposit / 4 is small.
    /// @return The divisor.
    function SMALL_CONTRIBUTOR_DIVISOR() external view returns (uint256);

    /// @notice How long after a node's addition a small contributor may ask for its exit: 30 days.
    /// @return The delay, in seconds.
    function SMALL_CONTRIBUTOR_LEAVE_DELAY() external view returns (uint256);

    /// @notice The youngest a node may be when it leaves by any path: 2 hours.
    /// @return The age, in seconds.
    function MIN_NODE_AGE_BEFORE_EXIT() external view returns (uint256);

    /// @notice The largest operator fee: 10,000 basis points.
    /// @return The fee.
    function MAX_FEE() external view returns (uint256);

    /// @notice The staking token, SESH.
    /// @return Its address.
    function designatedToken() external view returns (address);

    /// @notice Where the pool's share of a liquidation goes (the RewardRatePool).
    /// @return Its address.
    function foundationPool() external view returns (address);

    /// @notice The stake of a new node, in atoms.
    /// @return The requirement.
    function stakingRequirement() external view returns (uint256);

    /// @notice The most contributors a node may have.
    /// @return The maximum.
    function maxContributors() external view returns (uint256);

    /// @notice The liquidator's part of the liquidation ratios.
    /// @return The ratio.
    function liquidatorRewardRatio() external view returns (uint256);

    /// @notice The foundation pool's part of the liquidation ratios.
    /// @return The ratio.
    function poolShareOfLiquidationRatio() external view returns (uint256);

    /// @notice The contributors' part of the liquidation ratios.
    /// @return The ratio.
    function recipientRatio() external view returns (uint256);

    /// @notice How far, in seconds, a signed timestamp may be from the block's.
    /// @return The expiry.
    function signatureExpiry() external view returns (uint256);

    /// @notice The most SESH all claims of one claim cycle may pay, in atoms.
    /// @return The threshold.
    function claimThreshold() external view returns (uint256);

    /// @notice The length of a claim cycle, in seconds.
    /// @return The length.
    function claimCycle() external view returns (uint256);

    /// @notice The claim cycle of the last claim (block.timestamp / claimCycle then).
    /// @return The cycle.
    function currentClaimCycle() external view returns (uint256);

    /// @notice What the claims of that cycle paid, in atoms.
    /// @return The total.
    function currentClaimTotal() external view returns (uint256);

    /// @notice Whether {start} was called.
    /// @return True once started.
    function isStarted() external view returns (bool);

    /// @notice The number of registered nodes.
    /// @return The count.
    function totalNodes() external view returns (uint256);

    /// @notice The id the next node gets (ids start at 1 and are never reused).
    /// @return The id.
    function nextServiceNodeID() external view returns (uint64);

    /// @notice The most non-signers a network signature may have: min(totalNodes / 3, blsNonSignerThresholdMax).
    /// @return The threshold.
    function blsNonSignerThreshold() external view returns (uint256);

    /// @notice The cap of {blsNonSignerThreshold}.
    /// @return The cap.
    function blsNonSignerThresholdMax() external view returns (uint256);

    /// @notice The block in which keys were last added after {start}.
    /// @return The block number.
    function lastHeightPubkeyWasAggregated() external view returns (uint256);

    /// @notice How many keys that block added.
    /// @return The count.
    function numPubkeyAggregationsForHeight() external view returns (uint256);

    /// @notice How many keys one block may add: max(20, totalNodes × 2 / 100).
    /// @return result The limit.
    function maxPermittedPubkeyAggregations() external view returns (uint256 result);

    /// @notice The sum of the registered nodes' keys (the identity (0, 0) with no node).
    /// @return The aggregate key.
    function aggregatePubkey() external view returns (BN256G1.G1Point memory);

    /// @notice Every registered node, in list order (the order they were added).
    /// @return ids Their ids.
    /// @return pubkeys Their BLS keys.
    function allServiceNodeIDs() external view returns (uint64[] memory ids, BN256G1.G1Point[] memory pubkeys);

    /// @notice A node (all zero for an id no node has; the sentinel 0 holds the list's first and last ids).
    /// @param serviceNodeID The id.
    /// @return The node.
    function serviceNodes(uint64 serviceNodeID) external view returns (ServiceNode memory);

    /// @notice The id of the node with a BLS key (0 for none).
    /// @param blsPubkey The key as `abi.encode(G1Point)` (64 bytes; anything else has no node).
    /// @return serviceNodeID The id.
    function serviceNodeIDs(bytes calldata blsPubkey) external view returns (uint64 serviceNodeID);

    /// @notice The id of the node with an ed25519 key (0 for none).
    /// @param ed25519Pubkey The key.
    /// @return serviceNodeID The id.
    function ed25519ToServiceNodeID(uint256 ed25519Pubkey) external view returns (uint64 serviceNodeID);

    /// @notice A recipient's cumulative rewards and what it has claimed of them.
    /// @param recipient The recipient.
    /// @return rewards The cumulative rewards credited.
    /// @return claimed The rewards paid out.
    function recipients(address recipient) external view returns (uint256 rewards, uint256 claimed);

    /// @notice keccak256("BLS_SIG_TRYANDINCREMENT_POP", chain id, this contract).
    /// @return The tag.
    function proofOfPossessionTag() external view returns (bytes32);

    /// @notice keccak256("BLS_SIG_TRYANDINCREMENT_REWARD", chain id, this contract).
    /// @return The tag.
    function rewardTag() external view returns (bytes32);

    /// @notice keccak256("BLS_SIG_TRYANDINCREMENT_EXIT", chain id, this contract).
    /// @return The tag.
    function exitTag() external view returns (bytes32);

    /// @notice keccak256("BLS_SIG_TRYANDINCREMENT_LIQUIDATE", chain id, this contract).
    /// @return The tag.
    function liquidateTag() external view returns (bytes32);

    /// @notice keccak256("BLS_SIG_HASH_TO_FIELD_TAG", chain id, this contract): the domain tag of hash-to-G2.
    /// @return The tag.
    function hashToG2Tag() external view returns (bytes32);
}

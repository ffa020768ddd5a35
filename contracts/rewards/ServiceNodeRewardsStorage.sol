// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IServiceNodeRewards} from "../interfaces/IServiceNodeRewards.sol";
import {BLS} from "../libraries/BLS.sol";
import {BN256G1} from "../libraries/BN256G1.sol";
import {BN256G2} from "../libraries/BN256G2.sol";

/// @title The storage of ServiceNodeRewards and the code its two halves share
/// @notice `ServiceNodeRewards` (the hot paths and the views) and `ServiceNodeRewardsAdmin` (seeding and the owner's
/// settings, run by `delegatecall` in the rewards contract's storage) both inherit this contract, so both see the
/// same layout: its variables are the only sequential slots of either (OpenZeppelin's upgradeable bases keep their
/// state in ERC-7201 namespaces).
/// @dev Storage is laid out for the hot paths (network signatures, exits, claims), which read few slots:
/// - one slot, `_registry`, holds the node count, the next id, the non-signer cap, the signature expiry, the started
///   flag and the pause flag (the pause of OpenZeppelin's base would cost a slot of its own on every call);
/// - a BLS key is one word, X with the parity of Y in its top bit (`BN256G1.compress`), for each node and for the
///   aggregate; the modexp that restores Y costs less than the second cold slot it saves;
/// - a node is four slots: links, time of addition and deposit; operator, contributor count and exit requests; its
///   key; its ed25519 key. A node with more than one contributor adds one slot per contributor (address and stake),
///   and any contributor whose beneficiary is not itself one slot for the beneficiary;
/// - a recipient is one slot (rewards and claimed, 128 bits each), the claim cycle's accounting one slot.
/// A node that leaves has its links, key and key-to-id entry cleared; its other slots stay behind, unreachable (ids
/// are never reused, and every read checks that the node exists first). The ed25519-to-id entry stays too: an entry
/// counts only while its node exists.
abstract contract ServiceNodeRewardsStorage {
    /// @dev The id of the list's sentinel (`LIST_SENTINEL`).
    uint64 internal constant SENTINEL_ID = 0;
    /// @dev `MIN_TIME_BEFORE_REPEATED_LEAVE_REQUEST`.
    uint256 internal constant REPEATED_LEAVE_REQUEST_DELAY = 1 hours;
    /// @dev `MIN_NODE_AGE_BEFORE_EXIT`.
    uint256 internal constant NODE_AGE_BEFORE_EXIT = 2 hours;
    /// @dev `SMALL_CONTRIBUTOR_DIVISOR`: a stake below deposit / 4 is a small contributor's.
    uint256 internal constant SMALL_STAKE_DIVISOR = 4;
    /// @dev `SMALL_CONTRIBUTOR_LEAVE_DELAY`.
    uint256 internal constant SMALL_STAKE_LEAVE_DELAY = 30 days;
    /// @dev The contributors keep at least (liquidator + pool) × 3 of the ratios: the factor.
    uint256 internal constant RECIPIENT_RATIO_FACTOR = 3;
    /// @dev `MAX_FEE`: the largest operator fee, in basis points.
    uint256 internal constant MAX_OPERATOR_FEE = 10_000;
    /// @dev `MAX_PERMITTED_PUBKEY_AGGREGATIONS_LOWER_BOUND`.
    uint256 internal constant AGGREGATIONS_LOWER_BOUND = 20;
    /// @dev max(20, totalNodes × 2 / 100) keys per block: the percentage.
    uint256 internal constant PUBKEY_AGGREGATIONS_PERCENT = 2;
    /// @dev The operator stakes at least ⌈requirement / 4⌉.
    uint256 internal constant OPERATOR_SHARE_DIVISOR = 4;
    /// @dev The bases of the domain tags (INTERFACE.md, "Tags").
    string internal constant POP_TAG = "BLS_SIG_TRYANDINCREMENT_POP";
    string internal constant HASH_TO_G2_TAG = "BLS_SIG_HASH_TO_FIELD_TAG";
    /// @dev The largest node id: 4,294,967,295 registrations, never reached, so that a link fits 32 bits.
    uint256 internal constant MAX_NODE_ID = type(uint32).max;
    /// @dev The most contributors a node may have whatever `maxContributors` says (the count is a uint8).
    uint256 internal constant MAX_CONTRIBUTORS_LIMIT = type(uint8).max;

    /// @dev What every registration, signature and exit reads: one slot.
    struct Registry {
        uint64 totalNodes;
        uint64 nextServiceNodeID;
        uint32 blsNonSignerThresholdMax;
        uint32 signatureExpiry;
        bool started;
        bool paused;
    }

    /// @dev What a registration reads.
    struct Staking {
        IERC20 token;
        uint64 stakingRequirement;
        uint8 maxContributors;
    }

    /// @dev What a liquidation reads.
    struct Liquidation {
        address foundationPool;
        uint32 liquidatorRatio;
        uint32 poolRatio;
        uint32 recipientRatio;
    }

    /// @dev The claim threshold and this cycle's accounting.
    struct Claims {
        uint64 threshold;
        uint32 cycle;
        uint64 currentCycle;
        uint64 currentTotal;
    }

    /// @dev The per-block limit of key aggregations.
    struct Aggregations {
        uint64 lastHeight;
        uint64 count;
    }

    /// @dev A recipient's cumulative rewards and claims.
    struct Recipient {
        uint128 rewards;
        uint128 claimed;
    }

    /// @dev A contributor's address and stake, for the contributors after the operator.
    struct Stake {
        address staker;
        uint64 amount;
    }

    /// @dev A node's first slot. `deposit` is non-zero exactly while the node exists; `operatorStake` is the first
    /// contributor's stake (the whole deposit for a node staked by one), so that no node stores a stake slot for its
    /// operator. Ids fit 32 bits here ({MAX_NODE_ID}). For the sentinel (id 0) only `next` (the first node) and
    /// `prev` (the last node) are used.
    struct Links {
        uint32 next;
        uint32 prev;
        uint40 addedTimestamp;
        uint64 deposit;
        uint64 operatorStake;
    }

    /// @dev A node's second slot.
    struct Holder {
        address operator;
        uint8 contributorCount;
        uint40 leaveRequestTimestamp;
        uint40 latestLeaveRequestTimestamp;
    }

    /// @dev A node.
    struct Node {
        Links links;
        Holder holder;
        // Compressed BLS key, 0 once the node left.
        uint256 blsPubkey;
        uint256 ed25519Pubkey;
        // The contributors after the operator (index 1 on; the operator's stake is in `links`).
        mapping(uint256 index => Stake) stakes;
        // Beneficiaries that differ from their staker (0: the staker itself).
        mapping(uint256 index => address) beneficiaries;
    }

    Registry internal _registry;
    Staking internal _staking;
    Liquidation internal _liquidation;
    Claims internal _claims;
    Aggregations internal _aggregations;
    /// @dev The aggregate key, compressed (0: the identity).
    uint256 internal _aggregatePubkey;
    mapping(uint64 serviceNodeID => Node) internal _nodes;
    mapping(bytes32 blsPubkeyHash => uint64 serviceNodeID) internal _idsByBlsPubkey;
    mapping(uint256 ed25519Pubkey => uint64 serviceNodeID) internal _idsByEd25519Pubkey;
    mapping(address recipient => Recipient) internal _recipients;

    /// @dev Records an exit request of `initiator` for `node`: the first request starts the wait.
    function _requestExit(uint64 serviceNodeID, Node storage node, address initiator) internal {
        uint256 latest = node.holder.latestLeaveRequestTimestamp;
        if (latest != 0) {
            uint256 allowedFrom = latest + REPEATED_LEAVE_REQUEST_DELAY;
            if (block.timestamp < allowedFrom) {
                revert IServiceNodeRewards.LeaveRequestTooEarly(serviceNodeID, allowedFrom, block.timestamp);
            }
        }
        if (node.holder.leaveRequestTimestamp == 0) node.holder.leaveRequestTimestamp = uint40(block.timestamp);
        node.holder.latestLeaveRequestTimestamp = uint40(block.timestamp);
        emit IServiceNodeRewards.ServiceNodeExitRequest(serviceNodeID, initiator, BN256G1.decompress(node.blsPubkey));
    }

    /// @dev Removes an existing node found by id, returning its whole deposit.
    function _removeNodeById(uint64 serviceNodeID, Node storage node) internal {
        BN256G1.G1Point memory key = BN256G1.decompress(node.blsPubkey);
        _removeNode(serviceNodeID, node, key, _keyHash(key), node.links.deposit, BN256G1.decompress(_aggregatePubkey));
    }

    /// @dev Reverts unless `serviceNodeID` is an existing node (not the sentinel); returns it.
    function _checkExists(uint64 serviceNodeID) internal view returns (Node storage node) {
        if (serviceNodeID == SENTINEL_ID) revert IServiceNodeRewards.DeleteSentinelNodeNotAllowed();
        node = _nodes[serviceNodeID];
        if (node.links.deposit == 0) revert IServiceNodeRewards.ServiceNodeDoesntExist(serviceNodeID);
    }

    /// @dev The removal checks every exit path runs: not the sentinel, the node exists and is old enough.
    function _checkRemovable(uint64 serviceNodeID) internal view returns (Node storage node) {
        node = _checkExists(serviceNodeID);
        uint256 added = node.links.addedTimestamp;
        if (block.timestamp < added + NODE_AGE_BEFORE_EXIT) {
            revert IServiceNodeRewards.ExitTooEarly(serviceNodeID, added, block.timestamp);
        }
    }

    /// @dev Unlinks the node, subtracts its key from the aggregate (`aggregate`, the stored one decompressed), clears
    /// its links, key and key entry, and emits {ServiceNodeExit}. No tokens move.
    function _removeNode(
        uint64 serviceNodeID,
        Node storage node,
        BN256G1.G1Point memory key,
        bytes32 keyHash,
        uint256 returnedAmount,
        BN256G1.G1Point memory aggregate
    ) internal {
        Links memory links = node.links;
        _nodes[links.prev].links.next = links.next;
        _nodes[links.next].links.prev = links.prev;
        _aggregatePubkey = BN256G1.compress(BN256G1.add(aggregate, BN256G1.negate(key)));
        --_registry.totalNodes;
        delete _idsByBlsPubkey[keyHash];
        // Clearing the links clears `deposit`: the node no longer exists for any read.
        delete node.links;
        node.blsPubkey = 0;
        emit IServiceNodeRewards.ServiceNodeExit(serviceNodeID, msg.sender, returnedAmount, key);
    }

    /// @dev Links the new nodes `first`..`last` (already linked to each other) after `tail`.
    function _linkAtTail(uint64 tail, uint64 first, uint64 last) internal {
        // Both ids were checked against MAX_NODE_ID when stored.
        _nodes[tail].links.next = uint32(first);
        _nodes[SENTINEL_ID].links.prev = uint32(last);
    }

    /// @dev Checks a new node's keys, records them against `id` and stores the node: its links with the operator's
    /// stake, its key, the operator and contributor count, the stakes of the contributors after the operator, and
    /// beneficiaries that differ from their staker. With no contributors, `operator` stakes the whole deposit alone.
    function _storeNode(
        uint64 id,
        Links memory links,
        BN256G1.G1Point calldata blsPubkey,
        uint256 ed25519Pubkey,
        address operator,
        IServiceNodeRewards.Contributor[] calldata contributors
    ) internal {
        if (id > MAX_NODE_ID) revert IServiceNodeRewards.ValueTooLarge(id, MAX_NODE_ID);
        if (BN256G1.isIdentity(blsPubkey)) revert IServiceNodeRewards.NullBLSPubkey();
        if (ed25519Pubkey == 0) revert IServiceNodeRewards.NullEd25519Pubkey();
        BN256G1.checkOnCurve(blsPubkey);
        bytes32 keyHash = _keyHash(blsPubkey);
        uint64 existing = _idsByBlsPubkey[keyHash];
        if (existing != SENTINEL_ID) revert IServiceNodeRewards.BLSPubkeyAlreadyExists(existing);
        existing = _liveEd25519Owner(ed25519Pubkey);
        if (existing != SENTINEL_ID) revert IServiceNodeRewards.Ed25519PubkeyAlreadyExists(existing);
        _idsByBlsPubkey[keyHash] = id;
        _idsByEd25519Pubkey[ed25519Pubkey] = id;

        Node storage node = _nodes[id];
        node.blsPubkey = BN256G1.compress(blsPubkey);
        node.ed25519Pubkey = ed25519Pubkey;
        uint256 count = contributors.length;
        if (count == 0) {
            links.operatorStake = links.deposit;
            node.links = links;
            node.holder = Holder(operator, 1, 0, 0);
            return;
        }
        // Stakes were checked to sum to the requirement, which fits 64 bits.
        links.operatorStake = uint64(contributors[0].stakedAmount);
        node.links = links;
        node.holder = Holder(contributors[0].staker.addr, uint8(count), 0, 0);
        for (uint256 i = 0; i < count; ++i) {
            IServiceNodeRewards.Contributor calldata contributor = contributors[i];
            if (i != 0) node.stakes[i] = Stake(contributor.staker.addr, uint64(contributor.stakedAmount));
            if (contributor.staker.beneficiary != contributor.staker.addr) {
                node.beneficiaries[i] = contributor.staker.beneficiary;
            }
        }
    }

    /// @dev Sets the pool and the ratios after checking them.
    function _setLiquidationRatios(address pool_, uint256 liquidator, uint256 pool, uint256 recipient) internal {
        // Each ratio is bounded first, so that the sum below cannot overflow.
        uint256 maximum = type(uint32).max;
        if (liquidator > maximum) revert IServiceNodeRewards.ValueTooLarge(liquidator, maximum);
        if (pool > maximum) revert IServiceNodeRewards.ValueTooLarge(pool, maximum);
        if (recipient > maximum) revert IServiceNodeRewards.ValueTooLarge(recipient, maximum);
        // Why: the contributors must keep at least three quarters of a liquidated deposit.
        if (recipient == 0 || (liquidator + pool) * RECIPIENT_RATIO_FACTOR > recipient) {
            revert IServiceNodeRewards.LiquidatorPenaltyTooHigh();
        }
        _liquidation = Liquidation({
            foundationPool: pool_,
            liquidatorRatio: uint32(liquidator),
            poolRatio: uint32(pool),
            recipientRatio: uint32(recipient)
        });
        emit IServiceNodeRewards.LiquidationRatiosUpdated(liquidator, pool, recipient);
    }

    /// @dev The contributor checks shared by registration and seeding (the operator's quarter is registration's).
    function _checkContributors(
        IServiceNodeRewards.Contributor[] calldata contributors,
        Staking memory staking
    ) internal pure {
        uint256 count = contributors.length;
        if (count > staking.maxContributors) revert IServiceNodeRewards.MaxContributorsExceeded();
        uint256 provided = 0;
        for (uint256 i = 0; i < count; ++i) {
            IServiceNodeRewards.Contributor calldata contributor = contributors[i];
            address staker = contributor.staker.addr;
            if (staker == address(0) || contributor.staker.beneficiary == address(0))
                revert IServiceNodeRewards.NullAddress();
            if (contributor.stakedAmount == 0) revert IServiceNodeRewards.ZeroStake(i);
            for (uint256 j = 0; j < i; ++j) {
                if (contributors[j].staker.addr == staker) revert IServiceNodeRewards.ContributorRepeated(i, staker);
            }
            provided = Math.saturatingAdd(provided, contributor.stakedAmount);
        }
        if (provided != staking.stakingRequirement) {
            revert IServiceNodeRewards.ContributionTotalMismatch(staking.stakingRequirement, provided);
        }
    }

    /// @dev The node that holds `ed25519Pubkey` now, or 0 (an entry of a node that left does not count).
    function _liveEd25519Owner(uint256 ed25519Pubkey) internal view returns (uint64 id) {
        id = _idsByEd25519Pubkey[ed25519Pubkey];
        if (id != SENTINEL_ID && _nodes[id].links.deposit == 0) id = SENTINEL_ID;
    }

    /// @dev The key of `_idsByBlsPubkey`: keccak256(abi.encode(key)), as `serviceNodeIDs(bytes)` hashes its input.
    function _keyHash(BN256G1.G1Point memory key) internal pure returns (bytes32) {
        return keccak256(abi.encode(key.X, key.Y));
    }

    /// @dev Reverts {PositiveNumberRequirement} for 0 and {ValueTooLarge} above `max`.
    function _checkedPositive(uint256 value, uint256 max) internal pure returns (uint256) {
        if (value == 0) revert IServiceNodeRewards.PositiveNumberRequirement();
        if (value > max) revert IServiceNodeRewards.ValueTooLarge(value, max);
        return value;
    }

    /// @dev {_checkedPositive} with the 64-bit maximum.
    function _checkedUint64(uint256 value) internal pure returns (uint64) {
        return uint64(_checkedPositive(value, type(uint64).max));
    }

    /// @dev Reverts unless the proof of possession is valid. The identity key or signature fail as production's
    /// pairing check fails them: a null key with a null signature is {NullBLSPubkey}, anything else invalid.
    function _checkProofOfPossession(
        BN256G1.G1Point memory blsPubkey,
        IServiceNodeRewards.BLSSignatureParams memory blsSignature,
        address operator,
        uint256 ed25519Pubkey
    ) internal view {
        BN256G2.G2Point memory signature = BLS.signatureFromParams(
            blsSignature.sigs0,
            blsSignature.sigs1,
            blsSignature.sigs2,
            blsSignature.sigs3
        );
        bool nullSignature = BN256G2.isIdentity(signature);
        if (BN256G1.isIdentity(blsPubkey)) {
            if (nullSignature) revert IServiceNodeRewards.NullBLSPubkey();
            revert IServiceNodeRewards.InvalidBLSProofOfPossession();
        }
        if (nullSignature) revert IServiceNodeRewards.InvalidBLSProofOfPossession();
        bytes memory message = abi.encodePacked(
            _proofOfPossessionTag(),
            blsPubkey.X,
            blsPubkey.Y,
            operator,
            ed25519Pubkey
        );
        if (!BLS.verifyMessage(blsPubkey, signature, message, _hashToG2Tag())) {
            revert IServiceNodeRewards.InvalidBLSProofOfPossession();
        }
    }

    /// @dev max(20, nodes × 2 / 100).
    function _maxAggregations(uint256 nodes) internal pure returns (uint256) {
        return Math.max(AGGREGATIONS_LOWER_BOUND, (nodes * PUBKEY_AGGREGATIONS_PERCENT) / 100);
    }

    /// @dev keccak256("BLS_SIG_TRYANDINCREMENT_POP", chain id, this contract).
    function _proofOfPossessionTag() internal view returns (bytes32) {
        return BLS.buildTag(POP_TAG);
    }

    /// @dev keccak256("BLS_SIG_HASH_TO_FIELD_TAG", chain id, this contract).
    function _hashToG2Tag() internal view returns (bytes32) {
        return BLS.buildTag(HASH_TO_G2_TAG);
    }
}

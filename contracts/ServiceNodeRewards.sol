// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {Address} from "@openzeppelin/contracts/utils/Address.sol";

import {ManagedUpgradeable} from "./access/ManagedUpgradeable.sol";
import {IServiceNodeRewards} from "./interfaces/IServiceNodeRewards.sol";
import {BLS} from "./libraries/BLS.sol";
import {BN256G1} from "./libraries/BN256G1.sol";
import {BN256G2} from "./libraries/BN256G2.sol";
import {ServiceNodeRewardsAdmin} from "./rewards/ServiceNodeRewardsAdmin.sol";
import {ServiceNodeRewardsStorage} from "./rewards/ServiceNodeRewardsStorage.sol";

/// @title ServiceNodeRewards: the Session Node registry, its stakes and the network-signed rewards
/// @notice See {IServiceNodeRewards}. Deployed behind an OpenZeppelin proxy with no linked library:
/// `upgrades.deployProxy(factory, [token, foundationPool, stakingRequirement, maxContributors, liquidatorRatio,
/// poolRatio, recipientRatio])`.
/// @dev Storage and its layout: `ServiceNodeRewardsStorage`. Seeding, `start`, the rederivation and the owner's
/// settings run in `ServiceNodeRewardsAdmin`, deployed by the constructor and reached by `delegatecall` (the whole
/// does not fit one contract's 24,576 bytes). The tags are computed when used (a hash of about 80 bytes) instead
/// of read from storage: they are the same `keccak256(base, block.chainid, address(this))` production stores at
/// initialisation.
contract ServiceNodeRewards is IServiceNodeRewards, ManagedUpgradeable, ServiceNodeRewardsStorage {
    using SafeERC20 for IERC20;

    // ----------------------------------------------------------------------------------------------------------------
    // Constants
    // ----------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IServiceNodeRewards
    uint256 public constant override VERSION = 1;
    /// @inheritdoc IServiceNodeRewards
    uint64 public constant override LIST_SENTINEL = SENTINEL_ID;
    /// @inheritdoc IServiceNodeRewards
    uint256 public constant override MAX_SERVICE_NODE_EXIT_WAIT_TIME = 30 days;
    /// @inheritdoc IServiceNodeRewards
    uint256 public constant override MAX_PERMITTED_PUBKEY_AGGREGATIONS_LOWER_BOUND = AGGREGATIONS_LOWER_BOUND;
    /// @inheritdoc IServiceNodeRewards
    uint256 public constant override MIN_TIME_BEFORE_REPEATED_LEAVE_REQUEST = REPEATED_LEAVE_REQUEST_DELAY;
    /// @inheritdoc IServiceNodeRewards
    uint256 public constant override SMALL_CONTRIBUTOR_DIVISOR = SMALL_STAKE_DIVISOR;
    /// @inheritdoc IServiceNodeRewards
    uint256 public constant override SMALL_CONTRIBUTOR_LEAVE_DELAY = SMALL_STAKE_LEAVE_DELAY;
    /// @inheritdoc IServiceNodeRewards
    uint256 public constant override MIN_NODE_AGE_BEFORE_EXIT = NODE_AGE_BEFORE_EXIT;
    /// @inheritdoc IServiceNodeRewards
    uint256 public constant override MAX_FEE = MAX_OPERATOR_FEE;

    /// @dev blsNonSignerThreshold = min(totalNodes / 3, max): the divisor.
    uint256 internal constant NON_SIGNER_DIVISOR = 3;

    /// @dev The bases of the domain tags (INTERFACE.md, "Tags").
    string private constant REWARD_TAG = "BLS_SIG_TRYANDINCREMENT_REWARD";
    string private constant EXIT_TAG = "BLS_SIG_TRYANDINCREMENT_EXIT";
    // solhint-disable-next-line gas-small-strings
    string private constant LIQUIDATE_TAG = "BLS_SIG_TRYANDINCREMENT_LIQUIDATE";

    /// @dev Ids per word of the bitmap that finds repeated non-signers.
    uint256 private constant BITS_PER_WORD = 256;

    // ----------------------------------------------------------------------------------------------------------------
    // Storage
    // ----------------------------------------------------------------------------------------------------------------

    // ----------------------------------------------------------------------------------------------------------------
    // Modifiers
    // ----------------------------------------------------------------------------------------------------------------

    /// @dev Only after {start}.
    modifier whenStarted() {
        _checkStarted();
        _;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Initialisation
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice The contract that runs seeding and the owner's settings in this contract's storage.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address public immutable ADMIN;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
        ADMIN = _deployAdmin();
    }

    /// @notice Sets the token, the foundation pool, the staking requirement, the most contributors and the
    /// liquidation ratios; the caller becomes the owner. Defaults: signature expiry 10 minutes, claim threshold
    /// 1,000,000 SESH per claim cycle of 12 hours, at most 4,000 non-signers.
    /// @dev Arguments (token, foundationPool, stakingRequirement, maxContributors, liquidatorRewardRatio,
    /// poolShareOfLiquidationRatio, recipientRatio) and checks: `ServiceNodeRewardsAdmin.initialize`, which runs the
    /// rest of the initialisation in this contract's storage.
    /// @custom:oz-upgrades-unsafe-allow-reachable delegatecall
    function initialize(address, address, uint256, uint256, uint256, uint256, uint256) external initializer {
        __Managed_init(msg.sender);
        _runInAdmin();
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Registration
    // ----------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IServiceNodeRewards
    /// @custom:oz-upgrades-unsafe-allow-reachable delegatecall
    function addBLSPublicKey(
        BN256G1.G1Point calldata,
        BLSSignatureParams calldata,
        ServiceNodeParams calldata,
        Contributor[] calldata
    ) external override whenNotPaused whenStarted {
        _runInAdmin();
    }

    /// @inheritdoc IServiceNodeRewards
    /// @custom:oz-upgrades-unsafe-allow-reachable delegatecall
    function seedPublicKeyList(SeedServiceNode[] calldata) external override onlyOwner {
        _runInAdmin();
    }

    /// @inheritdoc IServiceNodeRewards
    /// @custom:oz-upgrades-unsafe-allow-reachable delegatecall
    function start() external override onlyOwner {
        _runInAdmin();
    }

    /// @inheritdoc IServiceNodeRewards
    function validateProofOfPossession(
        BN256G1.G1Point calldata blsPubkey,
        BLSSignatureParams calldata blsSignature,
        address caller,
        uint256 serviceNodePubkey
    ) external view override {
        _checkProofOfPossession(blsPubkey, blsSignature, caller, serviceNodePubkey);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Rewards
    // ----------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IServiceNodeRewards
    function updateRewardsBalance(
        address recipientAddress,
        uint256 recipientRewards,
        BLSSignatureParams calldata blsSignature,
        uint64[] calldata ids
    ) external override {
        uint256 nextId = _checkSignedCall(ids.length).nextServiceNodeID;
        if (recipientAddress == address(0)) revert NullAddress();
        Recipient memory recipient = _recipients[recipientAddress];
        // solhint-disable-next-line gas-strict-inequalities
        if (recipientRewards <= recipient.rewards) revert RecipientRewardsTooLow();
        if (recipientRewards > type(uint128).max) revert ValueTooLarge(recipientRewards, type(uint128).max);
        _checkNetworkSignature(
            abi.encodePacked(rewardTag(), recipientAddress, recipientRewards),
            blsSignature,
            ids,
            nextId
        );
        _recipients[recipientAddress].rewards = uint128(recipientRewards);
        emit RewardsBalanceUpdated(recipientAddress, recipientRewards, recipient.rewards);
    }

    /// @inheritdoc IServiceNodeRewards
    function claimRewards() external override {
        Recipient memory recipient = _recipients[msg.sender];
        claimRewards(recipient.rewards - recipient.claimed);
    }

    /// @inheritdoc IServiceNodeRewards
    function claimRewards(uint256 amount) public override whenNotPaused {
        Recipient memory recipient = _recipients[msg.sender];
        if (amount > recipient.rewards - recipient.claimed) revert MaxClaimExceeded();
        Claims memory claims = _claims;
        uint256 cycle = block.timestamp / claims.cycle;
        // A new cycle, or a cycle of a new length (setClaimCycle), starts its total afresh.
        if (cycle != claims.currentCycle) {
            claims.currentCycle = uint64(cycle);
            claims.currentTotal = 0;
        }
        uint256 total = claims.currentTotal + amount;
        if (total > claims.threshold) revert ClaimThresholdExceeded();
        // Both fit: total ≤ threshold < 2^64, and claimed + amount ≤ rewards < 2^128.
        claims.currentTotal = uint64(total);
        _claims = claims;
        _recipients[msg.sender].claimed = recipient.claimed + uint128(amount);
        emit RewardsClaimed(msg.sender, amount);
        _staking.token.safeTransfer(msg.sender, amount);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Exits
    // ----------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IServiceNodeRewards
    /// @custom:oz-upgrades-unsafe-allow-reachable delegatecall
    function initiateExitBLSPublicKey(uint64) external override whenNotPaused whenStarted {
        _runInAdmin();
    }

    /// @inheritdoc IServiceNodeRewards
    function exitBLSPublicKeyWithSignature(
        BN256G1.G1Point calldata blsPubkey,
        uint256 timestamp,
        BLSSignatureParams calldata blsSignature,
        uint64[] calldata ids
    ) external override {
        (uint64 id, bytes32 keyHash, BN256G1.G1Point memory aggregate) = _checkSignedRemoval(
            blsPubkey,
            timestamp,
            blsSignature,
            ids,
            exitTag()
        );
        Node storage node = _nodes[id];
        _removeNode(id, node, blsPubkey, keyHash, node.links.deposit, aggregate);
    }

    /// @inheritdoc IServiceNodeRewards
    function exitBLSPublicKeyAfterWaitTime(uint64 serviceNodeID) external override whenNotPaused whenStarted {
        Node storage node = _checkRemovable(serviceNodeID);
        uint256 requested = node.holder.leaveRequestTimestamp;
        if (requested == 0) revert LeaveRequestNotInitiatedYet(serviceNodeID);
        uint256 allowedFrom = requested + MAX_SERVICE_NODE_EXIT_WAIT_TIME;
        if (block.timestamp < allowedFrom) revert LeaveRequestTooEarly(serviceNodeID, allowedFrom, block.timestamp);
        _removeNodeById(serviceNodeID, node);
    }

    /// @inheritdoc IServiceNodeRewards
    function liquidateBLSPublicKeyWithSignature(
        BN256G1.G1Point calldata blsPubkey,
        uint256 timestamp,
        BLSSignatureParams calldata blsSignature,
        uint64[] calldata ids
    ) external override {
        (uint64 id, bytes32 keyHash, BN256G1.G1Point memory aggregate) = _checkSignedRemoval(
            blsPubkey,
            timestamp,
            blsSignature,
            ids,
            liquidateTag()
        );
        Node storage node = _nodes[id];
        (uint256 poolShare, uint256 liquidatorShare, address pool) = _liquidationShares(node.links.deposit);
        emit ServiceNodeLiquidated(id, msg.sender, blsPubkey);
        _removeNode(id, node, blsPubkey, keyHash, node.links.deposit - poolShare - liquidatorShare, aggregate);
        IERC20 token = _staking.token;
        if (liquidatorShare != 0) token.safeTransfer(msg.sender, liquidatorShare);
        if (poolShare != 0) token.safeTransfer(pool, poolShare);
    }

    /// @inheritdoc IServiceNodeRewards
    /// @custom:oz-upgrades-unsafe-allow-reachable delegatecall
    function rederiveTotalNodesAndAggregatePubkey() external override {
        _runInAdmin();
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Owner settings (run in ServiceNodeRewardsAdmin)
    // ----------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IServiceNodeRewards
    /// @custom:oz-upgrades-unsafe-allow-reachable delegatecall
    function setStakingRequirement(uint256) external override onlyOwner {
        _runInAdmin();
    }

    /// @inheritdoc IServiceNodeRewards
    /// @custom:oz-upgrades-unsafe-allow-reachable delegatecall
    function setSignatureExpiry(uint256) external override onlyOwner {
        _runInAdmin();
    }

    /// @inheritdoc IServiceNodeRewards
    /// @custom:oz-upgrades-unsafe-allow-reachable delegatecall
    function setBLSNonSignerThresholdMax(uint256) external override onlyOwner {
        _runInAdmin();
    }

    /// @inheritdoc IServiceNodeRewards
    /// @custom:oz-upgrades-unsafe-allow-reachable delegatecall
    function setClaimThreshold(uint256) external override onlyOwner {
        _runInAdmin();
    }

    /// @inheritdoc IServiceNodeRewards
    /// @custom:oz-upgrades-unsafe-allow-reachable delegatecall
    function setClaimCycle(uint256) external override onlyOwner {
        _runInAdmin();
    }

    /// @inheritdoc IServiceNodeRewards
    /// @custom:oz-upgrades-unsafe-allow-reachable delegatecall
    function setLiquidationRatios(uint256, uint256, uint256) external override onlyOwner {
        _runInAdmin();
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IServiceNodeRewards
    function designatedToken() external view override returns (address) {
        return address(_staking.token);
    }

    /// @inheritdoc IServiceNodeRewards
    function foundationPool() external view override returns (address) {
        return _liquidation.foundationPool;
    }

    /// @inheritdoc IServiceNodeRewards
    function stakingRequirement() external view override returns (uint256) {
        return _staking.stakingRequirement;
    }

    /// @inheritdoc IServiceNodeRewards
    function maxContributors() external view override returns (uint256) {
        return _staking.maxContributors;
    }

    /// @inheritdoc IServiceNodeRewards
    function liquidatorRewardRatio() external view override returns (uint256) {
        return _liquidation.liquidatorRatio;
    }

    /// @inheritdoc IServiceNodeRewards
    function poolShareOfLiquidationRatio() external view override returns (uint256) {
        return _liquidation.poolRatio;
    }

    /// @inheritdoc IServiceNodeRewards
    function recipientRatio() external view override returns (uint256) {
        return _liquidation.recipientRatio;
    }

    /// @inheritdoc IServiceNodeRewards
    function signatureExpiry() external view override returns (uint256) {
        return _registry.signatureExpiry;
    }

    /// @inheritdoc IServiceNodeRewards
    function claimThreshold() external view override returns (uint256) {
        return _claims.threshold;
    }

    /// @inheritdoc IServiceNodeRewards
    function claimCycle() external view override returns (uint256) {
        return _claims.cycle;
    }

    /// @inheritdoc IServiceNodeRewards
    function currentClaimCycle() external view override returns (uint256) {
        return _claims.currentCycle;
    }

    /// @inheritdoc IServiceNodeRewards
    function currentClaimTotal() external view override returns (uint256) {
        return _claims.currentTotal;
    }

    /// @inheritdoc IServiceNodeRewards
    function isStarted() external view override returns (bool) {
        return _registry.started;
    }

    /// @inheritdoc IServiceNodeRewards
    function totalNodes() external view override returns (uint256) {
        return _registry.totalNodes;
    }

    /// @inheritdoc IServiceNodeRewards
    function nextServiceNodeID() external view override returns (uint64) {
        return _registry.nextServiceNodeID;
    }

    /// @inheritdoc IServiceNodeRewards
    function blsNonSignerThreshold() external view override returns (uint256) {
        Registry memory registry = _registry;
        return _nonSignerThreshold(registry.totalNodes, registry.blsNonSignerThresholdMax);
    }

    /// @inheritdoc IServiceNodeRewards
    function blsNonSignerThresholdMax() external view override returns (uint256) {
        return _registry.blsNonSignerThresholdMax;
    }

    /// @inheritdoc IServiceNodeRewards
    function lastHeightPubkeyWasAggregated() external view override returns (uint256) {
        return _aggregations.lastHeight;
    }

    /// @inheritdoc IServiceNodeRewards
    function numPubkeyAggregationsForHeight() external view override returns (uint256) {
        return _aggregations.count;
    }

    /// @inheritdoc IServiceNodeRewards
    function maxPermittedPubkeyAggregations() external view override returns (uint256 result) {
        return _maxAggregations(_registry.totalNodes);
    }

    /// @inheritdoc IServiceNodeRewards
    function aggregatePubkey() external view override returns (BN256G1.G1Point memory) {
        return BN256G1.decompress(_aggregatePubkey);
    }

    /// @inheritdoc IServiceNodeRewards
    function allServiceNodeIDs()
        external
        view
        override
        returns (uint64[] memory ids, BN256G1.G1Point[] memory pubkeys)
    {
        uint256 count = _registry.totalNodes;
        ids = new uint64[](count);
        pubkeys = new BN256G1.G1Point[](count);
        uint64 id = _nodes[LIST_SENTINEL].links.next;
        for (uint256 i = 0; i < count; ++i) {
            ids[i] = id;
            pubkeys[i] = BN256G1.decompress(_nodes[id].blsPubkey);
            id = _nodes[id].links.next;
        }
    }

    /// @inheritdoc IServiceNodeRewards
    function serviceNodes(uint64 serviceNodeID) external view override returns (ServiceNode memory result) {
        Node storage node = _nodes[serviceNodeID];
        if (serviceNodeID == LIST_SENTINEL) {
            result.next = node.links.next;
            result.prev = node.links.prev;
            return result;
        }
        if (node.links.deposit == 0) return result;
        result.next = node.links.next;
        result.prev = node.links.prev;
        result.operator = node.holder.operator;
        result.blsPubkey = BN256G1.decompress(node.blsPubkey);
        result.addedTimestamp = node.links.addedTimestamp;
        result.leaveRequestTimestamp = node.holder.leaveRequestTimestamp;
        result.latestLeaveRequestTimestamp = node.holder.latestLeaveRequestTimestamp;
        result.deposit = node.links.deposit;
        result.ed25519Pubkey = node.ed25519Pubkey;
        uint256 count = node.holder.contributorCount;
        result.contributors = new Contributor[](count);
        address operator = node.holder.operator;
        result.contributors[0] = Contributor(
            Staker(operator, _beneficiaryOf(node, 0, operator)),
            node.links.operatorStake
        );
        for (uint256 i = 1; i < count; ++i) {
            Stake memory entry = node.stakes[i];
            result.contributors[i] = Contributor(
                Staker(entry.staker, _beneficiaryOf(node, i, entry.staker)),
                entry.amount
            );
        }
    }

    /// @inheritdoc IServiceNodeRewards
    function serviceNodeIDs(bytes calldata blsPubkey) external view override returns (uint64 serviceNodeID) {
        return _idsByBlsPubkey[keccak256(blsPubkey)];
    }

    /// @inheritdoc IServiceNodeRewards
    function ed25519ToServiceNodeID(uint256 ed25519Pubkey) external view override returns (uint64 serviceNodeID) {
        return _liveEd25519Owner(ed25519Pubkey);
    }

    /// @inheritdoc IServiceNodeRewards
    function recipients(address recipient) external view override returns (uint256 rewards, uint256 claimed) {
        Recipient memory entry = _recipients[recipient];
        return (entry.rewards, entry.claimed);
    }

    /// @inheritdoc IServiceNodeRewards
    function proofOfPossessionTag() external view override returns (bytes32) {
        return _proofOfPossessionTag();
    }

    /// @inheritdoc IServiceNodeRewards
    function rewardTag() public view override returns (bytes32) {
        return BLS.buildTag(REWARD_TAG);
    }

    /// @inheritdoc IServiceNodeRewards
    function exitTag() public view override returns (bytes32) {
        return BLS.buildTag(EXIT_TAG);
    }

    /// @inheritdoc IServiceNodeRewards
    function liquidateTag() public view override returns (bytes32) {
        return BLS.buildTag(LIQUIDATE_TAG);
    }

    /// @inheritdoc IServiceNodeRewards
    function hashToG2Tag() external view override returns (bytes32) {
        return _hashToG2Tag();
    }

    /// @notice Whether the contract is paused.
    /// @dev The flag lives in the slot every hot path reads anyway (see the contract's NatSpec).
    /// @return True while paused.
    function paused() public view override returns (bool) {
        return _registry.paused;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Internal: the testnet variant builds on these
    // ----------------------------------------------------------------------------------------------------------------

    /// @dev Runs this call (its calldata as received) in {ADMIN}, in this contract's storage; bubbles its revert.
    function _runInAdmin() internal {
        Address.functionDelegateCall(ADMIN, msg.data);
    }

    /// @dev Deploys the admin half; the testnet variant deploys its own, with the owner's exits.
    function _deployAdmin() internal virtual returns (address) {
        return address(new ServiceNodeRewardsAdmin());
    }

    /// @dev The pause flag of {paused}.
    function _pause() internal override {
        _requireNotPaused();
        _registry.paused = true;
        emit Paused(msg.sender);
    }

    /// @dev The pause flag of {paused}.
    function _unpause() internal override {
        _requirePaused();
        _registry.paused = false;
        emit Unpaused(msg.sender);
    }

    /// @dev SESH is the stakes and the rewards owed: none of it counts as sent by mistake.
    function _rescuableSurplus(IERC20 token) internal view override returns (uint256) {
        if (token == _staking.token) revert TokenNotRescuable(address(token));
        return token.balanceOf(address(this));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Private
    // ----------------------------------------------------------------------------------------------------------------

    /// @dev The checks of an exit or liquidation by signature, in order: the non-signer count, the key registered,
    /// the signed time within the expiry, the removal checks, and the network's signature on (tag, key, time).
    /// Returns the node, its key's hash and the aggregate key (all nodes), which the removal updates.
    function _checkSignedRemoval(
        BN256G1.G1Point calldata blsPubkey,
        uint256 timestamp,
        BLSSignatureParams calldata blsSignature,
        uint64[] calldata ids,
        bytes32 tag
    ) private view returns (uint64 id, bytes32 keyHash, BN256G1.G1Point memory aggregate) {
        Registry memory registry = _checkSignedCall(ids.length);
        keyHash = _keyHash(blsPubkey);
        id = _idsByBlsPubkey[keyHash];
        if (id == LIST_SENTINEL) revert BLSPubkeyDoesNotExist(blsPubkey);
        uint256 expiry = registry.signatureExpiry;
        uint256 distance = timestamp > block.timestamp ? timestamp - block.timestamp : block.timestamp - timestamp;
        if (distance > expiry) revert SignatureExpired(id, timestamp, block.timestamp);
        _checkRemovable(id);
        aggregate = _checkNetworkSignature(
            abi.encodePacked(tag, blsPubkey.X, blsPubkey.Y, timestamp),
            blsSignature,
            ids,
            registry.nextServiceNodeID
        );
    }

    /// @dev Checks a network signature on `message` against the aggregate key less the non-signers; returns the
    /// aggregate key (of all nodes).
    function _checkNetworkSignature(
        bytes memory message,
        BLSSignatureParams calldata signature,
        uint64[] calldata ids,
        uint256 nextId
    ) private view returns (BN256G1.G1Point memory aggregate) {
        aggregate = BN256G1.decompress(_aggregatePubkey);
        BN256G1.G1Point memory key = _signersKey(aggregate, ids, nextId);
        BN256G2.G2Point memory point = BLS.signatureFromParams(
            signature.sigs0,
            signature.sigs1,
            signature.sigs2,
            signature.sigs3
        );
        // The identity key (no signer) or signature never verifies, as in production, which reports both so. The key
        // is the precompiles' sum of registered keys, each checked on the curve when it was added: a point of G1.
        if (
            BN256G1.isIdentity(key) ||
            BN256G2.isIdentity(point) ||
            !BLS.verifyWithCheckedKey(key, point, BN256G2.hashToG2(message, _hashToG2Tag()))
        ) revert InvalidBLSSignature(key);
    }

    /// @dev `aggregate` less the keys of `ids` (a new point, or `aggregate` itself for an empty list), each a registered node listed once, in any order. Repeats
    /// are found with a bitmap in memory over the ids given so far (one word per 256 ids below `nextServiceNodeID`,
    /// which only registrations raise: 40 words for 10,000 ids), each id checked against it before it is used.
    function _signersKey(
        BN256G1.G1Point memory aggregate,
        uint64[] calldata ids,
        uint256 nextId
    ) private view returns (BN256G1.G1Point memory key) {
        uint256 count = ids.length;
        // Every node signed: the key is the aggregate itself, which nothing changes afterwards.
        if (count == 0) return aggregate;
        key = BN256G1.G1Point(aggregate.X, aggregate.Y);
        uint256[] memory seen = new uint256[](nextId / BITS_PER_WORD + 1);
        uint256[] memory keys = new uint256[](count);
        for (uint256 i = 0; i < count;) {
            uint64 id = ids[i];
            // An id never given (id ≥ nextServiceNodeID) has no key either, so it fails here, before the bitmap,
            // which covers the ids given so far only.
            uint256 stored = _nodes[id].blsPubkey;
            if (stored == 0) revert NonSignerNotRegistered(id);
            uint256 index = id / BITS_PER_WORD;
            uint256 bit = 1 << (id % BITS_PER_WORD);
            uint256 word = seen[index];
            if (word & bit != 0) revert NonSignerRepeated(id);
            seen[index] = word | bit;
            keys[i] = stored;
            // Why unchecked: i < count, the length of a calldata array.
            unchecked {
                ++i;
            }
        }
        BN256G1.subtractCompressedKeys(key, keys);
    }

    /// @dev The pool's and the liquidator's shares of a liquidated `deposit`, and the pool.
    function _liquidationShares(
        uint256 deposit
    ) private view returns (uint256 poolShare, uint256 liquidatorShare, address pool) {
        Liquidation memory liquidation = _liquidation;
        uint256 ratioSum = uint256(liquidation.liquidatorRatio) + liquidation.poolRatio + liquidation.recipientRatio;
        // The pool's share rounds up and the liquidator's down, so their sum is the penalty and never more than the
        // deposit: ⌈d·p/s⌉ + ⌊d·l/s⌋ ≤ ⌈d·(p + l)/s⌉ ≤ d. No product overflows: d < 2^64 and each ratio < 2^32.
        poolShare = Math.ceilDiv(deposit * liquidation.poolRatio, ratioSum);
        liquidatorShare = (deposit * liquidation.liquidatorRatio) / ratioSum;
        pool = liquidation.foundationPool;
    }

    /// @dev The checks a network-signed call starts with, in production's order, on one read of the registry (which
    /// it returns): not paused (`EnforcedPause`), started ({ContractNotStarted}), and no more non-signers than the
    /// threshold ({InsufficientBLSSignatures}).
    function _checkSignedCall(uint256 nonSignerCount) private view returns (Registry memory registry) {
        registry = _registry;
        if (registry.paused) revert EnforcedPause();
        if (!registry.started) revert ContractNotStarted();
        uint256 threshold = _nonSignerThreshold(registry.totalNodes, registry.blsNonSignerThresholdMax);
        if (nonSignerCount > threshold) {
            uint256 total = registry.totalNodes;
            revert InsufficientBLSSignatures(Math.saturatingSub(total, nonSignerCount), total - threshold);
        }
    }

    /// @dev Reverts {ContractNotStarted} before {start}.
    function _checkStarted() private view {
        if (!_registry.started) revert ContractNotStarted();
    }

    /// @dev Contributor `index`'s beneficiary: the stored one, or the staker itself.
    function _beneficiaryOf(Node storage node, uint256 index, address staker) private view returns (address) {
        address beneficiary = node.beneficiaries[index];
        return beneficiary == address(0) ? staker : beneficiary;
    }

    /// @dev min(nodes / 3, max).
    function _nonSignerThreshold(uint256 nodes, uint256 max) private pure returns (uint256) {
        return Math.min(nodes / NON_SIGNER_DIVISOR, max);
    }
}

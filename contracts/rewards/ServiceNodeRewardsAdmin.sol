// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IServiceNodeRewards} from "../interfaces/IServiceNodeRewards.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {BN256G1} from "../libraries/BN256G1.sol";
import {ServiceNodeRewardsStorage} from "./ServiceNodeRewardsStorage.sol";

/// @title The seeding and the owner's settings of ServiceNodeRewards, run in its storage by `delegatecall`
/// @notice `ServiceNodeRewards` and its BN254 maths do not fit the 24,576-byte limit of a contract (EIP-170) in one
/// piece. Its implementation deploys this contract in its constructor and forwards these calls to it, after its own
/// checks (the owner's, for all but `rederiveTotalNodesAndAggregatePubkey`); the calls run in the rewards contract's
/// storage, emit its events and revert with its errors. Nothing is deployed or linked before the rewards contract.
/// @dev Called directly (not by `delegatecall`) every function reverts {AdminCalledDirectly}: its own storage
/// is never used.
contract ServiceNodeRewardsAdmin is ServiceNodeRewardsStorage {
    using SafeERC20 for IERC20;

    /// @notice The function was called on this contract itself rather than run by the rewards contract.
    error AdminCalledDirectly();

    /// @dev This contract's own address, to tell a direct call from a `delegatecall`.
    address private immutable SELF;

    /// @dev Only when run by `delegatecall`.
    modifier onlyDelegated() {
        _checkDelegated();
        _;
    }

    /// @dev Default of `signatureExpiry`, set by {initialize}.
    uint256 private constant DEFAULT_SIGNATURE_EXPIRY = 10 minutes;
    /// @dev Default of `claimThreshold`: 1,000,000 SESH (9 decimals).
    uint256 private constant DEFAULT_CLAIM_THRESHOLD = 1_000_000 * 1e9;
    /// @dev Default of `claimCycle`.
    uint256 private constant DEFAULT_CLAIM_CYCLE = 12 hours;
    /// @dev Default of `blsNonSignerThresholdMax`.
    uint256 private constant DEFAULT_BLS_NON_SIGNER_THRESHOLD_MAX = 4_000;

    /// @notice Records its own address, to refuse direct calls.
    constructor() {
        SELF = address(this);
    }

    /// @notice The initialisation of `ServiceNodeRewards` after its owner is set; run by `delegatecall` only, from its
    /// `initialize` (guarded by OpenZeppelin's `initializer`).
    /// @dev Reverts `NullAddress` for a zero token or pool, `PositiveNumberRequirement` for a zero requirement or
    /// maximum, `ValueTooLarge` above what storage holds, `LiquidatorPenaltyTooHigh` as `setLiquidationRatios`.
    /// @param token_ The staking token (SESH).
    /// @param foundationPool_ Where the pool's share of a liquidation goes.
    /// @param stakingRequirement_ The stake of a node, in atoms.
    /// @param maxContributors_ The most contributors a node may have.
    /// @param liquidatorRewardRatio_ The liquidator's part of the ratios.
    /// @param poolShareOfLiquidationRatio_ The pool's part.
    /// @param recipientRatio_ The contributors' part.
    function initialize(
        address token_,
        address foundationPool_,
        uint256 stakingRequirement_,
        uint256 maxContributors_,
        uint256 liquidatorRewardRatio_,
        uint256 poolShareOfLiquidationRatio_,
        uint256 recipientRatio_
    ) external onlyDelegated {
        if (token_ == address(0) || foundationPool_ == address(0)) revert IServiceNodeRewards.NullAddress();
        _staking = Staking({
            token: IERC20(token_),
            stakingRequirement: _checkedUint64(stakingRequirement_),
            maxContributors: uint8(_checkedPositive(maxContributors_, MAX_CONTRIBUTORS_LIMIT))
        });
        _setLiquidationRatios(foundationPool_, liquidatorRewardRatio_, poolShareOfLiquidationRatio_, recipientRatio_);
        _registry = Registry({
            totalNodes: 0,
            nextServiceNodeID: SENTINEL_ID + 1,
            blsNonSignerThresholdMax: uint32(DEFAULT_BLS_NON_SIGNER_THRESHOLD_MAX),
            signatureExpiry: uint32(DEFAULT_SIGNATURE_EXPIRY),
            started: false,
            paused: false
        });
        _claims = Claims({
            threshold: uint64(DEFAULT_CLAIM_THRESHOLD),
            cycle: uint32(DEFAULT_CLAIM_CYCLE),
            currentCycle: 0,
            currentTotal: 0
        });
    }

    /// @notice See `IServiceNodeRewards.addBLSPublicKey`; run by `delegatecall` only, after the pause and start checks.
    /// @param blsPubkey See there.
    /// @param blsSignature See there.
    /// @param serviceNodeParams See there.
    /// @param contributors See there.
    function addBLSPublicKey(
        BN256G1.G1Point calldata blsPubkey,
        IServiceNodeRewards.BLSSignatureParams calldata blsSignature,
        IServiceNodeRewards.ServiceNodeParams calldata serviceNodeParams,
        IServiceNodeRewards.Contributor[] calldata contributors
    ) external onlyDelegated {
        Staking memory staking = _staking;
        address operator = _checkRegistration(blsPubkey, blsSignature, serviceNodeParams, contributors, staking);
        uint64 id = _register(blsPubkey, serviceNodeParams.serviceNodePubkey, operator, contributors, staking);
        IServiceNodeRewards.Contributor[] memory emitted;
        if (contributors.length == 0) {
            emitted = new IServiceNodeRewards.Contributor[](1);
            emitted[0] = IServiceNodeRewards.Contributor(
                IServiceNodeRewards.Staker(operator, operator),
                staking.stakingRequirement
            );
        } else {
            emitted = contributors;
        }
        emit IServiceNodeRewards.NewServiceNodeV2(id, msg.sender, blsPubkey, serviceNodeParams, emitted);
        staking.token.safeTransferFrom(msg.sender, address(this), staking.stakingRequirement);
    }

    /// @notice See `IServiceNodeRewards.seedPublicKeyList`.
    /// @param nodes See there.
    function seedPublicKeyList(IServiceNodeRewards.SeedServiceNode[] calldata nodes) external onlyDelegated {
        Registry memory registry = _registry;
        if (registry.started) revert IServiceNodeRewards.ContractAlreadyStarted();
        Staking memory staking = _staking;
        uint64 firstId = registry.nextServiceNodeID;
        uint64 tail = _nodes[SENTINEL_ID].links.prev;
        BN256G1.G1Point memory aggregate = BN256G1.decompress(_aggregatePubkey);
        uint256 count = nodes.length;
        for (uint256 i = 0; i < count; ++i) {
            IServiceNodeRewards.SeedServiceNode calldata seed = nodes[i];
            if (seed.contributors.length == 0) revert IServiceNodeRewards.InsufficientContributors();
            _checkContributors(seed.contributors, staking);
            if (seed.addedTimestamp > block.timestamp) {
                revert IServiceNodeRewards.AddedTimestampInFuture(seed.addedTimestamp, block.timestamp);
            }
            uint64 id = firstId + uint64(i);
            // The batch is linked in order as it is written: each node's neighbours are known already.
            // The ids fit 32 bits: _storeNode checks `id` against MAX_NODE_ID (and the tail was stored before); the
            // time is not in the future, so it fits 40 bits.
            Links memory links = Links({
                next: uint32(i + 1 == count ? SENTINEL_ID : id + 1),
                prev: uint32(i == 0 ? tail : id - 1),
                addedTimestamp: uint40(seed.addedTimestamp),
                deposit: staking.stakingRequirement,
                operatorStake: 0
            });
            _storeNode(id, links, seed.blsPubkey, seed.ed25519Pubkey, address(0), seed.contributors);
            aggregate = BN256G1.add(aggregate, seed.blsPubkey);
            emit IServiceNodeRewards.NewSeededServiceNode(id, seed.blsPubkey, seed.ed25519Pubkey);
        }
        if (count == 0) return;
        _linkAtTail(tail, firstId, firstId + uint64(count) - 1);
        _aggregatePubkey = BN256G1.compress(aggregate);
        registry.totalNodes += uint64(count);
        registry.nextServiceNodeID = firstId + uint64(count);
        _registry = registry;
    }

    /// @notice See `IServiceNodeRewards`; run by `delegatecall` only.
    function start() external onlyDelegated {
        if (_registry.started) revert IServiceNodeRewards.ContractAlreadyStarted();
        _registry.started = true;
    }

    /// @notice See `IServiceNodeRewards.initiateExitBLSPublicKey`; run by `delegatecall` only, after the rewards
    /// contract's pause and start checks (an exit request is rare: the delegatecall's 2,600 gas buy the room the
    /// signature paths need in the rewards contract).
    /// @param serviceNodeID See there.
    function initiateExitBLSPublicKey(uint64 serviceNodeID) external onlyDelegated {
        Node storage node = _checkRemovable(serviceNodeID);
        Links memory links = node.links;
        uint256 stake = links.operatorStake;
        if (node.holder.operator != msg.sender) {
            uint256 count = node.holder.contributorCount;
            uint256 i = 1;
            for (; i < count; ++i) {
                Stake memory entry = node.stakes[i];
                if (entry.staker == msg.sender) {
                    stake = entry.amount;
                    break;
                }
            }
            // Contributors are distinct, so the operator is not found again among the others.
            if (i == count) revert IServiceNodeRewards.CallerNotContributor(serviceNodeID, msg.sender);
        }
        if (stake < links.deposit / SMALL_STAKE_DIVISOR) {
            uint256 allowedFrom = links.addedTimestamp + SMALL_STAKE_LEAVE_DELAY;
            if (block.timestamp < allowedFrom) {
                revert IServiceNodeRewards.SmallContributorLeaveTooEarly(serviceNodeID, msg.sender);
            }
        }
        _requestExit(serviceNodeID, node, msg.sender);
    }

    /// @notice See `IServiceNodeRewards`; run by `delegatecall` only.
    function rederiveTotalNodesAndAggregatePubkey() external onlyDelegated {
        BN256G1.G1Point memory aggregate;
        uint64 count = 0;
        for (uint64 id = _nodes[SENTINEL_ID].links.next; id != SENTINEL_ID; id = _nodes[id].links.next) {
            aggregate = BN256G1.add(aggregate, BN256G1.decompress(_nodes[id].blsPubkey));
            ++count;
        }
        _aggregatePubkey = BN256G1.compress(aggregate);
        _registry.totalNodes = count;
    }

    /// @notice See `IServiceNodeRewards.setStakingRequirement`.
    /// @param newRequirement See there.
    function setStakingRequirement(uint256 newRequirement) external onlyDelegated {
        _staking.stakingRequirement = _checkedUint64(newRequirement);
        emit IServiceNodeRewards.StakingRequirementUpdated(newRequirement);
    }

    /// @notice See `IServiceNodeRewards.setSignatureExpiry`.
    /// @param newExpiry See there.
    function setSignatureExpiry(uint256 newExpiry) external onlyDelegated {
        _registry.signatureExpiry = uint32(_checkedPositive(newExpiry, type(uint32).max));
        emit IServiceNodeRewards.SignatureExpiryUpdated(newExpiry);
    }

    /// @notice See `IServiceNodeRewards.setBLSNonSignerThresholdMax`.
    /// @param newMax See there.
    function setBLSNonSignerThresholdMax(uint256 newMax) external onlyDelegated {
        _registry.blsNonSignerThresholdMax = uint32(_checkedPositive(newMax, type(uint32).max));
        emit IServiceNodeRewards.BLSNonSignerThresholdMaxUpdated(newMax);
    }

    /// @notice See `IServiceNodeRewards.setClaimThreshold`.
    /// @param newMax See there.
    function setClaimThreshold(uint256 newMax) external onlyDelegated {
        _claims.threshold = _checkedUint64(newMax);
        emit IServiceNodeRewards.ClaimThresholdUpdated(newMax);
    }

    /// @notice See `IServiceNodeRewards.setClaimCycle`.
    /// @param newValue See there.
    function setClaimCycle(uint256 newValue) external onlyDelegated {
        _claims.cycle = uint32(_checkedPositive(newValue, type(uint32).max));
        emit IServiceNodeRewards.ClaimCycleUpdated(newValue);
    }

    /// @notice See `IServiceNodeRewards.setLiquidationRatios`.
    /// @param liquidator See there.
    /// @param pool See there.
    /// @param recipient See there.
    function setLiquidationRatios(uint256 liquidator, uint256 pool, uint256 recipient) external onlyDelegated {
        _setLiquidationRatios(_liquidation.foundationPool, liquidator, pool, recipient);
    }

    /// @dev The checks of {addBLSPublicKey} before the node is stored; returns the operator.
    function _checkRegistration(
        BN256G1.G1Point calldata blsPubkey,
        IServiceNodeRewards.BLSSignatureParams calldata blsSignature,
        IServiceNodeRewards.ServiceNodeParams calldata serviceNodeParams,
        IServiceNodeRewards.Contributor[] calldata contributors,
        Staking memory staking
    ) private view returns (address operator) {
        operator = msg.sender;
        if (contributors.length != 0) {
            _checkContributors(contributors, staking);
            operator = contributors[0].staker.addr;
            uint256 operatorStake = contributors[0].stakedAmount;
            if (operatorStake < Math.ceilDiv(staking.stakingRequirement, OPERATOR_SHARE_DIVISOR)) {
                revert IServiceNodeRewards.InsufficientOperatorContribution(operatorStake);
            }
        }
        if (serviceNodeParams.fee > MAX_OPERATOR_FEE)
            revert IServiceNodeRewards.FeeTooHigh(serviceNodeParams.fee, MAX_OPERATOR_FEE);
        uint64 existing = _idsByBlsPubkey[_keyHash(blsPubkey)];
        if (existing != SENTINEL_ID) revert IServiceNodeRewards.BLSPubkeyAlreadyExists(existing);
        _checkProofOfPossession(blsPubkey, blsSignature, operator, serviceNodeParams.serviceNodePubkey);
    }

    /// @dev Stores a registered node at the tail of the list and adds its key to the aggregate; returns its id.
    function _register(
        BN256G1.G1Point calldata blsPubkey,
        uint256 ed25519Pubkey,
        address operator,
        IServiceNodeRewards.Contributor[] calldata contributors,
        Staking memory staking
    ) private returns (uint64 id) {
        Registry memory registry = _registry;
        _countAggregation(registry.totalNodes);
        id = registry.nextServiceNodeID;
        uint64 tail = _nodes[SENTINEL_ID].links.prev;
        Links memory links = Links({
            next: uint32(SENTINEL_ID),
            prev: uint32(tail),
            addedTimestamp: uint40(block.timestamp),
            deposit: staking.stakingRequirement,
            operatorStake: 0
        });
        _storeNode(id, links, blsPubkey, ed25519Pubkey, operator, contributors);
        _linkAtTail(tail, id, id);
        _aggregatePubkey = BN256G1.compress(BN256G1.add(BN256G1.decompress(_aggregatePubkey), blsPubkey));
        ++registry.totalNodes;
        registry.nextServiceNodeID = id + 1;
        _registry = registry;
    }

    /// @dev Updates the per-block count of key aggregations after {start}.
    function _countAggregation(uint256 nodeCount) private {
        Aggregations memory aggregations = _aggregations;
        if (aggregations.lastHeight != block.number) {
            aggregations.lastHeight = uint64(block.number);
            aggregations.count = 0;
        }
        ++aggregations.count;
        if (aggregations.count > _maxAggregations(nodeCount))
            revert IServiceNodeRewards.MaxPubkeyAggregationsExceeded();
        _aggregations = aggregations;
    }

    /// @dev Reverts {AdminCalledDirectly} unless run by `delegatecall`.
    function _checkDelegated() private view {
        if (address(this) == SELF) revert AdminCalledDirectly();
    }
}

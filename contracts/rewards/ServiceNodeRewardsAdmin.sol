// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IServiceNodeRewards} from "../interfaces/IServiceNodeRewards.sol";
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
    /// @notice The function was called on this contract itself rather than run by the rewards contract.
    error AdminCalledDirectly();

    /// @dev This contract's own address, to tell a direct call from a `delegatecall`.
    address private immutable SELF;

    /// @dev Only when run by `delegatecall`.
    modifier onlyDelegated() {
        _checkDelegated();
        _;
    }

    constructor() {
        SELF = address(this);
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
            Links memory links = Links({
                next: i + 1 == count ? SENTINEL_ID : id + 1,
                prev: i == 0 ? tail : id - 1,
                addedTimestamp: uint64(seed.addedTimestamp),
                deposit: staking.stakingRequirement
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

    /// @dev Reverts {AdminCalledDirectly} unless run by `delegatecall`.
    function _checkDelegated() private view {
        if (address(this) == SELF) revert AdminCalledDirectly();
    }
}

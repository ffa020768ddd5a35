// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ManagedUpgradeable} from "./access/ManagedUpgradeable.sol";
import {IServiceNodeContributionFactory} from "./interfaces/IServiceNodeContributionFactory.sol";
import {IServiceNodeRewards} from "./interfaces/IServiceNodeRewards.sol";
import {BN256G1} from "./libraries/BN256G1.sol";
import {ServiceNodeContribution} from "./ServiceNodeContribution.sol";

/// @title The factory of multi-contributor Session Nodes
/// @notice See {IServiceNodeContributionFactory}. Behind a transparent proxy; `initialize(rewardsContract)`.
/// @dev Each node is a minimal clone of {IMPLEMENTATION} (deployed by this implementation's constructor, so nothing
/// is deployed or linked first) with `ServiceNodeContribution.Constants` appended to its code.
contract ServiceNodeContributionFactory is IServiceNodeContributionFactory, Initializable, ManagedUpgradeable {
    /// @inheritdoc IServiceNodeContributionFactory
    uint256 public constant override VERSION = 1;

    /// @notice The contribution contract every node clones.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address public immutable IMPLEMENTATION;

    IServiceNodeRewards private _rewards;
    mapping(address contribution => bool) private _deployed;

    /// @notice Locks this implementation and deploys the contribution contract the clones run.
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
        IMPLEMENTATION = address(new ServiceNodeContribution());
    }

    /// @inheritdoc IServiceNodeContributionFactory
    function initialize(address _stakingRewardsContract) external override initializer {
        if (_stakingRewardsContract == address(0)) revert IServiceNodeRewards.NullAddress();
        __Managed_init(msg.sender);
        _rewards = IServiceNodeRewards(_stakingRewardsContract);
    }

    /// @inheritdoc IServiceNodeContributionFactory
    function deploy(
        BN256G1.G1Point calldata key,
        IServiceNodeRewards.BLSSignatureParams calldata sig,
        IServiceNodeRewards.ServiceNodeParams calldata params,
        IServiceNodeRewards.ReservedContributor[] calldata reserved,
        bool manualFinalize
    ) external override whenNotPaused returns (address result) {
        IServiceNodeRewards rewards = _rewards;
        bytes memory constants = abi.encode(
            ServiceNodeContribution.Constants({
                factory: address(this),
                rewards: rewards,
                sesh: IERC20(rewards.designatedToken()),
                operator: msg.sender,
                stakingRequirement: rewards.stakingRequirement(),
                maxContributors: rewards.maxContributors(),
                keys: ServiceNodeContribution.Keys(
                    key,
                    sig,
                    params.serviceNodePubkey,
                    params.serviceNodeSignature1,
                    params.serviceNodeSignature2
                )
            })
        );
        result = Clones.cloneWithImmutableArgs(IMPLEMENTATION, constants);
        _deployed[result] = true;
        emit NewServiceNodeContributionContract(result, params.serviceNodePubkey, msg.sender);
        ServiceNodeContribution(result).initialize(params.fee, reserved, manualFinalize);
    }

    /// @inheritdoc IServiceNodeContributionFactory
    function owns(address contractAddress) external view override returns (bool) {
        return _deployed[contractAddress];
    }

    /// @inheritdoc IServiceNodeContributionFactory
    function deployedContracts(address contractAddress) external view override returns (bool) {
        return _deployed[contractAddress];
    }

    /// @inheritdoc IServiceNodeContributionFactory
    function stakingRewardsContract() external view override returns (address) {
        return address(_rewards);
    }
}

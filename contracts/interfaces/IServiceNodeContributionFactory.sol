// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {BN256G1} from "../libraries/BN256G1.sol";
import {IManaged} from "./IManaged.sol";
import {IServiceNodeRewards} from "./IServiceNodeRewards.sol";

// The event is production's, fields and `indexed` as deployed: the portals decode it so.
// solhint-disable gas-indexed-events

/// @title The factory of multi-contributor Session Nodes
/// @notice Production-compatible interface of the Session Network's `ServiceNodeContributionFactory`: it opens one
/// contribution contract per node, whose operator is the caller, and says which contracts it opened.
/// @dev Ours opens a minimal clone (EIP-1167, with the clone's constants appended to its code) of one
/// `ServiceNodeContribution` implementation, which the factory's implementation deploys in its constructor.
/// Pausable, two-step ownership that cannot be renounced, and the rescue of stray tokens (`IManaged`).
interface IServiceNodeContributionFactory is IManaged {
    /// @notice A contribution contract was opened.
    /// @param contributorContract The new contract.
    /// @param serviceNodePubkey The node's ed25519 key.
    /// @param operator Its operator, the caller.
    event NewServiceNodeContributionContract(
        address indexed contributorContract,
        uint256 serviceNodePubkey,
        address operator
    );

    /// @notice Sets the rewards contract the nodes register in, the owner (the caller) and the pause; once, through
    /// the proxy.
    /// @dev Reverts `NullAddress` for a zero rewards contract (`IServiceNodeRewards.NullAddress`).
    /// @param _stakingRewardsContract The rewards contract.
    function initialize(address _stakingRewardsContract) external;

    /// @notice Opens a contribution contract for a node whose operator is the caller, with the rewards contract's
    /// current staking requirement and maximum contributors.
    /// @dev Not while paused (`EnforcedPause`). The new contract checks the fee and the reservations as
    /// `IServiceNodeContribution.updateFee` and `updateReservedContributors` do, and emits `UpdatePubkeys`,
    /// `UpdateFee`, `UpdateReservedContributors` and `UpdateManualFinalize`. The proof of possession is checked by
    /// the rewards contract when the node registers (see `IServiceNodeContribution`). Emits
    /// {NewServiceNodeContributionContract}.
    /// @param key The node's BLS key.
    /// @param sig Its proof of possession.
    /// @param params The ed25519 key, its signature and the fee.
    /// @param reserved The reserved spots, operator first when it holds one.
    /// @param manualFinalize Whether the operator finalises by hand.
    /// @return result The new contract.
    function deploy(
        BN256G1.G1Point calldata key,
        IServiceNodeRewards.BLSSignatureParams calldata sig,
        IServiceNodeRewards.ServiceNodeParams calldata params,
        IServiceNodeRewards.ReservedContributor[] calldata reserved,
        bool manualFinalize
    ) external returns (address result);

    /// @notice Whether this factory opened `contractAddress`.
    /// @param contractAddress The address.
    /// @return True for a contract it opened.
    function owns(address contractAddress) external view returns (bool);

    /// @notice {owns}, as production's public mapping.
    /// @param contractAddress The address.
    /// @return True for a contract it opened.
    function deployedContracts(address contractAddress) external view returns (bool);

    /// @notice The rewards contract the nodes register in.
    /// @return The rewards contract.
    function stakingRewardsContract() external view returns (address);

    /// @notice The version of this contract's interface.
    /// @return 1.
    function VERSION() external view returns (uint256);
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Test doubles are named X__MockForY (STYLE.md), which this rule does not know.
// solhint-disable contract-name-capwords

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IServiceNodeRewards} from "../interfaces/IServiceNodeRewards.sol";
import {BN256G1} from "../libraries/BN256G1.sol";

/// @title A staking set in one contract, for TokenVestingStaking's tests only
/// @notice Answers as the rewards contract (`designatedToken`, `stakingRequirement`, `addBLSPublicKey`), as the
/// contribution factory (`stakingRewardsContract`, `owns`: itself only) and as a contribution contract
/// (`contributeFunds`), so that a test can make each answer wrong: another rewards contract named by the factory, or
/// a registration or contribution that takes less than it was approved for (`shortfall` atoms less).
contract StakingSet__MockForTokenVestingStaking {
    using SafeERC20 for IERC20;

    IERC20 private immutable TOKEN;
    uint256 private immutable REQUIREMENT;
    address private _factoryRewards;
    uint256 private _shortfall;

    /// @notice A staking set of `token` with a staking requirement of `requirement` atoms; the factory names this
    /// contract as its rewards contract.
    /// @param token The staked token.
    /// @param requirement The staking requirement, in atoms.
    constructor(IERC20 token, uint256 requirement) {
        TOKEN = token;
        REQUIREMENT = requirement;
        _factoryRewards = address(this);
    }

    /// @notice Sets the rewards contract the factory names.
    /// @param rewards The address to name.
    function setFactoryRewards(address rewards) external {
        _factoryRewards = rewards;
    }

    /// @notice Sets how many atoms less than approved a registration or a contribution takes.
    /// @param shortfall The atoms left of each allowance.
    function setShortfall(uint256 shortfall) external {
        _shortfall = shortfall;
    }

    /// @notice As the rewards contract: takes the first contributor's stake less the shortfall from the caller.
    /// @param contributors The contributors; the first one's stake is taken.
    function addBLSPublicKey(
        BN256G1.G1Point calldata,
        IServiceNodeRewards.BLSSignatureParams calldata,
        IServiceNodeRewards.ServiceNodeParams calldata,
        IServiceNodeRewards.Contributor[] calldata contributors
    ) external {
        TOKEN.safeTransferFrom(msg.sender, address(this), contributors[0].stakedAmount - _shortfall);
    }

    /// @notice As a contribution contract: takes `amount` less the shortfall from the caller.
    /// @param amount The contribution, in atoms.
    function contributeFunds(uint256 amount, address) external {
        TOKEN.safeTransferFrom(msg.sender, address(this), amount - _shortfall);
    }

    /// @notice As the rewards contract: the staked token.
    /// @return The token's address.
    function designatedToken() external view returns (address) {
        return address(TOKEN);
    }

    /// @notice As the rewards contract: the staking requirement.
    /// @return The requirement, in atoms.
    function stakingRequirement() external view returns (uint256) {
        return REQUIREMENT;
    }

    /// @notice As the factory: the rewards contract it opens nodes in (this contract unless set otherwise).
    /// @return The rewards contract's address.
    function stakingRewardsContract() external view returns (address) {
        return _factoryRewards;
    }

    /// @notice As the factory: whether it opened `contractAddress` (this contract only).
    /// @param contractAddress The address.
    /// @return True for this contract.
    function owns(address contractAddress) external view returns (bool) {
        return contractAddress == address(this);
    }
}

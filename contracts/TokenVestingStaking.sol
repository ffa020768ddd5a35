// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {IServiceNodeContribution} from "./interfaces/IServiceNodeContribution.sol";
import {IServiceNodeContributionFactory} from "./interfaces/IServiceNodeContributionFactory.sol";
import {IServiceNodeRewards} from "./interfaces/IServiceNodeRewards.sol";
import {ITokenVestingStaking} from "./interfaces/ITokenVestingStaking.sol";
import {BN256G1} from "./libraries/BN256G1.sol";

/// @title TokenVestingStaking
/// @notice Investor vesting with a cliff at the end, whose locked SESH can stake meanwhile; see {ITokenVestingStaking}.
/// @dev A plain contract, one per holder. Every state-changing function is `nonReentrant` (OpenZeppelin's storage lock: the transient one makes every compile print solc's EIP-1153 warning).
contract TokenVestingStaking is ITokenVestingStaking, ReentrancyGuard {
    using SafeERC20 for IERC20;

    // ----------------------------------------------------------------------------------------------------------------
    // Immutables
    // ----------------------------------------------------------------------------------------------------------------

    bool private immutable TRANSFERABLE_BENEFICIARY;
    uint256 private immutable START;
    uint256 private immutable END;
    IServiceNodeRewards private immutable REWARDS;
    IServiceNodeContributionFactory private immutable FACTORY;
    IERC20 private immutable SESH_TOKEN;

    // ----------------------------------------------------------------------------------------------------------------
    // Storage
    // ----------------------------------------------------------------------------------------------------------------

    /// @dev The revoker and the flag share one slot: every staking call reads the flag, and then the revoker when
    /// it is set.
    address private _revoker;
    bool private _revoked;
    address private _beneficiary;

    // ----------------------------------------------------------------------------------------------------------------
    // Modifiers
    // ----------------------------------------------------------------------------------------------------------------

    /// @dev The staking functions: the beneficiary (the revoker once revoked), from the start on.
    modifier onlyStaker() {
        _checkStaker();
        _;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Constructor
    // ----------------------------------------------------------------------------------------------------------------

    /// @notice Sets up the vesting of one holder; the tokens are sent to the contract afterwards.
    /// @dev Reverts {InvalidBeneficiary} for the zero address, {InvalidRevoker} for this contract,
    /// {StartAfterEnd}, {StartNotInFuture}, {NotAContract} for a rewards contract, factory or token without code,
    /// {TokenMismatch} unless the rewards contract stakes `sesh_`, {FactoryRewardsMismatch} unless the factory
    /// opens nodes in `rewardsContract_`. Emits {BeneficiaryTransferred} and, for a revoker, {RevokerTransferred}.
    /// @param beneficiary_ The holder.
    /// @param revoker_ Who may revoke; 0 for a vesting that cannot be revoked.
    /// @param start_ When the staking functions open (in the future).
    /// @param end_ When everything vests (at or after `start_`).
    /// @param transferableBeneficiary_ Whether the holder may hand the vesting over.
    /// @param rewardsContract_ The rewards contract (its proxy).
    /// @param snContribFactory_ The contribution factory (its proxy).
    /// @param sesh_ SESH.
    constructor(
        address beneficiary_,
        address revoker_,
        uint256 start_,
        uint256 end_,
        bool transferableBeneficiary_,
        IServiceNodeRewards rewardsContract_,
        IServiceNodeContributionFactory snContribFactory_,
        IERC20 sesh_
    ) {
        if (beneficiary_ == address(0) || beneficiary_ == address(this)) revert InvalidBeneficiary(beneficiary_);
        if (revoker_ == address(this)) revert InvalidRevoker(revoker_);
        if (start_ > end_) revert StartAfterEnd(start_, end_);
        // solhint-disable-next-line gas-strict-inequalities
        if (start_ <= block.timestamp) revert StartNotInFuture(start_, block.timestamp);
        _checkContract(address(rewardsContract_));
        _checkContract(address(snContribFactory_));
        _checkContract(address(sesh_));
        address stakingToken = rewardsContract_.designatedToken();
        if (stakingToken != address(sesh_)) revert TokenMismatch(address(sesh_), stakingToken);
        address factoryRewards = snContribFactory_.stakingRewardsContract();
        if (factoryRewards != address(rewardsContract_)) {
            revert FactoryRewardsMismatch(factoryRewards, address(rewardsContract_));
        }

        TRANSFERABLE_BENEFICIARY = transferableBeneficiary_;
        START = start_;
        END = end_;
        REWARDS = rewardsContract_;
        FACTORY = snContribFactory_;
        SESH_TOKEN = sesh_;
        _beneficiary = beneficiary_;
        emit BeneficiaryTransferred(address(0), beneficiary_);
        if (revoker_ != address(0)) {
            _revoker = revoker_;
            emit RevokerTransferred(address(0), revoker_);
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Staking
    // ----------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ITokenVestingStaking
    function addBLSPublicKey(
        BN256G1.G1Point calldata blsPubkey,
        IServiceNodeRewards.BLSSignatureParams calldata blsSignature,
        IServiceNodeRewards.ServiceNodeParams calldata serviceNodeParams,
        address snBeneficiary
    ) external override nonReentrant onlyStaker {
        IServiceNodeRewards rewards = REWARDS;
        uint256 requirement = rewards.stakingRequirement();
        IServiceNodeRewards.Contributor[] memory contributors = new IServiceNodeRewards.Contributor[](1);
        contributors[0] = IServiceNodeRewards.Contributor(
            IServiceNodeRewards.Staker(address(this), _rewardsBeneficiary(snBeneficiary)),
            requirement
        );
        SESH_TOKEN.forceApprove(address(rewards), requirement);
        rewards.addBLSPublicKey(blsPubkey, blsSignature, serviceNodeParams, contributors);
        _checkAllowanceSpent(address(rewards));
    }

    /// @inheritdoc ITokenVestingStaking
    function initiateExitBLSPublicKey(uint64 serviceNodeID) external override nonReentrant onlyStaker {
        REWARDS.initiateExitBLSPublicKey(serviceNodeID);
    }

    /// @inheritdoc ITokenVestingStaking
    function claimRewards() external override nonReentrant onlyStaker {
        REWARDS.claimRewards();
    }

    /// @inheritdoc ITokenVestingStaking
    function claimRewards(uint256 amount) external override nonReentrant onlyStaker {
        REWARDS.claimRewards(amount);
    }

    /// @inheritdoc ITokenVestingStaking
    function contributeFunds(
        address snContribAddr,
        uint256 amount,
        address snContribBeneficiary
    ) external override nonReentrant onlyStaker {
        IServiceNodeContribution contribution = _factoryContribution(snContribAddr);
        SESH_TOKEN.forceApprove(snContribAddr, amount);
        contribution.contributeFunds(amount, _rewardsBeneficiary(snContribBeneficiary));
        _checkAllowanceSpent(snContribAddr);
    }

    /// @inheritdoc ITokenVestingStaking
    function withdrawContribution(address snContribAddr) external override nonReentrant onlyStaker {
        _factoryContribution(snContribAddr).withdrawContribution();
    }

    /// @inheritdoc ITokenVestingStaking
    function updateBeneficiary(
        address snContribAddr,
        address snContribBeneficiary
    ) external override nonReentrant onlyStaker {
        _factoryContribution(snContribAddr).updateBeneficiary(_rewardsBeneficiary(snContribBeneficiary));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Payouts and revocation
    // ----------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ITokenVestingStaking
    function release(IERC20 token) external override nonReentrant {
        address beneficiary_ = _beneficiary;
        if (msg.sender != beneficiary_) revert CallerNotBeneficiary(msg.sender, beneficiary_);
        if (_revoked) revert VestingRevoked(_revoker);
        _checkEnded();
        uint256 amount = _balanceToPay(token);
        emit TokensReleased(token, amount);
        token.safeTransfer(beneficiary_, amount);
    }

    /// @inheritdoc ITokenVestingStaking
    function revoke(IERC20 token) external override nonReentrant {
        address revoker_ = _revoker;
        if (msg.sender != revoker_) revert CallerNotRevoker(msg.sender, revoker_);
        if (!_revoked) {
            // The first call revokes, before the end only: from the end on, everything is the beneficiary's.
            // solhint-disable-next-line gas-strict-inequalities
            if (block.timestamp >= END) revert VestingEnded(block.timestamp, END);
            _revoked = true;
            emit TokenVestingRevoked(token);
            return;
        }
        // Once revoked, a call pays the revoker, from the end on, like the beneficiary would have been paid.
        _checkEnded();
        uint256 amount = _balanceToPay(token);
        emit TokensRevokedReleased(token, amount);
        token.safeTransfer(revoker_, amount);
    }

    /// @inheritdoc ITokenVestingStaking
    function transferBeneficiary(address beneficiary_) external override nonReentrant {
        address previous = _beneficiary;
        if (msg.sender != previous) revert CallerNotBeneficiary(msg.sender, previous);
        if (!TRANSFERABLE_BENEFICIARY) revert BeneficiaryNotTransferable();
        if (_revoked) revert VestingRevoked(_revoker);
        if (beneficiary_ == address(0) || beneficiary_ == address(this)) revert InvalidBeneficiary(beneficiary_);
        _beneficiary = beneficiary_;
        emit BeneficiaryTransferred(previous, beneficiary_);
    }

    /// @inheritdoc ITokenVestingStaking
    function transferRevoker(address revoker_) external override nonReentrant {
        address previous = _revoker;
        if (msg.sender != previous) revert CallerNotRevoker(msg.sender, previous);
        if (revoker_ == address(0) || revoker_ == address(this)) revert InvalidRevoker(revoker_);
        _revoker = revoker_;
        emit RevokerTransferred(previous, revoker_);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ITokenVestingStaking
    function releasable(IERC20 token) external view override returns (uint256) {
        return _revoked ? 0 : vestedAmount(token, block.timestamp);
    }

    /// @inheritdoc ITokenVestingStaking
    function beneficiary() external view override returns (address) {
        return _beneficiary;
    }

    /// @inheritdoc ITokenVestingStaking
    function revoker() external view override returns (address) {
        return _revoker;
    }

    /// @inheritdoc ITokenVestingStaking
    function transferableBeneficiary() external view override returns (bool) {
        return TRANSFERABLE_BENEFICIARY;
    }

    /// @inheritdoc ITokenVestingStaking
    function start() external view override returns (uint256) {
        return START;
    }

    /// @inheritdoc ITokenVestingStaking
    function end() external view override returns (uint256) {
        return END;
    }

    /// @inheritdoc ITokenVestingStaking
    function revoked() external view override returns (bool) {
        return _revoked;
    }

    /// @inheritdoc ITokenVestingStaking
    function SESH() external view override returns (IERC20) {
        return SESH_TOKEN;
    }

    /// @inheritdoc ITokenVestingStaking
    function rewardsContract() external view override returns (IServiceNodeRewards) {
        return REWARDS;
    }

    /// @inheritdoc ITokenVestingStaking
    function snContribFactory() external view override returns (IServiceNodeContributionFactory) {
        return FACTORY;
    }

    /// @inheritdoc ITokenVestingStaking
    function vestedAmount(IERC20 token, uint256 timestamp) public view override returns (uint256) {
        // A cliff at the end: nothing before it, everything held from it on.
        return timestamp < END ? 0 : token.balanceOf(address(this));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Private
    // ----------------------------------------------------------------------------------------------------------------

    /// @dev The caller is the beneficiary, or the revoker once revoked ({CallerNotBeneficiary},
    /// {CallerNotRevoker}); the vesting has started ({VestingNotStarted}).
    function _checkStaker() private view {
        if (_revoked) {
            address revoker_ = _revoker;
            if (msg.sender != revoker_) revert CallerNotRevoker(msg.sender, revoker_);
        } else {
            address beneficiary_ = _beneficiary;
            if (msg.sender != beneficiary_) revert CallerNotBeneficiary(msg.sender, beneficiary_);
        }
        if (block.timestamp < START) revert VestingNotStarted(block.timestamp, START);
    }

    /// @dev Reverts {VestingNotEnded} before the end.
    function _checkEnded() private view {
        if (block.timestamp < END) revert VestingNotEnded(block.timestamp, END);
    }

    /// @dev `snContribAddr` as a contribution contract, if the factory opened it ({ContributionNotFromFactory}).
    function _factoryContribution(address snContribAddr) private view returns (IServiceNodeContribution) {
        IServiceNodeContributionFactory factory = FACTORY;
        if (!factory.owns(snContribAddr)) revert ContributionNotFromFactory(snContribAddr, address(factory));
        return IServiceNodeContribution(snContribAddr);
    }

    /// @dev Reverts {AllowanceNotSpent} if `spender` left any of the allowance it was given for the call.
    function _checkAllowanceSpent(address spender) private view {
        uint256 remaining = SESH_TOKEN.allowance(address(this), spender);
        if (remaining != 0) revert AllowanceNotSpent(spender, remaining);
    }

    /// @dev This contract's whole balance of `token`, which must not be 0 ({NothingToRelease}).
    function _balanceToPay(IERC20 token) private view returns (uint256 amount) {
        amount = token.balanceOf(address(this));
        if (amount == 0) revert NothingToRelease(token);
    }

    /// @dev Reverts {NotAContract} for an address without code.
    function _checkContract(address account) private view {
        if (account.code.length == 0) revert NotAContract(account);
    }

    /// @dev Who receives a stake's rewards: `snBeneficiary`, or this contract for 0 (never the zero address).
    function _rewardsBeneficiary(address snBeneficiary) private view returns (address) {
        return snBeneficiary == address(0) ? address(this) : snBeneficiary;
    }
}

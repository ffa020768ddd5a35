// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IServiceNodeContribution} from "./interfaces/IServiceNodeContribution.sol";
import {IServiceNodeRewards} from "./interfaces/IServiceNodeRewards.sol";
import {BN256G1} from "./libraries/BN256G1.sol";

/// @title A multi-contributor Session Node in the making (the implementation its clones run)
/// @notice See {IServiceNodeContribution}. The factory opens each node as a minimal clone of this contract with the
/// node's constants appended to the clone's code (OpenZeppelin `Clones.cloneWithImmutableArgs`) and initialises it
/// in the same transaction.
/// @dev The clone's code carries, abi-encoded, {Constants}: the factory, the rewards contract, SESH, the operator,
/// the staking requirement and maximum contributors the node was opened with, and the keys it was opened with. Code
/// costs 200 gas a byte once; a slot 22,100. Storage holds what changes: one slot of {State}, the contributors, the
/// reservations, and the keys only once the operator changes them (`State.keysUpdated`).
///
/// This contract itself (not a clone) is locked by its constructor: it can never be initialised, and without
/// initialisation no function but the views does anything (they read its own code as constants: meaningless).
contract ServiceNodeContribution is IServiceNodeContribution {
    using SafeERC20 for IERC20;

    /// @dev What never changes for a clone, in its code.
    struct Constants {
        address factory;
        IServiceNodeRewards rewards;
        IERC20 sesh;
        address operator;
        uint256 stakingRequirement;
        uint256 maxContributors;
        Keys keys;
    }

    /// @dev The node's keys: in the clone's code as opened, in storage once updated.
    struct Keys {
        BN256G1.G1Point blsPubkey;
        IServiceNodeRewards.BLSSignatureParams blsSignature;
        uint256 ed25519Pubkey;
        uint256 ed25519Signature1;
        uint256 ed25519Signature2;
    }

    /// @dev One slot, read by every call. Amounts fit 64 bits: the rewards contract keeps its requirement in 64.
    struct State {
        uint8 status;
        uint16 fee;
        bool manualFinalize;
        bool keysUpdated;
        bool initialized;
        uint64 totalContribution;
        // The reservations whose holders have not contributed yet.
        uint64 totalReservedUnfilled;
        uint8 contributorCount;
        uint8 reservedCount;
    }

    /// @dev A contributor's record (amount 0: none).
    struct Record {
        uint64 amount;
        uint40 timestamp;
        uint8 index;
    }

    /// @dev A reserved spot.
    struct Reservation {
        address addr;
        uint64 amount;
        bool received;
    }

    /// @inheritdoc IServiceNodeContribution
    uint16 public constant override MAX_FEE = 10_000;
    /// @inheritdoc IServiceNodeContribution
    uint64 public constant override WITHDRAWAL_DELAY = 1 days;
    /// @dev The operator contributes at least 1/4 of the requirement; the first contributor takes 1/4 of what is
    /// left in {calcMinimumContribution}.
    uint256 private constant OPERATOR_SHARE_DIVISOR = 4;

    State private _state;
    mapping(uint256 index => address) private _stakers;
    mapping(address staker => Record) private _records;
    // Only beneficiaries that differ from their staker.
    mapping(address staker => address) private _beneficiaries;
    mapping(uint256 index => Reservation) private _reservations;
    Keys private _updatedKeys;

    /// @dev This contract's own address: the implementation's, in every clone's code too (a clone runs it by
    /// delegatecall), so that a clone can tell it is not the implementation.
    address private immutable SELF;

    /// @dev Only the operator.
    modifier onlyOperator() {
        _checkOperator();
        _;
    }

    /// @notice Locks the implementation: only clones are set up.
    constructor() {
        SELF = address(this);
        _state.initialized = true;
    }

    /// @inheritdoc IServiceNodeContribution
    function initialize(
        uint16 fee,
        IServiceNodeRewards.ReservedContributor[] calldata reserved,
        bool manualFinalize_
    ) external override {
        Constants memory constants = _constants();
        if (msg.sender != constants.factory) revert OnlyFactoryInitializes(msg.sender, constants.factory);
        State memory state = _state;
        if (state.initialized) revert AlreadyInitialized();
        state.initialized = true;
        state.manualFinalize = manualFinalize_;
        _checkFee(fee);
        state.fee = fee;
        Keys memory keys = constants.keys;
        emit UpdatePubkeys(keys.blsPubkey, keys.ed25519Pubkey);
        emit UpdateFee(fee);
        _storeReservations(state, constants, reserved);
        emit UpdateManualFinalize(manualFinalize_);
        _state = state;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Contributions
    // ----------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IServiceNodeContribution
    function contributeFunds(uint256 amount, address beneficiary) external override {
        _contribute(_constants(), msg.sender, beneficiary, amount);
    }

    /// @inheritdoc IServiceNodeContribution
    function withdrawContribution() external override {
        State memory state = _state;
        if (state.status == uint8(Status.Finalized)) revert WithdrawNotPossible(state.status);
        Record memory record = _records[msg.sender];
        if (record.amount == 0) revert WithdrawalByNonContributor(msg.sender);
        Constants memory constants = _constants();
        if (msg.sender == constants.operator) {
            _reset(constants);
            return;
        }
        uint256 allowedFrom = uint256(record.timestamp) + WITHDRAWAL_DELAY;
        if (block.timestamp < allowedFrom) revert WithdrawTooEarly(record.timestamp, block.timestamp, WITHDRAWAL_DELAY);
        // Swap the last contributor into the leaver's place.
        uint8 last = state.contributorCount - 1;
        if (record.index != last) {
            address moved = _stakers[last];
            _stakers[record.index] = moved;
            _records[moved].index = record.index;
        }
        delete _stakers[last];
        delete _records[msg.sender];
        delete _beneficiaries[msg.sender];
        state.contributorCount = last;
        state.totalContribution -= record.amount;
        (uint256 index, Reservation memory reservation) = _findReservation(state, msg.sender);
        if (reservation.addr != address(0)) {
            _reservations[index].received = false;
            state.totalReservedUnfilled += reservation.amount;
        }
        if (state.status == uint8(Status.WaitForFinalized)) state.status = uint8(Status.OpenForPublicContrib);
        _state = state;
        emit WithdrawContribution(msg.sender, record.amount);
        constants.sesh.safeTransfer(msg.sender, record.amount);
    }

    /// @inheritdoc IServiceNodeContribution
    function finalize() external override onlyOperator {
        _finalize(_constants());
    }

    /// @inheritdoc IServiceNodeContribution
    function reset() external override onlyOperator {
        _reset(_constants());
    }

    /// @inheritdoc IServiceNodeContribution
    function resetUpdateAndContribute(
        BN256G1.G1Point calldata key,
        IServiceNodeRewards.BLSSignatureParams calldata sig,
        IServiceNodeRewards.ServiceNodeParams calldata params,
        IServiceNodeRewards.ReservedContributor[] calldata reserved,
        bool _manualFinalize,
        address beneficiary,
        uint256 amount
    ) external override onlyOperator {
        Constants memory constants = _constants();
        _reset(constants);
        _updatePubkeys(key, sig, params.serviceNodePubkey, params.serviceNodeSignature1, params.serviceNodeSignature2);
        State memory state = _state;
        _checkFee(params.fee);
        state.fee = params.fee;
        emit UpdateFee(params.fee);
        _storeReservations(state, constants, reserved);
        state.manualFinalize = _manualFinalize;
        emit UpdateManualFinalize(_manualFinalize);
        _state = state;
        _contribute(constants, msg.sender, beneficiary, amount);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // The operator's settings
    // ----------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IServiceNodeContribution
    function updatePubkeys(
        BN256G1.G1Point calldata newBLSPubkey,
        IServiceNodeRewards.BLSSignatureParams calldata newBLSSig,
        uint256 ed25519Pubkey,
        uint256 ed25519Sig0,
        uint256 ed25519Sig1
    ) external override onlyOperator {
        _checkWaitingForOperator(_state);
        _updatePubkeys(newBLSPubkey, newBLSSig, ed25519Pubkey, ed25519Sig0, ed25519Sig1);
    }

    /// @inheritdoc IServiceNodeContribution
    function updateFee(uint16 fee) external override onlyOperator {
        State memory state = _state;
        _checkWaitingForOperator(state);
        _checkFee(fee);
        _state.fee = fee;
        emit UpdateFee(fee);
    }

    /// @inheritdoc IServiceNodeContribution
    function updateReservedContributors(
        IServiceNodeRewards.ReservedContributor[] calldata reserved
    ) external override onlyOperator {
        State memory state = _state;
        _checkWaitingForOperator(state);
        _storeReservations(state, _constants(), reserved);
        _state = state;
    }

    /// @inheritdoc IServiceNodeContribution
    function updateManualFinalize(bool value) external override onlyOperator {
        _checkWaitingForOperator(_state);
        _state.manualFinalize = value;
        emit UpdateManualFinalize(value);
    }

    /// @inheritdoc IServiceNodeContribution
    function updateBeneficiary(address newBeneficiary) external override {
        State memory state = _state;
        if (state.status > uint8(Status.OpenForPublicContrib)) {
            revert BeneficiaryUpdatingDisabledNodeIsNotOpen(_keys(state).ed25519Pubkey);
        }
        if (_records[msg.sender].amount == 0) revert NonContributorUpdatedBeneficiary(msg.sender);
        address beneficiary = newBeneficiary == address(0) ? msg.sender : newBeneficiary;
        _setBeneficiary(msg.sender, beneficiary);
        emit UpdateStakerBeneficiary(msg.sender, beneficiary);
    }

    /// @inheritdoc IServiceNodeContribution
    function rescueERC20(address tokenAddress) external override onlyOperator {
        State memory state = _state;
        Constants memory constants = _constants();
        if (tokenAddress == address(constants.sesh) && state.status != uint8(Status.Finalized)) {
            revert RescueNotPossible(state.status);
        }
        uint256 balance = IERC20(tokenAddress).balanceOf(address(this));
        if (balance == 0) revert RescueBalanceIsEmpty(tokenAddress);
        IERC20(tokenAddress).safeTransfer(constants.operator, balance);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IServiceNodeContribution
    function SESH() external view override returns (address) {
        return address(_constants().sesh);
    }

    /// @inheritdoc IServiceNodeContribution
    function stakingRewardsContract() external view override returns (address) {
        return address(_constants().rewards);
    }

    /// @inheritdoc IServiceNodeContribution
    function stakingRequirement() external view override returns (uint256) {
        return _constants().stakingRequirement;
    }

    /// @inheritdoc IServiceNodeContribution
    function maxContributors() external view override returns (uint256) {
        return _constants().maxContributors;
    }

    /// @inheritdoc IServiceNodeContribution
    function operator() external view override returns (address) {
        return _constants().operator;
    }

    /// @inheritdoc IServiceNodeContribution
    function status() external view override returns (uint8) {
        return _state.status;
    }

    /// @inheritdoc IServiceNodeContribution
    function manualFinalize() external view override returns (bool) {
        return _state.manualFinalize;
    }

    /// @inheritdoc IServiceNodeContribution
    function blsPubkey() external view override returns (uint256 X, uint256 Y) {
        BN256G1.G1Point memory key = _keys(_state).blsPubkey;
        return (key.X, key.Y);
    }

    /// @inheritdoc IServiceNodeContribution
    function blsSignature() external view override returns (IServiceNodeRewards.BLSSignatureParams memory) {
        return _keys(_state).blsSignature;
    }

    /// @inheritdoc IServiceNodeContribution
    function _blsSignature()
        external
        view
        override
        returns (uint256 sigs0, uint256 sigs1, uint256 sigs2, uint256 sigs3)
    {
        IServiceNodeRewards.BLSSignatureParams memory sig = _keys(_state).blsSignature;
        return (sig.sigs0, sig.sigs1, sig.sigs2, sig.sigs3);
    }

    /// @inheritdoc IServiceNodeContribution
    function serviceNodeParams() external view override returns (IServiceNodeRewards.ServiceNodeParams memory) {
        State memory state = _state;
        return _params(_keys(state), state.fee);
    }

    /// @inheritdoc IServiceNodeContribution
    function _serviceNodeParams()
        external
        view
        override
        returns (uint256 serviceNodePubkey, uint256 serviceNodeSignature1, uint256 serviceNodeSignature2, uint16 fee)
    {
        State memory state = _state;
        IServiceNodeRewards.ServiceNodeParams memory params = _params(_keys(state), state.fee);
        return (params.serviceNodePubkey, params.serviceNodeSignature1, params.serviceNodeSignature2, params.fee);
    }

    /// @inheritdoc IServiceNodeContribution
    function contributorAddresses(uint256 index) public view override returns (IServiceNodeRewards.Staker memory) {
        // solhint-disable-next-line gas-strict-inequalities
        if (index >= _state.contributorCount) revert IndexOutOfRange(index, _state.contributorCount);
        address staker = _stakers[index];
        return IServiceNodeRewards.Staker(staker, _beneficiaryOf(staker));
    }

    /// @inheritdoc IServiceNodeContribution
    function _contributorAddresses(uint256 index) external view override returns (address addr, address beneficiary) {
        IServiceNodeRewards.Staker memory staker = contributorAddresses(index);
        return (staker.addr, staker.beneficiary);
    }

    /// @inheritdoc IServiceNodeContribution
    function contributorAddressesLength() external view override returns (uint256 result) {
        return _state.contributorCount;
    }

    /// @inheritdoc IServiceNodeContribution
    function contributions(address stakerAddr) external view override returns (uint256 amount) {
        return _records[stakerAddr].amount;
    }

    /// @inheritdoc IServiceNodeContribution
    function contributionTimestamp(address stakerAddr) external view override returns (uint256 amount) {
        return _records[stakerAddr].timestamp;
    }

    /// @inheritdoc IServiceNodeContribution
    function getContributions()
        external
        view
        override
        returns (address[] memory addrs, address[] memory beneficiaries, uint256[] memory contribs)
    {
        uint256 count = _state.contributorCount;
        addrs = new address[](count);
        beneficiaries = new address[](count);
        contribs = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            address staker = _stakers[i];
            addrs[i] = staker;
            beneficiaries[i] = _beneficiaryOf(staker);
            contribs[i] = _records[staker].amount;
        }
    }

    /// @inheritdoc IServiceNodeContribution
    function getReserved()
        external
        view
        override
        returns (address[] memory addrs, uint256[] memory contribs, bool[] memory received)
    {
        uint256 count = _state.reservedCount;
        addrs = new address[](count);
        contribs = new uint256[](count);
        received = new bool[](count);
        for (uint256 i = 0; i < count; ++i) {
            Reservation memory reservation = _reservations[i];
            addrs[i] = reservation.addr;
            contribs[i] = reservation.amount;
            received[i] = reservation.received;
        }
    }

    /// @inheritdoc IServiceNodeContribution
    function reservedContributions(address stakerAddr) external view override returns (uint256 amount, bool received) {
        (, Reservation memory reservation) = _findReservation(_state, stakerAddr);
        return (reservation.amount, reservation.received);
    }

    /// @inheritdoc IServiceNodeContribution
    function reservedContributionsAddresses(uint256 index) external view override returns (address) {
        // solhint-disable-next-line gas-strict-inequalities
        if (index >= _state.reservedCount) revert IndexOutOfRange(index, _state.reservedCount);
        return _reservations[index].addr;
    }

    /// @inheritdoc IServiceNodeContribution
    function operatorContribution() external view override returns (uint256 result) {
        return _records[_constants().operator].amount;
    }

    /// @inheritdoc IServiceNodeContribution
    function totalContribution() external view override returns (uint256 result) {
        return _state.totalContribution;
    }

    /// @inheritdoc IServiceNodeContribution
    function totalReservedContribution() external view override returns (uint256 result) {
        return _state.totalReservedUnfilled;
    }

    /// @inheritdoc IServiceNodeContribution
    function minimumContribution() external view override returns (uint256 result) {
        return _minimumContribution(_state, _constants());
    }

    /// @inheritdoc IServiceNodeContribution
    function calcMinimumContribution(
        uint256 contributionRemaining,
        uint256 numContributors,
        uint256 maxNumContributors
    ) public pure override returns (uint256 result) {
        // solhint-disable-next-line gas-strict-inequalities
        if (numContributors >= maxNumContributors) {
            revert CalcMinContributionGivenBadContribArgs(numContributors, maxNumContributors);
        }
        if (numContributors == 0) return Math.ceilDiv(contributionRemaining, OPERATOR_SHARE_DIVISOR);
        return Math.ceilDiv(contributionRemaining, maxNumContributors - numContributors);
    }

    /// @inheritdoc IServiceNodeContribution
    function minimumOperatorContribution(uint256 _stakingRequirement) public pure override returns (uint256 result) {
        return Math.ceilDiv(_stakingRequirement, OPERATOR_SHARE_DIVISOR);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Private
    // ----------------------------------------------------------------------------------------------------------------

    /// @dev The checks and bookkeeping of {contributeFunds}, in its order, for `caller`.
    function _contribute(Constants memory constants, address caller, address beneficiary, uint256 amount) private {
        State memory state = _state;
        if (state.status > uint8(Status.OpenForPublicContrib)) revert ContributeFundsNotPossible(state.status);
        if (state.status == uint8(Status.WaitForOperatorContrib) && caller != constants.operator) {
            revert FirstContributionMustBeOperator(caller, constants.operator);
        }
        _checkRewardsContract(constants);
        if (amount == 0) revert ZeroContribution();
        Record memory record = _records[caller];
        if (record.amount == 0) {
            record.index = _admit(state, constants, caller, beneficiary, amount);
        } else if (beneficiary != address(0)) {
            _setBeneficiary(caller, beneficiary);
        }
        uint256 total = uint256(state.totalContribution) + amount;
        if (total + state.totalReservedUnfilled > constants.stakingRequirement) {
            revert ContributionExceedsStakingRequirement(
                total,
                state.totalReservedUnfilled,
                constants.stakingRequirement
            );
        }
        // Both fit: total ≤ requirement < 2^64.
        state.totalContribution = uint64(total);
        record.amount += uint64(amount);
        record.timestamp = uint40(block.timestamp);
        _records[caller] = record;
        emit NewContribution(caller, _beneficiaryOf(caller), amount);
        if (state.status == uint8(Status.WaitForOperatorContrib)) {
            state.status = uint8(Status.OpenForPublicContrib);
            emit OpenForPublicContribution();
        }
        bool filled = total == constants.stakingRequirement;
        if (filled) {
            state.status = uint8(Status.WaitForFinalized);
            emit Filled();
        }
        _state = state;
        constants.sesh.safeTransferFrom(caller, address(this), amount);
        if (filled && !state.manualFinalize) _finalize(constants);
    }

    /// @dev A new contributor's checks (its reservation, else a spot and the minimum), in `state`: returns its index.
    function _admit(
        State memory state,
        Constants memory constants,
        address caller,
        address beneficiary,
        uint256 amount
    ) private returns (uint8 index) {
        (uint256 spot, Reservation memory reservation) = _findReservation(state, caller);
        if (reservation.addr != address(0)) {
            if (amount < reservation.amount) revert ContributionBelowReservedAmount(amount, reservation.amount);
            _reservations[spot].received = true;
            state.totalReservedUnfilled -= reservation.amount;
        } else {
            uint256 taken = uint256(state.contributorCount) + _unfilledReservations(state);
            // solhint-disable-next-line gas-strict-inequalities
            if (taken >= constants.maxContributors) revert MaxContributorsExceeded(constants.maxContributors);
            uint256 minimum = _minimumContribution(state, constants);
            if (amount < minimum) revert ContributionBelowMinAmount(amount, minimum);
        }
        index = state.contributorCount;
        _stakers[index] = caller;
        ++state.contributorCount;
        _setBeneficiary(caller, beneficiary == address(0) ? caller : beneficiary);
    }

    /// @dev Registers the node with its contributors, in order, and their beneficiaries.
    function _finalize(Constants memory constants) private {
        State memory state = _state;
        if (state.status != uint8(Status.WaitForFinalized)) revert FinalizeNotPossible(state.status);
        uint256 count = state.contributorCount;
        IServiceNodeRewards.Contributor[] memory contributors = new IServiceNodeRewards.Contributor[](count);
        for (uint256 i = 0; i < count; ++i) {
            address staker = _stakers[i];
            contributors[i] = IServiceNodeRewards.Contributor(
                IServiceNodeRewards.Staker(staker, _beneficiaryOf(staker)),
                _records[staker].amount
            );
        }
        _state.status = uint8(Status.Finalized);
        emit Finalized();
        Keys memory keys = _keys(state);
        constants.sesh.forceApprove(address(constants.rewards), constants.stakingRequirement);
        constants.rewards.addBLSPublicKey(keys.blsPubkey, keys.blsSignature, _params(keys, state.fee), contributors);
    }

    /// @dev Refunds every contribution (none once finalised: the stake is in the rewards contract), clears the
    /// contributors and reopens the reservations; waits for the operator again.
    function _reset(Constants memory constants) private {
        State memory state = _state;
        bool refund = state.status != uint8(Status.Finalized);
        uint256 count = state.contributorCount;
        address[] memory stakers = new address[](count);
        uint256[] memory amounts = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            address staker = _stakers[i];
            stakers[i] = staker;
            amounts[i] = _records[staker].amount;
            delete _stakers[i];
            delete _records[staker];
            delete _beneficiaries[staker];
        }
        uint256 reservedTotal = 0;
        for (uint256 i = 0; i < state.reservedCount; ++i) {
            _reservations[i].received = false;
            reservedTotal += _reservations[i].amount;
        }
        state.status = uint8(Status.WaitForOperatorContrib);
        state.contributorCount = 0;
        state.totalContribution = 0;
        // The reservations summed to at most the requirement when stored.
        state.totalReservedUnfilled = uint64(reservedTotal);
        _state = state;
        emit Reset();
        if (!refund) return;
        for (uint256 i = 0; i < count; ++i) {
            emit WithdrawContribution(stakers[i], amounts[i]);
            constants.sesh.safeTransfer(stakers[i], amounts[i]);
        }
    }

    /// @dev Checks and stores the reserved spots in `state` (written by the caller) and storage.
    function _storeReservations(
        State memory state,
        Constants memory constants,
        IServiceNodeRewards.ReservedContributor[] calldata reserved
    ) private {
        uint256 count = reserved.length;
        if (count > constants.maxContributors) revert TooManyReservedContributors(count, constants.maxContributors);
        uint256 remaining = constants.stakingRequirement;
        for (uint256 i = 0; i < count; ++i) {
            IServiceNodeRewards.ReservedContributor calldata spot = reserved[i];
            if (spot.addr == address(0)) revert ReservedContributorHasZeroAddress(i);
            if (i == 0 && spot.addr != constants.operator) {
                revert FirstReservedContributorMustBeOperator(i, constants.operator);
            }
            uint256 minimum =
                i == 0
                    ? minimumOperatorContribution(constants.stakingRequirement)
                    : calcMinimumContribution(remaining, i, constants.maxContributors);
            if (spot.amount < minimum) revert ReservedContributionBelowMinAmount(i, spot.amount, minimum);
            if (spot.amount > remaining)
                revert ReservedContributionExceedsStakingRequirement(i, spot.amount, remaining);
            for (uint256 j = 0; j < i; ++j) {
                if (reserved[j].addr == spot.addr) revert DuplicateAddressInReservedContributor(i);
            }
            remaining -= spot.amount;
            // Fits: amount ≤ requirement < 2^64.
            _reservations[i] = Reservation(spot.addr, uint64(spot.amount), false);
        }
        for (uint256 i = count; i < state.reservedCount; ++i) delete _reservations[i];
        // count ≤ maxContributors, which the rewards contract keeps below 256.
        state.reservedCount = uint8(count);
        state.totalReservedUnfilled = uint64(constants.stakingRequirement - remaining);
        emit UpdateReservedContributors(reserved);
    }

    /// @dev Stores new keys (the proof of possession is the rewards contract's to check at registration).
    function _updatePubkeys(
        BN256G1.G1Point calldata key,
        IServiceNodeRewards.BLSSignatureParams calldata sig,
        uint256 ed25519Pubkey,
        uint256 ed25519Sig0,
        uint256 ed25519Sig1
    ) private {
        _updatedKeys = Keys(key, sig, ed25519Pubkey, ed25519Sig0, ed25519Sig1);
        _state.keysUpdated = true;
        emit UpdatePubkeys(key, ed25519Pubkey);
    }

    /// @dev Stores `beneficiary` for `staker` (nothing when it is the staker itself).
    function _setBeneficiary(address staker, address beneficiary) private {
        if (beneficiary == staker) {
            if (_beneficiaries[staker] != address(0)) delete _beneficiaries[staker];
        } else {
            _beneficiaries[staker] = beneficiary;
        }
    }

    /// @dev The clone's constants, from its code; reverts {AlreadyInitialized} on the implementation, whose code
    /// carries none.
    function _constants() private view returns (Constants memory) {
        if (address(this) == SELF) revert AlreadyInitialized();
        return abi.decode(Clones.fetchCloneArgs(address(this)), (Constants));
    }

    /// @dev The node's keys: updated ones from storage, else those the clone was opened with.
    function _keys(State memory state) private view returns (Keys memory) {
        return state.keysUpdated ? _updatedKeys : _constants().keys;
    }

    /// @dev The node's parameters: the ed25519 key and signature of `keys`, and `fee`.
    function _params(Keys memory keys, uint16 fee) private pure returns (IServiceNodeRewards.ServiceNodeParams memory) {
        return
            IServiceNodeRewards.ServiceNodeParams(
                keys.ed25519Pubkey,
                keys.ed25519Signature1,
                keys.ed25519Signature2,
                fee
            );
    }

    /// @dev The reservation of `staker` and its index (addr 0: none).
    function _findReservation(
        State memory state,
        address staker
    ) private view returns (uint256 index, Reservation memory reservation) {
        for (index = 0; index < state.reservedCount; ++index) {
            reservation = _reservations[index];
            if (reservation.addr == staker) return (index, reservation);
        }
        return (0, Reservation(address(0), 0, false));
    }

    /// @dev The reserved spots whose holders have not contributed.
    function _unfilledReservations(State memory state) private view returns (uint256 count) {
        for (uint256 i = 0; i < state.reservedCount; ++i) {
            if (!_reservations[i].received) ++count;
        }
    }

    /// @dev {minimumContribution}.
    function _minimumContribution(State memory state, Constants memory constants) private view returns (uint256) {
        if (state.status == uint8(Status.WaitForOperatorContrib)) {
            return minimumOperatorContribution(constants.stakingRequirement);
        }
        uint256 remaining = constants.stakingRequirement - state.totalContribution - state.totalReservedUnfilled;
        uint256 taken = uint256(state.contributorCount) + _unfilledReservations(state);
        return calcMinimumContribution(remaining, taken, constants.maxContributors);
    }

    /// @dev The staker's beneficiary.
    function _beneficiaryOf(address staker) private view returns (address) {
        address beneficiary = _beneficiaries[staker];
        return beneficiary == address(0) ? staker : beneficiary;
    }

    /// @dev Reverts unless the rewards contract still has the requirement and maximum this contract was opened with.
    function _checkRewardsContract(Constants memory constants) private view {
        uint256 requirement = constants.rewards.stakingRequirement();
        if (requirement != constants.stakingRequirement) {
            revert RewardsContractStakingRequirementChanged(constants.stakingRequirement, requirement);
        }
        uint256 max = constants.rewards.maxContributors();
        if (max != constants.maxContributors)
            revert RewardsContractMaxContributorsChanged(constants.maxContributors, max);
    }

    /// @dev Reverts {FeeExceedsPossibleValue} above {MAX_FEE}.
    function _checkFee(uint16 fee) private pure {
        if (fee > MAX_FEE) revert FeeExceedsPossibleValue(fee, MAX_FEE);
    }

    /// @dev Reverts {RequireWaitForOperatorContribStatus} unless waiting for the operator.
    function _checkWaitingForOperator(State memory state) private pure {
        if (state.status != uint8(Status.WaitForOperatorContrib))
            revert RequireWaitForOperatorContribStatus(state.status);
    }

    /// @dev Reverts {OnlyOperatorIsAuthorised} for anyone but the operator.
    function _checkOperator() private view {
        address operator_ = _constants().operator;
        if (msg.sender != operator_) revert OnlyOperatorIsAuthorised(msg.sender, operator_);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IOxenClaimsBridge} from "./interfaces/IOxenClaimsBridge.sol";

/// @title Oxen claims bridge
/// @notice Pays SESH for OXEN burnt on the Oxen chain (Merkle epochs) and for wrapped OXEN; see {IOxenClaimsBridge}.
/// @dev Checks-effects-interactions throughout: a claim marks its leaf before any token moves, and a conversion
/// records the locked wOXEN before pulling it. Both tokens are fixed at deployment.
contract OxenClaimsBridge is IOxenClaimsBridge, Ownable2Step, Pausable {
    using SafeERC20 for IERC20;

    /// @inheritdoc IOxenClaimsBridge
    uint256 public constant override RATE_PRECISION = 1e9;

    /// @inheritdoc IOxenClaimsBridge
    uint256 public constant override MAX_RATE = 10 * RATE_PRECISION;

    /// @inheritdoc IOxenClaimsBridge
    uint256 public constant override MAX_BREAKPOINTS = 32;

    /// @dev Claimed flags are packed 256 to a storage word.
    uint256 private constant BITS_PER_WORD = 256;

    IERC20 private immutable SESH;
    IERC20 private immutable WRAPPED_OXEN;
    address private immutable SWEEP_RECIPIENT;
    uint256 private immutable OPENING_TIME;
    uint256 private immutable CLOSE_TIME;
    uint256 private immutable SCHEDULE_LENGTH;

    Breakpoint[] private _schedule;
    Epoch[] private _epochs;
    mapping(uint256 epoch => mapping(uint256 word => uint256 bits)) private _claimedBitmap;
    uint256 private _wrappedOxenLocked;

    /// @notice Deploys the bridge with its tokens, owner, rate schedule and close time, all fixed for its life.
    /// @param sesh_ The SESH token paid out.
    /// @param wrappedOxen_ The wOXEN token `convertWrapped` accepts (locked, never paid out).
    /// @param initialOwner Publishes epochs, pauses, sweeps.
    /// @param schedule_ Breakpoints: at least one, at most `MAX_BREAKPOINTS`, timestamps non-decreasing, each rate in
    /// (0, `MAX_RATE`].
    /// @param closeTime_ When claims close and sweeping opens; 0 for never, else after the first breakpoint.
    /// @param sweepRecipient_ Receives the SESH left after the close time.
    constructor(
        IERC20 sesh_,
        IERC20 wrappedOxen_,
        address initialOwner,
        Breakpoint[] memory schedule_,
        uint256 closeTime_,
        address sweepRecipient_
    ) Ownable(initialOwner) {
        if (address(sesh_) == address(0)) revert ZeroAddress("sesh");
        if (address(wrappedOxen_) == address(0)) revert ZeroAddress("wrappedOxen");
        if (sweepRecipient_ == address(0)) revert ZeroAddress("sweepRecipient");
        if (address(sesh_) == address(wrappedOxen_)) revert SameToken(address(sesh_));

        uint256 length = schedule_.length;
        if (length == 0) revert EmptySchedule();
        if (length > MAX_BREAKPOINTS) revert TooManyBreakpoints(length, MAX_BREAKPOINTS);
        for (uint256 i = 0; i < length; ++i) {
            Breakpoint memory point = schedule_[i];
            if (point.rate == 0 || point.rate > MAX_RATE) revert RateOutOfRange(i, point.rate, MAX_RATE);
            if (i > 0 && point.timestamp < schedule_[i - 1].timestamp) {
                revert BreakpointsOutOfOrder(i, point.timestamp, schedule_[i - 1].timestamp);
            }
            _schedule.push(point);
        }
        uint256 opening = schedule_[0].timestamp;
        // "closeTime_ <= opening", written strictly (opening < 2^64, so opening + 1 cannot overflow).
        if (closeTime_ != 0 && closeTime_ < opening + 1) revert CloseTimeNotAfterOpening(closeTime_, opening);

        SESH = sesh_;
        WRAPPED_OXEN = wrappedOxen_;
        SWEEP_RECIPIENT = sweepRecipient_;
        OPENING_TIME = opening;
        CLOSE_TIME = closeTime_;
        SCHEDULE_LENGTH = length;
    }

    /// @inheritdoc IOxenClaimsBridge
    function addEpoch(bytes32 root, uint256 totalOxen) external override onlyOwner returns (uint256 epoch) {
        if (root == bytes32(0)) revert ZeroRoot();
        epoch = _epochs.length;
        _epochs.push(Epoch({root: root, totalOxen: totalOxen}));
        emit EpochAdded(epoch, root, totalOxen);
    }

    /// @inheritdoc IOxenClaimsBridge
    function claim(
        uint256 epoch,
        uint256 index,
        address recipient,
        uint256 oxenAmount,
        bytes32[] calldata proof
    ) external override whenNotPaused returns (uint256 seshAmount) {
        uint256 epochCount_ = _epochs.length;
        if (!(epoch < epochCount_)) revert UnknownEpoch(epoch, epochCount_);
        uint256 rate = _checkOpenAndRate();
        _checkProof(epoch, index, recipient, oxenAmount, proof);
        seshAmount = _quote(oxenAmount, rate);
        _checkPool(seshAmount);

        _markClaimed(epoch, index);
        emit Claimed(epoch, index, recipient, oxenAmount, seshAmount, rate);

        SESH.safeTransfer(recipient, seshAmount);
    }

    /// @inheritdoc IOxenClaimsBridge
    function convertWrapped(uint256 amount) external override whenNotPaused returns (uint256 seshAmount) {
        if (amount == 0) revert ZeroAmount();
        uint256 rate = _checkOpenAndRate();
        seshAmount = _quote(amount, rate);
        if (seshAmount == 0) revert NothingToPay(amount, rate);
        _checkPool(seshAmount);

        _wrappedOxenLocked += amount;
        emit WrappedConverted(msg.sender, amount, seshAmount, rate);

        WRAPPED_OXEN.safeTransferFrom(msg.sender, address(this), amount);
        SESH.safeTransfer(msg.sender, seshAmount);
    }

    /// @inheritdoc IOxenClaimsBridge
    function sweep() external override onlyOwner returns (uint256 amount) {
        if (CLOSE_TIME == 0) revert NoCloseTime();
        if (block.timestamp < CLOSE_TIME) revert SweepBeforeClose(block.timestamp, CLOSE_TIME);
        amount = SESH.balanceOf(address(this));
        emit Swept(SWEEP_RECIPIENT, amount);
        SESH.safeTransfer(SWEEP_RECIPIENT, amount);
    }

    /// @inheritdoc IOxenClaimsBridge
    function pause() external override onlyOwner {
        _pause();
    }

    /// @inheritdoc IOxenClaimsBridge
    function unpause() external override onlyOwner {
        _unpause();
    }

    /// @inheritdoc IOxenClaimsBridge
    function sesh() external view override returns (address) {
        return address(SESH);
    }

    /// @inheritdoc IOxenClaimsBridge
    function wrappedOxen() external view override returns (address) {
        return address(WRAPPED_OXEN);
    }

    /// @inheritdoc IOxenClaimsBridge
    function sweepRecipient() external view override returns (address) {
        return SWEEP_RECIPIENT;
    }

    /// @inheritdoc IOxenClaimsBridge
    function conversionRateAt(uint256 timestamp) external view override returns (uint256) {
        return _conversionRateAt(timestamp);
    }

    /// @inheritdoc IOxenClaimsBridge
    function conversionRate() external view override returns (uint256) {
        return _conversionRateAt(block.timestamp);
    }

    /// @inheritdoc IOxenClaimsBridge
    function quote(uint256 oxenAmount, uint256 timestamp) external view override returns (uint256) {
        return _quote(oxenAmount, _conversionRateAt(timestamp));
    }

    /// @inheritdoc IOxenClaimsBridge
    function openingTime() external view override returns (uint256) {
        return OPENING_TIME;
    }

    /// @inheritdoc IOxenClaimsBridge
    function closeTime() external view override returns (uint256) {
        return CLOSE_TIME;
    }

    /// @inheritdoc IOxenClaimsBridge
    function schedule() external view override returns (Breakpoint[] memory) {
        return _schedule;
    }

    /// @inheritdoc IOxenClaimsBridge
    function epochCount() external view override returns (uint256) {
        return _epochs.length;
    }

    /// @inheritdoc IOxenClaimsBridge
    function epochAt(uint256 epoch) external view override returns (Epoch memory) {
        uint256 count = _epochs.length;
        if (!(epoch < count)) revert UnknownEpoch(epoch, count);
        return _epochs[epoch];
    }

    /// @inheritdoc IOxenClaimsBridge
    function isClaimed(uint256 epoch, uint256 index) external view override returns (bool) {
        return _isClaimed(epoch, index);
    }

    /// @inheritdoc IOxenClaimsBridge
    function wrappedOxenLocked() external view override returns (uint256) {
        return _wrappedOxenLocked;
    }

    /// @notice Ownership cannot be renounced: the bridge always needs an owner to pause, publish and sweep.
    /// @dev Always reverts with {OwnershipCannotBeRenounced}.
    function renounceOwnership() public view override onlyOwner {
        revert OwnershipCannotBeRenounced();
    }

    /// @dev Reverts unless claims are open now; returns the rate now (positive once open: every rate is).
    function _checkOpenAndRate() internal view returns (uint256 rate) {
        if (block.timestamp < OPENING_TIME) revert ClaimsNotOpen(block.timestamp, OPENING_TIME);
        if (CLOSE_TIME != 0 && !(block.timestamp < CLOSE_TIME)) revert ClaimsClosed(block.timestamp, CLOSE_TIME);
        rate = _conversionRateAt(block.timestamp);
    }

    /// @dev Reverts unless the leaf `(index, recipient, oxenAmount)` is unclaimed and in the epoch's tree.
    function _checkProof(
        uint256 epoch,
        uint256 index,
        address recipient,
        uint256 oxenAmount,
        bytes32[] calldata proof
    ) internal view {
        if (_isClaimed(epoch, index)) revert AlreadyClaimed(epoch, index);
        // StandardMerkleTree leaf: the double hash keeps a leaf from ever equalling an inner node (64 bytes).
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(index, recipient, oxenAmount))));
        if (!MerkleProof.verifyCalldata(proof, _epochs[epoch].root, leaf)) {
            revert InvalidProof(epoch, index, recipient, oxenAmount);
        }
    }

    /// @dev Sets the leaf's claimed flag.
    function _markClaimed(uint256 epoch, uint256 index) internal {
        _claimedBitmap[epoch][index / BITS_PER_WORD] |= 1 << (index % BITS_PER_WORD);
    }

    /// @dev Whether the leaf's claimed flag is set.
    function _isClaimed(uint256 epoch, uint256 index) internal view returns (bool) {
        return _claimedBitmap[epoch][index / BITS_PER_WORD] & (1 << (index % BITS_PER_WORD)) != 0;
    }

    /// @dev Reverts unless the bridge holds `seshAmount` SESH: a claim is paid whole or not at all.
    function _checkPool(uint256 seshAmount) internal view {
        uint256 available = SESH.balanceOf(address(this));
        if (seshAmount > available) revert InsufficientPool(seshAmount, available);
    }

    /// @dev `oxenAmount × rate / 10^9`, rounded down (in the pool's favour).
    function _quote(uint256 oxenAmount, uint256 rate) internal pure returns (uint256) {
        return (oxenAmount * rate) / RATE_PRECISION;
    }

    /// @dev Binary search for the last breakpoint at or before `timestamp` (the later one where two share a
    /// timestamp, which makes the step), then linear interpolation towards the next one.
    function _conversionRateAt(uint256 timestamp) internal view returns (uint256) {
        // `low` ends as the number of breakpoints with a timestamp at or before `timestamp`.
        uint256 low = 0;
        uint256 high = SCHEDULE_LENGTH;
        while (low < high) {
            uint256 middle = (low + high) / 2;
            if (_schedule[middle].timestamp > timestamp) high = middle;
            else low = middle + 1;
        }
        if (low == 0) return 0;
        Breakpoint memory from = _schedule[low - 1];
        if (low == SCHEDULE_LENGTH) return from.rate;
        Breakpoint memory to = _schedule[low];

        // from.timestamp ≤ timestamp < to.timestamp, so the span is positive. Rates are at most 10^10 (< 2^34) and
        // times below 2^64, so the products fit easily in 256 bits.
        uint256 elapsed = timestamp - from.timestamp;
        uint256 span = uint256(to.timestamp) - from.timestamp;
        if (to.rate < from.rate) {
            // Falling: the decrease rounded up, so the rate is still rounded down.
            uint256 drop = uint256(from.rate) - to.rate;
            return from.rate - (drop * elapsed + span - 1) / span;
        }
        // Rising (or flat): the increase rounded down.
        return from.rate + ((uint256(to.rate) - from.rate) * elapsed) / span;
    }
}

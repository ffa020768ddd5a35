// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {Managed} from "./access/Managed.sol";
import {IOxenClaimsBridge} from "./interfaces/IOxenClaimsBridge.sol";

/// @title Oxen claims bridge
/// @notice Pays SESH for OXEN burnt on the Oxen chain (Merkle epochs) and for wrapped OXEN; see {IOxenClaimsBridge}.
/// @dev Checks-effects-interactions throughout: a claim marks its leaf and counts its OXEN before any token moves, and
/// a conversion records the locked wOXEN before pulling it. Both tokens, the rate schedule and the close time are
/// fixed at deployment; the schedule lives in immutables (the bridge's code), so a claim reads it without touching
/// storage. A claim reads four storage slots, each once: the pause flag, the epoch's root, the epoch's packed
/// accounting (declared total, claimed amount, revoked flag) and the bitmap word of its leaf.
/// The owner's controls (two-step ownership that cannot be renounced, pause, rescue) come from {Managed}; the bridge
/// only says, in `_rescuableSurplus`, which tokens it owes.
contract OxenClaimsBridge is IOxenClaimsBridge, Managed {
    using SafeERC20 for IERC20;

    /// @dev A published epoch: its root in one slot, everything a claim updates packed in the next one.
    /// @param root Root of the epoch's Merkle tree (never zero once published, so zero means "no such epoch").
    /// @param tally The declared total in bits 0–119 (at most `MAX_EPOCH_TOTAL`), the OXEN claimed so far in bits
    /// 120–239 (never above the total, so it fits the same width and a claim's addition never carries out of it),
    /// and the revoked flag in bit 240. Kept as one word so that a claim reads it once and writes it once.
    struct EpochRecord {
        bytes32 root;
        uint256 tally;
    }

    /// @inheritdoc IOxenClaimsBridge
    uint256 public constant override RATE_PRECISION = 1e9;

    /// @inheritdoc IOxenClaimsBridge
    uint256 public constant override MAX_RATE = 10 * RATE_PRECISION;

    /// @inheritdoc IOxenClaimsBridge
    /// @dev Eight (it was 32 when the schedule was in storage): the schedule is kept in `SCHEDULE_WORDS` immutables of
    /// two breakpoints each, so that a claim reads code, not storage, and each word costs a branch in
    /// `_packedBreakpointAt`. The launch schedule has three breakpoints; eight leave room for an opening, two steps
    /// and two decays.
    uint256 public constant override MAX_BREAKPOINTS = 8;

    /// @inheritdoc IOxenClaimsBridge
    /// @dev The width of the total in `EpochRecord.tally`, so that a total, its claimed amount and the revoked flag
    /// share one storage slot (120 + 120 + 1 bits).
    uint256 public constant override MAX_EPOCH_TOTAL = type(uint120).max;

    /// @dev Layout of `EpochRecord.tally`.
    uint256 private constant TALLY_AMOUNT_MASK = MAX_EPOCH_TOTAL;
    uint256 private constant TALLY_CLAIMED_SHIFT = 120;
    uint256 private constant TALLY_REVOKED = 1 << 240;

    /// @dev Claimed flags are packed 256 to a storage word.
    uint256 private constant BITS_PER_WORD = 256;

    /// @dev A packed breakpoint is 128 bits: its timestamp in the upper 64, its rate in the lower 64. Two share a
    /// word: breakpoint `i` is in word `i / 2`, in its lower half when `i` is even.
    uint256 private constant BREAKPOINT_BITS = 128;
    uint256 private constant BREAKPOINTS_PER_WORD = 2;
    uint256 private constant SCHEDULE_WORDS = MAX_BREAKPOINTS / BREAKPOINTS_PER_WORD;
    uint256 private constant RATE_BITS = 64;
    uint256 private constant RATE_MASK = type(uint64).max;
    uint256 private constant BREAKPOINT_MASK = type(uint128).max;

    IERC20 private immutable SESH;
    IERC20 private immutable WRAPPED_OXEN;
    address private immutable SWEEP_RECIPIENT;
    uint256 private immutable OPENING_TIME;
    uint256 private immutable CLOSE_TIME;
    uint256 private immutable SCHEDULE_LENGTH;
    /// @dev The `SCHEDULE_WORDS` (four) words of packed breakpoints; unused halves are zero.
    uint256 private immutable SCHEDULE_WORD_0;
    uint256 private immutable SCHEDULE_WORD_1;
    uint256 private immutable SCHEDULE_WORD_2;
    uint256 private immutable SCHEDULE_WORD_3;

    mapping(uint256 epoch => EpochRecord record) private _epochs;
    uint256 private _epochCount;
    mapping(uint256 epoch => mapping(uint256 word => uint256 bits)) private _claimedBitmap;
    uint256 private _wrappedOxenLocked;

    /// @notice Deploys the bridge with its tokens, owner, rate schedule and close time, all fixed for its life.
    /// @dev The close time can never be set or moved later: without one (0) the owner can never end the program
    /// early, and the surplus SESH stays in the bridge for good (the chosen trust model; see {IOxenClaimsBridge}).
    /// @param sesh_ The SESH token paid out.
    /// @param wrappedOxen_ The wOXEN token `convertWrapped` accepts (locked, never paid out).
    /// @param initialOwner Publishes and revokes epochs, pauses, sweeps, rescues stray tokens.
    /// @param schedule_ Breakpoints: at least one, at most `MAX_BREAKPOINTS`, timestamps non-decreasing and the first
    /// one not 0, each rate in (0, `MAX_RATE`].
    /// @param closeTime_ When claims close and sweeping opens; 0 for never, else after the first breakpoint.
    /// @param sweepRecipient_ Receives the SESH left after the close time.
    constructor(
        IERC20 sesh_,
        IERC20 wrappedOxen_,
        address initialOwner,
        Breakpoint[] memory schedule_,
        uint256 closeTime_,
        address sweepRecipient_
    ) Managed(initialOwner) {
        if (address(sesh_) == address(0)) revert ZeroAddress("sesh");
        if (address(wrappedOxen_) == address(0)) revert ZeroAddress("wrappedOxen");
        if (sweepRecipient_ == address(0)) revert ZeroAddress("sweepRecipient");
        if (address(sesh_) == address(wrappedOxen_)) revert SameToken(address(sesh_));

        uint256 length = schedule_.length;
        if (length == 0) revert EmptySchedule();
        if (length > MAX_BREAKPOINTS) revert TooManyBreakpoints(length, MAX_BREAKPOINTS);
        uint256[SCHEDULE_WORDS] memory words;
        for (uint256 i = 0; i < length; ++i) {
            Breakpoint memory point = schedule_[i];
            if (point.rate == 0 || point.rate > MAX_RATE) revert RateOutOfRange(i, point.rate, MAX_RATE);
            if (i > 0 && point.timestamp < schedule_[i - 1].timestamp) {
                revert BreakpointsOutOfOrder(i, point.timestamp, schedule_[i - 1].timestamp);
            }
            uint256 packed = (uint256(point.timestamp) << RATE_BITS) | point.rate;
            words[i / BREAKPOINTS_PER_WORD] |= packed << ((i % BREAKPOINTS_PER_WORD) * BREAKPOINT_BITS);
        }
        uint256 opening = schedule_[0].timestamp;
        if (opening == 0) revert ZeroOpeningTime();
        // "closeTime_ <= opening", written strictly (opening < 2^64, so opening + 1 cannot overflow).
        if (closeTime_ != 0 && closeTime_ < opening + 1) revert CloseTimeNotAfterOpening(closeTime_, opening);

        SESH = sesh_;
        WRAPPED_OXEN = wrappedOxen_;
        SWEEP_RECIPIENT = sweepRecipient_;
        OPENING_TIME = opening;
        CLOSE_TIME = closeTime_;
        SCHEDULE_LENGTH = length;
        SCHEDULE_WORD_0 = words[0];
        SCHEDULE_WORD_1 = words[1];
        SCHEDULE_WORD_2 = words[2];
        SCHEDULE_WORD_3 = words[3];
    }

    /// @inheritdoc IOxenClaimsBridge
    function addEpoch(bytes32 root, uint256 totalOxen) external override onlyOwner returns (uint256 epoch) {
        if (root == bytes32(0)) revert ZeroRoot();
        if (totalOxen > MAX_EPOCH_TOTAL) revert EpochTotalTooLarge(totalOxen, MAX_EPOCH_TOTAL);
        epoch = _epochCount;
        _epochCount = epoch + 1;
        // Nothing claimed, not revoked: the tally is the total alone (it fits its 120 bits, checked above).
        _epochs[epoch] = EpochRecord({root: root, tally: totalOxen});
        emit EpochAdded(epoch, root, totalOxen);
    }

    /// @inheritdoc IOxenClaimsBridge
    function revokeEpoch(uint256 epoch) external override onlyOwner {
        uint256 count = _epochCount;
        if (!(epoch < count)) revert UnknownEpoch(epoch, count);
        EpochRecord storage record = _epochs[epoch];
        uint256 tally = record.tally;
        if (tally & TALLY_REVOKED != 0) revert EpochIsRevoked(epoch);
        record.tally = tally | TALLY_REVOKED;
        emit EpochRevoked(epoch, _claimedOf(tally), _totalOf(tally));
    }

    /// @inheritdoc IOxenClaimsBridge
    function claim(
        uint256 epoch,
        uint256 index,
        address recipient,
        uint256 oxenAmount,
        bytes32[] calldata proof
    ) external override whenNotPaused returns (uint256 seshAmount) {
        if (recipient == address(0)) revert ZeroRecipient(epoch, index);
        EpochRecord storage record = _epochs[epoch];
        _checkProof(epoch, index, recipient, oxenAmount, proof, record.root);
        uint256 rate = _checkOpenAndRate();
        _markClaimed(epoch, index);
        seshAmount = _countClaimed(record, epoch, oxenAmount, rate);
        emit Claimed(epoch, index, recipient, oxenAmount, seshAmount, rate);

        _pay(recipient, seshAmount);
    }

    /// @inheritdoc IOxenClaimsBridge
    function convertWrapped(uint256 amount) external override whenNotPaused returns (uint256 seshAmount) {
        if (amount == 0) revert ZeroAmount();
        uint256 rate = _checkOpenAndRate();
        seshAmount = _quote(amount, rate);
        if (seshAmount == 0) revert NothingToPay(amount, rate);

        _wrappedOxenLocked += amount;
        emit WrappedConverted(msg.sender, amount, seshAmount, rate);

        WRAPPED_OXEN.safeTransferFrom(msg.sender, address(this), amount);
        _pay(msg.sender, seshAmount);
    }

    /// @inheritdoc IOxenClaimsBridge
    function sweep() external override onlyOwner whenNotPaused returns (uint256 amount) {
        if (CLOSE_TIME == 0) revert NoCloseTime();
        if (block.timestamp < CLOSE_TIME) revert SweepBeforeClose(block.timestamp, CLOSE_TIME);
        amount = SESH.balanceOf(address(this));
        emit Swept(SWEEP_RECIPIENT, amount);
        SESH.safeTransfer(SWEEP_RECIPIENT, amount);
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
    function schedule() external view override returns (Breakpoint[] memory points) {
        uint256 length = SCHEDULE_LENGTH;
        points = new Breakpoint[](length);
        for (uint256 i = 0; i < length; ++i) {
            uint256 packed = _packedBreakpointAt(i);
            // Both casts are exact: they undo the packing of a uint64 timestamp and a uint64 rate.
            points[i] = Breakpoint({timestamp: uint64(packed >> RATE_BITS), rate: uint64(packed & RATE_MASK)});
        }
    }

    /// @inheritdoc IOxenClaimsBridge
    function epochCount() external view override returns (uint256) {
        return _epochCount;
    }

    /// @inheritdoc IOxenClaimsBridge
    function epochAt(uint256 epoch) external view override returns (Epoch memory) {
        uint256 count = _epochCount;
        if (!(epoch < count)) revert UnknownEpoch(epoch, count);
        EpochRecord storage record = _epochs[epoch];
        uint256 tally = record.tally;
        return
            Epoch({
                root: record.root,
                totalOxen: _totalOf(tally),
                claimedOxen: _claimedOf(tally),
                revoked: tally & TALLY_REVOKED != 0
            });
    }

    /// @inheritdoc IOxenClaimsBridge
    function isClaimed(uint256 epoch, uint256 index) external view override returns (bool) {
        return _claimedBitmap[epoch][index / BITS_PER_WORD] & (1 << (index % BITS_PER_WORD)) != 0;
    }

    /// @inheritdoc IOxenClaimsBridge
    function wrappedOxenLocked() external view override returns (uint256) {
        return _wrappedOxenLocked;
    }

    /// @notice What `rescueERC20` may send of `token`: never SESH, all of which is owed to claimants (`sweep`, after
    /// the close time, is its only way out); wOXEN only above what conversions locked; any other token in full.
    /// @dev Reverts {TokenNotRescuable} for SESH.
    /// @param token The token asked for.
    /// @return The bridge's balance of `token`, less `wrappedOxenLocked()` for wOXEN.
    function _rescuableSurplus(IERC20 token) internal view override returns (uint256) {
        if (token == SESH) revert TokenNotRescuable(address(token));
        uint256 balance = token.balanceOf(address(this));
        // The bridge holds at least the wOXEN it locked (only a rescue moves wOXEN out, and only the surplus); were
        // the token to shrink its balance anyway, nothing would count as surplus.
        if (token == WRAPPED_OXEN) return Math.saturatingSub(balance, _wrappedOxenLocked);
        return balance;
    }

    /// @dev Reverts unless claims are open now; returns the rate now (positive once open: every rate is).
    function _checkOpenAndRate() internal view returns (uint256 rate) {
        if (block.timestamp < OPENING_TIME) revert ClaimsNotOpen(block.timestamp, OPENING_TIME);
        if (CLOSE_TIME != 0 && !(block.timestamp < CLOSE_TIME)) revert ClaimsClosed(block.timestamp, CLOSE_TIME);
        rate = _conversionRateAt(block.timestamp);
    }

    /// @dev Reverts unless the epoch is published (its root is not zero) and the proof shows the leaf
    /// `(index, recipient, oxenAmount)` in its tree.
    function _checkProof(
        uint256 epoch,
        uint256 index,
        address recipient,
        uint256 oxenAmount,
        bytes32[] calldata proof,
        bytes32 root
    ) internal view {
        // Roots are never zero, so a zero root is an epoch never published; the count is read only to report it.
        if (root == bytes32(0)) revert UnknownEpoch(epoch, _epochCount);
        // StandardMerkleTree leaf: the double hash keeps a leaf from ever equalling an inner node (64 bytes).
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(index, recipient, oxenAmount))));
        if (_processProof(proof, leaf) != root) revert InvalidProof(epoch, index, recipient, oxenAmount);
    }

    /// @dev The root that `proof` leads to from `leaf`, hashing sorted pairs: what OpenZeppelin's
    /// `MerkleProof.processProofCalldata` computes (and what `StandardMerkleTree` proves), in a loop of its own that
    /// costs about 2,000 gas less on a 17-hash proof (no bounds check or call per sibling).
    function _processProof(bytes32[] calldata proof, bytes32 leaf) private pure returns (bytes32 node) {
        // Invariant: the loop reads exactly the `proof.length` words of the proof in calldata, in order (the ABI
        // decoder has already checked that they lie inside the calldata), and writes memory only in the scratch
        // space 0x00–0x3f, which Solidity lets inline assembly use freely: the free memory pointer and everything
        // allocated are untouched. Each step hashes (min(node, sibling), max(node, sibling)), as OpenZeppelin's
        // `Hashes.commutativeKeccak256`. Attacked by the tests "the proof loop (inline assembly)" (mutated proofs,
        // calldata that runs past its end, a deep tree's event data) and by the property test that holds every honest
        // and mutated proof against the JS verifier.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            node := leaf
            let end := add(proof.offset, shl(5, proof.length))
            for {
                let position := proof.offset
            } lt(position, end) {
                position := add(position, 0x20)
            } {
                let sibling := calldataload(position)
                switch lt(node, sibling)
                case 0 {
                    mstore(0x00, sibling)
                    mstore(0x20, node)
                }
                default {
                    mstore(0x00, node)
                    mstore(0x20, sibling)
                }
                node := keccak256(0x00, 0x40)
            }
        }
    }

    /// @dev Sets the leaf's claimed flag, reverting if it was set: one read and one write of its bitmap word.
    function _markClaimed(uint256 epoch, uint256 index) internal {
        mapping(uint256 word => uint256 bits) storage bitmap = _claimedBitmap[epoch];
        uint256 wordIndex = index / BITS_PER_WORD;
        uint256 bit = 1 << (index % BITS_PER_WORD);
        uint256 word = bitmap[wordIndex];
        if (word & bit != 0) revert AlreadyClaimed(epoch, index);
        bitmap[wordIndex] = word | bit;
    }

    /// @dev Counts a leaf's OXEN against its epoch and returns the SESH it pays at `rate`: reverts if the epoch is
    /// revoked, if the leaf would take it past its declared total, or if it pays nothing. One read and one write of
    /// the epoch's packed slot.
    function _countClaimed(
        EpochRecord storage record,
        uint256 epoch,
        uint256 oxenAmount,
        uint256 rate
    ) internal returns (uint256 seshAmount) {
        uint256 tally = record.tally;
        if (tally & TALLY_REVOKED != 0) revert EpochIsRevoked(epoch);
        uint256 total = _totalOf(tally);
        uint256 claimed = _claimedOf(tally);
        // "claimed + oxenAmount > total" without the sum, which a huge leaf amount would overflow; claimed ≤ total
        // always holds, so the difference cannot underflow.
        if (oxenAmount > total - claimed) revert EpochTotalExceeded(epoch, claimed, total);
        seshAmount = _quote(oxenAmount, rate);
        if (seshAmount == 0) revert NothingToPay(oxenAmount, rate);
        // Adds to the claimed field alone: claimed + oxenAmount ≤ total < 2^120 (checked above), so nothing carries
        // into the revoked bit, and oxenAmount < 2^120 so the shift loses nothing.
        record.tally = tally + (oxenAmount << TALLY_CLAIMED_SHIFT);
    }

    /// @dev Pays `seshAmount` SESH to `to`, whole or not at all. The pool is not checked beforehand (that would cost
    /// a call and a balance read on every claim): the transfer is tried, and only when it fails is the balance read,
    /// to revert with `InsufficientPool(needed, available)` when it was too small (the only way a SESH transfer to a
    /// non-zero address fails) or with SafeERC20's own error otherwise.
    function _pay(address to, uint256 seshAmount) internal {
        if (SESH.trySafeTransfer(to, seshAmount)) return;
        uint256 available = SESH.balanceOf(address(this));
        if (seshAmount > available) revert InsufficientPool(seshAmount, available);
        revert SafeERC20.SafeERC20FailedOperation(address(SESH));
    }

    /// @dev The declared total in an epoch's tally.
    function _totalOf(uint256 tally) private pure returns (uint256) {
        return tally & TALLY_AMOUNT_MASK;
    }

    /// @dev The OXEN claimed so far in an epoch's tally.
    function _claimedOf(uint256 tally) private pure returns (uint256) {
        return (tally >> TALLY_CLAIMED_SHIFT) & TALLY_AMOUNT_MASK;
    }

    /// @dev `oxenAmount × rate / 10^9`, rounded down (in the pool's favour), with a 512-bit product so that no amount
    /// overflows: the quotient fits in 256 bits exactly when the product's upper word is below the divisor.
    function _quote(uint256 oxenAmount, uint256 rate) internal pure returns (uint256) {
        (uint256 high, uint256 low) = Math.mul512(oxenAmount, rate);
        // Every claim, and any conversion of less than 2^222 atoms: the product fits in one word.
        if (high == 0) return low / RATE_PRECISION;
        if (!(high < RATE_PRECISION)) revert QuoteOverflow(oxenAmount, rate);
        return Math.mulDiv(oxenAmount, rate, RATE_PRECISION);
    }

    /// @dev Scans back from the last breakpoint to the last one at or before `timestamp` (the later one where two
    /// share a timestamp, which makes the step), then interpolates linearly towards the one after it. `timestamp` is
    /// only compared until it is known to lie below a breakpoint's (a uint64), so any uint256 works.
    function _conversionRateAt(uint256 timestamp) internal view returns (uint256) {
        uint256 i = SCHEDULE_LENGTH - 1;
        uint256 point = _packedBreakpointAt(i);
        if (!(point >> RATE_BITS > timestamp)) return point & RATE_MASK;
        uint256 next;
        do {
            if (i == 0) return 0;
            next = point;
            // i > 0, checked just above.
            unchecked {
                --i;
            }
            point = _packedBreakpointAt(i);
        } while (point >> RATE_BITS > timestamp);

        // fromTime ≤ timestamp < toTime < 2^64, so the differences are positive and below 2^64; rates are at most
        // 10^10 < 2^34, so every product is below 2^98: nothing here can overflow or underflow, and the span is
        // positive.
        unchecked {
            uint256 fromTime = point >> RATE_BITS;
            uint256 fromRate = point & RATE_MASK;
            uint256 toRate = next & RATE_MASK;
            uint256 elapsed = timestamp - fromTime;
            uint256 span = (next >> RATE_BITS) - fromTime;
            if (toRate < fromRate) {
                // Falling: the decrease rounded up, so the rate is still rounded down.
                return fromRate - ((fromRate - toRate) * elapsed + span - 1) / span;
            }
            // Rising (or flat): the increase rounded down.
            return fromRate + ((toRate - fromRate) * elapsed) / span;
        }
    }

    /// @dev Breakpoint `i` (below `SCHEDULE_LENGTH`) as packed in the schedule's immutables: its timestamp above bit
    /// 64, its rate below.
    function _packedBreakpointAt(uint256 i) private view returns (uint256) {
        uint256 word =
            i < BREAKPOINTS_PER_WORD
                ? SCHEDULE_WORD_0
                : i < 2 * BREAKPOINTS_PER_WORD
                    ? SCHEDULE_WORD_1
                    : i < 3 * BREAKPOINTS_PER_WORD
                        ? SCHEDULE_WORD_2
                        : SCHEDULE_WORD_3;
        return i % BREAKPOINTS_PER_WORD == 0 ? word & BREAKPOINT_MASK : word >> BREAKPOINT_BITS;
    }
}

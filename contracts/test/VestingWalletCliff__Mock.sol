// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Test doubles are named X__Mock (STYLE.md), which this rule does not know.
// solhint-disable contract-name-capwords

import {VestingWallet} from "@openzeppelin/contracts/finance/VestingWallet.sol";
import {VestingWalletCliff} from "@openzeppelin/contracts/finance/VestingWalletCliff.sol";

/// @title OpenZeppelin vesting wallet with a cliff, as a look-alike
/// @notice OpenZeppelin's VestingWalletCliff made deployable: it has `cliff()`, `end()`, `released(address)` and
/// `releasable(address)` like a TokenVestingNoStaking, but none of its parties' views. For tests of tools that tell
/// the vesting contracts apart by their views.
contract VestingWalletCliff__Mock is VestingWalletCliff {
    /// @notice Deploys the wallet.
    /// @param beneficiary Its owner, who receives the releases.
    /// @param startTimestamp When the vesting starts (Unix seconds).
    /// @param durationSeconds How long it lasts.
    /// @param cliffSeconds How long after the start nothing vests.
    constructor(
        address beneficiary,
        uint64 startTimestamp,
        uint64 durationSeconds,
        uint64 cliffSeconds
    ) VestingWallet(beneficiary, startTimestamp, durationSeconds) VestingWalletCliff(cliffSeconds) {}
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title One-shot splitter of a token's genesis supply (the TGE allocation)
/// @notice Receives a token's whole supply when the token is constructed (it is the token's genesis receiver) and
/// splits it by the allocation table in one transaction: every line is paid, or none is. The TGE is deployed as an
/// Ignition module (deploy/modules/TGE.ts): this contract, then SESH minting its supply to it, then {split}.
///
/// Only the account that deployed it may call {split}, and only once successfully; a call that reverts can be
/// repeated with corrected arguments. After the split the contract holds nothing and has no other function: a
/// token sent to it afterwards stays there.
interface IGenesisSplitter {
    /// @notice {split} was called by another account than the one that deployed the splitter.
    /// @param caller The account that called.
    /// @param deployer The account that deployed the splitter, the only one allowed.
    error NotDeployer(address caller, address deployer);

    /// @notice {split} was called after a successful split.
    /// @param token The token that was split.
    error AlreadySplit(IERC20 token);

    /// @notice The splitter holds none of `token`: there is nothing to split.
    /// @param token The token given.
    error NothingToSplit(IERC20 token);

    /// @notice The recipient and amount lists have different lengths.
    /// @param recipients The number of recipients given.
    /// @param amounts The number of amounts given.
    error LengthMismatch(uint256 recipients, uint256 amounts);

    /// @notice The line at `index` goes to the zero address or to the splitter itself, where it would be lost.
    /// @param index The line's position in the lists.
    /// @param recipient The recipient given.
    error InvalidRecipient(uint256 index, address recipient);

    /// @notice The line at `index` has an amount of 0.
    /// @param index The line's position in the lists.
    error ZeroAmount(uint256 index);

    /// @notice The line at `index` asks for more than the lines before it left of the balance.
    /// @param index The line's position in the lists.
    /// @param amount The line's amount, in token atoms.
    /// @param unallocated What the lines before it left of the balance, in token atoms.
    error AllocationExceedsBalance(uint256 index, uint256 amount, uint256 unallocated);

    /// @notice The lines sum to less than the balance: the rest would be left in the splitter.
    /// @param allocated The sum of the amounts, in token atoms.
    /// @param balance The splitter's balance of the token, in token atoms.
    error AllocationBelowBalance(uint256 allocated, uint256 balance);

    /// @notice The whole balance of `token` was paid out, `lines` transfers in total.
    /// @param token The token split.
    /// @param lines The number of lines paid.
    /// @param total The amount paid out, in token atoms: the splitter's whole balance.
    event Split(IERC20 indexed token, uint256 lines, uint256 total);

    /// @notice Pays `amounts[i]` of `token` to `recipients[i]` for every line, in order, and checks first that the
    /// amounts sum exactly to the splitter's balance of `token`, so that nothing is left behind.
    /// @dev Reverts {NotDeployer} unless called by the deployer, {AlreadySplit} after a successful split,
    /// {NothingToSplit} when the balance is 0, {LengthMismatch}, {InvalidRecipient} for the zero address or the
    /// splitter, {ZeroAmount}, {AllocationExceedsBalance} or {AllocationBelowBalance}. Emits {Split}.
    /// @param token The token to split (the splitter's whole balance of it).
    /// @param recipients The recipient of each line.
    /// @param amounts The amount of each line, in token atoms.
    function split(IERC20 token, address[] calldata recipients, uint256[] calldata amounts) external;

    /// @notice The account that deployed the splitter, the only one that may call {split}.
    /// @return The deployer's address.
    function deployer() external view returns (address);

    /// @notice The token that was split, or the zero address before the split.
    /// @return The token's address.
    function splitToken() external view returns (IERC20);
}

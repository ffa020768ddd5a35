// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

import {ISESH} from "./interfaces/ISESH.sol";

/// @title Session Token (SESH)
/// @notice Fixed-supply ERC-20 with ERC-2612 permit; see {ISESH}.
contract SESH is ERC20, ERC20Permit, ISESH {
    /// @inheritdoc ISESH
    uint256 public constant override VERSION = 1;

    /// @dev SESH keeps OXEN's precision: 9 decimals.
    uint8 private constant DECIMALS = 9;

    /// @inheritdoc ISESH
    uint256 public constant override TOTAL_SUPPLY = 240_000_000 * 10 ** DECIMALS;

    string private constant NAME = "Session Token";
    string private constant SYMBOL = "SESH";

    address private immutable GATEWAY;
    address private immutable ROUTER;

    /// @notice Mints the whole supply to `receiverGenesisAddress`, the account that carries out the TGE
    /// allocation. The arguments keep the production token's constructor.
    /// @param totalSupply_ Must equal `TOTAL_SUPPLY`, else {TotalSupplyMismatch}.
    /// @param receiverGenesisAddress Receives the whole supply; the zero address reverts with
    /// `ERC20InvalidReceiver(address(0))`.
    /// @param _gateway Arbitrum token gateway to record (may be zero); it gets no powers.
    /// @param _router Arbitrum gateway router to record (may be zero); it gets no powers.
    constructor(
        uint256 totalSupply_,
        address receiverGenesisAddress,
        address _gateway,
        address _router
    ) ERC20(NAME, SYMBOL) ERC20Permit(NAME) {
        if (totalSupply_ != TOTAL_SUPPLY) revert TotalSupplyMismatch(totalSupply_, TOTAL_SUPPLY);
        GATEWAY = _gateway;
        ROUTER = _router;
        _mint(receiverGenesisAddress, totalSupply_);
    }

    /// @inheritdoc ISESH
    function gateway() external view override returns (address) {
        return GATEWAY;
    }

    /// @inheritdoc ISESH
    function router() external view override returns (address) {
        return ROUTER;
    }

    /// @notice Number of decimals of the token's amounts: 9, as OXEN.
    /// @return Always 9.
    function decimals() public pure override(ERC20, IERC20Metadata) returns (uint8) {
        return DECIMALS;
    }

    /// @notice The next ERC-2612 permit nonce of `owner`.
    /// @param owner The account whose nonce is read.
    /// @return The nonce a permit signed by `owner` must carry now.
    function nonces(address owner) public view override(ERC20Permit, IERC20Permit) returns (uint256) {
        return super.nonces(owner);
    }
}

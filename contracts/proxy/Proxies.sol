// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// The proxies the Ignition modules deploy the upgradeable contracts behind (deploy/modules/Staking.ts): imported
// here so that Hardhat compiles them into artifacts; nothing in this file is ours.
// solhint-disable no-unused-import
import {ProxyAdmin} from "@openzeppelin/contracts/proxy/transparent/ProxyAdmin.sol";
import {TransparentUpgradeableProxy} from "@openzeppelin/contracts/proxy/transparent/TransparentUpgradeableProxy.sol";

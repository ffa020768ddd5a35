import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import type { ContractAddress, ModuleBuilder } from "./Staking";
import WrappedOxenModule from "./WrappedOxen";

export const CLAIMS_BRIDGE_MODULE_ID = "ClaimsBridge";

/** A breakpoint of the rate schedule, as the constructor's `Breakpoint` struct takes it. */
export interface ClaimsBridgeBreakpoint {
  /** Unix seconds. */
  readonly timestamp: bigint;
  /** SESH atoms per 10^9 OXEN atoms. */
  readonly rate: bigint;
}

/** The module's parameters, as an Ignition parameter file holds them under the module id `ClaimsBridge`. */
export interface ClaimsBridgeModuleParameters {
  /** The SESH token the bridge pays. */
  readonly sesh: string;
  /** The wOXEN token `convertWrapped` accepts; absent from the local module, which deploys its own. */
  readonly wrappedOxen?: string;
  /** Publishes and revokes epochs, pauses, sweeps. */
  readonly owner: string;
  readonly schedule: readonly ClaimsBridgeBreakpoint[];
  /** Unix seconds; 0 (the default) for never. */
  readonly closeTime?: bigint;
  /** Receives the SESH left after the close time. */
  readonly sweepRecipient: string;
}

/** The bridge's constructor arguments: values, parameters or futures. */
export interface BridgeArguments {
  readonly sesh: ContractAddress;
  readonly wrappedOxen: ContractAddress;
  readonly owner: ContractAddress;
  /** The rate schedule's breakpoints ({@link ClaimsBridgeBreakpoint}). */
  readonly schedule: ContractAddress;
  /** Unix seconds; 0 for never. */
  readonly closeTime: ContractAddress;
  readonly sweepRecipient: ContractAddress;
}

/**
 * The bridge from the deploying account, the future both modules below and the Landing's TGE module build:
 * `OxenClaimsBridge(sesh, wrappedOxen, owner, schedule, closeTime, sweepRecipient)`.
 */
export function bridgeFuture(m: ModuleBuilder, args: BridgeArguments) {
  return m.contract(
    "OxenClaimsBridge",
    [args.sesh, args.wrappedOxen, args.owner, args.schedule, args.closeTime, args.sweepRecipient],
    { from: m.getAccount(0), id: "OxenClaimsBridge" },
  );
}

/** The bridge's arguments from the module's parameters, with the given wOXEN. */
function parameterArguments(m: ModuleBuilder, wrappedOxen: ContractAddress): BridgeArguments {
  return {
    sesh: m.getParameter<string>("sesh"),
    wrappedOxen,
    owner: m.getParameter<string>("owner"),
    schedule: m.getParameter<{ timestamp: bigint; rate: bigint }[]>("schedule"),
    closeTime: m.getParameter<bigint>("closeTime", 0n),
    sweepRecipient: m.getParameter<string>("sweepRecipient"),
  };
}

/**
 * The Oxen claims bridge: one transaction, `OxenClaimsBridge(sesh, wrappedOxen, owner, schedule, closeTime,
 * sweepRecipient)`, from the deploying account. Tokens, schedule and close time are fixed for the bridge's life. It
 * holds no SESH until the Oxen Coin Claims line is sent to it. `npx hardhat ignition:parameters --module ClaimsBridge`
 * writes the parameters from the network's `claimsBridge` section.
 */
export const ClaimsBridgeModule = buildModule(CLAIMS_BRIDGE_MODULE_ID, (m) => ({
  bridge: bridgeFuture(m, parameterArguments(m, m.getParameter<string>("wrappedOxen"))),
}));

/**
 * The bridge on a local chain, where there is no wOXEN: the wrapped-OXEN test token (deploy/modules/WrappedOxen.ts)
 * first, then the bridge with it. Same module id and parameters as {@link ClaimsBridgeModule}, without `wrappedOxen`
 * (`npx hardhat ignition deploy deploy/modules/LocalClaimsBridge.ts`).
 */
export const LocalClaimsBridgeModule = buildModule(CLAIMS_BRIDGE_MODULE_ID, (m) => {
  const { wrappedOxen } = m.useModule(WrappedOxenModule);
  return { bridge: bridgeFuture(m, parameterArguments(m, wrappedOxen)), wrappedOxen };
});

export default ClaimsBridgeModule;

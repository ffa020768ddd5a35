import { getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { OxenClaimsBridge, WrappedOxen__Mock } from "../typechain-types";
import {
  bridgeConstructorValues,
  loadClaimsBridgeParameters,
  type ClaimsBridgeParameters,
} from "../lib/claims/parameters";
import { PreconditionError } from "../lib/errors";
import {
  CLAIMS_BRIDGE_MODULE_ID,
  ClaimsBridgeModule,
  LocalClaimsBridgeModule,
  type ClaimsBridgeModuleParameters,
} from "./modules/ClaimsBridge";
import { addressOption, ignitionOptions, requireContract, sectionContext } from "./sections";

export interface ClaimsBridgeOptions {
  /** The SESH token the bridge pays (from the TGE). */
  readonly sesh: string;
  /** Parameter file to read the `claimsBridge` section from instead of the network's own. */
  readonly parametersFile?: string;
  /** Parameters to use instead of a file's section (already resolved, e.g. a prepared set with another owner). */
  readonly parameters?: ClaimsBridgeParameters;
  /** Ignition deployment id (journal folder on persistent networks); Ignition's default when omitted. */
  readonly deploymentId?: string;
}

export interface ClaimsBridgeDeployment {
  readonly parameters: ClaimsBridgeParameters;
  readonly bridge: OxenClaimsBridge;
  readonly bridgeAddress: string;
  /** The wOXEN the bridge accepts: the network's, or the test token deployed with it. */
  readonly wrappedOxenAddress: string;
  /** The wrapped-OXEN test token, when the section says `"mock"` (local chains); undefined otherwise. */
  readonly wrappedOxenMock?: WrappedOxen__Mock;
}

/** The module file `ignition deploy` runs for a network's parameters: the local one deploys its own wOXEN. */
export function claimsBridgeModuleFile(parameters: ClaimsBridgeParameters): string {
  return parameters.wrappedOxen.kind === "mock"
    ? "deploy/modules/LocalClaimsBridge.ts"
    : "deploy/modules/ClaimsBridge.ts";
}

/**
 * Validates the `claimsBridge` section of the network's parameter file (or `parametersFile`) against the network's
 * accounts and the chain's time; sends nothing. Bad input is an {@link InputFileError} listing every problem.
 */
export async function prepareClaimsBridge(
  hre: HardhatRuntimeEnvironment,
  options: {
    readonly parametersFile?: string;
    /** Check the dates against this time (Unix seconds) instead of the chain's: when the deployment comes later. */
    readonly at?: bigint;
  } = {},
): Promise<ClaimsBridgeParameters> {
  const { file, signers, now } = await sectionContext(hre, options.parametersFile, options.at);
  return loadClaimsBridgeParameters(file, signers, now);
}

/**
 * The module's Ignition parameters for validated parameters and a token (`wrappedOxen` only when the network has
 * one: the local module deploys its own).
 */
export function claimsBridgeModuleParameters(
  parameters: ClaimsBridgeParameters,
  sesh: string,
): ClaimsBridgeModuleParameters {
  const seshAddress = addressOption("sesh", sesh);
  if (parameters.wrappedOxen.kind === "address" && parameters.wrappedOxen.address === seshAddress) {
    throw new PreconditionError(
      `sesh ${seshAddress} is also the bridge's wOXEN (${parameters.file} claimsBridge.wrappedOxen): they must differ`,
    );
  }
  return { sesh: seshAddress, ...bridgeConstructorValues(parameters) };
}

/**
 * Deploys the Oxen claims bridge (deploy/modules/ClaimsBridge.ts, or LocalClaimsBridge.ts with the wrapped-OXEN test
 * token when the section says `"mock"`) through Ignition: validates the section (or takes `options.parameters`) and
 * the token, which must be a contract on this network, before the first transaction. The bridge holds nothing until
 * the Oxen Coin Claims line is sent to it.
 */
export async function deployClaimsBridge(
  hre: HardhatRuntimeEnvironment,
  options: ClaimsBridgeOptions,
): Promise<ClaimsBridgeDeployment> {
  const parameters = options.parameters ?? (await prepareClaimsBridge(hre, { parametersFile: options.parametersFile }));
  const moduleParameters = claimsBridgeModuleParameters(parameters, options.sesh);
  await requireContract(hre, "sesh", moduleParameters.sesh, "deploy the TGE first (npx hardhat tge)");
  if (moduleParameters.wrappedOxen !== undefined) {
    await requireContract(hre, "wrappedOxen", moduleParameters.wrappedOxen, "check claimsBridge.wrappedOxen");
  }
  const ignition = {
    parameters: {
      [CLAIMS_BRIDGE_MODULE_ID]: {
        ...moduleParameters,
        schedule: moduleParameters.schedule.map((point) => ({ ...point })),
      },
    },
    ...ignitionOptions(options.deploymentId),
  };
  let bridgeFuture: { getAddress(): Promise<string> };
  let wrappedOxenMock: WrappedOxen__Mock | undefined;
  if (parameters.wrappedOxen.kind === "mock") {
    const deployed = await hre.ignition.deploy(LocalClaimsBridgeModule, ignition);
    bridgeFuture = deployed.bridge;
    wrappedOxenMock = await hre.ethers.getContractAt("WrappedOxen__Mock", await deployed.wrappedOxen.getAddress());
  } else {
    bridgeFuture = (await hre.ignition.deploy(ClaimsBridgeModule, ignition)).bridge;
  }
  const bridgeAddress = getAddress(await bridgeFuture.getAddress());
  const bridge = await hre.ethers.getContractAt("OxenClaimsBridge", bridgeAddress);
  return {
    parameters,
    bridge,
    bridgeAddress,
    wrappedOxenAddress: getAddress(await bridge.wrappedOxen()),
    ...(wrappedOxenMock === undefined ? {} : { wrappedOxenMock }),
  };
}

import { getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { MerkleDistributor } from "../typechain-types";
import {
  distributorConstructorValues,
  loadDistributorParameters,
  type DistributorParameters,
} from "../lib/distribution/parameters";
import DistributorModule, { DISTRIBUTOR_MODULE_ID, type DistributorModuleParameters } from "./modules/Distributor";
import { addressOption, ignitionOptions, requireContract, sectionContext } from "./sections";

export { merkleRootOption } from "../lib/distribution/parameters";

export interface DistributorOptions {
  /** The campaign's token (SESH, from the TGE). */
  readonly token: string;
  /** The root of the campaign's tree (`npx hardhat distribution:build` writes it). */
  readonly merkleRoot: string;
  /** Parameter file to read the `distributor` section from instead of the network's own. */
  readonly parametersFile?: string;
  /** Parameters to use instead of a file's section (already resolved). */
  readonly parameters?: DistributorParameters;
  /** Ignition deployment id (journal folder on persistent networks); one campaign per deployment id. */
  readonly deploymentId?: string;
}

export interface DistributorDeployment {
  readonly parameters: DistributorParameters;
  readonly merkleRoot: string;
  readonly distributor: MerkleDistributor;
  readonly distributorAddress: string;
}

/**
 * Validates the `distributor` section of the network's parameter file (or `parametersFile`) against the network's
 * accounts and the chain's time; sends nothing. Bad input is an {@link InputFileError} listing every problem.
 */
export async function prepareDistributor(
  hre: HardhatRuntimeEnvironment,
  options: {
    readonly parametersFile?: string;
    /** Check the dates against this time (Unix seconds) instead of the chain's: when the deployment comes later. */
    readonly at?: bigint;
  } = {},
): Promise<DistributorParameters> {
  const { file, signers, now } = await sectionContext(hre, options.parametersFile, options.at);
  return loadDistributorParameters(file, signers, now);
}

/** The module's Ignition parameters for validated parameters, a token and a campaign's root. */
export function distributorModuleParameters(
  parameters: DistributorParameters,
  token: string,
  merkleRoot: string,
): DistributorModuleParameters {
  return { token: addressOption("token", token), ...distributorConstructorValues(parameters, merkleRoot) };
}

/**
 * Deploys one Merkle campaign (deploy/modules/Distributor.ts) through Ignition: validates the section (or takes
 * `options.parameters`), the token (a contract on this network) and the root before the first transaction. The
 * distributor holds nothing until the campaign's total is sent to it.
 */
export async function deployDistributor(
  hre: HardhatRuntimeEnvironment,
  options: DistributorOptions,
): Promise<DistributorDeployment> {
  const parameters = options.parameters ?? (await prepareDistributor(hre, { parametersFile: options.parametersFile }));
  const moduleParameters = distributorModuleParameters(parameters, options.token, options.merkleRoot);
  await requireContract(hre, "token", moduleParameters.token, "deploy the TGE first (npx hardhat tge)");
  const deployed = await hre.ignition.deploy(DistributorModule, {
    parameters: { [DISTRIBUTOR_MODULE_ID]: { ...moduleParameters } },
    ...ignitionOptions(options.deploymentId),
  });
  const distributorAddress = getAddress(await deployed.distributor.getAddress());
  return {
    parameters,
    merkleRoot: moduleParameters.merkleRoot,
    distributor: await hre.ethers.getContractAt("MerkleDistributor", distributorAddress),
    distributorAddress,
  };
}

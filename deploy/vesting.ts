import { getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { TokenVestingNoStaking, TokenVestingStaking } from "../typechain-types";
import { PreconditionError } from "../lib/errors";
import { loadVestingParameters, type VestingContractParameters } from "../lib/vesting/parameters";
import {
  VESTING_MODULE_IDS,
  VestingModule,
  VestingStakingModule,
  type VestingModuleParameters,
  type VestingStakingModuleParameters,
} from "./modules/Vesting";
import { addressOption, ignitionOptions, requireContract, sectionContext } from "./sections";

/** The staking set and token a `TokenVestingStaking` stakes through (a {@link StakingDeployment}'s proxies). */
export interface VestingStakingAddresses {
  /** The rewards contract (its proxy). */
  readonly rewards: string;
  /** The contribution factory (its proxy). */
  readonly factory: string;
  /** The SESH token. */
  readonly sesh: string;
}

export interface VestingOptions {
  /** The contract of the `vesting` section to deploy; may be omitted when the section lists one. */
  readonly name?: string;
  /** Required for a staking contract (`"staking": true`); refused for the other kind. */
  readonly staking?: VestingStakingAddresses;
  /** Parameter file to read the `vesting` section from instead of the network's own. */
  readonly parametersFile?: string;
  /** Parameters to use instead of a file's section (already resolved). */
  readonly parameters?: VestingContractParameters;
  /** Ignition deployment id (journal folder on persistent networks): one vesting contract per deployment id. */
  readonly deploymentId?: string;
}

/** A deployed vesting contract: a `TokenVestingNoStaking` or a `TokenVestingStaking`, told apart by `contract`. */
export type VestingDeployment =
  | {
      readonly contract: "TokenVestingNoStaking";
      readonly parameters: VestingContractParameters;
      readonly vesting: TokenVestingNoStaking;
      readonly vestingAddress: string;
    }
  | {
      readonly contract: "TokenVestingStaking";
      readonly parameters: VestingContractParameters;
      readonly vesting: TokenVestingStaking;
      readonly vestingAddress: string;
    };

/**
 * Validates the holder `name` of the `vesting` section of the network's parameter file (or `parametersFile`) against
 * the network's accounts and the chain's time; sends nothing. Bad input is an {@link InputFileError}.
 */
export async function prepareVesting(
  hre: HardhatRuntimeEnvironment,
  options: { readonly name?: string; readonly parametersFile?: string } = {},
): Promise<VestingContractParameters> {
  const { file, signers, now } = await sectionContext(hre, options.parametersFile);
  return loadVestingParameters(file, signers, options.name, now);
}

/** The module file `ignition deploy` runs for a holder. */
export function vestingModuleFile(parameters: VestingContractParameters): string {
  return parameters.contract === "TokenVestingStaking"
    ? "deploy/modules/VestingStaking.ts"
    : "deploy/modules/Vesting.ts";
}

/**
 * The Ignition module id and parameters of a holder: `Vesting` for a `TokenVestingNoStaking`, `VestingStaking`
 * (with the staking set's addresses, required) for a `TokenVestingStaking`.
 */
export function vestingModuleParameters(
  parameters: VestingContractParameters,
  staking: VestingStakingAddresses | undefined,
): { readonly moduleId: string; readonly parameters: VestingModuleParameters | VestingStakingModuleParameters } {
  const common = {
    beneficiary: parameters.beneficiary,
    revoker: parameters.revoker,
    end: parameters.end,
    transferableBeneficiary: parameters.transferableBeneficiary,
  };
  const moduleId = VESTING_MODULE_IDS[parameters.contract];
  if (parameters.contract === "TokenVestingNoStaking") {
    if (staking !== undefined) {
      throw new PreconditionError(
        `vesting "${parameters.name}" is a TokenVestingNoStaking ("staking": false), which takes no staking set`,
      );
    }
    return { moduleId, parameters: { ...common, cliff: parameters.from } };
  }
  if (staking === undefined) {
    throw new PreconditionError(
      `vesting "${parameters.name}" is a TokenVestingStaking ("staking": true): give the rewards contract, the ` +
        `contribution factory and the SESH token it stakes through`,
    );
  }
  return {
    moduleId,
    parameters: {
      ...common,
      start: parameters.from,
      rewards: addressOption("rewards", staking.rewards),
      factory: addressOption("factory", staking.factory),
      sesh: addressOption("sesh", staking.sesh),
    },
  };
}

/**
 * Deploys one vesting contract of the `vesting` section (deploy/modules/Vesting.ts, or VestingStaking.ts for a
 * staking one) through Ignition: validates the holder (or takes `options.parameters`) and, for a staking contract, the
 * staking set's addresses (contracts on this network) before the first transaction. The contract holds nothing until
 * it is funded by a transfer.
 */
export async function deployVesting(
  hre: HardhatRuntimeEnvironment,
  options: VestingOptions = {},
): Promise<VestingDeployment> {
  const parameters =
    options.parameters ?? (await prepareVesting(hre, { name: options.name, parametersFile: options.parametersFile }));
  const { moduleId, parameters: moduleParameters } = vestingModuleParameters(parameters, options.staking);
  if ("rewards" in moduleParameters) {
    const hint = "deploy the TGE and the staking set first";
    await requireContract(hre, "rewards", moduleParameters.rewards, hint);
    await requireContract(hre, "factory", moduleParameters.factory, hint);
    await requireContract(hre, "sesh", moduleParameters.sesh, hint);
  }
  const ignition = { parameters: { [moduleId]: { ...moduleParameters } }, ...ignitionOptions(options.deploymentId) };
  if (parameters.contract === "TokenVestingStaking") {
    const deployed = await hre.ignition.deploy(VestingStakingModule, ignition);
    const vestingAddress = getAddress(await deployed.vesting.getAddress());
    return {
      contract: parameters.contract,
      parameters,
      vesting: await hre.ethers.getContractAt("TokenVestingStaking", vestingAddress),
      vestingAddress,
    };
  }
  const deployed = await hre.ignition.deploy(VestingModule, ignition);
  const vestingAddress = getAddress(await deployed.vesting.getAddress());
  return {
    contract: parameters.contract,
    parameters,
    vesting: await hre.ethers.getContractAt("TokenVestingNoStaking", vestingAddress),
    vestingAddress,
  };
}

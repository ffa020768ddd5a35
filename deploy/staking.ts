import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type {
  ProxyAdmin,
  RewardRatePool,
  ServiceNodeContributionFactory,
  ServiceNodeRewards,
} from "../typechain-types";
import { loadStakingParameters, type StakingParameters } from "../lib/staking/parameters";
import {
  STAKING_MODULE_IDS,
  StakingModule,
  TestnetStakingModule,
  type StakingModuleParameters,
} from "./modules/Staking";
import { parametersFileFor } from "./tge";

export interface StakingOptions {
  /** The SESH token the contracts stake and pay. */
  readonly sesh: string;
  /** Parameters to use instead of the network's parameter file. */
  readonly parameters?: StakingParameters;
  /** Ignition deployment id (journal folder on persistent networks). */
  readonly deploymentId?: string;
}

export interface StakingDeployment {
  readonly parameters: StakingParameters;
  readonly rewards: ServiceNodeRewards;
  readonly rewardsAddress: string;
  readonly rewardsAdmin: ProxyAdmin;
  readonly pool: RewardRatePool;
  readonly poolAddress: string;
  readonly poolAdmin: ProxyAdmin;
  readonly factory: ServiceNodeContributionFactory;
  readonly factoryAddress: string;
  readonly factoryAdmin: ProxyAdmin;
}

/** The network's staking parameters, from the `staking` section of deploy/parameters/<network>.json. */
export function stakingParametersFor(network: string): StakingParameters {
  return loadStakingParameters(parametersFileFor(network));
}

/** The Ignition parameters of the staking module for `parameters` and a token. */
export function stakingModuleParameters(parameters: StakingParameters, sesh: string): StakingModuleParameters {
  return { sesh, ...stakingSetParameters(parameters) };
}

/** The staking set's Ignition parameters other than the token (the TGE module builds the set with its own SESH). */
export function stakingSetParameters(parameters: StakingParameters): Omit<StakingModuleParameters, "sesh"> {
  return {
    stakingRequirement: parameters.stakingRequirement,
    maxContributors: parameters.maxContributors,
    liquidatorRewardRatio: parameters.liquidatorRewardRatio,
    poolShareOfLiquidationRatio: parameters.poolShareOfLiquidationRatio,
    recipientRatio: parameters.recipientRatio,
  };
}

/**
 * Deploys the staking set (deploy/modules/Staking.ts) with the network's parameters, or the given ones: the
 * RewardRatePool, the rewards contract and the contribution factory behind their proxies, the pool paying the rewards
 * contract. The one deploy
 * path of the tasks, the scripts and the tests.
 */
export async function deployStaking(
  hre: HardhatRuntimeEnvironment,
  options: StakingOptions,
): Promise<StakingDeployment> {
  const parameters = options.parameters ?? stakingParametersFor(hre.network.name);
  const module = parameters.contract === "TestnetServiceNodeRewards" ? TestnetStakingModule : StakingModule;
  const deployed = await hre.ignition.deploy(module, {
    parameters: { [STAKING_MODULE_IDS[parameters.contract]]: { ...stakingModuleParameters(parameters, options.sesh) } },
    displayUi: false,
    ...(options.deploymentId === undefined ? {} : { deploymentId: options.deploymentId }),
  });
  return stakingDeploymentOf(hre, parameters, deployed);
}

/** The contracts of the staking set, as the staking module (or the TGE module that builds it) returns them. */
export interface StakingFutureResults {
  readonly rewards: { getAddress(): Promise<string> };
  readonly rewardsAdmin: { getAddress(): Promise<string> };
  readonly pool: { getAddress(): Promise<string> };
  readonly poolAdmin: { getAddress(): Promise<string> };
  readonly factory: { getAddress(): Promise<string> };
  readonly factoryAdmin: { getAddress(): Promise<string> };
}

/** The staking set's typed contracts from an Ignition deployment's results. */
export async function stakingDeploymentOf(
  hre: HardhatRuntimeEnvironment,
  parameters: StakingParameters,
  deployed: StakingFutureResults,
): Promise<StakingDeployment> {
  const rewardsAddress = await deployed.rewards.getAddress();
  const poolAddress = await deployed.pool.getAddress();
  const factoryAddress = await deployed.factory.getAddress();
  return {
    parameters,
    rewards: (await hre.ethers.getContractAt(parameters.contract, rewardsAddress)) as unknown as ServiceNodeRewards,
    rewardsAddress,
    rewardsAdmin: await hre.ethers.getContractAt("ProxyAdmin", await deployed.rewardsAdmin.getAddress()),
    pool: await hre.ethers.getContractAt("RewardRatePool", poolAddress),
    poolAddress,
    poolAdmin: await hre.ethers.getContractAt("ProxyAdmin", await deployed.poolAdmin.getAddress()),
    factory: await hre.ethers.getContractAt("ServiceNodeContributionFactory", factoryAddress),
    factoryAddress,
    factoryAdmin: await hre.ethers.getContractAt("ProxyAdmin", await deployed.factoryAdmin.getAddress()),
  };
}

import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import type { RewardsContractName } from "../../lib/staking/parameters";

/** Ignition's module builder (the type `buildModule` passes to a module's body). */
export type ModuleBuilder = Parameters<Parameters<typeof buildModule>[1]>[0];
/** A value a future takes as a constructor or call argument: a literal, a parameter, or another future. */
export type ContractAddress = NonNullable<Parameters<ModuleBuilder["call"]>[2]>[number];

/** The module ids, one per rewards contract: production's, and the testnet variant with the owner's exits. */
export const STAKING_MODULE_IDS: Readonly<Record<RewardsContractName, string>> = {
  ServiceNodeRewards: "Staking",
  TestnetServiceNodeRewards: "TestnetStaking",
};

/** The module's parameters, as an Ignition parameter file holds them under the module id. */
export interface StakingModuleParameters {
  /** The SESH token. */
  readonly sesh: string;
  /** The stake of a node, in atoms. */
  readonly stakingRequirement: bigint;
  readonly maxContributors: number;
  readonly liquidatorRewardRatio: number;
  readonly poolShareOfLiquidationRatio: number;
  readonly recipientRatio: number;
}

/**
 * The staking set behind OpenZeppelin transparent proxies, owned by the deploying account (which also owns the
 * proxies' ProxyAdmin contracts):
 * 1. the `RewardRatePool` implementation and its proxy, initialised with the deployer as a temporary beneficiary
 *    (the pool and the rewards contract each need the other's address; the pool holds nothing yet);
 * 2. the rewards contract's implementation (which deploys its admin half) and its proxy, initialised with the pool
 *    as the foundation pool that receives a liquidation's pool share;
 * 3. `setBeneficiary(rewards)` on the pool, so that what it releases goes to the rewards contract;
 * 4. the `ServiceNodeContributionFactory` implementation (which deploys the contribution contract its clones run)
 *    and its proxy, initialised with the rewards contract.
 * Each initialisation runs in its proxy's constructor, so no one can initialise a proxy first. The parameters other
 * than the token are read from the module's parameters (see {@link StakingModuleParameters}); the TGE module
 * builds the same set when a vesting holder stakes (deploy/modules/TGE.ts).
 */
export function stakingSetFutures(m: ModuleBuilder, contract: RewardsContractName, sesh: ContractAddress) {
  const deployer = m.getAccount(0);
  const stakingRequirement = m.getParameter<bigint>("stakingRequirement");
  const maxContributors = m.getParameter<number>("maxContributors");
  const liquidatorRewardRatio = m.getParameter<number>("liquidatorRewardRatio");
  const poolShareOfLiquidationRatio = m.getParameter<number>("poolShareOfLiquidationRatio");
  const recipientRatio = m.getParameter<number>("recipientRatio");

  const poolImplementation = m.contract("RewardRatePool", [], { id: "RewardRatePoolImplementation" });
  const poolInit = m.encodeFunctionCall(poolImplementation, "initialize", [deployer, sesh]);
  const poolProxy = m.contract("TransparentUpgradeableProxy", [poolImplementation, deployer, poolInit], {
    id: "RewardRatePoolProxy",
  });
  const poolAdminAddress = m.readEventArgument(poolProxy, "AdminChanged", "newAdmin", {
    id: "RewardRatePoolProxyAdminAddress",
  });
  const poolAdmin = m.contractAt("ProxyAdmin", poolAdminAddress, { id: "RewardRatePoolProxyAdmin" });
  const pool = m.contractAt("RewardRatePool", poolProxy, { id: "RewardRatePool" });

  const rewardsImplementation = m.contract(contract, [], { id: "ServiceNodeRewardsImplementation" });
  const rewardsInit = m.encodeFunctionCall(rewardsImplementation, "initialize", [
    sesh,
    pool,
    stakingRequirement,
    maxContributors,
    liquidatorRewardRatio,
    poolShareOfLiquidationRatio,
    recipientRatio,
  ]);
  const rewardsProxy = m.contract("TransparentUpgradeableProxy", [rewardsImplementation, deployer, rewardsInit], {
    id: "ServiceNodeRewardsProxy",
  });
  const rewardsAdminAddress = m.readEventArgument(rewardsProxy, "AdminChanged", "newAdmin", {
    id: "ServiceNodeRewardsProxyAdminAddress",
  });
  const rewardsAdmin = m.contractAt("ProxyAdmin", rewardsAdminAddress, { id: "ServiceNodeRewardsProxyAdmin" });
  const rewards = m.contractAt(contract, rewardsProxy, { id: "ServiceNodeRewards" });

  const beneficiarySet = m.call(pool, "setBeneficiary", [rewards], { id: "PoolBeneficiaryIsRewards" });

  // After the rest, so that the addresses (and so the domain tags) of the pool and the rewards contract are those
  // of the set without the factory.
  const factoryImplementation = m.contract("ServiceNodeContributionFactory", [], {
    id: "ContributionFactoryImplementation",
    after: [beneficiarySet],
  });
  const factoryInit = m.encodeFunctionCall(factoryImplementation, "initialize", [rewards]);
  const factoryProxy = m.contract("TransparentUpgradeableProxy", [factoryImplementation, deployer, factoryInit], {
    id: "ContributionFactoryProxy",
  });
  const factoryAdminAddress = m.readEventArgument(factoryProxy, "AdminChanged", "newAdmin", {
    id: "ContributionFactoryProxyAdminAddress",
  });
  const factoryAdmin = m.contractAt("ProxyAdmin", factoryAdminAddress, { id: "ContributionFactoryProxyAdmin" });
  const factory = m.contractAt("ServiceNodeContributionFactory", factoryProxy, {
    id: "ServiceNodeContributionFactory",
  });
  return { pool, poolAdmin, rewards, rewardsAdmin, factory, factoryAdmin };
}

function stakingModule(contract: RewardsContractName) {
  return buildModule(STAKING_MODULE_IDS[contract], (m) =>
    stakingSetFutures(m, contract, m.getParameter<string>("sesh")),
  );
}

/** Production's staking set (mainnet parameters). */
export const StakingModule = stakingModule("ServiceNodeRewards");
/** The testnet staking set, with `TestnetServiceNodeRewards`. */
export const TestnetStakingModule = stakingModule("TestnetServiceNodeRewards");

export default StakingModule;

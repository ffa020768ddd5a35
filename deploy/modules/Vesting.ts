import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress } from "ethers";

import type { VestingContractName } from "../../lib/tge/plan";
import type { ContractAddress, ModuleBuilder } from "./Staking";

/** The module ids: a `TokenVestingNoStaking`, and a `TokenVestingStaking` (which stakes through the staking set). */
export const VESTING_MODULE_IDS: Readonly<Record<VestingContractName, string>> = {
  TokenVestingNoStaking: "Vesting",
  TokenVestingStaking: "VestingStaking",
};

/** A vesting contract's constructor arguments that both kinds take: values, parameters or futures. */
export interface VestingArguments {
  readonly beneficiary: ContractAddress;
  /** The zero address: irrevocable. */
  readonly revoker: ContractAddress;
  /** Unix seconds: the start of a `TokenVestingStaking`, the cliff of a `TokenVestingNoStaking`. */
  readonly from: ContractAddress;
  /** Unix seconds. */
  readonly end: ContractAddress;
  readonly transferableBeneficiary: ContractAddress;
}

/** What a `TokenVestingStaking` is constructed with besides its schedule: the staking set and its token. */
export interface VestingStakingSet {
  readonly rewards: ContractAddress;
  readonly factory: ContractAddress;
  readonly sesh: ContractAddress;
}

/**
 * One vesting contract, the future the TGE module (one per holder of a vesting line) and the vesting modules below
 * both build: `TokenVestingNoStaking(beneficiary, revoker, cliff, end, transferableBeneficiary)`, or
 * `TokenVestingStaking(beneficiary, revoker, start, end, transferableBeneficiary, rewards, factory, sesh)`, which needs
 * the staking set.
 */
export function vestingContractFuture(
  m: ModuleBuilder,
  contract: VestingContractName,
  holder: VestingArguments,
  staking: VestingStakingSet | undefined,
  id?: string,
) {
  const common = [holder.beneficiary, holder.revoker, holder.from, holder.end, holder.transferableBeneficiary];
  const options = id === undefined ? {} : { id };
  if (contract === "TokenVestingNoStaking") return m.contract("TokenVestingNoStaking", common, options);
  if (staking === undefined) throw new Error("a staking vesting holder without the staking set");
  return m.contract("TokenVestingStaking", [...common, staking.rewards, staking.factory, staking.sesh], options);
}

/** The parameters of the vesting module of a `TokenVestingNoStaking` (module id `Vesting`). */
export interface VestingModuleParameters {
  readonly beneficiary: string;
  /** Default: the zero address (irrevocable). */
  readonly revoker?: string;
  /** Unix seconds. */
  readonly cliff: bigint;
  /** Unix seconds. */
  readonly end: bigint;
  /** Default: false. */
  readonly transferableBeneficiary?: boolean;
}

/** The parameters of the vesting module of a `TokenVestingStaking` (module id `VestingStaking`). */
export interface VestingStakingModuleParameters extends Omit<VestingModuleParameters, "cliff"> {
  /** Unix seconds, after the chain's time (the constructor reverts otherwise). */
  readonly start: bigint;
  /** The rewards contract (its proxy) of the staking set. */
  readonly rewards: string;
  /** The contribution factory (its proxy) of the staking set. */
  readonly factory: string;
  /** The SESH token, the rewards contract's designated token. */
  readonly sesh: string;
}

function vestingModule(contract: VestingContractName) {
  return buildModule(VESTING_MODULE_IDS[contract], (m) => {
    const holder: VestingArguments = {
      beneficiary: m.getParameter<string>("beneficiary"),
      revoker: m.getParameter<string>("revoker", ZeroAddress),
      from: m.getParameter<bigint>(contract === "TokenVestingStaking" ? "start" : "cliff"),
      end: m.getParameter<bigint>("end"),
      transferableBeneficiary: m.getParameter<boolean>("transferableBeneficiary", false),
    };
    const staking =
      contract === "TokenVestingStaking"
        ? {
            rewards: m.getParameter<string>("rewards"),
            factory: m.getParameter<string>("factory"),
            sesh: m.getParameter<string>("sesh"),
          }
        : undefined;
    return { vesting: vestingContractFuture(m, contract, holder, staking) };
  });
}

/**
 * One `TokenVestingNoStaking`, on its own (a vesting line of the TGE deploys its holders inside the TGE module):
 * 20 % at the cliff, the rest linearly to the end. It holds nothing until it is funded by a transfer. Deploy one per
 * deployment id: a second holder with the same module id and other parameters is a different deployment.
 */
export const VestingModule = vestingModule("TokenVestingNoStaking");
/**
 * One `TokenVestingStaking`, on its own: locked until the end, stakable from the start through the given staking set
 * (`npx hardhat ignition deploy deploy/modules/VestingStaking.ts`).
 */
export const VestingStakingModule = vestingModule("TokenVestingStaking");

export default VestingModule;

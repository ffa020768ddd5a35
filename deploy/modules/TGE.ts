import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress } from "ethers";

import { SESH_TOTAL_SUPPLY } from "../../lib/amount";
import type { RewardsContractName } from "../../lib/staking/parameters";
import type { VestingTerms } from "../../lib/vesting/parameters";
import type { AllocationContract } from "../../lib/tge/parameters";
import type { BridgeConstructorValues } from "../../lib/claims/parameters";
import type { DistributorConstructorValues } from "../../lib/distribution/parameters";
import { bridgeFuture } from "./ClaimsBridge";
import { distributorFuture } from "./Distributor";
import { type ContractAddress, type ModuleBuilder, stakingSetFutures } from "./Staking";
import WrappedOxenModule from "./WrappedOxen";
import { vestingContractFuture } from "./Vesting";

export const TGE_MODULE_ID = "TGE";

/** The module's parameters, as an Ignition parameter file holds them under the module id `TGE`. */
export interface TgeModuleParameters {
  /** Recipient of each allocation line, in the table's order (the escrow for contracts not deployed yet). */
  readonly recipients: readonly string[];
  /** Amount of each line in SESH atoms; they must sum to the total supply. */
  readonly amounts: readonly bigint[];
  /** Arbitrum token gateway the token records (default: none). */
  readonly gateway?: string;
  /** Arbitrum gateway router the token records (default: none). */
  readonly router?: string;
}

/** A vesting contract the TGE deploys and pays out of the supply. */
export interface TgeVesting extends VestingTerms {
  /** SESH atoms paid to the contract by the split. */
  readonly amount: bigint;
}

/** Where one payment of the split goes: an address, a contract the module deploys, or a vesting contract. */
export type TgePayee =
  | { readonly kind: "address"; readonly address: string }
  | { readonly kind: "contract"; readonly contract: AllocationContract }
  | { readonly kind: "vesting"; readonly index: number };

/** The claims bridge the TGE deploys for the Oxen Coin Claims line (no wOXEN: the local test token). */
export type TgeClaimsBridge = BridgeConstructorValues;

/** The testnet awards' distributor the TGE deploys for the Testnet Incentive line. */
export type TgeDistributor = DistributorConstructorValues;

/**
 * A TGE that deploys contracts, built from a validated plan (every value fixed, none a parameter): the vesting
 * contracts of its vesting lines, and the contracts its contract lines fund when the TGE pays them directly.
 */
export interface TgeDeployment {
  /** The split's payments, in the table's order (a line may be paid in two parts). */
  readonly payments: readonly { readonly to: TgePayee; readonly amount: bigint }[];
  /** One per holder, in the table's order. */
  readonly vesting: readonly TgeVesting[];
  /**
   * The rewards contract of the staking set (the network's staking parameters, under this module's id), deployed when
   * a line funds the pool or the rewards contract or a vesting holder stakes; undefined for none.
   */
  readonly stakingContract?: RewardsContractName;
  readonly claimsBridge?: TgeClaimsBridge;
  readonly distributor?: TgeDistributor;
}

/** The splitter and the token minting its whole supply to it. */
function tokenFutures(m: ModuleBuilder) {
  const deployer = m.getAccount(0);
  const gateway = m.getParameter("gateway", ZeroAddress);
  const router = m.getParameter("router", ZeroAddress);
  const splitter = m.contract("GenesisSplitter", [], { from: deployer });
  const sesh = m.contract("SESH", [SESH_TOTAL_SUPPLY, splitter, gateway, router], { from: deployer });
  return { deployer, splitter, sesh };
}

/**
 * The Token Generation Event as an Ignition module, the one that `npx hardhat tge`, the rehearsal, the tests and
 * `npx hardhat ignition deploy deploy/modules/TGE.ts --parameters FILE` all deploy. Three transactions from the
 * deploying account:
 * 1. `GenesisSplitter`, the one-shot contract that receives the supply;
 * 2. `SESH`, whose constructor mints the whole supply to the splitter;
 * 3. `split(sesh, recipients, amounts)`, which pays every allocation line at once, or none if the amounts do not
 *    sum exactly to the supply (an Ignition module cannot loop over a parameter list, a contract can).
 *
 * `npx hardhat tge` builds the parameters from the network's allocation table (deploy/parameters/<network>.json)
 * after validating it; `npx hardhat tge:ignition-parameters` writes them to a file for `ignition deploy`. A table
 * with vesting lines, or whose contract lines the TGE pays directly, deploys {@link tgeDeploymentModule} instead.
 */
export default buildModule(TGE_MODULE_ID, (m) => {
  const { deployer, splitter, sesh } = tokenFutures(m);
  const recipients = m.getParameter<string[]>("recipients");
  const amounts = m.getParameter<bigint[]>("amounts");
  m.call(splitter, "split", [sesh, recipients, amounts], { from: deployer });
  return { sesh, splitter };
});

/**
 * The TGE of a table whose split pays contracts, which the module deploys first: the splitter and SESH as in the
 * default module; the staking set (deploy/modules/Staking.ts) when a line funds the `RewardRatePool` or the
 * `ServiceNodeRewards`, or a holder stakes (a `TokenVestingStaking` is constructed with the rewards contract and the
 * contribution factory); the `OxenClaimsBridge` (with the wrapped-OXEN test token on a local chain) and the testnet
 * awards' `MerkleDistributor` when lines fund them; one vesting contract per holder (`Vesting0`, `Vesting1`, … in the
 * table's order); then one split paying every line, each straight to its contract. The module has a fixed shape per
 * table (Ignition cannot loop over a parameter list), so the lines are values, not parameters: `npx hardhat tge` and
 * the rehearsal build it from the validated plan.
 */
export function tgeDeploymentModule(tge: TgeDeployment) {
  return buildModule(TGE_MODULE_ID, (m) => {
    const { deployer, splitter, sesh } = tokenFutures(m);
    const staking = tge.stakingContract === undefined ? undefined : stakingSetFutures(m, tge.stakingContract, sesh);
    const set = staking === undefined ? undefined : { rewards: staking.rewards, factory: staking.factory, sesh };
    const bridgeSetting = tge.claimsBridge;
    const wrappedOxen =
      bridgeSetting === undefined
        ? undefined
        : bridgeSetting.wrappedOxen === undefined
          ? m.useModule(WrappedOxenModule).wrappedOxen
          : undefined;
    const bridge =
      bridgeSetting === undefined
        ? undefined
        : bridgeFuture(m, {
            sesh,
            wrappedOxen: wrappedOxen ?? bridgeSetting.wrappedOxen ?? ZeroAddress,
            owner: bridgeSetting.owner,
            schedule: bridgeSetting.schedule.map((point) => ({ timestamp: point.timestamp, rate: point.rate })),
            closeTime: bridgeSetting.closeTime,
            sweepRecipient: bridgeSetting.sweepRecipient,
          });
    const distributor =
      tge.distributor === undefined ? undefined : distributorFuture(m, { token: sesh, ...tge.distributor });
    const vesting = tge.vesting.map((holder, index) =>
      vestingContractFuture(m, holder.contract, holder, set, `Vesting${index}`),
    );
    const contracts: Partial<Record<AllocationContract, ContractAddress>> = {
      ...(staking === undefined ? {} : { RewardRatePool: staking.pool, ServiceNodeRewards: staking.rewards }),
      ...(bridge === undefined ? {} : { OxenClaimsBridge: bridge }),
      ...(distributor === undefined ? {} : { MerkleDistributor: distributor }),
    };
    const payee = ({ to }: TgeDeployment["payments"][number]): ContractAddress => {
      if (to.kind === "address") return to.address;
      const future = to.kind === "vesting" ? vesting[to.index] : contracts[to.contract];
      if (future === undefined)
        throw new Error(`the TGE module has no contract for the payment to ${JSON.stringify(to)}`);
      return future;
    };
    // The split comes last: no contract holds SESH before the whole set is wired (the pool pays the rewards
    // contract only once `setBeneficiary` ran, which comes before the factory).
    m.call(splitter, "split", [sesh, tge.payments.map(payee), tge.payments.map((payment) => payment.amount)], {
      from: deployer,
      after: staking === undefined ? [] : [staking.factory],
    });
    const results = Object.fromEntries(vesting.map((future, index) => [`vesting${index}`, future]));
    return {
      sesh,
      splitter,
      ...staking,
      ...(bridge === undefined ? {} : { bridge }),
      ...(wrappedOxen === undefined ? {} : { wrappedOxen }),
      ...(distributor === undefined ? {} : { distributor }),
      ...results,
    };
  });
}

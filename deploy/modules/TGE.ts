import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress } from "ethers";

import { SESH_TOTAL_SUPPLY } from "../../lib/amount";
import type { RewardsContractName } from "../../lib/staking/parameters";
import type { VestingTerms } from "../../lib/vesting/parameters";
import { type ModuleBuilder, stakingSetFutures } from "./Staking";
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

/** A TGE with vesting contracts, built from a validated plan (the lines other than vesting as fixed values). */
export interface TgeWithVesting {
  /** Recipient and amount of each line that is not a vesting line. */
  readonly recipients: readonly string[];
  readonly amounts: readonly bigint[];
  /** One per holder, in the table's order. */
  readonly vesting: readonly TgeVesting[];
  /** The rewards contract deployed for `TokenVestingStaking` holders (the network's staking parameters). */
  readonly stakingContract: RewardsContractName;
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
 * with vesting lines deploys {@link tgeWithVestingModule} instead.
 */
export default buildModule(TGE_MODULE_ID, (m) => {
  const { deployer, splitter, sesh } = tokenFutures(m);
  const recipients = m.getParameter<string[]>("recipients");
  const amounts = m.getParameter<bigint[]>("amounts");
  m.call(splitter, "split", [sesh, recipients, amounts], { from: deployer });
  return { sesh, splitter };
});

/**
 * The TGE of a table with vesting lines: the splitter and SESH as in the default module; then, when a holder stakes,
 * the staking set (deploy/modules/Staking.ts, its parameters under this module's id), because a
 * `TokenVestingStaking` is constructed with the rewards contract and the contribution factory; then one vesting
 * contract per holder (`Vesting0`, `Vesting1`, … in the table's order); then one split paying the other lines and
 * every vesting contract its amount. The module has a fixed shape per table (Ignition cannot loop over a parameter
 * list), so the lines are values, not parameters: `npx hardhat tge` builds it from the validated plan.
 */
export function tgeWithVestingModule(tge: TgeWithVesting) {
  return buildModule(TGE_MODULE_ID, (m) => {
    const { deployer, splitter, sesh } = tokenFutures(m);
    const staking = tge.vesting.some((holder) => holder.contract === "TokenVestingStaking")
      ? stakingSetFutures(m, tge.stakingContract, sesh)
      : undefined;
    const set = staking === undefined ? undefined : { rewards: staking.rewards, factory: staking.factory, sesh };
    const vesting = tge.vesting.map((holder, index) =>
      vestingContractFuture(m, holder.contract, holder, set, `Vesting${index}`),
    );
    m.call(
      splitter,
      "split",
      [sesh, [...tge.recipients, ...vesting], [...tge.amounts, ...tge.vesting.map((holder) => holder.amount)]],
      { from: deployer },
    );
    const results = Object.fromEntries(vesting.map((future, index) => [`vesting${index}`, future]));
    return { sesh, splitter, ...staking, ...results };
  });
}

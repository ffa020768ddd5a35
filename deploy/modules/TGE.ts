import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress } from "ethers";

import { SESH_TOTAL_SUPPLY } from "../../lib/amount";

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
 * after validating it; `npx hardhat tge:ignition-parameters` writes them to a file for `ignition deploy`.
 */
export default buildModule(TGE_MODULE_ID, (m) => {
  const deployer = m.getAccount(0);
  const recipients = m.getParameter<string[]>("recipients");
  const amounts = m.getParameter<bigint[]>("amounts");
  const gateway = m.getParameter("gateway", ZeroAddress);
  const router = m.getParameter("router", ZeroAddress);

  const splitter = m.contract("GenesisSplitter", [], { from: deployer });
  const sesh = m.contract("SESH", [SESH_TOTAL_SUPPLY, splitter, gateway, router], { from: deployer });
  m.call(splitter, "split", [sesh, recipients, amounts], { from: deployer });
  return { sesh, splitter };
});

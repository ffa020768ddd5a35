import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress } from "ethers";

import type { TgePlan } from "../../lib/tge/plan";

export const TGE_MODULE_ID = "TGE";

/** An Ignition future id from an allocation line: its row keeps ids unique, its name keeps them readable. */
function allocationId(row: number, name: string): string {
  return `allocate_${String(row).padStart(2, "0")}_${name.replace(/[^A-Za-z0-9]/g, "")}`;
}

/**
 * The Token Generation Event as an Ignition module, built from a validated and resolved plan
 * (`lib/tge`): deploys SESH, which mints the whole supply to the deploying account, then transfers each
 * allocation line to its recipient. Lines for contracts that are not deployed yet go to the plan's escrow.
 * Arbitrum-side deployment: the token records no gateway or router.
 */
export function buildTgeModule(plan: TgePlan) {
  return buildModule(TGE_MODULE_ID, (m) => {
    const genesisReceiver = m.getAccount(0);
    const sesh = m.contract("SESH", [plan.totalSupply, genesisReceiver, ZeroAddress, ZeroAddress], {
      from: genesisReceiver,
    });
    for (const line of plan.lines) {
      m.call(sesh, "transfer", [line.to, line.amount], {
        id: allocationId(line.row, line.name),
        from: genesisReceiver,
      });
    }
    return { sesh };
  });
}

import { getAddress } from "ethers";

import type { MigrationPlan, RestakedNode } from "./plan";

// The plan's re-staked nodes in the form `ServiceNodeRewards.seedPublicKeyList` takes, batch by batch: what the
// Landing sends. Pure: the rehearsal and a launch script send these, a test compares them with the contract's state.

/** `IServiceNodeRewards.SeedServiceNode`, with the types ethers encodes. */
export interface SeedEntry {
  readonly blsPubkey: { readonly X: bigint; readonly Y: bigint };
  readonly ed25519Pubkey: bigint;
  readonly addedTimestamp: bigint;
  readonly contributors: {
    readonly staker: { readonly addr: string; readonly beneficiary: string };
    readonly stakedAmount: bigint;
  }[];
}

/** A node's entry: the operator first, each contributor its own beneficiary (the Oxen node had no other). */
export function seedEntryOf(node: RestakedNode): SeedEntry {
  return {
    blsPubkey: { X: node.bls.X, Y: node.bls.Y },
    ed25519Pubkey: BigInt(`0x${node.ed25519}`),
    addedTimestamp: BigInt(node.addedTimestamp),
    contributors: node.contributors.map((contributor) => {
      const addr = getAddress(contributor.ethereumAddress);
      return { staker: { addr, beneficiary: addr }, stakedAmount: contributor.amount };
    }),
  };
}

/** The plan's seed batches as entries, in order; every node of a batch is one of the plan's re-staked nodes. */
export function seedBatchEntries(plan: MigrationPlan): SeedEntry[][] {
  const byKey = new Map(plan.restaked.map((node) => [node.ed25519, node]));
  return plan.seedBatches.map((batch, index) =>
    batch.nodes.map((key) => {
      const node = byKey.get(key);
      if (node === undefined)
        throw new RangeError(`seed batch ${index} names node ${key}, which the plan does not re-stake`);
      return seedEntryOf(node);
    }),
  );
}

/** The SESH the rewards contract must hold for the migration: every re-staked stake and every credit. */
export function migrationFunding(plan: MigrationPlan): bigint {
  return plan.totals.restaked + plan.totals.credited;
}

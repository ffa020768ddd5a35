import { expect } from "chai";
import fc from "fast-check";

import { computeBonus } from "../../lib/bonus";
import { planMigration, planToJson, type MigrationPlan } from "../../lib/migration";
import type { Snapshot } from "../../lib/snapshot";
import { FC_SEED, integerFromEnv } from "../helpers/env";
import { smallSnapshots } from "../helpers/snapshot";
import { sumAmounts } from "../../lib/amount";

const RUNS = integerFromEnv("MIGRATION_RUNS", 40, 1);

const snapshots = smallSnapshots;

/**
 * Each participant's share floor per Ethereum address in a node: Σ over its Oxen addresses of
 * floor(contribution × requirement / stake), the node software's rule; with the node's operator address.
 */
function participants(snapshot: Snapshot, ed25519: string) {
  const ethereumOf = new Map(snapshot.wallets.map((wallet) => [wallet.oxenAddress, wallet.ethereumAddress]));
  const node = snapshot.nodes.find((candidate) => candidate.ed25519 === ed25519);
  if (node === undefined) throw new Error(`no node ${ed25519}`);
  const floors = new Map<string, bigint>();
  for (const contribution of node.contributions) {
    const address = ethereumOf.get(contribution.oxenAddress);
    if (address == null) throw new Error("a re-staked node has an unregistered participant");
    const floor = (snapshot.parameters.stakingRequirement * contribution.amount) / node.stake;
    floors.set(address, (floors.get(address) ?? 0n) + floor);
  }
  return { node, floors, operator: ethereumOf.get(node.operator) };
}

/** Node states whose registered participants' stake is converted into their pools. */
const POOLED_STATES = new Set(["active", "decommissioned", "awaiting-contributions"]);

/**
 * Each pool's converted SESH worked out on its own, as the node software does: the sum of
 * floor(OXEN × numerator / denominator) over each of its wallets' unpaid rewards and each contribution of its
 * wallets in a node that is neither unlocking nor deregistered.
 */
function convertedPerContribution(snapshot: Snapshot): Map<string, bigint> {
  const { numerator, denominator } = snapshot.parameters.stakeConversion;
  const ethereumOf = new Map(snapshot.wallets.map((wallet) => [wallet.oxenAddress, wallet.ethereumAddress]));
  const converted = new Map<string, bigint>();
  const add = (address: string | null | undefined, oxen: bigint): void => {
    if (address == null) return;
    converted.set(address, (converted.get(address) ?? 0n) + (oxen * numerator) / denominator);
  };
  for (const wallet of snapshot.wallets) add(wallet.ethereumAddress, wallet.unpaidRewards);
  for (const node of snapshot.nodes) {
    if (!POOLED_STATES.has(node.state)) continue;
    for (const contribution of node.contributions) add(ethereumOf.get(contribution.oxenAddress), contribution.amount);
  }
  return converted;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed >>> 0 || 1;
  for (let index = copy.length - 1; index > 0; index--) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const other = state % (index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

function check(property: (snapshot: Snapshot, plan: MigrationPlan) => void): void {
  fc.assert(
    fc.property(snapshots, (snapshot) => {
      property(snapshot, planMigration(snapshot));
    }),
    { numRuns: RUNS, seed: FC_SEED },
  );
}

describe("lib/migration (properties)", function () {
  this.timeout(300_000);

  it("conserves every atom: Σ pools = Σ re-staked + Σ credited", function () {
    check((_snapshot, plan) => {
      const pools = sumAmounts(plan.pools.map((pool) => pool.total));
      const restaked = sumAmounts(
        plan.restaked.flatMap((node) => node.contributors.map((contributor) => contributor.amount)),
      );
      const credited = sumAmounts(plan.credits.map((credit) => credit.amount));
      expect(pools).to.equal(restaked + credited);
    });
  });

  it("finding 17: fills each pool with the per-contribution floors of its stakes and rewards, plus its bonus", function () {
    check((snapshot, plan) => {
      const converted = convertedPerContribution(snapshot);
      const bonus = computeBonus(snapshot).awards;
      expect(plan.pools.map((pool) => pool.ethereumAddress).sort()).to.deep.equal([...converted.keys()].sort());
      for (const pool of plan.pools) {
        expect(pool.convertedSesh, pool.ethereumAddress).to.equal(converted.get(pool.ethereumAddress));
        expect(pool.total, pool.ethereumAddress).to.equal(pool.convertedSesh + (bonus.get(pool.ethereumAddress) ?? 0n));
      }
      expect(plan.totals.converted).to.equal(sumAmounts([...converted.values()]));
    });
  });

  it("finding 18: disbands every partly funded node as not-fully-funded, and only those", function () {
    let seen = 0;
    check((snapshot, plan) => {
      const awaiting = snapshot.nodes.filter((node) => node.state === "awaiting-contributions");
      seen += awaiting.length;
      const notFullyFunded = plan.disbanded.filter((node) => node.reason === "not-fully-funded");
      expect(notFullyFunded.map((node) => node.ed25519).sort()).to.deep.equal(
        awaiting.map((node) => node.ed25519).sort(),
      );
    });
    expect(seen, "partly funded nodes generated across the runs").to.be.greaterThan(0);
  });

  it("stakes exactly the requirement in every re-staked node", function () {
    check((snapshot, plan) => {
      for (const node of plan.restaked) {
        expect(sumAmounts(node.contributors.map((contributor) => contributor.amount))).to.equal(
          snapshot.parameters.stakingRequirement,
        );
      }
    });
  });

  it("allocates each participant its per-contribution floors (the operator takes the rounding shortfall)", function () {
    check((snapshot, plan) => {
      for (const restaked of plan.restaked) {
        const { node, floors, operator } = participants(snapshot, restaked.ed25519);
        expect(restaked.contributors[0]?.ethereumAddress).to.equal(operator);
        expect(restaked.contributors.map((contributor) => contributor.ethereumAddress).sort()).to.deep.equal(
          [...floors.keys()].sort(),
        );
        for (const contributor of restaked.contributors.slice(1)) {
          expect(contributor.amount).to.equal(floors.get(contributor.ethereumAddress));
        }
        const shortfall = (restaked.contributors[0]?.amount ?? 0n) - (floors.get(operator ?? "") ?? 0n);
        expect(shortfall >= 0n && shortfall < BigInt(node.contributions.length)).to.be.true;
      }
    });
  });

  it("disbands a node for lack of SESH only if a participant was short at its turn", function () {
    check((snapshot, plan) => {
      const requirement = snapshot.parameters.stakingRequirement;
      const remaining = new Map(plan.pools.map((pool) => [pool.ethereumAddress, pool.total]));
      const restaked = new Map(plan.restaked.map((node) => [node.ed25519, node]));
      const order = [...plan.restaked.map((node) => node.ed25519)];
      for (const disbanded of plan.disbanded.filter((node) => node.reason === "insufficient-pool"))
        order.push(disbanded.ed25519);
      const heights = new Map(snapshot.nodes.map((node) => [node.ed25519, node.registrationHeight]));
      order.sort((a, b) => (heights.get(a) ?? 0) - (heights.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
      for (const ed25519 of order) {
        const funded = restaked.get(ed25519);
        if (funded !== undefined) {
          for (const contributor of funded.contributors) {
            remaining.set(
              contributor.ethereumAddress,
              (remaining.get(contributor.ethereumAddress) ?? 0n) - contributor.amount,
            );
          }
          continue;
        }
        const { floors, operator } = participants(snapshot, ed25519);
        let others = 0n;
        const owed = new Map<string, bigint>();
        for (const [address, share] of floors) {
          if (address === operator) continue;
          owed.set(address, share);
          others += share;
        }
        owed.set(operator ?? "", requirement - others);
        const short = [...owed].some(([address, share]) => (remaining.get(address) ?? 0n) < share);
        expect(short, `node ${ed25519} was disbanded though every participant could pay`).to.be.true;
      }
    });
  });

  it("reaches every reason to disband a node across the runs", function () {
    const reasons = new Set<string>();
    fc.assert(
      fc.property(snapshots, (snapshot) => {
        for (const node of planMigration(snapshot).disbanded) reasons.add(node.reason);
      }),
      { numRuns: RUNS, seed: FC_SEED },
    );
    expect([...reasons].sort()).to.deep.equal([
      "deregistered",
      "insufficient-pool",
      "missing-bls-key",
      "not-fully-funded",
      "unlocking",
      "unregistered-participant",
    ]);
  });

  it("never exceeds the gas budget in a seed batch", function () {
    fc.assert(
      fc.property(snapshots, fc.bigInt({ min: 2_000_000n, max: 32_000_000n }), (snapshot, gasBudget) => {
        const plan = planMigration(snapshot, { gasBudget });
        const { seedGas } = plan.parameters;
        const contributors = new Map(plan.restaked.map((node) => [node.ed25519, node.contributors.length]));
        for (const batch of plan.seedBatches) {
          // A solo node costs perNode; a shared one perContributor more for each of its contributors.
          const gas = batch.nodes.reduce((total, ed25519) => {
            const count = contributors.get(ed25519) ?? 0;
            return total + seedGas.perNode + (count > 1 ? seedGas.perContributor * BigInt(count) : 0n);
          }, seedGas.perBatch);
          expect(batch.estimatedGas).to.equal(gas);
          expect(gas <= gasBudget).to.be.true;
        }
        expect(plan.seedBatches.flatMap((batch) => batch.nodes)).to.deep.equal(
          plan.restaked.map((node) => node.ed25519),
        );
      }),
      { numRuns: RUNS, seed: FC_SEED },
    );
  });

  it("gives the byte-identical plan for shuffled input", function () {
    fc.assert(
      fc.property(snapshots, fc.integer(), (snapshot, seed) => {
        const shuffledSnapshot: Snapshot = {
          ...snapshot,
          wallets: shuffled(snapshot.wallets, seed),
          nodes: shuffled(snapshot.nodes, seed + 1).map((node) => ({
            ...node,
            contributions: shuffled(node.contributions, seed + 2),
          })),
        };
        expect(planToJson(planMigration(shuffledSnapshot))).to.equal(planToJson(planMigration(snapshot)));
      }),
      { numRuns: RUNS, seed: FC_SEED },
    );
  });
});

import { expect } from "chai";
import fc from "fast-check";

import { checkPromises, fundingModel, requirementCurve } from "../../lib/anchor";
import { planMigration } from "../../lib/migration";
import type { Snapshot, Wallet } from "../../lib/snapshot";
import { FC_SEED, integerFromEnv } from "../helpers/env";
import { ethereumAddress, oxenAddress, smallSnapshots } from "../helpers/snapshot";

const RUNS = integerFromEnv("ANCHOR_RUNS", 30, 1);

/** SESH atoms. */
const SESH = 10n ** 9n;

const snapshots = smallSnapshots;

/** A sampling grid of whole SESH: from 1 to 20,000 SESH, 2 to 40 steps of 1 to 3,000 SESH. */
const grids = fc
  .record({
    from: fc.bigInt({ min: 1n, max: 20_000n }),
    step: fc.bigInt({ min: 1n, max: 3_000n }),
    steps: fc.integer({ min: 2, max: 40 }),
  })
  .map(({ from, step, steps }) => ({ from: from * SESH, step: step * SESH, to: (from + step * BigInt(steps)) * SESH }));

/**
 * The same snapshot with no pool shared: every contribution gets a wallet of its own (same registration, its own
 * Ethereum address if it had one, no unpaid rewards), so no participant takes part in two nodes.
 */
function isolatePools(snapshot: Snapshot): Snapshot {
  const walletOf = new Map(snapshot.wallets.map((wallet) => [wallet.oxenAddress, wallet]));
  const wallets: Wallet[] = [];
  const nodes = snapshot.nodes.map((node) => {
    const renamed = new Map<string, string>();
    const contributions = node.contributions.map((contribution) => {
      const original = walletOf.get(contribution.oxenAddress);
      if (original === undefined) throw new Error(`no wallet ${contribution.oxenAddress}`);
      const name = `isolated ${wallets.length}`;
      wallets.push({
        ...original,
        oxenAddress: oxenAddress(name),
        ethereumAddress: original.ethereumAddress === null ? null : ethereumAddress(name),
        unpaidRewards: 0n,
      });
      renamed.set(contribution.oxenAddress, oxenAddress(name));
      return { ...contribution, oxenAddress: oxenAddress(name) };
    });
    const operator = renamed.get(node.operator);
    if (operator === undefined) throw new Error(`the operator of ${node.ed25519} does not contribute`);
    return { ...node, operator, contributions };
  });
  return { ...snapshot, wallets, nodes };
}

function withRequirement(snapshot: Snapshot, requirement: bigint): Snapshot {
  return { ...snapshot, parameters: { ...snapshot.parameters, stakingRequirement: requirement } };
}

describe("lib/anchor (properties)", function () {
  it("re-stakes exactly the planner's nodes at any requirement", function () {
    fc.assert(
      fc.property(
        snapshots,
        fc.array(fc.bigInt({ min: 0n, max: 40_000n * SESH }), { maxLength: 3 }),
        (snapshot, requirements) => {
          const model = fundingModel(snapshot, planMigration(snapshot));
          for (const requirement of requirements) {
            const replayed = model.restakedAt(requirement);
            const keys = model.candidates.filter((_, index) => replayed[index]).map((candidate) => candidate.ed25519);
            const planned = planMigration(withRequirement(snapshot, requirement)).restaked.map((node) => node.ed25519);
            expect(keys, `at ${requirement}`).to.deep.equal(planned);
          }
        },
      ),
      { numRuns: RUNS, seed: FC_SEED },
    );
  });

  it("counts the planner's nodes at every sampled requirement", function () {
    fc.assert(
      fc.property(snapshots, grids, (snapshot, grid) => {
        const curve = requirementCurve(snapshot, grid);
        const sampled = [curve.points[0], curve.points[curve.points.length - 1], curve.atLaunch];
        for (const point of sampled) {
          if (point === undefined) throw new Error("the curve has no point");
          const plan = planMigration(withRequirement(snapshot, point.requirement));
          expect(point.restaked, `at ${point.requirement}`).to.equal(plan.totals.restakedNodes);
        }
      }),
      { numRuns: RUNS, seed: FC_SEED },
    );
  });

  it("never re-stakes more nodes, nor keeps a broken promise, at a larger requirement when no pool is shared", function () {
    // With pools unshared, a node is re-staked exactly when each participant's pool covers its share. A contributor's
    // share, floor(R × amount / stake), never falls as R grows, and the operator's, R minus those floors, never falls
    // over a step of at least (its contributions' count) × stake / (the operator's stake) atoms — under 40 atoms
    // here, far less than the 1-SESH steps. (With pools shared, the greedy funding can re-stake more at a larger
    // requirement: see the unit tests.)
    fc.assert(
      fc.property(snapshots, grids, (generated, grid) => {
        const curve = requirementCurve(isolatePools(generated), grid);
        curve.points.forEach((point, index) => {
          const previous = curve.points[index - 1];
          if (previous === undefined) return;
          expect(point.restaked, `at ${point.requirement}`).to.be.at.most(previous.restaked);
          if (!previous.solo) expect(point.solo, `solo at ${point.requirement}`).to.equal(false);
          if (!previous.multi) expect(point.multi, `multi at ${point.requirement}`).to.equal(false);
        });
        expect(curve.increases).to.deep.equal([]);
        expect(curve.largest.both.keptAgainAt).to.deep.equal([]);
      }),
      { numRuns: RUNS, seed: FC_SEED },
    );
  });

  it("finds a largest requirement at which the plan keeps both promises and one resolution more breaks one", function () {
    fc.assert(
      fc.property(snapshots, fc.constantFrom(SESH, 100n * SESH, 1n), (snapshot, resolution) => {
        const { largest, points } = requirementCurve(snapshot, { resolution });
        expect(largest.both.breaksAt).to.equal(largest.both.requirement + resolution);
        expect(largest.both.requirement % resolution).to.equal(0n);
        expect(checkPromises(withRequirement(snapshot, largest.both.requirement)).kept).to.equal(true);
        expect(checkPromises(withRequirement(snapshot, largest.both.breaksAt)).kept).to.equal(false);
        // It lies below the first sample that breaks a promise, and above every sample before it.
        const firstBreak = points.findIndex((point) => !(point.solo && point.multi));
        if (firstBreak !== -1) {
          expect(largest.both.breaksAt <= (points[firstBreak]?.requirement ?? 0n)).to.equal(true);
          expect(largest.both.requirement >= (points[firstBreak - 1]?.requirement ?? 0n)).to.equal(true);
        }
      }),
      { numRuns: RUNS, seed: FC_SEED },
    );
  });
});

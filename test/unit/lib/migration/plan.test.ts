import { expect } from "chai";

import { planMigration, type MigrationPlan } from "../../../../lib/migration";
import { ATOMS, ed25519, ethereumAddress, node, oxenAddress, snapshot, wallet } from "../../../helpers/snapshot";

function poolOf(plan: MigrationPlan, name: string) {
  const pool = plan.pools.find((entry) => entry.ethereumAddress === ethereumAddress(name));
  if (pool === undefined) throw new Error(`${name} has no pool`);
  return pool;
}

function creditOf(plan: MigrationPlan, name: string): bigint {
  return plan.credits.find((credit) => credit.ethereumAddress === ethereumAddress(name))?.amount ?? 0n;
}

function unlockOf(plan: MigrationPlan, name: string): bigint {
  return plan.unlocks.find((entry) => entry.oxenAddress === oxenAddress(name))?.amount ?? 0n;
}

/** Tenths of a SESH, to write amounts such as 59.4 SESH exactly. */
const TENTH = ATOMS / 10n;

describe("lib/migration", function () {
  describe("#planMigration", function () {
    describe("when a long-time solo operator is registered", function () {
      // 100 OXEN staked + 10 OXEN unpaid rewards → 59.4 SESH; the only registered wallet takes the whole bonus.
      const plan = planMigration(
        snapshot([wallet("olivia", { unpaidRewards: 10n * ATOMS })], [node({ rank: 1, stakes: [["olivia", 100n]] })], {
          bonusPool: 100n * ATOMS,
        }),
      );

      it("converts the stake and the unpaid rewards at 0.54", function () {
        expect(poolOf(plan, "olivia").convertedSesh).to.equal(594n * TENTH);
      });

      it("adds the whole bonus to the pool", function () {
        expect(poolOf(plan, "olivia").bonusSesh).to.equal(100n * ATOMS);
      });

      it("re-stakes the node with the operator's full requirement", function () {
        expect(plan.restaked.map((entry) => entry.contributors)).to.deep.equal([
          [{ ethereumAddress: ethereumAddress("olivia"), amount: 100n * ATOMS }],
        ]);
      });

      it("credits the excess", function () {
        expect(creditOf(plan, "olivia")).to.equal(594n * TENTH);
      });
    });

    describe("when every participant of a multi-contributor node is registered", function () {
      const plan = planMigration(
        snapshot(
          [wallet("olivia"), wallet("ann"), wallet("bob")],
          [
            node({
              rank: 1,
              stakes: [
                ["olivia", 100n],
                ["ann", 60n],
                ["bob", 40n],
              ],
            }),
          ],
        ),
      );

      it("gives each participant its share of the requirement, operator first", function () {
        expect(plan.restaked[0]?.contributors).to.deep.equal([
          { ethereumAddress: ethereumAddress("olivia"), amount: 50n * ATOMS },
          { ethereumAddress: ethereumAddress("ann"), amount: 30n * ATOMS },
          { ethereumAddress: ethereumAddress("bob"), amount: 20n * ATOMS },
        ]);
      });

      it("credits what is left of each pool", function () {
        expect([creditOf(plan, "olivia"), creditOf(plan, "ann"), creditOf(plan, "bob")]).to.deep.equal([
          4n * ATOMS,
          24n * TENTH,
          16n * TENTH,
        ]);
      });
    });

    describe("when shares do not divide evenly", function () {
      const plan = planMigration(
        snapshot(
          [wallet("olivia"), wallet("ann"), wallet("bob")],
          [
            node({
              rank: 1,
              stakes: [
                ["olivia", 1n],
                ["ann", 1n],
                ["bob", 1n],
              ],
            }),
          ],
          { stakeConversion: { numerator: 100n, denominator: 1n } },
        ),
      );

      it("rounds contributors down and leaves the shortfall to the operator", function () {
        expect(plan.restaked[0]?.contributors.map((contributor) => contributor.amount)).to.deep.equal([
          33_333_333_334n,
          33_333_333_333n,
          33_333_333_333n,
        ]);
      });
    });

    describe("when a contributor's share of the requirement rounds to nothing", function () {
      const plan = planMigration(
        snapshot(
          [wallet("olivia"), wallet("ann")],
          [
            node({
              rank: 1,
              unit: 1n,
              stakes: [
                ["olivia", 200n * ATOMS],
                ["ann", 1n],
              ],
            }),
          ],
        ),
      );

      it("re-stakes the node without that contributor, which the contract would refuse (ZeroStake)", function () {
        const contributors = plan.restaked[0]?.contributors ?? [];
        expect(contributors).to.have.length(1);
        expect(contributors[0]?.ethereumAddress).to.equal(ethereumAddress("olivia"));
        expect(contributors[0]?.amount).to.equal(plan.parameters.stakingRequirement);
      });
    });

    describe("when a contributor did not register", function () {
      const plan = planMigration(
        snapshot(
          [wallet("olivia"), wallet("ulrich", { registered: false })],
          [
            node({
              rank: 1,
              stakes: [
                ["olivia", 100n],
                ["ulrich", 100n],
              ],
            }),
          ],
        ),
      );

      it("disbands the node, naming the unregistered address", function () {
        expect(plan.disbanded).to.deep.equal([
          {
            ed25519: ed25519(1),
            registrationHeight: 1,
            reason: "unregistered-participant",
            detail: `not registered: ${oxenAddress("ulrich")}`,
          },
        ]);
      });

      it("credits the operator's converted stake", function () {
        expect(creditOf(plan, "olivia")).to.equal(54n * ATOMS);
      });

      it("unlocks the unregistered contributor's OXEN", function () {
        expect(unlockOf(plan, "ulrich")).to.equal(100n * ATOMS);
      });
    });

    describe("when the operator did not register", function () {
      const plan = planMigration(
        snapshot(
          [wallet("ulrich", { registered: false }), wallet("ann")],
          [
            node({
              rank: 1,
              stakes: [
                ["ulrich", 100n],
                ["ann", 50n],
              ],
            }),
          ],
        ),
      );

      it("disbands the node", function () {
        expect(plan.disbanded.map((entry) => entry.reason)).to.deep.equal(["unregistered-participant"]);
      });

      it("credits the registered contributor's converted stake", function () {
        expect(creditOf(plan, "ann")).to.equal(27n * ATOMS);
      });

      it("unlocks the operator's OXEN", function () {
        expect(unlockOf(plan, "ulrich")).to.equal(100n * ATOMS);
      });
    });

    for (const state of ["unlocking", "deregistered"] as const) {
      describe(`when a node is ${state}`, function () {
        const plan = planMigration(
          snapshot([wallet("olivia")], [node({ rank: 1, state, stakes: [["olivia", 100n]] })], {
            bonusPool: 7n * ATOMS,
          }),
        );

        it("disbands it", function () {
          expect(plan.disbanded.map((entry) => entry.reason)).to.deep.equal([state]);
        });

        it("keeps its stake out of the pool and unlocks the OXEN", function () {
          expect(poolOf(plan, "olivia").stakedOxen).to.equal(0n);
          expect(unlockOf(plan, "olivia")).to.equal(100n * ATOMS);
        });

        it("credits the bonus", function () {
          expect(creditOf(plan, "olivia")).to.equal(7n * ATOMS);
        });
      });
    }

    describe("when a node never registered a BLS key", function () {
      const plan = planMigration(
        snapshot([wallet("olivia")], [node({ rank: 1, bls: false, stakes: [["olivia", 200n]] })]),
      );

      it("disbands it and credits the converted stake", function () {
        expect(plan.disbanded.map((entry) => entry.reason)).to.deep.equal(["missing-bls-key"]);
        expect(creditOf(plan, "olivia")).to.equal(108n * ATOMS);
      });
    });

    describe("when a decommissioned node's participants are registered", function () {
      it("re-stakes it", function () {
        const plan = planMigration(
          snapshot([wallet("olivia")], [node({ rank: 1, state: "decommissioned", stakes: [["olivia", 200n]] })]),
        );
        expect(plan.restaked.map((entry) => entry.ed25519)).to.deep.equal([ed25519(1)]);
      });
    });

    describe("when a wallet is short of SESH for its newest node", function () {
      // 300 OXEN → 162 SESH: enough for one node of 100 SESH, not two.
      const plan = planMigration(
        snapshot(
          [wallet("olivia")],
          [
            node({ rank: 7, height: 20, stakes: [["olivia", 150n]] }),
            node({ rank: 9, height: 10, stakes: [["olivia", 150n]] }),
          ],
        ),
      );

      it("re-stakes the older node", function () {
        expect(plan.restaked.map((entry) => entry.registrationHeight)).to.deep.equal([10]);
      });

      it("disbands the newer one, naming who is short by how much", function () {
        expect(plan.disbanded).to.deep.equal([
          {
            ed25519: ed25519(7),
            registrationHeight: 20,
            reason: "insufficient-pool",
            detail: `${ethereumAddress("olivia")} owes 100 SESH but has 62 SESH left`,
          },
        ]);
      });

      it("deducts nothing for the disbanded node", function () {
        expect(creditOf(plan, "olivia")).to.equal(62n * ATOMS);
      });
    });

    describe("when a participant's pool is larger than its share", function () {
      const plan = planMigration(
        snapshot(
          [wallet("olivia"), wallet("whale", { unpaidRewards: 10_000n * ATOMS })],
          [
            node({
              rank: 1,
              stakes: [
                ["olivia", 100n],
                ["whale", 100n],
              ],
            }),
          ],
        ),
      );

      it("allocates no more than the share", function () {
        expect(plan.restaked[0]?.contributors.map((contributor) => contributor.amount)).to.deep.equal([
          50n * ATOMS,
          50n * ATOMS,
        ]);
      });

      it("credits the rest", function () {
        expect(creditOf(plan, "whale")).to.equal(5_454n * ATOMS - 50n * ATOMS);
      });
    });

    describe("when several Oxen addresses registered one Ethereum address", function () {
      const plan = planMigration(
        snapshot(
          [wallet("olivia"), wallet("olivia-cold", { ethereum: "olivia" })],
          [
            node({
              rank: 1,
              stakes: [
                ["olivia", 100n],
                ["olivia-cold", 100n],
              ],
            }),
          ],
        ),
      );

      it("shares one pool", function () {
        expect(poolOf(plan, "olivia").oxenAddresses).to.have.length(2);
        expect(poolOf(plan, "olivia").stakedOxen).to.equal(200n * ATOMS);
      });

      it("counts them as one participant", function () {
        expect(plan.restaked[0]?.contributors).to.deep.equal([
          { ethereumAddress: ethereumAddress("olivia"), amount: 100n * ATOMS },
        ]);
      });
    });

    describe("finding 17: each contribution and each wallet's unpaid rewards are converted on their own", function () {
      it("floors the contributions of two Oxen addresses of one Ethereum address in one node separately", function () {
        // 1,000,000,001 atoms × 0.54 = 540,000,000.54 each: 540,000,000 + 540,000,000, where one floor of the sum
        // (2,000,000,002 × 0.54 = 1,080,000,001.08) would give one atom more.
        const plan = planMigration(
          snapshot(
            [wallet("olivia"), wallet("olivia-cold", { ethereum: "olivia" })],
            [
              node({
                rank: 1,
                unit: 1n,
                stakes: [
                  ["olivia", 1_000_000_001n],
                  ["olivia-cold", 1_000_000_001n],
                ],
              }),
            ],
          ),
        );
        expect(poolOf(plan, "olivia").convertedSesh).to.equal(1_080_000_000n);
        expect(plan.totals.converted).to.equal(1_080_000_000n);
      });

      it("converts 1 atom staked and 1 atom of unpaid rewards to 0, not 1", function () {
        const plan = planMigration(
          snapshot(
            [wallet("olivia"), wallet("dust", { unpaidRewards: 1n })],
            [
              node({
                rank: 1,
                unit: 1n,
                stakes: [
                  ["olivia", 200n * ATOMS],
                  ["dust", 1n],
                ],
              }),
            ],
          ),
        );
        expect(poolOf(plan, "dust").convertedSesh).to.equal(0n);
        expect(poolOf(plan, "dust").total).to.equal(0n);
        expect(creditOf(plan, "dust")).to.equal(0n);
      });

      it("floors the unpaid rewards of each wallet of one Ethereum address separately", function () {
        const plan = planMigration(
          snapshot(
            [
              wallet("olivia", { unpaidRewards: 1_000_000_001n }),
              wallet("olivia-cold", { ethereum: "olivia", unpaidRewards: 1_000_000_001n }),
            ],
            [],
          ),
        );
        expect(poolOf(plan, "olivia").convertedSesh).to.equal(1_080_000_000n);
      });

      describe("when a participant's Oxen addresses each owe a fraction of an atom", function () {
        // Requirement 200 SESH over 3 OXEN: each 1-OXEN contribution owes floor(66,666,666,666.67) atoms. Ann's two
        // addresses owe 2 × 66,666,666,666 = 133,333,333,332, where one floor of her 2 OXEN would give
        // 133,333,333,333; the operator takes the shortfall.
        const plan = planMigration(
          snapshot(
            [
              wallet("olivia", { unpaidRewards: 1_000n * ATOMS }),
              wallet("ann", { unpaidRewards: 1_000n * ATOMS }),
              wallet("ann-cold", { ethereum: "ann" }),
            ],
            [
              node({
                rank: 1,
                stakes: [
                  ["olivia", 1n],
                  ["ann", 1n],
                  ["ann-cold", 1n],
                ],
              }),
            ],
            { stakingRequirement: 200n * ATOMS },
          ),
        );

        it("owes the sum of the per-contribution floors", function () {
          expect(plan.restaked[0]?.contributors).to.deep.equal([
            { ethereumAddress: ethereumAddress("olivia"), amount: 66_666_666_668n },
            { ethereumAddress: ethereumAddress("ann"), amount: 133_333_333_332n },
          ]);
        });

        it("conserves every atom", function () {
          expect(plan.totals.pools).to.equal(plan.totals.restaked + plan.totals.credited);
          expect(plan.totals.restaked).to.equal(200n * ATOMS);
        });
      });
    });

    describe("finding 18: a node still awaiting contributions is disbanded", function () {
      // Olivia's partly funded node (60 + 20 of 100 OXEN) is disbanded; her 60 OXEN there still count in her pool,
      // so that with her solo node's 200 OXEN she has 260 × 0.54 = 140.4 SESH, 100 of which re-stake the solo node.
      const plan = planMigration(
        snapshot(
          [wallet("olivia"), wallet("ulrich", { registered: false })],
          [
            node({
              rank: 1,
              height: 1,
              state: "awaiting-contributions",
              stake: 100n,
              stakes: [
                ["olivia", 60n],
                ["ulrich", 20n],
              ],
            }),
            node({ rank: 2, height: 2, stakes: [["olivia", 200n]] }),
          ],
        ),
      );

      it("disbands it with the reason not-fully-funded, saying how much is staked", function () {
        expect(plan.disbanded).to.deep.equal([
          {
            ed25519: ed25519(1),
            registrationHeight: 1,
            reason: "not-fully-funded",
            detail: "awaiting contributions: 80 OXEN of 100 OXEN staked",
          },
        ]);
      });

      it("re-stakes only the fully funded node", function () {
        expect(plan.restaked.map((entry) => entry.ed25519)).to.deep.equal([ed25519(2)]);
      });

      it("keeps the registered participant's converted stake in its pool", function () {
        expect(poolOf(plan, "olivia").stakedOxen).to.equal(260n * ATOMS);
        expect(poolOf(plan, "olivia").convertedSesh).to.equal(1_404n * TENTH);
        expect(creditOf(plan, "olivia")).to.equal(404n * TENTH);
      });

      it("unlocks the unregistered participant's OXEN", function () {
        expect(plan.unlocks).to.deep.equal([
          { oxenAddress: oxenAddress("ulrich"), amount: 20n * ATOMS, sources: [ed25519(1)] },
        ]);
      });

      it("gives not-fully-funded before a missing BLS key or an unregistered participant", function () {
        const other = planMigration(
          snapshot(
            [wallet("olivia"), wallet("ulrich", { registered: false })],
            [
              node({
                rank: 1,
                state: "awaiting-contributions",
                bls: false,
                stake: 100n,
                stakes: [
                  ["olivia", 60n],
                  ["ulrich", 20n],
                ],
              }),
            ],
          ),
        );
        expect(other.disbanded.map((entry) => entry.reason)).to.deep.equal(["not-fully-funded"]);
      });
    });

    describe("funding order", function () {
      it("funds the lower registration height first, then the smaller ed25519 key", function () {
        const plan = planMigration(
          snapshot(
            [wallet("olivia")],
            [
              node({ rank: 3, height: 5, stakes: [["olivia", 100n]] }),
              node({ rank: 2, height: 5, stakes: [["olivia", 100n]] }),
              node({ rank: 1, height: 9, stakes: [["olivia", 100n]] }),
            ],
            { stakeConversion: { numerator: 1n, denominator: 1n } },
          ),
        );
        expect(plan.restaked.map((entry) => entry.ed25519)).to.deep.equal([ed25519(2), ed25519(3), ed25519(1)]);
      });
    });

    describe("seed batches", function () {
      const nodes = Array.from({ length: 5 }, (_, index) => node({ rank: index + 1, stakes: [["olivia", 200n]] }));
      const seedGas = { perBatch: 10n, perNode: 100n, perContributor: 20n };

      it("fit the gas budget, a solo node costing perNode", function () {
        const plan = planMigration(snapshot([wallet("olivia")], nodes), { gasBudget: 250n, seedGas });
        expect(plan.seedBatches.map((batch) => [batch.nodes.length, batch.estimatedGas])).to.deep.equal([
          [2, 210n],
          [2, 210n],
          [1, 110n],
        ]);
      });

      it("count perContributor for every contributor of a shared node", function () {
        const shared = Array.from({ length: 3 }, (_, index) =>
          node({
            rank: index + 1,
            stakes: [
              ["olivia", 100n],
              ["ann", 100n],
            ],
          }),
        );
        const plan = planMigration(snapshot([wallet("olivia"), wallet("ann")], shared), { gasBudget: 290n, seedGas });
        expect(plan.seedBatches.map((batch) => [batch.contributors, batch.estimatedGas])).to.deep.equal([
          [4, 290n],
          [2, 150n],
        ]);
      });

      it("refuse a budget too small for one node", function () {
        expect(() => planMigration(snapshot([wallet("olivia")], nodes), { gasBudget: 109n, seedGas })).to.throw(
          RangeError,
          "cannot hold even one node with 1 contributors (110 gas)",
        );
      });
    });

    it("hashes the input the same in any row order", function () {
      const wallets = [wallet("olivia"), wallet("ann")];
      const nodes = [node({ rank: 1, stakes: [["olivia", 200n]] }), node({ rank: 2, stakes: [["ann", 200n]] })];
      const forward = planMigration(snapshot(wallets, nodes));
      const backward = planMigration(snapshot([...wallets].reverse(), [...nodes].reverse()));
      expect(forward.inputHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(backward.inputHash).to.equal(forward.inputHash);
    });
  });
});

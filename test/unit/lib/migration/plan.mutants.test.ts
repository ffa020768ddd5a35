import { expect } from "chai";

import { planMigration } from "../../../../lib/migration";
import { ATOMS, node, oxenAddress, snapshot, wallet } from "../../../helpers/snapshot";

// Cases the mutation run (npm run mutate) found untested in lib/migration/plan.ts.

/** Olivia runs a solo node; Uma never registered and her node has no BLS key. */
function twoNodeSnapshot() {
  return snapshot(
    [wallet("olivia", { unpaidRewards: 10n * ATOMS }), wallet("uma", { registered: false, unpaidRewards: 3n * ATOMS })],
    [node({ rank: 1, stakes: [["olivia", 100n]] }), node({ rank: 2, bls: false, stakes: [["uma", 100n]] })],
    { bonusPool: 100n * ATOMS },
  );
}

describe("lib/migration (mutation cases)", function () {
  const plan = planMigration(twoNodeSnapshot());

  it("pins the input hash of a known snapshot (plan.json publishes it, so its recipe must not drift)", function () {
    expect(plan.inputHash).to.equal("0xe23180bfc4ac6e2ca9ab613c6c9a5cbffb9e3ef8a46ca6b2d270160a39c6f5ac");
  });

  it("changes the input hash when one wallet's registration time changes", function () {
    const changed = twoNodeSnapshot();
    const wallets = changed.wallets.map((entry, row) =>
      row === 0 ? { ...entry, registeredAt: new Date("2024-02-01T00:00:00Z") } : entry,
    );
    expect(planMigration({ ...changed, wallets }).inputHash).to.not.equal(plan.inputHash);
  });

  it("gives a re-staked node its Oxen registration time in Unix seconds as its addedTimestamp", function () {
    expect(plan.restaked.map((restaked) => restaked.addedTimestamp)).to.deep.equal([
      Date.parse("2021-01-01T00:00:00Z") / 1000,
    ]);
  });

  it("records in each pool what it re-staked and what it credited, summing to its total", function () {
    const [pool] = plan.pools;
    expect(plan.pools).to.have.length(1);
    expect([pool?.restaked, pool?.credited, pool?.total]).to.deep.equal([
      100n * ATOMS,
      594n * (ATOMS / 10n),
      1594n * (ATOMS / 10n),
    ]);
  });

  it("unlocks an unregistered wallet's unpaid rewards with its stake, naming both sources", function () {
    expect(plan.unlocks).to.deep.equal([
      {
        oxenAddress: oxenAddress("uma"),
        amount: 103n * ATOMS,
        sources: ["unpaid rewards", "0".repeat(63) + "2"],
      },
    ]);
  });
});

import { expect } from "chai";
import { getAddress } from "ethers";

import { planMigration, type MigrationPlan } from "../../../lib/migration";
import { generateSnapshot, parseSnapshot, snapshotToJson } from "../../../lib/snapshot";
import { launchTimeline } from "../../../lib/timeline";
import { anchorStages, DECOMMISSION_GRACE_SECONDS } from "../../../scripts/phases/anchor";
import { burnRecipient, claimRounds, unlockBurns } from "../../../scripts/phases/bridge";
import { largestCredits } from "../../../scripts/phases/landingNetwork";

const SESH = 10n ** 9n;

/** A plan with only the credits filled in: what largestCredits reads. */
function withCredits(amounts: readonly bigint[]): MigrationPlan {
  const credits = amounts.map((amount, index) => ({
    ethereumAddress: getAddress(`0x${(index + 1).toString(16).padStart(40, "0")}`),
    amount,
  }));
  return { credits } as unknown as MigrationPlan;
}

// The pure parts of the rehearsal's phases (scripts/phases): what they choose and when, without a chain.
describe("the rehearsal's phases, without a chain", function () {
  describe("largestCredits", function () {
    it("takes the largest credits, largest first, ties in the plan's order", function () {
      const plan = withCredits([5n, 9n, 7n, 9n, 1n]);
      expect(largestCredits(plan, 3, 100n).map((credit) => credit.amount)).to.deep.equal([9n, 9n, 7n]);
      expect(largestCredits(plan, 2, 100n).map((credit) => credit.ethereumAddress)).to.deep.equal([
        plan.credits[1]?.ethereumAddress,
        plan.credits[3]?.ethereumAddress,
      ]);
    });

    it("skips a credit that would take the total over the budget, and one larger than it", function () {
      const plan = withCredits([2_000_000n * SESH, 600_000n * SESH, 500_000n * SESH, 300_000n * SESH]);
      const chosen = largestCredits(plan, 4, 1_000_000n * SESH).map((credit) => credit.amount / SESH);
      expect(chosen).to.deep.equal([600_000n, 300_000n]);
    });

    it("gives fewer than asked when the plan has fewer, and none from an empty plan", function () {
      expect(largestCredits(withCredits([3n]), 4, 10n)).to.have.length(1);
      expect(largestCredits(withCredits([]), 4, 10n)).to.deep.equal([]);
    });
  });

  describe("claimRounds", function () {
    it("claims at the opening, on the decay's eve six months on, half-way through the decay and a year after the TGE", function () {
      const timeline = launchTimeline();
      const day = 24 * 3_600;
      expect(claimRounds().map((round) => round.unix)).to.deep.equal([
        timeline.at("stakingPortalLive").unix,
        timeline.at("conversionDecayStart").unix - day,
        timeline.at("conversionDecayStart").unix + 15 * day,
        timeline.at("tge").unix + 365 * day,
      ]);
    });
  });

  describe("the bridge's epoch of the plan's unlocks", function () {
    const snapshot = parseSnapshot(
      snapshotToJson(generateSnapshot({ seed: "phases", nodes: 60, wallets: 300 })),
      "generated",
    );
    const plan = planMigration(snapshot);

    it("burns each unlock once, for its amount, to an address derived from its Oxen address", function () {
      const burns = unlockBurns(plan);
      expect(plan.unlocks.length).to.be.greaterThan(0);
      expect(burns.map((burn) => burn.oxenAmount)).to.deep.equal(plan.unlocks.map((unlock) => unlock.amount));
      expect(burns.map((burn) => burn.recipient)).to.deep.equal(
        plan.unlocks.map((unlock) => burnRecipient(unlock.oxenAddress)),
      );
      expect(new Set(burns.map((burn) => burn.burnId)).size).to.equal(burns.length);
    });

    it("derives the same recipient from the same Oxen address and different ones from different addresses", function () {
      expect(burnRecipient("LAddressOne")).to.equal(burnRecipient("LAddressOne"));
      expect(burnRecipient("LAddressOne")).to.not.equal(burnRecipient("LAddressTwo"));
      expect(burnRecipient("LAddressOne")).to.equal(getAddress(burnRecipient("LAddressOne")));
    });
  });

  describe("anchorStages", function () {
    it("keeps every node in one state at each date and dates the deregistration a week after the hardfork", function () {
      const snapshot = parseSnapshot(
        snapshotToJson(generateSnapshot({ seed: "stages", nodes: 80, wallets: 400 })),
        "generated",
      );
      const stages = anchorStages(snapshot);
      for (const stage of stages) {
        expect(stage.running + stage.decommissioned + stage.deregistered + stage.unlocking).to.equal(80);
      }
      const hardfork = launchTimeline().at("anchorHardfork").date.getTime();
      expect(stages[2]?.date.getTime()).to.equal(hardfork + DECOMMISSION_GRACE_SECONDS * 1_000);
    });
  });
});

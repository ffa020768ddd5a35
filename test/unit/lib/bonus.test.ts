import { expect } from "chai";
import { getAddress } from "ethers";

import { bonusPoints, computeBonus, contributionPoints, splitProRata } from "../../../lib/bonus";
import type { Contribution, ServiceNode, Snapshot, SnapshotParameters, Wallet } from "../../../lib/snapshot/schema";
import { ATOMS, snapshot } from "../../helpers/snapshot";

const DAY = 86_400n;
const HOUR = 3_600n;

/** The real bonus dates (SPEC section 2): backdating from 2023-09-25 17:00, deadline 2024-01-31, snapshot 2025-05-09. */
const PARAMETERS: SnapshotParameters = {
  stakeConversion: { numerator: 54n, denominator: 100n },
  bonusPool: 30_000_000n * ATOMS,
  stakingRequirement: 20_000n * ATOMS,
  maxContributors: 10,
  snapshotTime: new Date("2025-05-09T00:00:00Z"),
  bonusBackdateFrom: new Date("2023-09-25T17:00:00Z"),
  bonusBackdateDeadline: new Date("2024-01-31T00:00:00Z"),
};

/** 2023-09-25 17:00 → 2025-05-09 00:00. */
const BACKDATED_SECONDS = 591n * DAY + 7n * HOUR;

const EARLY = new Date("2023-10-01T00:00:00Z");
const LATE = new Date("2024-03-01T00:00:00Z");
const LONG_AGO = new Date("2022-03-01T00:00:00Z");

/** A well-formed Oxen address (base58, 97 characters) for a short base58 tag. */
function oxen(tag: string): string {
  return `L${tag.padEnd(96, "1")}`;
}

function ethereum(byte: string): string {
  return getAddress(`0x${byte.repeat(20)}`);
}

function wallet(tag: string, registration: { ethereum: string; at: Date } | null): Wallet {
  return {
    oxenAddress: oxen(tag),
    ethereumAddress: registration?.ethereum ?? null,
    registeredAt: registration?.at ?? null,
    unpaidRewards: 0n,
  };
}

function contribution(tag: string, oxenAmount: bigint, since: Date, until: Date | null = null): Contribution {
  return { oxenAddress: oxen(tag), amount: oxenAmount * ATOMS, since, until };
}

function node(rank: number, contributions: readonly Contribution[]): ServiceNode {
  const [operator] = contributions;
  if (operator === undefined) throw new Error("a node needs its operator's contribution");
  return {
    ed25519: rank.toString(16).padStart(64, "0"),
    bls: null,
    registrationHeight: rank,
    registeredAt: operator.since,
    operator: operator.oxenAddress,
    operatorFee: 0,
    state: "active",
    stake: contributions.reduce((total, entry) => total + entry.amount, 0n),
    contributions: [...contributions],
  };
}

function snapshotOf(
  wallets: readonly Wallet[],
  nodes: readonly ServiceNode[],
  parameters: Partial<SnapshotParameters> = {},
): Snapshot {
  return snapshot(wallets, nodes, { ...PARAMETERS, ...parameters });
}

const ANN = ethereum("11");
const BOB = ethereum("22");

describe("lib/bonus", function () {
  describe("#contributionPoints", function () {
    it("backdates an early registrant's older participation to 2023-09-25 17:00", function () {
      const points = contributionPoints(
        contribution("Ann", 15_000n, LONG_AGO),
        wallet("Ann", { ethereum: ANN, at: EARLY }),
        PARAMETERS,
      );
      expect(points).to.equal(15_000n * ATOMS * BACKDATED_SECONDS);
    });

    it("accrues from the start of an early registrant's participation that began after the backdate", function () {
      const points = contributionPoints(
        contribution("Ann", 15_000n, new Date("2024-01-10T00:00:00Z")),
        wallet("Ann", { ethereum: ANN, at: EARLY }),
        PARAMETERS,
      );
      expect(points).to.equal(15_000n * ATOMS * 485n * DAY);
    });

    it("accrues from the registration of a late registrant", function () {
      const points = contributionPoints(
        contribution("Bob", 5_000n, LONG_AGO),
        wallet("Bob", { ethereum: BOB, at: LATE }),
        PARAMETERS,
      );
      expect(points).to.equal(5_000n * ATOMS * 434n * DAY);
    });

    it("treats a registration exactly at the deadline as late", function () {
      const deadline = PARAMETERS.bonusBackdateDeadline;
      const points = contributionPoints(
        contribution("Bob", 1n, LONG_AGO),
        wallet("Bob", { ethereum: BOB, at: deadline }),
        PARAMETERS,
      );
      expect(points).to.equal(ATOMS * 464n * DAY);
    });

    it("stops at the end of a participation that ended before the snapshot", function () {
      const points = contributionPoints(
        contribution("Ann", 15_000n, LONG_AGO, new Date("2024-12-01T00:00:00Z")),
        wallet("Ann", { ethereum: ANN, at: EARLY }),
        PARAMETERS,
      );
      expect(points).to.equal(15_000n * ATOMS * (432n * DAY + 7n * HOUR));
    });

    it("stops at the snapshot for a participation that ended after it", function () {
      const points = contributionPoints(
        contribution("Ann", 15_000n, LONG_AGO, new Date("2025-06-01T00:00:00Z")),
        wallet("Ann", { ethereum: ANN, at: EARLY }),
        PARAMETERS,
      );
      expect(points).to.equal(15_000n * ATOMS * BACKDATED_SECONDS);
    });

    it("gives nothing for a participation that ended before the accrual start", function () {
      const points = contributionPoints(
        contribution("Ann", 15_000n, LONG_AGO, new Date("2023-06-01T00:00:00Z")),
        wallet("Ann", { ethereum: ANN, at: EARLY }),
        PARAMETERS,
      );
      expect(points).to.equal(0n);
    });

    it("gives nothing to an unregistered wallet", function () {
      expect(contributionPoints(contribution("Cat", 15_000n, LONG_AGO), wallet("Cat", null), PARAMETERS)).to.equal(0n);
    });

    it("throws if a registered wallet has no registration date", function () {
      const undated: Wallet = { ...wallet("Ann", { ethereum: ANN, at: EARLY }), registeredAt: null };
      expect(() => contributionPoints(contribution("Ann", 1n, LONG_AGO), undated, PARAMETERS)).to.throw(
        /has an Ethereum address but no registration date/,
      );
    });

    it("throws if the contribution belongs to another wallet", function () {
      expect(() =>
        contributionPoints(contribution("Ann", 1n, LONG_AGO), wallet("Bob", { ethereum: BOB, at: EARLY }), PARAMETERS),
      ).to.throw(/was paired with the wallet/);
    });
  });

  describe("#bonusPoints", function () {
    it("pools the points of two Oxen addresses registered to one Ethereum address", function () {
      const snapshot = snapshotOf(
        [wallet("Ann", { ethereum: ANN, at: EARLY }), wallet("Ann2", { ethereum: ANN, at: LATE })],
        [node(1, [contribution("Ann", 10_000n, LONG_AGO)]), node(2, [contribution("Ann2", 5_000n, LONG_AGO)])],
      );
      expect([...bonusPoints(snapshot)]).to.deep.equal([
        [ANN, 10_000n * ATOMS * BACKDATED_SECONDS + 5_000n * ATOMS * 434n * DAY],
      ]);
    });

    it("leaves out unregistered wallets and contributors without a wallet", function () {
      const snapshot = snapshotOf(
        [wallet("Ann", { ethereum: ANN, at: EARLY }), wallet("Cat", null)],
        [
          node(1, [
            contribution("Ann", 10_000n, LONG_AGO),
            contribution("Cat", 5_000n, LONG_AGO),
            contribution("Dan", 5_000n, LONG_AGO),
          ]),
        ],
      );
      expect([...bonusPoints(snapshot)]).to.deep.equal([[ANN, 10_000n * ATOMS * BACKDATED_SECONDS]]);
    });

    it("counts contributions in every node state", function () {
      const nodes = (["active", "decommissioned", "deregistered", "unlocking"] as const).map((state, index) => ({
        ...node(index + 1, [contribution("Ann", 1_000n, LONG_AGO)]),
        state,
      }));
      const points = bonusPoints(snapshotOf([wallet("Ann", { ethereum: ANN, at: EARLY })], nodes));
      expect(points.get(ANN)).to.equal(4n * 1_000n * ATOMS * BACKDATED_SECONDS);
    });

    it("throws if an Oxen address has two wallets", function () {
      const snapshot = snapshotOf(
        [wallet("Ann", { ethereum: ANN, at: EARLY }), wallet("Ann", { ethereum: BOB, at: EARLY })],
        [],
      );
      expect(() => bonusPoints(snapshot)).to.throw(/appears more than once/);
    });
  });

  describe("#splitProRata", function () {
    // 30,000,000 SESH = 3·10^16 atoms; 3·10^16 ≡ 5 (mod 7). Weights 1 : 2 : 4 of 7:
    //   1 → 4,285,714,285,714,285 rem 5; 2 → 8,571,428,571,428,571 rem 3; 4 → 17,142,857,142,857,142 rem 6.
    // The floors leave 2 atoms, which go to the remainders 6 and 5.
    const pool = 30_000_000n * ATOMS;
    const weights = new Map([
      [ethereum("a1"), 1n],
      [ethereum("b2"), 2n],
      [ethereum("c3"), 4n],
    ]);

    it("gives the leftover atoms to the largest remainders", function () {
      expect([...splitProRata(pool, weights)]).to.deep.equal([
        [ethereum("a1"), 4_285_714_285_714_286n],
        [ethereum("b2"), 8_571_428_571_428_571n],
        [ethereum("c3"), 17_142_857_142_857_143n],
      ]);
    });

    it("sums exactly to the total", function () {
      const awards = splitProRata(pool, weights);
      expect([...awards.values()].reduce((total, award) => total + award, 0n)).to.equal(pool);
    });

    it("breaks ties in the remainder by lowercase address, whatever the order and the checksum case", function () {
      // 0xB1B1… sorts before 0xa2A2… as written, after it in lowercase.
      const upper = getAddress(`0x${"b1".repeat(20)}`);
      const lower = getAddress(`0x${"a2".repeat(20)}`);
      expect(upper.startsWith("0xB") && lower.startsWith("0xa")).to.be.true;
      for (const order of [
        [upper, lower],
        [lower, upper],
      ]) {
        const awards = splitProRata(1n, new Map(order.map((address) => [address, 7n])));
        expect(awards.get(lower)).to.equal(1n);
        expect(awards.get(upper)).to.equal(0n);
      }
    });

    it("gives every key zero when all weights are zero", function () {
      const zeros = new Map([
        [ANN, 0n],
        [BOB, 0n],
      ]);
      expect([...splitProRata(pool, zeros)]).to.deep.equal([
        [ANN, 0n],
        [BOB, 0n],
      ]);
    });

    it("throws on a negative weight", function () {
      expect(() => splitProRata(pool, new Map([[ANN, -1n]]))).to.throw(RangeError, /is negative/);
    });

    it("throws on a negative total", function () {
      expect(() => splitProRata(-1n, weights)).to.throw(RangeError, /negative total/);
    });
  });

  describe("#computeBonus", function () {
    it("splits the pool pro rata to the points of each Ethereum address", function () {
      // Ann: 2 × 10,000 OXEN backdated; Bob: 10,000 OXEN over the same seconds → 2 : 1.
      const snapshot = snapshotOf(
        [wallet("Ann", { ethereum: ANN, at: EARLY }), wallet("Bob", { ethereum: BOB, at: EARLY })],
        [node(1, [contribution("Ann", 20_000n, LONG_AGO), contribution("Bob", 10_000n, LONG_AGO)])],
      );
      const bonus = computeBonus(snapshot);
      expect(bonus.totalPoints).to.equal(30_000n * ATOMS * BACKDATED_SECONDS);
      expect([...bonus.awards]).to.deep.equal([
        [ANN, 20_000_000n * ATOMS],
        [BOB, 10_000_000n * ATOMS],
      ]);
      expect(bonus.undistributed).to.equal(0n);
    });

    it("gives the same awards for any order of wallets and nodes", function () {
      const wallets = [
        wallet("Ann", { ethereum: ANN, at: EARLY }),
        wallet("Bob", { ethereum: BOB, at: LATE }),
        wallet("Eve", { ethereum: ethereum("33"), at: EARLY }),
      ];
      const nodes = [
        node(1, [contribution("Ann", 7_000n, LONG_AGO), contribution("Bob", 3_000n, LONG_AGO)]),
        node(2, [contribution("Eve", 11_000n, new Date("2024-02-02T02:02:02Z"))]),
      ];
      const forward = computeBonus(snapshotOf(wallets, nodes));
      const backward = computeBonus(snapshotOf([...wallets].reverse(), [...nodes].reverse()));
      for (const [address, award] of forward.awards) expect(backward.awards.get(address)).to.equal(award);
      expect(backward.awards.size).to.equal(forward.awards.size);
    });

    it("reports the whole pool as undistributed when nobody has points", function () {
      const snapshot = snapshotOf(
        [wallet("Ann", { ethereum: ANN, at: EARLY }), wallet("Cat", null)],
        [
          node(1, [contribution("Ann", 10_000n, LONG_AGO, new Date("2023-01-01T00:00:00Z"))]),
          node(2, [contribution("Cat", 10_000n, LONG_AGO)]),
        ],
      );
      const bonus = computeBonus(snapshot);
      expect(bonus.totalPoints).to.equal(0n);
      expect(bonus.points.size).to.equal(0);
      expect(bonus.awards.size).to.equal(0);
      expect(bonus.undistributed).to.equal(PARAMETERS.bonusPool);
    });
  });
});

import { expect } from "chai";

import { publicKeyOf, toG1Struct } from "../../../../lib/bls";
import {
  DEFAULT_SHARES,
  GENERATED_NODE_STAKE,
  generatedBlsSecretKey,
  generateSnapshot,
  MAX_CONTRIBUTORS,
  parseSnapshot,
  snapshotToJson,
  type Snapshot,
} from "../../../../lib/snapshot";
import { launchTimeline } from "../../../../lib/timeline";

const FILE = "generated.json";
const SEED = "lib/snapshot tests";
const NODES = 2_000;
const WALLETS = 10_000;
/** How far an observed share may be from the configured one in a 2,000-node snapshot (absolute fraction). */
const SHARE_TOLERANCE = 0.03;

let large: Snapshot | undefined;

/** The 2,000-node, 10,000-wallet snapshot, generated and parsed once (read-only). */
function largeSnapshot(): Snapshot {
  large ??= parseSnapshot(snapshotToJson(generateSnapshot({ seed: SEED, nodes: NODES, wallets: WALLETS })), FILE);
  return large;
}

function share(part: number, whole: number): number {
  return part / whole;
}

describe("lib/snapshot", function () {
  describe("#generateSnapshot", function () {
    const sizes: [string, number, number][] = [
      ["empty", 0, 0],
      ["one", 1, 1],
      ["few wallets", 40, 5],
      ["medium", 300, 1_500],
    ];
    for (const [seed, nodes, wallets] of sizes) {
      it(`makes a snapshot that loads (seed "${seed}", ${nodes} nodes, ${wallets} wallets)`, function () {
        const snapshot = parseSnapshot(snapshotToJson(generateSnapshot({ seed, nodes, wallets })), FILE);
        expect(snapshot.nodes).to.have.length(nodes);
        expect(snapshot.wallets).to.have.length(wallets);
      });
    }

    it("makes snapshots that load for the extreme shares", function () {
      const all = Object.fromEntries(Object.keys(DEFAULT_SHARES).map((name) => [name, 1]));
      const none = Object.fromEntries(Object.keys(DEFAULT_SHARES).map((name) => [name, 0]));
      const onlyState = { unlocking: 0, deregistered: 0, decommissioned: 0, awaitingContributions: 0 };
      for (const shares of [
        none,
        { ...all, ...onlyState, decommissioned: 1 },
        { ...all, ...onlyState, awaitingContributions: 1 },
      ]) {
        const snapshot = generateSnapshot({ seed: "extremes", nodes: 50, wallets: 30, shares });
        expect(() => parseSnapshot(snapshotToJson(snapshot), FILE)).not.to.throw();
      }
    });

    it("gives byte-identical JSON for the same seed", function () {
      const options = { seed: "same", nodes: 200, wallets: 800 };
      expect(snapshotToJson(generateSnapshot(options))).to.equal(snapshotToJson(generateSnapshot(options)));
    });

    it("gives different snapshots for different seeds", function () {
      const first = generateSnapshot({ seed: "first", nodes: 20, wallets: 50 });
      const second = generateSnapshot({ seed: "second", nodes: 20, wallets: 50 });
      expect(snapshotToJson(first)).not.to.equal(snapshotToJson(second));
      expect(first.wallets[0]?.oxenAddress).not.to.equal(second.wallets[0]?.oxenAddress);
      expect(first.nodes[0]?.bls).not.to.deep.equal(second.nodes[0]?.bls);
    });

    it("takes the parameters and the anchor time from the launch timeline", function () {
      const timeline = launchTimeline();
      const { anchor, parameters } = parseSnapshot(
        snapshotToJson(generateSnapshot({ seed: SEED, nodes: 0, wallets: 0 })),
        FILE,
      );
      expect(anchor.time).to.deep.equal(timeline.at("anchorHardfork").date);
      expect(parameters).to.deep.equal({
        stakeConversion: { numerator: 54n, denominator: 100n },
        bonusPool: 30_000_000n * 10n ** 9n,
        stakingRequirement: 25_000n * 10n ** 9n,
        maxContributors: 10,
        snapshotTime: timeline.at("bonusSnapshot").date,
        bonusBackdateFrom: timeline.at("bonusBackdateFrom").date,
        bonusBackdateDeadline: timeline.at("bonusBackdateDeadline").date,
      });
    });

    it("gives node n the public key of generatedBlsSecretKey(seed, n)", function () {
      const snapshot = generateSnapshot({ seed: "keys", nodes: 30, wallets: 30 });
      const checked = snapshot.nodes.flatMap((node, n) => (node.bls === null ? [] : [{ n, bls: node.bls }]));
      expect(checked).to.not.be.empty;
      for (const { n, bls } of checked) {
        const { X, Y } = toG1Struct(publicKeyOf(generatedBlsSecretKey("keys", n)));
        expect(bls).to.deep.equal({ X: X.toString(), Y: Y.toString() });
      }
    });

    it("rejects a negative node count", function () {
      expect(() => generateSnapshot({ seed: SEED, nodes: -1, wallets: 1 })).to.throw(
        RangeError,
        "nodes must be a non-negative integer",
      );
    });

    it("rejects a fractional wallet count", function () {
      expect(() => generateSnapshot({ seed: SEED, nodes: 1, wallets: 1.5 })).to.throw(
        RangeError,
        "wallets must be a non-negative integer",
      );
    });

    it("rejects nodes without wallets", function () {
      expect(() => generateSnapshot({ seed: SEED, nodes: 1, wallets: 0 })).to.throw(RangeError, "at least one wallet");
    });

    it("rejects a share above 1", function () {
      expect(() => generateSnapshot({ seed: SEED, nodes: 1, wallets: 1, shares: { unregistered: 1.5 } })).to.throw(
        RangeError,
        "shares.unregistered must be between 0 and 1",
      );
    });

    it("rejects node state shares that add up to more than 1", function () {
      const shares = { unlocking: 0.5, deregistered: 0.4, decommissioned: 0.2 };
      expect(() => generateSnapshot({ seed: SEED, nodes: 1, wallets: 1, shares })).to.throw(RangeError, "at most 1");
    });

    describe("in a 2,000-node snapshot", function () {
      it("leaves about 15 % of the wallets unregistered", function () {
        const { wallets } = largeSnapshot();
        const unregistered = wallets.filter((wallet) => wallet.ethereumAddress === null).length;
        expect(share(unregistered, wallets.length)).to.be.closeTo(DEFAULT_SHARES.unregistered, SHARE_TOLERANCE);
      });

      it("registers one Ethereum address from several Oxen addresses", function () {
        const counts = new Map<string, number>();
        for (const wallet of largeSnapshot().wallets) {
          if (wallet.ethereumAddress !== null) {
            counts.set(wallet.ethereumAddress, (counts.get(wallet.ethereumAddress) ?? 0) + 1);
          }
        }
        expect([...counts.values()].filter((count) => count > 1).length).to.be.greaterThan(100);
      });

      it("has bonus registrants before and after the backdating deadline", function () {
        const deadline = launchTimeline().at("bonusBackdateDeadline").date;
        const dates = largeSnapshot().wallets.flatMap((wallet) =>
          wallet.registeredAt === null ? [] : [wallet.registeredAt],
        );
        const early = dates.filter((date) => date < deadline).length;
        expect(share(early, dates.length)).to.be.closeTo(DEFAULT_SHARES.earlyRegistration, SHARE_TOLERANCE);
      });

      it("shares about a third of the nodes between up to 10 contributors", function () {
        const { nodes } = largeSnapshot();
        const shared = nodes.filter((node) => node.contributions.length > 1);
        expect(share(shared.length, nodes.length)).to.be.closeTo(DEFAULT_SHARES.multiContributor, SHARE_TOLERANCE);
        expect(Math.max(...shared.map((node) => node.contributions.length))).to.equal(MAX_CONTRIBUTORS);
      });

      it("stakes 15,000 OXEN per node, the operator first with at least a quarter", function () {
        const misshapen = largeSnapshot().nodes.filter((node) => {
          const [first] = node.contributions;
          return (
            node.stake !== GENERATED_NODE_STAKE ||
            first?.oxenAddress !== node.operator ||
            first.amount * 4n < GENERATED_NODE_STAKE
          );
        });
        expect(misshapen).to.deep.equal([]);
      });

      it("leaves some nodes without a BLS key", function () {
        const { nodes } = largeSnapshot();
        const missing = nodes.filter((node) => node.bls === null && node.state !== "decommissioned").length;
        const candidates = nodes.filter((node) => node.state !== "decommissioned").length;
        expect(share(missing, candidates)).to.be.closeTo(DEFAULT_SHARES.missingBls, SHARE_TOLERANCE);
      });

      it("has unlocking, deregistered and decommissioned nodes", function () {
        const { nodes } = largeSnapshot();
        for (const state of ["unlocking", "deregistered", "decommissioned"] as const) {
          const count = nodes.filter((node) => node.state === state).length;
          expect(share(count, nodes.length), state).to.be.closeTo(DEFAULT_SHARES[state], SHARE_TOLERANCE);
        }
      });

      it("finding 18: has partly funded nodes, their contributions short of the stake", function () {
        const { nodes } = largeSnapshot();
        const awaiting = nodes.filter((node) => node.state === "awaiting-contributions");
        expect(share(awaiting.length, nodes.length)).to.be.closeTo(
          DEFAULT_SHARES.awaitingContributions,
          SHARE_TOLERANCE,
        );
        expect(awaiting).to.not.be.empty;
        const funded = awaiting.filter(
          (node) => node.contributions.reduce((total, contribution) => total + contribution.amount, 0n) >= node.stake,
        );
        expect(funded).to.deep.equal([]);
        expect(Math.max(...awaiting.map((node) => node.contributions.length))).to.be.below(MAX_CONTRIBUTORS);
      });

      it("ends the stakes of deregistered nodes before the anchor, and only theirs", function () {
        const { anchor, nodes } = largeSnapshot();
        const misdated = nodes.filter((node) =>
          node.contributions.some((contribution) =>
            node.state === "deregistered"
              ? contribution.until === null || contribution.until > anchor.time
              : contribution.until !== null,
          ),
        );
        expect(misdated).to.deep.equal([]);
        expect(nodes.some((node) => node.state === "deregistered")).to.equal(true);
      });

      it("spreads the registrations from 2019 to the anchor", function () {
        const { anchor, nodes } = largeSnapshot();
        const years = new Set(nodes.map((node) => node.registeredAt.getUTCFullYear()));
        expect([...years].sort()).to.deep.equal([2019, 2020, 2021, 2022, 2023, 2024, 2025]);
        expect(Math.max(...nodes.map((node) => node.registrationHeight))).to.be.lessThan(anchor.height);
      });

      it("gives unpaid rewards to some wallets", function () {
        const paid = largeSnapshot().wallets.filter((wallet) => wallet.unpaidRewards > 0n).length;
        expect(paid).to.be.greaterThan(0);
      });
    });
  });
});

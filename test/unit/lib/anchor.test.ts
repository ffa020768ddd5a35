import { expect } from "chai";

import {
  analyseAnchor,
  anchorReportMarkdown,
  bonusProgramSeconds,
  checkPromises,
  countAxis,
  FALLBACK_NODE_STAKE,
  fundingModel,
  hypotheticalNode,
  isWholeProgram,
  requirementChartSvg,
  requirementCurve,
  requirementTicks,
  typicalNodeStake,
} from "../../../lib/anchor";
import { planMigration } from "../../../lib/migration";
import { generateSnapshot, parseSnapshot, type ServiceNode, type Snapshot, type Wallet } from "../../../lib/snapshot";
import { ATOMS, ethereumAddress, node, oxenAddress, snapshot, wallet } from "../../helpers/snapshot";
import { byClass, elementsOf, parseXml } from "../../helpers/xml";

/** SESH atoms (and OXEN atoms: both have 9 decimals). */
const SESH = ATOMS;
/** The Service Node Bonus, in atoms. */
const BONUS = 30_000_000n * SESH;
/** Every node of the closed-form networks stakes 15,000 OXEN. */
const NODE_OXEN = 15_000n;
/** 0.54 × 15,000 OXEN, in SESH atoms: exact, since 15,000 × 10^9 × 54 is a multiple of 100. */
const CONVERTED = 8_100n * SESH;

/** The closed form of the FAQ: 0.54 × 15,000 + 30,000,000 / N SESH a node, the bonus rounded down to the atom. */
function perNodeFigure(nodes: number): bigint {
  return CONVERTED + BONUS / BigInt(nodes);
}

/**
 * N nodes of 15,000 OXEN, every participant registered before the backdating deadline (the helpers' wallets register
 * on 2023-10-01) and staked since 2021, still staked: each contribution earns the most points its stake can. Every
 * `multiEvery`-th node (none when 0) is shared 7,500 / 4,500 / 3,000 OXEN by three people; the others are solo.
 * Nobody takes part in two nodes.
 */
function homogeneousNetwork(nodes: number, multiEvery = 0, requirement = 25_000n * SESH): Snapshot {
  const wallets: Wallet[] = [];
  const list: ServiceNode[] = [];
  for (let i = 0; i < nodes; i++) {
    const multi = multiEvery > 0 && i % multiEvery === 0;
    const stakes: [string, bigint][] = multi
      ? [
          [`operator ${i}`, 7_500n],
          [`first contributor ${i}`, 4_500n],
          [`second contributor ${i}`, 3_000n],
        ]
      : [[`solo ${i}`, NODE_OXEN]];
    for (const [name] of stakes) wallets.push(wallet(name));
    list.push(node({ rank: i + 1, stakes }));
  }
  return snapshot(wallets, list, { bonusPool: BONUS, stakingRequirement: requirement });
}

function withRequirement(subject: Snapshot, requirement: bigint): Snapshot {
  return { ...subject, parameters: { ...subject.parameters, stakingRequirement: requirement } };
}

function generated(seed: string, nodes: number, bonusPerNode: bigint): Snapshot {
  const parsed = parseSnapshot(JSON.stringify(generateSnapshot({ seed, nodes, wallets: nodes * 4 })), seed);
  return { ...parsed, parameters: { ...parsed.parameters, bonusPool: bonusPerNode * SESH * BigInt(nodes) } };
}

describe("lib/anchor", function () {
  describe("#isWholeProgram", function () {
    const parameters = snapshot([], []).parameters;
    const since = new Date("2021-01-01T00:00:00Z");
    const contribution = { oxenAddress: oxenAddress("olivia"), amount: 10n * ATOMS, since, until: null };

    it("counts the program from the backdating start to the bonus snapshot", function () {
      expect(bonusProgramSeconds(parameters)).to.equal(
        BigInt((Date.parse("2025-05-09T00:00:00Z") - Date.parse("2023-09-25T17:00:00Z")) / 1000),
      );
    });

    it("holds for a wallet registered before the deadline, staked from before the backdating start and still staked", function () {
      expect(isWholeProgram(contribution, wallet("olivia"), parameters)).to.equal(true);
      const atTheStart = { ...contribution, since: parameters.bonusBackdateFrom };
      expect(isWholeProgram(atTheStart, wallet("olivia"), parameters)).to.equal(true);
    });

    it("fails for a wallet registered on or after the deadline", function () {
      const late = wallet("olivia", { registeredAt: parameters.bonusBackdateDeadline });
      expect(isWholeProgram(contribution, late, parameters)).to.equal(false);
    });

    it("fails for a stake that started one second after the backdating start", function () {
      const later = { ...contribution, since: new Date(parameters.bonusBackdateFrom.getTime() + 1000) };
      expect(isWholeProgram(later, wallet("olivia"), parameters)).to.equal(false);
    });

    it("fails for a stake that ended before the bonus snapshot", function () {
      const ended = { ...contribution, until: new Date("2025-04-01T00:00:00Z") };
      expect(isWholeProgram(ended, wallet("olivia"), parameters)).to.equal(false);
    });

    it("fails for an unregistered wallet and for no wallet", function () {
      expect(isWholeProgram(contribution, wallet("olivia", { registered: false }), parameters)).to.equal(false);
      expect(isWholeProgram(contribution, undefined, parameters)).to.equal(false);
    });

    it("fails for every stake when the program has no duration", function () {
      const empty = { ...parameters, snapshotTime: parameters.bonusBackdateFrom };
      expect(bonusProgramSeconds(empty)).to.equal(0n);
      expect(isWholeProgram(contribution, wallet("olivia"), empty)).to.equal(false);
    });
  });

  describe("the closed form: N nodes of 15,000 OXEN, every participant registered and staked for the whole program", function () {
    // Rounding, as the planner does it: each contribution converts on its own, floor(OXEN × 54 / 100), exact here;
    // the bonus is the largest-remainder split of 30,000,000 SESH pro rata to OXEN × seconds, so a solo node gets
    // floor(30,000,000 SESH / N) and (30,000,000 SESH mod N) of them one atom more.
    for (const nodes of [1, 3, 7, 1_999, 2_000]) {
      describe(`with ${nodes} solo node${nodes === 1 ? "" : "s"}`, function () {
        const network = homogeneousNetwork(nodes);

        it("gives each node 8,100 SESH + floor(30,000,000 SESH / N), one atom more for the remainder's nodes", function () {
          const totals = planMigration(network).pools.map((pool) => pool.total);
          const figure = perNodeFigure(nodes);
          expect(totals).to.have.length(nodes);
          expect(totals.filter((total) => total === figure + 1n)).to.have.length(Number(BONUS % BigInt(nodes)));
          expect(totals.filter((total) => total === figure)).to.have.length(nodes - Number(BONUS % BigInt(nodes)));
        });

        it("keeps both promises up to that figure, to the atom, and no further", function () {
          const curve = requirementCurve(network, { resolution: 1n });
          expect(curve.basis).to.deep.equal({ solo: "snapshot", multi: "hypothetical" });
          expect(curve.largest.solo.requirement).to.equal(perNodeFigure(nodes));
          expect(curve.largest.solo.breaksAt).to.equal(perNodeFigure(nodes) + 1n);
        });

        it("finds it rounded down to the SESH by default", function () {
          const curve = requirementCurve(network);
          expect(curve.largest.solo.requirement).to.equal((perNodeFigure(nodes) / SESH) * SESH);
        });
      });
    }

    it("gives 23,100 SESH a node for N = 2,000: 0.54 × 15,000 + 30,000,000 / 2,000", function () {
      expect(perNodeFigure(2_000)).to.equal(23_100n * SESH);
      const promises = checkPromises(homogeneousNetwork(2_000, 4));
      expect(promises.solo.example.sesh).to.equal(23_100n * SESH);
      expect(promises.multi.example.sesh).to.equal(23_100n * SESH);
    });

    for (const nodes of [1_000, 2_000, 2_500]) {
      it(`keeps both promises up to exactly 0.54 × 15,000 + 30,000,000 / ${nodes} SESH with solo and shared nodes`, function () {
        // 30,000,000 SESH × each stake / (15,000 OXEN × N) is a whole number of atoms for these N, and so is the
        // figure: every participant's SESH is exactly 1 SESH per OXEN plus 0.54, and its share at the figure too.
        const network = homogeneousNetwork(nodes, 4);
        const curve = requirementCurve(network);
        expect(curve.basis).to.deep.equal({ solo: "snapshot", multi: "snapshot" });
        expect(curve.promiseNodes).to.deep.equal({ solo: nodes - nodes / 4, multi: nodes / 4 });
        expect(curve.largest.solo.requirement).to.equal(perNodeFigure(nodes));
        expect(curve.largest.multi.requirement).to.equal(perNodeFigure(nodes));
        expect(curve.largest.both.requirement).to.equal(perNodeFigure(nodes));
        expect(curve.largest.both.restaked).to.equal(nodes);
      });
    }

    describe("to the atom, with shared nodes", function () {
      // Rule 3 floors each contributor's share and gives the operator the rest: one atom below the figure, the two
      // contributors' floors each lose an atom (6,930 − 0.3 and 4,620 − 0.2 SESH atoms round down) and the operator
      // owes one atom more than its SESH. The promise flickers within a few atoms of the figure; to the SESH (the
      // default resolution) it cannot, as a SESH is far more than the atoms the floors can move.
      const network = homogeneousNetwork(2_000, 4);
      const figure = perNodeFigure(2_000);

      it("re-stakes the shared nodes at the figure, not one atom below it, and again two atoms below", function () {
        const shared = (requirement: bigint): number =>
          planMigration(withRequirement(network, requirement)).restaked.filter((entry) => entry.contributors.length > 1)
            .length;
        expect([shared(figure), shared(figure - 1n), shared(figure - 2n), shared(figure + 1n)]).to.deep.equal([
          500, 0, 500, 0,
        ]);
      });

      it("stops at the first break below the sampled one: two atoms below the figure", function () {
        const curve = requirementCurve(network, { resolution: 1n });
        expect(curve.largest.multi.requirement).to.equal(figure - 2n);
        expect(curve.largest.multi.breaksAt).to.equal(figure - 1n);
        expect(curve.largest.solo.requirement).to.equal(figure);
      });
    });
  });

  describe("#checkPromises", function () {
    const network = homogeneousNetwork(2_000, 4);
    const figure = 23_100n * SESH;

    describe("at the per-node figure", function () {
      const promises = checkPromises(network, { ...network.parameters, stakingRequirement: figure });

      it("keeps both promises, on the snapshot's own nodes", function () {
        expect(promises.kept).to.equal(true);
        expect([promises.solo.basis, promises.multi.basis]).to.deep.equal(["snapshot", "snapshot"]);
        expect([promises.solo.nodes, promises.solo.restaked]).to.deep.equal([1_500, 1_500]);
        expect([promises.multi.nodes, promises.multi.restaked]).to.deep.equal([500, 500]);
        expect(promises.solo.broken).to.deep.equal([]);
      });

      it("shows a solo node's SESH: 8,100 converted and 15,000 of bonus, all of it owed", function () {
        const [operator] = promises.solo.example.participants;
        expect(operator).to.include({ convertedSesh: CONVERTED, bonusSesh: 15_000n * SESH, owed: figure });
        expect(operator?.pool).to.equal(figure);
      });

      it("shows a shared node's participants owing exactly their SESH: 1.54 SESH per OXEN", function () {
        const participants = promises.multi.example.participants;
        expect(participants.map((entry) => [entry.oxen / ATOMS, entry.sesh, entry.owed])).to.deep.equal([
          [7_500n, 11_550n * SESH, 11_550n * SESH],
          [4_500n, 6_930n * SESH, 6_930n * SESH],
          [3_000n, 4_620n * SESH, 4_620n * SESH],
        ]);
      });
    });

    for (const [over, label] of [
      [1n, "one atom"],
      [SESH, "one SESH"],
    ] as const) {
      describe(`${label} above the per-node figure`, function () {
        const promises = checkPromises(network, { ...network.parameters, stakingRequirement: figure + over });

        it("breaks both promises for every node", function () {
          expect(promises.kept).to.equal(false);
          expect([promises.solo.kept, promises.solo.restaked]).to.deep.equal([false, 0]);
          expect([promises.multi.kept, promises.multi.restaked]).to.deep.equal([false, 0]);
        });

        it("lists the broken nodes with the planner's reason: the operator is short", function () {
          expect(promises.solo.broken).to.have.length(20);
          const [first] = promises.multi.broken;
          expect(first?.reason).to.equal("insufficient-pool");
          expect(first?.detail).to.contain(`${ethereumAddress("operator 0")} owes`);
          expect(promises.solo.example.sesh - promises.solo.requirement).to.equal(-over);
        });
      });
    }

    it("checks the snapshot's own requirement by default", function () {
      expect(checkPromises(withRequirement(network, figure)).kept).to.equal(true);
      expect(checkPromises(withRequirement(network, figure + 1n)).kept).to.equal(false);
    });

    describe("when a participant's pool is drawn by an older node first", function () {
      // Paul's Ethereum address also holds a wallet registered after the deadline (2024-06-01), whose older node takes
      // 160 SESH of the pool first. Paul's whole-program node brings 54 + ~116.3 SESH of bonus, enough alone, but
      // after the older one (54 + ~67.3) only ~131.7 SESH are left at its turn. Quinn's node is re-staked.
      const late = new Date("2024-06-01T00:00:00Z");
      const subject = snapshot(
        [wallet("paul"), wallet("paul late", { ethereum: "paul", registeredAt: late }), wallet("quinn")],
        [
          node({ rank: 1, stakes: [["paul late", 100n]] }),
          node({ rank: 2, stakes: [["paul", 100n]] }),
          node({ rank: 3, stakes: [["quinn", 100n]] }),
        ],
        { bonusPool: 300n * SESH, stakingRequirement: 160n * SESH },
      );

      it("breaks the solo promise, naming the node and the shortfall", function () {
        const promises = checkPromises(subject);
        expect([promises.solo.nodes, promises.solo.restaked, promises.solo.kept]).to.deep.equal([2, 1, false]);
        expect(promises.solo.example.ed25519).to.equal(node({ rank: 2, stakes: [["paul", 1n]] }).ed25519);
        expect(promises.solo.broken[0]?.detail).to.contain(`${ethereumAddress("paul")} owes 160 SESH but has`);
        expect(promises.solo.example.sesh > promises.solo.requirement).to.equal(true);
      });
    });
  });

  describe("when the snapshot has no node under a promise", function () {
    describe("because every wallet registered after the deadline", function () {
      const late = new Date("2024-03-01T00:00:00Z");
      const subject = snapshot(
        [wallet("rita", { registeredAt: late }), wallet("sam", { registeredAt: late }), wallet("tom")],
        [
          node({ rank: 1, stakes: [["rita", 15_000n]] }),
          node({ rank: 2, stakes: [["sam", 10_000n]], stake: 15_000n, state: "awaiting-contributions" }),
          node({ rank: 3, stakes: [["tom", 15_000n]], state: "unlocking" }),
        ],
        { bonusPool: BONUS, stakingRequirement: 25_000n * SESH },
      );
      const promises = checkPromises(subject);

      it("checks both promises on hypothetical nodes of the typical size, and says so", function () {
        expect([promises.solo.basis, promises.multi.basis]).to.deep.equal(["hypothetical", "hypothetical"]);
        expect(promises.solo.example.hypothetical).to.equal(true);
        expect(promises.solo.example.stake).to.equal(15_000n * ATOMS);
        expect(promises.multi.example.participants.map((entry) => entry.oxen / ATOMS)).to.deep.equal([
          3_750n,
          3_750n,
          3_750n,
          3_750n,
        ]);
      });

      it("gives the hypothetical solo node exactly its own SESH as the largest requirement", function () {
        const curve = requirementCurve(subject, { resolution: 1n });
        expect(curve.basis).to.deep.equal({ solo: "hypothetical", multi: "hypothetical" });
        expect(curve.largest.solo.requirement).to.equal(promises.solo.example.sesh);
        expect(curve.largest.solo.brokenBy.hypothetical).to.equal(true);
      });

      it("counts only the snapshot's own nodes on the curve", function () {
        const curve = requirementCurve(subject);
        expect(curve.nodes).to.equal(3);
        expect(curve.migratable).to.equal(1);
        expect(curve.points.every((point) => point.restaked === 1)).to.equal(true);
      });

      it("agrees with the planner run on the snapshot with the hypothetical node added", function () {
        const made = hypotheticalNode("solo", subject);
        const added: Snapshot = { ...subject, wallets: [...subject.wallets, ...made.wallets] };
        const withNode = { ...added, nodes: [...subject.nodes, made.node] };
        const figure = checkPromises(withNode).solo;
        // Alone, the solo hypothetical dilutes the bonus less than with its multi-contributor twin: more SESH.
        expect(figure.basis).to.equal("snapshot");
        expect(figure.example.sesh > promises.solo.example.sesh).to.equal(true);
        expect(planMigration(withRequirement(withNode, figure.example.sesh)).restaked.map((n) => n.ed25519)).to.include(
          made.node.ed25519,
        );
        expect(
          planMigration(withRequirement(withNode, figure.example.sesh + 1n)).restaked.map((n) => n.ed25519),
        ).not.to.include(made.node.ed25519);
      });
    });

    describe("because it has no node at all", function () {
      const empty = snapshot([], [], { bonusPool: BONUS });

      it("builds the hypothetical nodes at 15,000 OXEN, which share the whole bonus", function () {
        expect(typicalNodeStake(empty)).to.equal(FALLBACK_NODE_STAKE);
        const promises = checkPromises(empty);
        expect(promises.solo.example.sesh).to.equal(CONVERTED + BONUS / 2n);
        expect(promises.kept).to.equal(true);
      });

      it("draws a curve of no node with the largest requirement beyond its range", function () {
        const curve = requirementCurve(empty);
        expect(curve.points.map((point) => point.restaked)).to.deep.equal(curve.points.map(() => 0));
        expect(curve.largest.both.requirement).to.equal(((CONVERTED + BONUS / 2n) / SESH) * SESH);
      });
    });

    it("uses the snapshot's own solo nodes and a hypothetical shared one when only that is missing", function () {
      const curve = requirementCurve(homogeneousNetwork(10));
      expect(curve.basis).to.deep.equal({ solo: "snapshot", multi: "hypothetical" });
      expect(curve.promiseNodes).to.deep.equal({ solo: 10, multi: 1 });
    });

    it("names the hypothetical wallets and node afresh, never like the snapshot's", function () {
      const subject = homogeneousNetwork(3);
      const made = hypotheticalNode("multi", subject);
      const oxen = new Set(subject.wallets.map((entry) => entry.oxenAddress));
      expect(made.wallets.some((entry) => oxen.has(entry.oxenAddress))).to.equal(false);
      expect(made.wallets.map((entry) => entry.oxenAddress)).to.have.length(4);
      expect(subject.nodes.map((entry) => entry.ed25519)).not.to.include(made.node.ed25519);
      expect(made.node.contributions.reduce((total, entry) => total + entry.amount, 0n)).to.equal(made.node.stake);
    });
  });

  describe("#typicalNodeStake", function () {
    it("takes the most common stake of the funded nodes, the smaller on a tie", function () {
      const nodes = [
        node({ rank: 1, stakes: [["a", 20n]] }),
        node({ rank: 2, stakes: [["b", 10n]] }),
        node({ rank: 3, stakes: [["c", 5n]], stake: 30n, state: "awaiting-contributions" }),
        node({ rank: 4, stakes: [["d", 30n]] }),
      ];
      const wallets = ["a", "b", "c", "d"].map((name) => wallet(name));
      expect(typicalNodeStake(snapshot(wallets, nodes))).to.equal(10n * ATOMS);
      const more = [...nodes, node({ rank: 5, stakes: [["a", 30n]] })];
      expect(typicalNodeStake(snapshot(wallets, more))).to.equal(30n * ATOMS);
    });
  });

  describe("#fundingModel", function () {
    const subject = generated("funding", 120, 12_000n);
    const model = fundingModel(subject, planMigration(subject));

    it("re-stakes the planner's nodes at requirements from 0 to past every pool", function () {
      for (const requirement of [0n, 1n, 9_999n * SESH, 18_000n * SESH, 23_456_789_012_345n, 40_000n * SESH]) {
        const replayed = model.restakedAt(requirement);
        const keys = model.candidates.filter((_, index) => replayed[index]).map((candidate) => candidate.ed25519);
        const plan = planMigration(withRequirement(subject, requirement));
        expect(keys, `at ${requirement}`).to.deep.equal(plan.restaked.map((entry) => entry.ed25519));
      }
    });

    it("explains a disbanded node as the planner does", function () {
      const requirement = 21_000n * SESH;
      const plan = planMigration(withRequirement(subject, requirement));
      const disbanded = plan.disbanded.find((entry) => entry.reason === "insufficient-pool");
      if (disbanded === undefined) throw new Error("the generated snapshot has no node short at 21,000 SESH");
      const index = model.candidates.findIndex((candidate) => candidate.ed25519 === disbanded.ed25519);
      const shortfalls = model.shortfallsAt(requirement, index);
      expect(shortfalls.length).to.be.greaterThan(0);
      for (const entry of shortfalls) expect(disbanded.detail).to.contain(`${entry.ethereumAddress} owes`);
      expect(() => model.shortfallsAt(requirement, model.candidates.length)).to.throw(RangeError, "no candidate");
    });

    it("refuses a plan of another snapshot", function () {
      const other = generated("other", 20, 12_000n);
      expect(() => fundingModel(subject, planMigration(other))).to.throw(Error, "the funding replay re-stakes 0 nodes");
    });

    it("refuses a negative requirement", function () {
      expect(() => model.restakedAt(-1n)).to.throw(RangeError, "cannot be negative");
    });
  });

  describe("#requirementCurve", function () {
    const subject = generated("curve", 150, 12_000n);
    const curve = requirementCurve(subject);

    it("samples 15,000 to 30,000 SESH every 500 SESH by default", function () {
      expect(curve.points.map((point) => point.requirement)).to.deep.equal(
        Array.from({ length: 31 }, (_, index) => (15_000n + 500n * BigInt(index)) * SESH),
      );
      expect(curve.atLaunch.requirement).to.equal(25_000n * SESH);
    });

    it("agrees with planMigration at every sampled requirement", function () {
      for (const point of [...curve.points, curve.atLaunch]) {
        const plan = planMigration(withRequirement(subject, point.requirement));
        expect(point.restaked, `at ${point.requirement}`).to.equal(plan.totals.restakedNodes);
      }
    });

    it("is non-increasing on this snapshot", function () {
      const counts = curve.points.map((point) => point.restaked);
      expect(counts).to.deep.equal([...counts].sort((a, b) => b - a));
      expect(curve.increases).to.deep.equal([]);
      expect(counts[0]).to.be.greaterThan(counts[counts.length - 1] ?? 0);
    });

    it("finds the largest requirement keeping both promises: kept there by the plan, broken 1 SESH above", function () {
      const { requirement, breaksAt } = curve.largest.both;
      expect(breaksAt).to.equal(requirement + SESH);
      expect(checkPromises(withRequirement(subject, requirement)).kept).to.equal(true);
      expect(checkPromises(withRequirement(subject, breaksAt)).kept).to.equal(false);
      const least = curve.largest.solo.requirement < curve.largest.multi.requirement ? "solo" : "multi";
      expect(requirement).to.equal(curve.largest[least].requirement);
    });

    it("replays the funding a few dozen times, not once per SESH", function () {
      expect(curve.evaluations).to.be.lessThan(100);
    });

    it("samples `to` even when it is not a step from `from`", function () {
      const odd = requirementCurve(subject, { from: 10_000n * SESH, to: 12_500n * SESH, step: 1_000n * SESH });
      expect(odd.points.map((point) => point.requirement / SESH)).to.deep.equal([10_000n, 11_000n, 12_000n, 12_500n]);
    });

    it("rejects options it cannot sample", function () {
      const cases: [Parameters<typeof requirementCurve>[1], string][] = [
        [{ resolution: 0n }, "resolution must be positive"],
        [{ from: 0n }, "start above 0"],
        [{ from: 20_000n * SESH, to: 20_000n * SESH }, "range is empty"],
        [{ step: 0n }, "step must be positive"],
        [{ step: SESH + 1n }, "step (1000000001) must be a multiple of the resolution (1000000000)"],
        [{ step: SESH, resolution: 1n, from: 1n, to: 20_000n * SESH }, "more than 10000 points"],
        [{ launchRequirement: -1n }, "cannot be negative"],
      ];
      for (const [options, message] of cases)
        expect(() => requirementCurve(subject, options)).to.throw(RangeError, message);
    });

    describe("when an older node's disbanding leaves a participant enough for two newer ones", function () {
      // No bonus; 0.54 SESH per OXEN. Wendy (59.4 SESH) operates node 1 with Xavier (10 %, 6.48 SESH with his unpaid
      // rewards, registered after the deadline) and has 10 % of nodes 2 and 3, run by Yves and Zoe (rich). At 60 SESH
      // node 1 takes 54 of Wendy's pool and leaves her short for nodes 2 and 3; at 70 SESH Xavier is short for node 1,
      // which is disbanded, and Wendy's pool funds nodes 2 and 3. The planner funds greedily, oldest first.
      const late = new Date("2024-06-01T00:00:00Z");
      const subject = snapshot(
        [
          wallet("wendy"),
          wallet("xavier", { registeredAt: late, unpaidRewards: 2n * ATOMS }),
          wallet("yves", { unpaidRewards: 1_000n * ATOMS }),
          wallet("zoe", { unpaidRewards: 1_000n * ATOMS }),
        ],
        [
          node({
            rank: 1,
            stakes: [
              ["wendy", 90n],
              ["xavier", 10n],
            ],
          }),
          node({
            rank: 2,
            stakes: [
              ["yves", 90n],
              ["wendy", 10n],
            ],
          }),
          node({
            rank: 3,
            stakes: [
              ["zoe", 90n],
              ["wendy", 10n],
            ],
          }),
        ],
      );
      const curve = requirementCurve(subject, { from: 50n * SESH, to: 80n * SESH, step: 10n * SESH });

      it("re-stakes more nodes at a larger requirement, as the planner does", function () {
        expect(curve.points.map((point) => point.restaked)).to.deep.equal([3, 1, 2, 2]);
        for (const point of curve.points) {
          expect(planMigration(withRequirement(subject, point.requirement)).totals.restakedNodes).to.equal(
            point.restaked,
          );
        }
        expect(curve.increases.map((step) => [step.from.requirement, step.to.requirement])).to.deep.equal([
          [60n * SESH, 70n * SESH],
        ]);
      });

      it("takes the largest requirement below the first break and lists where the promise holds again", function () {
        // Nodes 2 and 3 are under the multi-contributor promise (node 1 is not: Xavier registered late). Node 1 takes
        // 0.9 R of Wendy's 59.4 SESH and nodes 2 and 3 need 0.1 R each: kept up to R = 54 SESH exactly.
        expect(curve.promiseNodes.multi).to.equal(2);
        expect(curve.largest.multi.requirement).to.equal(54n * SESH);
        expect(curve.largest.multi.keptAgainAt).to.deep.equal([70n * SESH, 80n * SESH]);
        const toTheAtom = requirementCurve(subject, {
          from: 50n * SESH,
          to: 80n * SESH,
          step: 10n * SESH,
          resolution: 1n,
        });
        expect(toTheAtom.largest.multi.requirement).to.equal(54n * SESH);
        const shortfall = curve.largest.multi.brokenBy.shortfalls[0];
        expect(shortfall?.ethereumAddress).to.equal(ethereumAddress("wendy"));
      });
    });
  });

  describe("#requirementChartSvg", function () {
    const network = homogeneousNetwork(2_000, 4);
    const curve = requirementCurve(network);
    const svg = requirementChartSvg(curve);
    const root = parseXml(svg);
    const textOf = (name: string): string[] => byClass(root, name).map((element) => element.text);
    /** The chart's plot area, read off its axes. */
    const axisLines = elementsOf(root).filter(
      (element) =>
        element.name === "line" && element.attributes.stroke === "black" && element.attributes.y2 !== undefined,
    );

    it("is checked by an XML reader that refuses what a real parser would", function () {
      expect(parseXml('<a x="1"><b/>t &amp; &#62;</a>').text).to.equal("t & >");
      for (const [bad, message] of [
        ["<a><b></a></b>", "</a> closes <b>"],
        ["<a x=1/>", "not quoted"],
        ['<a x="1" x="2"/>', "repeated"],
        ["<a>t & u</a>", "unterminated entity"],
        ["<a>&nbsp;</a>", "unknown entity"],
        ['<a x="<"/>', "a raw"],
        ["<a/><b/>", "after the root"],
        ["<a>", "never closed"],
      ] as const) {
        expect(() => parseXml(bad), bad).to.throw(Error, message);
      }
    });

    it("is one well-formed, self-contained SVG document", function () {
      expect(root.name).to.equal("svg");
      expect(root.attributes.xmlns).to.equal("http://www.w3.org/2000/svg");
      expect(svg).not.to.match(/NaN|undefined|href|<script/);
      expect(axisLines.length).to.be.greaterThan(2);
    });

    it("has a title and labelled axes", function () {
      expect(root.children.find((element) => element.name === "title")?.text).to.equal(
        "Nodes re-staked at Landing by staking requirement",
      );
      expect(textOf("title")).to.deep.equal(["Nodes re-staked at Landing by staking requirement"]);
      expect(textOf("requirement-tick")).to.deep.equal([
        "15,000",
        "17,500",
        "20,000",
        "22,500",
        "25,000",
        "27,500",
        "30,000",
      ]);
      // 2,000 nodes re-staked at most: the axis goes past it, to leave room for the value written above the top.
      expect(textOf("count-tick")).to.deep.equal(["0", "500", "1,000", "1,500", "2,000", "2,500"]);
      expect(svg).to.contain("staking requirement (SESH)");
      expect(svg).to.contain("nodes re-staked");
      expect(textOf("subtitle")[0]).to.contain("1,500 solo nodes and 500 multi-contributor nodes");
    });

    it("draws the curve through every requirement evaluated, a dot per sample, open where a promise breaks", function () {
      const polyline = elementsOf(root).find((element) => element.name === "polyline");
      const vertices = (polyline?.attributes.points ?? "").split(" ").map((pair) => pair.split(",").map(Number));
      expect(vertices).to.have.length(curve.evaluated.length);
      expect(curve.evaluated.length).to.be.greaterThan(curve.points.length);
      // Through the largest requirement keeping both promises and the next atom, where every node drops out.
      const x = (sesh: number): number => Number((76 + ((sesh - 15_000) / 15_000) * 744).toFixed(1));
      expect(vertices).to.deep.include([x(23_100), Number((404 - (2_000 / 2_500) * 304).toFixed(1))]);
      expect(vertices).to.deep.include([x(23_101), 404]);
      expect(vertices[0]?.[0]).to.equal(76);
      expect(vertices[vertices.length - 1]?.[0]).to.equal(820);
      const dots = byClass(root, "sample");
      expect(dots.map((dot) => dot.attributes.fill === "white")).to.deep.equal(
        curve.points.map((point) => !(point.solo && point.multi)),
      );
      expect(dots[0]?.text).to.equal("15,000 SESH: 2,000 nodes re-staked; both promises kept");
      expect(dots[dots.length - 1]?.text).to.equal(
        "30,000 SESH: 0 nodes re-staked; solo and multi-contributor promise broken",
      );
    });

    it("marks the largest requirement keeping both promises and the launch's, with their values", function () {
      expect(textOf("marker-largest-label")).to.deep.equal(["largest keeping both promises: 23,100 SESH"]);
      expect(textOf("marker-launch-label")).to.deep.equal(["chosen at launch: 25,000 SESH"]);
      // 23,100 SESH is 8,100 / 15,000 of the way along the 744-pixel axis from x = 76.
      expect(byClass(root, "marker-largest")[0]?.attributes.x1).to.equal((76 + (8_100 / 15_000) * 744).toFixed(1));
      expect(byClass(root, "marker-largest-point")).to.have.length(1);
      expect(byClass(root, "marker-launch-point")).to.have.length(1);
      expect(svg).to.contain(">2,000 nodes</text>");
      expect(svg).to.contain(">0 nodes</text>");
    });

    it("keeps the two marker labels apart", function () {
      const labels = [...byClass(root, "marker-largest-label"), ...byClass(root, "marker-launch-label")].map(
        (label) => ({
          x: Number(label.attributes.x),
          y: Number(label.attributes.y),
          width: label.text.length * 6.8,
        }),
      );
      const [first, second] = labels;
      if (first === undefined || second === undefined) throw new Error("a marker label is missing");
      const apart = first.y !== second.y || first.x + first.width <= second.x || second.x + second.width <= first.x;
      expect(apart).to.equal(true);
    });

    it("shades the range where both promises hold, up to the largest requirement", function () {
      const [range] = byClass(root, "kept-range");
      expect(Number(range?.attributes.x)).to.equal(76);
      expect(Number(range?.attributes.width)).to.be.closeTo((8_100 / 15_000) * 744, 0.1);
    });

    it("draws a marker beyond the range at the edge and says so", function () {
      const empty = requirementChartSvg(requirementCurve(snapshot([], [], { bonusPool: BONUS })));
      const chart = parseXml(empty);
      expect(byClass(chart, "marker-largest-label")[0]?.text).to.equal(
        "largest keeping both promises: 15,008,100 SESH (above the range) →",
      );
      expect(byClass(chart, "marker-largest")[0]?.attributes.x1).to.equal("820.0");
      expect(byClass(chart, "marker-largest-point")).to.have.length(0);
      const below = requirementChartSvg(requirementCurve(network, { launchRequirement: 10_000n * SESH }));
      expect(byClass(parseXml(below), "marker-launch-label")[0]?.text).to.equal(
        "← chosen at launch: 10,000 SESH (below the range)",
      );
    });
  });

  describe("#countAxis and #requirementTicks", function () {
    it("rounds the count axis up to a round step, at most 8 of them", function () {
      expect(countAxis(1_103)).to.deep.include({ step: 200, top: 1_200 });
      expect(countAxis(2_000).ticks).to.deep.equal([0, 250, 500, 750, 1_000, 1_250, 1_500, 1_750, 2_000]);
      expect(countAxis(2_001)).to.deep.include({ step: 500, top: 2_500 });
      expect(countAxis(3).ticks).to.deep.equal([0, 1, 2, 3]);
      expect(countAxis(0).ticks).to.deep.equal([0, 1]);
    });

    it("ticks the requirement in round SESH, starting on the range's start when it can", function () {
      expect(requirementTicks(50n * SESH, 80n * SESH).map((tick) => tick / SESH)).to.deep.equal([
        50n,
        55n,
        60n,
        65n,
        70n,
        75n,
        80n,
      ]);
      expect(requirementTicks(15_300n * SESH, 16_000n * SESH).map((tick) => tick / SESH)).to.deep.equal([
        15_300n,
        15_400n,
        15_500n,
        15_600n,
        15_700n,
        15_800n,
        15_900n,
        16_000n,
      ]);
    });
  });

  describe("#anchorReportMarkdown", function () {
    const network = homogeneousNetwork(2_000, 4);
    const markdown = anchorReportMarkdown(analyseAnchor(network), { chartFile: "anchor-requirement.svg" });

    it("tables the two promises at the snapshot's requirement", function () {
      expect(markdown).to.contain("## Anchor: the Migration FAQ's promises");
      expect(markdown).to.contain("At a staking requirement of 25,000 SESH, **a promise is broken**:");
      expect(markdown).to.match(
        /\| solo operator \| 1,500 nodes of the snapshot \| 0 of 1,500 \| [0-9a-f]{8}…[0-9a-f]{4} \| 23,100 SESH \| −1,900 SESH \| \*\*broken\*\* \|/,
      );
      expect(markdown).to.contain("| multi-contributor node | 500 nodes of the snapshot | 0 of 500 |");
      expect(markdown).to.contain("Nodes breaking the solo promise (1,500 in all):");
    });

    it("links the chart by the caller's file name", function () {
      expect(markdown).to.contain("![Nodes re-staked by staking requirement](anchor-requirement.svg)");
    });

    it("tables the curve with the launch's and the largest requirement marked", function () {
      expect(markdown).to.contain("### Nodes re-staked by staking requirement");
      expect(markdown).to.contain("| 23,100 SESH | 2,000 | kept | kept | largest keeping both promises |");
      expect(markdown).to.contain("| 25,000 SESH | 0 | broken | broken | chosen at launch |");
      expect(markdown).to.contain("| both promises | **23,100 SESH** | 2,000 |");
      expect(markdown).to.contain("The 25,000 SESH chosen at launch **breaks a promise**, and re-stakes 0 nodes.");
    });

    it("says what keeps the promises when they hold, and names a hypothetical basis", function () {
      const subject = homogeneousNetwork(1_000);
      const text = anchorReportMarkdown(analyseAnchor(subject), { chartFile: "chart.svg", headingLevel: 3 });
      expect(text).to.contain("### Anchor: the Migration FAQ's promises");
      expect(text).to.contain("#### Nodes re-staked by staking requirement");
      expect(text).to.contain("both promises are kept");
      expect(text).to.contain("a hypothetical node of 15,000 OXEN (the snapshot has none)");
      // The hypothetical shared node dilutes the bonus by one node's points: 8,100 + 30,000,000 / 1,001 SESH.
      expect(text).to.contain("keeps both promises, 13,070 SESH below the largest requirement that does,");
      expect(text).to.contain("| the solo promise | 38,100 SESH | 1,000 |");
      expect(text).to.contain("the hypothetical multi-contributor node: ");
      expect(text).to.contain("2 more short");
      expect(text).not.to.contain("Nodes breaking");
    });

    it("notes where a promise holds again above its first break", function () {
      const subject = snapshot(
        [
          wallet("wendy"),
          wallet("xavier", { registeredAt: new Date("2024-06-01T00:00:00Z"), unpaidRewards: 2n * ATOMS }),
          wallet("yves", { unpaidRewards: 1_000n * ATOMS }),
          wallet("zoe", { unpaidRewards: 1_000n * ATOMS }),
        ],
        [
          node({
            rank: 1,
            stakes: [
              ["wendy", 90n],
              ["xavier", 10n],
            ],
          }),
          node({
            rank: 2,
            stakes: [
              ["yves", 90n],
              ["wendy", 10n],
            ],
          }),
          node({
            rank: 3,
            stakes: [
              ["zoe", 90n],
              ["wendy", 10n],
            ],
          }),
        ],
      );
      const text = anchorReportMarkdown(
        analyseAnchor(subject, { curve: { from: 50n * SESH, to: 80n * SESH, step: 10n * SESH } }),
        { chartFile: "chart.svg" },
      );
      expect(text).to.contain("the multi-contributor promise holds again at 70 SESH, 80 SESH");
      expect(text).to.contain("The count rises with the requirement between 60 SESH and 70 SESH");
    });

    it("refuses a heading level Markdown does not have room for", function () {
      expect(() =>
        anchorReportMarkdown(analyseAnchor(homogeneousNetwork(3)), { chartFile: "x.svg", headingLevel: 6 }),
      ).to.throw(RangeError, "heading level");
    });
  });

  describe("at Oxen's size: 2,000 nodes and 100,000 wallets", function () {
    let subject: Snapshot;

    before(function () {
      const input = generateSnapshot({ seed: "oxen-size", nodes: 2_000, wallets: 100_000 });
      subject = parseSnapshot(JSON.stringify(input), "oxen-size");
    });

    it("checks the promises and draws the curve in a few seconds", function () {
      const started = performance.now();
      const analysis = analyseAnchor(subject);
      requirementChartSvg(analysis.curve);
      const seconds = (performance.now() - started) / 1_000;
      expect(seconds).to.be.lessThan(10);
      expect(analysis.curve.points).to.have.length(31);
      expect(analysis.curve.migratable).to.be.greaterThan(analysis.curve.atLaunch.restaked);
      expect([analysis.curve.basis.solo, analysis.curve.basis.multi]).to.deep.equal(["snapshot", "snapshot"]);
    });
  });
});

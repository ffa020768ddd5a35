import { expect } from "chai";
import { getAddress } from "ethers";

import { ATOMS_PER_SESH } from "../../../lib/amount";
import { InputFileError } from "../../../lib/errors";
import {
  computeTestnetAwards,
  DEFAULT_REFERRAL_BONUS_POINTS,
  TESTNET_INCENTIVE_POOL,
  type TestnetActivityInput,
  toAwardsFile,
} from "../../../lib/testnet-awards";

const DAY = 86_400n;
const REQUIREMENT = 25_000n * ATOMS_PER_SESH;
const START = 1_700_000_000n;
const END = START + 30n * DAY;

const ALICE = getAddress(`0x${"a1".repeat(20)}`);
const BOB = getAddress(`0x${"b2".repeat(20)}`);
const CAROL = getAddress(`0x${"c3".repeat(20)}`);
const DAVE = getAddress(`0x${"d4".repeat(20)}`);

function contributor(addr: string, stakedAmount: bigint) {
  return { staker: { addr, beneficiary: addr }, stakedAmount };
}

function register(id: bigint, timestamp: bigint | number, contributors: ReturnType<typeof contributor>[]) {
  return { kind: "NewServiceNodeV2" as const, serviceNodeID: id, contributors, timestamp };
}

function input(overrides: Partial<TestnetActivityInput> = {}): TestnetActivityInput {
  return {
    window: { start: START, end: END },
    stakingRequirement: REQUIREMENT,
    events: [],
    referrals: [],
    ...overrides,
  };
}

function problemsOf(value: unknown): readonly string[] {
  try {
    computeTestnetAwards(value);
  } catch (error) {
    if (error instanceof InputFileError) return error.problems;
    throw error;
  }
  throw new Error("the input was accepted");
}

function sum(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

describe("lib/testnet-awards", function () {
  describe("#computeTestnetAwards", function () {
    describe("when nodes run", function () {
      it("credits each contributor its share of the requirement for the seconds its node ran in the window", function () {
        // Node 1: alice (operator, 3/4) and bob (1/4) from 5 days before the window until day 10 of it.
        // Node 2: carol alone from day 20 to the end of the window (never exits).
        const result = computeTestnetAwards(
          input({
            events: [
              register(1n, START - 5n * DAY, [
                contributor(ALICE, (REQUIREMENT * 3n) / 4n),
                contributor(BOB, REQUIREMENT / 4n),
              ]),
              { kind: "ServiceNodeExit", serviceNodeID: 1n, timestamp: START + 10n * DAY },
              register(2n, START + 20n * DAY, [contributor(CAROL, REQUIREMENT)]),
            ],
          }),
        );
        expect(result.nodeWeights.get(ALICE)).to.equal(((REQUIREMENT * 3n) / 4n) * 10n * DAY);
        expect(result.nodeWeights.get(BOB)).to.equal((REQUIREMENT / 4n) * 10n * DAY);
        expect(result.nodeWeights.get(CAROL)).to.equal(REQUIREMENT * 10n * DAY);
        // Points 7.5 d : 2.5 d : 10 d of full node → 3/8, 1/8, 4/8 of the pool.
        expect(result.awards.get(ALICE)).to.equal((TESTNET_INCENTIVE_POOL * 3n) / 8n);
        expect(result.awards.get(BOB)).to.equal(TESTNET_INCENTIVE_POOL / 8n);
        expect(result.awards.get(CAROL)).to.equal(TESTNET_INCENTIVE_POOL / 2n);
        expect(sum(result.awards.values())).to.equal(TESTNET_INCENTIVE_POOL);
        expect(result.undistributed).to.equal(0n);
      });

      it("ends a node at its liquidation and ignores the exit that follows it", function () {
        const result = computeTestnetAwards(
          input({
            events: [
              register(7n, START, [contributor(ALICE, REQUIREMENT)]),
              register(8n, START, [contributor(BOB, REQUIREMENT)]),
              { kind: "ServiceNodeLiquidated", serviceNodeID: 7n, timestamp: START + DAY },
              { kind: "ServiceNodeExit", serviceNodeID: 7n, timestamp: START + DAY },
              { kind: "ServiceNodeExit", serviceNodeID: 8n, timestamp: START + 3n * DAY },
            ],
          }),
        );
        expect(result.nodeWeights.get(ALICE)).to.equal(REQUIREMENT * DAY);
        expect(result.nodeWeights.get(BOB)).to.equal(REQUIREMENT * 3n * DAY);
        expect(result.awards.get(ALICE)).to.equal(TESTNET_INCENTIVE_POOL / 4n);
      });

      it("replays events in time order and pools an address's stakes across nodes", function () {
        const result = computeTestnetAwards(
          input({
            events: [
              { kind: "ServiceNodeExit", serviceNodeID: "3", timestamp: (START + 2n * DAY).toString() },
              register(4n, START, [contributor(ALICE, REQUIREMENT / 2n), contributor(BOB, REQUIREMENT / 2n)]),
              register(3n, Number(START), [contributor(ALICE.toLowerCase(), REQUIREMENT)]),
            ],
          }),
        );
        expect(result.nodeWeights.get(ALICE)).to.equal(REQUIREMENT * 2n * DAY + (REQUIREMENT / 2n) * 30n * DAY);
      });

      it("gives nothing for time outside the window, and lets an ID be registered again after an exit", function () {
        const result = computeTestnetAwards(
          input({
            events: [
              register(1n, START - 10n * DAY, [contributor(ALICE, REQUIREMENT)]),
              { kind: "ServiceNodeExit", serviceNodeID: 1n, timestamp: START - DAY },
              register(1n, END - DAY, [contributor(BOB, REQUIREMENT)]),
              register(2n, END + DAY, [contributor(CAROL, REQUIREMENT)]),
            ],
          }),
        );
        expect(result.nodeWeights.get(ALICE)).to.equal(0n);
        expect(result.nodeWeights.get(CAROL)).to.equal(0n);
        expect([...result.awards]).to.deep.equal([[BOB, TESTNET_INCENTIVE_POOL]]);
      });

      it("splits the pool exactly with uneven shares", function () {
        const result = computeTestnetAwards(
          input({
            pool: 1_000_001n,
            events: [register(1n, START, [contributor(ALICE, 1n), contributor(BOB, 1n), contributor(CAROL, 1n)])],
          }),
        );
        expect(sum(result.awards.values())).to.equal(1_000_001n);
      });
    });

    describe("when referrals are given", function () {
      const events = [
        register(1n, START, [contributor(ALICE, REQUIREMENT)]),
        register(2n, START, [contributor(BOB, REQUIREMENT)]),
      ];

      it("adds the bonus for each valid referral to the referrer, once per referred address", function () {
        const result = computeTestnetAwards(
          input({
            events,
            referralBonusPoints: 10n * DAY,
            referrals: [
              { referrer: CAROL, referred: ALICE },
              { referrer: DAVE, referred: ALICE },
              { referrer: CAROL, referred: BOB },
            ],
          }),
        );
        expect(result.referrals.get(CAROL)).to.equal(2);
        expect(result.referrals.has(DAVE)).to.equal(false);
        expect(result.rejectedReferrals).to.deep.equal([
          { row: 1, referrer: DAVE, referred: ALICE, reason: "already referred" },
        ]);
        // Alice and Bob: 30 full-node days each; Carol: 2 × 10 days of bonus → 30 : 30 : 20.
        expect(result.weights.get(CAROL)).to.equal(20n * DAY * REQUIREMENT);
        expect(result.awards.get(CAROL)).to.equal((TESTNET_INCENTIVE_POOL * 2n) / 8n);
      });

      it("rejects self-referrals and referred addresses without points", function () {
        const result = computeTestnetAwards(
          input({
            events,
            referrals: [
              { referrer: ALICE, referred: ALICE.toLowerCase() },
              { referrer: ALICE, referred: DAVE },
            ],
          }),
        );
        expect(result.rejectedReferrals.map((rejection) => rejection.reason)).to.deep.equal([
          "self-referral",
          "referred earned no points",
        ]);
        expect(result.referrals.size).to.equal(0);
        expect(result.referralBonusPoints).to.equal(DEFAULT_REFERRAL_BONUS_POINTS);
      });
    });

    describe("when nobody earned anything", function () {
      it("awards nothing and leaves the pool undistributed", function () {
        const result = computeTestnetAwards(input());
        expect(result.awards.size).to.equal(0);
        expect(result.undistributed).to.equal(TESTNET_INCENTIVE_POOL);
        expect(toAwardsFile(result)).to.deep.equal({ total: "0", awards: [] });
      });
    });

    describe("when the input is invalid", function () {
      it("names every bad field", function () {
        const problems = problemsOf({
          window: { start: "soon", end: END },
          stakingRequirement: 0n,
          events: [
            { kind: "NewServiceNodeV2", serviceNodeID: 1n, contributors: [], timestamp: START },
            { kind: "ServiceNodeExit", serviceNodeID: -1, timestamp: START },
            { kind: "Unknown", serviceNodeID: 1n, timestamp: START },
            register(2n, START, [contributor("0x1234", REQUIREMENT)]),
          ],
          referrals: [{ referrer: ALICE, referred: "bob" }],
        });
        const fields = problems.map((problem) => problem.slice(0, problem.indexOf(":")));
        expect(fields).to.include.members([
          "window.start",
          "stakingRequirement",
          "events[0].contributors",
          "events[1].serviceNodeID",
          "events[2].kind",
          "events[3].contributors[0].staker.addr",
          "referrals[0].referred",
        ]);
      });

      it("rejects a window that ends before it starts", function () {
        expect(problemsOf(input({ window: { start: END, end: START } }))).to.deep.equal([
          `window: the end (${START}) must be after the start (${END})`,
        ]);
      });

      it("rejects a node registered twice while active and an exit of an unknown node", function () {
        expect(
          problemsOf(
            input({
              events: [
                register(1n, START, [contributor(ALICE, REQUIREMENT)]),
                register(1n, START + 1n, [contributor(BOB, REQUIREMENT)]),
                { kind: "ServiceNodeExit", serviceNodeID: 9n, timestamp: START },
              ],
            }),
          ),
        ).to.deep.equal([
          "events[2]: ServiceNodeExit of node 9, which was never registered",
          "events[1]: node 1 is registered again while active since events[0]",
        ]);
      });
    });
  });

  describe("#toAwardsFile", function () {
    it("writes the awards and their total as atoms strings", function () {
      const result = computeTestnetAwards(
        input({ pool: 10n, events: [register(1n, START, [contributor(ALICE, 3n), contributor(BOB, 1n)])] }),
      );
      expect(toAwardsFile(result)).to.deep.equal({
        total: "10",
        awards: [
          { account: ALICE, amount: "8" },
          { account: BOB, amount: "2" },
        ],
      });
    });
  });
});

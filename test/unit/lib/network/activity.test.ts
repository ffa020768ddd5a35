import { expect } from "chai";
import { getAddress, type Log } from "ethers";

import {
  decodeNodeActivity,
  NODE_ACTIVITY_INTERFACE,
  readNodeActivity,
  returnedStakeShares,
  type ActivityContributor,
} from "../../../../lib/network";

const OPERATOR = getAddress("0x00000000000000000000000000000000000000a1");
const CONTRIBUTOR = getAddress("0x00000000000000000000000000000000000000b2");
const OTHER = getAddress("0x00000000000000000000000000000000000000c3");
const REWARDS = getAddress("0x00000000000000000000000000000000000000d4");
const KEY = { X: 5n, Y: 7n };

function contributor(addr: string, stakedAmount: bigint, beneficiary = addr): ActivityContributor {
  return { staker: { addr, beneficiary }, stakedAmount };
}

/** A log of `name` with `args`, as a node would return it. */
function logOf(name: string, args: readonly unknown[], blockNumber = 7, index = 0): Log {
  const fragment = NODE_ACTIVITY_INTERFACE.getEvent(name);
  if (fragment === null) throw new Error(name);
  const { data, topics } = NODE_ACTIVITY_INTERFACE.encodeEventLog(fragment, args);
  return { address: REWARDS, data, topics, blockNumber, index } as unknown as Log;
}

describe("lib/network/activity: the testnet's node activity from the rewards contract's logs", function () {
  describe("decodeNodeActivity", function () {
    it("decodes a registration with its contributors and beneficiaries", function () {
      const log = logOf("NewServiceNodeV2", [
        3n,
        OPERATOR,
        [KEY.X, KEY.Y],
        [11n, 1n, 2n, 500],
        [
          [[OPERATOR, OPERATOR], 30n],
          [[CONTRIBUTOR, OTHER], 90n],
        ],
      ]);
      expect(decodeNodeActivity(log, 1_000n)).to.deep.equal({
        kind: "NewServiceNodeV2",
        serviceNodeID: 3n,
        timestamp: 1_000n,
        blockNumber: 7,
        logIndex: 0,
        initiator: OPERATOR,
        contributors: [contributor(OPERATOR, 30n), contributor(CONTRIBUTOR, 90n, OTHER)],
      });
    });

    it("decodes an exit with its returned amount, and a liquidation", function () {
      const exit = decodeNodeActivity(logOf("ServiceNodeExit", [4n, OTHER, 117n, [KEY.X, KEY.Y]], 9, 2), 5n);
      expect(exit).to.deep.include({ kind: "ServiceNodeExit", serviceNodeID: 4n, returnedAmount: 117n, logIndex: 2 });
      const liquidation = decodeNodeActivity(logOf("ServiceNodeLiquidated", [4n, OTHER, [KEY.X, KEY.Y]]), 5n);
      expect(liquidation).to.deep.include({ kind: "ServiceNodeLiquidated", serviceNodeID: 4n, initiator: OTHER });
    });

    it("returns undefined for a log of another event", function () {
      const other = { address: REWARDS, data: "0x", topics: [`0x${"11".repeat(32)}`], blockNumber: 1, index: 0 };
      expect(decodeNodeActivity(other as unknown as Log, 1n)).to.equal(undefined);
    });
  });

  describe("readNodeActivity", function () {
    it("refuses a range that ends before it starts, before reading any log", async function () {
      const provider = {
        getBlockNumber: () => Promise.resolve(4),
        getLogs: () => Promise.reject(new Error("no log may be read")),
      };
      const error = await readNodeActivity(provider as never, REWARDS, { fromBlock: 5 }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).to.be.instanceOf(RangeError);
      expect((error as Error).message).to.contain("5 to 4");
    });

    it("orders the logs by block and index and reads each block's time once", async function () {
      const blocks: number[] = [];
      const provider = {
        getBlockNumber: () => Promise.resolve(10),
        getLogs: () =>
          Promise.resolve([
            logOf("ServiceNodeExit", [1n, OTHER, 120n, [KEY.X, KEY.Y]], 9, 1),
            logOf("ServiceNodeLiquidated", [1n, OTHER, [KEY.X, KEY.Y]], 9, 0),
            logOf(
              "NewServiceNodeV2",
              [1n, OPERATOR, [KEY.X, KEY.Y], [11n, 1n, 2n, 0], [[[OPERATOR, OPERATOR], 120n]]],
              3,
            ),
          ]),
        getBlock: (number: number) => {
          blocks.push(number);
          return Promise.resolve({ timestamp: number * 100 });
        },
      };
      const events = await readNodeActivity(provider as never, REWARDS, { fromBlock: 0 });
      expect(events.map((event) => [event.kind, event.timestamp])).to.deep.equal([
        ["NewServiceNodeV2", 300n],
        ["ServiceNodeLiquidated", 900n],
        ["ServiceNodeExit", 900n],
      ]);
      expect(blocks).to.deep.equal([3, 9]);
    });
  });

  describe("returnedStakeShares", function () {
    it("returns a solo node's whole amount to its operator's beneficiary", function () {
      expect(returnedStakeShares([contributor(OPERATOR, 120n, OTHER)], 119n)).to.deep.equal(new Map([[OTHER, 119n]]));
    });

    it("splits pro rata, rounding down, the rest to the operator, summing to the returned amount", function () {
      const shares = returnedStakeShares(
        [contributor(OPERATOR, 30n), contributor(CONTRIBUTOR, 40n), contributor(OTHER, 50n)],
        119n,
      );
      // 119 × 40 / 120 = 39.67 → 39; 119 × 50 / 120 = 49.58 → 49; the operator 29 (29.75 → 29) and the 2 left.
      expect(shares).to.deep.equal(
        new Map([
          [OPERATOR, 31n],
          [CONTRIBUTOR, 39n],
          [OTHER, 49n],
        ]),
      );
      expect([...shares.values()].reduce((sum, share) => sum + share, 0n)).to.equal(119n);
    });

    it("adds up the shares of a beneficiary of several stakes", function () {
      const shares = returnedStakeShares([contributor(OPERATOR, 60n), contributor(CONTRIBUTOR, 60n, OPERATOR)], 120n);
      expect(shares).to.deep.equal(new Map([[OPERATOR, 120n]]));
    });

    it("refuses a node without contributors, without stake, or a negative amount", function () {
      expect(() => returnedStakeShares([], 1n)).to.throw(RangeError, "at least its operator");
      expect(() => returnedStakeShares([contributor(OPERATOR, 0n)], 1n)).to.throw(RangeError, "sum to nothing");
      expect(() => returnedStakeShares([contributor(OPERATOR, 1n)], -1n)).to.throw(RangeError, "negative");
    });
  });
});

import { getAddress, Interface, type Log, type Provider } from "ethers";

// The testnet's node activity as the chain records it: the rewards contract's `NewServiceNodeV2`, `ServiceNodeExit`
// and `ServiceNodeLiquidated` logs, decoded with their blocks' timestamps, in log order. The records are the input
// lib/testnet-awards takes (`computeTestnetAwards`'s `events`), with what else a reader needs (the block, the stake
// returned by an exit, the beneficiaries).

const G1 = "tuple(uint256 X, uint256 Y)";

/** The three events, as IServiceNodeRewards declares them (production's fields and `indexed`). */
export const NODE_ACTIVITY_INTERFACE = new Interface([
  `event NewServiceNodeV2(uint64 indexed serviceNodeID, address initiator, ${G1} pubkey, ` +
    "tuple(uint256 serviceNodePubkey, uint256 serviceNodeSignature1, uint256 serviceNodeSignature2, uint16 fee) " +
    "serviceNode, tuple(tuple(address addr, address beneficiary) staker, uint256 stakedAmount)[] contributors)",
  `event ServiceNodeExit(uint64 indexed serviceNodeID, address initiator, uint256 returnedAmount, ${G1} pubkey)`,
  `event ServiceNodeLiquidated(uint64 indexed serviceNodeID, address initiator, ${G1} pubkey)`,
]);

/** A contributor as `NewServiceNodeV2` lists it. */
export interface ActivityContributor {
  readonly staker: { readonly addr: string; readonly beneficiary: string };
  readonly stakedAmount: bigint;
}

interface ActivityBase {
  readonly serviceNodeID: bigint;
  /** The block's timestamp, in Unix seconds. */
  readonly timestamp: bigint;
  readonly blockNumber: number;
  readonly logIndex: number;
  readonly initiator: string;
}

/** One decoded log of the node activity. */
export type NodeActivityEvent =
  | (ActivityBase & { readonly kind: "NewServiceNodeV2"; readonly contributors: readonly ActivityContributor[] })
  | (ActivityBase & { readonly kind: "ServiceNodeExit"; readonly returnedAmount: bigint })
  | (ActivityBase & { readonly kind: "ServiceNodeLiquidated" });

/** The block range to read: from `fromBlock` to `toBlock` (default: the latest block). */
export interface ActivityRange {
  readonly fromBlock: number;
  readonly toBlock?: number;
}

/**
 * Decodes one log of the rewards contract into a node-activity record (`timestamp` given: the log's block's), or
 * `undefined` for a log of another event.
 */
export function decodeNodeActivity(log: Log, timestamp: bigint): NodeActivityEvent | undefined {
  const parsed = NODE_ACTIVITY_INTERFACE.parseLog({ topics: [...log.topics], data: log.data });
  if (parsed === null) return undefined;
  const base = {
    serviceNodeID: parsed.args.serviceNodeID as bigint,
    timestamp,
    blockNumber: log.blockNumber,
    logIndex: log.index,
    initiator: getAddress(parsed.args.initiator as string),
  };
  switch (parsed.name) {
    case "NewServiceNodeV2": {
      const contributors = (parsed.args.contributors as readonly [[string, string], bigint][]).map(
        ([[addr, beneficiary], stakedAmount]) => ({
          staker: { addr: getAddress(addr), beneficiary: getAddress(beneficiary) },
          stakedAmount,
        }),
      );
      return { ...base, kind: "NewServiceNodeV2", contributors };
    }
    case "ServiceNodeExit":
      return { ...base, kind: "ServiceNodeExit", returnedAmount: parsed.args.returnedAmount as bigint };
    case "ServiceNodeLiquidated":
      return { ...base, kind: "ServiceNodeLiquidated" };
    default:
      return undefined;
  }
}

/**
 * Reads the node activity of the rewards contract at `rewards` over `range`: every `NewServiceNodeV2`,
 * `ServiceNodeExit` and `ServiceNodeLiquidated`, decoded, with its block's timestamp (each block read once), in log
 * order. Refuses a range that ends before it starts.
 */
export async function readNodeActivity(
  provider: Provider,
  rewards: string,
  range: ActivityRange,
): Promise<NodeActivityEvent[]> {
  const toBlock = range.toBlock ?? (await provider.getBlockNumber());
  if (!Number.isInteger(range.fromBlock) || range.fromBlock < 0 || toBlock < range.fromBlock) {
    throw new RangeError(`the block range ${range.fromBlock} to ${toBlock} is empty or negative`);
  }
  const topics = ["NewServiceNodeV2", "ServiceNodeExit", "ServiceNodeLiquidated"].map(
    (name) => NODE_ACTIVITY_INTERFACE.getEvent(name)?.topicHash ?? "",
  );
  const logs = await provider.getLogs({
    address: getAddress(rewards),
    fromBlock: range.fromBlock,
    toBlock,
    topics: [topics],
  });
  const timestamps = new Map<number, bigint>();
  const events: NodeActivityEvent[] = [];
  for (const log of [...logs].sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index)) {
    let timestamp = timestamps.get(log.blockNumber);
    if (timestamp === undefined) {
      const block = await provider.getBlock(log.blockNumber);
      if (block === null) throw new RangeError(`block ${log.blockNumber} of a log is not on this chain`);
      timestamp = BigInt(block.timestamp);
      timestamps.set(log.blockNumber, timestamp);
    }
    const event = decodeNodeActivity(log, timestamp);
    if (event !== undefined) events.push(event);
  }
  return events;
}

/**
 * How the network credits a node's returned stake (`ServiceNodeExit`'s `returnedAmount`) to its contributors'
 * beneficiaries: pro rata to their stakes, rounded down, the rounding left to the operator (`contributors[0]`), so
 * that the shares sum to the returned amount exactly. A beneficiary of several stakes gets their sum.
 */
export function returnedStakeShares(
  contributors: readonly ActivityContributor[],
  returnedAmount: bigint,
): Map<string, bigint> {
  if (contributors.length === 0) throw new RangeError("a node has at least its operator as contributor");
  if (returnedAmount < 0n) throw new RangeError(`a returned amount cannot be negative, got ${returnedAmount}`);
  const deposit = contributors.reduce((sum, contributor) => sum + contributor.stakedAmount, 0n);
  if (deposit <= 0n) throw new RangeError("the contributors' stakes sum to nothing");
  const shares = new Map<string, bigint>();
  let left = returnedAmount;
  for (const contributor of contributors) {
    const share = (returnedAmount * contributor.stakedAmount) / deposit;
    const beneficiary = getAddress(contributor.staker.beneficiary);
    shares.set(beneficiary, (shares.get(beneficiary) ?? 0n) + share);
    left -= share;
  }
  const operator = getAddress(contributors[0]?.staker.beneficiary ?? "");
  shares.set(operator, (shares.get(operator) ?? 0n) + left);
  return shares;
}

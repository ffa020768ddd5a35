import { Contract, getAddress, type Provider, ZeroAddress, zeroPadValue } from "ethers";

import { formatSesh } from "../amount";
import { PreconditionError } from "../errors";
import { markdownTable } from "../markdown";

// What `npx hardhat vesting:status` prints: one holder's vesting contract read from the chain (its kind found from its
// views), then formatted. The reads use the few views they need, as human-readable ABI fragments, so that this module
// works against any deployment of the contracts (the production ones included), not only this repository's build.

const COMMON_ABI = [
  "function end() view returns (uint256)",
  "function revoked() view returns (bool)",
  "function transferableBeneficiary() view returns (bool)",
  "function vestedAmount(address token, uint256 timestamp) view returns (uint256)",
  "function releasable(address token) view returns (uint256)",
];
const STAKING_ABI = [
  ...COMMON_ABI,
  "function beneficiary() view returns (address)",
  "function revoker() view returns (address)",
  "function start() view returns (uint256)",
  "function SESH() view returns (address)",
  "function rewardsContract() view returns (address)",
  "function snContribFactory() view returns (address)",
  "event TokensReleased(address indexed token, uint256 amount)",
  "event TokensRevokedReleased(address indexed token, uint256 amount)",
];
const NO_STAKING_ABI = [
  ...COMMON_ABI,
  "function getBeneficiary() view returns (address)",
  "function getRevoker() view returns (address)",
  "function cliff() view returns (uint256)",
  "function released(address token) view returns (uint256)",
  "function isRevoked(address token) view returns (bool)",
];
const ERC20_ABI = [
  "function balanceOf(address) view returns (uint256)",
  "event Transfer(address indexed from, address indexed to, uint256 value)",
];
const REWARDS_ABI = [
  "function allServiceNodeIDs() view returns (uint64[] ids, tuple(uint256 X, uint256 Y)[] pubkeys)",
  "function serviceNodes(uint64 id) view returns (tuple(uint64 next, uint64 prev, address operator, tuple(uint256 X, uint256 Y) blsPubkey, uint256 addedTimestamp, uint256 leaveRequestTimestamp, uint256 latestLeaveRequestTimestamp, uint256 deposit, tuple(tuple(address addr, address beneficiary) staker, uint256 stakedAmount)[] contributors, uint256 ed25519Pubkey))",
  "function recipients(address) view returns (uint256 rewards, uint256 claimed)",
];
const FACTORY_ABI = [
  "event NewServiceNodeContributionContract(address indexed contributorContract, uint256 serviceNodePubkey, address operator)",
];
const CONTRIBUTION_ABI = [
  "function contributions(address) view returns (uint256)",
  "function status() view returns (uint8)",
];

/**
 * The fragments read, by the contract they are read from (a test checks each against the contract's ABI: a fragment
 * of other types would read other words, or nothing).
 */
export const STATUS_ABI = {
  TokenVestingStaking: STAKING_ABI,
  TokenVestingNoStaking: NO_STAKING_ABI,
  ERC20: ERC20_ABI,
  ServiceNodeRewards: REWARDS_ABI,
  ServiceNodeContributionFactory: FACTORY_ABI,
  ServiceNodeContribution: CONTRIBUTION_ABI,
} as const;

/** IServiceNodeContribution.Status.Finalized: the stake is a node of the rewards contract. */
const FINALIZED = 3;

/** A node of the rewards contract the vesting contract stakes in. */
export interface StakedNode {
  readonly id: bigint;
  readonly operator: string;
  /** What the vesting contract staked in it, in atoms. */
  readonly stake: bigint;
  /** Where its rewards go. */
  readonly beneficiary: string;
  /** 0 while no exit was requested. */
  readonly leaveRequestTimestamp: bigint;
}

/** An open contribution contract the vesting contract contributed to. */
export interface OpenContribution {
  readonly contract: string;
  readonly amount: bigint;
  /** The contribution contract's status (0 waiting for the operator, 1 open, 2 waiting for finalisation). */
  readonly status: number;
}

export interface VestingStatus {
  readonly address: string;
  readonly kind: "TokenVestingStaking" | "TokenVestingNoStaking";
  readonly token: string;
  readonly beneficiary: string;
  /** The zero address when nobody may revoke. */
  readonly revoker: string;
  readonly transferableBeneficiary: boolean;
  /** The start of a staking vesting, the cliff of one without staking (unix seconds). */
  readonly from: bigint;
  readonly end: bigint;
  readonly revoked: boolean;
  /** The chain's time of the reads. */
  readonly now: bigint;
  readonly balance: bigint;
  readonly vested: bigint;
  readonly released: bigint;
  readonly releasable: bigint;
  /** Staking vesting only: its nodes, its open contributions and its unclaimed rewards. */
  readonly staking?: {
    readonly rewards: string;
    readonly factory: string;
    readonly nodes: readonly StakedNode[];
    readonly contributions: readonly OpenContribution[];
    readonly unclaimedRewards: bigint;
  };
}

/** What every read of one status shares: the provider, and the block all of them are read at (one snapshot). */
interface Snapshot {
  readonly provider: Provider;
  readonly blockTag: number;
}

/** The first line of an error's message, for a message that names what failed. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const short = (error as { shortMessage?: unknown }).shortMessage;
  return (typeof short === "string" ? short : error.message).split("\n")[0] ?? "";
}

/** A view of `contract` at the snapshot's block. */
type View = <T>(name: string, ...args: unknown[]) => Promise<T>;

/**
 * The views of `contract` at the snapshot's block. A call that fails is a {@link PreconditionError} whose message
 * `failed(signature, reason)` builds: a contract that answered the probe of its kind but not one of that kind's views is
 * another contract, not a broken read.
 */
function viewsOf(contract: Contract, at: Snapshot, failed: (signature: string, reason: string) => string): View {
  return async <T>(name: string, ...args: unknown[]): Promise<T> => {
    try {
      return (await contract.getFunction(name)(...args, { blockTag: at.blockTag })) as T;
    } catch (error) {
      throw new PreconditionError(
        failed(contract.interface.getFunction(name)?.format("sighash") ?? name, reasonOf(error)),
      );
    }
  };
}

/** Whether `contract` answers the view `name()` (a contract without it reverts, or returns nothing to decode). */
async function answers(contract: Contract, at: Snapshot, name: string): Promise<boolean> {
  try {
    await contract.getFunction(name)({ blockTag: at.blockTag });
    return true;
  } catch {
    return false;
  }
}

/** Sums the `amount` of a contract's events of one kind for one token, from its deployment to the snapshot. */
async function sumEvents(contract: Contract, at: Snapshot, event: string, token: string): Promise<bigint> {
  const logs = await contract.queryFilter(contract.getEvent(event)(token), 0, at.blockTag);
  return logs.reduce((sum, log) => sum + ("args" in log ? (log.args[1] as bigint) : 0n), 0n);
}

/** The token a vesting contract without staking holds: `token`, or the token of the first transfer it received. */
async function tokenOf(at: Snapshot, address: string, token: string | undefined): Promise<string> {
  if (token !== undefined) return getAddress(token);
  const transferTopic = new Contract(ZeroAddress, ERC20_ABI).interface.getEvent("Transfer")?.topicHash;
  const logs = await at.provider.getLogs({
    fromBlock: 0,
    toBlock: at.blockTag,
    topics: [transferTopic ?? null, null, zeroPadValue(address, 32)],
  });
  const first = logs[0];
  if (first === undefined) {
    throw new PreconditionError(`${address} has received no token transfer: name the vesting's token with --token`);
  }
  return getAddress(first.address);
}

/** `holder`'s balance of `token`; a token without code or without `balanceOf` is a {@link PreconditionError}. */
async function balanceOf(at: Snapshot, token: string, holder: string): Promise<bigint> {
  if ((await at.provider.getCode(token, at.blockTag)) === "0x") {
    throw new PreconditionError(`the token ${token}: no contract there`);
  }
  const view = viewsOf(
    new Contract(token, ERC20_ABI, at.provider),
    at,
    (signature, reason) => `the token ${token} is not an ERC-20 token: its ${signature} failed (${reason})`,
  );
  return view<bigint>("balanceOf", holder);
}

async function stakingOf(at: Snapshot, vesting: string, rewardsAddress: string, factoryAddress: string) {
  const rewards = viewsOf(
    new Contract(rewardsAddress, REWARDS_ABI, at.provider),
    at,
    (signature, reason) => `the rewards contract ${rewardsAddress} of ${vesting}: its ${signature} failed (${reason})`,
  );
  const [ids] = await rewards<[bigint[]]>("allServiceNodeIDs");
  const nodes: StakedNode[] = [];
  for (const id of ids) {
    const node = await rewards<{
      operator: string;
      leaveRequestTimestamp: bigint;
      contributors: { staker: { addr: string; beneficiary: string }; stakedAmount: bigint }[];
    }>("serviceNodes", id);
    for (const contributor of node.contributors) {
      if (getAddress(contributor.staker.addr) !== vesting) continue;
      nodes.push({
        id,
        operator: getAddress(node.operator),
        stake: contributor.stakedAmount,
        beneficiary: getAddress(contributor.staker.beneficiary),
        leaveRequestTimestamp: node.leaveRequestTimestamp,
      });
    }
  }
  const factory = new Contract(factoryAddress, FACTORY_ABI, at.provider);
  const opened = await factory.queryFilter("NewServiceNodeContributionContract", 0, at.blockTag);
  const contributions: OpenContribution[] = [];
  for (const log of opened) {
    if (!("args" in log)) continue;
    const address = getAddress(log.args[0] as string);
    const contribution = viewsOf(
      new Contract(address, CONTRIBUTION_ABI, at.provider),
      at,
      (signature, reason) => `the contribution contract ${address}: its ${signature} failed (${reason})`,
    );
    const status = Number(await contribution<bigint>("status"));
    const amount = await contribution<bigint>("contributions", vesting);
    // A finalised contract's stake is a node of the rewards contract, listed above.
    if (amount > 0n && status !== FINALIZED) contributions.push({ contract: address, amount, status });
  }
  const [credited, claimed] = await rewards<[bigint, bigint]>("recipients", vesting);
  return {
    rewards: rewardsAddress,
    factory: factoryAddress,
    nodes,
    contributions,
    unclaimedRewards: credited - claimed,
  };
}

/** The message of a contract that answered the probe of `kind` but not one of its other views. */
function notOfKind(vesting: string, kind: VestingStatus["kind"], probe: string) {
  return (signature: string, reason: string): string =>
    `${vesting} answers ${probe}() but not ${signature} (${reason}): it is not a ${kind}`;
}

/**
 * Reads a vesting contract at the latest block: its kind (a `TokenVestingStaking` answers `rewardsContract()`, a
 * `TokenVestingNoStaking` `cliff()`), schedule, parties and amounts of `token` (a staking vesting's SESH by default,
 * the first token received by one without staking), and for a staking vesting its nodes, its open contributions and
 * its unclaimed rewards. An address without code, a contract that is neither kind (or answers the probe of one but
 * not its other views) and a token that is no ERC-20 contract are a {@link PreconditionError}.
 */
export async function readVestingStatus(provider: Provider, address: string, token?: string): Promise<VestingStatus> {
  const vesting = getAddress(address);
  const latest = await provider.getBlock("latest");
  if (latest === null) throw new PreconditionError("the network returned no latest block");
  const at: Snapshot = { provider, blockTag: latest.number };
  const now = BigInt(latest.timestamp);
  if ((await provider.getCode(vesting, at.blockTag)) === "0x") {
    throw new PreconditionError(`${vesting}: no contract there`);
  }
  const staking = new Contract(vesting, STAKING_ABI, provider);
  if (await answers(staking, at, "rewardsContract")) {
    const view = viewsOf(staking, at, notOfKind(vesting, "TokenVestingStaking", "rewardsContract"));
    const rewards = getAddress(await view<string>("rewardsContract"));
    const factory = getAddress(await view<string>("snContribFactory"));
    const sesh = getAddress(await view<string>("SESH"));
    const beneficiary = getAddress(await view<string>("beneficiary"));
    const revoker = getAddress(await view<string>("revoker"));
    const transferableBeneficiary = await view<boolean>("transferableBeneficiary");
    const from = await view<bigint>("start");
    const end = await view<bigint>("end");
    const revoked = await view<boolean>("revoked");
    const held = token === undefined ? sesh : getAddress(token);
    const balance = await balanceOf(at, held, vesting);
    return {
      address: vesting,
      kind: "TokenVestingStaking",
      token: held,
      beneficiary,
      revoker,
      transferableBeneficiary,
      from,
      end,
      revoked,
      now,
      balance,
      vested: await view<bigint>("vestedAmount", held, now),
      // The contract keeps no count of what it paid: its payouts are its events.
      released:
        (await sumEvents(staking, at, "TokensReleased", held)) +
        (await sumEvents(staking, at, "TokensRevokedReleased", held)),
      releasable: await view<bigint>("releasable", held),
      staking: await stakingOf(at, vesting, rewards, factory),
    };
  }
  const noStaking = new Contract(vesting, NO_STAKING_ABI, provider);
  if (await answers(noStaking, at, "cliff")) {
    const view = viewsOf(noStaking, at, notOfKind(vesting, "TokenVestingNoStaking", "cliff"));
    const beneficiary = getAddress(await view<string>("getBeneficiary"));
    const revoker = getAddress(await view<string>("getRevoker"));
    const transferableBeneficiary = await view<boolean>("transferableBeneficiary");
    const from = await view<bigint>("cliff");
    const end = await view<bigint>("end");
    // Only once the kind is sure: a look-alike that received nothing is not a vesting without its token.
    const held = await tokenOf(at, vesting, token);
    const balance = await balanceOf(at, held, vesting);
    return {
      address: vesting,
      kind: "TokenVestingNoStaking",
      token: held,
      beneficiary,
      revoker,
      transferableBeneficiary,
      from,
      end,
      revoked: await view<boolean>("isRevoked", held),
      now,
      balance,
      vested: await view<bigint>("vestedAmount", held, now),
      released: await view<bigint>("released", held),
      releasable: await view<bigint>("releasable", held),
    };
  }
  throw new PreconditionError(
    `${vesting} is not a vesting contract: it has neither rewardsContract() (TokenVestingStaking) nor cliff() ` +
      `(TokenVestingNoStaking)`,
  );
}

function utc(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

const CONTRIBUTION_STATUS = ["waiting for the operator", "open", "waiting for finalisation"];

/** A vesting status as Markdown: the schedule and parties, the amounts, then a staking vesting's stakes. */
export function formatVestingStatus(status: VestingStatus): string {
  const amount = (atoms: bigint): string => formatSesh(atoms);
  const schedule =
    status.kind === "TokenVestingStaking"
      ? [
          ["start (staking opens)", utc(status.from)],
          ["end (everything vests)", utc(status.end)],
        ]
      : [
          ["cliff (20 % vests)", utc(status.from)],
          ["end (everything vests)", utc(status.end)],
        ];
  const lines = [
    `## ${status.kind} ${status.address}`,
    "",
    markdownTable(
      ["item", "value"],
      ["l", "l"],
      [
        ["beneficiary", `${status.beneficiary}${status.transferableBeneficiary ? " (transferable)" : ""}`],
        ["revoker", status.revoker === ZeroAddress ? "none (irrevocable)" : status.revoker],
        ...schedule,
        ["revoked", status.revoked ? "yes" : "no"],
        ["read at", utc(status.now)],
        ["token", status.token],
        ["balance", amount(status.balance)],
        ["vested", amount(status.vested)],
        ["released", amount(status.released)],
        ["releasable now", amount(status.releasable)],
      ],
    ),
  ];
  if (status.staking !== undefined) {
    const { nodes, contributions, unclaimedRewards } = status.staking;
    lines.push("", `### Staked in ${status.staking.rewards}`, "");
    lines.push(
      nodes.length === 0
        ? "No node."
        : markdownTable(
            ["node", "operator", "stake", "rewards to", "exit requested"],
            ["r", "l", "r", "l", "l"],
            nodes.map((node) => [
              String(node.id),
              node.operator,
              amount(node.stake),
              node.beneficiary,
              node.leaveRequestTimestamp === 0n ? "no" : utc(node.leaveRequestTimestamp),
            ]),
          ),
    );
    if (contributions.length > 0) {
      lines.push(
        "",
        markdownTable(
          ["open contribution contract", "contributed", "status"],
          ["l", "r", "l"],
          contributions.map((c) => [c.contract, amount(c.amount), CONTRIBUTION_STATUS[c.status] ?? String(c.status)]),
        ),
      );
    }
    lines.push("", `Unclaimed rewards (claimable into the vesting contract): ${amount(unclaimedRewards)}`);
  }
  return lines.join("\n");
}

import { Contract, getAddress, type Provider, ZeroAddress } from "ethers";

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

async function hasView(provider: Provider, address: string, signature: string): Promise<boolean> {
  try {
    await new Contract(address, [`function ${signature} view returns (uint256)`], provider).getFunction(
      signature.slice(0, signature.indexOf("(")),
    )();
    return true;
  } catch {
    return false;
  }
}

/** Sums the `amount` of a contract's events of one kind for one token, from its deployment on. */
async function sumEvents(contract: Contract, event: string, token: string): Promise<bigint> {
  const logs = await contract.queryFilter(contract.filters[event]?.(token) ?? event, 0, "latest");
  return logs.reduce((sum, log) => sum + ("args" in log ? (log.args[1] as bigint) : 0n), 0n);
}

/** The token a vesting contract without staking holds: `token`, or the token of the first transfer it received. */
async function tokenOf(provider: Provider, address: string, token: string | undefined): Promise<string> {
  if (token !== undefined) return getAddress(token);
  const transferTopic = new Contract(ZeroAddress, ERC20_ABI).interface.getEvent("Transfer")?.topicHash;
  const logs = await provider.getLogs({
    fromBlock: 0,
    toBlock: "latest",
    topics: [transferTopic ?? null, null, `0x${address.slice(2).toLowerCase().padStart(64, "0")}`],
  });
  const first = logs[0];
  if (first === undefined) {
    throw new PreconditionError(`${address} has received no token transfer: name the vesting's token with --token`);
  }
  return getAddress(first.address);
}

async function stakingOf(provider: Provider, vesting: string, rewardsAddress: string, factoryAddress: string) {
  const rewards = new Contract(rewardsAddress, REWARDS_ABI, provider);
  const [ids] = (await rewards.getFunction("allServiceNodeIDs")()) as [bigint[]];
  const nodes: StakedNode[] = [];
  for (const id of ids) {
    const node = (await rewards.getFunction("serviceNodes")(id)) as {
      operator: string;
      leaveRequestTimestamp: bigint;
      contributors: { staker: { addr: string; beneficiary: string }; stakedAmount: bigint }[];
    };
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
  const factory = new Contract(factoryAddress, FACTORY_ABI, provider);
  const opened = await factory.queryFilter("NewServiceNodeContributionContract", 0, "latest");
  const contributions: OpenContribution[] = [];
  for (const log of opened) {
    if (!("args" in log)) continue;
    const address = getAddress(log.args[0] as string);
    const contract = new Contract(address, CONTRIBUTION_ABI, provider);
    const status = Number(await contract.getFunction("status")());
    const amount = (await contract.getFunction("contributions")(vesting)) as bigint;
    // A finalised contract's stake is a node of the rewards contract, listed above.
    if (amount > 0n && status !== 3) contributions.push({ contract: address, amount, status });
  }
  const [credited, claimed] = (await rewards.getFunction("recipients")(vesting)) as [bigint, bigint];
  return {
    rewards: rewardsAddress,
    factory: factoryAddress,
    nodes,
    contributions,
    unclaimedRewards: credited - claimed,
  };
}

/**
 * Reads a vesting contract: its kind (a `TokenVestingStaking` has `rewardsContract()`, a `TokenVestingNoStaking`
 * `cliff()`), schedule, parties and amounts of `token` (a staking vesting's SESH by default), and for a staking
 * vesting its nodes, its open contributions and its unclaimed rewards. An address that is neither is a
 * {@link PreconditionError}.
 */
export async function readVestingStatus(provider: Provider, address: string, token?: string): Promise<VestingStatus> {
  const vesting = getAddress(address);
  if ((await provider.getCode(vesting)) === "0x") {
    throw new PreconditionError(`${vesting}: no contract there`);
  }
  const latest = await provider.getBlock("latest");
  const now = BigInt(latest?.timestamp ?? 0);
  if (await hasView(provider, vesting, "rewardsContract()")) {
    const contract = new Contract(vesting, STAKING_ABI, provider);
    const view = async <T>(name: string, ...args: unknown[]): Promise<T> =>
      (await contract.getFunction(name)(...args)) as T;
    const sesh = getAddress(await view<string>("SESH"));
    const held = token === undefined ? sesh : getAddress(token);
    const rewards = getAddress(await view<string>("rewardsContract"));
    const factory = getAddress(await view<string>("snContribFactory"));
    return {
      address: vesting,
      kind: "TokenVestingStaking",
      token: held,
      beneficiary: getAddress(await view<string>("beneficiary")),
      revoker: getAddress(await view<string>("revoker")),
      transferableBeneficiary: await view<boolean>("transferableBeneficiary"),
      from: await view<bigint>("start"),
      end: await view<bigint>("end"),
      revoked: await view<boolean>("revoked"),
      now,
      balance: (await new Contract(held, ERC20_ABI, provider).getFunction("balanceOf")(vesting)) as bigint,
      vested: await view<bigint>("vestedAmount", held, now),
      released:
        (await sumEvents(contract, "TokensReleased", held)) +
        (await sumEvents(contract, "TokensRevokedReleased", held)),
      releasable: await view<bigint>("releasable", held),
      staking: await stakingOf(provider, vesting, rewards, factory),
    };
  }
  if (await hasView(provider, vesting, "cliff()")) {
    const contract = new Contract(vesting, NO_STAKING_ABI, provider);
    const view = async <T>(name: string, ...args: unknown[]): Promise<T> =>
      (await contract.getFunction(name)(...args)) as T;
    const held = await tokenOf(provider, vesting, token);
    return {
      address: vesting,
      kind: "TokenVestingNoStaking",
      token: held,
      beneficiary: getAddress(await view<string>("getBeneficiary")),
      revoker: getAddress(await view<string>("getRevoker")),
      transferableBeneficiary: await view<boolean>("transferableBeneficiary"),
      from: await view<bigint>("cliff"),
      end: await view<bigint>("end"),
      revoked: await view<boolean>("isRevoked", held),
      now,
      balance: (await new Contract(held, ERC20_ABI, provider).getFunction("balanceOf")(vesting)) as bigint,
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
      ["", ""],
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

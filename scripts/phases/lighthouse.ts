import { getAddress, keccak256, toUtf8Bytes, ZeroAddress, type TransactionReceipt } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import TestnetTokenModule from "../../deploy/modules/TestnetToken";
import { deployStaking, stakingParametersFor } from "../../deploy/staking";
import { formatInteger, formatSesh } from "../../lib/amount";
import { domainTags, type DomainTags, type SignatureParams } from "../../lib/bls";
import { revertsWith } from "../../lib/chain/revert";
import { moveClockTo } from "../../lib/chain/clock";
import { parseAwards, type Awards } from "../../lib/distribution";
import { PreconditionError } from "../../lib/errors";
import { markdownTable } from "../../lib/markdown";
import {
  NODE_ACTIVITY_INTERFACE,
  readNodeActivity,
  returnedStakeShares,
  SimulatedNetwork,
  type ActivityContributor,
  type NodeActivityEvent,
} from "../../lib/network";
import {
  balanceProblems,
  encodedCall,
  minimumOperatorContribution,
  plannedCalls,
  planJoin,
  planNode,
  problemsText,
  readContributionState,
  readRegistrationParameters,
  registrationProblems,
  resolveDeployed,
  rewardsStateProblems,
  type NodeProposal,
  type PlannedCall,
  type RegistrationParameters,
} from "../../lib/registration";
import type { Journal } from "../../lib/rehearsal/journal";
import type { ReportCheck, ReportPhase, ReportTransaction } from "../../lib/rehearsal/report";
import {
  MAX_SERVICE_NODE_EXIT_WAIT_TIME,
  MIN_NODE_AGE_BEFORE_EXIT,
  readNode,
  signExit,
  signLiquidation,
  signRewardsUpdate,
} from "../../lib/rewards";
import { computeTestnetAwards, toAwardsFile, type TestnetAwards } from "../../lib/testnet-awards";
import { formatUtc, launchTimeline, type TimelineEventId } from "../../lib/timeline";
import type { SESH, TestnetServiceNodeRewards, TokenVestingStaking } from "../../typechain-types";

// The Lighthouse (SPEC 2, issue 13): the testnet that ran from July 2024 to the Anchor, played on the rehearsal's
// chain. A testnet SESH (its deployer the faucet) and the testnet staking set; a simulated network of Session Nodes
// with real BLS keys, registered as the staking portal does it (lib/registration), solo and through contribution
// contracts, one of them joined by a vesting holder; rewards signed by the network and claimed; the three ways out
// (a network-signed exit after a request, an exit after the wait time, a liquidation) and the returned stakes credited;
// and the testnet incentive computed from the chain's own events. Every transaction goes through the run's journal.

/** The Ignition deployment id of the testnet token and staking set on a node that outlives the process. */
export const LIGHTHOUSE_DEPLOYMENT_ID = "rehearsal-testnet";
/** The simulated testnet's size when none is given. */
export const DEFAULT_LIGHTHOUSE_NODES = 8;
/** The fewest nodes that play every path: solo nodes, a vesting node, and three nodes that leave three ways. */
export const MIN_LIGHTHOUSE_NODES = 6;
/** The most nodes of the simulated testnet (each signature costs every registered node's signing). */
export const MAX_LIGHTHOUSE_NODES = 60;

/** The first of the chain's unlocked accounts the Lighthouse uses: the TGE's accounts are 0–7. */
const FIRST_PARTICIPANT = 8;
/** Operators (accounts 8–13), contributors (14–18) and the vesting holder (19). */
const OPERATORS = 6;
const CONTRIBUTORS = 5;
const PARTICIPANTS = OPERATORS + CONTRIBUTORS + 1;
/** The operator fee of the multi-contributor nodes, in basis points. */
const OPERATOR_FEE = 500;
/** The first outside contributor's share of a multi-contributor node: a third of the requirement. */
const FIRST_JOIN_DIVISOR = 3n;
/** The rewards the network credits each stake: 5 % of it. */
const REWARD_BASIS_POINTS = 500n;
const BASIS_POINTS = 10_000n;
/** What the vesting holder holds beyond its stake, in atoms (10 SESH). */
const VESTING_SURPLUS = 10_000_000_000n;
const SECONDS_PER_DAY = 86_400;
const SECONDS_PER_HOUR = 3_600;
/** How long after the exit request the network signs the node's exit, in seconds (a day). */
const NETWORK_EXIT_DELAY = SECONDS_PER_DAY;
/** The wait after a request past which anyone completes the exit, in seconds. */
const EXIT_WAIT_TIME = Number(MAX_SERVICE_NODE_EXIT_WAIT_TIME);
/** In real time, the vesting's length from its start, in seconds (a year). */
const REAL_TIME_VESTING_DURATION = 365 * SECONDS_PER_DAY;
/** In real time, the vesting starts this many seconds after the chain's clock when it is deployed. */
const REAL_TIME_VESTING_LEAD = 12;
/** How often a real-time run looks at the chain's clock while it waits for the vesting's start, in milliseconds. */
const CLOCK_POLL_MS = 250;
/** The longest a real-time run waits for the vesting's start beyond the lead, in milliseconds. */
const CLOCK_WAIT_LIMIT_MS = 120_000;
const MS_PER_SECOND = 1000;

export interface LighthouseOptions {
  /** The run's journal: every transaction and step of the phase, keyed `lighthouse.…`. */
  readonly journal: Journal;
  /** The rehearsal's seed: the simulated network's keys and the nodes' ed25519 keys derive from it. */
  readonly seed: string;
  /** Nodes of the simulated testnet ({@link DEFAULT_LIGHTHOUSE_NODES}). */
  readonly nodes?: number;
  /**
   * Run against a chain whose clock cannot be moved (a real testnet): no `evm_*` nor `hardhat_*` call; the exits
   * that wait are the testnet contract's owner exits, and the awards' window is the run's own span.
   */
  readonly realTime?: boolean;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

/** How long a step of the phase took, and how much of it was BLS signing. */
export interface LighthouseTiming {
  readonly step: string;
  readonly milliseconds: number;
  readonly signatures: number;
  readonly signingMilliseconds: number;
}

/** How a node of the simulated testnet ended the Lighthouse. */
export type LighthouseFate =
  "running" | "exited by signature" | "exited after the wait time" | "liquidated" | "owner exit";

/** A node of the simulated testnet as the phase played it. */
export interface LighthouseNode {
  readonly index: number;
  readonly kind: "solo" | "multi";
  readonly id: bigint;
  readonly operator: string;
  /** The contribution contract of a multi-contributor node. */
  readonly contribution?: string;
  readonly contributors: readonly ActivityContributor[];
  readonly fate: LighthouseFate;
}

export interface LighthouseResult {
  readonly phase: ReportPhase;
  /** The testnet awards in the shape the Landing's MerkleDistributor campaign takes (lib/distribution). */
  readonly awards: Awards;
  /** The computation behind them: points, referrals (valid and rejected), undistributed remainder. */
  readonly testnetAwards: TestnetAwards;
  readonly addresses: {
    readonly sesh: string;
    readonly rewards: string;
    readonly factory: string;
    readonly pool: string;
    readonly vesting: string;
  };
  readonly nodes: { readonly registered: number; readonly exited: number; readonly liquidated: number };
  readonly nodeList: readonly LighthouseNode[];
  /** The simulated network, its exited nodes deregistered. */
  readonly network: SimulatedNetwork;
  readonly realTime: boolean;
  /** The awards' program window, in Unix seconds. */
  readonly window: { readonly start: number; readonly end: number };
  readonly timings: readonly LighthouseTiming[];
  /** BLS signatures made by the simulated nodes in this run (none for a step a resumed run skipped). */
  readonly signing: { readonly signatures: number; readonly milliseconds: number };
}

/** What the journal records of the testnet deployment. */
interface Deployed {
  readonly [key: string]: string | number;
  readonly sesh: string;
  readonly rewards: string;
  readonly factory: string;
  readonly pool: string;
  /** The first block of the deployment: the awards read the logs from there. */
  readonly fromBlock: number;
}

/** A join of a multi-contributor node: an account or the vesting contract. */
interface JoinSpec {
  readonly who: HardhatEthersSigner | "vesting";
  readonly amount: bigint;
}

interface NodeSpec {
  readonly index: number;
  readonly kind: "solo" | "multi";
  readonly operator: HardhatEthersSigner;
  readonly operatorStake: bigint;
  readonly joins: readonly JoinSpec[];
  readonly ed25519: bigint;
  readonly ed25519Signature: readonly [bigint, bigint];
}

/** A whole number of 256 bits derived from the seed and a label, never 0. */
function derived(seed: string, label: string): bigint {
  const value = BigInt(keccak256(toUtf8Bytes(`${seed}/lighthouse/${label}`)));
  return value === 0n ? 1n : value;
}

/** The ids of `NewServiceNodeV2` in a receipt's logs of `rewards`. */
function newNodeIds(receipt: TransactionReceipt, rewards: string): bigint[] {
  return receipt.logs
    .filter((log) => getAddress(log.address) === rewards)
    .map((log) => NODE_ACTIVITY_INTERFACE.parseLog({ topics: [...log.topics], data: log.data }))
    .filter((parsed) => parsed?.name === "NewServiceNodeV2")
    .map((parsed) => parsed?.args.serviceNodeID as bigint);
}

/** The SESH that `token` moved from `from` to `to` in a receipt. */
function transferred(receipt: TransactionReceipt, sesh: SESH, from: string, to: string): bigint {
  let total = 0n;
  for (const log of receipt.logs) {
    if (getAddress(log.address) !== getAddress(sesh.target as string)) continue;
    const parsed = sesh.interface.parseLog({ topics: [...log.topics], data: log.data });
    if (parsed?.name !== "Transfer") continue;
    if (getAddress(parsed.args[0] as string) === from && getAddress(parsed.args[1] as string) === to) {
      total += parsed.args[2] as bigint;
    }
  }
  return total;
}

async function latestTimestamp(hre: HardhatRuntimeEnvironment): Promise<number> {
  const block = await hre.ethers.provider.getBlock("latest");
  if (block === null) throw new Error("the chain has no latest block");
  return block.timestamp;
}

/**
 * Waits, without touching the chain's clock, until the next block's timestamp is at least `unix`: the latest block
 * is there already, or the chain's clock, taken to run with the wall clock, has passed it.
 */
async function waitForChainTime(hre: HardhatRuntimeEnvironment, unix: number, label: string): Promise<void> {
  const observed = await latestTimestamp(hre);
  const since = Date.now();
  for (;;) {
    const latest = await latestTimestamp(hre);
    const estimate = observed + Math.floor((Date.now() - since) / MS_PER_SECOND);
    if (latest >= unix || estimate > unix) return;
    if (Date.now() - since > (unix - observed) * MS_PER_SECOND + CLOCK_WAIT_LIMIT_MS) {
      throw new PreconditionError(
        `the chain's clock stays at ${formatUtc(latest)}, before ${label} (${formatUtc(unix)}): it does not run`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, CLOCK_POLL_MS));
  }
}

/** The nodes' roles, from the network size and the participating accounts (pure). */
function nodeSpecs(
  seed: string,
  size: number,
  requirement: bigint,
  operators: readonly HardhatEthersSigner[],
  contributors: readonly HardhatEthersSigner[],
): NodeSpec[] {
  const solo = Math.ceil(size / 2);
  // The operator's share of a multi-contributor node: the contracts' minimum, a quarter of the requirement.
  const operatorStake = minimumOperatorContribution(requirement);
  const firstJoin = requirement / FIRST_JOIN_DIVISOR;
  return Array.from({ length: size }, (_, index): NodeSpec => {
    const operator = operators[index % operators.length];
    if (operator === undefined) throw new Error("no operator account");
    const keys = {
      ed25519: derived(seed, `ed25519/${index}`),
      ed25519Signature: [derived(seed, `ed25519-signature/${index}/0`), derived(seed, `ed25519-signature/${index}/1`)],
    } as const;
    if (index < solo) return { index, kind: "solo", operator, operatorStake: requirement, joins: [], ...keys };
    const multi = index - solo;
    const first = contributors[(2 * multi) % contributors.length];
    const second = contributors[(2 * multi + 1) % contributors.length];
    if (first === undefined || second === undefined) throw new Error("no contributor account");
    // The first multi-contributor node is the vesting holder's.
    const joins: JoinSpec[] = [
      { who: multi === 0 ? "vesting" : first, amount: firstJoin },
      { who: second, amount: requirement - operatorStake - firstJoin },
    ];
    return { index, kind: "multi", operator, operatorStake, joins, ...keys };
  });
}

/**
 * Plays the Lighthouse on the rehearsal's chain (see the module comment and docs/rehearsal.md): deploys the testnet
 * token and staking set, registers the simulated network's nodes as the portal does, has a vesting holder stake,
 * signs and pays rewards, plays the three exits and credits the returned stakes, and computes the testnet awards from
 * the chain's events. Every transaction goes through `options.journal` (keys `lighthouse.…`), so a resumed run sends
 * none twice. With `realTime`, it makes no `evm_*` nor `hardhat_*` call of its own.
 */
export async function runLighthouse(
  hre: HardhatRuntimeEnvironment,
  options: LighthouseOptions,
): Promise<LighthouseResult> {
  const { journal, seed } = options;
  const realTime = options.realTime === true;
  const size = options.nodes ?? DEFAULT_LIGHTHOUSE_NODES;
  const log = options.log ?? ((): void => undefined);
  if (!Number.isInteger(size) || size < MIN_LIGHTHOUSE_NODES || size > MAX_LIGHTHOUSE_NODES) {
    throw new PreconditionError(
      `the Lighthouse's testnet has ${MIN_LIGHTHOUSE_NODES} to ${MAX_LIGHTHOUSE_NODES} nodes, not ${size}`,
    );
  }
  if (seed === "") throw new PreconditionError("the Lighthouse needs a seed for its network's keys");
  const { ethers } = hre;
  const signers = await ethers.getSigners();
  if (signers.length < FIRST_PARTICIPANT + PARTICIPANTS) {
    throw new PreconditionError(
      `the Lighthouse plays with the chain's unlocked accounts ${FIRST_PARTICIPANT} to ` +
        `${FIRST_PARTICIPANT + PARTICIPANTS - 1}; network ${hre.network.name} has ${signers.length} accounts`,
    );
  }
  const faucet = signers[0] as HardhatEthersSigner;
  const participants = signers.slice(FIRST_PARTICIPANT, FIRST_PARTICIPANT + PARTICIPANTS);
  const operators = participants.slice(0, OPERATORS);
  const contributors = participants.slice(OPERATORS, OPERATORS + CONTRIBUTORS);
  const holder = participants[PARTICIPANTS - 1] as HardhatEthersSigner;
  const liquidator = contributors[0] as HardhatEthersSigner;
  const parameters = stakingParametersFor("arbitrumSepolia");
  const requirement = parameters.stakingRequirement;
  const timeline = launchTimeline();
  const chainId = (await ethers.provider.getNetwork()).chainId;

  const events: string[] = [];
  const transactions: ReportTransaction[] = [];
  const timings: LighthouseTiming[] = [];
  const signing = { signatures: 0, milliseconds: 0 };
  const note = (text: string): void => {
    events.push(text);
    log(`lighthouse: ${text}`);
  };
  const record = (label: string, receipt: TransactionReceipt): TransactionReceipt => {
    transactions.push({ label, hash: receipt.hash, gasUsed: receipt.gasUsed });
    return receipt;
  };
  /** Runs `fn`, timing it and the BLS signing within it. */
  const timed = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const before = { ...signing };
    const result = await fn();
    timings.push({
      step,
      milliseconds: Math.round(performance.now() - started),
      signatures: signing.signatures - before.signatures,
      signingMilliseconds: Math.round(signing.milliseconds - before.milliseconds),
    });
    return result;
  };
  /** BLS work of `count` signatures by the simulated nodes, timed. */
  const signed = <T>(count: number, fn: () => T): T => {
    const started = performance.now();
    const result = fn();
    signing.milliseconds += performance.now() - started;
    signing.signatures += count;
    return result;
  };
  /** Moves the clock to a calendar date (or a date after one), once over all runs; never in real time. */
  const clockTo = async (key: string, unix: number, label: string): Promise<void> => {
    if (realTime) return;
    const { from } = await journal.step(`lighthouse.clock.${key}`, async () => ({
      from: await moveClockTo(hre.network.provider, unix, label),
    }));
    note(`clock moved from ${formatUtc(from)} to ${label}, ${formatUtc(unix)}`);
  };
  const at = (id: TimelineEventId): { unix: number; label: string } => {
    const event = timeline.at(id);
    return { unix: event.unix, label: `${id} (${event.event})` };
  };

  // 1. The testnet deployment.
  const launch = at("testnetLaunch");
  await clockTo("testnetLaunch", launch.unix, launch.label);
  const deployed = await timed("testnet deployment", () =>
    journal.step<Deployed>("lighthouse.testnet", async () => {
      const fromBlock = (await ethers.provider.getBlockNumber()) + 1;
      const token = await hre.ignition.deploy(TestnetTokenModule, {
        deploymentId: LIGHTHOUSE_DEPLOYMENT_ID,
        displayUi: false,
      });
      const sesh = await token.sesh.getAddress();
      const staking = await deployStaking(hre, { sesh, parameters, deploymentId: LIGHTHOUSE_DEPLOYMENT_ID });
      return {
        sesh,
        rewards: staking.rewardsAddress,
        factory: staking.factoryAddress,
        pool: staking.poolAddress,
        fromBlock,
      };
    }),
  );
  const sesh = await ethers.getContractAt("SESH", deployed.sesh);
  const rewards = await ethers.getContractAt("TestnetServiceNodeRewards", deployed.rewards);
  const factory = await ethers.getContractAt("ServiceNodeContributionFactory", deployed.factory);
  const rewardsAddress = getAddress(deployed.rewards);
  const tags: DomainTags = domainTags(chainId, rewardsAddress);
  note(
    `testnet deployed: SESH at ${deployed.sesh} (the whole supply minted to the faucet ${faucet.address}), ` +
      `TestnetServiceNodeRewards at ${deployed.rewards} (${formatSesh(requirement)} a node, at most ` +
      `${parameters.maxContributors} contributors), contribution factory at ${deployed.factory}`,
  );
  record(
    "start the testnet rewards contract",
    await journal.send("lighthouse.start", faucet, () => rewards.start.populateTransaction()),
  );

  // The vesting holder's contract, deployed now so that its start has passed when it stakes.
  const schedule = await journal.step("lighthouse.vesting.schedule", async () => {
    if (!realTime) return { start: at("testnetIncentiveStart").unix, end: at("anchorRelease").unix };
    const start = (await latestTimestamp(hre)) + REAL_TIME_VESTING_LEAD;
    return { start, end: start + REAL_TIME_VESTING_DURATION };
  });
  const vestingFactory = await ethers.getContractFactory("TokenVestingStaking");
  const vestingReceipt = record(
    "deploy the vesting holder's TokenVestingStaking",
    await journal.send("lighthouse.vesting.deploy", faucet, () =>
      vestingFactory.getDeployTransaction(
        holder.address,
        ZeroAddress,
        schedule.start,
        schedule.end,
        false,
        deployed.rewards,
        deployed.factory,
        deployed.sesh,
      ),
    ),
  );
  if (vestingReceipt.contractAddress === null) throw new Error("the vesting deployment created no contract");
  const vestingAddress = getAddress(vestingReceipt.contractAddress);
  const vesting = await ethers.getContractAt("TokenVestingStaking", vestingAddress);

  // 2. The simulated network and the faucet.
  const network = new SimulatedNetwork(`${seed}/lighthouse`, size);
  const specs = nodeSpecs(seed, size, requirement, operators, contributors);
  const needs = new Map<string, { signer: HardhatEthersSigner; amount: bigint }>();
  const need = (signer: HardhatEthersSigner, amount: bigint): void => {
    const entry = needs.get(signer.address) ?? { signer, amount: 0n };
    needs.set(signer.address, { signer, amount: entry.amount + amount });
  };
  let vestingStake = 0n;
  for (const spec of specs) {
    need(spec.operator, spec.operatorStake);
    for (const join of spec.joins) {
      if (join.who === "vesting") vestingStake += join.amount;
      else need(join.who, join.amount);
    }
  }
  // The rewards the network will credit: REWARD_BASIS_POINTS of every stake, to its beneficiary.
  const rewardOf = (amount: bigint): bigint => (amount * REWARD_BASIS_POINTS) / BASIS_POINTS;
  const faucetTotal = [...needs.values()].reduce((sum, entry) => sum + entry.amount, vestingStake + VESTING_SURPLUS);
  const rewardsFunding = specs.reduce(
    (sum, spec) => sum + rewardOf(spec.operatorStake) + spec.joins.reduce((s, join) => s + rewardOf(join.amount), 0n),
    0n,
  );
  await timed("faucet", async () => {
    for (const [address, entry] of [...needs].sort(([a], [b]) => a.localeCompare(b))) {
      record(
        `faucet: ${formatSesh(entry.amount)} to ${address}`,
        await journal.send(`lighthouse.faucet.${address}`, faucet, () =>
          sesh.transfer.populateTransaction(address, entry.amount),
        ),
      );
    }
    record(
      `faucet: ${formatSesh(vestingStake + VESTING_SURPLUS)} to the vesting contract`,
      await journal.send("lighthouse.faucet.vesting", faucet, () =>
        sesh.transfer.populateTransaction(vestingAddress, vestingStake + VESTING_SURPLUS),
      ),
    );
    record(
      `fund the rewards contract with the rewards to pay, ${formatSesh(rewardsFunding)}`,
      await journal.send("lighthouse.fund.rewards", faucet, () =>
        sesh.transfer.populateTransaction(rewardsAddress, rewardsFunding),
      ),
    );
  });
  note(
    `faucet: ${formatSesh(faucetTotal)} of testnet SESH to ${needs.size} operators and contributors and the vesting ` +
      `contract, ${formatSesh(rewardsFunding)} to the rewards contract for the rewards it will pay`,
  );

  /** The registration parameters for a node's keys, with the live state and the balances of `senders`. */
  const readParameters = (spec: NodeSpec, senders: string[]): Promise<RegistrationParameters> =>
    readRegistrationParameters(
      rewards,
      factory,
      { blsPublicKeys: [network.node(spec.index).publicKeyStruct], ed25519PublicKeys: [spec.ed25519], senders },
      sesh,
    );
  const popOf = (spec: NodeSpec): SignatureParams =>
    signed(1, () => network.proofOfPossession(spec.index, tags, spec.operator.address, spec.ed25519));
  const nodes = new Map<number, { id: bigint; contribution?: string; contributors: ActivityContributor[] }>();
  const registered = (spec: NodeSpec, receipt: TransactionReceipt, contribution?: string): void => {
    const [id] = newNodeIds(receipt, rewardsAddress);
    if (id === undefined) throw new Error(`node ${spec.index}: its registration emitted no NewServiceNodeV2`);
    network.register(spec.index, id);
    const parsed = receipt.logs
      .filter((entry) => getAddress(entry.address) === rewardsAddress)
      .map((entry) => NODE_ACTIVITY_INTERFACE.parseLog({ topics: [...entry.topics], data: entry.data }))
      .find((entry) => entry?.name === "NewServiceNodeV2");
    const listed = (parsed?.args.contributors ?? []) as readonly [[string, string], bigint][];
    nodes.set(spec.index, {
      id,
      ...(contribution === undefined ? {} : { contribution }),
      contributors: listed.map(([[addr, beneficiary], stakedAmount]) => ({
        staker: { addr: getAddress(addr), beneficiary: getAddress(beneficiary) },
        stakedAmount,
      })),
    });
  };

  // Solo nodes: the operator approves the requirement to the rewards contract and registers with addBLSPublicKey,
  // after the registration rules' checks of the keys, the proof of possession, the balance and the contract's state.
  const soloSpecs = specs.filter((spec) => spec.kind === "solo");
  await timed("solo registrations", async () => {
    for (const spec of soloSpecs) {
      const key = network.node(spec.index).publicKeyStruct;
      let pop: SignatureParams | undefined;
      const check = async (): Promise<SignatureParams> => {
        pop ??= popOf(spec);
        const read = await readParameters(spec, [spec.operator.address]);
        const problems = [
          ...balanceProblems(read, spec.operator.address, requirement),
          ...rewardsStateProblems(read),
          ...registrationProblems(read, {
            operator: spec.operator.address,
            blsPublicKey: key,
            proofOfPossession: pop,
            ed25519PublicKey: spec.ed25519,
          }),
        ];
        if (problems.length > 0) {
          throw new PreconditionError(`solo node ${spec.index}: the rules refuse it: ${problemsText(problems)}`);
        }
        return pop;
      };
      const prefix = `lighthouse.node.${spec.index}`;
      record(
        `node ${spec.index}: approve ${formatSesh(requirement)} to the rewards contract`,
        await journal.send(`${prefix}.approve`, spec.operator, async () => {
          await check();
          return sesh.approve.populateTransaction(rewardsAddress, requirement);
        }),
      );
      const receipt = record(
        `node ${spec.index}: addBLSPublicKey (solo)`,
        await journal.send(`${prefix}.register`, spec.operator, async () => {
          const proof = await check();
          return rewards.addBLSPublicKey.populateTransaction(
            key,
            proof,
            {
              serviceNodePubkey: spec.ed25519,
              serviceNodeSignature1: spec.ed25519Signature[0],
              serviceNodeSignature2: spec.ed25519Signature[1],
              fee: 0,
            },
            [],
          );
        }),
      );
      registered(spec, receipt);
    }
  });
  note(`${soloSpecs.length} solo nodes registered with addBLSPublicKey at ${formatSesh(requirement)} each`);

  // Multi-contributor nodes, through the factory, as the portal plans them: the operator opens a contribution
  // contract and stakes a quarter; the contributors (one of them the vesting holder) join; the last one fills it,
  // which registers the node.
  const incentive = at("testnetIncentiveStart");
  await clockTo("testnetIncentiveStart", incentive.unix, incentive.label);
  const multiSpecs = specs.filter((spec) => spec.kind === "multi");
  await timed("multi-contributor registrations", async () => {
    for (const spec of multiSpecs) {
      const prefix = `lighthouse.node.${spec.index}`;
      let plan: readonly PlannedCall[] | undefined;
      const planOf = async (): Promise<readonly PlannedCall[]> => {
        if (plan !== undefined) return plan;
        const proof = popOf(spec);
        const read = await readParameters(spec, [spec.operator.address]);
        const proposal: NodeProposal = {
          operator: spec.operator.address,
          blsPublicKey: network.node(spec.index).publicKeyStruct,
          proofOfPossession: proof,
          ed25519PublicKey: spec.ed25519,
          ed25519Signature: spec.ed25519Signature,
          fee: OPERATOR_FEE,
          operatorStake: spec.operatorStake,
          beneficiary: ZeroAddress,
          reserved: [],
          manualFinalize: false,
        };
        plan = plannedCalls(planNode(read, proposal), `node ${spec.index}`);
        return plan;
      };
      const opened = record(
        `node ${spec.index}: open a contribution contract`,
        await journal.send(`${prefix}.deploy`, spec.operator, async () => ({
          ...encodedCall((await planOf())[0], `node ${spec.index} deploy`),
        })),
      );
      const event = opened.logs
        .map((entry) => factory.interface.parseLog({ topics: [...entry.topics], data: entry.data }))
        .find((parsed) => parsed?.name === "NewServiceNodeContributionContract");
      if (event === undefined || event === null) throw new Error(`node ${spec.index}: no contribution contract opened`);
      const contributionAddress = getAddress(event.args[0] as string);
      const contribution = await ethers.getContractAt("ServiceNodeContribution", contributionAddress);
      const operatorCall = async (position: number): Promise<{ to: string; data: string }> =>
        encodedCall(resolveDeployed((await planOf()).slice(1), contributionAddress)[position], `node ${spec.index}`);
      record(
        `node ${spec.index}: operator approves ${formatSesh(spec.operatorStake)}`,
        await journal.send(`${prefix}.operator.approve`, spec.operator, () => operatorCall(0)),
      );
      let last = record(
        `node ${spec.index}: operator contributes ${formatSesh(spec.operatorStake)}`,
        await journal.send(`${prefix}.operator.contribute`, spec.operator, () => operatorCall(1)),
      );
      for (const [position, join] of spec.joins.entries()) {
        const contributor = join.who === "vesting" ? vestingAddress : join.who.address;
        const joinPlan = async (): Promise<readonly PlannedCall[]> => {
          const state = await readContributionState(contribution);
          const read = await readParameters(spec, [contributor]);
          return plannedCalls(
            planJoin(read, state, { contributor, amount: join.amount, beneficiary: ZeroAddress }),
            `node ${spec.index}: ${contributor} joining`,
          );
        };
        const joinKey = `${prefix}.join.${position}`;
        if (join.who === "vesting") {
          // The vesting contract approves and contributes in one call of its beneficiary, once its start has passed.
          if (realTime) await waitForChainTime(hre, schedule.start, "the vesting's start");
          last = record(
            `node ${spec.index}: the vesting holder stakes ${formatSesh(join.amount)} from its vesting contract`,
            await journal.send(`${joinKey}.vesting`, holder, async () => {
              await joinPlan();
              return vesting.contributeFunds.populateTransaction(contributionAddress, join.amount, ZeroAddress);
            }),
          );
          continue;
        }
        const signer = join.who;
        let calls: readonly PlannedCall[] | undefined;
        const joinCall = async (index: number): Promise<{ to: string; data: string }> => {
          calls ??= await joinPlan();
          return encodedCall(calls[index], `node ${spec.index} join ${position}`);
        };
        record(
          `node ${spec.index}: ${signer.address} approves ${formatSesh(join.amount)}`,
          await journal.send(`${joinKey}.approve`, signer, () => joinCall(0)),
        );
        last = record(
          `node ${spec.index}: ${signer.address} contributes ${formatSesh(join.amount)}`,
          await journal.send(`${joinKey}.contribute`, signer, () => joinCall(1)),
        );
      }
      registered(spec, last, contributionAddress);
    }
  });
  note(
    `${multiSpecs.length} multi-contributor nodes opened through the factory, joined and finalised (the vesting ` +
      `holder's TokenVestingStaking at ${vestingAddress} staked ${formatSesh(vestingStake)} in node ` +
      `${multiSpecs[0]?.index ?? "?"})`,
  );

  // 4. Rewards signed by the network and claimed.
  const referral = at("testnetReferralStart");
  await clockTo("testnetReferralStart", referral.unix, referral.label);
  const signerOf = (recipient: string): HardhatEthersSigner => {
    if (recipient === vestingAddress) return holder;
    const signer = participants.find((candidate) => candidate.address === recipient);
    if (signer === undefined) throw new Error(`no account for recipient ${recipient}`);
    return signer;
  };
  const credited = new Map<string, bigint>();
  for (const spec of specs) {
    for (const contributor of nodes.get(spec.index)?.contributors ?? []) {
      const beneficiary = contributor.staker.beneficiary;
      credited.set(beneficiary, (credited.get(beneficiary) ?? 0n) + rewardOf(contributor.stakedAmount));
    }
  }
  const recipients = [...credited.keys()].sort((a, b) => a.localeCompare(b));
  /** Every claim with what it must pay: the signed balance minus what was claimed before. */
  const claims: { recipient: string; expected: bigint; receipt: TransactionReceipt }[] = [];
  const claim = async (key: string, recipient: string, expected: bigint): Promise<void> => {
    const signer = signerOf(recipient);
    const receipt = record(
      `${recipient} claims ${formatSesh(expected)}`,
      await journal.send(key, signer, () =>
        recipient === vestingAddress
          ? vesting["claimRewards()"].populateTransaction()
          : rewards.connect(signer)["claimRewards()"].populateTransaction(),
      ),
    );
    claims.push({ recipient, expected, receipt });
  };
  const update = async (key: string, recipient: string, cumulative: bigint, label: string): Promise<void> => {
    record(
      label,
      await journal.send(key, signerOf(recipient), async () => {
        const count = network.registered().length;
        const args = signed(count, () => signRewardsUpdate(network, tags, recipient, cumulative));
        return rewards.updateRewardsBalance.populateTransaction(...args);
      }),
    );
  };
  await timed("rewards signed and claimed", async () => {
    for (const recipient of recipients) {
      const amount = credited.get(recipient) ?? 0n;
      await update(
        `lighthouse.rewards.${recipient}`,
        recipient,
        amount,
        `the network credits ${recipient} with ${formatSesh(amount)}`,
      );
      await claim(`lighthouse.claim.${recipient}`, recipient, amount);
    }
    // A second claim on the same balance pays nothing.
    const again = recipients[0];
    if (again !== undefined) await claim("lighthouse.claim.repeat", again, 0n);
  });
  note(
    `the network signed ${recipients.length} rewards balances (${formatSesh(rewardsFunding)} in all), each claimed ` +
      "by its recipient (the vesting holder's into its vesting contract); one claimed again and got nothing",
  );

  // 5. The exits.
  const bySignature = soloSpecs[0];
  const afterWait = multiSpecs[multiSpecs.length - 1];
  const liquidated = multiSpecs[multiSpecs.length - 2];
  if (bySignature === undefined || afterWait === undefined || liquidated === undefined) {
    throw new Error("the network is too small for the three exits");
  }
  const idOf = (spec: NodeSpec): bigint => {
    const id = nodes.get(spec.index)?.id;
    if (id === undefined) throw new Error(`node ${spec.index} is not registered`);
    return id;
  };
  const fates = new Map<number, LighthouseFate>();
  const exitReceipts: TransactionReceipt[] = [];
  const left = (spec: NodeSpec, receipt: TransactionReceipt, fate: LighthouseFate): void => {
    network.deregister(spec.index);
    fates.set(spec.index, fate);
    exitReceipts.push(receipt);
  };
  await timed("exits", async () => {
    if (realTime) {
      const ids = [idOf(bySignature), idOf(afterWait)];
      record(
        `owner: requestExitNodeBySNID(${ids.join(", ")})`,
        await journal.send("lighthouse.exit.owner.request", faucet, () =>
          rewards.requestExitNodeBySNID.populateTransaction(ids),
        ),
      );
      for (const spec of [liquidated, bySignature, afterWait]) {
        const receipt = record(
          `owner: exitNodeBySNID(${idOf(spec)})`,
          await journal.send(`lighthouse.exit.owner.${spec.index}`, faucet, () =>
            rewards.exitNodeBySNID.populateTransaction([idOf(spec)]),
          ),
        );
        left(spec, receipt, "owner exit");
      }
      note(
        `real time: the clock cannot wait, so the owner exits of TestnetServiceNodeRewards stand in for the ` +
          `network-signed exit after a request (node ${bySignature.index}) and the exit after the wait time (node ` +
          `${afterWait.index}): requestExitNodeBySNID then exitNodeBySNID; the liquidation of node ` +
          `${liquidated.index} is an owner exit too, since every removal requires the node to be ` +
          `${formatInteger(MIN_NODE_AGE_BEFORE_EXIT / BigInt(SECONDS_PER_HOUR))} hours old`,
      );
      return;
    }
    for (const spec of [bySignature, afterWait]) {
      record(
        `node ${spec.index}: its operator asks to exit`,
        await journal.send(`lighthouse.exit.request.${spec.index}`, spec.operator, () =>
          rewards.connect(spec.operator).initiateExitBLSPublicKey.populateTransaction(idOf(spec)),
        ),
      );
    }
    // The network liquidates a node that stopped serving: every other node signs.
    const liquidation = record(
      `node ${liquidated.index}: liquidated by ${liquidator.address} with the network's signature`,
      await journal.send(`lighthouse.exit.liquidate.${liquidated.index}`, liquidator, async () => {
        const timestamp = BigInt((await latestTimestamp(hre)) + 1);
        const others = network
          .registered()
          .flatMap((node) => (node.id === undefined || node.id === idOf(liquidated) ? [] : [node.id]));
        const args = signed(others.length, () =>
          signLiquidation(network, tags, network.node(liquidated.index).publicKeyStruct, timestamp, others),
        );
        return rewards.liquidateBLSPublicKeyWithSignature.populateTransaction(...args);
      }),
    );
    left(liquidated, liquidation, "liquidated");
    await clockTo("networkExit", referral.unix + NETWORK_EXIT_DELAY, "the network's exit signature");
    const signedExit = record(
      `node ${bySignature.index}: exits with the network's signature`,
      await journal.send(`lighthouse.exit.signature.${bySignature.index}`, bySignature.operator, async () => {
        const timestamp = BigInt((await latestTimestamp(hre)) + 1);
        const args = signed(network.registered().length, () =>
          signExit(network, tags, network.node(bySignature.index).publicKeyStruct, timestamp),
        );
        return rewards.exitBLSPublicKeyWithSignature.populateTransaction(...args);
      }),
    );
    left(bySignature, signedExit, "exited by signature");
    const requested = await journal.step("lighthouse.exit.requested", async () => ({
      at: Number((await rewards.serviceNodes(idOf(afterWait))).leaveRequestTimestamp),
    }));
    await clockTo("exitWait", requested.at + EXIT_WAIT_TIME, "the end of the exit wait time");
    const waited = record(
      `node ${afterWait.index}: exits after the wait time`,
      await journal.send(`lighthouse.exit.wait.${afterWait.index}`, afterWait.operator, () =>
        rewards.connect(afterWait.operator).exitBLSPublicKeyAfterWaitTime.populateTransaction(idOf(afterWait)),
      ),
    );
    left(afterWait, waited, "exited after the wait time");
    note(
      `node ${liquidated.index} liquidated with the network's signature; node ${bySignature.index} asked to exit ` +
        `and left with the network's signature a day later; node ${afterWait.index} asked to exit and left ` +
        `after the ${EXIT_WAIT_TIME / SECONDS_PER_DAY}-day wait time`,
    );
  });

  // The returned stakes: the network credits each contributor's share of ServiceNodeExit's returned amount on top of
  // its rewards, and they claim it.
  const returned = new Map<string, bigint>();
  for (const receipt of exitReceipts) {
    for (const entry of receipt.logs.filter((candidate) => getAddress(candidate.address) === rewardsAddress)) {
      const parsed = NODE_ACTIVITY_INTERFACE.parseLog({ topics: [...entry.topics], data: entry.data });
      if (parsed?.name !== "ServiceNodeExit") continue;
      const id = parsed.args.serviceNodeID as bigint;
      const node = [...nodes.values()].find((candidate) => candidate.id === id);
      if (node === undefined) throw new Error(`an exit of node ${id}, which the phase did not register`);
      for (const [beneficiary, share] of returnedStakeShares(node.contributors, parsed.args.returnedAmount as bigint)) {
        returned.set(beneficiary, (returned.get(beneficiary) ?? 0n) + share);
      }
    }
  }
  await timed("returned stakes credited and claimed", async () => {
    for (const [recipient, share] of [...returned].sort(([a], [b]) => a.localeCompare(b))) {
      const cumulative = (credited.get(recipient) ?? 0n) + share;
      await update(
        `lighthouse.returned.${recipient}`,
        recipient,
        cumulative,
        `the network credits ${recipient}'s returned stake: ${formatSesh(cumulative)} cumulative`,
      );
      await claim(`lighthouse.claim.returned.${recipient}`, recipient, share);
    }
  });
  const returnedTotal = [...returned.values()].reduce((sum, share) => sum + share, 0n);
  note(`${formatSesh(returnedTotal)} of returned stakes credited to ${returned.size} contributors and claimed`);
  // The phase's last block, recorded: a resumed run reads the chain after the later phases moved its clock on.
  const { at: lastBlock } = await journal.step("lighthouse.end", async () => ({ at: await latestTimestamp(hre) }));

  // 6. The testnet incentive, from the chain's own events.
  const { activity, testnetAwards, awards, window, referrals } = await timed("testnet awards", async () => {
    const activity = await readNodeActivity(ethers.provider, rewardsAddress, { fromBlock: deployed.fromBlock });
    const window = realTime
      ? { start: (await ethers.provider.getBlock(deployed.fromBlock))?.timestamp ?? lastBlock, end: lastBlock + 1 }
      : { start: incentive.unix, end: at("anchorRelease").unix };
    // The portal's referral records: three valid, and the holder referred, who staked through its vesting contract
    // and so earned no points of its own.
    const referrals = [
      { referrer: operators[0]?.address ?? "", referred: contributors[1]?.address ?? "" },
      { referrer: operators[1]?.address ?? "", referred: contributors[2]?.address ?? "" },
      { referrer: contributors[3]?.address ?? "", referred: operators[2]?.address ?? "" },
      { referrer: operators[0]?.address ?? "", referred: holder.address },
    ];
    const testnetAwards = computeTestnetAwards(
      {
        window,
        stakingRequirement: requirement,
        events: activity.map((event) => ({ ...event })),
        referrals,
      },
      "the Lighthouse's testnet activity",
    );
    const awards = parseAwards(
      JSON.stringify({ description: "Lighthouse testnet awards", ...toAwardsFile(testnetAwards) }),
      "lighthouse-testnet-awards.json",
    );
    return { activity, testnetAwards, awards, window, referrals };
  });
  note(
    `testnet awards from ${activity.length} events of the rewards contract over ${formatUtc(window.start)} to ` +
      `${formatUtc(window.end)}: ${formatSesh(awards.total)} to ${awards.awards.length} accounts ` +
      `(${testnetAwards.referrals.size} referrers credited, ${testnetAwards.rejectedReferrals.length} referral ` +
      `rejected), ${formatSesh(testnetAwards.undistributed)} undistributed`,
  );

  // 9. The checks, from the chain.
  const checks = await lighthouseChecks({
    hre,
    rewards,
    vesting,
    sesh,
    network,
    specs,
    nodes,
    fates,
    claims,
    credited,
    returned,
    recipients,
    activity,
    testnetAwards,
    awards,
    tags,
    realTime,
    lastBlock,
    liquidated: idOf(liquidated),
    vestingNode: multiSpecs[0] === undefined ? undefined : idOf(multiSpecs[0]),
    vestingStake,
  });

  const nodeList: LighthouseNode[] = specs.map((spec) => {
    const node = nodes.get(spec.index);
    if (node === undefined) throw new Error(`node ${spec.index} is not registered`);
    return {
      index: spec.index,
      kind: spec.kind,
      id: node.id,
      operator: spec.operator.address,
      ...(node.contribution === undefined ? {} : { contribution: node.contribution }),
      contributors: node.contributors,
      fate: fates.get(spec.index) ?? "running",
    };
  });
  const liquidations = activity.filter((event) => event.kind === "ServiceNodeLiquidated").length;
  const exits = activity.filter((event) => event.kind === "ServiceNodeExit").length;
  const totalSigning = timings.reduce((sum, timing) => sum + timing.signingMilliseconds, 0);
  note(
    `BLS signing: ${signing.signatures} signatures by the simulated nodes in ${formatInteger(totalSigning)} ms` +
      (signing.signatures === 0 ? "" : ` (${(signing.milliseconds / signing.signatures).toFixed(1)} ms each)`),
  );
  const short = (address: string): string => `${address.slice(0, 8)}…`;
  const phase: ReportPhase = {
    name: realTime ? "Lighthouse: the testnet (real time)" : "Lighthouse: the testnet",
    events,
    transactions,
    sections: [
      {
        title: "Testnet nodes",
        markdown: markdownTable(
          ["node", "id", "kind", "contributors", "end of the Lighthouse"],
          ["r", "r", "l", "l", "l"],
          nodeList.map((node) => [
            String(node.index),
            node.id.toString(),
            node.kind,
            node.contributors
              .map((c) => `${short(c.staker.addr)} ${formatSesh(c.stakedAmount, { unit: false })}`)
              .join(", "),
            node.fate,
          ]),
        ),
      },
      {
        title: "Testnet awards",
        markdown: markdownTable(
          ["account", "points", "referrals", "award (SESH)"],
          ["l", "r", "r", "r"],
          awards.awards.map((award) => [
            award.account,
            formatInteger((testnetAwards.nodeWeights.get(award.account) ?? 0n) / requirement),
            String(testnetAwards.referrals.get(award.account) ?? 0),
            formatSesh(award.amount, { unit: false }),
          ]),
        ),
      },
      {
        title: "Referrals",
        markdown: markdownTable(
          ["referrer", "referred", "verdict"],
          ["l", "l", "l"],
          referrals.map((entry, row) => [
            entry.referrer,
            entry.referred,
            testnetAwards.rejectedReferrals.find((rejected) => rejected.row === row)?.reason ?? "valid",
          ]),
        ),
      },
      {
        title: "Timing",
        markdown: markdownTable(
          ["step", "ms", "BLS signatures", "signing ms"],
          ["l", "r", "r", "r"],
          timings.map((timing) => [
            timing.step,
            formatInteger(timing.milliseconds),
            formatInteger(timing.signatures),
            formatInteger(timing.signingMilliseconds),
          ]),
        ),
      },
    ],
    checks,
  };
  return {
    phase,
    awards,
    testnetAwards,
    addresses: {
      sesh: getAddress(deployed.sesh),
      rewards: rewardsAddress,
      factory: getAddress(deployed.factory),
      pool: getAddress(deployed.pool),
      vesting: vestingAddress,
    },
    nodes: {
      registered: activity.filter((event) => event.kind === "NewServiceNodeV2").length,
      exited: exits - liquidations,
      liquidated: liquidations,
    },
    nodeList,
    network,
    realTime,
    window,
    timings,
    signing: { signatures: signing.signatures, milliseconds: Math.round(signing.milliseconds) },
  };
}

interface CheckContext {
  readonly hre: HardhatRuntimeEnvironment;
  readonly rewards: TestnetServiceNodeRewards;
  readonly vesting: TokenVestingStaking;
  readonly sesh: SESH;
  readonly network: SimulatedNetwork;
  readonly specs: readonly NodeSpec[];
  readonly nodes: ReadonlyMap<number, { id: bigint; contributors: readonly ActivityContributor[] }>;
  readonly fates: ReadonlyMap<number, LighthouseFate>;
  readonly claims: readonly { recipient: string; expected: bigint; receipt: TransactionReceipt }[];
  readonly credited: ReadonlyMap<string, bigint>;
  readonly returned: ReadonlyMap<string, bigint>;
  readonly recipients: readonly string[];
  readonly activity: readonly NodeActivityEvent[];
  readonly testnetAwards: TestnetAwards;
  readonly awards: Awards;
  readonly tags: DomainTags;
  readonly realTime: boolean;
  readonly lastBlock: number;
  readonly liquidated: bigint;
  readonly vestingNode: bigint | undefined;
  readonly vestingStake: bigint;
}

/** The phase's checks, read from the chain. */
async function lighthouseChecks(c: CheckContext): Promise<ReportCheck[]> {
  const rewardsAddress = getAddress(c.rewards.target as string);
  const checks: ReportCheck[] = [];
  const add = (name: string, ok: boolean, detail: string): void => {
    checks.push({ name, ok, detail });
  };

  // Every node is in the contract with its contributors, or gone if it left.
  let matching = 0;
  let live = 0;
  let liveDeposits = 0n;
  for (const spec of c.specs) {
    const node = c.nodes.get(spec.index);
    if (node === undefined) continue;
    const stored = await readNode(c.rewards, node.id);
    if (c.fates.has(spec.index)) {
      if (stored === undefined) matching += 1;
      continue;
    }
    live += 1;
    if (stored === undefined) continue;
    liveDeposits += stored.deposit;
    const expectedStakers = [
      spec.operator.address,
      ...spec.joins.map((join) => (join.who === "vesting" ? getAddress(c.vesting.target as string) : join.who.address)),
    ];
    const expectedAmounts = [spec.operatorStake, ...spec.joins.map((join) => join.amount)];
    const same =
      stored.contributors.length === expectedStakers.length &&
      stored.contributors.every(
        (contributor, i) =>
          contributor.staker === expectedStakers[i] && contributor.stakedAmount === expectedAmounts[i],
      ) &&
      stored.blsPublicKey.X === c.network.node(spec.index).publicKeyStruct.X &&
      stored.ed25519PublicKey === spec.ed25519;
    if (same) matching += 1;
  }
  const totalNodes = await c.rewards.totalNodes();
  add(
    "every registered node is in the contract with its keys and contributors; the nodes that left are gone",
    matching === c.specs.length && totalNodes === BigInt(live),
    `${matching} of ${c.specs.length} nodes as registered, ${formatInteger(totalNodes)} in the contract, ${live} running`,
  );
  const idsMatch = c.network
    .registered()
    .every((node) => c.specs.some((spec) => c.nodes.get(spec.index)?.id === node.id));
  const [contractIds] = await c.rewards.allServiceNodeIDs();
  const networkIds = c.network.registered().map((node) => node.id);
  add(
    "the simulated network's ids are the contract's NewServiceNodeV2 ids, the exited ones deregistered",
    idsMatch && contractIds.length === networkIds.length && contractIds.every((id, index) => id === networkIds[index]),
    `${networkIds.length} registered: ${networkIds.join(", ")}`,
  );

  // Each claim paid the signed balance less what was claimed before.
  const wrong = c.claims.filter(
    (entry) => transferred(entry.receipt, c.sesh, rewardsAddress, entry.recipient) !== entry.expected,
  );
  add(
    "each claim paid exactly the signed balance minus what was claimed before",
    wrong.length === 0 && c.claims.length > 0,
    wrong.length === 0
      ? `${c.claims.length} claims`
      : `wrong: ${wrong.map((entry) => `${entry.recipient} ${entry.receipt.hash}`).join(", ")}`,
  );
  const repeat = c.claims.find((entry) => entry.expected === 0n);
  // An account (not the vesting contract) that claimed all it was credited: one atom more, and its balance signed in
  // again, are refused (calls, not transactions).
  const someone = c.recipients.find((recipient) => recipient !== getAddress(c.vesting.target as string)) ?? "";
  const balance = await c.rewards.recipients(someone);
  const sameBalance = signRewardsUpdate(c.network, c.tags, someone, balance.rewards);
  const tooLow = await revertsWith(
    () => c.rewards.updateRewardsBalance.staticCall(...sameBalance),
    c.rewards.interface,
    "RecipientRewardsTooLow",
  );
  const overClaim = await revertsWith(
    () =>
      c.hre.ethers.provider.call({
        from: someone,
        to: rewardsAddress,
        data: c.rewards.interface.encodeFunctionData("claimRewards(uint256)", [1n]),
      }),
    c.rewards.interface,
    "MaxClaimExceeded",
  );
  add(
    "no double claim: a second claim pays nothing, one atom more reverts, the same balance cannot be signed in again",
    repeat !== undefined &&
      transferred(repeat.receipt, c.sesh, rewardsAddress, repeat.recipient) === 0n &&
      tooLow &&
      overClaim,
    `repeated claim by ${repeat?.recipient ?? "nobody"}; claimRewards(1) ${overClaim ? "reverts MaxClaimExceeded" : "does not revert"}; ` +
      `updateRewardsBalance(same) ${tooLow ? "reverts RecipientRewardsTooLow" : "does not revert"}`,
  );

  // The returned stakes were credited and claimed.
  let settled = 0;
  for (const [recipient, share] of c.returned) {
    const state = await c.rewards.recipients(recipient);
    const cumulative = (c.credited.get(recipient) ?? 0n) + share;
    if (state.rewards === cumulative && state.claimed === cumulative) settled += 1;
  }
  const returnedTotal = [...c.returned.values()].reduce((sum, share) => sum + share, 0n);
  const exitedReturned = c.activity.reduce(
    (sum, event) => sum + (event.kind === "ServiceNodeExit" ? event.returnedAmount : 0n),
    0n,
  );
  add(
    "the returned stakes were credited to the contributors and claimed",
    settled === c.returned.size && c.returned.size > 0 && returnedTotal === exitedReturned,
    `${settled} of ${c.returned.size} contributors settled, ${formatSesh(returnedTotal)} of ${formatSesh(exitedReturned)} returned`,
  );

  // Every recipient's balance, as signed and claimed.
  let paidUp = 0;
  let unclaimed = 0n;
  for (const recipient of c.recipients) {
    const state = await c.rewards.recipients(recipient);
    unclaimed += state.rewards - state.claimed;
    const cumulative = (c.credited.get(recipient) ?? 0n) + (c.returned.get(recipient) ?? 0n);
    if (state.rewards === cumulative && state.claimed === cumulative) paidUp += 1;
  }
  add(
    "every recipient's cumulative balance is what the network signed, and all of it is claimed",
    paidUp === c.recipients.length,
    `${paidUp} of ${c.recipients.length} recipients`,
  );
  const held = await c.sesh.balanceOf(rewardsAddress);
  add(
    "the rewards contract's SESH covers its deposits and the unclaimed rewards",
    held >= liveDeposits + unclaimed,
    `${formatSesh(held)} held; ${formatSesh(liveDeposits)} deposits of running nodes, ${formatSesh(unclaimed)} unclaimed`,
  );

  // The vesting holder's stake.
  const vestingAddress = getAddress(c.vesting.target as string);
  const vestingNode = c.vestingNode === undefined ? undefined : await readNode(c.rewards, c.vestingNode);
  const vestingState = await c.rewards.recipients(vestingAddress);
  add(
    "the vesting holder's TokenVestingStaking stakes in a node and its rewards were claimed into the vesting contract",
    vestingNode?.contributors.some(
      (contributor) => contributor.staker === vestingAddress && contributor.stakedAmount === c.vestingStake,
    ) === true &&
      vestingState.claimed > 0n &&
      vestingState.claimed === vestingState.rewards,
    `node ${c.vestingNode ?? "?"}: ${formatSesh(c.vestingStake)} staked, ${formatSesh(vestingState.claimed)} claimed`,
  );

  // The exits as the chain recorded them.
  const liquidations = c.activity.filter((event) => event.kind === "ServiceNodeLiquidated");
  const exits = c.activity.filter((event) => event.kind === "ServiceNodeExit");
  add(
    c.realTime
      ? "three nodes left by the owner's exits (real time)"
      : "one node liquidated, two exited (by signature, after the wait time)",
    exits.length === 3 &&
      (c.realTime
        ? liquidations.length === 0
        : liquidations.length === 1 && liquidations[0]?.serviceNodeID === c.liquidated),
    `${exits.length} ServiceNodeExit, ${liquidations.length} ServiceNodeLiquidated`,
  );

  // The awards.
  const awarded = c.awards.awards.reduce((sum, award) => sum + award.amount, 0n);
  add(
    "the testnet awards sum to the incentive pool (or the rest is reported undistributed)",
    awarded + c.testnetAwards.undistributed === c.testnetAwards.pool && awarded === c.awards.total,
    `${formatSesh(awarded)} awarded to ${c.awards.awards.length} accounts, ${formatSesh(c.testnetAwards.undistributed)} undistributed, pool ${formatSesh(c.testnetAwards.pool)}`,
  );
  add(
    "the portal's referrals: the valid ones credited, the invalid one rejected",
    c.testnetAwards.rejectedReferrals.length === 1 &&
      [...c.testnetAwards.referrals.values()].reduce((sum, count) => sum + count, 0) === 3,
    c.testnetAwards.rejectedReferrals.map((rejected) => `${rejected.referred}: ${rejected.reason}`).join("; "),
  );
  if (!c.realTime) {
    const anchor = launchTimeline().at("anchorRelease");
    add(
      "the Lighthouse ends before the Anchor's release",
      c.lastBlock < anchor.unix,
      `last block at ${formatUtc(c.lastBlock)}, anchorRelease ${formatUtc(anchor.unix)}`,
    );
  }
  return checks;
}

import { getAddress, keccak256, toUtf8Bytes, ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { TgeResult } from "../../deploy/tge";
import { formatInteger, formatSesh } from "../../lib/amount";
import { domainTags, publicKeyOf, secretKeyFromSeed, type DomainTags } from "../../lib/bls";
import { moveClockTo } from "../../lib/chain/clock";
import type { MigrationPlan } from "../../lib/migration";
import { SimulatedNetwork } from "../../lib/network";
import {
  planJoin,
  planNode,
  readContributionState,
  readRegistrationParameters,
  encodedCall,
  minimumOperatorContribution,
  plannedCalls,
  resolveDeployed,
  type PlannedCall,
} from "../../lib/registration";
import type { Journal } from "../../lib/rehearsal/journal";
import type { ReportCheck, ReportTransaction } from "../../lib/rehearsal/report";
import { encodeBlsPublicKey, signLiquidation, signRewardsUpdate } from "../../lib/rewards";
import { generatedBlsSecretKey, type Snapshot } from "../../lib/snapshot";
import { formatUtc, launchTimeline } from "../../lib/timeline";

// The Session Network's side of the Landing, for a generated snapshot (whose nodes' BLS secret keys the generator
// can give back): the seeded nodes sign, as a network, the credits of the migration plan (the converted stakes and
// bonus that did not fit in a re-staked node), which their recipients claim; at the end of the grace week the nodes
// that never came up are liquidated on the network's signature. A snapshot read from a file carries real nodes' keys
// the rehearsal does not have: it then signs nothing, and says so.

/**
 * The plan's largest credits that together stay within `budget`, largest first (ties in the plan's order): the ones
 * the network signs on the TGE day, whose first holders claim and, when staking opens, stake what they claimed. The
 * budget is the rewards contract's claim threshold, the most all claims of one claim cycle may pay together: larger
 * credits are claimed over several cycles, which the rehearsal does not play.
 */
export function largestCredits(plan: MigrationPlan, count: number, budget: bigint): MigrationPlan["credits"] {
  const sorted = [...plan.credits]
    .map((credit, index) => ({ credit, index }))
    .sort((a, b) =>
      a.credit.amount === b.credit.amount ? a.index - b.index : a.credit.amount > b.credit.amount ? -1 : 1,
    );
  const chosen: MigrationPlan["credits"][number][] = [];
  let total = 0n;
  for (const { credit } of sorted) {
    if (chosen.length === count) break;
    if (total + credit.amount > budget) continue;
    chosen.push(credit);
    total += credit.amount;
  }
  return chosen;
}

/** Credits the network signs on the TGE day (the plan's largest). */
const CREDITS_SIGNED = 4;
/** Of those, how many recipients claim at once (the others keep theirs claimable). */
const CREDITS_CLAIMED = 2;
/** Seeded nodes that never come up in the grace week and are liquidated at its end: the last of the plan's. */
const NEVER_CAME_UP = 2;
/** The grace week after the TGE for seeded nodes to come up. */
export const GRACE_SECONDS = 7 * 24 * 3_600;
/** Nodes registered when staking opens: a solo node and one shared with two of the credits' recipients. */
const NEW_NODES = 2;
/** The operator's fee of the shared node, in basis points (5 %). */
const NEW_NODE_FEE = 500;
/** Ether given to an impersonated recipient to pay its claim's gas on the local chain: 1 ETH. */
const GAS_ALLOWANCE = "0xde0b6b3a7640000";

export interface LandingNetworkOptions {
  readonly tge: TgeResult;
  readonly plan: MigrationPlan;
  readonly snapshot: Snapshot;
  /** The generator's seed when the snapshot was generated; undefined for a snapshot file. */
  readonly seed?: string;
  readonly journal: Journal;
  readonly rewardsAddress: string;
}

export interface LandingNetworkPart {
  readonly events: string[];
  readonly transactions: ReportTransaction[];
  readonly checks: ReportCheck[];
}

/** The seeded nodes as a simulated network with the generator's keys, each with the id the contract gave it. */
async function seededNetwork(
  hre: HardhatRuntimeEnvironment,
  options: LandingNetworkOptions,
): Promise<SimulatedNetwork | undefined> {
  const { seed, snapshot, plan } = options;
  if (seed === undefined || plan.restaked.length === 0) return undefined;
  const position = new Map(snapshot.nodes.map((node, index) => [node.ed25519, index]));
  const keys = [
    ...plan.restaked.map((node) => generatedBlsSecretKey(seed, position.get(node.ed25519) ?? -1)),
    // The nodes that register when staking opens, after the seeded ones.
    ...Array.from({ length: NEW_NODES }, (_, index) => secretKeyFromSeed(`landing new node:${seed}`, index)),
  ];
  const network = new SimulatedNetwork(`landing:${seed}`, keys.length, (index) => keys[index] ?? 0n);
  const rewards = await hre.ethers.getContractAt("ServiceNodeRewards", options.rewardsAddress);
  const [ids, pubkeys] = await rewards.allServiceNodeIDs();
  for (const [index, node] of network.nodes.slice(0, plan.restaked.length).entries()) {
    const key = publicKeyOf(node.secretKey).toAffine();
    const at = pubkeys.findIndex((pubkey) => pubkey.X === key.x && pubkey.Y === key.y);
    const id = ids[at];
    if (id === undefined)
      throw new Error(`seeded node ${plan.restaked[index]?.ed25519 ?? index} is not in the contract`);
    network.register(index, id);
  }
  return network;
}

async function tagsOf(hre: HardhatRuntimeEnvironment, rewardsAddress: string): Promise<DomainTags> {
  return domainTags((await hre.ethers.provider.getNetwork()).chainId, rewardsAddress);
}

/** A signer for an address the rehearsal has no key of (a credit's recipient): impersonated, given gas money. */
async function impersonated(hre: HardhatRuntimeEnvironment, address: string) {
  await hre.network.provider.request({ method: "hardhat_setBalance", params: [address, GAS_ALLOWANCE] });
  return hre.ethers.getImpersonatedSigner(address);
}

/**
 * The TGE day: the network signs the plan's largest credits through `updateRewardsBalance`, and the two largest
 * recipients claim theirs. Checks that each signed balance is recorded and each claim paid it in full.
 */
export async function signLandingCredits(
  hre: HardhatRuntimeEnvironment,
  options: LandingNetworkOptions,
): Promise<LandingNetworkPart & { network?: SimulatedNetwork }> {
  const { tge, plan, journal, rewardsAddress } = options;
  const events: string[] = [];
  const transactions: ReportTransaction[] = [];
  const network = await seededNetwork(hre, options);
  if (network === undefined) {
    events.push(
      plan.restaked.length === 0
        ? "no node re-staked: no network to sign the credits"
        : "the snapshot came from a file: its nodes' keys are not the rehearsal's, so the network signs nothing",
    );
    return { events, transactions, checks: [] };
  }
  const rewards = await hre.ethers.getContractAt("ServiceNodeRewards", rewardsAddress);
  const tags = await tagsOf(hre, rewardsAddress);
  const submitter = await hre.ethers.getSigner(tge.plan.genesisReceiver);
  const credits = largestCredits(plan, CREDITS_SIGNED, await rewards.claimThreshold());
  for (const [index, credit] of credits.entries()) {
    const receipt = await journal.send(`landing.credit.${index}`, submitter, () => {
      const args = signRewardsUpdate(network, tags, credit.ethereumAddress, credit.amount);
      return rewards.updateRewardsBalance.populateTransaction(...args);
    });
    transactions.push({
      label: `credit ${credit.ethereumAddress}, signed by the network`,
      hash: receipt.hash,
      gasUsed: receipt.gasUsed,
    });
  }
  const claimed: { address: string; paid: bigint; owed: bigint }[] = [];
  for (const [index, credit] of credits.slice(0, CREDITS_CLAIMED).entries()) {
    const before = await tge.sesh.balanceOf(credit.ethereumAddress);
    const recipient = await impersonated(hre, credit.ethereumAddress);
    const receipt = await journal.send(`landing.credit.claim.${index}`, recipient, () =>
      rewards["claimRewards()"].populateTransaction(),
    );
    transactions.push({
      label: `${credit.ethereumAddress} claims its credit`,
      hash: receipt.hash,
      gasUsed: receipt.gasUsed,
    });
    claimed.push({
      address: credit.ethereumAddress,
      paid: (await tge.sesh.balanceOf(credit.ethereumAddress)) - before,
      owed: credit.amount,
    });
  }
  let recorded = 0;
  for (const credit of credits) {
    const [rewardsBalance] = await rewards.recipients(credit.ethereumAddress);
    if (rewardsBalance === credit.amount) recorded += 1;
  }
  events.push(
    `${formatInteger(network.registered().length)} seeded nodes signed ${formatInteger(credits.length)} of the ` +
      `plan's ${formatInteger(plan.credits.length)} credits; ${formatInteger(claimed.length)} claimed at once`,
  );
  const wrongClaims = claimed.filter((claim) => claim.paid !== claim.owed);
  const checks: ReportCheck[] = [
    {
      name: "every credit the network signed is recorded as the recipient's balance",
      ok: recorded === credits.length,
      detail: `${formatInteger(recorded)} of ${formatInteger(credits.length)}`,
    },
    {
      name: "each credit claimed paid its whole amount, once",
      ok: wrongClaims.length === 0,
      detail: claimed.map((claim) => formatSesh(claim.paid)).join(", "),
    },
  ];
  return { events, transactions, checks, network };
}

/**
 * The grace week's end (TGE + 7 days): the seeded nodes that never came up (the plan's last {@link NEVER_CAME_UP})
 * are liquidated on the network's signature, the deployer as liquidator. Checks that they left the contract and
 * that the node count fell by as many.
 */
export async function endGraceWeek(
  hre: HardhatRuntimeEnvironment,
  options: LandingNetworkOptions & { readonly network?: SimulatedNetwork },
): Promise<LandingNetworkPart & { liquidated: number }> {
  const { journal, rewardsAddress, network } = options;
  const end = launchTimeline().at("tge").unix + GRACE_SECONDS;
  const events: string[] = [];
  const transactions: ReportTransaction[] = [];
  const { from } = await journal.step("landing.grace.clock", async () => ({
    from: await moveClockTo(hre.network.provider, end, "the end of the grace week"),
  }));
  events.push(`clock moved from ${formatUtc(from)} to the end of the grace week, ${formatUtc(new Date(end * 1_000))}`);
  if (network === undefined) {
    events.push("no network signature: no seeded node is liquidated");
    return { events, transactions, checks: [], liquidated: 0 };
  }
  const rewards = await hre.ethers.getContractAt("ServiceNodeRewards", rewardsAddress);
  const tags = await tagsOf(hre, rewardsAddress);
  const liquidator = await hre.ethers.getSigner(options.tge.plan.genesisReceiver);
  const before = await rewards.totalNodes();
  const seeded = network.nodes.slice(0, options.plan.restaked.length);
  const down = seeded.slice(Math.max(0, seeded.length - NEVER_CAME_UP));
  const downIds = down.map((node) => node.id);
  for (const [index, node] of down.entries()) {
    const receipt = await journal.send(`landing.grace.liquidate.${index}`, liquidator, async () => {
      const block = await hre.ethers.provider.getBlock("latest");
      const args = signLiquidation(network, tags, node.publicKeyStruct, BigInt(block?.timestamp ?? 0));
      return rewards.liquidateBLSPublicKeyWithSignature.populateTransaction(...args);
    });
    network.deregister(node.index);
    transactions.push({
      label: `liquidate node ${String(downIds[index])}, which never came up`,
      hash: receipt.hash,
      gasUsed: receipt.gasUsed,
    });
  }
  const after = await rewards.totalNodes();
  let gone = 0;
  for (const id of downIds) {
    if (
      id !== undefined &&
      (await rewards.serviceNodes(id)).operator === "0x0000000000000000000000000000000000000000"
    ) {
      gone += 1;
    }
  }
  events.push(
    `${formatInteger(down.length)} seeded node${down.length === 1 ? "" : "s"} that never came up liquidated ` +
      `(ids ${downIds.map(String).join(", ")})`,
  );
  return {
    events,
    transactions,
    liquidated: down.length,
    checks: [
      {
        name: "the seeded nodes that never came up are liquidated at the grace week's end",
        ok: gone === down.length && before - after === BigInt(down.length),
        detail: `${formatInteger(gone)} of ${formatInteger(down.length)} gone; ${before} → ${after} nodes`,
      },
    ],
  };
}

/** A 256-bit value derived from the seed and a label, never 0: a new node's ed25519 key and signature words. */
function derived(seed: string, label: string): bigint {
  const value = BigInt(keccak256(toUtf8Bytes(`landing new node:${seed}/${label}`)));
  return value === 0n ? 1n : value;
}

/**
 * Staking opens (2025-05-22): new nodes register as a portal plans them (lib/registration), with the SESH the first
 * two credits' recipients claimed on the TGE day: the first runs a solo node through the factory, the second opens a
 * shared one and stakes a quarter, and the first fills it. Each new node joins the network, so that its later
 * signatures count it. Checks that the contract holds both with their contributors.
 */
export async function openStaking(
  hre: HardhatRuntimeEnvironment,
  options: LandingNetworkOptions & { readonly network?: SimulatedNetwork; readonly factoryAddress: string },
): Promise<LandingNetworkPart & { registered: number }> {
  const { journal, rewardsAddress, network, tge, plan } = options;
  const events: string[] = [];
  const transactions: ReportTransaction[] = [];
  const rewardsContract = await hre.ethers.getContractAt("ServiceNodeRewards", rewardsAddress);
  const holders = largestCredits(plan, CREDITS_CLAIMED, await rewardsContract.claimThreshold()).map(
    (credit) => credit.ethereumAddress,
  );
  const [first, second] = holders;
  if (network === undefined || options.seed === undefined || first === undefined || second === undefined) {
    events.push("no network of the rehearsal's keys: no new node registers");
    return { events, transactions, checks: [], registered: 0 };
  }
  const { ethers } = hre;
  const rewards = await ethers.getContractAt("ServiceNodeRewards", rewardsAddress);
  const requirement = await rewards.stakingRequirement();
  const quarter = minimumOperatorContribution(requirement);
  // The solo node takes the first holder's requirement, the shared one the second's quarter and the first's rest.
  const needs = [
    { holder: first, amount: requirement + (requirement - quarter) },
    { holder: second, amount: quarter },
  ];
  for (const need of needs) {
    const balance = await tge.sesh.balanceOf(need.holder);
    if (balance < need.amount) {
      events.push(
        `staking opens: ${need.holder} holds ${formatSesh(balance)}, less than the ${formatSesh(need.amount)} ` +
          "its new nodes need: no new node registers",
      );
      return { events, transactions, checks: [], registered: 0 };
    }
  }
  const joiners = [first];
  const seed = options.seed;
  const tags = await tagsOf(hre, rewardsAddress);
  const factory = await ethers.getContractAt("ServiceNodeContributionFactory", options.factoryAddress);
  const registeredIds: bigint[] = [];
  for (let slot = 0; slot < NEW_NODES; slot += 1) {
    const index = plan.restaked.length + slot;
    const node = network.node(index);
    const ed25519 = derived(seed, `ed25519/${slot}`);
    const shared = slot === 1;
    const operatorStake = shared ? quarter : requirement;
    const operator = await impersonated(hre, shared ? second : first);
    const prefix = `landing.open.node.${slot}`;
    let calls: readonly PlannedCall[] | undefined;
    const planOf = async (): Promise<readonly PlannedCall[]> => {
      if (calls !== undefined) return calls;
      const read = await readRegistrationParameters(
        rewards,
        factory,
        { blsPublicKeys: [node.publicKeyStruct], ed25519PublicKeys: [ed25519], senders: [operator.address] },
        tge.sesh,
      );
      calls = plannedCalls(
        planNode(read, {
          operator: operator.address,
          blsPublicKey: node.publicKeyStruct,
          proofOfPossession: network.proofOfPossession(index, tags, operator.address, ed25519),
          ed25519PublicKey: ed25519,
          ed25519Signature: [derived(seed, `signature/${slot}/0`), derived(seed, `signature/${slot}/1`)],
          fee: shared ? NEW_NODE_FEE : 0,
          operatorStake,
          beneficiary: ZeroAddress,
          reserved: [],
          manualFinalize: false,
        }),
        `new node ${slot}`,
      );
      return calls;
    };
    const opened = await journal.send(`${prefix}.deploy`, operator, async () =>
      encodedCall((await planOf())[0], "deploy"),
    );
    transactions.push({
      label: `new node ${slot + 1}: open a contribution contract`,
      hash: opened.hash,
      gasUsed: opened.gasUsed,
    });
    const event = opened.logs
      .map((entry) => factory.interface.parseLog({ topics: [...entry.topics], data: entry.data }))
      .find((parsed) => parsed?.name === "NewServiceNodeContributionContract");
    if (event === undefined || event === null) throw new Error(`new node ${slot}: no contribution contract opened`);
    const contributionAddress = getAddress(event.args[0] as string);
    const contribution = await ethers.getContractAt("ServiceNodeContribution", contributionAddress);
    const rest = async (position: number): Promise<{ to: string; data: string }> =>
      encodedCall(resolveDeployed((await planOf()).slice(1), contributionAddress)[position], `new node ${slot}`);
    for (const [position, label] of ["approve", "contribute"].entries()) {
      const receipt = await journal.send(`${prefix}.operator.${label}`, operator, () => rest(position));
      transactions.push({
        label: `new node ${slot + 1}: operator ${label}s`,
        hash: receipt.hash,
        gasUsed: receipt.gasUsed,
      });
    }
    if (shared) {
      const share = (requirement - operatorStake) / BigInt(joiners.length);
      for (const [position, joiner] of joiners.entries()) {
        const amount = position === joiners.length - 1 ? requirement - operatorStake - share * BigInt(position) : share;
        const signer = await impersonated(hre, joiner);
        let joinCalls: readonly PlannedCall[] | undefined;
        const joinCall = async (which: number): Promise<{ to: string; data: string }> => {
          if (joinCalls === undefined) {
            const read = await readRegistrationParameters(
              rewards,
              factory,
              { blsPublicKeys: [node.publicKeyStruct], ed25519PublicKeys: [ed25519], senders: [joiner] },
              tge.sesh,
            );
            joinCalls = plannedCalls(
              planJoin(read, await readContributionState(contribution), {
                contributor: joiner,
                amount,
                beneficiary: ZeroAddress,
              }),
              `new node ${slot}: ${joiner} joining`,
            );
          }
          return encodedCall(joinCalls[which], `new node ${slot} join`);
        };
        for (const [which, label] of ["approve", "contribute"].entries()) {
          const receipt = await journal.send(`${prefix}.join.${position}.${label}`, signer, () => joinCall(which));
          transactions.push({
            label: `new node ${slot + 1}: ${joiner} ${label}s ${formatSesh(amount)}`,
            hash: receipt.hash,
            gasUsed: receipt.gasUsed,
          });
        }
      }
    }
    const id = await rewards.serviceNodeIDs(encodeBlsPublicKey(node.publicKeyStruct));
    network.register(index, id);
    registeredIds.push(id);
  }
  const stored = await Promise.all(
    registeredIds.map(async (id) => (await rewards.serviceNodes(id)).contributors.length),
  );
  events.push(
    `staking opens: ${formatInteger(NEW_NODES)} new nodes registered through the factory (ids ` +
      `${registeredIds.map(String).join(", ")}) with the SESH of two of the migration's credits: one solo, one shared`,
  );
  return {
    events,
    transactions,
    registered: registeredIds.length,
    checks: [
      {
        name: "the nodes registered when staking opens are in the contract with their contributors",
        ok: stored.length === NEW_NODES && stored[0] === 1 && stored[1] === 2,
        detail: `ids ${registeredIds.map(String).join(", ")}: ${stored.join(" and ")} contributors`,
      },
    ],
  };
}

import { createHash } from "node:crypto";

import { normalizeZ } from "@noble/curves/abstract/curve";

import { GROUP_ORDER, G1Point, publicKeyOf, secretKeyFromSeed, toG1Struct, type G1 } from "../bls";
import { ATOMS_PER_SESH } from "../amount";
import { formatUtc, launchTimeline } from "../timeline";
import { AWAITING_CONTRIBUTIONS, SNAPSHOT_FORMAT, type NodeState, type SnapshotInput } from "./schema";

/**
 * A synthetic Anchor snapshot for tests and rehearsals: realistic shapes, fully determined by a seed. Nothing in it
 * is real — the Oxen addresses have no checksum, the ed25519 keys are random bytes, and the BLS secret keys follow
 * from the seed (see {@link generatedBlsSecretKey}).
 */

/** OXEN has 9 decimals, like SESH: one OXEN is 10^9 atoms. */
export const ATOMS_PER_OXEN = ATOMS_PER_SESH;

/** 15,000 OXEN in atoms: the stake of every generated node (Oxen's later staking requirement), split exactly. */
export const GENERATED_NODE_STAKE = 15_000n * ATOMS_PER_OXEN;

/** OXEN → SESH at 0.54 (SPEC section 4): numerator and denominator. */
export const STAKE_CONVERSION = { numerator: 54n, denominator: 100n } as const;

/** The Service Node Bonus: 30,000,000 SESH, in atoms. */
export const BONUS_POOL = 30_000_000n * ATOMS_PER_SESH;

/** SESH atoms a re-staked node needs: 25,000 SESH. */
export const STAKING_REQUIREMENT = 25_000n * ATOMS_PER_SESH;

/** The most contributors a node may have, the operator included. */
export const MAX_CONTRIBUTORS = 10;

/** The shares {@link generateSnapshot} uses when the options leave them out (each a fraction of 1). */
export const DEFAULT_SHARES = {
  /** Of wallets: no Ethereum address registered. */
  unregistered: 0.15,
  /** Of registered wallets: reuse the Ethereum address of an earlier registered wallet. */
  sharedEthereumAddress: 0.05,
  /** Of registered wallets: registered before the bonus backdating deadline. */
  earlyRegistration: 0.6,
  /** Of nodes: more than one contributor. */
  multiContributor: 0.35,
  /** Of nodes that are not decommissioned: no BLS key (never upgraded). Decommissioned nodes never have one. */
  missingBls: 0.08,
  /** Of nodes: unlocking at the Anchor. */
  unlocking: 0.06,
  /** Of nodes: deregistered before the Anchor. */
  deregistered: 0.04,
  /** Of nodes: decommissioned at the Anchor. */
  decommissioned: 0.01,
  /** Of nodes: still awaiting contributions at the Anchor (partly funded: contributions below the stake). */
  awaitingContributions: 0.02,
} as const;

export type SnapshotShares = { readonly [Share in keyof typeof DEFAULT_SHARES]: number };

/** What {@link generateSnapshot} makes. */
export interface GenerateSnapshotOptions {
  /** Any text; the same seed (and options) always gives the same snapshot. */
  readonly seed: string;
  /** Number of service nodes. */
  readonly nodes: number;
  /** Number of wallets; at least one when there are nodes. */
  readonly wallets: number;
  /** Overrides of {@link DEFAULT_SHARES}. */
  readonly shares?: Partial<SnapshotShares>;
}

// Oxen mainnet (then Loki) started on about this day; heights are counted from it at the 2-minute block target.
// Approximate: the heights only need to be consistent with the dates.
const OXEN_GENESIS_UNIX = Date.UTC(2018, 2, 20) / 1000; // seconds
const OXEN_BLOCK_TIME = 120; // seconds
/** Generated nodes register from here to a week before the Anchor. */
const FIRST_REGISTRATION_UNIX = Date.UTC(2019, 0, 1) / 1000; // seconds
const SECONDS_PER_DAY = 86_400; // seconds
/** Nodes register at least this long before the Anchor, so that contributors can join before it. */
const LAST_REGISTRATION_MARGIN = 7 * SECONDS_PER_DAY; // seconds
/** Contributors join a node within this long after its registration. */
const CONTRIBUTION_DELAY_MAX = 3 * SECONDS_PER_DAY; // seconds

/** The operator of a shared node stakes at least a quarter of it: numerator and denominator. */
const OPERATOR_MIN_SHARE = { numerator: 1, denominator: 4 } as const;
/** A contributor other than the operator stakes at least this much: 100 OXEN, in atoms. */
const MIN_OTHER_CONTRIBUTION = 100 * Number(ATOMS_PER_OXEN); // atoms
/** Random weights of the non-operator contributions are drawn from [floor, floor + 1). */
const CONTRIBUTION_WEIGHT_FLOOR = 0.1;
/** The operator fee of a solo node: all of it (basis points). */
const SOLO_OPERATOR_FEE = 10_000; // basis points
/** Shared nodes charge an operator fee up to this (basis points). */
const MAX_SHARED_OPERATOR_FEE = 2_000; // basis points

/** Operators come from this first share of the wallets, weighted towards the first (a few run many nodes). */
const OPERATOR_POOL_SHARE = 0.1;
/** Exponent of the operator pick u^k over the pool: larger means fewer, busier operators. */
const OPERATOR_SKEW = 2;

/** Share of staking wallets with unpaid rewards, and of the others (rewards of nodes that unlocked earlier). */
const UNPAID_REWARDS_SHARE_STAKING = 0.7;
const UNPAID_REWARDS_SHARE_OTHER = 0.02;
/** Unpaid rewards are drawn below this: 300 OXEN, in atoms. */
const MAX_UNPAID_REWARDS = 300 * Number(ATOMS_PER_OXEN); // atoms

/** Oxen addresses look like "L" and 96 base58 characters (Monero's alphabet: no 0, O, I, l). */
const OXEN_ADDRESS_PREFIX = "L";
const OXEN_ADDRESS_BODY_LENGTH = 96; // characters
const BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const ED25519_KEY_WORDS = 8; // 32-bit words: 32 bytes
const ETHEREUM_ADDRESS_WORDS = 5; // 32-bit words: 20 bytes

/** Domains of the seed's two uses, so that the PRNG stream and the BLS keys are unrelated. */
const PRNG_DOMAIN = "session-anchor-snapshot/prng:";
const BLS_DOMAIN = "session-anchor-snapshot/bls:";

const TWO_TO_32 = 2 ** 32;
const TWO_TO_21 = 2 ** 21;

/**
 * xoshiro128** (Blackman and Vigna): 128 bits of state, 32-bit outputs, seeded from SHA-256 of the seed text.
 * Not cryptographic; chosen because it is small, fast on JavaScript numbers and the same everywhere.
 */
class SeededRandom {
  private readonly state: Uint32Array;

  constructor(seed: string) {
    const digest = createHash("sha256")
      .update(PRNG_DOMAIN + seed)
      .digest();
    this.state = new Uint32Array([0, 4, 8, 12].map((offset) => digest.readUInt32LE(offset)));
    // The all-zero state is the one xoshiro never leaves; SHA-256 will not give it, but be exact.
    if (this.state.every((word) => word === 0)) this.state[0] = 1;
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const s = this.state;
    const [s0 = 0, s1 = 0, s2 = 0, s3 = 0] = s;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    s[1] = s1 ^ n2;
    s[0] = s0 ^ n3;
    s[2] = n2 ^ t;
    s[3] = rotl(n3, 11);
    return result;
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  float(): number {
    const high = this.uint32() >>> 11; // 21 bits
    return (high * TWO_TO_32 + this.uint32()) / (TWO_TO_21 * TWO_TO_32);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** A uniform integer in [min, max] (both safe integers). */
  integer(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** A uniform integer in [0, n) for small n (≤ 2^16), from one output; the bias, below n / 2^32, is immaterial. */
  below(n: number): number {
    return Math.floor((this.uint32() / TWO_TO_32) * n);
  }

  /** `words` 32-bit outputs as lowercase hex. */
  hex(words: number): string {
    let text = "";
    for (let i = 0; i < words; i++) text += this.uint32().toString(16).padStart(8, "0");
    return text;
  }
}

/** `items[index]`, which the caller knows to exist; a miss is a bug in this file. */
function itemAt<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`internal: no item ${index} of ${items.length}`);
  return item;
}

function rotl(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/**
 * The BLS secret key of node `nodeIndex` in the snapshot generated from `seed`: sk₀ + i (mod r), where sk₀ comes
 * from lib/bls's {@link secretKeyFromSeed}. So the rehearsal can sign for the generated nodes. (Nodes without a BLS
 * key in the snapshot still have an index; their key is just not published.)
 */
export function generatedBlsSecretKey(seed: string, nodeIndex: number): bigint {
  return (secretKeyFromSeed(BLS_DOMAIN + seed, 0) + BigInt(nodeIndex)) % GROUP_ORDER;
}

/**
 * The BLS public keys of nodes 0 … count − 1 as decimal coordinates: P_i = P₀ + i·G, one point addition each, then
 * one batch inversion to affine form. Deriving every key with secretKeyFromSeed and a scalar multiplication would
 * take ~0.75 ms a key (15 s for 20,000 nodes); this takes ~10 µs a key (0.2 s). The keys stay valid G1 points with
 * known secret keys ({@link generatedBlsSecretKey}); only their independence is lost, which synthetic data does not
 * need.
 */
export function generatedBlsPublicKeys(seed: string, count: number): { X: string; Y: string }[] {
  const points: G1[] = [];
  let point = publicKeyOf(generatedBlsSecretKey(seed, 0));
  for (let i = 0; i < count; i++) {
    // sk₀ + i ≡ 0 (mod r) would need i ≈ r − sk₀, some 2^250 nodes away.
    if (point.is0()) throw new Error("the BLS key sequence reached the identity");
    points.push(point);
    point = point.add(G1Point.BASE);
  }
  return normalizeZ(G1Point, points).map((affine) => {
    const { X, Y } = toG1Struct(affine);
    return { X: X.toString(), Y: Y.toString() };
  });
}

function checkOptions(options: GenerateSnapshotOptions): SnapshotShares {
  const count = (name: string, value: number): void => {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
    }
  };
  count("nodes", options.nodes);
  count("wallets", options.wallets);
  if (options.nodes > 0 && options.wallets === 0) throw new RangeError("nodes need at least one wallet to stake");
  const shares: SnapshotShares = { ...DEFAULT_SHARES, ...options.shares };
  for (const [name, value] of Object.entries(shares)) {
    if (!(value >= 0 && value <= 1)) throw new RangeError(`shares.${name} must be between 0 and 1, got ${value}`);
  }
  const states = shares.unlocking + shares.deregistered + shares.decommissioned + shares.awaitingContributions;
  if (states > 1) {
    throw new RangeError(
      `shares.unlocking + deregistered + decommissioned + awaitingContributions must be at most 1, got ${states}`,
    );
  }
  return shares;
}

type WalletInput = SnapshotInput["wallets"][number];
type NodeInput = SnapshotInput["nodes"][number];
type ContributionInput = NodeInput["contributions"][number];

/** Splits the node stake: the operator's part first (at least a quarter), then the others', summing exactly. */
function splitStake(random: SeededRandom, contributors: number): number[] {
  const stake = Number(GENERATED_NODE_STAKE); // atoms, well below 2^53
  if (contributors === 1) return [stake];
  const others = contributors - 1;
  const operatorMin = Math.ceil((stake * OPERATOR_MIN_SHARE.numerator) / OPERATOR_MIN_SHARE.denominator);
  const operator = random.integer(operatorMin, stake - others * MIN_OTHER_CONTRIBUTION);
  const rest = stake - operator;
  const weights = Array.from({ length: others }, () => CONTRIBUTION_WEIGHT_FLOOR + random.float());
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  const amounts = [operator];
  let assigned = 0;
  weights.forEach((weight, index) => {
    // The last takes what rounding left, so the parts sum to the stake exactly; each is at least
    // rest × floor / (others × (floor + 1)) > 9 OXEN, never zero.
    const amount = index === others - 1 ? rest - assigned : Math.floor((rest * weight) / totalWeight);
    amounts.push(amount);
    assigned += amount;
  });
  return amounts;
}

/** A node state, with the shares' probabilities; "active" for the rest. */
function drawState(random: SeededRandom, shares: SnapshotShares): NodeState {
  let draw = random.float();
  const weighted: [NodeState, number][] = [
    ["unlocking", shares.unlocking],
    ["deregistered", shares.deregistered],
    ["decommissioned", shares.decommissioned],
    [AWAITING_CONTRIBUTIONS, shares.awaitingContributions],
  ];
  for (const [state, share] of weighted) {
    if (draw < share) return state;
    draw -= share;
  }
  return "active";
}

function heightAt(unix: number): number {
  return Math.floor((unix - OXEN_GENESIS_UNIX) / OXEN_BLOCK_TIME);
}

/**
 * Generates a synthetic Anchor snapshot, JSON-ready (strings where the parsed form has bigints and dates), that
 * passes `parseSnapshot`:
 * - wallets: 97-character "L…" Oxen addresses; a share unregistered (no Ethereum address), a share reusing an earlier
 *   wallet's Ethereum address, registrations before (early) and after (late) the bonus backdating deadline, up to
 *   the Anchor; unpaid rewards mostly on wallets that stake;
 * - nodes: registered from 2019 to a week before the Anchor (heights at 2-minute blocks); solo or shared by up to
 *   {@link MAX_CONTRIBUTORS} distinct wallets, the operator first with at least a quarter of the
 *   {@link GENERATED_NODE_STAKE}; active, unlocking, deregistered (their stakes ended before the Anchor),
 *   decommissioned or awaiting contributions (partly funded: the contributions sum to less than the stake, and there
 *   is room for one more contributor); a share without a BLS key;
 * - parameters: 0.54 conversion, the 30,000,000 SESH bonus pool, 25,000 SESH staking requirement, the dates of
 *   `launchTimeline()`.
 * Nodes come in random registration order, as a planner must not rely on the file's order.
 */
export function generateSnapshot(options: GenerateSnapshotOptions): SnapshotInput {
  const shares = checkOptions(options);
  const random = new SeededRandom(options.seed);
  const timeline = launchTimeline();
  const anchorUnix = timeline.at("anchorHardfork").unix;
  const backdateFromUnix = timeline.at("bonusBackdateFrom").unix;
  const deadlineUnix = timeline.at("bonusBackdateDeadline").unix;

  const usedAddresses = new Set<string>();
  const newOxenAddress = (): string => {
    for (;;) {
      const characters = [OXEN_ADDRESS_PREFIX];
      for (let i = 0; i < OXEN_ADDRESS_BODY_LENGTH; i++) {
        characters.push(BASE58_ALPHABET.charAt(random.below(BASE58_ALPHABET.length)));
      }
      const address = characters.join("");
      // A repeat is astronomically unlikely, but the loader rejects duplicates, so rule it out.
      if (!usedAddresses.has(address)) {
        usedAddresses.add(address);
        return address;
      }
    }
  };

  const wallets: WalletInput[] = [];
  const registeredAddresses: string[] = [];
  for (let i = 0; i < options.wallets; i++) {
    const oxenAddress = newOxenAddress();
    if (random.chance(shares.unregistered)) {
      wallets.push({ oxenAddress, ethereumAddress: null, registeredAt: null, unpaidRewards: "0" });
      continue;
    }
    const shared = registeredAddresses.length > 0 && random.chance(shares.sharedEthereumAddress);
    const ethereumAddress = shared
      ? itemAt(registeredAddresses, random.integer(0, registeredAddresses.length - 1))
      : `0x${random.hex(ETHEREUM_ADDRESS_WORDS)}`;
    if (!shared) registeredAddresses.push(ethereumAddress);
    const registeredAt = random.chance(shares.earlyRegistration)
      ? random.integer(backdateFromUnix, deadlineUnix - 1)
      : random.integer(deadlineUnix, anchorUnix);
    wallets.push({ oxenAddress, ethereumAddress, registeredAt: formatUtc(registeredAt), unpaidRewards: "0" });
  }

  const operatorPool = Math.max(1, Math.floor(options.wallets * OPERATOR_POOL_SHARE));
  const pickOperator = (): number => Math.floor(operatorPool * random.float() ** OPERATOR_SKEW);
  const staking = new Set<number>();
  const usedKeys = new Set<string>();
  const blsKeys = generatedBlsPublicKeys(options.seed, options.nodes);
  const nodes: NodeInput[] = [];
  for (let n = 0; n < options.nodes; n++) {
    const registeredUnix = random.integer(FIRST_REGISTRATION_UNIX, anchorUnix - LAST_REGISTRATION_MARGIN);
    const state = drawState(random, shares);

    // A partly funded node has room for the contribution it awaits (its missing part), so one contributor fewer.
    const awaiting = state === AWAITING_CONTRIBUTIONS;
    const maxContributors = Math.max(1, Math.min(MAX_CONTRIBUTORS, options.wallets) - (awaiting ? 1 : 0));
    const contributors =
      maxContributors > 1 && random.chance(shares.multiContributor) ? random.integer(2, maxContributors) : 1;
    const members = [pickOperator()];
    while (members.length < contributors) {
      const member = random.integer(0, options.wallets - 1);
      if (!members.includes(member)) members.push(member);
    }
    // A partly funded node's stake is split for one contributor more, whose part (more than 0) is the one missing.
    const amounts = splitStake(random, awaiting ? contributors + 1 : contributors).slice(0, contributors);
    const sinces = members.map((_, index) =>
      index === 0 ? registeredUnix : registeredUnix + random.integer(0, CONTRIBUTION_DELAY_MAX),
    );
    // A deregistered node's stakes ended together, after the last contributor joined and before the Anchor.
    const until = state === "deregistered" ? formatUtc(random.integer(Math.max(...sinces), anchorUnix)) : null;
    const contributions = members.map((member, index): ContributionInput => {
      staking.add(member);
      return {
        oxenAddress: itemAt(wallets, member).oxenAddress,
        amount: String(itemAt(amounts, index)),
        since: formatUtc(itemAt(sinces, index)),
        until,
      };
    });

    let ed25519 = random.hex(ED25519_KEY_WORDS);
    while (usedKeys.has(ed25519)) ed25519 = random.hex(ED25519_KEY_WORDS);
    usedKeys.add(ed25519);
    // Node n has key n, so that generatedBlsSecretKey(seed, n) is its secret key, whether published or not.
    const hasBls = state !== "decommissioned" && !random.chance(shares.missingBls);

    nodes.push({
      ed25519,
      bls: hasBls ? itemAt(blsKeys, n) : null,
      registrationHeight: heightAt(registeredUnix),
      registeredAt: formatUtc(registeredUnix),
      operator: itemAt(contributions, 0).oxenAddress,
      operatorFee: contributors === 1 ? SOLO_OPERATOR_FEE : random.integer(0, MAX_SHARED_OPERATOR_FEE),
      state,
      stake: GENERATED_NODE_STAKE.toString(),
      contributions,
    });
  }

  wallets.forEach((wallet, index) => {
    const share = staking.has(index) ? UNPAID_REWARDS_SHARE_STAKING : UNPAID_REWARDS_SHARE_OTHER;
    if (random.chance(share)) wallet.unpaidRewards = String(random.integer(1, MAX_UNPAID_REWARDS));
  });

  return {
    format: SNAPSHOT_FORMAT,
    anchor: { height: heightAt(anchorUnix), time: formatUtc(anchorUnix) },
    parameters: {
      stakeConversion: {
        numerator: STAKE_CONVERSION.numerator.toString(),
        denominator: STAKE_CONVERSION.denominator.toString(),
      },
      bonusPool: BONUS_POOL.toString(),
      stakingRequirement: STAKING_REQUIREMENT.toString(),
      maxContributors: MAX_CONTRIBUTORS,
      snapshotTime: formatUtc(timeline.at("bonusSnapshot").date),
      bonusBackdateFrom: formatUtc(backdateFromUnix),
      bonusBackdateDeadline: formatUtc(deadlineUnix),
    },
    wallets,
    nodes,
  };
}

/** The file form of a snapshot: JSON indented by two spaces, with a final newline. Deterministic. */
export function snapshotToJson(snapshot: SnapshotInput): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

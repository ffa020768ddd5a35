import { createHash } from "node:crypto";

import fc from "fast-check";

import { generateSnapshot, parseSnapshot } from "../../lib/snapshot";

import type { Contribution, ServiceNode, Snapshot, SnapshotParameters, Wallet } from "../../lib/snapshot/schema";

/** Atoms per OXEN and per SESH: both have 9 decimals. */
export const ATOMS = 10n ** 9n;

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const OXEN_ADDRESS_LENGTH = 97;

/** A well-formed, deterministic Oxen address for a person's name in a test. */
export function oxenAddress(name: string): string {
  const digest = createHash("sha512").update(`oxen:${name}`).digest();
  const characters = Array.from({ length: OXEN_ADDRESS_LENGTH - 1 }, (_, index) => {
    const byte = digest[index % digest.length] ?? 0;
    return BASE58[(byte + index) % BASE58.length];
  });
  return `L${characters.join("")}`;
}

/** A deterministic Ethereum address for a person's name in a test, lowercase as parsed snapshots hold them. */
export function ethereumAddress(name: string): string {
  return `0x${createHash("sha256").update(`eth:${name}`).digest("hex").slice(0, 40)}`;
}

/** A deterministic ed25519 key whose numeric order follows `rank`. */
export function ed25519(rank: number): string {
  return rank.toString(16).padStart(64, "0");
}

/** Test parameters: small numbers so that every expected amount can be written by hand. */
export const TEST_PARAMETERS: SnapshotParameters = {
  stakeConversion: { numerator: 54n, denominator: 100n },
  bonusPool: 0n,
  stakingRequirement: 100n * ATOMS,
  maxContributors: 10,
  snapshotTime: new Date("2025-05-09T00:00:00Z"),
  bonusBackdateFrom: new Date("2023-09-25T17:00:00Z"),
  bonusBackdateDeadline: new Date("2024-01-31T00:00:00Z"),
};

const EARLY_REGISTRATION = new Date("2023-10-01T00:00:00Z");

export interface WalletSpec {
  /** Registered for the bonus program (default) or not. */
  readonly registered?: boolean;
  /** The Ethereum address to register, when several Oxen addresses share one (default: the name's own). */
  readonly ethereum?: string;
  readonly registeredAt?: Date;
  readonly unpaidRewards?: bigint;
}

export function wallet(name: string, spec: WalletSpec = {}): Wallet {
  const registered = spec.registered ?? true;
  return {
    oxenAddress: oxenAddress(name),
    ethereumAddress: registered ? ethereumAddress(spec.ethereum ?? name) : null,
    registeredAt: registered ? (spec.registeredAt ?? EARLY_REGISTRATION) : null,
    unpaidRewards: spec.unpaidRewards ?? 0n,
  };
}

export interface NodeSpec {
  readonly rank: number;
  readonly height?: number;
  readonly state?: ServiceNode["state"];
  readonly bls?: boolean;
  readonly fee?: number;
  /** [name, amount in `unit`s] pairs; the first is the operator. */
  readonly stakes: readonly (readonly [string, bigint])[];
  /** Atoms per unit of `stakes` and `stake` (default {@link ATOMS}: whole OXEN; 1n for atoms). */
  readonly unit?: bigint;
  /** The node's full stake in `unit`s (default: the sum of `stakes`); more than that for a partly funded node. */
  readonly stake?: bigint;
  readonly since?: Date;
  readonly until?: Date | null;
}

const LONG_AGO = new Date("2021-01-01T00:00:00Z");

export function node(spec: NodeSpec): ServiceNode {
  const [operator] = spec.stakes;
  if (operator === undefined) throw new Error("a node needs at least its operator's stake");
  const unit = spec.unit ?? ATOMS;
  const contributions: Contribution[] = spec.stakes.map(([name, amount]) => ({
    oxenAddress: oxenAddress(name),
    amount: amount * unit,
    since: spec.since ?? LONG_AGO,
    until: spec.until ?? null,
  }));
  return {
    ed25519: ed25519(spec.rank),
    // The G1 generator: a valid key the planner passes through.
    bls: spec.bls === false ? null : { X: 1n, Y: 2n },
    registrationHeight: spec.height ?? spec.rank,
    registeredAt: spec.since ?? LONG_AGO,
    operator: oxenAddress(operator[0]),
    operatorFee: spec.fee ?? 500,
    state: spec.state ?? "active",
    stake:
      spec.stake === undefined
        ? contributions.reduce((total, contribution) => total + contribution.amount, 0n)
        : spec.stake * unit,
    contributions,
  };
}

export function snapshot(
  wallets: readonly Wallet[],
  nodes: readonly ServiceNode[],
  parameters: Partial<SnapshotParameters> = {},
): Snapshot {
  return {
    format: "session-anchor-snapshot/1",
    anchor: { height: 1_900_000, time: new Date("2025-04-29T00:00:00Z") },
    parameters: { ...TEST_PARAMETERS, ...parameters },
    wallets: [...wallets],
    nodes: [...nodes],
  };
}

/**
 * Generated snapshots of a few dozen nodes: small enough to plan quickly, large enough for every planner rule to
 * fire. The bonus pool is scaled to the network (0 to 20,000 SESH a node) instead of the real 30,000,000, which
 * would cover every node of so small a network: with less, some pools fall short and nodes are disbanded for it.
 * The arbitrary of the planner's and the Anchor's properties.
 */
export const smallSnapshots: fc.Arbitrary<Snapshot> = fc
  .record({
    seed: fc.string({ minLength: 1, maxLength: 12 }),
    nodes: fc.integer({ min: 1, max: 40 }),
    bonusPerNode: fc.constantFrom(0n, 5_000n, 12_000n, 20_000n),
  })
  .map(({ seed, nodes, bonusPerNode }) => {
    const generated = parseSnapshot(
      JSON.stringify(generateSnapshot({ seed, nodes, wallets: nodes * 4 })),
      `generated(${seed}, ${nodes})`,
    );
    return { ...generated, parameters: { ...generated.parameters, bonusPool: bonusPerNode * ATOMS * BigInt(nodes) } };
  });

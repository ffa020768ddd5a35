import { z } from "zod";

import { FIELD_MODULUS, G1Point } from "../bls/curve";
import { atoms, lowercaseEthereumAddress, utcDate } from "../schema";

/**
 * The Anchor snapshot (SPEC section 4): every Oxen wallet and service node at the Anchor hardfork, with what the
 * migration and the bonus program need. Amounts are atoms written as decimal strings (OXEN and SESH both have 9
 * decimals), dates ISO-8601 UTC.
 */
export const SNAPSHOT_FORMAT = "session-anchor-snapshot/1";

/** Oxen addresses are base58 (Monero's alphabet); their exact checksum is the Oxen chain's business. */
export const oxenAddress = z
  .string()
  .regex(/^[1-9A-HJ-NP-Za-km-z]{64,120}$/, { message: "is not an Oxen address (64–120 base58 characters)" });

/** An ed25519 public key: 32 bytes as 64 hex digits. */
export const ed25519Key = z
  .string()
  .regex(/^[0-9a-f]{64}$/, { message: "is not an ed25519 key (32 bytes as 64 lowercase hex digits)" });

const decimalCoordinate = z.string().regex(/^\d+$/, { message: "must be a decimal integer" }).transform(BigInt);

/** A BLS public key: an affine point of G1 other than the identity. */
export const blsKey = z.strictObject({ X: decimalCoordinate, Y: decimalCoordinate }).superRefine((key, ctx) => {
  if (key.X >= FIELD_MODULUS || key.Y >= FIELD_MODULUS || (key.X === 0n && key.Y === 0n)) {
    ctx.addIssue({
      code: "custom",
      message: "is not a valid G1 point (coordinates must be below p, not the identity)",
    });
    return;
  }
  try {
    G1Point.fromAffine({ x: key.X, y: key.Y }).assertValidity();
  } catch {
    ctx.addIssue({ code: "custom", message: "is not a valid G1 point (not on the curve y² = x³ + 3)" });
  }
});

/**
 * A node's state at the Anchor. `awaiting-contributions` is a node registered on the Oxen chain whose contributions
 * do not yet reach its stake (partly funded): it never ran as a service node. Every other state is a fully funded
 * node: `active`, `decommissioned` (temporarily out for failing tests), `deregistered` or `unlocking`.
 */
export const NODE_STATES = ["active", "decommissioned", "deregistered", "unlocking", "awaiting-contributions"] as const;
export type NodeState = (typeof NODE_STATES)[number];

/** The state of a partly funded node, the only one whose contributions sum to less than its stake. */
export const AWAITING_CONTRIBUTIONS = "awaiting-contributions" satisfies NodeState;

/** The maximum operator fee, in basis points. */
export const MAX_FEE_BPS = 10_000;

export const walletSchema = z.strictObject({
  oxenAddress,
  /**
   * The Ethereum address registered for the bonus program (lowercase after parsing; a mixed-case address must
   * carry its EIP-55 checksum), or null for an unregistered wallet.
   */
  ethereumAddress: lowercaseEthereumAddress.nullable(),
  /** When the wallet registered its Ethereum address (null when unregistered). */
  registeredAt: utcDate.nullable(),
  /** OXEN node rewards earned but not yet paid out, in atoms. */
  unpaidRewards: atoms,
});

export const contributionSchema = z.strictObject({
  oxenAddress,
  /** OXEN atoms staked; more than zero. */
  amount: atoms,
  /** When this stake started. */
  since: utcDate,
  /** When it ended (an unlock that completed), or null while it lasts. */
  until: utcDate.nullable(),
});

export const nodeSchema = z.strictObject({
  ed25519: ed25519Key,
  /** The BLS key of an upgraded node, or null when the node never upgraded. */
  bls: blsKey.nullable(),
  registrationHeight: z.int().nonnegative(),
  registeredAt: utcDate,
  /** The operator's Oxen address; it must be one of the contributors. */
  operator: oxenAddress,
  operatorFee: z.int().min(0).max(MAX_FEE_BPS),
  state: z.enum(NODE_STATES),
  /**
   * The node's full stake in OXEN atoms (what it registered to be staked): its contributions sum to it exactly, or
   * to less (and more than 0) while it is `awaiting-contributions`.
   */
  stake: atoms,
  contributions: z.array(contributionSchema).min(1),
});

export const parametersSchema = z.strictObject({
  /**
   * OXEN atoms → SESH atoms for stakes and unpaid rewards, each contribution and each wallet's unpaid rewards on its
   * own: floor(atoms × numerator / denominator).
   */
  stakeConversion: z.strictObject({ numerator: atoms, denominator: atoms }),
  /** The Service Node Bonus split pro rata to points, in SESH atoms. */
  bonusPool: atoms,
  /** SESH atoms a re-staked node needs. */
  stakingRequirement: atoms,
  maxContributors: z.int().min(1),
  /** Points stop accruing here (the bonus snapshot). */
  snapshotTime: utcDate,
  /** Wallets registered before the deadline accrue from this date (or their participation's start, if later). */
  bonusBackdateFrom: utcDate,
  bonusBackdateDeadline: utcDate,
});

export const snapshotSchema = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT),
  anchor: z.strictObject({ height: z.int().nonnegative(), time: utcDate }),
  parameters: parametersSchema,
  wallets: z.array(walletSchema),
  nodes: z.array(nodeSchema),
});

export type Wallet = z.output<typeof walletSchema>;
export type Contribution = z.output<typeof contributionSchema>;
export type ServiceNode = z.output<typeof nodeSchema>;
export type SnapshotParameters = z.output<typeof parametersSchema>;
export type Snapshot = z.output<typeof snapshotSchema>;
/** The snapshot as written in a file (before parsing): strings where the parsed form has bigints and dates. */
export type SnapshotInput = z.input<typeof snapshotSchema>;

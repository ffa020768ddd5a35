import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { getStorageAt, setStorageAt } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionReceipt, ContractTransactionResponse } from "ethers";
import { toBeHex, ZeroAddress, zeroPadValue } from "ethers";
import { ethers } from "hardhat";

import type { SignatureParams } from "../../../lib/bls";
import type { ServiceNodeContribution } from "../../../typechain-types";
import type { StakingFixture } from "../../helpers/staking";
import { at, keyOf, popOf } from "../rewards/fixtures";

/** Status numbers (IServiceNodeContribution.Status). */
export const STATUS = { WaitForOperatorContrib: 0n, OpenForPublicContrib: 1n, WaitForFinalized: 2n, Finalized: 3n };
export const ED25519 = 9_000n;
export const FEE = 500;
export const MAX_FEE = 10_000;
export const WITHDRAWAL_DELAY = 86_400n;

export interface Spot {
  addr: string;
  amount: bigint;
}

export interface OpenOptions {
  reserved?: Spot[];
  manualFinalize?: boolean;
  fee?: number;
  /** The network node whose BLS key is used (0). */
  node?: number;
  ed25519?: bigint;
  /** The operator (staker 0). */
  operator?: HardhatEthersSigner;
  /** The proof of possession (a valid one for the operator by default). */
  pop?: SignatureParams;
}

/** The ServiceNodeParams the helpers open nodes with. */
export function paramsOf(ed25519: bigint, fee: number) {
  return { serviceNodePubkey: ed25519, serviceNodeSignature1: ed25519 + 1n, serviceNodeSignature2: ed25519 + 2n, fee };
}

/** The contribution contract a factory deployment emitted. */
export async function contractOf(
  f: StakingFixture,
  response: Promise<ContractTransactionResponse>,
): Promise<ServiceNodeContribution> {
  const receipt = await (await response).wait();
  const event = receipt?.logs
    .map((log) => f.factory.interface.parseLog(log))
    .find((parsed) => parsed?.name === "NewServiceNodeContributionContract");
  if (event === undefined || event === null) throw new Error("no NewServiceNodeContributionContract event");
  return ethers.getContractAt("ServiceNodeContribution", event.args[0] as string);
}

/** The arguments of the factory's deploy for `options`. */
export function deployArgs(f: StakingFixture, options: OpenOptions = {}) {
  const operator = options.operator ?? at(f.stakers, 0);
  const node = options.node ?? 0;
  const ed25519 = options.ed25519 ?? ED25519;
  const pop = options.pop ?? popOf(f, node, operator.address, ed25519);
  return [
    keyOf(f, node),
    pop,
    paramsOf(ed25519, options.fee ?? FEE),
    options.reserved ?? [],
    options.manualFinalize ?? false,
  ] as const;
}

/** Opens a contribution contract through the factory (node 0, staker 0 its operator, by default). */
export async function open(f: StakingFixture, options: OpenOptions = {}): Promise<ServiceNodeContribution> {
  const operator = options.operator ?? at(f.stakers, 0);
  return contractOf(f, f.factory.connect(operator).deploy(...deployArgs(f, options)));
}

/** Approves and contributes `amount` from `staker`. */
export async function contribute(
  f: StakingFixture,
  contract: ServiceNodeContribution,
  staker: HardhatEthersSigner,
  amount: bigint,
  beneficiary = ZeroAddress,
): Promise<ContractTransactionResponse> {
  await (await f.sesh.connect(staker).approve(await contract.getAddress(), amount)).wait();
  return contract.connect(staker).contributeFunds(amount, beneficiary);
}

/** {contribute}, mined. */
export async function contributed(
  f: StakingFixture,
  contract: ServiceNodeContribution,
  staker: HardhatEthersSigner,
  amount: bigint,
  beneficiary = ZeroAddress,
): Promise<ContractTransactionReceipt | null> {
  return (await contribute(f, contract, staker, amount, beneficiary)).wait();
}

/** `⌈a / b⌉`. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/** The reference of calcMinimumContribution. */
export function minimumFor(remaining: bigint, taken: bigint, max: bigint): bigint {
  return taken === 0n ? ceilDiv(remaining, 4n) : ceilDiv(remaining, max - taken);
}

/** Signers that are neither the fixture's owner nor its stakers, funded with `amount` SESH each by staker 7. */
export async function fundedOthers(f: StakingFixture, count: number, amount: bigint): Promise<HardhatEthersSigner[]> {
  const signers = await ethers.getSigners();
  const others = signers.slice(1, 1 + count);
  if (others.length < count) throw new Error(`only ${others.length} other signers`);
  for (const other of others) await (await f.sesh.connect(at(f.stakers, 7)).transfer(other.address, amount)).wait();
  return others;
}

/**
 * Sets the rewards contract's `maxContributors` in its storage (no function changes it: it is set once by
 * `initialize`; only an upgrade could change it). The `Staking` slot is found by its token address.
 */
export async function setRewardsMaxContributors(f: StakingFixture, max: number): Promise<void> {
  const token = BigInt(await f.sesh.getAddress());
  const mask = (1n << 160n) - 1n;
  for (let slot = 0n; slot < 16n; ++slot) {
    const word = BigInt(await getStorageAt(f.rewardsAddress, slot));
    if ((word & mask) !== token) continue;
    const cleared = word & ~(0xffn << 224n);
    await setStorageAt(f.rewardsAddress, slot, zeroPadValue(toBeHex(cleared | (BigInt(max) << 224n)), 32));
    return;
  }
  throw new Error("the rewards contract's Staking slot was not found");
}

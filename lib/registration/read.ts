import { getAddress } from "ethers";

import type { G1PointStruct } from "../bls";
import { blsPublicKeyHash, encodeBlsPublicKey } from "../rewards";
import type { ContributionState, LiveState, RegisteredKeys, RegistrationParameters } from "./rules";

// The only chain access of lib/registration: the parameters and a contribution contract's state, read once, so that
// the rules themselves stay pure. The readers take the few views they need (typechain contracts satisfy them).

/** The views of the rewards contract read here. */
export interface RewardsReader {
  getAddress(): Promise<string>;
  stakingRequirement(): Promise<bigint>;
  maxContributors(): Promise<bigint>;
  designatedToken(): Promise<string>;
  serviceNodeIDs(blsPubkey: string): Promise<bigint>;
  ed25519ToServiceNodeID(ed25519Pubkey: bigint): Promise<bigint>;
  paused(): Promise<boolean>;
  isStarted(): Promise<boolean>;
  readonly runner: { readonly provider: { getNetwork(): Promise<{ chainId: bigint }> } | null } | null;
}

/** The views of the factory read here. */
export interface FactoryReader {
  getAddress(): Promise<string>;
  stakingRewardsContract(): Promise<string>;
  paused(): Promise<boolean>;
}

/** The token's view read here, for the senders' balances. */
export interface TokenReader {
  balanceOf(account: string): Promise<bigint>;
}

/** The keys to look up, those of the proposals the parameters will judge. */
export interface KeysToLookUp {
  readonly blsPublicKeys?: readonly G1PointStruct[];
  readonly ed25519PublicKeys?: readonly bigint[];
  /** The accounts that will send SESH (the operator, a joining contributor), whose balances are checked. */
  readonly senders?: readonly string[];
}

/**
 * The registrations of `keys`, read now. A key that was not looked up throws (it would otherwise pass as not
 * registered).
 */
export async function readRegisteredKeys(rewards: RewardsReader, keys: KeysToLookUp): Promise<RegisteredKeys> {
  const bls = new Map<string, bigint>();
  for (const key of keys.blsPublicKeys ?? []) {
    bls.set(blsPublicKeyHash(key), await rewards.serviceNodeIDs(encodeBlsPublicKey(key)));
  }
  const ed25519 = new Map<bigint, bigint>();
  for (const key of keys.ed25519PublicKeys ?? []) ed25519.set(key, await rewards.ed25519ToServiceNodeID(key));
  return {
    blsPublicKeyId(key) {
      const id = bls.get(blsPublicKeyHash(key));
      if (id === undefined) throw new RangeError(`BLS key (${key.X}, ${key.Y}) was not looked up`);
      return id;
    },
    ed25519PublicKeyId(key) {
      const id = ed25519.get(key);
      if (id === undefined) throw new RangeError(`ed25519 key ${key} was not looked up`);
      return id;
    },
  };
}

/**
 * The deployment's parameters: the rewards contract's requirement, maximum contributors and token, the chain id, and
 * the registrations of `keys`. Refuses a factory that serves another rewards contract.
 */
/** The pauses, the start and the senders' balances (read from `token`, the rewards contract's SESH), now. */
export async function readLiveState(
  rewards: RewardsReader,
  factory: FactoryReader,
  senders: readonly string[],
  token?: TokenReader,
): Promise<LiveState> {
  const balances = new Map<string, bigint>();
  if (token !== undefined) {
    for (const sender of senders) balances.set(getAddress(sender), await token.balanceOf(getAddress(sender)));
  }
  return {
    factoryPaused: await factory.paused(),
    rewardsPaused: await rewards.paused(),
    rewardsStarted: await rewards.isStarted(),
    balances,
  };
}

/**
 * The rewards contract's parameters, the registrations of `keys`, and the live state (pauses, start, and the
 * balances of `keys.senders` when `token` is given).
 */
export async function readRegistrationParameters(
  rewards: RewardsReader,
  factory: FactoryReader,
  keys: KeysToLookUp = {},
  token?: TokenReader,
): Promise<RegistrationParameters> {
  const rewardsAddress = getAddress(await rewards.getAddress());
  const served = getAddress(await factory.stakingRewardsContract());
  if (served !== rewardsAddress) {
    throw new RangeError(
      `the factory ${getAddress(await factory.getAddress())} opens nodes for the rewards contract ${served}, not ` +
        rewardsAddress,
    );
  }
  const provider = rewards.runner?.provider;
  if (provider === null || provider === undefined) throw new RangeError("the rewards contract has no provider");
  return {
    chainId: (await provider.getNetwork()).chainId,
    rewards: rewardsAddress,
    sesh: getAddress(await rewards.designatedToken()),
    factory: getAddress(await factory.getAddress()),
    stakingRequirement: await rewards.stakingRequirement(),
    maxContributors: await rewards.maxContributors(),
    registered: await readRegisteredKeys(rewards, keys),
    live: await readLiveState(rewards, factory, keys.senders ?? [], token),
  };
}

/** The views of a contribution contract read here. */
export interface ContributionReader {
  getAddress(): Promise<string>;
  status(): Promise<bigint>;
  operator(): Promise<string>;
  stakingRequirement(): Promise<bigint>;
  maxContributors(): Promise<bigint>;
  manualFinalize(): Promise<boolean>;
  getContributions(): Promise<[string[], string[], bigint[]] | readonly [string[], string[], bigint[]]>;
  getReserved(): Promise<[string[], bigint[], boolean[]] | readonly [string[], bigint[], boolean[]]>;
  totalContribution(): Promise<bigint>;
  totalReservedContribution(): Promise<bigint>;
}

/** A contribution contract's state, as its views return it. */
export async function readContributionState(contract: ContributionReader): Promise<ContributionState> {
  const [addrs, beneficiaries, amounts] = await contract.getContributions();
  const [reservedAddrs, reservedAmounts, received] = await contract.getReserved();
  return {
    address: getAddress(await contract.getAddress()),
    status: Number(await contract.status()),
    operator: getAddress(await contract.operator()),
    stakingRequirement: await contract.stakingRequirement(),
    maxContributors: await contract.maxContributors(),
    manualFinalize: await contract.manualFinalize(),
    contributions: addrs.map((staker, i) => ({
      staker: getAddress(staker),
      beneficiary: getAddress(beneficiaries[i] ?? staker),
      amount: amounts[i] ?? 0n,
    })),
    reserved: reservedAddrs.map((addr, i) => ({
      addr: getAddress(addr),
      amount: reservedAmounts[i] ?? 0n,
      received: received[i] ?? false,
    })),
    totalContribution: await contract.totalContribution(),
    totalReservedContribution: await contract.totalReservedContribution(),
  };
}

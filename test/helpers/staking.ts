import hre, { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";

import { deployStaking, stakingParametersFor, type StakingDeployment } from "../../deploy/staking";
import { deployTge } from "../../deploy/tge";
import { domainTags, type DomainTags } from "../../lib/bls";
import { SimulatedNetwork } from "../../lib/network";
import type { StakingParameters } from "../../lib/staking/parameters";
import type { SESH } from "../../typechain-types";

/** What each of the fixture's funded accounts holds: ten staking requirements of the mainnet parameters. */
export const FUNDED_SESH = 250_000n * 10n ** 9n;

export interface StakingFixture extends StakingDeployment {
  readonly sesh: SESH;
  readonly owner: HardhatEthersSigner;
  /** Accounts holding {FUNDED_SESH} each that approved the rewards contract for all of it (not the owner). */
  readonly stakers: readonly HardhatEthersSigner[];
  /** The tags of the rewards proxy on this chain. */
  readonly tags: DomainTags;
  /**
   * A simulated network of 16 nodes with deterministic keys (none registered). Mutable (it records the ids tests
   * register): {loadStakingFixture} hands out a new one on every load.
   */
  readonly network: SimulatedNetwork;
  readonly chainId: bigint;
}

/** A new simulated network of the fixture: the same 16 keys every time, no id registered. */
export function stakingNetwork(): SimulatedNetwork {
  return new SimulatedNetwork("staking-fixture", 16);
}

/**
 * `loadFixture(fixture)` with a new {stakingNetwork} in place of the fixture's: loadFixture returns the same object on
 * every load, and a network shared by every test that loads the fixture would keep the ids one of them registered.
 * The fixture's nodes must register no id in its network (the keys are the same in the new one).
 */
export async function loadStakingFixture<T extends StakingFixture>(fixture: () => Promise<T>): Promise<T> {
  const loaded = await loadFixture(fixture);
  const registered = loaded.network.registered().map((node) => node.index);
  if (registered.length > 0) {
    throw new Error(
      `fixture ${fixture.name} registered network nodes ${registered.join(", ")}, which a new network would drop`,
    );
  }
  return { ...loaded, network: stakingNetwork() };
}

/**
 * The TGE (SESH through its Ignition module) and the staking set through deploy/modules/Staking.ts, with the
 * hardhat network's staking parameters (or `overrides` of them); eight stakers funded from the TGE escrow.
 */
export async function deployStakingFixture(overrides: Partial<StakingParameters> = {}): Promise<StakingFixture> {
  const tge = await deployTge(hre);
  const parameters = { ...stakingParametersFor("hardhat"), ...overrides };
  // A TGE with a staking vesting holder deploys the staking set itself (with the file's parameters).
  const deployment =
    tge.staking !== undefined && Object.keys(overrides).length === 0
      ? tge.staking
      : await deployStaking(hre, { sesh: tge.seshAddress, parameters });
  const signers = await ethers.getSigners();
  const owner = signers[0];
  if (owner === undefined) throw new Error("no accounts");
  const holders = [...tge.checks].sort((a, b) => (a.actual > b.actual ? -1 : 1));
  const richest = holders[0];
  if (richest === undefined) throw new Error("the TGE paid no one");
  const funder = await ethers.getSigner(richest.address);
  const stakers = signers.slice(10, 18);
  for (const staker of stakers) {
    await (await tge.sesh.connect(funder).transfer(staker.address, FUNDED_SESH)).wait();
    await (await tge.sesh.connect(staker).approve(deployment.rewardsAddress, FUNDED_SESH)).wait();
  }
  const chainId = (await ethers.provider.getNetwork()).chainId;
  return {
    ...deployment,
    sesh: tge.sesh,
    owner,
    stakers,
    tags: domainTags(chainId, deployment.rewardsAddress),
    network: stakingNetwork(),
    chainId,
  };
}

/** {deployStakingFixture} with the testnet parameters: TestnetServiceNodeRewards and a 120 SESH requirement. */
export async function deployTestnetStakingFixture(): Promise<StakingFixture> {
  return deployStakingFixture(stakingParametersFor("arbitrumSepolia"));
}

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ZeroAddress } from "ethers";
import { ethers, upgrades } from "hardhat";

import { SESH_TOTAL_SUPPLY } from "../../lib/amount";
import type { RewardRatePool, SESH } from "../../typechain-types";

/** A RewardRatePool behind its transparent proxy, on the real SESH, with the accounts the tests use. */
export interface RewardRatePoolDeployment {
  /** The pool, through its proxy. */
  readonly pool: RewardRatePool;
  readonly poolAddress: string;
  /** The real SESH (deployed even when the pool holds another token). */
  readonly sesh: SESH;
  /** Deployed the pool (its owner) and holds the whole SESH supply. */
  readonly owner: HardhatEthersSigner;
  /** The pool's beneficiary (an account standing for the rewards contract). */
  readonly beneficiary: HardhatEthersSigner;
  /** Any other account. */
  readonly stranger: HardhatEthersSigner;
  /** The block timestamp of the initialization: the release clock's start. */
  readonly startTime: bigint;
}

export interface RewardRatePoolOptions {
  /** The token the pool holds instead of a new SESH (a test double, for re-entrancy tests). */
  readonly token?: string;
}

/**
 * Deploys the real SESH (the whole supply to the owner) and the pool behind a transparent proxy with
 * `initialize(beneficiary, sesh)`, nothing funded. The one place tests deploy the pool: when the Ignition Staking
 * module lands, this function switches to it.
 */
export async function deployRewardRatePool(options: RewardRatePoolOptions = {}): Promise<RewardRatePoolDeployment> {
  const [owner, beneficiary, stranger] = await ethers.getSigners();
  if (owner === undefined || beneficiary === undefined || stranger === undefined) {
    throw new Error("the hardhat network offers fewer than three accounts");
  }
  const sesh = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, owner.address, ZeroAddress, ZeroAddress]);
  const factory = await ethers.getContractFactory("RewardRatePool", owner);
  const token = options.token ?? (await sesh.getAddress());
  const proxy = await upgrades.deployProxy(factory, [beneficiary.address, token], {
    kind: "transparent",
  });
  await proxy.waitForDeployment();
  const poolAddress = await proxy.getAddress();
  const pool = factory.attach(poolAddress) as RewardRatePool;
  const startTime = await pool.lastPaidOutTime();
  return { pool, poolAddress, sesh, owner, beneficiary, stranger, startTime };
}

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ZeroAddress } from "ethers";
import hre, { ethers } from "hardhat";

import { deployStaking, stakingParametersFor } from "../../deploy/staking";
import { SESH_TOTAL_SUPPLY } from "../../lib/amount";
import type { RewardRatePool, SESH } from "../../typechain-types";

/** A RewardRatePool behind its transparent proxy, on the real SESH, with the accounts the tests use. */
export interface RewardRatePoolDeployment {
  /** The pool, through its proxy, connected to the owner. */
  readonly pool: RewardRatePool;
  readonly poolAddress: string;
  /** The rewards contract the Staking module deployed with the pool (its beneficiary until the fixture's change). */
  readonly rewardsAddress: string;
  /** The real SESH (deployed even when the pool holds another token). */
  readonly sesh: SESH;
  /** Deployed the staking set (the pool's owner) and holds the whole SESH supply. */
  readonly owner: HardhatEthersSigner;
  /** The pool's beneficiary (an account standing for the rewards contract). */
  readonly beneficiary: HardhatEthersSigner;
  /** Any other account. */
  readonly stranger: HardhatEthersSigner;
  /** The pool's lastPaidOutTime after the deployment: the block timestamp of the initialization, the clock's start. */
  readonly startTime: bigint;
}

export interface RewardRatePoolOptions {
  /** The token the pool (and the rewards contract) hold instead of the new SESH (a test double, for re-entrancy tests). */
  readonly token?: string;
}

/**
 * Deploys the real SESH (the whole supply to the owner), then the staking set through the Ignition Staking module
 * (deploy/modules/Staking.ts, with the hardhat network's parameters and that SESH or `options.token` as its token): the
 * pool initialised with the owner as a temporary beneficiary, the rewards contract, and the pool's beneficiary set to
 * the rewards contract. The owner then points the pool at the `beneficiary` account, so that the tests see what it
 * pays. Nothing funded. The one place tests deploy the pool.
 */
export async function deployRewardRatePool(options: RewardRatePoolOptions = {}): Promise<RewardRatePoolDeployment> {
  const [owner, beneficiary, stranger] = await ethers.getSigners();
  if (owner === undefined || beneficiary === undefined || stranger === undefined) {
    throw new Error("the hardhat network offers fewer than three accounts");
  }
  const sesh = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, owner.address, ZeroAddress, ZeroAddress]);
  const token = options.token ?? (await sesh.getAddress());
  const staking = await deployStaking(hre, { sesh: token, parameters: stakingParametersFor("hardhat") });
  const pool = staking.pool.connect(owner);
  await (await pool.setBeneficiary(beneficiary.address)).wait();
  const startTime = await pool.lastPaidOutTime();
  return {
    pool,
    poolAddress: staking.poolAddress,
    rewardsAddress: staking.rewardsAddress,
    sesh,
    owner,
    beneficiary,
    stranger,
    startTime,
  };
}

import { ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { ATOMS_PER_SESH, SESH_TOTAL_SUPPLY } from "../lib/amount";
import type { GasSnapshot } from "../lib/gas/snapshot";
import { STAKING_REWARDS_POOL } from "../lib/rewards";

const DAY = 86_400;
/** What the beneficiary holds before the measured payout: one SESH (the rewards contract always holds some). */
const BENEFICIARY_HOLDS = ATOMS_PER_SESH;

/**
 * Gas of the RewardRatePool hot path, as the transaction's gasUsed, through its transparent proxy:
 * - `RewardRatePool.payoutReleased`: a payout one day after the previous payout, from a pool holding the launch
 *   allocation (63,177,550 SESH), to a beneficiary that already holds SESH (no new balance slot), by an account
 *   that is neither the owner nor the beneficiary. The pool's state is warm in no way: every slot is read cold.
 */
export async function measurePoolHotPaths(hre: HardhatRuntimeEnvironment): Promise<GasSnapshot> {
  const { ethers, upgrades } = hre;
  const [owner, beneficiary, caller] = await ethers.getSigners();
  if (owner === undefined || beneficiary === undefined || caller === undefined) {
    throw new Error("the network has fewer than three accounts");
  }
  const sesh = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, owner.address, ZeroAddress, ZeroAddress]);
  const factory = await ethers.getContractFactory("RewardRatePool", owner);
  const pool = await upgrades.deployProxy(factory, [beneficiary.address, await sesh.getAddress()], {
    kind: "transparent",
  });
  await pool.waitForDeployment();
  await (await sesh.transfer(await pool.getAddress(), STAKING_REWARDS_POOL)).wait();
  await (await sesh.transfer(beneficiary.address, BENEFICIARY_HOLDS)).wait();

  const poolAsCaller = pool.connect(caller) as typeof pool;
  await hre.network.provider.send("evm_increaseTime", [DAY]);
  await (await poolAsCaller.getFunction("payoutReleased")()).wait();
  await hre.network.provider.send("evm_increaseTime", [DAY]);
  const receipt = await (await poolAsCaller.getFunction("payoutReleased")()).wait();
  if (receipt === null) throw new Error("the measured payout was not mined");
  return { "RewardRatePool.payoutReleased": Number(receipt.gasUsed) };
}

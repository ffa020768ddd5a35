import { ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { deployStaking, stakingParametersFor } from "../deploy/staking";
import { SESH_TOTAL_SUPPLY } from "../lib/amount";
import { domainTags, rewardMessage } from "../lib/bls";
import { PreconditionError } from "../lib/errors";
import type { GasSnapshot } from "../lib/gas/snapshot";
import { SimulatedNetwork } from "../lib/network";
import { atTime, gasOf } from "./gasRewards";

/**
 * The set of these measurements is deployed at this deployer nonce, so that the addresses of the rewards contract
 * and the vesting contract, and so the hash-to-G2 costs of their messages, are the same every run.
 */
export const VESTING_DEPLOYER_NONCE = 9_000;
/** Nodes seeded before the start: they sign the rewards the vesting contract claims. */
const SIGNERS = 3;
const DAY = 86_400;
/** Credited to the vesting contract, then claimed. */
const REWARDS = 500n * 10n ** 9n;

/**
 * Gas of the investor vesting on the staking set of the hardhat parameters (25,000 SESH):
 * - `TokenVestingStaking.addBLSPublicKey`: the locked SESH stakes a solo node (approve, register, allowance check);
 * - `TokenVestingStaking.contributeFunds`: a public contribution of a quarter to a node the factory opened;
 * - `TokenVestingStaking.claimRewards`: network-credited rewards claimed into the vesting contract;
 * - `TokenVestingStaking.release`: the whole balance to the beneficiary at the end;
 * - `TokenVestingNoStaking.release.first`: the first release, in the linear part after the cliff.
 */
export async function measureVestingHotPaths(hre: HardhatRuntimeEnvironment): Promise<GasSnapshot> {
  const { ethers } = hre;
  const signers = await ethers.getSigners();
  const [owner, beneficiary, operator] = signers;
  if (owner === undefined || beneficiary === undefined || operator === undefined) {
    throw new PreconditionError("the measurement needs 3 accounts");
  }
  const nonce = await owner.getNonce();
  if (nonce > VESTING_DEPLOYER_NONCE) {
    throw new Error(`the deployer's nonce ${nonce} is past ${VESTING_DEPLOYER_NONCE}: raise VESTING_DEPLOYER_NONCE`);
  }
  await hre.network.provider.request({
    method: "hardhat_setNonce",
    params: [owner.address, `0x${VESTING_DEPLOYER_NONCE.toString(16)}`],
  });
  const sesh = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, owner.address, ZeroAddress, ZeroAddress]);
  await sesh.waitForDeployment();
  const staking = await deployStaking(hre, {
    sesh: await sesh.getAddress(),
    parameters: stakingParametersFor("hardhat"),
  });
  const rewards = staking.rewards.connect(owner);
  const requirement = await rewards.stakingRequirement();
  const { chainId } = await ethers.provider.getNetwork();
  const tags = domainTags(chainId, staking.rewardsAddress);

  // The signing network, seeded a day back and started.
  const network = new SimulatedNetwork("gas-vesting", SIGNERS + 1);
  let now = (await ethers.provider.getBlock("latest"))?.timestamp ?? 0;
  const firstId = await rewards.nextServiceNodeID();
  await gasOf(
    rewards.seedPublicKeyList(
      network.nodes.slice(0, SIGNERS).map((node) => ({
        blsPubkey: node.publicKeyStruct,
        ed25519Pubkey: BigInt(4_000_000 + node.index),
        addedTimestamp: BigInt(now - DAY),
        contributors: [{ staker: { addr: owner.address, beneficiary: owner.address }, stakedAmount: requirement }],
      })),
    ),
  );
  network.nodes.slice(0, SIGNERS).forEach((node, index) => {
    network.register(node.index, firstId + BigInt(index));
  });
  await gasOf(sesh.transfer(staking.rewardsAddress, requirement * BigInt(SIGNERS)));
  await gasOf(rewards.start());

  // A staking vesting of two requirements (a solo node and a quarter of another), locked for a year; and one without
  // staking of the same amount, its cliff a month away and its end a year away.
  now = (await ethers.provider.getBlock("latest"))?.timestamp ?? 0;
  const start = now + DAY;
  const end = now + 365 * DAY;
  const vesting = await ethers.deployContract("TokenVestingStaking", [
    beneficiary.address,
    owner.address,
    start,
    end,
    false,
    staking.rewardsAddress,
    staking.factoryAddress,
    await sesh.getAddress(),
  ]);
  await vesting.waitForDeployment();
  const vestingAddress = await vesting.getAddress();
  const plain = await ethers.deployContract("TokenVestingNoStaking", [
    beneficiary.address,
    owner.address,
    now + 30 * DAY,
    end,
    false,
  ]);
  await plain.waitForDeployment();
  await gasOf(sesh.transfer(vestingAddress, requirement * 2n));
  await gasOf(sesh.transfer(await plain.getAddress(), requirement * 2n));

  await atTime(hre, start + 1);
  const stakedNode = network.nodes[SIGNERS];
  if (stakedNode === undefined) throw new Error("no node left for the vesting");
  const ed25519 = 4_100_000n;
  const stakedId = await rewards.nextServiceNodeID();
  const stake = await gasOf(
    vesting
      .connect(beneficiary)
      .addBLSPublicKey(
        stakedNode.publicKeyStruct,
        network.proofOfPossession(stakedNode.index, tags, vestingAddress, ed25519),
        { serviceNodePubkey: ed25519, serviceNodeSignature1: 1n, serviceNodeSignature2: 2n, fee: 0 },
        ZeroAddress,
      ),
  );

  network.register(stakedNode.index, stakedId);

  // A node the factory opened, its operator in for a quarter; the vesting contributes the next quarter.
  const shared = network.nodes[0];
  if (shared === undefined) throw new Error("no network node");
  await gasOf(sesh.transfer(operator.address, requirement));
  const factory = staking.factory.connect(operator);
  const params = { serviceNodePubkey: 4_200_000n, serviceNodeSignature1: 1n, serviceNodeSignature2: 2n, fee: 500 };
  const noProof = { sigs0: 0n, sigs1: 0n, sigs2: 0n, sigs3: 0n };
  const contributionAddress = await factory.deploy.staticCall(shared.publicKeyStruct, noProof, params, [], false);
  await gasOf(factory.deploy(shared.publicKeyStruct, noProof, params, [], false));
  const contribution = await ethers.getContractAt("ServiceNodeContribution", contributionAddress);
  await gasOf(sesh.connect(operator).approve(contributionAddress, requirement / 4n));
  await gasOf(contribution.connect(operator).contributeFunds(requirement / 4n, ZeroAddress));
  const contribute = await gasOf(
    vesting.connect(beneficiary).contributeFunds(contributionAddress, requirement / 4n, ZeroAddress),
  );

  const signed = network.sign(rewardMessage(tags, vestingAddress, REWARDS), tags.hashToG2Tag);
  await gasOf(rewards.updateRewardsBalance(vestingAddress, REWARDS, signed.params, [...signed.nonSignerIds]));
  const claim = await gasOf(vesting.connect(beneficiary)["claimRewards()"]());

  await atTime(hre, now + 180 * DAY);
  const releaseLinear = await gasOf(plain.connect(beneficiary).release(await sesh.getAddress()));
  await atTime(hre, end);
  const release = await gasOf(vesting.connect(beneficiary).release(await sesh.getAddress()));

  return {
    "TokenVestingStaking.addBLSPublicKey": stake,
    "TokenVestingStaking.contributeFunds": contribute,
    "TokenVestingStaking.claimRewards": claim,
    "TokenVestingStaking.release": release,
    "TokenVestingNoStaking.release.first": releaseLinear,
  };
}

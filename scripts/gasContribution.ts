import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { deployStaking, stakingParametersFor, type StakingDeployment } from "../deploy/staking";
import { SESH_TOTAL_SUPPLY } from "../lib/amount";
import {
  domainTags,
  proofOfPossessionMessage,
  publicKeyOf,
  secretKeyFromSeed,
  sign,
  toG1Struct,
  toSignatureParams,
  type DomainTags,
} from "../lib/bls";
import { PreconditionError } from "../lib/errors";
import type { GasSnapshot } from "../lib/gas/snapshot";
import type { SESH, ServiceNodeContribution } from "../typechain-types";
import { gasOf } from "./gasRewards";

/**
 * The staking set of these measurements is deployed at this deployer nonce, so that the rewards contract's address,
 * its domain tags and so the proof of possession's hash-to-G2 cost are the same every run.
 */
export const CONTRIBUTION_DEPLOYER_NONCE = 5_000;
/** Accounts of the measurement: the operator, then the public contributors. */
const ACCOUNTS = 11;
/** Stake each account is given, in atoms (more than a whole requirement). */
const FUNDING = 100_000n * 10n ** 9n;

interface ContributionBench {
  readonly hre: HardhatRuntimeEnvironment;
  readonly staking: StakingDeployment;
  readonly sesh: SESH;
  readonly tags: DomainTags;
  readonly signers: readonly HardhatEthersSigner[];
  readonly requirement: bigint;
}

/** A node's keys and its proof of possession for `operator`. */
function nodeOf(bench: ContributionBench, index: number, operator: string) {
  const secretKey = secretKeyFromSeed("gas contribution", index);
  const key = toG1Struct(publicKeyOf(secretKey));
  const ed25519 = 70_000n + BigInt(index);
  const pop = toSignatureParams(
    sign(secretKey, proofOfPossessionMessage(bench.tags, key, operator, ed25519), bench.tags.hashToG2Tag),
  );
  const params = { serviceNodePubkey: ed25519, serviceNodeSignature1: 1n, serviceNodeSignature2: 2n, fee: 500 };
  return { key, pop, params };
}

async function deployBench(hre: HardhatRuntimeEnvironment): Promise<ContributionBench> {
  const { ethers } = hre;
  const signers = await ethers.getSigners();
  const owner = signers[0];
  if (owner === undefined || signers.length < ACCOUNTS + 1) {
    throw new PreconditionError(`the measurement needs ${ACCOUNTS + 1} accounts`);
  }
  const nonce = await owner.getNonce();
  if (nonce > CONTRIBUTION_DEPLOYER_NONCE) {
    throw new Error(`the deployer's nonce ${nonce} is past ${CONTRIBUTION_DEPLOYER_NONCE}: raise it`);
  }
  await hre.network.provider.request({
    method: "hardhat_setNonce",
    params: [owner.address, `0x${CONTRIBUTION_DEPLOYER_NONCE.toString(16)}`],
  });
  const sesh = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, owner.address, ZeroAddress, ZeroAddress]);
  await sesh.waitForDeployment();
  const staking = await deployStaking(hre, {
    sesh: await sesh.getAddress(),
    parameters: stakingParametersFor("hardhat"),
  });
  await gasOf(staking.rewards.connect(owner).start());
  for (const signer of signers.slice(1, ACCOUNTS + 1)) await gasOf(sesh.transfer(signer.address, FUNDING));
  const { chainId } = await ethers.provider.getNetwork();
  return {
    hre,
    staking,
    sesh,
    tags: domainTags(chainId, staking.rewardsAddress),
    signers: signers.slice(1, ACCOUNTS + 1),
    requirement: await staking.rewards.stakingRequirement(),
  };
}

/** Opens a node (network index `index`) for the bench's operator; returns the gas and the contract. */
async function open(
  bench: ContributionBench,
  index: number,
  reserved: { addr: string; amount: bigint }[],
): Promise<{ gas: number; contract: ServiceNodeContribution }> {
  const operator = bench.signers[0];
  if (operator === undefined) throw new PreconditionError("no operator account");
  const { key, pop, params } = nodeOf(bench, index, operator.address);
  const factory = bench.staking.factory.connect(operator);
  const address = await factory.deploy.staticCall(key, pop, params, reserved, false);
  const gas = await gasOf(factory.deploy(key, pop, params, reserved, false));
  return { gas, contract: await bench.hre.ethers.getContractAt("ServiceNodeContribution", address) };
}

/** `staker` approves and contributes `amount`; returns the contribution's gas. */
async function contribute(
  bench: ContributionBench,
  contract: ServiceNodeContribution,
  staker: HardhatEthersSigner,
  amount: bigint,
): Promise<number> {
  await gasOf(bench.sesh.connect(staker).approve(await contract.getAddress(), amount));
  return gasOf(contract.connect(staker).contributeFunds(amount, ZeroAddress));
}

/**
 * Gas of the contribution contracts, with real keys and proofs of possession on the staking set of the hardhat
 * parameters (25,000 SESH, 10 contributors at most):
 * - `.deploy`: the factory opens a node with no reserved spot; `.deploy.3reserved`: with the operator's and two more;
 * - `.contribute.operatorFirst`, `.contribute.public`: the operator's first contribution, then a public one;
 * - `.contribute.fillAndFinalize.4contributors`: the fourth quarter, which fills the node and registers it
 *   (`addBLSPublicKey` with its proof of possession and four contributors);
 * - `.contribute.fillAndFinalize.10contributors`: the same for a node of ten (the operator's quarter, nine equal
 *   shares of the rest).
 */
export async function measureContributionHotPaths(hre: HardhatRuntimeEnvironment): Promise<GasSnapshot> {
  const bench = await deployBench(hre);
  const { requirement, signers } = bench;
  const operator = signers[0];
  if (operator === undefined) throw new PreconditionError("no operator account");
  const quarter = requirement / 4n;

  const plain = await open(bench, 0, []);
  const reserved = await open(bench, 1, [
    { addr: operator.address, amount: quarter },
    { addr: signers[1]?.address ?? ZeroAddress, amount: quarter },
    { addr: signers[2]?.address ?? ZeroAddress, amount: quarter },
  ]);
  const operatorFirst = await contribute(bench, plain.contract, operator, quarter);
  const contributions: number[] = [];
  for (const staker of signers.slice(1, 4))
    contributions.push(await contribute(bench, plain.contract, staker, quarter));

  const ten = await open(bench, 2, []);
  await contribute(bench, ten.contract, operator, quarter);
  // Each share the minimum the spots left allow (rounded up), the last what remains.
  const share = (requirement - quarter + 8n) / 9n;
  const lastShare = requirement - quarter - share * 8n;
  let fillTen = 0;
  for (const [i, staker] of signers.slice(1, 10).entries())
    fillTen = await contribute(bench, ten.contract, staker, i === 8 ? lastShare : share);

  return {
    "ServiceNodeContribution.deploy": plain.gas,
    "ServiceNodeContribution.deploy.3reserved": reserved.gas,
    "ServiceNodeContribution.contribute.operatorFirst": operatorFirst,
    "ServiceNodeContribution.contribute.public": contributions[0] ?? 0,
    "ServiceNodeContribution.contribute.fillAndFinalize.4contributors": contributions[2] ?? 0,
    "ServiceNodeContribution.contribute.fillAndFinalize.10contributors": fillTen,
  };
}

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { ethers } from "hardhat";

import type { ServiceNodeContribution } from "../../../typechain-types";
import { restoreChainAfterSuite } from "../../helpers/chain";
import { loadStakingFixture, type StakingFixture } from "../../helpers/staking";
import { at, DAY, encodeKey, keyOf, popOf, suiteFixtures } from "../rewards/fixtures";

const { startedFixture } = suiteFixtures();

/** Status numbers (IServiceNodeContribution.Status). */
const STATUS = { WaitForOperatorContrib: 0n, OpenForPublicContrib: 1n, WaitForFinalized: 2n, Finalized: 3n } as const;
const ED25519 = 9_000n;
const FEE = 500;

/** Opens a contribution contract for the network's node 0, operated by staker 0. */
async function open(
  f: StakingFixture,
  reserved: { addr: string; amount: bigint }[] = [],
  manualFinalize = false,
): Promise<ServiceNodeContribution> {
  const operator = at(f.stakers, 0);
  const params = { serviceNodePubkey: ED25519, serviceNodeSignature1: 1n, serviceNodeSignature2: 2n, fee: FEE };
  const pop = popOf(f, 0, operator.address, ED25519);
  const receipt = await (
    await f.factory.connect(operator).deploy(keyOf(f, 0), pop, params, reserved, manualFinalize)
  ).wait();
  const event = receipt?.logs
    .map((log) => f.factory.interface.parseLog(log))
    .find((parsed) => parsed?.name === "NewServiceNodeContributionContract");
  if (event === undefined || event === null) throw new Error("no NewServiceNodeContributionContract event");
  return ethers.getContractAt("ServiceNodeContribution", event.args[0] as string);
}

async function contribute(
  f: StakingFixture,
  contract: ServiceNodeContribution,
  staker: HardhatEthersSigner,
  amount: bigint,
  beneficiary = ZeroAddress,
) {
  await (await f.sesh.connect(staker).approve(await contract.getAddress(), amount)).wait();
  return contract.connect(staker).contributeFunds(amount, beneficiary);
}

describe("ServiceNodeContribution: lifecycle", function () {
  restoreChainAfterSuite();

  it("opens through the factory, which owns it, with the rewards contract's requirement and maximum", async function () {
    const f = await loadStakingFixture(startedFixture);
    const contract = await open(f);
    expect(await f.factory.owns(await contract.getAddress())).to.equal(true);
    expect(await f.factory.deployedContracts(await contract.getAddress())).to.equal(true);
    expect(await f.factory.owns(f.rewardsAddress)).to.equal(false);
    expect(await contract.status()).to.equal(STATUS.WaitForOperatorContrib);
    expect(await contract.operator()).to.equal(at(f.stakers, 0).address);
    expect(await contract.stakingRequirement()).to.equal(f.parameters.stakingRequirement);
    expect(await contract.maxContributors()).to.equal(BigInt(f.parameters.maxContributors));
    expect(await contract.SESH()).to.equal(await f.sesh.getAddress());
    expect(await contract.stakingRewardsContract()).to.equal(f.rewardsAddress);
    const key = keyOf(f, 0);
    expect(await contract.blsPubkey()).to.deep.equal([key.X, key.Y]);
    expect((await contract.serviceNodeParams()).fee).to.equal(BigInt(FEE));
  });

  it("fills with four contributors, finalises at once and registers them with their beneficiaries", async function () {
    const f = await loadStakingFixture(startedFixture);
    const contract = await open(f);
    const quarter = f.parameters.stakingRequirement / 4n;
    const [operator, second, third, fourth] = [0, 1, 2, 3].map((i) => at(f.stakers, i));
    if (!operator || !second || !third || !fourth) throw new Error("accounts");
    await expect(contribute(f, contract, second, quarter))
      .to.be.revertedWithCustomError(contract, "FirstContributionMustBeOperator")
      .withArgs(second.address, operator.address);
    await expect(contribute(f, contract, operator, quarter)).to.emit(contract, "OpenForPublicContribution");
    await contribute(f, contract, second, quarter, at(f.stakers, 7).address);
    await contribute(f, contract, third, quarter);
    await expect(contribute(f, contract, fourth, quarter))
      .to.emit(contract, "Filled")
      .and.to.emit(contract, "Finalized")
      .and.to.emit(f.rewards, "NewServiceNodeV2");
    expect(await contract.status()).to.equal(STATUS.Finalized);
    expect(await f.sesh.balanceOf(await contract.getAddress())).to.equal(0n);
    const id = await f.rewards.serviceNodeIDs(encodeKey(keyOf(f, 0)));
    const node = await f.rewards.serviceNodes(id);
    expect(node.operator).to.equal(operator.address);
    expect(node.deposit).to.equal(f.parameters.stakingRequirement);
    expect(node.contributors.map((c) => [c.staker.addr, c.staker.beneficiary, c.stakedAmount])).to.deep.equal([
      [operator.address, operator.address, quarter],
      [second.address, at(f.stakers, 7).address, quarter],
      [third.address, third.address, quarter],
      [fourth.address, fourth.address, quarter],
    ]);
  });

  it("refunds a contributor after the withdrawal delay, and the operator's withdrawal resets it", async function () {
    const f = await loadStakingFixture(startedFixture);
    const contract = await open(f);
    const quarter = f.parameters.stakingRequirement / 4n;
    const [operator, second] = [at(f.stakers, 0), at(f.stakers, 1)];
    await contribute(f, contract, operator, quarter);
    await contribute(f, contract, second, quarter);
    await expect(contract.connect(second).withdrawContribution()).to.be.revertedWithCustomError(
      contract,
      "WithdrawTooEarly",
    );
    await time.increase(DAY);
    const before = await f.sesh.balanceOf(second.address);
    await expect(contract.connect(second).withdrawContribution())
      .to.emit(contract, "WithdrawContribution")
      .withArgs(second.address, quarter);
    expect(await f.sesh.balanceOf(second.address)).to.equal(before + quarter);
    await expect(contract.connect(operator).withdrawContribution()).to.emit(contract, "Reset");
    expect(await contract.status()).to.equal(STATUS.WaitForOperatorContrib);
    expect(await contract.totalContribution()).to.equal(0n);
    expect(await f.sesh.balanceOf(await contract.getAddress())).to.equal(0n);
  });

  it("keeps a reserved spot for its holder and waits for a manual finalisation", async function () {
    const f = await loadStakingFixture(startedFixture);
    const requirement = f.parameters.stakingRequirement;
    const [operator, reservedHolder, stranger] = [at(f.stakers, 0), at(f.stakers, 1), at(f.stakers, 2)];
    const contract = await open(
      f,
      [
        { addr: operator.address, amount: requirement / 2n },
        { addr: reservedHolder.address, amount: requirement / 2n },
      ],
      true,
    );
    await contribute(f, contract, operator, requirement / 2n);
    // The rest is reserved: a stranger's contribution would take the total past the requirement.
    await expect(contribute(f, contract, stranger, requirement / 4n))
      .to.be.revertedWithCustomError(contract, "ContributionExceedsStakingRequirement")
      .withArgs(requirement / 2n + requirement / 4n, requirement / 2n, requirement);
    await expect(contribute(f, contract, reservedHolder, requirement / 4n))
      .to.be.revertedWithCustomError(contract, "ContributionBelowReservedAmount")
      .withArgs(requirement / 4n, requirement / 2n);
    await expect(contribute(f, contract, reservedHolder, requirement / 2n)).to.emit(contract, "Filled");
    expect(await contract.status()).to.equal(STATUS.WaitForFinalized);
    await expect(contract.connect(stranger).finalize())
      .to.be.revertedWithCustomError(contract, "OnlyOperatorIsAuthorised")
      .withArgs(stranger.address, operator.address);
    await expect(contract.connect(operator).finalize()).to.emit(contract, "Finalized");
    expect(await contract.status()).to.equal(STATUS.Finalized);
  });
});

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  impersonateAccount,
  setBalance,
  stopImpersonatingAccount,
  time,
} from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { ethers } from "hardhat";

import type { ServiceNodeContribution } from "../../../typechain-types";
import { restoreChainAfterSuite } from "../../helpers/chain";
import { loadStakingFixture, type StakingFixture } from "../../helpers/staking";
import { at, DAY, encodeKey, keyOf, popOf, SESH, suiteFixtures } from "../rewards/fixtures";
import {
  contribute,
  contributed,
  ED25519,
  FEE,
  fundedOthers,
  MAX_FEE,
  minimumFor,
  open,
  paramsOf,
  setRewardsMaxContributors,
  type Spot,
  STATUS,
  WITHDRAWAL_DELAY,
} from "./helpers";

const { startedFixture } = suiteFixtures();

/** The fixture, the operator (staker 0), three more stakers, the requirement, its quarter and the maximum. */
async function setup() {
  const f = await loadStakingFixture(startedFixture);
  const requirement = f.parameters.stakingRequirement;
  const max = BigInt(f.parameters.maxContributors);
  return {
    f,
    requirement,
    quarter: requirement / 4n,
    max,
    operator: at(f.stakers, 0),
    a: at(f.stakers, 1),
    b: at(f.stakers, 2),
    c: at(f.stakers, 3),
    stranger: at(f.stakers, 4),
  };
}

/** The factory (its proxy address) as a signer, funded for gas. */
async function factorySigner(f: StakingFixture): Promise<HardhatEthersSigner> {
  await impersonateAccount(f.factoryAddress);
  await setBalance(f.factoryAddress, 10n ** 18n);
  return ethers.getSigner(f.factoryAddress);
}

/** Ten reserved spots summing to the requirement, each at the minimum its place allows; the operator first. */
function tenSpots(operator: string, holders: readonly string[], requirement: bigint, max: bigint): Spot[] {
  const spots: Spot[] = [{ addr: operator, amount: ceilQuarter(requirement) }];
  let remaining = requirement - ceilQuarter(requirement);
  for (let i = 1n; i < max; ++i) {
    const amount = i === max - 1n ? remaining : minimumFor(remaining, i, max);
    spots.push({ addr: at(holders, Number(i) - 1), amount });
    remaining -= amount;
  }
  return spots;
}

function ceilQuarter(x: bigint): bigint {
  return (x + 3n) / 4n;
}

/** What the tests read of a NewServiceNodeV2 event. */
interface NewNode {
  initiator: string;
  fee: bigint;
  ed25519: bigint;
  contributors: { staker: { addr: string }; stakedAmount: bigint }[];
}

/** The NewServiceNodeV2 event of a receipt, parsed by the rewards contract. */
function newNodeEvent(f: StakingFixture, logs: readonly { topics: readonly string[]; data: string }[]): NewNode {
  for (const log of logs) {
    const parsed = f.rewards.interface.parseLog({ topics: [...log.topics], data: log.data });
    if (parsed?.name !== "NewServiceNodeV2") continue;
    const params = parsed.args.getValue("serviceNode") as { fee: bigint; serviceNodePubkey: bigint };
    return {
      initiator: parsed.args.getValue("initiator") as string,
      fee: params.fee,
      ed25519: params.serviceNodePubkey,
      contributors: parsed.args.getValue("contributors") as NewNode["contributors"],
    };
  }
  throw new Error("no NewServiceNodeV2 event");
}

/** Names of the events a contract emitted in a receipt, in order. */
function eventNames(
  contract: ServiceNodeContribution,
  logs: readonly { topics: readonly string[]; data: string; address: string }[],
  address: string,
) {
  return logs
    .filter((log) => log.address.toLowerCase() === address.toLowerCase())
    .map((log) => contract.interface.parseLog({ topics: [...log.topics], data: log.data })?.name);
}

describe("ServiceNodeContribution", function () {
  restoreChainAfterSuite();

  describe("#initialize", function () {
    it("reverts OnlyFactoryInitializes(caller, factory) if the caller is not the factory", async function () {
      const { f, operator } = await setup();
      const contract = await open(f);
      await expect(contract.connect(operator).initialize(0, [], false))
        .to.be.revertedWithCustomError(contract, "OnlyFactoryInitializes")
        .withArgs(operator.address, f.factoryAddress);
    });

    it("reverts AlreadyInitialized if the factory calls it again, and changes nothing", async function () {
      const { f } = await setup();
      const contract = await open(f, { manualFinalize: true });
      const factory = await factorySigner(f);
      await expect(contract.connect(factory).initialize(0, [], false)).to.be.revertedWithCustomError(
        contract,
        "AlreadyInitialized",
      );
      await stopImpersonatingAccount(f.factoryAddress);
      expect((await contract.serviceNodeParams()).fee).to.equal(BigInt(FEE));
      expect(await contract.manualFinalize()).to.equal(true);
    });

    it("reverts AlreadyInitialized on the implementation (IMPLEMENTATION), even from the factory", async function () {
      const { f } = await setup();
      const implementation = await ethers.getContractAt("ServiceNodeContribution", await f.factory.IMPLEMENTATION());
      const factory = await factorySigner(f);
      await expect(implementation.connect(factory).initialize(0, [], false)).to.be.revertedWithCustomError(
        implementation,
        "AlreadyInitialized",
      );
      await stopImpersonatingAccount(f.factoryAddress);
    });

    it("leaves the implementation unable to take a contribution", async function () {
      const { f, operator, quarter } = await setup();
      const implementation = await ethers.getContractAt("ServiceNodeContribution", await f.factory.IMPLEMENTATION());
      await (await f.sesh.connect(operator).approve(await implementation.getAddress(), quarter)).wait();
      await expect(implementation.connect(operator).contributeFunds(quarter, ZeroAddress)).to.be.reverted;
      expect(await f.sesh.balanceOf(await implementation.getAddress())).to.equal(0n);
    });
  });

  describe("#contributeFunds", function () {
    it("reverts FirstContributionMustBeOperator(contributor, operator) if the public contributes first", async function () {
      const { f, operator, a, quarter } = await setup();
      const contract = await open(f);
      await expect(contribute(f, contract, a, quarter))
        .to.be.revertedWithCustomError(contract, "FirstContributionMustBeOperator")
        .withArgs(a.address, operator.address);
    });

    it("reverts ContributeFundsNotPossible(2) once filled and waiting for a manual finalisation", async function () {
      const { f, operator, a, requirement } = await setup();
      const contract = await open(f, { manualFinalize: true });
      await contributed(f, contract, operator, requirement);
      await expect(contribute(f, contract, a, 1n))
        .to.be.revertedWithCustomError(contract, "ContributeFundsNotPossible")
        .withArgs(STATUS.WaitForFinalized);
      await expect(contribute(f, contract, operator, 1n))
        .to.be.revertedWithCustomError(contract, "ContributeFundsNotPossible")
        .withArgs(STATUS.WaitForFinalized);
    });

    it("reverts ContributeFundsNotPossible(3) once finalised", async function () {
      const { f, operator, a, requirement } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, requirement);
      expect(await contract.status()).to.equal(STATUS.Finalized);
      await expect(contribute(f, contract, a, 1n))
        .to.be.revertedWithCustomError(contract, "ContributeFundsNotPossible")
        .withArgs(STATUS.Finalized);
    });

    it("reverts RewardsContractStakingRequirementChanged(old, new) after the owner changes the requirement", async function () {
      const { f, operator, a, quarter, requirement } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      const changed = requirement + SESH;
      await (await f.rewards.connect(f.owner).setStakingRequirement(changed)).wait();
      await expect(contribute(f, contract, a, quarter))
        .to.be.revertedWithCustomError(contract, "RewardsContractStakingRequirementChanged")
        .withArgs(requirement, changed);
      // The operator's top-up too: every contribution checks it.
      await expect(contribute(f, contract, operator, 1n))
        .to.be.revertedWithCustomError(contract, "RewardsContractStakingRequirementChanged")
        .withArgs(requirement, changed);
      // Changed back, it works again.
      await (await f.rewards.connect(f.owner).setStakingRequirement(requirement)).wait();
      await expect(contribute(f, contract, a, quarter)).to.emit(contract, "NewContribution");
    });

    it("reverts RewardsContractMaxContributorsChanged(old, new) if the rewards contract's maximum changed", async function () {
      // No function of the rewards contract changes maxContributors (initialize sets it; only an upgrade could):
      // the test writes it into the rewards contract's storage.
      const { f, operator, max, quarter } = await setup();
      const contract = await open(f);
      await setRewardsMaxContributors(f, Number(max) - 1);
      expect(await f.rewards.maxContributors()).to.equal(max - 1n);
      await expect(contribute(f, contract, operator, quarter))
        .to.be.revertedWithCustomError(contract, "RewardsContractMaxContributorsChanged")
        .withArgs(max, max - 1n);
    });

    it("checks the staking requirement before the maximum contributors, both after the operator check", async function () {
      const { f, operator, a, max, quarter, requirement } = await setup();
      const contract = await open(f);
      await setRewardsMaxContributors(f, Number(max) - 1);
      await (await f.rewards.connect(f.owner).setStakingRequirement(requirement * 2n)).wait();
      await expect(contribute(f, contract, a, quarter))
        .to.be.revertedWithCustomError(contract, "FirstContributionMustBeOperator")
        .withArgs(a.address, operator.address);
      await expect(contribute(f, contract, operator, quarter))
        .to.be.revertedWithCustomError(contract, "RewardsContractStakingRequirementChanged")
        .withArgs(requirement, requirement * 2n);
    });

    it("reverts ZeroContribution for a first contribution or a top-up of zero", async function () {
      const { f, operator, a, quarter } = await setup();
      const contract = await open(f);
      await expect(contribute(f, contract, operator, 0n)).to.be.revertedWithCustomError(contract, "ZeroContribution");
      await contributed(f, contract, operator, quarter);
      await expect(contribute(f, contract, operator, 0n)).to.be.revertedWithCustomError(contract, "ZeroContribution");
      await expect(contribute(f, contract, a, 0n)).to.be.revertedWithCustomError(contract, "ZeroContribution");
    });

    it("reverts ContributionBelowMinAmount(amount, min) if the operator offers less than a quarter", async function () {
      const { f, operator, requirement } = await setup();
      const contract = await open(f);
      const min = ceilQuarter(requirement);
      await expect(contribute(f, contract, operator, min - 1n))
        .to.be.revertedWithCustomError(contract, "ContributionBelowMinAmount")
        .withArgs(min - 1n, min);
      await expect(contribute(f, contract, operator, min)).to.emit(contract, "OpenForPublicContribution");
    });

    it("reverts ContributionBelowMinAmount(amount, min) if a new contributor offers less than the minimum", async function () {
      const { f, operator, a, max, quarter, requirement } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      const min = minimumFor(requirement - quarter, 1n, max);
      expect(await contract.minimumContribution()).to.equal(min);
      await expect(contribute(f, contract, a, min - 1n))
        .to.be.revertedWithCustomError(contract, "ContributionBelowMinAmount")
        .withArgs(min - 1n, min);
      await expect(contribute(f, contract, a, min))
        .to.emit(contract, "NewContribution")
        .withArgs(a.address, a.address, min);
    });

    it("reverts ContributionBelowReservedAmount(amount, reserved) if a holder offers less than its reservation", async function () {
      const { f, operator, a, quarter, requirement } = await setup();
      const reserved = [
        { addr: operator.address, amount: requirement / 2n },
        { addr: a.address, amount: quarter },
      ];
      const contract = await open(f, { reserved });
      await expect(contribute(f, contract, operator, requirement / 2n - 1n))
        .to.be.revertedWithCustomError(contract, "ContributionBelowReservedAmount")
        .withArgs(requirement / 2n - 1n, requirement / 2n);
      await contributed(f, contract, operator, requirement / 2n);
      await expect(contribute(f, contract, a, quarter - 1n))
        .to.be.revertedWithCustomError(contract, "ContributionBelowReservedAmount")
        .withArgs(quarter - 1n, quarter);
    });

    it("lets a holder contribute more than its reservation, within what the other reservations leave", async function () {
      const { f, operator, a, quarter, requirement } = await setup();
      const contract = await open(f, {
        reserved: [
          { addr: operator.address, amount: quarter },
          { addr: a.address, amount: quarter },
        ],
      });
      await contributed(f, contract, operator, quarter);
      // total 3/4 + the quarter of a's reservation taken: 0 unfilled.
      await expect(contribute(f, contract, a, requirement))
        .to.be.revertedWithCustomError(contract, "ContributionExceedsStakingRequirement")
        .withArgs(quarter + requirement, 0n, requirement);
      await expect(contribute(f, contract, a, requirement / 2n)).to.emit(contract, "NewContribution");
      expect(await contract.totalReservedContribution()).to.equal(0n);
      expect(await contract.reservedContributions(a.address)).to.deep.equal([quarter, true]);
    });

    it("reverts MaxContributorsExceeded(max) if every spot is reserved", async function () {
      const { f, operator, stranger, max, requirement } = await setup();
      const holders = (await ethers.getSigners()).slice(1, 10).map((s) => s.address);
      const spots = tenSpots(operator.address, holders, requirement, max);
      const contract = await open(f, { reserved: spots });
      await contributed(f, contract, operator, at(spots, 0).amount);
      await expect(contribute(f, contract, stranger, SESH))
        .to.be.revertedWithCustomError(contract, "MaxContributorsExceeded")
        .withArgs(max);
    });

    it("reverts MaxContributorsExceeded(max) with nine contributors and one spot reserved for a tenth", async function () {
      const { f, operator, stranger, max, requirement } = await setup();
      const others = await fundedOthers(f, 9, requirement);
      const holder = at(others, 8);
      const operatorShare = ceilQuarter(requirement);
      const reservation = minimumFor(requirement - operatorShare, 1n, max);
      const contract = await open(f, {
        reserved: [
          { addr: operator.address, amount: operatorShare },
          { addr: holder.address, amount: reservation },
        ],
      });
      await contributed(f, contract, operator, operatorShare);
      for (const other of others.slice(0, 8))
        await contributed(f, contract, other, await contract.minimumContribution());
      expect(await contract.contributorAddressesLength()).to.equal(max - 1n);
      await expect(contribute(f, contract, stranger, SESH))
        .to.be.revertedWithCustomError(contract, "MaxContributorsExceeded")
        .withArgs(max);
      // The holder takes the tenth spot and fills the node.
      expect(requirement - (await contract.totalContribution())).to.equal(reservation);
      await expect(contribute(f, contract, holder, reservation)).to.emit(contract, "Finalized");
    });

    it("checks the spots before the minimum: MaxContributorsExceeded for a contribution below it", async function () {
      const { f, operator, stranger, max, requirement } = await setup();
      const holders = (await ethers.getSigners()).slice(1, 10).map((s) => s.address);
      const spots = tenSpots(operator.address, holders, requirement, max);
      const contract = await open(f, { reserved: spots });
      await contributed(f, contract, operator, at(spots, 0).amount);
      await expect(contribute(f, contract, stranger, 1n))
        .to.be.revertedWithCustomError(contract, "MaxContributorsExceeded")
        .withArgs(max);
    });

    it("reverts ContributionExceedsStakingRequirement(total, reservedUnfilled, requirement) past the requirement", async function () {
      const { f, operator, a, b, quarter, requirement } = await setup();
      const contract = await open(f, {
        reserved: [
          { addr: operator.address, amount: quarter },
          { addr: b.address, amount: quarter },
        ],
      });
      await contributed(f, contract, operator, quarter);
      const tooMuch = requirement / 2n + 1n;
      await expect(contribute(f, contract, a, tooMuch))
        .to.be.revertedWithCustomError(contract, "ContributionExceedsStakingRequirement")
        .withArgs(quarter + tooMuch, quarter, requirement);
      // The operator's top-up too.
      await expect(contribute(f, contract, operator, tooMuch))
        .to.be.revertedWithCustomError(contract, "ContributionExceedsStakingRequirement")
        .withArgs(quarter + tooMuch, quarter, requirement);
      expect(await contract.totalContribution()).to.equal(quarter);
    });

    it("takes a top-up of any positive amount (no minimum) and restarts the contributor's clock", async function () {
      const { f, operator, a, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, quarter);
      const before = await contract.contributionTimestamp(a.address);
      await time.increase(DAY);
      await expect(contribute(f, contract, a, 1n))
        .to.emit(contract, "NewContribution")
        .withArgs(a.address, a.address, 1n);
      expect(await contract.contributions(a.address)).to.equal(quarter + 1n);
      expect(await contract.contributionTimestamp(a.address)).to.equal(BigInt(await time.latest()));
      expect(await contract.contributionTimestamp(a.address)).to.be.greaterThan(before);
      expect(await contract.contributorAddressesLength()).to.equal(2n);
      expect(await contract.totalContribution()).to.equal(2n * quarter + 1n);
    });

    it("keeps the recorded beneficiary on a top-up with beneficiary 0 (production reset it to the contributor)", async function () {
      const { f, operator, a, b, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter, b.address);
      await contributed(f, contract, a, quarter, b.address);
      await expect(contribute(f, contract, a, 1n))
        .to.emit(contract, "NewContribution")
        .withArgs(a.address, b.address, 1n);
      await expect(contribute(f, contract, operator, 1n))
        .to.emit(contract, "NewContribution")
        .withArgs(operator.address, b.address, 1n);
      const [addrs, beneficiaries] = await contract.getContributions();
      expect(addrs).to.deep.equal([operator.address, a.address]);
      expect(beneficiaries).to.deep.equal([b.address, b.address]);
    });

    it("changes the beneficiary on a top-up that names one", async function () {
      const { f, operator, a, b, c, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, quarter, b.address);
      await expect(contribute(f, contract, a, 1n, c.address))
        .to.emit(contract, "NewContribution")
        .withArgs(a.address, c.address, 1n);
      expect(await contract.contributorAddresses(1)).to.deep.equal([a.address, c.address]);
      // Naming itself clears it.
      await contributed(f, contract, a, 1n, a.address);
      expect(await contract.contributorAddresses(1)).to.deep.equal([a.address, a.address]);
    });

    it("emits NewContribution and OpenForPublicContribution for the operator's first contribution only", async function () {
      const { f, operator, a, quarter } = await setup();
      const contract = await open(f);
      const first = await contribute(f, contract, operator, quarter);
      await expect(first).to.emit(contract, "NewContribution").withArgs(operator.address, operator.address, quarter);
      await expect(first).to.emit(contract, "OpenForPublicContribution");
      expect(await contract.status()).to.equal(STATUS.OpenForPublicContrib);
      const second = await contribute(f, contract, a, quarter, operator.address);
      await expect(second).to.emit(contract, "NewContribution").withArgs(a.address, operator.address, quarter);
      await expect(second).not.to.emit(contract, "OpenForPublicContribution");
      await expect(contribute(f, contract, operator, 1n)).not.to.emit(contract, "OpenForPublicContribution");
    });

    it("moves the SESH from the contributor to the contract", async function () {
      const { f, operator, quarter } = await setup();
      const contract = await open(f);
      await (await f.sesh.connect(operator).approve(await contract.getAddress(), quarter)).wait();
      await expect(contract.connect(operator).contributeFunds(quarter, ZeroAddress)).to.changeTokenBalances(
        f.sesh,
        [operator, contract],
        [-quarter, quarter],
      );
    });

    it("emits Filled then Finalized on the contribution that reaches the requirement, and registers the node", async function () {
      const { f, operator, a, quarter, requirement } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      const receipt = await contributed(f, contract, a, requirement - quarter);
      const names = eventNames(contract, receipt?.logs ?? [], await contract.getAddress());
      expect(names).to.deep.equal(["NewContribution", "Filled", "Finalized"]);
      expect(await contract.status()).to.equal(STATUS.Finalized);
      expect(await f.rewards.serviceNodeIDs(encodeKey(keyOf(f, 0)))).to.not.equal(0n);
    });

    it("emits NewContribution, OpenForPublicContribution, Filled and Finalized when the operator fills alone", async function () {
      const { f, operator, requirement } = await setup();
      const contract = await open(f);
      const receipt = await contributed(f, contract, operator, requirement);
      expect(eventNames(contract, receipt?.logs ?? [], await contract.getAddress())).to.deep.equal([
        "NewContribution",
        "OpenForPublicContribution",
        "Filled",
        "Finalized",
      ]);
      expect(newNodeEvent(f, receipt?.logs ?? []).contributors.map((c) => c.stakedAmount)).to.deep.equal([requirement]);
    });

    it("takes a reserved holder's zero as ZeroContribution, before its reservation", async function () {
      const { f, operator, a, quarter } = await setup();
      const contract = await open(f, {
        reserved: [
          { addr: operator.address, amount: quarter },
          { addr: a.address, amount: quarter },
        ],
      });
      await contributed(f, contract, operator, quarter);
      await expect(contribute(f, contract, a, 0n)).to.be.revertedWithCustomError(contract, "ZeroContribution");
    });

    it("emits Filled but not Finalized with manual finalisation, and waits", async function () {
      const { f, operator, requirement } = await setup();
      const contract = await open(f, { manualFinalize: true });
      const tx = contribute(f, contract, operator, requirement);
      await expect(tx).to.emit(contract, "Filled");
      await expect(tx).not.to.emit(contract, "Finalized");
      expect(await contract.status()).to.equal(STATUS.WaitForFinalized);
      expect(await f.sesh.balanceOf(await contract.getAddress())).to.equal(requirement);
    });

    it("fills with ten contributors at their minimums and registers all ten in order", async function () {
      const { f, operator, max, requirement } = await setup();
      const others = await fundedOthers(f, 9, requirement);
      const contract = await open(f);
      await contributed(f, contract, operator, ceilQuarter(requirement));
      let receipt = null;
      for (const other of others) receipt = await contributed(f, contract, other, await contract.minimumContribution());
      expect(await contract.status()).to.equal(STATUS.Finalized);
      const event = newNodeEvent(f, receipt?.logs ?? []);
      const contributors = event.contributors;
      expect(contributors.map((c) => c.staker.addr)).to.deep.equal([operator.address, ...others.map((o) => o.address)]);
      expect(BigInt(contributors.length)).to.equal(max);
      expect(contributors.reduce((sum, c) => sum + c.stakedAmount, 0n)).to.equal(requirement);
      await expect(contract.minimumContribution())
        .to.be.revertedWithCustomError(contract, "CalcMinContributionGivenBadContribArgs")
        .withArgs(max, max);
    });
  });

  describe("#withdrawContribution", function () {
    it("reverts WithdrawNotPossible(3) once finalised, for a contributor and the operator", async function () {
      const { f, operator, a, quarter, requirement } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, requirement - quarter);
      await time.increase(DAY);
      await expect(contract.connect(a).withdrawContribution())
        .to.be.revertedWithCustomError(contract, "WithdrawNotPossible")
        .withArgs(STATUS.Finalized);
      await expect(contract.connect(operator).withdrawContribution())
        .to.be.revertedWithCustomError(contract, "WithdrawNotPossible")
        .withArgs(STATUS.Finalized);
    });

    it("reverts WithdrawalByNonContributor(caller) for a caller with nothing contributed", async function () {
      const { f, operator, stranger, quarter } = await setup();
      const contract = await open(f);
      await expect(contract.connect(operator).withdrawContribution())
        .to.be.revertedWithCustomError(contract, "WithdrawalByNonContributor")
        .withArgs(operator.address);
      await contributed(f, contract, operator, quarter);
      await expect(contract.connect(stranger).withdrawContribution())
        .to.be.revertedWithCustomError(contract, "WithdrawalByNonContributor")
        .withArgs(stranger.address);
    });

    it("reverts WithdrawTooEarly(t, now, 86400) one second before a day has passed, and refunds at a day", async function () {
      const { f, operator, a, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, quarter);
      const t = await contract.contributionTimestamp(a.address);
      await time.setNextBlockTimestamp(t + WITHDRAWAL_DELAY - 1n);
      await expect(contract.connect(a).withdrawContribution())
        .to.be.revertedWithCustomError(contract, "WithdrawTooEarly")
        .withArgs(t, t + WITHDRAWAL_DELAY - 1n, WITHDRAWAL_DELAY);
      await time.setNextBlockTimestamp(t + WITHDRAWAL_DELAY);
      const tx = contract.connect(a).withdrawContribution();
      await expect(tx).to.emit(contract, "WithdrawContribution").withArgs(a.address, quarter);
      await expect(tx).to.changeTokenBalances(f.sesh, [a, contract], [quarter, -quarter]);
      expect(await contract.contributions(a.address)).to.equal(0n);
      expect(await contract.contributionTimestamp(a.address)).to.equal(0n);
      expect(await contract.totalContribution()).to.equal(quarter);
      expect(await contract.contributorAddressesLength()).to.equal(1n);
    });

    it("measures the delay from the last contribution (a top-up restarts it)", async function () {
      const { f, operator, a, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, quarter);
      await time.increase(DAY - 10n);
      await contributed(f, contract, a, 1n);
      const t = await contract.contributionTimestamp(a.address);
      await time.increase(20n);
      await expect(contract.connect(a).withdrawContribution())
        .to.be.revertedWithCustomError(contract, "WithdrawTooEarly")
        .withArgs(t, t + 21n, WITHDRAWAL_DELAY);
    });

    it("moves the last contributor into the leaver's place", async function () {
      const { f, operator, a, b, c, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, quarter / 2n, operator.address);
      await contributed(f, contract, b, quarter);
      await contributed(f, contract, c, quarter / 2n, b.address);
      await time.increase(DAY);
      await (await contract.connect(a).withdrawContribution()).wait();
      expect(await contract.getContributions()).to.deep.equal([
        [operator.address, c.address, b.address],
        [operator.address, b.address, b.address],
        [quarter, quarter / 2n, quarter],
      ]);
      expect(await contract.contributorAddresses(1)).to.deep.equal([c.address, b.address]);
      await expect(contract.contributorAddresses(3))
        .to.be.revertedWithCustomError(contract, "IndexOutOfRange")
        .withArgs(3n, 3n);
      // The one that moved can still leave (its index was updated), and the last one leaves without a swap.
      await (await contract.connect(c).withdrawContribution()).wait();
      expect((await contract.getContributions())[0]).to.deep.equal([operator.address, b.address]);
      await (await contract.connect(b).withdrawContribution()).wait();
      expect((await contract.getContributions())[0]).to.deep.equal([operator.address]);
    });

    it("forgets the leaver's beneficiary: a new contribution starts with the caller's", async function () {
      const { f, operator, a, b, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, quarter, b.address);
      await time.increase(DAY);
      await (await contract.connect(a).withdrawContribution()).wait();
      await expect(contribute(f, contract, a, quarter))
        .to.emit(contract, "NewContribution")
        .withArgs(a.address, a.address, quarter);
    });

    it("reopens a reserved holder's spot to its holder", async function () {
      const { f, operator, a, quarter } = await setup();
      const contract = await open(f, {
        reserved: [
          { addr: operator.address, amount: quarter },
          { addr: a.address, amount: quarter },
        ],
      });
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, quarter);
      expect(await contract.totalReservedContribution()).to.equal(0n);
      await time.increase(DAY);
      await (await contract.connect(a).withdrawContribution()).wait();
      expect(await contract.getReserved()).to.deep.equal([
        [operator.address, a.address],
        [quarter, quarter],
        [true, false],
      ]);
      expect(await contract.reservedContributions(a.address)).to.deep.equal([quarter, false]);
      expect(await contract.totalReservedContribution()).to.equal(quarter);
      await expect(contribute(f, contract, a, quarter - 1n))
        .to.be.revertedWithCustomError(contract, "ContributionBelowReservedAmount")
        .withArgs(quarter - 1n, quarter);
      await expect(contribute(f, contract, a, quarter)).to.emit(contract, "NewContribution");
    });

    it("reopens a filled node waiting for a manual finalisation (status 1)", async function () {
      const { f, operator, a, quarter, requirement } = await setup();
      const contract = await open(f, { manualFinalize: true });
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, requirement - quarter);
      expect(await contract.status()).to.equal(STATUS.WaitForFinalized);
      await time.increase(DAY);
      await (await contract.connect(a).withdrawContribution()).wait();
      expect(await contract.status()).to.equal(STATUS.OpenForPublicContrib);
      await expect(contract.connect(operator).finalize())
        .to.be.revertedWithCustomError(contract, "FinalizeNotPossible")
        .withArgs(STATUS.OpenForPublicContrib);
    });

    it("resets on the operator's withdrawal, at once: everyone refunded, Reset emitted", async function () {
      const { f, operator, a, b, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, quarter);
      await contributed(f, contract, b, quarter / 2n);
      const tx = contract.connect(operator).withdrawContribution();
      await expect(tx).to.changeTokenBalances(
        f.sesh,
        [operator, a, b, contract],
        [quarter, quarter, quarter / 2n, -(2n * quarter + quarter / 2n)],
      );
      await expect(tx).to.emit(contract, "Reset");
      await expect(tx).to.emit(contract, "WithdrawContribution").withArgs(a.address, quarter);
      await expect(tx)
        .to.emit(contract, "WithdrawContribution")
        .withArgs(b.address, quarter / 2n);
      expect(await contract.status()).to.equal(STATUS.WaitForOperatorContrib);
      expect(await contract.contributorAddressesLength()).to.equal(0n);
      expect(await contract.totalContribution()).to.equal(0n);
      expect(await contract.operatorContribution()).to.equal(0n);
    });
  });

  describe("#finalize", function () {
    it("reverts OnlyOperatorIsAuthorised(caller, operator) for anyone else", async function () {
      const { f, operator, a, requirement } = await setup();
      const contract = await open(f, { manualFinalize: true });
      await contributed(f, contract, operator, requirement);
      await expect(contract.connect(a).finalize())
        .to.be.revertedWithCustomError(contract, "OnlyOperatorIsAuthorised")
        .withArgs(a.address, operator.address);
    });

    it("reverts FinalizeNotPossible(status) unless filled and waiting", async function () {
      const { f, operator, quarter } = await setup();
      const contract = await open(f, { manualFinalize: true });
      await expect(contract.connect(operator).finalize())
        .to.be.revertedWithCustomError(contract, "FinalizeNotPossible")
        .withArgs(STATUS.WaitForOperatorContrib);
      await contributed(f, contract, operator, quarter);
      await expect(contract.connect(operator).finalize())
        .to.be.revertedWithCustomError(contract, "FinalizeNotPossible")
        .withArgs(STATUS.OpenForPublicContrib);
      await contributed(f, contract, operator, f.parameters.stakingRequirement - quarter);
      await (await contract.connect(operator).finalize()).wait();
      await expect(contract.connect(operator).finalize())
        .to.be.revertedWithCustomError(contract, "FinalizeNotPossible")
        .withArgs(STATUS.Finalized);
    });

    it("registers the node with its contributors in order, their beneficiaries, amounts and the fee", async function () {
      const { f, operator, a, b, c, quarter, requirement } = await setup();
      const contract = await open(f, { manualFinalize: true, fee: 1_234 });
      await contributed(f, contract, operator, quarter, c.address);
      await contributed(f, contract, a, quarter);
      await contributed(f, contract, b, requirement / 2n, operator.address);
      const tx = contract.connect(operator).finalize();
      await expect(tx).to.emit(contract, "Finalized");
      await expect(tx).to.changeTokenBalances(f.sesh, [contract, f.rewardsAddress], [-requirement, requirement]);
      const receipt = await (await tx).wait();
      const event = newNodeEvent(f, receipt?.logs ?? []);
      expect(event.initiator).to.equal(await contract.getAddress());
      expect(event.fee).to.equal(1_234n);
      expect(event.ed25519).to.equal(ED25519);
      const id = await f.rewards.serviceNodeIDs(encodeKey(keyOf(f, 0)));
      const node = await f.rewards.serviceNodes(id);
      expect(node.operator).to.equal(operator.address);
      expect(node.deposit).to.equal(requirement);
      expect(node.ed25519Pubkey).to.equal(ED25519);
      expect(node.contributors.map((x) => [x.staker.addr, x.staker.beneficiary, x.stakedAmount])).to.deep.equal([
        [operator.address, c.address, quarter],
        [a.address, a.address, quarter],
        [b.address, operator.address, requirement / 2n],
      ]);
      expect(await contract.status()).to.equal(STATUS.Finalized);
      expect(await f.sesh.allowance(await contract.getAddress(), f.rewardsAddress)).to.equal(0n);
    });

    it("reverts the rewards contract's InvalidBLSProofOfPossession for a proof made for another operator", async function () {
      const { f, operator, a, quarter, requirement } = await setup();
      const pop = popOf(f, 0, a.address, ED25519);
      const contract = await open(f, { manualFinalize: true, pop });
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, requirement - quarter);
      await expect(contract.connect(operator).finalize()).to.be.revertedWithCustomError(
        f.rewards,
        "InvalidBLSProofOfPossession",
      );
      expect(await contract.status()).to.equal(STATUS.WaitForFinalized);
      // The contributors are not stuck: they withdraw after the delay.
      await time.increase(DAY);
      await expect(contract.connect(a).withdrawContribution()).to.changeTokenBalance(f.sesh, a, requirement - quarter);
      await expect(contract.connect(operator).withdrawContribution()).to.changeTokenBalance(f.sesh, operator, quarter);
      expect(await f.sesh.balanceOf(await contract.getAddress())).to.equal(0n);
    });

    it("reverts the filling contribution with InvalidBLSProofOfPossession when it finalises at once", async function () {
      const { f, operator, a, quarter, requirement } = await setup();
      const contract = await open(f, { pop: popOf(f, 0, a.address, ED25519) });
      await contributed(f, contract, operator, quarter);
      await expect(contribute(f, contract, a, requirement - quarter)).to.be.revertedWithCustomError(
        f.rewards,
        "InvalidBLSProofOfPossession",
      );
      expect(await contract.status()).to.equal(STATUS.OpenForPublicContrib);
      expect(await contract.totalContribution()).to.equal(quarter);
    });
  });

  describe("#reset", function () {
    it("reverts OnlyOperatorIsAuthorised(caller, operator) for anyone else", async function () {
      const { f, operator, a } = await setup();
      const contract = await open(f);
      await expect(contract.connect(a).reset())
        .to.be.revertedWithCustomError(contract, "OnlyOperatorIsAuthorised")
        .withArgs(a.address, operator.address);
    });

    it("refunds everyone, keeps the keys, fee and reservations, and waits for the operator", async function () {
      const { f, operator, a, b, quarter } = await setup();
      const reserved = [
        { addr: operator.address, amount: quarter },
        { addr: a.address, amount: quarter },
      ];
      const contract = await open(f, { reserved, manualFinalize: true });
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, quarter, b.address);
      await contributed(f, contract, b, quarter);
      const tx = contract.connect(operator).reset();
      await expect(tx).to.emit(contract, "Reset");
      await expect(tx).to.emit(contract, "WithdrawContribution").withArgs(operator.address, quarter);
      await expect(tx).to.emit(contract, "WithdrawContribution").withArgs(a.address, quarter);
      await expect(tx).to.emit(contract, "WithdrawContribution").withArgs(b.address, quarter);
      await expect(tx).to.changeTokenBalances(
        f.sesh,
        [operator, a, b, contract],
        [quarter, quarter, quarter, -3n * quarter],
      );
      expect(await contract.status()).to.equal(STATUS.WaitForOperatorContrib);
      expect(await contract.getContributions()).to.deep.equal([[], [], []]);
      expect(await contract.getReserved()).to.deep.equal([
        [operator.address, a.address],
        [quarter, quarter],
        [false, false],
      ]);
      expect(await contract.totalReservedContribution()).to.equal(2n * quarter);
      expect(await contract.manualFinalize()).to.equal(true);
      expect((await contract.serviceNodeParams()).fee).to.equal(BigInt(FEE));
      expect(await contract.blsPubkey()).to.deep.equal([keyOf(f, 0).X, keyOf(f, 0).Y]);
      // The public must wait for the operator again.
      await expect(contribute(f, contract, a, quarter))
        .to.be.revertedWithCustomError(contract, "FirstContributionMustBeOperator")
        .withArgs(a.address, operator.address);
    });

    it("emits Reset alone when nobody contributed", async function () {
      const { f, operator } = await setup();
      const contract = await open(f);
      const receipt = await (await contract.connect(operator).reset()).wait();
      expect(eventNames(contract, receipt?.logs ?? [], await contract.getAddress())).to.deep.equal(["Reset"]);
    });

    it("clears the contributors without a refund once finalised, and waits for the operator", async function () {
      const { f, operator, a, quarter, requirement } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, requirement - quarter);
      const tx = contract.connect(operator).reset();
      await expect(tx).to.emit(contract, "Reset");
      await expect(tx).not.to.emit(contract, "WithdrawContribution");
      await expect(tx).to.changeTokenBalances(f.sesh, [operator, a], [0n, 0n]);
      expect(await contract.status()).to.equal(STATUS.WaitForOperatorContrib);
      expect(await contract.contributorAddressesLength()).to.equal(0n);
      expect(await contract.totalContribution()).to.equal(0n);
    });
  });

  describe("#resetUpdateAndContribute", function () {
    it("reverts OnlyOperatorIsAuthorised(caller, operator) for anyone else", async function () {
      const { f, operator, a, quarter } = await setup();
      const contract = await open(f);
      await expect(
        contract
          .connect(a)
          .resetUpdateAndContribute(
            keyOf(f, 1),
            popOf(f, 1, a.address, ED25519),
            paramsOf(ED25519, 0),
            [],
            false,
            ZeroAddress,
            quarter,
          ),
      )
        .to.be.revertedWithCustomError(contract, "OnlyOperatorIsAuthorised")
        .withArgs(a.address, operator.address);
    });

    it("refunds, sets the new keys, fee, reservations and manual finalisation, contributes, in that order", async function () {
      const { f, operator, a, b, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, quarter);
      const newEd = ED25519 + 1n;
      const pop = popOf(f, 1, operator.address, newEd);
      const reserved = [
        { addr: operator.address, amount: quarter },
        { addr: b.address, amount: quarter },
      ];
      await (await f.sesh.connect(operator).approve(await contract.getAddress(), quarter)).wait();
      const tx = contract
        .connect(operator)
        .resetUpdateAndContribute(keyOf(f, 1), pop, paramsOf(newEd, 777), reserved, true, b.address, quarter);
      await expect(tx).to.changeTokenBalances(f.sesh, [operator, a], [0n, quarter]);
      const receipt = await (await tx).wait();
      expect(eventNames(contract, receipt?.logs ?? [], await contract.getAddress())).to.deep.equal([
        "Reset",
        "WithdrawContribution",
        "WithdrawContribution",
        "UpdatePubkeys",
        "UpdateFee",
        "UpdateReservedContributors",
        "UpdateManualFinalize",
        "NewContribution",
        "OpenForPublicContribution",
      ]);
      await expect(tx)
        .to.emit(contract, "UpdatePubkeys")
        .withArgs([keyOf(f, 1).X, keyOf(f, 1).Y], newEd);
      await expect(tx).to.emit(contract, "UpdateFee").withArgs(777);
      await expect(tx).to.emit(contract, "UpdateManualFinalize").withArgs(true);
      await expect(tx).to.emit(contract, "NewContribution").withArgs(operator.address, b.address, quarter);
      expect(await contract.getContributions()).to.deep.equal([[operator.address], [b.address], [quarter]]);
      expect(await contract.getReserved()).to.deep.equal([
        [operator.address, b.address],
        [quarter, quarter],
        [true, false],
      ]);
      expect(await contract.manualFinalize()).to.equal(true);
      expect(await contract.serviceNodeParams()).to.deep.equal([newEd, newEd + 1n, newEd + 2n, 777n]);
    });

    it("registers the node under the new keys and fee", async function () {
      const { f, operator, a, b, quarter, requirement } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      const newEd = ED25519 + 1n;
      await (await f.sesh.connect(operator).approve(await contract.getAddress(), quarter)).wait();
      await (
        await contract
          .connect(operator)
          .resetUpdateAndContribute(
            keyOf(f, 1),
            popOf(f, 1, operator.address, newEd),
            paramsOf(newEd, 42),
            [],
            false,
            ZeroAddress,
            quarter,
          )
      ).wait();
      await contributed(f, contract, a, quarter);
      const receipt = await contributed(f, contract, b, requirement / 2n);
      expect(newNodeEvent(f, receipt?.logs ?? []).fee).to.equal(42n);
      expect(await f.rewards.serviceNodeIDs(encodeKey(keyOf(f, 0)))).to.equal(0n);
      const node = await f.rewards.serviceNodes(await f.rewards.serviceNodeIDs(encodeKey(keyOf(f, 1))));
      expect(node.ed25519Pubkey).to.equal(newEd);
      expect(node.operator).to.equal(operator.address);
    });

    it("reverts FeeExceedsPossibleValue(fee, 10000) for a fee above the maximum, and changes nothing", async function () {
      const { f, operator, a, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, quarter);
      await expect(
        contract
          .connect(operator)
          .resetUpdateAndContribute(
            keyOf(f, 1),
            popOf(f, 1, operator.address, ED25519),
            paramsOf(ED25519, MAX_FEE + 1),
            [],
            false,
            ZeroAddress,
            quarter,
          ),
      )
        .to.be.revertedWithCustomError(contract, "FeeExceedsPossibleValue")
        .withArgs(MAX_FEE + 1, MAX_FEE);
      expect(await contract.totalContribution()).to.equal(2n * quarter);
      expect(await contract.blsPubkey()).to.deep.equal([keyOf(f, 0).X, keyOf(f, 0).Y]);
    });

    it("checks the reservations and the operator's contribution as updateReservedContributors and contributeFunds", async function () {
      const { f, operator, a, quarter } = await setup();
      const contract = await open(f);
      const args = [keyOf(f, 0), popOf(f, 0, operator.address, ED25519), paramsOf(ED25519, FEE)] as const;
      await expect(
        contract
          .connect(operator)
          .resetUpdateAndContribute(...args, [{ addr: a.address, amount: quarter }], false, ZeroAddress, quarter),
      )
        .to.be.revertedWithCustomError(contract, "FirstReservedContributorMustBeOperator")
        .withArgs(0n, operator.address);
      await expect(contract.connect(operator).resetUpdateAndContribute(...args, [], false, ZeroAddress, quarter - 1n))
        .to.be.revertedWithCustomError(contract, "ContributionBelowMinAmount")
        .withArgs(quarter - 1n, quarter);
    });
  });

  describe("#updatePubkeys", function () {
    it("reverts OnlyOperatorIsAuthorised(caller, operator) for anyone else", async function () {
      const { f, operator, a } = await setup();
      const contract = await open(f);
      await expect(contract.connect(a).updatePubkeys(keyOf(f, 1), popOf(f, 1, a.address, 1n), 1n, 2n, 3n))
        .to.be.revertedWithCustomError(contract, "OnlyOperatorIsAuthorised")
        .withArgs(a.address, operator.address);
    });

    it("reverts RequireWaitForOperatorContribStatus(status) once the operator contributed", async function () {
      const { f, operator, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await expect(contract.connect(operator).updatePubkeys(keyOf(f, 1), popOf(f, 1, operator.address, 1n), 1n, 2n, 3n))
        .to.be.revertedWithCustomError(contract, "RequireWaitForOperatorContribStatus")
        .withArgs(STATUS.OpenForPublicContrib);
    });

    it("sets the keys and their signatures, emits UpdatePubkeys, and the views return them", async function () {
      const { f, operator } = await setup();
      const contract = await open(f);
      const opened = popOf(f, 0, operator.address, ED25519);
      expect(await contract.blsSignature()).to.deep.equal([opened.sigs0, opened.sigs1, opened.sigs2, opened.sigs3]);
      expect(await contract._blsSignature()).to.deep.equal([opened.sigs0, opened.sigs1, opened.sigs2, opened.sigs3]);
      expect(await contract._serviceNodeParams()).to.deep.equal([ED25519, ED25519 + 1n, ED25519 + 2n, BigInt(FEE)]);
      const pop = popOf(f, 1, operator.address, 77n);
      const key = keyOf(f, 1);
      await expect(contract.connect(operator).updatePubkeys(key, pop, 77n, 78n, 79n))
        .to.emit(contract, "UpdatePubkeys")
        .withArgs([key.X, key.Y], 77n);
      expect(await contract.blsPubkey()).to.deep.equal([key.X, key.Y]);
      expect(await contract.blsSignature()).to.deep.equal([pop.sigs0, pop.sigs1, pop.sigs2, pop.sigs3]);
      expect(await contract._blsSignature()).to.deep.equal([pop.sigs0, pop.sigs1, pop.sigs2, pop.sigs3]);
      expect(await contract.serviceNodeParams()).to.deep.equal([77n, 78n, 79n, BigInt(FEE)]);
      expect(await contract._serviceNodeParams()).to.deep.equal([77n, 78n, 79n, BigInt(FEE)]);
    });
  });

  describe("#updateFee", function () {
    it("reverts OnlyOperatorIsAuthorised(caller, operator) for anyone else", async function () {
      const { f, operator, a } = await setup();
      const contract = await open(f);
      await expect(contract.connect(a).updateFee(1))
        .to.be.revertedWithCustomError(contract, "OnlyOperatorIsAuthorised")
        .withArgs(a.address, operator.address);
    });

    it("reverts RequireWaitForOperatorContribStatus(status) once the operator contributed", async function () {
      const { f, operator, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await expect(contract.connect(operator).updateFee(1))
        .to.be.revertedWithCustomError(contract, "RequireWaitForOperatorContribStatus")
        .withArgs(STATUS.OpenForPublicContrib);
    });

    it("checks the caller before the status and the status before the fee", async function () {
      const { f, operator, a, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await expect(contract.connect(a).updateFee(MAX_FEE + 1))
        .to.be.revertedWithCustomError(contract, "OnlyOperatorIsAuthorised")
        .withArgs(a.address, operator.address);
      await expect(contract.connect(operator).updateFee(MAX_FEE + 1))
        .to.be.revertedWithCustomError(contract, "RequireWaitForOperatorContribStatus")
        .withArgs(STATUS.OpenForPublicContrib);
    });

    it("reverts FeeExceedsPossibleValue(fee, 10000) above 10,000 and takes 10,000", async function () {
      const { f, operator } = await setup();
      const contract = await open(f);
      await expect(contract.connect(operator).updateFee(MAX_FEE + 1))
        .to.be.revertedWithCustomError(contract, "FeeExceedsPossibleValue")
        .withArgs(MAX_FEE + 1, MAX_FEE);
      expect((await contract.serviceNodeParams()).fee).to.equal(BigInt(FEE));
      await expect(contract.connect(operator).updateFee(MAX_FEE)).to.emit(contract, "UpdateFee").withArgs(MAX_FEE);
      expect((await contract.serviceNodeParams()).fee).to.equal(BigInt(MAX_FEE));
      expect((await contract._serviceNodeParams()).fee).to.equal(BigInt(MAX_FEE));
    });
  });

  describe("#updateManualFinalize", function () {
    it("reverts OnlyOperatorIsAuthorised(caller, operator) for anyone else", async function () {
      const { f, operator, a } = await setup();
      const contract = await open(f);
      await expect(contract.connect(a).updateManualFinalize(true))
        .to.be.revertedWithCustomError(contract, "OnlyOperatorIsAuthorised")
        .withArgs(a.address, operator.address);
    });

    it("reverts RequireWaitForOperatorContribStatus(status) once the operator contributed", async function () {
      const { f, operator, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await expect(contract.connect(operator).updateManualFinalize(true))
        .to.be.revertedWithCustomError(contract, "RequireWaitForOperatorContribStatus")
        .withArgs(STATUS.OpenForPublicContrib);
    });

    it("sets it, emits UpdateManualFinalize, and the filling contribution then waits", async function () {
      const { f, operator, requirement } = await setup();
      const contract = await open(f);
      await expect(contract.connect(operator).updateManualFinalize(true))
        .to.emit(contract, "UpdateManualFinalize")
        .withArgs(true);
      expect(await contract.manualFinalize()).to.equal(true);
      await contributed(f, contract, operator, requirement);
      expect(await contract.status()).to.equal(STATUS.WaitForFinalized);
    });
  });

  describe("#updateReservedContributors", function () {
    it("reverts OnlyOperatorIsAuthorised(caller, operator) for anyone else", async function () {
      const { f, operator, a } = await setup();
      const contract = await open(f);
      await expect(contract.connect(a).updateReservedContributors([]))
        .to.be.revertedWithCustomError(contract, "OnlyOperatorIsAuthorised")
        .withArgs(a.address, operator.address);
    });

    it("reverts RequireWaitForOperatorContribStatus(status) once the operator contributed", async function () {
      const { f, operator, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await expect(contract.connect(operator).updateReservedContributors([]))
        .to.be.revertedWithCustomError(contract, "RequireWaitForOperatorContribStatus")
        .withArgs(STATUS.OpenForPublicContrib);
    });

    describe("the rules, in order", function () {
      /** Expects `reserved` to revert `error(args)` and the spots to stay as opened (operator's quarter). */
      async function expectRejected(reserved: Spot[], error: string, args: readonly unknown[]) {
        const { f, operator, quarter } = await setup();
        const contract = await open(f, { reserved: [{ addr: operator.address, amount: quarter }] });
        await expect(contract.connect(operator).updateReservedContributors(reserved))
          .to.be.revertedWithCustomError(contract, error)
          .withArgs(...args);
        expect(await contract.getReserved()).to.deep.equal([[operator.address], [quarter], [false]]);
        expect(await contract.totalReservedContribution()).to.equal(quarter);
      }

      async function accounts() {
        const { f, operator, a, b, quarter, requirement, max } = await setup();
        return { op: operator.address, a: a.address, b: b.address, q: quarter, R: requirement, max, f };
      }

      it("reverts TooManyReservedContributors(length, max) above the maximum, before any spot is read", async function () {
        const { op, q, max } = await accounts();
        const spots = [
          { addr: op, amount: q },
          ...Array.from({ length: Number(max) }, () => ({ addr: ZeroAddress, amount: 0n })),
        ];
        await expectRejected(spots, "TooManyReservedContributors", [max + 1n, max]);
      });

      it("reverts ReservedContributorHasZeroAddress(i) for a zero address, at spot 0 before the operator check", async function () {
        const { op, q } = await accounts();
        await expectRejected([{ addr: ZeroAddress, amount: q }], "ReservedContributorHasZeroAddress", [0n]);
        await expectRejected(
          [
            { addr: op, amount: q },
            { addr: ZeroAddress, amount: 1n },
          ],
          "ReservedContributorHasZeroAddress",
          [1n],
        );
      });

      it("reverts FirstReservedContributorMustBeOperator(0, operator) if spot 0 is not the operator's", async function () {
        const { op, a, q } = await accounts();
        await expectRejected([{ addr: a, amount: 1n }], "FirstReservedContributorMustBeOperator", [0n, op]);
        await expectRejected(
          [
            { addr: a, amount: q },
            { addr: op, amount: q },
          ],
          "FirstReservedContributorMustBeOperator",
          [0n, op],
        );
      });

      it("reverts ReservedContributionBelowMinAmount(0, amount, ⌈requirement / 4⌉) for the operator's spot", async function () {
        const { op, R } = await accounts();
        const min = ceilQuarter(R);
        await expectRejected([{ addr: op, amount: min - 1n }], "ReservedContributionBelowMinAmount", [
          0n,
          min - 1n,
          min,
        ]);
      });

      it("reverts ReservedContributionBelowMinAmount(i, amount, calcMinimumContribution(remaining, i, max)) for spot i", async function () {
        const { op, a, b, q, R, max } = await accounts();
        const min1 = minimumFor(R - q, 1n, max);
        await expectRejected(
          [
            { addr: op, amount: q },
            { addr: a, amount: min1 - 1n },
          ],
          "ReservedContributionBelowMinAmount",
          [1n, min1 - 1n, min1],
        );
        const min2 = minimumFor(q, 2n, max);
        await expectRejected(
          [
            { addr: op, amount: q },
            { addr: a, amount: 2n * q },
            { addr: b, amount: min2 - 1n },
          ],
          "ReservedContributionBelowMinAmount",
          [2n, min2 - 1n, min2],
        );
      });

      it("reverts ReservedContributionExceedsStakingRequirement(i, amount, remaining) past what is left", async function () {
        const { op, a, q, R } = await accounts();
        await expectRejected([{ addr: op, amount: R + 1n }], "ReservedContributionExceedsStakingRequirement", [
          0n,
          R + 1n,
          R,
        ]);
        await expectRejected(
          [
            { addr: op, amount: 3n * q },
            { addr: a, amount: q + 1n },
          ],
          "ReservedContributionExceedsStakingRequirement",
          [1n, q + 1n, q],
        );
      });

      it("reverts DuplicateAddressInReservedContributor(i) at the repeated spot", async function () {
        const { op, a, q } = await accounts();
        await expectRejected(
          [
            { addr: op, amount: q },
            { addr: op, amount: q },
          ],
          "DuplicateAddressInReservedContributor",
          [1n],
        );
        await expectRejected(
          [
            { addr: op, amount: q },
            { addr: a, amount: q },
            { addr: a, amount: q },
          ],
          "DuplicateAddressInReservedContributor",
          [2n],
        );
      });

      it("checks a spot's minimum and then its excess before its duplicate", async function () {
        const { op, q, R, max } = await accounts();
        await expectRejected(
          [
            { addr: op, amount: q },
            { addr: op, amount: 1n },
          ],
          "ReservedContributionBelowMinAmount",
          [1n, 1n, minimumFor(R - q, 1n, max)],
        );
        await expectRejected(
          [
            { addr: op, amount: 3n * q },
            { addr: op, amount: q + 1n },
          ],
          "ReservedContributionExceedsStakingRequirement",
          [1n, q + 1n, q],
        );
      });

      it("takes ten spots at their minimums summing to the requirement, and a single spot of the whole requirement", async function () {
        const { f, op, R, max } = await accounts();
        const contract = await open(f);
        const holders = (await ethers.getSigners()).slice(1, 10).map((s) => s.address);
        const spots = tenSpots(op, holders, R, max);
        await expect(contract.connect(at(f.stakers, 0)).updateReservedContributors(spots))
          .to.emit(contract, "UpdateReservedContributors")
          .withArgs(spots.map((spot) => [spot.addr, spot.amount]));
        expect(await contract.totalReservedContribution()).to.equal(R);
        expect((await contract.getReserved())[0]).to.deep.equal(spots.map((spot) => spot.addr));
        await (await contract.connect(at(f.stakers, 0)).updateReservedContributors([{ addr: op, amount: R }])).wait();
        expect(await contract.getReserved()).to.deep.equal([[op], [R], [false]]);
      });
    });

    it("replaces the list: fewer spots delete the rest", async function () {
      const { f, operator, a, b, quarter } = await setup();
      const contract = await open(f, {
        reserved: [
          { addr: operator.address, amount: quarter },
          { addr: a.address, amount: quarter },
          { addr: b.address, amount: quarter },
        ],
      });
      expect(await contract.totalReservedContribution()).to.equal(3n * quarter);
      const list = [{ addr: operator.address, amount: 2n * quarter }];
      await expect(contract.connect(operator).updateReservedContributors(list))
        .to.emit(contract, "UpdateReservedContributors")
        .withArgs([[operator.address, 2n * quarter]]);
      expect(await contract.getReserved()).to.deep.equal([[operator.address], [2n * quarter], [false]]);
      expect(await contract.totalReservedContribution()).to.equal(2n * quarter);
      expect(await contract.reservedContributions(a.address)).to.deep.equal([0n, false]);
      expect(await contract.reservedContributions(b.address)).to.deep.equal([0n, false]);
      await expect(contract.reservedContributionsAddresses(1))
        .to.be.revertedWithCustomError(contract, "IndexOutOfRange")
        .withArgs(1n, 1n);
      // A longer list afterwards shows no stale spot either.
      await (await contract.connect(operator).updateReservedContributors([])).wait();
      expect(await contract.getReserved()).to.deep.equal([[], [], []]);
      expect(await contract.totalReservedContribution()).to.equal(0n);
    });
  });

  describe("#updateBeneficiary", function () {
    it("reverts NonContributorUpdatedBeneficiary(caller) for a caller with nothing contributed", async function () {
      const { f, operator, a, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await expect(contract.connect(a).updateBeneficiary(a.address))
        .to.be.revertedWithCustomError(contract, "NonContributorUpdatedBeneficiary")
        .withArgs(a.address);
    });

    it("reverts BeneficiaryUpdatingDisabledNodeIsNotOpen(ed25519) once filled and once finalised", async function () {
      const { f, operator, a, quarter, requirement } = await setup();
      const contract = await open(f, { manualFinalize: true });
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, requirement - quarter);
      await expect(contract.connect(a).updateBeneficiary(operator.address))
        .to.be.revertedWithCustomError(contract, "BeneficiaryUpdatingDisabledNodeIsNotOpen")
        .withArgs(ED25519);
      await (await contract.connect(operator).finalize()).wait();
      await expect(contract.connect(operator).updateBeneficiary(a.address))
        .to.be.revertedWithCustomError(contract, "BeneficiaryUpdatingDisabledNodeIsNotOpen")
        .withArgs(ED25519);
    });

    it("checks that the node is open before the caller (the NatSpec's order)", async function () {
      const { f, operator, stranger, requirement } = await setup();
      const contract = await open(f, { manualFinalize: true });
      await contributed(f, contract, operator, requirement);
      await expect(contract.connect(stranger).updateBeneficiary(stranger.address))
        .to.be.revertedWithCustomError(contract, "BeneficiaryUpdatingDisabledNodeIsNotOpen")
        .withArgs(ED25519);
    });

    it("sets the beneficiary, emits UpdateStakerBeneficiary, and registration uses it", async function () {
      const { f, operator, a, b, quarter, requirement } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, quarter);
      await expect(contract.connect(a).updateBeneficiary(b.address))
        .to.emit(contract, "UpdateStakerBeneficiary")
        .withArgs(a.address, b.address);
      expect(await contract.contributorAddresses(1)).to.deep.equal([a.address, b.address]);
      expect(await contract._contributorAddresses(1)).to.deep.equal([a.address, b.address]);
      await expect(contract.connect(operator).updateBeneficiary(ZeroAddress))
        .to.emit(contract, "UpdateStakerBeneficiary")
        .withArgs(operator.address, operator.address);
      await contributed(f, contract, b, requirement / 2n);
      const node = await f.rewards.serviceNodes(await f.rewards.serviceNodeIDs(encodeKey(keyOf(f, 0))));
      expect(node.contributors.map((x) => x.staker.beneficiary)).to.deep.equal([
        operator.address,
        b.address,
        b.address,
      ]);
    });

    it("takes 0 as the caller itself", async function () {
      const { f, operator, a, b, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      await contributed(f, contract, a, quarter, b.address);
      await expect(contract.connect(a).updateBeneficiary(ZeroAddress))
        .to.emit(contract, "UpdateStakerBeneficiary")
        .withArgs(a.address, a.address);
      expect(await contract.contributorAddresses(1)).to.deep.equal([a.address, a.address]);
    });
  });

  describe("#rescueERC20", function () {
    it("reverts OnlyOperatorIsAuthorised(caller, operator) for anyone else", async function () {
      const { f, operator, a } = await setup();
      const contract = await open(f);
      await expect(contract.connect(a).rescueERC20(await f.sesh.getAddress()))
        .to.be.revertedWithCustomError(contract, "OnlyOperatorIsAuthorised")
        .withArgs(a.address, operator.address);
    });

    it("reverts RescueNotPossible(status) for SESH before the node is registered", async function () {
      const { f, operator, quarter, requirement } = await setup();
      const contract = await open(f, { manualFinalize: true });
      const sesh = await f.sesh.getAddress();
      await (await f.sesh.connect(operator).transfer(await contract.getAddress(), 1n)).wait();
      await expect(contract.connect(operator).rescueERC20(sesh))
        .to.be.revertedWithCustomError(contract, "RescueNotPossible")
        .withArgs(STATUS.WaitForOperatorContrib);
      await contributed(f, contract, operator, quarter);
      await expect(contract.connect(operator).rescueERC20(sesh))
        .to.be.revertedWithCustomError(contract, "RescueNotPossible")
        .withArgs(STATUS.OpenForPublicContrib);
      await contributed(f, contract, operator, requirement - quarter);
      await expect(contract.connect(operator).rescueERC20(sesh))
        .to.be.revertedWithCustomError(contract, "RescueNotPossible")
        .withArgs(STATUS.WaitForFinalized);
    });

    it("checks the caller, then the status, before the balance", async function () {
      const { f, operator, a } = await setup();
      const contract = await open(f);
      const sesh = await f.sesh.getAddress();
      await expect(contract.connect(a).rescueERC20(sesh))
        .to.be.revertedWithCustomError(contract, "OnlyOperatorIsAuthorised")
        .withArgs(a.address, operator.address);
      await expect(contract.connect(operator).rescueERC20(sesh))
        .to.be.revertedWithCustomError(contract, "RescueNotPossible")
        .withArgs(STATUS.WaitForOperatorContrib);
    });

    it("reverts RescueNotPossible(0) for SESH after a finalised node was reset", async function () {
      const { f, operator, requirement } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, requirement);
      await (await contract.connect(operator).reset()).wait();
      await (await f.sesh.connect(operator).transfer(await contract.getAddress(), 1n)).wait();
      await expect(contract.connect(operator).rescueERC20(await f.sesh.getAddress()))
        .to.be.revertedWithCustomError(contract, "RescueNotPossible")
        .withArgs(STATUS.WaitForOperatorContrib);
    });

    it("reverts RescueBalanceIsEmpty(token) when the contract holds none", async function () {
      const { f, operator, requirement } = await setup();
      const contract = await open(f);
      const token = await (await ethers.getContractFactory("WrappedOxen__Mock")).deploy();
      await expect(contract.connect(operator).rescueERC20(await token.getAddress()))
        .to.be.revertedWithCustomError(contract, "RescueBalanceIsEmpty")
        .withArgs(await token.getAddress());
      await contributed(f, contract, operator, requirement);
      await expect(contract.connect(operator).rescueERC20(await f.sesh.getAddress()))
        .to.be.revertedWithCustomError(contract, "RescueBalanceIsEmpty")
        .withArgs(await f.sesh.getAddress());
    });

    it("returns another token sent by mistake to the operator, whatever the status, contributions untouched", async function () {
      const { f, operator, quarter } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, quarter);
      const token = await (await ethers.getContractFactory("WrappedOxen__Mock")).deploy();
      await (await token.mint(await contract.getAddress(), 123n)).wait();
      await expect(contract.connect(operator).rescueERC20(await token.getAddress())).to.changeTokenBalances(
        token,
        [contract, operator],
        [-123n, 123n],
      );
      expect(await f.sesh.balanceOf(await contract.getAddress())).to.equal(quarter);
    });

    it("returns SESH sent after the node registered to the operator", async function () {
      const { f, operator, a, requirement } = await setup();
      const contract = await open(f);
      await contributed(f, contract, operator, requirement);
      await (await f.sesh.connect(a).transfer(await contract.getAddress(), 5n)).wait();
      await expect(contract.connect(operator).rescueERC20(await f.sesh.getAddress())).to.changeTokenBalances(
        f.sesh,
        [contract, operator],
        [-5n, 5n],
      );
    });
  });

  describe("views", function () {
    describe("#calcMinimumContribution", function () {
      it("returns ⌈remaining / 4⌉ for the first contributor and ⌈remaining / (max − n)⌉ after", async function () {
        const { f } = await setup();
        const contract = await open(f);
        for (const [remaining, n, max] of [
          [25_000n * SESH, 0n, 10n],
          [1n, 0n, 10n],
          [0n, 0n, 10n],
          [18_750n * SESH, 1n, 10n],
          [10n, 3n, 10n],
          [11n, 3n, 10n],
          [5n, 9n, 10n],
          [0n, 5n, 10n],
        ] as const) {
          expect(await contract.calcMinimumContribution(remaining, n, max)).to.equal(minimumFor(remaining, n, max));
        }
        expect(await contract.calcMinimumContribution(11n, 3n, 10n)).to.equal(2n);
      });

      it("reverts CalcMinContributionGivenBadContribArgs(n, max) when no spot is left", async function () {
        const { f } = await setup();
        const contract = await open(f);
        await expect(contract.calcMinimumContribution(1n, 10n, 10n))
          .to.be.revertedWithCustomError(contract, "CalcMinContributionGivenBadContribArgs")
          .withArgs(10n, 10n);
        await expect(contract.calcMinimumContribution(1n, 11n, 10n))
          .to.be.revertedWithCustomError(contract, "CalcMinContributionGivenBadContribArgs")
          .withArgs(11n, 10n);
        await expect(contract.calcMinimumContribution(1n, 0n, 0n))
          .to.be.revertedWithCustomError(contract, "CalcMinContributionGivenBadContribArgs")
          .withArgs(0n, 0n);
      });
    });

    describe("#minimumOperatorContribution", function () {
      it("returns ⌈requirement / 4⌉", async function () {
        const { f, requirement } = await setup();
        const contract = await open(f);
        expect(await contract.minimumOperatorContribution(requirement)).to.equal(requirement / 4n);
        expect(await contract.minimumOperatorContribution(5n)).to.equal(2n);
        expect(await contract.minimumOperatorContribution(4n)).to.equal(1n);
        expect(await contract.minimumOperatorContribution(0n)).to.equal(0n);
      });
    });

    describe("#minimumContribution", function () {
      it("is the operator's minimum while waiting for it, then what the spots and reservations leave", async function () {
        const { f, operator, a, b, c, max, quarter, requirement } = await setup();
        const contract = await open(f, {
          manualFinalize: true,
          reserved: [
            { addr: operator.address, amount: quarter },
            { addr: b.address, amount: quarter },
          ],
        });
        expect(await contract.minimumContribution()).to.equal(ceilQuarter(requirement));
        await contributed(f, contract, operator, quarter);
        // Remaining without b's reservation; spots: the operator and b's.
        expect(await contract.minimumContribution()).to.equal(minimumFor(requirement - 2n * quarter, 2n, max));
        await contributed(f, contract, a, quarter);
        expect(await contract.minimumContribution()).to.equal(minimumFor(quarter, 3n, max));
        await contributed(f, contract, c, quarter);
        // Nothing is left outside b's reservation: a new contributor's minimum is 0 (and none fits).
        expect(await contract.minimumContribution()).to.equal(0n);
        await contributed(f, contract, b, quarter);
        expect(await contract.status()).to.equal(STATUS.WaitForFinalized);
        expect(await contract.minimumContribution()).to.equal(0n);
        await (await contract.connect(operator).finalize()).wait();
        expect(await contract.minimumContribution()).to.equal(0n);
      });
    });

    describe("reservations", function () {
      it("returns the spots, their amounts and whether taken, and IndexOutOfRange(index, length) past the end", async function () {
        const { f, operator, a, b, quarter } = await setup();
        const contract = await open(f, {
          reserved: [
            { addr: operator.address, amount: 2n * quarter },
            { addr: a.address, amount: quarter },
          ],
        });
        expect(await contract.getReserved()).to.deep.equal([
          [operator.address, a.address],
          [2n * quarter, quarter],
          [false, false],
        ]);
        await contributed(f, contract, operator, 2n * quarter);
        expect(await contract.reservedContributions(operator.address)).to.deep.equal([2n * quarter, true]);
        expect(await contract.reservedContributions(a.address)).to.deep.equal([quarter, false]);
        expect(await contract.reservedContributions(b.address)).to.deep.equal([0n, false]);
        expect(await contract.reservedContributionsAddresses(0)).to.equal(operator.address);
        expect(await contract.reservedContributionsAddresses(1)).to.equal(a.address);
        await expect(contract.reservedContributionsAddresses(2))
          .to.be.revertedWithCustomError(contract, "IndexOutOfRange")
          .withArgs(2n, 2n);
        expect(await contract.totalReservedContribution()).to.equal(quarter);
      });
    });

    describe("contributors", function () {
      it("returns the contributors, their beneficiaries and amounts, and IndexOutOfRange(index, length) past the end", async function () {
        const { f, operator, a, b, quarter } = await setup();
        const contract = await open(f);
        await expect(contract.contributorAddresses(0))
          .to.be.revertedWithCustomError(contract, "IndexOutOfRange")
          .withArgs(0n, 0n);
        await expect(contract._contributorAddresses(0))
          .to.be.revertedWithCustomError(contract, "IndexOutOfRange")
          .withArgs(0n, 0n);
        await contributed(f, contract, operator, quarter + 1n);
        await contributed(f, contract, a, quarter, b.address);
        expect(await contract.contributorAddressesLength()).to.equal(2n);
        expect(await contract.contributorAddresses(0)).to.deep.equal([operator.address, operator.address]);
        expect(await contract._contributorAddresses(1)).to.deep.equal([a.address, b.address]);
        await expect(contract._contributorAddresses(2))
          .to.be.revertedWithCustomError(contract, "IndexOutOfRange")
          .withArgs(2n, 2n);
        expect(await contract.contributions(a.address)).to.equal(quarter);
        expect(await contract.contributions(b.address)).to.equal(0n);
        expect(await contract.contributionTimestamp(b.address)).to.equal(0n);
        expect(await contract.contributionTimestamp(a.address)).to.equal(BigInt(await time.latest()));
        expect(await contract.operatorContribution()).to.equal(quarter + 1n);
        expect(await contract.totalContribution()).to.equal(2n * quarter + 1n);
        expect(await contract.getContributions()).to.deep.equal([
          [operator.address, a.address],
          [operator.address, b.address],
          [quarter + 1n, quarter],
        ]);
      });
    });

    describe("constants", function () {
      it("returns MAX_FEE 10,000, WITHDRAWAL_DELAY one day and the clone's constants", async function () {
        const { f, operator, max, requirement } = await setup();
        const contract = await open(f);
        expect(await contract.MAX_FEE()).to.equal(BigInt(MAX_FEE));
        expect(await contract.WITHDRAWAL_DELAY()).to.equal(WITHDRAWAL_DELAY);
        expect(await contract.SESH()).to.equal(await f.sesh.getAddress());
        expect(await contract.stakingRewardsContract()).to.equal(f.rewardsAddress);
        expect(await contract.stakingRequirement()).to.equal(requirement);
        expect(await contract.maxContributors()).to.equal(max);
        expect(await contract.operator()).to.equal(operator.address);
        expect(await contract.status()).to.equal(STATUS.WaitForOperatorContrib);
        expect(await contract.manualFinalize()).to.equal(false);
      });
    });
  });
});

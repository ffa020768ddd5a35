import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { ethers, upgrades } from "hardhat";

import type { ServiceNodeContribution } from "../../../typechain-types";
import { restoreChainAfterSuite } from "../../helpers/chain";
import { loadStakingFixture, type StakingFixture } from "../../helpers/staking";
import { at, keyOf, SESH, suiteFixtures } from "../rewards/fixtures";
import { contractOf, deployArgs, ED25519, FEE, MAX_FEE, open, STATUS } from "./helpers";

const { startedFixture } = suiteFixtures();

async function setup() {
  const f = await loadStakingFixture(startedFixture);
  return { f, operator: at(f.stakers, 0), other: at(f.stakers, 1), quarter: f.parameters.stakingRequirement / 4n };
}

/** The implementation every clone runs, through its ABI (the errors a clone reverts with during deploy). */
async function implementationOf(f: StakingFixture): Promise<ServiceNodeContribution> {
  return ethers.getContractAt("ServiceNodeContribution", await f.factory.IMPLEMENTATION());
}

/** Names of the events `address` emitted in a receipt, in order, decoded with the contribution contract's ABI. */
function eventsOf(
  contract: ServiceNodeContribution,
  logs: readonly { topics: readonly string[]; data: string; address: string }[],
  address: string,
): (string | undefined)[] {
  return logs
    .filter((log) => log.address.toLowerCase() === address.toLowerCase())
    .map((log) => contract.interface.parseLog({ topics: [...log.topics], data: log.data })?.name);
}

describe("ServiceNodeContributionFactory", function () {
  restoreChainAfterSuite();

  describe("#initialize", function () {
    it("reverts NullAddress for a zero rewards contract", async function () {
      const factory = await ethers.getContractFactory("ServiceNodeContributionFactory");
      await expect(
        upgrades.deployProxy(factory, [ZeroAddress], { initializer: "initialize", kind: "transparent" }),
      ).to.be.revertedWithCustomError(factory, "NullAddress");
    });

    it("set the rewards contract, the owner and no pause, and reverts InvalidInitialization a second time", async function () {
      const { f } = await setup();
      expect(await f.factory.stakingRewardsContract()).to.equal(f.rewardsAddress);
      expect(await f.factory.owner()).to.equal(f.owner.address);
      expect(await f.factory.paused()).to.equal(false);
      await expect(f.factory.connect(f.owner).initialize(f.rewardsAddress)).to.be.revertedWithCustomError(
        f.factory,
        "InvalidInitialization",
      );
    });

    it("reverts InvalidInitialization on the factory's implementation", async function () {
      const { f } = await setup();
      const implementation = await ethers.getContractAt(
        "ServiceNodeContributionFactory",
        await upgrades.erc1967.getImplementationAddress(f.factoryAddress),
      );
      await expect(implementation.initialize(f.rewardsAddress)).to.be.revertedWithCustomError(
        implementation,
        "InvalidInitialization",
      );
    });
  });

  describe("#deploy", function () {
    it("reverts EnforcedPause while paused, and deploys once unpaused", async function () {
      const { f, operator } = await setup();
      await (await f.factory.connect(f.owner).pause()).wait();
      await expect(f.factory.connect(operator).deploy(...deployArgs(f))).to.be.revertedWithCustomError(
        f.factory,
        "EnforcedPause",
      );
      await (await f.factory.connect(f.owner).unpause()).wait();
      await expect(f.factory.connect(operator).deploy(...deployArgs(f))).to.emit(
        f.factory,
        "NewServiceNodeContributionContract",
      );
    });

    it("emits NewServiceNodeContributionContract(contract, ed25519, operator) and returns the contract", async function () {
      const { f, other } = await setup();
      const args = deployArgs(f, { operator: other, ed25519: 1234n });
      const predicted = await f.factory.connect(other).deploy.staticCall(...args);
      await expect(f.factory.connect(other).deploy(...args))
        .to.emit(f.factory, "NewServiceNodeContributionContract")
        .withArgs(predicted, 1234n, other.address);
      const contract = await ethers.getContractAt("ServiceNodeContribution", predicted);
      expect(await contract.operator()).to.equal(other.address);
      expect(await f.factory.owns(predicted)).to.equal(true);
      expect(await f.factory.deployedContracts(predicted)).to.equal(true);
    });

    it("emits the new contract's UpdatePubkeys, UpdateFee, UpdateReservedContributors and UpdateManualFinalize", async function () {
      const { f, operator, quarter } = await setup();
      const reserved = [{ addr: operator.address, amount: quarter }];
      const args = deployArgs(f, { reserved, manualFinalize: true });
      const address = await f.factory.connect(operator).deploy.staticCall(...args);
      const contract = await ethers.getContractAt("ServiceNodeContribution", address);
      const tx = f.factory.connect(operator).deploy(...args);
      const receipt = await (await tx).wait();
      expect(eventsOf(contract, receipt?.logs ?? [], address)).to.have.members([
        "UpdatePubkeys",
        "UpdateFee",
        "UpdateReservedContributors",
        "UpdateManualFinalize",
      ]);
      const key = keyOf(f, 0);
      await expect(tx).to.emit(contract, "UpdatePubkeys").withArgs([key.X, key.Y], ED25519);
      await expect(tx).to.emit(contract, "UpdateFee").withArgs(FEE);
      await expect(tx)
        .to.emit(contract, "UpdateReservedContributors")
        .withArgs([[operator.address, quarter]]);
      await expect(tx).to.emit(contract, "UpdateManualFinalize").withArgs(true);
    });

    it("opens the contract with the caller its operator, the keys, fee, reservations and manual finalisation", async function () {
      const { f, operator, other, quarter } = await setup();
      const reserved = [
        { addr: operator.address, amount: quarter },
        { addr: other.address, amount: quarter },
      ];
      const contract = await open(f, { reserved, manualFinalize: true, fee: 321, node: 2, ed25519: 55n });
      const key = keyOf(f, 2);
      expect(await contract.operator()).to.equal(operator.address);
      expect(await contract.blsPubkey()).to.deep.equal([key.X, key.Y]);
      expect(await contract.serviceNodeParams()).to.deep.equal([55n, 56n, 57n, 321n]);
      expect(await contract.getReserved()).to.deep.equal([
        [operator.address, other.address],
        [quarter, quarter],
        [false, false],
      ]);
      expect(await contract.manualFinalize()).to.equal(true);
      expect(await contract.status()).to.equal(STATUS.WaitForOperatorContrib);
      expect(await contract.stakingRewardsContract()).to.equal(f.rewardsAddress);
      expect(await contract.SESH()).to.equal(await f.sesh.getAddress());
    });

    it("opens each contract with the rewards contract's requirement at the time, which it keeps", async function () {
      const { f } = await setup();
      const requirement = f.parameters.stakingRequirement;
      const first = await open(f);
      await (await f.rewards.connect(f.owner).setStakingRequirement(requirement + SESH)).wait();
      const second = await open(f, { node: 1 });
      expect(await first.stakingRequirement()).to.equal(requirement);
      expect(await second.stakingRequirement()).to.equal(requirement + SESH);
      expect(await second.minimumOperatorContribution(await second.stakingRequirement())).to.equal(
        (requirement + SESH + 3n) / 4n,
      );
      expect(await second.maxContributors()).to.equal(BigInt(f.parameters.maxContributors));
    });

    it("opens a new contract on every call, even for the same node", async function () {
      const { f } = await setup();
      const first = await open(f);
      const second = await open(f);
      expect(await first.getAddress()).to.not.equal(await second.getAddress());
      expect(await f.factory.owns(await first.getAddress())).to.equal(true);
      expect(await f.factory.owns(await second.getAddress())).to.equal(true);
    });

    it("reverts FeeExceedsPossibleValue(fee, 10000) from the new contract for a fee above 10,000", async function () {
      const { f, operator } = await setup();
      const implementation = await implementationOf(f);
      await expect(f.factory.connect(operator).deploy(...deployArgs(f, { fee: MAX_FEE + 1 })))
        .to.be.revertedWithCustomError(implementation, "FeeExceedsPossibleValue")
        .withArgs(MAX_FEE + 1, MAX_FEE);
      const contract = await contractOf(f, f.factory.connect(operator).deploy(...deployArgs(f, { fee: MAX_FEE })));
      expect((await contract.serviceNodeParams()).fee).to.equal(BigInt(MAX_FEE));
    });

    it("reverts as updateReservedContributors does for bad reservations", async function () {
      const { f, operator, other, quarter } = await setup();
      const implementation = await implementationOf(f);
      const max = BigInt(f.parameters.maxContributors);
      const tooMany = Array.from({ length: Number(max) + 1 }, () => ({ addr: operator.address, amount: quarter }));
      await expect(f.factory.connect(operator).deploy(...deployArgs(f, { reserved: tooMany })))
        .to.be.revertedWithCustomError(implementation, "TooManyReservedContributors")
        .withArgs(max + 1n, max);
      await expect(
        f.factory.connect(operator).deploy(...deployArgs(f, { reserved: [{ addr: other.address, amount: quarter }] })),
      )
        .to.be.revertedWithCustomError(implementation, "FirstReservedContributorMustBeOperator")
        .withArgs(0n, operator.address);
      await expect(
        f.factory.connect(operator).deploy(
          ...deployArgs(f, {
            reserved: [
              { addr: operator.address, amount: quarter },
              { addr: operator.address, amount: quarter },
            ],
          }),
        ),
      )
        .to.be.revertedWithCustomError(implementation, "DuplicateAddressInReservedContributor")
        .withArgs(1n);
    });
  });

  describe("#owns", function () {
    it("is false for addresses the factory did not open: accounts, the implementation, the rewards contract, itself", async function () {
      const { f, other } = await setup();
      await open(f);
      for (const address of [
        other.address,
        ZeroAddress,
        await f.factory.IMPLEMENTATION(),
        f.rewardsAddress,
        f.factoryAddress,
        await f.sesh.getAddress(),
      ]) {
        expect(await f.factory.owns(address)).to.equal(false);
        expect(await f.factory.deployedContracts(address)).to.equal(false);
      }
    });
  });

  describe("views", function () {
    it("returns VERSION 1, the rewards contract and an implementation with code", async function () {
      const { f } = await setup();
      expect(await f.factory.VERSION()).to.equal(1n);
      expect(await f.factory.stakingRewardsContract()).to.equal(f.rewardsAddress);
      expect(await ethers.provider.getCode(await f.factory.IMPLEMENTATION())).to.not.equal("0x");
    });
  });

  describe("ownership and pause (IManaged)", function () {
    it("reverts OwnershipCannotBeRenounced for the owner, OwnableUnauthorizedAccount for anyone else", async function () {
      const { f, other } = await setup();
      await expect(f.factory.connect(f.owner).renounceOwnership()).to.be.revertedWithCustomError(
        f.factory,
        "OwnershipCannotBeRenounced",
      );
      await expect(f.factory.connect(other).renounceOwnership())
        .to.be.revertedWithCustomError(f.factory, "OwnableUnauthorizedAccount")
        .withArgs(other.address);
      expect(await f.factory.owner()).to.equal(f.owner.address);
    });

    it("hands ownership over in two steps: the pending owner accepts, and only it holds the powers then", async function () {
      const { f, other } = await setup();
      await expect(f.factory.connect(other).transferOwnership(other.address))
        .to.be.revertedWithCustomError(f.factory, "OwnableUnauthorizedAccount")
        .withArgs(other.address);
      await expect(f.factory.connect(f.owner).transferOwnership(other.address))
        .to.emit(f.factory, "OwnershipTransferStarted")
        .withArgs(f.owner.address, other.address);
      expect(await f.factory.owner()).to.equal(f.owner.address);
      expect(await f.factory.pendingOwner()).to.equal(other.address);
      await expect(f.factory.connect(f.owner).acceptOwnership())
        .to.be.revertedWithCustomError(f.factory, "OwnableUnauthorizedAccount")
        .withArgs(f.owner.address);
      await expect(f.factory.connect(other).acceptOwnership())
        .to.emit(f.factory, "OwnershipTransferred")
        .withArgs(f.owner.address, other.address);
      await expect(f.factory.connect(f.owner).pause())
        .to.be.revertedWithCustomError(f.factory, "OwnableUnauthorizedAccount")
        .withArgs(f.owner.address);
      await expect(f.factory.connect(other).pause()).to.emit(f.factory, "Paused").withArgs(other.address);
    });

    it("pauses and unpauses for the owner only, with EnforcedPause and ExpectedPause when already so", async function () {
      const { f, other } = await setup();
      await expect(f.factory.connect(other).pause())
        .to.be.revertedWithCustomError(f.factory, "OwnableUnauthorizedAccount")
        .withArgs(other.address);
      await expect(f.factory.connect(f.owner).unpause()).to.be.revertedWithCustomError(f.factory, "ExpectedPause");
      await expect(f.factory.connect(f.owner).pause()).to.emit(f.factory, "Paused").withArgs(f.owner.address);
      await expect(f.factory.connect(f.owner).pause()).to.be.revertedWithCustomError(f.factory, "EnforcedPause");
      await expect(f.factory.connect(other).unpause())
        .to.be.revertedWithCustomError(f.factory, "OwnableUnauthorizedAccount")
        .withArgs(other.address);
      await expect(f.factory.connect(f.owner).unpause()).to.emit(f.factory, "Unpaused").withArgs(f.owner.address);
      expect(await f.factory.paused()).to.equal(false);
    });

    it("leaves the opened contracts working while paused", async function () {
      const { f, operator, quarter } = await setup();
      const contract = await open(f);
      await (await f.factory.connect(f.owner).pause()).wait();
      await (await f.sesh.connect(operator).approve(await contract.getAddress(), quarter)).wait();
      await expect(contract.connect(operator).contributeFunds(quarter, ZeroAddress)).to.emit(
        contract,
        "OpenForPublicContribution",
      );
    });

    it("rescues a token sent to the factory (owner only, not while paused, within the balance)", async function () {
      const { f, other } = await setup();
      const token = await (await ethers.getContractFactory("WrappedOxen__Mock")).deploy();
      const address = await token.getAddress();
      await (await token.mint(f.factoryAddress, 100n)).wait();
      await expect(f.factory.connect(other).rescueERC20(address, other.address, 100n))
        .to.be.revertedWithCustomError(f.factory, "OwnableUnauthorizedAccount")
        .withArgs(other.address);
      await expect(f.factory.connect(f.owner).rescueERC20(address, other.address, 101n))
        .to.be.revertedWithCustomError(f.factory, "RescueExceedsSurplus")
        .withArgs(address, 101n, 100n);
      await expect(f.factory.connect(f.owner).rescueERC20(address, ZeroAddress, 100n)).to.be.revertedWithCustomError(
        f.factory,
        "RescueToZeroAddress",
      );
      await expect(f.factory.connect(f.owner).rescueERC20(address, other.address, 0n)).to.be.revertedWithCustomError(
        f.factory,
        "RescueAmountIsZero",
      );
      await (await f.factory.connect(f.owner).pause()).wait();
      await expect(f.factory.connect(f.owner).rescueERC20(address, other.address, 100n)).to.be.revertedWithCustomError(
        f.factory,
        "EnforcedPause",
      );
      await (await f.factory.connect(f.owner).unpause()).wait();
      const tx = f.factory.connect(f.owner).rescueERC20(address, other.address, 100n);
      await expect(tx).to.changeTokenBalances(token, [f.factoryAddress, other.address], [-100n, 100n]);
      await expect(tx).to.emit(f.factory, "ERC20Rescued").withArgs(address, other.address, 100n);
    });
  });
});

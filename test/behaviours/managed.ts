import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { type Addressable, ZeroAddress } from "ethers";
import { ethers } from "hardhat";

import type { IERC20, Managed } from "../../typechain-types";

/**
 * What a fixture of a contract built on `Managed` or `ManagedUpgradeable` returns: the contract (or its proxy), its
 * owner, another account that holds no role in it, and whatever tokens the options below pick from it. The tokens a
 * case rescues must be held by the contract when the fixture returns.
 */
export interface ManagedFixture {
  readonly contract: Addressable;
  readonly owner: HardhatEthersSigner;
  readonly other: HardhatEthersSigner;
}

/** A token the contract may give back, and how much of it: what it holds beyond what it owes (more than 0). */
export interface RescuableToken {
  readonly token: Addressable;
  readonly surplus: bigint;
}

/** A call the pause must stop; it is sent as is while the contract is paused and must revert `EnforcedPause()`. */
export interface PausedCall<F extends ManagedFixture> {
  readonly name: string;
  readonly call: (fixture: F) => Promise<unknown>;
}

export interface ManagedOptions<F extends ManagedFixture> {
  /** Tokens the contract holds and may give back (at least one), each with its surplus. */
  readonly rescuable: (fixture: F) => readonly RescuableToken[];
  /** Tokens the contract owes as a whole: `rescueERC20` reverts `TokenNotRescuable(token)` for each. */
  readonly notRescuable: (fixture: F) => readonly Addressable[];
  /** Every call, besides `rescueERC20`, that the pause stops. */
  readonly pausedCalls: readonly PausedCall<F>[];
}

/** The contract behind the fixture, through the ABI of `Managed` (the upgradeable base has the same surface). */
async function managedOf(fixture: ManagedFixture): Promise<Managed> {
  return ethers.getContractAt("Managed", await fixture.contract.getAddress());
}

async function erc20Of(token: Addressable): Promise<IERC20> {
  return ethers.getContractAt("IERC20", await token.getAddress());
}

function firstRescuable<F extends ManagedFixture>(options: ManagedOptions<F>, fixture: F): RescuableToken {
  const first = options.rescuable(fixture)[0];
  if (first === undefined) throw new Error("shouldBehaveLikeManaged needs at least one rescuable token");
  return first;
}

function firstNotRescuable<F extends ManagedFixture>(options: ManagedOptions<F>, fixture: F): Addressable {
  const first = options.notRescuable(fixture)[0];
  if (first === undefined) throw new Error("shouldBehaveLikeManaged needs at least one token that is not rescuable");
  return first;
}

/**
 * The owner's controls of `IManaged`: two-step ownership that cannot be renounced, pause and unpause, and the rescue
 * of stray tokens up to the surplus the contract declares. `fixture` is passed to `loadFixture`, so it must be one
 * function defined once (not a closure made per call).
 */
export function shouldBehaveLikeManaged<F extends ManagedFixture>(
  fixture: () => Promise<F>,
  options: ManagedOptions<F>,
): void {
  describe("behaves like Managed", function () {
    describe("#renounceOwnership", function () {
      it("reverts OwnershipCannotBeRenounced for the owner, who stays the owner", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        await expect(managed.connect(f.owner).renounceOwnership()).to.be.revertedWithCustomError(
          managed,
          "OwnershipCannotBeRenounced",
        );
        expect(await managed.owner()).to.equal(f.owner.address);
      });

      it("reverts if the caller is not the owner", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        await expect(managed.connect(f.other).renounceOwnership())
          .to.be.revertedWithCustomError(managed, "OwnableUnauthorizedAccount")
          .withArgs(f.other.address);
      });
    });

    describe("#transferOwnership", function () {
      it("names a pending owner and leaves the owner in place", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        await expect(managed.connect(f.owner).transferOwnership(f.other.address))
          .to.emit(managed, "OwnershipTransferStarted")
          .withArgs(f.owner.address, f.other.address);
        expect(await managed.owner()).to.equal(f.owner.address);
        expect(await managed.pendingOwner()).to.equal(f.other.address);
      });

      it("reverts if the caller is not the owner", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        await expect(managed.connect(f.other).transferOwnership(f.other.address))
          .to.be.revertedWithCustomError(managed, "OwnableUnauthorizedAccount")
          .withArgs(f.other.address);
        expect(await managed.pendingOwner()).to.equal(ZeroAddress);
      });
    });

    describe("#acceptOwnership", function () {
      it("hands the contract to the pending owner, who alone holds the owner's powers from then on", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        await managed.connect(f.owner).transferOwnership(f.other.address);
        await expect(managed.connect(f.other).acceptOwnership())
          .to.emit(managed, "OwnershipTransferred")
          .withArgs(f.owner.address, f.other.address);
        expect(await managed.owner()).to.equal(f.other.address);
        expect(await managed.pendingOwner()).to.equal(ZeroAddress);
        await expect(managed.connect(f.owner).pause())
          .to.be.revertedWithCustomError(managed, "OwnableUnauthorizedAccount")
          .withArgs(f.owner.address);
        await expect(managed.connect(f.other).pause()).to.emit(managed, "Paused").withArgs(f.other.address);
      });

      it("reverts if the caller is not the pending owner, even the owner", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        await managed.connect(f.owner).transferOwnership(f.other.address);
        await expect(managed.connect(f.owner).acceptOwnership())
          .to.be.revertedWithCustomError(managed, "OwnableUnauthorizedAccount")
          .withArgs(f.owner.address);
        expect(await managed.owner()).to.equal(f.owner.address);
        expect(await managed.pendingOwner()).to.equal(f.other.address);
      });
    });

    describe("#pause", function () {
      it("pauses and emits Paused", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        expect(await managed.paused()).to.equal(false);
        await expect(managed.connect(f.owner).pause()).to.emit(managed, "Paused").withArgs(f.owner.address);
        expect(await managed.paused()).to.equal(true);
      });

      it("reverts if the caller is not the owner", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        await expect(managed.connect(f.other).pause())
          .to.be.revertedWithCustomError(managed, "OwnableUnauthorizedAccount")
          .withArgs(f.other.address);
        expect(await managed.paused()).to.equal(false);
      });

      it("reverts EnforcedPause when already paused", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        await managed.connect(f.owner).pause();
        await expect(managed.connect(f.owner).pause()).to.be.revertedWithCustomError(managed, "EnforcedPause");
      });
    });

    describe("#unpause", function () {
      it("unpauses and emits Unpaused", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        await managed.connect(f.owner).pause();
        await expect(managed.connect(f.owner).unpause()).to.emit(managed, "Unpaused").withArgs(f.owner.address);
        expect(await managed.paused()).to.equal(false);
      });

      it("reverts if the caller is not the owner", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        await managed.connect(f.owner).pause();
        await expect(managed.connect(f.other).unpause())
          .to.be.revertedWithCustomError(managed, "OwnableUnauthorizedAccount")
          .withArgs(f.other.address);
        expect(await managed.paused()).to.equal(true);
      });

      it("reverts ExpectedPause when not paused", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        await expect(managed.connect(f.owner).unpause()).to.be.revertedWithCustomError(managed, "ExpectedPause");
      });
    });

    describe("when paused", function () {
      for (const { name, call } of options.pausedCalls) {
        it(`reverts ${name} with EnforcedPause`, async function () {
          const f = await loadFixture(fixture);
          const managed = await managedOf(f);
          await managed.connect(f.owner).pause();
          await expect(call(f)).to.be.revertedWithCustomError(managed, "EnforcedPause");
        });
      }
    });

    describe("#rescueERC20", function () {
      it("sends each rescuable token's whole surplus to the recipient and emits ERC20Rescued", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        for (const { token, surplus } of options.rescuable(f)) {
          const erc20 = await erc20Of(token);
          const tx = managed.connect(f.owner).rescueERC20(erc20, f.other.address, surplus);
          await expect(tx).to.changeTokenBalances(erc20, [managed, f.other], [-surplus, surplus]);
          await expect(tx)
            .to.emit(managed, "ERC20Rescued")
            .withArgs(await erc20.getAddress(), f.other.address, surplus);
        }
      });

      it("reverts RescueExceedsSurplus(token, amount, surplus) one atom above the surplus", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        for (const { token, surplus } of options.rescuable(f)) {
          const erc20 = await erc20Of(token);
          const held = await erc20.balanceOf(managed);
          await expect(managed.connect(f.owner).rescueERC20(erc20, f.other.address, surplus + 1n))
            .to.be.revertedWithCustomError(managed, "RescueExceedsSurplus")
            .withArgs(await erc20.getAddress(), surplus + 1n, surplus);
          expect(await erc20.balanceOf(managed)).to.equal(held);
        }
      });

      it("reverts TokenNotRescuable(token) for each token the contract owes as a whole", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        for (const token of options.notRescuable(f)) {
          const erc20 = await erc20Of(token);
          const held = await erc20.balanceOf(managed);
          await expect(managed.connect(f.owner).rescueERC20(erc20, f.other.address, 1n))
            .to.be.revertedWithCustomError(managed, "TokenNotRescuable")
            .withArgs(await erc20.getAddress());
          expect(await erc20.balanceOf(managed)).to.equal(held);
        }
      });

      it("reverts RescueToZeroAddress if the recipient is the zero address", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        const { token, surplus } = firstRescuable(options, f);
        await expect(managed.connect(f.owner).rescueERC20(token, ZeroAddress, surplus)).to.be.revertedWithCustomError(
          managed,
          "RescueToZeroAddress",
        );
      });

      it("reverts RescueAmountIsZero if the amount is zero", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        const { token } = firstRescuable(options, f);
        await expect(managed.connect(f.owner).rescueERC20(token, f.other.address, 0n)).to.be.revertedWithCustomError(
          managed,
          "RescueAmountIsZero",
        );
      });

      it("checks the recipient, then the amount, before the token", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        const owed = firstNotRescuable(options, f);
        await expect(managed.connect(f.owner).rescueERC20(owed, ZeroAddress, 0n)).to.be.revertedWithCustomError(
          managed,
          "RescueToZeroAddress",
        );
        await expect(managed.connect(f.owner).rescueERC20(owed, f.other.address, 0n)).to.be.revertedWithCustomError(
          managed,
          "RescueAmountIsZero",
        );
      });

      it("reverts if the caller is not the owner", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        const { token, surplus } = firstRescuable(options, f);
        await expect(managed.connect(f.other).rescueERC20(token, f.other.address, surplus))
          .to.be.revertedWithCustomError(managed, "OwnableUnauthorizedAccount")
          .withArgs(f.other.address);
      });

      it("reverts EnforcedPause while paused, and rescues once unpaused", async function () {
        const f = await loadFixture(fixture);
        const managed = await managedOf(f);
        const { token, surplus } = firstRescuable(options, f);
        const erc20 = await erc20Of(token);
        await managed.connect(f.owner).pause();
        await expect(
          managed.connect(f.owner).rescueERC20(erc20, f.other.address, surplus),
        ).to.be.revertedWithCustomError(managed, "EnforcedPause");
        await managed.connect(f.owner).unpause();
        await expect(managed.connect(f.owner).rescueERC20(erc20, f.other.address, surplus)).to.changeTokenBalance(
          erc20,
          f.other,
          surplus,
        );
      });
    });
  });
}

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { getCreateAddress, ZeroAddress } from "ethers";
import fc from "fast-check";
import { ethers } from "hardhat";

import { ATOMS_PER_SESH, SESH_TOTAL_SUPPLY } from "../../../lib/amount";
import { CLIFF_DENOMINATOR, type VestingSchedule, vestedAmount } from "../../../lib/vesting";
import type { Caller__Mock, HostileToken__Mock, SESH, TokenVestingNoStaking } from "../../../typechain-types";
import { restoreChainAfterSuite } from "../../helpers/chain";
import { FC_SEED } from "../../helpers/env";

const DAY = 86_400n;
/** The cliff is 90 days after deployment; the linear part lasts 730 days (even: the middle is a whole second). */
const CLIFF_DELAY = 90n * DAY;
const LINEAR_DURATION = 730n * DAY;
/** Not a multiple of 5 nor of the duration, so that both roundings show. */
const TOTAL = 1_234_567n * ATOMS_PER_SESH + 3n;
/** A second token sent by mistake, of another size. */
const OTHER_TOTAL = 987_654_321n;
/** Random timestamps checked against the reference besides the boundaries. */
const RANDOM_TIMESTAMPS = 40;
/** 1 % transfer fee, in basis points. */
const FEE_BASIS_POINTS = 100n;
const BASIS_POINTS = 10_000n;

interface Vesting {
  readonly sesh: SESH;
  readonly other: HostileToken__Mock;
  readonly vesting: TokenVestingNoStaking;
  readonly address: string;
  readonly schedule: VestingSchedule;
  readonly deployer: HardhatEthersSigner;
  readonly beneficiary: HardhatEthersSigner;
  readonly revoker: HardhatEthersSigner;
  readonly stranger: HardhatEthersSigner;
  readonly newcomer: HardhatEthersSigner;
}

async function signers(): Promise<HardhatEthersSigner[]> {
  const all = await ethers.getSigners();
  if (all.length < 5) throw new Error("the hardhat network needs at least 5 accounts");
  return all;
}

async function deployVesting(options: { transferable: boolean; revocable: boolean }): Promise<Vesting> {
  const [deployer, beneficiary, revoker, stranger, newcomer] = (await signers()) as [
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
  ];
  const sesh = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, deployer.address, ZeroAddress, ZeroAddress]);
  const other = await ethers.deployContract("HostileToken__Mock");
  const now = BigInt(await time.latest());
  const schedule = { cliff: now + CLIFF_DELAY, end: now + CLIFF_DELAY + LINEAR_DURATION };
  const vesting = await ethers.deployContract("TokenVestingNoStaking", [
    beneficiary.address,
    options.revocable ? revoker.address : ZeroAddress,
    schedule.cliff,
    schedule.end,
    options.transferable,
  ]);
  const address = await vesting.getAddress();
  await sesh.transfer(address, TOTAL);
  await other.mint(address, OTHER_TOTAL);
  return { sesh, other, vesting, address, schedule, deployer, beneficiary, revoker, stranger, newcomer };
}

async function vestingFixture(): Promise<Vesting> {
  return deployVesting({ transferable: true, revocable: true });
}
async function fixedFixture(): Promise<Vesting> {
  return deployVesting({ transferable: false, revocable: false });
}

/** The vesting's schedule over `total`, from the TS reference. */
function expected(f: Vesting, total: bigint, timestamp: bigint): bigint {
  return vestedAmount(total, f.schedule.cliff, f.schedule.end, timestamp);
}

/** Every boundary of the schedule: before the cliff, the cliff and the second after, the middle, the end's sides. */
function boundaries(f: Vesting): { readonly name: string; readonly timestamp: bigint }[] {
  const { cliff, end } = f.schedule;
  return [
    { name: "a second before the cliff", timestamp: cliff - 1n },
    { name: "the cliff", timestamp: cliff },
    { name: "a second after the cliff", timestamp: cliff + 1n },
    { name: "the middle of the linear part", timestamp: cliff + (end - cliff) / 2n },
    { name: "a second before the end", timestamp: end - 1n },
    { name: "the end", timestamp: end },
    { name: "a second after the end", timestamp: end + 1n },
  ];
}

/** The boundaries from the cliff on (where something has vested) up to the end. */
function vestingBoundaries(f: Vesting): { readonly name: string; readonly timestamp: bigint }[] {
  return boundaries(f).filter(({ timestamp }) => timestamp >= f.schedule.cliff && timestamp <= f.schedule.end);
}

/** A vesting whose beneficiary and revoker are contracts, for re-entrancy attacks through a token's hook. */
interface ContractRoles {
  readonly token: HostileToken__Mock;
  readonly vesting: TokenVestingNoStaking;
  readonly beneficiary: Caller__Mock;
  readonly revoker: Caller__Mock;
  readonly schedule: VestingSchedule;
}

async function contractRolesFixture(): Promise<ContractRoles> {
  const token = await ethers.deployContract("HostileToken__Mock");
  const beneficiary = await ethers.deployContract("Caller__Mock");
  const revoker = await ethers.deployContract("Caller__Mock");
  const now = BigInt(await time.latest());
  const schedule = { cliff: now + CLIFF_DELAY, end: now + CLIFF_DELAY + LINEAR_DURATION };
  const vesting = await ethers.deployContract("TokenVestingNoStaking", [
    await beneficiary.getAddress(),
    await revoker.getAddress(),
    schedule.cliff,
    schedule.end,
    false,
  ]);
  await token.mint(await vesting.getAddress(), TOTAL);
  return { token, vesting, beneficiary, revoker, schedule };
}

/** Checks that the token's hook fired and that its call reverted with the vesting's error `name(args)`. */
async function expectHookReverted(
  token: HostileToken__Mock,
  vesting: TokenVestingNoStaking,
  name: string,
  args: readonly unknown[],
): Promise<void> {
  const [called, succeeded, returned] = await token.hookOutcome();
  expect(called, "the hook fired").to.equal(true);
  expect(succeeded, "the re-entrant call succeeded").to.equal(false);
  expect(returned).to.equal(vesting.interface.encodeErrorResult(name, args));
}

describe("TokenVestingNoStaking", function () {
  restoreChainAfterSuite();

  describe("#constructor", function () {
    async function deployArgs() {
      const f = await loadFixture(vestingFixture);
      const factory = await ethers.getContractFactory("TokenVestingNoStaking");
      return { f, factory, now: BigInt(await time.latest()) };
    }

    it("records the beneficiary, the revoker, the dates and whether the beneficiary is transferable", async function () {
      const { vesting, beneficiary, revoker, schedule } = await loadFixture(vestingFixture);
      expect(await vesting.getBeneficiary()).to.equal(beneficiary.address);
      expect(await vesting.getRevoker()).to.equal(revoker.address);
      expect(await vesting.cliff()).to.equal(schedule.cliff);
      expect(await vesting.end()).to.equal(schedule.end);
      expect(await vesting.transferableBeneficiary()).to.equal(true);
    });

    it("starts with nothing released or revoked", async function () {
      const { vesting, sesh, other } = await loadFixture(vestingFixture);
      expect(await vesting.released(sesh)).to.equal(0n);
      expect(await vesting.released(other)).to.equal(0n);
      expect(await vesting.revoked()).to.equal(false);
      expect(await vesting.isRevoked(sesh)).to.equal(false);
    });

    it("vests one fifth at the cliff (CLIFF_DENOMINATOR is 5, as the reference's)", async function () {
      const { vesting } = await loadFixture(vestingFixture);
      expect(await vesting.CLIFF_DENOMINATOR()).to.equal(5n);
      expect(CLIFF_DENOMINATOR).to.equal(5n);
    });

    it("accepts the zero address as the revoker (a vesting that cannot be revoked) and a fixed beneficiary", async function () {
      const { vesting } = await loadFixture(fixedFixture);
      expect(await vesting.getRevoker()).to.equal(ZeroAddress);
      expect(await vesting.transferableBeneficiary()).to.equal(false);
    });

    it("accepts a cliff in the past", async function () {
      const { f, factory, now } = await deployArgs();
      const vesting = await factory.deploy(f.beneficiary.address, f.revoker.address, 1n, now + DAY, false);
      expect(await vesting.cliff()).to.equal(1n);
    });

    it("accepts a cliff equal to the end, which vests everything at once then", async function () {
      const { f, factory, now } = await deployArgs();
      const end = now + DAY;
      const vesting = await factory.deploy(f.beneficiary.address, f.revoker.address, end, end, false);
      await f.sesh.transfer(await vesting.getAddress(), TOTAL);
      expect(await vesting.vestedAmount(f.sesh, end - 1n)).to.equal(0n);
      expect(await vesting.vestedAmount(f.sesh, end)).to.equal(TOTAL);
    });

    it("accepts an end one second after the deployment's block", async function () {
      const { f, factory, now } = await deployArgs();
      await time.setNextBlockTimestamp(now + 1n);
      const vesting = await factory.deploy(f.beneficiary.address, f.revoker.address, now, now + 2n, false);
      expect(await vesting.end()).to.equal(now + 2n);
    });

    it("reverts if the beneficiary is the zero address", async function () {
      const { f, factory } = await deployArgs();
      await expect(factory.deploy(ZeroAddress, f.revoker.address, f.schedule.cliff, f.schedule.end, true))
        .to.be.revertedWithCustomError(factory, "InvalidBeneficiary")
        .withArgs(ZeroAddress);
    });

    it("reverts if the beneficiary is the vesting contract itself", async function () {
      const { f, factory } = await deployArgs();
      const nonce = await ethers.provider.getTransactionCount(f.deployer.address);
      const self = getCreateAddress({ from: f.deployer.address, nonce });
      await expect(factory.deploy(self, f.revoker.address, f.schedule.cliff, f.schedule.end, true))
        .to.be.revertedWithCustomError(factory, "InvalidBeneficiary")
        .withArgs(self);
    });

    it("reverts if the cliff is 0", async function () {
      const { f, factory } = await deployArgs();
      await expect(
        factory.deploy(f.beneficiary.address, f.revoker.address, 0n, f.schedule.end, true),
      ).to.be.revertedWithCustomError(factory, "ZeroCliff");
    });

    it("reverts if the cliff is after the end", async function () {
      const { f, factory } = await deployArgs();
      const { end } = f.schedule;
      await expect(factory.deploy(f.beneficiary.address, f.revoker.address, end + 1n, end, true))
        .to.be.revertedWithCustomError(factory, "CliffAfterEnd")
        .withArgs(end + 1n, end);
    });

    it("reverts if the end is the deployment's second", async function () {
      const { f, factory, now } = await deployArgs();
      const at = now + 10n;
      await time.setNextBlockTimestamp(at);
      await expect(factory.deploy(f.beneficiary.address, f.revoker.address, at, at, true))
        .to.be.revertedWithCustomError(factory, "EndNotInFuture")
        .withArgs(at, at);
    });

    it("reverts if the end is in the past", async function () {
      const { f, factory, now } = await deployArgs();
      const at = now + 10n;
      await time.setNextBlockTimestamp(at);
      await expect(factory.deploy(f.beneficiary.address, f.revoker.address, now - DAY, now - 1n, true))
        .to.be.revertedWithCustomError(factory, "EndNotInFuture")
        .withArgs(now - 1n, at);
    });
  });

  describe("#vestedAmount", function () {
    it("follows the reference at every boundary of the schedule", async function () {
      const f = await loadFixture(vestingFixture);
      for (const { name, timestamp } of boundaries(f)) {
        expect(await f.vesting.vestedAmount(f.sesh, timestamp), name).to.equal(expected(f, TOTAL, timestamp));
      }
    });

    it("is 0 before the cliff, a fifth at the cliff (rounded down), and the total from the end on", async function () {
      const f = await loadFixture(vestingFixture);
      const { cliff, end } = f.schedule;
      expect(await f.vesting.vestedAmount(f.sesh, 0n)).to.equal(0n);
      expect(await f.vesting.vestedAmount(f.sesh, cliff - 1n)).to.equal(0n);
      expect(await f.vesting.vestedAmount(f.sesh, cliff)).to.equal(TOTAL / 5n);
      expect(await f.vesting.vestedAmount(f.sesh, end - 1n)).to.be.lessThan(TOTAL);
      expect(await f.vesting.vestedAmount(f.sesh, end)).to.equal(TOTAL);
      expect(await f.vesting.vestedAmount(f.sesh, 2n ** 256n - 1n)).to.equal(TOTAL);
    });

    it("follows the reference at random timestamps, for each token on its own total", async function () {
      const f = await loadFixture(vestingFixture);
      const { cliff, end } = f.schedule;
      const samples = fc.sample(fc.bigInt({ min: cliff - DAY, max: end + DAY }), {
        numRuns: RANDOM_TIMESTAMPS,
        seed: FC_SEED,
      });
      for (const timestamp of samples) {
        expect(await f.vesting.vestedAmount(f.sesh, timestamp), `SESH at ${timestamp}`).to.equal(
          expected(f, TOTAL, timestamp),
        );
        expect(await f.vesting.vestedAmount(f.other, timestamp), `other at ${timestamp}`).to.equal(
          expected(f, OTHER_TOTAL, timestamp),
        );
      }
    });

    it("counts what has been released in the total", async function () {
      const f = await loadFixture(vestingFixture);
      const middle = f.schedule.cliff + LINEAR_DURATION / 2n;
      await time.setNextBlockTimestamp(middle);
      await f.vesting.connect(f.beneficiary).release(f.sesh);
      for (const { name, timestamp } of boundaries(f)) {
        expect(await f.vesting.vestedAmount(f.sesh, timestamp), name).to.equal(expected(f, TOTAL, timestamp));
      }
    });

    it("counts tokens sent later in the total", async function () {
      const f = await loadFixture(vestingFixture);
      await f.sesh.transfer(f.address, TOTAL);
      for (const { name, timestamp } of boundaries(f)) {
        expect(await f.vesting.vestedAmount(f.sesh, timestamp), name).to.equal(expected(f, 2n * TOTAL, timestamp));
      }
    });

    it("is 0 for a token the vesting never held", async function () {
      const f = await loadFixture(vestingFixture);
      const token = await ethers.deployContract("HostileToken__Mock");
      expect(await f.vesting.vestedAmount(token, f.schedule.end)).to.equal(0n);
    });
  });

  describe("#releasable", function () {
    it("is what has vested at the latest block less what has been released", async function () {
      const f = await loadFixture(vestingFixture);
      const middle = f.schedule.cliff + LINEAR_DURATION / 2n;
      await time.increaseTo(middle);
      expect(await f.vesting.releasable(f.sesh)).to.equal(expected(f, TOTAL, middle));
      await time.setNextBlockTimestamp(middle + DAY);
      await f.vesting.connect(f.beneficiary).release(f.sesh);
      await time.increaseTo(middle + 2n * DAY);
      expect(await f.vesting.releasable(f.sesh)).to.equal(
        expected(f, TOTAL, middle + 2n * DAY) - expected(f, TOTAL, middle + DAY),
      );
    });

    it("is 0 before the cliff", async function () {
      const f = await loadFixture(vestingFixture);
      await time.increaseTo(f.schedule.cliff - 1n);
      expect(await f.vesting.releasable(f.sesh)).to.equal(0n);
    });
  });

  describe("#release", function () {
    it("reverts if the caller is not the beneficiary", async function () {
      const f = await loadFixture(vestingFixture);
      await time.increaseTo(f.schedule.end);
      for (const caller of [f.revoker, f.stranger, f.deployer]) {
        await expect(f.vesting.connect(caller).release(f.sesh))
          .to.be.revertedWithCustomError(f.vesting, "NotBeneficiary")
          .withArgs(caller.address);
      }
    });

    it("reverts a second before the cliff: nothing has vested", async function () {
      const f = await loadFixture(vestingFixture);
      await time.setNextBlockTimestamp(f.schedule.cliff - 1n);
      await expect(f.vesting.connect(f.beneficiary).release(f.sesh))
        .to.be.revertedWithCustomError(f.vesting, "NothingToRelease")
        .withArgs(await f.sesh.getAddress());
    });

    it("pays a fifth at the cliff", async function () {
      const f = await loadFixture(vestingFixture);
      await time.setNextBlockTimestamp(f.schedule.cliff);
      await expect(f.vesting.connect(f.beneficiary).release(f.sesh)).to.changeTokenBalances(
        f.sesh,
        [f.vesting, f.beneficiary],
        [-(TOTAL / 5n), TOTAL / 5n],
      );
    });

    it("pays what has vested at each boundary after partial releases, and records it as released", async function () {
      const f = await loadFixture(vestingFixture);
      let released = 0n;
      for (const { name, timestamp } of vestingBoundaries(f)) {
        const due = expected(f, TOTAL, timestamp) - released;
        await time.setNextBlockTimestamp(timestamp);
        await expect(f.vesting.connect(f.beneficiary).release(f.sesh), name)
          .to.emit(f.vesting, "TokensReleased")
          .withArgs(await f.sesh.getAddress(), due);
        released += due;
        expect(await f.vesting.released(f.sesh), name).to.equal(released);
        expect(await f.sesh.balanceOf(f.beneficiary.address), name).to.equal(released);
        expect(await f.sesh.balanceOf(f.address), name).to.equal(TOTAL - released);
      }
      expect(released).to.equal(TOTAL);
    });

    it("pays everything at once at the end when nothing was released before", async function () {
      const f = await loadFixture(vestingFixture);
      await time.setNextBlockTimestamp(f.schedule.end);
      await expect(f.vesting.connect(f.beneficiary).release(f.sesh))
        .to.emit(f.vesting, "TokensReleased")
        .withArgs(await f.sesh.getAddress(), TOTAL);
      expect(await f.sesh.balanceOf(f.address)).to.equal(0n);
    });

    it("reverts once everything vested has been released", async function () {
      const f = await loadFixture(vestingFixture);
      await time.setNextBlockTimestamp(f.schedule.end);
      await f.vesting.connect(f.beneficiary).release(f.sesh);
      await expect(f.vesting.connect(f.beneficiary).release(f.sesh))
        .to.be.revertedWithCustomError(f.vesting, "NothingToRelease")
        .withArgs(await f.sesh.getAddress());
    });

    it("vests a second token on the same schedule, on its own total", async function () {
      const f = await loadFixture(vestingFixture);
      const middle = f.schedule.cliff + LINEAR_DURATION / 2n;
      await time.setNextBlockTimestamp(middle);
      await f.vesting.connect(f.beneficiary).release(f.other);
      expect(await f.other.balanceOf(f.beneficiary.address)).to.equal(expected(f, OTHER_TOTAL, middle));
      expect(await f.vesting.released(f.other)).to.equal(expected(f, OTHER_TOTAL, middle));
      expect(await f.vesting.released(f.sesh)).to.equal(0n);
      await time.setNextBlockTimestamp(middle + DAY);
      await f.vesting.connect(f.beneficiary).release(f.sesh);
      expect(await f.sesh.balanceOf(f.beneficiary.address)).to.equal(expected(f, TOTAL, middle + DAY));
    });

    it("pays tokens sent after a release on the schedule of the new total", async function () {
      const f = await loadFixture(vestingFixture);
      const middle = f.schedule.cliff + LINEAR_DURATION / 2n;
      await time.setNextBlockTimestamp(middle);
      await f.vesting.connect(f.beneficiary).release(f.sesh);
      const topUp = 1_000n * ATOMS_PER_SESH + 1n;
      await f.sesh.transfer(f.address, topUp);
      await time.setNextBlockTimestamp(middle + DAY);
      await f.vesting.connect(f.beneficiary).release(f.sesh);
      expect(await f.vesting.released(f.sesh)).to.equal(expected(f, TOTAL + topUp, middle + DAY));
    });

    it("pays the new beneficiary after a transfer, and no longer the former one", async function () {
      const f = await loadFixture(vestingFixture);
      await f.vesting.connect(f.beneficiary).transferBeneficiary(f.newcomer.address);
      await time.increaseTo(f.schedule.cliff);
      await expect(f.vesting.connect(f.beneficiary).release(f.sesh))
        .to.be.revertedWithCustomError(f.vesting, "NotBeneficiary")
        .withArgs(f.beneficiary.address);
      await time.setNextBlockTimestamp(f.schedule.cliff + DAY);
      await expect(f.vesting.connect(f.newcomer).release(f.sesh)).to.changeTokenBalance(
        f.sesh,
        f.newcomer,
        expected(f, TOTAL, f.schedule.cliff + DAY),
      );
    });

    it("reverts with SafeERC20FailedOperation when the token refuses the transfer, and records nothing", async function () {
      const f = await loadFixture(vestingFixture);
      await f.other.setRefuseTransfers(true);
      await time.setNextBlockTimestamp(f.schedule.end);
      await expect(f.vesting.connect(f.beneficiary).release(f.other))
        .to.be.revertedWithCustomError(f.vesting, "SafeERC20FailedOperation")
        .withArgs(await f.other.getAddress());
      expect(await f.vesting.released(f.other)).to.equal(0n);
    });

    it("reverts for an address without code, which has no balance to read", async function () {
      const f = await loadFixture(vestingFixture);
      await time.increaseTo(f.schedule.end);
      await expect(f.vesting.connect(f.beneficiary).release(f.stranger.address)).to.be.revertedWithoutReason();
    });

    describe("when the token takes a fee on transfers", function () {
      it("records what left the vesting as released; the beneficiary gets it less the fee", async function () {
        const f = await loadFixture(vestingFixture);
        await f.other.setFee(FEE_BASIS_POINTS);
        const middle = f.schedule.cliff + LINEAR_DURATION / 2n;
        const due = expected(f, OTHER_TOTAL, middle);
        const fee = (due * FEE_BASIS_POINTS) / BASIS_POINTS;
        await time.setNextBlockTimestamp(middle);
        await expect(f.vesting.connect(f.beneficiary).release(f.other)).to.changeTokenBalances(
          f.other,
          [f.vesting, f.beneficiary],
          [-due, due - fee],
        );
        expect(await f.vesting.released(f.other)).to.equal(due);
        expect(await f.vesting.vestedAmount(f.other, middle)).to.equal(due);
      });
    });

    describe("when the token's balance shrinks on its own (a negative rebase)", function () {
      it("leaves nothing releasable while less is vested than was released, without an underflow", async function () {
        const f = await loadFixture(vestingFixture);
        const middle = f.schedule.cliff + LINEAR_DURATION / 2n;
        await time.setNextBlockTimestamp(middle);
        await f.vesting.connect(f.beneficiary).release(f.other);
        const released = await f.vesting.released(f.other);
        // Burn all but one atom: the total falls to released + 1, of which less than `released` has vested.
        await f.other.burn(f.address, OTHER_TOTAL - released - 1n);
        await time.setNextBlockTimestamp(middle + DAY);
        await expect(f.vesting.connect(f.beneficiary).release(f.other))
          .to.be.revertedWithCustomError(f.vesting, "NothingToRelease")
          .withArgs(await f.other.getAddress());
        expect(await f.vesting.releasable(f.other)).to.equal(0n);
      });

      it("pays the rest at the end", async function () {
        const f = await loadFixture(vestingFixture);
        const middle = f.schedule.cliff + LINEAR_DURATION / 2n;
        await time.setNextBlockTimestamp(middle);
        await f.vesting.connect(f.beneficiary).release(f.other);
        const released = await f.vesting.released(f.other);
        await f.other.burn(f.address, OTHER_TOTAL - released - 1n);
        await time.setNextBlockTimestamp(f.schedule.end);
        await expect(f.vesting.connect(f.beneficiary).release(f.other))
          .to.emit(f.vesting, "TokensReleased")
          .withArgs(await f.other.getAddress(), 1n);
      });
    });

    describe("when a token calls back during the transfer", function () {
      it("refuses the token itself as a caller", async function () {
        const f = await loadFixture(vestingFixture);
        await f.other.armHook(f.address, f.vesting.interface.encodeFunctionData("release", [f.other.target]), true);
        await time.setNextBlockTimestamp(f.schedule.end);
        await f.vesting.connect(f.beneficiary).release(f.other);
        await expectHookReverted(f.other, f.vesting, "NotBeneficiary", [await f.other.getAddress()]);
        expect(await f.other.balanceOf(f.beneficiary.address)).to.equal(OTHER_TOTAL);
      });

      for (const beforeMove of [true, false]) {
        const when = beforeMove ? "before" : "after";
        it(`refuses a contract beneficiary releasing again ${when} the balances move, and pays only what was due`, async function () {
          const r = await loadFixture(contractRolesFixture);
          const release = r.vesting.interface.encodeFunctionData("release", [r.token.target]);
          const again = r.beneficiary.interface.encodeFunctionData("forward", [r.vesting.target, release]);
          await r.token.armHook(r.beneficiary.target, again, beforeMove);
          const middle = r.schedule.cliff + LINEAR_DURATION / 2n;
          await time.setNextBlockTimestamp(middle);
          await r.beneficiary.forward(r.vesting, release);
          await expectHookReverted(r.token, r.vesting, "ReentrancyGuardReentrantCall", []);
          const due = vestedAmount(TOTAL, r.schedule.cliff, r.schedule.end, middle);
          expect(await r.token.balanceOf(r.beneficiary.target)).to.equal(due);
          expect(await r.vesting.released(r.token)).to.equal(due);
        });
      }

      it("refuses a contract revoker revoking from inside a release", async function () {
        const r = await loadFixture(contractRolesFixture);
        const revoke = r.vesting.interface.encodeFunctionData("revoke", [r.token.target]);
        const call = r.revoker.interface.encodeFunctionData("forward", [r.vesting.target, revoke]);
        await r.token.armHook(r.revoker.target, call, true);
        await time.setNextBlockTimestamp(r.schedule.cliff);
        await r.beneficiary.forward(r.vesting, r.vesting.interface.encodeFunctionData("release", [r.token.target]));
        await expectHookReverted(r.token, r.vesting, "ReentrancyGuardReentrantCall", []);
        expect(await r.vesting.isRevoked(r.token)).to.equal(false);
      });
    });
  });

  describe("#revoke", function () {
    it("reverts if the caller is not the revoker", async function () {
      const f = await loadFixture(vestingFixture);
      for (const caller of [f.beneficiary, f.stranger, f.deployer]) {
        await expect(f.vesting.connect(caller).revoke(f.sesh))
          .to.be.revertedWithCustomError(f.vesting, "NotRevoker")
          .withArgs(caller.address);
      }
    });

    it("reverts for everyone when the revoker is the zero address", async function () {
      const f = await loadFixture(fixedFixture);
      for (const caller of [f.beneficiary, f.revoker, f.stranger, f.deployer]) {
        await expect(f.vesting.connect(caller).revoke(f.sesh))
          .to.be.revertedWithCustomError(f.vesting, "NotRevoker")
          .withArgs(caller.address);
      }
    });

    it("refunds everything before the cliff, and leaves nothing to release", async function () {
      const f = await loadFixture(vestingFixture);
      await time.setNextBlockTimestamp(f.schedule.cliff - 1n);
      await expect(f.vesting.connect(f.revoker).revoke(f.sesh))
        .to.emit(f.vesting, "TokenVestingRevoked")
        .withArgs(await f.sesh.getAddress(), TOTAL);
      expect(await f.sesh.balanceOf(f.revoker.address)).to.equal(TOTAL);
      expect(await f.sesh.balanceOf(f.address)).to.equal(0n);
      await expect(f.vesting.connect(f.beneficiary).release(f.sesh))
        .to.be.revertedWithCustomError(f.vesting, "NothingToRelease")
        .withArgs(await f.sesh.getAddress());
    });

    for (const boundary of [
      "the cliff",
      "a second after the cliff",
      "the middle of the linear part",
      "a second before the end",
    ]) {
      it(`at ${boundary}, refunds the unvested part and leaves the vested part releasable`, async function () {
        const f = await loadFixture(vestingFixture);
        const at = boundaries(f).find(({ name }) => name === boundary)?.timestamp;
        if (at === undefined) throw new Error(`no boundary named ${boundary}`);
        const vested = expected(f, TOTAL, at);
        await time.setNextBlockTimestamp(at);
        await expect(f.vesting.connect(f.revoker).revoke(f.sesh))
          .to.emit(f.vesting, "TokenVestingRevoked")
          .withArgs(await f.sesh.getAddress(), TOTAL - vested);
        expect(await f.sesh.balanceOf(f.revoker.address)).to.equal(TOTAL - vested);
        expect(await f.vesting.vestedAmount(f.sesh, 0n)).to.equal(vested);
        await expect(f.vesting.connect(f.beneficiary).release(f.sesh)).to.changeTokenBalance(
          f.sesh,
          f.beneficiary,
          vested,
        );
        expect((await f.sesh.balanceOf(f.beneficiary.address)) + (await f.sesh.balanceOf(f.revoker.address))).to.equal(
          TOTAL,
        );
      });
    }

    it("after partial releases, refunds the balance less what is releasable", async function () {
      const f = await loadFixture(vestingFixture);
      const middle = f.schedule.cliff + LINEAR_DURATION / 2n;
      await time.setNextBlockTimestamp(f.schedule.cliff + 1n);
      await f.vesting.connect(f.beneficiary).release(f.sesh);
      const released = await f.vesting.released(f.sesh);
      await time.setNextBlockTimestamp(middle);
      await f.vesting.connect(f.revoker).revoke(f.sesh);
      const kept = expected(f, TOTAL, middle) - released;
      expect(await f.sesh.balanceOf(f.revoker.address)).to.equal(TOTAL - released - kept);
      expect(await f.sesh.balanceOf(f.address)).to.equal(kept);
      expect(await f.vesting.releasable(f.sesh)).to.equal(kept);
    });

    it("marks the token and the vesting as revoked", async function () {
      const f = await loadFixture(vestingFixture);
      await f.vesting.connect(f.revoker).revoke(f.sesh);
      expect(await f.vesting.isRevoked(f.sesh)).to.equal(true);
      expect(await f.vesting.revoked()).to.equal(true);
      expect(await f.vesting.isRevoked(f.other)).to.equal(false);
    });

    it("reverts if the token has already been revoked", async function () {
      const f = await loadFixture(vestingFixture);
      await f.vesting.connect(f.revoker).revoke(f.sesh);
      await expect(f.vesting.connect(f.revoker).revoke(f.sesh))
        .to.be.revertedWithCustomError(f.vesting, "AlreadyRevoked")
        .withArgs(await f.sesh.getAddress());
    });

    it("reverts at the end, when everything has vested", async function () {
      const f = await loadFixture(vestingFixture);
      const { end } = f.schedule;
      await time.setNextBlockTimestamp(end);
      await expect(f.vesting.connect(f.revoker).revoke(f.sesh))
        .to.be.revertedWithCustomError(f.vesting, "VestingEnded")
        .withArgs(end, end);
    });

    it("reverts after the end", async function () {
      const f = await loadFixture(vestingFixture);
      const { end } = f.schedule;
      await time.setNextBlockTimestamp(end + DAY);
      await expect(f.vesting.connect(f.revoker).revoke(f.sesh))
        .to.be.revertedWithCustomError(f.vesting, "VestingEnded")
        .withArgs(end, end + DAY);
    });

    it("leaves another token vesting on the schedule, revocable on its own", async function () {
      const f = await loadFixture(vestingFixture);
      const middle = f.schedule.cliff + LINEAR_DURATION / 2n;
      await time.setNextBlockTimestamp(middle);
      await f.vesting.connect(f.revoker).revoke(f.sesh);
      expect(await f.vesting.vestedAmount(f.other, middle + DAY)).to.equal(expected(f, OTHER_TOTAL, middle + DAY));
      await time.setNextBlockTimestamp(middle + DAY);
      await expect(f.vesting.connect(f.revoker).revoke(f.other))
        .to.emit(f.vesting, "TokenVestingRevoked")
        .withArgs(await f.other.getAddress(), OTHER_TOTAL - expected(f, OTHER_TOTAL, middle + DAY));
    });

    it("makes tokens sent after it releasable by the beneficiary at once", async function () {
      const f = await loadFixture(vestingFixture);
      await time.setNextBlockTimestamp(f.schedule.cliff - DAY);
      await f.vesting.connect(f.revoker).revoke(f.sesh);
      const late = 5_000n * ATOMS_PER_SESH;
      await f.sesh.transfer(f.address, late);
      expect(await f.vesting.releasable(f.sesh)).to.equal(late);
      await expect(f.vesting.connect(f.beneficiary).release(f.sesh)).to.changeTokenBalance(f.sesh, f.beneficiary, late);
    });

    it("moves nothing when nothing is left to refund, even for a token that refuses transfers", async function () {
      const f = await loadFixture(vestingFixture);
      const token = await ethers.deployContract("HostileToken__Mock");
      await token.setRefuseTransfers(true);
      await expect(f.vesting.connect(f.revoker).revoke(token))
        .to.emit(f.vesting, "TokenVestingRevoked")
        .withArgs(await token.getAddress(), 0n);
      expect(await f.vesting.isRevoked(token)).to.equal(true);
    });

    it("reverts with SafeERC20FailedOperation when the token refuses the refund, and stays unrevoked", async function () {
      const f = await loadFixture(vestingFixture);
      await f.other.setRefuseTransfers(true);
      await expect(f.vesting.connect(f.revoker).revoke(f.other))
        .to.be.revertedWithCustomError(f.vesting, "SafeERC20FailedOperation")
        .withArgs(await f.other.getAddress());
      expect(await f.vesting.isRevoked(f.other)).to.equal(false);
      expect(await f.vesting.revoked()).to.equal(false);
    });

    it("keeps the vested part exactly when the token takes a fee on the refund", async function () {
      const f = await loadFixture(vestingFixture);
      await f.other.setFee(FEE_BASIS_POINTS);
      const middle = f.schedule.cliff + LINEAR_DURATION / 2n;
      const refund = OTHER_TOTAL - expected(f, OTHER_TOTAL, middle);
      await time.setNextBlockTimestamp(middle);
      await expect(f.vesting.connect(f.revoker).revoke(f.other)).to.changeTokenBalances(
        f.other,
        [f.vesting, f.revoker],
        [-refund, refund - (refund * FEE_BASIS_POINTS) / BASIS_POINTS],
      );
      expect(await f.other.balanceOf(f.address)).to.equal(expected(f, OTHER_TOTAL, middle));
    });

    it("refuses a contract beneficiary releasing from inside the refund's transfer", async function () {
      const r = await loadFixture(contractRolesFixture);
      const release = r.vesting.interface.encodeFunctionData("release", [r.token.target]);
      const call = r.beneficiary.interface.encodeFunctionData("forward", [r.vesting.target, release]);
      await r.token.armHook(r.beneficiary.target, call, true);
      await time.setNextBlockTimestamp(r.schedule.cliff);
      await r.revoker.forward(r.vesting, r.vesting.interface.encodeFunctionData("revoke", [r.token.target]));
      await expectHookReverted(r.token, r.vesting, "ReentrancyGuardReentrantCall", []);
      expect(await r.vesting.released(r.token)).to.equal(0n);
      expect(await r.token.balanceOf(r.vesting.target)).to.equal(TOTAL / 5n);
    });
  });

  describe("#transferBeneficiary", function () {
    it("reverts if the caller is not the beneficiary", async function () {
      const f = await loadFixture(vestingFixture);
      for (const caller of [f.revoker, f.stranger, f.newcomer]) {
        await expect(f.vesting.connect(caller).transferBeneficiary(caller.address))
          .to.be.revertedWithCustomError(f.vesting, "NotBeneficiary")
          .withArgs(caller.address);
      }
    });

    it("reverts if the vesting was deployed with a fixed beneficiary", async function () {
      const f = await loadFixture(fixedFixture);
      await expect(
        f.vesting.connect(f.beneficiary).transferBeneficiary(f.newcomer.address),
      ).to.be.revertedWithCustomError(f.vesting, "BeneficiaryNotTransferable");
    });

    it("reverts if the new beneficiary is the zero address", async function () {
      const f = await loadFixture(vestingFixture);
      await expect(f.vesting.connect(f.beneficiary).transferBeneficiary(ZeroAddress))
        .to.be.revertedWithCustomError(f.vesting, "InvalidBeneficiary")
        .withArgs(ZeroAddress);
    });

    it("reverts if the new beneficiary is the vesting contract itself", async function () {
      const f = await loadFixture(vestingFixture);
      await expect(f.vesting.connect(f.beneficiary).transferBeneficiary(f.address))
        .to.be.revertedWithCustomError(f.vesting, "InvalidBeneficiary")
        .withArgs(f.address);
    });

    it("hands the vesting to the new beneficiary and emits BeneficiaryTransferred", async function () {
      const f = await loadFixture(vestingFixture);
      await expect(f.vesting.connect(f.beneficiary).transferBeneficiary(f.newcomer.address))
        .to.emit(f.vesting, "BeneficiaryTransferred")
        .withArgs(f.beneficiary.address, f.newcomer.address);
      expect(await f.vesting.getBeneficiary()).to.equal(f.newcomer.address);
    });

    it("still works after a revoke: the vested part is the beneficiary's", async function () {
      const f = await loadFixture(vestingFixture);
      await time.setNextBlockTimestamp(f.schedule.cliff);
      await f.vesting.connect(f.revoker).revoke(f.sesh);
      await f.vesting.connect(f.beneficiary).transferBeneficiary(f.newcomer.address);
      await expect(f.vesting.connect(f.newcomer).release(f.sesh)).to.changeTokenBalance(f.sesh, f.newcomer, TOTAL / 5n);
    });
  });

  describe("#transferRevoker", function () {
    it("reverts if the caller is not the revoker", async function () {
      const f = await loadFixture(vestingFixture);
      for (const caller of [f.beneficiary, f.stranger, f.newcomer]) {
        await expect(f.vesting.connect(caller).transferRevoker(caller.address))
          .to.be.revertedWithCustomError(f.vesting, "NotRevoker")
          .withArgs(caller.address);
      }
    });

    it("hands the role on and emits RevokerTransferred: the new revoker revokes, the former one no longer can", async function () {
      const f = await loadFixture(vestingFixture);
      await expect(f.vesting.connect(f.revoker).transferRevoker(f.newcomer.address))
        .to.emit(f.vesting, "RevokerTransferred")
        .withArgs(f.revoker.address, f.newcomer.address);
      expect(await f.vesting.getRevoker()).to.equal(f.newcomer.address);
      await expect(f.vesting.connect(f.revoker).revoke(f.sesh))
        .to.be.revertedWithCustomError(f.vesting, "NotRevoker")
        .withArgs(f.revoker.address);
      await expect(f.vesting.connect(f.newcomer).revoke(f.sesh)).to.changeTokenBalance(f.sesh, f.newcomer, TOTAL);
    });

    it("gives the role up for good when handed to the zero address", async function () {
      const f = await loadFixture(vestingFixture);
      await expect(f.vesting.connect(f.revoker).transferRevoker(ZeroAddress))
        .to.emit(f.vesting, "RevokerTransferred")
        .withArgs(f.revoker.address, ZeroAddress);
      expect(await f.vesting.getRevoker()).to.equal(ZeroAddress);
      await expect(f.vesting.connect(f.revoker).revoke(f.sesh))
        .to.be.revertedWithCustomError(f.vesting, "NotRevoker")
        .withArgs(f.revoker.address);
    });
  });
});

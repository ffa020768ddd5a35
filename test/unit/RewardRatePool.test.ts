import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { type ContractTransactionResponse, MaxUint256, toBeHex, zeroPadValue, ZeroAddress } from "ethers";
import { ethers, network, upgrades } from "hardhat";

import { ATOMS_PER_SESH } from "../../lib/amount";
import {
  calculatePayoutAmount,
  REWARD_RATE_PERIOD,
  RewardRatePoolModel,
  SECONDS_PER_YEAR,
  STAKING_REWARDS_POOL,
} from "../../lib/rewards";
import type { RewardRatePool } from "../../typechain-types";
import { RewardRatePool__factory } from "../../typechain-types";
import { compareWithProductionAbi } from "../helpers/abi";
import { restoreChainAfterSuite } from "../helpers/chain";
import { deployRewardRatePool, type RewardRatePoolDeployment } from "../helpers/pool";

const DAY = 86_400n;
const ONE_SESH = ATOMS_PER_SESH;
/** The first elapsed time at which a balance releases all of itself: ceil(1000 × 365 days / 151) seconds (6.6 years). */
const WHOLE_BALANCE_TIME = 208_847_683n;
/** The smallest balance a one-second period releases an atom of: ceil(1000 × 365 days / 151) atoms. */
const ONE_ATOM_PER_SECOND_BALANCE = 208_847_683n;
/** A panic code of Solidity: arithmetic overflow. */
const PANIC_OVERFLOW = 0x11;
/** Production errors defined by OpenZeppelin 5.0.2's Address library, which OpenZeppelin 5.7's SafeERC20 no longer uses. */
const OZ_ERRORS = ["AddressEmptyCode", "AddressInsufficientBalance", "FailedInnerCall"] as const;

/** A pool holding the launch allocation, the beneficiary holding one SESH, and its model, synced at `t0`. */
interface FundedPool extends RewardRatePoolDeployment {
  /** A fresh model of the pool at `t0`, for this test alone. */
  readonly model: RewardRatePoolModel;
  /** The block timestamp of a first payout, after the funding: the model and the chain agree from there. */
  readonly t0: bigint;
}

/**
 * The unfunded pool. A fixture of this file's own: loadFixture keys its snapshots by function, and a snapshot taken
 * by another suite's `loadFixture(deployRewardRatePool)` is gone once that suite restores the chain.
 */
async function poolFixture(): Promise<RewardRatePoolDeployment> {
  return deployRewardRatePool();
}

async function fundedDeployment(): Promise<RewardRatePoolDeployment & { t0: bigint }> {
  const deployment = await deployRewardRatePool();
  const { pool, poolAddress, sesh, beneficiary } = deployment;
  await sesh.transfer(poolAddress, STAKING_REWARDS_POOL);
  await sesh.transfer(beneficiary.address, ONE_SESH);
  const t0 = BigInt(await time.latest()) + 1n;
  await time.setNextBlockTimestamp(t0);
  await pool.payoutReleased();
  return { ...deployment, t0 };
}

/** The funded pool, and a model built afresh (a fixture's objects are shared by every test that loads it). */
async function fundedFixture(): Promise<FundedPool> {
  const deployment = await loadFixture(fundedDeployment);
  const model = new RewardRatePoolModel(deployment.startTime);
  model.deposit(STAKING_REWARDS_POOL);
  model.advanceTo(deployment.t0);
  model.payoutReleased();
  return { ...deployment, model };
}

/** Sends a transaction in a block with the given timestamp. */
async function at<T>(timestamp: bigint, send: () => Promise<T>): Promise<T> {
  await time.setNextBlockTimestamp(timestamp);
  return send();
}

/** The amount `FundsReleased` reports in a mined payout. */
async function releasedBy(pool: RewardRatePool, sent: ContractTransactionResponse): Promise<bigint> {
  const receipt = await sent.wait();
  if (receipt === null) throw new Error("the payout was not mined");
  for (const log of receipt.logs) {
    const parsed = pool.interface.parseLog(log);
    if (parsed?.name === "FundsReleased") return parsed.args[0] as bigint;
  }
  throw new Error("the payout emitted no FundsReleased");
}

/** Every view of the pool next to the model's, at the latest block or at the block `blockTag`. */
async function expectViewsToMatch(
  pool: RewardRatePool,
  model: RewardRatePoolModel,
  blockTag: number | "latest" = "latest",
): Promise<void> {
  const { balance, totalPaidOut, lastPaidOutTime, now } = model.state;
  const view = { blockTag };
  expect(BigInt((await ethers.provider.getBlock(blockTag))?.timestamp ?? -1), "block timestamp").to.equal(now);
  expect(await pool.totalPaidOut(view), "totalPaidOut").to.equal(totalPaidOut);
  expect(await pool.lastPaidOutTime(view), "lastPaidOutTime").to.equal(lastPaidOutTime);
  expect(await pool.calculateTotalDeposited(view), "calculateTotalDeposited").to.equal(model.calculateTotalDeposited());
  expect(await pool.calculateReleasedAmount(view), "calculateReleasedAmount").to.equal(model.calculateReleasedAmount());
  expect(await pool.rewardRate(view), "rewardRate").to.equal(model.rewardRate());
  expect(await pool.calculatePayoutAmount(balance, now - lastPaidOutTime, view), "calculatePayoutAmount").to.equal(
    calculatePayoutAmount(balance, now - lastPaidOutTime),
  );
}

/** Pays out at `timestamp` on chain and in the model, and checks both paid the same and agree afterwards. */
async function expectPayoutToMatch(fixture: FundedPool, timestamp: bigint): Promise<bigint> {
  const { pool, sesh, poolAddress, model } = fixture;
  const paid = await releasedBy(pool, await at(timestamp, () => pool.payoutReleased()));
  model.advanceTo(timestamp);
  expect(paid, "payout").to.equal(model.payoutReleased());
  expect(await sesh.balanceOf(poolAddress), "pool balance").to.equal(model.state.balance);
  await expectViewsToMatch(pool, model);
  return paid;
}

/** Bit of slot 0 holding the pause flag: after lastPaidOutTime (64 bits) and totalPaidOut (184 bits). */
const PAUSED_BIT = 64n + 184n;
/** OpenZeppelin 5's ERC-7201 slot of PausableUpgradeable ("openzeppelin.storage.Pausable"). */
const OPENZEPPELIN_PAUSABLE_SLOT = "0xcd5ed15c6e187e77e9aee88184c21f4f2182ab5827cb3b7e07fbedcd63f03300";

describe("RewardRatePool", function () {
  restoreChainAfterSuite();

  describe("#initialize", function () {
    // The Staking module passes its deployer as the beneficiary, which is also the caller: a bare proxy, initialised
    // with another beneficiary, shows that initialize stores its argument.
    it("sets the beneficiary and the token", async function () {
      const { sesh, beneficiary } = await loadFixture(poolFixture);
      const factory = await ethers.getContractFactory("RewardRatePool");
      const proxy = await upgrades.deployProxy(factory, [beneficiary.address, await sesh.getAddress()], {
        kind: "transparent",
      });
      const pool = factory.attach(await proxy.getAddress()) as RewardRatePool;
      expect([await pool.beneficiary(), await pool.SESH()]).to.deep.equal([
        beneficiary.address,
        await sesh.getAddress(),
      ]);
    });

    it("makes the caller the owner, with no pending owner", async function () {
      const { pool, owner } = await loadFixture(poolFixture);
      expect([await pool.owner(), await pool.pendingOwner()]).to.deep.equal([owner.address, ZeroAddress]);
    });

    it("starts the release clock at the initialization's block, with nothing paid", async function () {
      const { pool, startTime } = await loadFixture(poolFixture);
      const initialization = await ethers.provider.getBlock(await initializationBlock(pool));
      expect(startTime).to.equal(BigInt(initialization?.timestamp ?? 0));
      expect(await pool.totalPaidOut()).to.equal(0n);
    });

    it("starts unpaused", async function () {
      const { pool } = await loadFixture(poolFixture);
      expect(await pool.paused()).to.equal(false);
    });

    it("emits BeneficiaryUpdated, OwnershipTransferred and Initialized(1)", async function () {
      const { pool, beneficiary, owner, rewardsAddress } = await loadFixture(poolFixture);
      const block = await initializationBlock(pool);
      const filter = async (
        name: "BeneficiaryUpdated" | "OwnershipTransferred" | "Initialized",
        to: number | string = block,
      ) => (await pool.queryFilter(pool.filters[name](), block, to)).map((event) => [...event.args]);
      // The Staking module initialises the pool with its deployer as the beneficiary.
      expect(await filter("BeneficiaryUpdated")).to.deep.equal([[owner.address]]);
      expect(await filter("OwnershipTransferred")).to.deep.equal([[ZeroAddress, owner.address]]);
      expect(await filter("Initialized")).to.deep.equal([[1n]]);
      // Then the module hands the payouts to the rewards contract, and the fixture to `beneficiary`.
      expect(await filter("BeneficiaryUpdated", "latest")).to.deep.equal([
        [owner.address],
        [rewardsAddress],
        [beneficiary.address],
      ]);
    });

    it("reverts if the beneficiary is the zero address", async function () {
      const { sesh } = await loadFixture(poolFixture);
      const factory = await ethers.getContractFactory("RewardRatePool");
      await expect(upgrades.deployProxy(factory, [ZeroAddress, await sesh.getAddress()], { kind: "transparent" }))
        .to.be.revertedWithCustomError(factory, "InvalidBeneficiary")
        .withArgs(ZeroAddress);
    });

    it("reverts if SESH is the zero address", async function () {
      const { beneficiary } = await loadFixture(poolFixture);
      const factory = await ethers.getContractFactory("RewardRatePool");
      await expect(upgrades.deployProxy(factory, [beneficiary.address, ZeroAddress], { kind: "transparent" }))
        .to.be.revertedWithCustomError(factory, "InvalidSesh")
        .withArgs(ZeroAddress);
    });

    it("reverts if called a second time", async function () {
      const { pool, stranger, sesh } = await loadFixture(poolFixture);
      await expect(
        pool.connect(stranger).initialize(stranger.address, await sesh.getAddress()),
      ).to.be.revertedWithCustomError(pool, "InvalidInitialization");
    });

    it("reverts on the implementation itself, which its constructor locks", async function () {
      const { pool, stranger, sesh, poolAddress } = await loadFixture(poolFixture);
      const implementation = RewardRatePool__factory.connect(
        await upgrades.erc1967.getImplementationAddress(poolAddress),
        stranger,
      );
      await expect(implementation.initialize(stranger.address, await sesh.getAddress())).to.be.revertedWithCustomError(
        pool,
        "InvalidInitialization",
      );
    });
  });

  describe("constants", function () {
    it("pays 151 per 1000 a year", async function () {
      const { pool } = await loadFixture(poolFixture);
      expect([await pool.ANNUAL_SIMPLE_PAYOUT_RATE(), await pool.BASIS_POINTS()]).to.deep.equal([151n, 1_000n]);
    });

    it("is version 1", async function () {
      const { pool } = await loadFixture(poolFixture);
      expect(await pool.VERSION()).to.equal(1n);
    });
  });

  describe("storage", function () {
    it("packs lastPaidOutTime and totalPaidOut in slot 0, then SESH and the beneficiary", async function () {
      const { pool, poolAddress, sesh, beneficiary } = await fundedFixture();
      const slot = async (index: number) => ethers.provider.getStorage(poolAddress, index);
      const packed = ((await pool.totalPaidOut()) << 64n) | (await pool.lastPaidOutTime());
      expect(await slot(0)).to.equal(toBeHex(packed, 32));
      expect(await slot(1)).to.equal(zeroPadValue(await sesh.getAddress(), 32).toLowerCase());
      expect(await slot(2)).to.equal(zeroPadValue(beneficiary.address, 32).toLowerCase());
      expect(await slot(3)).to.equal(toBeHex(0n, 32));
    });

    it("keeps the pause flag in slot 0 above the two figures, which pausing leaves as they were", async function () {
      const { pool, poolAddress, t0 } = await fundedFixture();
      await at(t0 + DAY, () => pool.payoutReleased());
      const figures = ((await pool.totalPaidOut()) << 64n) | (await pool.lastPaidOutTime());
      const slot0 = async () => BigInt(await ethers.provider.getStorage(poolAddress, 0));
      expect(await slot0()).to.equal(figures);
      await pool.pause();
      expect(await slot0()).to.equal(figures | (1n << PAUSED_BIT));
      // OpenZeppelin's own pause namespace is never written.
      expect(await ethers.provider.getStorage(poolAddress, OPENZEPPELIN_PAUSABLE_SLOT)).to.equal(toBeHex(0n, 32));
      await pool.unpause();
      expect(await slot0()).to.equal(figures);
    });
  });

  describe("#calculatePayoutAmount", function () {
    it("pays 15.1 % of the balance over a year", async function () {
      const { pool } = await loadFixture(poolFixture);
      expect(await pool.calculatePayoutAmount(STAKING_REWARDS_POOL, SECONDS_PER_YEAR)).to.equal(9_539_810_050_000_000n);
    });

    it("agrees with the model on balances and times around every rounding boundary", async function () {
      const { pool } = await loadFixture(poolFixture);
      const balances = [0n, 1n, ONE_ATOM_PER_SECOND_BALANCE - 1n, ONE_ATOM_PER_SECOND_BALANCE, STAKING_REWARDS_POOL];
      const times = [0n, 1n, 2n, 120n, DAY, SECONDS_PER_YEAR, WHOLE_BALANCE_TIME, 10n * SECONDS_PER_YEAR];
      for (const balance of balances) {
        for (const elapsed of times) {
          expect(await pool.calculatePayoutAmount(balance, elapsed), `${balance} over ${elapsed} s`).to.equal(
            calculatePayoutAmount(balance, elapsed),
          );
        }
      }
    });

    it("releases no atom per second below 208,847,683 atoms and one from there", async function () {
      const { pool } = await loadFixture(poolFixture);
      expect(await pool.calculatePayoutAmount(ONE_ATOM_PER_SECOND_BALANCE - 1n, 1n)).to.equal(0n);
      expect(await pool.calculatePayoutAmount(ONE_ATOM_PER_SECOND_BALANCE, 1n)).to.equal(1n);
    });

    it("is not capped at the balance", async function () {
      const { pool } = await loadFixture(poolFixture);
      expect(await pool.calculatePayoutAmount(1_000n, 10n * SECONDS_PER_YEAR)).to.equal(1_510n);
    });

    it("reverts with an overflow panic if balance × 151 × timeElapsed does not fit in 256 bits", async function () {
      const { pool } = await loadFixture(poolFixture);
      await expect(pool.calculatePayoutAmount(MaxUint256 / 151n + 1n, 1n)).to.be.revertedWithPanic(PANIC_OVERFLOW);
      await expect(pool.calculatePayoutAmount(2n ** 128n, 2n ** 128n)).to.be.revertedWithPanic(PANIC_OVERFLOW);
    });
  });

  describe("views against the model", function () {
    it("agree 0 s after a payout", async function () {
      const { pool, model } = await fundedFixture();
      await expectViewsToMatch(pool, model);
      expect(await pool.calculateReleasedAmount()).to.equal(await pool.totalPaidOut());
    });

    it("agree on an unfunded pool at its initialization", async function () {
      const { pool, startTime } = await loadFixture(poolFixture);
      // The Staking module and the fixture send transactions after the initialization: read the views at its block.
      await expectViewsToMatch(pool, new RewardRatePoolModel(startTime), await initializationBlock(pool));
    });

    for (const [label, elapsed] of [
      ["1 s", 1n],
      ["one day", DAY],
      ["one year", SECONDS_PER_YEAR],
      ["1000/151 years less a second", WHOLE_BALANCE_TIME - 1n],
      ["1000/151 years", WHOLE_BALANCE_TIME],
      ["ten years", 10n * SECONDS_PER_YEAR],
    ] as const) {
      it(`agree ${label} after a payout, and so does the next payout`, async function () {
        const fixture = await fundedFixture();
        const { pool, model, t0 } = fixture;
        await time.increaseTo(t0 + elapsed);
        model.advanceTo(t0 + elapsed);
        await expectViewsToMatch(pool, model);
        await expectPayoutToMatch(fixture, t0 + elapsed + 1n);
      });
    }

    it("agree one block after a payout, and so does the next payout", async function () {
      const fixture = await fundedFixture();
      const { pool, model } = fixture;
      await mine();
      model.advanceTo(BigInt(await time.latest()));
      await expectViewsToMatch(pool, model);
      await expectPayoutToMatch(fixture, model.state.now + 1n);
    });

    it("agree after a top-up, which counts from the last payout", async function () {
      const fixture = await fundedFixture();
      const { pool, poolAddress, sesh, model, t0 } = fixture;
      await at(t0 + DAY, () => sesh.transfer(poolAddress, STAKING_REWARDS_POOL / 3n));
      model.advanceTo(t0 + DAY);
      model.deposit(STAKING_REWARDS_POOL / 3n);
      await expectViewsToMatch(pool, model);
      const paid = await expectPayoutToMatch(fixture, t0 + 2n * DAY);
      expect(paid).to.equal(calculatePayoutAmount((await sesh.balanceOf(poolAddress)) + paid, 2n * DAY));
    });

    it("count a top-up from now when a payout comes just before it", async function () {
      const fixture = await fundedFixture();
      const { poolAddress, sesh, model, t0 } = fixture;
      await expectPayoutToMatch(fixture, t0 + DAY);
      await at(t0 + DAY + 1n, () => sesh.transfer(poolAddress, STAKING_REWARDS_POOL));
      model.deposit(STAKING_REWARDS_POOL);
      const before = model.state.balance;
      const paid = await expectPayoutToMatch(fixture, t0 + 2n * DAY);
      expect(paid).to.equal(calculatePayoutAmount(before, DAY));
    });
  });

  describe("#calculateTotalDeposited", function () {
    it("is the balance plus everything paid out", async function () {
      const { pool, poolAddress, sesh, t0 } = await fundedFixture();
      await at(t0 + DAY, () => pool.payoutReleased());
      expect(await pool.calculateTotalDeposited()).to.equal(STAKING_REWARDS_POOL);
      expect((await sesh.balanceOf(poolAddress)) + (await pool.totalPaidOut())).to.equal(STAKING_REWARDS_POOL);
    });
  });

  describe("#rewardRate", function () {
    it("is what the unreleased deposits release over 2 minutes", async function () {
      const { pool, t0 } = await fundedFixture();
      await time.increaseTo(t0 + DAY);
      const unreleased = (await pool.calculateTotalDeposited()) - (await pool.calculateReleasedAmount());
      expect(await pool.rewardRate()).to.equal(calculatePayoutAmount(unreleased, REWARD_RATE_PERIOD));
    });

    it("is 0 once the whole balance is released", async function () {
      const { pool, t0 } = await fundedFixture();
      await time.increaseTo(t0 + 10n * SECONDS_PER_YEAR);
      expect(await pool.rewardRate()).to.equal(0n);
    });
  });

  describe("#payoutReleased", function () {
    describe("when SESH was released", function () {
      it("transfers it from the pool to the beneficiary", async function () {
        const { pool, sesh, beneficiary, t0 } = await fundedFixture();
        const expected = calculatePayoutAmount(STAKING_REWARDS_POOL - (await pool.totalPaidOut()), DAY);
        await expect(at(t0 + DAY, () => pool.payoutReleased())).to.changeTokenBalances(
          sesh,
          [pool, beneficiary],
          [-expected, expected],
        );
      });

      it("emits FundsReleased and Transfer with the amount", async function () {
        const { pool, sesh, beneficiary, t0 } = await fundedFixture();
        const expected = calculatePayoutAmount(STAKING_REWARDS_POOL - (await pool.totalPaidOut()), DAY);
        const sent = at(t0 + DAY, () => pool.payoutReleased());
        await expect(sent).to.emit(pool, "FundsReleased").withArgs(expected);
        await expect(sent)
          .to.emit(sesh, "Transfer")
          .withArgs(await pool.getAddress(), beneficiary.address, expected);
      });

      it("adds it to totalPaidOut and restarts the clock", async function () {
        const { pool, t0 } = await fundedFixture();
        const before = await pool.totalPaidOut();
        const expected = calculatePayoutAmount(STAKING_REWARDS_POOL - before, DAY);
        await at(t0 + DAY, () => pool.payoutReleased());
        expect([await pool.totalPaidOut(), await pool.lastPaidOutTime()]).to.deep.equal([before + expected, t0 + DAY]);
      });

      it("may be called by anyone", async function () {
        const { pool, stranger, t0 } = await fundedFixture();
        await expect(at(t0 + DAY, () => pool.connect(stranger).payoutReleased())).to.emit(pool, "FundsReleased");
      });

      it("pays a contract beneficiary, which needs no hook", async function () {
        const { pool, sesh, t0 } = await fundedFixture();
        const contractBeneficiary = await ethers.deployContract("WrappedOxen__Mock");
        await pool.setBeneficiary(contractBeneficiary);
        const expected = calculatePayoutAmount(STAKING_REWARDS_POOL - (await pool.totalPaidOut()), DAY);
        await expect(at(t0 + DAY, () => pool.payoutReleased())).to.changeTokenBalance(
          sesh,
          contractBeneficiary,
          expected,
        );
      });
    });

    describe("when nothing was released", function () {
      it("emits FundsReleased(0) and no Transfer in the block of the last payout", async function () {
        const { pool, sesh, stranger, t0 } = await fundedFixture();
        await network.provider.send("evm_setAutomine", [false]);
        try {
          await time.setNextBlockTimestamp(t0 + DAY);
          const first = await pool.payoutReleased();
          const second = await pool.connect(stranger).payoutReleased();
          await mine();
          await expect(first).to.emit(pool, "FundsReleased");
          await expect(second).to.emit(pool, "FundsReleased").withArgs(0n);
          await expect(second).to.not.emit(sesh, "Transfer");
        } finally {
          await network.provider.send("evm_setAutomine", [true]);
        }
      });

      it("emits FundsReleased(0), sends no transfer and restarts the clock on an empty pool", async function () {
        const { pool, sesh, startTime } = await loadFixture(poolFixture);
        const sent = at(startTime + DAY, () => pool.payoutReleased());
        await expect(sent).to.emit(pool, "FundsReleased").withArgs(0n);
        await expect(sent).to.not.emit(sesh, "Transfer");
        expect([await pool.lastPaidOutTime(), await pool.totalPaidOut()]).to.deep.equal([startTime + DAY, 0n]);
      });
    });

    describe("when no payout happened for 1000/151 years or more", function () {
      // Production pays the uncapped formula: beyond 1000/151 years it exceeds the balance, so the transfer, the
      // payout and rewardRate revert for ever (checked: without the cap this test fails with
      // ERC20InsufficientBalance).
      it("pays the whole balance after ten years", async function () {
        const { pool, sesh, poolAddress, t0 } = await fundedFixture();
        const balance = await sesh.balanceOf(poolAddress);
        expect(await pool.calculatePayoutAmount(balance, 10n * SECONDS_PER_YEAR)).to.be.greaterThan(balance);
        await expect(at(t0 + 10n * SECONDS_PER_YEAR, () => pool.payoutReleased()))
          .to.emit(pool, "FundsReleased")
          .withArgs(balance);
        expect(await sesh.balanceOf(poolAddress)).to.equal(0n);
      });

      it("pays less than the balance a second before 1000/151 years and the whole balance at them", async function () {
        const early = await fundedFixture();
        const balance = await early.sesh.balanceOf(early.poolAddress);
        const almost = await releasedBy(
          early.pool,
          await at(early.t0 + WHOLE_BALANCE_TIME - 1n, () => early.pool.payoutReleased()),
        );
        expect(almost).to.be.lessThan(balance);
        const exact = await fundedFixture();
        await expect(at(exact.t0 + WHOLE_BALANCE_TIME, () => exact.pool.payoutReleased()))
          .to.emit(exact.pool, "FundsReleased")
          .withArgs(balance);
      });

      it("keeps working afterwards, on a top-up", async function () {
        const fixture = await fundedFixture();
        const { sesh, poolAddress, model, t0 } = fixture;
        await expectPayoutToMatch(fixture, t0 + 10n * SECONDS_PER_YEAR);
        await sesh.transfer(poolAddress, ONE_SESH);
        model.deposit(ONE_SESH);
        expect(await expectPayoutToMatch(fixture, t0 + 10n * SECONDS_PER_YEAR + DAY)).to.equal(
          calculatePayoutAmount(ONE_SESH, DAY),
        );
      });
    });

    describe("when called every second (rounding down on each call)", function () {
      it("pays what the model pays, leaving each call's rounding in the pool", async function () {
        const fixture = await fundedFixture();
        const { pool, poolAddress, sesh, model, t0 } = fixture;
        for (let second = 1n; second <= 30n; second += 1n) {
          const paid = await releasedBy(pool, await at(t0 + second, () => pool.payoutReleased()));
          model.advanceTo(t0 + second);
          expect(paid, `second ${second}`).to.equal(model.payoutReleased());
        }
        expect((await sesh.balanceOf(poolAddress)) + (await pool.totalPaidOut())).to.equal(STAKING_REWARDS_POOL);
        await expectViewsToMatch(pool, model);
      });

      it("pays at most one atom per call less than one payout at the end, besides compounding", async function () {
        const calls = 30n;
        const frequent = await fundedFixture();
        const before = await frequent.pool.totalPaidOut();
        for (let second = 1n; second <= calls; second += 1n) {
          await at(frequent.t0 + second, () => frequent.pool.payoutReleased());
        }
        const paidFrequently = (await frequent.pool.totalPaidOut()) - before;
        const single = await fundedFixture();
        const paidOnce = await releasedBy(single.pool, await at(single.t0 + calls, () => single.pool.payoutReleased()));
        // Exactly, `calls` payouts one second apart leave B × (1 − r)^calls, r = 151 / (1000 × 365 days): less than
        // one payout at the end by the compounding. Each rounding down keeps less than one more atom in the pool.
        const balance = STAKING_REWARDS_POOL - before;
        const denominator = 31_536_000_000n;
        const exactFrequent = balance - (balance * (denominator - 151n) ** calls) / denominator ** calls;
        expect(paidFrequently).to.be.within(exactFrequent - calls, exactFrequent);
        expect(paidFrequently).to.be.lessThan(paidOnce);
      });

      it("keeps a balance below 208,847,683 atoms in the pool (accepted: 0.21 SESH)", async function () {
        const { pool, poolAddress, sesh, startTime } = await loadFixture(poolFixture);
        await sesh.transfer(poolAddress, ONE_ATOM_PER_SECOND_BALANCE - 1n);
        const start = BigInt(await time.latest());
        await at(start + 1n, () => pool.payoutReleased());
        await expect(at(start + 2n, () => pool.payoutReleased()))
          .to.emit(pool, "FundsReleased")
          .withArgs(0n);
        expect(await pool.totalPaidOut()).to.equal(
          calculatePayoutAmount(ONE_ATOM_PER_SECOND_BALANCE - 1n, start + 1n - startTime),
        );
      });
    });

    describe("when the token calls back into the pool during the transfer", function () {
      async function reentrantFixture() {
        const token = await ethers.deployContract("ReentrantToken__Mock");
        const deployment = await deployRewardRatePool({ token: await token.getAddress() });
        await token.mint(deployment.poolAddress, STAKING_REWARDS_POOL);
        return { ...deployment, token };
      }

      it("pays nothing more to the nested payout", async function () {
        const { pool, token, beneficiary, startTime } = await loadFixture(reentrantFixture);
        await token.armHook(await pool.getAddress(), pool.interface.encodeFunctionData("payoutReleased"));
        const expected = calculatePayoutAmount(STAKING_REWARDS_POOL, DAY);
        const sent = at(startTime + DAY, () => pool.payoutReleased());
        await expect(sent).to.emit(pool, "FundsReleased").withArgs(0n);
        const [called, succeeded] = await token.hookOutcome();
        expect([called, succeeded]).to.deep.equal([true, true]);
        expect(await token.balanceOf(beneficiary.address)).to.equal(expected);
        expect(await pool.totalPaidOut()).to.equal(expected);
      });
    });

    describe("when paused", function () {
      it("reverts with EnforcedPause", async function () {
        const { pool, stranger } = await fundedFixture();
        await pool.pause();
        await expect(pool.connect(stranger).payoutReleased()).to.be.revertedWithCustomError(pool, "EnforcedPause");
      });

      it("pays the whole paused time after unpause", async function () {
        const fixture = await fundedFixture();
        const { pool, poolAddress, sesh, t0 } = fixture;
        const balance = await sesh.balanceOf(poolAddress);
        await at(t0 + 1n, () => pool.pause());
        await at(t0 + DAY, () => pool.unpause());
        expect(await expectPayoutToMatch(fixture, t0 + DAY + 1n)).to.equal(calculatePayoutAmount(balance, DAY + 1n));
      });
    });
  });

  describe("#setBeneficiary", function () {
    it("sets the beneficiary and emits BeneficiaryUpdated", async function () {
      const { pool, stranger } = await loadFixture(poolFixture);
      await expect(pool.setBeneficiary(stranger.address))
        .to.emit(pool, "BeneficiaryUpdated")
        .withArgs(stranger.address);
      expect(await pool.beneficiary()).to.equal(stranger.address);
    });

    it("sends the next payout, with what was released before, to the new beneficiary", async function () {
      const { pool, sesh, stranger, t0 } = await fundedFixture();
      await at(t0 + DAY, () => pool.setBeneficiary(stranger.address));
      const expected = calculatePayoutAmount(STAKING_REWARDS_POOL - (await pool.totalPaidOut()), 2n * DAY);
      await expect(at(t0 + 2n * DAY, () => pool.payoutReleased())).to.changeTokenBalance(sesh, stranger, expected);
    });

    it("reverts if the new beneficiary is the zero address", async function () {
      const { pool, beneficiary } = await loadFixture(poolFixture);
      await expect(pool.setBeneficiary(ZeroAddress))
        .to.be.revertedWithCustomError(pool, "InvalidBeneficiary")
        .withArgs(ZeroAddress);
      expect(await pool.beneficiary()).to.equal(beneficiary.address);
    });

    it("reverts if the caller is not the owner", async function () {
      const { pool, stranger } = await loadFixture(poolFixture);
      await expect(pool.connect(stranger).setBeneficiary(stranger.address))
        .to.be.revertedWithCustomError(pool, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
    });

    it("works while paused", async function () {
      const { pool, stranger } = await loadFixture(poolFixture);
      await pool.pause();
      await expect(pool.setBeneficiary(stranger.address)).to.emit(pool, "BeneficiaryUpdated");
    });
  });

  describe("ownership", function () {
    it("moves in two steps", async function () {
      const { pool, owner, stranger } = await loadFixture(poolFixture);
      await expect(pool.transferOwnership(stranger.address))
        .to.emit(pool, "OwnershipTransferStarted")
        .withArgs(owner.address, stranger.address);
      expect(await pool.owner()).to.equal(owner.address);
      await expect(pool.connect(stranger).acceptOwnership())
        .to.emit(pool, "OwnershipTransferred")
        .withArgs(owner.address, stranger.address);
      expect([await pool.owner(), await pool.pendingOwner()]).to.deep.equal([stranger.address, ZeroAddress]);
    });

    it("reverts acceptOwnership by anyone but the pending owner", async function () {
      const { pool, beneficiary, stranger } = await loadFixture(poolFixture);
      await pool.transferOwnership(stranger.address);
      await expect(pool.connect(beneficiary).acceptOwnership())
        .to.be.revertedWithCustomError(pool, "OwnableUnauthorizedAccount")
        .withArgs(beneficiary.address);
    });

    it("reverts transferOwnership by anyone but the owner", async function () {
      const { pool, stranger } = await loadFixture(poolFixture);
      await expect(pool.connect(stranger).transferOwnership(stranger.address))
        .to.be.revertedWithCustomError(pool, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
    });

    it("reverts renounceOwnership by the owner with OwnershipCannotBeRenounced", async function () {
      const { pool } = await loadFixture(poolFixture);
      await expect(pool.renounceOwnership()).to.be.revertedWithCustomError(pool, "OwnershipCannotBeRenounced");
    });

    it("reverts renounceOwnership by anyone else with OwnableUnauthorizedAccount", async function () {
      const { pool, stranger } = await loadFixture(poolFixture);
      await expect(pool.connect(stranger).renounceOwnership())
        .to.be.revertedWithCustomError(pool, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
    });
  });

  describe("#pause and #unpause", function () {
    it("pause emits Paused and unpause emits Unpaused", async function () {
      const { pool, owner } = await loadFixture(poolFixture);
      await expect(pool.pause()).to.emit(pool, "Paused").withArgs(owner.address);
      expect(await pool.paused()).to.equal(true);
      await expect(pool.unpause()).to.emit(pool, "Unpaused").withArgs(owner.address);
      expect(await pool.paused()).to.equal(false);
    });

    it("reverts pause when paused, and unpause when not", async function () {
      const { pool } = await loadFixture(poolFixture);
      await expect(pool.unpause()).to.be.revertedWithCustomError(pool, "ExpectedPause");
      await pool.pause();
      await expect(pool.pause()).to.be.revertedWithCustomError(pool, "EnforcedPause");
    });

    it("reverts if the caller is not the owner", async function () {
      const { pool, stranger } = await loadFixture(poolFixture);
      await expect(pool.connect(stranger).pause())
        .to.be.revertedWithCustomError(pool, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
      await pool.pause();
      await expect(pool.connect(stranger).unpause())
        .to.be.revertedWithCustomError(pool, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
    });
  });

  describe("#rescueERC20", function () {
    async function strayTokenFixture() {
      const deployment = await fundedFixture();
      const stray = await ethers.deployContract("WrappedOxen__Mock");
      await stray.mint(deployment.poolAddress, 1_000n);
      return { ...deployment, stray };
    }

    it("sends another token sent by mistake and emits ERC20Rescued", async function () {
      const { pool, stray, stranger } = await strayTokenFixture();
      const sent = pool.rescueERC20(stray, stranger.address, 600n);
      await expect(sent)
        .to.emit(pool, "ERC20Rescued")
        .withArgs(await stray.getAddress(), stranger.address, 600n);
      await expect(sent).to.changeTokenBalances(stray, [pool, stranger], [-600n, 600n]);
    });

    it("reverts for SESH with TokenNotRescuable", async function () {
      const { pool, sesh, stranger } = await fundedFixture();
      await expect(pool.rescueERC20(sesh, stranger.address, 1n))
        .to.be.revertedWithCustomError(pool, "TokenNotRescuable")
        .withArgs(await sesh.getAddress());
    });

    it("reverts above the token's balance with RescueExceedsSurplus", async function () {
      const { pool, stray, stranger } = await strayTokenFixture();
      await expect(pool.rescueERC20(stray, stranger.address, 1_001n))
        .to.be.revertedWithCustomError(pool, "RescueExceedsSurplus")
        .withArgs(await stray.getAddress(), 1_001n, 1_000n);
    });

    it("reverts for the zero recipient and the zero amount", async function () {
      const { pool, stray, stranger } = await strayTokenFixture();
      await expect(pool.rescueERC20(stray, ZeroAddress, 1n)).to.be.revertedWithCustomError(pool, "RescueToZeroAddress");
      await expect(pool.rescueERC20(stray, stranger.address, 0n)).to.be.revertedWithCustomError(
        pool,
        "RescueAmountIsZero",
      );
    });

    it("reverts if the caller is not the owner", async function () {
      const { pool, stray, stranger } = await strayTokenFixture();
      await expect(pool.connect(stranger).rescueERC20(stray, stranger.address, 1n))
        .to.be.revertedWithCustomError(pool, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
    });

    it("reverts while paused", async function () {
      const { pool, stray, stranger } = await strayTokenFixture();
      await pool.pause();
      await expect(pool.rescueERC20(stray, stranger.address, 1n)).to.be.revertedWithCustomError(pool, "EnforcedPause");
    });
  });

  describe("production compatibility", function () {
    it("keeps every production function, event and error with its types", function () {
      const { differences } = compareWithProductionAbi("RewardRatePool", RewardRatePool__factory.abi, {
        allowedMutability: ["renounceOwnership"],
        ozErrors: OZ_ERRORS,
      });
      expect(differences).to.deep.equal([]);
    });

    it("differs only by a view renounceOwnership and OpenZeppelin 5.0.2's Address errors", function () {
      const { allowed } = compareWithProductionAbi("RewardRatePool", RewardRatePool__factory.abi, {
        allowedMutability: ["renounceOwnership"],
        ozErrors: OZ_ERRORS,
      });
      expect(allowed).to.deep.equal([
        "function renounceOwnership() is view instead of nonpayable (stricter, allowed)",
        "error AddressEmptyCode(address) is missing (OpenZeppelin's, allowed)",
        "error AddressInsufficientBalance(address) is missing (OpenZeppelin's, allowed)",
        "error FailedInnerCall() is missing (OpenZeppelin's, allowed)",
      ]);
    });

    it("names each difference when nothing is allowed", function () {
      const { differences } = compareWithProductionAbi("RewardRatePool", RewardRatePool__factory.abi);
      expect(differences).to.deep.equal([
        "function renounceOwnership() is view instead of nonpayable",
        "error AddressEmptyCode(address) is missing",
        "error AddressInsufficientBalance(address) is missing",
        "error FailedInnerCall() is missing",
      ]);
    });
  });

  describe("upgrades", function () {
    it("passes the upgrades plugin's validation as a transparent proxy implementation", async function () {
      const factory = await ethers.getContractFactory("RewardRatePool");
      await upgrades.validateImplementation(factory, { kind: "transparent" });
    });
  });
});

/** The block the pool's proxy was deployed (and initialized) in. */
async function initializationBlock(pool: RewardRatePool): Promise<number> {
  const events = await pool.queryFilter(pool.filters.Initialized());
  const first = events[0];
  if (first === undefined) throw new Error("the pool emitted no Initialized");
  return first.blockNumber;
}

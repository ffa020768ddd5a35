import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import fc from "fast-check";
import { ethers } from "hardhat";

import { ATOMS_PER_SESH, SESH_TOTAL_SUPPLY } from "../../lib/amount";
import { releasable, revokeSplit, type TokenState, type VestingSchedule, vestedOf } from "../../lib/vesting";
import type { SESH, TokenVestingNoStaking } from "../../typechain-types";
import { restoreChainAfterSuite } from "../helpers/chain";
import { FC_SEED, integerFromEnv } from "../helpers/env";

/** Runs of the property: 100 by default (a run is a fresh vesting and up to 20 transactions). */
const NUM_RUNS = integerFromEnv("FC_NUM_RUNS", 100, 1);

const DAY = 86_400;
const YEAR = 365 * DAY;
const MAX_OPERATIONS = 20;
/** The end lies up to 4 years after deployment; the cliff up to 100 days before deployment, or up to the end. */
const MAX_END_OFFSET = 4 * YEAR;
const MAX_CLIFF_BEFORE_DEPLOYMENT = 100 * DAY;
const MAX_JUMP = 200 * DAY;
/** The largest amount funded at once: 10,000,000 SESH (the funder's supply covers 21 of them). */
const MAX_FUNDING = 10_000_000n * ATOMS_PER_SESH;
/** Sent without estimating gas, so that a reverting transaction is mined at the timestamp the model expects. */
const GAS_LIMIT = 1_000_000n;

type Operation =
  | { readonly kind: "release" }
  | { readonly kind: "revoke" }
  | { readonly kind: "fund"; readonly amount: bigint }
  | { readonly kind: "jump"; readonly seconds: number }
  | { readonly kind: "warp"; readonly boundary: number };

/** The boundaries a `warp` lands the next transaction on (when still ahead): see {@link boundariesOf}. */
const BOUNDARY_COUNT = 7;

/** Small amounts (rounding shows) and large ones, down to 0. */
const amountArbitrary = fc.oneof(fc.bigInt({ min: 0n, max: 1_000n }), fc.bigInt({ min: 0n, max: MAX_FUNDING }));

const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("release" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("revoke" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("fund" as const), amount: amountArbitrary }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("jump" as const), seconds: fc.integer({ min: 1, max: MAX_JUMP }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("warp" as const),
      boundary: fc.integer({ min: 0, max: BOUNDARY_COUNT - 1 }),
    }),
  },
);

interface Parameters {
  /** Seconds from the deployment's block to the end (at least 1: the end must be in the future). */
  readonly endOffset: number;
  /** Seconds from the cliff to the end (0: everything vests at the end; more than `endOffset`: a past cliff). */
  readonly cliffToEnd: number;
  readonly initialFunding: bigint;
  readonly operations: readonly Operation[];
}

const parametersArbitrary: fc.Arbitrary<Parameters> = fc.integer({ min: 1, max: MAX_END_OFFSET }).chain((endOffset) =>
  fc.record({
    endOffset: fc.constant(endOffset),
    cliffToEnd: fc.oneof(
      fc.constant(0),
      fc.integer({ min: 0, max: endOffset }),
      fc.integer({ min: 0, max: endOffset + MAX_CLIFF_BEFORE_DEPLOYMENT }),
    ),
    initialFunding: amountArbitrary,
    operations: fc.array(operationArbitrary, { maxLength: MAX_OPERATIONS }),
  }),
);

interface Accounts {
  readonly sesh: SESH;
  readonly funder: HardhatEthersSigner;
  readonly beneficiary: HardhatEthersSigner;
  readonly revoker: HardhatEthersSigner;
}

async function accountsFixture(): Promise<Accounts> {
  const [funder, beneficiary, revoker] = await ethers.getSigners();
  if (funder === undefined || beneficiary === undefined || revoker === undefined) {
    throw new Error("the hardhat network needs at least 3 accounts");
  }
  const sesh = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, funder.address, ZeroAddress, ZeroAddress]);
  return { sesh, funder, beneficiary, revoker };
}

interface Run extends Accounts {
  readonly vesting: TokenVestingNoStaking;
  readonly address: string;
  readonly schedule: VestingSchedule;
}

/** What the chain should show: a bigint reference, independent of the contract. */
interface Model {
  state: TokenState;
  toBeneficiary: bigint;
  toRevoker: bigint;
  funded: bigint;
  /** The latest block's timestamp. */
  now: bigint;
}

/** The cliff's and the end's seconds and their neighbours, and the middle of the linear part. */
function boundariesOf(schedule: VestingSchedule): readonly bigint[] {
  const { cliff, end } = schedule;
  return [cliff - 1n, cliff, cliff + 1n, cliff + (end - cliff) / 2n, end - 1n, end, end + 1n];
}

async function deploy(accounts: Accounts, parameters: Parameters): Promise<{ run: Run; model: Model }> {
  const deployedAt = BigInt(await time.latest()) + 1n;
  const end = deployedAt + BigInt(parameters.endOffset);
  const schedule = { cliff: end - BigInt(parameters.cliffToEnd), end };
  await time.setNextBlockTimestamp(deployedAt);
  const vesting = await ethers.deployContract("TokenVestingNoStaking", [
    accounts.beneficiary.address,
    accounts.revoker.address,
    schedule.cliff,
    schedule.end,
    false,
  ]);
  const address = await vesting.getAddress();
  await accounts.sesh.connect(accounts.funder).transfer(address, parameters.initialFunding);
  const model: Model = {
    state: { balance: parameters.initialFunding, released: 0n, revoked: false },
    toBeneficiary: 0n,
    toRevoker: 0n,
    funded: parameters.initialFunding,
    now: BigInt(await time.latest()),
  };
  return { run: { ...accounts, vesting, address, schedule }, model };
}

/** Applies a transaction to the model at `timestamp` and returns its expected outcome: "ok" or the error's name. */
function step(run: Run, model: Model, operation: Operation, timestamp: bigint): string {
  const { state } = model;
  switch (operation.kind) {
    case "release": {
      const due = releasable(state, run.schedule, timestamp);
      if (due === 0n) return "NothingToRelease";
      model.state = { ...state, balance: state.balance - due, released: state.released + due };
      model.toBeneficiary += due;
      return "ok";
    }
    case "revoke": {
      if (state.revoked) return "AlreadyRevoked";
      if (timestamp >= run.schedule.end) return "VestingEnded";
      const { refund } = revokeSplit(state, run.schedule, timestamp);
      model.state = { ...state, balance: state.balance - refund, revoked: true };
      model.toRevoker += refund;
      return "ok";
    }
    case "fund":
      model.state = { ...state, balance: state.balance + operation.amount };
      model.funded += operation.amount;
      return "ok";
    case "jump":
    case "warp":
      throw new Error(`${operation.kind} is not a transaction`);
  }
}

/** Sends the operation's transaction, mined at `timestamp`; returns "ok" or the custom error it reverted with. */
async function send(run: Run, operation: Operation, timestamp: bigint): Promise<string> {
  const overrides = { gasLimit: GAS_LIMIT };
  await time.setNextBlockTimestamp(timestamp);
  try {
    switch (operation.kind) {
      case "release":
        await run.vesting.connect(run.beneficiary).release(run.sesh, overrides);
        break;
      case "revoke":
        await run.vesting.connect(run.revoker).revoke(run.sesh, overrides);
        break;
      case "fund":
        await run.sesh.connect(run.funder).transfer(run.address, operation.amount, overrides);
        break;
      case "jump":
      case "warp":
        throw new Error(`${operation.kind} is not a transaction`);
    }
    return "ok";
  } catch (error) {
    const data = (error as { data?: string }).data;
    const parsed = data === undefined ? null : run.vesting.interface.parseError(data);
    if (parsed === null) throw error;
    return parsed.name;
  }
}

/** Runs one operation on the chain and on the model and checks that the outcomes agree. */
async function apply(run: Run, model: Model, operation: Operation): Promise<void> {
  if (operation.kind === "jump") {
    model.now += BigInt(operation.seconds);
    await time.increaseTo(model.now);
    return;
  }
  if (operation.kind === "warp") {
    // Lands the next transaction on the boundary: the block mined here is the second before it.
    const target = (boundariesOf(run.schedule)[operation.boundary] ?? 0n) - 1n;
    if (target > model.now) {
      model.now = target;
      await time.increaseTo(target);
    }
    return;
  }
  model.now += 1n;
  const expected = step(run, model, operation, model.now);
  const outcome = await send(run, operation, model.now);
  expect(
    outcome,
    `${JSON.stringify(operation, (_, value: unknown) => (typeof value === "bigint" ? value.toString() : value))} at ${model.now}`,
  ).to.equal(expected);
}

async function checkInvariants(run: Run, model: Model): Promise<void> {
  const { sesh, vesting, address, beneficiary, revoker, schedule } = run;
  const [held, toBeneficiary, toRevoker, released, revokedToken, revoked] = await Promise.all([
    sesh.balanceOf(address),
    sesh.balanceOf(beneficiary.address),
    sesh.balanceOf(revoker.address),
    vesting.released(sesh),
    vesting.isRevoked(sesh),
    vesting.revoked(),
  ]);
  expect(held, "the vesting's balance").to.equal(model.state.balance);
  expect(toBeneficiary, "paid to the beneficiary").to.equal(model.toBeneficiary);
  expect(toRevoker, "refunded to the revoker").to.equal(model.toRevoker);
  expect(released, "released(SESH)").to.equal(model.state.released);
  expect(released, "released is what the beneficiary got").to.equal(toBeneficiary);
  expect(revokedToken, "isRevoked(SESH)").to.equal(model.state.revoked);
  expect(revoked, "revoked()").to.equal(model.state.revoked);
  expect(held + toBeneficiary + toRevoker, "beneficiary + revoker + vesting = funded").to.equal(model.funded);
  for (const timestamp of [...boundariesOf(schedule), model.now]) {
    const vested = await vesting.vestedAmount(sesh, timestamp);
    expect(vested, `vestedAmount at ${timestamp}`).to.equal(vestedOf(model.state, schedule, timestamp));
    expect(vested <= held + released, `vested at ${timestamp} is at most the total`).to.equal(true);
  }
}

describe("TokenVestingNoStaking (property)", function () {
  restoreChainAfterSuite();

  it("follows the reference to the atom through random releases, fundings and a revoke, and conserves the tokens", async function () {
    await fc.assert(
      fc.asyncProperty(parametersArbitrary, async (parameters) => {
        const accounts = await loadFixture(accountsFixture);
        const { run, model } = await deploy(accounts, parameters);
        await checkInvariants(run, model);
        let lastReleased = 0n;
        for (const operation of parameters.operations) {
          await apply(run, model, operation);
          await checkInvariants(run, model);
          expect(model.state.released >= lastReleased, "released never decreases").to.equal(true);
          lastReleased = model.state.released;
        }
        // From the end on, one release pays the beneficiary everything left, revoked or not.
        if (model.now < run.schedule.end) {
          model.now = run.schedule.end;
          await time.increaseTo(model.now);
        }
        await apply(run, model, { kind: "release" });
        await checkInvariants(run, model);
        expect(model.state.balance, "nothing is left after the end").to.equal(0n);
        expect(model.toBeneficiary + model.toRevoker).to.equal(model.funded);
      }),
      { seed: FC_SEED, numRuns: NUM_RUNS },
    );
  });
});

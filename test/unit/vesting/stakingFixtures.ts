import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress } from "ethers";
import { ethers } from "hardhat";

import type { TokenVestingStaking } from "../../../typechain-types";
import type { StakingFixture } from "../../helpers/staking";
import { at, DAY, suiteFixtures } from "../rewards/fixtures";

/** How long after deployment the vesting starts. */
export const START_DELAY = DAY;
/** The vesting's length, from start to end (the cliff). */
export const LOCK = 365n * DAY;
/** Atoms beyond whole staking requirements that the fixtures fund the vesting with (an odd amount on purpose). */
export const ODD_ATOMS = 1_234_567n;

/** What a vesting is made with; each defaults to the fixture's choice. */
export interface VestingOptions {
  beneficiary?: string;
  /** The revoker; ZeroAddress for a vesting that cannot be revoked. */
  revoker?: string;
  start?: bigint;
  end?: bigint;
  transferable?: boolean;
  rewards?: string;
  factory?: string;
  sesh?: string;
}

/** A staking set with one vesting contract, its parties and its schedule. */
export interface VestingFixture extends StakingFixture {
  readonly vesting: TokenVestingStaking;
  readonly vestingAddress: string;
  readonly beneficiary: HardhatEthersSigner;
  readonly revoker: HardhatEthersSigner;
  /** A signer that is none of the parties nor a staker. */
  readonly other: HardhatEthersSigner;
  /** A second signer that is none of the parties, e.g. a new beneficiary. */
  readonly newcomer: HardhatEthersSigner;
  readonly start: bigint;
  readonly end: bigint;
  /** What the vesting was funded with, in SESH atoms. */
  readonly funded: bigint;
}

/** The parties: the beneficiary, the revoker, another signer and a newcomer (signers 18, 19, 9 and 8). */
export async function parties() {
  const signers = await ethers.getSigners();
  return { beneficiary: at(signers, 18), revoker: at(signers, 19), other: at(signers, 9), newcomer: at(signers, 8) };
}

/** The constructor's arguments for `options`, in production's order. */
export async function vestingArgs(f: StakingFixture, options: VestingOptions = {}) {
  const { beneficiary, revoker } = await parties();
  const start = options.start ?? BigInt(await time.latest()) + START_DELAY;
  return [
    options.beneficiary ?? beneficiary.address,
    options.revoker ?? revoker.address,
    start,
    options.end ?? start + LOCK,
    options.transferable ?? true,
    options.rewards ?? f.rewardsAddress,
    options.factory ?? f.factoryAddress,
    options.sesh ?? (await f.sesh.getAddress()),
  ] as const;
}

/** Deploys a vesting contract for `options`. */
export async function deployVesting(f: StakingFixture, options: VestingOptions = {}): Promise<TokenVestingStaking> {
  const args = await vestingArgs(f, options);
  return ethers.deployContract("TokenVestingStaking", [...args]);
}

/** A vesting on `f` funded with `funded` SESH atoms by staker 7; `options` as for {deployVesting}. */
export async function withVesting(
  f: StakingFixture,
  funded: bigint,
  options: VestingOptions = {},
): Promise<VestingFixture> {
  const vesting = await deployVesting(f, options);
  const vestingAddress = await vesting.getAddress();
  if (funded > 0n) await (await f.sesh.connect(at(f.stakers, 7)).transfer(vestingAddress, funded)).wait();
  return {
    ...f,
    ...(await parties()),
    vesting,
    vestingAddress,
    start: await vesting.start(),
    end: await vesting.end(),
    funded,
  };
}

/** Moves the clock so that the next block is mined at `timestamp`. */
export async function nextBlockAt(timestamp: bigint): Promise<void> {
  await time.setNextBlockTimestamp(timestamp);
}

/**
 * The vesting fixtures as new functions, for one test file (see `suiteFixtures`: a fixture function shared by two files
 * would hand the second an invalid snapshot). Call once per file, at the top level.
 */
export function vestingFixtures() {
  const { startedFixture, seededFixture } = suiteFixtures();
  /** Two staking requirements and {ODD_ATOMS}. */
  const fundingOf = (f: StakingFixture): bigint => 2n * f.parameters.stakingRequirement + ODD_ATOMS;
  return {
    /** The staking set started with no node, and a revocable, transferable vesting funded with {fundingOf}. */
    vestingFixture: async (): Promise<VestingFixture> => {
      const f = await startedFixture();
      return withVesting(f, fundingOf(f));
    },
    /** {vestingFixture} with a vesting that cannot be revoked and whose beneficiary is not transferable. */
    fixedVestingFixture: async (): Promise<VestingFixture> => {
      const f = await startedFixture();
      return withVesting(f, fundingOf(f), { revoker: ZeroAddress, transferable: false });
    },
    /** The staking set started with no node, nothing else. */
    startedFixture,
    /** The staking set with {SEEDED} nodes signing, and a vesting funded with {fundingOf}, started. */
    seededVestingFixture: async (): Promise<VestingFixture> => {
      const f = await seededFixture();
      const vesting = await withVesting(f, fundingOf(f));
      await time.increaseTo(vesting.start);
      return vesting;
    },
  };
}

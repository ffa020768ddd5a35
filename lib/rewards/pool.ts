import { ATOMS_PER_SESH } from "../amount";

/**
 * A bigint model of `contracts/RewardRatePool.sol` (SPEC 3.5, INTERFACE.md section 4), exact to the atom: the pool's
 * SESH balance releases 15.1 % a year, simple, per second since the last payout, rounded down, and never more than
 * the balance itself. It has no chain and no Hardhat import; the tests check the contract against it over any
 * timeline of top-ups, time jumps and payouts.
 */

/** The yearly simple payout rate, in `BASIS_POINTS` (per mille): 151, that is 15.1 %. */
export const ANNUAL_SIMPLE_PAYOUT_RATE = 151n;
/** The denominator of the rate (production's name; the unit is per mille). */
export const BASIS_POINTS = 1_000n;
/** The year of the annual rate: 365 days, in seconds. */
export const SECONDS_PER_YEAR = 365n * 86_400n;
/** The one divisor of `calculatePayoutAmount`: 1000 × 365 days = 31,536,000,000. */
export const PAYOUT_DENOMINATOR = BASIS_POINTS * SECONDS_PER_YEAR;
/** The period of `rewardRate`: 2 minutes, in seconds. */
export const REWARD_RATE_PERIOD = 120n;
/** The staking-rewards allocation the pool holds at launch: 63,177,550 SESH. */
export const STAKING_REWARDS_POOL = 63_177_550n * ATOMS_PER_SESH;
/** The pool's version (`VERSION()`). */
export const REWARD_RATE_POOL_VERSION = 1n;

const MAX_UINT256 = 2n ** 256n - 1n;
/** `totalPaidOut` is stored in 192 bits (SafeCast reverts above). */
const MAX_TOTAL_PAID_OUT = 2n ** 192n - 1n;
/** `lastPaidOutTime` is stored in 64 bits (SafeCast reverts above). */
const MAX_TIMESTAMP = 2n ** 64n - 1n;

function checkAtoms(name: string, value: bigint, maximum = MAX_UINT256): void {
  if (value < 0n || value > maximum) throw new RangeError(`${name} must be between 0 and ${maximum}, got ${value}`);
}

/**
 * What `balance` releases over `timeElapsed` seconds at the annual simple rate, rounded down:
 * `balance * 151 * timeElapsed / (1000 * 365 days)`, multiplied left to right and divided once, as the contract does.
 * Not capped at the balance. Throws where the contract reverts (a product above 2^256 − 1, the panic 0x11).
 */
export function calculatePayoutAmount(balance: bigint, timeElapsed: bigint): bigint {
  checkAtoms("balance", balance);
  checkAtoms("timeElapsed", timeElapsed);
  const scaled = balance * ANNUAL_SIMPLE_PAYOUT_RATE;
  const product = scaled * timeElapsed;
  if (scaled > MAX_UINT256 || product > MAX_UINT256) {
    throw new RangeError(
      `balance × ${ANNUAL_SIMPLE_PAYOUT_RATE} × timeElapsed overflows 256 bits (${balance}, ${timeElapsed})`,
    );
  }
  return product / PAYOUT_DENOMINATOR;
}

/** What the pool releases from `balance` over `timeElapsed` seconds: the payout amount, at most the balance. */
export function releasedSince(balance: bigint, timeElapsed: bigint): bigint {
  const payout = calculatePayoutAmount(balance, timeElapsed);
  return payout < balance ? payout : balance;
}

/** The pool's state, as its getters and `balanceOf(pool)` read it. */
export interface RewardRatePoolState {
  /** The pool's SESH balance, in atoms. */
  readonly balance: bigint;
  /** Everything paid to beneficiaries, in atoms. */
  readonly totalPaidOut: bigint;
  /** The last payout's (or the initialization's) timestamp, in seconds. */
  readonly lastPaidOutTime: bigint;
  /** The current block's timestamp, in seconds. */
  readonly now: bigint;
}

/**
 * The pool as a state machine: initialized at `startTime` with nothing in it, then top-ups (`deposit`, a plain
 * transfer to the pool), time (`advanceTo`, `advance`) and payouts (`payoutReleased`). Views read "now".
 */
export class RewardRatePoolModel {
  private balanceAtoms = 0n;
  private paidOut = 0n;
  private lastPaidOut: bigint;
  private current: bigint;

  /** A pool initialized at `startTime` (the release clock starts then). */
  constructor(startTime: bigint) {
    checkAtoms("startTime", startTime, MAX_TIMESTAMP);
    this.lastPaidOut = startTime;
    this.current = startTime;
  }

  /** The state, as the contract's getters read it. */
  get state(): RewardRatePoolState {
    return {
      balance: this.balanceAtoms,
      totalPaidOut: this.paidOut,
      lastPaidOutTime: this.lastPaidOut,
      now: this.current,
    };
  }

  /** Adds `amount` atoms to the pool's balance, as a plain transfer to it does (the next payout counts it from the last). */
  deposit(amount: bigint): void {
    checkAtoms("amount", amount);
    checkAtoms("balance after the deposit", this.balanceAtoms + amount);
    this.balanceAtoms += amount;
  }

  /** Moves the clock to `timestamp`, which may not be before now. */
  advanceTo(timestamp: bigint): void {
    if (timestamp < this.current) throw new RangeError(`time cannot go back from ${this.current} to ${timestamp}`);
    checkAtoms("timestamp", timestamp, MAX_TIMESTAMP);
    this.current = timestamp;
  }

  /** Moves the clock `seconds` forward. */
  advance(seconds: bigint): void {
    checkAtoms("seconds", seconds);
    this.advanceTo(this.current + seconds);
  }

  /** `payoutReleased()`: pays what was released since the last payout, restarts the clock, returns the amount. */
  payoutReleased(): bigint {
    const amount = releasedSince(this.balanceAtoms, this.current - this.lastPaidOut);
    checkAtoms("totalPaidOut", this.paidOut + amount, MAX_TOTAL_PAID_OUT);
    this.balanceAtoms -= amount;
    this.paidOut += amount;
    this.lastPaidOut = this.current;
    return amount;
  }

  /** `calculateReleasedAmount()`: everything released so far, paid or not. */
  calculateReleasedAmount(): bigint {
    return this.paidOut + releasedSince(this.balanceAtoms, this.current - this.lastPaidOut);
  }

  /** `calculateTotalDeposited()`: the balance plus everything paid out. */
  calculateTotalDeposited(): bigint {
    return this.balanceAtoms + this.paidOut;
  }

  /** `rewardRate()`: what the unreleased deposits release over the next 2 minutes. */
  rewardRate(): bigint {
    return calculatePayoutAmount(this.calculateTotalDeposited() - this.calculateReleasedAmount(), REWARD_RATE_PERIOD);
  }
}

/** The balance the compounded figures are computed on: large enough that rounding moves them by less than 10^-15. */
const FRACTION_BALANCE = 10n ** 36n;
/** Digits of the fraction kept before it becomes a float. */
const FRACTION_SCALE = 10n ** 18n;

/**
 * The share of its balance the pool releases in one year (365 days) when `payoutReleased()` is called every
 * `intervalSeconds` seconds (the last period cut at the year's end), with nothing topped up: the "compounded" figure,
 * below 15.1 % because every payout lowers the balance the next one is computed on. Runs the model, so the rounding
 * is the contract's (negligible on the large balance used).
 */
export function yearlyReleasedFraction(intervalSeconds: bigint): number {
  if (intervalSeconds <= 0n || intervalSeconds > SECONDS_PER_YEAR) {
    throw new RangeError(
      `the payout interval must be between 1 and ${SECONDS_PER_YEAR} seconds, got ${intervalSeconds}`,
    );
  }
  const pool = new RewardRatePoolModel(0n);
  pool.deposit(FRACTION_BALANCE);
  for (let elapsed = 0n; elapsed < SECONDS_PER_YEAR;) {
    const step = elapsed + intervalSeconds > SECONDS_PER_YEAR ? SECONDS_PER_YEAR - elapsed : intervalSeconds;
    pool.advance(step);
    pool.payoutReleased();
    elapsed += step;
  }
  return Number((pool.state.totalPaidOut * FRACTION_SCALE) / FRACTION_BALANCE) / Number(FRACTION_SCALE);
}

/** The limit of `yearlyReleasedFraction` as the interval goes to 0 (continuous payouts): 1 − e^(−0.151) ≈ 14.015 %. */
export function continuousYearlyReleasedFraction(): number {
  return 1 - Math.exp(-Number(ANNUAL_SIMPLE_PAYOUT_RATE) / Number(BASIS_POINTS));
}

/**
 * The schedule of TokenVestingNoStaking (SPEC 3.8, INTERFACE.md section 6), with exactly the contract's rounding:
 * nothing before the cliff, one fifth of the total at the cliff (rounded down), the rest linearly until the end
 * (rounded down), everything from the end on. All amounts are token atoms and all times Unix seconds, as bigints.
 */

/** The contract's `CLIFF_DENOMINATOR`: one fifth (20 %) of the total vests at the cliff. */
export const CLIFF_DENOMINATOR = 5n;

/** A vesting's two dates, in Unix seconds. */
export interface VestingSchedule {
  readonly cliff: bigint;
  readonly end: bigint;
}

/** One token's state in a vesting contract: its balance there, what has been released of it, and its revoked flag. */
export interface TokenState {
  readonly balance: bigint;
  readonly released: bigint;
  readonly revoked: boolean;
}

/** What a revoke does: `refund` goes back to the revoker, `kept` stays releasable by the beneficiary. */
export interface RevokeSplit {
  readonly refund: bigint;
  readonly kept: bigint;
}

/**
 * Why the contract's constructor would refuse these dates at block time `now`, one line per problem, each naming the
 * custom error it reverts with (empty when accepted). The beneficiary is checked apart (`InvalidBeneficiary`).
 */
export function scheduleProblems(schedule: VestingSchedule, now: bigint): string[] {
  const problems: string[] = [];
  if (schedule.cliff === 0n) problems.push("ZeroCliff: the cliff is 0, a typo rather than a date");
  if (schedule.cliff > schedule.end) {
    problems.push(`CliffAfterEnd: the cliff ${schedule.cliff} is after the end ${schedule.end}`);
  }
  if (schedule.end <= now) problems.push(`EndNotInFuture: the end ${schedule.end} is not after ${now}`);
  return problems;
}

/** Throws a RangeError listing every problem unless the constructor would accept the dates at `now`. */
export function validateSchedule(schedule: VestingSchedule, now: bigint): void {
  const problems = scheduleProblems(schedule, now);
  if (problems.length > 0) throw new RangeError(`invalid vesting schedule:\n  - ${problems.join("\n  - ")}`);
}

function checkAmount(name: string, value: bigint): void {
  if (value < 0n) throw new RangeError(`${name} must not be negative, got ${value}`);
}

/**
 * How much of `total` has vested at `timestamp`, as the contract's `vestedAmount` computes it for a token not
 * revoked: 0 before `cliff`; `total / 5 + (total − total / 5) × (timestamp − cliff) / (end − cliff)`, each division
 * rounded down, from `cliff` until `end`; `total` from `end` on.
 */
export function vestedAmount(total: bigint, cliff: bigint, end: bigint, timestamp: bigint): bigint {
  checkAmount("total", total);
  if (cliff > end) throw new RangeError(`the cliff ${cliff} is after the end ${end}`);
  if (timestamp < cliff) return 0n;
  if (timestamp >= end) return total;
  const atCliff = total / CLIFF_DENOMINATOR;
  return atCliff + ((total - atCliff) * (timestamp - cliff)) / (end - cliff);
}

/**
 * What the contract holds and has released of a token, `total = balance + released`, vested at `timestamp`: the
 * schedule's amount, or the whole total once the token has been revoked (its unvested part was refunded then).
 */
export function vestedOf(state: TokenState, schedule: VestingSchedule, timestamp: bigint): bigint {
  checkAmount("balance", state.balance);
  checkAmount("released", state.released);
  const total = state.balance + state.released;
  return state.revoked ? total : vestedAmount(total, schedule.cliff, schedule.end, timestamp);
}

/**
 * What `release` pays at `timestamp`: vested minus released, and 0 (not a negative amount) when the balance shrank on
 * its own below what was due.
 */
export function releasable(state: TokenState, schedule: VestingSchedule, timestamp: bigint): bigint {
  const due = vestedOf(state, schedule, timestamp) - state.released;
  return due > 0n ? due : 0n;
}

/**
 * What `revoke` at `timestamp` does with a token not yet revoked: the releasable amount stays for the beneficiary,
 * the rest of the balance is refunded. `refund + kept` is the balance, and `released + kept + refund` the total.
 */
export function revokeSplit(state: TokenState, schedule: VestingSchedule, timestamp: bigint): RevokeSplit {
  if (state.revoked) throw new RangeError("the token has already been revoked (AlreadyRevoked)");
  if (timestamp >= schedule.end) {
    throw new RangeError(`nothing can be revoked from the end ${schedule.end} on (VestingEnded)`);
  }
  const kept = releasable(state, schedule, timestamp);
  return { kept, refund: state.balance - kept };
}

import { z } from "zod";

import { parseSesh, seshAmountProblem } from "../amount";
import { InputFileError } from "../errors";
import { fileNetworkOf, partyResolver, readSection, sectionIssues, utcText } from "../parties";
import { defaultSchedule, scheduleProblems, type Breakpoint } from "../schedule";
import { addressProblem, checksumAddress, isZeroAddress, utcDate, ZERO_ADDRESS_PROBLEM } from "../schema";
import { partySchema } from "../tge/parameters";

/** The section of deploy/parameters/<network>.json that this module validates. */
export const CLAIMS_BRIDGE_SECTION = "claimsBridge";

/** `"wrappedOxen": "mock"`: deploy the test double contracts/test/WrappedOxen__Mock.sol (local chains only). */
export const WRAPPED_OXEN_MOCK = "mock";
/** `"schedule": "launch"`: the launch's rate schedule from the calendar (lib/schedule `defaultSchedule`). */
export const LAUNCH_SCHEDULE = "launch";
/** `"closeTime": "never"`: claims never close and nothing can be swept (the contract's close time 0). */
export const NEVER = "never";
/** The contract's close time for "never". */
export const NO_CLOSE_TIME = 0n;
/** The parameter file of the local chains (`hardhat`, also read by `localhost` and `anvil`). */
export const LOCAL_PARAMETERS_NETWORK = "hardhat";

/** A breakpoint as the file writes it: from `date` the rate is `rate` SESH per OXEN ("0.54"). */
const breakpointSchema = z.strictObject({
  date: utcDate,
  rate: z.string().superRefine((text, ctx) => {
    const problem = seshAmountProblem(text);
    if (problem !== undefined) {
      ctx.addIssue({ code: "custom", message: problem.replace("of SESH", "of SESH per OXEN") });
    }
  }),
});

const sectionSchema = z.strictObject({
  owner: partySchema,
  sweepRecipient: partySchema,
  wrappedOxen: z.string().nullable(),
  // Either the launch schedule's name or a list of breakpoints: told apart before parsing, so that a bad breakpoint
  // is reported at its own field rather than as "matches neither".
  schedule: z.unknown(),
  closeTime: z.string().nullable(),
});

/** Where the bridge's wOXEN comes from: the local test double, or the network's token. */
export type WrappedOxenSource = { readonly kind: "mock" } | { readonly kind: "address"; readonly address: string };

/** A network's claims-bridge parameters, parties resolved to addresses. */
export interface ClaimsBridgeParameters {
  readonly file: string;
  /** Publishes and revokes epochs, pauses, sweeps (`initialOwner`). */
  readonly owner: string;
  /** Receives the SESH left after the close time. */
  readonly sweepRecipient: string;
  readonly wrappedOxen: WrappedOxenSource;
  /** The rate schedule, SESH atoms per 10^9 OXEN atoms from each timestamp. */
  readonly schedule: readonly Breakpoint[];
  /** Unix seconds; {@link NO_CLOSE_TIME} for never. */
  readonly closeTime: bigint;
}

function wrappedOxenOf(value: string | null, network: string | undefined, problems: string[]): WrappedOxenSource {
  const where = `${CLAIMS_BRIDGE_SECTION}.wrappedOxen`;
  if (value === null) {
    problems.push(`${where}: the wOXEN address of this network is not known yet: set it before deploying`);
  } else if (value === WRAPPED_OXEN_MOCK) {
    if (network === LOCAL_PARAMETERS_NETWORK) return { kind: "mock" };
    problems.push(
      `${where}: "${WRAPPED_OXEN_MOCK}" deploys a test token, only on the local chains (${LOCAL_PARAMETERS_NETWORK}.json); ` +
        `the file is for network "${network ?? "?"}": write the address of its wOXEN`,
    );
  } else {
    const problem = addressProblem(value) ?? (isZeroAddress(value) ? ZERO_ADDRESS_PROBLEM : undefined);
    if (problem === undefined) return { kind: "address", address: checksumAddress(value) };
    problems.push(`${where}: "${value}" ${problem}, or "${WRAPPED_OXEN_MOCK}" on a local chain`);
  }
  return { kind: "mock" };
}

function scheduleOf(value: unknown, problems: string[]): Breakpoint[] {
  const where = `${CLAIMS_BRIDGE_SECTION}.schedule`;
  if (value === LAUNCH_SCHEDULE) return defaultSchedule();
  if (value === undefined) {
    problems.push(`${where}: missing: write "${LAUNCH_SCHEDULE}" or a list of { "date", "rate" } breakpoints`);
    return [];
  }
  if (!Array.isArray(value)) {
    problems.push(
      `${where}: ${JSON.stringify(value)} is neither "${LAUNCH_SCHEDULE}" (the launch schedule) ` +
        `nor a list of { "date", "rate" } breakpoints`,
    );
    return [];
  }
  const parsed = z.array(breakpointSchema).safeParse(value);
  if (!parsed.success) {
    problems.push(...sectionIssues(where, parsed.error));
    return [];
  }
  const schedule = parsed.data.map((point) => ({
    timestamp: BigInt(Math.floor(point.date.getTime() / 1000)),
    rate: parseSesh(point.rate),
  }));
  for (const problem of scheduleProblems(schedule)) problems.push(`${where}: ${problem}`);
  return schedule;
}

function closeTimeOf(value: string | null, opening: bigint | undefined, problems: string[]): bigint {
  const where = `${CLAIMS_BRIDGE_SECTION}.closeTime`;
  if (value === null) {
    problems.push(`${where}: not decided yet: write the date claims close, or "${NEVER}"`);
    return NO_CLOSE_TIME;
  }
  if (value === NEVER) return NO_CLOSE_TIME;
  const parsed = utcDate.safeParse(value);
  if (!parsed.success) {
    problems.push(`${where}: "${value}" ${parsed.error.issues[0]?.message ?? "is not a date"}, or "${NEVER}"`);
    return NO_CLOSE_TIME;
  }
  const closeTime = BigInt(Math.floor(parsed.data.getTime() / 1000));
  if (opening !== undefined && closeTime <= opening) {
    problems.push(`${where}: ${utcText(closeTime)} is not after the schedule's opening ${utcText(opening)}`);
  }
  return closeTime;
}

/**
 * Reads the `claimsBridge` section of a network's parameter file (deploy/parameters/<network>.json) and resolves its
 * parties against the network's accounts (`signers[0]` is the deployer). Every problem is reported at once, naming
 * the field and the value, before anything is sent: the contract's own rules (the schedule's rates, order and
 * length, a close time after the opening) and, given the chain's time `now`, a close time still to come.
 */
export function loadClaimsBridgeParameters(
  file: string,
  signers: readonly string[],
  now?: bigint,
): ClaimsBridgeParameters {
  const { json, section } = readSection(file, CLAIMS_BRIDGE_SECTION);
  const parsed = sectionSchema.safeParse(section);
  if (!parsed.success) throw new InputFileError(file, sectionIssues(CLAIMS_BRIDGE_SECTION, parsed.error));
  const data = parsed.data;
  const parties = partyResolver(json, signers);
  const owner = parties.resolve(data.owner, `${CLAIMS_BRIDGE_SECTION}.owner`);
  const sweepRecipient = parties.resolve(data.sweepRecipient, `${CLAIMS_BRIDGE_SECTION}.sweepRecipient`);
  const problems = parties.problems;
  const wrappedOxen = wrappedOxenOf(data.wrappedOxen, fileNetworkOf(json), problems);
  const schedule = scheduleOf(data.schedule, problems);
  const closeTime = closeTimeOf(data.closeTime, schedule[0]?.timestamp, problems);
  if (now !== undefined && closeTime !== NO_CLOSE_TIME && closeTime <= now) {
    problems.push(
      `${CLAIMS_BRIDGE_SECTION}.closeTime: ${utcText(closeTime)} is not after the chain's time ${utcText(now)}`,
    );
  }
  if (problems.length > 0) throw new InputFileError(file, problems);
  return { file, owner, sweepRecipient, wrappedOxen, schedule, closeTime };
}

/** A bridge's constructor values other than the SESH token, from validated parameters. */
export interface BridgeConstructorValues {
  /** The network's wOXEN; absent on a local chain, whose modules deploy the wrapped-OXEN test token. */
  readonly wrappedOxen?: string;
  readonly owner: string;
  readonly schedule: readonly { readonly timestamp: bigint; readonly rate: bigint }[];
  readonly closeTime: bigint;
  readonly sweepRecipient: string;
}

/** The values the bridge's module and the Landing's TGE module construct the bridge with, besides the token. */
export function bridgeConstructorValues(parameters: ClaimsBridgeParameters): BridgeConstructorValues {
  return {
    ...(parameters.wrappedOxen.kind === "address" ? { wrappedOxen: parameters.wrappedOxen.address } : {}),
    owner: parameters.owner,
    schedule: parameters.schedule.map((point) => ({ timestamp: point.timestamp, rate: point.rate })),
    closeTime: parameters.closeTime,
    sweepRecipient: parameters.sweepRecipient,
  };
}

import { readFileSync } from "node:fs";
import path from "node:path";

import { z } from "zod";

import { describeZodIssues, InputFileError } from "./errors";
import { utcDate } from "./schema";

/** The launch calendar file (SPEC section 2). */
export const TIMELINE_FILE = path.resolve(__dirname, "..", "deploy", "parameters", "timeline.json");

/** Every event the suite relies on; the file must define each exactly once. */
export const TIMELINE_EVENT_IDS = [
  "bonusBackdateFrom",
  "bonusBackdateDeadline",
  "communitySnapshot",
  "testnetLaunch",
  "bugBountyStart",
  "testnetIncentiveStart",
  "testnetReferralStart",
  "anchorRelease",
  "anchorHardfork",
  "bonusSnapshot",
  "landingRelease",
  "tge",
  "stakingPortalLive",
  "conversionDecayStart",
] as const;

export type TimelineEventId = (typeof TIMELINE_EVENT_IDS)[number];
export type Phase = "Lighthouse" | "Anchor" | "Landing";

export interface TimelineEvent {
  readonly id: TimelineEventId;
  readonly phase: Phase;
  readonly event: string;
  readonly date: Date;
  /** Seconds since the Unix epoch, as contracts and the chain's clock count. */
  readonly unix: number;
}

export interface Timeline {
  /** The embedded chain's first block: before every on-chain event, so the rehearsal can move the clock forward to each. */
  readonly chainGenesis: Date;
  readonly events: readonly TimelineEvent[];
  /** The event with this id. */
  at(id: TimelineEventId): TimelineEvent;
}

const timelineSchema = z.strictObject({
  description: z.string().optional(),
  chainGenesis: utcDate,
  events: z.array(
    z.strictObject({
      id: z.enum(TIMELINE_EVENT_IDS),
      phase: z.enum(["Lighthouse", "Anchor", "Landing"]),
      date: utcDate,
      event: z.string().min(1),
    }),
  ),
});

/** Parses and checks a timeline given as JSON text; `file` names it in errors. */
export function parseTimeline(json: string, file: string): Timeline {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new InputFileError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  const parsed = timelineSchema.safeParse(raw);
  if (!parsed.success) throw new InputFileError(file, describeZodIssues(parsed.error));

  const problems: string[] = [];
  const byId = new Map<TimelineEventId, TimelineEvent>();
  parsed.data.events.forEach((entry, row) => {
    if (byId.has(entry.id)) {
      problems.push(`events[${row}]: event "${entry.id}" is defined twice`);
      return;
    }
    byId.set(entry.id, { ...entry, unix: Math.floor(entry.date.getTime() / 1000) });
  });
  for (const id of TIMELINE_EVENT_IDS) {
    if (!byId.has(id)) problems.push(`events: event "${id}" is missing`);
  }
  const testnetLaunch = byId.get("testnetLaunch");
  if (testnetLaunch !== undefined && parsed.data.chainGenesis >= testnetLaunch.date) {
    problems.push(
      `chainGenesis ${formatUtc(parsed.data.chainGenesis)} must come before the first on-chain event ` +
        `(testnetLaunch, ${formatUtc(testnetLaunch.date)})`,
    );
  }
  if (problems.length > 0) throw new InputFileError(file, problems);

  const events = [...byId.values()].sort((a, b) => a.unix - b.unix);
  return {
    chainGenesis: parsed.data.chainGenesis,
    events,
    at(id) {
      const event = byId.get(id);
      // Every id was checked above; reaching this is a programming error, not bad input.
      if (event === undefined) throw new Error(`timeline has no event ${id}`);
      return event;
    },
  };
}

/** Reads and checks a timeline file (default: deploy/parameters/timeline.json). */
export function loadTimeline(file: string = TIMELINE_FILE): Timeline {
  return parseTimeline(readFileSync(file, "utf8"), file);
}

let defaultTimeline: Timeline | undefined;

/** The launch calendar of deploy/parameters/timeline.json, read once. */
export function launchTimeline(): Timeline {
  defaultTimeline ??= loadTimeline();
  return defaultTimeline;
}

/** A date as ISO-8601 UTC without milliseconds: 2025-05-21T00:00:00Z. */
export function formatUtc(date: Date | number): string {
  const value = typeof date === "number" ? new Date(date * 1000) : date;
  return value.toISOString().replace(/\.\d{3}Z$/, "Z");
}

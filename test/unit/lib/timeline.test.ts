import { readFileSync } from "node:fs";

import { expect } from "chai";

import { InputFileError } from "../../../lib/errors";
import { formatUtc, launchTimeline, parseTimeline, TIMELINE_FILE, type TimelineEventId } from "../../../lib/timeline";

type RawTimeline = { chainGenesis: string; events: { id: string; phase: string; date: string; event: string }[] };

function rawTimeline(): RawTimeline {
  return JSON.parse(readFileSync(TIMELINE_FILE, "utf8")) as RawTimeline;
}

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseTimeline(JSON.stringify(raw), "timeline.json");
  } catch (error) {
    if (error instanceof InputFileError) return error.problems;
    throw error;
  }
  throw new Error("the timeline was accepted");
}

describe("lib/timeline", function () {
  describe("the launch calendar", function () {
    // SPEC section 2, the real dates of the Session launch.
    const published: [TimelineEventId, string, string][] = [
      ["testnetLaunch", "Lighthouse", "2024-07-09T00:00:00Z"],
      ["bugBountyStart", "Lighthouse", "2024-07-16T00:00:00Z"],
      ["testnetIncentiveStart", "Lighthouse", "2024-07-20T00:00:00Z"],
      ["communitySnapshot", "Lighthouse", "2024-06-12T00:00:00Z"],
      ["testnetReferralStart", "Lighthouse", "2024-11-07T00:00:00Z"],
      ["bonusBackdateFrom", "Lighthouse", "2023-09-25T17:00:00Z"],
      ["bonusBackdateDeadline", "Lighthouse", "2024-01-31T00:00:00Z"],
      ["anchorRelease", "Anchor", "2025-04-22T00:00:00Z"],
      ["anchorHardfork", "Anchor", "2025-04-29T00:00:00Z"],
      ["bonusSnapshot", "Anchor", "2025-05-09T00:00:00Z"],
      ["landingRelease", "Landing", "2025-05-14T00:00:00Z"],
      ["tge", "Landing", "2025-05-21T00:00:00Z"],
      ["stakingPortalLive", "Landing", "2025-05-22T00:00:00Z"],
      ["conversionDecayStart", "Landing", "2025-11-21T00:00:00Z"],
    ];

    for (const [id, phase, date] of published) {
      it(`places ${id} on ${date} in ${phase}`, function () {
        const event = launchTimeline().at(id);
        expect(formatUtc(event.date)).to.equal(date);
        expect(event.phase).to.equal(phase);
        expect(event.unix).to.equal(Date.parse(date) / 1000);
      });
    }

    it("lists its events in date order", function () {
      const unix = launchTimeline().events.map((event) => event.unix);
      expect(unix).to.deep.equal([...unix].sort((a, b) => a - b));
    });

    it("starts the chain before the first on-chain event", function () {
      const timeline = launchTimeline();
      expect(timeline.chainGenesis.getTime()).to.be.lessThan(timeline.at("testnetLaunch").date.getTime());
    });

    it("puts the TGE six months before the conversion rate starts to decrease", function () {
      const timeline = launchTimeline();
      const decay = new Date(timeline.at("tge").date);
      decay.setUTCMonth(decay.getUTCMonth() + 6);
      expect(decay.getTime()).to.equal(timeline.at("conversionDecayStart").date.getTime());
    });
  });

  describe("#parseTimeline", function () {
    it("rejects text that is not JSON", function () {
      expect(() => parseTimeline("{", "timeline.json")).to.throw(InputFileError, "not valid JSON");
    });

    it("rejects a missing event", function () {
      const raw = rawTimeline();
      raw.events = raw.events.filter((event) => event.id !== "tge");
      expect(problemsOf(raw)).to.deep.equal(['events: event "tge" is missing']);
    });

    it("rejects an event defined twice", function () {
      const raw = rawTimeline();
      const [first] = raw.events;
      if (first === undefined) throw new Error("empty timeline");
      raw.events.push({ ...first });
      expect(problemsOf(raw)).to.deep.equal([`events[${raw.events.length - 1}]: event "${first.id}" is defined twice`]);
    });

    it("rejects a date without a UTC zone", function () {
      const raw = rawTimeline();
      const event = raw.events[0];
      if (event === undefined) throw new Error("empty timeline");
      event.date = "2025-05-21T00:00:00+02:00";
      expect(problemsOf(raw)[0]).to.match(/^events\[0\]\.date: must be an ISO-8601 UTC date/);
    });

    it("rejects a day that is not in the calendar", function () {
      const raw = rawTimeline();
      const event = raw.events[0];
      if (event === undefined) throw new Error("empty timeline");
      event.date = "2025-02-30T00:00:00Z";
      expect(problemsOf(raw)).to.deep.equal(["events[0].date: 2025-02-30T00:00:00Z is not a calendar date"]);
    });

    it("rejects an unknown event id", function () {
      const raw = rawTimeline();
      const event = raw.events[0];
      if (event === undefined) throw new Error("empty timeline");
      event.id = "moonLanding";
      expect(problemsOf(raw)[0]).to.match(/^events\[0\]\.id: /);
    });

    it("rejects a chain genesis after the first on-chain event", function () {
      const raw = rawTimeline();
      raw.chainGenesis = "2024-07-10T00:00:00Z";
      expect(problemsOf(raw)).to.deep.equal([
        "chainGenesis 2024-07-10T00:00:00Z must come before the first on-chain event (testnetLaunch, 2024-07-09T00:00:00Z)",
      ]);
    });
  });

  describe("#formatUtc", function () {
    it("writes dates and unix seconds without milliseconds", function () {
      expect(formatUtc(new Date("2025-05-21T00:00:00.000Z"))).to.equal("2025-05-21T00:00:00Z");
      expect(formatUtc(1_747_785_600)).to.equal("2025-05-21T00:00:00Z");
    });
  });
});

import { expect } from "chai";

import {
  type Breakpoint,
  conversionRateAt,
  defaultSchedule,
  FINAL_RATE,
  MAX_BREAKPOINTS,
  MAX_RATE,
  OPENING_RATE,
  quote,
  scheduleSvg,
  validateSchedule,
} from "../../../lib/schedule";
import { launchTimeline } from "../../../lib/timeline";

const DAY = 86_400n;

describe("lib/schedule", function () {
  describe("#defaultSchedule", function () {
    it("opens at 0.54 when the staking portal goes live and falls over 30 days to 0.378 from the decay start", function () {
      const timeline = launchTimeline();
      const opening = BigInt(timeline.at("stakingPortalLive").unix);
      const decay = BigInt(timeline.at("conversionDecayStart").unix);
      expect(opening).to.equal(BigInt(Date.parse("2025-05-22T00:00:00Z") / 1000));
      expect(decay).to.equal(BigInt(Date.parse("2025-11-21T00:00:00Z") / 1000));
      expect(defaultSchedule()).to.deep.equal([
        { timestamp: opening, rate: 540_000_000n },
        { timestamp: decay, rate: 540_000_000n },
        { timestamp: decay + 30n * DAY, rate: 378_000_000n },
      ]);
      expect(FINAL_RATE).to.equal((OPENING_RATE * 7n) / 10n);
    });
  });

  describe("#validateSchedule", function () {
    it("accepts the default schedule and a step", function () {
      expect(() => {
        validateSchedule(defaultSchedule());
      }).not.to.throw();
      expect(() => {
        validateSchedule([
          { timestamp: 5n, rate: 2n },
          { timestamp: 5n, rate: 1n },
        ]);
      }).not.to.throw();
    });

    it("names every problem", function () {
      expect(() => {
        validateSchedule([]);
      }).to.throw(RangeError, "no breakpoint");
      expect(() => {
        validateSchedule([
          { timestamp: 10n, rate: 0n },
          { timestamp: 9n, rate: MAX_RATE + 1n },
        ]);
      })
        .to.throw(RangeError)
        .with.property("message")
        .that.matches(/breakpoint 0: rate 0/)
        .and.matches(/breakpoint 1: rate 10000000001/)
        .and.matches(/breakpoint 1: timestamp 9 comes before the previous one \(10\)/);
    });

    it("rejects more than MAX_BREAKPOINTS breakpoints", function () {
      const schedule = Array.from({ length: MAX_BREAKPOINTS + 1 }, (_, i) => ({ timestamp: BigInt(i + 1), rate: 1n }));
      expect(() => {
        validateSchedule(schedule);
      }).to.throw(RangeError, `${MAX_BREAKPOINTS + 1} breakpoints, at most ${MAX_BREAKPOINTS}`);
    });

    it("rejects a first breakpoint at timestamp 0, as the contract does", function () {
      expect(() => {
        validateSchedule([{ timestamp: 0n, rate: 1n }]);
      }).to.throw(RangeError, "breakpoint 0: timestamp 0");
    });
  });

  describe("#conversionRateAt", function () {
    const schedule: Breakpoint[] = [
      { timestamp: 100n, rate: 10n },
      { timestamp: 103n, rate: 12n },
      { timestamp: 103n, rate: 20n },
      { timestamp: 106n, rate: 18n },
    ];

    it("is 0 before the first breakpoint", function () {
      expect(conversionRateAt(schedule, 99n)).to.equal(0n);
    });

    it("rounds a rising segment down", function () {
      expect([100n, 101n, 102n].map((t) => conversionRateAt(schedule, t))).to.deep.equal([10n, 10n, 11n]);
    });

    it("applies the later breakpoint at a shared timestamp", function () {
      expect(conversionRateAt(schedule, 103n)).to.equal(20n);
    });

    it("rounds a falling segment down", function () {
      // 20 − ceil(2·1/3) = 19, 20 − ceil(2·2/3) = 18.
      expect([104n, 105n].map((t) => conversionRateAt(schedule, t))).to.deep.equal([19n, 18n]);
    });

    it("is flat after the last breakpoint", function () {
      expect(conversionRateAt(schedule, 10n ** 12n)).to.equal(18n);
    });
  });

  describe("#quote", function () {
    it("rounds oxenAmount × rate / 10^9 down", function () {
      const schedule = defaultSchedule();
      const opening = schedule[0]?.timestamp ?? 0n;
      expect(quote(schedule, 10n ** 9n, opening)).to.equal(540_000_000n);
      expect(quote(schedule, 1n, opening)).to.equal(0n);
      expect(quote(schedule, 3n, opening)).to.equal(1n);
      expect(quote(schedule, 10n ** 9n, opening - 1n)).to.equal(0n);
    });
  });

  describe("#scheduleSvg", function () {
    it("ticks every month of a long window but labels only as many as fit, every second one over 14 months", function () {
      const from = BigInt(Date.parse("2025-04-21T00:00:00Z") / 1000);
      const to = BigInt(Date.parse("2026-06-20T00:00:00Z") / 1000);
      const svg = scheduleSvg(defaultSchedule(), from, to);
      const labels = [...svg.matchAll(/<text class="month"[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
      expect(labels).to.deep.equal(["2025-05", "2025-07", "2025-09", "2025-11", "2026-01", "2026-03", "2026-05"]);
      const ticks = svg.match(/<line x1="([\d.]+)" y1="(\d+)" x2="\1" y2="\d+" stroke="black"\/>/g) ?? [];
      // 14 month ticks, and the vertical axis drawn the same way.
      expect(ticks.length - 1).to.equal(14);
    });

    it("draws a self-contained chart with axes, month ticks and the breakpoints", function () {
      const schedule = defaultSchedule();
      const from = BigInt(Date.parse("2025-05-01T00:00:00Z") / 1000);
      const to = BigInt(Date.parse("2026-02-01T00:00:00Z") / 1000);
      const svg = scheduleSvg(schedule, from, to);
      expect(svg.startsWith("<svg")).to.equal(true);
      expect(svg).to.contain("</svg>");
      expect(svg).to.contain("<polyline");
      expect(svg).to.contain("2025-06");
      expect(svg).to.contain("2026-02");
      expect(svg.match(/<circle/g)).to.have.length(3);
      expect(svg).not.to.match(/href|<script/);
    });

    it("rejects an empty window", function () {
      expect(() => scheduleSvg(defaultSchedule(), 10n, 10n)).to.throw(RangeError, "empty");
    });
  });
});

import { expect } from "chai";

import {
  type Breakpoint,
  conversionRateAt,
  DECAY_SECONDS,
  defaultSchedule,
  FINAL_RATE,
  MAX_BREAKPOINTS,
  MAX_RATE,
  MAX_TIMESTAMP,
  OPENING_RATE,
  quote,
  RATE_PRECISION,
  scheduleProblems,
  scheduleSvg,
  validateSchedule,
} from "../../../lib/schedule";

// Cases the mutation run (npm run mutate) showed untested: the contract's limits at their edges, the exact problem
// lines, rounding where a division is exact, and what the chart draws (checked against its own axes, so that a new
// layout does not break these tests).

const ONE = RATE_PRECISION;

function breakpoints(count: number): Breakpoint[] {
  return Array.from({ length: count }, (_, index) => ({ timestamp: BigInt(index + 1), rate: 1n }));
}

interface Axes {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

function numbersOf(tag: string, names: readonly string[]): number[] {
  return names.map((name) => {
    const match = new RegExp(`\\b${name}="(-?[\\d.]+)"`).exec(tag);
    if (match?.[1] === undefined) throw new Error(`no ${name} in ${tag}`);
    return Number(match[1]);
  });
}

/** The plot area, read from the two black axis lines (the month ticks are black too, but 5 units short). */
function axesOf(svg: string): Axes {
  const lines = [...svg.matchAll(/<line [^>]*stroke="black"\/>/g)].map((match) =>
    numbersOf(match[0], ["x1", "y1", "x2", "y2"]),
  );
  const vertical = lines.find(([x1, y1, x2, y2]) => x1 === x2 && Math.abs((y2 ?? 0) - (y1 ?? 0)) > 10);
  const horizontal = lines.find(([, y1, , y2]) => y1 === y2);
  if (vertical === undefined || horizontal === undefined) throw new Error("the chart has no axes");
  const [left = 0, top = 0, , bottom = 0] = vertical;
  const [, , right = 0] = horizontal;
  expect(horizontal[0]).to.equal(left);
  expect(horizontal[1]).to.equal(bottom);
  return { left, right, top, bottom };
}

/** The polyline's points as (fraction of the window, height above the x axis as a fraction of the plot). */
function lineOf(svg: string): [number, number][] {
  const axes = axesOf(svg);
  const match = /<polyline [^>]*points="([^"]*)"/.exec(svg);
  if (match?.[1] === undefined) throw new Error("the chart has no line");
  return match[1].split(" ").map((pair) => {
    const [x = NaN, y = NaN] = pair.split(",").map(Number);
    return [(x - axes.left) / (axes.right - axes.left), (axes.bottom - y) / (axes.bottom - axes.top)];
  });
}

describe("lib/schedule (mutation cases)", function () {
  it("keeps the contract's constants", function () {
    expect(RATE_PRECISION).to.equal(1_000_000_000n);
    expect(MAX_RATE).to.equal(10_000_000_000n);
    expect(MAX_BREAKPOINTS).to.equal(8);
    expect(MAX_TIMESTAMP).to.equal(18_446_744_073_709_551_615n);
    expect(OPENING_RATE).to.equal(540_000_000n);
    expect(FINAL_RATE).to.equal(378_000_000n);
    expect(DECAY_SECONDS).to.equal(2_592_000n);
  });

  describe("#scheduleProblems", function () {
    it("finds none in a schedule at the contract's limits", function () {
      expect(scheduleProblems(breakpoints(MAX_BREAKPOINTS))).to.deep.equal([]);
      expect(
        scheduleProblems([
          { timestamp: 1n, rate: 1n },
          { timestamp: 1n, rate: MAX_RATE },
          { timestamp: MAX_TIMESTAMP, rate: MAX_RATE },
        ]),
      ).to.deep.equal([]);
      expect(scheduleProblems(defaultSchedule())).to.deep.equal([]);
    });

    it("writes one line per problem", function () {
      expect(scheduleProblems([])).to.deep.equal(["the schedule has no breakpoint"]);
      expect(scheduleProblems(breakpoints(MAX_BREAKPOINTS + 1))).to.deep.equal([
        "the schedule has 9 breakpoints, at most 8 are accepted",
      ]);
      expect(
        scheduleProblems([
          { timestamp: -1n, rate: -1n },
          { timestamp: MAX_TIMESTAMP + 1n, rate: MAX_RATE + 1n },
          { timestamp: 7n, rate: 0n },
        ]),
      ).to.deep.equal([
        "breakpoint 0: timestamp -1 is outside 0 … 2^64 − 1",
        "breakpoint 0: rate -1 is outside (0, 10000000000]",
        "breakpoint 1: timestamp 18446744073709551616 is outside 0 … 2^64 − 1",
        "breakpoint 1: rate 10000000001 is outside (0, 10000000000]",
        "breakpoint 2: rate 0 is outside (0, 10000000000]",
        "breakpoint 2: timestamp 7 comes before the previous one (18446744073709551616)",
      ]);
    });
  });

  describe("#validateSchedule", function () {
    it("lists every problem in its message", function () {
      expect(() => {
        validateSchedule([
          { timestamp: 5n, rate: 0n },
          { timestamp: 4n, rate: 1n },
        ]);
      })
        .to.throw(RangeError)
        .with.property(
          "message",
          "invalid conversion schedule:\n" +
            "  - breakpoint 0: rate 0 is outside (0, 10000000000]\n" +
            "  - breakpoint 1: timestamp 4 comes before the previous one (5)",
        );
    });
  });

  describe("#conversionRateAt", function () {
    it("is 0 for an empty schedule and flat around a single breakpoint", function () {
      expect(conversionRateAt([], 5n)).to.equal(0n);
      const single = [{ timestamp: 50n, rate: 7n }];
      expect([49n, 50n, 51n, 10n ** 30n].map((t) => conversionRateAt(single, t))).to.deep.equal([0n, 7n, 7n, 7n]);
    });

    it("subtracts exactly when a falling segment divides evenly", function () {
      const schedule = [
        { timestamp: 0n, rate: 20n },
        { timestamp: 2n, rate: 18n },
      ];
      expect([0n, 1n, 2n].map((t) => conversionRateAt(schedule, t))).to.deep.equal([20n, 19n, 18n]);
    });

    it("rounds a falling segment towards the lower rate", function () {
      const schedule = [
        { timestamp: 10n, rate: 100n },
        { timestamp: 13n, rate: 99n },
      ];
      // 100 − ceil(1·1/3) = 99 at once: never above the straight line.
      expect([10n, 11n, 12n, 13n].map((t) => conversionRateAt(schedule, t))).to.deep.equal([100n, 99n, 99n, 99n]);
    });

    it("adds exactly when a rising segment divides evenly", function () {
      const schedule = [
        { timestamp: 100n, rate: 10n },
        { timestamp: 104n, rate: 18n },
      ];
      expect([100n, 101n, 102n, 103n, 104n].map((t) => conversionRateAt(schedule, t))).to.deep.equal([
        10n,
        12n,
        14n,
        16n,
        18n,
      ]);
    });

    it("holds the previous segment's value up to the second before a step", function () {
      const schedule = [
        { timestamp: 0n, rate: 10n },
        { timestamp: 10n, rate: 10n },
        { timestamp: 10n, rate: 30n },
      ];
      expect([9n, 10n, 11n].map((t) => conversionRateAt(schedule, t))).to.deep.equal([10n, 30n, 30n]);
    });

    it("follows the default schedule through the decay", function () {
      const [opening, decayStart, decayEnd] = defaultSchedule().map((point) => point.timestamp);
      if (opening === undefined || decayStart === undefined || decayEnd === undefined) throw new Error("3 points");
      const halfway = decayStart + DECAY_SECONDS / 2n;
      expect(conversionRateAt(defaultSchedule(), opening)).to.equal(OPENING_RATE);
      expect(conversionRateAt(defaultSchedule(), decayStart)).to.equal(OPENING_RATE);
      expect(conversionRateAt(defaultSchedule(), halfway)).to.equal(459_000_000n);
      // One second in: 0.162 SESH over 2,592,000 s is 62.5 atoms, rounded up to 63 (down for the rate).
      expect(conversionRateAt(defaultSchedule(), decayStart + 1n)).to.equal(539_999_937n);
      expect(conversionRateAt(defaultSchedule(), decayEnd)).to.equal(FINAL_RATE);
    });
  });

  describe("#quote", function () {
    it("rounds down amounts that are not whole OXEN", function () {
      const schedule = [{ timestamp: 0n, rate: OPENING_RATE }];
      expect(quote(schedule, 1_000_000_001n, 0n)).to.equal(540_000_000n);
      expect(quote(schedule, 1_999_999_999n, 0n)).to.equal(1_079_999_999n);
      expect(quote(schedule, 0n, 0n)).to.equal(0n);
    });
  });

  describe("#scheduleSvg", function () {
    // 1 SESH per OXEN from 100, falling to 0.5 at 200.
    const schedule: Breakpoint[] = [
      { timestamp: 100n, rate: ONE },
      { timestamp: 200n, rate: ONE / 2n },
    ];

    it("joins the rate at the window's ends and on both sides of every breakpoint inside it", function () {
      const svg = scheduleSvg(schedule, 0n, 300n);
      const line = lineOf(svg);
      const ratesAt: [number, bigint][] = [
        [0, 0n],
        [100, 0n],
        [100, ONE],
        [200, conversionRateAt(schedule, 199n)],
        [200, ONE / 2n],
        [300, ONE / 2n],
      ];
      expect(line).to.have.length(ratesAt.length);
      const top = line[2]?.[1] ?? NaN;
      expect(top, "the highest rate stays inside the plot, with room above").to.be.within(0.5, 0.95);
      ratesAt.forEach(([t, rate], index) => {
        const [x = NaN, height = NaN] = line[index] ?? [];
        expect(x, `x of point ${index}`).to.be.closeTo(t / 300, 0.001);
        expect(height / top, `height of point ${index}`).to.be.closeTo(Number(rate) / Number(ONE), 0.002);
      });
    });

    it("starts the line with the rate at the window's start and draws no step at a breakpoint on its edge", function () {
      const line = lineOf(scheduleSvg(schedule, 100n, 200n));
      expect(line).to.have.length(2);
      const [[x0, h0] = [], [x1, h1] = []] = line;
      expect(x0).to.be.closeTo(0, 0.001);
      expect(x1).to.be.closeTo(1, 0.001);
      expect((h1 ?? NaN) / (h0 ?? NaN)).to.be.closeTo(0.5, 0.002);
    });

    it("marks every breakpoint inside the window, its ends included, with its date and rate", function () {
      const svg = scheduleSvg([{ timestamp: 50n, rate: 3n * ONE }, ...schedule], 100n, 200n);
      const titles = [...svg.matchAll(/<circle [^>]*><title>([^<]*)<\/title><\/circle>/g)].map((match) => match[1]);
      expect(titles).to.deep.equal(["1970-01-01: 1 SESH per OXEN", "1970-01-01: 0.5 SESH per OXEN"]);
    });

    it("writes the real rates as SESH per OXEN", function () {
      const schedule = defaultSchedule();
      const from = schedule[0]?.timestamp ?? 0n;
      const svg = scheduleSvg(schedule, from, (schedule[2]?.timestamp ?? 0n) + 1n);
      const titles = [...svg.matchAll(/<circle [^>]*><title>[^<]*: ([^<]*)<\/title>/g)].map((match) => match[1]);
      expect(titles).to.deep.equal(["0.54 SESH per OXEN", "0.54 SESH per OXEN", "0.378 SESH per OXEN"]);
      expect(svg).to.contain("<title>OXEN → SESH conversion rate</title>");
    });

    it("ticks the first day of every month in the window, its ends included, across a new year", function () {
      const from = BigInt(Date.UTC(2025, 10, 1) / 1000);
      const to = BigInt(Date.UTC(2026, 1, 1) / 1000);
      const svg = scheduleSvg(defaultSchedule(), from, to);
      const labels = [...svg.matchAll(/<text [^>]*text-anchor="middle">(\d{4}-\d{2})<\/text>/g)].map(
        (match) => match[1],
      );
      expect(labels).to.deep.equal(["2025-11", "2025-12", "2026-01", "2026-02"]);
      const later = scheduleSvg(defaultSchedule(), from + 1n, to - 1n);
      const laterLabels = [...later.matchAll(/<text [^>]*text-anchor="middle">(\d{4}-\d{2})<\/text>/g)].map(
        (match) => match[1],
      );
      expect(laterLabels).to.deep.equal(["2025-12", "2026-01"]);
    });

    it("draws a window before the first breakpoint as a flat line at 0", function () {
      const svg = scheduleSvg(schedule, 0n, 50n);
      expect(svg).not.to.contain("NaN");
      expect(lineOf(svg)).to.deep.equal([
        [0, 0],
        [1, 0],
      ]);
    });

    it("refuses an invalid schedule and an empty or reversed window", function () {
      expect(() => scheduleSvg([], 0n, 10n)).to.throw(RangeError, "invalid conversion schedule");
      expect(() => scheduleSvg(schedule, 10n, 10n))
        .to.throw(RangeError)
        .with.property("message", "the chart's window is empty: from 10 to 10");
      expect(() => scheduleSvg(schedule, 11n, 10n)).to.throw(RangeError, "from 11 to 10");
    });
  });
});

import { expect } from "chai";

import { nodesChartSvg, type NodeCountPoint } from "../../../../lib/rehearsal/nodesChart";
import { byClass, elementsOf, parseXml, type XmlElement } from "../../../helpers/xml";

/** A generous width of a character of the chart's 12 px text (DejaVu Sans digits are 7.6 px wide). */
const CHARACTER_WIDTH = 7.6;
const BOLD_CHARACTER_WIDTH = 8.4;
/** The height a line of the 12 px text needs. */
const TEXT_HEIGHT = 12;

const THREE: readonly NodeCountPoint[] = [
  { label: "2025-04-29 hardfork", phase: "Lighthouse", running: 1_840 },
  { label: "2025-05-22 snapshot", phase: "Anchor", running: 1_712, decommissioned: 64, deregistered: 130 },
  { label: "2025-11-21 TGE", phase: "Landing", running: 1_650, decommissioned: 0, deregistered: 256 },
];

/** `count` points, their phases in thirds, labels like the report's ("2025-04-01 hardfork"). */
function points(count: number): NodeCountPoint[] {
  const phases = ["Lighthouse", "Anchor", "Landing"] as const;
  const events = ["hardfork", "registrations", "snapshot", "end"] as const;
  return Array.from({ length: count }, (_, index) => ({
    label: `2025-${String(4 + Math.floor(index / 2)).padStart(2, "0")}-${index % 2 === 0 ? "01" : "15"} ${
      events[index % events.length] ?? "end"
    }`,
    phase: phases[Math.floor((index * phases.length) / count)] ?? "Landing",
    running: 1_500 + index * 37,
    decommissioned: (index * 13) % 50,
    deregistered: index * 21,
  }));
}

const number = (element: XmlElement | undefined, attribute: string): number => {
  const value = element?.attributes[attribute];
  if (value === undefined) throw new Error(`no ${attribute} on ${element?.name ?? "a missing element"}`);
  return Number(value);
};
const texts = (root: XmlElement, name: string): string[] => byClass(root, name).map((element) => element.text);
const lines = (label: XmlElement): XmlElement[] => label.children.filter((child) => child.name === "tspan");

/** The picture's plot: the baseline and top, read off the axis lines. */
function plot(root: XmlElement): { top: number; baseline: number } {
  const axis = elementsOf(root).find(
    (element) =>
      element.name === "line" &&
      element.attributes.stroke === "black" &&
      element.attributes.x1 === element.attributes.x2,
  );
  return { top: number(axis, "y1"), baseline: number(axis, "y2") };
}

interface Box {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}
const overlaps = (a: Box, b: Box): boolean =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** The box of a centred label on one or more lines (its tspans), from the emitted coordinates. */
function labelBox(label: XmlElement): Box {
  const rows = lines(label);
  const centre = number(label, "x");
  const width = Math.max(...rows.map((row) => row.text.length * CHARACTER_WIDTH));
  const baselines = rows.map((row) => number(row, "y"));
  return {
    left: centre - width / 2,
    right: centre + width / 2,
    top: Math.min(...baselines) - TEXT_HEIGHT,
    bottom: Math.max(...baselines),
  };
}

/** A turned label: its anchor (where it ends) and its angle, from its transform. */
function rotation(label: XmlElement): { x: number; y: number; degrees: number } {
  const match = /^rotate\((-?[\d.]+) (-?[\d.]+) (-?[\d.]+)\)$/.exec(label.attributes.transform ?? "");
  if (match === null) throw new Error(`label ${label.text} is not turned`);
  expect(Number(match[2])).to.equal(number(label, "x"));
  expect(Number(match[3])).to.equal(number(label, "y"));
  return { x: Number(match[2]), y: Number(match[3]), degrees: Number(match[1]) };
}

/** Checks that no two labels under the bars overlap and that every one is inside the picture. */
function expectLabelsApart(root: XmlElement): void {
  const labels = byClass(root, "bar-label");
  const width = number(root, "width");
  const height = number(root, "height");
  const turned = labels.filter((label) => label.attributes.transform !== undefined);
  if (turned.length === 0) {
    const boxes = labels.map(labelBox);
    boxes.forEach((box, index) => {
      expect(box.left, labels[index]?.text).to.be.at.least(0);
      expect(box.right, labels[index]?.text).to.be.at.most(width);
      expect(box.bottom, labels[index]?.text).to.be.at.most(height);
      for (const other of boxes.slice(index + 1)) expect(overlaps(box, other), labels[index]?.text).to.equal(false);
    });
    return;
  }
  expect(turned).to.have.length(labels.length);
  // Turned labels are parallel strips, TEXT_HEIGHT thick, centred on their baselines (dominant-baseline middle):
  // two are apart when their baselines are at least that far apart, measured across them.
  const anchors = turned.map(rotation);
  const degrees = anchors[0]?.degrees ?? 0;
  const radians = (degrees * Math.PI) / 180;
  const across = { x: -Math.sin(radians), y: Math.cos(radians) };
  anchors.forEach((anchor, index) => {
    expect(anchor.degrees).to.equal(degrees);
    expect(turned[index]?.attributes["text-anchor"]).to.equal("end");
    expect(turned[index]?.attributes["dominant-baseline"]).to.equal("middle");
    const length = (turned[index]?.text.length ?? 0) * CHARACTER_WIDTH;
    // The label runs back from its anchor, down and to the left: its far end must stay inside the picture.
    const startX = anchor.x - length * Math.cos(radians) - (TEXT_HEIGHT / 2) * Math.abs(Math.sin(radians));
    const startY = anchor.y - length * Math.sin(radians) + TEXT_HEIGHT / 2;
    expect(startX, turned[index]?.text).to.be.at.least(0);
    expect(startY, turned[index]?.text).to.be.at.most(height);
    const next = anchors[index + 1];
    if (next !== undefined) {
      const distance = Math.abs((next.x - anchor.x) * across.x + (next.y - anchor.y) * across.y);
      expect(distance, turned[index]?.text).to.be.at.least(TEXT_HEIGHT);
    }
  });
}

describe("lib/rehearsal/nodesChart", function () {
  describe("#nodesChartSvg with three points", function () {
    const svg = nodesChartSvg(THREE);
    const root = parseXml(svg);
    const bars = byClass(root, "bar");

    it("is one well-formed, self-contained SVG document", function () {
      expect(root.name).to.equal("svg");
      expect(root.attributes.xmlns).to.equal("http://www.w3.org/2000/svg");
      expect(root.attributes["font-family"]).to.equal("sans-serif");
      expect(root.attributes.viewBox).to.equal(`0 0 ${root.attributes.width} ${root.attributes.height}`);
      const background = root.children.find((element) => element.name === "rect");
      expect(background?.attributes).to.deep.include({ fill: "white", width: root.attributes.width });
      expect(svg).not.to.match(/NaN|undefined|Infinity|href|<script/);
    });

    it("has the title, default or given, escaped", function () {
      expect(root.children.find((element) => element.name === "title")?.text).to.equal("Nodes through the phases");
      expect(texts(root, "title")).to.deep.equal(["Nodes through the phases"]);
      const given = parseXml(nodesChartSvg(THREE, 'Nodes <"test"> & more'));
      expect(texts(given, "title")).to.deep.equal(['Nodes <"test"> & more']);
    });

    it("draws one bar group per point, left to right, each with its total on top and its label under it", function () {
      expect(bars).to.have.length(3);
      expect(bars.map((bar) => bar.attributes["data-phase"])).to.deep.equal(["Lighthouse", "Anchor", "Landing"]);
      expect(bars.map((bar) => byClass(bar, "total").map((total) => total.text))).to.deep.equal([
        ["1,840"],
        ["1,906"],
        ["1,906"],
      ]);
      expect(bars.map((bar) => byClass(bar, "bar-label").map((label) => label.text))).to.deep.equal(
        THREE.map((point) => [point.label]),
      );
      const centres = bars.map((bar) => number(byClass(bar, "total")[0], "x"));
      expect(centres).to.deep.equal([...centres].sort((a, b) => a - b));
      expect(new Set(centres).size).to.equal(3);
    });

    it("stacks running, decommissioned and gone from the axis up, in proportion, leaving out empty segments", function () {
      const { top, baseline } = plot(root);
      const axisTop = Number(texts(root, "count-tick").at(-1)?.replace(/,/g, ""));
      const scale = (baseline - top) / axisTop;
      const segments = bars.map((bar) => byClass(bar, "segment"));
      expect(segments.map((bar) => bar.map((segment) => segment.attributes.class))).to.deep.equal([
        ["segment segment-running"],
        ["segment segment-running", "segment segment-decommissioned", "segment segment-deregistered"],
        ["segment segment-running", "segment segment-deregistered"],
      ]);
      const middle = segments[1] ?? [];
      let bottom = baseline;
      [1_712, 64, 130].forEach((count, index) => {
        const segment = middle[index];
        expect(number(segment, "y") + number(segment, "height")).to.be.closeTo(bottom, 0.11);
        expect(number(segment, "height")).to.be.closeTo(count * scale, 0.11);
        bottom = number(segment, "y");
      });
      expect(middle.map((segment) => segment.attributes.fill)).to.deep.equal(["#1f77b4", "#f0a030", "#9e9e9e"]);
      expect(middle[1]?.text).to.equal("2025-05-22 snapshot (Anchor): 64 decommissioned");
      // The total sits just above its bar.
      const total = byClass(bars[1] as XmlElement, "total")[0];
      expect(number(total, "y")).to.be.below(bottom);
      expect(number(total, "y")).to.be.above(bottom - TEXT_HEIGHT);
    });

    it("has a legend of the three series, in their colours", function () {
      expect(texts(root, "legend-label")).to.deep.equal([
        "running",
        "decommissioned",
        "deregistered, exited or liquidated",
      ]);
      expect(byClass(root, "legend").map((swatch) => swatch.attributes.fill)).to.deep.equal([
        "#1f77b4",
        "#f0a030",
        "#9e9e9e",
      ]);
    });

    it("puts each phase on a band with its name above it", function () {
      expect(texts(root, "phase-label")).to.deep.equal(["Lighthouse", "Anchor", "Landing"]);
      const { top } = plot(root);
      const bands = byClass(root, "phase-band");
      expect(bands).to.have.length(3);
      bands.forEach((band, index) => {
        const bar = byClass(bars[index] as XmlElement, "segment")[0];
        expect(number(bar, "x")).to.be.at.least(number(band, "x"));
        expect(number(bar, "x") + number(bar, "width")).to.be.at.most(number(band, "x") + number(band, "width"));
        const name = byClass(root, "phase-label")[index];
        expect(number(name, "y")).to.be.below(top);
      });
      // A gap between two bands.
      expect(number(bands[1], "x")).to.be.above(number(bands[0], "x") + number(bands[0], "width"));
    });

    it("writes short labels on one line", function () {
      for (const label of byClass(root, "bar-label")) {
        expect(label.attributes.transform).to.equal(undefined);
        expect(lines(label)).to.have.length(1);
      }
      expectLabelsApart(root);
    });
  });

  describe("the count axis", function () {
    it("has round ticks from 0, its top at or above the largest total with room for the total", function () {
      const root = parseXml(nodesChartSvg(THREE));
      expect(texts(root, "count-tick")).to.deep.equal(["0", "500", "1,000", "1,500", "2,000", "2,500"]);
      for (const [running, ticks] of [
        [1_000, ["0", "200", "400", "600", "800", "1,000", "1,200"]],
        [7, ["0", "1", "2", "3", "4", "5", "6", "7", "8"]],
        [0, ["0", "1"]],
      ] as const) {
        const chart = parseXml(nodesChartSvg([{ label: "one", phase: "Landing", running }]));
        expect(texts(chart, "count-tick"), String(running)).to.deep.equal(ticks);
      }
    });

    it("reaches past the largest total for any chart, the totals inside the plot", function () {
      for (const count of [1, 3, 5, 12, 40]) {
        const chartPoints = points(count).map((point, index) => ({ ...point, running: point.running * (index + 1) }));
        const root = parseXml(nodesChartSvg(chartPoints));
        const largest = Math.max(
          ...chartPoints.map((point) => point.running + (point.decommissioned ?? 0) + (point.deregistered ?? 0)),
        );
        const axisTop = Number(texts(root, "count-tick").at(-1)?.replace(/,/g, ""));
        expect(axisTop, `${count} points`).to.be.at.least(largest);
        const { top } = plot(root);
        for (const total of byClass(root, "total")) {
          expect(number(total, "y") - TEXT_HEIGHT, `${count} points`).to.be.at.least(top);
        }
      }
    });
  });

  describe("the labels under the bars", function () {
    it("wrap to two lines at the space nearest the middle when one line does not fit", function () {
      const root = parseXml(nodesChartSvg(points(6)));
      const labels = byClass(root, "bar-label");
      expect(labels.map((label) => lines(label).map((line) => line.text))).to.deep.include(["2025-04-01", "hardfork"]);
      for (const label of labels) expect(lines(label)).to.have.length(2);
      expectLabelsApart(root);
    });

    it("are turned for 12 points, none overlapping another or leaving the picture", function () {
      const root = parseXml(nodesChartSvg(points(12)));
      const labels = byClass(root, "bar-label");
      expect(labels).to.have.length(12);
      expect(labels.every((label) => label.attributes.transform?.startsWith("rotate(-45 "))).to.equal(true);
      expectLabelsApart(root);
      // The turned labels hang below the axis.
      const { baseline } = plot(root);
      for (const label of labels) expect(number(label, "y")).to.be.above(baseline);
    });

    it("stay apart for many points and long labels: the chart grows wider", function () {
      const many = points(40).map((point, index) => ({
        ...point,
        label: index % 7 === 0 ? `${point.label} and a much longer note` : point.label,
        running: 100_000 + index,
      }));
      const root = parseXml(nodesChartSvg(many));
      expect(number(root, "width")).to.be.above(860);
      expectLabelsApart(root);
      // The totals written on top of neighbouring bars do not overlap either.
      const totals = byClass(root, "total").map((total) => ({
        centre: number(total, "x"),
        width: total.text.length * BOLD_CHARACTER_WIDTH,
      }));
      totals.slice(1).forEach((total, index) => {
        const previous = totals[index] as { centre: number; width: number };
        expect(previous.centre + previous.width / 2).to.be.at.most(total.centre - total.width / 2);
      });
    });
  });

  describe("the phases", function () {
    it("group consecutive points of one phase, a band and a name per run", function () {
      const root = parseXml(nodesChartSvg(points(12)));
      expect(texts(root, "phase-label")).to.deep.equal(["Lighthouse", "Anchor", "Landing"]);
      const bands = byClass(root, "phase-band");
      const centres = byClass(root, "bar").map((bar) => number(byClass(bar, "total")[0], "x"));
      const inBand = (band: XmlElement): number =>
        centres.filter((x) => x > number(band, "x") && x < number(band, "x") + number(band, "width")).length;
      expect(bands.map(inBand)).to.deep.equal([4, 4, 4]);
    });

    it("keep the names of alternating one-bar phases apart, a row higher where needed", function () {
      const alternating = points(15).map((point, index) => ({
        ...point,
        phase: (["Lighthouse", "Anchor", "Landing"] as const)[index % 3] ?? "Landing",
      }));
      const root = parseXml(nodesChartSvg(alternating));
      const names = byClass(root, "phase-label");
      expect(names).to.have.length(15);
      expect(byClass(root, "phase-band")).to.have.length(15);
      const boxes = names.map((name) => ({
        left: number(name, "x"),
        right: number(name, "x") + name.text.length * BOLD_CHARACTER_WIDTH,
        top: number(name, "y") - TEXT_HEIGHT,
        bottom: number(name, "y"),
      }));
      expect(new Set(boxes.map((box) => box.bottom)).size).to.be.above(1);
      boxes.forEach((box, index) => {
        for (const other of boxes.slice(index + 1)) expect(overlaps(box, other)).to.equal(false);
        expect(box.top).to.be.above(byClass(root, "legend-label").map((label) => number(label, "y"))[0] ?? 0);
      });
    });
  });

  describe("bad input", function () {
    it("refuses a chart without points", function () {
      expect(() => nodesChartSvg([])).to.throw(RangeError, "the nodes chart has no points to draw");
    });

    it("refuses a negative, fractional or missing count, naming the point", function () {
      const bad: [NodeCountPoint, string][] = [
        [{ label: "start", phase: "Lighthouse", running: -1 }, 'point 1 ("start"): running is -1'],
        [{ label: "mid", phase: "Anchor", running: 3, decommissioned: 1.5 }, 'point 1 ("mid"): decommissioned is 1.5'],
        [{ label: "end", phase: "Landing", running: 3, deregistered: -2 }, 'point 1 ("end"): deregistered is -2'],
        [{ label: "nan", phase: "Landing", running: Number.NaN }, 'point 1 ("nan"): running is NaN'],
        [{ label: "huge", phase: "Landing", running: Number.MAX_SAFE_INTEGER + 1 }, 'point 1 ("huge"): running is'],
        [{ label: "none", phase: "Landing" } as unknown as NodeCountPoint, 'point 1 ("none"): running is undefined'],
      ];
      for (const [point, message] of bad) {
        expect(() => nodesChartSvg([THREE[0] as NodeCountPoint, point]), message).to.throw(RangeError, message);
      }
    });

    it("refuses a phase that is not the launch's", function () {
      const point = { label: "later", phase: "Orbit", running: 1 } as unknown as NodeCountPoint;
      expect(() => nodesChartSvg([point])).to.throw(
        RangeError,
        'point 0 ("later"): phase "Orbit" is not one of Lighthouse, Anchor, Landing',
      );
    });
  });
});

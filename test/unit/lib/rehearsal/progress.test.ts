import { PassThrough } from "node:stream";

import { expect } from "chai";

import { createProgress } from "../../../../lib/rehearsal/progress";

function plainOutput() {
  const lines: string[] = [];
  return { lines, output: { write: (text: string) => void lines.push(text), isTTY: false } };
}

describe("lib/rehearsal: the progress display", function () {
  it("prints a step as a numbered line", function () {
    const { lines, output } = plainOutput();
    createProgress(output).step(2, 5, "clock moved");
    expect(lines).to.deep.equal(["[2/5] clock moved\n"]);
  });

  it("prints a long step's bar as at most ten plain lines, and the last one always, when not a terminal", function () {
    const { lines, output } = plainOutput();
    const bar = createProgress(output).bar("seeding", 95, "batches");
    for (let done = 1; done <= 95; done++) bar.update(done);
    bar.stop();
    expect(lines).to.have.length(10);
    expect(lines[0]).to.equal("      seeding: 10/95 batches\n");
    expect(lines.at(-1)).to.equal("      seeding: 95/95 batches\n");
  });

  it("prints each update of a short bar once", function () {
    const { lines, output } = plainOutput();
    const bar = createProgress(output).bar("seeding", 3, "batches");
    for (const done of [1, 1, 2, 3]) bar.update(done);
    expect(lines).to.deep.equal([
      "      seeding: 1/3 batches\n",
      "      seeding: 2/3 batches\n",
      "      seeding: 3/3 batches\n",
    ]);
  });

  it("draws the bar in place on a terminal and clears it when done", function () {
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 100 }) as unknown as NodeJS.WriteStream;
    let drawn = "";
    (terminal as unknown as PassThrough).on("data", (chunk: Buffer) => (drawn += chunk.toString("utf8")));
    const written: string[] = [];
    const bar = createProgress({ write: (text) => void written.push(text), isTTY: true, stream: terminal }).bar(
      "seeding",
      4,
      "batches",
    );
    for (let done = 1; done <= 4; done++) bar.update(done);
    bar.stop();
    expect(written).to.deep.equal([]);
    expect(drawn).to.contain("seeding [");
    expect(drawn).to.contain("4/4 batches");
  });
});

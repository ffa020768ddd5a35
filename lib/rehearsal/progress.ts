import { SingleBar } from "cli-progress";

// The rehearsal's progress while it runs: its steps as numbered lines, and a bar on a long step (the seed batches).
// On a terminal the bar redraws in place (cli-progress); elsewhere (CI, a pipe, a file) it prints a plain line at
// each tenth of the way, so that a log stays readable.

/** A long step's progress. */
export interface ProgressBar {
  /** `done` of the total are done. */
  update(done: number): void;
  /** The step is over (also when it failed): the bar is removed or the last line printed. */
  stop(): void;
}

export interface Progress {
  /** Step `index` of `total` is done; `text` says what it did. */
  step(index: number, total: number, text: string): void;
  /** Starts a bar of `total` units (`unit`: "batches") for a long step. */
  bar(title: string, total: number, unit: string): ProgressBar;
}

/** Where the progress goes: a stream (standard output by default) and whether it is a terminal. */
export interface ProgressOutput {
  readonly write: (text: string) => void;
  readonly isTTY: boolean;
  /** The stream cli-progress draws on, for a terminal. */
  readonly stream?: NodeJS.WriteStream;
}

/** Plain lines per bar when the output is not a terminal. */
const PLAIN_LINES_PER_BAR = 10;

/** The progress display for `output` (standard output by default). */
export function createProgress(
  output: ProgressOutput = {
    write: (text) => process.stdout.write(text),
    isTTY: process.stdout.isTTY,
    stream: process.stdout,
  },
): Progress {
  return {
    step(index, total, text) {
      output.write(`[${index}/${total}] ${text}\n`);
    },
    bar(title, total, unit) {
      if (output.isTTY && output.stream !== undefined) {
        const bar = new SingleBar({
          format: `      ${title} [{bar}] {value}/{total} ${unit}`,
          stream: output.stream,
          hideCursor: true,
          clearOnComplete: true,
        });
        bar.start(total, 0);
        return {
          update: (done) => {
            bar.update(done);
          },
          stop: () => {
            bar.stop();
          },
        };
      }
      const every = Math.max(1, Math.ceil(total / PLAIN_LINES_PER_BAR));
      let printed = -1;
      const print = (done: number): void => {
        if (done === printed) return;
        printed = done;
        output.write(`      ${title}: ${done}/${total} ${unit}\n`);
      };
      return {
        update: (done) => {
          if (done === total || done % every === 0) print(done);
        },
        stop: () => undefined,
      };
    },
  };
}

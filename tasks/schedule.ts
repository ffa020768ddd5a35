import { task } from "hardhat/config";

import { outputFile } from "./arguments";
import { withReadableErrors } from "./errors";

task("claims:schedule", "Draws the OXEN → SESH conversion-rate schedule of the claims bridge as an SVG chart")
  .addParam("out", "the SVG file to write, e.g. schedule.svg (its folder must exist)", undefined, outputFile)
  .setAction(async (args: { out: string }) =>
    withReadableErrors(async () => {
      const { writeFileSync } = await import("node:fs");
      const { defaultSchedule, formatRate, scheduleSvg, scheduleWindow } = await import("../lib/schedule");
      const schedule = defaultSchedule();
      const { from, to } = scheduleWindow(schedule);
      writeFileSync(args.out, scheduleSvg(schedule, from, to));
      const day = (timestamp: bigint): string => new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);
      console.log(
        `wrote ${args.out}: ${schedule.map((point) => `${day(point.timestamp)} ${formatRate(point.rate)}`).join(", ")} ` +
          "(SESH per OXEN)",
      );
    }),
  );

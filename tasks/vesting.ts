import { task, types } from "hardhat/config";

import { addressArgument } from "./arguments";
import { withReadableErrors } from "./errors";

task(
  "vesting:status",
  "Prints a vesting contract's schedule, vested and released amounts, staked nodes and unclaimed rewards",
)
  .addParam("address", "the TokenVestingStaking or TokenVestingNoStaking contract", undefined, types.string)
  .addOptionalParam(
    "token",
    "the token to report (default: a staking vesting's SESH; the first token a vesting without staking received)",
    undefined,
    types.string,
  )
  .setAction(async (args: { address: string; token?: string }, hre) =>
    withReadableErrors(async () => {
      const { formatVestingStatus, readVestingStatus } = await import("../lib/vesting/status");
      const address = await addressArgument("address", args.address);
      const token = args.token === undefined ? undefined : await addressArgument("token", args.token);
      const status = await readVestingStatus(hre.ethers.provider, address, token);
      console.log(formatVestingStatus(status));
    }),
  );

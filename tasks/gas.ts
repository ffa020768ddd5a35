import path from "node:path";

import { TASK_COMPILE } from "hardhat/builtin-tasks/task-names";
import { task } from "hardhat/config";

import { TaskFailedError, withReadableErrors } from "./errors";

const SNAPSHOT_FILE = path.resolve(__dirname, "..", "gas", "snapshot.json");

/**
 * The BLS figures depend on the test harness's address (the hash-to-G2 domain tag includes it), so on the deployer's
 * nonce when the harness is deployed. It is pinned to the nonce the figures were recorded at (after the first TGE
 * module's 11 transactions), so that they do not move whenever the TGE sends a different number of transactions.
 */
const BLS_HARNESS_NONCE = 11;

task("gas", "Measures the gas of the hot paths and records it in gas/snapshot.json")
  .addFlag("check", "compare with gas/snapshot.json instead of writing it; fail when a figure moved by more than 1 %")
  .setAction(async (args: { check: boolean }, hre) =>
    withReadableErrors(async () => {
      await hre.run(TASK_COMPILE, { quiet: true });
      const { measureHotPaths } = await import("../scripts/gas");
      const { measureBlsHotPaths } = await import("../scripts/gasBls");
      const { measureBridgeHotPaths } = await import("../scripts/gasBridge");
      const { measureContributionHotPaths } = await import("../scripts/gasContribution");
      const { measureDistributorHotPaths } = await import("../scripts/gasDistributor");
      const { measurePoolHotPaths } = await import("../scripts/gasPool");
      const { measureRewardsHotPaths } = await import("../scripts/gasRewards");
      const { measureVestingHotPaths } = await import("../scripts/gasVesting");
      const { compareGas, gasComparisonTable, readGasSnapshot, writeGasSnapshot } = await import("../lib/gas/snapshot");
      const hotPaths = await measureHotPaths(hre);
      const [deployer] = await hre.ethers.getSigners();
      if (deployer === undefined) throw new Error("the hardhat network offers no account");
      if ((await deployer.getNonce()) > BLS_HARNESS_NONCE) {
        throw new Error(`the deployer's nonce is past ${BLS_HARNESS_NONCE}: raise BLS_HARNESS_NONCE and re-record`);
      }
      await hre.network.provider.request({
        method: "hardhat_setNonce",
        params: [deployer.address, `0x${BLS_HARNESS_NONCE.toString(16)}`],
      });
      const measured = {
        ...hotPaths,
        ...(await measureBlsHotPaths(hre)),
        ...(await measureBridgeHotPaths(hre)),
        ...(await measureDistributorHotPaths(hre)),
        ...(await measurePoolHotPaths(hre)),
        ...(await measureRewardsHotPaths(hre)),
        ...(await measureContributionHotPaths(hre)),
        ...(await measureVestingHotPaths(hre)),
      };
      if (!args.check) {
        writeGasSnapshot(SNAPSHOT_FILE, measured);
        console.log(
          `recorded ${Object.keys(measured).length} figures in ${path.relative(process.cwd(), SNAPSHOT_FILE)}`,
        );
        return;
      }
      const rows = compareGas(readGasSnapshot(SNAPSHOT_FILE), measured);
      console.log(gasComparisonTable(rows));
      const failed = rows.filter((row) => !row.ok);
      if (failed.length > 0) {
        throw new TaskFailedError(
          `${failed.length} gas figure(s) differ from gas/snapshot.json: ${failed.map((row) => row.name).join(", ")}. ` +
            "If the change is intended, record it with `npm run gas` and commit the diff.",
        );
      }
      console.log(`\nall ${rows.length} figures within 1 % of gas/snapshot.json`);
    }),
  );

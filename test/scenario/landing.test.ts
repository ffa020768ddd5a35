import { expect } from "chai";
import { getAddress } from "ethers";
import hre, { ethers } from "hardhat";

import { InputFileError } from "../../lib/errors";
import { TERMINAL_COLUMNS, widestLine } from "../../lib/tge/report";
import { launchTimeline } from "../../lib/timeline";
import { rehearse, type RehearsalResult } from "../../scripts/rehearse";
import { restoreChainAfterSuite } from "../helpers/chain";
import { rejectionOf } from "../helpers/errors";
import { lineOf, rawTgeParameters, writeTgeParameters } from "../helpers/tge";

const SECONDS_PER_MINUTE = 60;

// The Landing as the rehearsal plays it (scripts/rehearse.ts), through the same deploy code. Scenario suites
// share state in order; this one restores the chain afterwards so that later suites keep the calendar's clock.
describe("scenario: Landing", function () {
  restoreChainAfterSuite();

  describe("finding 13: the rehearsal validates every input before it touches the chain", function () {
    it("leaves the block number and the clock unchanged when it rejects the allocation table", async function () {
      const raw = rawTgeParameters();
      lineOf(raw, 1).amount = "42999999";
      const file = writeTgeParameters("rehearsal-bad-sum", raw);
      const before = await ethers.provider.getBlock("latest");
      const error = await rejectionOf(rehearse(hre, { parametersFile: file, log: () => undefined }));
      expect(error).to.be.instanceOf(InputFileError);
      expect(error.message).to.include("1 SESH short of the total supply");
      const after = await ethers.provider.getBlock("latest");
      expect([after?.number, after?.timestamp]).to.deep.equal([before?.number, before?.timestamp]);
    });
  });

  describe("the rehearsal", function () {
    let result: RehearsalResult;
    const output: string[] = [];

    before(async function () {
      result = await rehearse(hre, { log: (text) => output.push(...text.split("\n")) });
    });

    it("runs on chain id 412346", function () {
      expect(result.chainId).to.equal(412_346);
    });

    it("runs the TGE at 2025-05-21T00:00:00Z", async function () {
      const deployment = await ethers.provider.getTransactionReceipt(result.tge.transactions[0]?.hash ?? "");
      const block = await ethers.provider.getBlock(deployment?.blockNumber ?? 0);
      const tge = launchTimeline().at("tge").unix;
      // The clock is moved to the TGE, then keeps running with the wall clock while Ignition prepares the first
      // transaction: on a loaded machine that takes a few seconds. Within the TGE's first minute is on time.
      expect(block?.timestamp).to.be.within(tge, tge + SECONDS_PER_MINUTE);
    });

    it("passes every check", function () {
      expect(result.checks.filter((check) => !check.ok)).to.deep.equal([]);
      expect(result.passed).to.be.true;
    });

    it("prints the ten allocation lines and their total", function () {
      const lines = output.filter((line) => /^\| \d+ \| /.test(line));
      expect(lines).to.have.length(10);
      expect(output).to.include("|  | **total** | **240,000,000** |  |");
    });

    it("says which lines the escrow holds", function () {
      expect(output.join("\n")).to.include(
        "deployed: Staking Reward Pool → RewardRatePool; Oxen Coin Claims → OxenClaimsBridge; " +
          "Service Node Bonus → ServiceNodeRewards; Testnet Incentive → MerkleDistributor.",
      );
    });

    it("finding 16: prints every address checksummed", function () {
      const addresses = output.join("\n").match(/0x[0-9a-fA-F]{40}/g) ?? [];
      expect(addresses.length).to.be.above(10);
      expect(addresses.filter((address) => address !== getAddress(address))).to.deep.equal([]);
    });

    it(`finding 16: prints tables no wider than ${TERMINAL_COLUMNS} columns`, function () {
      const tables = output.filter((line) => line.startsWith("|"));
      expect(tables.length).to.be.above(20);
      expect(widestLine(tables.join("\n"))).to.be.at.most(TERMINAL_COLUMNS);
    });

    it("refuses to run again on a chain already past the TGE", async function () {
      let message = "";
      await rehearse(hre, { log: () => undefined }).catch((error: unknown) => {
        message = error instanceof Error ? error.message : String(error);
      });
      expect(message).to.match(/is already past the TGE \(2025-05-21T00:00:00Z\) and cannot go back/);
    });
  });
});

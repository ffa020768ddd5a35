import { expect } from "chai";
import hre, { ethers } from "hardhat";

import { launchTimeline } from "../../lib/timeline";
import { rehearse, type RehearsalResult } from "../../scripts/rehearse";
import { restoreChainAfterSuite } from "../helpers/chain";

// The Landing as the rehearsal plays it (scripts/rehearse.ts), through the same deploy code. Scenario suites
// share state in order; this one restores the chain afterwards so that later suites keep the calendar's clock.
describe("scenario: Landing", function () {
  restoreChainAfterSuite();

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
    expect(block?.timestamp).to.be.within(tge, tge + 1);
  });

  it("passes every check", function () {
    expect(result.checks.filter((check) => !check.ok)).to.deep.equal([]);
    expect(result.passed).to.be.true;
  });

  it("prints the ten allocation lines and their total", function () {
    const lines = output.filter((line) => /^\| \d+ \| /.test(line));
    expect(lines).to.have.length(10);
    expect(output).to.include("|  | **total** | **240,000,000** |  |  |  |");
  });

  it("says which lines the escrow holds", function () {
    expect(output.join("\n")).to.include(
      "deployed: Staking Reward Pool → RewardRatePool; Oxen Coin Claims → OxenClaimsBridge; " +
        "Service Node Bonus → ServiceNodeRewards; Testnet Incentive → MerkleDistributor.",
    );
  });

  it("refuses to run again on a chain already past the TGE", async function () {
    let message = "";
    await rehearse(hre, { log: () => undefined }).catch((error: unknown) => {
      message = error instanceof Error ? error.message : String(error);
    });
    expect(message).to.match(/is already past the TGE \(2025-05-21T00:00:00Z\) and cannot go back/);
  });
});

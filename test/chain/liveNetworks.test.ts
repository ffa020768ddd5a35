import { spawnSync } from "node:child_process";
import path from "node:path";

import { expect } from "chai";
import { config } from "hardhat";

import { DEPLOYER_KEY_VARIABLE, liveNetworkProblem, readDeployerKey } from "../../lib/chain/networks";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
const KEY = `0x${"ab".repeat(32)}`;

describe("live networks", function () {
  it("configures Arbitrum Sepolia and Arbitrum One with their chain ids", function () {
    expect(config.networks.arbitrumSepolia).to.include({ chainId: 421_614 });
    expect(config.networks.arbitrumOne).to.include({ chainId: 42_161 });
  });

  describe("#liveNetworkProblem", function () {
    it("asks nothing of local networks", function () {
      expect(liveNetworkProblem("hardhat", {})).to.equal(undefined);
      expect(liveNetworkProblem("localhost", {})).to.equal(undefined);
    });

    it("names the variable when the deployer key is missing", function () {
      expect(liveNetworkProblem("arbitrumOne", {})).to.match(
        /^network arbitrumOne deploys for real and needs the deployer's private key: set DEPLOYER_PRIVATE_KEY/,
      );
    });

    it("rejects a key that is not 64 hex digits", function () {
      expect(liveNetworkProblem("arbitrumSepolia", { [DEPLOYER_KEY_VARIABLE]: "0x1234" })).to.equal(
        "DEPLOYER_PRIVATE_KEY is not a private key: expected 64 hex digits (optionally 0x-prefixed), got 6 characters",
      );
    });

    it("names the variable when the RPC URL is missing", function () {
      expect(liveNetworkProblem("arbitrumSepolia", { [DEPLOYER_KEY_VARIABLE]: KEY })).to.equal(
        "network arbitrumSepolia needs a JSON-RPC endpoint: set ARBITRUM_SEPOLIA_RPC_URL to the URL of an Arbitrum node",
      );
    });

    it("accepts a key and a URL", function () {
      const env = { [DEPLOYER_KEY_VARIABLE]: KEY.slice(2), ARBITRUM_ONE_RPC_URL: "http://127.0.0.1:8547" };
      expect(liveNetworkProblem("arbitrumOne", env)).to.equal(undefined);
      expect(readDeployerKey(env)).to.equal(KEY);
    });
  });

  it("makes hardhat exit non-zero with the message when the key is missing", function () {
    this.timeout(120_000);
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== DEPLOYER_KEY_VARIABLE));
    const run = spawnSync("npx", ["hardhat", "--network", "arbitrumSepolia", "tge", "--check"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      env,
    });
    expect(run.status).to.equal(1);
    expect(run.stderr).to.include("set DEPLOYER_PRIVATE_KEY in the environment");
  });
});

import { expect } from "chai";
import { config } from "hardhat";

import { builtinChains } from "@nomicfoundation/hardhat-verify/internal/chain-config";

import { readSettings, type ConfigurationVariables } from "../../../lib/chain/networks";
import { runHardhat } from "../../helpers/cli";

const KEY = `0x${"ab".repeat(32)}`;

/** Hardhat's configuration variables, as `npx hardhat vars set` would have stored them. */
function varsOf(stored: Record<string, string>): ConfigurationVariables {
  return {
    has: (name) => Object.hasOwn(stored, name),
    get: (name, defaultValue) => stored[name] ?? defaultValue ?? "",
  };
}

describe("finding 14: live deployment settings from the environment or Hardhat's configuration variables", function () {
  describe("#readSettings", function () {
    it("reads a setting from the configuration variables when the environment does not set it", function () {
      expect(readSettings({}, varsOf({ DEPLOYER_PRIVATE_KEY: KEY, ARBISCAN_API_KEY: " key " }))).to.deep.equal({
        DEPLOYER_PRIVATE_KEY: KEY,
        ARBISCAN_API_KEY: "key",
      });
    });

    it("lets the environment win over the configuration variables", function () {
      const settings = readSettings(
        { ARBITRUM_ONE_RPC_URL: "http://env.invalid" },
        varsOf({ ARBITRUM_ONE_RPC_URL: "http://vars.invalid" }),
      );
      expect(settings.ARBITRUM_ONE_RPC_URL).to.equal("http://env.invalid");
    });

    it("takes an empty environment variable as unset", function () {
      const settings = readSettings(
        { ARBITRUM_SEPOLIA_RPC_URL: " " },
        varsOf({ ARBITRUM_SEPOLIA_RPC_URL: "http://vars.invalid" }),
      );
      expect(settings.ARBITRUM_SEPOLIA_RPC_URL).to.equal("http://vars.invalid");
    });

    it("reads nothing else", function () {
      expect(readSettings({ OTHER: "x" }, varsOf({ OTHER: "y" }))).to.deep.equal({});
    });
  });

  describe("hardhat-verify", function () {
    it("knows Arbiscan for Arbitrum One and Arbitrum Sepolia, so no custom chain is needed", function () {
      const byChainId = new Map(builtinChains.map((chain) => [chain.chainId, chain.urls.browserURL]));
      expect(byChainId.get(42_161)).to.equal("https://arbiscan.io/");
      expect(byChainId.get(421_614)).to.equal("https://sepolia.arbiscan.io/");
      expect(config.etherscan.customChains).to.deep.equal([]);
    });

    it("takes its API key from ARBISCAN_API_KEY (one Etherscan API v2 key)", function () {
      expect(config.etherscan.apiKey).to.equal(process.env.ARBISCAN_API_KEY?.trim() ?? "");
    });
  });

  describe("npx hardhat --network arbitrumSepolia", function () {
    this.timeout(120_000);
    const vars = {
      HARDHAT_VAR_DEPLOYER_PRIVATE_KEY: KEY,
      // A closed port: nothing may be sent, the parameter file is refused before.
      HARDHAT_VAR_ARBITRUM_SEPOLIA_RPC_URL: "http://127.0.0.1:9",
    };

    it("takes the key and the URL from configuration variables", function () {
      const run = runHardhat(["--network", "arbitrumSepolia", "tge", "--check"], "headless", {
        ...vars,
        DEPLOYER_PRIVATE_KEY: "",
        ARBITRUM_SEPOLIA_RPC_URL: "",
      });
      expect(run.status).to.equal(1);
      expect(run.stderr).not.to.include("DEPLOYER_PRIVATE_KEY");
      expect(run.stderr).to.include('account "ecosystemFund" has no address yet');
    });

    it("lets the environment's key win over the configuration variable", function () {
      const run = runHardhat(["--network", "arbitrumSepolia", "tge", "--check"], "headless", {
        ...vars,
        DEPLOYER_PRIVATE_KEY: "0x1234",
      });
      expect(run.status).to.equal(1);
      expect(run.stderr).to.include("DEPLOYER_PRIVATE_KEY is not a private key");
    });
  });
});

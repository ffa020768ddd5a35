import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";
import { HardhatError } from "hardhat/internal/core/errors";
import { ERRORS } from "hardhat/internal/core/errors-list";

import { generateSnapshot } from "../../../lib/snapshot/generate";
import { inputFile, optionName, outputFile, outputFolder, positiveInteger } from "../../../tasks/arguments";
import { PreconditionError, TransactionFailedError } from "../../../lib/errors";
import { ArgumentError, isReadableError, unreachableNetworkError, withReadableErrors } from "../../../tasks/errors";
import { occurrences, runHardhat, stackLines, type Display } from "../../helpers/cli";
import { rejectionOf } from "../../helpers/errors";
import { lineOf, rawTgeParameters, writeTgeParameters } from "../../helpers/tge";

const folder = mkdtempSync(path.join(os.tmpdir(), "task-errors-"));
const missing = path.join(folder, "missing.json");
const notASnapshot = path.join(folder, "not-a-snapshot.json");
writeFileSync(notASnapshot, "{}");
const snapshot = path.join(folder, "snapshot.json");
writeFileSync(snapshot, JSON.stringify(generateSnapshot({ seed: "task-errors", nodes: 5, wallets: 20 })));
const badTable = (() => {
  const raw = rawTgeParameters();
  lineOf(raw, 1).amount = "42999999";
  return writeTgeParameters("task-errors-bad-sum", raw);
})();
const out = path.join(folder, "out");

interface Case {
  readonly title: string;
  readonly args: readonly string[];
  /** A part of the message that appears once in it. */
  readonly message: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Also run with a display (a desktop), not only without (a server). */
  readonly withDisplay?: boolean;
}

const CASES: readonly Case[] = [
  {
    title: "plan-migration --gas-budget 0",
    args: ["plan-migration", "--snapshot", snapshot, "--out", out, "--gas-budget", "0"],
    message: "--gas-budget must be a positive whole number, got 0",
    withDisplay: true,
  },
  {
    title: "plan-migration --gas-budget below one node's seeding",
    args: ["plan-migration", "--snapshot", snapshot, "--out", out, "--gas-budget", "1"],
    message: "--gas-budget 1: the seed gas budget 1 cannot hold even one node",
  },
  {
    title: "plan-migration with a missing snapshot",
    args: ["plan-migration", "--snapshot", missing, "--out", out],
    message: `--snapshot: ${missing} does not exist`,
  },
  {
    title: "plan-migration with an invalid snapshot",
    args: ["plan-migration", "--snapshot", notASnapshot, "--out", out],
    message: `${notASnapshot} is invalid`,
    withDisplay: true,
  },
  {
    title: "tge with an allocation table that does not sum to the supply",
    args: ["tge", "--parameters", badTable],
    message: "1 SESH short of the total supply of 240,000,000 SESH",
  },
  {
    title: "rehearse with an allocation table that does not sum to the supply",
    args: ["rehearse", "--parameters", badTable],
    message: "1 SESH short of the total supply of 240,000,000 SESH",
  },
  {
    title: "claims:build-epoch with a missing burns file",
    args: ["claims:build-epoch", "--burns", missing, "--out", out],
    message: missing,
  },
  {
    title: "claims:schedule into a folder that does not exist",
    args: ["claims:schedule", "--out", path.join(folder, "no-such-folder", "schedule.svg")],
    message: `its folder ${path.join(folder, "no-such-folder")} does not exist (create it first)`,
  },
  {
    title: "a live network without the deployer key",
    args: ["--network", "arbitrumSepolia", "tge", "--check"],
    message: "set DEPLOYER_PRIVATE_KEY in the environment",
    env: { DEPLOYER_PRIVATE_KEY: "" },
  },
];

describe("finding 10: a task's input error is printed once, without a stack trace, and exits 1", function () {
  this.timeout(180_000);

  for (const { title, args, message, env, withDisplay } of CASES) {
    const displays: Display[] = withDisplay === true ? ["headless", "display"] : ["headless"];
    for (const display of displays) {
      describe(`${title} (${display === "headless" ? "DISPLAY unset" : "DISPLAY set"})`, function () {
        let run: ReturnType<typeof runHardhat>;
        before(function () {
          run = runHardhat(args, display, env);
        });

        it("exits with status 1", function () {
          expect(run.status, run.stderr).to.equal(1);
        });

        it("prints the message exactly once, on standard error", function () {
          expect(occurrences(run.stderr, message), run.stderr).to.equal(1);
          expect(occurrences(run.stdout, message), run.stdout).to.equal(0);
        });

        it("prints no stack trace and no second copy of the error", function () {
          expect(stackLines(run.stderr + run.stdout)).to.deep.equal([]);
          expect(run.stderr).not.to.match(/HardhatPluginError|Caused by|ArgumentError|InputFileError/);
        });
      });
    }
  }

  describe("a task run from code (hre.run)", function () {
    it("still throws the error to its caller", async function () {
      const error = await rejectionOf(hre.run("plan-migration", { snapshot, out, gasBudget: 0n }));
      expect(error).to.be.instanceOf(ArgumentError);
      expect(error.message).to.equal("--gas-budget must be a positive whole number, got 0");
    });
  });
});

describe("tasks/arguments", function () {
  it("spells a parameter as on the command line", function () {
    expect(optionName("gasBudget")).to.equal("--gas-budget");
  });

  describe("#inputFile", function () {
    it("accepts an existing file", function () {
      expect(() => {
        inputFile.validate("snapshot", snapshot);
      }).not.to.throw();
    });

    it("rejects a missing file, naming the option and the path", function () {
      expect(() => {
        inputFile.validate("snapshot", missing);
      }).to.throw(ArgumentError, `--snapshot: ${missing} does not exist`);
    });

    it("rejects a folder", function () {
      expect(() => {
        inputFile.validate("burns", folder);
      }).to.throw(ArgumentError, `--burns: ${folder} is a folder, not a file`);
    });
  });

  describe("#outputFile", function () {
    it("accepts a new file in an existing folder", function () {
      expect(() => {
        outputFile.validate("out", path.join(folder, "chart.svg"));
      }).not.to.throw();
    });

    it("rejects a file whose folder is a file", function () {
      expect(() => {
        outputFile.validate("out", path.join(snapshot, "chart.svg"));
      }).to.throw(ArgumentError, `its folder ${snapshot} is not a folder`);
    });

    it("rejects a folder", function () {
      expect(() => {
        outputFile.validate("out", folder);
      }).to.throw(ArgumentError, `--out: ${folder} is a folder, not a file`);
    });
  });

  describe("#outputFolder", function () {
    it("accepts a folder that does not exist yet", function () {
      expect(() => {
        outputFolder.validate("out", path.join(folder, "new"));
      }).not.to.throw();
    });

    it("rejects a file", function () {
      expect(() => {
        outputFolder.validate("out", snapshot);
      }).to.throw(ArgumentError, `--out: ${snapshot} is a file, not a folder`);
    });

    it("rejects an empty path", function () {
      expect(() => {
        outputFolder.validate("out", "");
      }).to.throw(ArgumentError, '--out must be a path, got ""');
    });
  });

  describe("#positiveInteger", function () {
    it("parses a whole number to a bigint", function () {
      expect(positiveInteger.parse("gasBudget", "30000000")).to.equal(30_000_000n);
    });

    for (const text of ["0", "-1", "1.5", "1e6", "abc", ""]) {
      it(`rejects "${text}"`, function () {
        expect(() => {
          positiveInteger.validate("gasBudget", positiveInteger.parse("gasBudget", text));
        }).to.throw(ArgumentError, "--gas-budget must be a positive whole number");
      });
    }
  });
});

describe("tasks/errors", function () {
  it("prints a failed transaction of a run as one line, as the other readable errors, and not a bug", function () {
    expect(isReadableError(new TransactionFailedError("key: the transaction … reverted"))).to.equal(true);
    expect(isReadableError(new TypeError("a bug"))).to.equal(false);
  });

  describe("#withReadableErrors", function () {
    it("turns a file-system error into a readable one naming the path", async function () {
      const { readFileSync } = await import("node:fs");
      const error = await rejectionOf(withReadableErrors(async () => Promise.resolve(readFileSync(missing))));
      expect(isReadableError(error)).to.be.true;
      expect(error.message).to.equal(`cannot open ${missing}: does not exist (ENOENT)`);
    });

    it("leaves other errors as they are", async function () {
      const bug = new TypeError("a bug");
      expect(await rejectionOf(withReadableErrors(() => Promise.reject(bug)))).to.equal(bug);
    });
  });

  describe("unreachableNetworkError", function () {
    const notRunning = (network: string) => new HardhatError(ERRORS.NETWORK.NODE_IS_NOT_RUNNING, { network });
    const on = (name: string, config: object) => ({ network: { name, config } }) as unknown as typeof hre;

    it("names a local network, its URL and the command that starts it", function () {
      const localhost = on("localhost", { url: "http://127.0.0.1:8545" });
      expect(unreachableNetworkError(localhost, notRunning("localhost"))?.message).to.equal(
        "the network localhost does not answer at http://127.0.0.1:8545: start it first with `npx hardhat node`",
      );
      expect(
        unreachableNetworkError(on("anvil", { url: "http://127.0.0.1:8546" }), notRunning("anvil")),
      ).to.be.instanceOf(PreconditionError);
    });

    it("asks to check the URL of another network", function () {
      const live = on("arbitrumSepolia", { url: "https://rpc.example" });
      expect(unreachableNetworkError(live, notRunning("arbitrumSepolia"))?.message).to.equal(
        "the network arbitrumSepolia does not answer at https://rpc.example: check its URL and the connection",
      );
    });

    it("leaves any other error alone", function () {
      expect(unreachableNetworkError(hre, new Error("connect ECONNREFUSED"))).to.equal(undefined);
      expect(unreachableNetworkError(hre, new HardhatError(ERRORS.GENERAL.NOT_INSIDE_PROJECT))).to.equal(undefined);
    });
  });
});

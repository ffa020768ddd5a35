import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";
import { id } from "ethers";
import hre from "hardhat";

import { claimsBridgeModuleParameters, prepareClaimsBridge } from "../../../deploy/claimsBridge";
import { stakingModuleParameters, stakingParametersFor } from "../../../deploy/staking";
import { parametersFileFor } from "../../../deploy/tge";
import { ArgumentError } from "../../../tasks/errors";
import { occurrences, runHardhat, stackLines } from "../../helpers/cli";
import { rejectionOf } from "../../helpers/errors";

/** Ignition deploys to the in-process network (chain 412346, not 31337) without asking. */
const ENV = { HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "true" };
/**
 * Stand-ins for addresses of other deployments: the constructors of the modules deployed here only need them
 * non-zero and distinct from what the deployment creates (not the deployer's first contract address, which the
 * wrapped-OXEN test token gets).
 */
const SESH = "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f";
const REWARDS = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
const FACTORY = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
const ROOT = id("testnet awards campaign");

const folder = mkdtempSync(path.join(os.tmpdir(), "ignition-parameters-"));

/** An Ignition parameter file, its "123n" strings read back as bigints (hardhat-ignition's own reading). */
function readIgnitionFile(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"), (_key, value: unknown) =>
    typeof value === "string" && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value,
  );
}

/** What the task printed in the last {@link writeParameters}. */
let printed: string[] = [];

/** Runs the task in this process, its output kept in {@link printed}; returns the file it wrote. */
async function writeParameters(name: string, args: Record<string, string>): Promise<string> {
  const out = path.join(folder, `${name}.json`);
  const log = console.log;
  printed = [];
  console.log = (...items: unknown[]) => printed.push(items.map(String).join(" "));
  try {
    await hre.run("ignition:parameters", { ...args, out });
  } finally {
    console.log = log;
  }
  return out;
}

describe("npx hardhat ignition:parameters (tasks/ignition.ts)", function () {
  describe("writes the module's parameters from the network's parameter file", function () {
    it("ClaimsBridge: the validated section and the token, bigints in Ignition's notation", async function () {
      const out = await writeParameters("bridge", { module: "ClaimsBridge", sesh: SESH });
      const expected = claimsBridgeModuleParameters(await prepareClaimsBridge(hre), SESH);
      expect(readIgnitionFile(out)).to.deep.equal({ ClaimsBridge: expected });
      expect(expected).to.not.have.property("wrappedOxen");
      expect(readFileSync(out, "utf8")).to.match(/"timestamp": "\d+n"/);
      expect(printed).to.deep.equal([
        `wrote ${out}: module ClaimsBridge from ${parametersFileFor("hardhat")} for network hardhat; deploy with: ` +
          `npx hardhat ignition deploy deploy/modules/LocalClaimsBridge.ts --network hardhat --parameters ${out}`,
      ]);
    });

    it("Distributor: the section, the token and the campaign's root", async function () {
      const out = await writeParameters("distributor", { module: "Distributor", sesh: SESH, merkleRoot: ROOT });
      expect(readIgnitionFile(out)).to.have.nested.property("Distributor.merkleRoot", ROOT);
      expect(readIgnitionFile(out)).to.have.nested.property("Distributor.token", SESH);
    });

    it("Vesting: a staking holder under VestingStaking, with the staking set", async function () {
      const out = await writeParameters("vesting-staking", {
        module: "Vesting",
        holder: "Contributor",
        sesh: SESH,
        rewards: REWARDS,
        factory: FACTORY,
      });
      const file = readIgnitionFile(out) as { VestingStaking: Record<string, unknown> };
      expect(Object.keys(file)).to.deep.equal(["VestingStaking"]);
      expect(file.VestingStaking).to.include({
        rewards: REWARDS,
        factory: FACTORY,
        sesh: SESH,
        transferableBeneficiary: true,
      });
    });

    it("Staking: the staking section and the token", async function () {
      const out = await writeParameters("staking", { module: "Staking", sesh: SESH });
      expect(readIgnitionFile(out)).to.deep.equal({
        Staking: stakingModuleParameters(stakingParametersFor("hardhat"), SESH),
      });
    });
  });

  describe("refuses bad arguments with one message", function () {
    const cases: [string, Record<string, string>, string][] = [
      [
        "an unknown module",
        { module: "Bridge" },
        '--module "Bridge" is not one of ClaimsBridge, Distributor, Vesting, Staking',
      ],
      ["a module without the token it needs", { module: "ClaimsBridge" }, "--module ClaimsBridge needs --sesh"],
      [
        "a distributor without its root",
        { module: "Distributor", sesh: SESH },
        "--module Distributor needs --merkle-root",
      ],
      [
        "an option the module does not take",
        { module: "ClaimsBridge", sesh: SESH, holder: "Advisor" },
        "--module ClaimsBridge takes no --holder",
      ],
      [
        "a staking set for a vesting contract that does not stake",
        { module: "Vesting", holder: "Advisor", rewards: REWARDS },
        "--module Vesting takes no --rewards",
      ],
      ["a token that is not an address", { module: "Staking", sesh: "0x1234" }, '--sesh "0x1234" is not an address'],
    ];
    for (const [title, args, message] of cases) {
      it(title, async function () {
        const error = await rejectionOf(writeParameters(`bad-${title}`, args));
        expect(error).to.be.instanceOf(ArgumentError);
        expect(error.message).to.include(message);
      });
    }
  });

  describe("the files it writes deploy with `npx hardhat ignition deploy … --parameters FILE`", function () {
    this.timeout(600_000);
    const runs: { module: string; args: string[]; file: string; futures: string[] }[] = [
      {
        module: "ClaimsBridge",
        args: ["--sesh", SESH],
        file: "deploy/modules/LocalClaimsBridge.ts",
        futures: ["WrappedOxen#WrappedOxen", "ClaimsBridge#OxenClaimsBridge"],
      },
      {
        module: "Distributor",
        args: ["--sesh", SESH, "--merkle-root", ROOT],
        file: "deploy/modules/Distributor.ts",
        futures: ["Distributor#MerkleDistributor"],
      },
      {
        module: "Vesting",
        args: ["--holder", "Advisor"],
        file: "deploy/modules/Vesting.ts",
        futures: ["Vesting#TokenVestingNoStaking"],
      },
    ];
    for (const { module, args, file, futures } of runs) {
      it(`${module}: ${file}`, function () {
        const out = path.join(folder, `cli-${module}.json`);
        const written = runHardhat(["ignition:parameters", "--module", module, ...args, "--out", out], "headless");
        expect(written.status, written.stderr).to.equal(0);
        expect(written.stdout).to.include(`npx hardhat ignition deploy ${file} --network hardhat --parameters ${out}`);
        const deployed = runHardhat(["ignition", "deploy", file, "--parameters", out], "headless", ENV);
        expect(deployed.status, deployed.stderr + deployed.stdout).to.equal(0);
        for (const future of futures) expect(deployed.stdout).to.match(new RegExp(`${future} - 0x[0-9a-fA-F]{40}`));
      });
    }

    it("exits 1 with one message and no stack trace on a bad argument", function () {
      const run = runHardhat(
        ["ignition:parameters", "--module", "Distributor", "--sesh", SESH, "--out", path.join(folder, "x.json")],
        "headless",
      );
      expect(run.status).to.equal(1);
      expect(occurrences(run.stderr, "--module Distributor needs --merkle-root")).to.equal(1);
      expect(stackLines(run.stderr + run.stdout)).to.deep.equal([]);
    });
  });
});

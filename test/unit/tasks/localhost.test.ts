import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";
import { Contract, JsonRpcProvider, Network } from "ethers";
import hre from "hardhat";

import { deploymentFolder, prepareTge } from "../../../deploy/tge";
import { ARBITRUM_LOCAL_CHAIN_ID } from "../../../lib/chain/networks";
import type { TgePlan } from "../../../lib/tge/plan";
import { occurrences, PROJECT_ROOT, runHardhat, stackLines } from "../../helpers/cli";
import { lineOf, rawTgeParameters, writeTgeParameters } from "../../helpers/tge";

const PORT = 18_545 + (process.pid % 1_000);
const URL = `http://127.0.0.1:${PORT}`;
/** Points `--network localhost` at this suite's node; Ignition asks no confirmation for a chain other than 31337. */
const ENV = {
  LOCALHOST_RPC_URL: URL,
  HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "true",
  HARDHAT_IGNITION_CONFIRM_RESET: "true",
};
const DEPLOYMENT_ID = `test-localhost-${process.pid}`;
const BALANCE_OF = ["function balanceOf(address) view returns (uint256)"];

/** A provider for the node that never probes the network (which would log while the node is down). */
function nodeProvider(): JsonRpcProvider {
  return new JsonRpcProvider(URL, undefined, { staticNetwork: Network.from(ARBITRUM_LOCAL_CHAIN_ID) });
}

/** `npx hardhat node` on this suite's port, in its own process group so that it can be stopped with its children. */
async function startNode(): Promise<ChildProcess> {
  const node = spawn("npx", ["hardhat", "node", "--hostname", "127.0.0.1", "--port", String(PORT)], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...ENV },
    detached: true,
    stdio: "ignore",
  });
  const provider = nodeProvider();
  for (let attempt = 0; attempt < 240; attempt++) {
    try {
      // The node is ready once it answers and the ArbSys double is installed (TASK_NODE_SERVER_READY).
      if ((await provider.getCode("0x0000000000000000000000000000000000000064")) !== "0x") return node;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`npx hardhat node did not answer on ${URL}`);
}

async function stopNode(node: ChildProcess | undefined): Promise<void> {
  if (node?.pid === undefined || node.exitCode !== null) return;
  const exited = new Promise((resolve) => node.once("exit", resolve));
  process.kill(-node.pid, "SIGTERM");
  await exited;
}

function deploymentFolders(): string[] {
  const folder = path.join(PROJECT_ROOT, "deploy", "deployments");
  return existsSync(folder) ? readdirSync(folder).sort() : [];
}

describe("finding 12: the TGE on localhost, with `ignition deploy` and after a node restart", function () {
  this.timeout(600_000);
  const provider = nodeProvider();
  const folder = mkdtempSync(path.join(os.tmpdir(), "tge-localhost-"));
  const ignitionParameters = path.join(folder, "tge-localhost.json");
  const journal = path.relative(PROJECT_ROOT, deploymentFolder(hre, DEPLOYMENT_ID));
  let node: ChildProcess | undefined;
  let plan: TgePlan;
  let foldersBefore: string[];

  before(async function () {
    // The in-process network has the same accounts as the node, so the same plan.
    plan = await prepareTge(hre);
    foldersBefore = deploymentFolders();
    node = await startNode();
  });

  after(async function () {
    await stopNode(node);
    rmSync(path.join(PROJECT_ROOT, journal), { recursive: true, force: true });
    // Ignition created deploy/deployments for this suite's journal: leave the tree as it was.
    const deployments = path.join(PROJECT_ROOT, "deploy", "deployments");
    if (foldersBefore.length === 0 && deploymentFolders().length === 0)
      rmSync(deployments, { recursive: true, force: true });
  });

  it("writes the Ignition parameter file from the allocation table", function () {
    const run = runHardhat(
      ["tge:ignition-parameters", "--network", "localhost", "--out", ignitionParameters],
      "headless",
      ENV,
    );
    expect(run.status, run.stderr).to.equal(0);
    expect(JSON.parse(readFileSync(ignitionParameters, "utf8"))).to.have.nested.property("TGE.recipients.length", 10);
  });

  it("deploys deploy/modules/TGE.ts with `npx hardhat ignition deploy … --parameters FILE`", function () {
    const run = runHardhat(
      [
        "ignition",
        "deploy",
        "deploy/modules/TGE.ts",
        "--network",
        "localhost",
        "--parameters",
        ignitionParameters,
        "--deployment-id",
        DEPLOYMENT_ID,
      ],
      "headless",
      ENV,
    );
    expect(run.status, run.stderr + run.stdout).to.equal(0);
    expect(run.stdout).to.include("TGE#SESH");
  });

  it("pays every allocation line, leaving nothing with the splitter", async function () {
    const addresses = JSON.parse(
      readFileSync(path.join(PROJECT_ROOT, journal, "deployed_addresses.json"), "utf8"),
    ) as Record<string, string>;
    const sesh = new Contract(addresses["TGE#SESH"] ?? "", BALANCE_OF, provider);
    const expected = new Map<string, bigint>();
    for (const line of plan.lines) expected.set(line.to, (expected.get(line.to) ?? 0n) + line.amount);
    for (const [holder, amount] of expected) expect(await sesh.getFunction("balanceOf")(holder)).to.equal(amount);
    expect(await sesh.getFunction("balanceOf")(addresses["TGE#GenesisSplitter"] ?? "")).to.equal(0n);
  });

  it("finding 16: leaves no rehearsal folder in deploy/deployments after `rehearse --network localhost`", function () {
    const reports = mkdtempSync(path.join(os.tmpdir(), "localhost-reports-"));
    const run = runHardhat(["rehearse", "--network", "localhost", "--report", reports], "headless", ENV);
    const written = readdirSync(reports);
    rmSync(reports, { recursive: true, force: true });
    expect(run.status, run.stderr + run.stdout).to.equal(0);
    expect(run.stdout).to.include("Rehearsal passed");
    expect(written.map((name) => path.extname(name)).sort()).to.deep.equal([".json", ".md", ".svg", ".svg", ".svg"]);
    expect(deploymentFolders()).to.deep.equal([...foldersBefore, path.basename(journal)].sort());
  });

  describe("after the node is restarted", function () {
    before(async function () {
      await stopNode(node);
      node = await startNode();
    });

    for (const [title, args] of [
      ["npx hardhat tge", ["tge", "--network", "localhost", "--deployment-id", DEPLOYMENT_ID]],
      [
        "npx hardhat ignition deploy",
        [
          "ignition",
          "deploy",
          "deploy/modules/TGE.ts",
          "--network",
          "localhost",
          "--parameters",
          ignitionParameters,
          "--deployment-id",
          DEPLOYMENT_ID,
        ],
      ],
    ] as const) {
      it(`${title} names the old journal and says what to do, once, and exits 1`, function () {
        const run = runHardhat(args, "headless", ENV);
        expect(run.status, run.stderr + run.stdout).to.equal(1);
        expect(occurrences(run.stderr, `the Ignition journal ${journal} belongs to another chain`)).to.equal(1);
        expect(run.stderr).to.include(`rm -r ${journal}`);
        expect(run.stderr).to.include("The node was restarted since");
        expect(stackLines(run.stderr + run.stdout)).to.deep.equal([]);
      });
    }

    it("finding 13: `rehearse` with a bad table mines no block and leaves the clock", async function () {
      const raw = rawTgeParameters();
      lineOf(raw, 1).amount = "42999999";
      const file = writeTgeParameters("localhost-bad-sum", raw);
      const before = await provider.getBlock("latest");
      const run = runHardhat(["rehearse", "--network", "localhost", "--parameters", file], "headless", ENV);
      expect(run.status).to.equal(1);
      expect(run.stderr).to.include("1 SESH short of the total supply");
      const after = await provider.getBlock("latest");
      expect([after?.number, after?.timestamp]).to.deep.equal([before?.number, before?.timestamp]);
    });

    it("deploys afresh with `ignition deploy --reset`", function () {
      const run = runHardhat(
        [
          "ignition",
          "deploy",
          "deploy/modules/TGE.ts",
          "--network",
          "localhost",
          "--parameters",
          ignitionParameters,
          "--deployment-id",
          DEPLOYMENT_ID,
          "--reset",
        ],
        "headless",
        ENV,
      );
      expect(run.status, run.stderr + run.stdout).to.equal(0);
    });
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { takeSnapshot } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { Contract, getAddress, JsonRpcProvider, Network, parseEther } from "ethers";
import hre, { ethers } from "hardhat";
import type { EIP1193Provider } from "hardhat/types";

import { deploymentFolder } from "../../deploy/tge";
import { formatInteger } from "../../lib/amount";
import {
  ANVIL_DEFAULT_PORT,
  anvilBinary,
  anvilPort,
  freePort,
  HARDHAT_ACCOUNT_COUNT,
  HARDHAT_ACCOUNT_ETHER,
  parsePort,
  startAnvil,
  type RunningAnvil,
} from "../../lib/chain/anvil";
import { ARB_SYS_ADDRESS, installArbSys } from "../../lib/chain/arbitrum";
import { GAS_LIMIT_MARGIN_PERCENT } from "../../lib/rehearsal/journal";
import { checkClockBefore, checkClockNotPast } from "../../lib/chain/clock";
import { ARBITRUM_BLOCK_GAS_LIMIT, ARBITRUM_LOCAL_CHAIN_ID } from "../../lib/chain/networks";
import { formatUtc, launchTimeline } from "../../lib/timeline";
import { PROJECT_ROOT, runHardhatAsync, stackLines, type CliRun } from "../helpers/cli";
import { rejectionOf, thrownBy } from "../helpers/errors";

/** Ethereum's per-transaction gas cap from Osaka on (EIP-7825), which Arbitrum does not have. */
const ETHEREUM_TRANSACTION_GAS_CAP = 16_777_216;

/** Where anvil puts the CREATE2 deployer unless told not to (Hardhat's chain has no code there). */
const CREATE2_DEPLOYER = "0x4e59b44847b379578588920cA78FbF26c0B4956C";

/** The blob base fee of a chain that has never carried a blob: EIP-4844's minimum, 1 wei. */
const MINIMUM_BLOB_BASE_FEE = 1n;

/** The value the probe below stores in transient storage and reads back. */
const PROBE_VALUE = 42n;

/**
 * Creation code run with `eth_call` (no `to`): it uses one opcode of Shanghai and three of Cancun, and returns two
 * words, (tload(0) after tstore(0, 42), copied with MCOPY; BLOBBASEFEE). On an earlier EVM the call fails.
 *   60 2a  5f  5d      PUSH1 42, PUSH0, TSTORE          tstore(0, 42)          (EIP-3855 PUSH0, EIP-1153)
 *   5f 5c  5f 52       PUSH0, TLOAD, PUSH0, MSTORE      mem[0..32] = tload(0)
 *   60 20  5f 60 20 5e PUSH1 32, PUSH0, PUSH1 32, MCOPY mem[32..64] = mem[0..32]   (EIP-5656)
 *   4a  60 40  52      BLOBBASEFEE, PUSH1 64, MSTORE    mem[64..96] = blob base fee (EIP-7516)
 *   60 40  60 20  f3   PUSH1 64, PUSH1 32, RETURN       return mem[32..96]
 */
const CANCUN_PROBE = "0x602a5f5d5f5c5f5260205f60205e4a60405260406020f3";

/**
 * Creation code of a contract whose call costs 40 gas more once `block.timestamp` is past the word it is given:
 *   61 00 33  80  60 0a  5f  39  5f  f3    PUSH2 51, DUP1, PUSH1 10, PUSH0, CODECOPY, PUSH0, RETURN: the runtime
 * and its runtime of 51 bytes:
 *   5f 35  42  11  60 09  57  00  00       if (TIMESTAMP > calldataload(0)) jump to 9, else STOP
 *   5b  (5a 50) × 20  00                   9: JUMPDEST, 20 × (GAS, POP), STOP
 */
const TIME_DEPENDENT_INIT = `0x61003380600a5f395ff35f35421160095700005b${"5a50".repeat(20)}00`;

/** How many seconds after the latest block the contract above starts to cost more: more than the estimate takes. */
const LATER = 60;

/** An EIP-1193 provider (as lib/chain takes) over JSON-RPC at `url`; an error carries the node's own message. */
function eip1193(url: string): EIP1193Provider {
  return {
    request: async ({ method, params }: { method: string; params?: unknown }) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: params ?? [] }),
      });
      const body = (await response.json()) as { result?: unknown; error?: { message: string } };
      if (body.error !== undefined) throw new Error(body.error.message);
      return body.result;
    },
  } as unknown as EIP1193Provider;
}

/** An ethers provider of anvil that caches nothing (ethers keeps an answer for 250 ms by default). */
function anvilProvider(anvil: RunningAnvil): JsonRpcProvider {
  return new JsonRpcProvider(anvil.url, undefined, {
    staticNetwork: Network.from(ARBITRUM_LOCAL_CHAIN_ID),
    cacheTimeout: -1,
  });
}

/** The probe's two words, as numbers. */
async function runProbe(provider: EIP1193Provider): Promise<[bigint, bigint]> {
  const output = (await provider.request({ method: "eth_call", params: [{ data: CANCUN_PROBE }, "latest"] })) as string;
  const [stored, blobBaseFee] = ethers.AbiCoder.defaultAbiCoder().decode(["uint256", "uint256"], output);
  return [stored as bigint, blobBaseFee as bigint];
}

function deploymentFolders(): string[] {
  const folder = path.join(PROJECT_ROOT, "deploy", "deployments");
  return existsSync(folder) ? readdirSync(folder).sort() : [];
}

describe("anvil: the local Arbitrum-like chain on Foundry's node", function () {
  this.timeout(120_000);

  describe("anvilBinary", function () {
    it("finds the binary in this platform's npm package", function () {
      const binary = anvilBinary();
      expect(binary).to.include(path.join("node_modules", "@foundry-rs", "anvil-"));
      expect(existsSync(binary)).to.be.true;
    });

    it("names the missing package and `npm ci` when the package is not installed", function () {
      const missing = (): string => {
        throw new Error("Cannot find module");
      };
      const error = thrownBy(() => anvilBinary("linux", "x64", missing));
      expect(error.message).to.include("@foundry-rs/anvil-linux-amd64/bin/anvil is missing from node_modules");
      expect(error.message).to.include("run `npm ci` (without --omit=optional)");
    });

    it("refuses a platform anvil has no npm package for", function () {
      expect(thrownBy(() => anvilBinary("win32", "arm64")).message).to.equal(
        "anvil has no npm package for win32/arm64: run the rehearsal on hardhat or localhost",
      );
    });
  });

  describe("anvilPort", function () {
    it("takes the port of ANVIL_RPC_URL", function () {
      expect(anvilPort({ ANVIL_RPC_URL: "http://127.0.0.1:9123" })).to.equal(9123);
    });

    it(`is ${ANVIL_DEFAULT_PORT} without ANVIL_RPC_URL, or when the URL names no port`, function () {
      expect([
        anvilPort({}),
        anvilPort({ ANVIL_RPC_URL: " " }),
        anvilPort({ ANVIL_RPC_URL: "http://a.test" }),
      ]).to.deep.equal([ANVIL_DEFAULT_PORT, ANVIL_DEFAULT_PORT, ANVIL_DEFAULT_PORT]);
    });

    it("refuses an ANVIL_RPC_URL that is no URL, naming it", function () {
      expect(thrownBy(() => anvilPort({ ANVIL_RPC_URL: "8546" })).message).to.equal(
        'ANVIL_RPC_URL is not a URL: "8546"',
      );
    });

    it("refuses a port outside 1 to 65535, naming where it came from", function () {
      expect(thrownBy(() => parsePort("0", "--port")).message).to.equal(
        '--port must be a TCP port from 1 to 65535, got "0"',
      );
      expect(thrownBy(() => parsePort("65536", "--port")).message).to.include('got "65536"');
      expect(thrownBy(() => parsePort("85x", "--port")).message).to.include('got "85x"');
      expect(parsePort("65535", "--port")).to.equal(65_535);
    });
  });

  describe("the chain", function () {
    let anvil: RunningAnvil;
    let provider: JsonRpcProvider;

    before(async function () {
      anvil = await startAnvil();
      provider = anvilProvider(anvil);
    });

    after(async function () {
      provider.destroy();
      await anvil.stop();
    });

    it("answers chain id 412346", async function () {
      expect(await provider.send("eth_chainId", [])).to.equal(`0x${ARBITRUM_LOCAL_CHAIN_ID.toString(16)}`);
    });

    it("has a block gas limit of 32,000,000", async function () {
      expect((await provider.getBlock("latest"))?.gasLimit).to.equal(BigInt(ARBITRUM_BLOCK_GAS_LIMIT));
    });

    it("starts its clock at the launch calendar's chain genesis", async function () {
      expect((await provider.getBlock(0))?.timestamp).to.equal(launchTimeline().chainGenesis.getTime() / 1000);
    });

    it(`unlocks Hardhat's ${HARDHAT_ACCOUNT_COUNT} accounts, in order, with ${formatInteger(HARDHAT_ACCOUNT_ETHER)} ether each`, async function () {
      const hardhatAccounts = (await ethers.getSigners()).map((signer) => signer.address);
      const accounts = ((await provider.send("eth_accounts", [])) as string[]).map((account) => getAddress(account));
      expect(accounts).to.deep.equal(hardhatAccounts);
      expect(accounts).to.have.length(HARDHAT_ACCOUNT_COUNT);
      for (const account of accounts) {
        expect(await provider.getBalance(account)).to.equal(parseEther(String(HARDHAT_ACCOUNT_ETHER)));
      }
    });

    it("has no contract at the CREATE2 deployer's address, as Hardhat's chain", async function () {
      expect(await provider.getCode(CREATE2_DEPLOYER)).to.equal("0x");
      expect(await ethers.provider.getCode(CREATE2_DEPLOYER)).to.equal("0x");
    });

    describe("runs Cancun", function () {
      it("carries Cancun's blob gas fields in its blocks and not Prague's requestsHash, as the in-process chain", async function () {
        type Header = { blobGasUsed?: string; excessBlobGas?: string; requestsHash?: string };
        const onAnvil = (await provider.send("eth_getBlockByNumber", ["latest", false])) as Header;
        const inProcess = (await hre.network.provider.request({
          method: "eth_getBlockByNumber",
          params: ["latest", false],
        })) as Header;
        for (const block of [onAnvil, inProcess]) {
          expect([block.blobGasUsed, block.excessBlobGas, block.requestsHash]).to.deep.equal(["0x0", "0x0", undefined]);
        }
      });

      it("runs PUSH0, TSTORE, TLOAD, MCOPY and BLOBBASEFEE as the in-process chain does", async function () {
        const onAnvil = await runProbe(eip1193(anvil.url));
        expect(onAnvil).to.deep.equal([PROBE_VALUE, MINIMUM_BLOB_BASE_FEE]);
        expect(await runProbe(hre.network.provider)).to.deep.equal(onAnvil);
      });

      it("while anvil on Shanghai fails the same probe", async function () {
        const shanghai = await startAnvil({ hardfork: "shanghai" });
        try {
          // NotActivated: an opcode of a later hardfork (TSTORE, the first Cancun opcode the probe reaches).
          expect((await rejectionOf(runProbe(eip1193(shanghai.url)))).message).to.equal("EVM error NotActivated");
        } finally {
          await shanghai.stop();
        }
      });
    });

    it("accepts a transaction above Ethereum's 16,777,216 per-transaction cap", async function () {
      const [sender, receiver] = (await provider.send("eth_accounts", [])) as string[];
      const signer = await provider.getSigner(sender);
      const tx = await signer.sendTransaction({ to: receiver, value: 1n, gasLimit: ETHEREUM_TRANSACTION_GAS_CAP + 1 });
      expect((await tx.wait())?.status).to.equal(1);
    });

    it("installs the ArbSys double through hardhat_setCode (anvil's alias of anvil_setCode)", async function () {
      await installArbSys(hre, eip1193(anvil.url));
      const { abi } = await hre.artifacts.readArtifact("IArbSys");
      const arbSys = new Contract(ARB_SYS_ADDRESS, abi, provider);
      expect(await arbSys.getFunction("arbChainID")()).to.equal(BigInt(ARBITRUM_LOCAL_CHAIN_ID));
      expect(await arbSys.getFunction("arbBlockNumber")()).to.equal(BigInt(await provider.getBlockNumber()));
    });

    describe("its clock", function () {
      // Anvil gives a block the timestamp of its parent when asked to, as it does to every block mined within the
      // same second; Hardhat gives such a block the next second. A chain that has played a step on anvil can so
      // stand exactly at the step's date.
      let at: number;

      before(async function () {
        at = (await provider.getBlock("latest"))?.timestamp ?? 0;
        await provider.send("evm_mine", [at]);
      });

      it("mines a block at its parent's timestamp, where the in-process chain mines it a second later", async function () {
        const latest = await provider.getBlock("latest");
        const parent = await provider.getBlock((latest?.number ?? 1) - 1);
        expect([parent?.timestamp, latest?.timestamp]).to.deep.equal([at, at]);

        const snapshot = await takeSnapshot();
        try {
          const hardhatAt = (await ethers.provider.getBlock("latest"))?.timestamp ?? 0;
          await hre.network.provider.request({ method: "evm_mine", params: [hardhatAt] });
          expect((await ethers.provider.getBlock("latest"))?.timestamp).to.equal(hardhatAt + 1);
        } finally {
          await snapshot.restore();
        }
      });

      it("is refused by checkClockBefore at that date, saying the clock is at it", async function () {
        const error = await rejectionOf(checkClockBefore(eip1193(anvil.url), at, "the date"));
        expect(error.message).to.include(`is already at the date (${formatUtc(at)}) and cannot go back`);
        expect(error.message).to.include("`npm run anvil`");
      });

      it("is allowed by checkClockBefore a second later, and by checkClockNotPast at that date", async function () {
        expect(await checkClockBefore(eip1193(anvil.url), at + 1, "the date")).to.equal(at);
        expect(await checkClockNotPast(eip1193(anvil.url), at, "the date")).to.equal(at);
      });
    });
  });

  it("is named, with what starts it, in one line when it does not answer (exit 1, no stack trace)", async function () {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await runHardhatAsync(["rehearse", "--network", "anvil"], "headless", { ANVIL_RPC_URL: url });
    expect(run.status, run.stderr + run.stdout).to.equal(1);
    expect(run.stderr).to.equal(
      `Error: the network anvil does not answer at ${url}: start it first with \`npm run anvil\` (or set ` +
        "ANVIL_RPC_URL to where anvil runs)\n",
    );
    expect(stackLines(run.stderr + run.stdout)).to.deep.equal([]);
  });

  describe("its gas estimate", function () {
    // Anvil estimates the least gas that succeeds in the block it would mine next; the block that mines the
    // transaction may be a second later on its wall clock. Why the journal gives every transaction a margin.
    let anvil: RunningAnvil;
    let provider: JsonRpcProvider;
    let contract: string;
    let sender: string;

    before(async function () {
      anvil = await startAnvil();
      provider = anvilProvider(anvil);
      const accounts = (await provider.send("eth_accounts", [])) as string[];
      sender = accounts[0] ?? "";
      const signer = await provider.getSigner(sender);
      const deployed = await (await signer.sendTransaction({ data: TIME_DEPENDENT_INIT })).wait();
      contract = deployed?.contractAddress ?? "";
    });

    after(async function () {
      provider.destroy();
      await anvil.stop();
    });

    it(`runs out of gas with its estimate in a later block, and goes through with the journal's ${GAS_LIMIT_MARGIN_PERCENT} % more`, async function () {
      const at = (await provider.getBlock("latest"))?.timestamp ?? 0;
      // Costs more in a block later than `at + LATER`: not the one anvil estimates in, the one that will mine it.
      const data = ethers.zeroPadValue(ethers.toBeHex(at + LATER), 32);
      const estimate = await provider.estimateGas({ from: sender, to: contract, data });
      const signer = await provider.getSigner(sender);
      const sendLater = async (gasLimit: bigint) => {
        const latest = (await provider.getBlock("latest"))?.timestamp ?? 0;
        await provider.send("evm_setNextBlockTimestamp", [Math.max(latest, at + LATER) + 1]);
        const sent = await signer.sendTransaction({ to: contract, data, gasLimit });
        return (await provider.getTransactionReceipt(sent.hash)) ?? (await sent.wait());
      };
      const short = await sendLater(estimate);
      expect([short?.status, short?.gasUsed]).to.deep.equal([0, estimate]);
      const padded = await sendLater(estimate + (estimate * GAS_LIMIT_MARGIN_PERCENT) / 100n);
      expect(padded?.status).to.equal(1);
      expect(padded?.gasUsed).to.be.above(estimate);
    });
  });

  describe("`npx hardhat rehearse --network anvil`", function () {
    let anvil: RunningAnvil;
    let env: NodeJS.ProcessEnv;
    let foldersBefore: string[];
    let first: CliRun;
    const reports = mkdtempSync(path.join(tmpdir(), "anvil-reports-"));

    before(async function () {
      anvil = await startAnvil();
      env = { ANVIL_RPC_URL: anvil.url };
      foldersBefore = deploymentFolders();
      // Asynchronously: this process drains anvil's log, which a synchronous child would leave to fill its pipe.
      first = await runHardhatAsync(["rehearse", "--network", "anvil", "--report", reports], "headless", env);
    });

    after(async function () {
      await anvil.stop();
      rmSync(reports, { recursive: true, force: true });
    });

    it("exits 0 and says that the rehearsal passed", function () {
      expect(first.status, first.stderr + first.stdout).to.equal(0);
      expect(first.stdout).to.match(/^Rehearsal passed: (\d+) of \1 checks\.$/m);
    });

    it("reports anvil's chain: chain id 412346, block gas limit 32,000,000, the ArbSys double", function () {
      expect(first.stdout).to.include(
        "chain ready: network anvil, chain id 412346, block gas limit 32,000,000, ArbSys arbChainID() = 412346",
      );
    });

    it("moves anvil's clock from the chain genesis through the Lighthouse and the Anchor to the TGE", function () {
      expect(first.stdout).to.include("clock moved from 2024-06-01T00:00:00Z to testnetLaunch");
      expect(first.stdout).to.match(
        /2025-04-22T00:00:00Z \(clock moved from 2024-12-07T\d\d:\d\d:\d\dZ\): Anchor release/,
      );
      expect(first.stdout).to.include("clock moved from 2025-05-14T00:00:00Z to the TGE, 2025-05-21T00:00:00Z");
    });

    it("leaves no journal in deploy/deployments", function () {
      expect(deploymentFolders()).to.deep.equal(foldersBefore);
    });

    it("refuses a second rehearsal on the same chain, whose clock is past the testnet launch, and exits 1", async function () {
      const again = await runHardhatAsync(["rehearse", "--network", "anvil", "--report", reports], "headless", env);
      expect(again.status, again.stderr + again.stdout).to.equal(1);
      expect(again.stderr).to.match(/is already past the testnet launch \(2024-07-09T00:00:00Z\) and cannot go back/);
      expect(again.stdout).not.to.include("Rehearsal passed");
      expect(stackLines(again.stderr + again.stdout)).to.deep.equal([]);
    });

    it("names anvil when a journal records a contract the chain does not have (a restarted anvil)", async function () {
      const deploymentId = `test-anvil-${process.pid}`;
      const folder = deploymentFolder(hre, deploymentId);
      mkdirSync(folder, { recursive: true });
      const missing = getAddress(`0x${"ab".repeat(20)}`);
      writeFileSync(path.join(folder, "deployed_addresses.json"), JSON.stringify({ "TGE#SESH": missing }));
      try {
        const run = await runHardhatAsync(
          ["tge", "--network", "anvil", "--deployment-id", deploymentId],
          "headless",
          env,
        );
        expect(run.status, run.stderr + run.stdout).to.equal(1);
        expect(run.stderr).to.include(`records TGE#SESH at ${missing}, where network anvil has no contract`);
        expect(run.stderr).to.include("The node was restarted since (a restarted anvil starts an empty chain)");
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });
});

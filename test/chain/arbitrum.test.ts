import { mine, takeSnapshot } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import hre, { ethers, network } from "hardhat";
import type { EIP1193Provider, RequestArguments } from "hardhat/types";

import { ARB_SYS_ADDRESS, installArbSys } from "../../lib/chain/arbitrum";
import { ARBITRUM_BLOCK_GAS_LIMIT, ARBITRUM_LOCAL_CHAIN_ID } from "../../lib/chain/networks";
import { launchTimeline } from "../../lib/timeline";
import { rejectionOf } from "../helpers/errors";

/** Ethereum's per-transaction gas cap from Osaka on (EIP-7825), which Arbitrum does not have. */
const ETHEREUM_TRANSACTION_GAS_CAP = 16_777_216;

describe("the local Arbitrum-like chain", function () {
  it("answers chain id 412346", async function () {
    expect(await network.provider.request({ method: "eth_chainId" })).to.equal(
      `0x${ARBITRUM_LOCAL_CHAIN_ID.toString(16)}`,
    );
    expect((await ethers.provider.getNetwork()).chainId).to.equal(412_346n);
  });

  it("has a block gas limit of 32,000,000", async function () {
    const block = await ethers.provider.getBlock("latest");
    expect(block?.gasLimit).to.equal(BigInt(ARBITRUM_BLOCK_GAS_LIMIT));
  });

  it("runs Cancun", async function () {
    expect(network.config).to.include({ hardfork: "cancun" });
    // Blocks carry Cancun's blob gas fields.
    const block = (await network.provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
      blobGasUsed?: string;
    };
    expect(block.blobGasUsed).to.equal("0x0");
  });

  it("accepts a transaction above Ethereum's 16,777,216 per-transaction cap", async function () {
    const [sender, receiver] = await ethers.getSigners();
    if (sender === undefined || receiver === undefined) throw new Error("two accounts expected");
    const snapshot = await takeSnapshot();
    const tx = await sender.sendTransaction({
      to: receiver.address,
      value: 1n,
      gasLimit: ETHEREUM_TRANSACTION_GAS_CAP + 1,
    });
    expect((await tx.wait())?.status).to.equal(1);
    await snapshot.restore();
  });

  it("starts its clock at the launch calendar's chain genesis", async function () {
    const genesis = await ethers.provider.getBlock(0);
    expect(genesis?.timestamp).to.equal(launchTimeline().chainGenesis.getTime() / 1000);
  });

  describe("ArbSys double", function () {
    async function arbSys() {
      await installArbSys(hre);
      return ethers.getContractAt("IArbSys", ARB_SYS_ADDRESS);
    }

    it("answers arbChainID() with the chain id", async function () {
      const snapshot = await takeSnapshot();
      expect(await (await arbSys()).arbChainID()).to.equal(412_346n);
      await snapshot.restore();
    });

    it("answers arbBlockNumber() with the current block number", async function () {
      const snapshot = await takeSnapshot();
      const sys = await arbSys();
      expect(await sys.arbBlockNumber()).to.equal(BigInt(await ethers.provider.getBlockNumber()));
      await mine(5);
      expect(await sys.arbBlockNumber()).to.equal(BigInt(await ethers.provider.getBlockNumber()));
      await snapshot.restore();
    });

    it("installs the double's runtime code at 0x…64, once", async function () {
      const snapshot = await takeSnapshot();
      await installArbSys(hre);
      await installArbSys(hre);
      const { deployedBytecode } = await hre.artifacts.readArtifact("ArbSys__Mock");
      expect(await ethers.provider.getCode(ARB_SYS_ADDRESS)).to.equal(deployedBytecode);
      await snapshot.restore();
    });

    it("refuses a chain that is not the local Arbitrum-like one", async function () {
      const mainnet: EIP1193Provider = {
        request: (args: RequestArguments) =>
          Promise.resolve(args.method === "eth_chainId" ? "0xa4b1" : network.provider.request(args)),
        on: () => mainnet,
        removeListener: () => mainnet,
      } as unknown as EIP1193Provider;
      const error = await rejectionOf(installArbSys(hre, mainnet));
      expect(error.message).to.equal(
        "the ArbSys double is only installed on the local Arbitrum-like chain (chain id 412346); this chain has id 42161",
      );
    });
  });
});

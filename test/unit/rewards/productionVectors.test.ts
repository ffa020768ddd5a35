import { loadFixture, setCode, setStorageAt, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { AbiCoder, keccak256, solidityPacked, ZeroHash } from "ethers";
import { ethers } from "hardhat";
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

import { ATOMS_PER_SESH, SESH_TOTAL_SUPPLY } from "../../../lib/amount";
import { stakingParametersFor } from "../../../deploy/staking";
import type { ServiceNodeRewards } from "../../../typechain-types";
import { PRODUCTION_DATA, signatureVectors } from "../../helpers/vectors";
import { EIP1967_IMPLEMENTATION_SLOT } from "../../../lib/chain/proxy";

/** ERC-1967's slots of the implementation and of the admin. */
const ADMIN_SLOT = "0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103";
/** OpenZeppelin's ERC-7201 namespaces the rewards contract uses: Initializable, Ownable, Ownable2Step, Pausable. */
const NAMESPACES = [
  "0xf0c57e16840df040f15088dc2f81fe391c3923bec73e23a9662efc9c229c6a00",
  "0x9016d09d72d40fdae2fd8ceac6b6234c7706214fd39c1cd1e609a0528c199300",
  "0x237e158222e3e6968b72b9db0d8043aacf074ad9f650f0d1606b4d82ee432c00",
  "0xcd5ed15c6e187e77e9aee88184c21f4f2182ab5827cb3b7e07fbedcd63f03300",
];
/** The sequential slots of ServiceNodeRewardsStorage: `_nodes`, `_idsByBlsPubkey`, `_recipients` and the rest. */
const SEQUENTIAL_SLOTS = 10;
const NODES_SLOT = 6n;
const IDS_BY_BLS_PUBKEY_SLOT = 7n;
const IDS_BY_ED25519_SLOT = 8n;
const RECIPIENTS_SLOT = 9n;
/** Slots of a `Node` (links, holder, key, ed25519 key and its two mappings). */
const NODE_SLOTS = 6n;

/** The ed25519 key each seeded node gets (the vectors have one for the proof of possession only). */
const ed25519Of = (index: number): bigint => 4_660n + BigInt(index);

/** `seededNodeIds`: the ids the vector's keys had on production (its schema in test/helpers/vectors.ts omits it). */
function seededNodeIds(): bigint[] {
  const json = JSON.parse(readFileSync(path.join(PRODUCTION_DATA, "bls-signature-vectors.json"), "utf8")) as unknown;
  return z
    .object({ seededNodeIds: z.array(z.string().regex(/^\d+$/)).length(3) })
    .parse(json)
    .seededNodeIds.map((id) => BigInt(id));
}

const coder = AbiCoder.defaultAbiCoder();
const mappingSlot = (key: string, slot: bigint): string =>
  keccak256(solidityPacked(["bytes32", "uint256"], [key, slot]));
const word = (type: string, value: bigint | string): string => coder.encode([type], [value]);

/**
 * Every slot the test reads at the vector address, cleared: whatever an earlier suite of the same run may have left
 * there (the address is one of the default deployer's first contracts) must not show through the copied proxy.
 */
function slotsToClear(vectors: ReturnType<typeof signatureVectors>): string[] {
  const slots = [...NAMESPACES, ...NAMESPACES.map((slot) => word("uint256", BigInt(slot) + 1n))];
  for (let slot = 0n; slot < BigInt(SEQUENTIAL_SLOTS); slot++) slots.push(word("uint256", slot));
  for (let id = 0n; id <= BigInt(vectors.publicKeys.length); id++) {
    const base = BigInt(mappingSlot(word("uint64", id), NODES_SLOT));
    for (let offset = 0n; offset < NODE_SLOTS; offset++) slots.push(word("uint256", base + offset));
  }
  vectors.publicKeys.forEach((key, index) => {
    const keyHash = keccak256(coder.encode(["uint256", "uint256"], [key.X, key.Y]));
    slots.push(mappingSlot(keyHash, IDS_BY_BLS_PUBKEY_SLOT));
    slots.push(mappingSlot(word("uint256", ed25519Of(index)), IDS_BY_ED25519_SLOT));
  });
  for (const update of vectors.rewardUpdates)
    slots.push(mappingSlot(word("address", update.recipient), RECIPIENTS_SLOT));
  return slots;
}

interface VectorsFixture {
  readonly vectors: ReturnType<typeof signatureVectors>;
  readonly rewards: ServiceNodeRewards;
  readonly requirement: bigint;
}

/**
 * The rewards proxy at the vector's address: the implementation and a TransparentUpgradeableProxy deployed
 * uninitialised by an account of its own, the proxy's runtime code and ERC-1967 slots copied to the vector address, then
 * `initialize` called there by the owner (account 0), so that the tags derive from the vector address.
 */
async function vectorsFixture(): Promise<VectorsFixture> {
  const vectors = signatureVectors();
  const chainId = (await ethers.provider.getNetwork()).chainId;
  if (chainId !== vectors.chainId) throw new Error(`the vectors are for chain ${vectors.chainId}, this is ${chainId}`);
  const signers = await ethers.getSigners();
  const owner = signers[0];
  const deployer = signers[19];
  if (owner === undefined || deployer === undefined) throw new Error("not enough hardhat accounts");
  const sesh = await ethers.deployContract(
    "SESH",
    [SESH_TOTAL_SUPPLY, owner.address, ethers.ZeroAddress, ethers.ZeroAddress],
    deployer,
  );
  const implementation = await ethers.deployContract("ServiceNodeRewards", [], deployer);
  const proxy = await ethers.deployContract(
    "TransparentUpgradeableProxy",
    // OpenZeppelin 5.7's proxy refuses empty init data (ERC1967ProxyUninitialized): a view call initialises nothing.
    [await implementation.getAddress(), owner.address, implementation.interface.encodeFunctionData("VERSION")],
    deployer,
  );
  const proxyAddress = await proxy.getAddress();
  const target = vectors.serviceNodeRewards;
  for (const deployed of [sesh, implementation, proxy]) {
    if ((await deployed.getAddress()) === target) throw new Error("a contract of the fixture took the vector address");
  }
  await setCode(target, await ethers.provider.getCode(proxyAddress));
  for (const slot of slotsToClear(vectors)) await setStorageAt(target, slot, ZeroHash);
  for (const slot of [EIP1967_IMPLEMENTATION_SLOT, ADMIN_SLOT]) {
    await setStorageAt(target, slot, await ethers.provider.getStorage(proxyAddress, slot));
  }
  const rewards = await ethers.getContractAt("ServiceNodeRewards", target, owner);
  const parameters = stakingParametersFor("hardhat");
  await (
    await rewards.initialize(
      await sesh.getAddress(),
      signers[1]?.address ?? owner.address,
      parameters.stakingRequirement,
      parameters.maxContributors,
      parameters.liquidatorRewardRatio,
      parameters.poolShareOfLiquidationRatio,
      parameters.recipientRatio,
    )
  ).wait();
  return { vectors, rewards, requirement: parameters.stakingRequirement };
}

/** The vector fixture with the three keys seeded (ids 1, 2, 3 as on production) and the contract started. */
async function seededFixture(): Promise<VectorsFixture> {
  const f = await vectorsFixture();
  const signers = await ethers.getSigners();
  const now = BigInt(await time.latest());
  const nodes = f.vectors.publicKeys.map((key, index) => {
    const staker = signers[5 + index]?.address ?? ethers.ZeroAddress;
    return {
      blsPubkey: key,
      ed25519Pubkey: ed25519Of(index),
      addedTimestamp: now,
      contributors: [{ staker: { addr: staker, beneficiary: staker }, stakedAmount: f.requirement }],
    };
  });
  await (await f.rewards.seedPublicKeyList(nodes)).wait();
  await (await f.rewards.start()).wait();
  return f;
}

describe("ServiceNodeRewards (production's signature vectors)", function () {
  describe("at the vector's address", function () {
    it("derives the vector's five tags", async function () {
      const { vectors, rewards } = await loadFixture(vectorsFixture);
      expect(await rewards.getAddress()).to.equal(vectors.serviceNodeRewards);
      expect({
        hashToG2Tag: await rewards.hashToG2Tag(),
        proofOfPossessionTag: await rewards.proofOfPossessionTag(),
        rewardTag: await rewards.rewardTag(),
        exitTag: await rewards.exitTag(),
        liquidateTag: await rewards.liquidateTag(),
      }).to.deep.equal(vectors.tags);
    });
  });

  describe("#validateProofOfPossession", function () {
    it("accepts the vector's proof for its caller and ed25519 key, at less gas than production", async function () {
      const { vectors, rewards } = await loadFixture(vectorsFixture);
      const pop = vectors.proofOfPossession;
      await rewards.validateProofOfPossession(pop.publicKey, pop.signature, pop.caller, pop.ed25519Pubkey);
      const gas = await rewards.validateProofOfPossession.estimateGas(
        pop.publicKey,
        pop.signature,
        pop.caller,
        pop.ed25519Pubkey,
      );
      console.log(
        `      validateProofOfPossession: ${gas} gas (production ${vectors.productionGas.validateProofOfPossession})`,
      );
      expect(gas).to.be.lessThan(vectors.productionGas.validateProofOfPossession);
    });

    it("reverts if the caller is another account", async function () {
      const { vectors, rewards } = await loadFixture(vectorsFixture);
      const pop = vectors.proofOfPossession;
      const other = (await ethers.getSigners())[4]?.address ?? ethers.ZeroAddress;
      expect(other).to.not.equal(pop.caller);
      await expect(
        rewards.validateProofOfPossession(pop.publicKey, pop.signature, other, pop.ed25519Pubkey),
      ).to.be.revertedWithCustomError(rewards, "InvalidBLSProofOfPossession");
    });

    it("reverts if the ed25519 key is another", async function () {
      const { vectors, rewards } = await loadFixture(vectorsFixture);
      const pop = vectors.proofOfPossession;
      await expect(
        rewards.validateProofOfPossession(pop.publicKey, pop.signature, pop.caller, pop.ed25519Pubkey + 1n),
      ).to.be.revertedWithCustomError(rewards, "InvalidBLSProofOfPossession");
    });
  });

  describe("#seedPublicKeyList", function () {
    it("gives the vector's keys the ids they had on production", async function () {
      const { vectors, rewards } = await loadFixture(seededFixture);
      const list = await rewards.allServiceNodeIDs();
      expect(list.ids).to.deep.equal(seededNodeIds());
      expect(list.pubkeys.map((key) => ({ X: key.X, Y: key.Y }))).to.deep.equal(vectors.publicKeys);
    });
  });

  describe("#updateRewardsBalance", function () {
    it("accepts both vector updates (all signers, then one non-signer) and credits the recipient", async function () {
      const { vectors, rewards } = await loadFixture(seededFixture);
      let previous = 0n;
      for (const [position, update] of vectors.rewardUpdates.entries()) {
        const tx = await rewards.updateRewardsBalance(
          update.recipient,
          update.amount,
          update.signature,
          update.nonSignerIds,
        );
        await expect(tx).to.emit(rewards, "RewardsBalanceUpdated").withArgs(update.recipient, update.amount, previous);
        const receipt = await tx.wait();
        const gas = receipt?.gasUsed ?? 0n;
        const production = update.gasUsed;
        console.log(
          `      updateRewardsBalance #${position} (${update.nonSignerIds.length} non-signers): ${gas} gas` +
            (production === undefined ? "" : ` (production ${production})`),
        );
        if (production !== undefined) expect(gas).to.be.lessThan(production);
        const recipient = await rewards.recipients(update.recipient);
        expect(recipient.rewards).to.equal(update.amount);
        expect(recipient.claimed).to.equal(0n);
        previous = update.amount;
      }
      expect(previous).to.equal(2n * ATOMS_PER_SESH);
    });

    it("reverts if the vector's update is replayed", async function () {
      const { vectors, rewards } = await loadFixture(seededFixture);
      const [first] = vectors.rewardUpdates;
      if (first === undefined) throw new Error("no reward update");
      await (
        await rewards.updateRewardsBalance(first.recipient, first.amount, first.signature, first.nonSignerIds)
      ).wait();
      await expect(
        rewards.updateRewardsBalance(first.recipient, first.amount, first.signature, first.nonSignerIds),
      ).to.be.revertedWithCustomError(rewards, "RecipientRewardsTooLow");
    });
  });
});

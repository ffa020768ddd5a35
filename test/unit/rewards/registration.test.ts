import { time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { Wallet, ZeroAddress } from "ethers";
import { ethers, network as hardhatNetwork } from "hardhat";

import {
  FIELD_MODULUS,
  G1Point,
  domainTags,
  proofOfPossessionMessage,
  secretKeyFromSeed,
  sign,
  toG1Struct,
  toSignatureParams,
} from "../../../lib/bls";
import { SimulatedNetwork } from "../../../lib/network";
import { restoreChainAfterSuite } from "../../helpers/chain";
import { loadStakingFixture, type StakingFixture } from "../../helpers/staking";
import {
  DAY,
  ED_BASE,
  NO_SIGNATURE,
  SEEDED,
  addSolo,
  aggregateOf,
  at,
  encodeKey,
  keyOf,
  nodeParams,
  popOf,
  range,
  soloSeed,
  suiteFixtures,
} from "./fixtures";

const { deployedFixture, startedFixture, soloNodesFixture, seededFixture } = suiteFixtures();

type Contributor = { staker: { addr: string; beneficiary: string }; stakedAmount: bigint };

function contributor(addr: string, stakedAmount: bigint, beneficiary = addr): Contributor {
  return { staker: { addr, beneficiary }, stakedAmount };
}

/** Contributors whose stakes sum to `requirement`: the operator a quarter, the rest split in `others` parts. */
function splitAmong(addresses: readonly string[], requirement: bigint): Contributor[] {
  const operatorStake = requirement / 4n;
  const rest = requirement - operatorStake;
  const others = BigInt(addresses.length - 1);
  return addresses.map((addr, i) => {
    if (i === 0) return contributor(addr, operatorStake);
    const share = rest / others + (i === 1 ? rest % others : 0n);
    return contributor(addr, share);
  });
}

const asTuple = (c: Contributor) => [[c.staker.addr, c.staker.beneficiary], c.stakedAmount];

describe("ServiceNodeRewards: registration", function () {
  restoreChainAfterSuite();

  describe("#addBLSPublicKey", function () {
    describe("for a solo node", function () {
      it("registers the node as the list's first, with id 1, and emits NewServiceNodeV2", async function () {
        const f = await loadStakingFixture(startedFixture);
        const staker = at(f.stakers, 0);
        const ed = ED_BASE;
        const params = nodeParams(ed, 500);
        const key = keyOf(f, 0);
        await expect(f.rewards.connect(staker).addBLSPublicKey(key, popOf(f, 0, staker.address, ed), params, []))
          .to.emit(f.rewards, "NewServiceNodeV2")
          .withArgs(
            1n,
            staker.address,
            [key.X, key.Y],
            [ed, 1n, 2n, 500n],
            [[[staker.address, staker.address], f.parameters.stakingRequirement]],
          );
        const node = await f.rewards.serviceNodes(1n);
        expect(node.operator).to.equal(staker.address);
        expect([node.blsPubkey.X, node.blsPubkey.Y]).to.deep.equal([key.X, key.Y]);
        expect(node.deposit).to.equal(f.parameters.stakingRequirement);
        expect(node.ed25519Pubkey).to.equal(ed);
        expect(node.addedTimestamp).to.equal(BigInt(await time.latest()));
        expect([node.next, node.prev]).to.deep.equal([0n, 0n]);
        expect(node.contributors.map((c) => [c.staker.addr, c.staker.beneficiary, c.stakedAmount])).to.deep.equal([
          [staker.address, staker.address, f.parameters.stakingRequirement],
        ]);
        expect(await f.rewards.totalNodes()).to.equal(1n);
        expect(await f.rewards.nextServiceNodeID()).to.equal(2n);
        expect(await f.rewards.serviceNodeIDs(encodeKey(key))).to.equal(1n);
        expect(await f.rewards.ed25519ToServiceNodeID(ed)).to.equal(1n);
        const aggregate = await f.rewards.aggregatePubkey();
        expect([aggregate.X, aggregate.Y]).to.deep.equal([key.X, key.Y]);
      });

      it("takes the staking requirement from the caller with transferFrom", async function () {
        const f = await loadStakingFixture(startedFixture);
        const staker = at(f.stakers, 0);
        const requirement = f.parameters.stakingRequirement;
        const allowance = await f.sesh.allowance(staker.address, f.rewardsAddress);
        const tx = f.rewards
          .connect(staker)
          .addBLSPublicKey(keyOf(f, 0), popOf(f, 0, staker.address, ED_BASE), nodeParams(ED_BASE), []);
        await expect(tx).to.changeTokenBalances(f.sesh, [staker, f.rewards], [-requirement, requirement]);
        expect(await f.sesh.allowance(staker.address, f.rewardsAddress)).to.equal(allowance - requirement);
      });

      it("appends each node at the list's tail and adds its key to the aggregate", async function () {
        const f = await loadStakingFixture(soloNodesFixture);
        const [ids, keys] = await f.rewards.allServiceNodeIDs();
        expect(ids).to.deep.equal([1n, 2n, 3n, 4n]);
        expect(keys.map((k) => [k.X, k.Y])).to.deep.equal(range(4).map((i) => [keyOf(f, i).X, keyOf(f, i).Y]));
        const aggregate = await f.rewards.aggregatePubkey();
        const expected = aggregateOf(f, range(4));
        expect([aggregate.X, aggregate.Y]).to.deep.equal([expected.X, expected.Y]);
        const sentinel = await f.rewards.serviceNodes(0n);
        expect([sentinel.next, sentinel.prev]).to.deep.equal([1n, 4n]);
        const second = await f.rewards.serviceNodes(2n);
        expect([second.next, second.prev]).to.deep.equal([3n, 1n]);
      });

      it("reverts if the caller has not approved the requirement, and changes nothing", async function () {
        const f = await loadStakingFixture(startedFixture);
        const poor = f.owner;
        await expect(
          f.rewards
            .connect(poor)
            .addBLSPublicKey(keyOf(f, 0), popOf(f, 0, poor.address, ED_BASE), nodeParams(ED_BASE), []),
        ).to.be.revertedWithCustomError(f.sesh, "ERC20InsufficientAllowance");
        expect(await f.rewards.totalNodes()).to.equal(0n);
      });
    });

    describe("with contributors", function () {
      it("registers the contributors, the first as operator, with the caller paying the whole requirement", async function () {
        const f = await loadStakingFixture(startedFixture);
        const [operator, payer, other] = [at(f.stakers, 0), at(f.stakers, 1), at(f.stakers, 2)];
        const requirement = f.parameters.stakingRequirement;
        const contributors = [
          contributor(operator.address, requirement / 4n),
          contributor(other.address, requirement / 2n, payer.address),
          contributor(payer.address, requirement / 4n),
        ];
        const params = nodeParams(ED_BASE, 10_000);
        const key = keyOf(f, 0);
        const tx = f.rewards
          .connect(payer)
          .addBLSPublicKey(key, popOf(f, 0, operator.address, ED_BASE), params, contributors);
        await expect(tx)
          .to.emit(f.rewards, "NewServiceNodeV2")
          .withArgs(1n, payer.address, [key.X, key.Y], [ED_BASE, 1n, 2n, 10_000n], contributors.map(asTuple));
        await expect(tx).to.changeTokenBalances(f.sesh, [payer, operator, f.rewards], [-requirement, 0n, requirement]);
        const node = await f.rewards.serviceNodes(1n);
        expect(node.operator).to.equal(operator.address);
        expect(node.contributors.map((c) => [c.staker.addr, c.staker.beneficiary, c.stakedAmount])).to.deep.equal(
          contributors.map((c) => [c.staker.addr, c.staker.beneficiary, c.stakedAmount]),
        );
      });

      it("accepts maxContributors contributors", async function () {
        const f = await loadStakingFixture(startedFixture);
        const operator = at(f.stakers, 0);
        const addresses = [operator.address, ...range(9).map(() => Wallet.createRandom().address)];
        const contributors = splitAmong(addresses, f.parameters.stakingRequirement);
        await expect(
          f.rewards
            .connect(operator)
            .addBLSPublicKey(keyOf(f, 0), popOf(f, 0, operator.address, ED_BASE), nodeParams(ED_BASE), contributors),
        ).to.emit(f.rewards, "NewServiceNodeV2");
        expect((await f.rewards.serviceNodes(1n)).contributors).to.have.length(10);
      });

      describe("reverts, checking the contributors before the proof of possession", function () {
        async function reverts(
          build: (f: StakingFixture, requirement: bigint) => Contributor[],
          error: string,
          args?: (f: StakingFixture, requirement: bigint) => unknown[],
        ): Promise<void> {
          const f = await loadStakingFixture(startedFixture);
          const requirement = f.parameters.stakingRequirement;
          const caller = at(f.stakers, 0);
          const assertion = expect(
            f.rewards
              .connect(caller)
              .addBLSPublicKey(keyOf(f, 0), NO_SIGNATURE, nodeParams(ED_BASE), build(f, requirement)),
          ).to.be.revertedWithCustomError(f.rewards, error);
          if (args !== undefined) await assertion.withArgs(...args(f, requirement));
          else await assertion;
          expect(await f.rewards.totalNodes()).to.equal(0n);
        }

        it("reverts MaxContributorsExceeded with more than maxContributors", async function () {
          await reverts(
            (f, r) => splitAmong([at(f.stakers, 0).address, ...range(10).map(() => Wallet.createRandom().address)], r),
            "MaxContributorsExceeded",
          );
        });

        it("reverts NullAddress for a zero staker", async function () {
          await reverts(
            (f, r) => [
              contributor(at(f.stakers, 0).address, r / 2n),
              contributor(ZeroAddress, r / 2n, at(f.stakers, 1).address),
            ],
            "NullAddress",
          );
        });

        it("reverts NullAddress for a zero beneficiary", async function () {
          await reverts(
            (f, r) => [
              contributor(at(f.stakers, 0).address, r / 2n),
              contributor(at(f.stakers, 1).address, r / 2n, ZeroAddress),
            ],
            "NullAddress",
          );
        });

        it("reverts ContributorRepeated(index, address) for a repeated staker", async function () {
          await reverts(
            (f, r) => [
              contributor(at(f.stakers, 0).address, r / 2n),
              contributor(at(f.stakers, 1).address, r / 4n),
              contributor(at(f.stakers, 0).address, r / 4n, at(f.stakers, 2).address),
            ],
            "ContributorRepeated",
            (f) => [2n, at(f.stakers, 0).address],
          );
        });

        it("reverts ZeroStake(index) for a contributor staking nothing", async function () {
          await reverts(
            (f, r) => [contributor(at(f.stakers, 0).address, r), contributor(at(f.stakers, 1).address, 0n)],
            "ZeroStake",
            () => [1n],
          );
        });

        it("reverts ContributionTotalMismatch(required, provided) for stakes one atom short", async function () {
          await reverts(
            (f, r) => [
              contributor(at(f.stakers, 0).address, r / 2n),
              contributor(at(f.stakers, 1).address, r / 2n - 1n),
            ],
            "ContributionTotalMismatch",
            (_, r) => [r, r - 1n],
          );
        });

        it("reverts ContributionTotalMismatch(required, provided) for stakes one atom over", async function () {
          await reverts(
            (f, r) => [
              contributor(at(f.stakers, 0).address, r / 2n),
              contributor(at(f.stakers, 1).address, r / 2n + 1n),
            ],
            "ContributionTotalMismatch",
            (_, r) => [r, r + 1n],
          );
        });

        it("reverts ContributionTotalMismatch with the sum saturated at 2^256 − 1", async function () {
          const max = 2n ** 256n - 1n;
          await reverts(
            (f) => [contributor(at(f.stakers, 0).address, max), contributor(at(f.stakers, 1).address, max)],
            "ContributionTotalMismatch",
            (_, r) => [r, max],
          );
        });

        it("reverts InsufficientOperatorContribution(stake) for an operator one atom under a quarter", async function () {
          await reverts(
            (f, r) => [
              contributor(at(f.stakers, 0).address, r / 4n - 1n),
              contributor(at(f.stakers, 1).address, r - r / 4n + 1n),
            ],
            "InsufficientOperatorContribution",
            (_, r) => [r / 4n - 1n],
          );
        });
      });
    });

    it("reverts FeeTooHigh(fee, 10_000) for a fee above 10,000 basis points", async function () {
      const f = await loadStakingFixture(startedFixture);
      const staker = at(f.stakers, 0);
      await expect(
        f.rewards
          .connect(staker)
          .addBLSPublicKey(keyOf(f, 0), popOf(f, 0, staker.address, ED_BASE), nodeParams(ED_BASE, 10_001), []),
      )
        .to.be.revertedWithCustomError(f.rewards, "FeeTooHigh")
        .withArgs(10_001n, 10_000n);
    });

    it("reverts BLSPubkeyAlreadyExists(id) for a key registered already", async function () {
      const f = await loadStakingFixture(soloNodesFixture);
      const staker = at(f.stakers, 5);
      await expect(
        f.rewards.connect(staker).addBLSPublicKey(keyOf(f, 2), popOf(f, 2, staker.address, 99n), nodeParams(99n), []),
      )
        .to.be.revertedWithCustomError(f.rewards, "BLSPubkeyAlreadyExists")
        .withArgs(3n);
    });

    describe("reverts InvalidBLSProofOfPossession", function () {
      async function rejects(pop: (f: StakingFixture, operator: string) => ReturnType<typeof popOf>): Promise<void> {
        const f = await loadStakingFixture(soloNodesFixture);
        const staker = at(f.stakers, 4);
        await expect(
          f.rewards.connect(staker).addBLSPublicKey(keyOf(f, 4), pop(f, staker.address), nodeParams(ED_BASE + 4n), []),
        ).to.be.revertedWithCustomError(f.rewards, "InvalidBLSProofOfPossession");
        expect(await f.rewards.totalNodes()).to.equal(4n);
      }

      it("for a proof made for another operator", async function () {
        await rejects((f) => popOf(f, 4, at(f.stakers, 5).address, ED_BASE + 4n));
      });

      it("for a proof made for another ed25519 key", async function () {
        await rejects((f, operator) => popOf(f, 4, operator, ED_BASE + 5n));
      });

      it("for a proof made for another deployment (its tags)", async function () {
        await rejects((f, operator) =>
          popOf(f, 4, operator, ED_BASE + 4n, domainTags(f.chainId, Wallet.createRandom().address)),
        );
      });

      it("for a proof made for another chain id", async function () {
        await rejects((f, operator) =>
          popOf(f, 4, operator, ED_BASE + 4n, domainTags(f.chainId + 1n, f.rewardsAddress)),
        );
      });

      it("for a proof signed by another key", async function () {
        await rejects((f, operator) => {
          const forged = popOf(f, 5, operator, ED_BASE + 4n);
          return forged;
        });
      });

      it("for a rogue key pk2 = pkX − pk1 whose proof the attacker signs with skX", async function () {
        const f = await loadStakingFixture(soloNodesFixture);
        const attacker = at(f.stakers, 5);
        const skX = secretKeyFromSeed("attacker", 0);
        const pkX = G1Point.BASE.multiply(skX);
        const rogue = toG1Struct(pkX.subtract(f.network.node(0).publicKey));
        const message = proofOfPossessionMessage(f.tags, rogue, attacker.address, 77n);
        const pop = toSignatureParams(sign(skX, message, f.tags.hashToG2Tag));
        await expect(
          f.rewards.connect(attacker).addBLSPublicKey(rogue, pop, nodeParams(77n), []),
        ).to.be.revertedWithCustomError(f.rewards, "InvalidBLSProofOfPossession");
        await expect(
          f.rewards.validateProofOfPossession(rogue, pop, attacker.address, 77n),
        ).to.be.revertedWithCustomError(f.rewards, "InvalidBLSProofOfPossession");
        expect(await f.rewards.totalNodes()).to.equal(4n);
      });

      it("for the identity key with a non-null signature", async function () {
        const f = await loadStakingFixture(startedFixture);
        const staker = at(f.stakers, 0);
        await expect(
          f.rewards
            .connect(staker)
            .addBLSPublicKey({ X: 0n, Y: 0n }, popOf(f, 0, staker.address, ED_BASE), nodeParams(ED_BASE), []),
        ).to.be.revertedWithCustomError(f.rewards, "InvalidBLSProofOfPossession");
      });

      it("for a null signature", async function () {
        const f = await loadStakingFixture(startedFixture);
        const staker = at(f.stakers, 0);
        await expect(
          f.rewards.connect(staker).addBLSPublicKey(keyOf(f, 0), NO_SIGNATURE, nodeParams(ED_BASE), []),
        ).to.be.revertedWithCustomError(f.rewards, "InvalidBLSProofOfPossession");
      });
    });

    it("reverts NullBLSPubkey for the identity key with the identity signature", async function () {
      const f = await loadStakingFixture(startedFixture);
      await expect(
        f.rewards.connect(at(f.stakers, 0)).addBLSPublicKey({ X: 0n, Y: 0n }, NO_SIGNATURE, nodeParams(ED_BASE), []),
      ).to.be.revertedWithCustomError(f.rewards, "NullBLSPubkey");
    });

    it("reverts NullEd25519Pubkey for an ed25519 key of 0 with a valid proof", async function () {
      const f = await loadStakingFixture(startedFixture);
      const staker = at(f.stakers, 0);
      await expect(
        f.rewards.connect(staker).addBLSPublicKey(keyOf(f, 0), popOf(f, 0, staker.address, 0n), nodeParams(0n), []),
      ).to.be.revertedWithCustomError(f.rewards, "NullEd25519Pubkey");
    });

    it("reverts Ed25519PubkeyAlreadyExists(id) for an ed25519 key registered already", async function () {
      const f = await loadStakingFixture(soloNodesFixture);
      const staker = at(f.stakers, 4);
      const taken = ED_BASE + 1n;
      await expect(
        f.rewards
          .connect(staker)
          .addBLSPublicKey(keyOf(f, 4), popOf(f, 4, staker.address, taken), nodeParams(taken), []),
      )
        .to.be.revertedWithCustomError(f.rewards, "Ed25519PubkeyAlreadyExists")
        .withArgs(2n);
    });

    it("reverts MaxPubkeyAggregationsExceeded for the 21st key added in one block", async function () {
      const f = await loadStakingFixture(startedFixture);
      const extra = { ...f, network: new SimulatedNetwork("aggregations", 21) };
      const calls = range(21).map((i) => {
        const staker = at(f.stakers, Math.floor(i / 7));
        const ed = 5_000n + BigInt(i);
        return { staker, key: keyOf(extra, i), pop: popOf(extra, i, staker.address, ed), params: nodeParams(ed) };
      });
      const start = await ethers.provider.getBlockNumber();
      const hashes: string[] = [];
      await hardhatNetwork.provider.send("evm_setAutomine", [false]);
      try {
        for (const { staker, key, pop, params } of calls.slice(0, 20)) {
          hashes.push(
            (await f.rewards.connect(staker).addBLSPublicKey(key, pop, params, [], { gasLimit: 1_500_000n })).hash,
          );
        }
        const last = at(calls, 20);
        await expect(
          f.rewards
            .connect(last.staker)
            .addBLSPublicKey.staticCall(last.key, last.pop, last.params, [], { blockTag: "pending" }),
        ).to.be.revertedWithCustomError(f.rewards, "MaxPubkeyAggregationsExceeded");
        hashes.push(
          (
            await f.rewards
              .connect(last.staker)
              .addBLSPublicKey(last.key, last.pop, last.params, [], { gasLimit: 1_500_000n })
          ).hash,
        );
        await hardhatNetwork.provider.send("evm_mine", []);
      } finally {
        await hardhatNetwork.provider.send("evm_setAutomine", [true]);
      }
      const receipts = await Promise.all(hashes.map((hash) => ethers.provider.getTransactionReceipt(hash)));
      expect(receipts.map((receipt) => receipt?.blockNumber)).to.deep.equal(hashes.map(() => start + 1));
      expect(receipts.map((receipt) => receipt?.status)).to.deep.equal([...hashes.slice(1).map(() => 1), 0]);
      expect(await f.rewards.totalNodes()).to.equal(20n);
      expect(await f.rewards.lastHeightPubkeyWasAggregated()).to.equal(BigInt(start + 1));
      expect(await f.rewards.numPubkeyAggregationsForHeight()).to.equal(20n);
      const last = at(calls, 20);
      await expect(f.rewards.connect(last.staker).addBLSPublicKey(last.key, last.pop, last.params, [])).to.emit(
        f.rewards,
        "NewServiceNodeV2",
      );
      expect(await f.rewards.numPubkeyAggregationsForHeight()).to.equal(1n);
    });

    it("reverts ContractNotStarted before start", async function () {
      const f = await loadStakingFixture(deployedFixture);
      const staker = at(f.stakers, 0);
      await expect(
        f.rewards
          .connect(staker)
          .addBLSPublicKey(keyOf(f, 0), popOf(f, 0, staker.address, ED_BASE), nodeParams(ED_BASE), []),
      ).to.be.revertedWithCustomError(f.rewards, "ContractNotStarted");
    });

    it("reverts EnforcedPause while paused", async function () {
      const f = await loadStakingFixture(startedFixture);
      const staker = at(f.stakers, 0);
      await f.rewards.connect(f.owner).pause();
      await expect(
        f.rewards
          .connect(staker)
          .addBLSPublicKey(keyOf(f, 0), popOf(f, 0, staker.address, ED_BASE), nodeParams(ED_BASE), []),
      ).to.be.revertedWithCustomError(f.rewards, "EnforcedPause");
    });
  });

  describe("#validateProofOfPossession", function () {
    it("returns for a valid proof", async function () {
      const f = await loadStakingFixture(startedFixture);
      const operator = at(f.stakers, 0).address;
      await f.rewards.validateProofOfPossession(keyOf(f, 3), popOf(f, 3, operator, 42n), operator, 42n);
    });

    it("reverts InvalidBLSProofOfPossession for another caller", async function () {
      const f = await loadStakingFixture(startedFixture);
      const operator = at(f.stakers, 0).address;
      await expect(
        f.rewards.validateProofOfPossession(keyOf(f, 3), popOf(f, 3, operator, 42n), at(f.stakers, 1).address, 42n),
      ).to.be.revertedWithCustomError(f.rewards, "InvalidBLSProofOfPossession");
    });
  });

  describe("#seedPublicKeyList", function () {
    it("adds the nodes in order with consecutive ids, emits NewSeededServiceNode each and moves no tokens", async function () {
      const f = await loadStakingFixture(deployedFixture);
      const added = BigInt(await time.latest()) - 10n * DAY;
      const seeds = range(3).map((i) => soloSeed(f, i, at(f.stakers, i).address, added));
      const tx = f.rewards.connect(f.owner).seedPublicKeyList(seeds);
      for (const i of range(3)) {
        await expect(tx)
          .to.emit(f.rewards, "NewSeededServiceNode")
          .withArgs(BigInt(i + 1), [keyOf(f, i).X, keyOf(f, i).Y], ED_BASE + BigInt(i));
      }
      await expect(tx).to.changeTokenBalances(
        f.sesh,
        [f.rewards, f.owner, ...f.stakers.slice(0, 3)],
        [0n, 0n, 0n, 0n, 0n],
      );
      const [ids] = await f.rewards.allServiceNodeIDs();
      expect(ids).to.deep.equal([1n, 2n, 3n]);
      const node = await f.rewards.serviceNodes(2n);
      expect(node.operator).to.equal(at(f.stakers, 1).address);
      expect(node.addedTimestamp).to.equal(added);
      expect([node.next, node.prev]).to.deep.equal([3n, 1n]);
      expect(node.deposit).to.equal(f.parameters.stakingRequirement);
      expect(await f.rewards.totalNodes()).to.equal(3n);
      expect(await f.rewards.nextServiceNodeID()).to.equal(4n);
      const aggregate = await f.rewards.aggregatePubkey();
      const expected = aggregateOf(f, range(3));
      expect([aggregate.X, aggregate.Y]).to.deep.equal([expected.X, expected.Y]);
      expect(await f.rewards.isStarted()).to.equal(false);
    });

    it("appends a second batch after the first", async function () {
      const f = await loadStakingFixture(deployedFixture);
      const added = BigInt(await time.latest());
      await f.rewards
        .connect(f.owner)
        .seedPublicKeyList(range(2).map((i) => soloSeed(f, i, at(f.stakers, i).address, added)));
      await f.rewards
        .connect(f.owner)
        .seedPublicKeyList(range(2, 2).map((i) => soloSeed(f, i, at(f.stakers, i).address, added)));
      const [ids, keys] = await f.rewards.allServiceNodeIDs();
      expect(ids).to.deep.equal([1n, 2n, 3n, 4n]);
      expect(keys.map((k) => k.X)).to.deep.equal(range(4).map((i) => keyOf(f, i).X));
      const sentinel = await f.rewards.serviceNodes(0n);
      expect([sentinel.next, sentinel.prev]).to.deep.equal([1n, 4n]);
      expect((await f.rewards.serviceNodes(2n)).next).to.equal(3n);
      expect((await f.rewards.serviceNodes(3n)).prev).to.equal(2n);
    });

    it("keeps several contributors, the first as operator, with no operator minimum", async function () {
      const f = await loadStakingFixture(seededFixture);
      const node = await f.rewards.serviceNodes(1n);
      const r = f.parameters.stakingRequirement;
      expect(node.operator).to.equal(at(f.stakers, 0).address);
      expect(node.contributors.map((c) => [c.staker.addr, c.staker.beneficiary, c.stakedAmount])).to.deep.equal([
        [at(f.stakers, 0).address, at(f.stakers, 0).address, (r * 6n) / 10n],
        [at(f.stakers, 1).address, at(f.stakers, 7).address, (r * 3n) / 10n],
        [at(f.stakers, 2).address, at(f.stakers, 2).address, r / 10n],
      ]);
      const f2 = await loadStakingFixture(deployedFixture);
      const seed = soloSeed(f2, 0, at(f2.stakers, 0).address, 0n);
      const small = [contributor(at(f2.stakers, 0).address, 1n), contributor(at(f2.stakers, 1).address, r - 1n)];
      await expect(f2.rewards.connect(f2.owner).seedPublicKeyList([{ ...seed, contributors: small }])).to.emit(
        f2.rewards,
        "NewSeededServiceNode",
      );
    });

    it("does nothing for an empty list", async function () {
      const f = await loadStakingFixture(deployedFixture);
      await f.rewards.connect(f.owner).seedPublicKeyList([]);
      expect(await f.rewards.totalNodes()).to.equal(0n);
      expect(await f.rewards.nextServiceNodeID()).to.equal(1n);
    });

    describe("reverts, and seeds nothing of the batch", function () {
      async function rejects(
        change: (f: StakingFixture, seed: ReturnType<typeof soloSeed>) => ReturnType<typeof soloSeed>[],
        error: string,
        args?: (f: StakingFixture) => Promise<unknown[]> | unknown[],
      ): Promise<void> {
        const f = await loadStakingFixture(deployedFixture);
        const seed = soloSeed(f, 0, at(f.stakers, 0).address, BigInt(await time.latest()) - DAY);
        const assertion = expect(
          f.rewards.connect(f.owner).seedPublicKeyList(change(f, seed)),
        ).to.be.revertedWithCustomError(f.rewards, error);
        if (args !== undefined) await assertion.withArgs(...(await args(f)));
        else await assertion;
        expect(await f.rewards.totalNodes()).to.equal(0n);
        expect(await f.rewards.nextServiceNodeID()).to.equal(1n);
      }

      it("reverts InsufficientContributors for a node without contributors", async function () {
        await rejects((_, seed) => [{ ...seed, contributors: [] }], "InsufficientContributors");
      });

      it("reverts MaxContributorsExceeded for more than maxContributors", async function () {
        await rejects(
          (f, seed) => [
            {
              ...seed,
              contributors: splitAmong(
                range(11).map(() => Wallet.createRandom().address),
                f.parameters.stakingRequirement,
              ),
            },
          ],
          "MaxContributorsExceeded",
        );
      });

      it("reverts NullAddress for a zero staker", async function () {
        await rejects(
          (f, seed) => [
            {
              ...seed,
              contributors: [contributor(ZeroAddress, f.parameters.stakingRequirement, at(f.stakers, 0).address)],
            },
          ],
          "NullAddress",
        );
      });

      it("reverts NullAddress for a zero beneficiary", async function () {
        await rejects(
          (f, seed) => [
            {
              ...seed,
              contributors: [contributor(at(f.stakers, 0).address, f.parameters.stakingRequirement, ZeroAddress)],
            },
          ],
          "NullAddress",
        );
      });

      it("reverts ContributorRepeated(index, address)", async function () {
        await rejects(
          (f, seed) => {
            const half = f.parameters.stakingRequirement / 2n;
            const a = at(f.stakers, 3).address;
            return [{ ...seed, contributors: [contributor(a, half), contributor(a, half)] }];
          },
          "ContributorRepeated",
          (f) => [1n, at(f.stakers, 3).address],
        );
      });

      it("reverts ZeroStake(index)", async function () {
        await rejects(
          (f, seed) => [
            {
              ...seed,
              contributors: [
                contributor(at(f.stakers, 0).address, 0n),
                contributor(at(f.stakers, 1).address, f.parameters.stakingRequirement),
              ],
            },
          ],
          "ZeroStake",
          () => [0n],
        );
      });

      it("reverts ContributionTotalMismatch(required, provided)", async function () {
        await rejects(
          (f, seed) => [
            { ...seed, contributors: [contributor(at(f.stakers, 0).address, f.parameters.stakingRequirement - 1n)] },
          ],
          "ContributionTotalMismatch",
          (f) => [f.parameters.stakingRequirement, f.parameters.stakingRequirement - 1n],
        );
      });

      it("reverts AddedTimestampInFuture(addedTimestamp, now) for a node added after the block", async function () {
        const f = await loadStakingFixture(deployedFixture);
        const now = BigInt(await time.latest()) + 100n;
        await time.setNextBlockTimestamp(now);
        const seed = soloSeed(f, 0, at(f.stakers, 0).address, now + 1n);
        await expect(f.rewards.connect(f.owner).seedPublicKeyList([seed]))
          .to.be.revertedWithCustomError(f.rewards, "AddedTimestampInFuture")
          .withArgs(now + 1n, now);
      });

      it("reverts NullBLSPubkey for the identity key", async function () {
        await rejects((_, seed) => [{ ...seed, blsPubkey: { X: 0n, Y: 0n } }], "NullBLSPubkey");
      });

      it("reverts NullEd25519Pubkey for an ed25519 key of 0", async function () {
        await rejects((_, seed) => [{ ...seed, ed25519Pubkey: 0n }], "NullEd25519Pubkey");
      });

      it("reverts G1PointNotOnCurve(x, y) for a key off the curve", async function () {
        await rejects(
          (_, seed) => [{ ...seed, blsPubkey: { X: 1n, Y: 1n } }],
          "G1PointNotOnCurve",
          () => [1n, 1n],
        );
      });

      it("reverts G1CoordinateNotInField(x, y) for a coordinate not below the field modulus", async function () {
        await rejects(
          (_, seed) => [{ ...seed, blsPubkey: { X: FIELD_MODULUS, Y: 1n } }],
          "G1CoordinateNotInField",
          () => [FIELD_MODULUS, 1n],
        );
      });

      it("reverts BLSPubkeyAlreadyExists(id) for a key repeated in the batch", async function () {
        await rejects(
          (_, seed) => [seed, { ...seed, ed25519Pubkey: 1n }],
          "BLSPubkeyAlreadyExists",
          () => [1n],
        );
      });

      it("reverts Ed25519PubkeyAlreadyExists(id) for an ed25519 key repeated in the batch", async function () {
        await rejects(
          (f, seed) => [
            seed,
            { ...soloSeed(f, 1, at(f.stakers, 1).address, seed.addedTimestamp), ed25519Pubkey: seed.ed25519Pubkey },
          ],
          "Ed25519PubkeyAlreadyExists",
          () => [1n],
        );
      });
    });

    it("reverts ContractAlreadyStarted after start", async function () {
      const f = await loadStakingFixture(startedFixture);
      await expect(
        f.rewards.connect(f.owner).seedPublicKeyList([soloSeed(f, 0, at(f.stakers, 0).address, 0n)]),
      ).to.be.revertedWithCustomError(f.rewards, "ContractAlreadyStarted");
    });

    it("reverts OwnableUnauthorizedAccount for another caller", async function () {
      const f = await loadStakingFixture(deployedFixture);
      const other = at(f.stakers, 0);
      await expect(f.rewards.connect(other).seedPublicKeyList([soloSeed(f, 0, other.address, 0n)]))
        .to.be.revertedWithCustomError(f.rewards, "OwnableUnauthorizedAccount")
        .withArgs(other.address);
    });
  });

  describe("#start", function () {
    it("starts the contract", async function () {
      const f = await loadStakingFixture(deployedFixture);
      expect(await f.rewards.isStarted()).to.equal(false);
      await f.rewards.connect(f.owner).start();
      expect(await f.rewards.isStarted()).to.equal(true);
    });

    it("reverts ContractAlreadyStarted the second time", async function () {
      const f = await loadStakingFixture(startedFixture);
      await expect(f.rewards.connect(f.owner).start()).to.be.revertedWithCustomError(
        f.rewards,
        "ContractAlreadyStarted",
      );
    });

    it("reverts OwnableUnauthorizedAccount for another caller", async function () {
      const f = await loadStakingFixture(deployedFixture);
      const other = at(f.stakers, 0);
      await expect(f.rewards.connect(other).start())
        .to.be.revertedWithCustomError(f.rewards, "OwnableUnauthorizedAccount")
        .withArgs(other.address);
    });

    it("keeps signatures and exits closed before it (ContractNotStarted)", async function () {
      const f = await loadStakingFixture(deployedFixture);
      const key = keyOf(f, 0);
      const recipient = at(f.stakers, 0).address;
      await expect(f.rewards.updateRewardsBalance(recipient, 1n, NO_SIGNATURE, [])).to.be.revertedWithCustomError(
        f.rewards,
        "ContractNotStarted",
      );
      await expect(f.rewards.initiateExitBLSPublicKey(1n)).to.be.revertedWithCustomError(
        f.rewards,
        "ContractNotStarted",
      );
      await expect(f.rewards.exitBLSPublicKeyAfterWaitTime(1n)).to.be.revertedWithCustomError(
        f.rewards,
        "ContractNotStarted",
      );
      await expect(f.rewards.exitBLSPublicKeyWithSignature(key, 0n, NO_SIGNATURE, [])).to.be.revertedWithCustomError(
        f.rewards,
        "ContractNotStarted",
      );
      await expect(
        f.rewards.liquidateBLSPublicKeyWithSignature(key, 0n, NO_SIGNATURE, []),
      ).to.be.revertedWithCustomError(f.rewards, "ContractNotStarted");
    });
  });

  describe("views", function () {
    it("serviceNodes(0) is the sentinel: the first and last ids, nothing else", async function () {
      const f = await loadStakingFixture(seededFixture);
      const sentinel = await f.rewards.serviceNodes(0n);
      expect([sentinel.next, sentinel.prev]).to.deep.equal([1n, BigInt(SEEDED)]);
      expect(sentinel.operator).to.equal(ZeroAddress);
      expect(sentinel.deposit).to.equal(0n);
      expect(sentinel.contributors).to.have.length(0);
      expect([sentinel.blsPubkey.X, sentinel.blsPubkey.Y]).to.deep.equal([0n, 0n]);
    });

    it("serviceNodes of an id never given is all zeros", async function () {
      const f = await loadStakingFixture(seededFixture);
      const node = await f.rewards.serviceNodes(99n);
      expect([node.next, node.prev, node.deposit, node.addedTimestamp, node.ed25519Pubkey]).to.deep.equal([
        0n,
        0n,
        0n,
        0n,
        0n,
      ]);
      expect(node.operator).to.equal(ZeroAddress);
      expect(node.contributors).to.have.length(0);
    });

    it("serviceNodeIDs maps abi.encode(key) to the id, and anything else to 0", async function () {
      const f = await loadStakingFixture(seededFixture);
      expect(await f.rewards.serviceNodeIDs(encodeKey(keyOf(f, 5)))).to.equal(6n);
      expect(await f.rewards.serviceNodeIDs(encodeKey(keyOf(f, 15)))).to.equal(0n);
      expect(await f.rewards.serviceNodeIDs("0x1234")).to.equal(0n);
      expect(await f.rewards.ed25519ToServiceNodeID(ED_BASE + 5n)).to.equal(6n);
      expect(await f.rewards.ed25519ToServiceNodeID(1n)).to.equal(0n);
    });

    it("blsNonSignerThreshold is min(totalNodes / 3, blsNonSignerThresholdMax)", async function () {
      const f = await loadStakingFixture(seededFixture);
      expect(await f.rewards.blsNonSignerThreshold()).to.equal(BigInt(SEEDED / 3));
      expect(await f.rewards.blsNonSignerThresholdMax()).to.equal(4_000n);
      await f.rewards.connect(f.owner).setBLSNonSignerThresholdMax(2n);
      expect(await f.rewards.blsNonSignerThreshold()).to.equal(2n);
      const g = await loadStakingFixture(soloNodesFixture);
      expect(await g.rewards.blsNonSignerThreshold()).to.equal(1n);
      const h = await loadStakingFixture(startedFixture);
      expect(await h.rewards.blsNonSignerThreshold()).to.equal(0n);
    });

    it("maxPermittedPubkeyAggregations is max(20, totalNodes × 2 / 100)", async function () {
      const f = await loadStakingFixture(seededFixture);
      expect(await f.rewards.maxPermittedPubkeyAggregations()).to.equal(20n);
      expect(await f.rewards.MAX_PERMITTED_PUBKEY_AGGREGATIONS_LOWER_BOUND()).to.equal(20n);
    });

    it("maxPermittedPubkeyAggregations and blsNonSignerThreshold follow the node count past their bounds", async function () {
      const f = await loadStakingFixture(deployedFixture);
      const count = 1_050;
      const staker = at(f.stakers, 0).address;
      const requirement = f.parameters.stakingRequirement;
      const seeds = range(count).map((i) => ({
        blsPubkey: toG1Struct(G1Point.BASE.multiply(BigInt(i + 1))),
        ed25519Pubkey: BigInt(i + 1),
        addedTimestamp: 0n,
        contributors: [contributor(staker, requirement)],
      }));
      for (let from = 0; from < count; from += 50) {
        await f.rewards.connect(f.owner).seedPublicKeyList(seeds.slice(from, from + 50));
      }
      expect(await f.rewards.totalNodes()).to.equal(BigInt(count));
      expect(await f.rewards.maxPermittedPubkeyAggregations()).to.equal(21n);
      expect(await f.rewards.blsNonSignerThreshold()).to.equal(350n);
      await f.rewards.connect(f.owner).setBLSNonSignerThresholdMax(100n);
      expect(await f.rewards.blsNonSignerThreshold()).to.equal(100n);
    });

    it("aggregatePubkey is the identity with no node", async function () {
      const f = await loadStakingFixture(startedFixture);
      const aggregate = await f.rewards.aggregatePubkey();
      expect([aggregate.X, aggregate.Y]).to.deep.equal([0n, 0n]);
      const [ids, keys] = await f.rewards.allServiceNodeIDs();
      expect(ids).to.have.length(0);
      expect(keys).to.have.length(0);
    });

    it("a solo node registered by addSolo is found by its keys", async function () {
      const f = await loadStakingFixture(startedFixture);
      await addSolo(f, 7, at(f.stakers, 3));
      expect(await f.rewards.serviceNodeIDs(encodeKey(keyOf(f, 7)))).to.equal(1n);
      expect(await f.rewards.ed25519ToServiceNodeID(ED_BASE + 7n)).to.equal(1n);
    });
  });
});

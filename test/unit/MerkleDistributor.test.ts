import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { ZeroAddress, ZeroHash } from "ethers";
import fc from "fast-check";
import { ethers } from "hardhat";

import { ATOMS_PER_SESH, SESH_TOTAL_SUPPLY } from "../../lib/amount";
import type { MerkleDistributor, ReentrantToken__Mock, SESH, WrappedOxen__Mock } from "../../typechain-types";
import { shouldBehaveLikeManaged } from "../behaviours/managed";
import { FC_SEED } from "../helpers/env";
import { restoreChainAfterSuite } from "../helpers/chain";

const DAY = 86_400n;
/** Vesting starts a day after deployment and lasts 100 days (an even number of seconds: halfway is exact). */
const VESTING_DELAY = DAY;
const VESTING_DURATION = 100n * DAY;
/** Claims close a year after deployment. */
const CLAIM_WINDOW = 365n * DAY;
/** Random timestamps checked against the TS reference of the vesting schedule. */
const RANDOM_TIMESTAMPS = 40;

const LEAF_TYPES = ["uint256", "address", "uint256"];

interface Award {
  readonly index: bigint;
  readonly account: string;
  readonly amount: bigint;
}

type Tree = StandardMerkleTree<(string | bigint)[]>;

function buildTree(awards: readonly Award[]): Tree {
  return StandardMerkleTree.of(
    awards.map((award) => [award.index, award.account, award.amount]),
    LEAF_TYPES,
  );
}

function proofOf(tree: Tree, award: Award): string[] {
  for (const [position, value] of tree.entries()) {
    if (value[0] === award.index) return tree.getProof(position);
  }
  throw new Error(`no leaf with index ${award.index}`);
}

/** OpenZeppelin VestingWallet's schedule: 0 before the start, linear (rounded down), everything from the end on. */
function vestedReference(awarded: bigint, start: bigint, duration: bigint, timestamp: bigint): bigint {
  if (timestamp < start) return 0n;
  if (timestamp - start >= duration) return awarded;
  return (awarded * (timestamp - start)) / duration;
}

interface Campaign {
  readonly token: SESH;
  readonly distributor: MerkleDistributor;
  readonly tree: Tree;
  readonly awards: readonly Award[];
  readonly funded: bigint;
  readonly owner: HardhatEthersSigner;
  readonly alice: HardhatEthersSigner;
  readonly bob: HardhatEthersSigner;
  readonly carol: HardhatEthersSigner;
  readonly stranger: HardhatEthersSigner;
  readonly recipient: HardhatEthersSigner;
  readonly deadline: bigint;
  readonly vestingStart: bigint;
  readonly vestingDuration: bigint;
}

async function signersOf(): Promise<HardhatEthersSigner[]> {
  const signers = await ethers.getSigners();
  if (signers.length < 6) throw new Error("the hardhat network needs at least 6 accounts");
  return signers;
}

async function deployCampaign(options: { withDeadline: boolean; withVesting: boolean }): Promise<Campaign> {
  const [owner, alice, bob, carol, stranger, recipient] = (await signersOf()) as [
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
  ];
  const token = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, owner.address, ZeroAddress, ZeroAddress]);
  // Index 300 sits in the second word of the claimed bitmap.
  const awards: Award[] = [
    { index: 0n, account: alice.address, amount: 1_000n * ATOMS_PER_SESH + 1n },
    { index: 1n, account: bob.address, amount: 2_500n * ATOMS_PER_SESH },
    { index: 2n, account: carol.address, amount: 333_333_333_333n },
    { index: 300n, account: stranger.address, amount: 7n },
  ];
  const tree = buildTree(awards);
  const now = BigInt(await time.latest());
  const vestingStart = options.withVesting ? now + VESTING_DELAY : 0n;
  const vestingDuration = options.withVesting ? VESTING_DURATION : 0n;
  const deadline = options.withDeadline ? now + CLAIM_WINDOW : 0n;
  const distributor = await ethers.deployContract("MerkleDistributor", [
    await token.getAddress(),
    tree.root,
    deadline,
    recipient.address,
    vestingStart,
    vestingDuration,
    owner.address,
  ]);
  const funded = awards.reduce((sum, award) => sum + award.amount, 0n);
  await token.transfer(await distributor.getAddress(), funded);
  return {
    token,
    distributor,
    tree,
    awards,
    funded,
    owner,
    alice,
    bob,
    carol,
    stranger,
    recipient,
    deadline,
    vestingStart,
    vestingDuration,
  };
}

async function immediateFixture(): Promise<Campaign> {
  return deployCampaign({ withDeadline: true, withVesting: false });
}
async function vestingFixture(): Promise<Campaign> {
  return deployCampaign({ withDeadline: true, withVesting: true });
}
async function openEndedFixture(): Promise<Campaign> {
  return deployCampaign({ withDeadline: false, withVesting: false });
}

function awardAt(campaign: Campaign, position: number): Award {
  const award = campaign.awards[position];
  if (award === undefined) throw new Error(`no award at position ${position}`);
  return award;
}

async function claimAward(campaign: Campaign, award: Award, sender?: HardhatEthersSigner) {
  const distributor = sender === undefined ? campaign.distributor : campaign.distributor.connect(sender);
  return distributor.claim(award.index, award.account, award.amount, proofOf(campaign.tree, award));
}

/** A second distributor of the campaign's parameters (over its tree, or another), funded with exactly `funding`. */
async function deploySibling(
  campaign: Campaign,
  funding: bigint,
  tree: Tree = campaign.tree,
): Promise<MerkleDistributor> {
  const distributor = await ethers.deployContract("MerkleDistributor", [
    await campaign.token.getAddress(),
    tree.root,
    campaign.deadline,
    campaign.recipient.address,
    campaign.vestingStart,
    campaign.vestingDuration,
    campaign.owner.address,
  ]);
  await campaign.token.transfer(await distributor.getAddress(), funding);
  return distributor;
}

/** The campaign's vesting schedule at `timestamp`, for `award`. */
function vestedOf(campaign: Campaign, award: Award, timestamp: bigint): bigint {
  return vestedReference(award.amount, campaign.vestingStart, campaign.vestingDuration, timestamp);
}

/** The campaign's awards, with one more for the zero address (index 4), as a careless builder would write it. */
const ZERO_ACCOUNT_INDEX = 4n;
function withZeroAccount(campaign: Campaign): { tree: Tree; award: Award } {
  const award: Award = { index: ZERO_ACCOUNT_INDEX, account: ZeroAddress, amount: 5n * ATOMS_PER_SESH };
  return { tree: buildTree([...campaign.awards, award]), award };
}

/** The campaign's tree and parameters over a token whose transfers call back (a malicious or ERC-777-like token). */
interface HookCampaign {
  readonly campaign: Campaign;
  readonly token: ReentrantToken__Mock;
  readonly distributor: MerkleDistributor;
}

async function deployHookCampaign(withVesting: boolean): Promise<HookCampaign> {
  const campaign = await deployCampaign({ withDeadline: true, withVesting });
  const token = await ethers.deployContract("ReentrantToken__Mock");
  const distributor = await ethers.deployContract("MerkleDistributor", [
    await token.getAddress(),
    campaign.tree.root,
    campaign.deadline,
    campaign.recipient.address,
    campaign.vestingStart,
    campaign.vestingDuration,
    campaign.owner.address,
  ]);
  await token.mint(await distributor.getAddress(), campaign.funded);
  return { campaign, token, distributor };
}
async function hookImmediateFixture(): Promise<HookCampaign> {
  return deployHookCampaign(false);
}
async function hookVestingFixture(): Promise<HookCampaign> {
  return deployHookCampaign(true);
}

/** Arms the token's hook to call the distributor back with `data` in the middle of its next transfer. */
async function armHook(hooked: HookCampaign, data: string): Promise<void> {
  await hooked.token.armHook(await hooked.distributor.getAddress(), data);
}

/** Checks that the hook fired and that its call back reverted with `error`. */
async function expectHookReverted(hooked: HookCampaign, error: string, args: readonly unknown[]): Promise<void> {
  const [called, succeeded, returned] = await hooked.token.hookOutcome();
  expect(called, "the hook fired").to.equal(true);
  expect(succeeded, "the re-entrant call succeeded").to.equal(false);
  expect(returned).to.equal(hooked.distributor.interface.encodeErrorResult(error, args));
}

/** A campaign without vesting holding, besides its own token, a token sent to it by mistake. */
const STRAY_AMOUNT = 1_234_567n;
interface StrayCampaign {
  readonly campaign: Campaign;
  readonly stray: WrappedOxen__Mock;
}
async function strayFixture(): Promise<StrayCampaign> {
  const campaign = await deployCampaign({ withDeadline: true, withVesting: false });
  const stray = await ethers.deployContract("WrappedOxen__Mock");
  await stray.mint(await campaign.distributor.getAddress(), STRAY_AMOUNT);
  return { campaign, stray };
}

/** The campaign with a stray token, as the behaviour of `Managed` sees it: the campaign token is owed as a whole. */
async function managedFixture() {
  const { campaign, stray } = await loadFixture(strayFixture);
  return { ...campaign, contract: campaign.distributor, other: campaign.stranger, stray };
}

/** Token balances of the distributor and every account the fixture knows. */
async function balances(campaign: Campaign): Promise<bigint[]> {
  const holders = [
    await campaign.distributor.getAddress(),
    campaign.owner.address,
    campaign.alice.address,
    campaign.bob.address,
    campaign.carol.address,
    campaign.stranger.address,
    campaign.recipient.address,
  ];
  return Promise.all(holders.map((holder) => campaign.token.balanceOf(holder)));
}

/** Runs a reverting action and checks that no token balance moved. */
async function expectNoTransfer(campaign: Campaign, action: () => Promise<void>): Promise<void> {
  const before = await balances(campaign);
  await action();
  expect(await balances(campaign)).to.deep.equal(before);
}

describe("MerkleDistributor", function () {
  restoreChainAfterSuite();

  shouldBehaveLikeManaged(managedFixture, {
    rescuable: (f) => [{ token: f.stray, surplus: STRAY_AMOUNT }],
    notRescuable: (f) => [f.token],
    pausedCalls: [
      { name: "claim", call: (f) => claimAward(f, awardAt(f, 0)) },
      { name: "release", call: (f) => f.distributor.release(f.alice.address) },
      { name: "sweep", call: (f) => f.distributor.sweep() },
    ],
  });

  describe("#constructor", function () {
    async function deployArgs() {
      const campaign = await loadFixture(vestingFixture);
      const factory = await ethers.getContractFactory("MerkleDistributor");
      const args = {
        token: await campaign.token.getAddress(),
        root: campaign.tree.root,
        deadline: campaign.deadline,
        recipient: campaign.recipient.address,
        start: campaign.vestingStart,
        duration: campaign.vestingDuration,
        owner: campaign.owner.address,
      };
      return { factory, args };
    }

    it("records the campaign's parameters", async function () {
      const { distributor, token, tree, deadline, recipient, vestingStart, vestingDuration, owner } =
        await loadFixture(vestingFixture);
      expect(await distributor.token()).to.equal(await token.getAddress());
      expect(await distributor.merkleRoot()).to.equal(tree.root);
      expect(await distributor.claimDeadline()).to.equal(deadline);
      expect(await distributor.sweepRecipient()).to.equal(recipient.address);
      expect(await distributor.vestingStart()).to.equal(vestingStart);
      expect(await distributor.vestingDuration()).to.equal(vestingDuration);
      expect(await distributor.owner()).to.equal(owner.address);
      expect(await distributor.paused()).to.equal(false);
    });

    it("reverts if the token is the zero address", async function () {
      const { factory, args } = await deployArgs();
      await expect(
        factory.deploy(ZeroAddress, args.root, args.deadline, args.recipient, args.start, args.duration, args.owner),
      )
        .to.be.revertedWithCustomError(factory, "InvalidToken")
        .withArgs(ZeroAddress);
    });

    it("reverts if the root is zero", async function () {
      const { factory, args } = await deployArgs();
      await expect(
        factory.deploy(args.token, ZeroHash, args.deadline, args.recipient, args.start, args.duration, args.owner),
      )
        .to.be.revertedWithCustomError(factory, "InvalidMerkleRoot")
        .withArgs(ZeroHash);
    });

    it("reverts if the sweep recipient is the zero address", async function () {
      const { factory, args } = await deployArgs();
      await expect(
        factory.deploy(args.token, args.root, args.deadline, ZeroAddress, args.start, args.duration, args.owner),
      )
        .to.be.revertedWithCustomError(factory, "InvalidSweepRecipient")
        .withArgs(ZeroAddress);
    });

    it("reverts if the owner is the zero address", async function () {
      const { factory, args } = await deployArgs();
      await expect(
        factory.deploy(args.token, args.root, args.deadline, args.recipient, args.start, args.duration, ZeroAddress),
      )
        .to.be.revertedWithCustomError(factory, "OwnableInvalidOwner")
        .withArgs(ZeroAddress);
    });

    it("reverts if a vesting start is given without a duration", async function () {
      const { factory, args } = await deployArgs();
      await expect(factory.deploy(args.token, args.root, args.deadline, args.recipient, args.start, 0n, args.owner))
        .to.be.revertedWithCustomError(factory, "VestingStartWithoutDuration")
        .withArgs(args.start);
    });

    it("finding 7: reverts if the vesting start is 0 with a duration", async function () {
      const { factory, args } = await deployArgs();
      await expect(factory.deploy(args.token, args.root, args.deadline, args.recipient, 0n, args.duration, args.owner))
        .to.be.revertedWithCustomError(factory, "ZeroVestingStart")
        .withArgs(args.duration);
    });

    it("accepts a vesting start in the past", async function () {
      const { factory, args } = await deployArgs();
      const deployed = await factory.deploy(
        args.token,
        args.root,
        args.deadline,
        args.recipient,
        1n,
        args.duration,
        args.owner,
      );
      expect(await deployed.vestingStart()).to.equal(1n);
    });

    it("reverts if the deadline is not after the vesting start", async function () {
      const { factory, args } = await deployArgs();
      await expect(
        factory.deploy(args.token, args.root, args.start, args.recipient, args.start, args.duration, args.owner),
      )
        .to.be.revertedWithCustomError(factory, "ClaimDeadlineNotAfterVestingStart")
        .withArgs(args.start, args.start);
    });

    it("accepts a deadline one second after the vesting start", async function () {
      const { factory, args } = await deployArgs();
      const deployed = await factory.deploy(
        args.token,
        args.root,
        args.start + 1n,
        args.recipient,
        args.start,
        args.duration,
        args.owner,
      );
      expect(await deployed.claimDeadline()).to.equal(args.start + 1n);
    });

    it("accepts vesting without a deadline", async function () {
      const { factory, args } = await deployArgs();
      const deployed = await factory.deploy(
        args.token,
        args.root,
        0n,
        args.recipient,
        args.start,
        args.duration,
        args.owner,
      );
      expect(await deployed.claimDeadline()).to.equal(0n);
    });
  });

  describe("#claim", function () {
    describe("when the campaign has no vesting", function () {
      it("transfers the amount to the account", async function () {
        const campaign = await loadFixture(immediateFixture);
        const award = awardAt(campaign, 0);
        await expect(claimAward(campaign, award)).to.changeTokenBalances(
          campaign.token,
          [campaign.distributor, campaign.alice],
          [-award.amount, award.amount],
        );
      });

      it("emits Claimed", async function () {
        const campaign = await loadFixture(immediateFixture);
        const award = awardAt(campaign, 1);
        await expect(claimAward(campaign, award))
          .to.emit(campaign.distributor, "Claimed")
          .withArgs(award.index, award.account, award.amount)
          .and.not.to.emit(campaign.distributor, "Released");
      });

      it("marks the index claimed, and only it", async function () {
        const campaign = await loadFixture(immediateFixture);
        const award = awardAt(campaign, 3);
        await claimAward(campaign, award);
        expect(await campaign.distributor.isClaimed(award.index)).to.equal(true);
        expect(await campaign.distributor.isClaimed(award.index - 256n)).to.equal(false);
        expect(await campaign.distributor.isClaimed(award.index + 1n)).to.equal(false);
      });

      it("pays the account when a third party submits the claim", async function () {
        const campaign = await loadFixture(immediateFixture);
        const award = awardAt(campaign, 0);
        await expect(claimAward(campaign, award, campaign.stranger)).to.changeTokenBalances(
          campaign.token,
          [campaign.alice, campaign.stranger],
          [award.amount, 0n],
        );
      });

      it("holds nothing back for vesting", async function () {
        const campaign = await loadFixture(immediateFixture);
        const award = awardAt(campaign, 0);
        await claimAward(campaign, award);
        expect(await campaign.distributor.awarded(award.account)).to.equal(0n);
        expect(await campaign.distributor.releasable(award.account)).to.equal(0n);
        expect(await campaign.distributor.totalAwarded()).to.equal(0n);
      });

      it("accepts a claim in the deadline's own second", async function () {
        const campaign = await loadFixture(immediateFixture);
        const award = awardAt(campaign, 0);
        await time.setNextBlockTimestamp(campaign.deadline);
        await expect(claimAward(campaign, award)).to.emit(campaign.distributor, "Claimed");
      });

      it("reverts if the index was already claimed", async function () {
        const campaign = await loadFixture(immediateFixture);
        const award = awardAt(campaign, 0);
        await claimAward(campaign, award);
        await expectNoTransfer(campaign, async () => {
          await expect(claimAward(campaign, award))
            .to.be.revertedWithCustomError(campaign.distributor, "AlreadyClaimed")
            .withArgs(award.index);
        });
      });

      it("reverts if the proof is another leaf's", async function () {
        const campaign = await loadFixture(immediateFixture);
        const award = awardAt(campaign, 0);
        const other = awardAt(campaign, 1);
        await expectNoTransfer(campaign, async () => {
          await expect(
            campaign.distributor.claim(award.index, award.account, award.amount, proofOf(campaign.tree, other)),
          )
            .to.be.revertedWithCustomError(campaign.distributor, "InvalidProof")
            .withArgs(award.index, award.account, award.amount);
        });
      });

      it("reverts if the account is not the leaf's", async function () {
        const campaign = await loadFixture(immediateFixture);
        const award = awardAt(campaign, 0);
        const thief = campaign.stranger.address;
        await expectNoTransfer(campaign, async () => {
          await expect(campaign.distributor.claim(award.index, thief, award.amount, proofOf(campaign.tree, award)))
            .to.be.revertedWithCustomError(campaign.distributor, "InvalidProof")
            .withArgs(award.index, thief, award.amount);
        });
      });

      it("reverts if the amount is not the leaf's", async function () {
        const campaign = await loadFixture(immediateFixture);
        const award = awardAt(campaign, 0);
        const more = award.amount + 1n;
        await expectNoTransfer(campaign, async () => {
          await expect(campaign.distributor.claim(award.index, award.account, more, proofOf(campaign.tree, award)))
            .to.be.revertedWithCustomError(campaign.distributor, "InvalidProof")
            .withArgs(award.index, award.account, more);
        });
      });

      it("reverts if the index is not the leaf's", async function () {
        const campaign = await loadFixture(immediateFixture);
        const award = awardAt(campaign, 0);
        const index = 5n;
        await expectNoTransfer(campaign, async () => {
          await expect(campaign.distributor.claim(index, award.account, award.amount, proofOf(campaign.tree, award)))
            .to.be.revertedWithCustomError(campaign.distributor, "InvalidProof")
            .withArgs(index, award.account, award.amount);
        });
      });

      it("reverts if the proof is empty", async function () {
        const campaign = await loadFixture(immediateFixture);
        const award = awardAt(campaign, 0);
        await expectNoTransfer(campaign, async () => {
          await expect(campaign.distributor.claim(award.index, award.account, award.amount, []))
            .to.be.revertedWithCustomError(campaign.distributor, "InvalidProof")
            .withArgs(award.index, award.account, award.amount);
        });
      });

      it("reverts if the deadline has passed", async function () {
        const campaign = await loadFixture(immediateFixture);
        const award = awardAt(campaign, 0);
        const late = campaign.deadline + 1n;
        await time.setNextBlockTimestamp(late);
        await expectNoTransfer(campaign, async () => {
          await expect(claimAward(campaign, award))
            .to.be.revertedWithCustomError(campaign.distributor, "ClaimDeadlinePassed")
            .withArgs(late, campaign.deadline);
        });
      });

      it("reverts while paused", async function () {
        const campaign = await loadFixture(immediateFixture);
        await campaign.distributor.pause();
        await expectNoTransfer(campaign, async () => {
          await expect(claimAward(campaign, awardAt(campaign, 0))).to.be.revertedWithCustomError(
            campaign.distributor,
            "EnforcedPause",
          );
        });
      });
    });

    describe("when the campaign has no deadline", function () {
      it("accepts claims long after deployment", async function () {
        const campaign = await loadFixture(openEndedFixture);
        const award = awardAt(campaign, 0);
        await time.increase(10n * CLAIM_WINDOW);
        await expect(claimAward(campaign, award)).to.changeTokenBalance(campaign.token, campaign.alice, award.amount);
      });
    });

    describe("when the campaign vests", function () {
      it("releases nothing at the vesting start and records the award", async function () {
        const campaign = await loadFixture(vestingFixture);
        const award = awardAt(campaign, 0);
        await time.setNextBlockTimestamp(campaign.vestingStart);
        await expect(claimAward(campaign, award))
          .to.emit(campaign.distributor, "Claimed")
          .withArgs(award.index, award.account, award.amount)
          .and.not.to.emit(campaign.distributor, "Released");
        expect(await campaign.token.balanceOf(award.account)).to.equal(0n);
        expect(await campaign.distributor.awarded(award.account)).to.equal(award.amount);
        expect(await campaign.distributor.totalAwarded()).to.equal(award.amount);
      });

      it("releases half halfway, rounded down", async function () {
        const campaign = await loadFixture(vestingFixture);
        const award = awardAt(campaign, 0);
        const halfway = campaign.vestingStart + campaign.vestingDuration / 2n;
        const half = award.amount / 2n;
        await time.setNextBlockTimestamp(halfway);
        await expect(claimAward(campaign, award))
          .to.emit(campaign.distributor, "Released")
          .withArgs(award.account, half);
        expect(await campaign.token.balanceOf(award.account)).to.equal(half);
        expect(await campaign.distributor.released(award.account)).to.equal(half);
        expect(await campaign.distributor.totalReleased()).to.equal(half);
      });

      it("releases everything after the end", async function () {
        const campaign = await loadFixture(vestingFixture);
        const award = awardAt(campaign, 1);
        await time.setNextBlockTimestamp(campaign.vestingStart + campaign.vestingDuration + 1n);
        await expect(claimAward(campaign, award)).to.changeTokenBalances(
          campaign.token,
          [campaign.distributor, campaign.bob],
          [-award.amount, award.amount],
        );
      });
    });
    describe("finding 6: an award to the zero address", function () {
      it("reverts with vesting, where the claim recorded an award nobody could ever release", async function () {
        const campaign = await loadFixture(vestingFixture);
        const { tree, award } = withZeroAccount(campaign);
        const distributor = await deploySibling(campaign, campaign.funded + award.amount, tree);
        // Before the vesting start nothing is paid, so nothing used to stop the claim.
        await expect(
          distributor.connect(campaign.stranger).claim(award.index, award.account, award.amount, proofOf(tree, award)),
        )
          .to.be.revertedWithCustomError(distributor, "ZeroAccount")
          .withArgs(award.index);
        expect(await distributor.isClaimed(award.index)).to.equal(false);
        expect(await distributor.totalAwarded()).to.equal(0n);
      });

      it("reverts without vesting", async function () {
        const campaign = await loadFixture(immediateFixture);
        const { tree, award } = withZeroAccount(campaign);
        const distributor = await deploySibling(campaign, campaign.funded + award.amount, tree);
        await expect(distributor.claim(award.index, award.account, award.amount, proofOf(tree, award)))
          .to.be.revertedWithCustomError(distributor, "ZeroAccount")
          .withArgs(award.index);
        expect(await campaign.token.balanceOf(await distributor.getAddress())).to.equal(campaign.funded + award.amount);
      });
    });

    describe("slipped past: the pool check", function () {
      describe("when the campaign has no vesting", function () {
        it("pays an award that costs exactly the balance, leaving 0", async function () {
          const campaign = await loadFixture(immediateFixture);
          const award = awardAt(campaign, 0);
          const distributor = await deploySibling(campaign, award.amount);
          await expect(
            distributor.claim(award.index, award.account, award.amount, proofOf(campaign.tree, award)),
          ).to.changeTokenBalances(campaign.token, [distributor, campaign.alice], [-award.amount, award.amount]);
          expect(await campaign.token.balanceOf(await distributor.getAddress())).to.equal(0n);
        });

        it("reverts if the balance is one atom short, naming both amounts", async function () {
          const campaign = await loadFixture(immediateFixture);
          const award = awardAt(campaign, 0);
          const distributor = await deploySibling(campaign, award.amount - 1n);
          await expect(distributor.claim(award.index, award.account, award.amount, proofOf(campaign.tree, award)))
            .to.be.revertedWithCustomError(distributor, "InsufficientPool")
            .withArgs(award.amount, award.amount - 1n);
          expect(await distributor.isClaimed(award.index)).to.equal(false);
        });
      });

      describe("when the campaign vests", function () {
        it("pays a mid-vesting claim whose vested part is exactly the balance, leaving 0", async function () {
          const campaign = await loadFixture(vestingFixture);
          const award = awardAt(campaign, 2);
          const at = campaign.vestingStart + campaign.vestingDuration / 3n + 1n;
          const due = vestedOf(campaign, award, at);
          const distributor = await deploySibling(campaign, due);
          await time.setNextBlockTimestamp(at);
          await expect(
            distributor.claim(award.index, award.account, award.amount, proofOf(campaign.tree, award)),
          ).to.changeTokenBalances(campaign.token, [distributor, campaign.carol], [-due, due]);
          expect(await campaign.token.balanceOf(await distributor.getAddress())).to.equal(0n);
        });

        it("reverts if the balance is one atom short of the vested part, naming both amounts", async function () {
          const campaign = await loadFixture(vestingFixture);
          const award = awardAt(campaign, 2);
          const at = campaign.vestingStart + campaign.vestingDuration / 3n + 1n;
          const due = vestedOf(campaign, award, at);
          const distributor = await deploySibling(campaign, due - 1n);
          await time.setNextBlockTimestamp(at);
          await expect(distributor.claim(award.index, award.account, award.amount, proofOf(campaign.tree, award)))
            .to.be.revertedWithCustomError(distributor, "InsufficientPool")
            .withArgs(due, due - 1n);
          expect(await distributor.isClaimed(award.index)).to.equal(false);
          expect(await distributor.awarded(award.account)).to.equal(0n);
        });
      });
    });

    describe("when a third party front-runs the claim", function () {
      it("pays the account, not the front-runner, and the account's own claim then reverts", async function () {
        const campaign = await loadFixture(immediateFixture);
        const award = awardAt(campaign, 0);
        await expect(claimAward(campaign, award, campaign.stranger)).to.changeTokenBalances(
          campaign.token,
          [campaign.distributor, campaign.alice, campaign.stranger],
          [-award.amount, award.amount, 0n],
        );
        await expectNoTransfer(campaign, async () => {
          await expect(claimAward(campaign, award, campaign.alice))
            .to.be.revertedWithCustomError(campaign.distributor, "AlreadyClaimed")
            .withArgs(award.index);
        });
      });

      it("pays a vesting award exactly as if the account had claimed it itself", async function () {
        const campaign = await loadFixture(vestingFixture);
        const award = awardAt(campaign, 1);
        const at = campaign.vestingStart + campaign.vestingDuration / 5n + 7n;
        const due = vestedOf(campaign, award, at);
        await time.setNextBlockTimestamp(at);
        await expect(claimAward(campaign, award, campaign.stranger)).to.changeTokenBalances(
          campaign.token,
          [campaign.distributor, campaign.bob, campaign.stranger],
          [-due, due, 0n],
        );
        expect(await campaign.distributor.awarded(award.account)).to.equal(award.amount);
        expect(await campaign.distributor.awarded(campaign.stranger.address)).to.equal(0n);
        await time.increaseTo(campaign.vestingStart + campaign.vestingDuration);
        await campaign.distributor.connect(campaign.stranger).release(award.account);
        expect(await campaign.token.balanceOf(award.account)).to.equal(award.amount);
        expect(await campaign.token.balanceOf(campaign.stranger.address)).to.equal(0n);
      });
    });

    describe("when the token calls back during the transfer (re-entrancy)", function () {
      it("refuses a second claim of the same award from inside the transfer", async function () {
        const hooked = await loadFixture(hookImmediateFixture);
        const award = awardAt(hooked.campaign, 0);
        const proof = proofOf(hooked.campaign.tree, award);
        const args: [bigint, string, bigint, string[]] = [award.index, award.account, award.amount, proof];
        await armHook(hooked, hooked.distributor.interface.encodeFunctionData("claim", args));
        await hooked.distributor.connect(hooked.campaign.stranger).claim(...args);
        await expectHookReverted(hooked, "AlreadyClaimed", [award.index]);
        expect(await hooked.token.balanceOf(award.account)).to.equal(award.amount);
        expect(await hooked.token.balanceOf(await hooked.distributor.getAddress())).to.equal(
          hooked.campaign.funded - award.amount,
        );
      });

      it("refuses a release from inside a mid-vesting claim's transfer", async function () {
        const hooked = await loadFixture(hookVestingFixture);
        const { campaign } = hooked;
        const award = awardAt(campaign, 0);
        const at = campaign.vestingStart + campaign.vestingDuration / 4n + 9n;
        await armHook(hooked, hooked.distributor.interface.encodeFunctionData("release", [award.account]));
        await time.setNextBlockTimestamp(at);
        await hooked.distributor.claim(award.index, award.account, award.amount, proofOf(campaign.tree, award));
        await expectHookReverted(hooked, "NothingToRelease", [award.account]);
        expect(await hooked.token.balanceOf(award.account)).to.equal(vestedOf(campaign, award, at));
        expect(await hooked.distributor.released(award.account)).to.equal(vestedOf(campaign, award, at));
      });

      it("refuses a sweep from inside the transfer: the token is not the owner", async function () {
        const hooked = await loadFixture(hookImmediateFixture);
        const award = awardAt(hooked.campaign, 1);
        await armHook(hooked, hooked.distributor.interface.encodeFunctionData("sweep"));
        await hooked.distributor.claim(award.index, award.account, award.amount, proofOf(hooked.campaign.tree, award));
        await expectHookReverted(hooked, "OwnableUnauthorizedAccount", [await hooked.token.getAddress()]);
        expect(await hooked.token.balanceOf(hooked.campaign.recipient.address)).to.equal(0n);
      });
    });
  });

  describe("#release", function () {
    describe("when the campaign vests", function () {
      it("pays the account the vested part when a third party calls it", async function () {
        const campaign = await loadFixture(vestingFixture);
        const award = awardAt(campaign, 2);
        await claimAward(campaign, award);
        const at = campaign.vestingStart + campaign.vestingDuration / 4n + 3n;
        const due = vestedReference(award.amount, campaign.vestingStart, campaign.vestingDuration, at);
        await time.setNextBlockTimestamp(at);
        await expect(campaign.distributor.connect(campaign.stranger).release(award.account)).to.changeTokenBalances(
          campaign.token,
          [campaign.distributor, campaign.carol, campaign.stranger],
          [-due, due, 0n],
        );
      });

      it("emits Released", async function () {
        const campaign = await loadFixture(vestingFixture);
        const award = awardAt(campaign, 0);
        await claimAward(campaign, award);
        await time.setNextBlockTimestamp(campaign.vestingStart + campaign.vestingDuration);
        await expect(campaign.distributor.release(award.account))
          .to.emit(campaign.distributor, "Released")
          .withArgs(award.account, award.amount);
      });

      it("pays only what vested since the last release", async function () {
        const campaign = await loadFixture(vestingFixture);
        const award = awardAt(campaign, 0);
        const first = campaign.vestingStart + campaign.vestingDuration / 3n;
        const second = campaign.vestingStart + (2n * campaign.vestingDuration) / 3n + 1n;
        await time.setNextBlockTimestamp(first);
        await claimAward(campaign, award);
        const paid = vestedReference(award.amount, campaign.vestingStart, campaign.vestingDuration, first);
        const due = vestedReference(award.amount, campaign.vestingStart, campaign.vestingDuration, second) - paid;
        await time.setNextBlockTimestamp(second);
        await expect(campaign.distributor.release(award.account)).to.changeTokenBalance(
          campaign.token,
          campaign.alice,
          due,
        );
        expect(await campaign.token.balanceOf(award.account)).to.equal(paid + due);
      });

      it("slipped past: pays a mid-vesting claim and several releases exactly the award, tracking released", async function () {
        const campaign = await loadFixture(vestingFixture);
        const award = awardAt(campaign, 2);
        const { vestingStart: start, vestingDuration: duration } = campaign;
        const claimAt = start + duration / 7n;
        // Uneven steps, each rounding down somewhere else, and the last one after the end of the vesting.
        const releases = [
          start + (2n * duration) / 7n + 3n,
          start + duration / 2n + 1n,
          start + (5n * duration) / 6n + 1n,
        ];
        const end = start + duration + 1n;
        await time.setNextBlockTimestamp(claimAt);
        await claimAward(campaign, award);
        let paid = vestedOf(campaign, award, claimAt);
        expect(await campaign.distributor.released(award.account), "after the claim").to.equal(paid);
        for (const at of releases) {
          const due = vestedOf(campaign, award, at) - paid;
          await time.setNextBlockTimestamp(at);
          await expect(campaign.distributor.release(award.account))
            .to.emit(campaign.distributor, "Released")
            .withArgs(award.account, due);
          paid += due;
          expect(await campaign.distributor.released(award.account), `at ${at}`).to.equal(paid);
          expect(await campaign.distributor.totalReleased(), `at ${at}`).to.equal(paid);
          expect(await campaign.token.balanceOf(award.account), `at ${at}`).to.equal(paid);
        }
        const last = award.amount - paid;
        expect(last).to.be.greaterThan(0n);
        await time.setNextBlockTimestamp(end);
        await expect(campaign.distributor.release(award.account))
          .to.emit(campaign.distributor, "Released")
          .withArgs(award.account, last);
        expect(await campaign.distributor.released(award.account)).to.equal(award.amount);
        expect(await campaign.token.balanceOf(award.account)).to.equal(award.amount);
        expect(await campaign.distributor.releasable(award.account)).to.equal(0n);
      });

      it("slipped past: pays a release that costs exactly the balance, leaving 0", async function () {
        const campaign = await loadFixture(vestingFixture);
        const award = awardAt(campaign, 2);
        const claimAt = campaign.vestingStart + campaign.vestingDuration / 4n;
        const releaseAt = campaign.vestingStart + (3n * campaign.vestingDuration) / 4n + 5n;
        const first = vestedOf(campaign, award, claimAt);
        const due = vestedOf(campaign, award, releaseAt) - first;
        const distributor = await deploySibling(campaign, first + due);
        await time.setNextBlockTimestamp(claimAt);
        await distributor.claim(award.index, award.account, award.amount, proofOf(campaign.tree, award));
        await time.setNextBlockTimestamp(releaseAt);
        await expect(distributor.release(award.account)).to.changeTokenBalances(
          campaign.token,
          [distributor, campaign.carol],
          [-due, due],
        );
        expect(await campaign.token.balanceOf(await distributor.getAddress())).to.equal(0n);
      });

      it("slipped past: reverts if the balance is one atom short of the release, naming both amounts", async function () {
        const campaign = await loadFixture(vestingFixture);
        const award = awardAt(campaign, 2);
        const claimAt = campaign.vestingStart + campaign.vestingDuration / 4n;
        const releaseAt = campaign.vestingStart + (3n * campaign.vestingDuration) / 4n + 5n;
        const first = vestedOf(campaign, award, claimAt);
        const due = vestedOf(campaign, award, releaseAt) - first;
        const distributor = await deploySibling(campaign, first + due - 1n);
        await time.setNextBlockTimestamp(claimAt);
        await distributor.claim(award.index, award.account, award.amount, proofOf(campaign.tree, award));
        await time.setNextBlockTimestamp(releaseAt);
        await expect(distributor.release(award.account))
          .to.be.revertedWithCustomError(distributor, "InsufficientPool")
          .withArgs(due, due - 1n);
        expect(await distributor.released(award.account)).to.equal(first);
      });

      it("refuses a release from inside its own transfer (re-entrancy)", async function () {
        const hooked = await loadFixture(hookVestingFixture);
        const { campaign } = hooked;
        const award = awardAt(campaign, 1);
        await hooked.distributor.claim(award.index, award.account, award.amount, proofOf(campaign.tree, award));
        const at = campaign.vestingStart + campaign.vestingDuration / 2n + 11n;
        await armHook(hooked, hooked.distributor.interface.encodeFunctionData("release", [award.account]));
        await time.setNextBlockTimestamp(at);
        await hooked.distributor.release(award.account);
        await expectHookReverted(hooked, "NothingToRelease", [award.account]);
        expect(await hooked.token.balanceOf(award.account)).to.equal(vestedOf(campaign, award, at));
      });

      it("reverts if nothing has vested yet", async function () {
        const campaign = await loadFixture(vestingFixture);
        const award = awardAt(campaign, 0);
        await claimAward(campaign, award);
        await expectNoTransfer(campaign, async () => {
          await expect(campaign.distributor.release(award.account))
            .to.be.revertedWithCustomError(campaign.distributor, "NothingToRelease")
            .withArgs(award.account);
        });
      });

      it("reverts if everything was released", async function () {
        const campaign = await loadFixture(vestingFixture);
        const award = awardAt(campaign, 0);
        await time.setNextBlockTimestamp(campaign.vestingStart + campaign.vestingDuration);
        await claimAward(campaign, award);
        await expectNoTransfer(campaign, async () => {
          await expect(campaign.distributor.release(award.account))
            .to.be.revertedWithCustomError(campaign.distributor, "NothingToRelease")
            .withArgs(award.account);
        });
      });

      it("reverts if the account never claimed", async function () {
        const campaign = await loadFixture(vestingFixture);
        await time.increaseTo(campaign.vestingStart + campaign.vestingDuration);
        await expectNoTransfer(campaign, async () => {
          await expect(campaign.distributor.release(campaign.bob.address))
            .to.be.revertedWithCustomError(campaign.distributor, "NothingToRelease")
            .withArgs(campaign.bob.address);
        });
      });

      it("reverts while paused", async function () {
        const campaign = await loadFixture(vestingFixture);
        const award = awardAt(campaign, 0);
        await claimAward(campaign, award);
        await time.increaseTo(campaign.vestingStart + campaign.vestingDuration);
        await campaign.distributor.pause();
        await expectNoTransfer(campaign, async () => {
          await expect(campaign.distributor.release(award.account)).to.be.revertedWithCustomError(
            campaign.distributor,
            "EnforcedPause",
          );
        });
      });
    });

    describe("when the campaign has no vesting", function () {
      it("reverts after a claim, which paid everything", async function () {
        const campaign = await loadFixture(immediateFixture);
        const award = awardAt(campaign, 0);
        await claimAward(campaign, award);
        await expectNoTransfer(campaign, async () => {
          await expect(campaign.distributor.release(award.account))
            .to.be.revertedWithCustomError(campaign.distributor, "NothingToRelease")
            .withArgs(award.account);
        });
      });
    });
  });

  describe("#vestedAmount", function () {
    it("matches the reference at every boundary, ±1 s, and at random timestamps", async function () {
      const campaign = await loadFixture(vestingFixture);
      const award = awardAt(campaign, 2);
      await claimAward(campaign, award);
      const start = campaign.vestingStart;
      const end = start + campaign.vestingDuration;
      const boundaries = [
        0n,
        start - 1n,
        start,
        start + 1n,
        start + campaign.vestingDuration / 2n,
        end - 1n,
        end,
        end + 1n,
      ];
      const random = fc.sample(fc.bigInt({ min: start - DAY, max: end + DAY }), {
        seed: FC_SEED,
        numRuns: RANDOM_TIMESTAMPS,
      });
      for (const timestamp of [...boundaries, ...random]) {
        expect(await campaign.distributor.vestedAmount(award.account, timestamp), `at ${timestamp}`).to.equal(
          vestedReference(award.amount, start, campaign.vestingDuration, timestamp),
        );
      }
    });

    it("reads 0 for an account without a claim", async function () {
      const campaign = await loadFixture(vestingFixture);
      const end = campaign.vestingStart + campaign.vestingDuration;
      expect(await campaign.distributor.vestedAmount(campaign.alice.address, end)).to.equal(0n);
    });

    it("is what releasable reads now, minus releases", async function () {
      const campaign = await loadFixture(vestingFixture);
      const award = awardAt(campaign, 0);
      await time.setNextBlockTimestamp(campaign.vestingStart + 1_000n);
      await claimAward(campaign, award);
      await time.increase(5_000n);
      const now = BigInt(await time.latest());
      const vested = await campaign.distributor.vestedAmount(award.account, now);
      const released = await campaign.distributor.released(award.account);
      expect(await campaign.distributor.releasable(award.account)).to.equal(vested - released);
      expect(vested - released).to.be.greaterThan(0n);
    });
  });

  describe("#sweep", function () {
    it("reverts if the campaign has no deadline", async function () {
      const campaign = await loadFixture(openEndedFixture);
      await expectNoTransfer(campaign, async () => {
        await expect(campaign.distributor.sweep()).to.be.revertedWithCustomError(
          campaign.distributor,
          "NoClaimDeadline",
        );
      });
    });

    it("reverts if the deadline has not passed", async function () {
      const campaign = await loadFixture(immediateFixture);
      await time.setNextBlockTimestamp(campaign.deadline);
      await expectNoTransfer(campaign, async () => {
        await expect(campaign.distributor.sweep())
          .to.be.revertedWithCustomError(campaign.distributor, "ClaimDeadlineNotPassed")
          .withArgs(campaign.deadline, campaign.deadline);
      });
    });

    it("reverts if the caller is not the owner", async function () {
      const campaign = await loadFixture(immediateFixture);
      await time.increaseTo(campaign.deadline + 1n);
      await expectNoTransfer(campaign, async () => {
        await expect(campaign.distributor.connect(campaign.stranger).sweep())
          .to.be.revertedWithCustomError(campaign.distributor, "OwnableUnauthorizedAccount")
          .withArgs(campaign.stranger.address);
      });
    });

    it("finding 7: reverts while paused, after the deadline", async function () {
      const campaign = await loadFixture(immediateFixture);
      await time.increaseTo(campaign.deadline + 1n);
      await campaign.distributor.pause();
      await expectNoTransfer(campaign, async () => {
        await expect(campaign.distributor.sweep()).to.be.revertedWithCustomError(campaign.distributor, "EnforcedPause");
      });
    });

    it("finding 7: sweeps once unpaused", async function () {
      const campaign = await loadFixture(immediateFixture);
      await time.increaseTo(campaign.deadline + 1n);
      await campaign.distributor.pause();
      await campaign.distributor.unpause();
      await expect(campaign.distributor.sweep())
        .to.emit(campaign.distributor, "Swept")
        .withArgs(campaign.recipient.address, campaign.funded);
    });

    it("finding 7: a pause over the deadline does not extend it", async function () {
      const campaign = await loadFixture(immediateFixture);
      await campaign.distributor.pause();
      await time.increaseTo(campaign.deadline + 1n);
      await campaign.distributor.unpause();
      const late = campaign.deadline + 10n;
      await time.setNextBlockTimestamp(late);
      await expect(claimAward(campaign, awardAt(campaign, 0)))
        .to.be.revertedWithCustomError(campaign.distributor, "ClaimDeadlinePassed")
        .withArgs(late, campaign.deadline);
    });

    describe("when the campaign has no vesting", function () {
      it("moves the unclaimed awards to the recipient", async function () {
        const campaign = await loadFixture(immediateFixture);
        const claimed = awardAt(campaign, 0);
        await claimAward(campaign, claimed);
        await time.increaseTo(campaign.deadline + 1n);
        const rest = campaign.funded - claimed.amount;
        await expect(campaign.distributor.sweep()).to.changeTokenBalances(
          campaign.token,
          [campaign.distributor, campaign.recipient],
          [-rest, rest],
        );
      });

      it("emits Swept", async function () {
        const campaign = await loadFixture(immediateFixture);
        await time.increaseTo(campaign.deadline + 1n);
        await expect(campaign.distributor.sweep())
          .to.emit(campaign.distributor, "Swept")
          .withArgs(campaign.recipient.address, campaign.funded);
      });
    });

    describe("when the campaign vests", function () {
      it("leaves what claimed awards still owe", async function () {
        const campaign = await loadFixture(vestingFixture);
        const award = awardAt(campaign, 1);
        const at = campaign.vestingStart + campaign.vestingDuration / 10n;
        await time.setNextBlockTimestamp(at);
        await claimAward(campaign, award);
        const paid = vestedReference(award.amount, campaign.vestingStart, campaign.vestingDuration, at);
        await time.increaseTo(campaign.deadline + 1n);
        const owed = award.amount - paid;
        const rest = campaign.funded - award.amount;
        await expect(campaign.distributor.sweep()).to.changeTokenBalances(
          campaign.token,
          [campaign.distributor, campaign.recipient],
          [-rest, rest],
        );
        expect(await campaign.token.balanceOf(await campaign.distributor.getAddress())).to.equal(owed);
      });

      it("still lets the claimant release the rest after a sweep", async function () {
        const campaign = await loadFixture(vestingFixture);
        const award = awardAt(campaign, 1);
        await claimAward(campaign, award);
        await time.increaseTo(campaign.deadline + 1n);
        await campaign.distributor.sweep();
        // The vesting ended before the deadline: everything is releasable now.
        await campaign.distributor.release(award.account);
        expect(await campaign.token.balanceOf(award.account)).to.equal(award.amount);
        expect(await campaign.token.balanceOf(await campaign.distributor.getAddress())).to.equal(0n);
      });

      it("sweeps nothing when the balance does not cover what is owed", async function () {
        const campaign = await loadFixture(vestingFixture);
        const factory = await ethers.getContractFactory("MerkleDistributor");
        const underfunded = await factory.deploy(
          await campaign.token.getAddress(),
          campaign.tree.root,
          campaign.deadline,
          campaign.recipient.address,
          campaign.vestingStart,
          campaign.vestingDuration,
          campaign.owner.address,
        );
        const award = awardAt(campaign, 1);
        await campaign.token.transfer(await underfunded.getAddress(), award.amount - 1n);
        // The award is recorded at claim (nothing vested yet), though the contract could not pay all of it.
        await underfunded.claim(award.index, award.account, award.amount, proofOf(campaign.tree, award));
        await time.increaseTo(campaign.deadline + 1n);
        await expect(underfunded.sweep()).to.emit(underfunded, "Swept").withArgs(campaign.recipient.address, 0n);
        expect(await campaign.token.balanceOf(campaign.recipient.address)).to.equal(0n);
        expect(await campaign.token.balanceOf(await underfunded.getAddress())).to.equal(award.amount - 1n);
      });
    });
  });

  describe("#rescueERC20", function () {
    it("finding 7: leaves the campaign token alone when it returns a stray token", async function () {
      const { campaign, stray } = await loadFixture(strayFixture);
      await expectNoTransfer(campaign, async () => {
        await expect(
          campaign.distributor.rescueERC20(await stray.getAddress(), campaign.carol.address, STRAY_AMOUNT),
        ).to.changeTokenBalances(stray, [campaign.distributor, campaign.carol], [-STRAY_AMOUNT, STRAY_AMOUNT]);
      });
    });

    it("finding 7: reverts for the campaign token after the deadline too (sweep is its way out)", async function () {
      const { campaign } = await loadFixture(strayFixture);
      const token = await campaign.token.getAddress();
      await time.increaseTo(campaign.deadline + 1n);
      await expectNoTransfer(campaign, async () => {
        await expect(campaign.distributor.rescueERC20(token, campaign.recipient.address, campaign.funded))
          .to.be.revertedWithCustomError(campaign.distributor, "TokenNotRescuable")
          .withArgs(token);
      });
    });
  });

  describe("finding 7: the claim deadline is fixed at deployment (the trust model)", function () {
    it("has no function that could set, move or remove it", async function () {
      const { distributor } = await loadFixture(immediateFixture);
      const writes: string[] = [];
      distributor.interface.forEachFunction((fragment) => {
        if (!fragment.constant) writes.push(fragment.name);
      });
      expect(writes.sort()).to.deep.equal(
        ["acceptOwnership", "claim", "pause", "release", "rescueERC20", "sweep", "transferOwnership", "unpause"].sort(),
      );
    });

    it("keeps the surplus of a campaign without a deadline: neither sweep nor rescue can move it", async function () {
      const campaign = await loadFixture(openEndedFixture);
      const token = await campaign.token.getAddress();
      await time.increase(10n * CLAIM_WINDOW);
      await expectNoTransfer(campaign, async () => {
        await expect(campaign.distributor.sweep()).to.be.revertedWithCustomError(
          campaign.distributor,
          "NoClaimDeadline",
        );
        await expect(campaign.distributor.rescueERC20(token, campaign.recipient.address, campaign.funded))
          .to.be.revertedWithCustomError(campaign.distributor, "TokenNotRescuable")
          .withArgs(token);
      });
    });
  });

  describe("#unpause", function () {
    it("lets claims through again", async function () {
      const campaign = await loadFixture(immediateFixture);
      const award = awardAt(campaign, 0);
      await campaign.distributor.pause();
      await campaign.distributor.unpause();
      await expect(claimAward(campaign, award)).to.changeTokenBalance(campaign.token, campaign.alice, award.amount);
    });
  });
});

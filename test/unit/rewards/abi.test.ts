import { expect } from "chai";
import { Interface, ZeroAddress } from "ethers";
import { ethers, upgrades } from "hardhat";

import { TAG_BASES, buildTag, domainTags } from "../../../lib/bls";
import { compareWithProductionAbi } from "../../helpers/abi";
import { restoreChainAfterSuite } from "../../helpers/chain";
import { loadStakingFixture, type StakingFixture } from "../../helpers/staking";
import { ServiceNodeRewards__factory, TestnetServiceNodeRewards__factory } from "../../../typechain-types";
import { DAY, HOUR, SESH, at, suiteFixtures } from "./fixtures";

const { deployedFixture } = suiteFixtures();

/** Functions that are `view` in ours and nonpayable in production: both always revert or only read. */
const STRICTER = ["renounceOwnership", "validateProofOfPossession"] as const;
/** OpenZeppelin 5.0.2's errors that OpenZeppelin 5.7 renamed (FailedCall, InsufficientBalance) or dropped. */
const OZ_ERRORS = ["AddressInsufficientBalance", "FailedInnerCall"] as const;

const DIFFERENCES = [
  "function renounceOwnership() is view instead of nonpayable",
  "function validateProofOfPossession((uint256,uint256),(uint256,uint256,uint256,uint256),address,uint256) is view " +
    "instead of nonpayable",
  "error AddressInsufficientBalance(address) is missing",
  "error FailedInnerCall() is missing",
];

type InitArgs = [string, string, bigint, bigint, bigint, bigint, bigint];

/** The initialize arguments of the fixture's deployment, with `changes` (by position) applied. */
function initArgs(f: StakingFixture, changes: Partial<Record<number, bigint | string>> = {}): InitArgs {
  const p = f.parameters;
  const pick = <T extends bigint | string>(i: number, value: T): T => (changes[i] ?? value) as T;
  return [
    pick(0, f.sesh.target as string),
    pick(1, f.poolAddress),
    pick(2, p.stakingRequirement),
    pick(3, BigInt(p.maxContributors)),
    pick(4, BigInt(p.liquidatorRewardRatio)),
    pick(5, BigInt(p.poolShareOfLiquidationRatio)),
    pick(6, BigInt(p.recipientRatio)),
  ];
}

/** Deploys a new proxy of the fixture's implementation, initialised with `args` in its constructor. */
async function deployProxyWith(f: StakingFixture, args: InitArgs) {
  const implementation = await upgrades.erc1967.getImplementationAddress(f.rewardsAddress);
  const data = f.rewards.interface.encodeFunctionData("initialize", args);
  const factory = await ethers.getContractFactory("TransparentUpgradeableProxy");
  return factory.deploy(implementation, f.owner.address, data);
}

describe("ServiceNodeRewards: interface", function () {
  restoreChainAfterSuite();

  describe("production ABI", function () {
    for (const [name, abi] of [
      ["ServiceNodeRewards", ServiceNodeRewards__factory.abi],
      ["TestnetServiceNodeRewards", TestnetServiceNodeRewards__factory.abi],
    ] as const) {
      describe(name, function () {
        it("keeps every production function, event and error with its types", function () {
          const { differences } = compareWithProductionAbi("ServiceNodeRewards", abi, {
            allowedMutability: STRICTER,
            ozErrors: OZ_ERRORS,
          });
          expect(differences).to.deep.equal([]);
        });

        it("differs only by a view renounceOwnership and validateProofOfPossession and OpenZeppelin 5.0.2's errors", function () {
          const { allowed } = compareWithProductionAbi("ServiceNodeRewards", abi, {
            allowedMutability: STRICTER,
            ozErrors: OZ_ERRORS,
          });
          expect(allowed).to.deep.equal([
            `${at(DIFFERENCES, 0)} (stricter, allowed)`,
            `${at(DIFFERENCES, 1)} (stricter, allowed)`,
            `${at(DIFFERENCES, 2)} (OpenZeppelin's, allowed)`,
            `${at(DIFFERENCES, 3)} (OpenZeppelin's, allowed)`,
          ]);
        });

        it("names each difference when nothing is allowed", function () {
          expect(compareWithProductionAbi("ServiceNodeRewards", abi).differences).to.deep.equal(DIFFERENCES);
        });

        it("declares OpenZeppelin 5.7's FailedCall, which replaces FailedInnerCall", function () {
          expect(new Interface(abi).getError("FailedCall")?.format("sighash")).to.equal("FailedCall()");
        });
      });
    }

    it("adds the testnet's owner exits to TestnetServiceNodeRewards only", function () {
      const testnet = new Interface(TestnetServiceNodeRewards__factory.abi);
      const mainnet = new Interface(ServiceNodeRewards__factory.abi);
      for (const name of ["requestExitNodeBySNID", "exitNodeBySNID"]) {
        expect(testnet.getFunction(name)?.format("sighash")).to.equal(`${name}(uint64[])`);
        expect(mainnet.getFunction(name)).to.equal(null);
      }
    });
  });

  describe("tags", function () {
    it("equal lib/bls domainTags for this chain and this proxy", async function () {
      const f = await loadStakingFixture(deployedFixture);
      const expected = domainTags(f.chainId, f.rewardsAddress);
      expect(await f.rewards.proofOfPossessionTag()).to.equal(expected.proofOfPossessionTag);
      expect(await f.rewards.rewardTag()).to.equal(expected.rewardTag);
      expect(await f.rewards.exitTag()).to.equal(expected.exitTag);
      expect(await f.rewards.liquidateTag()).to.equal(expected.liquidateTag);
      expect(await f.rewards.hashToG2Tag()).to.equal(expected.hashToG2Tag);
      expect(f.tags).to.deep.equal(expected);
      expect(expected.rewardTag).to.equal(buildTag(TAG_BASES.rewardTag, f.chainId, f.rewardsAddress));
    });
  });

  describe("constants", function () {
    it("are production's", async function () {
      const f = await loadStakingFixture(deployedFixture);
      expect(await f.rewards.VERSION()).to.equal(1n);
      expect(await f.rewards.LIST_SENTINEL()).to.equal(0n);
      expect(await f.rewards.MAX_SERVICE_NODE_EXIT_WAIT_TIME()).to.equal(30n * DAY);
      expect(await f.rewards.MAX_PERMITTED_PUBKEY_AGGREGATIONS_LOWER_BOUND()).to.equal(20n);
      expect(await f.rewards.MIN_TIME_BEFORE_REPEATED_LEAVE_REQUEST()).to.equal(HOUR);
      expect(await f.rewards.SMALL_CONTRIBUTOR_DIVISOR()).to.equal(4n);
      expect(await f.rewards.SMALL_CONTRIBUTOR_LEAVE_DELAY()).to.equal(30n * DAY);
      expect(await f.rewards.MIN_NODE_AGE_BEFORE_EXIT()).to.equal(2n * HOUR);
      expect(await f.rewards.MAX_FEE()).to.equal(10_000n);
    });
  });

  describe("#initialize", function () {
    it("records the token, pool, requirement, contributors, ratios and production's defaults", async function () {
      const f = await loadStakingFixture(deployedFixture);
      expect(await f.rewards.owner()).to.equal(f.owner.address);
      expect(await f.rewards.designatedToken()).to.equal(await f.sesh.getAddress());
      expect(await f.rewards.foundationPool()).to.equal(f.poolAddress);
      expect(await f.rewards.stakingRequirement()).to.equal(25_000n * SESH);
      expect(await f.rewards.maxContributors()).to.equal(10n);
      expect(await f.rewards.liquidatorRewardRatio()).to.equal(3n);
      expect(await f.rewards.poolShareOfLiquidationRatio()).to.equal(17n);
      expect(await f.rewards.recipientRatio()).to.equal(9_980n);
      expect(await f.rewards.signatureExpiry()).to.equal(600n);
      expect(await f.rewards.claimThreshold()).to.equal(1_000_000n * SESH);
      expect(await f.rewards.claimCycle()).to.equal(12n * HOUR);
      expect(await f.rewards.blsNonSignerThresholdMax()).to.equal(4_000n);
      expect(await f.rewards.isStarted()).to.equal(false);
      expect(await f.rewards.paused()).to.equal(false);
      expect(await f.rewards.totalNodes()).to.equal(0n);
      expect(await f.rewards.nextServiceNodeID()).to.equal(1n);
      expect(await f.rewards.currentClaimCycle()).to.equal(0n);
      expect(await f.rewards.currentClaimTotal()).to.equal(0n);
    });

    it("reverts InvalidInitialization the second time, on the proxy and on the implementation", async function () {
      const f = await loadStakingFixture(deployedFixture);
      const args = initArgs(f);
      await expect(f.rewards.initialize(...args)).to.be.revertedWithCustomError(f.rewards, "InvalidInitialization");
      const implementation = f.rewards.attach(await upgrades.erc1967.getImplementationAddress(f.rewardsAddress));
      await expect((implementation as typeof f.rewards).initialize(...args)).to.be.revertedWithCustomError(
        f.rewards,
        "InvalidInitialization",
      );
    });

    it("initialises a new proxy with the same arguments", async function () {
      const f = await loadStakingFixture(deployedFixture);
      const proxy = await deployProxyWith(f, initArgs(f));
      const rewards = f.rewards.attach(await proxy.getAddress()) as typeof f.rewards;
      expect(await rewards.owner()).to.equal(f.owner.address);
      expect(await rewards.stakingRequirement()).to.equal(25_000n * SESH);
    });

    const cases: [string, Partial<Record<number, bigint | string>>, string, ((f: StakingFixture) => unknown[])?][] = [
      ["a zero token", { 0: ZeroAddress }, "NullAddress"],
      ["a zero foundation pool", { 1: ZeroAddress }, "NullAddress"],
      ["a zero staking requirement", { 2: 0n }, "PositiveNumberRequirement"],
      ["a staking requirement above 2^64 − 1", { 2: 2n ** 64n }, "ValueTooLarge", () => [2n ** 64n, 2n ** 64n - 1n]],
      ["zero maxContributors", { 3: 0n }, "PositiveNumberRequirement"],
      ["maxContributors above 255", { 3: 256n }, "ValueTooLarge", () => [256n, 255n]],
      ["a zero recipient ratio", { 4: 0n, 5: 0n, 6: 0n }, "LiquidatorPenaltyTooHigh"],
      ["ratios leaving the contributors under three quarters", { 4: 1n, 5: 2n, 6: 8n }, "LiquidatorPenaltyTooHigh"],
    ];
    for (const [what, changes, error, args] of cases) {
      it(`reverts ${error} for ${what}`, async function () {
        const f = await loadStakingFixture(deployedFixture);
        const assertion = expect(deployProxyWith(f, initArgs(f, changes))).to.be.revertedWithCustomError(
          f.rewards,
          error,
        );
        if (args !== undefined) await assertion.withArgs(...args(f));
        else await assertion;
      });
    }
  });

  describe("upgrades", function () {
    for (const name of ["ServiceNodeRewards", "TestnetServiceNodeRewards"]) {
      it(`passes the upgrades plugin's validation as a transparent proxy implementation (${name})`, async function () {
        await upgrades.validateImplementation(await ethers.getContractFactory(name), { kind: "transparent" });
      });
    }
  });
});

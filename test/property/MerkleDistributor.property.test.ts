import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import fc from "fast-check";
import { ethers } from "hardhat";

import { ATOMS_PER_SESH, SESH_TOTAL_SUPPLY } from "../../lib/amount";
import type { MerkleDistributor, SESH } from "../../typechain-types";
import { FC_SEED, integerFromEnv } from "../helpers/env";
import { restoreChainAfterSuite } from "../helpers/chain";

const NUM_RUNS = integerFromEnv("FC_NUM_RUNS", 20, 1);

const DAY = 86_400;
const AWARD_COUNT = 5;
const MAX_OPERATIONS = 20;
/** Vesting starts 2 days after deployment and lasts 60 days; claims close after 90 days. */
const VESTING_DELAY = 2n * BigInt(DAY);
const VESTING_DURATION = 60n * BigInt(DAY);
const CLAIM_WINDOW = 90n * BigInt(DAY);
const MAX_JUMP = 20 * DAY;
/** The errors an operation may legitimately revert with. */
const EXPECTED_ERRORS = new Set([
  "AlreadyClaimed",
  "ClaimDeadlinePassed",
  "NothingToRelease",
  "ClaimDeadlineNotPassed",
]);

type Operation =
  | { readonly kind: "claim"; readonly award: number }
  | { readonly kind: "release"; readonly award: number }
  | { readonly kind: "jump"; readonly seconds: number }
  | { readonly kind: "sweep" };

const awardIndex = fc.integer({ min: 0, max: AWARD_COUNT - 1 });
const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("claim" as const), award: awardIndex }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("release" as const), award: awardIndex }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("jump" as const), seconds: fc.integer({ min: 1, max: MAX_JUMP }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("sweep" as const) }) },
);

interface Award {
  readonly index: bigint;
  readonly account: string;
  readonly amount: bigint;
}

interface Deployment {
  readonly token: SESH;
  readonly distributor: MerkleDistributor;
  readonly awards: readonly Award[];
  readonly proofs: readonly string[][];
  readonly holders: readonly string[];
  readonly funded: bigint;
}

async function deploy(withVesting: boolean): Promise<Deployment> {
  const signers = await ethers.getSigners();
  const owner = signers[0];
  const recipient = signers[AWARD_COUNT + 1];
  if (owner === undefined || recipient === undefined) throw new Error("not enough hardhat accounts");
  const claimants = signers.slice(1, AWARD_COUNT + 1);
  const token = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, owner.address, ZeroAddress, ZeroAddress]);
  // Amounts of unequal sizes, some not divisible by the duration, so that rounding shows.
  const awards = claimants.map((claimant, position) => ({
    index: BigInt(position * 97),
    account: claimant.address,
    amount: BigInt(position + 1) * 12_345n * ATOMS_PER_SESH + BigInt(position * 7 + 1),
  }));
  const tree = StandardMerkleTree.of(
    awards.map((award) => [award.index, award.account, award.amount]),
    ["uint256", "address", "uint256"],
  );
  const now = BigInt(await time.latest());
  const distributor = await ethers.deployContract("MerkleDistributor", [
    await token.getAddress(),
    tree.root,
    now + CLAIM_WINDOW,
    recipient.address,
    withVesting ? now + VESTING_DELAY : 0n,
    withVesting ? VESTING_DURATION : 0n,
    owner.address,
  ]);
  const funded = awards.reduce((sum, award) => sum + award.amount, 0n);
  await token.transfer(await distributor.getAddress(), funded);
  const proofs = awards.map((_, position) => tree.getProof(position));
  return {
    token,
    distributor,
    awards,
    proofs,
    holders: [...awards.map((award) => award.account), recipient.address],
    funded,
  };
}

async function vestingFixture(): Promise<Deployment> {
  return deploy(true);
}
async function immediateFixture(): Promise<Deployment> {
  return deploy(false);
}

function awardOf(deployment: Deployment, position: number): Award {
  const award = deployment.awards[position];
  if (award === undefined) throw new Error(`no award ${position}`);
  return award;
}

/** Runs an operation; a revert must be one of the expected custom errors. */
async function apply(deployment: Deployment, operation: Operation): Promise<void> {
  const { distributor } = deployment;
  try {
    switch (operation.kind) {
      case "claim": {
        const award = awardOf(deployment, operation.award);
        const proof = deployment.proofs[operation.award] ?? [];
        await distributor.claim(award.index, award.account, award.amount, proof);
        return;
      }
      case "release":
        await distributor.release(awardOf(deployment, operation.award).account);
        return;
      case "jump":
        await time.increase(operation.seconds);
        return;
      case "sweep":
        await distributor.sweep();
        return;
    }
  } catch (error) {
    const data = (error as { data?: string }).data;
    const parsed = data === undefined ? null : distributor.interface.parseError(data);
    if (parsed === null || !EXPECTED_ERRORS.has(parsed.name)) throw error;
  }
}

async function checkInvariants(deployment: Deployment): Promise<void> {
  const { token, distributor, awards, holders, funded } = deployment;
  const balances = await Promise.all(holders.map((holder) => token.balanceOf(holder)));
  const paid = balances.reduce((sum, balance) => sum + balance, 0n);
  expect(paid + (await token.balanceOf(await distributor.getAddress())), "Σ paid + balance").to.equal(funded);
  awards.forEach((award, position) => {
    expect(balances[position], `paid to award ${position}`).to.be.lessThanOrEqual(award.amount);
  });
}

describe("MerkleDistributor (property)", function () {
  restoreChainAfterSuite();

  for (const [name, fixture] of [
    ["with vesting", vestingFixture],
    ["without vesting", immediateFixture],
  ] as const) {
    describe(`when the campaign runs ${name}`, function () {
      it("keeps Σ paid + balance = funded, pays nobody more than its award, and pays claimed awards in full", async function () {
        await fc.assert(
          fc.asyncProperty(fc.array(operationArbitrary, { maxLength: MAX_OPERATIONS }), async (operations) => {
            const deployment = await loadFixture(fixture);
            for (const operation of operations) {
              await apply(deployment, operation);
              await checkInvariants(deployment);
            }
            // After the vesting ends, every claimed award can be released in full, sweep or not.
            const end =
              (await deployment.distributor.vestingStart()) + (await deployment.distributor.vestingDuration());
            if (BigInt(await time.latest()) < end) await time.increaseTo(end);
            for (const [position, award] of deployment.awards.entries()) {
              if (!(await deployment.distributor.isClaimed(award.index))) continue;
              await apply(deployment, { kind: "release", award: position });
              expect(await deployment.token.balanceOf(award.account)).to.equal(award.amount);
            }
            await checkInvariants(deployment);
          }),
          { seed: FC_SEED, numRuns: NUM_RUNS },
        );
      });
    });
  }
});

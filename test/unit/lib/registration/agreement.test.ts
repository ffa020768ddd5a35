import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { ethers } from "hardhat";

import {
  planJoin,
  planNode,
  readContributionState,
  readRegistrationParameters,
  type NodeProposal,
  type Plan,
  type ProblemCode,
  type RegistrationParameters,
} from "../../../../lib/registration";
import type { ServiceNodeContribution } from "../../../../typechain-types";
import { FIELD_MODULUS, mapToTwist, toSignatureParams } from "../../../../lib/bls";
import { restoreChainAfterSuite } from "../../../helpers/chain";
import { execute, expectAgreement, joinCalls, proposalCalls, type Outcome } from "../../../helpers/registration";
import { deployStakingFixture, loadStakingFixture, type StakingFixture } from "../../../helpers/staking";
import { addSolo, at, keyOf, popOf, suiteFixtures } from "../../rewards/fixtures";

// The guardrails against the real contracts: for a handful of proposals and joins, the plan is OK exactly when the
// contracts accept its transactions, and otherwise its first problem is the custom error (and arguments) the
// contracts revert with. The random cases are test/property/registration.agreement.property.test.ts; a disagreement it
// found is kept here as a regression.

const { startedFixture } = suiteFixtures();

/** Started, with at most three contributors per node. */
async function threeContributorsFixture(): Promise<StakingFixture> {
  const f = await deployStakingFixture({ maxContributors: 3 });
  await (await f.rewards.connect(f.owner).start()).wait();
  return f;
}
const ED25519 = 0x5e55_1000n;

async function parametersOf(f: StakingFixture, proposal: NodeProposal): Promise<RegistrationParameters> {
  return readRegistrationParameters(f.rewards, f.factory, {
    blsPublicKeys: [proposal.blsPublicKey],
    ed25519PublicKeys: [proposal.ed25519PublicKey],
  });
}

function proposalOf(f: StakingFixture, overrides: Partial<NodeProposal> = {}, index = 5): NodeProposal {
  const operator = at(f.stakers, 0).address;
  return {
    operator,
    blsPublicKey: keyOf(f, index),
    proofOfPossession: popOf(f, index, operator, ED25519),
    ed25519PublicKey: ED25519,
    ed25519Signature: [1n, 2n],
    fee: 300,
    operatorStake: f.parameters.stakingRequirement,
    beneficiary: ZeroAddress,
    reserved: [],
    manualFinalize: false,
    ...overrides,
  };
}

/** Runs a node proposal by planning it and, whatever the plan says, sending the calls it would send. */
async function tryNode(f: StakingFixture, proposal: NodeProposal): Promise<{ plan: Plan; outcome: Outcome }> {
  const parameters = await parametersOf(f, proposal);
  const plan = planNode(parameters, proposal);
  // Force the plan's calls whatever it says: the same builder with the checks skipped.
  const forced = planNode(
    { ...parameters, registered: { blsPublicKeyId: () => 0n, ed25519PublicKeyId: () => 0n } },
    proposal,
  );
  const calls = forced.ok ? forced.transactions : proposalCalls(f, proposal);
  const outcome = await execute(f, at(f.stakers, 0), calls);
  return { plan, outcome };
}

describe("lib/registration: agreement with the contracts", function () {
  restoreChainAfterSuite();

  describe("#readRegistrationParameters", function () {
    it("reads the deployment's requirement, maximum, token, chain and registered keys", async function () {
      const f = await loadStakingFixture(startedFixture);
      await addSolo(f, 0, at(f.stakers, 1));
      const parameters = await readRegistrationParameters(f.rewards, f.factory, {
        blsPublicKeys: [keyOf(f, 0), keyOf(f, 1)],
        ed25519PublicKeys: [0xed000n, 1n],
      });
      expect(parameters.stakingRequirement).to.equal(f.parameters.stakingRequirement);
      expect(parameters.maxContributors).to.equal(BigInt(f.parameters.maxContributors));
      expect(parameters.sesh).to.equal(await f.sesh.getAddress());
      expect([parameters.rewards, parameters.factory, parameters.chainId]).to.deep.equal([
        f.rewardsAddress,
        f.factoryAddress,
        f.chainId,
      ]);
      expect(parameters.registered.blsPublicKeyId(keyOf(f, 0))).to.equal(1n);
      expect(parameters.registered.blsPublicKeyId(keyOf(f, 1))).to.equal(0n);
      expect(parameters.registered.ed25519PublicKeyId(0xed000n)).to.equal(1n);
      expect(() => parameters.registered.ed25519PublicKeyId(2n)).to.throw(RangeError, /not looked up/);
    });
  });

  describe("#planNode", function () {
    it("plans a solo node through a contribution contract that the contracts open and register", async function () {
      const f = await loadStakingFixture(startedFixture);
      const { plan, outcome } = await tryNode(f, proposalOf(f));
      expectAgreement(plan, outcome);
      expect(plan.ok).to.equal(true);
      // The plan's deploy is encoded as typechain encodes the factory's deploy.
      expect(plan.ok ? plan.transactions[0]?.data : undefined).to.equal(proposalCalls(f, proposalOf(f))[0]?.data);
      expect(
        await f.rewards.serviceNodeIDs(
          ethers.AbiCoder.defaultAbiCoder().encode(["uint256", "uint256"], [keyOf(f, 5).X, keyOf(f, 5).Y]),
        ),
      ).to.equal(1n);
    });

    const refused: [string, (f: StakingFixture) => Partial<NodeProposal>][] = [
      ["a fee above 10,000", () => ({ fee: 10_001 })],
      [
        "a reservation over the requirement",
        (f) => ({
          reserved: [
            { addr: at(f.stakers, 0).address, amount: f.parameters.stakingRequirement / 2n },
            { addr: at(f.stakers, 1).address, amount: f.parameters.stakingRequirement },
          ],
        }),
      ],
      [
        "a first spot not the operator's",
        (f) => ({ reserved: [{ addr: at(f.stakers, 1).address, amount: f.parameters.stakingRequirement / 4n }] }),
      ],
      ["an operator stake below a quarter", (f) => ({ operatorStake: f.parameters.stakingRequirement / 4n - 1n })],
      [
        "an operator stake below its reservation",
        (f) => ({
          operatorStake: f.parameters.stakingRequirement / 4n,
          reserved: [{ addr: at(f.stakers, 0).address, amount: f.parameters.stakingRequirement / 2n }],
        }),
      ],
      [
        "a proof of possession for another operator",
        (f) => ({ proofOfPossession: popOf(f, 5, at(f.stakers, 1).address, ED25519) }),
      ],
      [
        "a proof of possession for another rewards contract",
        (f) => ({
          proofOfPossession: popOf(f, 5, at(f.stakers, 0).address, ED25519, {
            ...f.tags,
            proofOfPossessionTag: ethers.keccak256(ethers.toUtf8Bytes("another deployment")),
          }),
        }),
      ],
    ];
    for (const [what, overrides] of refused) {
      it(`refuses ${what} with the error the contracts revert with`, async function () {
        const f = await loadStakingFixture(startedFixture);
        const { plan, outcome } = await tryNode(f, proposalOf(f, overrides(f)));
        expect(plan.ok).to.equal(false);
        expectAgreement(plan, outcome);
      });
    }

    // Regression (the random agreement test): lib/registration reported a malformed key or proof as an invalid
    // proof of possession, where the rewards contract reverts with the BN254 library's error naming the encoding.
    const malformed: [string, (f: StakingFixture) => Partial<NodeProposal>, ProblemCode, string][] = [
      ["a BLS key off the curve", () => ({ blsPublicKey: { X: 1n, Y: 1n } }), "malformed-bls-key", "G1PointNotOnCurve"],
      [
        "a BLS key with a coordinate of the field modulus",
        () => ({ blsPublicKey: { X: FIELD_MODULUS, Y: 2n } }),
        "malformed-bls-key",
        "G1CoordinateNotInField",
      ],
      [
        "a proof of possession with a word of the field modulus",
        () => ({ proofOfPossession: { sigs0: 1n, sigs1: 2n, sigs2: FIELD_MODULUS, sigs3: 3n } }),
        "malformed-proof-of-possession",
        "G2CoordinateNotInField",
      ],
      [
        "a proof of possession off the twist",
        () => ({ proofOfPossession: { sigs0: 1n, sigs1: 2n, sigs2: 3n, sigs3: 4n } }),
        "malformed-proof-of-possession",
        "G2PointNotOnTwist",
      ],
      [
        "a proof of possession on the twist outside G2",
        (f) => ({ proofOfPossession: toSignatureParams(mapToTwist("0x01", f.tags.hashToG2Tag).point) }),
        "malformed-proof-of-possession",
        "PairingPrecompileFailed",
      ],
    ];
    for (const [what, overrides, code, error] of malformed) {
      it(`refuses ${what} with ${error}, as the rewards contract reverts when the node registers`, async function () {
        const f = await loadStakingFixture(startedFixture);
        const { plan, outcome } = await tryNode(f, proposalOf(f, overrides(f)));
        expect(plan.ok ? [] : plan.problems.map((found) => [found.code, found.error])).to.deep.equal([[code, error]]);
        expectAgreement(plan, outcome);
      });
    }

    it("refuses a BLS key and an ed25519 key already registered, as the rewards contract does", async function () {
      const f = await loadStakingFixture(startedFixture);
      await addSolo(f, 5, at(f.stakers, 1));
      const bls = await tryNode(f, proposalOf(f));
      expectAgreement(bls.plan, bls.outcome);
      expect(bls.plan.ok ? [] : bls.plan.problems.map((found) => found.error)).to.deep.equal([
        "BLSPubkeyAlreadyExists",
      ]);
      const ed = proposalOf(
        f,
        { ed25519PublicKey: 0xed005n, proofOfPossession: popOf(f, 6, at(f.stakers, 0).address, 0xed005n) },
        6,
      );
      const edOutcome = await tryNode(f, ed);
      expectAgreement(edOutcome.plan, edOutcome.outcome);
      expect(edOutcome.plan.ok ? [] : edOutcome.plan.problems.map((found) => found.error)).to.deep.equal([
        "Ed25519PubkeyAlreadyExists",
      ]);
    });
  });

  describe("#planJoin", function () {
    /** Opens a node (manual finalisation) with the operator's quarter in and a reservation for staker 1. */
    async function openNode(f: StakingFixture, reservedAmount?: bigint): Promise<ServiceNodeContribution> {
      const operator = at(f.stakers, 0);
      const quarter = f.parameters.stakingRequirement / 4n;
      const proposal = proposalOf(f, {
        operatorStake: quarter,
        reserved: [
          { addr: operator.address, amount: quarter },
          { addr: at(f.stakers, 1).address, amount: reservedAmount ?? quarter },
        ],
        manualFinalize: true,
      });
      const plan = planNode(await parametersOf(f, proposal), proposal);
      if (!plan.ok) throw new Error(plan.problems.map((found) => found.message).join("; "));
      const outcome = await execute(f, operator, plan.transactions);
      if (outcome.contract === undefined || outcome.reverted !== undefined) throw new Error("not opened");
      return ethers.getContractAt("ServiceNodeContribution", outcome.contract);
    }

    async function tryJoin(f: StakingFixture, contract: ServiceNodeContribution, staker: number, amount: bigint) {
      const parameters = await readRegistrationParameters(f.rewards, f.factory);
      const state = await readContributionState(contract);
      const join = { contributor: at(f.stakers, staker).address, amount, beneficiary: ZeroAddress };
      const plan = planJoin(parameters, state, join);
      const calls = joinCalls(f, state.address, amount);
      if (plan.ok)
        expect(plan.transactions.map((tx) => [tx.to, tx.data])).to.deep.equal(calls.map((tx) => [tx.to, tx.data]));
      return { plan, outcome: await execute(f, at(f.stakers, staker), calls) };
    }

    const cases: [string, number, (requirement: bigint, minimum: bigint) => bigint][] = [
      ["a public contribution at the minimum", 2, (_r, minimum) => minimum],
      ["a public contribution one atom below the minimum", 2, (_r, minimum) => minimum - 1n],
      ["a public contribution over what is left", 2, (r) => r / 2n + 1n],
      ["a public contribution of all that is left", 2, (r) => r / 2n],
      ["a zero contribution", 2, () => 0n],
      ["the reserved contributor below its reservation", 1, (r) => r / 4n - 1n],
      ["the reserved contributor at its reservation", 1, (r) => r / 4n],
      ["the operator's top-up over what is left", 0, (r) => r / 2n + 1n],
    ];
    for (const [what, staker, amountOf] of cases) {
      it(`agrees on ${what}`, async function () {
        const f = await loadStakingFixture(startedFixture);
        const contract = await openNode(f);
        const amount = amountOf(f.parameters.stakingRequirement, await contract.minimumContribution());
        const { plan, outcome } = await tryJoin(f, contract, staker, amount);
        expectAgreement(plan, outcome);
      });
    }

    it("agrees that the last spot, reserved for another, is refused with MaxContributorsExceeded", async function () {
      const f = await loadStakingFixture(threeContributorsFixture);
      const requirement = f.parameters.stakingRequirement;
      const eighths = (requirement * 3n) / 8n;
      const contract = await openNode(f, eighths);
      // Operator in, staker 1's spot reserved: staker 2 takes the third and last spot with what is left.
      expect(await contract.minimumContribution()).to.equal(eighths);
      const below = await tryJoin(f, contract, 2, eighths - 1n);
      expectAgreement(below.plan, below.outcome);
      expect(below.plan.ok).to.equal(false);
      const last = await tryJoin(f, contract, 2, eighths);
      expectAgreement(last.plan, last.outcome);
      expect(last.plan.ok).to.equal(true);
      const { plan, outcome } = await tryJoin(f, contract, 3, 1n);
      expect(plan.ok ? "" : plan.problems[0]?.code).to.equal("spots-reserved-for-others");
      expectAgreement(plan, outcome);
      const reserved = await tryJoin(f, contract, 1, eighths);
      expectAgreement(reserved.plan, reserved.outcome);
      expect(reserved.plan.ok).to.equal(true);
    });

    it("agrees that a filled node waiting to be finalised takes no contribution", async function () {
      const f = await loadStakingFixture(startedFixture);
      const contract = await openNode(f);
      const requirement = f.parameters.stakingRequirement;
      expect((await tryJoin(f, contract, 1, requirement / 4n)).plan.ok).to.equal(true);
      expect((await tryJoin(f, contract, 2, requirement / 2n)).plan.ok).to.equal(true);
      expect(await contract.status()).to.equal(2n);
      const { plan, outcome } = await tryJoin(f, contract, 3, 1n);
      expect(plan.ok ? "" : plan.problems[0]?.error).to.equal("ContributeFundsNotPossible");
      expectAgreement(plan, outcome);
    });
  });
});

import { expect } from "chai";
import { getAddress, Wallet, ZeroAddress } from "ethers";

import {
  FIELD_MODULUS,
  mapToTwist,
  proofOfPossessionMessage,
  publicKeyOf,
  secretKeyFromSeed,
  sign,
  toG1Struct,
  toSignatureParams,
  domainTags,
} from "../../../../lib/bls";
import {
  calcMinimumContribution,
  CONTRIBUTION_INTERFACE,
  DEPLOYED_CONTRIBUTION,
  FACTORY_INTERFACE,
  isValidProofOfPossession,
  minimumContribution,
  minimumOperatorContribution,
  NO_REGISTERED_KEYS,
  planJoin,
  planNode,
  PROBLEM_CODES,
  resolveDeployed,
  STATUS,
  type ContributionState,
  type NodeProposal,
  type Plan,
  type Problem,
  type ProblemCode,
  type RegistrationParameters,
} from "../../../../lib/registration";

const REQUIREMENT = 25_000n * 10n ** 9n;
const MAX = 10n;
const CHAIN_ID = 412_346n;
const REWARDS = getAddress("0x" + "11".repeat(20));
const OTHER_REWARDS = getAddress("0x" + "12".repeat(20));
const OPERATOR = getAddress("0x" + "a0".repeat(20));
const ALICE = getAddress("0x" + "a1".repeat(20));
const BOB = getAddress("0x" + "a2".repeat(20));
const CAROL = getAddress("0x" + "a3".repeat(20));
const ED25519 = 0xed25519n;
const SECRET = secretKeyFromSeed("registration-rules", 0);
const KEY = toG1Struct(publicKeyOf(SECRET));

const PARAMETERS: RegistrationParameters = {
  chainId: CHAIN_ID,
  rewards: REWARDS,
  sesh: getAddress("0x" + "5e".repeat(20)),
  factory: getAddress("0x" + "fa".repeat(20)),
  stakingRequirement: REQUIREMENT,
  maxContributors: MAX,
  registered: NO_REGISTERED_KEYS,
};

function popFor(operator: string, chainId = CHAIN_ID, rewards = REWARDS, ed25519 = ED25519) {
  const tags = domainTags(chainId, rewards);
  return toSignatureParams(sign(SECRET, proofOfPossessionMessage(tags, KEY, operator, ed25519), tags.hashToG2Tag));
}
const POP = popFor(OPERATOR);

function proposal(overrides: Partial<NodeProposal> = {}): NodeProposal {
  return {
    operator: OPERATOR,
    blsPublicKey: KEY,
    proofOfPossession: POP,
    ed25519PublicKey: ED25519,
    ed25519Signature: [1n, 2n],
    fee: 500,
    operatorStake: REQUIREMENT / 4n,
    beneficiary: ZeroAddress,
    reserved: [],
    manualFinalize: false,
    ...overrides,
  };
}

function problemsOf(plan: Plan): readonly Problem[] {
  return plan.ok ? [] : plan.problems;
}
function codesOf(plan: Plan): ProblemCode[] {
  return problemsOf(plan).map((found) => found.code);
}
function only(plan: Plan): Problem {
  const problems = problemsOf(plan);
  expect(problems, JSON.stringify(problems.map((found) => found.code))).to.have.length(1);
  const first = problems[0];
  if (first === undefined) throw new Error("no problem");
  return first;
}

/** An open node: the operator in with a quarter, `others` contributors of `each`, `reserved` spots. */
function openState(overrides: Partial<ContributionState> = {}): ContributionState {
  return {
    address: getAddress("0x" + "cc".repeat(20)),
    status: STATUS.OpenForPublicContrib,
    operator: OPERATOR,
    stakingRequirement: REQUIREMENT,
    maxContributors: MAX,
    manualFinalize: false,
    contributions: [{ staker: OPERATOR, beneficiary: OPERATOR, amount: REQUIREMENT / 4n }],
    reserved: [],
    totalContribution: REQUIREMENT / 4n,
    totalReservedContribution: 0n,
    ...overrides,
  };
}

describe("lib/registration", function () {
  const seen = new Set<ProblemCode>();
  const record = (plan: Plan) => {
    for (const code of codesOf(plan)) seen.add(code);
    return plan;
  };

  describe("#calcMinimumContribution", function () {
    it("is ⌈remaining / 4⌉ for the first contributor", function () {
      expect(calcMinimumContribution(100n, 0n, 10n)).to.equal(25n);
      expect(calcMinimumContribution(101n, 0n, 10n)).to.equal(26n);
      expect(calcMinimumContribution(0n, 0n, 10n)).to.equal(0n);
    });

    it("is ⌈remaining / (max − n)⌉ for n > 0", function () {
      expect(calcMinimumContribution(90n, 1n, 10n)).to.equal(10n);
      expect(calcMinimumContribution(91n, 1n, 10n)).to.equal(11n);
      expect(calcMinimumContribution(7n, 9n, 10n)).to.equal(7n);
      expect(calcMinimumContribution(1n, 3n, 10n)).to.equal(1n);
    });

    it("throws where the contract reverts CalcMinContributionGivenBadContribArgs (n ≥ max)", function () {
      expect(() => calcMinimumContribution(1n, 10n, 10n)).to.throw(
        RangeError,
        /CalcMinContributionGivenBadContribArgs/,
      );
    });

    it("gives the operator ⌈requirement / 4⌉", function () {
      expect(minimumOperatorContribution(REQUIREMENT)).to.equal(REQUIREMENT / 4n);
      expect(minimumOperatorContribution(REQUIREMENT + 1n)).to.equal(REQUIREMENT / 4n + 1n);
    });

    it("computes minimumContribution from the remaining stake and the spots taken, reservations included", function () {
      const state = openState({
        reserved: [
          { addr: OPERATOR, amount: REQUIREMENT / 4n, received: true },
          { addr: ALICE, amount: 1_000n, received: false },
        ],
        totalReservedContribution: 1_000n,
      });
      expect(minimumContribution(state)).to.equal(calcMinimumContribution((REQUIREMENT * 3n) / 4n - 1_000n, 2n, MAX));
      expect(minimumContribution(openState({ status: STATUS.WaitForOperatorContrib }))).to.equal(REQUIREMENT / 4n);
    });
  });

  describe("#isValidProofOfPossession", function () {
    it("accepts the key's proof for this operator, chain and rewards contract", function () {
      expect(isValidProofOfPossession(PARAMETERS, KEY, POP, OPERATOR, ED25519)).to.equal(true);
    });

    it("refuses a proof made for another operator", function () {
      expect(isValidProofOfPossession(PARAMETERS, KEY, popFor(ALICE), OPERATOR, ED25519)).to.equal(false);
    });

    it("refuses a proof made on another chain", function () {
      expect(isValidProofOfPossession(PARAMETERS, KEY, popFor(OPERATOR, 42_161n), OPERATOR, ED25519)).to.equal(false);
    });

    it("refuses a proof made for another rewards contract", function () {
      expect(
        isValidProofOfPossession(PARAMETERS, KEY, popFor(OPERATOR, CHAIN_ID, OTHER_REWARDS), OPERATOR, ED25519),
      ).to.equal(false);
    });

    it("refuses a proof for another ed25519 key, and a malformed one", function () {
      expect(
        isValidProofOfPossession(PARAMETERS, KEY, popFor(OPERATOR, CHAIN_ID, REWARDS, 1n), OPERATOR, ED25519),
      ).to.equal(false);
      expect(isValidProofOfPossession(PARAMETERS, KEY, { ...POP, sigs0: POP.sigs0 ^ 1n }, OPERATOR, ED25519)).to.equal(
        false,
      );
      expect(isValidProofOfPossession(PARAMETERS, { X: 1n, Y: 3n }, POP, OPERATOR, ED25519)).to.equal(false);
    });
  });

  describe("#planNode", function () {
    it("plans deploy, approve and contributeFunds for a valid proposal", function () {
      const plan = planNode(PARAMETERS, proposal({ reserved: [{ addr: OPERATOR, amount: REQUIREMENT / 4n }] }));
      if (!plan.ok) throw new Error(JSON.stringify(plan.problems.map((found) => found.message)));
      expect(plan.transactions.map((tx) => [tx.contract, tx.functionName])).to.deep.equal([
        ["factory", "deploy"],
        ["sesh", "approve"],
        ["contribution", "contributeFunds"],
      ]);
      const [deploy, approve, contribute] = plan.transactions;
      expect(deploy?.to).to.equal(PARAMETERS.factory);
      expect(deploy?.data).to.equal(
        FACTORY_INTERFACE.encodeFunctionData("deploy", [
          KEY,
          POP,
          { serviceNodePubkey: ED25519, serviceNodeSignature1: 1n, serviceNodeSignature2: 2n, fee: 500 },
          [{ addr: OPERATOR, amount: REQUIREMENT / 4n }],
          false,
        ]),
      );
      expect(approve?.args).to.deep.equal([DEPLOYED_CONTRIBUTION, REQUIREMENT / 4n]);
      expect(approve?.data).to.equal(undefined);
      expect(contribute?.to).to.equal(DEPLOYED_CONTRIBUTION);
      const deployed = getAddress("0x" + "de".repeat(20));
      const resolved = resolveDeployed(plan.transactions, deployed);
      expect(resolved[1]?.args).to.deep.equal([deployed, REQUIREMENT / 4n]);
      expect(resolved[2]?.to).to.equal(deployed);
      expect(resolved[2]?.data).to.equal(
        CONTRIBUTION_INTERFACE.encodeFunctionData("contributeFunds", [REQUIREMENT / 4n, ZeroAddress]),
      );
    });

    it("reports a fee above 10,000 as FeeExceedsPossibleValue", function () {
      const found = only(record(planNode(PARAMETERS, proposal({ fee: 10_001 }))));
      expect([found.code, found.error, found.args]).to.deep.equal([
        "fee-too-high",
        "FeeExceedsPossibleValue",
        [10_001n, 10_000n],
      ]);
      expect(planNode(PARAMETERS, proposal({ fee: 10_000 })).ok).to.equal(true);
    });

    it("reports more reserved spots than contributors as TooManyReservedContributors", function () {
      const reserved = [OPERATOR, ...Array.from({ length: 10 }, () => Wallet.createRandom().address)].map(
        (addr, i) => ({
          addr,
          amount: i === 0 ? REQUIREMENT / 4n : 1n,
        }),
      );
      const plan = record(planNode(PARAMETERS, proposal({ reserved })));
      expect(codesOf(plan)[0]).to.equal("too-many-reserved");
      expect(problemsOf(plan)[0]?.args).to.deep.equal([11n, 10n]);
    });

    it("reports a zero reserved address, a first spot not the operator's and a duplicate, each with its index", function () {
      const plan = record(
        planNode(
          PARAMETERS,
          proposal({
            reserved: [
              { addr: ALICE, amount: REQUIREMENT / 4n },
              { addr: ZeroAddress, amount: REQUIREMENT / 4n },
              { addr: ALICE, amount: REQUIREMENT / 4n },
            ],
          }),
        ),
      );
      expect(problemsOf(plan).map((found) => [found.error, found.args])).to.deep.equal([
        ["FirstReservedContributorMustBeOperator", [0n, OPERATOR]],
        ["ReservedContributorHasZeroAddress", [1n]],
        ["DuplicateAddressInReservedContributor", [2n]],
      ]);
    });

    it("reports a spot below its minimum and one over what is left", function () {
      const below = only(
        record(
          planNode(
            PARAMETERS,
            proposal({
              reserved: [
                { addr: OPERATOR, amount: REQUIREMENT / 4n },
                { addr: ALICE, amount: 1n },
              ],
            }),
          ),
        ),
      );
      const min = calcMinimumContribution((REQUIREMENT * 3n) / 4n, 1n, MAX);
      expect([below.error, below.args]).to.deep.equal(["ReservedContributionBelowMinAmount", [1n, 1n, min]]);
      const operatorBelow = only(
        planNode(PARAMETERS, proposal({ reserved: [{ addr: OPERATOR, amount: REQUIREMENT / 4n - 1n }] })),
      );
      expect(operatorBelow.args).to.deep.equal([0n, REQUIREMENT / 4n - 1n, REQUIREMENT / 4n]);
      const over = record(
        planNode(
          PARAMETERS,
          proposal({
            reserved: [
              { addr: OPERATOR, amount: REQUIREMENT / 2n },
              { addr: ALICE, amount: REQUIREMENT },
              { addr: BOB, amount: 1n },
            ],
          }),
        ),
      );
      // The contract stops at spot 1; spot 2's minimum cannot be computed past it, so it is not judged.
      expect(problemsOf(over).map((found) => [found.error, found.args])).to.deep.equal([
        ["ReservedContributionExceedsStakingRequirement", [1n, REQUIREMENT, REQUIREMENT / 2n]],
      ]);
    });

    it("reports an operator stake below ⌈requirement / 4⌉ as ContributionBelowMinAmount", function () {
      const found = only(record(planNode(PARAMETERS, proposal({ operatorStake: REQUIREMENT / 4n - 1n }))));
      expect([found.code, found.error, found.args]).to.deep.equal([
        "below-minimum",
        "ContributionBelowMinAmount",
        [REQUIREMENT / 4n - 1n, REQUIREMENT / 4n],
      ]);
    });

    it("reports an operator stake below its reservation as ContributionBelowReservedAmount", function () {
      const reserved = [{ addr: OPERATOR, amount: REQUIREMENT / 2n }];
      const found = only(record(planNode(PARAMETERS, proposal({ reserved, operatorStake: REQUIREMENT / 4n }))));
      expect([found.code, found.error, found.args]).to.deep.equal([
        "below-reservation",
        "ContributionBelowReservedAmount",
        [REQUIREMENT / 4n, REQUIREMENT / 2n],
      ]);
    });

    it("reports an operator stake over what the reservations leave, and a zero stake", function () {
      const reserved = [
        { addr: OPERATOR, amount: REQUIREMENT / 4n },
        { addr: ALICE, amount: REQUIREMENT / 2n },
      ];
      const over = only(record(planNode(PARAMETERS, proposal({ reserved, operatorStake: REQUIREMENT / 2n + 1n }))));
      expect([over.code, over.error, over.args]).to.deep.equal([
        "exceeds-requirement",
        "ContributionExceedsStakingRequirement",
        [REQUIREMENT / 2n + 1n, REQUIREMENT / 2n, REQUIREMENT],
      ]);
      const zero = only(record(planNode(PARAMETERS, proposal({ operatorStake: 0n }))));
      expect([zero.code, zero.error]).to.deep.equal(["zero-contribution", "ZeroContribution"]);
    });

    it("reports registered keys, a null key and a bad proof of possession as the rewards contract would at finalisation", function () {
      const registered = { blsPublicKeyId: () => 3n, ed25519PublicKeyId: () => 4n };
      const plan = record(planNode({ ...PARAMETERS, registered }, proposal()));
      expect(problemsOf(plan).map((found) => [found.code, found.error, found.args, found.stage])).to.deep.equal([
        ["bls-key-registered", "BLSPubkeyAlreadyExists", [3n], "finalize"],
        ["ed25519-key-registered", "Ed25519PubkeyAlreadyExists", [4n], "finalize"],
      ]);
      const forAlice = only(record(planNode(PARAMETERS, proposal({ proofOfPossession: popFor(ALICE) }))));
      expect([forAlice.code, forAlice.error]).to.deep.equal([
        "invalid-proof-of-possession",
        "InvalidBLSProofOfPossession",
      ]);
      const nullKey = record(
        planNode(
          PARAMETERS,
          proposal({
            blsPublicKey: { X: 0n, Y: 0n },
            proofOfPossession: { sigs0: 0n, sigs1: 0n, sigs2: 0n, sigs3: 0n },
            ed25519PublicKey: 0n,
          }),
        ),
      );
      expect(codesOf(nullKey)).to.deep.equal(["null-bls-key", "null-ed25519-key"]);
    });

    it("names a malformed key or proof with the BN254 error the rewards contract reverts with, in its order", function () {
      const P = FIELD_MODULUS;
      const cases: [Partial<NodeProposal>, ProblemCode, string, readonly unknown[]][] = [
        [{ blsPublicKey: { X: P, Y: 1n } }, "malformed-bls-key", "G1CoordinateNotInField", [P, 1n]],
        [{ blsPublicKey: { X: 1n, Y: P + 1n } }, "malformed-bls-key", "G1CoordinateNotInField", [1n, P + 1n]],
        [{ blsPublicKey: { X: 1n, Y: 1n } }, "malformed-bls-key", "G1PointNotOnCurve", [1n, 1n]],
        // The key is checked before the proof.
        [
          { blsPublicKey: { X: 1n, Y: 1n }, proofOfPossession: { sigs0: P, sigs1: 0n, sigs2: 0n, sigs3: 0n } },
          "malformed-bls-key",
          "G1PointNotOnCurve",
          [1n, 1n],
        ],
        [
          { proofOfPossession: { sigs0: 1n, sigs1: 2n, sigs2: 3n, sigs3: P } },
          "malformed-proof-of-possession",
          "G2CoordinateNotInField",
          [
            [2n, 1n],
            [P, 3n],
          ],
        ],
        [
          { proofOfPossession: { sigs0: 1n, sigs1: 2n, sigs2: 3n, sigs3: 4n } },
          "malformed-proof-of-possession",
          "G2PointNotOnTwist",
          [
            [2n, 1n],
            [4n, 3n],
          ],
        ],
        [
          { proofOfPossession: toSignatureParams(mapToTwist("0x01", domainTags(CHAIN_ID, REWARDS).hashToG2Tag).point) },
          "malformed-proof-of-possession",
          "PairingPrecompileFailed",
          [],
        ],
      ];
      for (const [overrides, code, error, args] of cases) {
        const found = only(record(planNode(PARAMETERS, proposal(overrides))));
        expect([found.code, found.error, found.args, found.stage]).to.deep.equal([code, error, args, "finalize"]);
      }
      // A null proof is no malformed point: the contract reports it as an invalid proof, and a null key with it as null.
      const nullProof = { sigs0: 0n, sigs1: 0n, sigs2: 0n, sigs3: 0n };
      expect(codesOf(planNode(PARAMETERS, proposal({ proofOfPossession: nullProof })))).to.deep.equal([
        "invalid-proof-of-possession",
      ]);
      expect(codesOf(planNode(PARAMETERS, proposal({ blsPublicKey: { X: 0n, Y: 0n } })))).to.deep.equal([
        "invalid-proof-of-possession",
      ]);
    });

    it("reports every problem at once, deploy, contribution and finalisation", function () {
      const plan = planNode(
        PARAMETERS,
        proposal({ fee: 20_000, operatorStake: 1n, proofOfPossession: popFor(OPERATOR, 1n) }),
      );
      expect(codesOf(plan)).to.deep.equal(["fee-too-high", "below-minimum", "invalid-proof-of-possession"]);
    });
  });

  describe("#planJoin", function () {
    const join = (state: ContributionState, amount: bigint, contributor = ALICE) =>
      record(planJoin(PARAMETERS, state, { contributor, amount, beneficiary: ZeroAddress }));

    it("plans approve and contributeFunds for a contribution at the minimum", function () {
      const state = openState();
      const minimum = minimumContribution(state);
      expect(minimum).to.equal(calcMinimumContribution((REQUIREMENT * 3n) / 4n, 1n, MAX));
      const plan = join(state, minimum);
      if (!plan.ok) throw new Error("refused");
      expect(plan.transactions.map((tx) => [tx.to, tx.functionName, tx.args])).to.deep.equal([
        [PARAMETERS.sesh, "approve", [state.address, minimum]],
        [state.address, "contributeFunds", [minimum, ZeroAddress]],
      ]);
    });

    it("reports an amount below the minimum as ContributionBelowMinAmount", function () {
      const state = openState();
      const minimum = minimumContribution(state);
      const found = only(join(state, minimum - 1n));
      expect([found.error, found.args]).to.deep.equal(["ContributionBelowMinAmount", [minimum - 1n, minimum]]);
    });

    it("reports an amount above what is left as ContributionExceedsStakingRequirement", function () {
      const state = openState({
        reserved: [
          { addr: OPERATOR, amount: REQUIREMENT / 4n, received: true },
          { addr: BOB, amount: REQUIREMENT / 4n, received: false },
        ],
        totalReservedContribution: REQUIREMENT / 4n,
      });
      const found = only(join(state, REQUIREMENT / 2n + 1n));
      expect([found.error, found.args]).to.deep.equal([
        "ContributionExceedsStakingRequirement",
        [(REQUIREMENT * 3n) / 4n + 1n, REQUIREMENT / 4n, REQUIREMENT],
      ]);
      expect(join(state, REQUIREMENT / 2n).ok).to.equal(true);
    });

    it("reports spots reserved for others and no spot left as MaxContributorsExceeded", function () {
      const small = { ...PARAMETERS, maxContributors: 2n };
      const reservedState = openState({
        maxContributors: 2n,
        reserved: [
          { addr: OPERATOR, amount: REQUIREMENT / 4n, received: true },
          { addr: BOB, amount: REQUIREMENT / 4n, received: false },
        ],
        totalReservedContribution: REQUIREMENT / 4n,
      });
      const reserved = only(
        record(planJoin(small, reservedState, { contributor: ALICE, amount: 1n, beneficiary: ZeroAddress })),
      );
      expect([reserved.code, reserved.error, reserved.args]).to.deep.equal([
        "spots-reserved-for-others",
        "MaxContributorsExceeded",
        [2n],
      ]);
      expect(reserved.message).to.contain(BOB);
      const full = openState({
        maxContributors: 2n,
        contributions: [
          { staker: OPERATOR, beneficiary: OPERATOR, amount: REQUIREMENT / 4n },
          { staker: BOB, beneficiary: BOB, amount: REQUIREMENT / 4n },
        ],
        totalContribution: REQUIREMENT / 2n,
      });
      const none = only(record(planJoin(small, full, { contributor: CAROL, amount: 1n, beneficiary: ZeroAddress })));
      expect([none.code, none.error]).to.deep.equal(["no-spot-left", "MaxContributorsExceeded"]);
      // A top-up needs no new spot.
      expect(planJoin(small, full, { contributor: BOB, amount: 1n, beneficiary: ZeroAddress }).ok).to.equal(true);
    });

    it("reports a node that is not open as ContributeFundsNotPossible", function () {
      for (const status of [STATUS.WaitForFinalized, STATUS.Finalized]) {
        const found = only(join(openState({ status }), REQUIREMENT / 4n));
        expect([found.code, found.error, found.args]).to.deep.equal([
          "node-not-open",
          "ContributeFundsNotPossible",
          [BigInt(status)],
        ]);
      }
    });

    it("reports a contribution before the operator's as FirstContributionMustBeOperator", function () {
      const found = only(
        join(openState({ status: STATUS.WaitForOperatorContrib, contributions: [], totalContribution: 0n }), 1n),
      );
      expect([found.error, found.args]).to.deep.equal(["FirstContributionMustBeOperator", [ALICE, OPERATOR]]);
    });

    it("reports an amount below the caller's reservation as ContributionBelowReservedAmount", function () {
      const state = openState({
        reserved: [
          { addr: OPERATOR, amount: REQUIREMENT / 4n, received: true },
          { addr: ALICE, amount: REQUIREMENT / 4n, received: false },
        ],
        totalReservedContribution: REQUIREMENT / 4n,
      });
      const found = only(join(state, REQUIREMENT / 4n - 1n));
      expect([found.error, found.args]).to.deep.equal([
        "ContributionBelowReservedAmount",
        [REQUIREMENT / 4n - 1n, REQUIREMENT / 4n],
      ]);
    });

    it("reports a zero amount as ZeroContribution", function () {
      expect(only(join(openState(), 0n)).error).to.equal("ZeroContribution");
    });

    it("reports a changed requirement or maximum of the rewards contract", function () {
      const requirement = only(join(openState({ stakingRequirement: REQUIREMENT * 2n }), 1n));
      expect([requirement.error, requirement.args]).to.deep.equal([
        "RewardsContractStakingRequirementChanged",
        [REQUIREMENT * 2n, REQUIREMENT],
      ]);
      const max = only(join(openState({ maxContributors: 5n }), 1n));
      expect([max.error, max.args]).to.deep.equal(["RewardsContractMaxContributorsChanged", [5n, MAX]]);
    });
  });

  describe("live state (pauses, start, balances)", function () {
    const live = (overrides: Partial<NonNullable<RegistrationParameters["live"]>> = {}): RegistrationParameters => ({
      ...PARAMETERS,
      live: {
        factoryPaused: false,
        rewardsPaused: false,
        rewardsStarted: true,
        balances: new Map([
          [OPERATOR, REQUIREMENT],
          [ALICE, REQUIREMENT],
        ]),
        ...overrides,
      },
    });

    it("accepts a proposal and a join when nothing is paused, the contract started and the senders funded", function () {
      expect(planNode(live(), proposal()).ok).to.equal(true);
      expect(
        planJoin(live(), openState(), { contributor: ALICE, amount: REQUIREMENT / 4n, beneficiary: ALICE }).ok,
      ).to.equal(true);
    });

    it("reports a paused factory first, as EnforcedPause at deploy, and still checks the rest", function () {
      const plan = record(planNode(live({ factoryPaused: true }), proposal({ fee: 10_001 })));
      expect(codesOf(plan)).to.deep.equal(["factory-paused", "fee-too-high"]);
      expect(problemsOf(plan)[0]).to.include({ error: "EnforcedPause", stage: "deploy" });
    });

    it("reports an operator holding less than the stake as ERC20InsufficientBalance with the balance and the amount", function () {
      const balances = new Map([[OPERATOR, REQUIREMENT / 4n - 1n]]);
      const found = only(record(planNode(live({ balances }), proposal())));
      expect(found).to.deep.include({
        code: "insufficient-balance",
        error: "ERC20InsufficientBalance",
        args: [OPERATOR, REQUIREMENT / 4n - 1n, REQUIREMENT / 4n],
        stage: "contribute",
      });
    });

    it("does not check a sender whose balance was not read", function () {
      expect(planNode(live({ balances: new Map() }), proposal()).ok).to.equal(true);
    });

    it("reports a paused rewards contract (EnforcedPause) before one not started, at finalisation", function () {
      const paused = only(record(planNode(live({ rewardsPaused: true, rewardsStarted: false }), proposal())));
      expect(paused).to.include({ code: "rewards-paused", error: "EnforcedPause", stage: "finalize" });
      const notStarted = only(record(planNode(live({ rewardsStarted: false }), proposal())));
      expect(notStarted).to.include({ code: "rewards-not-started", error: "ContractNotStarted", stage: "finalize" });
    });

    it("refuses a join that fills the node while the rewards contract is paused, and accepts one that does not fill it", function () {
      const state = openState({ totalContribution: REQUIREMENT - REQUIREMENT / 4n });
      const filling = { contributor: ALICE, amount: REQUIREMENT / 4n, beneficiary: ALICE };
      expect(codesOf(record(planJoin(live({ rewardsPaused: true }), state, filling)))).to.deep.equal([
        "rewards-paused",
      ]);
      expect(codesOf(planJoin(live({ rewardsStarted: false }), state, filling))).to.deep.equal(["rewards-not-started"]);
      expect(planJoin(live({ rewardsPaused: true }), state, { ...filling, amount: REQUIREMENT / 8n }).ok).to.equal(
        true,
      );
      expect(planJoin(live({ rewardsPaused: true }), { ...state, manualFinalize: true }, filling).ok).to.equal(true);
    });

    it("reports a joiner short of SESH, and nothing about the pause when the amount checks fail first", function () {
      const balances = new Map([[ALICE, 1n]]);
      const join = { contributor: ALICE, amount: REQUIREMENT / 4n, beneficiary: ALICE };
      expect(codesOf(record(planJoin(live({ balances }), openState(), join)))).to.deep.equal(["insufficient-balance"]);
      expect(codesOf(planJoin(live({ rewardsPaused: true }), openState(), { ...join, amount: 1n }))).to.deep.equal([
        "below-minimum",
      ]);
    });
  });

  describe("PROBLEM_CODES", function () {
    // Mocha runs this suite after the ones above, which record the codes their plans report.
    it("has a test above for every code", function () {
      expect([...PROBLEM_CODES].filter((code) => !seen.has(code))).to.deep.equal([]);
    });
  });
});

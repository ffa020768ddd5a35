import { expect } from "chai";
import { ZeroAddress } from "ethers";

import { ATOMS_PER_SESH } from "../../../lib/amount";
import { InputFileError } from "../../../lib/errors";
import { ZERO_ADDRESS_PROBLEM } from "../../../lib/schema";
import { parseTgeParameters, type TgeParameters } from "../../../lib/tge/parameters";
import {
  amountPaidTo,
  contractsPaid,
  paidDirectly,
  planTge,
  withContractAddresses,
  type TgePlan,
} from "../../../lib/tge/plan";
import { lineOf, rawTgeParameters } from "../../helpers/tge";

/** Twenty local accounts, as the hardhat network offers. */
const ACCOUNTS = Array.from({ length: 20 }, (_, index) => `0x${(index + 1).toString(16).padStart(40, "0")}`);

describe("lib/tge", function () {
  describe("#parseTgeParameters", function () {
    it("reads a line of 0.5000000000 SESH (trailing zeros beyond the ninth decimal) as exactly 0.5 SESH", function () {
      const raw = rawTgeParameters();
      lineOf(raw, 8).amount = "999999.5000000000";
      lineOf(raw, 9).amount = "1000000.5000000000";
      const parameters = parseTgeParameters(JSON.stringify(raw), "hardhat.json");
      expect(parameters.allocations[8]?.amount).to.equal(999_999n * ATOMS_PER_SESH + 500_000_000n);
      expect(parameters.allocations[9]?.amount).to.equal(1_000_000n * ATOMS_PER_SESH + 500_000_000n);
    });

    it("checksums a line's address and a named account's address", function () {
      const raw = rawTgeParameters();
      const address = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
      lineOf(raw, 6).recipient = { address };
      raw.accounts.ecosystemFund = address.toUpperCase().replace("0X", "0x");
      const parameters = parseTgeParameters(JSON.stringify(raw), "hardhat.json");
      expect(parameters.allocations[6]?.recipient).to.deep.equal({
        kind: "address",
        address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      });
      expect(parameters.allocations[1]?.recipient).to.deep.include({
        account: { kind: "address", address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" },
      });
    });
  });

  describe("#planTge", function () {
    it("finding 1: refuses a plan that would pay the zero address, naming the line (parameters built in code)", function () {
      const parameters = parseTgeParameters(JSON.stringify(rawTgeParameters()), "hardhat.json");
      const line = parameters.allocations[6];
      if (line === undefined) throw new Error("the table has no row 6");
      const zeroLine = { ...line, recipient: { kind: "address", address: ZeroAddress } } as const;
      const edited: TgeParameters = {
        ...parameters,
        allocations: parameters.allocations.map((entry) => (entry.row === 6 ? zeroLine : entry)),
      };
      expect(() => planTge(edited, ACCOUNTS)).to.throw(
        InputFileError,
        `allocations[6] "Strategic Sale".recipient: address ${ZERO_ADDRESS_PROBLEM}`,
      );
    });
  });

  describe("#paidDirectly", function () {
    const plan = (): TgePlan =>
      planTge(parseTgeParameters(JSON.stringify(rawTgeParameters()), "hardhat.json"), ACCOUNTS);
    const claimsLine = 30_000_000n * ATOMS_PER_SESH;
    const contracts = {
      RewardRatePool: ACCOUNTS[10] ?? "",
      ServiceNodeRewards: ACCOUNTS[11] ?? "",
      OxenClaimsBridge: ACCOUNTS[12] ?? "",
      MerkleDistributor: ACCOUNTS[13] ?? "",
    };

    it("pays each contract line to its contract, none to the escrow, and splits the claims line at the conversions", function () {
      const converted = 1_234_567n * ATOMS_PER_SESH + 89n;
      const paid = paidDirectly(plan(), converted);
      expect(paid.lines.map((line) => [line.row, line.name, line.paidTo ?? line.toLabel, line.heldFor])).to.deep.equal([
        [0, "Staking Reward Pool", "RewardRatePool", undefined],
        [1, "Ecosystem and Community Fund", "ecosystemFund", undefined],
        [2, "Treasury — Operational", "treasuryOperational", undefined],
        [3, "Oxen Coin Claims: converted by the migration", "ServiceNodeRewards", undefined],
        [3, "Oxen Coin Claims: claims bridge", "OxenClaimsBridge", undefined],
        [4, "Service Node Bonus", "ServiceNodeRewards", undefined],
        [5, "Treasury — Session Nodes", "treasurySessionNodes", undefined],
        [6, "Strategic Sale", "strategicSale", undefined],
        [7, "Treasury — Contributors", "treasuryContributors", undefined],
        [8, "Treasury — Advisors", "treasuryAdvisors", undefined],
        [9, "Testnet Incentive", "MerkleDistributor", undefined],
      ]);
      expect(paid.lines[3]?.amount).to.equal(converted);
      expect(paid.lines[4]?.amount).to.equal(claimsLine - converted);
      expect(paid.lines.reduce((sum, line) => sum + line.amount, 0n)).to.equal(paid.totalSupply);
      expect(contractsPaid(paid)).to.deep.equal([
        "RewardRatePool",
        "ServiceNodeRewards",
        "OxenClaimsBridge",
        "MerkleDistributor",
      ]);
    });

    it("pays the whole claims line to the bridge without conversions, and to the rewards contract when all of it is converted", function () {
      const none = paidDirectly(plan(), 0n);
      expect(none.lines.filter((line) => line.row === 3).map((line) => [line.paidTo, line.amount])).to.deep.equal([
        ["OxenClaimsBridge", claimsLine],
      ]);
      const all = paidDirectly(plan(), claimsLine);
      expect(all.lines.filter((line) => line.row === 3).map((line) => [line.paidTo, line.amount])).to.deep.equal([
        ["ServiceNodeRewards", claimsLine],
      ]);
      expect(contractsPaid(all)).not.to.include("OxenClaimsBridge");
    });

    it("refuses conversions larger than the claims line, naming both amounts", function () {
      expect(() => paidDirectly(plan(), claimsLine + 1n)).to.throw(
        InputFileError,
        `the migration converts ${claimsLine + 1n} SESH atoms, which the OxenClaimsBridge (Oxen Coin Claims) lines, ` +
          `${claimsLine} SESH atoms in all, cannot pay`,
      );
      expect(() => paidDirectly(plan(), -1n)).to.throw(InputFileError, "cannot take back");
    });

    it("puts the deployed contracts' addresses in the lines, and refuses a plan missing one", function () {
      const paid = withContractAddresses(paidDirectly(plan(), 5n), contracts);
      expect(
        paid.lines.filter((line) => line.paidTo !== undefined).map((line) => [line.paidTo, line.to]),
      ).to.deep.equal([
        ["RewardRatePool", contracts.RewardRatePool],
        ["ServiceNodeRewards", contracts.ServiceNodeRewards],
        ["OxenClaimsBridge", contracts.OxenClaimsBridge],
        ["ServiceNodeRewards", contracts.ServiceNodeRewards],
        ["MerkleDistributor", contracts.MerkleDistributor],
      ]);
      expect(amountPaidTo(paid, contracts.ServiceNodeRewards.toUpperCase().replace("0X", "0x"))).to.equal(
        30_000_000n * ATOMS_PER_SESH + 5n,
      );
      expect(amountPaidTo(paid, contracts.OxenClaimsBridge)).to.equal(claimsLine - 5n);
      expect(amountPaidTo(paid, ACCOUNTS[1] ?? "")).to.equal(0n);
      expect(() =>
        withContractAddresses(paidDirectly(plan(), 5n), { ...contracts, MerkleDistributor: undefined }),
      ).to.throw(Error, 'the TGE deployed no MerkleDistributor for "Testnet Incentive"');
    });
  });
});

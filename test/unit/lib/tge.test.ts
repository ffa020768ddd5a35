import { expect } from "chai";
import { ZeroAddress } from "ethers";

import { ATOMS_PER_SESH } from "../../../lib/amount";
import { InputFileError } from "../../../lib/errors";
import { ZERO_ADDRESS_PROBLEM } from "../../../lib/schema";
import { parseTgeParameters, type TgeParameters } from "../../../lib/tge/parameters";
import { planTge } from "../../../lib/tge/plan";
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
});

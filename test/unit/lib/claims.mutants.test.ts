import { expect } from "chai";

import { OXEN_SUPPLY_BOUND } from "../../../lib/amount";
import { type Burn, buildEpoch, parseBurnList } from "../../../lib/claims";
import { InputFileError } from "../../../lib/errors";
import { thrownBy } from "../../helpers/errors";

// Cases the mutation run (npm run mutate) found untested in lib/claims.

const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const ID_A = "a".repeat(64);
const ID_B = "b".repeat(64);

describe("lib/claims (mutation cases)", function () {
  describe("#buildEpoch", function () {
    it("refuses an epoch without a burn", function () {
      expect(() => buildEpoch([])).to.throw(RangeError, "an epoch needs at least one burn");
    });

    it("refuses a negative amount, which no leaf can encode, naming the burn", function () {
      const burns: Burn[] = [{ burnId: ID_A, recipient: ALICE, oxenAmount: -1n }];
      expect(() => buildEpoch(burns)).to.throw(RangeError, `burn 0 "${ID_A}": -1 atoms cannot be a leaf (uint256)`);
    });

    it("accepts an amount of 0 atoms (only a burn list refuses it)", function () {
      const build = buildEpoch([{ burnId: ID_A, recipient: ALICE, oxenAmount: 0n }]);
      expect(build.totalOxen).to.equal(0n);
    });
  });

  describe("#parseBurnList", function () {
    it("states the supply bound in the message of a list whose sum is above it", function () {
      const json = JSON.stringify({
        burns: [
          { burnId: ID_A, recipient: ALICE, oxenAmount: OXEN_SUPPLY_BOUND.toString() },
          { burnId: ID_B, recipient: BOB, oxenAmount: "1" },
        ],
      });
      const error = thrownBy(() => parseBurnList(json, "burns.json"));
      if (!(error instanceof InputFileError)) throw error;
      expect(error.problems).to.deep.equal([
        `burns: the 2 burns sum to ${OXEN_SUPPLY_BOUND + 1n} atoms (18,446,744,073.709551617 OXEN), more than the ` +
          `total OXEN supply (bound: ${OXEN_SUPPLY_BOUND} atoms, 2^64)`,
      ]);
    });

    it("keeps the time of a burn that records one", function () {
      const json = JSON.stringify({
        burns: [{ burnId: ID_A, recipient: ALICE, oxenAmount: "5", burnedAt: "2025-06-01T12:00:00Z" }],
      });
      const [burn] = parseBurnList(json, "burns.json");
      expect(burn?.burnedAt?.toISOString()).to.equal("2025-06-01T12:00:00.000Z");
    });

    it("leaves out the time of a burn that records none", function () {
      const json = JSON.stringify({ burns: [{ burnId: ID_A, recipient: ALICE, oxenAmount: "5" }] });
      const [burn] = parseBurnList(json, "burns.json");
      expect(burn).to.not.have.property("burnedAt");
    });
  });
});

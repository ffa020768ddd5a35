import { expect } from "chai";
import fc from "fast-check";

import {
  ATOMS_PER_SESH,
  formatInteger,
  formatOxen,
  formatSesh,
  OXEN_SUPPLY_BOUND,
  parseSesh,
  SESH_DECIMALS,
  SESH_TOTAL_SUPPLY,
  seshAmountProblem,
  sumAmounts,
} from "../../../lib/amount";
import { FC_SEED } from "../../helpers/env";

describe("lib/amount", function () {
  it("counts 9 decimals and a supply of 240,000,000 SESH", function () {
    expect(SESH_DECIMALS).to.equal(9);
    expect(ATOMS_PER_SESH).to.equal(1_000_000_000n);
    expect(SESH_TOTAL_SUPPLY).to.equal(240_000_000_000_000_000n);
  });

  describe("#formatSesh", function () {
    it("groups thousands and names the unit", function () {
      expect(formatSesh(SESH_TOTAL_SUPPLY)).to.equal("240,000,000 SESH");
    });

    it("keeps every significant decimal down to the atom", function () {
      expect(formatSesh(1n)).to.equal("0.000000001 SESH");
      expect(formatSesh(12_822_450_500_000_000n)).to.equal("12,822,450.5 SESH");
    });

    it("writes zero and negative amounts", function () {
      expect(formatSesh(0n)).to.equal("0 SESH");
      expect(formatSesh(-1_500_000_000n)).to.equal("-1.5 SESH");
    });

    it("omits the unit on request", function () {
      expect(formatSesh(63_177_550n * ATOMS_PER_SESH, { unit: false })).to.equal("63,177,550");
    });
  });

  describe("#parseSesh", function () {
    it("reads whole and fractional SESH into atoms", function () {
      expect(parseSesh("63177550")).to.equal(63_177_550n * ATOMS_PER_SESH);
      expect(parseSesh("0.000000001")).to.equal(1n);
      expect(parseSesh("1.50")).to.equal(1_500_000_000n);
    });

    it("accepts trailing zeros beyond the ninth decimal", function () {
      expect(parseSesh("2.0000000000")).to.equal(2n * ATOMS_PER_SESH);
    });

    it("reads 0.5000000000 (more than 9 decimals, only trailing zeros) as exactly 0.5 SESH", function () {
      expect(seshAmountProblem("0.5000000000")).to.equal(undefined);
      expect(parseSesh("0.5000000000")).to.equal(ATOMS_PER_SESH / 2n);
      expect(parseSesh("0.500000000000000000000")).to.equal(500_000_000n);
      expect(parseSesh("12.1234567890000")).to.equal(12_123_456_789n);
      expect(parseSesh("0.0000000010")).to.equal(1n);
    });

    it("throws for negative amounts", function () {
      expect(() => parseSesh("-5")).to.throw(RangeError, '"-5" is negative');
    });

    it("throws for amounts finer than an atom", function () {
      expect(() => parseSesh("1.0000000001")).to.throw(RangeError, "not a whole number of atoms");
    });

    it("throws for text that is not a decimal number", function () {
      for (const text of ["", "1e6", "1,000", "0x10", " ", "1.", ".5", "forty"]) {
        expect(seshAmountProblem(text), text).to.match(/is not a decimal number of SESH/);
      }
    });

    it("round-trips every amount through its formatted text", function () {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), (atoms) => {
          expect(parseSesh(formatSesh(atoms, { unit: false }).replace(/,/g, ""))).to.equal(atoms);
        }),
        { seed: FC_SEED },
      );
    });
  });

  describe("OXEN_SUPPLY_BOUND", function () {
    it("is 2^64 atoms", function () {
      expect(OXEN_SUPPLY_BOUND).to.equal(18_446_744_073_709_551_616n);
    });
  });

  describe("#formatInteger", function () {
    it("groups thousands of numbers and bigints", function () {
      expect(formatInteger(32_000_000)).to.equal("32,000,000");
      expect(formatInteger(-1234n)).to.equal("-1,234");
      expect(formatInteger(7)).to.equal("7");
    });
  });

  describe("#formatOxen", function () {
    it("writes OXEN atoms with the same 9 decimals", function () {
      expect(formatOxen(15_000n * ATOMS_PER_SESH + 500_000_000n)).to.equal("15,000.5 OXEN");
    });
  });

  describe("#sumAmounts", function () {
    it("adds amounts, 0 for none", function () {
      expect(sumAmounts([1n, 2n, 3n])).to.equal(6n);
      expect(sumAmounts([])).to.equal(0n);
    });
  });
});

import { expect } from "chai";

import { formatInteger, formatSesh, parseSesh, seshAmountProblem } from "../../../lib/amount";

// Cases the mutation run (npm run mutate) showed untested: boundaries of the decimals, where zeros are trimmed,
// surrounding whitespace, and the exact messages a user reads.
describe("lib/amount (mutation cases)", function () {
  describe("#parseSesh", function () {
    it("accepts exactly 9 decimals", function () {
      expect(parseSesh("0.123456789")).to.equal(123_456_789n);
      expect(parseSesh("7.000000001")).to.equal(7_000_000_001n);
    });

    it("drops only trailing zeros of the fraction, however many", function () {
      expect(parseSesh("0.5000000000")).to.equal(500_000_000n);
      expect(parseSesh("0.50000000000000")).to.equal(500_000_000n);
      expect(parseSesh("0.05")).to.equal(50_000_000n);
      expect(parseSesh("0.000000100")).to.equal(100n);
      expect(parseSesh("100.0")).to.equal(100_000_000_000n);
    });

    it("keeps the zeros of the whole part", function () {
      expect(parseSesh("100")).to.equal(100_000_000_000n);
      expect(parseSesh("0")).to.equal(0n);
      expect(parseSesh("007")).to.equal(7_000_000_000n);
    });

    it("ignores whitespace around the number", function () {
      expect(parseSesh(" 1.5 ")).to.equal(1_500_000_000n);
      expect(parseSesh("\t42\n")).to.equal(42_000_000_000n);
      expect(seshAmountProblem("  3  ")).to.equal(undefined);
    });

    it("counts significant decimals only after dropping trailing zeros", function () {
      expect(() => parseSesh("0.1234567891")).to.throw(RangeError, "not a whole number of atoms");
      expect(() => parseSesh("0.12345678910")).to.throw(RangeError, "not a whole number of atoms");
    });
  });

  describe("#seshAmountProblem", function () {
    it("names the text as written and the problem", function () {
      expect(seshAmountProblem(" -5")).to.equal('" -5" is negative');
      expect(seshAmountProblem("1,5")).to.equal(
        '"1,5" is not a decimal number of SESH (write it like "63177550" or "0.5")',
      );
      expect(seshAmountProblem("1.0000000001")).to.equal(
        '"1.0000000001" is not a whole number of atoms (SESH has 9 decimals)',
      );
    });

    it("calls a negative amount negative whatever follows the sign", function () {
      expect(seshAmountProblem("-0")).to.equal('"-0" is negative');
      expect(seshAmountProblem("-x")).to.equal('"-x" is negative');
    });

    it("refuses a sign or text anywhere else", function () {
      for (const text of ["5-", "+5", "5 5", "1.2.3", "x5", "5x", "1.5x", "١٢"]) {
        expect(seshAmountProblem(text), text).to.match(/is not a decimal number of SESH/);
      }
    });
  });

  describe("#formatSesh", function () {
    it("writes the sign of negative amounts only", function () {
      expect(formatSesh(-1n)).to.equal("-0.000000001 SESH");
      expect(formatSesh(-1_234_000_000_000n, { unit: false })).to.equal("-1,234");
      expect(formatSesh(0n, { unit: false })).to.equal("0");
    });

    it("names the unit unless told not to", function () {
      expect(formatSesh(1_000_000_000n, {})).to.equal("1 SESH");
      expect(formatSesh(1_000_000_000n, { unit: true })).to.equal("1 SESH");
    });

    it("groups every three digits of the whole part and none of the fraction", function () {
      expect(formatSesh(999_000_000_000n)).to.equal("999 SESH");
      expect(formatSesh(1_000_000_000_000n)).to.equal("1,000 SESH");
      expect(formatSesh(1_234_567_123_456_789n)).to.equal("1,234,567.123456789 SESH");
    });
  });

  describe("#formatInteger", function () {
    it("groups thousands of large and negative numbers", function () {
      expect(formatInteger(0)).to.equal("0");
      expect(formatInteger(999)).to.equal("999");
      expect(formatInteger(1_000)).to.equal("1,000");
      expect(formatInteger(-1_000_000n)).to.equal("-1,000,000");
      expect(formatInteger(-12)).to.equal("-12");
    });
  });
});

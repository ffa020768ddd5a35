import { expect } from "chai";
import { getAddress, ZeroAddress } from "ethers";
import type { z } from "zod";

import {
  addressProblem,
  checksumAddress,
  ethereumAddress,
  isZeroAddress,
  lowercaseEthereumAddress,
  recipientAddress,
  ZERO_ADDRESS,
  ZERO_ADDRESS_PROBLEM,
} from "../../../lib/schema";

const ALICE = getAddress(`0x${"a1b2".repeat(10)}`);
/** ALICE with the case of one checksummed letter flipped. */
function badChecksum(address: string): string {
  const at = address.slice(2).search(/[a-fA-F]/) + 2;
  const letter = address.charAt(at);
  const flipped = letter === letter.toLowerCase() ? letter.toUpperCase() : letter.toLowerCase();
  return `${address.slice(0, at)}${flipped}${address.slice(at + 1)}`;
}

function issuesOf(schema: z.ZodType, text: string): string[] {
  const result = schema.safeParse(text);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe("lib/schema", function () {
  describe("#recipientAddress (the address check of the TGE table, burn lists and awards)", function () {
    it("checksums an all-lowercase or all-uppercase address", function () {
      expect(recipientAddress.parse(ALICE.toLowerCase())).to.equal(ALICE);
      expect(recipientAddress.parse(`0x${ALICE.slice(2).toUpperCase()}`)).to.equal(ALICE);
      expect(recipientAddress.parse(ALICE)).to.equal(ALICE);
    });

    it("rejects a mixed-case address with a wrong checksum", function () {
      expect(issuesOf(recipientAddress, badChecksum(ALICE))).to.deep.equal([
        "is not an address (expected 0x and 40 hex digits, with a correct checksum if mixed-case)",
      ]);
    });

    it("rejects text that is not 0x and 40 hex digits", function () {
      for (const text of [
        "",
        "0x",
        ALICE.slice(0, -1),
        `${ALICE}0`,
        ALICE.slice(2),
        `0X${ALICE.slice(2)}`,
        "XE7338O",
      ]) {
        expect(issuesOf(recipientAddress, text), text).to.have.length(1);
      }
    });

    it("rejects the zero address", function () {
      expect(issuesOf(recipientAddress, ZeroAddress)).to.deep.equal([ZERO_ADDRESS_PROBLEM]);
      expect(isZeroAddress(ZERO_ADDRESS)).to.equal(true);
      expect(isZeroAddress(ALICE)).to.equal(false);
    });
  });

  describe("#ethereumAddress", function () {
    it("accepts the zero address, for fields that are not recipients", function () {
      expect(ethereumAddress.parse(ZeroAddress)).to.equal(ZeroAddress);
      expect(ethereumAddress.parse(ALICE.toLowerCase())).to.equal(ALICE);
    });
  });

  describe("#lowercaseEthereumAddress", function () {
    it("lowercases, still checking a mixed-case checksum", function () {
      expect(lowercaseEthereumAddress.parse(ALICE)).to.equal(ALICE.toLowerCase());
      expect(issuesOf(lowercaseEthereumAddress, badChecksum(ALICE))).to.have.length(1);
    });
  });

  describe("#addressProblem and #checksumAddress", function () {
    it("agree with ethers on a well-formed address", function () {
      expect(addressProblem(ALICE)).to.equal(undefined);
      expect(checksumAddress(ALICE.toLowerCase())).to.equal(ALICE);
      expect(checksumAddress(ALICE)).to.equal(ALICE);
    });
  });
});

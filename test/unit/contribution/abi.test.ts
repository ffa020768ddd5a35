import { expect } from "chai";

import { ServiceNodeContribution__factory, ServiceNodeContributionFactory__factory } from "../../../typechain-types";
import { compareWithProductionAbi } from "../../helpers/abi";

/** OpenZeppelin 5.0.2's errors that OpenZeppelin 5.7 renamed (FailedCall, InsufficientBalance) or dropped. */
const OZ_ERRORS = ["AddressEmptyCode", "AddressInsufficientBalance", "FailedInnerCall"] as const;

describe("ServiceNodeContribution and its factory: interface", function () {
  describe("ServiceNodeContribution", function () {
    it("keeps every production function, event and error with its types (OpenZeppelin 5.0.2's errors excepted)", function () {
      const { differences } = compareWithProductionAbi(
        "ServiceNodeContribution",
        ServiceNodeContribution__factory.abi,
        {
          ozErrors: OZ_ERRORS,
        },
      );
      expect(differences).to.deep.equal([]);
    });

    it("names each difference when nothing is allowed: only OpenZeppelin 5.0.2's errors", function () {
      expect(
        compareWithProductionAbi("ServiceNodeContribution", ServiceNodeContribution__factory.abi).differences,
      ).to.deep.equal([
        "error AddressEmptyCode(address) is missing",
        "error AddressInsufficientBalance(address) is missing",
        "error FailedInnerCall() is missing",
      ]);
    });
  });

  describe("ServiceNodeContributionFactory", function () {
    it("keeps every production function, event and error with its types, renounceOwnership made a view", function () {
      const { differences, allowed } = compareWithProductionAbi(
        "ServiceNodeContributionFactory",
        ServiceNodeContributionFactory__factory.abi,
        { allowedMutability: ["renounceOwnership"] },
      );
      expect(differences).to.deep.equal([]);
      expect(allowed).to.deep.equal(["function renounceOwnership() is view instead of nonpayable (stricter, allowed)"]);
    });
  });
});

import { expect } from "chai";
import { Interface } from "ethers";

import { TokenVestingNoStaking__factory } from "../../../typechain-types";
import { compareWithProductionAbi, productionAbi } from "../../helpers/abi";

/** The constructor's input types, `address,address,uint256,uint256,bool`. */
function constructorTypes(abi: Interface): string {
  return abi.deploy.inputs.map((input) => input.format("sighash")).join(",");
}

describe("TokenVestingNoStaking: interface", function () {
  it("keeps every production function, event and error with its types", function () {
    const { differences, allowed } = compareWithProductionAbi(
      "TokenVestingNoStaking",
      TokenVestingNoStaking__factory.abi,
    );
    expect(differences).to.deep.equal([]);
    expect(allowed).to.deep.equal([]);
  });

  it("keeps production's constructor (beneficiary, revoker, cliff, end, transferable)", function () {
    const ours = new Interface(TokenVestingNoStaking__factory.abi);
    expect(constructorTypes(ours)).to.equal(constructorTypes(productionAbi("TokenVestingNoStaking")));
    expect(ours.deploy.inputs.map((input) => input.name)).to.deep.equal([
      "beneficiary_",
      "revoker_",
      "cliff_",
      "end_",
      "transferableBeneficiary_",
    ]);
  });

  it("adds only the per-token views and custom errors that production's strings and single flag did not have", function () {
    const production = productionAbi("TokenVestingNoStaking");
    const ours = new Interface(TokenVestingNoStaking__factory.abi);
    const names = (abi: Interface): Set<string> => {
      const all = new Set<string>();
      abi.forEachFunction((fragment) => all.add(`function ${fragment.format("sighash")}`));
      abi.forEachError((fragment) => all.add(`error ${fragment.format("sighash")}`));
      abi.forEachEvent((fragment) => all.add(`event ${fragment.format("sighash")}`));
      return all;
    };
    const known = names(production);
    const added = [...names(ours)].filter((name) => !known.has(name)).sort();
    expect(added).to.deep.equal([
      "error AlreadyRevoked(address)",
      "error BeneficiaryNotTransferable()",
      "error CliffAfterEnd(uint256,uint256)",
      "error EndNotInFuture(uint256,uint256)",
      "error InvalidBeneficiary(address)",
      "error NotBeneficiary(address)",
      "error NotRevoker(address)",
      "error NothingToRelease(address)",
      "error ReentrancyGuardReentrantCall()",
      "error VestingEnded(uint256,uint256)",
      "error ZeroCliff()",
      "function isRevoked(address)",
      "function releasable(address)",
      "function vestedAmount(address,uint256)",
    ]);
  });
});

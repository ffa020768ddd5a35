import { expect } from "chai";
import type { ConstructorFragment, ParamType } from "ethers";
import { Interface } from "ethers";

import { TokenVestingStaking__factory } from "../../../typechain-types";
import { compareWithProductionAbi, productionAbi } from "../../helpers/abi";

const CONTRACT = "TokenVestingStaking";

/** Each input as `type name`. */
function inputsOf(fragment: ConstructorFragment | null): string[] {
  if (fragment === null) throw new Error("no constructor");
  return fragment.inputs.map((param: ParamType) => `${param.format("sighash")} ${param.name}`);
}

/** The names of `ours`' functions, events and errors that `production` lacks (by signature, by name, by name). */
function additions(ours: Interface, production: Interface): string[] {
  const names: string[] = [];
  ours.forEachFunction((fragment) => {
    if (production.getFunction(fragment.format("sighash")) === null)
      names.push(`function ${fragment.format("sighash")}`);
  });
  ours.forEachEvent((fragment) => {
    if (production.getEvent(fragment.name) === null) names.push(`event ${fragment.name}`);
  });
  ours.forEachError((fragment) => {
    if (production.getError(fragment.name) === null) names.push(`error ${fragment.format("sighash")}`);
  });
  return names.sort();
}

describe("TokenVestingStaking: interface", function () {
  it("keeps every production function, event and error with its types, with nothing allowed", function () {
    const { differences, allowed } = compareWithProductionAbi(CONTRACT, TokenVestingStaking__factory.abi);
    expect(differences).to.deep.equal([]);
    expect(allowed).to.deep.equal([]);
  });

  it("keeps production's constructor: argument names, order and types", function () {
    const ours = new Interface(TokenVestingStaking__factory.abi);
    expect(inputsOf(ours.deploy)).to.deep.equal(inputsOf(productionAbi(CONTRACT).deploy));
    expect(inputsOf(ours.deploy)).to.deep.equal([
      "address beneficiary_",
      "address revoker_",
      "uint256 start_",
      "uint256 end_",
      "bool transferableBeneficiary_",
      "address rewardsContract_",
      "address snContribFactory_",
      "address sesh_",
    ]);
  });

  it("adds only the two schedule views, its custom errors and the re-entry guard's error", function () {
    const ours = new Interface(TokenVestingStaking__factory.abi);
    expect(additions(ours, productionAbi(CONTRACT))).to.deep.equal(
      [
        "function releasable(address)",
        "function vestedAmount(address,uint256)",
        "error AllowanceNotSpent(address,uint256)",
        "error BeneficiaryNotTransferable()",
        "error CallerNotBeneficiary(address,address)",
        "error CallerNotRevoker(address,address)",
        "error ContributionNotFromFactory(address,address)",
        "error FactoryRewardsMismatch(address,address)",
        "error InvalidBeneficiary(address)",
        "error InvalidRevoker(address)",
        "error NotAContract(address)",
        "error NothingToRelease(address)",
        "error ReentrancyGuardReentrantCall()",
        "error StartAfterEnd(uint256,uint256)",
        "error StartNotInFuture(uint256,uint256)",
        "error TokenMismatch(address,address)",
        "error VestingEnded(uint256,uint256)",
        "error VestingNotEnded(uint256,uint256)",
        "error VestingNotStarted(uint256,uint256)",
        "error VestingRevoked(address)",
      ].sort(),
    );
  });
});

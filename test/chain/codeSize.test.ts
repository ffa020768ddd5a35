import { expect } from "chai";
import hre from "hardhat";

/** EIP-170's limit on deployed code, which Arbitrum enforces too. */
const MAX_CODE_SIZE = 24_576;

describe("deployable contracts", function () {
  it("stay under the 24,576-byte code size limit", async function () {
    const names = (await hre.artifacts.getAllFullyQualifiedNames()).filter(
      (name) => name.startsWith("contracts/") && !name.startsWith("contracts/test/"),
    );
    expect(names).to.include("contracts/SESH.sol:SESH");
    for (const name of names) {
      const { deployedBytecode } = await hre.artifacts.readArtifact(name);
      const size = (deployedBytecode.length - 2) / 2;
      expect(size, name).to.be.at.most(MAX_CODE_SIZE);
    }
  });
});

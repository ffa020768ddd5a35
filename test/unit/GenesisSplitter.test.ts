import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { ethers } from "hardhat";

import { SESH_TOTAL_SUPPLY } from "../../lib/amount";

const ONE_THIRD = SESH_TOTAL_SUPPLY / 3n;

async function splitterFixture() {
  const [deployer, stranger, alice, bob, carol] = await ethers.getSigners();
  if (!deployer || !stranger || !alice || !bob || !carol) throw new Error("the fixture needs five accounts");
  const splitter = await ethers.deployContract("GenesisSplitter", [], deployer);
  const sesh = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, splitter, ZeroAddress, ZeroAddress], deployer);
  // A second SESH whose supply goes elsewhere: the splitter holds none of it.
  const other = await ethers.deployContract("SESH", [SESH_TOTAL_SUPPLY, deployer, ZeroAddress, ZeroAddress], deployer);
  const recipients = [alice.address, bob.address, carol.address];
  const amounts = [ONE_THIRD, ONE_THIRD, SESH_TOTAL_SUPPLY - 2n * ONE_THIRD];
  return { splitter, sesh, other, deployer, stranger, recipients, amounts };
}

describe("GenesisSplitter", function () {
  describe("#constructor", function () {
    it("records the deploying account", async function () {
      const { splitter, deployer } = await loadFixture(splitterFixture);
      expect(await splitter.deployer()).to.equal(deployer.address);
    });

    it("has split nothing yet", async function () {
      const { splitter } = await loadFixture(splitterFixture);
      expect(await splitter.splitToken()).to.equal(ZeroAddress);
    });
  });

  describe("#split", function () {
    describe("when the lines sum to the balance", function () {
      it("pays every line", async function () {
        const { splitter, sesh, recipients, amounts } = await loadFixture(splitterFixture);
        await splitter.split(sesh, recipients, amounts);
        for (const [index, recipient] of recipients.entries()) {
          expect(await sesh.balanceOf(recipient)).to.equal(amounts[index]);
        }
      });

      it("leaves nothing in the splitter", async function () {
        const { splitter, sesh, recipients, amounts } = await loadFixture(splitterFixture);
        await splitter.split(sesh, recipients, amounts);
        expect(await sesh.balanceOf(splitter)).to.equal(0n);
      });

      it("pays a recipient named on several lines the sum of its lines", async function () {
        const { splitter, sesh, recipients, amounts } = await loadFixture(splitterFixture);
        const twice = [recipients[0] ?? "", recipients[0] ?? "", recipients[1] ?? ""];
        await splitter.split(sesh, twice, amounts);
        expect(await sesh.balanceOf(twice[0] ?? "")).to.equal(2n * ONE_THIRD);
      });

      it("records the token", async function () {
        const { splitter, sesh, recipients, amounts } = await loadFixture(splitterFixture);
        await splitter.split(sesh, recipients, amounts);
        expect(await splitter.splitToken()).to.equal(await sesh.getAddress());
      });

      it("emits Split with the number of lines and the total", async function () {
        const { splitter, sesh, recipients, amounts } = await loadFixture(splitterFixture);
        await expect(splitter.split(sesh, recipients, amounts))
          .to.emit(splitter, "Split")
          .withArgs(await sesh.getAddress(), 3n, SESH_TOTAL_SUPPLY);
      });

      it("emits a Transfer for each line, in order", async function () {
        const { splitter, sesh, recipients, amounts } = await loadFixture(splitterFixture);
        const tx = splitter.split(sesh, recipients, amounts);
        for (const [index, recipient] of recipients.entries()) {
          await expect(tx)
            .to.emit(sesh, "Transfer")
            .withArgs(await splitter.getAddress(), recipient, amounts[index]);
        }
      });
    });

    it("reverts if the caller is not the deployer", async function () {
      const { splitter, sesh, stranger, deployer, recipients, amounts } = await loadFixture(splitterFixture);
      await expect(splitter.connect(stranger).split(sesh, recipients, amounts))
        .to.be.revertedWithCustomError(splitter, "NotDeployer")
        .withArgs(stranger.address, deployer.address);
    });

    it("reverts if the supply was already split", async function () {
      const { splitter, sesh, recipients, amounts } = await loadFixture(splitterFixture);
      await splitter.split(sesh, recipients, amounts);
      await expect(splitter.split(sesh, recipients, amounts))
        .to.be.revertedWithCustomError(splitter, "AlreadySplit")
        .withArgs(await sesh.getAddress());
    });

    it("reverts if the splitter holds none of the token", async function () {
      const { splitter, other, recipients, amounts } = await loadFixture(splitterFixture);
      await expect(splitter.split(other, recipients, amounts))
        .to.be.revertedWithCustomError(splitter, "NothingToSplit")
        .withArgs(await other.getAddress());
    });

    it("reverts if the lists have different lengths", async function () {
      const { splitter, sesh, recipients, amounts } = await loadFixture(splitterFixture);
      await expect(splitter.split(sesh, recipients, amounts.slice(0, 2)))
        .to.be.revertedWithCustomError(splitter, "LengthMismatch")
        .withArgs(3n, 2n);
    });

    it("reverts if a recipient is the zero address", async function () {
      const { splitter, sesh, recipients, amounts } = await loadFixture(splitterFixture);
      await expect(splitter.split(sesh, [recipients[0] ?? "", ZeroAddress, recipients[2] ?? ""], amounts))
        .to.be.revertedWithCustomError(splitter, "InvalidRecipient")
        .withArgs(1n, ZeroAddress);
    });

    it("reverts if a recipient is the splitter itself", async function () {
      const { splitter, sesh, recipients, amounts } = await loadFixture(splitterFixture);
      const self = await splitter.getAddress();
      await expect(splitter.split(sesh, [recipients[0] ?? "", recipients[1] ?? "", self], amounts))
        .to.be.revertedWithCustomError(splitter, "InvalidRecipient")
        .withArgs(2n, self);
    });

    it("reverts if an amount is 0", async function () {
      const { splitter, sesh, recipients } = await loadFixture(splitterFixture);
      await expect(splitter.split(sesh, recipients, [0n, ONE_THIRD, SESH_TOTAL_SUPPLY - ONE_THIRD]))
        .to.be.revertedWithCustomError(splitter, "ZeroAmount")
        .withArgs(0n);
    });

    it("reverts if a line asks for more than the lines before it left", async function () {
      const { splitter, sesh, recipients } = await loadFixture(splitterFixture);
      await expect(splitter.split(sesh, recipients, [ONE_THIRD, ONE_THIRD, SESH_TOTAL_SUPPLY - 2n * ONE_THIRD + 1n]))
        .to.be.revertedWithCustomError(splitter, "AllocationExceedsBalance")
        .withArgs(2n, SESH_TOTAL_SUPPLY - 2n * ONE_THIRD + 1n, SESH_TOTAL_SUPPLY - 2n * ONE_THIRD);
    });

    it("reverts, without overflowing, if a line asks for more than any balance", async function () {
      const { splitter, sesh, recipients } = await loadFixture(splitterFixture);
      await expect(splitter.split(sesh, recipients, [ONE_THIRD, ethers.MaxUint256, 1n]))
        .to.be.revertedWithCustomError(splitter, "AllocationExceedsBalance")
        .withArgs(1n, ethers.MaxUint256, SESH_TOTAL_SUPPLY - ONE_THIRD);
    });

    it("reverts if the lines sum to less than the balance", async function () {
      const { splitter, sesh, recipients } = await loadFixture(splitterFixture);
      await expect(splitter.split(sesh, recipients, [ONE_THIRD, ONE_THIRD, ONE_THIRD - 1n]))
        .to.be.revertedWithCustomError(splitter, "AllocationBelowBalance")
        .withArgs(3n * ONE_THIRD - 1n, SESH_TOTAL_SUPPLY);
    });

    it("reverts if there is no line", async function () {
      const { splitter, sesh } = await loadFixture(splitterFixture);
      await expect(splitter.split(sesh, [], []))
        .to.be.revertedWithCustomError(splitter, "AllocationBelowBalance")
        .withArgs(0n, SESH_TOTAL_SUPPLY);
    });

    it("can be retried with corrected lines after a revert", async function () {
      const { splitter, sesh, recipients, amounts } = await loadFixture(splitterFixture);
      await expect(splitter.split(sesh, recipients, [1n, 1n, 1n])).to.be.reverted;
      await splitter.split(sesh, recipients, amounts);
      expect(await sesh.balanceOf(splitter)).to.equal(0n);
    });
  });
});

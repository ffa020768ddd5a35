import { expect } from "chai";
import { AbiCoder, Interface } from "ethers";

import { describeRevert, errorDecoderOf, revertData, revertsWith } from "../../../../lib/chain/revert";

describe("lib/chain/revertData", function () {
  const data = "0x8f4eb604";

  it("reads the data of ethers' CALL_EXCEPTION and of Hardhat's in-process provider", function () {
    expect(revertData({ code: "CALL_EXCEPTION", data })).to.equal(data);
  });

  it("reads the data a node's JSON-RPC error nests in its data object (Hardhat's HTTP provider)", function () {
    expect(revertData({ message: "reverted", data: { message: "reverted", data } })).to.equal(data);
  });

  it("reads the data of an error wrapped in info.error or in error", function () {
    expect(revertData({ info: { error: { data } } })).to.equal(data);
    expect(revertData({ error: { error: { data: { data } } } })).to.equal(data);
  });

  it("gives nothing for an error without revert data, a text that is not hex, or a non-object", function () {
    expect(revertData(new Error("connection refused"))).to.equal(undefined);
    expect(revertData({ data: "not hex" })).to.equal(undefined);
    expect(revertData("0x1234")).to.equal(undefined);
    expect(revertData(null)).to.equal(undefined);
  });

  it("stops on an error that refers to itself", function () {
    const looped: { error?: unknown } = {};
    looped.error = looped;
    expect(revertData(looped)).to.equal(undefined);
  });

  describe("revertsWith", function () {
    const errors = {
      parseError: (data: string) => (data === "0x8f4eb604" ? { name: "AlreadyClaimed" } : null),
    };

    it("is true for a call that reverts with the named error, false for another or for a call that goes through", async function () {
      const reverting = (): Promise<never> => Promise.reject(Object.assign(new Error("reverted"), { data }));
      expect(await revertsWith(reverting, errors, "AlreadyClaimed")).to.equal(true);
      expect(await revertsWith(reverting, errors, "InvalidProof")).to.equal(false);
      expect(await revertsWith(() => Promise.resolve(1n), errors, "AlreadyClaimed")).to.equal(false);
    });

    it("throws again a failure that carries no revert data", async function () {
      const failure = new Error("connection refused");
      let thrown: unknown;
      await revertsWith(() => Promise.reject(failure), errors, "AlreadyClaimed").catch((error: unknown) => {
        thrown = error;
      });
      expect(thrown).to.equal(failure);
    });
  });

  describe("describeRevert", function () {
    const errors = new Interface([
      "error ExitTooEarly(uint64 serviceNodeID, uint256 addedTimestamp, uint256 currenttime)",
      "error BLSPubkeyDoesNotExist((uint256 X, uint256 Y) pubkey)",
      "error Nothing()",
    ]);

    it("names a custom error with its arguments: numbers in decimal, a struct in brackets", function () {
      expect(
        describeRevert(errors.encodeErrorResult("ExitTooEarly", [6, 1_720_000_000, 1_720_003_600]), errors),
      ).to.equal("ExitTooEarly(6, 1720000000, 1720003600)");
      expect(describeRevert(errors.encodeErrorResult("BLSPubkeyDoesNotExist", [[1, 2]]), errors)).to.equal(
        "BLSPubkeyDoesNotExist([1, 2])",
      );
      expect(describeRevert(errors.encodeErrorResult("Nothing", []), errors)).to.equal("Nothing()");
    });

    it("names Solidity's Error(string) and Panic(uint256)", function () {
      const coder = AbiCoder.defaultAbiCoder();
      expect(describeRevert(`0x08c379a0${coder.encode(["string"], ["boom"]).slice(2)}`, errors)).to.equal(
        "Error(boom)",
      );
      expect(describeRevert(`0x4e487b71${coder.encode(["uint256"], [17]).slice(2)}`, errors)).to.equal("Panic(17)");
    });

    it("gives the selector of an error it cannot decode, and says when a revert has no data", function () {
      const data = errors.getError("Nothing")?.selector ?? "";
      expect(describeRevert(data)).to.equal(`the unknown error ${data}`);
      expect(describeRevert("0xdeadbeef00", errors)).to.equal("the unknown error 0xdeadbeef");
      expect(describeRevert("0x", errors)).to.equal("no revert data");
    });
  });

  describe("errorDecoderOf", function () {
    it("decodes the errors of every ABI given, each once, and nothing else of them", function () {
      const decoder = errorDecoderOf([
        ["error AlreadyClaimed(uint256 index)", "function claim(uint256 index)", "event Claimed(uint256 index)"],
        ["error AlreadyClaimed(uint256 index)", "error InvalidProof()"],
      ]);
      expect(decoder.fragments.map((fragment) => fragment.format("sighash"))).to.deep.equal([
        "AlreadyClaimed(uint256)",
        "InvalidProof()",
      ]);
      const data = decoder.encodeErrorResult("AlreadyClaimed", [3]);
      expect(describeRevert(data, decoder)).to.equal("AlreadyClaimed(3)");
    });
  });
});

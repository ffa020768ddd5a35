import { expect } from "chai";

import { revertData, revertsWith } from "../../../../lib/chain/revert";

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
});

import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";

import { exitMessage, rewardMessage } from "../../../lib/bls";
import { deployStakingFixture } from "../../helpers/staking";

describe("ServiceNodeRewards (smoke)", function () {
  it("registers a solo node, credits and pays network-signed rewards, and exits with a signature", async function () {
    const f = await loadFixture(deployStakingFixture);
    await (await f.rewards.connect(f.owner).start()).wait();
    const operator = f.stakers[0];
    if (operator === undefined) throw new Error("no staker");
    const ed = 1234n;
    const pop = f.network.proofOfPossession(0, f.tags, operator.address, ed);
    const node = f.network.node(0);
    await (
      await f.rewards
        .connect(operator)
        .addBLSPublicKey(
          node.publicKeyStruct,
          pop,
          { serviceNodePubkey: ed, serviceNodeSignature1: 0n, serviceNodeSignature2: 0n, fee: 0 },
          [],
        )
    ).wait();
    f.network.register(0, 1n);
    expect(await f.rewards.totalNodes()).to.equal(1n);
    const agg = await f.rewards.aggregatePubkey();
    expect(agg.X).to.equal(node.publicKeyStruct.X);
    expect(agg.Y).to.equal(node.publicKeyStruct.Y);

    const amount = 5n * 10n ** 9n;
    const signed = f.network.sign(rewardMessage(f.tags, operator.address, amount), f.tags.hashToG2Tag);
    const tx = await f.rewards.updateRewardsBalance(operator.address, amount, signed.params, []);
    console.log("updateRewardsBalance gas", (await tx.wait())?.gasUsed);
    // fund the contract with rewards from the pool share? it holds the stake; pay from it for the smoke test.
    const claim = await f.rewards.connect(operator)["claimRewards()"]();
    console.log("claim gas", (await claim.wait())?.gasUsed);

    await time.increase(3 * 3600);
    const now = BigInt(await time.latest()) + 1n;
    await time.setNextBlockTimestamp(now);
    const exitSig = f.network.sign(exitMessage(f.tags, node.publicKeyStruct, now), f.tags.hashToG2Tag);
    const exit = await f.rewards.exitBLSPublicKeyWithSignature(node.publicKeyStruct, now, exitSig.params, []);
    console.log("exit gas", (await exit.wait())?.gasUsed);
    expect(await f.rewards.totalNodes()).to.equal(0n);
  });
});

import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { deployTge } from "../deploy/tge";
import { ATOMS_PER_SESH } from "../lib/amount";
import { signPermit } from "../lib/chain/permit";
import { PreconditionError } from "../lib/errors";
import type { GasSnapshot } from "../lib/gas/snapshot";

/** Far enough in the future that a permit never expires while measured. */
const PERMIT_DEADLINE = 2n ** 64n;

/**
 * Measures the gas of the suite's hot paths on a fresh in-process chain, always in the same order and with the
 * same accounts and amounts so that the figures are reproducible:
 * - `TGE.deploySESH`: the token's deployment, which mints the supply;
 * - `TGE.total`: the whole TGE (GenesisSplitter, SESH, and the split that pays every allocation line);
 * - `SESH.transfer`: between two accounts that both hold SESH before and after;
 * - `SESH.transfer.toNewHolder`: to an account that held none;
 * - `SESH.transferFrom`: by a spender with a finite allowance left after the call, between two holders;
 * - `SESH.permit`: the owner's first permit, to a spender with no allowance.
 */
export async function measureHotPaths(hre: HardhatRuntimeEnvironment): Promise<GasSnapshot> {
  if (hre.network.name !== "hardhat") {
    throw new PreconditionError(`gas is measured on the in-process hardhat network, not on ${hre.network.name}`);
  }
  const tge = await deployTge(hre);
  const deployTx = tge.transactions.find((tx) => tx.contractAddress === tge.seshAddress);
  if (deployTx === undefined) throw new Error("the TGE sent no SESH deployment");

  const signers = await hre.ethers.getSigners();
  const bySignerAddress = new Map(signers.map((signer) => [signer.address, signer]));
  const holders = tge.checks.filter((check) => check.actual > 0n).map((check) => bySignerAddress.get(check.address));
  const [holder, otherHolder] = holders;
  const newHolder = signers.find((signer) => !tge.checks.some((check) => check.address === signer.address));
  const spender = signers.at(-1);
  const permitSpender = signers.at(-2);
  if (holder === undefined || otherHolder === undefined || !newHolder || !spender || !permitSpender) {
    throw new PreconditionError("the gas measurement needs two funded local accounts and three empty ones");
  }

  const gasOf = async (sent: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<number> => {
    const receipt = await (await sent).wait();
    if (receipt === null) throw new Error("transaction was not mined");
    return Number(receipt.gasUsed);
  };
  const sesh = tge.sesh;
  const oneSesh = ATOMS_PER_SESH;

  const transfer = await gasOf(sesh.connect(holder).transfer(otherHolder.address, oneSesh));
  const toNewHolder = await gasOf(sesh.connect(holder).transfer(newHolder.address, oneSesh));
  await (await sesh.connect(holder).approve(spender.address, 10n * oneSesh)).wait();
  const transferFrom = await gasOf(sesh.connect(spender).transferFrom(holder.address, otherHolder.address, oneSesh));

  const value = 5n * oneSesh;
  const signature = await signPermit(holder, sesh, {
    spender: permitSpender.address,
    value,
    deadline: PERMIT_DEADLINE,
  });
  const permit = await gasOf(
    sesh
      .connect(permitSpender)
      .permit(holder.address, permitSpender.address, value, PERMIT_DEADLINE, signature.v, signature.r, signature.s),
  );

  return {
    "TGE.deploySESH": Number(deployTx.gasUsed),
    "TGE.total": Number(tge.gasUsed),
    "SESH.transfer": transfer,
    "SESH.transfer.toNewHolder": toNewHolder,
    "SESH.transferFrom": transferFrom,
    "SESH.permit": permit,
  };
}

import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { domainTags, secretKeyFromSeed, sign, toG1Struct, toG2Struct, publicKeyOf } from "../lib/bls";
import type { GasSnapshot } from "../lib/gas/snapshot";

/** Fixed messages of the two lengths the issue names: a 32-byte digest and a 116-byte message. */
const MESSAGE_32 = `0x${"5e".repeat(32)}`;
const MESSAGE_116 = `0x${"a5".repeat(116)}`;

/**
 * Gas of the BLS hot paths, measured inside the library calls by the test harness (without the transaction and
 * ABI overhead, as the production figures in the vectors file are):
 * - `BLS.hashToG2.32bytes` / `BLS.hashToG2.116bytes`: one hash-to-G2;
 * - `BLS.verify.116bytes`: a full signature verification, hash-to-G2 plus the two-pair pairing check (the checks
 *   of the key, the signature and of every precompile answer's size included);
 * - `BLS.aggregateKey.add` / `.remove`: a transaction that adds a key to a stored, non-empty aggregate key or
 *   subtracts it (the key's G1 check, one precompile addition and the storage update). The aggregate key lives in
 *   the test-only harness (see its NatSpec): these figures are the cost of the library calls a rewards contract
 *   will make, not of a deployable.
 */
export async function measureBlsHotPaths(hre: HardhatRuntimeEnvironment): Promise<GasSnapshot> {
  const harness = await hre.ethers.deployContract("BLS__Harness");
  const { chainId } = await hre.ethers.provider.getNetwork();
  const tags = domainTags(chainId, await harness.getAddress());

  const [hash32] = await harness.measureHashToG2(MESSAGE_32, tags.hashToG2Tag);
  const [hash116] = await harness.measureHashToG2(MESSAGE_116, tags.hashToG2Tag);

  const secretKey = secretKeyFromSeed("gas", 0);
  const key = toG1Struct(publicKeyOf(secretKey));
  const signature = toG2Struct(sign(secretKey, MESSAGE_116, tags.hashToG2Tag));
  const [verify, valid] = await harness.measureVerifyMessage(
    key,
    { X: [...signature.X], Y: [...signature.Y] },
    MESSAGE_116,
    tags.hashToG2Tag,
  );
  if (!valid) throw new Error("the measured signature did not verify");

  const other = toG1Struct(publicKeyOf(secretKeyFromSeed("gas", 1)));
  await (await harness.addKey(key)).wait();
  const add = await (await harness.addKey(other)).wait();
  const remove = await (await harness.removeKey(other)).wait();
  if (add === null || remove === null) throw new Error("aggregate-key transactions were not mined");

  return {
    "BLS.hashToG2.32bytes": Number(hash32),
    "BLS.hashToG2.116bytes": Number(hash116),
    "BLS.verify.116bytes": Number(verify),
    "BLS.aggregateKey.add": Number(add.gasUsed),
    "BLS.aggregateKey.remove": Number(remove.gasUsed),
  };
}

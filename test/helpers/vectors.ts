import { readFileSync } from "node:fs";
import path from "node:path";

import { getAddress } from "ethers";
import { z } from "zod";

/** The known answers made with the production code, copied into the repository (see its README.md). */
export const PRODUCTION_DATA = path.resolve(__dirname, "..", "fixtures", "production");

const decimal = z
  .string()
  .regex(/^\d+$/, { message: "must be a decimal integer" })
  .transform((text) => BigInt(text));
const hex = z.string().regex(/^0x(?:[0-9a-fA-F]{2})*$/, { message: "must be 0x-prefixed bytes" });
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, { message: "must be 32 bytes" });
const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, { message: "must be an address" })
  .transform((text) => getAddress(text));
const g1 = z.object({ X: decimal, Y: decimal });
/** A G2 point with each coordinate [imaginary, real], as EIP-197 and the contracts store it. */
const g2 = z.object({ X: z.tuple([decimal, decimal]), Y: z.tuple([decimal, decimal]) });
/** (sigs0, sigs1, sigs2, sigs3) = (x.real, x.imaginary, y.real, y.imaginary). */
const signature = z.object({ sigs0: decimal, sigs1: decimal, sigs2: decimal, sigs3: decimal });

const hashToG2VectorsSchema = z.object({
  tagDerivation: z.object({
    chainId: decimal,
    verifyingContract: address,
    tags: z.record(z.string(), bytes32).transform((tags) => new Map(Object.entries(tags))),
  }),
  vectors: z
    .array(
      z.object({
        message: hex,
        hashToFieldTag: bytes32,
        hashToField: z.object({ u0: decimal, u1: decimal, b: z.boolean() }).optional(),
        hashToG2: g2,
        gasInsideLibrary: z.number().int().positive().optional(),
      }),
    )
    .min(1),
});

const signatureVectorsSchema = z.object({
  chainId: decimal,
  serviceNodeRewards: address,
  tags: z.object({
    hashToG2Tag: bytes32,
    proofOfPossessionTag: bytes32,
    rewardTag: bytes32,
    exitTag: bytes32,
    liquidateTag: bytes32,
  }),
  secretKeys: z.array(decimal).length(3),
  publicKeys: z.array(g1).length(3),
  proofOfPossession: z.object({
    publicKey: g1,
    caller: address,
    ed25519Pubkey: decimal,
    message: hex,
    signature,
  }),
  rewardUpdates: z
    .array(
      z.object({
        recipient: address,
        amount: decimal,
        message: hex,
        signers: z.array(z.number().int().nonnegative()),
        nonSignerIds: z.array(decimal),
        signature,
        gasUsed: decimal.optional(),
      }),
    )
    .length(2),
  productionGas: z.object({ validateProofOfPossession: decimal, updateRewardsBalanceWithOneNonSigner: decimal }),
});

export type HashToG2Vectors = z.output<typeof hashToG2VectorsSchema>;
export type SignatureVectors = z.output<typeof signatureVectorsSchema>;

/** Reads a vectors file and checks it against its schema, failing with the path of every bad field. */
function readVectors<T extends z.ZodType>(file: string, schema: T): z.output<T> {
  const parsed = schema.safeParse(JSON.parse(readFileSync(path.join(PRODUCTION_DATA, file), "utf8")));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export const hashToG2Vectors = (): HashToG2Vectors => readVectors("bls-hash-to-g2-vectors.json", hashToG2VectorsSchema);
export const signatureVectors = (): SignatureVectors =>
  readVectors("bls-signature-vectors.json", signatureVectorsSchema);

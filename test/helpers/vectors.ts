import { readFileSync } from "node:fs";
import path from "node:path";

/** The known answers made with the production code, in ../shared/data beside the repository. */
export const SHARED_DATA = path.resolve(__dirname, "..", "..", "..", "shared", "data");

export interface HashToG2Vector {
  readonly message: string;
  readonly hashToFieldTag: string;
  readonly hashToField?: { readonly u0: string; readonly u1: string; readonly b: boolean };
  /** Coordinates as [imaginary, real]. */
  readonly hashToG2: { readonly X: [string, string]; readonly Y: [string, string] };
  readonly gasInsideLibrary?: number;
}

export interface HashToG2Vectors {
  readonly tagDerivation: {
    readonly chainId: string;
    readonly verifyingContract: string;
    readonly tags: Record<string, string>;
  };
  readonly vectors: readonly HashToG2Vector[];
}

export interface SignatureStruct {
  readonly sigs0: string;
  readonly sigs1: string;
  readonly sigs2: string;
  readonly sigs3: string;
}

export interface SignatureVectors {
  readonly chainId: string;
  readonly serviceNodeRewards: string;
  readonly tags: Record<"hashToG2Tag" | "proofOfPossessionTag" | "rewardTag" | "exitTag" | "liquidateTag", string>;
  readonly secretKeys: readonly string[];
  readonly publicKeys: readonly { readonly X: string; readonly Y: string }[];
  readonly proofOfPossession: {
    readonly publicKey: { readonly X: string; readonly Y: string };
    readonly caller: string;
    readonly ed25519Pubkey: string;
    readonly message: string;
    readonly signature: SignatureStruct;
  };
  readonly rewardUpdates: readonly {
    readonly recipient: string;
    readonly amount: string;
    readonly message: string;
    readonly signers: readonly number[];
    readonly nonSignerIds: readonly string[];
    readonly signature: SignatureStruct;
    readonly gasUsed?: string;
  }[];
  readonly productionGas: Record<string, string>;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(path.join(SHARED_DATA, file), "utf8"));
}

export const hashToG2Vectors = (): HashToG2Vectors => readJson("bls-hash-to-g2-vectors.json") as HashToG2Vectors;
export const signatureVectors = (): SignatureVectors => readJson("bls-signature-vectors.json") as SignatureVectors;

/** Signature parameters of a vector as bigints. */
export function signatureParamsOf(signature: SignatureStruct) {
  return {
    sigs0: BigInt(signature.sigs0),
    sigs1: BigInt(signature.sigs1),
    sigs2: BigInt(signature.sigs2),
    sigs3: BigInt(signature.sigs3),
  };
}

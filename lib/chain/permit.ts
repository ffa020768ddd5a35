import { Signature, type Signer, type TypedDataDomain } from "ethers";

/** EIP-712 type of an ERC-2612 permit. */
export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The parts of an ERC-2612 token a permit is signed for. */
export interface PermitToken {
  getAddress(): Promise<string>;
  eip712Domain(): Promise<[string, string, string, bigint, string, string, bigint[]]>;
  nonces(owner: string): Promise<bigint>;
}

export interface PermitRequest {
  readonly spender: string;
  readonly value: bigint;
  readonly deadline: bigint;
  /** Defaults to the owner's current nonce on the token. */
  readonly nonce?: bigint;
}

/** Signs an ERC-2612 permit with `owner`'s key over the token's own EIP-712 domain (read from ERC-5267). */
export async function signPermit(owner: Signer, token: PermitToken, request: PermitRequest): Promise<Signature> {
  const ownerAddress = await owner.getAddress();
  const [, name, version, chainId, verifyingContract] = await token.eip712Domain();
  const domain: TypedDataDomain = { name, version, chainId, verifyingContract };
  const message = {
    owner: ownerAddress,
    spender: request.spender,
    value: request.value,
    nonce: request.nonce ?? (await token.nonces(ownerAddress)),
    deadline: request.deadline,
  };
  return Signature.from(await owner.signTypedData(domain, PERMIT_TYPES, message));
}

import { setCode } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, getBytes, hexlify, toBeHex, zeroPadValue } from "ethers";
import { ethers } from "hardhat";

import {
  BLS__Harness__factory,
  FailingPrecompile__Mock__factory,
  Precompile__Mock__factory,
  type BLS__Harness,
} from "../../typechain-types";

// Doubles of the precompiles 0x05 to 0x08 for the attack tests of the BN254 and BLS libraries
// (test/unit/libraries/BLS.hardening.test.ts, test/unit/libraries/BN256G1.compression.test.ts).

export const MODEXP = 0x05;
export const G1_ADD = 0x06;
export const G1_MUL = 0x07;
export const PAIRING = 0x08;
export const PRECOMPILES = [MODEXP, G1_ADD, G1_MUL, PAIRING] as const;
export type Precompile = (typeof PRECOMPILES)[number];

/** The size of a successful answer: one 32-byte modulus for modexp, a G1 point, a boolean word for the pairing. */
export const OUTPUT_BYTES: Readonly<Record<Precompile, number>> = {
  [MODEXP]: 32,
  [G1_ADD]: 64,
  [G1_MUL]: 64,
  [PAIRING]: 32,
};

/**
 * Each precompile's double lives at 0xf0 + the precompile's address: a one-byte address (it replaces the
 * PUSH1 operand of the call), and an ordinary account on this chain (Cancun's precompiles are 0x01 to 0x0a, the
 * ArbSys double is at 0x64).
 */
export const DOUBLE_OFFSET = 0xf0;

/** Where the redirected harness code runs. */
export const REDIRECTED_HARNESS = getAddress("0x00000000000000000000000000000000000b1500");

export function addressOf(byte: number): string {
  return getAddress(zeroPadValue(toBeHex(byte), 20));
}

const OPCODE = { PUSH1: 0x60, PUSH32: 0x7f, GAS: 0x5a, STATICCALL: 0xfa } as const;

export interface RedirectedCode {
  readonly code: string;
  /** The number of STATICCALLs found per called address. */
  readonly calls: ReadonlyMap<number, number>;
}

/**
 * `code` (runtime code) with the address of every call to a precompile of `redirects` replaced by its double's.
 * solc compiles `staticcall(gas(), address, …)` with the address pushed second to last, so each call site reads
 * `PUSH1 address, GAS, STATICCALL`; a STATICCALL of any other shape throws, so that a compiler change cannot
 * silently leave a call where it was. The CBOR metadata at the end is data, not code, and is not walked.
 */
export function redirectPrecompileCalls(code: string, redirects: ReadonlyMap<number, number>): RedirectedCode {
  const bytes = getBytes(code);
  const metadataBytes = ((bytes[bytes.length - 2] ?? 0) << 8) | (bytes[bytes.length - 1] ?? 0);
  const end = bytes.length - 2 - metadataBytes;
  const calls = new Map<number, number>();
  let previous: number | undefined;
  let beforePrevious: number | undefined;
  for (let offset = 0; offset < end;) {
    const opcode = bytes[offset] ?? 0;
    if (opcode === OPCODE.STATICCALL) {
      if (
        beforePrevious === undefined ||
        previous === undefined ||
        bytes[beforePrevious] !== OPCODE.PUSH1 ||
        bytes[previous] !== OPCODE.GAS
      ) {
        throw new Error(`the STATICCALL at byte ${offset} is not PUSH1 address, GAS, STATICCALL`);
      }
      const target = bytes[beforePrevious + 1] ?? 0;
      calls.set(target, (calls.get(target) ?? 0) + 1);
      const redirected = redirects.get(target);
      if (redirected !== undefined) bytes[beforePrevious + 1] = redirected;
    }
    beforePrevious = previous;
    previous = offset;
    offset += opcode >= OPCODE.PUSH1 && opcode <= OPCODE.PUSH32 ? 2 + opcode - OPCODE.PUSH1 : 1;
  }
  return { code: hexlify(bytes), calls };
}

/** Puts at `address` a double of `precompile` whose successful answers are `outputBytes` long. */
export async function installDouble(address: string, precompile: Precompile, outputBytes: number): Promise<void> {
  const [deployer] = await ethers.getSigners();
  if (deployer === undefined) throw new Error("no signer");
  const double = await new Precompile__Mock__factory(deployer).deploy(addressOf(precompile), outputBytes);
  await setCode(address, await ethers.provider.getCode(await double.getAddress()));
}

/** The double of `precompile` answers `outputBytes` bytes from now on. */
export async function answerWith(precompile: Precompile, outputBytes: number): Promise<void> {
  await installDouble(addressOf(DOUBLE_OFFSET + precompile), precompile, outputBytes);
}

/** The double of `precompile` fails every call from now on. */
export async function failEveryCall(precompile: Precompile): Promise<void> {
  const [deployer] = await ethers.getSigners();
  if (deployer === undefined) throw new Error("no signer");
  const double = await new FailingPrecompile__Mock__factory(deployer).deploy();
  await setCode(addressOf(DOUBLE_OFFSET + precompile), await ethers.provider.getCode(await double.getAddress()));
}

/**
 * Copies a deployed BLS harness's code to {@link REDIRECTED_HARNESS} with its calls to 0x05 to 0x08 redirected to
 * doubles, which start out transparent (each answers with its precompile's own output); the harness at its own
 * address keeps calling the real precompiles. Returns the copy and the calls the redirection rewrote.
 */
export async function installRedirectedHarness(
  deployed: BLS__Harness,
): Promise<{ harness: BLS__Harness; calls: RedirectedCode["calls"] }> {
  const redirects = new Map(PRECOMPILES.map((precompile) => [precompile, DOUBLE_OFFSET + precompile]));
  const { code, calls } = redirectPrecompileCalls(
    await ethers.provider.getCode(await deployed.getAddress()),
    redirects,
  );
  await setCode(REDIRECTED_HARNESS, code);
  for (const precompile of PRECOMPILES) await answerWith(precompile, OUTPUT_BYTES[precompile]);
  const [deployer] = await ethers.getSigners();
  if (deployer === undefined) throw new Error("no signer");
  return { harness: BLS__Harness__factory.connect(REDIRECTED_HARNESS, deployer), calls };
}

import { concat, getBytes, keccak256, toBeHex, type BytesLike } from "ethers";

/** keccak256's rate in bytes: the block size r_in_bytes of RFC 9380 `expand_message_xmd` with keccak256. */
export const KECCAK_BLOCK_BYTES = 136;
/** keccak256's output length b_in_bytes. */
const KECCAK_OUTPUT_BYTES = 32;

/** One byte, I2OSP(value, 1). */
function byte(value: number): Uint8Array {
  return Uint8Array.of(value);
}

/**
 * RFC 9380 section 5.3.1 `expand_message_xmd` with keccak256: stretches `message` into `length` uniform bytes
 * bound to the domain tag `dst`.
 */
export function expandMessageXmd(message: BytesLike, dst: BytesLike, length: number): Uint8Array {
  const dstBytes = getBytes(dst);
  const blocks = Math.ceil(length / KECCAK_OUTPUT_BYTES);
  if (blocks > 255 || length > 65_535 || dstBytes.length > 255) {
    throw new RangeError(`expand_message_xmd cannot produce ${length} bytes with a ${dstBytes.length}-byte tag`);
  }
  const dstPrime = concat([dstBytes, byte(dstBytes.length)]);
  const b0 = keccak256(
    concat([new Uint8Array(KECCAK_BLOCK_BYTES), message, getBytes(toBeHex(length, 2)), byte(0), dstPrime]),
  );
  const out: Uint8Array[] = [];
  let previous = getBytes(keccak256(concat([b0, byte(1), dstPrime])));
  out.push(previous);
  const b0Bytes = getBytes(b0);
  for (let index = 2; index <= blocks; index++) {
    const mixed = b0Bytes.map((value, position) => value ^ (previous[position] ?? 0));
    previous = getBytes(keccak256(concat([mixed, byte(index), dstPrime])));
    out.push(previous);
  }
  return getBytes(concat(out)).slice(0, length);
}

import { loadFixture } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";

/** Digit d_i of the width-`width` NAF of `k` at index i (k = Σ d_i·2^i, each non-zero digit odd, |d_i| < 2^(width−1)). */
function widthNaf(k: bigint, width: number): bigint[] {
  const window = 1n << BigInt(width);
  const digits: bigint[] = [];
  let rest = k;
  while (rest > 0n) {
    let digit = 0n;
    if ((rest & 1n) === 1n) {
      digit = rest % window;
      if (digit >= window / 2n) digit -= window;
      rest -= digit;
    }
    digits.push(digit);
    rest >>= 1n;
  }
  return digits;
}

/** The addend index of a digit in the order the contract keeps its addends: +T, −T, +3T, −3T. */
const ADDEND_INDEX = new Map<bigint, number>([
  [1n, 0],
  [-1n, 1],
  [3n, 2],
  [-3n, 3],
]);

/** The steps after the top digit, packed as the contract packs them: byte k = (doublings << 2) | addend. */
function packSteps(digits: readonly bigint[]): bigint {
  let table = 0n;
  let previous = digits.length - 1;
  let step = 0n;
  for (let i = previous - 1; i >= 0; i--) {
    const digit = digits[i] ?? 0n;
    if (digit === 0n) continue;
    const addend = ADDEND_INDEX.get(digit);
    if (addend === undefined) throw new Error(`digit ${digit} is no width-3 digit`);
    table |= BigInt(((previous - i) << 2) | addend) << (8n * step);
    step++;
    previous = i;
  }
  if (previous !== 0) throw new Error("the scalar is even: the table has no trailing doublings");
  return table;
}

/** Runs the packed steps on integers: the scalar they multiply by. */
function scalarOfSteps(table: bigint): bigint {
  const addends = [1n, -1n, 3n, -3n];
  let scalar = 1n;
  for (let rest = table; rest !== 0n; rest >>= 8n) {
    const step = Number(rest & 0xffn);
    scalar = scalar * (1n << BigInt(step >> 2)) + (addends[step & 3] ?? 0n);
  }
  return scalar;
}

describe("BN256G2 width-3 NAF steps", function () {
  async function deployHarness() {
    return ethers.deployContract("BLS__Harness");
  }

  it("are the width-3 NAF of BN_X, top digit 1, every step doubling at least three times", async function () {
    const harness = await loadFixture(deployHarness);
    const [bnX, steps] = await harness.scalarMultiplicationConstants();
    const digits = widthNaf(bnX, 3);
    expect(digits.at(-1)).to.equal(1n);
    expect(steps).to.equal(packSteps(digits));
    expect(scalarOfSteps(steps)).to.equal(bnX);
    for (let rest = steps; rest !== 0n; rest >>= 8n) {
      // Why: a zero byte would end the contract's loop early; n ≥ 3 is the width-3 spacing.
      expect(Number(rest & 0xffn) >> 2).to.be.at.least(3);
    }
  });

  it("has 17 steps, six additions fewer than the plain NAF's 23", async function () {
    const harness = await loadFixture(deployHarness);
    const [bnX, steps] = await harness.scalarMultiplicationConstants();
    let count = 0;
    for (let rest = steps; rest !== 0n; rest >>= 8n) count++;
    expect(count).to.equal(17);
    expect(widthNaf(bnX, 2).filter((digit) => digit !== 0n).length - 1).to.equal(23);
  });
});

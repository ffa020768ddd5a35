import { takeSnapshot, type SnapshotRestorer } from "@nomicfoundation/hardhat-network-helpers";

/**
 * Restores the in-process chain after the enclosing `describe`, for suites that move its clock: a chain's clock
 * cannot go back, so a suite that leaves it in 2049 would break every later suite that works with the real
 * launch dates. Call it at the top of the suite's outermost `describe`.
 */
export function restoreChainAfterSuite(): void {
  let snapshot: SnapshotRestorer | undefined;
  before(async function () {
    snapshot = await takeSnapshot();
  });
  after(async function () {
    await snapshot?.restore();
  });
}

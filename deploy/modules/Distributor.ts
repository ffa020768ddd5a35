import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

export const DISTRIBUTOR_MODULE_ID = "Distributor";

/** The module's parameters, as an Ignition parameter file holds them under the module id `Distributor`. */
export interface DistributorModuleParameters {
  /** The token of the campaign (SESH). */
  readonly token: string;
  /** The root of the campaign's tree (`npx hardhat distribution:build`). */
  readonly merkleRoot: string;
  /** Unix seconds, the last second of the claim window; 0 (the default) for never. */
  readonly claimDeadline?: bigint;
  /** Receives what no award owes after the deadline. */
  readonly sweepRecipient: string;
  /** Unix seconds; 0 (the default) without vesting. */
  readonly vestingStart?: bigint;
  /** Seconds; 0 (the default) pays awards in full at claim. */
  readonly vestingDuration?: bigint;
  /** May pause and sweep. */
  readonly owner: string;
}

/**
 * One Merkle campaign: `MerkleDistributor(token, merkleRoot, claimDeadline, sweepRecipient, vestingStart,
 * vestingDuration, owner)` from the deploying account, every value fixed for the campaign's life. It holds nothing
 * until the campaign's total is sent to it. One campaign per deployment id.
 */
export default buildModule(DISTRIBUTOR_MODULE_ID, (m) => {
  const distributor = m.contract(
    "MerkleDistributor",
    [
      m.getParameter<string>("token"),
      m.getParameter<string>("merkleRoot"),
      m.getParameter<bigint>("claimDeadline", 0n),
      m.getParameter<string>("sweepRecipient"),
      m.getParameter<bigint>("vestingStart", 0n),
      m.getParameter<bigint>("vestingDuration", 0n),
      m.getParameter<string>("owner"),
    ],
    { from: m.getAccount(0) },
  );
  return { distributor };
});

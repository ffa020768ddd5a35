import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import type { ContractAddress, ModuleBuilder } from "./Staking";

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

/** The distributor's constructor arguments: values, parameters or futures. */
export interface DistributorArguments {
  readonly token: ContractAddress;
  readonly merkleRoot: ContractAddress;
  /** Unix seconds; 0 for never. */
  readonly claimDeadline: ContractAddress;
  readonly sweepRecipient: ContractAddress;
  /** Unix seconds; 0 without vesting. */
  readonly vestingStart: ContractAddress;
  /** Seconds; 0 pays awards in full at claim. */
  readonly vestingDuration: ContractAddress;
  readonly owner: ContractAddress;
}

/**
 * One campaign's distributor from the deploying account, the future the module below and the Landing's TGE module
 * build: `MerkleDistributor(token, merkleRoot, claimDeadline, sweepRecipient, vestingStart, vestingDuration, owner)`.
 */
export function distributorFuture(m: ModuleBuilder, args: DistributorArguments) {
  return m.contract(
    "MerkleDistributor",
    [
      args.token,
      args.merkleRoot,
      args.claimDeadline,
      args.sweepRecipient,
      args.vestingStart,
      args.vestingDuration,
      args.owner,
    ],
    { from: m.getAccount(0), id: "MerkleDistributor" },
  );
}

/**
 * One Merkle campaign: `MerkleDistributor(token, merkleRoot, claimDeadline, sweepRecipient, vestingStart,
 * vestingDuration, owner)` from the deploying account, every value fixed for the campaign's life. It holds nothing
 * until the campaign's total is sent to it. One campaign per deployment id.
 */
export default buildModule(DISTRIBUTOR_MODULE_ID, (m) => ({
  distributor: distributorFuture(m, {
    token: m.getParameter<string>("token"),
    merkleRoot: m.getParameter<string>("merkleRoot"),
    claimDeadline: m.getParameter<bigint>("claimDeadline", 0n),
    sweepRecipient: m.getParameter<string>("sweepRecipient"),
    vestingStart: m.getParameter<bigint>("vestingStart", 0n),
    vestingDuration: m.getParameter<bigint>("vestingDuration", 0n),
    owner: m.getParameter<string>("owner"),
  }),
}));

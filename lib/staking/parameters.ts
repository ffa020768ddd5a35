import { z } from "zod";

import { parseSesh, seshAmountProblem } from "../amount";
import { formatIssuePath, InputFileError } from "../errors";
import { parseJsonText, readInputFile } from "../schema";

/** The two rewards contracts a network may deploy: production's, and the testnet variant with the owner's exits. */
export const REWARDS_CONTRACTS = ["ServiceNodeRewards", "TestnetServiceNodeRewards"] as const;
export type RewardsContractName = (typeof REWARDS_CONTRACTS)[number];

/** The most contributors a node may have in the contract (its count is a uint8). */
export const MAX_CONTRIBUTORS_LIMIT = 255;

const ratio = z
  .number()
  .int()
  .nonnegative()
  .max(2 ** 32 - 1);

const stakingSchema = z
  .strictObject({
    contract: z.enum(REWARDS_CONTRACTS),
    /** The stake of one node, in SESH ("25000", "120"). */
    stakingRequirement: z.string().superRefine((text, ctx) => {
      const problem = seshAmountProblem(text);
      if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
      else if (parseSesh(text) === 0n) ctx.addIssue({ code: "custom", message: "must be positive" });
    }),
    maxContributors: z.number().int().min(1).max(MAX_CONTRIBUTORS_LIMIT),
    liquidatorRewardRatio: ratio,
    poolShareOfLiquidationRatio: ratio,
    recipientRatio: ratio.min(1),
  })
  .superRefine((value, ctx) => {
    // The contract's rule (LiquidatorPenaltyTooHigh): the contributors keep at least three quarters.
    if ((value.liquidatorRewardRatio + value.poolShareOfLiquidationRatio) * 3 > value.recipientRatio) {
      ctx.addIssue({
        code: "custom",
        path: ["recipientRatio"],
        message:
          `(liquidatorRewardRatio + poolShareOfLiquidationRatio) × 3 = ` +
          `${(value.liquidatorRewardRatio + value.poolShareOfLiquidationRatio) * 3} exceeds recipientRatio ` +
          `${value.recipientRatio}: a liquidation must leave the contributors at least three quarters`,
      });
    }
  });

/** A network's staking parameters, amounts in atoms. */
export interface StakingParameters {
  readonly contract: RewardsContractName;
  readonly stakingRequirement: bigint;
  readonly maxContributors: number;
  readonly liquidatorRewardRatio: number;
  readonly poolShareOfLiquidationRatio: number;
  readonly recipientRatio: number;
}

/**
 * Reads the `staking` section of a network's parameter file (deploy/parameters/<network>.json); every problem is
 * reported at once with its field, before anything is sent.
 */
export function loadStakingParameters(file: string): StakingParameters {
  const json = parseJsonText(readInputFile(file), file);
  const section = typeof json === "object" && json !== null ? (json as { staking?: unknown }).staking : undefined;
  const parsed = stakingSchema.safeParse(section);
  if (!parsed.success) {
    throw new InputFileError(
      file,
      parsed.error.issues.map((issue) => `${formatIssuePath(["staking", ...issue.path])}: ${issue.message}`),
    );
  }
  return { ...parsed.data, stakingRequirement: parseSesh(parsed.data.stakingRequirement) };
}

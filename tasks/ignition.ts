import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { addressArgument, inputFile, outputFile } from "./arguments";
import { ArgumentError, withReadableErrors } from "./errors";

/** The modules whose Ignition parameter file the task writes, from the network's parameter file. */
export const IGNITION_PARAMETER_MODULES = ["ClaimsBridge", "Distributor", "Vesting", "Staking"] as const;
export type IgnitionParameterModule = (typeof IGNITION_PARAMETER_MODULES)[number];

interface IgnitionParametersArgs {
  module: string;
  out: string;
  parameters?: string;
  sesh?: string;
  merkleRoot?: string;
  holder?: string;
  rewards?: string;
  factory?: string;
}

/** The value of an option the module needs; its absence is an {@link ArgumentError} saying what it is for. */
function required(args: IgnitionParametersArgs, option: "sesh" | "merkleRoot" | "rewards" | "factory", what: string) {
  const value = args[option];
  const flag = option === "merkleRoot" ? "--merkle-root" : `--${option}`;
  if (value === undefined) throw new ArgumentError(`--module ${args.module} needs ${flag} (${what})`);
  return value;
}

/** Refuses options the chosen module does not read, so that a typo of the module is not silently ignored. */
function refuseUnused(args: IgnitionParametersArgs, used: readonly (keyof IgnitionParametersArgs)[]): void {
  const optional = ["sesh", "merkleRoot", "holder", "rewards", "factory"] as const;
  const extra = optional.filter((option) => args[option] !== undefined && !used.includes(option));
  if (extra.length > 0) {
    const flags = extra.map((option) => (option === "merkleRoot" ? "--merkle-root" : `--${option}`));
    throw new ArgumentError(`--module ${args.module} takes no ${flags.join(", ")}`);
  }
}

/** The module file, its id and its parameters, for the network's parameter file and the arguments. */
async function moduleParametersOf(
  args: IgnitionParametersArgs & { module: IgnitionParameterModule },
  hre: HardhatRuntimeEnvironment,
): Promise<{ file: string; moduleId: string; parameters: object; source: string }> {
  const options = { parametersFile: args.parameters };
  switch (args.module) {
    case "ClaimsBridge": {
      refuseUnused(args, ["sesh"]);
      const sesh = await addressArgument("sesh", required(args, "sesh", "the SESH token the bridge pays"));
      const bridge = await import("../deploy/claimsBridge");
      const { CLAIMS_BRIDGE_MODULE_ID } = await import("../deploy/modules/ClaimsBridge");
      const prepared = await bridge.prepareClaimsBridge(hre, options);
      return {
        file: bridge.claimsBridgeModuleFile(prepared),
        moduleId: CLAIMS_BRIDGE_MODULE_ID,
        parameters: bridge.claimsBridgeModuleParameters(prepared, sesh),
        source: prepared.file,
      };
    }
    case "Distributor": {
      refuseUnused(args, ["sesh", "merkleRoot"]);
      const sesh = await addressArgument("sesh", required(args, "sesh", "the campaign's token"));
      const root = required(args, "merkleRoot", "the campaign's root, from npx hardhat distribution:build");
      const distributor = await import("../deploy/distributor");
      const { DISTRIBUTOR_MODULE_ID } = await import("../deploy/modules/Distributor");
      const prepared = await distributor.prepareDistributor(hre, options);
      return {
        file: "deploy/modules/Distributor.ts",
        moduleId: DISTRIBUTOR_MODULE_ID,
        parameters: distributor.distributorModuleParameters(prepared, sesh, root),
        source: prepared.file,
      };
    }
    case "Vesting": {
      const vesting = await import("../deploy/vesting");
      const prepared = await vesting.prepareVesting(hre, { ...options, name: args.holder });
      const staking = prepared.contract === "TokenVestingStaking";
      refuseUnused(args, staking ? ["holder", "sesh", "rewards", "factory"] : ["holder"]);
      const what = `the staking set the TokenVestingStaking "${prepared.name}" stakes through`;
      const set = staking
        ? {
            rewards: await addressArgument("rewards", required(args, "rewards", `the rewards contract of ${what}`)),
            factory: await addressArgument("factory", required(args, "factory", `the contribution factory of ${what}`)),
            sesh: await addressArgument("sesh", required(args, "sesh", "the SESH token")),
          }
        : undefined;
      const { moduleId, parameters } = vesting.vestingModuleParameters(prepared, set);
      return { file: vesting.vestingModuleFile(prepared), moduleId, parameters, source: prepared.file };
    }
    case "Staking": {
      refuseUnused(args, ["sesh"]);
      const sesh = await addressArgument("sesh", required(args, "sesh", "the SESH token the contracts stake"));
      const { stakingModuleParameters } = await import("../deploy/staking");
      const { parametersFileFor } = await import("../deploy/tge");
      const { loadStakingParameters } = await import("../lib/staking/parameters");
      const { STAKING_MODULE_IDS } = await import("../deploy/modules/Staking");
      const { addressOption } = await import("../deploy/sections");
      const source = args.parameters ?? parametersFileFor(hre.network.name);
      const staking = loadStakingParameters(source);
      const testnet = staking.contract === "TestnetServiceNodeRewards";
      return {
        file: testnet ? "deploy/modules/TestnetStaking.ts" : "deploy/modules/Staking.ts",
        moduleId: STAKING_MODULE_IDS[staking.contract],
        parameters: stakingModuleParameters(staking, addressOption("sesh", sesh)),
        source,
      };
    }
  }
}

task(
  "ignition:parameters",
  "Writes the Ignition parameter file of a module (ClaimsBridge, Distributor, Vesting, Staking) from the network's " +
    "parameter file, validated first",
)
  .addParam("module", `the module: ${IGNITION_PARAMETER_MODULES.join(", ")}`)
  .addParam("out", "the file to write, e.g. bridge-localhost.json (its folder must exist)", undefined, outputFile)
  .addOptionalParam(
    "parameters",
    "network parameter file (default: deploy/parameters/<network>.json)",
    undefined,
    inputFile,
  )
  .addOptionalParam("sesh", "the SESH token (ClaimsBridge, Distributor, Staking, a staking Vesting)")
  .addOptionalParam("merkleRoot", "the campaign's Merkle root (Distributor)")
  .addOptionalParam("holder", "the name of the vesting contract in the vesting section (Vesting)")
  .addOptionalParam("rewards", "the rewards contract's proxy (a staking Vesting)")
  .addOptionalParam("factory", "the contribution factory's proxy (a staking Vesting)")
  .setAction(async (args: IgnitionParametersArgs, hre) =>
    withReadableErrors(async () => {
      const module = IGNITION_PARAMETER_MODULES.find((name) => name === args.module);
      if (module === undefined) {
        throw new ArgumentError(
          `--module ${JSON.stringify(args.module)} is not one of ${IGNITION_PARAMETER_MODULES.join(", ")} ` +
            `(the TGE's parameters: npx hardhat tge:ignition-parameters)`,
        );
      }
      const { writeFileSync } = await import("node:fs");
      const { ignitionParametersFileText } = await import("../deploy/sections");
      const { file, moduleId, parameters, source } = await moduleParametersOf({ ...args, module }, hre);
      writeFileSync(args.out, ignitionParametersFileText(moduleId, parameters));
      console.log(
        `wrote ${args.out}: module ${moduleId} from ${source} for network ${hre.network.name}; deploy with: ` +
          `npx hardhat ignition deploy ${file} --network ${hre.network.name} --parameters ${args.out}`,
      );
    }),
  );

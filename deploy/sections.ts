import { getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { InputFileError, PreconditionError } from "../lib/errors";
import { fileNetworkOf } from "../lib/parties";
import { addressProblem, checksumAddress, isZeroAddress, parseJsonText, readInputFile } from "../lib/schema";
import { parametersFileFor, parametersNetworkOf } from "./tge";

/** Where a deployment section is read from and what it is resolved against. */
export interface SectionContext {
  /** The parameter file: deploy/parameters/<network>.json, or the one given. */
  readonly file: string;
  /** The network's accounts, `signers[0]` the deployer. */
  readonly signers: readonly string[];
  /** The chain's time (the latest block's timestamp), in Unix seconds. */
  readonly now: bigint;
}

/**
 * The parameter file of a deployment section (the network's own, or `parametersFile`) after checking that it is
 * written for this network, and the accounts and time the section is checked against. Sends nothing.
 */
export async function sectionContext(
  hre: HardhatRuntimeEnvironment,
  parametersFile?: string,
  at?: bigint,
): Promise<SectionContext> {
  const file = parametersFile ?? parametersFileFor(hre.network.name);
  const network = fileNetworkOf(parseJsonText(readInputFile(file), file));
  const expected = parametersNetworkOf(hre.network.name);
  if (network !== expected) {
    throw new InputFileError(file, [
      `network: the file is for network ${JSON.stringify(network ?? null)} but the deployment runs on ` +
        `"${hre.network.name}"`,
    ]);
  }
  const signers = (await hre.ethers.getSigners()).map((signer) => signer.address);
  if (at !== undefined) return { file, signers, now: at };
  const latest = await hre.ethers.provider.getBlock("latest");
  return { file, signers, now: BigInt(latest?.timestamp ?? 0) };
}

/**
 * An address a deployment is given (a token, a staking contract) checked before anything is sent: well-formed, not
 * zero, and returned checksummed. `name` is the option's name, for the message.
 */
export function addressOption(name: string, value: string): string {
  const problem = addressProblem(value) ?? (isZeroAddress(value) ? "is the zero address" : undefined);
  if (problem !== undefined) throw new PreconditionError(`${name} ${JSON.stringify(value)} ${problem}`);
  return checksumAddress(value);
}

/** Refuses an address without code: a token or contract the deployment needs must be deployed first. */
export async function requireContract(
  hre: HardhatRuntimeEnvironment,
  name: string,
  address: string,
  hint: string,
): Promise<void> {
  const code = await hre.ethers.provider.getCode(address);
  if (code === "0x") {
    throw new PreconditionError(
      `${name} ${getAddress(address)} has no contract on network ${hre.network.name}: ${hint}`,
    );
  }
}

/** Ignition's deployment options: no UI, and the deployment id when one is given. */
export function ignitionOptions(deploymentId: string | undefined): { displayUi: false; deploymentId?: string } {
  return { displayUi: false, ...(deploymentId === undefined ? {} : { deploymentId }) };
}

/** A module parameter value with its bigints in Ignition's notation ("240000000000000000n"). */
function ignitionValue(value: unknown): unknown {
  if (typeof value === "bigint") return `${value}n`;
  if (Array.isArray(value)) return value.map(ignitionValue);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, ignitionValue(field)]));
  }
  return value;
}

/**
 * An Ignition parameter file for `npx hardhat ignition deploy <module> --parameters FILE`: the module id, then its
 * parameters, bigints in Ignition's notation (hardhat-ignition reads "123n" as the bigint 123).
 */
export function ignitionParametersFileText(moduleId: string, parameters: object): string {
  return `${JSON.stringify({ [moduleId]: ignitionValue(parameters) }, null, 2)}\n`;
}

import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { SESH } from "../typechain-types";
import { InputFileError } from "../lib/errors";
import { loadTgeParameters } from "../lib/tge/parameters";
import { planTge, type TgePlan } from "../lib/tge/plan";
import { checkBalances, type BalanceCheck } from "../lib/tge/report";
import { buildTgeModule } from "./modules/TGE";

/** Folder of the per-network parameter files. */
export const PARAMETERS_DIR = path.resolve(__dirname, "parameters");

/**
 * Networks that are the same chain as another network's parameter file: `localhost` is the embedded chain served
 * by `npx hardhat node`, so it takes the `hardhat` allocation table.
 */
const PARAMETER_FILE_OF: Readonly<Record<string, string>> = { localhost: "hardhat" };

/** The parameter file a network deploys with: deploy/parameters/<network>.json. */
export function parametersFileFor(network: string): string {
  return path.join(PARAMETERS_DIR, `${PARAMETER_FILE_OF[network] ?? network}.json`);
}

export interface TgeOptions {
  /** Parameter file to use instead of the network's own. */
  readonly parametersFile?: string;
  /** Ignition deployment id (journal folder on persistent networks); Ignition's default when omitted. */
  readonly deploymentId?: string;
}

/** Validates a network's TGE parameters and resolves them to a plan; sends nothing. */
export async function prepareTge(hre: HardhatRuntimeEnvironment, options: TgeOptions = {}): Promise<TgePlan> {
  const file = options.parametersFile ?? parametersFileFor(hre.network.name);
  const parameters = loadTgeParameters(file);
  const expectedNetwork = PARAMETER_FILE_OF[hre.network.name] ?? hre.network.name;
  if (parameters.network !== expectedNetwork) {
    throw new InputFileError(file, [
      `network: the file is for network "${parameters.network}" but the deployment runs on "${hre.network.name}"`,
    ]);
  }
  const accounts = (await hre.ethers.getSigners()).map((signer) => signer.address);
  return planTge(parameters, accounts);
}

export interface TgeResult {
  readonly plan: TgePlan;
  readonly sesh: SESH;
  readonly seshAddress: string;
  readonly totalSupply: bigint;
  readonly checks: readonly BalanceCheck[];
  /** Every transaction the TGE sent, in order, with its gas. */
  readonly transactions: readonly { readonly hash: string; readonly gasUsed: bigint }[];
  readonly gasUsed: bigint;
}

/** Gas of the transactions `from` sent in blocks (`after`, latest], in order. */
async function transactionsSince(
  hre: HardhatRuntimeEnvironment,
  after: number,
  from: string,
): Promise<{ hash: string; gasUsed: bigint }[]> {
  const latest = await hre.ethers.provider.getBlockNumber();
  const sent: { hash: string; gasUsed: bigint }[] = [];
  for (let number = after + 1; number <= latest; number++) {
    const block = await hre.ethers.provider.getBlock(number, true);
    for (const tx of block?.prefetchedTransactions ?? []) {
      if (tx.from !== from) continue;
      const receipt = await hre.ethers.provider.getTransactionReceipt(tx.hash);
      if (receipt !== null) sent.push({ hash: tx.hash, gasUsed: receipt.gasUsed });
    }
  }
  return sent;
}

/**
 * The Token Generation Event: validates the network's parameter file and resolves every account before the
 * first transaction (bad input throws an {@link InputFileError} and sends nothing), deploys the TGE module
 * through Ignition, then reads every recipient's balance back and compares it with the plan.
 */
export async function deployTge(hre: HardhatRuntimeEnvironment, options: TgeOptions = {}): Promise<TgeResult> {
  const plan = await prepareTge(hre, options);
  const startBlock = await hre.ethers.provider.getBlockNumber();

  const deployed = await hre.ignition.deploy(buildTgeModule(plan), {
    displayUi: false,
    ...(options.deploymentId === undefined ? {} : { deploymentId: options.deploymentId }),
  });
  const seshAddress = await deployed.sesh.getAddress();
  const sesh = await hre.ethers.getContractAt("SESH", seshAddress);

  const holders = new Set([plan.genesisReceiver, ...plan.lines.map((line) => line.to)]);
  const balances = new Map<string, bigint>();
  for (const holder of holders) balances.set(holder, await sesh.balanceOf(holder));

  const transactions = await transactionsSince(hre, startBlock, plan.genesisReceiver);
  return {
    plan,
    sesh,
    seshAddress,
    totalSupply: await sesh.totalSupply(),
    checks: checkBalances(plan, balances),
    transactions,
    gasUsed: transactions.reduce((sum, tx) => sum + tx.gasUsed, 0n),
  };
}

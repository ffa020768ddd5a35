import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { GenesisSplitter, SESH } from "../typechain-types";
import { InputFileError, PreconditionError } from "../lib/errors";
import { loadStakingParameters, type StakingParameters } from "../lib/staking/parameters";
import { loadTgeParameters } from "../lib/tge/parameters";
import { bridgeConstructorValues, type ClaimsBridgeParameters } from "../lib/claims/parameters";
import {
  distributorConstructorValues,
  merkleRootOption,
  type DistributorParameters,
} from "../lib/distribution/parameters";
import type { AllocationContract } from "../lib/tge/parameters";
import {
  contractsPaid,
  migrationFitProblems,
  paidDirectly,
  planTge,
  plannedVesting,
  withContractAddresses,
  type PlannedVesting,
  type TgePlan,
} from "../lib/tge/plan";
import { checkBalances, type BalanceCheck } from "../lib/tge/report";
import TgeModule, {
  TGE_MODULE_ID,
  tgeDeploymentModule,
  type TgeDeployment,
  type TgeModuleParameters,
  type TgePayee,
} from "./modules/TGE";
import { requireContract } from "./sections";
import { stakingDeploymentOf, stakingSetParameters, type StakingDeployment } from "./staking";

/** Folder of the per-network parameter files. */
export const PARAMETERS_DIR = path.resolve(__dirname, "parameters");

/**
 * Networks that are the same chain as another network's parameter file: `localhost` is the embedded chain served
 * by `npx hardhat node` and `anvil` the same chain served by anvil (lib/chain/anvil.ts, Hardhat's accounts), so both
 * take the `hardhat` allocation table.
 */
const PARAMETER_FILE_OF: Readonly<Record<string, string>> = { localhost: "hardhat", anvil: "hardhat" };

/** The local nodes behind a network, which start an empty chain at the same chain id when they are restarted. */
const RESTARTABLE_NODES: Readonly<Record<string, string>> = { localhost: "`npx hardhat node`", anvil: "anvil" };

/** The parameter file a network deploys with: deploy/parameters/<network>.json. */
export function parametersFileFor(network: string): string {
  return path.join(PARAMETERS_DIR, `${parametersNetworkOf(network)}.json`);
}

/** The `network` a network's parameter file is written for: `hardhat` for the local chains, else its own name. */
export function parametersNetworkOf(network: string): string {
  return PARAMETER_FILE_OF[network] ?? network;
}

/**
 * What a TGE needs to deploy the contracts its contract lines fund and pay each line straight to its contract, as
 * the launch did: the migration plan's conversions, the bridge's section and the testnet awards' campaign.
 */
export interface TgeContractInputs {
  /**
   * SESH atoms of the Oxen Coin Claims line the migration converts (the plan's `totals.converted`): paid to the
   * rewards contract with the Service Node Bonus line, the rest of the line to the bridge.
   */
  readonly converted: bigint;
  /** The plan's bonus pool, checked against the Service Node Bonus line when given. */
  readonly bonusPool?: bigint;
  /** The validated `claimsBridge` section: needed when a line funds the `OxenClaimsBridge`. */
  readonly claimsBridge?: ClaimsBridgeParameters;
  /** The validated `distributor` section and the campaign's root: needed when a line funds the `MerkleDistributor`. */
  readonly distributor?: { readonly parameters: DistributorParameters; readonly merkleRoot: string };
}

export interface TgeOptions {
  /** Parameter file to use instead of the network's own. */
  readonly parametersFile?: string;
  /** Ignition deployment id (journal folder on persistent networks); Ignition's default when omitted. */
  readonly deploymentId?: string;
  /**
   * Deploy the contracts of the contract lines and pay them directly; without, the escrow account holds those lines
   * until the contracts are deployed.
   */
  readonly contracts?: TgeContractInputs;
}

/** A validated TGE: the plan, the staking parameters when the staking set is needed, and the contracts' inputs. */
export interface PreparedTge extends TgePlan {
  /**
   * The staking set's parameters (the file's `staking` section), when a `TokenVestingStaking` needs the set or a line
   * is paid to the pool or the rewards contract.
   */
  readonly staking?: StakingParameters;
  /** The inputs of the contracts the TGE deploys for its contract lines; undefined when the escrow holds them. */
  readonly contracts?: TgeContractInputs;
}

/**
 * The vesting holders' dates against the chain's clock: a staking contract's start must be in the future (its
 * constructor reverts otherwise), and a vesting that has already ended would only be a transfer with extra steps.
 */
function vestingTimeProblems(plan: TgePlan, now: number): string[] {
  const problems: string[] = [];
  const at = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
  for (const line of plan.lines) {
    for (const holder of line.vesting ?? []) {
      const where = `allocations[${line.row}] "${line.name}".recipient.vesting[${holder.index}] "${holder.name}"`;
      if (holder.staking && holder.from <= now) {
        problems.push(`${where}.start: ${at(holder.from)} is not after the chain's time ${at(now)}`);
      }
      if (holder.end <= now) problems.push(`${where}.end: ${at(holder.end)} is not after the chain's time ${at(now)}`);
    }
  }
  return problems;
}

/** What is missing for the contracts a plan pays directly, as problems of the parameter file. */
function contractInputProblems(plan: TgePlan, inputs: TgeContractInputs): string[] {
  const problems: string[] = [];
  const paid = contractsPaid(plan);
  if (paid.includes("OxenClaimsBridge") && inputs.claimsBridge === undefined) {
    problems.push("a line funds the OxenClaimsBridge, which the TGE deploys from the claimsBridge section: none given");
  }
  if (paid.includes("MerkleDistributor") && inputs.distributor === undefined) {
    problems.push(
      "a line funds the MerkleDistributor, which the TGE deploys from the distributor section and the testnet " +
        "awards' Merkle root: none given",
    );
  }
  if (inputs.distributor !== undefined) {
    try {
      merkleRootOption(inputs.distributor.merkleRoot);
    } catch (error) {
      problems.push(`distributor: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return problems;
}

/** Validates a network's TGE parameters and resolves them to a plan; sends nothing. */
export async function prepareTge(hre: HardhatRuntimeEnvironment, options: TgeOptions = {}): Promise<PreparedTge> {
  const file = options.parametersFile ?? parametersFileFor(hre.network.name);
  const parameters = loadTgeParameters(file);
  const expectedNetwork = PARAMETER_FILE_OF[hre.network.name] ?? hre.network.name;
  if (parameters.network !== expectedNetwork) {
    throw new InputFileError(file, [
      `network: the file is for network "${parameters.network}" but the deployment runs on "${hre.network.name}"`,
    ]);
  }
  const accounts = (await hre.ethers.getSigners()).map((signer) => signer.address);
  const planned = planTge(parameters, accounts);
  const { contracts } = options;
  const fit =
    contracts?.bonusPool === undefined ? [] : migrationFitProblems(planned, contracts.converted, contracts.bonusPool);
  if (fit.length > 0)
    throw new InputFileError(
      file,
      fit.map((problem) => `allocations: ${problem}`),
    );
  const plan = contracts === undefined ? planned : paidDirectly(planned, contracts.converted);
  const problems = contracts === undefined ? [] : contractInputProblems(plan, contracts);
  const vesting = plannedVesting(plan);
  if (vesting.length > 0) {
    const latest = await hre.ethers.provider.getBlock("latest");
    problems.push(...vestingTimeProblems(plan, latest?.timestamp ?? 0));
  }
  if (problems.length > 0) throw new InputFileError(file, problems);
  const paid = contractsPaid(plan);
  const needsStaking =
    vesting.some((holder) => holder.staking) || paid.includes("RewardRatePool") || paid.includes("ServiceNodeRewards");
  return {
    ...plan,
    ...(needsStaking ? { staking: loadStakingParameters(file) } : {}),
    ...(contracts === undefined ? {} : { contracts }),
  };
}

/** The TGE module's description of a plan with vesting lines or contracts it pays directly. */
export function tgeDeployment(plan: PreparedTge): TgeDeployment {
  const payments: { to: TgePayee; amount: bigint }[] = [];
  let holderIndex = 0;
  for (const line of plan.lines) {
    if (line.vesting !== undefined) {
      for (const holder of line.vesting)
        payments.push({ to: { kind: "vesting", index: holderIndex++ }, amount: holder.amount });
    } else if (line.paidTo !== undefined) {
      payments.push({ to: { kind: "contract", contract: line.paidTo }, amount: line.amount });
    } else {
      payments.push({ to: { kind: "address", address: getAddress(line.to) }, amount: line.amount });
    }
  }
  const paid = contractsPaid(plan);
  const bridge = paid.includes("OxenClaimsBridge") ? plan.contracts?.claimsBridge : undefined;
  const distributor = paid.includes("MerkleDistributor") ? plan.contracts?.distributor : undefined;
  return {
    payments,
    vesting: plannedVesting(plan).map((holder) => ({
      contract: holder.contract,
      beneficiary: getAddress(holder.beneficiaryAddress),
      revoker: getAddress(holder.revokerAddress),
      from: BigInt(holder.from),
      end: BigInt(holder.end),
      transferableBeneficiary: holder.transferableBeneficiary,
      amount: holder.amount,
    })),
    ...(plan.staking === undefined ? {} : { stakingContract: plan.staking.contract }),
    ...(bridge === undefined ? {} : { claimsBridge: bridgeConstructorValues(bridge) }),
    ...(distributor === undefined
      ? {}
      : { distributor: distributorConstructorValues(distributor.parameters, distributor.merkleRoot) }),
  };
}

/**
 * The TGE module's parameters for a plan: one recipient and one amount per allocation line, in order. A plan with
 * vesting lines, or paying contracts directly, has no such parameters: its module is built from the plan
 * ({@link tgeDeployment}).
 */
export function tgeModuleParameters(plan: TgePlan): TgeModuleParameters {
  const deploying = plan.lines.find((line) => line.vesting !== undefined || line.paidTo !== undefined);
  if (deploying !== undefined) {
    const what =
      deploying.vesting === undefined ? `the ${deploying.paidTo ?? "contract"} it funds` : "vesting contracts";
    throw new InputFileError(plan.parametersFile, [
      `allocations[${deploying.row}] "${deploying.name}".recipient: the TGE deploys ${what}, which the ` +
        `parameters of deploy/modules/TGE.ts cannot describe: deploy it with npx hardhat tge`,
    ]);
  }
  return { recipients: plan.lines.map((line) => getAddress(line.to)), amounts: plan.lines.map((line) => line.amount) };
}

/**
 * An Ignition parameter file for `npx hardhat ignition deploy deploy/modules/TGE.ts --parameters FILE`: the module
 * id, then its parameters, amounts in Ignition's bigint notation ("240000000000000000n").
 */
export function ignitionParametersJson(plan: TgePlan): string {
  const { recipients, amounts } = tgeModuleParameters(plan);
  const file = { [TGE_MODULE_ID]: { recipients, amounts: amounts.map((amount) => `${amount}n`) } };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The folder of an Ignition deployment's journal, as `hre.ignition.deploy` and `ignition deploy` compute it. */
export function deploymentFolder(hre: HardhatRuntimeEnvironment, deploymentId: string): string {
  return path.join(hre.config.paths.ignition, "deployments", deploymentId);
}

/** Ignition's default deployment id: `chain-<chain id>`. */
export async function defaultDeploymentId(hre: HardhatRuntimeEnvironment): Promise<string> {
  return `chain-${Number(await hre.network.provider.request({ method: "eth_chainId" }))}`;
}

/**
 * Refuses to continue an Ignition deployment whose journal was written for another chain. Ignition trusts its
 * journal: after `npx hardhat node` is restarted (an empty chain at the same chain id), an old journal says the
 * contracts exist and the next call fails far away ("could not decode result data … balanceOf"). Every contract
 * the journal records must have code on this chain; the error names the first that does not and says what to do.
 * The in-process `hardhat` network keeps no journal, so there is nothing to check there.
 */
export async function checkDeploymentJournal(hre: HardhatRuntimeEnvironment, deploymentId: string): Promise<void> {
  if (hre.network.name === "hardhat") return;
  const folder = deploymentFolder(hre, deploymentId);
  const addressesFile = path.join(folder, "deployed_addresses.json");
  if (!existsSync(addressesFile)) return;
  let recorded: Record<string, string>;
  try {
    recorded = JSON.parse(readFileSync(addressesFile, "utf8")) as Record<string, string>;
  } catch (error) {
    throw new PreconditionError(
      `the Ignition journal ${path.relative(process.cwd(), folder)} cannot be read (${String(error)}): delete it ` +
        `or pick another deployment id`,
    );
  }
  for (const [future, address] of Object.entries(recorded)) {
    const code = (await hre.network.provider.request({ method: "eth_getCode", params: [address, "latest"] })) as string;
    if (code !== "0x") continue;
    const relative = path.relative(process.cwd(), folder) || folder;
    const node = RESTARTABLE_NODES[hre.network.name];
    throw new PreconditionError(
      `the Ignition journal ${relative} belongs to another chain: it records ${future} at ${getAddress(address)}, ` +
        `where network ${hre.network.name} has no contract. ` +
        (node !== undefined
          ? `The node was restarted since (a restarted ${node} starts an empty chain): `
          : `Check that the RPC URL of ${hre.network.name} points to the chain of that deployment, or: `) +
        `delete the journal (rm -r ${relative}) to deploy afresh, or choose another deployment id ` +
        `(--deployment-id).`,
    );
  }
}

function moduleParameters({ recipients, amounts }: TgeModuleParameters) {
  return { recipients: [...recipients], amounts: [...amounts] };
}

/** A vesting contract the TGE deployed and funded. */
export interface DeployedVesting {
  readonly holder: PlannedVesting;
  readonly address: string;
}

export interface TgeResult {
  readonly plan: PreparedTge;
  /** The vesting contracts, in the table's order (none without vesting lines). */
  readonly vesting: readonly DeployedVesting[];
  /**
   * The staking set the TGE deployed for `TokenVestingStaking` holders or the pool's and the rewards contract's
   * lines; undefined when it deployed none.
   */
  readonly staking?: StakingDeployment;
  /** The claims bridge the TGE deployed for the Oxen Coin Claims line; undefined when it deployed none. */
  readonly bridge?: TgeBridge;
  /** The testnet awards' distributor the TGE deployed for the Testnet Incentive line; undefined when none. */
  readonly distributorAddress?: string;
  readonly sesh: SESH;
  readonly seshAddress: string;
  readonly splitter: GenesisSplitter;
  readonly splitterAddress: string;
  readonly totalSupply: bigint;
  readonly checks: readonly BalanceCheck[];
  /** Every transaction the TGE sent, in order, with its gas and the contract it created (if any). */
  readonly transactions: readonly TgeTransaction[];
  readonly gasUsed: bigint;
}

/** The claims bridge a TGE deployed. */
export interface TgeBridge {
  readonly bridgeAddress: string;
  /** The wOXEN it converts: the network's, or the test token the TGE deployed with it on a local chain. */
  readonly wrappedOxenAddress: string;
}

export interface TgeTransaction {
  readonly hash: string;
  readonly gasUsed: bigint;
  /** The address of the contract the transaction created, checksummed; undefined for a call. */
  readonly contractAddress?: string;
}

/** The transactions `from` sent in blocks (`after`, latest], in order. */
async function transactionsSince(
  hre: HardhatRuntimeEnvironment,
  after: number,
  from: string,
): Promise<TgeTransaction[]> {
  const latest = await hre.ethers.provider.getBlockNumber();
  const sent: TgeTransaction[] = [];
  for (let number = after + 1; number <= latest; number++) {
    const block = await hre.ethers.provider.getBlock(number, true);
    for (const tx of block?.prefetchedTransactions ?? []) {
      if (tx.from !== from) continue;
      const receipt = await hre.ethers.provider.getTransactionReceipt(tx.hash);
      if (receipt === null) continue;
      sent.push({
        hash: tx.hash,
        gasUsed: receipt.gasUsed,
        ...(receipt.contractAddress === null ? {} : { contractAddress: getAddress(receipt.contractAddress) }),
      });
    }
  }
  return sent;
}

/**
 * The Token Generation Event: validates the network's parameter file and resolves every account before the
 * first transaction (bad input throws an {@link InputFileError} and sends nothing), refuses a journal of another
 * chain, deploys the TGE module (deploy/modules/TGE.ts) through Ignition, then reads every recipient's balance back
 * and compares it with the plan.
 */
export async function deployTge(hre: HardhatRuntimeEnvironment, options: TgeOptions = {}): Promise<TgeResult> {
  const plan = await prepareTge(hre, options);
  const deploymentId = options.deploymentId ?? (await defaultDeploymentId(hre));
  await checkDeploymentJournal(hre, deploymentId);
  const startBlock = await hre.ethers.provider.getBlockNumber();

  const vestingPlan = plannedVesting(plan);
  const bridgeInputs = plan.contracts?.claimsBridge;
  if (bridgeInputs?.wrappedOxen.kind === "address" && contractsPaid(plan).includes("OxenClaimsBridge")) {
    await requireContract(hre, "wrappedOxen", bridgeInputs.wrappedOxen.address, "check claimsBridge.wrappedOxen");
  }
  const deployed =
    vestingPlan.length === 0 && contractsPaid(plan).length === 0
      ? await hre.ignition.deploy(TgeModule, {
          parameters: { [TGE_MODULE_ID]: moduleParameters(tgeModuleParameters(plan)) },
          displayUi: false,
          deploymentId,
        })
      : await hre.ignition.deploy(tgeDeploymentModule(tgeDeployment(plan)), {
          parameters: {
            [TGE_MODULE_ID]: plan.staking === undefined ? {} : { ...stakingSetParameters(plan.staking) },
          },
          displayUi: false,
          deploymentId,
        });
  const seshAddress = getAddress(await deployed.sesh.getAddress());
  const splitterAddress = getAddress(await deployed.splitter.getAddress());
  const results = deployed as unknown as Record<string, { getAddress(): Promise<string> } | undefined>;
  const vesting: DeployedVesting[] = [];
  for (const [index, holder] of vestingPlan.entries()) {
    const future = results[`vesting${index}`];
    if (future === undefined) throw new Error(`the TGE module returned no vesting contract ${index}`);
    vesting.push({ holder, address: getAddress(await future.getAddress()) });
  }
  const staking =
    plan.staking === undefined
      ? undefined
      : await stakingDeploymentOf(hre, plan.staking, deployed as unknown as Parameters<typeof stakingDeploymentOf>[2]);
  const addressOf = async (key: string): Promise<string | undefined> => {
    const future = results[key];
    return future === undefined ? undefined : getAddress(await future.getAddress());
  };
  const bridgeAddress = await addressOf("bridge");
  const bridge =
    bridgeAddress === undefined
      ? undefined
      : {
          bridgeAddress,
          wrappedOxenAddress: getAddress(
            await (await hre.ethers.getContractAt("OxenClaimsBridge", bridgeAddress)).wrappedOxen(),
          ),
        };
  const distributorAddress = await addressOf("distributor");
  const contracts = tgeContracts(staking, bridge, distributorAddress);
  const paidPlan: PreparedTge = { ...plan, ...withContractAddresses(plan, contracts) };
  return tgeResult(hre, {
    plan: paidPlan,
    seshAddress,
    splitterAddress,
    vesting,
    staking,
    bridge,
    distributorAddress,
    transactions: await transactionsSince(hre, startBlock, plan.genesisReceiver),
  });
}

/** The contracts of the contract lines, by the table's names, from what the TGE deployed. */
function tgeContracts(
  staking: StakingDeployment | undefined,
  bridge: TgeBridge | undefined,
  distributorAddress: string | undefined,
): Partial<Record<AllocationContract, string>> {
  return {
    ...(staking === undefined
      ? {}
      : { RewardRatePool: staking.poolAddress, ServiceNodeRewards: staking.rewardsAddress }),
    ...(bridge === undefined ? {} : { OxenClaimsBridge: bridge.bridgeAddress }),
    ...(distributorAddress === undefined ? {} : { MerkleDistributor: distributorAddress }),
  };
}

/** What a TGE deployed, to be read back from the chain into a {@link TgeResult}. */
export interface TgeDeployed {
  /** The plan with the deployed contracts' addresses. */
  readonly plan: PreparedTge;
  readonly seshAddress: string;
  readonly splitterAddress: string;
  readonly vesting: readonly DeployedVesting[];
  readonly staking: StakingDeployment | undefined;
  readonly bridge: TgeBridge | undefined;
  readonly distributorAddress: string | undefined;
  readonly transactions: readonly TgeTransaction[];
}

/**
 * A TGE's result from what it deployed: every recipient's balance read from the chain and compared with the plan
 * (also how a resumed rehearsal rebuilds the result of a TGE an earlier run made).
 */
export async function tgeResult(hre: HardhatRuntimeEnvironment, deployed: TgeDeployed): Promise<TgeResult> {
  const { plan, seshAddress, splitterAddress, vesting, staking, bridge, distributorAddress, transactions } = deployed;
  const sesh = await hre.ethers.getContractAt("SESH", seshAddress);
  const splitter = await hre.ethers.getContractAt("GenesisSplitter", splitterAddress);
  const vestingAddresses = vesting.map((contract) => contract.address);
  const holders = new Set([
    plan.genesisReceiver,
    splitterAddress,
    ...plan.lines.filter((line) => line.vesting === undefined).map((line) => line.to),
    ...vestingAddresses,
  ]);
  const balances = new Map<string, bigint>();
  for (const holder of holders) balances.set(holder, await sesh.balanceOf(holder));

  return {
    plan,
    sesh,
    seshAddress,
    splitter,
    splitterAddress,
    totalSupply: await sesh.totalSupply(),
    checks: checkBalances(plan, balances, [{ address: splitterAddress, label: "GenesisSplitter" }], vestingAddresses),
    vesting,
    ...(staking === undefined ? {} : { staking }),
    ...(bridge === undefined ? {} : { bridge }),
    ...(distributorAddress === undefined ? {} : { distributorAddress }),
    transactions,
    gasUsed: transactions.reduce((sum, tx) => sum + tx.gasUsed, 0n),
  };
}

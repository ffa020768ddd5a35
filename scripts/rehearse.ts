import { rmSync } from "node:fs";
import path from "node:path";

import { getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { deployTge, deploymentFolder, prepareTge, type TgeResult } from "../deploy/tge";
import { formatInteger, formatSesh } from "../lib/amount";
import { ARB_SYS_ADDRESS, installArbSys } from "../lib/chain/arbitrum";
import { checkClockBefore, moveClockTo } from "../lib/chain/clock";
import { ARBITRUM_LOCAL_CHAIN_ID } from "../lib/chain/networks";
import { PreconditionError } from "../lib/errors";
import { allocationTable, balanceTable, recipientTable } from "../lib/tge/report";
import { formatUtc, launchTimeline } from "../lib/timeline";

export interface RehearsalCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface RehearsalOptions {
  /** TGE parameter file instead of the network's own. */
  readonly parametersFile?: string;
  /** Where progress and the tables go (default: standard output). */
  readonly log?: (line: string) => void;
}

export interface RehearsalResult {
  readonly chainId: number;
  readonly tge: TgeResult;
  readonly checks: readonly RehearsalCheck[];
  readonly passed: boolean;
}

const STEPS = 3;

/**
 * The Ignition deployment id of the rehearsal on a node that outlives the process (localhost, anvil). One id,
 * reused: a rehearsal always runs on a fresh chain (it refuses a clock at or past the TGE), so a journal of that id
 * is always from an earlier chain; it is deleted before the deployment and again after it, so that nothing piles up
 * in deploy/deployments/.
 */
export const REHEARSAL_DEPLOYMENT_ID = "rehearsal";

/**
 * The launch rehearsal on a local Arbitrum-like chain (the in-process `hardhat` network, `npx hardhat node` behind
 * `localhost`, or anvil behind `anvil`). At this stage it plays the Landing's Token Generation Event: prepares the
 * chain, moves its clock to the TGE date of the launch calendar, runs the TGE module and checks every balance.
 */
export async function rehearse(
  hre: HardhatRuntimeEnvironment,
  options: RehearsalOptions = {},
): Promise<RehearsalResult> {
  const log =
    options.log ??
    ((line: string): void => {
      console.log(line);
    });
  const step = (index: number, text: string): void => {
    log(`[${index}/${STEPS}] ${text}`);
  };
  const provider = hre.network.provider;
  const timeline = launchTimeline();

  log(`Session Network launch rehearsal: Landing, Token Generation Event`);
  // Every input and precondition is checked before the chain is touched: a bad allocation table, the wrong chain
  // or a clock already at or past the TGE leaves the chain as it was (no code installed, no block mined).
  const chainId = Number(await provider.request({ method: "eth_chainId" }));
  if (chainId !== ARBITRUM_LOCAL_CHAIN_ID) {
    throw new PreconditionError(
      `the rehearsal runs on the local Arbitrum-like chain (chain id ${ARBITRUM_LOCAL_CHAIN_ID}); network ` +
        `${hre.network.name} has chain id ${chainId}`,
    );
  }
  const tgeOptions = options.parametersFile === undefined ? {} : { parametersFile: options.parametersFile };
  await prepareTge(hre, tgeOptions);
  const tgeEvent = timeline.at("tge");
  await checkClockBefore(provider, tgeEvent.unix, "the TGE");

  await installArbSys(hre);
  const arbSys = await hre.ethers.getContractAt("IArbSys", ARB_SYS_ADDRESS);
  const latest = await hre.ethers.provider.getBlock("latest");
  step(
    1,
    `chain ready: network ${hre.network.name}, chain id ${chainId}, block gas limit ` +
      `${formatInteger(latest?.gasLimit ?? 0n)}, ArbSys arbChainID() = ${await arbSys.arbChainID()}, ` +
      `arbBlockNumber() = ${await arbSys.arbBlockNumber()}`,
  );

  const from = await moveClockTo(provider, tgeEvent.unix, "the TGE");
  step(2, `clock moved from ${formatUtc(from)} to the TGE, ${formatUtc(tgeEvent.date)}`);

  // The in-process network keeps Ignition's journal in memory; elsewhere it goes to one folder, removed after.
  const journal = hre.network.name === "hardhat" ? undefined : deploymentFolder(hre, REHEARSAL_DEPLOYMENT_ID);
  const removeJournal = (): void => {
    if (journal !== undefined) rmSync(journal, { recursive: true, force: true });
  };
  removeJournal();
  let tge: TgeResult;
  try {
    tge = await deployTge(hre, { ...tgeOptions, deploymentId: REHEARSAL_DEPLOYMENT_ID });
  } finally {
    removeJournal();
  }
  step(
    3,
    `TGE done: SESH at ${tge.seshAddress}, split by GenesisSplitter at ${tge.splitterAddress}, ` +
      `${tge.transactions.length} transactions, ` +
      `${formatInteger(tge.gasUsed)} gas`,
  );

  log("");
  log(`## Allocation (${path.relative(process.cwd(), tge.plan.parametersFile)})`);
  log("");
  log(allocationTable(tge.plan));
  log("");
  log(recipientTable(tge.plan));
  const escrowed = tge.plan.lines.filter((line) => line.heldFor !== undefined);
  if (escrowed.length > 0) {
    log("");
    log(
      `Held by the escrow account ${tge.plan.escrow.name} (${getAddress(tge.plan.escrow.address)}) until their contracts are ` +
        `deployed: ${escrowed.map((line) => `${line.name} → ${line.heldFor}`).join("; ")}.`,
    );
  }
  log("");
  log("## Balances after the TGE");
  log("");
  log(balanceTable(tge.checks));

  const allocated = tge.plan.lines.reduce((sum, line) => sum + line.amount, 0n);
  const failedBalances = tge.checks.filter((check) => !check.ok);
  const checks: RehearsalCheck[] = [
    {
      name: "ArbSys double answers arbChainID()",
      ok: (await arbSys.arbChainID()) === BigInt(chainId),
      detail: `at ${ARB_SYS_ADDRESS}`,
    },
    { name: "total supply", ok: tge.totalSupply === tge.plan.totalSupply, detail: formatSesh(tge.totalSupply) },
    {
      name: `the ${tge.plan.lines.length} allocation lines sum to the supply`,
      ok: allocated === tge.totalSupply,
      detail: formatSesh(allocated),
    },
    {
      name: "every holder's balance equals its lines",
      ok: failedBalances.length === 0,
      detail:
        failedBalances.length === 0
          ? `${tge.checks.length} holders`
          : `wrong: ${failedBalances.map((check) => check.label).join(", ")}`,
    },
  ];

  log("");
  log("## Checks");
  log("");
  for (const check of checks) log(`- ${check.ok ? "ok    " : "FAILED"} ${check.name}: ${check.detail}`);
  const passed = checks.every((check) => check.ok);
  const failed = checks.filter((check) => !check.ok).length;
  log("");
  log(
    passed
      ? `Rehearsal passed: ${checks.length} of ${checks.length} checks.`
      : `Rehearsal FAILED: ${failed} checks failed.`,
  );
  return { chainId, tge, checks, passed };
}

import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { revertsWith } from "../../lib/chain/revert";

import type { TgeResult } from "../../deploy/tge";
import { amountPaidTo } from "../../lib/tge/plan";
import { formatInteger, formatSesh } from "../../lib/amount";
import type { Campaign } from "../../lib/distribution";
import type { DistributorParameters } from "../../lib/distribution/parameters";
import { markdownTable } from "../../lib/markdown";
import type { Journal } from "../../lib/rehearsal/journal";
import type { ReportCheck, ReportTransaction } from "../../lib/rehearsal/report";

// The testnet awards at the Landing: the Lighthouse's incentive and referral awards (computed from the testnet
// contract's events) become one MerkleDistributor campaign, which the TGE deploys and pays the Testnet Incentive line. The first awards are claimed at once, which with the
// network's vesting pays only what has vested; months later, once the vesting is over, they are released in full.

/** The name of the testnet awards' campaign (its leaves' domain). */
export const AWARDS_CAMPAIGN = "testnet-incentive";
/** Awards claimed on the TGE day (the first of the campaign's). */
const AWARDS_CLAIMED = 3;

export interface AwardsOptions {
  /** The TGE, which deployed the campaign's distributor and paid it the Testnet Incentive line. */
  readonly tge: TgeResult;
  /** The campaign of the Lighthouse's awards (`buildCampaign(awards, { name: AWARDS_CAMPAIGN })`). */
  readonly campaign: Campaign;
  readonly journal: Journal;
  /** The distributor's validated parameters (checked before the rehearsal's first transaction). */
  readonly parameters: DistributorParameters;
}

export interface TestnetAwardsPart {
  readonly distributorAddress: string;
  readonly events: string[];
  readonly transactions: ReportTransaction[];
  /** Releases the claimed awards' vested rest, run once the vesting is over; returns the checks, read then. */
  readonly release: () => Promise<ReportCheck[]>;
  /** The checks, read from the chain when called (before the claim deadline). */
  readonly checks: () => Promise<ReportCheck[]>;
  readonly markdown: () => Promise<string>;
}

/**
 * Claims the first awards of the testnet awards' campaign, which the TGE deployed and funded; returns the release of their
 * vested rest, to be run once the vesting is over, and the checks to run after it.
 */
export async function runTestnetAwards(
  hre: HardhatRuntimeEnvironment,
  options: AwardsOptions,
): Promise<TestnetAwardsPart> {
  const { tge, campaign, journal, parameters } = options;
  const { ethers } = hre;
  const submitter = await ethers.getSigner(tge.plan.genesisReceiver);
  const address = tge.distributorAddress;
  if (address === undefined) throw new Error("the Landing's TGE deployed no distributor");
  const funding = amountPaidTo(tge.plan, address);
  const transactions: ReportTransaction[] = [];
  const record = (label: string, receipt: { hash: string; gasUsed: bigint }): void => {
    transactions.push({ label, hash: receipt.hash, gasUsed: receipt.gasUsed });
  };
  const distributor = await ethers.getContractAt("MerkleDistributor", address);
  const leaves = [...campaign.tree.entries()]
    .map(([position, [index, account, amount]]) => ({
      index: BigInt(index),
      account,
      amount: BigInt(amount),
      proof: campaign.tree.getProof(position),
    }))
    .sort((a, b) => (a.index < b.index ? -1 : 1));
  const claimed = leaves.slice(0, AWARDS_CLAIMED);
  for (const [slot, leaf] of claimed.entries()) {
    record(
      `claim award ${leaf.index} of ${leaf.account}`,
      await journal.send(`landing.awards.claim.${slot}`, submitter, () =>
        distributor.claim.populateTransaction(leaf.index, leaf.account, leaf.amount, leaf.proof),
      ),
    );
  }
  const events = [
    `MerkleDistributor at ${address}: ${formatInteger(campaign.awards.length)} testnet awards, ` +
      `${formatSesh(campaign.total)}, vesting ${formatInteger(Number(parameters.vestingDuration) / 86_400)} days ` +
      `from ${new Date(Number(parameters.vestingStart) * 1_000).toISOString().slice(0, 10)}; ` +
      `paid ${formatSesh(funding)} by the TGE`,
    `${formatInteger(claimed.length)} awards claimed on the TGE day`,
  ];
  const checks = async (): Promise<ReportCheck[]> => {
    const paid = await Promise.all(
      claimed.map(async (leaf) => (await tge.sesh.balanceOf(leaf.account)) === leaf.amount),
    );
    const first = claimed[0];
    // A second claim of the first award claimed, as a call: refused with AlreadyClaimed.
    const againRefused =
      first !== undefined &&
      (await revertsWith(
        () => distributor.claim.staticCall(first.index, first.account, first.amount, first.proof),
        distributor.interface,
        "AlreadyClaimed",
      ));
    const released = await distributor.totalReleased();
    const balance = await tge.sesh.balanceOf(address);
    return [
      {
        name: "the distributor's root is the campaign of the Lighthouse's awards",
        ok: (await distributor.merkleRoot()) === campaign.root,
        detail: `${formatInteger(campaign.awards.length)} awards, root ${campaign.root.slice(0, 10)}…`,
      },
      {
        name: "each award claimed at the TGE is paid in full once its vesting is over",
        ok: paid.every(Boolean) && claimed.length > 0,
        detail: `${formatInteger(paid.filter(Boolean).length)} of ${formatInteger(claimed.length)}`,
      },
      {
        name: "a claimed award cannot be claimed again (AlreadyClaimed)",
        ok: againRefused,
        detail: `award ${String(first?.index)} ${againRefused ? "refused" : "did not refuse"} a second claim`,
      },
      {
        name: "the distributor holds its funding less what it released",
        ok: balance === funding - released,
        detail: `${formatSesh(balance)} held, ${formatSesh(released)} released`,
      },
    ];
  };
  const release = async (): Promise<ReportCheck[]> => {
    for (const [slot, leaf] of claimed.entries()) {
      record(
        `release the vested rest of ${leaf.account}`,
        await journal.send(`landing.awards.release.${slot}`, submitter, () =>
          distributor.release.populateTransaction(leaf.account),
        ),
      );
    }
    events.push(`${formatInteger(claimed.length)} claimed awards released in full once the vesting was over`);
    return checks();
  };
  const markdown = async (): Promise<string> =>
    markdownTable(
      ["award", "account", "SESH", "released"],
      ["r", "l", "r", "r"],
      await Promise.all(
        leaves.map(async (leaf) => [
          String(leaf.index),
          leaf.account,
          formatSesh(leaf.amount, { unit: false }),
          formatSesh(await distributor.released(leaf.account), { unit: false }),
        ]),
      ),
    );
  return { distributorAddress: address, events, transactions, release, checks, markdown };
}

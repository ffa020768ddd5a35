import { getAddress, keccak256, toUtf8Bytes, dataSlice } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { revertsWith } from "../../lib/chain/revert";

import type { TgeResult } from "../../deploy/tge";
import { amountPaidTo } from "../../lib/tge/plan";
import { formatInteger, formatSesh } from "../../lib/amount";
import { moveClockTo } from "../../lib/chain/clock";
import { buildEpoch, type Burn } from "../../lib/claims";
import type { ClaimsBridgeParameters } from "../../lib/claims/parameters";
import { markdownTable } from "../../lib/markdown";
import type { MigrationPlan } from "../../lib/migration";
import type { Journal } from "../../lib/rehearsal/journal";
import type { ReportCheck, ReportTransaction } from "../../lib/rehearsal/report";
import { DECAY_SECONDS, FINAL_RATE, formatRate, OPENING_RATE, quote, type Breakpoint } from "../../lib/schedule";
import { formatUtc, launchTimeline } from "../../lib/timeline";

// The Oxen claims bridge at the Landing: deployed by the TGE, which pays it what the Oxen Coin Claims line keeps
// after the migration's conversions, and given one epoch: a burn for every unlock of the
// migration plan (OXEN the migration did not convert: stakes of disbanded nodes, unregistered wallets' rewards). Claims
// and wOXEN conversions are then made on four dates: the opening at 0.54 SESH per OXEN, TGE + 6 months when the decay
// starts, half-way through the decay and after it. Every payment is checked against lib/schedule's quote at the block's
// time.

/** Leaves claimed on each date (the rest stay claimable, as most did in the real launch). */
const CLAIMS_PER_ROUND = 3;
/** wOXEN converted on each date, in OXEN atoms: 1,000 OXEN. */
const WRAPPED_PER_ROUND = 1_000n * 10n ** 9n;
const SECONDS_PER_DAY = 24 * 3_600;
/** A year of seconds after the TGE for the last date: the rate has long reached its floor. */
const SECONDS_PER_YEAR = 365 * 24 * 3_600;

/** The dates claims are made on, in order. */
export function claimRounds(): { readonly label: string; readonly unix: number }[] {
  const timeline = launchTimeline();
  const decayStart = timeline.at("conversionDecayStart").unix;
  return [
    { label: "the claims portal opens", unix: timeline.at("stakingPortalLive").unix },
    { label: "TGE + 6 months, the decay's eve", unix: decayStart - SECONDS_PER_DAY },
    { label: "half-way through the decay", unix: decayStart + Number(DECAY_SECONDS) / 2 },
    { label: "TGE + 12 months, after the decay", unix: timeline.at("tge").unix + SECONDS_PER_YEAR },
  ];
}

/** The Ethereum address a rehearsal's burn of `oxenAddress` names: derived, so that the same plan gives the same. */
export function burnRecipient(oxenAddress: string): string {
  return getAddress(dataSlice(keccak256(toUtf8Bytes(`rehearsal burn recipient:${oxenAddress}`)), 12));
}

/** The burns of the plan's unlocks: one per unlocked wallet, in the plan's order. */
export function unlockBurns(plan: MigrationPlan): Burn[] {
  return plan.unlocks.map((unlock) => ({
    burnId: keccak256(toUtf8Bytes(`rehearsal burn:${unlock.oxenAddress}`)),
    recipient: burnRecipient(unlock.oxenAddress),
    oxenAmount: unlock.amount,
  }));
}

/** One payment of the bridge, as the report shows it. */
export interface BridgePayment {
  readonly round: string;
  readonly kind: "claim" | "wOXEN";
  readonly timestamp: number;
  readonly oxen: bigint;
  readonly sesh: bigint;
  /** SESH atoms per 10^9 OXEN atoms, as the contract's event gives it. */
  readonly rate: bigint;
  /** What lib/schedule quotes for the amount at the block's time. */
  readonly quoted: bigint;
}

export interface BridgeOptions {
  /** The TGE, which deployed the bridge and paid it the Oxen Coin Claims line less the migration's conversions. */
  readonly tge: TgeResult;
  readonly plan: MigrationPlan;
  readonly journal: Journal;
  /** The bridge's validated parameters (checked before the rehearsal's first transaction). */
  readonly parameters: ClaimsBridgeParameters;
  /** Runs before the claims of each date but the first (the grace week's end falls between the first two). */
  readonly beforeRound?: (index: number, unix: number) => Promise<void>;
}

export interface BridgeResult {
  readonly bridgeAddress: string;
  /** The rate of each date's conversion, in order. */
  readonly rates: readonly { readonly label: string; readonly rate: bigint }[];
  readonly payments: readonly BridgePayment[];
  readonly schedule: readonly Breakpoint[];
  readonly events: readonly string[];
  readonly transactions: readonly ReportTransaction[];
  readonly checks: readonly ReportCheck[];
  readonly markdown: string;
}

/**
 * Publishes the epoch of the plan's unlocks on the bridge the TGE deployed and funded, and makes the claims and conversions of
 * each of {@link claimRounds}' dates, moving the clock to each; then checks every payment against the schedule, that
 * a claimed leaf cannot be claimed again and that the bridge's balance is what it was funded with less what it paid.
 */
export async function runClaimsBridge(hre: HardhatRuntimeEnvironment, options: BridgeOptions): Promise<BridgeResult> {
  const { tge, plan, journal, parameters } = options;
  const { ethers } = hre;
  const deployer = await ethers.getSigner(tge.plan.genesisReceiver);
  const owner = await ethers.getSigner(parameters.owner);
  if (tge.bridge === undefined) throw new Error("the Landing's TGE deployed no claims bridge");
  const addresses = { bridge: tge.bridge.bridgeAddress, wrappedOxen: tge.bridge.wrappedOxenAddress };
  const funding = amountPaidTo(tge.plan, addresses.bridge);
  const burns = unlockBurns(plan);
  const epoch = burns.length === 0 ? undefined : buildEpoch(burns);
  const transactions: ReportTransaction[] = [];
  const record = (label: string, receipt: { hash: string; gasUsed: bigint }): void => {
    transactions.push({ label, hash: receipt.hash, gasUsed: receipt.gasUsed });
  };
  const bridge = await ethers.getContractAt("OxenClaimsBridge", addresses.bridge);
  const wrapped = await ethers.getContractAt("WrappedOxen__Mock", addresses.wrappedOxen);
  const schedule = (await bridge.schedule()).map((point) => ({ timestamp: point.timestamp, rate: point.rate }));

  if (epoch !== undefined) {
    record(
      `publish the epoch of ${formatInteger(burns.length)} burns`,
      await journal.send("landing.bridge.epoch", owner, () =>
        bridge.addEpoch.populateTransaction(epoch.root, epoch.totalOxen),
      ),
    );
  }
  const rounds = claimRounds();
  const wrappedTotal = WRAPPED_PER_ROUND * BigInt(rounds.length);
  record(
    "mint the wOXEN to convert",
    await journal.send("landing.bridge.wrapped.mint", deployer, () =>
      wrapped.mint.populateTransaction(deployer.address, wrappedTotal),
    ),
  );
  record(
    "approve the bridge for the wOXEN",
    await journal.send("landing.bridge.wrapped.approve", deployer, () =>
      wrapped.approve.populateTransaction(addresses.bridge, wrappedTotal),
    ),
  );

  const leaves =
    epoch === undefined
      ? []
      : [...epoch.claims.entries()].flatMap(([recipient, claims]) => claims.map((claim) => ({ recipient, claim })));
  leaves.sort((a, b) => Number(a.claim.index) - Number(b.claim.index));
  const payments: BridgePayment[] = [];
  const events: string[] = [
    `OxenClaimsBridge at ${addresses.bridge}, paid ${formatSesh(funding)} by the TGE`,
    epoch === undefined
      ? "no unlock in the plan: no epoch to publish"
      : `epoch 0: ${formatInteger(burns.length)} burns of the plan's unlocks, ${formatSesh(epoch.totalOxen, { unit: false })} OXEN`,
  ];
  const paymentOf = async (
    round: string,
    kind: BridgePayment["kind"],
    receipt: { blockNumber: number; logs: readonly { topics: readonly string[]; data: string }[] },
    oxen: bigint,
  ): Promise<BridgePayment> => {
    const block = await ethers.provider.getBlock(receipt.blockNumber);
    const timestamp = block?.timestamp ?? 0;
    const name = kind === "claim" ? "Claimed" : "WrappedConverted";
    const log = receipt.logs.map((entry) => bridge.interface.parseLog(entry)).find((parsed) => parsed?.name === name);
    if (log === undefined || log === null) throw new Error(`${round}: the ${kind} emitted no ${name} event`);
    const sesh = log.args.getValue("seshAmount") as bigint;
    const rate = log.args.getValue("rate") as bigint;
    return { round, kind, timestamp, oxen, sesh, rate, quoted: quote(schedule, oxen, BigInt(timestamp)) };
  };
  for (const [index, round] of rounds.entries()) {
    if (index > 0) await options.beforeRound?.(index, round.unix);
    const { from } = await journal.step(`landing.bridge.clock.${index}`, async () => ({
      from: await moveClockTo(hre.network.provider, round.unix, round.label),
    }));
    events.push(`clock moved from ${formatUtc(from)} to ${formatUtc(new Date(round.unix * 1_000))}: ${round.label}`);
    for (const [slot, leaf] of leaves.slice(index * CLAIMS_PER_ROUND, (index + 1) * CLAIMS_PER_ROUND).entries()) {
      const receipt = await journal.send(`landing.bridge.claim.${index}.${slot}`, deployer, () =>
        bridge.claim.populateTransaction(0n, leaf.claim.index, leaf.recipient, leaf.claim.oxenAmount, [
          ...leaf.claim.proof,
        ]),
      );
      record(`claim leaf ${leaf.claim.index} (${round.label})`, receipt);
      payments.push(await paymentOf(round.label, "claim", receipt, BigInt(leaf.claim.oxenAmount)));
    }
    const converted = await journal.send(`landing.bridge.convert.${index}`, deployer, () =>
      bridge.convertWrapped.populateTransaction(WRAPPED_PER_ROUND),
    );
    record(`convert ${formatSesh(WRAPPED_PER_ROUND, { unit: false })} wOXEN (${round.label})`, converted);
    payments.push(await paymentOf(round.label, "wOXEN", converted, WRAPPED_PER_ROUND));
  }

  // The checks.
  const paid = payments.reduce((sum, payment) => sum + payment.sesh, 0n);
  const balance = await tge.sesh.balanceOf(addresses.bridge);
  const wrongPayments = payments.filter((payment) => payment.sesh !== payment.quoted);
  const firstClaimed = payments.find((payment) => payment.kind === "claim");
  const firstLeaf = leaves[0];
  // A second claim of the first leaf claimed, as a call: refused with AlreadyClaimed.
  const doubleClaimRefused =
    firstClaimed !== undefined &&
    firstLeaf !== undefined &&
    (await revertsWith(
      () =>
        bridge.claim.staticCall(0n, firstLeaf.claim.index, firstLeaf.recipient, firstLeaf.claim.oxenAmount, [
          ...firstLeaf.claim.proof,
        ]),
      bridge.interface,
      "AlreadyClaimed",
    ));
  const rateAt = (index: number): bigint =>
    payments.find((payment) => payment.round === rounds[index]?.label && payment.kind === "wOXEN")?.rate ?? 0n;
  const decayRate = rateAt(2);
  const checks: ReportCheck[] = [
    {
      name: "every claim and conversion paid the schedule's quote at its block's time",
      ok: wrongPayments.length === 0 && payments.length > 0,
      detail:
        wrongPayments.length === 0
          ? `${formatInteger(payments.length)} payments, ${formatSesh(paid)}`
          : `wrong: ${wrongPayments.map((payment) => `${payment.kind} at ${formatUtc(new Date(payment.timestamp * 1_000))}`).join(", ")}`,
    },
    {
      name: "the rate is 0.54 from the opening to TGE + 6 months, then decays to 0.378",
      ok:
        rateAt(0) === OPENING_RATE &&
        rateAt(1) === OPENING_RATE &&
        decayRate < OPENING_RATE &&
        decayRate > FINAL_RATE &&
        rateAt(3) === FINAL_RATE,
      detail: rounds.map((round, index) => `${formatRate(rateAt(index))} (${round.label})`).join(", "),
    },
    {
      name: "a claimed leaf cannot be claimed again (AlreadyClaimed)",
      ok: doubleClaimRefused,
      detail: doubleClaimRefused ? "leaf 0 refused a second claim" : "a second claim of leaf 0 was not refused",
    },
    {
      name: "the bridge holds its funding less what it paid",
      ok: balance === funding - paid,
      detail: `${formatSesh(balance)} held, ${formatSesh(funding)} funded, ${formatSesh(paid)} paid`,
    },
    {
      name: "the converted wOXEN is locked in the bridge",
      ok: (await bridge.wrappedOxenLocked()) === wrappedTotal,
      detail: `${formatSesh(wrappedTotal, { unit: false })} wOXEN`,
    },
  ];
  const markdown = markdownTable(
    ["date (UTC)", "", "paid for", "OXEN", "SESH", "rate"],
    ["l", "l", "l", "r", "r", "r"],
    payments.map((payment) => [
      formatUtc(new Date(payment.timestamp * 1_000)),
      payment.round,
      payment.kind === "claim" ? "claim" : "wOXEN",
      formatSesh(payment.oxen, { unit: false }),
      formatSesh(payment.sesh, { unit: false }),
      formatRate(payment.rate),
    ]),
  );
  const rates = rounds.map((round, index) => ({ label: round.label, rate: rateAt(index) }));
  return { bridgeAddress: addresses.bridge, rates, payments, schedule, events, transactions, checks, markdown };
}

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { MaxUint256, ZeroAddress } from "ethers";
import fc from "fast-check";
import { ethers } from "hardhat";

import { ATOMS_PER_SESH, SESH_TOTAL_SUPPLY } from "../../lib/amount";
import { signPermit } from "../../lib/chain/permit";
import type { SESH } from "../../typechain-types";
import { FC_SEED, integerFromEnv } from "../helpers/env";

const NUM_RUNS = integerFromEnv("FC_NUM_RUNS", 25, 1);

const ACCOUNT_COUNT = 5;
const MAX_OPERATIONS = 15;
/** Permits in the sequences stay valid for a day, far longer than a run. */
const PERMIT_LIFETIME = 86_400n;
/** What the genesis receiver (account 0) hands out before a run; accounts 3 and 4 start empty. */
const INITIAL_GRANTS: readonly (readonly [account: number, amount: bigint])[] = [
  [1, 1_000n * ATOMS_PER_SESH],
  [2, 25n * ATOMS_PER_SESH],
];

/** A share of the relevant limit (≤ 100 %), the limit plus a little, any amount up to the supply, or 2^256 − 1. */
type Amount =
  | { readonly kind: "share"; readonly permille: number }
  | { readonly kind: "excess"; readonly atoms: bigint }
  | { readonly kind: "atoms"; readonly atoms: bigint }
  | { readonly kind: "max" };

type Operation =
  | { readonly kind: "transfer"; readonly from: number; readonly to: number; readonly amount: Amount }
  | { readonly kind: "approve"; readonly owner: number; readonly spender: number; readonly amount: Amount }
  | {
      readonly kind: "transferFrom";
      readonly spender: number;
      readonly from: number;
      readonly to: number;
      readonly amount: Amount;
      /** Whether `amount` is measured against the allowance or the owner's balance. */
      readonly limit: "allowance" | "balance";
      /**
       * When set and some allowance is open, picks one of the open (owner, spender) pairs instead of `from` and
       * `spender`: random pairs rarely hit an allowance, so most transferFrom calls would only exercise the
       * no-allowance revert.
       */
      readonly openAllowance: number | null;
    }
  | { readonly kind: "permit"; readonly owner: number; readonly spender: number; readonly amount: Amount };

const accountArbitrary = fc.integer({ min: 0, max: ACCOUNT_COUNT - 1 });

const amountArbitrary: fc.Arbitrary<Amount> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("share"), permille: fc.integer({ min: 0, max: 1_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("excess"), atoms: fc.bigInt({ min: 1n, max: 1_000n }) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("atoms"), atoms: fc.bigInt({ min: 0n, max: SESH_TOTAL_SUPPLY }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "max" }) },
);

const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("transfer"),
      from: accountArbitrary,
      to: accountArbitrary,
      amount: amountArbitrary,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("approve"),
      owner: accountArbitrary,
      spender: accountArbitrary,
      amount: amountArbitrary,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("transferFrom"),
      spender: accountArbitrary,
      from: accountArbitrary,
      to: accountArbitrary,
      amount: amountArbitrary,
      limit: fc.constantFrom("allowance", "balance"),
      openAllowance: fc.option(fc.nat({ max: ACCOUNT_COUNT * ACCOUNT_COUNT }), { freq: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("permit"),
      owner: accountArbitrary,
      spender: accountArbitrary,
      amount: amountArbitrary,
    }),
  },
);

/**
 * Sequences run before the generated ones so that every outcome is reached whatever the seed: an allowance above the
 * owner's balance (the balance revert of transferFrom), an unlimited allowance, a permit spent by its spender, and
 * self-transfers.
 */
const EXAMPLES: readonly (readonly Operation[])[] = [
  [
    { kind: "approve", owner: 1, spender: 3, amount: { kind: "max" } },
    {
      kind: "transferFrom",
      spender: 3,
      from: 1,
      to: 4,
      amount: { kind: "excess", atoms: 1n },
      limit: "balance",
      openAllowance: 0,
    },
    {
      kind: "transferFrom",
      spender: 3,
      from: 1,
      to: 4,
      amount: { kind: "share", permille: 500 },
      limit: "balance",
      openAllowance: 0,
    },
  ],
  [
    { kind: "permit", owner: 2, spender: 4, amount: { kind: "share", permille: 800 } },
    {
      kind: "transferFrom",
      spender: 4,
      from: 2,
      to: 0,
      amount: { kind: "excess", atoms: 1n },
      limit: "allowance",
      openAllowance: 0,
    },
    {
      kind: "transferFrom",
      spender: 4,
      from: 2,
      to: 4,
      amount: { kind: "share", permille: 1_000 },
      limit: "allowance",
      openAllowance: 0,
    },
    { kind: "transfer", from: 4, to: 4, amount: { kind: "share", permille: 1_000 } },
    { kind: "transfer", from: 4, to: 4, amount: { kind: "excess", atoms: 1n } },
  ],
];

/** The amount `amount` stands for when the operation's limit (balance or allowance) is `limit`. */
function resolveAmount(amount: Amount, limit: bigint): bigint {
  switch (amount.kind) {
    case "share":
      return (limit * BigInt(amount.permille)) / 1_000n;
    case "excess":
      return limit + amount.atoms;
    case "atoms":
      return amount.atoms;
    case "max":
      return MaxUint256;
  }
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item at index ${index}`);
  return item;
}

/** A custom error the model expects the token to revert with. */
interface ExpectedRevert {
  readonly error: "ERC20InsufficientBalance" | "ERC20InsufficientAllowance";
  readonly args: readonly (string | bigint)[];
}

/** The token's state as a plain ERC-20 with ERC-2612 must evolve it. */
class TokenModel {
  readonly balances: bigint[];
  readonly allowances: bigint[][];
  readonly nonces: bigint[];
  /** Accounts that held tokens at any point. */
  readonly everHeld = new Set<number>();

  constructor(private readonly addresses: readonly string[]) {
    const granted = INITIAL_GRANTS.reduce((sum, [, amount]) => sum + amount, 0n);
    this.balances = addresses.map(() => 0n);
    this.balances[0] = SESH_TOTAL_SUPPLY - granted;
    for (const [account, amount] of INITIAL_GRANTS) this.balances[account] = amount;
    this.allowances = addresses.map(() => addresses.map(() => 0n));
    this.nonces = addresses.map(() => 0n);
    this.recordHolders();
  }

  balance(account: number): bigint {
    return at(this.balances, account);
  }

  allowance(owner: number, spender: number): bigint {
    return at(at(this.allowances, owner), spender);
  }

  nonce(owner: number): bigint {
    return at(this.nonces, owner);
  }

  /** Every (owner, spender) pair with a non-zero allowance. */
  openAllowances(): { readonly owner: number; readonly spender: number }[] {
    return this.allowances.flatMap((row, owner) =>
      row.flatMap((allowance, spender) => (allowance > 0n ? [{ owner, spender }] : [])),
    );
  }

  transfer(from: number, to: number, amount: bigint): ExpectedRevert | undefined {
    const balance = this.balance(from);
    if (amount > balance) {
      return { error: "ERC20InsufficientBalance", args: [at(this.addresses, from), balance, amount] };
    }
    this.balances[from] = balance - amount;
    this.balances[to] = this.balance(to) + amount;
    this.recordHolders();
    return undefined;
  }

  approve(owner: number, spender: number, amount: bigint): void {
    at(this.allowances, owner)[spender] = amount;
  }

  transferFrom(spender: number, from: number, to: number, amount: bigint): ExpectedRevert | undefined {
    const allowance = this.allowance(from, spender);
    if (allowance !== MaxUint256 && amount > allowance) {
      return { error: "ERC20InsufficientAllowance", args: [at(this.addresses, spender), allowance, amount] };
    }
    const outcome = this.transfer(from, to, amount);
    if (outcome === undefined && allowance !== MaxUint256) this.approve(from, spender, allowance - amount);
    return outcome;
  }

  permit(owner: number, spender: number, amount: bigint): void {
    this.approve(owner, spender, amount);
    this.nonces[owner] = this.nonce(owner) + 1n;
  }

  private recordHolders(): void {
    this.balances.forEach((balance, account) => {
      if (balance > 0n) this.everHeld.add(account);
    });
  }
}

async function supplyFixture() {
  const signers = await ethers.getSigners();
  const accounts = Array.from({ length: ACCOUNT_COUNT }, (_, index) => at(signers, index));
  const genesis = at(accounts, 0);
  const factory = await ethers.getContractFactory("SESH");
  const token = await factory.deploy(SESH_TOTAL_SUPPLY, genesis.address, ZeroAddress, ZeroAddress);
  await token.waitForDeployment();
  for (const [account, amount] of INITIAL_GRANTS) await token.transfer(at(accounts, account), amount);
  return { token, accounts };
}

/** Sends `operation` to the token and applies it to the model; the outcome must be the model's, revert included. */
async function apply(
  token: SESH,
  accounts: readonly HardhatEthersSigner[],
  model: TokenModel,
  operation: Operation,
): Promise<void> {
  const account = (index: number) => at(accounts, index);
  let expected: ExpectedRevert | undefined;
  let sent: Promise<unknown>;
  switch (operation.kind) {
    case "transfer": {
      const amount = resolveAmount(operation.amount, model.balance(operation.from));
      sent = token.connect(account(operation.from)).transfer(account(operation.to), amount);
      expected = model.transfer(operation.from, operation.to, amount);
      break;
    }
    case "approve": {
      const amount = resolveAmount(operation.amount, model.balance(operation.owner));
      sent = token.connect(account(operation.owner)).approve(account(operation.spender), amount);
      model.approve(operation.owner, operation.spender, amount);
      break;
    }
    case "transferFrom": {
      const open = model.openAllowances();
      const pair =
        operation.openAllowance === null || open.length === 0
          ? { owner: operation.from, spender: operation.spender }
          : at(open, operation.openAllowance % open.length);
      const limit =
        operation.limit === "allowance" ? model.allowance(pair.owner, pair.spender) : model.balance(pair.owner);
      const amount = resolveAmount(operation.amount, limit);
      sent = token.connect(account(pair.spender)).transferFrom(account(pair.owner), account(operation.to), amount);
      expected = model.transferFrom(pair.spender, pair.owner, operation.to, amount);
      break;
    }
    case "permit": {
      const owner = account(operation.owner);
      const spender = account(operation.spender);
      const value = resolveAmount(operation.amount, model.balance(operation.owner));
      const deadline = BigInt(await time.latest()) + PERMIT_LIFETIME;
      const nonce = model.nonce(operation.owner);
      const { v, r, s } = await signPermit(owner, token, { spender: spender.address, value, deadline, nonce });
      // The spender relays the owner's signature, as a dapp would.
      sent = token.connect(spender).permit(owner, spender, value, deadline, v, r, s);
      model.permit(operation.owner, operation.spender, value);
      break;
    }
  }
  if (expected === undefined) {
    await expect(sent).not.to.be.reverted;
  } else {
    await expect(sent)
      .to.be.revertedWithCustomError(token, expected.error)
      .withArgs(...expected.args);
  }
}

/** Every balance, allowance and nonce on chain equals the model's. */
async function expectChainEqualsModel(
  token: SESH,
  accounts: readonly HardhatEthersSigner[],
  model: TokenModel,
  step: string,
): Promise<void> {
  const [balances, allowances, nonces] = await Promise.all([
    Promise.all(accounts.map((holder) => token.balanceOf(holder))),
    Promise.all(accounts.map((owner) => Promise.all(accounts.map((spender) => token.allowance(owner, spender))))),
    Promise.all(accounts.map((owner) => token.nonces(owner))),
  ]);
  expect({ balances, allowances, nonces }, step).to.deep.equal({
    balances: model.balances,
    allowances: model.allowances,
    nonces: model.nonces,
  });
}

describe("SESH supply (property)", function () {
  it("keeps balances, allowances and nonces equal to an ERC-20 model and the supply fixed", async function () {
    await fc.assert(
      fc.asyncProperty(
        fc.array(operationArbitrary, { minLength: 1, maxLength: MAX_OPERATIONS }),
        async (operations) => {
          const { token, accounts } = await loadFixture(supplyFixture);
          const model = new TokenModel(accounts.map((signer) => signer.address));
          await expectChainEqualsModel(token, accounts, model, "before the first operation");

          for (const [index, operation] of operations.entries()) {
            await apply(token, accounts, model, operation);
            await expectChainEqualsModel(token, accounts, model, `after operation ${index}: ${operation.kind}`);
          }

          const totalSupply = await token.totalSupply();
          expect(totalSupply).to.equal(SESH_TOTAL_SUPPLY);
          const held = await Promise.all([...model.everHeld].map((index) => token.balanceOf(at(accounts, index))));
          expect(held.reduce((sum, balance) => sum + balance, 0n)).to.equal(totalSupply);
        },
      ),
      { numRuns: NUM_RUNS, seed: FC_SEED, examples: EXAMPLES.map((operations) => [[...operations]]) },
    );
  });
});

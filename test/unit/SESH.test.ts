import { readFileSync } from "node:fs";
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import {
  type ContractTransactionResponse,
  type ErrorFragment,
  type EventFragment,
  type FunctionFragment,
  Interface,
  type JsonFragment,
  MaxUint256,
  type ParamType,
  Signature,
  toBeHex,
  TypedDataEncoder,
  type TypedDataDomain,
  verifyTypedData,
  ZeroAddress,
  ZeroHash,
} from "ethers";
import { ethers } from "hardhat";

import { SESH_TOTAL_SUPPLY } from "../../lib/amount";
import { ARBITRUM_LOCAL_CHAIN_ID } from "../../lib/chain/networks";
import { PERMIT_TYPES, signPermit } from "../../lib/chain/permit";
import type { SESH } from "../../typechain-types";
import { SESH__factory } from "../../typechain-types";
import { restoreChainAfterSuite } from "../helpers/chain";

/** The token's EIP-712 name, which is also its ERC-20 name. */
const TOKEN_NAME = "Session Token";
/** ERC20Permit signs with version "1" of the EIP-712 domain. */
const DOMAIN_VERSION = "1";
/** ERC-5267 `fields` bitmap: name, version, chainId and verifyingContract are set; salt and extensions are not. */
const DOMAIN_FIELDS = "0x0f";
/** Order of secp256k1's base point; ECDSA accepts only s ≤ n / 2 (EIP-2). */
const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
/** An r that is no x-coordinate of the curve (it is above the field prime), so ecrecover finds no signer. */
const INVALID_R = `0x${"ff".repeat(32)}`;

const ONE_HOUR = 3_600n;
const AMOUNT = 1_000n;
const PERMIT_VALUE = 5_000n;

/** The state-changing functions a fixed-supply ERC-20 with ERC-2612 has, and nothing else. */
const STATE_CHANGING_FUNCTIONS = ["approve", "permit", "transfer", "transferFrom"] as const;
type StateChangingFunction = (typeof STATE_CHANGING_FUNCTIONS)[number];

/**
 * Production's Ethereum-side Arbitrum custom-gateway registration: it belongs to the L1 deployment and is not part
 * of the Arbitrum-side token (INTERFACE.md section 5), so ours leaves these two functions out.
 */
const L1_ONLY_FUNCTIONS = ["isArbitrumEnabled", "registerTokenOnL2"] as const;

/** The ABI of the production Session Network token, as deployed. */
const PRODUCTION_ABI_FILE = path.resolve(__dirname, "../fixtures/production/production-abi.json");

async function seshFixture() {
  const signers = await ethers.getSigners();
  const signer = (index: number): HardhatEthersSigner => {
    const found = signers[index];
    if (found === undefined) throw new Error(`the hardhat network has no account ${index}`);
    return found;
  };
  const [holder, alice, bob, carol] = [signer(0), signer(1), signer(2), signer(3)];
  const factory = await ethers.getContractFactory("SESH");
  const token = await factory.deploy(SESH_TOTAL_SUPPLY, holder.address, ZeroAddress, ZeroAddress);
  const deployment = token.deploymentTransaction();
  if (deployment === null) throw new Error("SESH was deployed without a deployment transaction");
  await token.waitForDeployment();
  return { token, factory, deployment, holder, alice, bob, carol };
}

/** The EIP-712 domain the token must sign permits over. */
async function expectedDomain(token: SESH): Promise<TypedDataDomain> {
  return {
    name: TOKEN_NAME,
    version: DOMAIN_VERSION,
    chainId: ARBITRUM_LOCAL_CHAIN_ID,
    verifyingContract: await token.getAddress(),
  };
}

interface PermitMessage {
  readonly owner: string;
  readonly spender: string;
  readonly value: bigint;
  readonly nonce: bigint;
  readonly deadline: bigint;
}

interface SignedPermit {
  readonly message: PermitMessage;
  readonly signature: Signature;
}

/** A permit for `value` from `owner` to `spender`, valid for an hour, signed with `owner`'s key. */
async function signedPermit(
  token: SESH,
  owner: HardhatEthersSigner,
  spender: HardhatEthersSigner,
  value = PERMIT_VALUE,
): Promise<SignedPermit> {
  const deadline = BigInt(await time.latest()) + ONE_HOUR;
  const nonce = await token.nonces(owner);
  const signature = await signPermit(owner, token, { spender: spender.address, value, deadline, nonce });
  return { message: { owner: owner.address, spender: spender.address, value, nonce, deadline }, signature };
}

/** A permit message signed with `signer`'s key over the token's domain, whoever the message names as owner. */
async function signPermitMessage(token: SESH, signer: HardhatEthersSigner, message: PermitMessage): Promise<Signature> {
  return Signature.from(await signer.signTypedData(await expectedDomain(token), PERMIT_TYPES, message));
}

/** The address ecrecover yields for `signature` over `message`. */
async function recoveredSigner(token: SESH, message: PermitMessage, signature: Signature): Promise<string> {
  return verifyTypedData(await expectedDomain(token), PERMIT_TYPES, message, signature);
}

interface PermitOverrides {
  readonly value?: bigint;
  readonly v?: number;
  readonly r?: string;
  readonly s?: string;
}

/** Submits a signed permit, with any call argument replaced by `overrides`. */
function submitPermit(
  token: SESH,
  { message, signature }: SignedPermit,
  overrides: PermitOverrides = {},
): Promise<ContractTransactionResponse> {
  return token.permit(
    message.owner,
    message.spender,
    overrides.value ?? message.value,
    message.deadline,
    overrides.v ?? signature.v,
    overrides.r ?? signature.r,
    overrides.s ?? signature.s,
  );
}

function typesOf(params: readonly ParamType[]): string {
  return params.map((param) => param.format("sighash")).join(",");
}

/** A function as callers see it: name, input types, output types and mutability. */
function functionKey(fragment: FunctionFragment): string {
  return `${fragment.name}(${typesOf(fragment.inputs)}) ${fragment.stateMutability} returns (${typesOf(fragment.outputs)})`;
}

/** An event as logs carry it: name, anonymity, and each input's type and indexing. */
function eventKey(fragment: EventFragment): string {
  const inputs = fragment.inputs.map(
    (param) => `${param.format("sighash")}${param.indexed === true ? " indexed" : ""}`,
  );
  return `${fragment.anonymous ? "anonymous " : ""}${fragment.name}(${inputs.join(",")})`;
}

function errorKey(fragment: ErrorFragment): string {
  return `${fragment.name}(${typesOf(fragment.inputs)})`;
}

function constructorKey(abi: Interface): string {
  return `constructor(${typesOf(abi.deploy.inputs)}) ${abi.deploy.payable ? "payable" : "nonpayable"}`;
}

function functionKeys(abi: Interface): string[] {
  const keys: string[] = [];
  abi.forEachFunction((fragment) => keys.push(functionKey(fragment)));
  return keys;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** The production token's ABI, `contracts.SESH` of the shared ABI file. */
function productionSeshAbi(): Interface {
  const file: unknown = JSON.parse(readFileSync(PRODUCTION_ABI_FILE, "utf8"));
  if (!isRecord(file) || !isRecord(file.contracts) || !Array.isArray(file.contracts.SESH)) {
    throw new Error(`${PRODUCTION_ABI_FILE} has no contracts.SESH ABI array`);
  }
  return new Interface(file.contracts.SESH as JsonFragment[]);
}

describe("SESH", function () {
  restoreChainAfterSuite();

  describe("metadata", function () {
    it("is named Session Token", async function () {
      const { token } = await loadFixture(seshFixture);
      expect(await token.name()).to.equal("Session Token");
    });

    it("has the symbol SESH", async function () {
      const { token } = await loadFixture(seshFixture);
      expect(await token.symbol()).to.equal("SESH");
    });

    it("has 9 decimals", async function () {
      const { token } = await loadFixture(seshFixture);
      expect(await token.decimals()).to.equal(9n);
    });

    it("is version 1", async function () {
      const { token } = await loadFixture(seshFixture);
      expect(await token.VERSION()).to.equal(1n);
    });

    it("fixes TOTAL_SUPPLY at 240,000,000 SESH", async function () {
      const { token } = await loadFixture(seshFixture);
      expect(await token.TOTAL_SUPPLY()).to.equal(240_000_000n * 10n ** 9n);
    });

    it("reports a total supply of 240,000,000 SESH", async function () {
      const { token } = await loadFixture(seshFixture);
      expect(await token.totalSupply()).to.equal(240_000_000n * 10n ** 9n);
    });

    it("gives the whole supply to the genesis receiver", async function () {
      const { token, holder } = await loadFixture(seshFixture);
      expect(await token.balanceOf(holder)).to.equal(SESH_TOTAL_SUPPLY);
    });

    it("emits Transfer from the zero address to the genesis receiver at deployment", async function () {
      const { token, deployment, holder } = await loadFixture(seshFixture);
      await expect(deployment).to.emit(token, "Transfer").withArgs(ZeroAddress, holder.address, SESH_TOTAL_SUPPLY);
    });

    it("returns the zero gateway it was deployed with", async function () {
      const { token } = await loadFixture(seshFixture);
      expect(await token.gateway()).to.equal(ZeroAddress);
    });

    it("returns the zero router it was deployed with", async function () {
      const { token } = await loadFixture(seshFixture);
      expect(await token.router()).to.equal(ZeroAddress);
    });

    describe("when deployed with a gateway and a router", function () {
      async function gatewayFixture() {
        const { factory, holder, bob, carol } = await seshFixture();
        const token = await factory.deploy(SESH_TOTAL_SUPPLY, holder.address, bob.address, carol.address);
        return { token, gateway: bob, router: carol };
      }

      it("returns the gateway", async function () {
        const { token, gateway } = await loadFixture(gatewayFixture);
        expect(await token.gateway()).to.equal(gateway.address);
      });

      it("returns the router", async function () {
        const { token, router } = await loadFixture(gatewayFixture);
        expect(await token.router()).to.equal(router.address);
      });
    });
  });

  describe("#eip712Domain", function () {
    it("declares name, version, chain id and verifying contract", async function () {
      const { token } = await loadFixture(seshFixture);
      const [fields, name, version, chainId, verifyingContract] = await token.eip712Domain();
      expect([fields, name, version, chainId, verifyingContract]).to.deep.equal([
        DOMAIN_FIELDS,
        "Session Token",
        "1",
        412_346n,
        await token.getAddress(),
      ]);
    });

    it("has no salt and no extensions", async function () {
      const { token } = await loadFixture(seshFixture);
      const [, , , , , salt, extensions] = await token.eip712Domain();
      expect([salt, [...extensions]]).to.deep.equal([ZeroHash, []]);
    });

    it("hashes to DOMAIN_SEPARATOR", async function () {
      const { token } = await loadFixture(seshFixture);
      expect(await token.DOMAIN_SEPARATOR()).to.equal(TypedDataEncoder.hashDomain(await expectedDomain(token)));
    });
  });

  describe("constructor", function () {
    describe("when the supply is not TOTAL_SUPPLY", function () {
      it("reverts if the supply is zero", async function () {
        const { factory, holder } = await loadFixture(seshFixture);
        await expect(factory.deploy(0n, holder.address, ZeroAddress, ZeroAddress))
          .to.be.revertedWithCustomError(factory, "TotalSupplyMismatch")
          .withArgs(0n, SESH_TOTAL_SUPPLY);
      });

      it("reverts if the supply is one atom more than TOTAL_SUPPLY", async function () {
        const { factory, holder } = await loadFixture(seshFixture);
        await expect(factory.deploy(SESH_TOTAL_SUPPLY + 1n, holder.address, ZeroAddress, ZeroAddress))
          .to.be.revertedWithCustomError(factory, "TotalSupplyMismatch")
          .withArgs(SESH_TOTAL_SUPPLY + 1n, SESH_TOTAL_SUPPLY);
      });

      it("reverts if the supply is one atom less than TOTAL_SUPPLY", async function () {
        const { factory, holder } = await loadFixture(seshFixture);
        await expect(factory.deploy(SESH_TOTAL_SUPPLY - 1n, holder.address, ZeroAddress, ZeroAddress))
          .to.be.revertedWithCustomError(factory, "TotalSupplyMismatch")
          .withArgs(SESH_TOTAL_SUPPLY - 1n, SESH_TOTAL_SUPPLY);
      });
    });

    describe("when the genesis receiver is the zero address", function () {
      it("reverts if the receiver is the zero address", async function () {
        const { factory } = await loadFixture(seshFixture);
        await expect(factory.deploy(SESH_TOTAL_SUPPLY, ZeroAddress, ZeroAddress, ZeroAddress))
          .to.be.revertedWithCustomError(factory, "ERC20InvalidReceiver")
          .withArgs(ZeroAddress);
      });
    });
  });

  describe("#transfer", function () {
    describe("when the sender holds the amount", function () {
      it("moves the amount from the sender to the receiver", async function () {
        const { token, holder, alice } = await loadFixture(seshFixture);
        await expect(token.transfer(alice, AMOUNT)).to.changeTokenBalances(token, [holder, alice], [-AMOUNT, AMOUNT]);
      });

      it("emits Transfer", async function () {
        const { token, holder, alice } = await loadFixture(seshFixture);
        await expect(token.transfer(alice, AMOUNT))
          .to.emit(token, "Transfer")
          .withArgs(holder.address, alice.address, AMOUNT);
      });

      it("returns true", async function () {
        const { token, alice } = await loadFixture(seshFixture);
        expect(await token.transfer.staticCall(alice, AMOUNT)).to.equal(true);
      });

      it("transfers the whole balance", async function () {
        const { token, holder, alice } = await loadFixture(seshFixture);
        await expect(token.transfer(alice, SESH_TOTAL_SUPPLY)).to.changeTokenBalances(
          token,
          [holder, alice],
          [-SESH_TOTAL_SUPPLY, SESH_TOTAL_SUPPLY],
        );
      });
    });

    describe("when the amount is zero", function () {
      it("transfers nothing", async function () {
        const { token, holder, alice } = await loadFixture(seshFixture);
        await expect(token.transfer(alice, 0n)).to.changeTokenBalances(token, [holder, alice], [0n, 0n]);
      });

      it("emits Transfer with a zero value", async function () {
        const { token, holder, alice } = await loadFixture(seshFixture);
        await expect(token.transfer(alice, 0n)).to.emit(token, "Transfer").withArgs(holder.address, alice.address, 0n);
      });

      it("transfers nothing from an empty account", async function () {
        const { token, alice, bob } = await loadFixture(seshFixture);
        await expect(token.connect(alice).transfer(bob, 0n)).to.changeTokenBalances(token, [alice, bob], [0n, 0n]);
      });
    });

    describe("when the receiver is the zero address", function () {
      it("reverts if the receiver is the zero address", async function () {
        const { token } = await loadFixture(seshFixture);
        await expect(token.transfer(ZeroAddress, AMOUNT))
          .to.be.revertedWithCustomError(token, "ERC20InvalidReceiver")
          .withArgs(ZeroAddress);
      });
    });

    describe("when the amount exceeds the balance", function () {
      it("reverts if the amount exceeds the sender's balance by one atom", async function () {
        const { token, holder, alice } = await loadFixture(seshFixture);
        await expect(token.transfer(alice, SESH_TOTAL_SUPPLY + 1n))
          .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
          .withArgs(holder.address, SESH_TOTAL_SUPPLY, SESH_TOTAL_SUPPLY + 1n);
      });

      it("reverts if an empty account sends one atom", async function () {
        const { token, alice, bob } = await loadFixture(seshFixture);
        await expect(token.connect(alice).transfer(bob, 1n))
          .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
          .withArgs(alice.address, 0n, 1n);
      });
    });
  });

  describe("#approve", function () {
    describe("when the spender is an account", function () {
      it("sets the allowance", async function () {
        const { token, holder, alice } = await loadFixture(seshFixture);
        await token.approve(alice, AMOUNT);
        expect(await token.allowance(holder, alice)).to.equal(AMOUNT);
      });

      it("emits Approval", async function () {
        const { token, holder, alice } = await loadFixture(seshFixture);
        await expect(token.approve(alice, AMOUNT))
          .to.emit(token, "Approval")
          .withArgs(holder.address, alice.address, AMOUNT);
      });

      it("returns true", async function () {
        const { token, alice } = await loadFixture(seshFixture);
        expect(await token.approve.staticCall(alice, AMOUNT)).to.equal(true);
      });

      it("replaces an earlier allowance", async function () {
        const { token, holder, alice } = await loadFixture(seshFixture);
        await token.approve(alice, AMOUNT);
        await token.approve(alice, AMOUNT / 4n);
        expect(await token.allowance(holder, alice)).to.equal(AMOUNT / 4n);
      });

      it("allows more than the owner's balance", async function () {
        const { token, alice, bob } = await loadFixture(seshFixture);
        await token.connect(alice).approve(bob, AMOUNT);
        expect(await token.allowance(alice, bob)).to.equal(AMOUNT);
      });
    });

    describe("when the spender is the zero address", function () {
      it("reverts if the spender is the zero address", async function () {
        const { token } = await loadFixture(seshFixture);
        await expect(token.approve(ZeroAddress, AMOUNT))
          .to.be.revertedWithCustomError(token, "ERC20InvalidSpender")
          .withArgs(ZeroAddress);
      });
    });
  });

  describe("#transferFrom", function () {
    /** `holder` lets `alice` spend `AMOUNT`. */
    async function allowanceFixture() {
      const fixture = await seshFixture();
      await fixture.token.approve(fixture.alice, AMOUNT);
      return fixture;
    }

    describe("when the allowance and the balance cover the amount", function () {
      it("moves the amount from the owner to the receiver", async function () {
        const { token, holder, alice, bob } = await loadFixture(allowanceFixture);
        await expect(token.connect(alice).transferFrom(holder, bob, AMOUNT / 4n)).to.changeTokenBalances(
          token,
          [holder, alice, bob],
          [-AMOUNT / 4n, 0n, AMOUNT / 4n],
        );
      });

      it("decreases the allowance by the amount", async function () {
        const { token, holder, alice, bob } = await loadFixture(allowanceFixture);
        await token.connect(alice).transferFrom(holder, bob, AMOUNT / 4n);
        expect(await token.allowance(holder, alice)).to.equal(AMOUNT - AMOUNT / 4n);
      });

      it("uses up the allowance when the amount equals it", async function () {
        const { token, holder, alice, bob } = await loadFixture(allowanceFixture);
        await token.connect(alice).transferFrom(holder, bob, AMOUNT);
        expect(await token.allowance(holder, alice)).to.equal(0n);
      });

      it("emits Transfer", async function () {
        const { token, holder, alice, bob } = await loadFixture(allowanceFixture);
        await expect(token.connect(alice).transferFrom(holder, bob, AMOUNT))
          .to.emit(token, "Transfer")
          .withArgs(holder.address, bob.address, AMOUNT);
      });

      it("emits no Approval", async function () {
        const { token, holder, alice, bob } = await loadFixture(allowanceFixture);
        await expect(token.connect(alice).transferFrom(holder, bob, AMOUNT)).not.to.emit(token, "Approval");
      });

      it("returns true", async function () {
        const { token, holder, alice, bob } = await loadFixture(allowanceFixture);
        expect(await token.connect(alice).transferFrom.staticCall(holder, bob, AMOUNT)).to.equal(true);
      });
    });

    describe("when the allowance is the maximum uint256", function () {
      async function unlimitedFixture() {
        const fixture = await seshFixture();
        await fixture.token.approve(fixture.alice, MaxUint256);
        return fixture;
      }

      it("moves the amount from the owner to the receiver", async function () {
        const { token, holder, alice, bob } = await loadFixture(unlimitedFixture);
        await expect(token.connect(alice).transferFrom(holder, bob, AMOUNT)).to.changeTokenBalances(
          token,
          [holder, bob],
          [-AMOUNT, AMOUNT],
        );
      });

      it("keeps the allowance at the maximum", async function () {
        const { token, holder, alice, bob } = await loadFixture(unlimitedFixture);
        await token.connect(alice).transferFrom(holder, bob, AMOUNT);
        expect(await token.allowance(holder, alice)).to.equal(MaxUint256);
      });
    });

    describe("when the allowance is too small", function () {
      it("reverts if the amount exceeds the allowance by one atom", async function () {
        const { token, holder, alice, bob } = await loadFixture(allowanceFixture);
        await expect(token.connect(alice).transferFrom(holder, bob, AMOUNT + 1n))
          .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
          .withArgs(alice.address, AMOUNT, AMOUNT + 1n);
      });

      it("reverts if the spender has no allowance", async function () {
        const { token, holder, bob } = await loadFixture(allowanceFixture);
        await expect(token.connect(bob).transferFrom(holder, bob, 1n))
          .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
          .withArgs(bob.address, 0n, 1n);
      });
    });

    describe("when the balance is too small", function () {
      /** `alice` holds `AMOUNT` and lets `bob` spend twice as much. */
      async function overApprovedFixture() {
        const fixture = await seshFixture();
        await fixture.token.transfer(fixture.alice, AMOUNT);
        await fixture.token.connect(fixture.alice).approve(fixture.bob, 2n * AMOUNT);
        return fixture;
      }

      it("reverts if the amount exceeds the owner's balance", async function () {
        const { token, alice, bob, carol } = await loadFixture(overApprovedFixture);
        await expect(token.connect(bob).transferFrom(alice, carol, AMOUNT + 1n))
          .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
          .withArgs(alice.address, AMOUNT, AMOUNT + 1n);
      });
    });

    describe("when the receiver is the zero address", function () {
      it("reverts if the receiver is the zero address", async function () {
        const { token, holder, alice } = await loadFixture(allowanceFixture);
        await expect(token.connect(alice).transferFrom(holder, ZeroAddress, AMOUNT))
          .to.be.revertedWithCustomError(token, "ERC20InvalidReceiver")
          .withArgs(ZeroAddress);
      });
    });
  });

  describe("#permit", function () {
    /** `holder` signs a permit for `alice`; `carol` relays it. */
    async function permitFixture() {
      const fixture = await seshFixture();
      const permit = await signedPermit(fixture.token, fixture.holder, fixture.alice);
      return { ...fixture, permit, relayed: fixture.token.connect(fixture.carol) };
    }

    describe("when the signature is valid", function () {
      it("sets the allowance", async function () {
        const { token, relayed, permit, holder, alice } = await loadFixture(permitFixture);
        await submitPermit(relayed, permit);
        expect(await token.allowance(holder, alice)).to.equal(PERMIT_VALUE);
      });

      it("increments the owner's nonce", async function () {
        const { token, relayed, permit, holder } = await loadFixture(permitFixture);
        await submitPermit(relayed, permit);
        expect(await token.nonces(holder)).to.equal(1n);
      });

      it("emits Approval", async function () {
        const { token, relayed, permit, holder, alice } = await loadFixture(permitFixture);
        await expect(submitPermit(relayed, permit))
          .to.emit(token, "Approval")
          .withArgs(holder.address, alice.address, PERMIT_VALUE);
      });

      it("moves no tokens", async function () {
        const { token, relayed, permit, holder, alice, carol } = await loadFixture(permitFixture);
        await expect(submitPermit(relayed, permit)).to.changeTokenBalances(token, [holder, alice, carol], [0n, 0n, 0n]);
      });

      it("accepts a deadline equal to the block timestamp", async function () {
        const { token, relayed, permit, holder, alice } = await loadFixture(permitFixture);
        await time.setNextBlockTimestamp(permit.message.deadline);
        await submitPermit(relayed, permit);
        expect(await token.allowance(holder, alice)).to.equal(PERMIT_VALUE);
      });

      it("lets the spender move the permitted amount", async function () {
        const { token, relayed, permit, holder, alice, bob } = await loadFixture(permitFixture);
        await submitPermit(relayed, permit);
        await expect(token.connect(alice).transferFrom(holder, bob, PERMIT_VALUE)).to.changeTokenBalances(
          token,
          [holder, bob],
          [-PERMIT_VALUE, PERMIT_VALUE],
        );
      });
    });

    describe("when the deadline has passed", function () {
      it("reverts if the deadline is in the past", async function () {
        const { token, relayed, holder, alice } = await loadFixture(permitFixture);
        const deadline = BigInt(await time.latest()) - 1n;
        const signature = await signPermit(holder, token, { spender: alice.address, value: PERMIT_VALUE, deadline });
        const message = { owner: holder.address, spender: alice.address, value: PERMIT_VALUE, nonce: 0n, deadline };
        await expect(submitPermit(relayed, { message, signature }))
          .to.be.revertedWithCustomError(token, "ERC2612ExpiredSignature")
          .withArgs(deadline);
      });

      it("reverts if the block is one second after the deadline", async function () {
        const { token, relayed, permit } = await loadFixture(permitFixture);
        await time.setNextBlockTimestamp(permit.message.deadline + 1n);
        await expect(submitPermit(relayed, permit))
          .to.be.revertedWithCustomError(token, "ERC2612ExpiredSignature")
          .withArgs(permit.message.deadline);
      });
    });

    describe("when the signature does not match the call", function () {
      it("reverts if another key signed the owner's permit", async function () {
        const { token, relayed, permit, holder, bob } = await loadFixture(permitFixture);
        const signature = await signPermitMessage(token, bob, permit.message);
        await expect(submitPermit(relayed, { message: permit.message, signature }))
          .to.be.revertedWithCustomError(token, "ERC2612InvalidSigner")
          .withArgs(bob.address, holder.address);
      });

      it("reverts if the signature is replayed", async function () {
        const { token, relayed, permit, holder } = await loadFixture(permitFixture);
        await submitPermit(relayed, permit);
        const recovered = await recoveredSigner(token, { ...permit.message, nonce: 1n }, permit.signature);
        await expect(submitPermit(relayed, permit))
          .to.be.revertedWithCustomError(token, "ERC2612InvalidSigner")
          .withArgs(recovered, holder.address);
      });

      it("reverts if the value differs from the signed one", async function () {
        const { token, relayed, permit, holder } = await loadFixture(permitFixture);
        const value = PERMIT_VALUE + 1n;
        const recovered = await recoveredSigner(token, { ...permit.message, value }, permit.signature);
        await expect(submitPermit(relayed, permit, { value }))
          .to.be.revertedWithCustomError(token, "ERC2612InvalidSigner")
          .withArgs(recovered, holder.address);
      });

      it("reverts if the signature was made for another token", async function () {
        const { token, factory, relayed, holder, alice } = await loadFixture(permitFixture);
        const other = await factory.deploy(SESH_TOTAL_SUPPLY, holder.address, ZeroAddress, ZeroAddress);
        const permit = await signedPermit(other, holder, alice);
        const recovered = await recoveredSigner(token, permit.message, permit.signature);
        await expect(submitPermit(relayed, permit))
          .to.be.revertedWithCustomError(token, "ERC2612InvalidSigner")
          .withArgs(recovered, holder.address);
      });
    });

    describe("when the signature is malformed", function () {
      it("reverts if s is in the upper half of the curve order", async function () {
        const { token, relayed, permit } = await loadFixture(permitFixture);
        const highS = toBeHex(SECP256K1_ORDER - BigInt(permit.signature.s), 32);
        const flippedV = permit.signature.v === 27 ? 28 : 27;
        await expect(submitPermit(relayed, permit, { s: highS, v: flippedV }))
          .to.be.revertedWithCustomError(token, "ECDSAInvalidSignatureS")
          .withArgs(highS);
      });

      it("reverts if v is 0", async function () {
        const { token, relayed, permit } = await loadFixture(permitFixture);
        await expect(submitPermit(relayed, permit, { v: 0 }))
          .to.be.revertedWithCustomError(token, "ECDSAInvalidSignature")
          .withArgs();
      });

      it("reverts if r is not a point of the curve", async function () {
        const { token, relayed, permit } = await loadFixture(permitFixture);
        await expect(submitPermit(relayed, permit, { r: INVALID_R }))
          .to.be.revertedWithCustomError(token, "ECDSAInvalidSignature")
          .withArgs();
      });

      it("reverts if r is zero", async function () {
        const { token, relayed, permit } = await loadFixture(permitFixture);
        await expect(submitPermit(relayed, permit, { r: ZeroHash }))
          .to.be.revertedWithCustomError(token, "ECDSAInvalidSignature")
          .withArgs();
      });
    });
  });

  describe("fixed supply", function () {
    const abi = new Interface(SESH__factory.abi);

    /** Calls each state-changing function once, successfully. */
    const CALLS: Record<StateChangingFunction, (fixture: Awaited<ReturnType<typeof seshFixture>>) => Promise<unknown>> =
      {
        approve: ({ token, alice }) => token.approve(alice, AMOUNT),
        transfer: ({ token, alice }) => token.transfer(alice, AMOUNT),
        transferFrom: async ({ token, holder, alice, bob }) => {
          await token.approve(alice, AMOUNT);
          return token.connect(alice).transferFrom(holder, bob, AMOUNT);
        },
        permit: async ({ token, holder, alice, carol }) =>
          submitPermit(token.connect(carol), await signedPermit(token, holder, alice)),
      };

    it("has only approve, permit, transfer and transferFrom as state-changing functions", function () {
      const names: string[] = [];
      abi.forEachFunction((fragment) => {
        if (!fragment.constant) names.push(fragment.name);
      });
      expect(names.sort()).to.deep.equal([...STATE_CHANGING_FUNCTIONS]);
    });

    it("has no function named like mint or burn", function () {
      const names: string[] = [];
      abi.forEachFunction((fragment) => names.push(fragment.name));
      expect(names.filter((name) => /mint|burn/i.test(name))).to.deep.equal([]);
    });

    it("has no payable function, receive or fallback", function () {
      const payable: string[] = [];
      abi.forEachFunction((fragment) => {
        if (fragment.payable) payable.push(fragment.name);
      });
      expect([payable, abi.receive, abi.fallback]).to.deep.equal([[], false, null]);
    });

    for (const name of STATE_CHANGING_FUNCTIONS) {
      it(`keeps the total supply through ${name}`, async function () {
        const fixture = await loadFixture(seshFixture);
        await CALLS[name](fixture);
        expect(await fixture.token.totalSupply()).to.equal(SESH_TOTAL_SUPPLY);
      });
    }
  });

  describe("production compatibility", function () {
    const ours = new Interface(SESH__factory.abi);
    const production = productionSeshAbi();
    const l1Only = new Set<string>(L1_ONLY_FUNCTIONS);

    it("keeps the production constructor", function () {
      expect(constructorKey(ours)).to.equal(constructorKey(production));
    });

    it("keeps every production function with its inputs, outputs and mutability", function () {
      const expected: string[] = [];
      production.forEachFunction((fragment) => {
        if (!l1Only.has(fragment.name)) expected.push(functionKey(fragment));
      });
      const available = new Set(functionKeys(ours));
      expect(expected.filter((key) => !available.has(key))).to.deep.equal([]);
    });

    it("leaves out only production's L1 gateway registration", function () {
      const names = new Set<string>();
      ours.forEachFunction((fragment) => names.add(fragment.name));
      const missing: string[] = [];
      production.forEachFunction((fragment) => {
        if (!names.has(fragment.name)) missing.push(fragment.name);
      });
      expect(missing.sort()).to.deep.equal([...L1_ONLY_FUNCTIONS]);
    });

    it("keeps every production event with its indexed inputs", function () {
      const available = new Set<string>();
      ours.forEachEvent((fragment) => available.add(eventKey(fragment)));
      const missing: string[] = [];
      production.forEachEvent((fragment) => {
        if (!available.has(eventKey(fragment))) missing.push(eventKey(fragment));
      });
      expect(missing).to.deep.equal([]);
    });

    it("keeps every production error with its input types", function () {
      const available = new Set<string>();
      ours.forEachError((fragment) => available.add(errorKey(fragment)));
      const missing: string[] = [];
      production.forEachError((fragment) => {
        if (!available.has(errorKey(fragment))) missing.push(errorKey(fragment));
      });
      expect(missing).to.deep.equal([]);
    });
  });
});

import { readFileSync } from "node:fs";
import path from "node:path";

import {
  type ErrorFragment,
  type EventFragment,
  type FunctionFragment,
  type InterfaceAbi,
  Interface,
  type JsonFragment,
  type ParamType,
} from "ethers";

/** The ABIs of the production contracts, as deployed (test/fixtures/production/README.md). */
export const PRODUCTION_ABI_FILE = path.resolve(__dirname, "../fixtures/production/production-abi.json");

/** A function's mutability, from the strictest to the loosest. */
const MUTABILITY_ORDER = ["pure", "view", "nonpayable", "payable"] as const;
type Mutability = (typeof MUTABILITY_ORDER)[number];

export interface AbiComparisonOptions {
  /**
   * Functions (by name) whose mutability may be stricter in ours than in production, e.g. `renounceOwnership`, `view`
   * in ours because it always reverts, nonpayable in production: callers send it the same way. A looser mutability
   * is never allowed.
   */
  readonly allowedMutability?: readonly string[];
  /**
   * Production errors (by name) that OpenZeppelin itself defines and that ours may lack, because ours is built on
   * another OpenZeppelin version (INTERFACE.md: such errors follow the version we use). An error listed here that ours
   * does have must still have production's input types.
   */
  readonly ozErrors?: readonly string[];
}

export interface AbiComparison {
  /** Each production function, event or error ours lacks or declares differently, one sentence naming it. */
  readonly differences: readonly string[];
  /** Each difference the options allowed, one sentence naming it (so that a stale allowance shows). */
  readonly allowed: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The production ABI of `contractName`, from `contracts.<name>` of the production ABI file. */
export function productionAbi(contractName: string, file = PRODUCTION_ABI_FILE): Interface {
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  const contracts = isRecord(parsed) ? parsed.contracts : undefined;
  const abi = isRecord(contracts) ? contracts[contractName] : undefined;
  if (!Array.isArray(abi)) {
    const known = isRecord(contracts) ? Object.keys(contracts).join(", ") : "none";
    throw new Error(`${file} has no contracts.${contractName} ABI array (contracts: ${known})`);
  }
  return new Interface(abi as JsonFragment[]);
}

function typesOf(params: readonly ParamType[]): string {
  return params.map((param) => param.format("sighash")).join(",");
}

function eventInputs(fragment: EventFragment): string {
  return fragment.inputs
    .map((param) => `${param.format("sighash")}${param.indexed === true ? " indexed" : ""}`)
    .join(",");
}

function functionsOf(abi: Interface): Map<string, FunctionFragment> {
  const functions = new Map<string, FunctionFragment>();
  abi.forEachFunction((fragment) => functions.set(fragment.format("sighash"), fragment));
  return functions;
}

function eventsOf(abi: Interface): Map<string, EventFragment> {
  const events = new Map<string, EventFragment>();
  abi.forEachEvent((fragment) => events.set(fragment.name, fragment));
  return events;
}

function errorsOf(abi: Interface): Map<string, ErrorFragment> {
  const errors = new Map<string, ErrorFragment>();
  abi.forEachError((fragment) => errors.set(fragment.name, fragment));
  return errors;
}

function rank(mutability: string): number {
  return MUTABILITY_ORDER.indexOf(mutability as Mutability);
}

/**
 * Checks that the compiled ABI of `contractName` keeps every function, event and error of its production ABI:
 * functions by name and input types, with the same output types and mutability; events by name, with the same
 * input types, `indexed` flags and anonymity; errors by name, with the same input types. Additions are allowed.
 * Returns every difference (empty when ours keeps the production interface) and every difference the options allowed.
 */
export function compareWithProductionAbi(
  contractName: string,
  compiledAbi: InterfaceAbi | Interface,
  options: AbiComparisonOptions = {},
): AbiComparison {
  const production = productionAbi(contractName);
  const ours = compiledAbi instanceof Interface ? compiledAbi : new Interface(compiledAbi);
  const stricterAllowed = new Set(options.allowedMutability ?? []);
  const ozErrors = new Set(options.ozErrors ?? []);
  const differences: string[] = [];
  const allowed: string[] = [];

  const ourFunctions = functionsOf(ours);
  for (const [signature, expected] of functionsOf(production)) {
    const actual = ourFunctions.get(signature);
    if (actual === undefined) {
      differences.push(`function ${signature} is missing`);
      continue;
    }
    const [expectedOutputs, actualOutputs] = [typesOf(expected.outputs), typesOf(actual.outputs)];
    if (expectedOutputs !== actualOutputs) {
      differences.push(`function ${signature} returns (${actualOutputs}) instead of (${expectedOutputs})`);
    }
    if (expected.stateMutability !== actual.stateMutability) {
      const text = `function ${signature} is ${actual.stateMutability} instead of ${expected.stateMutability}`;
      const stricter = rank(actual.stateMutability) < rank(expected.stateMutability);
      if (stricter && stricterAllowed.has(expected.name)) allowed.push(`${text} (stricter, allowed)`);
      else differences.push(text);
    }
  }

  const ourEvents = eventsOf(ours);
  for (const [name, expected] of eventsOf(production)) {
    const actual = ourEvents.get(name);
    if (actual === undefined) {
      differences.push(`event ${name}(${eventInputs(expected)}) is missing`);
      continue;
    }
    if (eventInputs(actual) !== eventInputs(expected) || actual.anonymous !== expected.anonymous) {
      differences.push(
        `event ${name} is ${actual.anonymous ? "anonymous " : ""}(${eventInputs(actual)}) instead of ` +
          `${expected.anonymous ? "anonymous " : ""}(${eventInputs(expected)})`,
      );
    }
  }

  const ourErrors = errorsOf(ours);
  for (const [name, expected] of errorsOf(production)) {
    const actual = ourErrors.get(name);
    if (actual === undefined) {
      const text = `error ${name}(${typesOf(expected.inputs)}) is missing`;
      if (ozErrors.has(name)) allowed.push(`${text} (OpenZeppelin's, allowed)`);
      else differences.push(text);
      continue;
    }
    if (typesOf(actual.inputs) !== typesOf(expected.inputs)) {
      differences.push(`error ${name} takes (${typesOf(actual.inputs)}) instead of (${typesOf(expected.inputs)})`);
    }
  }

  // An option naming nothing in production is a typo that would hide nothing: report it too.
  const productionNames = new Set([...functionsOf(production).values()].map((fragment) => fragment.name));
  for (const name of stricterAllowed) {
    if (!productionNames.has(name)) differences.push(`allowedMutability names ${name}, no production function`);
  }
  const productionErrors = errorsOf(production);
  for (const name of ozErrors) {
    if (!productionErrors.has(name)) differences.push(`ozErrors names ${name}, no production error`);
  }
  return { differences, allowed };
}

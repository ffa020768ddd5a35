// The shared TypeScript of the suite. Pure modules (no chain, no Hardhat runtime) first, then chain helpers that
// take a provider or a Hardhat runtime environment as an argument.
export * from "./amount";
export * from "./errors";
export * from "./timeline";
export * from "./tge/parameters";
export * from "./tge/plan";
export * from "./tge/report";
export * from "./gas/snapshot";
export * from "./chain/networks";
export * from "./chain/permit";
export * from "./chain/arbitrum";
export * from "./chain/anvil";
export * from "./chain/clock";
export * as bls from "./bls";
export * as network from "./network";
export * as snapshot from "./snapshot";
export * as bonus from "./bonus";
export * as migration from "./migration";
export * as anchor from "./anchor";
export * as schedule from "./schedule";
export * as svg from "./svg";
export * as claims from "./claims";
export * as distribution from "./distribution";
export * as testnetAwards from "./testnet-awards";
export * as rewards from "./rewards";
export * as vesting from "./vesting";

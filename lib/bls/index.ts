// BLS signatures on BN254 exactly as the Session Network makes and checks them (INTERFACE.md, "BLS scheme").
// Pure TypeScript on @noble/curves: no chain, no Hardhat.
export * from "./curve";
export * from "./encoding";
export * from "./expand";
export * from "./hashToG2";
export * from "./messages";
export * from "./signer";
export * from "./tags";

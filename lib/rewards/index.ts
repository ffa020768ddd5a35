// The staking rewards' TypeScript (SPEC 3.3 and 3.5): a plain barrel of the modules in this folder.
export * from "./pool";
export * from "./calls";

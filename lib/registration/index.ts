// The registration wizard's guardrails (issue 11): pure rules, the plans built from them, the readers of the chain.
export * from "./rules";
export * from "./plan";
export * from "./read";
export * from "./proposal";

// The Anchor snapshot (SPEC section 4): its schema, the loader that validates a file, and the synthetic generator.
export * from "./schema";
export * from "./load";
export * from "./generate";

export * from "./files";
export * from "./plan";
export * from "./report";
export * from "./seed";

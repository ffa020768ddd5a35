export * from "./simulated";
export * from "./activity";

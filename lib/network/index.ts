export * from "./simulated";

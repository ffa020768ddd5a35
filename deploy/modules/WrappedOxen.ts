import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

export const WRAPPED_OXEN_MODULE_ID = "WrappedOxen";

/**
 * A wrapped-OXEN token for the local chains only: contracts/test/WrappedOxen__Mock.sol, a 9-decimal ERC-20 that
 * anyone may mint, so that the claims bridge's conversions can be rehearsed. On Arbitrum Sepolia and Arbitrum One the
 * bridge takes the network's wOXEN by address (`claimsBridge.wrappedOxen` of the parameter file). No parameters.
 */
export default buildModule(WRAPPED_OXEN_MODULE_ID, (m) => {
  const wrappedOxen = m.contract("WrappedOxen__Mock", [], { id: "WrappedOxen" });
  return { wrappedOxen };
});

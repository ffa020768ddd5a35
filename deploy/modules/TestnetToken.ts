import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress } from "ethers";

import { SESH_TOTAL_SUPPLY } from "../../lib/amount";

/** The module id of the testnet token. */
export const TESTNET_TOKEN_MODULE_ID = "TestnetToken";

/**
 * The testnet's SESH (the Lighthouse, SPEC 2): the production token contract, whose constructor requires the whole
 * `TOTAL_SUPPLY`, minted to the deploying account, which then acts as the testnet faucet. No gateway nor router:
 * the testnet token never bridges. `npx hardhat ignition deploy deploy/modules/TestnetToken.ts` deploys it alone;
 * the rehearsal's Lighthouse deploys it before the testnet staking set.
 */
export default buildModule(TESTNET_TOKEN_MODULE_ID, (m) => {
  const faucet = m.getAccount(0);
  const sesh = m.contract("SESH", [SESH_TOTAL_SUPPLY, faucet, ZeroAddress, ZeroAddress], { id: "TestnetSESH" });
  return { sesh };
});

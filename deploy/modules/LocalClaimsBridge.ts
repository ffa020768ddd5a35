// `npx hardhat ignition deploy deploy/modules/LocalClaimsBridge.ts --parameters FILE`: the claims bridge with the
// local chain's wrapped-OXEN test token (see ClaimsBridge.ts).
export { LocalClaimsBridgeModule as default } from "./ClaimsBridge";

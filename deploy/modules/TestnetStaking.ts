// `npx hardhat ignition deploy deploy/modules/TestnetStaking.ts --parameters FILE`: the staking set with
// TestnetServiceNodeRewards (see Staking.ts).
export { TestnetStakingModule as default } from "./Staking";

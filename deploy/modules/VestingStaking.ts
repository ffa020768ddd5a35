// `npx hardhat ignition deploy deploy/modules/VestingStaking.ts --parameters FILE`: one TokenVestingStaking on its
// own (see Vesting.ts).
export { VestingStakingModule as default } from "./Vesting";

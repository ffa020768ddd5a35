// The investor vesting's schedule (TokenVestingNoStaking), pure bigint arithmetic without a chain.
export * from "./schedule";

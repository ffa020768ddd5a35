// The Anchor report's analysis (issue 13): the Migration FAQ's two promises on the snapshot, the nodes re-staked as a
// function of the staking requirement, its chart and its Markdown section. Pure: no chain.
export * from "./funding";
export * from "./promises";
export * from "./requirementCurve";
export * from "./analysis";
export * from "./chart";
export * from "./report";

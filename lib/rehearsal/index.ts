// The launch rehearsal's building blocks that are not a phase: the journal, the nodes chart, the progress display,
// the report.
export * from "./journal";
export * from "./nodesChart";
export * from "./progress";
export * from "./report";

// The launch rehearsal's building blocks that are not a phase: the journal that makes a run resumable.
export * from "./journal";

import type { Snapshot, SnapshotParameters } from "../snapshot/schema";
import { anchorContext, promisesOf, type PromisesResult } from "./promises";
import { requirementCurveOf, type CurveOptions, type RequirementCurve } from "./requirementCurve";

/** The Anchor report's analysis: the FAQ's promises at the parameters' requirement, and the requirement curve. */
export interface AnchorAnalysis {
  readonly promises: PromisesResult;
  readonly curve: RequirementCurve;
}

export interface AnalyseAnchorOptions {
  /** The parameters to analyse with (default the snapshot's own). */
  readonly parameters?: SnapshotParameters;
  readonly curve?: CurveOptions;
}

/**
 * Checks the FAQ's promises on `snapshot` and draws its requirement curve, planning it once for both (see
 * {@link checkPromises} and {@link requirementCurve}).
 */
export function analyseAnchor(snapshot: Snapshot, options: AnalyseAnchorOptions = {}): AnchorAnalysis {
  const context = anchorContext({ ...snapshot, parameters: options.parameters ?? snapshot.parameters });
  return { promises: promisesOf(context), curve: requirementCurveOf(context, options.curve) };
}

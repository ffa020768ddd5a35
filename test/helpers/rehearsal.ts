import type { AnchorPhase } from "../../scripts/phases/anchor";
import type { LandingResult, RehearsalResult } from "../../scripts/rehearse";

/** The Landing of a rehearsal that played it; throws for a run that stopped before it. */
export function landingOf(result: RehearsalResult): LandingResult {
  if (result.landing === undefined)
    throw new Error(`the rehearsal played ${result.phases.join(", ")}, not the Landing`);
  return result.landing;
}

/** The Anchor of a rehearsal that played it; throws for a run that did not. */
export function anchorOf(result: RehearsalResult): AnchorPhase {
  if (result.anchor === undefined) throw new Error(`the rehearsal played ${result.phases.join(", ")}, not the Anchor`);
  return result.anchor;
}

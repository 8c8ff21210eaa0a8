/**
 * The report as JSON: the run's state as the workflow returned it, the report's meta, and, in runs with verified
 * decisions, a top-level `breakGlass` flag, so a script or an audit need not search every approval for a sealed key.
 */
import { breakGlassBanner, breakGlassUses, hasVerifiedDecisions, type BreakGlassUse } from '../shared/decision-record';
import type { OperationState } from '../shared/operation-model';
import type { ReportMeta } from './meta';

/** The top-level decision fields of a JSON report or status. */
export interface DecisionFlags {
  /** A sealed break-glass key decided something in this run: the identity provider did not verify that person. */
  breakGlass: boolean;
  /** Each break-glass decision, with the report's banner sentence. */
  breakGlassUses: (BreakGlassUse & { banner: string })[];
}

/** The flags of a run with verified decisions; null for an older run, whose JSON stays as it was. */
export function decisionFlags(s: OperationState): DecisionFlags | null {
  if (!hasVerifiedDecisions(s)) return null;
  const uses = breakGlassUses(s).map((u) => ({ ...u, banner: breakGlassBanner(u) }));
  return { breakGlass: uses.length > 0, breakGlassUses: uses };
}

/** `report --format json` (with `meta`) and `status --json` (without): the flags first, then the state. */
export function reportJson(s: OperationState, meta?: ReportMeta): string {
  const body = { ...decisionFlags(s), ...s, ...(meta ? { reportMeta: meta } : {}) };
  return JSON.stringify(body, null, 2);
}

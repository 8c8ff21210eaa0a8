/**
 * The point of no return (DESIGN §2): once a run may have sent its request, a cancel only stops the waiting.
 * One rule for the workflow's cancel update, the intake's resolved alerts and the drills. Sandbox-safe.
 */
import type { OperationPhase, OperationState } from './operation-model';

/** Phases in which the request may already be with the service. */
export const PAST_NO_RETURN_PHASES: ReadonlySet<OperationPhase | string> = new Set([
  'requesting',
  'polling',
  'completed',
]);

/** Whether the run may have sent its request (or ended). */
export function pastPointOfNoReturn(state: Pick<OperationState, 'phase' | 'request'>): boolean {
  return state.request.sent > 0 || PAST_NO_RETURN_PHASES.has(state.phase);
}

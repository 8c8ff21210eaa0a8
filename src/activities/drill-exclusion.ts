/**
 * One mutating operation per DR pair: a real incident cancels a running drill of its pair and waits until the
 * drill has cleaned up; a drill does not start while an incident runs (DESIGN §3).
 */
import { heartbeat, sleep } from '@temporalio/activity';
import { workflowIds } from '../shared/constants';
import type { ActivityDeps } from './deps';

/**
 * Cancels every running drill of the pair and returns once they have all ended (their cleanup included).
 * @returns the workflow ids of the drills it cancelled.
 */
export async function cancelRunningDrills(
  deps: ActivityDeps,
  input: { projectId: string; drId: string }
): Promise<string[]> {
  const control = deps.workflows;
  if (!control) return [];
  const drills = await control.runningDrills(input.projectId, input.drId);
  for (const d of drills) await control.cancel(d.workflowId, d.runId);
  for (;;) {
    const still = [];
    for (const d of drills) if (await control.isRunning(d.workflowId, d.runId)) still.push(d.workflowId);
    if (still.length === 0) return drills.map((d) => d.workflowId);
    heartbeat({ waitingFor: still });
    await sleep(1000);
  }
}

/** The id of the pair's running failover, or null. */
export async function runningIncident(
  deps: ActivityDeps,
  input: { projectId: string; drId: string }
): Promise<string | null> {
  const id = workflowIds.failover(input.projectId, input.drId);
  return (await deps.workflows?.isRunning(id)) ? id : null;
}

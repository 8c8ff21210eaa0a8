/**
 * The readiness schedule (`dws-readiness`): `readinessWorkflow` every few minutes, overlap SKIP. Creating it again
 * updates it.
 */
import { ScheduleOverlapPolicy, type Client, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import type { Config } from '../config';
import { READINESS_WORKFLOW_ID } from '../shared/constants';
import type { ReadinessInput } from '../shared/drill-readiness';
import type { readinessWorkflow } from '../workflows';
import { upsertSchedule } from './upsert';

/** Shortest accepted interval: each run reads every pair, and the DWS API has a rate limit. */
export const MIN_READINESS_INTERVAL_SECONDS = 60;

/**
 * Creates or updates the readiness schedule.
 * @throws Error for an interval under a minute; Temporal errors propagate.
 */
export async function upsertReadinessSchedule(
  client: Client,
  config: Pick<Config, 'temporal'>,
  req: { everySeconds: number; input: ReadinessInput; actor: string }
): Promise<{ scheduleId: string; created: boolean }> {
  if (!(req.everySeconds >= MIN_READINESS_INTERVAL_SECONDS)) {
    throw new Error(`--every must be at least ${MIN_READINESS_INTERVAL_SECONDS}s (e.g. 15m)`);
  }
  const spec = { intervals: [{ every: `${req.everySeconds}s` }] };
  const action: ScheduleOptionsStartWorkflowAction<typeof readinessWorkflow> = {
    type: 'startWorkflow',
    workflowType: 'readinessWorkflow',
    workflowId: READINESS_WORKFLOW_ID,
    taskQueue: config.temporal.taskQueue,
    args: [req.input],
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes', pauseOnFailure: false };
  const note = `readiness of every inventory pair, set by ${req.actor}`;
  return upsertSchedule(client, READINESS_WORKFLOW_ID, { spec, action, policies, note });
}

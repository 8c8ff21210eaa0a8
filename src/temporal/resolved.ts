/**
 * Resolved alerts: recorded on the running failover of the pair as evidence (never a reason to start one), and,
 * where the pair's policy allows it, a cancel of a failover that has not reached the point of no return.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { cancelUpdate, triggerSignal } from '../shared/messages';
import { pastPointOfNoReturn } from '../shared/point-of-no-return';
import type { FailoverPolicy } from '../shared/policy';
import type { FailoverState, Trigger } from '../shared/types';

/** What the intake did with a resolved alert. */
export type ResolvedAction = 'recorded' | 'cancelled' | 'no-running-failover';

/**
 * Whether a resolved alert cancels the run in this state: only when the policy allows it and the run has neither
 * ended nor reached the request (DESIGN §2, point of no return).
 */
export function resolvedMayCancel(
  policy: Pick<FailoverPolicy, 'resolvedAlertCancels'>,
  state: Pick<FailoverState, 'phase' | 'outcome' | 'request'>
): boolean {
  return policy.resolvedAlertCancels && state.outcome === null && !pastPointOfNoReturn(state);
}

/**
 * Signals the resolved trigger to the running failover `workflowId`, then cancels it if `resolvedMayCancel`.
 * @returns the action and the run it applied to (null when none runs).
 * @throws whatever Temporal throws (the caller answers 503 so the sender retries; the trigger id dedupes).
 */
export async function recordResolved(
  client: Client,
  workflowId: string,
  trigger: Trigger,
  policy: Pick<FailoverPolicy, 'resolvedAlertCancels'>
): Promise<{ action: ResolvedAction; runId: string | null }> {
  let runId: string;
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    if (description.status.name !== 'RUNNING') return { action: 'no-running-failover', runId: null };
    runId = description.runId;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { action: 'no-running-failover', runId: null };
    throw err;
  }
  const handle = client.workflow.getHandle(workflowId, runId);
  try {
    await handle.signal(triggerSignal, trigger);
  } catch (err) {
    // It ended between the describe and the signal: nothing runs to record it on.
    if (err instanceof WorkflowNotFoundError) return { action: 'no-running-failover', runId: null };
    throw err;
  }
  if (!policy.resolvedAlertCancels) return { action: 'recorded', runId };
  // The workflow decides about the point of no return itself (the update's validator), so there is no race
  // between reading its phase here and the request going out there.
  try {
    await handle.executeUpdate(cancelUpdate, {
      args: [
        {
          actor: `${trigger.source} (${trigger.actor})`,
          comment: `alert resolved (${trigger.ref})`,
          via: trigger.source,
          onlyBeforeRequest: true,
        },
      ],
    });
    return { action: 'cancelled', runId };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError)
      return { action: 'recorded', runId };
    throw err;
  }
}

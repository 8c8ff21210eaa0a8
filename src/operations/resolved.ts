/**
 * Resolved alerts: recorded on the running failover of the pair as evidence (never a reason to start one), and,
 * where the pair's policy allows it, a cancel of a failover that has not reached the point of no return.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Config } from '../config';
import { resolvedAlertCancel } from '../identity/attest';
import type { SigningKey } from '../identity/keys';
import { cancelUpdate, triggerSignal } from '../shared/messages';
import { pastPointOfNoReturn } from '../shared/point-of-no-return';
import type { OperationPolicy } from '../shared/policy';
import type { OperationState, Trigger } from '../shared/operation-model';

/** What the intake did with a resolved alert. */
export type ResolvedAction = 'recorded' | 'cancelled' | 'no-running-failover';

/**
 * Whether a resolved alert cancels the run in this state: only when the policy allows it and the run has neither
 * ended nor reached the request (DESIGN §2, point of no return).
 */
export function resolvedMayCancel(
  policy: Pick<OperationPolicy, 'resolvedAlertCancels'>,
  state: Pick<OperationState, 'phase' | 'outcome' | 'request'>
): boolean {
  return policy.resolvedAlertCancels && state.outcome === null && !pastPointOfNoReturn(state);
}

/**
 * Why resolved alerts cannot cancel with this configuration, or null when they can or never would: a pair's policy
 * lets them cancel, but no DWS_FAILOVER_INTAKE_SIGNING_KEY signs the cancel, and a worker that verifies decisions
 * refuses an unsigned one (the resolve is still recorded). Said once, when the intake or the worker starts.
 */
export function unsignedResolvedCancelWarning(config: Pick<Config, 'policy' | 'inventory' | 'intake'>): string | null {
  if (config.intake.signingKey) return null;
  const cancelling = config.inventory
    ? config.inventory.pairs.filter((p) => p.policy.resolvedAlertCancels ?? config.policy.resolvedAlertCancels)
    : [];
  if (cancelling.length === 0 && !config.policy.resolvedAlertCancels) return null;
  const which = cancelling.length > 0 ? cancelling.map((p) => p.name).join(', ') : 'every pair (the default policy)';
  return `resolved alerts may cancel failovers of ${which}, but DWS_FAILOVER_INTAKE_SIGNING_KEY is not set: their cancels are sent unsigned and a worker that verifies decisions refuses them (the resolve is only recorded). Set the intake's key here and trust it on the workers (docs/intake-identity.md).`;
}

/**
 * Signals the resolved trigger to the running failover `workflowId`, then cancels it if `resolvedMayCancel`, signed
 * by `signingKey` (attested `alert`) when there is one.
 * @returns the action and the run it applied to (null when none runs).
 * @throws whatever Temporal throws (the caller answers 503 so the sender retries; the trigger id dedupes).
 */
export async function recordResolved(
  client: Client,
  workflowId: string,
  trigger: Trigger,
  policy: Pick<OperationPolicy, 'resolvedAlertCancels'>,
  signingKey: SigningKey | null = null
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
      args: [resolvedAlertCancel(signingKey, trigger, { workflowId, runId }, new Date())],
    });
    return { action: 'cancelled', runId };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError)
      return { action: 'recorded', runId };
    throw err;
  }
}

/**
 * Readiness activities around the checks: the previous run's result (from Temporal), and notifications through
 * the pair's targets, the same receivers and formats as the operations' notifications.
 */
import { activityInfo } from '@temporalio/activity';
import type { ReadinessEvent, ReadinessReport } from '../../shared/drill-readiness';
import type { NotificationEvent } from '../../shared/notifications';
import type { ActivityDeps } from '../deps';
import { deliverToTargets } from '../notify';

/** The latest completed readiness run on this task queue before the calling one, or null. */
export async function previousReadiness(deps: ActivityDeps): Promise<ReadinessReport | null> {
  const info = activityInfo();
  return (
    (await deps.drills?.records.previousReadiness(info.taskQueue, info.workflowExecution?.workflowId ?? '')) ?? null
  );
}

/**
 * Sends one readiness notice to every target of the pair; a retry skips the targets already served.
 * @returns how many targets it reached. @throws a retryable ApplicationFailure naming the failed targets.
 */
export async function sendReadinessNotice(deps: ActivityDeps, event: ReadinessEvent): Promise<{ delivered: number }> {
  // The message builders read only fields both event types share; kind and operation are free text to them.
  return { delivered: await deliverToTargets(deps, event as unknown as NotificationEvent) };
}

/**
 * Readiness activities around the checks: the previous run's result (from Temporal), and notifications through
 * the pair's targets, the same receivers and formats as the operations' notifications.
 */
import { activityInfo, cancellationSignal, heartbeat, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { sendToTarget } from '../notify/send';
import type { ReadinessEvent, ReadinessReport } from '../shared/drill-readiness';
import type { NotificationEvent } from '../shared/notifications';
import type { ActivityDeps } from './deps';

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
  const targets = deps.notifications?.targetsFor(event.projectId, event.drId) ?? [];
  const done = new Set<number>((activityInfo().heartbeatDetails as number[] | undefined) ?? []);
  const failures: string[] = [];
  for (const [i, target] of targets.entries()) {
    if (done.has(i)) continue;
    try {
      // The message builders read only fields both event types share; kind and operation are free text to them.
      await sendToTarget(target, event as unknown as NotificationEvent, {
        signal: cancellationSignal(),
        ...(deps.notifications?.dispatcher ? { dispatcher: deps.notifications.dispatcher } : {}),
      });
      done.add(i);
      heartbeat([...done]);
    } catch (err) {
      failures.push((err as Error).message);
    }
  }
  if (failures.length > 0) {
    log.warn('Readiness notice not delivered to every target', { kind: event.kind, failures });
    throw ApplicationFailure.retryable(failures.join('; '), 'NotificationFailed');
  }
  return { delivered: done.size };
}

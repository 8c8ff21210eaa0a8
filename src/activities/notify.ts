/**
 * Sends a notification to every target of the pair. Targets already served by an earlier attempt are skipped
 * (heartbeat details), so a retry after one failing receiver does not repeat the others.
 */
import { activityInfo, cancellationSignal, heartbeat, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { sendToTarget, targetLabel } from '../notify/send';
import type { NotificationEvent } from '../shared/notifications';
import type { ActivityDeps } from './deps';

/** Delivers `event`; @throws a retryable ApplicationFailure naming the targets that failed. */
export async function sendNotification(deps: ActivityDeps, event: NotificationEvent): Promise<{ delivered: number }> {
  const delivered = await deliverToTargets(deps, event);
  log.info('Notification delivered', { kind: event.kind, delivered });
  return { delivered };
}

/**
 * Sends `event` to every target of its pair. Targets served by an earlier attempt (heartbeat details) are skipped.
 * @returns how many targets have it. @throws a retryable ApplicationFailure naming the targets that failed.
 */
export async function deliverToTargets(deps: ActivityDeps, event: NotificationEvent): Promise<number> {
  const targets = deps.notifications?.targetsFor(event.projectId, event.drId) ?? [];
  const done = new Set<number>((activityInfo().heartbeatDetails as number[] | undefined) ?? []);
  const failures: string[] = [];
  for (const [i, target] of targets.entries()) {
    if (done.has(i)) continue;
    try {
      await sendToTarget(target, event, {
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
    log.warn('Some notifications were not delivered; retrying', {
      kind: event.kind,
      failures,
      targets: targets.map(targetLabel),
    });
    throw ApplicationFailure.retryable(failures.join('; '), 'NotificationFailed');
  }
  return done.size;
}

/** How many notification targets the pair has (0 means the workflow does not notify at all). */
export function countTargets(deps: ActivityDeps, projectId: string, drId: string): number {
  return deps.notifications?.targetsFor(projectId, drId).length ?? 0;
}

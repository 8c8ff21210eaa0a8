/**
 * Notifications never block or fail an operation: each one is a child workflow that the parent starts and
 * abandons (it outlives the parent and retries on its own), and only when the pair has targets at all.
 */
import {
  CancellationScope,
  isCancellation,
  log,
  ParentClosePolicy,
  proxyActivities,
  proxyLocalActivities,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { innermostMessage } from '../shared/failure-message';
import { decisionFields, type NotificationEvent, type NotificationKind } from '../shared/notifications';
import type { ApprovalState, OperationState, Outcome } from '../shared/operation-model';
import { RETRY } from './retry-profiles';

const { sendNotification } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute', // one HTTP post per target, each bounded by a 10 s timeout
  retry: RETRY.notices,
  // A receiver that is down for a quarter of an hour misses this message; the report keeps the facts.
  scheduleToCloseTimeout: '15 minutes',
});

/** Delivers one notification to every target of the pair, retrying failed receivers. */
export async function notifyWorkflow(event: NotificationEvent): Promise<void> {
  await sendNotification(event);
}

export interface Notifier {
  (kind: NotificationKind, title: string, approval?: ApprovalState): Promise<void>;
  /**
   * How many targets the pair has; 0 sends nothing. Read at the run's start ({@link readTargets}); runs started
   * before that learn it from their pre-checks. `null`: the worker could not say, so the run sends and the notify
   * activity, which resolves the pair's targets itself, delivers to those there are.
   */
  targets: number | null;
}

/**
 * Runs that start on this version read their target count from the worker first thing ({@link readTargets}), so
 * every end notifies, also one before or instead of the pre-checks (DWS unreadable, a start not authorised).
 */
export const TARGETS_AT_START_PATCH = 'notification-targets-at-start';

const local = proxyLocalActivities<Pick<Activities, 'notificationTargets'>>({
  startToCloseTimeout: '5s', // an in-memory lookup in the worker's inventory
  retry: RETRY.workerSettings,
});

/**
 * Sets `notify.targets` to the pair's target count in the serving worker's inventory (a local activity: only the
 * count enters the history, the URLs and secrets stay in the worker). Does not read DWS, so it works while DWS is
 * down. Throws only a cancellation: a worker that cannot answer leaves the count unknown (`null`: notify anyway).
 */
export async function readTargets(notify: Notifier, projectId: string, drId: string): Promise<void> {
  try {
    notify.targets = await local.notificationTargets({ projectId, drId });
  } catch (err) {
    if (isCancellation(err)) throw err;
    log.warn('The notification targets could not be counted; notifying anyway', { error: innermostMessage(err) });
    notify.targets = null;
  }
}

/** A notify function bound to one operation's state. */
export function notifier(state: OperationState): Notifier {
  let seq = 0;
  const notify = (async (kind, title, approval) => {
    if (notify.targets === 0) return;
    const event: NotificationEvent = {
      kind,
      title: title.charAt(0).toUpperCase() + title.slice(1),
      summary: state.summary ?? state.decision?.reasons.join('; ') ?? state.reason,
      operation: state.operation,
      workflowId: state.workflowId,
      projectId: state.projectId,
      drId: state.drId,
      pair: state.drName ?? state.drId,
      at: new Date().toISOString(),
      outcome: state.outcome,
      dataLossWindowSeconds: state.dataLossWindowSeconds,
      actor: approval?.actor ?? null,
      comment: approval?.comment ?? null,
      // Who decided and how they were verified; break-glass, loudly (runs with verified decisions only).
      ...decisionFields(state, kind, approval),
    };
    seq += 1;
    try {
      await CancellationScope.nonCancellable(() =>
        startChild(notifyWorkflow, {
          workflowId: `${workflowInfo().workflowId}/${workflowInfo().runId}/notify-${seq}`,
          args: [event],
          parentClosePolicy: ParentClosePolicy.ABANDON,
        })
      );
    } catch (err) {
      log.warn('Could not start a notification', { kind, error: (err as Error).message });
    }
  }) as Notifier;
  notify.targets = 0;
  return notify;
}

/** The notification that goes with each outcome (kind, and the words after the operation's name); null: none. */
export const OUTCOME_NOTICE: Readonly<Record<Outcome, readonly [NotificationKind, string] | null>> = Object.freeze({
  'failed-over': ['completed', 'completed'],
  'switched-over': ['completed', 'completed'],
  recovered: ['completed', 'completed'],
  'already-failed-over': null,
  rejected: ['rejected', 'rejected'],
  'approval-timed-out': ['failed', 'approval timed out'],
  cancelled: ['failed', 'cancelled'],
  'precheck-failed': ['failed', 'stopped by its pre-checks'],
  'failover-refused': ['failed', 'refused by the service'],
  'switchover-refused': ['failed', 'refused by the service'],
  'recovery-refused': ['failed', 'refused by the service'],
  'timed-out': ['timed-out', 'did not complete'],
  'swapped-back': ['failed', 'was undone: the roles swapped back'],
  // Someone tried to start an operation they may not: the pair's people hear of it (runs that know their targets).
  'not-authorised': ['failed', 'not started: the start was not authorised'],
});

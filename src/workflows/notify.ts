/**
 * Notifications never block or fail an operation: each one is a child workflow that the parent starts and
 * abandons (it outlives the parent and retries on its own), and only when the pair has targets at all.
 */
import {
  CancellationScope,
  log,
  ParentClosePolicy,
  proxyActivities,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { decisionFields, type NotificationEvent, type NotificationKind } from '../shared/notifications';
import type { ApprovalState, OperationState, Outcome } from '../shared/operation-model';

const { sendNotification } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '1 minute', // one HTTP post per target, each bounded by a 10 s timeout
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute' },
  // A receiver that is down for a quarter of an hour misses this message; the report keeps the facts.
  scheduleToCloseTimeout: '15 minutes',
});

/** Delivers one notification to every target of the pair, retrying failed receivers. */
export async function notifyWorkflow(event: NotificationEvent): Promise<void> {
  await sendNotification(event);
}

export interface Notifier {
  (kind: NotificationKind, title: string, approval?: ApprovalState): Promise<void>;
  /** How many targets the pair has; 0 sends nothing. Known after the pre-checks. */
  targets: number;
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
  // Nothing was read and no targets are known yet: an unauthorised start is only in the run and its logs.
  'not-authorised': null,
});

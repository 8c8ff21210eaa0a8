/**
 * One alert delivery that covers several DR pairs (a region-wide outage sends hundreds in one notification). The
 * intake records it with one start of this workflow and answers; the workflow then fans out to every pair's failover
 * workflow (signal-with-start, in batches, each batch one activity that resumes from its heartbeat), so the answer
 * neither waits for nor grows with the pairs, and a pair is never lost when the intake dies after answering. It stays
 * open for the join window, so a retry or an HA peer's copy of the same notification joins this record instead of
 * fanning out again.
 */
import { proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import {
  pairName,
  type DeliveryInput,
  type DeliveryPairView,
  type DeliveryView,
  type PairAction,
  type PairDispatch,
} from '../../shared/delivery';
import { MAX_SENDERS, workflowIds } from '../../shared/constants';
import { deliveryProgressQuery, deliveryRepeatSignal } from '../../shared/messages';
import { RETRY } from '../retry-profiles';

/** Pairs per activity: each batch is a few seconds of signal-with-starts and a heartbeat after each group. */
export const DELIVERY_BATCH = 50;
/** Batches in flight at once. */
const PARALLEL_BATCHES = 4;
/** Longest pair list one query answers. */
const MAX_VIEW = 1000;
/**
 * How long the record stays open after the fan-out, so that the same notification again (a sender's retry after a
 * lost answer, the other member of an HA Alertmanager pair) joins it. Alertmanager retries a notification for up to
 * its group_interval (5 min by default).
 */
export const DELIVERY_JOIN_WINDOW = '10 minutes';

const { dispatchDeliveryPairs } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  // Temporal down for the worker's activity calls means retry until it is back: the pairs must not be lost.
  retry: RETRY.untilTemporalAnswers,
});

/** Fans a delivery out to its pairs' failover workflows. @returns the record, without the per-pair list. */
export async function deliveryWorkflow(input: DeliveryInput): Promise<DeliveryView> {
  const results: (PairDispatch | null)[] = input.pairs.map(() => null);
  const firing = input.pairs.filter((p) => p.status === 'firing').length;
  let dispatchedAt: string | null = null;
  let repeats = 0;
  const senders = [input.actor];

  const view = (offset = 0, limit = MAX_VIEW): DeliveryView => {
    const actions: Partial<Record<PairAction, number>> = {};
    for (const r of results) if (r) actions[r.action] = (actions[r.action] ?? 0) + 1;
    const from = Math.max(0, Math.floor(offset));
    const to = Math.min(input.pairs.length, from + Math.max(0, Math.min(MAX_VIEW, Math.floor(limit))));
    const workflows: DeliveryPairView[] = [];
    for (let i = from; i < to; i++) {
      const pair = input.pairs[i];
      if (!pair) continue;
      const result = results[i];
      workflows.push({
        pair: pairName(pair),
        project_id: pair.projectId,
        disaster_recovery_id: pair.drId,
        status: pair.status,
        trigger_id: pair.triggerId,
        workflow_id: result?.workflowId ?? workflowIds.failover(pair.projectId, pair.drId),
        run_id: result?.runId ?? null,
        action: result?.action ?? 'pending',
      });
    }
    return {
      delivery_id: input.deliveryId,
      source: input.source,
      ref: input.ref,
      received_at: input.receivedAt,
      phase: dispatchedAt ? 'dispatched' : 'dispatching',
      dispatched_at: dispatchedAt,
      pairs: input.pairs.length,
      firing,
      resolved: input.pairs.length - firing,
      unmapped: input.unmapped,
      dispatched: results.filter((r) => r !== null).length,
      actions,
      repeats,
      senders,
      offset: from,
      workflows,
    };
  };
  setHandler(deliveryProgressQuery, (offset, limit) => view(offset, limit));
  setHandler(deliveryRepeatSignal, ({ actor }) => {
    repeats += 1;
    if (actor && senders.length < MAX_SENDERS && !senders.includes(actor)) senders.push(actor);
  });

  const header = { source: input.source, ref: input.ref, actor: input.actor, receivedAt: input.receivedAt };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < input.pairs.length) {
      const from = next;
      next = Math.min(input.pairs.length, from + DELIVERY_BATCH);
      const done = await dispatchDeliveryPairs({ header, pairs: input.pairs.slice(from, next) });
      done.forEach((result, i) => {
        results[from + i] = result;
      });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_BATCHES }, worker));
  dispatchedAt = new Date().toISOString();

  await sleep(DELIVERY_JOIN_WINDOW);
  return view(0, 0);
}

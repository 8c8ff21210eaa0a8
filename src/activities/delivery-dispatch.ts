/**
 * The delivery workflow's activity: one batch of a delivery's pairs, each started or joined (or its resolve
 * recorded) the way the intake does it for a single pair. It heartbeats what is done, and a retry resumes after it,
 * so a worker that dies mid-batch neither loses a pair nor counts one twice (short of the last few seconds).
 */
import { activityInfo, heartbeat } from '@temporalio/activity';
import type { DeliveryHeader, DeliveryPair, PairDispatch } from '../shared/delivery';
import type { ActivityDeps } from './deps';

/** Signal-with-starts in flight at once within a batch. */
const CONCURRENCY = 10;

export interface DispatchBatchInput {
  header: DeliveryHeader;
  pairs: DeliveryPair[];
}

/**
 * Dispatches every pair of the batch, in order, `CONCURRENCY` at a time.
 * @returns one result per pair, in the batch's order.
 * @throws Error when the worker has no delivery dispatch; Temporal's errors, so the batch is retried from its
 *   heartbeat.
 */
export async function dispatchDeliveryPairs(deps: ActivityDeps, input: DispatchBatchInput): Promise<PairDispatch[]> {
  const dispatch = deps.deliveries?.dispatch;
  if (!dispatch) throw new Error('This worker cannot dispatch deliveries: it was built without a Temporal client.');
  const resumed = activityInfo().heartbeatDetails as { done?: PairDispatch[] } | undefined;
  const done: PairDispatch[] = [...(resumed?.done ?? [])];
  while (done.length < input.pairs.length) {
    const group = input.pairs.slice(done.length, done.length + CONCURRENCY);
    done.push(...(await Promise.all(group.map((pair) => dispatch(input.header, pair)))));
    heartbeat({ done });
  }
  return done;
}

/**
 * What happens to an alert delivery once parsed: map its alerts to pairs, then either dispatch the one pair directly
 * (start or join its failover, or record the resolve) or, for several pairs, record the delivery with one start of
 * its delivery workflow, which fans out to the pairs (src/workflows/deliveries/delivery.ts). Either way the 202 means Temporal
 * holds everything the delivery asks for, and its answer time does not grow with the pairs.
 */
import { createHash } from 'node:crypto';
import { pairName, type DeliveryInput, type DeliveryPair, type PairAction } from '../shared/delivery';
import { dispatchPair } from '../operations/dispatch-pair';
import { recordDelivery } from '../operations/start-delivery';
import type { AlertDelivery } from './alert';
import { coalesced, temporalUnavailable, withinDeadline, type IntakeDeps } from './deps';
import { HttpError } from './http';
import { mapAlerts, type UnmappedAlert } from './mapping';
import { deliveryHeader, deliveryPair } from './trigger';

/**
 * Largest delivery record (bytes of its JSON): Temporal refuses a start whose input exceeds 2 MB (its default blob
 * size limit), so a larger delivery is refused with 413 before anything is started.
 */
export const MAX_DELIVERY_RECORD_BYTES = 1_500_000;

/** One pair's line in the answer to a single-pair delivery. */
export interface PairAnswer {
  pair: string;
  project_id: string;
  disaster_recovery_id: string;
  workflow_id: string;
  run_id: string | null;
  status: 'firing' | 'resolved';
  action: PairAction;
  joined: boolean;
  trigger_id: string;
  failed_cluster_id: string | null;
}

/** The delivery's id: the same for every redelivery of this notification (its pairs' trigger ids say what it is). */
export function deliveryId(delivery: AlertDelivery, pairs: readonly DeliveryPair[]): string {
  const hash = createHash('sha256');
  for (const id of pairs.map((p) => p.triggerId).sort()) hash.update(`${id}\n`);
  return `${delivery.source}-${hash.digest('hex').slice(0, 32)}`;
}

/** The first labels of an unmapped alert (already clipped by mapAlerts), values quoted and escaped. */
const describeLabels = (labels: Readonly<Record<string, string>>): string =>
  `{${Object.entries(labels)
    .slice(0, 12)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;

function noPair(unmapped: UnmappedAlert[]): HttpError {
  const first = unmapped[0];
  const more = unmapped.length > 1 ? ` (and ${unmapped.length - 1} more alerts)` : '';
  return new HttpError(
    422,
    'no_pair',
    first
      ? `No alert maps to a DR pair. alerts[${first.index}] with labels ${describeLabels(first.labels)}: ${first.reason}${more}.`
      : 'No alert maps to a DR pair.',
    { unmapped: unmapped.slice(0, 20) }
  );
}

function tooManyPairs(count: number, limit: number): HttpError {
  return new HttpError(
    413,
    'too_many_pairs',
    `The delivery covers ${count} DR pairs, more than ${limit} (DWS_FAILOVER_INTAKE_MAX_PAIRS): raise the setting, or ` +
      'have the sender split its notifications (Alertmanager: max_alerts, or group_by the pair labels).',
    { pairs: count, limit }
  );
}

/** The one pair, dispatched here under the request's deadline. */
async function dispatchOne(deps: IntakeDeps, delivery: AlertDelivery, pair: DeliveryPair, receivedAt: Date) {
  const header = deliveryHeader(delivery, receivedAt);
  try {
    const done = await withinDeadline(deps, () => dispatchPair(deps.client, deps.config, header, pair));
    deps.metrics.workflows.inc({ source: delivery.source, result: done.action });
    deps.logger.info(`${delivery.source} ${pair.status} alert: ${done.action} ${done.workflowId}`, {
      trigger: pair.triggerId,
      run: done.runId,
    });
    const answer: PairAnswer = {
      pair: pairName(pair),
      project_id: pair.projectId,
      disaster_recovery_id: pair.drId,
      workflow_id: done.workflowId,
      run_id: done.runId,
      status: pair.status,
      action: done.action,
      joined: done.action !== 'started' && done.runId !== null,
      trigger_id: pair.triggerId,
      failed_cluster_id: pair.failedClusterId ?? null,
    };
    return answer;
  } catch (err) {
    deps.logger.warn('Temporal did not record an alert delivery', { source: delivery.source, pair: pairName(pair) });
    throw temporalUnavailable(deps, `record the ${delivery.source} alert for ${pairName(pair)}`, err);
  }
}

/** Several pairs: one durable start of the delivery's record, which fans out. */
async function recordMany(deps: IntakeDeps, input: DeliveryInput) {
  const bytes = Buffer.byteLength(JSON.stringify(input));
  if (bytes > MAX_DELIVERY_RECORD_BYTES) {
    throw new HttpError(
      413,
      'delivery_too_large',
      `The delivery's ${input.pairs.length} pairs make a ${bytes}-byte record, more than the ${MAX_DELIVERY_RECORD_BYTES} ` +
        'bytes one Temporal start may carry: have the sender split its notifications (Alertmanager: max_alerts).',
      { pairs: input.pairs.length, record_bytes: bytes, limit_bytes: MAX_DELIVERY_RECORD_BYTES }
    );
  }
  try {
    const recorded = await withinDeadline(deps, () => recordDelivery(deps.client, deps.config, input));
    deps.metrics.workflows.inc({ source: input.source, result: recorded.joined ? 'delivery-joined' : 'delivery' });
    deps.logger.info(
      `${input.source} alert for ${input.pairs.length} pairs: ${recorded.joined ? 'joined' : 'recorded'} ${recorded.workflowId}`,
      { run: recorded.runId }
    );
    return recorded;
  } catch (err) {
    deps.logger.warn('Temporal did not record an alert delivery', { source: input.source, pairs: input.pairs.length });
    throw temporalUnavailable(deps, `record the ${input.source} alert for ${input.pairs.length} pairs`, err);
  }
}

/**
 * Handles a parsed delivery.
 * @returns the 202 body: for one pair its workflow; for several the delivery's record (`GET /v1/deliveries/{id}`
 *   lists each pair's workflow).
 * @throws HttpError 422 when no alert maps to a pair, 413 when the delivery covers too many pairs, 503 when Temporal
 *   did not confirm the record in time (a retry of the same delivery is not counted twice).
 */
export async function handleDelivery(deps: IntakeDeps, delivery: AlertDelivery, receivedAt: Date): Promise<unknown> {
  if (delivery.ignoredBecause) return { accepted: true, ignored: delivery.ignoredBecause, pairs: 0, workflows: [] };
  const mapped = mapAlerts(delivery.alerts, deps.inventory);
  if (mapped.pairs.length === 0) throw noPair(mapped.unmapped);
  if (mapped.pairs.length > deps.config.intake.maxPairs) {
    throw tooManyPairs(mapped.pairs.length, deps.config.intake.maxPairs);
  }
  const pairs = mapped.pairs.map((group) => deliveryPair(delivery, group));
  const unmapped = mapped.unmapped.length > 0 ? { unmapped: mapped.unmapped.slice(0, 20) } : {};
  const [only] = pairs;
  if (only && pairs.length === 1) {
    // Copies from one sender share a call; each sender (an HA pair's other member) is recorded as such.
    const key = `pair:${only.triggerId}:${delivery.actor}`;
    const answer = await coalesced(deps, key, () => dispatchOne(deps, delivery, only, receivedAt));
    return { accepted: true, pairs: 1, workflows: [answer], ...unmapped };
  }
  const id = deliveryId(delivery, pairs);
  const header = deliveryHeader(delivery, receivedAt);
  const input = { ...header, deliveryId: id, pairs, unmapped: mapped.unmapped.length };
  const recorded = await coalesced(deps, `delivery:${id}:${delivery.actor}`, () => recordMany(deps, input));
  const firing = pairs.filter((p) => p.status === 'firing').length;
  return {
    accepted: true,
    pairs: pairs.length,
    firing,
    resolved: pairs.length - firing,
    delivery: {
      id,
      workflow_id: recorded.workflowId,
      run_id: recorded.runId,
      joined: recorded.joined,
      url: `/v1/deliveries/${encodeURIComponent(id)}`,
    },
    ...unmapped,
  };
}

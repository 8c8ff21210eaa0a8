/**
 * Triggers from deliveries. A trigger's id is a hash of the source and the sender's dedupe key, so every
 * redelivery of one notification (HA Alertmanager pairs, repeat intervals, retries after a slow answer) carries
 * the same id and the workflow counts it as a delivery instead of storing it twice.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  MAX_REASON,
  MAX_TRIGGER_REF,
  pairReason,
  pairTrigger,
  type DeliveryHeader,
  type DeliveryPair,
} from '../shared/delivery';
import type { Trigger, TriggerSource } from '../shared/operation-model';
import type { AlertDelivery } from './alert';
import type { PairAlerts } from './mapping';

/** `source:` + 32 hex of SHA-256 over the parts. */
export function triggerId(source: TriggerSource, ...parts: string[]): string {
  return `${source}:${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}`;
}

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** What a delivery shares among its pairs. */
export function deliveryHeader(delivery: AlertDelivery, receivedAt: Date): DeliveryHeader {
  return {
    source: delivery.source,
    ref: clip(delivery.ref, MAX_TRIGGER_REF),
    actor: clip(delivery.actor, 200),
    receivedAt: receivedAt.toISOString(),
  };
}

/**
 * One pair's part of a delivery. Its trigger id covers the source, the sender's key (groupKey, event id), the pair,
 * the status and the alerts (fingerprint + startsAt): the same notification again is the same trigger; a new alert
 * in the group, or the group resolving, is a new one.
 */
export function deliveryPair(delivery: AlertDelivery, group: PairAlerts): DeliveryPair {
  const alertKeys = group.alerts.map((a) => `${a.fingerprint}@${a.startsAt ?? ''}`).sort();
  const { projectId, drId, pair } = group.target;
  return {
    projectId,
    drId,
    ...(pair ? { name: pair.name } : {}),
    status: group.status,
    triggerId: triggerId(delivery.source, delivery.dedupeKey, projectId, drId, group.status, ...alertKeys),
    fingerprints: clip(group.alerts.map((a) => a.fingerprint).join(','), MAX_TRIGGER_REF),
    summary: clip([...new Set(group.alerts.map((a) => a.summary))].join('; '), MAX_REASON),
    ...(group.failedClusterId ? { failedClusterId: group.failedClusterId } : {}),
    ...(group.incidentStartedAt ? { incidentStartedAt: group.incidentStartedAt } : {}),
  };
}

/** The trigger of one pair's alerts in a delivery (see `deliveryPair`). */
export function alertTrigger(delivery: AlertDelivery, group: PairAlerts, receivedAt: Date): Trigger {
  return pairTrigger(deliveryHeader(delivery, receivedAt), deliveryPair(delivery, group));
}

/** The reason kept in the report: what fired, for which pair. */
export function alertReason(delivery: AlertDelivery, group: PairAlerts): string {
  return pairReason(delivery, deliveryPair(delivery, group));
}

/** The trigger of `POST /v1/failovers` for one pair: the `Idempotency-Key` header makes retries one trigger. */
export function apiTrigger(
  actor: string,
  idempotencyKey: string | undefined,
  receivedAt: Date,
  pair: { projectId: string; drId: string }
): Trigger {
  return {
    id: idempotencyKey ? triggerId('api', idempotencyKey, pair.projectId, pair.drId) : `api:${randomUUID()}`,
    source: 'api',
    ref: clip(idempotencyKey ? `Idempotency-Key ${idempotencyKey}` : 'POST /v1/failovers', MAX_TRIGGER_REF),
    receivedAt: receivedAt.toISOString(),
    actor: clip(actor, 200),
  };
}

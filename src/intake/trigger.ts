/**
 * Triggers from deliveries. A trigger's id is a hash of the source and the sender's dedupe key, so every
 * redelivery of one notification (HA Alertmanager pairs, repeat intervals, retries after a slow answer) carries
 * the same id and the workflow counts it as a delivery instead of storing it twice.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Trigger, TriggerSource } from '../shared/types';
import type { AlertDelivery } from './alert';
import type { PairAlerts } from './mapping';

/** Longest `ref` kept in the evidence (the workflow's state and history stay small). */
const MAX_REF = 400;

/** `source:` + 32 hex of SHA-256 over the parts. */
export function triggerId(source: TriggerSource, ...parts: string[]): string {
  return `${source}:${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}`;
}

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * The trigger of one pair's alerts in a delivery. Its id covers the source, the sender's key (groupKey, event id),
 * the pair, the status and the alerts (fingerprint + startsAt): the same notification again is the same trigger;
 * a new alert in the group, or the group resolving, is a new one.
 */
export function alertTrigger(delivery: AlertDelivery, group: PairAlerts, receivedAt: Date): Trigger {
  const alertKeys = group.alerts.map((a) => `${a.fingerprint}@${a.startsAt ?? ''}`).sort();
  const fingerprints = group.alerts.map((a) => a.fingerprint).join(',');
  return {
    id: triggerId(
      delivery.source,
      delivery.dedupeKey,
      group.target.projectId,
      group.target.drId,
      group.status,
      ...alertKeys
    ),
    source: delivery.source,
    ref: clip(`${delivery.ref}; fingerprints ${fingerprints}`, MAX_REF),
    receivedAt: receivedAt.toISOString(),
    actor: clip(delivery.actor, 200),
    status: group.status,
    ...(group.incidentStartedAt ? { incidentStartedAt: group.incidentStartedAt } : {}),
  };
}

/** The reason kept in the report: what fired, for which pair. */
export function alertReason(delivery: AlertDelivery, group: PairAlerts): string {
  const summaries = [...new Set(group.alerts.map((a) => a.summary))];
  return clip(`${delivery.source} ${group.status} for ${group.target.name}: ${summaries.join('; ')}`, 500);
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
    ref: clip(idempotencyKey ? `Idempotency-Key ${idempotencyKey}` : 'POST /v1/failovers', MAX_REF),
    receivedAt: receivedAt.toISOString(),
    actor: clip(actor, 200),
  };
}

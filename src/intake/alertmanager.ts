/**
 * Prometheus Alertmanager webhook v4 (`POST /v1/alerts/alertmanager`). Extra fields are ignored and optional ones
 * (`notification_reason`, `truncatedAlerts`, annotations…) may be missing, as real senders of every version do.
 * Grafana's payload is a superset and reuses this schema (grafana.ts).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AlertDelivery, NormalizedAlert } from './alert';
import { validate } from './http';

const labels = z.record(z.string(), z.string());
const status = z.enum(['firing', 'resolved']);
const time = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 time');

/** One alert of a group. */
export const alertSchema = z.object({
  status,
  labels,
  annotations: labels.optional(),
  startsAt: time,
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().min(1).optional(),
});

/** The group notification. */
export const alertGroupSchema = z.object({
  version: z.string().optional(),
  groupKey: z.string().min(1, 'must not be empty'),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  status,
  receiver: z.string(),
  groupLabels: labels.optional(),
  commonLabels: labels.optional(),
  commonAnnotations: labels.optional(),
  externalURL: z.string().optional(),
  alerts: z.array(alertSchema).min(1, 'must hold at least one alert'),
  notification_reason: z.string().optional(),
});

export type AlertGroup = z.output<typeof alertGroupSchema>;

/** A stable id for an alert without a fingerprint: its sorted label set, hashed like Alertmanager does it. */
function labelFingerprint(l: Readonly<Record<string, string>>): string {
  const text = Object.keys(l)
    .sort()
    .map((k) => `${k}=${l[k]}`)
    .join('\u0000');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function normalize(alert: AlertGroup['alerts'][number]): NormalizedAlert {
  const started = Date.parse(alert.startsAt);
  const summary = alert.annotations?.summary ?? alert.annotations?.description ?? alert.annotations?.message;
  const name = alert.labels.alertname ?? 'alert';
  return {
    status: alert.status,
    labels: alert.labels,
    fingerprint: alert.fingerprint ?? labelFingerprint(alert.labels),
    // Go's zero time (0001-01-01) means "unknown".
    startsAt: started > 0 ? new Date(started).toISOString() : null,
    summary: summary ? `${name}: ${summary}` : name,
  };
}

/** Turns a validated group notification into a delivery (shared with Grafana). */
export function groupToDelivery(group: AlertGroup, source: 'alertmanager' | 'grafana'): AlertDelivery {
  const reason = group.notification_reason ? `, ${group.notification_reason}` : '';
  const truncated = group.truncatedAlerts ? `, ${group.truncatedAlerts} alerts truncated` : '';
  return {
    source,
    dedupeKey: group.groupKey,
    ref: `groupKey ${group.groupKey}${reason}${truncated}`,
    actor: group.externalURL ? `${group.receiver} (${group.externalURL})` : group.receiver || source,
    alerts: group.alerts.map(normalize),
  };
}

/**
 * Parses an Alertmanager webhook body.
 * @throws HttpError 400 naming the bad field.
 */
export function parseAlertmanager(body: unknown): AlertDelivery {
  return groupToDelivery(validate(alertGroupSchema, body, 'Alertmanager webhook (version 4)'), 'alertmanager');
}

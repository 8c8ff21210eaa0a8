/**
 * PagerDuty webhooks v3 (`POST /v1/alerts/pagerduty`). An `incident.triggered` (or `reopened`) starts or joins, an
 * `incident.resolved` is a resolved alert, every other event (acknowledged, annotated, `pagey.ping`…) is answered
 * 202 and ignored. Webhooks carry no labels, so the mapping reads labels derived from the incident:
 * `pagerduty_service_id`, `pagerduty_service`, `pagerduty_incident_key`, `pagerduty_urgency`, and any
 * `dws_project_id=…`, `dws_dr_id=…`, `dws_cluster_id=…` written in the incident title.
 */
import { z } from 'zod';
import type { AlertDelivery, NormalizedAlert } from './alert';
import { validate } from './http';

const time = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time');
const reference = z.object({ id: z.string().optional(), summary: z.string().optional() }).nullable().optional();

const incidentSchema = z.object({
  id: z.string().min(1),
  number: z.number().optional(),
  title: z.string().optional(),
  status: z.string().optional(),
  incident_key: z.string().nullable().optional(),
  created_at: time.optional(),
  urgency: z.string().optional(),
  html_url: z.string().optional(),
  service: reference,
});

/** The v3 envelope; `data` is checked further only for incident events. */
export const pagerDutySchema = z.object({
  event: z.object({
    id: z.string().min(1),
    event_type: z.string().min(1),
    resource_type: z.string().optional(),
    occurred_at: time,
    agent: reference,
    client: z.object({ name: z.string().optional() }).nullable().optional(),
    data: z.record(z.string(), z.unknown()),
  }),
});

const incidentEventSchema = z.object({ event: z.object({ data: incidentSchema }) });

/** The delivery headers PagerDuty adds. */
export interface PagerDutyHeaders {
  webhookId?: string;
  subscription?: string;
}

/** The PagerDuty event types that start, join or resolve; every other one is answered 202 and ignored. */
export const PAGERDUTY_EVENTS: Readonly<Record<string, NormalizedAlert['status']>> = {
  'incident.triggered': 'firing',
  'incident.reopened': 'firing',
  'incident.resolved': 'resolved',
};

const DWS_TOKEN = /\b(dws_project_id|dws_dr_id|dws_cluster_id)\s*[=:]\s*["']?([A-Za-z0-9._-]+)/g;

/** The labels the mapping reads, derived from the incident. */
export function incidentLabels(incident: z.output<typeof incidentSchema>): Record<string, string> {
  const labels: Record<string, string> = {};
  if (incident.service?.id) labels.pagerduty_service_id = incident.service.id;
  if (incident.service?.summary) labels.pagerduty_service = incident.service.summary;
  if (incident.incident_key) labels.pagerduty_incident_key = incident.incident_key;
  if (incident.urgency) labels.pagerduty_urgency = incident.urgency;
  for (const m of (incident.title ?? '').matchAll(DWS_TOKEN)) labels[m[1] as string] = m[2] as string;
  return labels;
}

/**
 * Parses a PagerDuty v3 webhook body (the signature was checked before).
 * @throws HttpError 400 naming the bad field.
 */
export function parsePagerDuty(body: unknown, headers: PagerDutyHeaders = {}): AlertDelivery {
  const { event } = validate(pagerDutySchema, body, 'PagerDuty v3 webhook');
  const ids = [headers.webhookId ? `X-Webhook-Id ${headers.webhookId}` : null, `event ${event.id}`];
  const actor = event.agent?.summary ?? (headers.subscription ? `subscription ${headers.subscription}` : 'pagerduty');
  const base = { source: 'pagerduty' as const, dedupeKey: event.id, actor };
  const status = PAGERDUTY_EVENTS[event.event_type];
  if (!status) {
    return { ...base, ref: ids.filter(Boolean).join(', '), alerts: [], ignoredBecause: `${event.event_type} event` };
  }
  const incident = validate(incidentEventSchema, body, `PagerDuty ${event.event_type} webhook`).event.data;
  const started = incident.created_at ?? event.occurred_at;
  const title = incident.title ?? '(no title)';
  return {
    ...base,
    ref: [...ids, `incident ${incident.number !== undefined ? `#${incident.number} ` : ''}${incident.id}`]
      .filter(Boolean)
      .join(', '),
    alerts: [
      {
        status,
        labels: incidentLabels(incident),
        fingerprint: incident.id,
        startsAt: new Date(Date.parse(started)).toISOString(),
        summary: `PagerDuty incident ${incident.number !== undefined ? `#${incident.number}` : incident.id}: ${title}`,
      },
    ],
  };
}

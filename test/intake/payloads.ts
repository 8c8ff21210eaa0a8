/**
 * Real sender payloads (test/intake/fixtures) and builders that retarget them at a test's own pair.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

type Json = Record<string, unknown>;

/** A fixture, parsed afresh (tests may change it). */
export function fixture<T = Json>(name: string): T {
  return JSON.parse(readFileSync(path.join(__dirname, 'fixtures', name), 'utf8')) as T;
}

/** The raw bytes of a fixture (signatures are over bytes). */
export function fixtureText(name: string): string {
  return readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
}

export interface AlertOptions {
  labels: Record<string, string>;
  status?: 'firing' | 'resolved';
  groupKey?: string;
  fingerprint?: string;
  startsAt?: string;
  /** The sending member's `--web.external-url` (HA pairs differ only in this). */
  externalURL?: string;
}

/** The real Alertmanager v4 notification with one alert carrying `labels`. */
export function alertmanagerPayload(o: AlertOptions): Json {
  const body = fixture<Json & { alerts: Json[] }>('alertmanager-v4-firing.json');
  const status = o.status ?? 'firing';
  const alert = body.alerts[0] as Json;
  Object.assign(alert, {
    status,
    labels: { alertname: 'DwsClusterUnavailable', severity: 'critical', ...o.labels },
    startsAt: o.startsAt ?? alert.startsAt,
    fingerprint: o.fingerprint ?? alert.fingerprint,
    ...(status === 'resolved' ? { endsAt: new Date().toISOString() } : {}),
  });
  return {
    ...body,
    status,
    commonLabels: alert.labels,
    groupKey: o.groupKey ?? body.groupKey,
    ...(o.externalURL ? { externalURL: o.externalURL } : {}),
    notification_reason: status === 'resolved' ? 'all alerts resolved' : 'first notification',
  };
}

export interface IncidentOptions {
  eventId?: string;
  incidentId?: string;
  serviceId?: string;
  title?: string;
  eventType?: string;
}

/** The real PagerDuty v3 `incident.triggered` event, retargeted. */
export function pagerdutyPayload(o: IncidentOptions = {}): Json {
  const body = fixture<{ event: Json & { data: Json & { service: Json } } }>('pagerduty-incident-triggered.json');
  const { event } = body;
  if (o.eventId) event.id = o.eventId;
  if (o.eventType) event.event_type = o.eventType;
  if (o.incidentId) event.data.id = o.incidentId;
  if (o.title) event.data.title = o.title;
  if (o.serviceId) event.data.service.id = o.serviceId;
  return body as unknown as Json;
}

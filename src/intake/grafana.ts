/**
 * Grafana Alerting webhook contact point (`POST /v1/alerts/grafana`): Alertmanager's group shape plus Grafana's own
 * fields (`orgId`, per-alert `values`, `silenceURL`, `dashboardURL`, `panelURL`, `imageURL`, deprecated `title`,
 * `state`, `message`). They are accepted and ignored; mapping reads the labels, dedupe the groupKey and fingerprints.
 */
import { z } from 'zod';
import type { AlertDelivery } from './alert';
import { alertGroupSchema, alertSchema, groupToDelivery } from './alertmanager';
import { validate } from './http';

const grafanaAlertSchema = alertSchema.extend({
  values: z.record(z.string(), z.unknown()).nullable().optional(),
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  imageURL: z.string().optional(),
});

/** Grafana's notification. */
export const grafanaSchema = alertGroupSchema.extend({
  orgId: z.number().optional(),
  title: z.string().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
  alerts: z.array(grafanaAlertSchema).min(1, 'must hold at least one alert'),
});

/**
 * Parses a Grafana webhook body.
 * @throws HttpError 400 naming the bad field.
 */
export function parseGrafana(body: unknown): AlertDelivery {
  return groupToDelivery(validate(grafanaSchema, body, 'Grafana alerting webhook'), 'grafana');
}

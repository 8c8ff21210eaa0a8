/**
 * Limits on what one alert delivery may hold, checked once it is parsed and before any alert is mapped or recorded.
 * The body limit bounds bytes; these bound the shapes that make mapping, answers and logs expensive: thousands of
 * alerts, hundreds of labels, label values of hundreds of kilobytes. Each refusal names the first offending alert
 * (and label), the limit and the setting that raises it.
 */
import { formatPath } from '../inventory/issues';
import { clip } from '../shared/quote';
import type { AlertDelivery } from './alert';
import { HttpError } from './http';

/** The limits, as `config.intake` holds them. */
export interface DeliveryLimits {
  /** Alerts per delivery (`DWS_FAILOVER_INTAKE_MAX_ALERTS`). */
  maxAlerts: number;
  /** Labels per alert (`DWS_FAILOVER_INTAKE_MAX_LABELS`). */
  maxLabels: number;
  /** UTF-8 bytes of one label name or value (`DWS_FAILOVER_INTAKE_MAX_LABEL_BYTES`). */
  maxLabelBytes: number;
}

function labelTooLarge(where: string, what: 'name' | 'value', bytes: number, limit: number): HttpError {
  return new HttpError(
    422,
    'label_too_large',
    `${where}: the label ${what} is ${bytes} bytes, more than ${limit} (DWS_FAILOVER_INTAKE_MAX_LABEL_BYTES); ` +
      'shorten it in the alert rule or raise the setting.',
    { limit_bytes: limit, setting: 'DWS_FAILOVER_INTAKE_MAX_LABEL_BYTES' }
  );
}

/**
 * Refuses a delivery over one of the limits.
 * @throws HttpError 413 `too_many_alerts`; 422 `too_many_labels` or `label_too_large` naming the alert and label.
 */
export function checkDeliveryLimits(delivery: AlertDelivery, limits: DeliveryLimits): void {
  const { alerts } = delivery;
  if (alerts.length > limits.maxAlerts) {
    throw new HttpError(
      413,
      'too_many_alerts',
      `The delivery holds ${alerts.length} alerts, more than ${limits.maxAlerts} (DWS_FAILOVER_INTAKE_MAX_ALERTS); ` +
        'send fewer per notification (Alertmanager max_alerts, Grafana maxAlerts) or raise the setting.',
      { limit: limits.maxAlerts, setting: 'DWS_FAILOVER_INTAKE_MAX_ALERTS' }
    );
  }
  for (const [i, alert] of alerts.entries()) {
    const names = Object.keys(alert.labels);
    if (names.length > limits.maxLabels) {
      throw new HttpError(
        422,
        'too_many_labels',
        `alerts[${i}].labels: ${names.length} labels, more than ${limits.maxLabels} ` +
          '(DWS_FAILOVER_INTAKE_MAX_LABELS); drop labels from the alert rule or raise the setting.',
        { limit: limits.maxLabels, setting: 'DWS_FAILOVER_INTAKE_MAX_LABELS' }
      );
    }
    for (const name of names) {
      const where = (): string => formatPath(['alerts', i, 'labels', clip(name)]);
      const nameBytes = Buffer.byteLength(name);
      if (nameBytes > limits.maxLabelBytes) throw labelTooLarge(where(), 'name', nameBytes, limits.maxLabelBytes);
      const valueBytes = Buffer.byteLength(alert.labels[name] ?? '');
      if (valueBytes > limits.maxLabelBytes) throw labelTooLarge(where(), 'value', valueBytes, limits.maxLabelBytes);
    }
  }
}

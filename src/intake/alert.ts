/**
 * What every source format becomes: one delivery with its alerts, in the intake's own terms. The source parsers
 * (alertmanager.ts, grafana.ts, pagerduty.ts) produce it; mapping and dispatch never see a sender's format.
 */
import type { TriggerSource } from '../shared/operation-model';

/** One alert as the intake understands it. */
export interface NormalizedAlert {
  status: 'firing' | 'resolved';
  /** The labels the mapping reads (PagerDuty's are derived from the incident: see pagerduty.ts). */
  labels: Readonly<Record<string, string>>;
  /** The sender's id of this alert: Alertmanager/Grafana `fingerprint`, PagerDuty incident id. */
  fingerprint: string;
  /** When the sender says the problem began (ISO 8601); RTO is measured from the earliest one. */
  startsAt: string | null;
  /** One line for the reason: alertname and summary, or the incident title. */
  summary: string;
}

/** One HTTP delivery from an alerting system. */
export interface AlertDelivery {
  source: Extract<TriggerSource, 'alertmanager' | 'grafana' | 'pagerduty'>;
  /**
   * The sender's key for this notification, the same on every redelivery of it: Alertmanager/Grafana `groupKey`,
   * PagerDuty event id. Trigger ids are derived from it, so duplicates are counted, not stored twice.
   */
  dedupeKey: string;
  /** The sender's ids for people (groupKey, X-Webhook-Id…), kept in the evidence. */
  ref: string;
  /** Who sent it: receiver name, PagerDuty subscription or agent. */
  actor: string;
  alerts: NormalizedAlert[];
  /** Set when the delivery carries nothing to act on (e.g. a PagerDuty `incident.acknowledged`). */
  ignoredBecause?: string;
}

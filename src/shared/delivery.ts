/**
 * An alert delivery that covers several DR pairs, as one durable record: the intake starts one delivery workflow
 * with this input, and the workflow fans out to the pairs' failover workflows. The record keeps what is common to
 * the delivery once and, per pair, only its own parts; `pairTrigger` and `pairReason` rebuild exactly the trigger and
 * the reason the intake would have given a pair directly, so both paths record the same evidence. Sandbox-safe.
 */
import type { Trigger, TriggerSource } from './operation-model';

/** Longest `ref` kept in the evidence (the workflow's state and history stay small). */
export const MAX_TRIGGER_REF = 400;
/** Longest reason kept in a run's input. */
export const MAX_REASON = 500;

/** What one pair's alerts in a delivery say. */
export interface DeliveryPair {
  projectId: string;
  drId: string;
  /** The inventory's name of the pair; absent when the inventory does not list it (then `project/dr`). */
  name?: string;
  status: 'firing' | 'resolved';
  /** The trigger id (source + sender's key + pair + status + alerts: see src/intake/trigger.ts). */
  triggerId: string;
  /** The alerts' fingerprints, comma-separated, for the evidence's `ref`. */
  fingerprints: string;
  /** The alerts' distinct summaries, `; `-separated, for the run's reason. */
  summary: string;
  /** The cluster the alerts name as failed, when they name exactly one. */
  failedClusterId?: string;
  /** The earliest `startsAt` of the pair's alerts. */
  incidentStartedAt?: string;
}

/** What the delivery shares: who sent it, when, and its reference for people. */
export interface DeliveryHeader {
  source: Extract<TriggerSource, 'alertmanager' | 'grafana' | 'pagerduty'>;
  /** The sender's ids for people (groupKey, X-Webhook-Id…). */
  ref: string;
  actor: string;
  /** When the intake received it (ISO 8601). */
  receivedAt: string;
}

/** The delivery workflow's input. */
export interface DeliveryInput extends DeliveryHeader {
  /** `{source}-{32 hex}`: the same for every redelivery of this notification. */
  deliveryId: string;
  pairs: DeliveryPair[];
  /** Alerts of the delivery that map to no pair (answered to the sender; not acted on). */
  unmapped: number;
}

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** The pair's name for people: the inventory's, else `project/dr`. */
export const pairName = (pair: Pick<DeliveryPair, 'projectId' | 'drId' | 'name'>): string =>
  pair.name ?? `${pair.projectId}/${pair.drId}`;

/** The trigger a pair's failover records for this delivery. */
export function pairTrigger(header: DeliveryHeader, pair: DeliveryPair): Trigger {
  return {
    id: pair.triggerId,
    source: header.source,
    ref: clip(`${header.ref}; fingerprints ${pair.fingerprints}`, MAX_TRIGGER_REF),
    receivedAt: header.receivedAt,
    actor: clip(header.actor, 200),
    status: pair.status,
    ...(pair.incidentStartedAt ? { incidentStartedAt: pair.incidentStartedAt } : {}),
  };
}

/** The reason kept in the pair's report: what fired, for which pair. */
export function pairReason(header: Pick<DeliveryHeader, 'source'>, pair: DeliveryPair): string {
  return clip(`${header.source} ${pair.status} for ${pairName(pair)}: ${pair.summary}`, MAX_REASON);
}

/** What the intake or the delivery workflow did for one pair. */
export type PairAction = 'started' | 'joined' | 'recorded' | 'cancelled' | 'no-running-failover';

/** One pair's dispatch: the run it applied to, or why it could not be done. */
export interface PairDispatch {
  workflowId: string;
  runId: string | null;
  action: PairAction;
}

/** One pair's line in the delivery's record. */
export interface DeliveryPairView {
  pair: string;
  project_id: string;
  disaster_recovery_id: string;
  status: 'firing' | 'resolved';
  trigger_id: string;
  workflow_id: string;
  /** Null until dispatched, or when no failover ran for a resolved alert. */
  run_id: string | null;
  action: PairAction | 'pending';
}

/** The delivery workflow's record, as `GET /v1/deliveries/{id}` shows it. */
export interface DeliveryView {
  delivery_id: string;
  source: DeliveryHeader['source'];
  ref: string;
  received_at: string;
  /** `dispatching` until every pair has its workflow, then `dispatched`. */
  phase: 'dispatching' | 'dispatched';
  dispatched_at: string | null;
  pairs: number;
  firing: number;
  resolved: number;
  unmapped: number;
  /** How many pairs are done, and what was done for them. */
  dispatched: number;
  actions: Partial<Record<PairAction, number>>;
  /** Later arrivals of the same notification, joined to this record. */
  repeats: number;
  /**
   * Every distinct sender of this notification, first the one whose copy was fanned out (each member of an HA
   * Alertmanager pair that sent it). The pairs' evidence names that first sender; at most `MAX_SENDERS`.
   */
  senders: string[];
  /** The pairs from `offset`, at most `limit` (see the query's arguments). */
  offset: number;
  workflows: DeliveryPairView[];
}

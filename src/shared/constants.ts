/**
 * Names other tools rely on: task queue, workflow ids, search attributes. Sandbox-safe.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Task queue of the worker unless `DWS_FAILOVER_TASK_QUEUE` says otherwise. */
export const DEFAULT_TASK_QUEUE = 'dws-failover';

/** Business-key workflow ids (DESIGN §3): one mutating workflow of each kind per DR pair. */
export const workflowIds = {
  failover: (projectId: string, drId: string): string => `dws-failover:${projectId}:${drId}`,
  drill: (projectId: string, drId: string): string => `dws-drill:${projectId}:${drId}`,
  switchover: (projectId: string, drId: string): string => `dws-switchover:${projectId}:${drId}`,
  recovery: (projectId: string, drId: string): string => `dws-recovery:${projectId}:${drId}`,
  /** The pair's lock: held by the one operation that may send a request to DWS for it (src/workflows/pair-lock.ts). */
  pairLock: (projectId: string, drId: string): string => `dws-lock:${projectId}:${drId}`,
  /** The record of an alert delivery that covers several pairs (src/workflows/deliveries/delivery.ts). */
  delivery: (deliveryId: string): string => `dws-delivery:${deliveryId}`,
  /** The intake's replay guard of one signed request (src/workflows/deliveries/signature-guard.ts): 160 bits of the HMAC. */
  signatureGuard: (signature: string): string => `dws-failover-signature:${signature.slice(0, 40)}`,
};

/** Schedule id and workflow id (scheduled runs add a timestamp) of the readiness check of every pair. */
export const READINESS_WORKFLOW_ID = 'dws-readiness';

/** The DR id of a workflow, so operators can list everything that touched one pair. */
export const DR_ID = defineSearchAttributeKey('DrId', SearchAttributeType.KEYWORD);
/** The current phase of a failover (`prechecks`, `requesting`, `polling`, …). */
export const FAILOVER_PHASE = defineSearchAttributeKey('FailoverPhase', SearchAttributeType.KEYWORD);
/** The outcome once a failover ended; used for the cooldown and for dashboards. */
export const FAILOVER_OUTCOME = defineSearchAttributeKey('FailoverOutcome', SearchAttributeType.KEYWORD);

/** Every custom search attribute this project uses; the worker and the dev server register them. */
export const SEARCH_ATTRIBUTES = [DR_ID, FAILOVER_PHASE, FAILOVER_OUTCOME] as const;

/** Evidence entries kept per workflow; further distinct triggers are only counted (bounded history/state). */
export const MAX_EVIDENCE_ENTRIES = 50;
/** Distinct senders kept per evidence entry (an HA Alertmanager cluster has 2–3 members). */
export const MAX_SENDERS = 10;

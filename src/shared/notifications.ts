/**
 * What a notification says. Built in the workflow (no secrets: targets are resolved by the worker from the
 * inventory). Sandbox-safe.
 */
import type { DrOperation, Outcome } from './types';

export type NotificationKind =
  'started' | 'awaiting-approval' | 'approved' | 'rejected' | 'request-sent' | 'completed' | 'failed' | 'timed-out';

export interface NotificationEvent {
  kind: NotificationKind;
  /** A short headline, e.g. "Failover waiting for approval". */
  title: string;
  summary: string;
  operation: DrOperation;
  workflowId: string;
  projectId: string;
  drId: string;
  pair: string;
  at: string;
  outcome: Outcome | null;
  dataLossWindowSeconds: number | null;
  actor: string | null;
  comment: string | null;
}

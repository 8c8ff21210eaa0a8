/**
 * What a notification says. Built in the workflow (no secrets: targets are resolved by the worker from the
 * inventory). Sandbox-safe.
 */
import {
  breakGlassBanner,
  breakGlassUses,
  describeCanceller,
  describeDecider,
  describeStarter,
  hasVerifiedDecisions,
} from './decision-record';
import { describeIdentity } from './identity';
import type { ApprovalState, DrOperation, OperationState, Outcome } from './operation-model';

export type NotificationKind =
  'started' | 'awaiting-approval' | 'approved' | 'rejected' | 'request-sent' | 'completed' | 'failed' | 'timed-out';

/** One person whose decision a notification reports, and how they were verified. */
export interface NotificationDecider {
  decision: 'approved' | 'rejected' | 'cancelled';
  /** `describeIdentity`: `alice (own key)`, `bob (OIDC <issuer> · <subject>, via intake)`, a Temporal cancel… */
  who: string;
  comment: string;
  at: string | null;
}

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
  // The fields below come from {@link decisionFields}; runs without verified decisions have none of them.
  /** How the person who made this decision was verified (the last approver, the rejecter, who cancelled). */
  verification?: string;
  /** Everyone whose decision this notification reports, each with how they were verified (two on a critical pair). */
  deciders?: NotificationDecider[];
  /** Who started the run as verified, or `unsigned start from <source> (<actor>)`. */
  startedBy?: string;
  /** A sealed break-glass key decided something in this run, now or before: every later notification says so. */
  breakGlass?: boolean;
  /** The banner of each break-glass decision so far (`BREAK-GLASS: the approval by erin was decided with …`). */
  breakGlassNotices?: string[];
}

/** The fields {@link decisionFields} adds to an event. */
export type DecisionFields = Pick<
  NotificationEvent,
  'verification' | 'deciders' | 'startedBy' | 'breakGlass' | 'breakGlassNotices'
>;

/**
 * Who decided and how they were verified, for the event the notifier builds from the run's `state` (and the gate's
 * `approval`, when it passes one): each approver of an `approved`, the rejecter of a `rejected`, who cancelled a
 * cancelled run, the verified starter, and whether a break-glass key decided anything so far. Empty for a run that
 * does not record verified decisions, so its notifications read as they always did. Pure.
 */
export function decisionFields(
  state: OperationState,
  kind: NotificationKind,
  approval?: ApprovalState
): DecisionFields {
  const gate = approval ?? state.approval ?? null;
  const s = { ...state, approval: gate };
  if (!hasVerifiedDecisions(s)) return {};
  const uses = breakGlassUses(s);
  const fields: DecisionFields = { breakGlass: uses.length > 0 };
  if (uses.length > 0) fields.breakGlassNotices = uses.map(breakGlassBanner);
  const starter = describeStarter(s);
  if (starter !== null) fields.startedBy = starter;
  if (kind === 'approved' && gate) {
    const records = gate.approvals ?? [];
    fields.deciders =
      records.length > 0
        ? records.map((r) => ({
            decision: 'approved',
            who: describeIdentity(r.identity),
            comment: r.comment,
            at: r.at,
          }))
        : [
            {
              decision: 'approved',
              who: describeDecider(gate) ?? 'unknown',
              comment: gate.comment ?? '',
              at: gate.decidedAt,
            },
          ];
    if (gate.identity) fields.verification = describeIdentity(gate.identity);
  } else if (kind === 'rejected' && gate) {
    const who = describeDecider(gate) ?? 'unknown';
    fields.deciders = [{ decision: 'rejected', who, comment: gate.comment ?? '', at: gate.decidedAt }];
    if (gate.identity) fields.verification = describeIdentity(gate.identity);
  } else if (state.outcome === 'cancelled' && state.cancellation) {
    const c = state.cancellation;
    const who = describeCanceller(c);
    fields.deciders = [{ decision: 'cancelled', who, comment: c.comment, at: c.at }];
    fields.verification = who;
  }
  return fields;
}

/**
 * The statements a person's key signs, built in one place for the CLI, the demo and the tests: a decision about one
 * run (approve, reject, cancel) and a manual start. The workflow checks them with `verifyProof`
 * (src/shared/identity.ts).
 */
import type { DecisionProof } from '../shared/identity';
import { signStatement, type SigningKey } from './keys';

export interface DecisionToSign {
  action: 'approve' | 'reject' | 'cancel';
  workflowId: string;
  /** The run decided about (a description's `runId`). */
  runId: string;
  comment: string;
  /** approve: the gate's evidence digest (`state.approval.digest`) the approver saw; null otherwise. */
  digest?: string | null;
  /** A break-glass key only: the person using it (any other key signs as its owner). */
  actor?: string;
}

/**
 * Signs a decision as the key's owner (a person's key signs only for its own name).
 * @param now when it is signed; the workflow accepts it for STATEMENT_LIFETIME_SECONDS around that.
 */
export function signDecision(key: SigningKey, d: DecisionToSign, now: Date = new Date()): DecisionProof {
  return signStatement(key, {
    v: 1,
    action: d.action,
    workflowId: d.workflowId,
    runId: d.runId,
    actor: key.kind === 'break-glass' && d.actor !== undefined ? d.actor : key.name,
    comment: d.comment,
    digest: d.action === 'approve' ? (d.digest ?? null) : null,
    signedAt: now.toISOString(),
    attested: null,
  });
}

/**
 * Signs a manual start: the run does not exist yet (runId null); the statement's actor is the trigger's actor (the
 * key's name) and its comment the run's reason, so the proof cannot be moved to another pair, operation or reason.
 */
export function signStart(
  key: SigningKey,
  start: { workflowId: string; reason: string },
  now: Date = new Date()
): DecisionProof {
  return signStatement(key, {
    v: 1,
    action: 'start',
    workflowId: start.workflowId,
    runId: null,
    actor: key.name,
    comment: start.reason,
    digest: null,
    signedAt: now.toISOString(),
    attested: null,
  });
}

/**
 * The statements a key signs, built in one place: a decision about one run (approve, reject, cancel) and a manual
 * start. A person's key signs them here (the CLI, the demo, the tests); a service's key signs the same statements
 * with how it verified the person (attest.ts). The workflow checks them with `verifyProof` (src/shared/identity.ts).
 */
import type { DecisionProof, DecisionStatement } from '../shared/identity';
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

/** Who a statement names and, for a service's key, how the service verified them (null: the key's owner). */
export interface StatementSigner {
  actor: string;
  attested: DecisionStatement['attested'];
}

/** The statement of a decision about one run, signed at `now`: the digest only in an approval. */
export function decisionStatement(
  d: Omit<DecisionToSign, 'actor'>,
  signer: StatementSigner,
  now: Date
): DecisionStatement {
  return {
    v: 1,
    action: d.action,
    workflowId: d.workflowId,
    runId: d.runId,
    actor: signer.actor,
    comment: d.comment,
    digest: d.action === 'approve' ? (d.digest ?? null) : null,
    signedAt: now.toISOString(),
    attested: signer.attested,
  };
}

/**
 * The statement of a manual start, signed at `now`: the run does not exist yet (runId null) and its comment is the
 * run's reason, so the proof cannot be moved to another pair, operation or reason.
 */
export function startStatement(
  start: { workflowId: string; reason: string },
  signer: StatementSigner,
  now: Date
): DecisionStatement {
  return {
    v: 1,
    action: 'start',
    workflowId: start.workflowId,
    runId: null,
    actor: signer.actor,
    comment: start.reason,
    digest: null,
    signedAt: now.toISOString(),
    attested: signer.attested,
  };
}

/**
 * Signs a decision as the key's owner (a person's key signs only for its own name).
 * @param now when it is signed; the workflow accepts it for STATEMENT_LIFETIME_SECONDS around that.
 */
export function signDecision(key: SigningKey, d: DecisionToSign, now: Date = new Date()): DecisionProof {
  const actor = key.kind === 'break-glass' && d.actor !== undefined ? d.actor : key.name;
  return signStatement(key, decisionStatement(d, { actor, attested: null }, now));
}

/** Signs a manual start ({@link startStatement}); the statement's actor is the trigger's actor, the key's name. */
export function signStart(
  key: SigningKey,
  start: { workflowId: string; reason: string },
  now: Date = new Date()
): DecisionProof {
  return signStatement(key, startStatement(start, { actor: key.name, attested: null }, now));
}

/**
 * What a service signs when it verified the decider itself: the intake, after an OIDC token or a named token, or for
 * a resolved alert's cancel. The statement is signed with the service's own key (a `service` line in the worker's
 * DWS_FAILOVER_APPROVER_KEYS) and says how the actor was verified (`attested`), so the workflow's validators accept it
 * from that key alone and the report names the person, the method and what the service saw.
 */
import type { DecisionAction, DecisionProof } from '../shared/identity';
import type { DecisionInput, Trigger } from '../shared/operation-model';
import { signStatement, type SigningKey } from './keys';
import { decisionStatement, startStatement, type StatementSigner } from './statements';

/** A person the intake verified: who (the identity), how, and what it saw (`<issuer> · <sub>`, the token's name). */
export interface VerifiedPerson {
  actor: string;
  method: 'oidc' | 'token';
  detail: string;
}

/** The decision a person makes about one run. */
export interface PersonDecision {
  action: Exclude<DecisionAction, 'start'>;
  workflowId: string;
  runId: string;
  comment: string;
  /** approve: the evidence digest the approver saw; null for reject and cancel. */
  digest: string | null;
}

/** `attested.detail` is free text from outside (an issuer, a subject, a sender): bounded so a statement stays small. */
const MAX_DETAIL = 600;
const bounded = (text: string): string => (text.length <= MAX_DETAIL ? text : `${text.slice(0, MAX_DETAIL - 1)}…`);

/** A verified person as a statement names them: the actor, and how the intake verified them. */
const attestedPerson = (person: VerifiedPerson): StatementSigner => ({
  actor: person.actor,
  attested: { method: person.method, detail: bounded(person.detail) },
});

/**
 * The update arguments of a verified person's approve, reject or cancel: `{ actor, comment, via, proof }`, the proof
 * signed by `key` at `now` and attesting how the person was verified.
 */
export function attestedDecision(
  key: SigningKey,
  person: VerifiedPerson,
  decision: PersonDecision,
  now: Date
): DecisionInput & { proof: DecisionProof } {
  const statement = decisionStatement(decision, attestedPerson(person), now);
  return {
    actor: person.actor,
    comment: decision.comment,
    via: `api (${person.method})`,
    proof: signStatement(key, statement),
  };
}

/**
 * The proof of a verified person's manual start of `workflowId`: action `start`, no run yet, the start's reason as
 * the comment (what the starter said and signed), the person as the actor (the start's `trigger.actor`).
 */
export function attestedStart(
  key: SigningKey,
  person: VerifiedPerson,
  start: { workflowId: string; reason: string },
  now: Date
): DecisionProof {
  return signStatement(key, startStatement(start, attestedPerson(person), now));
}

/**
 * The cancel update arguments of a resolved alert (`onlyBeforeRequest`): the alert's sender as the actor, signed by
 * `key` (attested `alert`, detail: the sender and its reference) when there is one, unsigned otherwise (a worker that
 * verifies decisions refuses it; the caller says so once).
 */
export function resolvedAlertCancel(
  key: SigningKey | null,
  trigger: Pick<Trigger, 'source' | 'actor' | 'ref'>,
  run: { workflowId: string; runId: string },
  now: Date
): DecisionInput {
  const actor = `${trigger.source} (${trigger.actor})`;
  const comment = `alert resolved (${trigger.ref})`;
  const input: DecisionInput = { actor, comment, via: trigger.source, onlyBeforeRequest: true };
  if (!key) return input;
  const attested = { method: 'alert' as const, detail: bounded(`${trigger.actor} · ${trigger.ref}`) };
  const proof = signStatement(key, decisionStatement({ action: 'cancel', ...run, comment }, { actor, attested }, now));
  return { ...input, proof };
}

/**
 * Verified decisions in a run (docs/decisions.md): the worker's approver keys and the pair's access rules, loaded
 * once when the run starts; the checks the approve, reject and cancel validators make; and the gate's approvals,
 * which are about an evidence digest and are voided when the facts change before the request.
 *
 * Validators are not run on replay; handlers are. So a validator checks everything (signature, freshness, access,
 * four eyes, digest), and the handler only records, deriving the identity without the clock.
 */
import { log, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { innermostMessage } from '../../shared/failure-message';
import {
  allowed,
  checkAccess,
  identityFrom,
  DecisionRefused,
  evidenceDigest,
  evidenceFacts,
  factChanges,
  OPEN_ACCESS,
  verifyProof,
  type DecisionAction,
  type DecisionProof,
  type DecisionRules,
  type EvidenceFacts,
  type VerifiedIdentity,
} from '../../shared/identity';
import type { OperationPolicy } from '../../shared/policy';
import type {
  ApprovalRecord,
  DecisionInput,
  OperationState,
  PrecheckResult,
  TriggerSource,
} from '../../shared/operation-model';
import { RETRY } from '../retry-profiles';

/** Runs that start on this version verify every decision and manual start (docs/decisions.md). */
export const VERIFIED_DECISIONS_PATCH = 'verified-decisions';

const local = proxyLocalActivities<Pick<Activities, 'decisionRules'>>({
  startToCloseTimeout: '5s',
  retry: RETRY.workerSettings,
});

/** What the worker says about a run's decisions: its rules, and whether the run's signed start verifies. */
export type RunDecisionRules = DecisionRules & { start?: StartVerdict };

/** The start's signature as the worker checked it: who signed, or why it does not hold. */
export type StartVerdict = { identity: VerifiedIdentity } | { refused: string };

/**
 * The worker's rules for this pair, and its check of the run's signed start (done in the activity so the verdict is
 * in the run's history: a replay needs neither the clock nor the run's ids to agree). If the worker cannot say, no
 * key is trusted: every decision is refused (the gate then denies by default at its deadline), which fails closed.
 */
export async function loadDecisionRules(
  projectId: string,
  drId: string,
  start: { proof: DecisionProof; actor: string; reason: string } | null
): Promise<RunDecisionRules> {
  try {
    return await local.decisionRules({
      projectId,
      drId,
      ...(start
        ? {
            start: {
              ...start,
              workflowId: workflowInfo().workflowId,
              startedAtMs: workflowInfo().runStartTime.getTime(),
            },
          }
        : {}),
    });
  } catch (err) {
    log.warn('The decision rules could not be read; every decision will be refused', { error: innermostMessage(err) });
    const keysSource = `the worker could not say (${innermostMessage(err)})`;
    return {
      keys: [],
      access: OPEN_ACCESS,
      keysSource,
      ...(start ? { start: { refused: `the start's signature could not be checked: ${keysSource}` } } : {}),
    };
  }
}

/** Trigger sources of a person's start (the others are alerts and schedules). */
const MANUAL_SOURCES: ReadonlySet<TriggerSource> = new Set(['cli', 'api']);

/**
 * Whether the run may start: a signed start must verify; with start rules (`access.start`), a manual start must be
 * signed by someone they allow. Alert starts stay unsigned: an alert may start a run, never decide one.
 * @returns the verified starter (null when unsigned), or why the start is refused.
 */
export function verifyStart(
  state: OperationState,
  rules: RunDecisionRules,
  drillLeg: boolean
): { startedBy: VerifiedIdentity | null } | { refused: string } {
  if (drillLeg) return { startedBy: null };
  if (rules.start) {
    if ('refused' in rules.start) return { refused: `the signed start does not hold: ${rules.start.refused}` };
    const startedBy = rules.start.identity;
    try {
      // An alert may start a run whoever the pair lets start one by hand (it still faces the checks and the gate).
      if (startedBy.method !== 'alert') checkAccess(rules, 'start', startedBy);
    } catch (err) {
      return { refused: `the signed start does not hold: ${(err as Error).message}` };
    }
    return { startedBy };
  }
  if (rules.access.start !== null && MANUAL_SOURCES.has(state.trigger.source)) {
    return {
      refused: `an unsigned ${state.trigger.source} start by ${JSON.stringify(state.trigger.actor)}: this pair names who may start it (rule ${rules.access.source.start ?? 'access.start'}), so a manual start must be signed (dws-failover signs with your key)`,
    };
  }
  return { startedBy: null };
}

/**
 * Whether `force` (an approval given up front) holds: only from a verified starter who may approve, and never on a
 * pair with four eyes. @returns null when it holds, else why it is ignored.
 */
export function forceRefusal(state: OperationState, rules: DecisionRules): string | null {
  const who = state.startedBy;
  if (!who) return 'force is an approval given up front, and this start was not signed';
  if (rules.access.fourEyes) {
    return `four eyes on this pair (rule ${rules.access.source.fourEyes ?? 'access.four_eyes'}): the person who starts a run cannot approve it, so force does not skip the gate`;
  }
  if (who.method !== 'break-glass' && !allowed(rules.access.approve, who.actor)) {
    return `${who.actor} may not approve on this pair (rule ${rules.access.source.approve ?? 'access.approve'})`;
  }
  return null;
}

const same = (a: string | null | undefined, b: string | null | undefined): boolean =>
  a != null && b != null && a.toLowerCase() === b.toLowerCase();

/** The proof's identity, checked in full (the validators: signature, freshness, access). */
function verified(action: DecisionAction, d: DecisionInput, rules: DecisionRules, now: number): VerifiedIdentity {
  return verifyProof(
    d.proof,
    {
      action,
      workflowId: workflowInfo().workflowId,
      runId: workflowInfo().runId,
      actor: d.actor.trim(),
      comment: d.comment.trim(),
      now,
    },
    rules
  );
}

/** A drill deciding for its own leg (its pre-approval, its cancel before the request): no key, its parent run. */
export function drillIdentity(actor: string): VerifiedIdentity {
  return { actor: actor.trim(), method: 'drill', keyId: null, detail: null, signedAt: null };
}

/**
 * The identity of a decision its validator accepted (the handlers, also on replay): the same check at the time it
 * was signed, so it does not depend on the clock. A drill's unsigned cancel of its own leg is the drill's.
 */
export function identityOf(d: DecisionInput, rules: DecisionRules): VerifiedIdentity {
  if (!d.proof) return drillIdentity(d.actor);
  // Its validator verified it; on replay (no validators) the ids and clock may differ, so nothing is checked here.
  const kind = rules.keys.find((k) => k.name === d.proof?.keyId)?.kind ?? 'person';
  return identityFrom(d.proof, kind);
}

/** The approve validator's checks beyond the gate's phase. @throws DecisionRefused naming the rule. */
export function checkApproval(d: DecisionInput, state: OperationState, rules: DecisionRules): void {
  const who = verified('approve', d, rules, Date.now());
  refuseAlertSender(who, 'approve');
  checkAccess(rules, 'approve', who);
  const gate = state.approval;
  if (!gate) throw new DecisionRefused('no approval pending');
  if (rules.access.fourEyes && who.method !== 'break-glass') {
    const starter = state.startedBy?.actor ?? (MANUAL_SOURCES.has(state.trigger.source) ? state.trigger.actor : null);
    if (same(starter, who.actor)) {
      throw new DecisionRefused(
        `four eyes (rule ${rules.access.source.fourEyes ?? 'access.four_eyes'}): ${who.actor} started this run and cannot approve it; another approver must`
      );
    }
  }
  const earlier = (gate.approvals ?? []).find((a) => same(a.actor, who.actor));
  if (earlier) {
    throw new DecisionRefused(
      `${who.actor} already approved at ${earlier.at}; this pair needs ${gate.required ?? 1} distinct approvers (rule ${rules.access.source.approvers ?? 'critical'})`
    );
  }
  const digest = d.proof?.statement.digest ?? null;
  if (digest !== gate.digest) {
    throw new DecisionRefused(
      `the approval is about ${digest ?? 'no digest'}, but the gate shows ${gate.digest}: the facts changed since it was signed. Look again (dws-failover status) and approve what the gate shows now`
    );
  }
}

/** The reject validator's checks: a verified person who may approve. */
export function checkRejection(d: DecisionInput, rules: DecisionRules): void {
  const who = verified('reject', d, rules, Date.now());
  refuseAlertSender(who, 'reject');
  checkAccess(rules, 'approve', who);
}

/** An alert may start a run and, once resolved, cancel it before its request; it never approves or rejects. */
function refuseAlertSender(who: VerifiedIdentity, action: 'approve' | 'reject'): void {
  if (who.method === 'alert') {
    throw new DecisionRefused(
      `an alert sender (${who.actor}, attested by ${who.keyId}) cannot ${action}: a person must`
    );
  }
}

/**
 * The cancel validator's checks: a verified person who may cancel, or a drill cancelling its own leg before its
 * request (the drill is the run's parent; it sends no signature).
 */
export function checkCancel(d: DecisionInput, rules: DecisionRules, drillLeg: boolean): void {
  if (!d.proof && drillLeg && d.via === 'drill' && d.onlyBeforeRequest === true) return;
  const who = verified('cancel', d, rules, Date.now());
  // A resolved alert withdraws what alerts started, before the request only; the pair's policy decides whether
  // resolved alerts cancel at all (the intake asks it), not the people's cancel list.
  if (who.method === 'alert') {
    if (d.onlyBeforeRequest !== true) {
      throw new DecisionRefused(`an alert sender (${who.actor}) may cancel only before the request (a resolved alert)`);
    }
    return;
  }
  checkAccess(rules, 'cancel', who);
}

/** The facts a read of the pair shows an approver (what the evidence digest is of). */
function factsOf(pre: PrecheckResult, policy: OperationPolicy): EvidenceFacts {
  return evidenceFacts({
    checks: pre.checks,
    snapshot: pre.snapshot,
    dataLossWindowSeconds: pre.dataLossWindowSeconds,
    dataLossBudgetSeconds: policy.dataLossBudgetSeconds,
    answeredBy: pre.route?.readVia ?? null,
  });
}

/** Opens the verified gate's record: the digest of the facts the approvers see, and how many must approve. */
export function openGate(
  state: OperationState,
  pre: PrecheckResult,
  policy: OperationPolicy,
  rules: DecisionRules
): void {
  if (!state.approval) return;
  const facts = factsOf(pre, policy);
  Object.assign(state.approval, {
    digest: evidenceDigest(facts),
    facts,
    required: rules.access.approvers,
    approvals: [],
    voided: state.approval.voided ?? [],
    identity: null,
  });
}

/** Records one approval; the gate is approved once it has as many distinct approvers as it needs. */
export function recordApproval(state: OperationState, d: DecisionInput, who: VerifiedIdentity): void {
  const gate = state.approval;
  if (!gate) return;
  const record: ApprovalRecord = {
    actor: who.actor,
    comment: d.comment.trim(),
    at: new Date().toISOString(),
    digest: d.proof?.statement.digest ?? gate.digest ?? '',
    identity: who,
    via: d.via ?? null,
  };
  gate.approvals = [...(gate.approvals ?? []), record];
  const required = gate.required ?? 1;
  if (gate.approvals.length < required) {
    state.timeline.push({
      phase: 'awaiting-approval',
      at: record.at,
      note: `approved by ${who.actor} (${gate.approvals.length} of ${required} distinct approvers)`,
    });
    return;
  }
  Object.assign(gate, {
    decision: 'approved',
    actor: gate.approvals.map((a) => a.actor).join(' and '),
    comment: gate.approvals.map((a) => a.comment).join(' / '),
    decidedAt: record.at,
    via: record.via,
    identity: who,
  });
}

/**
 * After an approval, the pair read again: if its facts' digest differs from the one approved, the approvals are
 * void and the gate must be passed again. @returns what changed, or null when the approval still holds.
 */
export function voidIfChanged(
  state: OperationState,
  pre: PrecheckResult,
  policy: OperationPolicy,
  rules: DecisionRules
): string[] | null {
  const gate = state.approval;
  if (!gate?.facts || !gate.digest) return null;
  const facts = factsOf(pre, policy);
  const digest = evidenceDigest(facts);
  if (digest === gate.digest) return null;
  const changes = factChanges(gate.facts, facts);
  gate.voided = [
    ...(gate.voided ?? []),
    { at: new Date().toISOString(), digest: gate.digest, newDigest: digest, approvals: gate.approvals ?? [], changes },
  ];
  Object.assign(gate, {
    decision: null,
    actor: null,
    comment: null,
    decidedAt: null,
    via: null,
    identity: null,
    approvals: [],
    digest,
    facts,
    required: rules.access.approvers,
  });
  return changes;
}

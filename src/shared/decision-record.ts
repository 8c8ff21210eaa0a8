/**
 * Who decided a run and how they were verified, in words, for the report, the CLI and notifications. One place, so
 * every view says the same thing about a decision. Runs started before decisions were verified have none of these
 * fields; every function here tells them apart, so their reports read as they always did. Sandbox-safe.
 */
import { describeIdentity, type EvidenceFacts, type PairAccess, type VerifiedIdentity } from './identity';
import type { ApprovalRecord, ApprovalState, CancellationState, OperationState } from './operation-model';

/** What a cancellation through Temporal itself (namespace access, no signature) reads as. */
export const TEMPORAL_CANCEL = 'through Temporal (namespace access, unverified)';

/**
 * Whether the run records verified decisions: it was started by a version that verifies them (it records its access
 * rules and its starter), or one of its decisions carries an identity. False for older runs.
 */
export function hasVerifiedDecisions(
  s: Pick<OperationState, 'startedBy' | 'access' | 'approval' | 'cancellation'>
): boolean {
  return (
    s.access !== undefined ||
    s.startedBy !== undefined ||
    s.approval?.approvals !== undefined ||
    s.approval?.digest !== undefined ||
    s.approval?.identity !== undefined ||
    s.cancellation?.identity !== undefined
  );
}

/** Whether the gate carries verified approvals (an evidence digest, approvals against a number required). */
export const isVerifiedGate = (a: ApprovalState): boolean => a.approvals !== undefined || a.digest !== undefined;

/** One decision made with a sealed break-glass key. */
export interface BreakGlassUse {
  action: 'start' | 'approve' | 'reject' | 'cancel';
  actor: string;
  keyId: string;
  /** When it was decided (ISO), if known. */
  at: string | null;
  /** An approval that was voided later (the facts changed): the key was still used. */
  voided: boolean;
}

const isBreakGlass = (who: VerifiedIdentity | null | undefined): who is VerifiedIdentity =>
  who?.method === 'break-glass';

/** Every decision of the run made with a break-glass key, in the order they happened; empty for most runs. */
export function breakGlassUses(s: Pick<OperationState, 'startedBy' | 'approval' | 'cancellation'>): BreakGlassUse[] {
  const uses: BreakGlassUse[] = [];
  const add = (action: BreakGlassUse['action'], who: VerifiedIdentity, at: string | null, voided = false): void => {
    const use = { action, actor: who.actor, keyId: who.keyId ?? 'unknown', at, voided };
    const same = (u: BreakGlassUse) => u.action === use.action && u.actor === use.actor && u.at === use.at;
    if (!uses.some(same)) uses.push(use);
  };
  if (isBreakGlass(s.startedBy)) add('start', s.startedBy, s.startedBy.signedAt);
  const a = s.approval;
  for (const v of a?.voided ?? []) {
    for (const r of v.approvals) if (isBreakGlass(r.identity)) add('approve', r.identity, r.at, true);
  }
  for (const r of a?.approvals ?? []) if (isBreakGlass(r.identity)) add('approve', r.identity, r.at);
  if (a && isBreakGlass(a.identity) && (a.decision === 'rejected' || a.approvals === undefined)) {
    add(a.decision === 'rejected' ? 'reject' : 'approve', a.identity, a.decidedAt);
  }
  const c = s.cancellation;
  if (c && isBreakGlass(c.identity)) add('cancel', c.identity, c.at);
  return uses;
}

const ACTION_NOUN: Readonly<Record<BreakGlassUse['action'], string>> = {
  start: 'start',
  approve: 'approval',
  reject: 'rejection',
  cancel: 'cancellation',
};

/**
 * The loud sentence for one break-glass decision: `BREAK-GLASS: the approval by bob was decided with the sealed
 * break-glass key bg-2026; the identity provider did not verify this person.`
 */
export function breakGlassBanner(u: BreakGlassUse): string {
  const what = `the ${u.voided ? 'voided ' : ''}${ACTION_NOUN[u.action]} by ${u.actor}`;
  return `BREAK-GLASS: ${what} was decided with the sealed break-glass key ${u.keyId}; the identity provider did not verify this person.`;
}

/**
 * Who started the run as verified: `alice (own key)`, or `unsigned start from alertmanager (am-prod)` for an alert
 * or any start without a signature. null for runs that do not record it.
 */
export function describeStarter(s: Pick<OperationState, 'startedBy' | 'trigger'>): string | null {
  if (s.startedBy === undefined) return null;
  if (s.startedBy === null) return `unsigned start from ${s.trigger.source} (${s.trigger.actor})`;
  return describeIdentity(s.startedBy);
}

/**
 * Who cancelled: the verified identity; a cancellation through Temporal itself ({@link TEMPORAL_CANCEL}); or, in a
 * run that does not record identities, the actor as given.
 */
export function describeCanceller(c: CancellationState): string {
  if (c.identity === undefined) return c.actor;
  if (c.identity === null) return TEMPORAL_CANCEL;
  return describeIdentity(c.identity);
}

/** Who rejected (the verified rejecter), or the actor as given in a run that does not record identities. */
export function describeDecider(a: Pick<ApprovalState, 'actor' | 'identity'>): string | null {
  if (a.identity) return describeIdentity(a.identity);
  return a.actor;
}

/** One approval: `alice (own key) approved sha256:… at <time> from cli: comment`, time left to the caller. */
export function describeApproval(r: ApprovalRecord, time: (iso: string) => string): string {
  return `${describeIdentity(r.identity)} approved ${r.digest} at ${time(r.at)}${r.via ? ` from ${r.via}` : ''}: ${r.comment}`;
}

/** `1 of 2 approvals` for a gate with verified approvals; null otherwise. */
export function approvalCount(a: ApprovalState): string | null {
  if (a.approvals === undefined) return null;
  const required = a.required ?? 1;
  return `${a.approvals.length} of ${required} approval${required === 1 ? '' : 's'}`;
}

/** The evidence facts an approver approves, one line each (checks, topology, DR status, data loss, endpoint). */
export function describeFacts(f: EvidenceFacts): string[] {
  const failed = f.checks.filter((c) => !c.passed).map((c) => c.id);
  const lines = [
    `checks: ${f.checks.length - failed.length} pass, ${failed.length} fail${failed.length ? ` (${failed.join(', ')})` : ''}`,
    `primary ${f.primaryClusterId ?? 'unknown'}, standby ${f.standbyClusterId ?? 'unknown'}`,
    `DR status: ${f.drStatus ?? 'unknown'}`,
    `data-loss window: ${f.dataLoss}`,
  ];
  if (f.answeredBy !== null) lines.push(`answered by: ${f.answeredBy}`);
  return lines;
}

const listOf = (names: string[] | null): string =>
  names === null ? 'any verified person' : names.length === 0 ? 'nobody' : names.join(', ');

/** The pair's access rules as `[rule, who, where it came from]`, for the report. */
export function describeAccess(access: PairAccess): [string, string, string | null][] {
  return [
    ['start', listOf(access.start), access.source.start ?? null],
    ['approve', listOf(access.approve), access.source.approve ?? null],
    ['cancel', listOf(access.cancel), access.source.cancel ?? null],
    [
      'four eyes',
      access.fourEyes ? 'yes: whoever started or forced the run cannot approve it' : 'no',
      access.source.fourEyes ?? null,
    ],
    [
      'approvers',
      access.approvers === 2 ? '2 distinct people' : '1',
      access.approvers === 2 ? (access.source.approvers ?? null) : null,
    ],
  ];
}

/** Who may decide at the gate of a run with access rules: `approve or reject: alice, bob (rule …)`, four eyes. */
export function whoMayApprove(access: PairAccess): string {
  const rule = access.source.approve ? ` (rule ${access.source.approve})` : '';
  const parts = [`${listOf(access.approve)}${rule}, signed with their own key or through the intake`];
  if (access.fourEyes) parts.push('not the person who started or forced the run');
  if (access.approvers === 2) parts.push('2 distinct approvers');
  return parts.join('; ');
}

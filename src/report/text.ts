/**
 * Text forms of pre-checks, progress and reports for people at a terminal.
 */
import { workflowIds } from '../shared/constants';
import { formatSeconds } from '../shared/duration';
import { OUTCOMES, SUCCESS_OUTCOME, switchBackFailed } from '../shared/outcomes';
import type { ApprovalState, CheckResult, DrOperation, OperationState, RequestRecord } from '../shared/operation-model';
import type { ReportMeta } from './meta';
import { kindOfAnswer, VERDICT_MEANING } from '../shared/request-verdict';
import { describeSite, type PairRoute } from '../shared/topology';
import { isVerifiedGate } from '../shared/decision-record';
import { when } from './when';
import { ended, targeted, undecidedGate } from '../shared/operation-phases';
import {
  breakGlassLines,
  cancelledBy,
  gateDetail,
  starterAndAccessLines,
  verifiedApprovalLines,
} from './text-decisions';

const mark = (c: CheckResult): string => (c.passed ? 'PASS' : c.severity === 'hard' ? 'FAIL' : 'SOFT');

/** One line per check: verdict, title, observed value. */
export function renderChecks(checks: CheckResult[]): string[] {
  return checks.map((c) => `  [${mark(c)}] ${c.title}: ${c.observed}${c.passed ? '' : ` (expected ${c.expected})`}`);
}

/** An ISO instant as `YYYY-MM-DD HH:MM:SSZ` (re-exported: every text renderer imports it from here). */
export { when };

const OPERATION_TITLE: Readonly<Record<DrOperation, string>> = {
  failover: 'Failover',
  switchover: 'Switchover',
  recovery: 'Recovery',
};

/** `Failover`, `Switchover` or `Recovery`; runs recorded before the field existed are failovers. */
export const operationTitle = (s: Pick<OperationState, 'operation'>): string =>
  OPERATION_TITLE[s.operation ?? 'failover'];

/** The run a command line names, as the CLI prints it in commands to copy. */
export type RunTarget = Pick<OperationState, 'workflowId' | 'projectId' | 'drId'>;

/**
 * How approve, reject, cancel and watch name `run`: `--pair <project>/<dr>` (no inventory needed) for a pair's own
 * failover, switchover or recovery; the workflow id for anything else (a drill's leg).
 */
export function runArg(run: RunTarget): string {
  const own = (['failover', 'switchover', 'recovery'] as const).some(
    (op) => workflowIds[op](run.projectId, run.drId) === run.workflowId
  );
  return own ? `--pair ${run.projectId}/${run.drId}` : run.workflowId;
}

/**
 * The exact commands that decide at the approval gate of `run`. No `--actor`: a decision is signed with the
 * decider's own key, whose owner is the actor.
 */
export function approvalCommands(run: RunTarget): { approve: string; reject: string } {
  const tail = `${runArg(run)} --comment "<why, e.g. the incident id>"`;
  return { approve: `dws-failover approve ${tail}`, reject: `dws-failover reject ${tail}` };
}

/** The gate as lines: pending with its deadline and reasons, or who decided, when and why. */
export function renderApproval(a: ApprovalState, run: RunTarget): string[] {
  if (isVerifiedGate(a)) return verifiedApprovalLines(a, approvalCommands(run));
  if (a.decision === null) {
    const { approve, reject } = approvalCommands(run);
    return [
      `  approval   WAITING since ${when(a.requestedAt)}; denied by default at ${when(a.deadline)}`,
      ...a.reasons.map((r) => `    why: ${r}`),
      `    approve: ${approve}`,
      `    reject:  ${reject}`,
    ];
  }
  if (a.decision === 'timed-out') return [`  approval   timed out at ${when(a.decidedAt)}: denied by default`];
  return [
    `  approval   ${a.decision} by ${a.actor} at ${when(a.decidedAt)}${a.via ? ` via ${a.via}` : ''}: ${a.comment}`,
    `    asked because: ${a.reasons.join('; ')}`,
  ];
}

/** The data-loss window against the pair's budget: `12s (budget 5m)`, `unknown (budget 5m)`, `… over budget`. */
export function dataLossVsBudget(s: Pick<OperationState, 'dataLossWindowSeconds' | 'policy'>): string {
  const budget = s.policy.dataLossBudgetSeconds;
  const w = s.dataLossWindowSeconds;
  if (w === null) return `unknown (budget ${formatSeconds(budget)})`;
  return `${formatSeconds(w)} (budget ${formatSeconds(budget)}${w > budget ? ', OVER budget' : ''})`;
}

/**
 * What `--wait` prints once when its run arrives at the approval gate: why it waits (each check or policy that asks
 * for a person), the data-loss window against the budget, the deadline, and the exact commands that decide.
 * Empty when the run does not wait at the gate.
 */
export function renderGateWait(s: OperationState): string[] {
  if (s.phase !== 'awaiting-approval' || !undecidedGate(s)) return [];
  const a = s.approval;
  const { approve, reject } = approvalCommands(s);
  return [
    '',
    `The ${s.operation ?? 'failover'} of ${s.projectId}/${s.drId} waits for approval, because:`,
    ...a.reasons.map((r) => `  - ${r}`),
    `  data-loss window: ${dataLossVsBudget(s)}`,
    ...(isVerifiedGate(a) ? gateDetail(a).map((l) => l.slice(2)) : []),
    `  without a decision it is denied at ${when(a.deadline)}`,
    'Approve (it then sends its request):',
    `  ${approve}`,
    'Reject (nothing is sent):',
    `  ${reject}`,
    '',
  ];
}

/** A cluster as `name (id)` when the pre-checks read its name, else its id. */
export function clusterLabel(s: Pick<OperationState, 'snapshot'>, id: string): string {
  const snap = s.snapshot;
  const name =
    snap?.primaryClusterId === id
      ? snap.primaryClusterName
      : snap?.standbyClusterId === id
        ? snap.standbyClusterName
        : '';
  return name ? `${name} (${id})` : id;
}

/** `old → new` primary with cluster names; null before the run chose them (once its gate let it through). */
export function primaryChange(s: OperationState): string | null {
  if (!targeted(s)) return null;
  return `${clusterLabel(s, s.oldPrimaryClusterId)} → ${clusterLabel(s, s.newPrimaryClusterId)}`;
}

/** The mutating request a run sends: `POST …/failover`, `…/switchover` or `…/recovery`. */
export const requestName = (s: Pick<OperationState, 'operation'>): string => `POST …/${s.operation ?? 'failover'}`;

/** The report (or the state so far) as text; `meta` adds when and by what it was generated, and the Web UI link. */
export function renderReport(s: OperationState, meta?: ReportMeta): string {
  const lines: string[] = breakGlassLines(s);
  const pair = s.drName ? `${s.drName} (${s.drId})` : s.drId;
  lines.push(`${operationTitle(s)} of DR ${pair} in project ${s.projectId}`);
  lines.push(`  workflow   ${s.workflowId} (run ${s.runId})`);
  if (ended(s)) {
    lines.push(`  outcome    ${s.outcome} [${OUTCOMES[s.outcome].code}]`);
    lines.push(`  summary    ${s.summary}`);
    // Loud, next to the outcome: the recovery succeeded, but the pair is not where `--switch-back` asked for.
    if (switchBackFailed(s)) {
      const failed = OUTCOMES['switch-back-failed'];
      lines.push(`  SWITCH-BACK FAILED [${failed.code}, exit ${failed.exitCode}] ${failed.sentence(pair, 'recovery')}`);
    }
  } else {
    lines.push(`  phase      ${s.phase} (running)`);
  }
  lines.push(`  reason     ${s.reason}${s.force ? ' (forced)' : ''}`);
  lines.push(
    `  trigger    ${s.trigger.source} by ${s.trigger.actor} at ${when(s.trigger.receivedAt)} (ref ${s.trigger.ref})`
  );
  lines.push(...starterAndAccessLines(s));
  const primary = primaryChange(s);
  if (primary) lines.push(`  primary    ${primary}`);
  lines.push(
    `  requests   ${requestName(s)}: ${s.request.sent} sent, ${s.request.attempts} attempt(s)${s.request.accepted ? `, accepted at ${when(s.request.acceptedAt)} (${s.request.disposition})` : ''}${s.request.lastError ? `; last error: ${s.request.lastError}` : ''}`
  );
  if (s.route)
    for (const [label, value] of routeFacts(s.route)) lines.push(`  ${label.toLowerCase().padEnd(10)} ${value}`);
  for (const r of s.request.log ?? []) lines.push(`    ${requestLine(r)}`);
  if (s.request.unknown)
    lines.push(`    ${s.request.unknown} attempt(s) lost with their worker: whether they sent is unknown`);
  if (s.precheckReads) {
    lines.push(
      `  reads      the pre-checks took ${s.precheckReads.attempts} attempts over ${formatSeconds(s.precheckReads.retriedSeconds)} (a read outage ridden out)`
    );
  }
  if (s.completion) {
    lines.push(
      `  completion ${s.completion.completed ? 'seen' : 'not seen'} after ${s.completion.polls} poll(s), ${s.completion.pollErrors} error(s); last status ${s.completion.lastStatus ?? '—'}; new primary ${s.completion.newPrimaryHealth ?? '—'}`
    );
  }
  lines.push(
    `  data loss  ${s.dataLossWindowSeconds === null ? 'unknown' : `≤ ${formatSeconds(s.dataLossWindowSeconds)}`}`
  );
  if (s.rtoSeconds !== null)
    lines.push(
      `  RTO        ${formatSeconds(s.rtoSeconds)} (from the ${s.rtoFrom === 'incident' ? 'incident start' : 'trigger'})`
    );
  if (s.inServiceHands && s.outcome !== null && s.outcome !== SUCCESS_OUTCOME[s.operation ?? 'failover'])
    lines.push(
      `  note       the ${s.operation ?? 'failover'} request was sent: the operation is in the service's hands`
    );
  if (s.checks.length > 0) {
    lines.push('  checks');
    lines.push(...renderChecks(s.checks).map((l) => `  ${l}`));
  }
  if (s.decision) lines.push(`  decision   ${s.decision.verdict}: ${s.decision.reasons.join('; ')}`);
  if (s.approval) lines.push(...renderApproval(s.approval, s));
  if (s.cancellation) {
    const c = s.cancellation;
    lines.push(
      `  cancelled  ${cancelledBy(c)} at ${when(c.at)}: ${c.comment}${c.afterRequest ? ' (after the request: only the waiting stopped)' : ' (before the request: nothing sent)'}`
    );
  }
  if (s.switchBack)
    lines.push(`  switch-back ${s.switchBack.outcome} (${s.switchBack.workflowId}): ${s.switchBack.summary}`);
  lines.push('  timeline');
  for (const t of s.timeline) lines.push(`    ${when(t.at)}  ${t.phase}${t.note ? ` — ${t.note}` : ''}`);
  lines.push(
    `  evidence   ${s.evidence.length} trigger(s)${s.evidenceOverflow ? ` (+${s.evidenceOverflow} not stored)` : ''}`
  );
  for (const e of s.evidence) {
    lines.push(
      `    ${e.source} ${e.ref} by ${e.senders.length > 1 ? e.senders.join(' and ') : e.actor}, ${e.deliveries} deliver${e.deliveries === 1 ? 'y' : 'ies'}, first ${when(e.firstReceivedAt)}${e.status ? `, ${e.status}` : ''}`
    );
  }
  if (meta) {
    lines.push(`  generated  ${when(meta.generatedAt)} by ${meta.generatedBy}`);
    if (meta.runUrl) lines.push(`  web ui     ${meta.runUrl}`);
  }
  return lines.join('\n');
}

/** A one-line progress summary for `--wait` and `watch` when not on a TTY. */
export function renderProgressLine(s: OperationState, elapsedSeconds: number): string {
  const parts = [`[${formatSeconds(elapsedSeconds).padStart(6)}]`, `phase ${s.phase}`];
  if (s.checks.length) parts.push(`checks ${s.checks.filter((c) => c.passed).length}/${s.checks.length} passed`);
  if (s.dataLossWindowSeconds !== null) parts.push(`data-loss window ${formatSeconds(s.dataLossWindowSeconds)}`);
  if (s.request.sent || s.request.accepted)
    parts.push(`requests sent ${s.request.sent}${s.request.accepted ? ' (accepted)' : ''}`);
  if (s.outcome) parts.push(`outcome ${s.outcome}`);
  return parts.join(' · ');
}

/** A cross-region pair: each endpoint the pre-checks tried, which copy they read, where the request went and why. */
export function routeFacts(route: PairRoute): [string, string][] {
  const facts = route.answers.map((a): [string, string] => [
    'Endpoint',
    `${describeSite(a)} ${a.answered ? 'answered' : 'did not answer'}: ${a.note}`,
  ]);
  const siteOf = (projectId: string) => (projectId === route.standby.projectId ? route.standby : route.primary);
  facts.push(['Read via', describeSite(siteOf(route.readVia))]);
  if (route.via) facts.push(['Request to', `${describeSite(siteOf(route.via))}: ${route.viaReason ?? ''}`]);
  return facts;
}

/** One request attempt of the report: when it left, what came back, and what that means (the one classifier's words). */
export function requestLine(r: RequestRecord): string {
  const sent = r.sent === true ? `sent ${when(r.sentAt)}` : r.sent === false ? 'not sent' : 'sent: unknown';
  const answer = [r.status ? `HTTP ${r.status}` : null, r.errorCode, r.requestId ? `request id ${r.requestId}` : null]
    .filter((x) => x !== null)
    .join(', ');
  const via = r.endpoint ? ` via ${r.endpoint}` : '';
  const meaning = VERDICT_MEANING[kindOfAnswer(r.answer)];
  return `#${r.attempt} ${sent}${via} → ${r.answer}${answer ? ` (${answer})` : ''}: ${r.note} [${meaning}]`;
}

/**
 * What `dws-failover approve` prints before it signs: the facts the gate's evidence digest covers, why the gate asks,
 * and who approved so far. An approval names that digest; when the facts change before the request is sent, the
 * workflow voids it and asks again (src/shared/identity.ts).
 */
import { describeIdentity } from '../shared/identity';
import type { OperationState } from '../shared/operation-model';
import { undecidedGate } from '../shared/operation-phases';
import { clusterLabel, dataLossVsBudget, when } from '../report/text';

/** The lines, or none when the run does not wait at its gate. */
export function renderGateFacts(s: OperationState): string[] {
  if (!undecidedGate(s)) return [];
  const a = s.approval;
  const lines = [
    `The ${s.operation ?? 'failover'} ${s.workflowId} waits for approval, because:`,
    ...a.reasons.map((r) => `  - ${r}`),
  ];
  const f = a.facts;
  if (a.digest && f) {
    const failing = f.checks.filter((c) => !c.passed).map((c) => c.id);
    const topology = (id: string | null): string => (id ? clusterLabel(s, id) : 'unknown');
    lines.push(
      `What you approve (evidence digest ${a.digest}):`,
      `  checks      ${f.checks.length - failing.length} passed, ${failing.length > 0 ? `failing: ${failing.join(', ')}` : 'none failing'}`,
      `  primary     ${topology(f.primaryClusterId)}`,
      `  standby     ${topology(f.standbyClusterId)}`,
      `  DR status   ${f.drStatus ?? 'unknown'}`,
      `  data loss   ${f.dataLoss}: ${dataLossVsBudget(s)}`,
      ...(f.answeredBy ? [`  answered by ${f.answeredBy}`] : [])
    );
  } else {
    lines.push('  (this run shows no evidence digest: its worker does not verify decisions yet)');
  }
  const required = a.required ?? 1;
  const given = a.approvals ?? [];
  lines.push(
    `  approvers   ${given.length} of ${required} given${given.length > 0 ? `: ${given.map((r) => `${describeIdentity(r.identity)} at ${when(r.at)}`).join('; ')}` : ''}`
  );
  for (const v of a.voided ?? []) {
    lines.push(
      `  voided      ${v.approvals.map((r) => r.actor).join(', ')} approved ${v.digest}; then ${v.changes.join('; ')}`
    );
  }
  lines.push(`  deadline    ${when(a.deadline)} (no decision by then means no)`);
  return lines;
}

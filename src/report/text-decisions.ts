/**
 * Text forms of verified decisions (docs/decisions.md): the break-glass banner, the verified starter, the access
 * rules, the approval gate with its evidence digest, facts, approvals and voided approvals, and who cancelled. Used
 * by the report, `status` and `watch`. Runs without these fields never reach these functions.
 */
import {
  approvalCount,
  breakGlassBanner,
  breakGlassUses,
  describeAccess,
  describeApproval,
  describeCanceller,
  describeDecider,
  describeFacts,
  describeStarter,
  TEMPORAL_CANCEL,
} from '../shared/decision-record';
import type { ApprovalState, CancellationState, OperationState } from '../shared/operation-model';
import { when } from './when';

/** The loud lines at the top of a report or a watch screen, one per break-glass decision; none for most runs. */
export function breakGlassLines(s: Pick<OperationState, 'startedBy' | 'approval' | 'cancellation'>): string[] {
  return breakGlassUses(s).map(breakGlassBanner);
}

/** `  started by …` and the access rules of a run that records them; nothing for an older run. */
export function starterAndAccessLines(s: OperationState): string[] {
  const lines: string[] = [];
  const starter = describeStarter(s);
  if (starter !== null) lines.push(`  started by ${starter}`);
  if (s.access) {
    lines.push('  access');
    for (const [rule, who, source] of describeAccess(s.access)) {
      lines.push(`    ${rule.padEnd(10)} ${who}${source ? ` (${source})` : ''}`);
    }
  }
  return lines;
}

/** The evidence the gate shows, its facts, the approvals given and the voided ones, indented under the gate line. */
export function gateDetail(a: ApprovalState): string[] {
  const lines: string[] = [];
  if (a.digest) lines.push(`    evidence   ${a.digest} (an approval names this digest; it changes when the facts do)`);
  if (a.facts) lines.push(...describeFacts(a.facts).map((f) => `      ${f}`));
  const count = approvalCount(a);
  if (count !== null) lines.push(`    approvals  ${count}`);
  for (const r of a.approvals ?? []) lines.push(`      ${describeApproval(r, when)}`);
  for (const v of a.voided ?? []) {
    lines.push(`    voided     at ${when(v.at)}, ${v.digest} → ${v.newDigest}: ${v.changes.join('; ')}`);
    for (const r of v.approvals) lines.push(`      ${describeApproval(r, when)}`);
  }
  return lines;
}

/** `bob and carol`: everyone whose approval of the current evidence counts, else the decider as recorded. */
const approvers = (a: ApprovalState): string =>
  (a.approvals ?? []).map((r) => r.actor).join(' and ') || (describeDecider(a) ?? 'unknown');

/**
 * The gate of a run with verified decisions: pending (with the commands that decide), approved (by each approver),
 * rejected or timed out; then the evidence, the approvals so far against those required, and the voided ones.
 */
export function verifiedApprovalLines(a: ApprovalState, commands: { approve: string; reject: string }): string[] {
  if (a.decision === null) {
    return [
      `  approval   WAITING since ${when(a.requestedAt)}; denied by default at ${when(a.deadline)}`,
      ...a.reasons.map((r) => `    why: ${r}`),
      ...gateDetail(a),
      `    approve: ${commands.approve}`,
      `    reject:  ${commands.reject}`,
    ];
  }
  const head =
    a.decision === 'timed-out'
      ? `  approval   timed out at ${when(a.decidedAt)}: denied by default`
      : a.decision === 'rejected'
        ? `  approval   rejected by ${describeDecider(a)} at ${when(a.decidedAt)}${a.via ? ` via ${a.via}` : ''}: ${a.comment}`
        : `  approval   approved by ${approvers(a)} at ${when(a.decidedAt)}`;
  return [head, ...gateDetail(a), `    asked because: ${a.reasons.join('; ')}`];
}

/** `by alice (own key)`, `through Temporal (namespace access, unverified)`, or `by <actor>` in an older run. */
export function cancelledBy(c: CancellationState): string {
  return c.identity === null ? TEMPORAL_CANCEL : `by ${describeCanceller(c)}`;
}

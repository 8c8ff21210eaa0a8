/**
 * The report page's verified decisions (docs/decisions.md): the break-glass banner, the approval gate with its
 * evidence, approvals and voided approvals, and the access rules the run decided by. Runs recorded before decisions
 * were verified have none of these fields and keep the sections of html-sections.ts.
 */
import { describeIdentity } from '../shared/identity';
import {
  approvalCount,
  breakGlassBanner,
  breakGlassUses,
  describeAccess,
  describeDecider,
  describeFacts,
} from '../shared/decision-record';
import type { ApprovalRecord, OperationState } from '../shared/operation-model';
import { facts } from './html-sections';
import { html, type SafeHtml } from './html-template';
import { instant } from './html-timeline';

/** One loud line per break-glass decision, above everything else; nothing for a run without one. */
export function renderBreakGlass(s: OperationState): SafeHtml | null {
  const uses = breakGlassUses(s);
  if (uses.length === 0) return null;
  return html`<section class="break-glass" id="break-glass" role="alert">
    ${uses.map((u) => html`<p><strong>${breakGlassBanner(u)}</strong></p>`)}
  </section>`;
}

const approvalsTable = (id: string, rows: ApprovalRecord[]): SafeHtml =>
  html`<table id="${id}">
    <thead>
      <tr>
        <th>Approver</th>
        <th>How verified</th>
        <th>When</th>
        <th>Evidence approved</th>
        <th>Comment</th>
        <th>Via</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr
            data-approver="${r.actor}"
            class="${r.identity.method === 'break-glass' ? 'break-glass-row' : 'verified'}"
          >
            <td>${r.actor}</td>
            <td>${describeIdentity(r.identity)}</td>
            <td class="nowrap">${instant(r.at)}</td>
            <td><code>${r.digest}</code></td>
            <td>${r.comment}</td>
            <td class="nowrap">${r.via ?? '—'}</td>
          </tr>`
      )}
    </tbody>
  </table>`;

/** The gate of a run with verified decisions: the decision, the evidence and its facts, each approval, the voided. */
export function renderVerifiedApproval(s: OperationState): SafeHtml {
  const a = s.approval;
  if (!a) return html``;
  const decider =
    a.decision === 'timed-out'
      ? 'nobody (denied by default)'
      : a.decision === 'rejected'
        ? describeDecider(a)
        : a.decision === 'approved'
          ? (a.approvals ?? []).map((r) => r.actor).join(' and ') || describeDecider(a)
          : null;
  const voided = a.voided ?? [];
  return html`<section id="approval">
    <h2>Approval</h2>
    ${facts(
      (
        [
          ['Decision', a.decision ?? 'waiting'],
          [a.decision === 'rejected' ? 'Rejected by' : 'Approver', decider],
          ['Decided at', a.decidedAt ? instant(a.decidedAt) : null],
          ['Approvals', approvalCount(a)],
          ['Evidence digest', a.digest ? html`<code id="evidence-digest">${a.digest}</code>` : null],
          [
            'Facts',
            a.facts
              ? html`<ul id="evidence-facts">
                  ${describeFacts(a.facts).map((f) => html`<li>${f}</li>`)}
                </ul>`
              : null,
          ],
          ['Comment', a.decision === 'rejected' ? a.comment : null],
          ['Asked at', instant(a.requestedAt)],
          ['Deadline', instant(a.deadline)],
          ['Why approval was needed', a.reasons.join('; ')],
        ] as [string, unknown][]
      ).filter(([, v]) => v !== null)
    )}
    ${(a.approvals ?? []).length > 0 ? approvalsTable('approvals', a.approvals ?? []) : null}
    ${voided.map(
      (v, i) =>
        html`<div class="voided" id="voided-${i + 1}">
          <p class="callout">
            Voided at ${instant(v.at)}: the facts changed (<code>${v.digest}</code> → <code>${v.newDigest}</code>):
            ${v.changes.join('; ')}.
          </p>
          ${approvalsTable(`voided-approvals-${i + 1}`, v.approvals)}
        </div>`
    )}
  </section>`;
}

/** The pair's access rules as the run recorded them; nothing for an older run. */
export function renderAccess(s: OperationState): SafeHtml | null {
  if (!s.access) return null;
  return html`<section id="access">
    <h2>Access rules</h2>
    ${facts(describeAccess(s.access).map(([rule, who, source]) => [rule, source ? `${who} (${source})` : who]))}
  </section>`;
}

/**
 * The report's detail sections: checks, approval, cancellation, request, completion, switch-back and evidence.
 */
import type { CheckResult, OperationState } from '../shared/operation-model';
import { kindOfAnswer, VERDICT_MEANING } from '../shared/request-verdict';
import { html, type SafeHtml } from './html-template';
import { instant } from './html-timeline';
import { primaryChange, requestName, routeFacts } from './text';
import { describeCanceller } from '../shared/decision-record';
import { OUTCOMES, switchBackFailed } from '../shared/outcomes';

const verdict = (c: CheckResult): { text: string; cls: string } =>
  c.passed
    ? { text: 'passed', cls: 'pass' }
    : c.severity === 'hard'
      ? { text: 'FAILED', cls: 'fail' }
      : { text: 'failed (soft)', cls: 'soft' };

/** Label and value rows; a null value shows as `—`. */
export const facts = (rows: [string, unknown][]): SafeHtml =>
  html`<dl class="facts">
    ${rows.map(
      ([k, v]) =>
        html`<dt>${k}</dt>
          <dd>${v ?? '—'}</dd>`
    )}
  </dl>`;

/** Every check with its verdict, severity, observed and expected value. */
export function renderChecks(s: OperationState): SafeHtml {
  const failed = s.checks.filter((c) => !c.passed).length;
  const rows = s.checks.map((c) => {
    const v = verdict(c);
    return html`<tr data-check="${c.id}">
      <td class="${v.cls}">${v.text}</td>
      <td>${c.title}<br /><code class="muted">${c.id}</code></td>
      <td class="nowrap">${c.severity}</td>
      <td>${c.observed}</td>
      <td>${c.expected}</td>
    </tr>`;
  });
  return html`<section id="checks">
    <h2>Pre-checks <span class="muted">(${s.checks.length - failed} passed, ${failed} failed)</span></h2>
    ${
      s.checks.length === 0
        ? html`<p class="muted">No check ran.</p>`
        : html`<table>
            <thead>
              <tr>
                <th>Result</th>
                <th>Check</th>
                <th>Severity</th>
                <th>Observed</th>
                <th>Expected</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>`
    }
    ${s.decision ? html`<p>Decision: <strong>${s.decision.verdict}</strong>${s.decision.forced ? ' (forced)' : ''} — ${s.decision.reasons.join('; ')}</p>` : null}
  </section>`;
}

/** Who decided at the gate, when, why and through what; or that no approval was needed. */
export function renderApproval(s: OperationState): SafeHtml {
  const a = s.approval;
  if (!a)
    return html`<section id="approval">
      <h2>Approval</h2>
      <p class="muted">No approval was needed.</p>
    </section>`;
  const decision = a.decision ?? 'waiting';
  return html`<section id="approval">
    <h2>Approval</h2>
    ${facts([
      ['Decision', decision],
      ['Approver', a.decision === 'timed-out' ? 'nobody (denied by default)' : a.actor],
      ['Decided at', a.decidedAt ? instant(a.decidedAt) : null],
      ['Comment', a.comment],
      ['Via', a.via],
      ['Asked at', instant(a.requestedAt)],
      ['Deadline', instant(a.deadline)],
      ['Why approval was needed', a.reasons.join('; ')],
    ])}
  </section>`;
}

/** Who cancelled and whether the request had been sent; nothing when the run was not cancelled. */
export function renderCancellation(s: OperationState): SafeHtml | null {
  const c = s.cancellation;
  if (!c) return null;
  return html`<section id="cancellation">
    <h2>Cancellation</h2>
    ${facts([
      ['By', describeCanceller(c)],
      ['At', instant(c.at)],
      ['Comment', c.comment],
      ['Point of no return', c.afterRequest ? 'passed: the request had been sent' : 'not reached: nothing was sent'],
    ])}
    ${c.afterRequest ? html`<p class="callout">The operation is in the DWS service's hands; only the waiting stopped.</p>` : null}
  </section>`;
}

/** The request (sent, attempts, disposition, request id) and the completion poll. */
export function renderRequest(s: OperationState): SafeHtml {
  const r = s.request;
  const c = s.completion;
  return html`<section id="requests">
    <h2>Request and completion</h2>
    ${facts([
      ['Request', requestName(s)],
      ['Requests sent', r.sent],
      ['Attempts', r.attempts],
      ['Accepted', r.accepted ? `yes, at ${instant(r.acceptedAt)}` : 'no'],
      ['Disposition', r.disposition],
      ['Request id', r.requestId],
      ['Last error', r.lastError],
      ['Primary', primaryChange(s)],
      ['Unknown', r.unknown ? `${r.unknown} attempt(s) lost with their worker; whether they sent is unknown` : null],
      [
        'Pre-check reads',
        s.precheckReads
          ? `${s.precheckReads.attempts} attempts over ${s.precheckReads.retriedSeconds.toFixed(0)} s`
          : null,
      ],
      ...(s.route ? routeFacts(s.route) : []),
    ])}
    ${renderRequestLog(s)}
    ${
      c
        ? html`<div id="completion">
            ${facts([
              ['Completion', c.completed ? 'seen' : 'not seen'],
              ['Polls', c.polls],
              ['Poll errors', c.pollErrors],
              ['Last status', c.lastStatus],
              ['New primary health', c.newPrimaryHealth],
              ['Observed at', instant(c.observedAt)],
            ])}
          </div>`
        : null
    }
    ${s.inServiceHands && s.outcome && !c?.completed ? html`<p class="callout">The request was sent: the operation is in the service's hands.</p>` : null}
  </section>`;
}

/** Every request attempt: when it left, by which attempt, its answer (or that it was lost) and what that means. */
function renderRequestLog(s: OperationState): SafeHtml | null {
  const log = s.request.log ?? [];
  if (log.length === 0) return null;
  const rows = log.map(
    (r) =>
      html`<tr data-attempt="${r.attempt}">
        <td class="nowrap">${r.attempt}</td>
        <td>${r.sent === true ? instant(r.sentAt) : r.sent === false ? 'not sent' : 'unknown'}</td>
        <td class="nowrap">
          ${r.answer}<br /><small>${VERDICT_MEANING[kindOfAnswer(r.answer)]}</small>
          ${r.endpoint ? html`<br /><small>via ${r.endpoint}</small>` : null}
        </td>
        <td class="nowrap">${r.status ?? '—'}</td>
        <td><code>${r.errorCode ?? '—'}</code></td>
        <td><code>${r.requestId ?? '—'}</code></td>
        <td>${r.note}</td>
      </tr>`
  );
  return html`<table id="request-log">
    <caption>
      Every ${requestName(s)} attempt and its answer
    </caption>
    <thead>
      <tr>
        <th>Attempt</th>
        <th>Sent</th>
        <th>Answer</th>
        <th>HTTP</th>
        <th>DWS code</th>
        <th>Request id</th>
        <th>Note</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

/** How the switch back to the original topology ended (recovery with switch-back). */
export function renderSwitchBack(s: OperationState): SafeHtml | null {
  const b = s.switchBack;
  if (!b) return null;
  const failed = switchBackFailed(s);
  const pair = s.drName ? `${s.drName} (${s.drId})` : `DR ${s.drId}`;
  return html`<section id="switch-back">
    <h2>${failed ? 'Switch back FAILED' : 'Switch back'}</h2>
    ${failed ? html`<p class="callout">${OUTCOMES['switch-back-failed'].sentence(pair, 'recovery')}</p>` : null}
    ${facts([
      ['Outcome', b.outcome],
      ['Workflow', html`<code>${b.workflowId}</code>`],
      ['Summary', b.summary],
    ])}
  </section>`;
}

/** Every trigger that asked for this run (alerts, operators, retries), with delivery counts. */
export function renderEvidence(s: OperationState): SafeHtml {
  const rows = s.evidence.map(
    (e) =>
      html`<tr>
        <td class="nowrap">${e.source}</td>
        <td><code>${e.ref}</code></td>
        <td>${e.senders.length > 1 ? e.senders.join(', ') : e.actor}</td>
        <td class="nowrap">${e.deliveries}</td>
        <td>${instant(e.firstReceivedAt)}</td>
        <td>${instant(e.lastReceivedAt)}</td>
        <td class="nowrap">${e.status ?? '—'}</td>
      </tr>`
  );
  return html`<section id="evidence">
    <h2>
      Evidence
      <span class="muted"
        >(${s.evidence.length} trigger(s)${s.evidenceOverflow ? `, +${s.evidenceOverflow} not stored` : ''})</span
      >
    </h2>
    <table>
      <thead>
        <tr>
          <th>Source</th>
          <th>Reference</th>
          <th>Sent by</th>
          <th>Deliveries</th>
          <th>First</th>
          <th>Last</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </section>`;
}

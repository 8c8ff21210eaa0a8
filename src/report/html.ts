/**
 * The report as one self-contained HTML page for the post-mortem: inline CSS, no scripts, no external assets.
 * Every string from the run (alert fields, operator comments) is escaped.
 */
import { describeStarter, hasVerifiedDecisions, isVerifiedGate } from '../shared/decision-record';
import { formatSeconds } from '../shared/duration';
import { exitCodeOf, OUTCOMES, switchBackFailed } from '../shared/outcomes';
import type { DrOperation, OperationState } from '../shared/operation-model';
import type { ReportMeta } from './meta';
import {
  renderApproval,
  renderCancellation,
  renderChecks,
  renderEvidence,
  renderRequest,
  renderSwitchBack,
} from './html-sections';
import { renderAccess, renderBreakGlass, renderVerifiedApproval } from './html-decisions';
import { DECISIONS_CSS, REPORT_CSS } from './html-style';
import { html, SafeHtml } from './html-template';
import { instant, renderTimeline } from './html-timeline';

const TITLES: Readonly<Record<DrOperation, string>> = {
  failover: 'Failover',
  switchover: 'Switchover',
  recovery: 'Recovery',
};

/**
 * ok: ended where it was asked to be; warn: stopped on purpose (pre-checks, people, the pair's access rules: nothing
 * was read or sent); bad: the service or time.
 */
function tone(s: OperationState): 'ok' | 'warn' | 'bad' | 'running' {
  const code = exitCodeOf(s);
  if (code === null) return 'running';
  return code === 0 ? 'ok' : code <= 5 || s.outcome === 'not-authorised' ? 'warn' : 'bad';
}

function header(s: OperationState, title: string, meta: ReportMeta | undefined): SafeHtml {
  const info = s.outcome ? OUTCOMES[s.outcome] : null;
  // A recovery whose switch back failed says so in its badge: its exit code is the failed switch back's.
  const failedBack = switchBackFailed(s) ? ` · ${OUTCOMES['switch-back-failed'].code}` : '';
  const badge = s.outcome
    ? `${s.outcome} · ${info?.code}${failedBack} · exit ${exitCodeOf(s)}`
    : `running · ${s.phase}`;
  const t = s.trigger;
  const rows: [string, unknown][] = [
    ['Operation', s.operation ?? 'failover'],
    ['DR pair', s.drName ? `${s.drName} (${s.drId})` : s.drId],
    ['Project', s.projectId],
    ['Reason', s.reason],
    ['Force', s.force ? 'yes: the soft checks were overridden' : 'no'],
    ['Trigger', `${t.source} by ${t.actor} at ${instant(t.receivedAt)} (ref ${t.ref})`],
    ...starter(s),
    ['Failed cluster named', s.failedClusterId],
    ['Workflow', html`<code>${s.workflowId}</code> <span class="muted">run <code>${s.runId}</code></span>`],
    ['Started', instant(s.startedAt)],
    ['Ended', s.endedAt ? instant(s.endedAt) : 'still running'],
    [
      'Web UI',
      meta?.runUrl ? html`<a id="web-ui-link" href="${meta.runUrl}">the run in the Temporal Web UI</a>` : null,
    ],
  ];
  return html`<header class="report ${tone(s)}" id="summary">
    <h1>${title}</h1>
    <span class="badge" id="outcome">${badge}</span>
    <p class="summary">${s.summary ?? `The ${s.operation ?? 'failover'} is still running (phase ${s.phase}).`}</p>
    <dl class="facts">
      ${rows.map(
        ([k, v]) =>
          html`<dt>${k}</dt>
            <dd>${v ?? '—'}</dd>`
      )}
    </dl>
  </header>`;
}

/** The verified starter's row, in runs that record it. */
function starter(s: OperationState): [string, unknown][] {
  const who = describeStarter(s);
  return who === null ? [] : [['Started by', who]];
}

function figures(s: OperationState): SafeHtml {
  const budget = formatSeconds(s.policy.dataLossBudgetSeconds);
  const loss = s.dataLossWindowSeconds === null ? 'unknown' : `≤ ${formatSeconds(s.dataLossWindowSeconds)}`;
  const items: [string, string, string, string][] = [
    [
      'rto',
      'RTO',
      s.rtoSeconds === null ? '—' : formatSeconds(s.rtoSeconds),
      s.rtoFrom ? `from the ${s.rtoFrom === 'incident' ? 'incident start' : 'trigger'}` : 'not reached',
    ],
    ['data-loss', 'Data-loss window', loss, `at the switch; budget ${budget}`],
    ['requests-sent', 'Requests sent', String(s.request.sent), `${s.request.attempts} attempt(s)`],
    [
      'polls',
      'Completion polls',
      s.completion ? String(s.completion.polls) : '—',
      s.completion ? `${s.completion.pollErrors} error(s)` : 'no poll',
    ],
  ];
  return html`<section class="figures" id="figures">
    ${items.map(
      ([id, label, value, note]) =>
        html`<div class="figure" id="figure-${id}">
          <div class="label">${label}</div>
          <div class="value">${value}</div>
          <div class="muted">${note}</div>
        </div>`
    )}
  </section>`;
}

/** The break-glass banner, when a break-glass key decided anything, above the header. */
const top = (s: OperationState, title: string, meta: ReportMeta | undefined): SafeHtml =>
  html`${renderBreakGlass(s)}${header(s, title, meta)}`;

/** The approval gate, then the access rules in runs that record them (older runs: the gate as it always was). */
function decisions(s: OperationState): SafeHtml {
  const gate = s.approval && isVerifiedGate(s.approval) ? renderVerifiedApproval(s) : renderApproval(s);
  return html`${gate}${renderAccess(s)}`;
}

/**
 * Renders the state of a run (the report once `outcome` is set) as a complete HTML document; `meta` adds the tool
 * version, when it was generated and the Web UI link. Pure: the same state and meta give the same page. Never throws
 * for a well-formed state.
 */
export function renderHtmlReport(state: OperationState, meta?: ReportMeta): string {
  const title = `${TITLES[state.operation ?? 'failover']} of DR ${state.drName ?? state.drId}`;
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content="dws-failover" />
        <title>${title} — ${state.outcome ?? 'running'}</title>
        <style>
          ${new SafeHtml(hasVerifiedDecisions(state) ? REPORT_CSS + DECISIONS_CSS : REPORT_CSS)}
        </style>
      </head>
      <body>
        <main>
          ${top(state, title, meta)} ${figures(state)} ${renderTimeline(state)} ${renderChecks(state)}
          ${decisions(state)} ${renderCancellation(state)} ${renderRequest(state)} ${renderSwitchBack(state)}
          ${renderEvidence(state)}
          <footer id="generated">
            Report of <code>${state.workflowId}</code> run <code>${state.runId}</code> rendered by
            ${meta ? html`${meta.generatedBy} at ${instant(meta.generatedAt)}` : 'dws-failover'}. Times are UTC.
          </footer>
        </main>
      </body>
    </html> `;
  return page.value;
}

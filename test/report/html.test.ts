import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/text';
import { renderHtmlReport } from '../../src/report/html';
import { escapeHtml, html, SafeHtml } from '../../src/report/html-template';
import { INJECTED, sampleReport } from './sample-report';

/** The markup of the element with `id`, through its matching closing tag. */
function element(page: string, tag: string, id: string): string {
  const start = page.lastIndexOf(`<${tag}`, page.indexOf(`id="${id}"`));
  expect(page.indexOf(`id="${id}"`), `element #${id}`).toBeGreaterThan(-1);
  const tags = new RegExp(`<${tag}[\\s>]|</${tag}>`, 'g');
  tags.lastIndex = start;
  let depth = 0;
  for (let m = tags.exec(page); m; m = tags.exec(page)) {
    depth += m[0].startsWith('</') ? -1 : 1;
    if (depth === 0) return page.slice(start, m.index + m[0].length);
  }
  throw new Error(`element #${id} is not closed`);
}

describe('renderHtmlReport', () => {
  const report = sampleReport();
  const page = renderHtmlReport(report);

  it('escapes every string from the run, so markup in an alert or a comment never reaches the page', () => {
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).not.toContain('onerror="');
    expect(page).toContain('warehouse down &lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;');
    // The comment and the evidence carry it too, escaped each time.
    expect(page.split('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;').length - 1).toBe(3);
  });

  it('is one self-contained document: inline CSS, no scripts, no external assets', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toMatch(/<style>[^<]+<\/style>/);
    expect(page).not.toMatch(/<(link|script|iframe|img|object|embed)\b/i);
    expect(page).not.toMatch(/<[^>]*\s(src|href)=/i);
    expect(page).not.toMatch(/https?:\/\//);
    expect(page.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('names every phase of the timeline in order, with timestamps and the time spent in each', () => {
    const timeline = element(page, 'ol', 'timeline');
    const phases = [...timeline.matchAll(/data-phase="([a-z-]+)"/g)].map((m) => m[1]);
    expect(phases).toEqual(report.timeline.map((e) => e.phase));
    for (const entry of report.timeline) expect(timeline).toContain(`datetime="${entry.at}"`);
    // prechecks 02:11:05.260 → decision 02:11:06.910; the gate waited 3m34s; polling took 4m25s.
    expect(timeline).toMatch(/<code>prechecks<\/code>[\s\S]*?2s in this phase/);
    expect(timeline).toMatch(/<code>awaiting-approval<\/code>[\s\S]*?3m34s in this phase/);
    expect(timeline).toMatch(/<code>polling<\/code>[\s\S]*?4m25s in this phase/);
    expect(page).toMatch(/class="timeline-bar"/);
  });

  it('shows the outcome, its code and exit code, the summary, the reason and the pair in the header', () => {
    const header = element(page, 'header', 'summary');
    expect(header).toContain('failed-over · FAILED_OVER · exit 0');
    expect(header).toContain(report.summary);
    expect(header).toContain('dw-prod-dr (8f3c2a1e-6b1d-4f0e-9a7c-2d5e4b3a1c09)');
    expect(header).toMatch(/<dt>Force<\/dt>\s*<dd>no<\/dd>/);
    expect(header).toContain('class="report ok"');
  });

  it('lists every check with its verdict, severity, observed and expected value', () => {
    const checks = element(page, 'section', 'checks');
    expect(checks).toContain('(8 passed, 0 failed)');
    for (const c of report.checks) {
      expect(checks).toContain(`data-check="${c.id}"`);
      expect(checks).toContain(escapeHtml(c.title));
      expect(checks).toContain(escapeHtml(c.observed));
    }
    const failing = renderHtmlReport(
      sampleReport({
        checks: [{ ...report.checks[5]!, passed: false, observed: '2h4m', expected: '≤ 15m' }],
      })
    );
    expect(element(failing, 'section', 'checks')).toMatch(
      /<td class="soft">failed \(soft\)<\/td>[\s\S]*2h4m[\s\S]*≤ 15m/
    );
  });

  it('names the approver, when and through what they decided, and their comment', () => {
    const approval = element(page, 'section', 'approval');
    expect(approval).toMatch(/<dt>Approver<\/dt>\s*<dd>alice\.sre<\/dd>/);
    expect(approval).toMatch(/<dt>Decided at<\/dt>\s*<dd>2025-03-14 02:14:40\.990Z<\/dd>/);
    expect(approval).toMatch(/<dt>Via<\/dt>\s*<dd>cli<\/dd>/);
    expect(approval).toContain('INC-4711: data loss of 42s accepted &lt;script&gt;');
  });

  it('shows RTO, the data-loss window, the requests and the completion polls', () => {
    expect(element(page, 'div', 'figure-rto')).toMatch(/9m43s[\s\S]*from the incident start/);
    expect(element(page, 'div', 'figure-data-loss')).toMatch(/≤ 42s[\s\S]*budget 15m/);
    const requests = element(page, 'section', 'requests');
    expect(requests).toMatch(/<dt>Requests sent<\/dt>\s*<dd>1<\/dd>\s*<dt>Attempts<\/dt>\s*<dd>2<\/dd>/);
    expect(requests).toContain('req-5f2e9c1d');
    expect(requests).toMatch(/<dt>Polls<\/dt>\s*<dd>27<\/dd>\s*<dt>Poll errors<\/dt>\s*<dd>2<\/dd>/);
    expect(element(page, 'section', 'evidence')).toMatch(/alertmanager[\s\S]*<td class="nowrap">6<\/td>/);
    // Every member of an HA pair that sent the alert, not only the first.
    expect(element(page, 'section', 'evidence')).toContain('<td>alertmanager, alertmanager-b</td>');
  });

  it('lists every request attempt with when it left, its answer and what it means, including one lost with its worker', () => {
    const report = sampleReport();
    report.request.log = [
      {
        attempt: 1,
        sentAt: '2025-03-14T02:14:40.000Z',
        endedAt: '2025-03-14T02:14:41.000Z',
        answer: 'ambiguous',
        sent: true,
        status: 500,
        errorCode: 'DWS.9999',
        requestId: 'req-first',
        note: 'service error',
      },
      {
        attempt: 2,
        sentAt: null,
        endedAt: '2025-03-14T02:15:20.000Z',
        answer: 'lost',
        sent: null,
        status: null,
        errorCode: null,
        requestId: null,
        note: 'the attempt was lost',
      },
    ];
    report.request.unknown = 1;
    const page = renderHtmlReport(report);
    const rows = page.match(/<tr data-attempt="\d+">[\s\S]*?<\/tr>/g) ?? [];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/ambiguous[\s\S]*500[\s\S]*DWS\.9999[\s\S]*req-first/);
    expect(rows[1]).toMatch(/unknown[\s\S]*lost/);
    // What each answer means for the run, from the one classifier's verdict: both may have been taken.
    expect(rows[0]).toMatch(/ambiguous<br \/><small>may have been taken<\/small>/);
    expect(rows[1]).toMatch(/lost<br \/><small>may have been taken<\/small>/);
    expect(page).toContain('1 attempt(s) lost with their worker');
    const text = renderReport(report);
    expect(text).toMatch(/#1 sent .* → ambiguous \(HTTP 500, DWS\.9999, request id req-first\): service error/);
    expect(text).toMatch(/#2 sent: unknown → lost: the attempt was lost/);
    expect(text).toMatch(/→ ambiguous .*: service error \[may have been taken\]$/m);
  });

  it('shows a cancellation after the request as in the service hands, and a switch-back', () => {
    const cancelled = renderHtmlReport(
      sampleReport({
        outcome: 'cancelled',
        completion: null,
        cancellation: { actor: 'erin', comment: 'stop waiting', at: '2025-03-14T02:15:00.000Z', afterRequest: true },
      })
    );
    expect(element(cancelled, 'header', 'summary')).toContain('class="report warn"');
    expect(element(cancelled, 'section', 'cancellation')).toMatch(/erin[\s\S]*stop waiting[\s\S]*service's hands/);
    const recovered = renderHtmlReport(
      sampleReport({
        operation: 'recovery',
        outcome: 'recovered',
        switchBack: { workflowId: 'dws-switchover:p:d', outcome: 'switched-over', summary: 'back to the original' },
      })
    );
    expect(recovered).toContain('<title>Recovery of DR dw-prod-dr — recovered</title>');
    expect(element(recovered, 'section', 'switch-back')).toMatch(/switched-over[\s\S]*dws-switchover:p:d/);
  });

  it('shows a switch back that did not end switched-over loudly, with exit code 10, old runs included', () => {
    const failedBack = (outcome: 'switch-back-failed' | 'precheck-failed' | 'switchover-refused') =>
      renderHtmlReport(
        sampleReport({
          operation: 'recovery',
          outcome: 'recovered',
          switchBack: { workflowId: 'dws-switchover:p:d', outcome, summary: 'The switch back could not run: boom.' },
        })
      );
    // switch-back-failed as runs record it now; precheck-failed as they recorded it before; a refused switch back.
    for (const page of [
      failedBack('switch-back-failed'),
      failedBack('precheck-failed'),
      failedBack('switchover-refused'),
    ]) {
      expect(element(page, 'header', 'summary')).toContain('class="report bad"');
      expect(element(page, 'span', 'outcome')).toContain('recovered · RECOVERED · SWITCH_BACK_FAILED · exit 10');
      expect(element(page, 'section', 'switch-back')).toMatch(/Switch back FAILED[\s\S]*reversed topology/);
    }
    expect(renderReport(sampleReport({ operation: 'recovery', outcome: 'recovered' }))).not.toMatch(/SWITCH-BACK/);
  });

  it('renders a switchover refused before it had its own outcome as it was recorded, with exit code 6', () => {
    const old = sampleReport({ operation: 'switchover', outcome: 'failover-refused', completion: null });
    expect(element(renderHtmlReport(old), 'span', 'outcome')).toContain('failover-refused · FAILOVER_REFUSED · exit 6');
    expect(renderReport(old)).toMatch(/outcome {4}failover-refused \[FAILOVER_REFUSED\]/);
    const now = sampleReport({ operation: 'switchover', outcome: 'switchover-refused', completion: null });
    expect(element(renderHtmlReport(now), 'span', 'outcome')).toContain(
      'switchover-refused · SWITCHOVER_REFUSED · exit 6'
    );
  });

  it('renders the state of a running operation without an outcome', () => {
    const base = sampleReport();
    const running = renderHtmlReport({
      ...base,
      outcome: null,
      summary: null,
      endedAt: null,
      phase: 'polling',
      completion: null,
      rtoSeconds: null,
      rtoFrom: null,
      timeline: base.timeline.slice(0, -1),
    });
    expect(running).toContain('running · polling');
    expect(running).toContain('The failover is still running (phase polling).');
    const timeline = element(running, 'ol', 'timeline');
    expect(timeline).not.toContain('data-phase="completed"');
    expect(timeline).toMatch(/<code>polling<\/code>[\s\S]*in progress/);
    expect(element(running, 'div', 'figure-rto')).toContain('not reached');
  });
});

describe('the html template tag', () => {
  it('escapes interpolated text and attribute quotes but keeps SafeHtml and joins arrays', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\``)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;');
    const out = html`<p title="${'"><b>'}">${['<i>', html`<b>ok</b>`]}${null}${undefined}${false}${0}</p>`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(out.value).toBe('<p title="&quot;&gt;&lt;b&gt;">&lt;i&gt;<b>ok</b>0</p>');
    expect(INJECTED).toContain('<script>');
  });
});

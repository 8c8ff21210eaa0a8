import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodesSection } from '../../src/cli/exit-codes';
import { renderReport } from '../../src/report/text';
import { renderHtmlReport } from '../../src/report/html';
import { escapeHtml } from '../../src/report/html-template';
import { reportJson } from '../../src/report/json';
import type { ReportMeta } from '../../src/report/meta';
import type { OperationReport } from '../../src/shared/operation-model';
import { INJECTED, sampleReport } from './sample-report';
import { breakGlassReport, DIGEST_BEFORE, DIGEST_NOW, temporalCancelReport, verifiedReport } from './verified-report';

/**
 * The reports of a run recorded before decisions were verified, as the renderers of commit 164c92e wrote them
 * (test/fixtures/reports/old-*): a report of an older run must read exactly as it did.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/reports');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
const META: ReportMeta = {
  generatedAt: '2025-03-14T03:00:00.000Z',
  generatedBy: 'dws-failover 0.1.0',
  runUrl: 'http://127.0.0.1:8233/namespaces/default/workflows/x/y/history',
};

/** The markup of the element with `id`, through its matching closing tag. */
function element(page: string, tag: string, id: string): string {
  const at = page.indexOf(`id="${id}"`);
  expect(at, `element #${id}`).toBeGreaterThan(-1);
  const start = page.lastIndexOf(`<${tag}`, at);
  const tags = new RegExp(`<${tag}[\\s>]|</${tag}>`, 'g');
  tags.lastIndex = start;
  let depth = 0;
  for (let m = tags.exec(page); m; m = tags.exec(page)) {
    depth += m[0].startsWith('</') ? -1 : 1;
    if (depth === 0) return page.slice(start, m.index + m[0].length);
  }
  throw new Error(`element #${id} is not closed`);
}

describe('a report of a run without verified decisions', () => {
  it('renders its text, HTML and JSON exactly as before', () => {
    const old = sampleReport();
    expect(renderReport(old, META)).toBe(fixture('old-run.txt'));
    expect(renderHtmlReport(old, META)).toBe(fixture('old-run.html'));
    expect(reportJson(old, META)).toBe(fixture('old-run.json'));
  });

  it('has no break-glass flag, starter, access rules or evidence digest', () => {
    const old = sampleReport();
    expect(JSON.parse(reportJson(old))).not.toHaveProperty('breakGlass');
    const text = renderReport(old);
    expect(text).not.toMatch(/BREAK-GLASS|started by|^ {2}access$|evidence {3}sha256/m);
    const page = renderHtmlReport(old);
    expect(page).not.toMatch(/id="(break-glass|access|approvals|evidence-digest)"/);
  });
});

describe('a report with verified decisions', () => {
  const report = verifiedReport();
  const text = renderReport(report);
  const page = renderHtmlReport(report);

  it('names every approver with how they were verified, when, the digest approved, the comment and the channel', () => {
    expect(text).toContain(
      `bob@example.com (OIDC https://login.example.com · 00u1bob, via intake) approved ${DIGEST_NOW} at 2025-03-14 02:14:10Z from intake: INC-4711: loss accepted`
    );
    expect(text).toContain(
      `carol (named token carol-laptop, via intake) approved ${DIGEST_NOW} at 2025-03-14 02:14:40Z from intake: INC-4711: second pair of eyes`
    );
    expect(text).toContain('  approval   approved by bob@example.com and carol at 2025-03-14 02:14:40Z');
    expect(text).toContain('    approvals  2 of 2 approvals');
    const rows = element(page, 'table', 'approvals').match(/<tr\s+data-approver="[^"]+"[\s\S]*?<\/tr>/g) ?? [];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(
      new RegExp(
        `bob@example\\.com[\\s\\S]*OIDC https://login\\.example\\.com · 00u1bob, via intake[\\s\\S]*2025-03-14 02:14:10\\.500Z[\\s\\S]*${DIGEST_NOW}[\\s\\S]*INC-4711: loss accepted[\\s\\S]*intake`
      )
    );
    expect(element(page, 'section', 'approval')).toMatch(/<dt>Approvals<\/dt>\s*<dd>2 of 2 approvals<\/dd>/);
  });

  it('shows the evidence digest and the facts that were approved', () => {
    expect(text).toContain(`    evidence   ${DIGEST_NOW}`);
    expect(text).toContain('      checks: 1 pass, 1 fail (data-loss-window)');
    expect(text).toContain('      data-loss window: over budget (≤ 2× budget)');
    expect(element(page, 'code', 'evidence-digest')).toContain(DIGEST_NOW);
    expect(element(page, 'ul', 'evidence-facts')).toContain('<li>DR status: running</li>');
  });

  it('lists a voided approval with who, the digest it approved, what changed and when', () => {
    expect(text).toContain(
      `    voided     at 2025-03-14 02:13:30Z, ${DIGEST_BEFORE} → ${DIGEST_NOW}: check data-loss-window now fails; the data-loss window went from within budget to over budget (≤ 2× budget)`
    );
    expect(text).toContain(`dave (own key) approved ${DIGEST_BEFORE} at 2025-03-14 02:12:00Z from cli: looks fine`);
    const voided = element(page, 'div', 'voided-1');
    expect(voided).toMatch(/Voided at 2025-03-14 02:13:30\.000Z/);
    expect(voided).toContain('check data-loss-window now fails');
    expect(element(voided, 'table', 'voided-approvals-1')).toMatch(/dave \(own key\)[\s\S]*looks fine/);
  });

  it('shows the verified starter and the access rules the run decided by, with where each came from', () => {
    expect(text).toContain('  started by alice (own key)');
    expect(text).toContain('    approve    bob@example.com, carol, dave, erin (pair dw-prod-dr access.approve)');
    expect(text).toContain('    cancel     any verified person');
    expect(text).toContain('    approvers  2 distinct people (pair dw-prod-dr critical)');
    expect(element(page, 'header', 'summary')).toMatch(/<dt>Started by<\/dt>\s*<dd>alice \(own key\)<\/dd>/);
    const access = element(page, 'section', 'access');
    expect(access).toMatch(/<dt>four eyes<\/dt>\s*<dd>yes: whoever started or forced the run cannot approve it/);
    expect(access).toContain('(defaults.access.start)');
  });

  it('escapes what approvers wrote', () => {
    const r = verifiedReport();
    r.approval!.approvals![0]!.comment = `ok ${INJECTED}`;
    const html = renderHtmlReport(r);
    expect(element(html, 'table', 'approvals')).toContain(escapeHtml(`ok ${INJECTED}`));
    expect(html).not.toMatch(/<script/i);
  });

  it('has a breakGlass flag that is false in JSON when no break-glass key was used', () => {
    const json = JSON.parse(reportJson(report, META)) as Record<string, unknown>;
    expect(json.breakGlass).toBe(false);
    expect(json.breakGlassUses).toEqual([]);
    expect(Object.keys(json)[0]).toBe('breakGlass');
    expect(json.reportMeta).toEqual(META);
    expect(text).not.toContain('BREAK-GLASS');
  });

  it('names the rejecter with how they were verified', () => {
    const r = verifiedReport();
    Object.assign(r.approval!, { decision: 'rejected', comment: 'not yet', approvals: [] });
    r.outcome = 'rejected';
    expect(renderReport(r)).toContain(
      '  approval   rejected by carol (named token carol-laptop, via intake) at 2025-03-14 02:14:40Z via intake: not yet'
    );
    expect(element(renderHtmlReport(r), 'section', 'approval')).toMatch(
      /<dt>Rejected by<\/dt>\s*<dd>carol \(named token carol-laptop, via intake\)<\/dd>/
    );
  });
});

describe('a break-glass decision', () => {
  const report = breakGlassReport();
  const banner =
    'BREAK-GLASS: the approval by erin was decided with the sealed break-glass key bg-2025; the identity provider did not verify this person.';

  it('opens the text report with the banner', () => {
    expect(renderReport(report).split('\n')[0]).toBe(banner);
  });

  it('opens the HTML page with the banner, above the header, and marks the approval', () => {
    const page = renderHtmlReport(report);
    const glass = page.indexOf('id="break-glass"');
    expect(glass).toBeGreaterThan(-1);
    expect(glass).toBeLessThan(page.indexOf('id="summary"'));
    expect(element(page, 'section', 'break-glass')).toContain(banner);
    expect(element(page, 'table', 'approvals')).toMatch(
      /<tr\s+data-approver="erin"\s+class="break-glass-row"\s*>[\s\S]*BREAK-GLASS key bg-2025: identity not verified/
    );
  });

  it('sets the top-level JSON flag with each use', () => {
    const json = JSON.parse(reportJson(report)) as { breakGlass: boolean; breakGlassUses: unknown[] };
    expect(json.breakGlass).toBe(true);
    expect(json.breakGlassUses).toEqual([
      {
        action: 'approve',
        actor: 'erin',
        keyId: 'bg-2025',
        at: '2025-03-14T02:14:40.990Z',
        voided: false,
        banner,
      },
    ]);
  });

  it('is loud for a break-glass start and cancellation too, and for an approval that was voided later', () => {
    const glass = breakGlassReport().approval!.approvals![1]!.identity;
    const r = verifiedReport({ startedBy: glass });
    r.cancellation = {
      actor: 'erin',
      comment: 'stop',
      at: '2025-03-14T02:15:00.000Z',
      afterRequest: true,
      identity: glass,
    };
    r.approval!.voided![0]!.approvals[0]!.identity = glass;
    const lines = renderReport(r).split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'BREAK-GLASS: the start by erin was decided with the sealed break-glass key bg-2025; the identity provider did not verify this person.',
      'BREAK-GLASS: the voided approval by erin was decided with the sealed break-glass key bg-2025; the identity provider did not verify this person.',
      'BREAK-GLASS: the cancellation by erin was decided with the sealed break-glass key bg-2025; the identity provider did not verify this person.',
    ]);
  });
});

describe('a cancellation through Temporal', () => {
  const report = temporalCancelReport();

  it('says it came through Temporal, unverified, and that the start was unsigned', () => {
    const text = renderReport(report);
    expect(text).toContain(
      '  cancelled  through Temporal (namespace access, unverified) at 2025-03-14 02:12:00Z: cancellation requested through Temporal (before the request: nothing sent)'
    );
    expect(text).toContain('  started by unsigned start from alertmanager (alertmanager)');
    const page = renderHtmlReport(report);
    expect(element(page, 'section', 'cancellation')).toMatch(
      /<dt>By<\/dt>\s*<dd>through Temporal \(namespace access, unverified\)<\/dd>/
    );
    expect(element(page, 'header', 'summary')).toContain('unsigned start from alertmanager (alertmanager)');
  });

  it('names a verified canceller', () => {
    const r = temporalCancelReport();
    r.cancellation!.identity = { actor: 'alice', method: 'key', keyId: 'alice', detail: null, signedAt: null };
    expect(renderReport(r)).toContain('  cancelled  by alice (own key) at 2025-03-14 02:12:00Z');
  });
});

describe('the not-authorised outcome', () => {
  const report: OperationReport = {
    ...sampleReport(),
    startedBy: null,
    access: verifiedReport().access!,
    approval: null,
    decision: null,
    checks: [],
    outcome: 'not-authorised',
    summary:
      "The start of the failover of dw-prod-dr was not signed by someone the pair's access rules allow to start it; nothing was read or sent.",
  };

  it('renders with its code and exit code 9, as a refusal rather than a failure', () => {
    expect(renderReport(report)).toContain('  outcome    not-authorised [NOT_AUTHORISED]');
    const header = element(renderHtmlReport(report), 'header', 'summary');
    expect(header).toContain('not-authorised · NOT_AUTHORISED · exit 9');
    expect(header).toContain('class="report warn"');
  });

  it('is documented as exit code 9 in every Exit codes section', () => {
    expect(exitCodesSection({ ok: 'ok', error: 'error', usage: 'usage' })).toMatch(
      /^ {2}9 {4}not-authorised: the start was not signed by someone allowed to start it$/m
    );
  });
});

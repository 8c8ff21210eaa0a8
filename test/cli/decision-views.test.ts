import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderGateWait, renderReport } from '../../src/report/text';
import {
  fitToHeight,
  renderGateNotice,
  renderWatchLine,
  renderWatchScreen,
  WHO_MAY_DECIDE,
} from '../../src/cli/watch-view';
import { decidedBy } from '../../src/shared/run-memo';
import type { OperationReport, OperationState } from '../../src/shared/operation-model';
import { sampleReport } from '../report/sample-report';
import {
  BREAK_GLASS,
  breakGlassReport,
  DIGEST_BEFORE,
  DIGEST_NOW,
  temporalCancelReport,
  verifiedReport,
} from '../report/verified-report';

const NOW = Date.parse('2025-03-14T02:20:00.000Z');

/** A run waiting at the gate: `report` with its decision taken back. */
function waiting(report: OperationReport): OperationState {
  const s: OperationState = { ...report, outcome: null, summary: null, endedAt: null, phase: 'awaiting-approval' };
  s.approval = { ...report.approval!, decision: null, actor: null, comment: null, decidedAt: null, via: null };
  return s;
}

/** The same run waiting for its second approver: bob approved the current evidence, dave's approval was voided. */
function waitingForSecond(): OperationState {
  const s = waiting(verifiedReport());
  s.approval!.approvals = s.approval!.approvals!.slice(0, 1);
  s.approval!.identity = s.approval!.approvals[0]!.identity;
  return s;
}

describe('the approval gate of a run without verified decisions', () => {
  it('shows in watch, status and failover --wait exactly as before', () => {
    const old = waiting(sampleReport());
    const cancelled = sampleReport({
      outcome: 'cancelled',
      cancellation: { actor: 'erin', comment: 'stop waiting', at: '2025-03-14T02:15:00.000Z', afterRequest: true },
    });
    const views = [
      ...fitToHeight(renderWatchScreen(old, null, NOW, 2), undefined),
      renderWatchLine(old, null, NOW).line,
      ...renderGateNotice(old),
      ...renderGateWait(old),
      renderReport(cancelled),
      renderWatchLine(cancelled, null, NOW).line,
    ].join('\n');
    expect(views).toBe(readFileSync(path.resolve(__dirname, '../fixtures/reports/old-views.txt'), 'utf8'));
  });
});

describe('the approval gate of a run with verified decisions', () => {
  const s = waitingForSecond();
  const screen = fitToHeight(renderWatchScreen(s, null, NOW, 2), undefined).join('\n');

  it('shows the digest and the facts the approver approves', () => {
    expect(screen).toContain(
      `    evidence   ${DIGEST_NOW} (an approval names this digest; it changes when the facts do)`
    );
    expect(screen).toContain('      checks: 1 pass, 1 fail (data-loss-window)');
    expect(screen).toContain(
      '      primary c1f0b9a2-0000-4000-8000-00000000a001, standby c1f0b9a2-0000-4000-8000-00000000b002'
    );
    expect(screen).toContain('      DR status: running');
    expect(screen).toContain('      data-loss window: over budget (≤ 2× budget)');
  });

  it('shows the approvals so far against those required, and the voided ones with why', () => {
    expect(screen).toContain('    approvals  1 of 2 approvals');
    expect(screen).toMatch(/ {6}bob@example\.com \(OIDC [^)]+\) approved sha256:\w+ at 2025-03-14 02:14:10Z/);
    expect(screen).toContain(
      `    voided     at 2025-03-14 02:13:30Z, ${DIGEST_BEFORE} → ${DIGEST_NOW}: check data-loss-window now fails`
    );
    expect(screen).toContain(`      dave (own key) approved ${DIGEST_BEFORE}`);
    expect(renderWatchLine(s, null, NOW).line).toContain(
      `approval WAITING until 2025-03-14 02:41:06Z (1 of 2 approvals of ${DIGEST_NOW})`
    );
  });

  it("says who may decide from the pair's access rules instead of anyone with namespace access", () => {
    const who =
      '    who may decide: bob@example.com, carol, dave, erin (rule pair dw-prod-dr access.approve), signed with their own key or through the intake; not the person who started or forced the run; 2 distinct approvers';
    expect(screen).toContain(who);
    expect(screen).not.toContain(WHO_MAY_DECIDE);
    expect(renderGateNotice(s)).toContain(who);
    const open = { ...waitingForSecond(), access: undefined };
    expect(renderGateNotice(open)).toContain(
      '    who may decide: any verified person, signed with their own key or through the intake'
    );
  });

  it('shows the same evidence where failover --wait stops at the gate', () => {
    const lines = renderGateWait(s);
    expect(lines).toContain(`  evidence   ${DIGEST_NOW} (an approval names this digest; it changes when the facts do)`);
    expect(lines).toContain('  approvals  1 of 2 approvals');
    expect(lines.join('\n')).toMatch(/data-loss window: over budget[\s\S]*Approve \(it then sends its request\):/);
  });

  it('a new approval is news to a plain watch', () => {
    const after = waitingForSecond();
    after.approval!.approvals!.push(verifiedReport().approval!.approvals![1]!);
    expect(renderWatchLine(after, null, NOW).key).not.toBe(renderWatchLine(s, null, NOW).key);
  });
});

describe('break-glass in watch', () => {
  const s = waitingForSecond();
  s.approval!.approvals![0] = { ...s.approval!.approvals![0]!, actor: 'erin', identity: BREAK_GLASS };
  const banner =
    'BREAK-GLASS: the approval by erin was decided with the sealed break-glass key bg-2025; the identity provider did not verify this person.';

  it('is the first line of the screen, and stays on the shortest terminal', () => {
    const screen = renderWatchScreen(s, null, NOW, 2);
    expect(fitToHeight(screen, undefined)[0]).toBe(banner);
    expect(fitToHeight(screen, 3)[0]).toBe(banner);
  });

  it('leads every plain line', () => {
    expect(renderWatchLine(s, null, NOW).line).toMatch(
      /^\[ *\S+\] BREAK-GLASS \(key bg-2025\) · phase awaiting-approval/
    );
  });
});

describe('a cancellation through Temporal in watch', () => {
  it('reads as unverified', () => {
    const s = temporalCancelReport();
    expect(renderWatchScreen(s, null, NOW, 2).details).toContain(
      '  cancelled  through Temporal (namespace access, unverified): cancellation requested through Temporal'
    );
    expect(renderWatchLine(s, null, NOW).line).toContain('cancelled through Temporal (namespace access, unverified)');
  });
});

describe("runs' DECIDED BY", () => {
  it('names both approvers of a critical pair, a Temporal cancel as unverified, and leads with BREAK-GLASS', () => {
    expect(decidedBy(verifiedReport())).toBe('approved by bob@example.com and carol');
    expect(decidedBy(breakGlassReport())).toBe('BREAK-GLASS approved by bob@example.com and erin');
    expect(decidedBy(temporalCancelReport())).toBe('cancelled through Temporal (unverified)');
  });

  it('reads as before for a run without verified decisions', () => {
    expect(decidedBy(sampleReport())).toBe('approved by alice.sre');
    const cancelled = sampleReport({
      cancellation: {
        actor: 'temporal',
        comment: 'through Temporal',
        at: '2025-03-14T02:15:00.000Z',
        afterRequest: false,
      },
    });
    expect(decidedBy(cancelled)).toBe('cancelled by temporal');
  });
});

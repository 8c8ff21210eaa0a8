import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ApprovalState, DrSnapshot, OperationReport, OperationState } from '../../src/shared/operation-model';
import type { OperationPolicy } from '../../src/shared/policy';
import { ended, prechecked, targeted, undecidedGate } from '../../src/shared/operation-phases';
import { sampleReport } from '../report/sample-report';

const HISTORIES = path.resolve(__dirname, '../fixtures/histories');
const OLD_REPORT = path.resolve(__dirname, '../fixtures/reports/old-run.json');

/** The JSON form of `temporal workflow show --output json`, as far as this test reads it. */
interface RecordedHistory {
  events: { workflowExecutionCompletedEventAttributes?: { result?: { payloads?: { data?: string }[] } } }[];
}

/** The reports the recorded integration runs returned (drill results and other workflows' are left out). */
function recordedReports(): { file: string; report: OperationReport }[] {
  return readdirSync(HISTORIES)
    .filter((f) => f.endsWith('.json'))
    .flatMap((file) => {
      const history = JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8')) as RecordedHistory;
      const data = history.events.at(-1)?.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0]?.data;
      if (!data) return [];
      const result = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as Record<string, unknown>;
      // A drill's report has legs, not a trigger.
      return 'trigger' in result && 'timeline' in result
        ? [{ file, report: result as unknown as OperationReport }]
        : [];
    });
}

const reached = (s: OperationState, phase: OperationState['phase']): boolean =>
  s.timeline.some((t) => t.phase === phase);

/** The sample report as its run looked while it waited at the gate. */
function waitingAtGate(): OperationState {
  const r = sampleReport();
  return {
    ...r,
    phase: 'awaiting-approval',
    approval: { ...(r.approval as ApprovalState), decision: null, actor: null, comment: null, decidedAt: null },
    completion: null,
    oldPrimaryClusterId: null,
    newPrimaryClusterId: null,
    outcome: null,
    summary: null,
    endedAt: null,
  };
}

describe('phase guards on the recorded runs', () => {
  const reports = recordedReports();

  it('finds recorded reports of every kind to judge', () => {
    expect(reports.length).toBeGreaterThanOrEqual(50);
    expect(new Set(reports.map((r) => r.report.operation))).toEqual(new Set(['failover', 'switchover', 'recovery']));
    // Each guard meets both answers, so a guard that always says yes (or no) fails below.
    expect(reports.some((r) => prechecked(r.report)) && reports.some((r) => !prechecked(r.report))).toBe(true);
    expect(reports.some((r) => targeted(r.report)) && reports.some((r) => !targeted(r.report))).toBe(true);
  });

  it('judges every recorded report ended', () => {
    expect(reports.filter((r) => !ended(r.report)).map((r) => r.file)).toEqual([]);
  });

  it('judges every run that reached its request prechecked and targeted, as the request half of a run assumes', () => {
    const requested = reports.filter((r) => reached(r.report, 'requesting'));
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((r) => !prechecked(r.report) || !targeted(r.report)).map((r) => r.file)).toEqual([]);
  });

  it('judges a run that never reached its request not targeted', () => {
    const stopped = reports.filter((r) => !reached(r.report, 'requesting'));
    expect(stopped.length).toBeGreaterThan(0);
    expect(stopped.filter((r) => targeted(r.report)).map((r) => r.file)).toEqual([]);
  });

  it('judges a run refused before any read, or one whose pair was not found, not prechecked', () => {
    const unread = reports.filter(
      (r) => r.report.outcome === 'not-authorised' || (r.report.outcome === 'precheck-failed' && !r.report.decision)
    );
    expect(unread.length).toBeGreaterThan(0);
    expect(unread.filter((r) => prechecked(r.report) && !r.report.decision).map((r) => r.file)).toEqual(
      unread.filter((r) => r.report.snapshot !== null).map((r) => r.file)
    );
    expect(reports.filter((r) => r.report.outcome === 'not-authorised' && prechecked(r.report))).toEqual([]);
  });

  it('judges every run that reached its decision prechecked', () => {
    const decided = reports.filter((r) => reached(r.report, 'decision'));
    expect(decided.length).toBeGreaterThan(0);
    expect(decided.filter((r) => !prechecked(r.report)).map((r) => r.file)).toEqual([]);
  });

  it('finds an undecided gate only in a run that waits there or was cancelled there', () => {
    expect(reports.filter((r) => undecidedGate(r.report) && r.report.outcome !== 'cancelled')).toEqual([]);
    expect(undecidedGate(waitingAtGate())).toBe(true);
    expect(reports.some((r) => r.report.approval?.decision === 'timed-out' && !undecidedGate(r.report))).toBe(true);
  });
});

describe('phase guards on the recorded old report', () => {
  const old = JSON.parse(readFileSync(OLD_REPORT, 'utf8')) as OperationReport;

  it('does not take the pair name of an old report without a snapshot for pre-check facts', () => {
    expect(old.drName).not.toBeNull();
    expect(old.snapshot).toBeNull();
    expect(prechecked(old)).toBe(false);
  });

  it('judges the old report targeted and ended, its gate decided', () => {
    expect(targeted(old)).toBe(true);
    expect(ended(old)).toBe(true);
    expect(undecidedGate(old)).toBe(false);
  });
});

describe('phase guards on a live state', () => {
  it('judges a state at the gate neither targeted nor ended', () => {
    const s = waitingAtGate();
    expect(targeted(s)).toBe(false);
    expect(ended(s)).toBe(false);
  });

  it('judges a state with an outcome but no end time not ended', () => {
    expect(ended({ ...waitingAtGate(), outcome: 'cancelled', summary: 'Cancelled.' })).toBe(false);
  });

  it('judges a state from an older version, without the fields it did not write, at no phase', () => {
    const { approval: _a, snapshot: _s, outcome: _o, oldPrimaryClusterId: _p, ...older } = sampleReport();
    const s = older as OperationState;
    expect([prechecked(s), targeted(s), undecidedGate(s), ended(s)]).toEqual([false, false, false, false]);
  });

  it('judges a state with only the old primary chosen not targeted', () => {
    expect(targeted({ ...waitingAtGate(), oldPrimaryClusterId: 'c-1' })).toBe(false);
  });
});

describe('the state types', () => {
  it('makes the run identity readonly and its terms writable', () => {
    expectTypeOf<Pick<OperationState, 'drId' | 'workflowId' | 'startedAt'>>().toEqualTypeOf<{
      readonly drId: string;
      readonly workflowId: string;
      readonly startedAt: string;
    }>();
    expectTypeOf<Pick<OperationState, 'force' | 'policy'>>().toEqualTypeOf<{
      force: boolean;
      policy: OperationPolicy;
    }>();
    const s = waitingAtGate();
    // @ts-expect-error the run's identity is set at its start and never written after
    const write = (): void => void (s.drId = 'another pair');
    expect(write).toBeTypeOf('function');
  });

  it('narrows a prechecked state to a snapshot and an ended one to its end', () => {
    const s: OperationState = { ...sampleReport(), snapshot: null };
    expectTypeOf(s.snapshot).toEqualTypeOf<DrSnapshot | null>();
    if (prechecked(s)) {
      expectTypeOf(s.snapshot).toEqualTypeOf<DrSnapshot>();
      expectTypeOf(s.drName).toEqualTypeOf<string>();
    }
    if (targeted(s)) expectTypeOf(s.newPrimaryClusterId).toEqualTypeOf<string>();
    if (undecidedGate(s)) expectTypeOf(s.approval.decision).toEqualTypeOf<null>();
    if (ended(s)) expectTypeOf(s.summary).toEqualTypeOf<string>();
    expect(prechecked(s)).toBe(false);
  });
});

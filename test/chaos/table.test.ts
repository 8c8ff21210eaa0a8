import { describe, expect, it } from 'vitest';
import { judgeRun } from '../../scripts/chaos/invariants';
import type { RunResult } from '../../scripts/chaos/run';
import { drawRunPlan } from '../../scripts/chaos/schedule';
import { percentile, renderTable, replayCommand, summarize } from '../../scripts/chaos/table';

function result(run: number, over: Partial<RunResult> & { accepted?: number; outcome?: string } = {}): RunResult {
  const plan = { ...drawRunPlan(1, run), op: 'failover' as const };
  const accepted = over.accepted ?? 1;
  const outcome = over.outcome ?? 'failed-over';
  const truth = { primaryClusterId: 'b', standbyClusterId: 'a', status: 'abnormal', failedOver: true, busy: false };
  const verdict = judgeRun({
    op: 'failover',
    outcome,
    notFinished: null,
    initial: { primaryClusterId: 'a', standbyClusterId: 'b' },
    atResult: truth,
    final: truth,
    accepted,
    received: accepted,
    report: { sent: accepted },
    workerKilled: false,
  });
  return {
    plan,
    outcome,
    verdict,
    seconds: 10,
    rtoSeconds: 5 + run,
    faults: ['post-5xx×2', 'read-lag'],
    skipped: [],
    workerKills: 1,
    workerUnexpectedExits: 0,
    restartOffsets: [],
    summary: null,
    workerTail: null,
    workflowId: `dws-failover:p:dr-${run}`,
    ...over,
  };
}

describe('chaos summary', () => {
  it('takes nearest-rank percentiles', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  });

  it('names the seed, the run and the Temporal restarts in the replay command', () => {
    expect(replayCommand(result(4))).toBe('npm run chaos -- --seed 1 --run 4');
    expect(replayCommand(result(4, { restartOffsets: [12.3, 50] }))).toBe(
      'npm run chaos -- --seed 1 --run 4 --restart-at 12.3,50'
    );
  });

  it('adds up faults, kills, accepted requests, RTOs and outcomes', () => {
    const s = summarize(1, [result(1), result(2), result(3, { accepted: 0, outcome: 'precheck-failed' })], 2);
    expect(s).toMatchObject({ runs: 3, passed: 3, failed: 0, workerKills: 3, temporalRestarts: 2 });
    expect(s.faults).toEqual({ total: 6, byKind: { 'post-5xx': 3, 'read-lag': 3 }, skipped: {} });
    expect(s.accepted.failover).toEqual({ runs: 3, max: 1, none: 1 });
    expect(s.rto.failover).toEqual({ n: 2, p50: 6, p95: 7 });
    expect(s.outcomes.failover).toEqual({ 'failed-over': 2, 'precheck-failed': 1 });
  });

  it('lists each failing run with its replay command and marks the broken invariant', () => {
    const s = summarize(1, [result(1), result(2, { accepted: 2 })], 0);
    expect(s.failed).toBe(1);
    const table = renderTable(s);
    expect(table).toMatch(/accepted failover requests\s+max 2 per run .*FAIL/);
    expect(table).toContain('run 2 (failover): the service accepted 2 failover requests (at most 1 allowed)');
    expect(table).toContain('replay: npm run chaos -- --seed 1 --run 2');
    expect(table).toContain('workflow: dws-failover:p:dr-2');
  });

  it("shows the last lines the failing run's worker printed", () => {
    const tail = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
    const table = renderTable(summarize(1, [result(3, { accepted: 2, workerTail: tail })], 0));
    expect(table).toContain('worker said, last lines:');
    expect(table).toContain('      line 20');
    expect(table).not.toContain('      line 8\n');
  });
});

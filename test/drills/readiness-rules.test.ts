import type { ScheduleDescription } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { scheduleHealth } from '../../src/drills/schedule-health';
import { changesOf, type PairReadiness } from '../../src/shared/drill-readiness';

const H = 3_600_000;
const T0 = Date.parse('2026-12-01T00:00:00Z');

/** A described schedule that fires every hour on the hour, with actions at the given hours after T0. */
function hourly(
  actionsAtHours: number[],
  nowHours: number,
  extra: Partial<{ paused: boolean; createdAt: number }> = {}
) {
  const next = [1, 2, 3].map((k) => new Date(T0 + (Math.floor(nowHours) + k) * H));
  return {
    scheduleId: 'dws-drill:p:d:precheck',
    action: { type: 'startWorkflow', args: [{ mode: 'precheck', schedule: { cron: '0 * * * *' } }] },
    state: { paused: extra.paused ?? false },
    info: {
      nextActionTimes: next,
      recentActions: actionsAtHours.map((h) => ({
        scheduledAt: new Date(T0 + h * H),
        takenAt: new Date(T0 + h * H + 50),
        action: { type: 'startWorkflow', workflow: { workflowId: 'w', firstExecutionRunId: 'r' } },
      })),
      createdAt: new Date(extra.createdAt ?? T0),
      lastUpdatedAt: undefined,
    },
  } as unknown as ScheduleDescription;
}

describe('drill schedule health', () => {
  it('is fine when the last due run was taken', () => {
    const h = scheduleHealth(hourly([1, 2, 3], 3.5), T0 + 3.5 * H);
    expect(h).toMatchObject({ missed: false, intervalSeconds: 3600, mode: 'precheck', cron: '0 * * * *' });
    expect(h.expectedAt).toBe(new Date(T0 + 3 * H).toISOString());
  });

  it('says missed when a due run was not taken (e.g. skipped because the previous drill still ran)', () => {
    const h = scheduleHealth(hourly([1, 2], 3.5), T0 + 3.5 * H);
    expect(h.missed).toBe(true);
    expect(h.lastActionAt).toBe(new Date(T0 + 2 * H + 50).toISOString());
  });

  it('gives a due run its grace before calling it missed', () => {
    expect(scheduleHealth(hourly([1, 2], 3.01), T0 + 3.01 * H).missed).toBe(false);
  });

  it('owes nothing before its creation, and a paused schedule is not missed', () => {
    expect(scheduleHealth(hourly([], 3.5, { createdAt: T0 + 3.2 * H }), T0 + 3.5 * H).missed).toBe(false);
    expect(scheduleHealth(hourly([], 3.5, { paused: true }), T0 + 3.5 * H).missed).toBe(false);
  });
});

function pair(over: Partial<PairReadiness> = {}): PairReadiness {
  return {
    pair: 'sales-dw',
    projectId: 'p',
    drId: 'd',
    drillPair: false,
    ready: true,
    reasons: [],
    dataLossWindowSeconds: 10,
    drStatus: 'running',
    primaryClusterId: 'c1',
    lastDrill: null,
    lastPassedDrillAt: '2026-12-01T00:00:00Z',
    drillOverdue: false,
    maxDrillAgeSeconds: 8 * 86_400,
    schedules: [],
    checkedAt: '2026-12-02T00:00:00Z',
    ...over,
  };
}

describe('readiness changes', () => {
  it('notifies a pair that becomes not ready once, and again when it recovers', () => {
    const down = pair({ ready: false, reasons: ['The standby cluster is healthy: dr: UNAVAILABLE'] });
    expect(changesOf(pair(), down).map((c) => c.kind)).toEqual(['pair-not-ready']);
    expect(changesOf(down, down)).toEqual([]);
    expect(changesOf(down, pair()).map((c) => c.kind)).toEqual(['pair-ready-again']);
  });

  it('notifies every current problem on the first run, and a missed, overdue or failed drill when it appears', () => {
    const missed = { scheduleId: 's1', mode: 'precheck' as const, cron: '@daily', paused: false, lastActionAt: null };
    const troubled = pair({
      drillOverdue: true,
      schedules: [
        { ...missed, nextActionAt: null, intervalSeconds: 86400, missed: true, expectedAt: '2026-12-01T00:00:00Z' },
      ],
      lastDrill: {
        workflowId: 'w',
        runId: 'r',
        status: 'COMPLETED',
        mode: 'precheck',
        verdict: 'failed',
        reason: 'x',
        endedAt: null,
      },
    });
    expect(
      changesOf(undefined, troubled)
        .map((c) => c.kind)
        .sort()
    ).toEqual(['drill-failed', 'drill-missed', 'drill-overdue']);
    expect(changesOf(troubled, troubled)).toEqual([]);
    expect(changesOf(undefined, pair())).toEqual([]);
  });
});

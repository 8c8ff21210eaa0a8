/**
 * Did a drill schedule run when it was due? Temporal does not say "missed" by itself: a run skipped because the
 * previous one still ran (overlap SKIP), a run lost outside the catch-up window, or a schedule that never acted
 * all look like "no action". This compares the due times (from the schedule's next action times) with the
 * actions it took.
 */
import type { ScheduleDescription } from '@temporalio/client';
import type { DrillScheduleHealth } from '../shared/drill-readiness';
import type { DrillInput } from '../shared/drills';

/** The drill input a schedule starts its runs with, if it is a drill schedule. */
export function drillInputOf(d: Pick<ScheduleDescription, 'action'>): DrillInput | null {
  const args = (d.action as { args?: unknown[] }).args;
  const first = args?.[0] as DrillInput | undefined;
  return first && typeof first === 'object' && typeof first.mode === 'string' ? first : null;
}

/**
 * The grace a due run gets before it counts as missed: a tenth of the interval, at least a minute, at most an hour.
 */
export function defaultGraceSeconds(intervalSeconds: number): number {
  return Math.min(3600, Math.max(60, intervalSeconds / 10));
}

/**
 * Health of one drill schedule at `nowMs`.
 * @param graceSeconds how late a due run may be; @default defaultGraceSeconds of the interval
 */
export function scheduleHealth(
  d: Pick<ScheduleDescription, 'scheduleId' | 'action' | 'state' | 'info'>,
  nowMs: number,
  graceSeconds?: number
): DrillScheduleHealth {
  const input = drillInputOf(d);
  const next = d.info.nextActionTimes.map((t) => t.getTime());
  const actions = d.info.recentActions.map((a) => a.scheduledAt.getTime());
  const lastAction = d.info.recentActions.at(-1)?.takenAt ?? null;
  // The longest gap between upcoming runs: for uneven crons (Mon and Thu) it errs towards "not missed".
  const gaps = next.slice(1).map((t, i) => t - (next[i] as number));
  const intervalMs = gaps.length > 0 ? Math.max(...gaps) : null;
  const health: DrillScheduleHealth = {
    scheduleId: d.scheduleId,
    mode: input?.mode ?? null,
    cron: input?.schedule?.cron ?? null,
    paused: d.state.paused,
    lastActionAt: lastAction ? lastAction.toISOString() : null,
    nextActionAt: next.length > 0 ? new Date(next[0] as number).toISOString() : null,
    intervalSeconds: intervalMs === null ? null : intervalMs / 1000,
    missed: false,
    expectedAt: null,
  };
  if (intervalMs === null || intervalMs <= 0 || d.state.paused || next[0] === undefined) return health;
  const grace = (graceSeconds ?? defaultGraceSeconds(intervalMs / 1000)) * 1000;
  // The latest due time that is at least `grace` ago, stepping back from the next one.
  const steps = Math.max(1, Math.ceil((next[0] - (nowMs - grace)) / intervalMs));
  const expected = next[0] - steps * intervalMs;
  // A schedule created or changed after that time owed nothing yet.
  const since = Math.max(d.info.createdAt.getTime(), d.info.lastUpdatedAt?.getTime() ?? 0);
  if (expected < since) return health;
  health.expectedAt = new Date(expected).toISOString();
  health.missed = !actions.some((at) => at >= expected - 1000);
  return health;
}

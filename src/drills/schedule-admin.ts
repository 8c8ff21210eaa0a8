/**
 * The project's schedules (drills and readiness): list them with their last run, pause, unpause, trigger, delete.
 */
import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
} from '@temporalio/client';
import { READINESS_WORKFLOW_ID } from '../shared/constants';
import { formatSeconds } from '../shared/duration';
import type { DrillScheduleHealth, ReadinessReport } from '../shared/drill-readiness';
import type { DrillReport } from '../shared/drills';
import { drillInputOf, scheduleHealth } from './schedule-health';

/** Schedules this project owns. */
export const isProjectSchedule = (id: string): boolean => id.startsWith('dws-drill:') || id === READINESS_WORKFLOW_ID;

/** One row of `schedule list`. */
export interface ScheduleRow {
  scheduleId: string;
  kind: 'drill' | 'readiness';
  pair: string | null;
  projectId: string | null;
  drId: string | null;
  /** The cron of a drill schedule, or `every 15m` for readiness. */
  when: string;
  timezone: string;
  blackouts: string[];
  paused: boolean;
  note: string | null;
  health: DrillScheduleHealth;
  /** The latest run the schedule started: its id, status and, once completed, its verdict and reason. */
  lastRun: {
    workflowId: string;
    runId: string;
    at: string;
    status: string;
    verdict: string | null;
    reason: string | null;
  } | null;
}

/** The handle of a project schedule. @throws Error naming the id and how to list them when there is none. */
export async function describeSchedule(
  client: Client,
  scheduleId: string
): Promise<{ handle: ScheduleHandle; description: ScheduleDescription }> {
  const handle = client.schedule.getHandle(scheduleId);
  try {
    return { handle, description: await handle.describe() };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) {
      throw new Error(`No schedule '${scheduleId}'. List them with: dws-failover schedule list`);
    }
    throw err;
  }
}

async function lastRunOf(client: Client, d: ScheduleDescription): Promise<ScheduleRow['lastRun']> {
  const action = d.info.recentActions.at(-1);
  if (!action) return null;
  const { workflowId, firstExecutionRunId: runId } = action.action.workflow;
  const handle = client.workflow.getHandle(workflowId, runId);
  const status = await handle
    .describe()
    .then((x) => x.status.name as string)
    .catch(() => 'UNKNOWN');
  let verdict: string | null = null;
  let reason: string | null = null;
  if (status === 'COMPLETED') {
    const result = (await handle.result().catch(() => null)) as DrillReport | ReadinessReport | null;
    if (result && 'verdict' in result) [verdict, reason] = [result.verdict, result.reason];
    if (result && result.kind === 'readiness') {
      const notReady = result.pairs.filter((p) => !p.ready).length;
      [verdict, reason] = [
        notReady === 0 ? 'all ready' : `${notReady} not ready`,
        `${result.notices.length} notice(s)`,
      ];
    }
  }
  return { workflowId, runId, at: action.takenAt.toISOString(), status, verdict, reason };
}

/** An interval spec as people write it: `every 15m`, `every 1d/2h` (with its offset). Temporal describes it in ms. */
export function intervalText(interval: { every: number; offset?: number }): string {
  const offset = interval.offset ? `/${formatSeconds(interval.offset / 1000)}` : '';
  return `every ${formatSeconds(interval.every / 1000)}${offset}`;
}

/** A row for one described schedule. */
export async function scheduleRow(client: Client, d: ScheduleDescription, nowMs = Date.now()): Promise<ScheduleRow> {
  const input = drillInputOf(d);
  const interval = d.spec.intervals?.[0];
  return {
    scheduleId: d.scheduleId,
    kind: input ? 'drill' : 'readiness',
    pair: input ? (input.pairName ?? input.drId) : null,
    projectId: input?.projectId ?? null,
    drId: input?.drId ?? null,
    when: input?.schedule?.cron ?? (interval ? intervalText(interval) : 'unknown'),
    // An interval schedule's spec has no zone (''): its times are UTC.
    timezone: input?.timezone ?? (d.spec.timezone || 'UTC'),
    blackouts: input?.blackouts ?? [],
    paused: d.state.paused,
    note: d.state.note ?? null,
    health: scheduleHealth(d, nowMs),
    lastRun: await lastRunOf(client, d),
  };
}

/** Every project schedule, described (listing is eventually consistent; descriptions are not). */
export async function listProjectSchedules(client: Client): Promise<ScheduleRow[]> {
  const rows: ScheduleRow[] = [];
  for await (const s of client.schedule.list()) {
    if (!isProjectSchedule(s.scheduleId)) continue;
    const d = await client.schedule
      .getHandle(s.scheduleId)
      .describe()
      .catch(() => null);
    if (d) rows.push(await scheduleRow(client, d));
  }
  return rows.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

export type ScheduleAction = 'pause' | 'unpause' | 'trigger' | 'delete';

/**
 * The overlap policy of `schedule trigger`, the same as the schedules' own: a run asked for while the previous one
 * still runs is skipped (and counted by Temporal), never started beside it. The SDK's default would be ALLOW_ALL.
 */
export const TRIGGER_OVERLAP = ScheduleOverlapPolicy.SKIP;

/** What a trigger did, as far as the schedule told within the wait. */
export type TriggerOutcome =
  { kind: 'started'; workflowId: string } | { kind: 'skipped'; running: string[] } | { kind: 'unknown' };

/** How long `triggerSchedule` watches the schedule for the trigger's effect. */
const TRIGGER_OBSERVE_MS = 5_000;

/**
 * Triggers a schedule now with {@link TRIGGER_OVERLAP}, then watches its description until it shows the effect: a
 * new action (started) or one more overlap skip (skipped, naming the runs still going on).
 */
export async function triggerSchedule(
  handle: ScheduleHandle,
  before: ScheduleDescription,
  observeMs = TRIGGER_OBSERVE_MS
): Promise<TriggerOutcome> {
  const lastAction = before.info.recentActions.at(-1)?.takenAt.getTime() ?? 0;
  const skippedBefore = before.info.numActionsSkippedOverlap;
  await handle.trigger(TRIGGER_OVERLAP);
  const deadline = Date.now() + observeMs;
  for (;;) {
    const d = await handle.describe();
    const taken = d.info.recentActions.at(-1);
    if (taken && taken.takenAt.getTime() > lastAction)
      return { kind: 'started', workflowId: taken.action.workflow.workflowId };
    if (d.info.numActionsSkippedOverlap > skippedBefore)
      return { kind: 'skipped', running: d.info.runningActions.map((r) => r.workflow.workflowId) };
    if (Date.now() >= deadline) return { kind: 'unknown' };
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Pauses, unpauses, triggers (overlap SKIP: nothing if a run is going on) or deletes a project schedule.
 * @returns for a trigger, what it did; else null.
 * @throws Error for an unknown id or one that is not this project's.
 */
export async function actOnSchedule(
  client: Client,
  scheduleId: string,
  action: ScheduleAction,
  note: string
): Promise<TriggerOutcome | null> {
  if (!isProjectSchedule(scheduleId)) {
    throw new Error(`'${scheduleId}' is not a dws-failover schedule (dws-drill:… or ${READINESS_WORKFLOW_ID})`);
  }
  const { handle, description } = await describeSchedule(client, scheduleId);
  if (action === 'trigger') return triggerSchedule(handle, description);
  if (action === 'pause') await handle.pause(note);
  else if (action === 'unpause') await handle.unpause(note);
  else await handle.delete();
  return null;
}

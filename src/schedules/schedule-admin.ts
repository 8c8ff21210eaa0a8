/**
 * The project's schedules (drills and readiness): list them with their last run, pause, unpause, trigger, delete.
 */
import { ScheduleNotFoundError, type Client, type ScheduleDescription, type ScheduleHandle } from '@temporalio/client';
import { READINESS_WORKFLOW_ID } from '../shared/constants';
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

/** A row for one described schedule. */
export async function scheduleRow(client: Client, d: ScheduleDescription, nowMs = Date.now()): Promise<ScheduleRow> {
  const input = drillInputOf(d);
  const interval = d.spec.intervals?.[0]?.every;
  return {
    scheduleId: d.scheduleId,
    kind: input ? 'drill' : 'readiness',
    pair: input ? (input.pairName ?? input.drId) : null,
    projectId: input?.projectId ?? null,
    drId: input?.drId ?? null,
    when: input?.schedule?.cron ?? (interval !== undefined ? `every ${String(interval)}` : 'unknown'),
    timezone: input?.timezone ?? d.spec.timezone ?? 'UTC',
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
 * Pauses, unpauses, triggers (overlap SKIP: nothing if a run is going on) or deletes a project schedule.
 * @throws Error for an unknown id or one that is not this project's.
 */
export async function actOnSchedule(
  client: Client,
  scheduleId: string,
  action: ScheduleAction,
  note: string
): Promise<void> {
  if (!isProjectSchedule(scheduleId)) {
    throw new Error(`'${scheduleId}' is not a dws-failover schedule (dws-drill:… or ${READINESS_WORKFLOW_ID})`);
  }
  const { handle } = await describeSchedule(client, scheduleId);
  if (action === 'pause') await handle.pause(note);
  else if (action === 'unpause') await handle.unpause(note);
  else if (action === 'trigger') await handle.trigger();
  else await handle.delete();
}

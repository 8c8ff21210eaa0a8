/**
 * Drill schedules: one Temporal Schedule per pair and mode (id `dws-drill:{project}:{dr}:{mode}`), overlap SKIP.
 * Creating one that exists updates it in place, so running the same `schedule create` twice never duplicates.
 */
import { ScheduleOverlapPolicy, type Client, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import type { Config } from '../config';
import { DR_ID } from '../shared/constants';
import { isValidTimeZone, parseBlackouts } from '../shared/drill-blackouts';
import {
  DRILL_MODES,
  drillScheduleId,
  MAX_SOAK_SECONDS,
  scheduledDrillWorkflowId,
  type DrillInput,
  type DrillMode,
} from '../shared/drills';
import { businessPart, resolvePolicy } from '../shared/policy';
import type { drillWorkflow } from '../workflows';
import { cronProblem } from './cron';
import type { PairRef } from './pair-ref';
import { upsertSchedule } from './upsert';

/** A drill to run now or on a schedule. */
export interface DrillRequest {
  pair: PairRef;
  mode: DrillMode;
  soakSeconds?: number;
  /** Who asks (a person at the CLI, or the schedule's creator). */
  actor: string;
}

export interface DrillScheduleRequest extends DrillRequest {
  cron: string;
  /** IANA zone for the cron and the blackout windows. @default 'UTC' */
  timezone?: string;
  blackouts?: string[];
}

/** Problems with a drill's mode, soak, cron, time zone and blackout windows, each a full sentence. */
export function drillProblems(req: {
  mode: string;
  soakSeconds?: number;
  cron?: string;
  timezone?: string;
  blackouts?: string[];
}): string[] {
  const problems: string[] = [];
  if (!(DRILL_MODES as readonly string[]).includes(req.mode))
    problems.push(`--mode '${req.mode}' is not a drill mode; use ${DRILL_MODES.join(', ')}`);
  if (req.soakSeconds !== undefined) {
    if (req.mode !== 'switchover-roundtrip') problems.push('--soak only applies to --mode switchover-roundtrip');
    else if (!(req.soakSeconds >= 0 && req.soakSeconds <= MAX_SOAK_SECONDS))
      problems.push(`--soak must be between 0s and ${MAX_SOAK_SECONDS / 3600}h`);
  }
  if (req.cron !== undefined) {
    const problem = cronProblem(req.cron);
    if (problem) problems.push(problem);
  }
  if (req.timezone !== undefined && !isValidTimeZone(req.timezone))
    problems.push(
      `--timezone '${req.timezone}' is not a known IANA time zone (e.g. UTC, Europe/Berlin, Asia/Shanghai)`
    );
  problems.push(...parseBlackouts(req.blackouts ?? []).problems);
  return problems;
}

/** The drill's workflow input: the pair's policy from the inventory over the configured one. */
export function drillInput(
  config: Pick<Config, 'policy'>,
  req: DrillRequest,
  source: 'cli' | 'schedule',
  schedule?: { scheduleId: string; cron: string; timezone: string; blackouts: string[] }
): DrillInput {
  return {
    projectId: req.pair.projectId,
    drId: req.pair.drId,
    mode: req.mode,
    pairName: req.pair.name,
    ...(req.mode === 'switchover-roundtrip' && req.soakSeconds !== undefined ? { soakSeconds: req.soakSeconds } : {}),
    requestedBy: { source, actor: req.actor, ref: schedule ? schedule.scheduleId : `cli:${req.actor}` },
    // The business policy only: a schedule runs with the timing of the worker that serves it, not of today.
    policy: businessPart(resolvePolicy(config.policy, req.pair.entry?.policy)),
    ...(schedule
      ? {
          blackouts: schedule.blackouts,
          timezone: schedule.timezone,
          schedule: { scheduleId: schedule.scheduleId, cron: schedule.cron },
        }
      : {}),
  };
}

/**
 * Creates the pair's schedule for the mode, or updates it when it exists (a paused one stays paused).
 * @throws Error when the request is invalid; Temporal errors propagate.
 */
export async function upsertDrillSchedule(
  client: Client,
  config: Pick<Config, 'policy' | 'temporal'>,
  req: DrillScheduleRequest
): Promise<{ scheduleId: string; created: boolean }> {
  const problems = drillProblems(req);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const scheduleId = drillScheduleId(req.pair.projectId, req.pair.drId, req.mode);
  const timezone = req.timezone ?? 'UTC';
  const input = drillInput(config, req, 'schedule', {
    scheduleId,
    cron: req.cron,
    timezone,
    blackouts: req.blackouts ?? [],
  });
  const spec = { cronExpressions: [req.cron], timezone };
  const action: ScheduleOptionsStartWorkflowAction<typeof drillWorkflow> = {
    type: 'startWorkflow',
    workflowType: 'drillWorkflow',
    // One id per schedule, and the server appends the scheduled time: dws-drill:{project}:{dr}-{mode}-2026-12-01T10:00:00Z.
    workflowId: scheduledDrillWorkflowId(req.pair.projectId, req.pair.drId, req.mode),
    taskQueue: config.temporal.taskQueue,
    args: [input],
    typedSearchAttributes: [{ key: DR_ID, value: req.pair.drId }],
  };
  // SKIP: a drill still running (a long soak) is never doubled; a late worker does not replay a day of drills.
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour', pauseOnFailure: false };
  const note = `${req.mode} drill of ${req.pair.name}, set by ${req.actor}`;
  return upsertSchedule(client, scheduleId, { spec, action, policies, note });
}

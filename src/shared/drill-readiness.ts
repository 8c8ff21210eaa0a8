/**
 * Readiness (DESIGN §4): what `readinessWorkflow` and `dws-failover readiness` find per pair, and which changes
 * since the previous run are worth a notification. Sandbox-safe.
 */
import type { EndpointAnswer } from './topology';
import type { DrillMode, DrillVerdict } from './drills';
import { formatSeconds } from './duration';
import type { NotificationEvent } from './notifications';

/**
 * How old the last passed drill of a pair may be before readiness says so, when neither the pair's inventory
 * policy (`max_drill_age`) nor the readiness run (`--max-drill-age`) sets a limit.
 */
export const DEFAULT_MAX_DRILL_AGE_SECONDS = 8 * 86_400;

export interface ReadinessInput {
  /**
   * The last passed drill of a pair may be this old, for pairs whose inventory policy sets no `max_drill_age`.
   * @default DEFAULT_MAX_DRILL_AGE_SECONDS
   */
  maxDrillAgeSeconds?: number;
  /** How late a scheduled drill may be before it counts as missed. @default a tenth of its interval, ≥ 60 s */
  missedGraceSeconds?: number;
  /** Send notifications for changes. @default true */
  notify?: boolean;
}

/** The latest closed drill of a pair. */
export interface LastDrill {
  workflowId: string;
  runId: string;
  /** Temporal's status of the run: COMPLETED, FAILED, TERMINATED, CANCELLED, TIMED_OUT. */
  status: string;
  mode: DrillMode | null;
  verdict: DrillVerdict | null;
  reason: string | null;
  endedAt: string | null;
}

/** One drill schedule of a pair, and whether its last expected run happened. */
export interface DrillScheduleHealth {
  scheduleId: string;
  mode: DrillMode | null;
  cron: string | null;
  paused: boolean;
  lastActionAt: string | null;
  nextActionAt: string | null;
  /** Time between two runs, from the schedule's next action times; null when it cannot tell. */
  intervalSeconds: number | null;
  /** A run was due (at `expectedAt`) and none was taken: overlap-skipped, missed catch-up, or no action. */
  missed: boolean;
  expectedAt: string | null;
}

/** Readiness of one pair. */
export interface PairReadiness {
  pair: string;
  projectId: string;
  drId: string;
  drillPair: boolean;
  ready: boolean;
  /** Why not: the failing checks, or the error that kept the pair from being read. */
  reasons: string[];
  dataLossWindowSeconds: number | null;
  drStatus: string | null;
  primaryClusterId: string | null;
  lastDrill: LastDrill | null;
  lastPassedDrillAt: string | null;
  /** The last passed drill is older than `maxDrillAgeSeconds`, or there never was one. */
  drillOverdue: boolean;
  /** The limit that applied: the pair's `max_drill_age`, else the run's `--max-drill-age`, else the default. */
  maxDrillAgeSeconds: number;
  schedules: DrillScheduleHealth[];
  checkedAt: string;
  /** A cross-region pair: whether each region's endpoint answers a read of the DR record. */
  endpoints?: EndpointAnswer[];
  /**
   * A cross-region pair: whether the standby region's endpoint could take the failover now — it answers, and its
   * copy of the record shows the pair as the primary region's copy does — and what it showed.
   */
  standbyEndpoint?: { ready: boolean; note: string };
}

export type ReadinessNoticeKind =
  'pair-not-ready' | 'pair-ready-again' | 'drill-missed' | 'drill-overdue' | 'drill-failed';

/** A notification about one pair's readiness; sent through the pair's targets like an operation's. */
export type ReadinessEvent = Omit<NotificationEvent, 'kind' | 'operation'> & {
  kind: ReadinessNoticeKind;
  operation: 'readiness';
};

/** What a readiness run notified, and whether it reached the targets. */
export interface ReadinessNotice {
  kind: ReadinessNoticeKind;
  pair: string;
  projectId: string;
  drId: string;
  key: string;
  summary: string;
  delivered: number | null;
  error: string | null;
}

/** The result of `readinessWorkflow`: the table and what changed since the previous run. */
export interface ReadinessReport {
  kind: 'readiness';
  workflowId: string;
  runId: string;
  checkedAt: string;
  /** The run's limit, for pairs without their own `max_drill_age` (each pair's row has the one that applied). */
  maxDrillAgeSeconds: number;
  /** The run compared with (the latest completed readiness run on the same task queue), if any. */
  previousRun: string | null;
  pairs: PairReadiness[];
  notices: ReadinessNotice[];
}

/** The conditions of a pair worth a notification when they appear; each has a stable key. */
export function conditionsOf(p: PairReadiness): Map<string, { kind: ReadinessNoticeKind; summary: string }> {
  const out = new Map<string, { kind: ReadinessNoticeKind; summary: string }>();
  if (!p.ready) {
    out.set('not-ready', {
      kind: 'pair-not-ready',
      summary: `${p.pair} is not ready to fail over: ${p.reasons.join('; ')}`,
    });
  }
  for (const s of p.schedules.filter((x) => x.missed)) {
    out.set(`drill-missed:${s.scheduleId}`, {
      kind: 'drill-missed',
      summary: `The scheduled ${s.mode ?? ''} drill ${s.scheduleId} did not run when due (${s.expectedAt}); last run ${s.lastActionAt ?? 'never'}.`,
    });
  }
  if (p.drillOverdue) {
    out.set('drill-overdue', {
      kind: 'drill-overdue',
      summary: p.lastPassedDrillAt
        ? `The last passed drill of ${p.pair} was at ${p.lastPassedDrillAt}, older than the ${formatSeconds(p.maxDrillAgeSeconds)} allowed.`
        : `${p.pair} has no passed drill on record.`,
    });
  }
  if (p.lastDrill?.verdict === 'failed' || (p.lastDrill && p.lastDrill.status !== 'COMPLETED')) {
    out.set(`drill-failed:${p.lastDrill.workflowId}:${p.lastDrill.runId}`, {
      kind: 'drill-failed',
      summary: `The last drill of ${p.pair} (${p.lastDrill.mode ?? 'unknown mode'}, ${p.lastDrill.workflowId}) failed: ${p.lastDrill.reason ?? p.lastDrill.status}.`,
    });
  }
  return out;
}

/**
 * What to notify for one pair: conditions that are new since the previous run (all of them when there is none),
 * and `pair-ready-again` when the pair was not ready before and is now.
 */
export function changesOf(
  previous: PairReadiness | undefined,
  current: PairReadiness
): { key: string; kind: ReadinessNoticeKind; summary: string }[] {
  const before = previous ? conditionsOf(previous) : new Map();
  const now = conditionsOf(current);
  const changes = [...now].filter(([key]) => !before.has(key)).map(([key, c]) => ({ key, ...c }));
  if (before.has('not-ready') && !now.has('not-ready')) {
    changes.push({
      key: 'ready-again',
      kind: 'pair-ready-again',
      summary: `${current.pair} is ready to fail over again: every hard check and the data-loss window pass.`,
    });
  }
  return changes;
}

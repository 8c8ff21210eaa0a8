/**
 * DR drills (DESIGN §4): input, live state, report and the `progress` query of `drillWorkflow`. Sandbox-safe.
 */
import { defineQuery } from '@temporalio/workflow';
import { workflowIds } from './constants';
import type { OperationPolicy } from './policy';
import type { CheckResult, Outcome, PrecheckResult, TriggerSource } from './operation-model';

/** What a drill does. Only `precheck` is read-only; `failover` is allowed on inventory drill pairs only. */
export type DrillMode = 'precheck' | 'switchover-roundtrip' | 'failover';

/** Every mode, for flag validation and help texts. */
export const DRILL_MODES: readonly DrillMode[] = Object.freeze(['precheck', 'switchover-roundtrip', 'failover']);

/** The soak of a switchover round trip when none is given: long enough for clients to reconnect. */
export const DEFAULT_SOAK_SECONDS = 300;

/** Longest accepted soak: a drill holds the pair in the reversed topology no longer than a day. */
export const MAX_SOAK_SECONDS = 86_400;

/** Input of `drillWorkflow`. Plain JSON; schedules keep it as their action's argument. */
export interface DrillInput {
  projectId: string;
  drId: string;
  mode: DrillMode;
  /** Name of the pair in the inventory, for reports (the workflow also reads the DR name). */
  pairName?: string;
  /** switchover-roundtrip: how long to stay in the reversed topology. @default DEFAULT_SOAK_SECONDS */
  soakSeconds?: number;
  /** Who started it: `schedule` (with the schedule id as ref) or `cli`/`api` with a person. */
  requestedBy: { source: TriggerSource; actor: string; ref: string };
  /** Policy of the pair for the child operations (timings, budget); unset fields take the built-in defaults. */
  policy?: Partial<OperationPolicy>;
  /** Blackout windows (see drill-blackouts.ts); a run inside one ends at once as `skipped`. */
  blackouts?: string[];
  /** IANA time zone the blackout windows are read in. @default 'UTC' */
  timezone?: string;
  /** The schedule that runs this drill, and its cron, so `schedule list` can show them. */
  schedule?: { scheduleId: string; cron: string };
}

export type DrillVerdict = 'passed' | 'failed' | 'skipped';

/** The legs a drill may run; each one is a child operation workflow with its business-key id. */
export type DrillLegName = 'switchover' | 'switch-back' | 'failover' | 'recovery';

/** One timed leg: the child's outcome and RTO, and what the drill verified afterwards. */
export interface DrillLeg {
  leg: DrillLegName;
  workflowId: string;
  runId: string | null;
  startedAt: string;
  endedAt: string | null;
  /** Wall time of the leg as the drill saw it (start of the child → its report). */
  durationSeconds: number | null;
  outcome: Outcome | null;
  summary: string | null;
  /** The child's RTO: from the leg's start (its trigger) to completion seen. */
  rtoSeconds: number | null;
  /** The primary read after the leg, and whether it is the one the leg should have produced (and healthy). */
  primaryAfter: string | null;
  verified: boolean | null;
  note?: string;
}

/** Where the pair stands: `original` = the primary it had when the drill started. */
export interface DrillTopology {
  state: 'original' | 'reversed' | 'unknown';
  primaryClusterId: string | null;
  originalPrimaryClusterId: string | null;
  drStatus: string | null;
}

/** One IAM action a real failover needs, and what the drill could honestly say about it. */
export interface PermissionFinding {
  action: string;
  /** `proven`: a call that needs it succeeded; `denied`: it was refused; `unproven`: only a mutation would tell. */
  status: 'proven' | 'denied' | 'unproven';
  evidence: string;
}

/** What a `precheck` drill found. */
export interface DrillPrecheck {
  failover: PrecheckResult;
  switchover: PrecheckResult;
  /** The failover rule of `dws-failover precheck`: hard checks and the data-loss window pass. */
  failoverReady: boolean;
  switchoverReady: boolean;
  permissions: PermissionFinding[];
}

export interface DrillTimelineEntry {
  at: string;
  step: string;
  note?: string;
}

/** The drill's live state (the `progress` query) and, once `verdict` is set, its report (the result). */
export interface DrillState {
  kind: 'drill';
  workflowId: string;
  runId: string;
  projectId: string;
  drId: string;
  drName: string | null;
  mode: DrillMode;
  soakSeconds: number | null;
  requestedBy: DrillInput['requestedBy'];
  scheduleId: string | null;
  /** The step the drill is in: `starting`, `prechecks`, a leg name, `soak`, `cleanup`, `completed`. */
  phase: string;
  startedAt: string;
  legs: DrillLeg[];
  timeline: DrillTimelineEntry[];
  precheck: DrillPrecheck | null;
  topology: DrillTopology;
  /** An incident (or an operator) cancelled the drill. */
  cancelled: boolean;
  verdict: DrillVerdict | null;
  /** Why the verdict: what failed, which window skipped it, or what passed. */
  reason: string | null;
  endedAt: string | null;
}

/** The drill result. */
export type DrillReport = DrillState & { verdict: DrillVerdict; reason: string; endedAt: string };

/** Same name as the operations' query, so `watch`-style tools ask every workflow the same way. */
export const drillProgressQuery = defineQuery<DrillState>('progress');

/** The IAM actions a real failover run by this project needs (reference §1.3). */
export const FAILOVER_IAM_ACTIONS = Object.freeze({
  read: 'dws:cluster:getDisasterRecovery',
  failover: 'dws:cluster:switchFailoverDisaster',
  switchover: 'dws:cluster:switchoverDisasterRecovery',
  recovery: 'dws:cluster:restoreDisaster',
});

/**
 * Ready to fail over if needed: every hard check passes and the data-loss window is within budget (the rule of
 * `dws-failover precheck`). A healthy primary and the cooldown only decide about approval in a real failover.
 */
export function readyToFailOver(checks: readonly CheckResult[]): boolean {
  return blockingChecks(checks).length === 0;
}

/** The checks that make a pair not ready: failed hard checks and a data-loss window over budget or unknown. */
export function blockingChecks(checks: readonly CheckResult[]): CheckResult[] {
  return checks.filter((c) => !c.passed && (c.severity === 'hard' || c.id === 'data-loss-window'));
}

/** Business-key id of a schedule: one per pair and mode, so creating it again updates it. */
export function drillScheduleId(projectId: string, drId: string, mode: DrillMode): string {
  return `dws-drill:${projectId}:${drId}:${mode}`;
}

/**
 * The workflow id a pair's drill schedule for `mode` gives its runs; the server appends the scheduled time:
 * `dws-drill:{project}:{dr}-{mode}-2026-12-01T10:00:00Z`. Each schedule of a pair (one per mode) has its own, so two
 * of them due in the same second both start. It is the pair's drill id and a '-', like every earlier form, so
 * {@link isDrillOfPair} and the drill-leg check of the operations know old and new runs alike.
 */
export function scheduledDrillWorkflowId(projectId: string, drId: string, mode: DrillMode): string {
  return `${workflowIds.drill(projectId, drId)}-${mode}`;
}

/**
 * Whether `workflowId` is a drill of the pair: `dws-drill:{project}:{dr}` (run now), `…-{time}` (scheduled, before
 * per-schedule ids) or `…-{mode}-{time}` (scheduled). Not a drill of another pair whose DR id merely starts the same.
 */
export function isDrillOfPair(workflowId: string, projectId: string, drId: string): boolean {
  const base = workflowIds.drill(projectId, drId);
  return workflowId === base || workflowId.startsWith(`${base}-`);
}

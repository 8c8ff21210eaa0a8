/**
 * The drill's state: steps on its timeline, the topology it leaves, and its end. Runs in the workflow sandbox.
 */
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { DR_ID, FAILOVER_OUTCOME } from '../../shared/constants';
import {
  DEFAULT_SOAK_SECONDS,
  type DrillPrecheck,
  type DrillInput,
  type DrillReport,
  type DrillState,
  type DrillVerdict,
  blockingChecks,
} from '../../shared/drills';

const nowIso = (): string => new Date().toISOString();

/** The state of a drill that has just started. Also makes sure the run carries its `DrId` (exclusion finds it). */
export function initialDrillState(input: DrillInput): DrillState {
  const info = workflowInfo();
  upsertSearchAttributes([{ key: DR_ID, value: input.drId }]);
  return {
    kind: 'drill',
    workflowId: info.workflowId,
    runId: info.runId,
    projectId: input.projectId,
    drId: input.drId,
    drName: input.pairName ?? null,
    mode: input.mode,
    soakSeconds: input.mode === 'switchover-roundtrip' ? (input.soakSeconds ?? DEFAULT_SOAK_SECONDS) : null,
    requestedBy: input.requestedBy,
    scheduleId: input.schedule?.scheduleId ?? null,
    phase: 'starting',
    startedAt: nowIso(),
    legs: [],
    timeline: [{ at: nowIso(), step: 'starting', note: `${input.mode} drill by ${input.requestedBy.actor}` }],
    precheck: null,
    topology: { state: 'unknown', primaryClusterId: null, originalPrimaryClusterId: null, drStatus: null },
    cancelled: false,
    verdict: null,
    reason: null,
    endedAt: null,
  };
}

/** Enters a step: the phase and a timeline entry. */
export function step(state: DrillState, phase: string, note?: string): void {
  state.phase = phase;
  state.timeline.push({ at: nowIso(), step: phase, ...(note ? { note } : {}) });
}

/** A sentence that states where the pair was left. */
export function topologySentence(state: DrillState): string {
  const t = state.topology;
  if (t.state === 'unknown') {
    return `The topology could not be confirmed (primary ${t.primaryClusterId ?? 'unknown'}, DR status ${t.drStatus ?? 'unknown'}): check it with dws-failover precheck.`;
  }
  const how = t.state === 'original' ? 'the original topology' : 'the REVERSED topology';
  return `The pair is in ${how}: primary ${t.primaryClusterId}, DR status ${t.drStatus}.`;
}

/** Ends the drill with a verdict; the `FailoverOutcome` search attribute carries the verdict for readiness. */
export function finishDrill(state: DrillState, verdict: DrillVerdict, reason: string): DrillReport {
  state.verdict = verdict;
  state.reason = reason;
  state.endedAt = nowIso();
  step(state, 'completed', `${verdict}: ${reason}`);
  upsertSearchAttributes([{ key: FAILOVER_OUTCOME, value: verdict }]);
  return state as DrillReport;
}

/** The verdict of a `precheck` drill: passed when a failover and a switchover would both pass their checks. */
export function precheckVerdict(pre: DrillPrecheck): { verdict: DrillVerdict; reason: string } {
  const failing = blockingChecks([...pre.failover.checks, ...pre.switchover.checks]).map(
    (c) => `${c.title}: ${c.observed}`
  );
  const unproven = pre.permissions.filter((p) => p.status === 'unproven').length;
  const note = `${unproven} write permission(s) cannot be proven without mutating; nothing was mutated.`;
  return pre.failoverReady && pre.switchoverReady
    ? { verdict: 'passed', reason: `Every failover and switchover pre-check passes. ${note}` }
    : { verdict: 'failed', reason: `Not ready: ${[...new Set(failing)].join('; ')}. ${note}` };
}

/**
 * `drillWorkflow` (DESIGN §4): proves that a pair can fail over, in one of three modes, and reports like a failover.
 * Id `dws-drill:{projectId}:{drId}` (scheduled runs add a timestamp). It skips inside a blackout window and while an
 * incident runs for the pair; an incident that starts later cancels it, and it then finishes the leg in flight,
 * touches nothing more and states where it left the pair.
 */
import {
  CancellationScope,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { innermostMessage } from '../../shared/failure-message';
import { activeBlackout } from '../../shared/drill-blackouts';
import { drillProgressQuery, type DrillInput, type DrillReport } from '../../shared/drills';
import { DEFAULT_POLICY, resolvePolicy, type OperationPolicy } from '../../shared/policy';
import { effectivePolicy, usesWorkerTiming } from '../operations/timing';
import { RETRY } from '../retry-profiles';
import { DRILL_LEGS, LEG_LEAVES, runLeg, type LegContext } from './drill-legs';
import { finishDrill, initialDrillState, precheckVerdict, step, topologySentence } from './drill-state';

/**
 * Runs that start on this version cancel a leg with its cancel update, whose validator refuses once the request may
 * have left; before, the drill read the leg's phase and then cancelled it, and the request could leave in between.
 */
const LEG_CANCEL_UPDATE_PATCH = 'drill-leg-cancel-update';

/** Reads of the pair and of Temporal: a few calls each, retried briefly (a drill may as well fail early). */
const acts = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: RETRY.shortReads,
});

/** The topology read may first wait out an operation the service still runs (a leg let finish after a cancel). */
function topologyOptions(policy: OperationPolicy): ActivityOptions {
  return {
    startToCloseTimeout: `${policy.completionTimeoutSeconds + 120}s`, // the bounded wait plus a few reads
    heartbeatTimeout: `${Math.max(policy.heartbeatTimeoutSeconds, 2 * policy.pollIntervalSeconds + 5)}s`, // per poll
    retry: RETRY.topologyRead, // then the topology is unknown
  };
}

/** Runs one drill and returns its report. Never throws for an expected outcome. */
export async function drillWorkflow(input: DrillInput): Promise<DrillReport> {
  const state = initialDrillState(input);
  setHandler(drillProgressQuery, () => state);
  // The timing is the serving worker's (timing.ts); runs started before that keep what their input froze.
  const workerTiming = usesWorkerTiming();
  // Asked before any await: a patch decided after a local activity confuses the replay of a resumed run.
  const cancelLegByUpdate = patched(LEG_CANCEL_UPDATE_PATCH);
  let policy = resolvePolicy(DEFAULT_POLICY, input.policy);
  const root = CancellationScope.current();
  const original = { primary: '', standby: '' };

  /** Reads where the pair stands (waiting while the service still switches) into the state. Never throws. */
  const settle = async (): Promise<{ healthy: boolean; stable: boolean }> => {
    try {
      const { readDrillTopology } = proxyActivities<Activities>(topologyOptions(policy));
      const t = await CancellationScope.nonCancellable(() =>
        readDrillTopology({
          projectId: input.projectId,
          drId: input.drId,
          originalPrimaryId: original.primary,
          settleTimeoutMs: policy.completionTimeoutSeconds * 1000,
          pollIntervalMs: policy.pollIntervalSeconds * 1000,
        })
      );
      const { primaryHealthy, stable, error: _error, ...topology } = t;
      state.topology = topology;
      return { healthy: primaryHealthy, stable };
    } catch {
      state.topology = { ...state.topology, state: 'unknown' };
      return { healthy: false, stable: false };
    }
  };

  const cancelledEnd = async (): Promise<DrillReport> => {
    state.cancelled = true;
    step(state, 'cleanup', 'cancelled: an incident for this pair (or an operator) takes precedence');
    if (original.primary) await settle();
    const legs = state.legs.map((l) => `${l.leg} ${l.outcome ?? 'unfinished'}`).join(', ');
    return finishDrill(
      state,
      'failed',
      `Cancelled (an incident for this pair, or an operator); nothing further was attempted${legs ? ` after: ${legs}` : ''}. ${topologySentence(state)}`
    );
  };

  try {
    if (workerTiming) policy = await effectivePolicy(input.projectId, input.drId, input.policy);
    const tz = input.timezone ?? 'UTC';
    let window: string | null;
    try {
      window = activeBlackout(input.blackouts ?? [], new Date(), tz);
    } catch (err) {
      return finishDrill(state, 'failed', `Invalid blackout window or time zone: ${(err as Error).message}.`);
    }
    if (window) {
      return finishDrill(state, 'skipped', `Inside the blackout window ${window} (${tz}); nothing was touched.`);
    }

    step(state, 'exclusion');
    const incident = await acts.runningIncident({ projectId: input.projectId, drId: input.drId });
    if (incident) {
      return finishDrill(
        state,
        'skipped',
        `The incident workflow ${incident} runs for this pair; a drill never runs alongside one.`
      );
    }
    const facts = await acts.readDrillPair({ projectId: input.projectId, drId: input.drId });
    if (!facts.found || !facts.primaryClusterId || !facts.standbyClusterId) {
      return finishDrill(state, 'failed', `DR ${input.drId} was not found in project ${input.projectId}.`);
    }
    state.drName = facts.drName ?? state.drName;
    original.primary = facts.primaryClusterId;
    original.standby = facts.standbyClusterId;
    state.topology = {
      state: 'original',
      primaryClusterId: original.primary,
      originalPrimaryClusterId: original.primary,
      drStatus: facts.status,
    };
    if (input.mode !== 'precheck' && facts.otherDrills.length > 0) {
      return finishDrill(state, 'skipped', `Another drill runs on this pair: ${facts.otherDrills.join(', ')}.`);
    }
    if (input.mode === 'failover' && !facts.drillPair) {
      return finishDrill(
        state,
        'failed',
        `Refused: a failover drill runs only on drill pairs, and ${facts.drillPairWhy}. Nothing was touched.`
      );
    }

    if (input.mode === 'precheck') {
      step(state, 'prechecks');
      state.precheck = await acts.runDrillPrechecks({
        projectId: input.projectId,
        drId: input.drId,
        dataLossBudgetSeconds: policy.dataLossBudgetSeconds,
        cooldownSeconds: policy.cooldownSeconds,
      });
      const { verdict, reason } = precheckVerdict(state.precheck);
      return finishDrill(state, verdict, reason);
    }

    // Legs read their own timing from their worker: they get the drill's input policy, not its resolved one.
    const legPolicy = workerTiming ? { ...input.policy } : policy;
    const ctx: LegContext = { input, state, policy: legPolicy, root, cancelLegByUpdate };
    for (const name of DRILL_LEGS[input.mode]) {
      const { leg, cancelled } = await runLeg(ctx, name);
      const completed = leg.outcome !== null && leg.verified !== false;
      const { healthy, stable } = await settle();
      const expected = LEG_LEAVES[name] === 'original' ? original.primary : original.standby;
      leg.primaryAfter = state.topology.primaryClusterId;
      leg.verified =
        leg.verified !== false &&
        state.topology.primaryClusterId === expected &&
        healthy &&
        stable &&
        (name !== 'recovery' || state.topology.drStatus === 'running');
      if (cancelled) return await CancellationScope.nonCancellable(cancelledEnd);
      if (!leg.verified) {
        const what = !leg.outcome
          ? `did not finish: ${leg.summary}`
          : completed
            ? `ended as ${leg.outcome}, but the pair did not verify (expected primary ${expected}, healthy, stable${name === 'recovery' ? ', DR running' : ''})`
            : `ended as ${leg.outcome}: ${leg.summary}`;
        return finishDrill(
          state,
          'failed',
          `The ${name} leg ${what}. Nothing further was attempted. ${topologySentence(state)}`
        );
      }
      if (name === 'switchover' && state.soakSeconds) {
        step(state, 'soak', `holding the reversed topology for ${state.soakSeconds}s`);
        await sleep(state.soakSeconds * 1000);
      }
    }
    const rto = state.legs.map((l) => `${l.leg} ${l.rtoSeconds === null ? '?' : `${Math.round(l.rtoSeconds)}s`}`);
    return finishDrill(
      state,
      'passed',
      `Every leg completed and verified (RTO ${rto.join(', ')}). ${topologySentence(state)}`
    );
  } catch (err) {
    if (isCancellation(err)) return CancellationScope.nonCancellable(cancelledEnd);
    // Every drill ends in a report: an error (e.g. the pair stayed unreadable) is a failed drill, topology stated.
    return CancellationScope.nonCancellable(async () => {
      if (original.primary) await settle();
      return finishDrill(
        state,
        'failed',
        `The drill stopped on an error: ${innermostMessage(err)}. ${topologySentence(state)}`
      );
    });
  }
}

/**
 * The phases every mutating DR operation shares (DESIGN §2): pre-checks → decision → approval gate → the request,
 * accepted at most once → completion → report. `failoverWorkflow`, `switchoverWorkflow` and `recoveryWorkflow` are
 * this runner with their own pre-checks and rules.
 */
import {
  ActivityFailure,
  CancellationScope,
  CancelledFailure,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  upsertMemo,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { workflowIds } from '../../shared/constants';
import { decide } from '../../shared/decision';
import { isDrillOfPair } from '../../shared/drills';
import { innermostMessage } from '../../shared/failure-message';
import { approveUpdate, cancelUpdate, progressQuery, rejectUpdate, triggerSignal } from '../../shared/messages';
import { pastPointOfNoReturn } from '../../shared/point-of-no-return';
import { endMemo, startMemo } from '../../shared/run-memo';
import type { DecisionRules, VerifiedIdentity } from '../../shared/identity';
import { DEFAULT_POLICY, resolvePolicy, type OperationPolicy } from '../../shared/policy';
import type {
  DecisionInput,
  DrOperation,
  FailoverInput,
  OperationReport,
  OperationState,
  Outcome,
  PrecheckResult,
} from '../../shared/operation-model';
import { precheckRetry, RETRY } from '../retry-profiles';
import {
  checkApproval,
  checkCancel,
  checkRejection,
  forceRefusal,
  drillIdentity,
  identityOf,
  loadDecisionRules,
  openGate,
  recordApproval,
  VERIFIED_DECISIONS_PATCH,
  verifyStart,
  voidIfChanged,
} from './decisions';
import { followFenced } from './follow';
import { pinUpdateTracingFlag } from '../sdk-flags';
import { enterPhase, finish, initialState, recordEvidence } from './state';
import { prechecked, targeted } from '../../shared/operation-phases';
import { notifier, OUTCOME_NOTICE, readTargets, TARGETS_AT_START_PATCH } from '../notify';
import type { OperationContext, OperationTarget } from './operation-context';
import { legacyRequestAndPoll } from './operation-legacy';
import { acquirePairLock } from '../pair-lock';
import { effectivePolicy, usesWorkerTiming } from './timing';

/** Runs that start on this version read the pair while the drill exclusion looks for a drill to cancel. */
const PRECHECKS_BESIDE_EXCLUSION_PATCH = 'prechecks-beside-drill-exclusion';

/** Runs that start on this version hold the pair's lock (pair-lock.ts) for their request. */
const PAIR_LOCK_PATCH = 'pair-lock';

/** Runs that start on this version carry the run memo (shared/run-memo.ts): pair and kind, then outcome and RTO. */
const RUN_MEMO_PATCH = 'run-memo';

/** Runs that reach their request on this version use the fenced request protocol (request-protocol.ts). */
const FENCED_REQUEST_PATCH = 'fenced-request-protocol';

/**
 * Pre-checks: a handful of reads. They heartbeat, so a dead worker costs seconds, and they ride out a short read
 * outage (5xx, 429, refused connections, timeouts) for `readOutageAllowanceSeconds` before the run fails closed.
 */
function precheckOptions(policy: OperationPolicy): ActivityOptions {
  return {
    startToCloseTimeout: '2 minutes', // reads bounded by the client's timeout, plus a rate-limiter queue
    heartbeatTimeout: `${policy.heartbeatTimeoutSeconds}s`,
    scheduleToCloseTimeout: `${policy.readOutageAllowanceSeconds}s`,
    retry: precheckRetry(policy),
  };
}

/** Cancelling a running drill waits for its cleanup, which may include finishing a switchover leg. */
const EXCLUSION_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30s', // it heartbeats every second while it waits
  retry: RETRY.following,
};

/** A failover that a drill of the same pair runs as its leg: it must not cancel (and wait for) its own parent. */
function isDrillLeg(projectId: string, drId: string): boolean {
  const parent = workflowInfo().parent?.workflowId;
  return parent !== undefined && isDrillOfPair(parent, projectId, drId);
}

/** A run started by a run of the same pair (a drill's leg, a recovery's switch back): its start is its parent's. */
function startedByItsPair(projectId: string, drId: string): boolean {
  return isDrillLeg(projectId, drId) || workflowInfo().parent?.workflowId === workflowIds.recovery(projectId, drId);
}

/** The validators' answer while the run has not yet loaded its rules (its first milliseconds). */
function rulesOrRefuse(rules: DecisionRules | null): DecisionRules {
  if (!rules) throw new Error('the run is still loading its decision rules; try again in a moment');
  return rules;
}

function validateDecision(input: DecisionInput, what: string): void {
  if (!input || typeof input.actor !== 'string' || input.actor.trim() === '') {
    throw new Error(`${what} needs an actor: who decides (e.g. --actor alice)`);
  }
  if (typeof input.comment !== 'string' || input.comment.trim() === '') {
    throw new Error(`${what} needs a comment: why (e.g. --comment "INC-123, data loss accepted")`);
  }
}

export interface OperationSpec {
  operation: DrOperation;
  input: FailoverInput;
  /** The operation's pre-checks. */
  prechecks: (acts: Activities) => Promise<PrecheckResult>;
  /** Every run waits for a person (recovery wipes data). */
  approvalAlways?: boolean;
  /** Recorded at the gate without waiting (drills on drill pairs only). */
  preApproval?: DecisionInput;
}

/** Runs one operation to its report. Never throws for an expected outcome. */
export async function runOperation(spec: OperationSpec): Promise<OperationReport> {
  // Updates arrive at the gate: the SDK flag that shapes how they are traced is recorded in this first task.
  pinUpdateTracingFlag();
  const { input, operation } = spec;
  // The timing is the serving worker's (timing.ts); runs started before that keep what their input froze.
  const workerTiming = usesWorkerTiming();
  // Asked here, before any await: a patch decided after a local activity confuses the replay of a resumed run.
  const precheckBesideExclusion = patched(PRECHECKS_BESIDE_EXCLUSION_PATCH);
  const pairLock = patched(PAIR_LOCK_PATCH);
  const runMemo = patched(RUN_MEMO_PATCH);
  // Runs that start on this version verify every decision (decisions.ts) against the worker's rules, loaded first.
  const verifiedDecisions = patched(VERIFIED_DECISIONS_PATCH);
  const targetsAtStart = patched(TARGETS_AT_START_PATCH);
  let rules: DecisionRules | null = null;
  let fencedProtocol: boolean | undefined;
  let policy = resolvePolicy(DEFAULT_POLICY, input.policy);
  const state: OperationState = initialState(input, policy, operation);
  const notify = notifier(state);
  const main = new CancellationScope();
  if (runMemo) upsertMemo({ ...startMemo(operation, input.projectId, input.drId, input.trigger) });
  /** Ends the run: the report, and the run memo's outcome. */
  const close = (outcome: Outcome, note?: string): OperationReport => {
    const report = finish(state, outcome, note);
    if (runMemo) upsertMemo({ ...endMemo(report) });
    return report;
  };
  /** Ends the run: the report, and the notification that goes with the outcome. */
  const end = async (outcome: Outcome, note?: string): Promise<OperationReport> => {
    const report = close(outcome, note);
    const notice = OUTCOME_NOTICE[outcome];
    if (notice) await notify(notice[0], `${operation} ${notice[1]}`, state.approval ?? undefined);
    return report;
  };
  /**
   * Ends the run before or instead of its pre-checks' verdict. Runs that know their targets from the start notify
   * here too; older runs learned them from the pre-checks, so these ends of theirs sent nothing.
   */
  const endEarly = (outcome: Outcome, note?: string): Promise<OperationReport> =>
    targetsAtStart ? end(outcome, note) : Promise.resolve(close(outcome, note));

  setHandler(progressQuery, () => state);
  // The starter sends its own trigger as a signal too (signal-with-start); that one is not a second delivery.
  let ownSignalSeen = false;
  setHandler(triggerSignal, (trigger) => {
    if (trigger.id === input.trigger.id && !ownSignalSeen) {
      ownSignalSeen = true;
      return;
    }
    recordEvidence(state, trigger);
  });
  recordEvidence(state, input.trigger);

  /** Writes a decision onto the open gate: who (verified in new runs), why, when, and through what. */
  const record = (decision: 'approved' | 'rejected', d: DecisionInput, who: VerifiedIdentity | null): void => {
    if (!state.approval) throw new Error('unreachable: no approval pending');
    Object.assign(state.approval, {
      decision,
      actor: who?.actor ?? d.actor.trim(),
      comment: d.comment.trim(),
      decidedAt: new Date().toISOString(),
      via: d.via ?? null,
      ...(who ? { identity: who } : {}),
    });
  };
  const decideAtGate = (decision: 'approved' | 'rejected') => (d: DecisionInput) => {
    if (!state.approval) throw new Error('unreachable: no approval pending');
    const who = verifiedDecisions && rules ? identityOf(d, rules) : null;
    // A verified approval counts towards the approvers the pair needs (two on a critical pair).
    if (who && decision === 'approved') recordApproval(state, d, who);
    else record(decision, d, who);
    return state.approval;
  };
  const gateValidator = (what: string) => (d: DecisionInput) => {
    validateDecision(d, what);
    if (state.outcome) throw new Error(`the ${operation} already ended as ${state.outcome}`);
    if (state.approval?.decision) {
      throw new Error(
        `already ${state.approval.decision} by ${state.approval.actor ?? 'the timeout'} at ${state.approval.decidedAt}`
      );
    }
    if (state.phase !== 'awaiting-approval') throw new Error(`not waiting for approval (phase ${state.phase})`);
    if (!verifiedDecisions) return;
    if (what === 'approve') checkApproval(d, state, rulesOrRefuse(rules));
    else checkRejection(d, rulesOrRefuse(rules));
  };
  setHandler(approveUpdate, decideAtGate('approved'), { validator: gateValidator('approve') });
  setHandler(rejectUpdate, decideAtGate('rejected'), { validator: gateValidator('reject') });
  setHandler(
    cancelUpdate,
    (d) => {
      state.cancellation = {
        actor: d.actor.trim(),
        comment: d.comment.trim(),
        at: new Date().toISOString(),
        afterRequest: pastPointOfNoReturn(state),
        ...(verifiedDecisions && rules ? { identity: identityOf(d, rules) } : {}),
      };
      main.cancel();
      return state.cancellation;
    },
    {
      validator: (d) => {
        validateDecision(d, 'cancel');
        if (state.outcome) throw new Error(`the ${operation} already ended as ${state.outcome}`);
        if (state.cancellation) {
          throw new Error(`already cancelled by ${state.cancellation.actor} at ${state.cancellation.at}`);
        }
        if (d.onlyBeforeRequest && pastPointOfNoReturn(state)) {
          throw new Error(
            `past the point of no return (phase ${state.phase}): the request may have reached the service`
          );
        }
        if (verifiedDecisions) checkCancel(d, rulesOrRefuse(rules), isDrillLeg(input.projectId, input.drId));
      },
    }
  );

  const exclusion = proxyActivities<Activities>(EXCLUSION_OPTIONS);
  const target: OperationTarget = {
    operation,
    projectId: input.projectId,
    drId: input.drId,
    oldPrimaryId: '',
    newPrimaryId: '',
    preStatus: undefined,
  };

  const cancelled = (): Promise<OperationReport> =>
    CancellationScope.nonCancellable(async () => {
      state.cancellation ??= {
        actor: 'temporal',
        comment: 'cancellation requested through Temporal',
        at: new Date().toISOString(),
        afterRequest: state.inServiceHands,
        ...(verifiedDecisions ? { identity: null } : {}),
      };
      return end('cancelled', `Cancelled by ${state.cancellation.actor}: ${state.cancellation.comment}.`);
    });

  // Until the request is sent, a cancel stops everything cleanly.
  try {
    const early = await main.run(async (): Promise<OperationReport | null> => {
      // From the worker's inventory, not from DWS: a run that cannot read the pair still tells the pair's people.
      if (targetsAtStart) await readTargets(notify, input.projectId, input.drId);
      if (verifiedDecisions) {
        const signed = input.proof ? { proof: input.proof, actor: state.trigger.actor, reason: state.reason } : null;
        const loaded = (rules = await loadDecisionRules(input.projectId, input.drId, signed));
        state.access = loaded.access;
        const start = verifyStart(state, loaded, startedByItsPair(input.projectId, input.drId));
        if ('refused' in start)
          return endEarly('not-authorised', `Not authorised: ${start.refused}. Nothing was read or sent.`);
        state.startedBy = start.startedBy;
        // A drill's leg is forced by its drill (drills run on drill pairs only): the drill is its approval.
        const ignored =
          state.force && !startedByItsPair(input.projectId, input.drId) ? forceRefusal(state, loaded) : null;
        if (ignored) {
          state.force = false;
          state.timeline.push({ phase: state.phase, at: new Date().toISOString(), note: `force ignored: ${ignored}` });
        }
      }
      if (workerTiming) policy = state.policy = await effectivePolicy(input.projectId, input.drId, input.policy);
      // A real incident wins over a drill of the same pair: cancel it and wait for its cleanup before the request.
      const excludeDrills = operation === 'failover' && !isDrillLeg(input.projectId, input.drId);
      const cancelDrills = async (): Promise<string[]> => {
        const cancelled = await exclusion.cancelRunningDrills({ projectId: input.projectId, drId: input.drId });
        if (cancelled.length > 0) {
          state.timeline.push({
            phase: 'waiting-for-drill',
            at: new Date().toISOString(),
            note: `cancelled ${cancelled.join(', ')} and waited for its cleanup`,
          });
        }
        return cancelled;
      };
      // An incident holds the pair from its first read to its end: nothing else may send while it reads and decides.
      // An operation that holds it now may have its request with DWS: wait until its run has seen it end.
      if (pairLock && excludeDrills) {
        while (!(await acquirePairLock(input.projectId, input.drId))) {
          enterPhase(state, 'waiting-for-operation');
          const waited = await exclusion.awaitPairRelease({ projectId: input.projectId, drId: input.drId });
          if (waited.holder) {
            const drill = waited.drill ? `, a leg of drill ${waited.drill} (cancelled)` : '';
            state.timeline.push({
              phase: 'waiting-for-operation',
              at: new Date().toISOString(),
              note: `${waited.holder}${drill} held the pair with its request sent or about to be: waited ${Math.round(waited.waitedSeconds)} s for it to end, then read the pair afresh`,
            });
          }
        }
      }
      const checks = proxyActivities<Activities>(precheckOptions(policy));
      const readThePair = () =>
        spec.prechecks(checks).then(
          (result) => ({ result }),
          (error: unknown) => ({ error })
        );
      let read: { result: PrecheckResult } | { error: unknown };
      if (excludeDrills && precheckBesideExclusion) {
        // Usually no drill runs: read the pair meanwhile instead of a Temporal round trip later.
        enterPhase(state, 'prechecks');
        const [cancelled, meanwhile] = await Promise.all([cancelDrills(), readThePair()]);
        // A drill ran: its cleanup may have moved the pair, so what was read meanwhile is stale. Read again.
        read = cancelled.length > 0 ? await readThePair() : meanwhile;
      } else {
        if (excludeDrills) await cancelDrills();
        enterPhase(state, 'prechecks');
        read = await readThePair();
      }
      /** Why the pre-checks could not read the pair, as the run's end. */
      const unreadable = (err: unknown): Promise<OperationReport> => {
        if (isCancellation(err)) throw err;
        state.request.lastError = innermostMessage(err);
        // The allowance ran out (a schedule-to-close timeout), as opposed to a final answer such as a 403.
        const outage = err instanceof ActivityFailure && err.retryState === 'TIMEOUT';
        const why = outage
          ? `The pre-checks could not read the pair for ${policy.readOutageAllowanceSeconds} s (retried all along)`
          : 'The pre-checks could not read the pair';
        return endEarly('precheck-failed', `${why}: ${innermostMessage(err)}`);
      };
      /** What a read of the pair found, into the run's state. */
      const apply = (result: PrecheckResult): void => {
        state.checks = result.checks;
        if (result.reads && result.reads.attempts > 1) state.precheckReads = result.reads;
        state.snapshot = result.snapshot;
        if (result.route) state.route = result.route;
        state.drName = result.snapshot?.drName ?? null;
        state.dataLossWindowSeconds = result.dataLossWindowSeconds;
        state.lastFailoverAt = result.lastFailoverAt;
      };
      /**
       * A read of the pair into the run's state, or the run's end when it shows there is nothing to do: the read
       * failed, the roles were already swapped (an alert that fired again after the failover: nothing to tell,
       * DESIGN §2), or the DR does not exist.
       */
      const take = (
        taken: { result: PrecheckResult } | { error: unknown }
      ): Promise<OperationReport> | PrecheckResult => {
        if ('error' in taken) return unreadable(taken.error);
        apply(taken.result);
        if (taken.result.alreadyFailedOver) return Promise.resolve(close('already-failed-over'));
        if (!taken.result.snapshot) {
          return endEarly('precheck-failed', `DR ${input.drId} was not found in project ${input.projectId}.`);
        }
        return taken.result;
      };
      if (!targetsAtStart && 'result' in read) notify.targets = read.result.notificationTargets ?? 0;
      const first = take(read);
      if (first instanceof Promise) return first;
      let pre = first;
      await notify('started', `${operation} started`);

      enterPhase(state, 'decision');
      const decideOn = (result: PrecheckResult) =>
        decide(result, {
          // Recovery deletes data: nothing, not even force, skips its gate.
          force: state.force && !spec.approvalAlways,
          approvalRequiredBecause: spec.approvalAlways
            ? `a ${operation} always needs approval`
            : policy.approval === 'always'
              ? `the pair policy requires approval for every ${operation}`
              : undefined,
        });
      state.decision = decideOn(pre);
      if (state.decision.verdict === 'stop') {
        return end('precheck-failed', `Failed: ${state.decision.reasons.join('; ')}.`);
      }
      // A drill's approval given up front holds only for the drill's own leg, and its recovery's switch back
      // (verified runs): a run started straight through Temporal cannot bring its own.
      const preApproval =
        spec.preApproval && (!verifiedDecisions || startedByItsPair(input.projectId, input.drId))
          ? spec.preApproval
          : null;
      let voidedBecause: string[] | null = null;
      while (state.decision.verdict === 'needs-approval') {
        const deadline = new Date(Date.now() + policy.approvalTimeoutSeconds * 1000).toISOString();
        state.approval = {
          reasons: state.decision.reasons,
          requestedAt: new Date().toISOString(),
          deadline,
          decision: null,
          actor: null,
          comment: null,
          decidedAt: null,
          via: null,
          ...(state.approval?.voided ? { voided: state.approval.voided } : {}),
        };
        if (verifiedDecisions && rules) openGate(state, pre, policy, rules);
        const why = voidedBecause
          ? `the approval is void, the facts changed: ${voidedBecause.join('; ')}. ${state.decision.reasons.join('; ')}`
          : state.decision.reasons.join('; ');
        enterPhase(state, 'awaiting-approval', why);
        if (preApproval) {
          validateDecision(preApproval, 'pre-approval');
          record('approved', preApproval, verifiedDecisions ? drillIdentity(preApproval.actor) : null);
        } else {
          await notify(
            'awaiting-approval',
            voidedBecause
              ? `${operation} waiting for approval again: the facts changed`
              : `${operation} waiting for approval`
          );
        }
        // Durable: the timer survives worker restarts. The gate denies by default.
        const decided = await condition(() => state.approval?.decision != null, policy.approvalTimeoutSeconds * 1000);
        if (!decided) {
          Object.assign(state.approval, { decision: 'timed-out', decidedAt: new Date().toISOString() });
          return end('approval-timed-out');
        }
        if (state.approval.decision === 'rejected') {
          return end('rejected', `Rejected by ${state.approval.actor}: ${state.approval.comment}.`);
        }
        if (!verifiedDecisions || !rules || preApproval) break;
        // The approvers approved what the gate showed: read the pair again, and if the facts changed, they look again.
        enterPhase(state, 'prechecks', 'read again after the approval: the approval holds only for the facts it saw');
        const again = take(await readThePair());
        if (again instanceof Promise) return again;
        pre = again;
        voidedBecause = voidIfChanged(state, pre, policy, rules);
        if (!voidedBecause) break;
        state.decision = decideOn(pre);
        if (state.decision.verdict === 'stop') {
          return end('precheck-failed', `Failed: ${state.decision.reasons.join('; ')}.`);
        }
      }
      if (state.approval?.decision === 'approved') {
        await notify('approved', `${operation} approved`, state.approval);
        // The gate may have waited for half an hour: the request and the follow use the worker's timing of now.
        if (workerTiming) {
          // The protocol is decided first: a patch decided right after a local activity confuses the replay of a
          // resumed run (runs older than worker timing decide it where they always did, below).
          fencedProtocol = patched(FENCED_REQUEST_PATCH);
          policy = state.policy = await effectivePolicy(input.projectId, input.drId, input.policy);
        }
      }
      if (pre.snapshot === null) throw new Error('unreachable: no snapshot after the gate');
      state.oldPrimaryClusterId = pre.snapshot.primaryClusterId;
      state.newPrimaryClusterId =
        operation === 'recovery' ? pre.snapshot.primaryClusterId : pre.snapshot.standbyClusterId;
      target.oldPrimaryId = pre.snapshot.primaryClusterId;
      target.newPrimaryId = pre.snapshot.standbyClusterId;
      target.preStatus = pre.snapshot.status;
      target.preLastSync = pre.snapshot.standbyLastSuccessTime;

      // Planned operations and drill legs take the pair right before their request, and give way to its holder
      // (unless the holder is their own parent: a recovery's switch back runs under the recovery's lock).
      for (
        let attempt = 1;
        pairLock && !excludeDrills && !(await acquirePairLock(input.projectId, input.drId));
        attempt++
      ) {
        const holder = await exclusion.pairLockHolder({ projectId: input.projectId, drId: input.drId });
        if (holder !== null && holder === workflowInfo().parent?.workflowId) break;
        // Released between the two reads: take it again (a few times at most).
        if (holder === null && attempt < 3) continue;
        return end(
          'precheck-failed',
          `Another operation holds the pair${holder ? ` (${holder})` : ''}: one operation at a time per pair, and an incident before anything else. Nothing was sent.`
        );
      }
      // A cancel accepted while the lock was being taken (the phase was still before the request) wins.
      if (main.consideredCancelled) throw new CancelledFailure('cancelled before the request');
      enterPhase(state, 'requesting');
      return null;
    });
    if (early) return early;
  } catch (err) {
    if (!isCancellation(err)) throw err;
    return cancelled();
  }

  // Only a run that found the pair and chose its roles gets here (the request phase above): a pure check, no command.
  if (!prechecked(state) || !targeted(state))
    throw new Error('unreachable: the request without the pair read and its roles chosen');
  const ctx: OperationContext = { operation, state, policy, target, main, notify, end, cancelled };
  // Runs that reached this point on an older version finish on the code that started them.
  if (!(fencedProtocol ?? patched(FENCED_REQUEST_PATCH))) return legacyRequestAndPoll(ctx);
  return followFenced(ctx);
}

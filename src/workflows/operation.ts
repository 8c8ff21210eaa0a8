/**
 * The phases every mutating DR operation shares (DESIGN §2): pre-checks → decision → approval gate → the request,
 * accepted at most once → completion → report. `failoverWorkflow`, `switchoverWorkflow` and `recoveryWorkflow` are
 * this runner with their own pre-checks and rules.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { workflowIds } from '../shared/constants';
import { decide } from '../shared/decision';
import { ErrorType, NON_RETRYABLE_ERROR_TYPES } from '../shared/errors';
import { approveUpdate, cancelUpdate, progressQuery, rejectUpdate, triggerSignal } from '../shared/messages';
import { SUCCESS_OUTCOME } from '../shared/outcomes';
import { pastPointOfNoReturn } from '../shared/point-of-no-return';
import { DEFAULT_POLICY, resolvePolicy, type FailoverPolicy } from '../shared/policy';
import type {
  DecisionInput,
  DrOperation,
  FailoverInput,
  FailoverReport,
  FailoverRequestResult,
  FailoverState,
  Outcome,
  PrecheckResult,
} from '../shared/types';
import { enterPhase, finish, initialState, recordEvidence } from './failover-state';
import { notifier, OUTCOME_NOTICE } from './notify';

type Activities = ReturnType<typeof createActivities>;

/** Pre-checks: a handful of reads, each bounded by the DWS client's own request timeout. */
const PRECHECK_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1s', // transient 5xx/429 during an outage are common; retry quickly …
    backoffCoefficient: 2,
    maximumInterval: '15s',
    maximumAttempts: 5, // … but a pre-check that cannot read the pair fails closed within about a minute
    nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
  },
};

/** Cancelling a running drill waits for its cleanup, which may include finishing a switchover leg. */
const EXCLUSION_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30s', // it heartbeats every second while it waits
  retry: { initialInterval: '1s', maximumInterval: '10s' },
};

/** The request. Retries belong to Temporal (the HTTP layer adds none); the activity reads before it sends. */
function requestOptions(policy: FailoverPolicy): ActivityOptions {
  return {
    // One attempt is a read, possibly a wait through the read-after-write window, and one POST.
    startToCloseTimeout: `${policy.readAfterWriteWindowSeconds + 120}s`,
    heartbeatTimeout: `${Math.max(policy.heartbeatTimeoutSeconds, 5)}s`,
    retry: {
      initialInterval: `${policy.requestRetryInitialIntervalSeconds}s`, // Retry-After overrides it (nextRetryDelay)
      backoffCoefficient: 2,
      maximumInterval: `${policy.requestRetryMaxIntervalSeconds}s`,
      maximumAttempts: policy.requestMaxAttempts,
      nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
    },
  };
}

/** The completion poll: one long activity that heartbeats; its retries are not history events. */
function pollOptions(policy: FailoverPolicy): ActivityOptions {
  return {
    startToCloseTimeout: `${policy.completionTimeoutSeconds + 120}s`,
    // A dead worker is noticed after this long, and another one resumes from the last heartbeat.
    heartbeatTimeout: `${Math.max(policy.heartbeatTimeoutSeconds, 2 * policy.pollIntervalSeconds + 5)}s`,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s' },
  };
}

function failureMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}

function failureType(err: unknown): string | undefined {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure
    ? (err.cause.type ?? undefined)
    : undefined;
}

/** A failover that a drill of the same pair runs as its leg: it must not cancel (and wait for) its own parent. */
function isDrillLeg(projectId: string, drId: string): boolean {
  const parent = workflowInfo().parent?.workflowId;
  const drill = workflowIds.drill(projectId, drId);
  return parent !== undefined && (parent === drill || parent.startsWith(`${drill}-`));
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
export async function runOperation(spec: OperationSpec): Promise<FailoverReport> {
  const { input, operation } = spec;
  const policy = resolvePolicy(DEFAULT_POLICY, input.policy);
  const state: FailoverState = initialState(input, policy, operation);
  const notify = notifier(state);
  const main = new CancellationScope();
  /** Ends the run: the report, and the notification that goes with the outcome. */
  const end = async (outcome: Outcome, note?: string): Promise<FailoverReport> => {
    const report = finish(state, outcome, note);
    const notice = OUTCOME_NOTICE[outcome];
    if (notice) await notify(notice[0], `${operation} ${notice[1]}`, state.approval ?? undefined);
    return report;
  };

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

  const decideAtGate = (decision: 'approved' | 'rejected') => (d: DecisionInput) => {
    if (!state.approval) throw new Error('unreachable: no approval pending');
    Object.assign(state.approval, {
      decision,
      actor: d.actor.trim(),
      comment: d.comment.trim(),
      decidedAt: new Date().toISOString(),
      via: d.via ?? null,
    });
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
      },
    }
  );

  const checks = proxyActivities<Activities>(PRECHECK_OPTIONS);
  const exclusion = proxyActivities<Activities>(EXCLUSION_OPTIONS);
  const requests = proxyActivities<Activities>(requestOptions(policy));
  const polls = proxyActivities<Activities>(pollOptions(policy));
  const target = {
    operation,
    projectId: input.projectId,
    drId: input.drId,
    oldPrimaryId: '',
    newPrimaryId: '',
    preStatus: undefined as string | undefined,
  };

  const cancelled = (): Promise<FailoverReport> =>
    CancellationScope.nonCancellable(async () => {
      state.cancellation ??= {
        actor: 'temporal',
        comment: 'cancellation requested through Temporal',
        at: new Date().toISOString(),
        afterRequest: state.inServiceHands,
      };
      return end('cancelled', `Cancelled by ${state.cancellation.actor}: ${state.cancellation.comment}.`);
    });

  // Until the request is sent, a cancel stops everything cleanly.
  let request: FailoverRequestResult;
  try {
    const early = await main.run(async (): Promise<FailoverReport | FailoverRequestResult> => {
      if (operation === 'failover' && !isDrillLeg(input.projectId, input.drId)) {
        // A real incident wins over a drill of the same pair: cancel it and wait for its cleanup first.
        const cancelledDrills = await exclusion.cancelRunningDrills({ projectId: input.projectId, drId: input.drId });
        if (cancelledDrills.length > 0) {
          state.timeline.push({
            phase: 'waiting-for-drill',
            at: new Date().toISOString(),
            note: `cancelled ${cancelledDrills.join(', ')} and waited for its cleanup`,
          });
        }
      }
      enterPhase(state, 'prechecks');
      let pre: PrecheckResult;
      try {
        pre = await spec.prechecks(checks);
      } catch (err) {
        if (isCancellation(err)) throw err;
        state.request.lastError = failureMessage(err);
        return finish(state, 'precheck-failed', `The pre-checks could not read the pair: ${failureMessage(err)}`);
      }
      state.checks = pre.checks;
      state.snapshot = pre.snapshot;
      state.drName = pre.snapshot?.drName ?? null;
      state.dataLossWindowSeconds = pre.dataLossWindowSeconds;
      state.lastFailoverAt = pre.lastFailoverAt;
      notify.targets = pre.notificationTargets ?? 0;
      if (pre.alreadyFailedOver) return finish(state, 'already-failed-over');
      if (!pre.snapshot) {
        return finish(state, 'precheck-failed', `DR ${input.drId} was not found in project ${input.projectId}.`);
      }
      await notify('started', `${operation} started`);

      enterPhase(state, 'decision');
      state.decision = decide(pre, {
        // Recovery deletes data: nothing, not even force, skips its gate.
        force: state.force && !spec.approvalAlways,
        approvalRequiredBecause: spec.approvalAlways
          ? `a ${operation} always needs approval`
          : policy.approval === 'always'
            ? `the pair policy requires approval for every ${operation}`
            : undefined,
      });
      if (state.decision.verdict === 'stop') {
        return end('precheck-failed', `Failed: ${state.decision.reasons.join('; ')}.`);
      }
      if (state.decision.verdict === 'needs-approval') {
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
        };
        enterPhase(state, 'awaiting-approval', state.decision.reasons.join('; '));
        if (spec.preApproval) {
          validateDecision(spec.preApproval, 'pre-approval');
          decideAtGate('approved')(spec.preApproval);
        } else {
          await notify('awaiting-approval', `${operation} waiting for approval`);
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
        await notify('approved', `${operation} approved`, state.approval);
      }
      state.oldPrimaryClusterId = pre.snapshot.primaryClusterId;
      state.newPrimaryClusterId =
        operation === 'recovery' ? pre.snapshot.primaryClusterId : pre.snapshot.standbyClusterId;
      target.oldPrimaryId = pre.snapshot.primaryClusterId;
      target.newPrimaryId = pre.snapshot.standbyClusterId;
      target.preStatus = pre.snapshot.status;

      enterPhase(state, 'requesting');
      try {
        // From here on the request may reach the service: a cancel waits for this activity, then stops waiting.
        return await CancellationScope.nonCancellable(() =>
          requests.requestDrAction({ ...target, readAfterWriteWindowMs: policy.readAfterWriteWindowSeconds * 1000 })
        );
      } catch (err) {
        state.request.lastError = failureMessage(err);
        const type = failureType(err);
        const final = type !== undefined && (NON_RETRYABLE_ERROR_TYPES as readonly string[]).includes(type);
        // Retries ran out on an ambiguous answer: the service may have taken it after all. Look before giving up.
        const seen = final
          ? null
          : await CancellationScope.nonCancellable(() => checks.inspectDrAction(target)).catch(() => null);
        if (seen && seen.state !== 'not-started') {
          return {
            disposition: seen.state === 'done' ? 'already-swapped' : 'already-in-progress',
            requestsSent: 0,
            attempts: 0,
            acceptedAt: new Date().toISOString(),
            requestId: null,
            standbyLastSuccessTime: null,
          } satisfies FailoverRequestResult;
        }
        const why = type === ErrorType.DwsAuthFailed ? 'The credentials were refused' : 'The request was refused';
        return end('failover-refused', `${why}: ${state.request.lastError}`);
      }
    });
    if ('outcome' in early) return early;
    request = early;
  } catch (err) {
    if (!isCancellation(err)) throw err;
    return cancelled();
  }

  state.request = {
    ...state.request,
    sent: Math.max(state.request.sent, request.requestsSent),
    attempts: request.attempts,
    accepted: true,
    acceptedAt: request.acceptedAt,
    disposition: request.disposition,
    requestId: request.requestId,
  };
  state.inServiceHands = true;
  if (operation === 'failover') {
    const lastSync = request.standbyLastSuccessTime ?? state.snapshot?.standbyLastSuccessTime ?? null;
    state.dataLossWindowSeconds = lastSync
      ? Math.max(0, (Date.parse(request.acceptedAt) - Date.parse(lastSync)) / 1000)
      : null;
  }
  await notify('request-sent', `${operation} request accepted`);

  enterPhase(state, 'polling');
  try {
    const result = await main.run(() =>
      polls.awaitDrAction({
        ...target,
        pollIntervalMs: policy.pollIntervalSeconds * 1000,
        deadline: new Date(Date.parse(request.acceptedAt) + policy.completionTimeoutSeconds * 1000).toISOString(),
      })
    );
    state.completion = result;
    if (result.completed) {
      return end(SUCCESS_OUTCOME[operation]);
    }
    return result.failedWithoutChange
      ? end(
          'failover-refused',
          `The service ran the ${operation} but it ended with status ${result.lastStatus} and no change.`
        )
      : end(
          'timed-out',
          `Last status seen: ${result.lastStatus ?? 'none'}${result.lastError ? `; last error: ${result.lastError}` : ''}.`
        );
  } catch (err) {
    if (isCancellation(err)) return cancelled();
    log.error('Completion poll failed', { error: failureMessage(err) });
    return end('timed-out', `Polling failed: ${failureMessage(err)}.`);
  }
}

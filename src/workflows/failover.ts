/**
 * `failoverWorkflow`: pre-checks → decision → the failover request (accepted at most once) → completion by role
 * swap → report. One run per DR pair at a time (id `dws-failover:{projectId}:{drId}`, conflict policy USE_EXISTING).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { ErrorType, NON_RETRYABLE_ERROR_TYPES } from '../shared/errors';
import { decide } from '../shared/decision';
import { progressQuery, triggerSignal } from '../shared/messages';
import { DEFAULT_POLICY, resolvePolicy, type FailoverPolicy } from '../shared/policy';
import type { FailoverInput, FailoverReport, FailoverRequestResult, FailoverState } from '../shared/types';
import { enterPhase, finish, initialState, recordEvidence } from './failover-state';

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

/** The failover request. Retries belong to Temporal (the HTTP layer adds none); the activity reads before sending. */
function requestOptions(policy: FailoverPolicy): ActivityOptions {
  return {
    // One attempt is a read, possibly a wait through the read-after-write window, and one POST.
    startToCloseTimeout: `${policy.readAfterWriteWindowSeconds + 120}s`,
    heartbeatTimeout: `${Math.max(policy.heartbeatTimeoutSeconds, 5)}s`,
    retry: {
      initialInterval: `${policy.requestRetryInitialIntervalSeconds}s`, // Retry-After overrides it via nextRetryDelay
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

/** Fails over one DWS DR pair and returns the report. Never throws for an expected outcome. */
export async function failoverWorkflow(input: FailoverInput): Promise<FailoverReport> {
  const policy = resolvePolicy(DEFAULT_POLICY, input.policy);
  const state: FailoverState = initialState(input, policy);
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

  const checks = proxyActivities<Activities>(PRECHECK_OPTIONS);
  const requests = proxyActivities<Activities>(requestOptions(policy));
  const polls = proxyActivities<Activities>(pollOptions(policy));

  // Until the request is sent, a cancel stops everything cleanly.
  let request: FailoverRequestResult;
  try {
    enterPhase(state, 'prechecks');
    let pre;
    try {
      pre = await checks.runPrechecks({
        projectId: input.projectId,
        drId: input.drId,
        failedClusterId: input.failedClusterId,
        dataLossBudgetSeconds: policy.dataLossBudgetSeconds,
        cooldownSeconds: policy.cooldownSeconds,
      });
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
    if (pre.alreadyFailedOver) return finish(state, 'already-failed-over');
    if (!pre.snapshot)
      return finish(state, 'precheck-failed', `DR ${input.drId} was not found in project ${input.projectId}.`);

    enterPhase(state, 'decision');
    state.decision = decide(pre, { force: state.force, approvalAlways: policy.approval === 'always' });
    if (state.decision.verdict === 'stop') {
      return finish(state, 'precheck-failed', `Failed: ${state.decision.reasons.join('; ')}.`);
    }
    if (state.decision.verdict === 'needs-approval') {
      return finish(state, 'precheck-failed', `Needs approval or --force: ${state.decision.reasons.join('; ')}.`);
    }
    state.oldPrimaryClusterId = pre.snapshot.primaryClusterId;
    state.newPrimaryClusterId = pre.snapshot.standbyClusterId;

    enterPhase(state, 'requesting');
    const target = {
      projectId: input.projectId,
      drId: input.drId,
      oldPrimaryId: pre.snapshot.primaryClusterId,
      newPrimaryId: pre.snapshot.standbyClusterId,
    };
    try {
      // From here on the request may reach the service: it must not be abandoned half-way by a cancel.
      request = await CancellationScope.nonCancellable(() =>
        requests.requestFailover({ ...target, readAfterWriteWindowMs: policy.readAfterWriteWindowSeconds * 1000 })
      );
    } catch (err) {
      state.request.lastError = failureMessage(err);
      const type = failureType(err);
      const final = type !== undefined && (NON_RETRYABLE_ERROR_TYPES as readonly string[]).includes(type);
      // Retries ran out on an ambiguous answer: the service may have taken it after all. Look before giving up.
      const seen = final ? null : await checks.inspectFailover(target).catch(() => null);
      if (seen && seen.state !== 'unchanged') {
        request = {
          disposition: seen.state === 'swapped' ? 'already-swapped' : 'already-in-progress',
          requestsSent: 0,
          attempts: 0,
          acceptedAt: new Date().toISOString(),
          requestId: null,
          standbyLastSuccessTime: null,
        };
      } else {
        const why = type === ErrorType.DwsAuthFailed ? 'The credentials were refused' : 'The request was refused';
        return finish(state, 'failover-refused', `${why}: ${state.request.lastError}`);
      }
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    return CancellationScope.nonCancellable(async () => finish(state, 'cancelled'));
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
  const lastSync = request.standbyLastSuccessTime ?? state.snapshot?.standbyLastSuccessTime ?? null;
  state.dataLossWindowSeconds = lastSync
    ? Math.max(0, (Date.parse(request.acceptedAt) - Date.parse(lastSync)) / 1000)
    : null;

  enterPhase(state, 'polling');
  try {
    const result = await polls.awaitFailoverCompletion({
      projectId: input.projectId,
      drId: input.drId,
      oldPrimaryId: state.oldPrimaryClusterId ?? '',
      newPrimaryId: state.newPrimaryClusterId ?? '',
      pollIntervalMs: policy.pollIntervalSeconds * 1000,
      deadline: new Date(Date.parse(request.acceptedAt) + policy.completionTimeoutSeconds * 1000).toISOString(),
    });
    state.completion = result;
    if (result.completed) return finish(state, 'failed-over');
    if (result.failedWithoutSwap) {
      return finish(
        state,
        'failover-refused',
        `The service ran the failover but ended with status ${result.lastStatus} and the roles not swapped.`
      );
    }
    return finish(
      state,
      'timed-out',
      `Last status seen: ${result.lastStatus ?? 'none'}${result.lastError ? `; last error: ${result.lastError}` : ''}.`
    );
  } catch (err) {
    if (isCancellation(err)) {
      return CancellationScope.nonCancellable(async () =>
        finish(
          state,
          'cancelled',
          "The request had already been sent: only the waiting stopped, the operation is in the service's hands."
        )
      );
    }
    log.error('Completion poll failed', { error: failureMessage(err) });
    return finish(state, 'timed-out', `Polling failed: ${failureMessage(err)}.`);
  }
}

/**
 * The request and completion poll as they were before the fenced request protocol (request-protocol.ts). Runs
 * that reached their request on an older version replay and finish on this code (`patched()` in operation.ts), so
 * their histories stay valid. Frozen: change nothing here; delete it once no run started before the fenced
 * protocol can still be open (its approval and completion timeouts have passed on every such run).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  log,
  proxyActivities,
} from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { ErrorType, NON_RETRYABLE_ERROR_TYPES } from '../../shared/errors';
import { innermostMessage } from '../../shared/failure-message';
import { REFUSED_OUTCOME, SUCCESS_OUTCOME } from '../../shared/outcomes';
import type { OperationPolicy } from '../../shared/policy';
import type { OperationReport, OperationRequestResult } from '../../shared/operation-model';
import { legacyInspectRetry, legacyRequestRetry, RETRY } from '../retry-profiles';
import { enterPhase } from './state';
import type { OperationContext } from './operation-context';

/** The pre-check profile the legacy path read with after its retries ran out. */
const LEGACY_INSPECT_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: legacyInspectRetry(),
};

function requestOptions(policy: OperationPolicy): ActivityOptions {
  return {
    startToCloseTimeout: `${policy.readAfterWriteWindowSeconds + 120}s`,
    heartbeatTimeout: `${Math.max(policy.heartbeatTimeoutSeconds, 5)}s`,
    retry: legacyRequestRetry(policy),
  };
}

function pollOptions(policy: OperationPolicy): ActivityOptions {
  return {
    startToCloseTimeout: `${policy.completionTimeoutSeconds + 120}s`,
    heartbeatTimeout: `${Math.max(policy.heartbeatTimeoutSeconds, 2 * policy.pollIntervalSeconds + 5)}s`,
    retry: RETRY.following,
  };
}

function failureType(err: unknown): string | undefined {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure
    ? (err.cause.type ?? undefined)
    : undefined;
}

/** The request (retried by Temporal inside one activity) and the single-read completion poll. */
export async function legacyRequestAndPoll(ctx: OperationContext): Promise<OperationReport> {
  const { operation, state, policy, target, main, notify, end, cancelled } = ctx;
  const checks = proxyActivities<Activities>(LEGACY_INSPECT_OPTIONS);
  const requests = proxyActivities<Activities>(requestOptions(policy));
  const polls = proxyActivities<Activities>(pollOptions(policy));
  let request: OperationRequestResult;
  try {
    const early = await main.run(async (): Promise<OperationReport | OperationRequestResult> => {
      try {
        // From here on the request may reach the service: a cancel waits for this activity, then stops waiting.
        return await CancellationScope.nonCancellable(() =>
          requests.requestDrAction({ ...target, readAfterWriteWindowMs: policy.readAfterWriteWindowSeconds * 1000 })
        );
      } catch (err) {
        state.request.lastError = innermostMessage(err);
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
          } satisfies OperationRequestResult;
        }
        const why = type === ErrorType.DwsAuthFailed ? 'The credentials were refused' : 'The request was refused';
        return end(REFUSED_OUTCOME[operation], `${why}: ${state.request.lastError}`);
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
          REFUSED_OUTCOME[operation],
          `The service ran the ${operation} but it ended with status ${result.lastStatus} and no change.`
        )
      : end(
          'timed-out',
          `Last status seen: ${result.lastStatus ?? 'none'}${result.lastError ? `; last error: ${result.lastError}` : ''}.`
        );
  } catch (err) {
    if (isCancellation(err)) return cancelled();
    log.error('Completion poll failed', { error: innermostMessage(err) });
    return end('timed-out', `Polling failed: ${innermostMessage(err)}.`);
  }
}

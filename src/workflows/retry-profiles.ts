/**
 * Every retry policy the workflows give their activities, by what it is for: one table, so the same purpose gets
 * the same retries and a change is made in one place. Temporal's default backoff coefficient is 2; profiles spell
 * it out. Changing a value here changes only the retries of activities scheduled afterwards (the history records
 * each schedule's policy), so it needs no `patched()`. Sandbox-safe.
 */
import type { RetryPolicy } from '@temporalio/workflow';
import { NON_RETRYABLE_ERROR_TYPES } from '../shared/errors';
import type { OperationPolicy } from '../shared/policy';

export const RETRY = Object.freeze({
  /** Reads that may end a run early (a drill's, the readiness check's): 5 tries over about 15 s, then it fails. */
  shortReads: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '15s', maximumAttempts: 5 },
  /** A drill's topology read: 5 tries at most 10 s apart, after which the topology is reported unknown. */
  topologyRead: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 5 },
  /**
   * Reads bounded by a deadline of their own (the fence's watch, the wait for a request endpoint): retried freely,
   * at most 5 s apart, so a read path that answers again is used soon.
   */
  deadlineReads: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5s' },
  /**
   * Long activities that heartbeat while they follow something to its end (the completion follow and poll, a
   * drill's cancellation and cleanup): retried until their own timeout, at most 10 s apart.
   */
  following: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s' },
  /** Notices to people: backing off to one a minute; the caller's schedule-to-close says when a receiver misses one. */
  notices: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute' },
  /** Calls to Temporal itself (an alert's fan-out): retried until Temporal is back, the pairs must not be lost. */
  untilTemporalAnswers: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
  /** Local activities that read the worker's own settings or inventory: 3 quick tries, then the run uses what it has. */
  workerSettings: { maximumAttempts: 3, initialInterval: '200ms' },
  /** Short calls about a drill's child run (its phase, its cancel): 3 tries; unreadable means "let the leg finish". */
  childControl: { maximumAttempts: 3 },
  /** One attempt: the workflow decides every resend itself (the fenced request). */
  once: { maximumAttempts: 1 },
} as const satisfies Record<string, RetryPolicy>);

/**
 * Pre-checks: they ride out a short read outage until their schedule-to-close allowance; a read that works again is
 * seen within 15 s at most (the policy's request intervals, capped at 1 s and 15 s). A 4xx stays final.
 */
export function precheckRetry(policy: OperationPolicy): RetryPolicy {
  return {
    initialInterval: `${Math.min(1, policy.requestRetryInitialIntervalSeconds)}s`,
    backoffCoefficient: 2,
    maximumInterval: `${Math.min(15, policy.requestRetryMaxIntervalSeconds)}s`,
    nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
  };
}

/**
 * The legacy path's request (operation-legacy.ts), which Temporal retried inside one activity: the policy's request
 * intervals and attempts. A 4xx stays final.
 */
export function legacyRequestRetry(policy: OperationPolicy): RetryPolicy {
  return {
    initialInterval: `${policy.requestRetryInitialIntervalSeconds}s`,
    backoffCoefficient: 2,
    maximumInterval: `${policy.requestRetryMaxIntervalSeconds}s`,
    maximumAttempts: policy.requestMaxAttempts,
    nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
  };
}

/** The legacy path's read after its request retries ran out: {@link RETRY.shortReads}, with a 4xx final. */
export function legacyInspectRetry(): RetryPolicy {
  return { ...RETRY.shortReads, nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES] };
}

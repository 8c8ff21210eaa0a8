/**
 * Where a DWS call's failure becomes a Temporal failure. What it means is the classifier's call
 * (src/dws/request-outcome.ts); this file only carries that verdict across the activity boundary: its failure
 * type as the `type`, `final` as non-retryable, `Retry-After` as the next retry delay, the verdict as the details.
 */
import { ApplicationFailure } from '@temporalio/common';
import { requestVerdict } from '../dws/request-outcome';

/** True when the DWS answer means "this DR pair or cluster does not exist". */
export function isNotFound(err: unknown): boolean {
  return requestVerdict(err).reason === 'not-found';
}

/**
 * Wraps an error as an `ApplicationFailure` with an explicit type, so workflows and retry policies can match it.
 * `ApplicationFailure`s pass through unchanged.
 */
export function toActivityFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const verdict = requestVerdict(err);
  return ApplicationFailure.create({
    message: err instanceof Error ? err.message : String(err),
    type: verdict.type,
    nonRetryable: verdict.kind === 'final',
    ...(verdict.retryAfterMs !== null ? { nextRetryDelay: verdict.retryAfterMs } : {}),
    details: [verdict],
    cause: err instanceof Error ? err : undefined,
  });
}

/** A short, single-line description of an error for reports and progress. */
export function describeError(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error';
}

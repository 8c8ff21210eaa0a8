/**
 * The one place where an outcome of a DWS call becomes a Temporal failure (STYLE rule 7). Retryable: 500, 502,
 * 503, 504, 429, timeouts and socket errors, with `Retry-After` as the next retry delay. Everything else is final.
 */
import { ApplicationFailure } from '@temporalio/common';
import { ErrorType, type ErrorTypeName } from '../shared/errors';

/** The fields of a DWS client error this classification reads (see src/dws/errors.ts). */
interface DwsErrorLike {
  message: string;
  code?: string;
  status?: number;
  errorCode?: string | null;
  retryAfterMs?: number | null;
}

const RETRYABLE_STATUSES = new Set([500, 502, 503, 504, 429, 408]);

/** How an error is to be treated; exported for the classification table test. */
export interface Classification {
  type: ErrorTypeName;
  retryable: boolean;
  nextRetryDelayMs: number | null;
}

/** True when the DWS answer means "this DR pair or cluster does not exist". */
export function isNotFound(err: unknown): boolean {
  const e = err as DwsErrorLike | undefined;
  if (!e || typeof e !== 'object') return false;
  if (e.code === 'DWS_NOT_FOUND') return true;
  return e.status === 404 || (e.status === 400 && e.errorCode === 'DWS.10101');
}

/** Classifies any error thrown by the DWS client (or anything else) into a failure type. */
export function classify(err: unknown): Classification {
  const e = err as DwsErrorLike | undefined;
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const retryAfter = typeof e?.retryAfterMs === 'number' ? e.retryAfterMs : null;
  const final = (type: ErrorTypeName): Classification => ({ type, retryable: false, nextRetryDelayMs: null });
  const transient = (type: ErrorTypeName): Classification => ({ type, retryable: true, nextRetryDelayMs: retryAfter });
  // The client's stable codes first (a 403 DWS.7023 is a refusal, not an auth failure), then the bare status.
  switch (e?.code) {
    case 'DWS_NOT_FOUND':
      return final(ErrorType.DwsNotFound);
    case 'DWS_AUTH_FAILED':
      return final(ErrorType.DwsAuthFailed);
    case 'DWS_INVALID_INPUT':
      return final(ErrorType.InvalidInput);
    case 'DWS_THROTTLED':
    case 'DWS_SERVER_ERROR':
    case 'DWS_TIMEOUT':
    case 'DWS_NETWORK_ERROR':
      return transient(ErrorType.DwsUnavailable);
    case 'DWS_BAD_RESPONSE':
      return transient(ErrorType.DwsBadResponse);
    case 'DWS_REQUEST_REJECTED':
      return status !== undefined && RETRYABLE_STATUSES.has(status)
        ? transient(ErrorType.DwsUnavailable)
        : final(ErrorType.DwsRequestRejected);
  }
  if (isNotFound(err)) return final(ErrorType.DwsNotFound);
  if (status !== undefined) {
    if (status === 401 || status === 403) return final(ErrorType.DwsAuthFailed);
    if (RETRYABLE_STATUSES.has(status) || status >= 500) return transient(ErrorType.DwsUnavailable);
    if (status >= 400) return final(ErrorType.DwsRequestRejected);
  }
  // Timeouts, resets, refused connections, DNS: transient by nature.
  return transient(ErrorType.DwsUnavailable);
}

/**
 * Wraps an error as an `ApplicationFailure` with an explicit type, so workflows and retry policies can match it.
 * `ApplicationFailure`s pass through unchanged.
 */
export function toActivityFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const c = classify(err);
  const message = err instanceof Error ? err.message : String(err);
  return ApplicationFailure.create({
    message,
    type: c.type,
    nonRetryable: !c.retryable,
    ...(c.nextRetryDelayMs !== null ? { nextRetryDelay: c.nextRetryDelayMs } : {}),
    cause: err instanceof Error ? err : undefined,
  });
}

/** A short, single-line description of an error for reports and progress. */
export function describeError(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error';
}

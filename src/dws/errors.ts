/**
 * The DWS client's one error hierarchy (STYLE rule 8). Every failure of a DWS or IAM call is a `DwsError` with a
 * literal `name`, a stable `code`, the SDK operation name and the target it acted on; messages say what to do next.
 * Activities map these to the failure types of `src/shared/errors.ts` by `code`, never by class name.
 */

/** Stable machine-readable codes; one per way a call can fail. */
export type DwsErrorCode =
  | 'DWS_NOT_FOUND'
  | 'DWS_AUTH_FAILED'
  | 'DWS_THROTTLED'
  | 'DWS_SERVER_ERROR'
  | 'DWS_REQUEST_REJECTED'
  | 'DWS_TIMEOUT'
  | 'DWS_NETWORK_ERROR'
  | 'DWS_BAD_RESPONSE'
  | 'DWS_INVALID_INPUT';

/** What a failed call was doing. */
export interface DwsErrorContext {
  /** SDK operation name, e.g. `ShowDisasterDetail`, `SwitchFailoverDisaster`, `KeystoneCreateUserTokenByPassword`. */
  operation: string;
  /** What it acted on, e.g. `DR <drId> in project <projectId>`. */
  target: string;
}

/** What the service said, as far as it said anything. */
export interface DwsResponseDetails {
  status: number;
  /** DWS/APIG error code such as `DWS.10101` or `APIG.0308`; null when the body had none. */
  errorCode: string | null;
  errorMessage: string | null;
  /** `X-Request-Id` response header, else `request_id` from the body; quote it to Huawei support. */
  requestId: string | null;
}

/** Base class of every DWS client error. */
export abstract class DwsError extends Error {
  abstract override readonly name: string;
  abstract readonly code: DwsErrorCode;
  readonly operation: string;
  readonly target: string;

  protected constructor(message: string, context: DwsErrorContext, options?: { cause?: unknown }) {
    super(message, options);
    this.operation = context.operation;
    this.target = context.target;
  }
}

/**
 * The service answered with an error status that fits no more specific class (most 4xx, e.g. 400 `DWS.7023`
 * "status does not allow the operation"). Final: the same request will be refused again.
 */
export class DwsHttpError extends DwsError implements DwsResponseDetails {
  override readonly name:
    'DwsHttpError' | 'DwsNotFoundError' | 'DwsAuthError' | 'DwsThrottledError' | 'DwsServerError' = 'DwsHttpError';
  override readonly code:
    'DWS_REQUEST_REJECTED' | 'DWS_NOT_FOUND' | 'DWS_AUTH_FAILED' | 'DWS_THROTTLED' | 'DWS_SERVER_ERROR' =
    'DWS_REQUEST_REJECTED';
  readonly status: number;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly requestId: string | null;
  /** From `Retry-After` (delta-seconds or HTTP date), clamped to [0, 10 min]; null when absent or unparsable. */
  readonly retryAfterMs: number | null;

  constructor(
    message: string,
    context: DwsErrorContext,
    details: DwsResponseDetails & { retryAfterMs: number | null }
  ) {
    super(message, context);
    this.status = details.status;
    this.errorCode = details.errorCode;
    this.errorMessage = details.errorMessage;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** The DR pair or cluster does not exist: any 404, 400 `DWS.10101`, 404 `DWS.0047`, 403 `DWS.0015`. Final. */
export class DwsNotFoundError extends DwsHttpError {
  override readonly name = 'DwsNotFoundError' as const;
  override readonly code = 'DWS_NOT_FOUND' as const;
}

/** Credentials rejected (401) or permission missing (403). Final until the configuration is fixed. */
export class DwsAuthError extends DwsHttpError {
  override readonly name = 'DwsAuthError' as const;
  override readonly code = 'DWS_AUTH_FAILED' as const;
}

/** 429 from the API gateway (`APIG.0308`). Retryable; honour `retryAfterMs`. */
export class DwsThrottledError extends DwsHttpError {
  override readonly name = 'DwsThrottledError' as const;
  override readonly code = 'DWS_THROTTLED' as const;
}

/** 5xx. Retryable, but a mutating request may already have been accepted: read the state before re-sending. */
export class DwsServerError extends DwsHttpError {
  override readonly name = 'DwsServerError' as const;
  override readonly code = 'DWS_SERVER_ERROR' as const;
}

/** No complete answer within the client's time limit. The request may have reached the service. */
export class DwsTimeoutError extends DwsError {
  override readonly name = 'DwsTimeoutError' as const;
  override readonly code = 'DWS_TIMEOUT' as const;
  readonly timeoutMs: number;

  constructor(message: string, context: DwsErrorContext, timeoutMs: number, options?: { cause?: unknown }) {
    super(message, context, options);
    this.timeoutMs = timeoutMs;
  }
}

/** The connection failed or broke. */
export class DwsNetworkError extends DwsError {
  override readonly name = 'DwsNetworkError' as const;
  override readonly code = 'DWS_NETWORK_ERROR' as const;
  /**
   * False only when no connection was ever established (refused, DNS failure, connect timeout, TLS handshake
   * failure, client closed): then the service cannot have seen the request.
   */
  readonly requestMayHaveBeenSent: boolean;

  constructor(message: string, context: DwsErrorContext, requestMayHaveBeenSent: boolean, cause: unknown) {
    super(message, context, { cause });
    this.requestMayHaveBeenSent = requestMayHaveBeenSent;
  }
}

/**
 * A 2xx (or redirect) that is not what the API documents: not JSON, an error body under 200, or a missing field
 * the caller depends on. Retryable as a read; for a mutating call the state must be read before re-sending.
 */
export class DwsBadResponseError extends DwsError implements DwsResponseDetails {
  override readonly name = 'DwsBadResponseError' as const;
  override readonly code = 'DWS_BAD_RESPONSE' as const;
  readonly status: number;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly requestId: string | null;

  constructor(message: string, context: DwsErrorContext, details: DwsResponseDetails) {
    super(message, context);
    this.status = details.status;
    this.errorCode = details.errorCode;
    this.errorMessage = details.errorMessage;
    this.requestId = details.requestId;
  }
}

/** The call was refused before anything was sent (an empty or `..` id, a bad header value). Final: a bug or bad input. */
export class DwsInvalidInputError extends DwsError {
  override readonly name = 'DwsInvalidInputError' as const;
  override readonly code = 'DWS_INVALID_INPUT' as const;

  constructor(message: string, context: DwsErrorContext, options?: { cause?: unknown }) {
    super(message, context, options);
  }
}

/** True for every error this client throws (except the caller's own abort reason, which is re-thrown as is). */
export function isDwsError(err: unknown): err is DwsError {
  return err instanceof DwsError;
}

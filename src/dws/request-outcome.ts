/**
 * The project's one classifier of request outcomes (STYLE rule 7): whatever a DWS or IAM call ends with — an
 * answer's status, an error of our hierarchy (errors.ts), or a raw transport error from undici or Node — becomes a
 * `RequestVerdict` (src/shared/request-verdict.ts): accepted, refused (surely not taken), ambiguous (may have
 * reached the service) or final, with the failure type and the retry delay. The client picks its error classes by
 * it (response.ts, http.ts), activities turn it into failures and request records; nothing else inspects errors.
 */
import { errors as undici } from 'undici';
import { verdictFor, type FailureVerdict, type RequestVerdict } from '../shared/request-verdict';
import {
  DwsAuthError,
  DwsBadResponseError,
  DwsError,
  DwsHttpError,
  DwsInvalidInputError,
  DwsNetworkError,
  DwsNotFoundError,
  DwsServerError,
  DwsThrottledError,
  DwsTimeoutError,
} from './errors';

/** What an HTTP answer said (the parsed error body, the parsed `Retry-After`). */
export interface AnswerFacts {
  status: number;
  /** DWS/APIG `error_code`, e.g. `DWS.10101`; null when the body had none. */
  errorCode: string | null;
  requestId?: string | null;
  retryAfterMs?: number | null;
}

/**
 * The verdict on an answer, by status and DWS error code. `Retry-After` counts on a 429 and a 5xx only; a 408 is
 * the service giving up on reading the request, which it may have acted on, so it counts as ambiguous.
 */
export function answerVerdict(a: AnswerFacts): RequestVerdict {
  const { status: s, errorCode: code } = a;
  const said = { status: s, errorCode: code, requestId: a.requestId ?? null };
  const retry = { ...said, retryAfterMs: a.retryAfterMs ?? null };
  if (s >= 200 && s <= 299) return verdictFor('accepted', said);
  if (s === 404 || (s === 400 && code === 'DWS.10101') || (s === 403 && code === 'DWS.0015')) {
    return verdictFor('not-found', said);
  }
  // DWS.7023 ("the status does not allow this operation") comes as a 403 too, and is a refusal, not an auth failure.
  if (s === 401 || (s === 403 && code !== 'DWS.7023')) return verdictFor('auth', said);
  if (s === 429) return verdictFor('throttled', retry);
  if (s >= 500 && s <= 599) return verdictFor('server-error', retry);
  if (s === 408) return verdictFor('request-timeout', said);
  if (s >= 400 && s <= 499) return verdictFor('rejected', said);
  return verdictFor('bad-response', said); // 1xx, 3xx: not the DWS API
}

/**
 * The verdict on a failed call: an error of the client's hierarchy, or a transport error as undici or Node raised
 * it (http.ts builds the client's error from this). Anything else is `unknown`: possibly sent, retried as an
 * outage. Never throws.
 */
export function requestVerdict(err: unknown): FailureVerdict {
  const v = err instanceof DwsError ? clientErrorVerdict(err) : transportVerdict(err);
  // A 2xx made into an error would be a bug of the client: possibly taken, never final.
  return isFailure(v) ? v : (verdictFor('bad-response', v) as FailureVerdict);
}

function clientErrorVerdict(err: DwsError): RequestVerdict {
  if (err instanceof DwsHttpError) {
    const said = { status: err.status, errorCode: err.errorCode, requestId: err.requestId };
    if (err instanceof DwsNotFoundError) return verdictFor('not-found', said);
    if (err instanceof DwsAuthError) return verdictFor('auth', said);
    if (err instanceof DwsThrottledError) return verdictFor('throttled', { ...said, retryAfterMs: err.retryAfterMs });
    if (err instanceof DwsServerError) return verdictFor('server-error', { ...said, retryAfterMs: err.retryAfterMs });
    return answerVerdict(err); // any other 4xx: refused, or a 408
  }
  if (err instanceof DwsBadResponseError) return verdictFor('bad-response', err);
  if (err instanceof DwsTimeoutError) return verdictFor('timeout');
  if (err instanceof DwsNetworkError)
    return verdictFor(err.requestMayHaveBeenSent ? 'connection-lost' : 'not-connected');
  if (err instanceof DwsInvalidInputError) return verdictFor('invalid-input');
  return verdictFor('unknown');
}

function transportVerdict(err: unknown): RequestVerdict {
  if (err instanceof undici.HeadersTimeoutError || err instanceof undici.BodyTimeoutError) return verdictFor('timeout');
  if (err instanceof undici.InvalidArgumentError) return verdictFor('invalid-input');
  if (neverConnected(err)) return verdictFor('not-connected');
  if (err instanceof undici.SocketError) return verdictFor('connection-lost');
  const code = systemErrorCode(err);
  if (code !== undefined && BROKEN_CONNECTION_CODES.has(code)) return verdictFor('connection-lost');
  return verdictFor('unknown');
}

function isFailure(v: RequestVerdict): v is FailureVerdict {
  return v.kind !== 'accepted' && v.type !== null;
}

/**
 * Node error codes after which the service cannot have seen the request: no connection was ever established
 * (refused, DNS, no route, TLS handshake refused the certificate). A reset (`ECONNRESET`) is not among them: it
 * may come after the request left, and even before the body was written the headers may have reached the service.
 */
const NEVER_CONNECTED_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Node error codes of a connection that broke under a request. */
const BROKEN_CONNECTION_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Refused, unresolvable, unreachable, a connect timeout, or a client already closed: nothing was sent. */
function neverConnected(err: unknown): boolean {
  if (
    err instanceof undici.ConnectTimeoutError ||
    err instanceof undici.ClientClosedError ||
    err instanceof undici.ClientDestroyedError
  ) {
    return true;
  }
  const code = systemErrorCode(err);
  if (code !== undefined && NEVER_CONNECTED_CODES.has(code)) return true;
  // Node reports a failed happy-eyeballs connect as an AggregateError with one error per address tried.
  return err instanceof AggregateError && err.errors.length > 0 && err.errors.every(neverConnected);
}

/**
 * The `code` of a Node system error (`ECONNREFUSED`, a TLS certificate code). Node has no classes for these: its
 * documented `code` is the only way to tell them apart, so this is the one place that reads it.
 */
export function systemErrorCode(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const code: unknown = (err as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : undefined;
}

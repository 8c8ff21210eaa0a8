/**
 * One HTTP exchange over an undici `Dispatcher`: sends, always reads the whole body (so the connection goes back
 * to the pool), and maps transport failures to `DwsTimeoutError` / `DwsNetworkError`. No retries: Temporal owns
 * them (STYLE rule 7). Each exchange is published on `dwsRequestChannel` (events.ts) for the worker's metrics.
 */
import type { Dispatcher } from 'undici';
import { DwsInvalidInputError, DwsNetworkError, DwsTimeoutError } from './errors';
import { dwsRequestChannel, type DwsRequestEvent } from './events';
import type { CallContext, RawResponse } from './response';

/** Error codes after which the service cannot have seen the request: no connection was ever established. */
const NEVER_CONNECTED_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export interface HttpExchange {
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body: string;
  /** Time limit for the whole exchange, also used as undici's headers and body timeouts. */
  timeoutMs: number;
  /** The caller's cancellation; its reason is re-thrown unchanged. */
  signal?: AbortSignal;
}

/**
 * Performs one exchange and returns the status, headers and full body text, whatever the status.
 * @throws DwsTimeoutError, DwsNetworkError, DwsInvalidInputError; or the caller's `signal.reason` when it aborts.
 */
export async function exchange(dispatcher: Dispatcher, req: HttpExchange, ctx: CallContext): Promise<RawResponse> {
  const deadline = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal === undefined ? deadline : AbortSignal.any([req.signal, deadline]);
  const started = performance.now();
  const observed = (status: string): void => {
    if (!dwsRequestChannel.hasSubscribers) return;
    const event: DwsRequestEvent = {
      operation: ctx.operation,
      method: req.method,
      status,
      seconds: (performance.now() - started) / 1000,
    };
    dwsRequestChannel.publish(event);
  };
  try {
    const res = await dispatcher.request({
      origin: req.url.origin,
      path: `${req.url.pathname}${req.url.search}`,
      method: req.method,
      headers: req.headers,
      body: req.method === 'GET' ? null : req.body,
      signal,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    const text = await res.body.text();
    observed(String(res.statusCode));
    return { status: res.statusCode, headers: res.headers, text };
  } catch (err) {
    if (req.signal?.aborted === true) {
      observed('cancelled');
      throw req.signal.reason;
    }
    const error = transportError(err, ctx, req.timeoutMs, deadline.aborted);
    observed(error instanceof DwsTimeoutError ? 'timeout' : 'network-error');
    throw error;
  }
}

function transportError(err: unknown, ctx: CallContext, timeoutMs: number, deadlinePassed: boolean): Error {
  const code = errorCode(err);
  const prefix = `${ctx.operation} for ${ctx.target} failed`;
  const ambiguous = ctx.mutating
    ? 'The request may have reached the service: read the current state before sending it again.'
    : 'Retry later.';
  if (deadlinePassed || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return new DwsTimeoutError(`${prefix}: no answer within ${timeoutMs} ms. ${ambiguous}`, ctx, timeoutMs, {
      cause: err,
    });
  }
  if (code === 'UND_ERR_INVALID_ARG') {
    return new DwsInvalidInputError(`${prefix}: the request could not be built (${describeCause(err)}).`, ctx, {
      cause: err,
    });
  }
  if (neverConnected(err)) {
    return new DwsNetworkError(
      `${prefix}: could not connect (${describeCause(err)}). Nothing was sent; check the endpoint and the network, then retry.`,
      ctx,
      false,
      err
    );
  }
  return new DwsNetworkError(`${prefix}: the connection broke (${describeCause(err)}). ${ambiguous}`, ctx, true, err);
}

/** Node reports a failed happy-eyeballs connect as an AggregateError with one error per address tried. */
function neverConnected(err: unknown): boolean {
  const code = errorCode(err);
  if (code !== undefined && NEVER_CONNECTED_CODES.has(code)) return true;
  return err instanceof AggregateError && err.errors.length > 0 && err.errors.every(neverConnected);
}

function errorCode(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function describeCause(err: unknown): string {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  const text = message === '' && err instanceof AggregateError ? err.errors.map(describeCause).join('; ') : message;
  return code !== undefined && !text.includes(code) ? `${code}: ${text}` : text;
}

/**
 * One HTTP exchange over an undici `Dispatcher`: sends, always reads the whole body (so the connection goes back
 * to the pool), and maps transport failures to `DwsTimeoutError` / `DwsNetworkError` as the one classifier of
 * request outcomes (request-outcome.ts) names them. No retries: Temporal owns
 * them (STYLE rule 7). Each exchange is published on `dwsRequestChannel` (events.ts) for the worker's metrics.
 */
import type { Dispatcher } from 'undici';
import { DwsInvalidInputError, DwsNetworkError, DwsTimeoutError } from './errors';
import { dwsRequestChannel, type DwsRequestEvent } from './events';
import { requestVerdict, systemErrorCode } from './request-outcome';
import type { CallContext, RawResponse } from './response';

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

/** Our error for a failed exchange; what the failure means is the classifier's call (request-outcome.ts). */
function transportError(err: unknown, ctx: CallContext, timeoutMs: number, deadlinePassed: boolean): Error {
  const prefix = `${ctx.operation} for ${ctx.target} failed`;
  const ambiguous = ctx.mutating
    ? 'The request may have reached the service: read the current state before sending it again.'
    : 'Retry later.';
  // Our own deadline is known here only: undici then reports an abort, not a timeout.
  const reason = deadlinePassed ? 'timeout' : requestVerdict(err).reason;
  switch (reason) {
    case 'timeout':
      return new DwsTimeoutError(`${prefix}: no answer within ${timeoutMs} ms. ${ambiguous}`, ctx, timeoutMs, {
        cause: err,
      });
    case 'invalid-input':
      return new DwsInvalidInputError(`${prefix}: the request could not be built (${describeCause(err)}).`, ctx, {
        cause: err,
      });
    case 'not-connected':
      return new DwsNetworkError(
        `${prefix}: could not connect (${describeCause(err)}). Nothing was sent; check the endpoint and the network, then retry.`,
        ctx,
        false,
        err
      );
    default:
      return new DwsNetworkError(
        `${prefix}: the connection broke (${describeCause(err)}). ${ambiguous}`,
        ctx,
        true,
        err
      );
  }
}

function describeCause(err: unknown): string {
  const code = systemErrorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  const text = message === '' && err instanceof AggregateError ? err.errors.map(describeCause).join('; ') : message;
  return code !== undefined && !text.includes(code) ? `${code}: ${text}` : text;
}

/**
 * Turns an HTTP answer into data or into the right `DwsError`, with a message that names the operation and the
 * target and says what to do next. Shared by the DWS client and the IAM token authenticator.
 */
import {
  DwsAuthError,
  DwsBadResponseError,
  DwsHttpError,
  DwsNotFoundError,
  DwsServerError,
  DwsThrottledError,
} from './errors';
import type { DwsErrorContext, DwsResponseDetails } from './errors';
import { answerVerdict } from './request-outcome';

const MAX_RETRY_AFTER_MS = 10 * 60_000;
const SNIPPET_LENGTH = 200;

/** An answer whose body has been read in full. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Context of one call: who failed, whether it changed state, and the next steps to suggest. */
export interface CallContext extends DwsErrorContext {
  /** A POST that may change state: 5xx/timeouts must not be blindly re-sent. */
  mutating: boolean;
  hints: { notFound: string; unauthorized: string; forbidden: string };
  /** Strings that must never appear in a message (e.g. an IAM password echoed by a server). */
  secrets?: readonly string[];
}

/** What an error body says (reference §4.1); all null for an empty or non-JSON body. */
export interface ParsedErrorBody {
  errorCode: string | null;
  errorMessage: string | null;
  requestId: string | null;
  /** A short, single-line excerpt of a non-JSON body; null for JSON or empty bodies. */
  snippet: string | null;
}

/**
 * Reads an error body: `error_code`/`error_msg`, else legacy `errCode`/`externalMessage`, else `code`/`message`,
 * else the first nested object that has them (`{"error":{"code","message"}}`). Never throws.
 */
export function parseErrorBody(text: string): ParsedErrorBody {
  const none = { errorCode: null, errorMessage: null, requestId: null, snippet: null };
  if (text.trim() === '') return none;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ...none, snippet: bodySnippet(text) };
  }
  if (!isRecord(json)) return { ...none, snippet: bodySnippet(text) };
  const found = findErrorFields(json, 0);
  return {
    errorCode: found?.code ?? null,
    errorMessage: found?.message ?? null,
    requestId: scalar(json.request_id) ?? found?.requestId ?? null,
    snippet: null,
  };
}

/**
 * Parses `Retry-After` (delta-seconds or an HTTP date) into milliseconds, clamped to [0, 10 min].
 * @returns null when absent or unparsable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (value === undefined || value.trim() === '') return null;
  const v = value.trim();
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    // Date.parse also takes bare numbers ("-5" is a year); an HTTP date always names a day or month.
    if (!/[a-z]{3}/i.test(v)) return null;
    const at = Date.parse(v);
    if (Number.isNaN(at)) return null;
    ms = at - nowMs;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/** First value of a response header (undici gives arrays for repeated headers). */
export function headerValue(headers: RawResponse['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Maps a non-2xx answer to the error hierarchy. */
export function errorFromResponse(
  res: RawResponse,
  ctx: CallContext,
  nowMs: number
): DwsHttpError | DwsBadResponseError {
  const body = parseErrorBody(res.text);
  const details: DwsResponseDetails = {
    status: res.status,
    errorCode: body.errorCode,
    errorMessage: body.errorMessage === null ? null : redact(body.errorMessage, ctx),
    requestId: headerValue(res.headers, 'x-request-id') ?? body.requestId,
  };
  const what = describe(details, body.snippet, res.text);
  const fail = (summary: string, next: string): string =>
    redact(`${ctx.operation} for ${ctx.target} failed: ${summary} (${what}).${next ? ` ${next}` : ''}`, ctx);
  const code = details.errorCode;
  const retryAfterMs = parseRetryAfter(headerValue(res.headers, 'retry-after'), nowMs);
  // The one classifier names what the answer means; the class and the advice follow from it.
  const verdict = answerVerdict({ ...details, retryAfterMs });
  const afterText = retryAfterMs === null ? 'Retry with backoff.' : `Retry after ${Math.ceil(retryAfterMs / 1000)} s.`;
  const mayHaveBeenTaken = 'The request may have been accepted: read the current state before sending it again.';
  switch (verdict.reason) {
    case 'not-found':
      return new DwsNotFoundError(fail('not found', ctx.hints.notFound), ctx, { ...details, retryAfterMs: null });
    case 'auth': {
      const [summary, hint] =
        res.status === 401
          ? ['authentication rejected', ctx.hints.unauthorized]
          : ['permission denied', ctx.hints.forbidden];
      return new DwsAuthError(fail(summary, hint), ctx, { ...details, retryAfterMs: null });
    }
    case 'throttled':
      return new DwsThrottledError(fail('throttled by the API gateway', afterText), ctx, { ...details, retryAfterMs });
    case 'server-error': {
      const next = ctx.mutating ? mayHaveBeenTaken : retryAfterMs === null ? 'Retry later.' : afterText;
      return new DwsServerError(fail('service error', next), ctx, { ...details, retryAfterMs });
    }
    case 'request-timeout':
      return new DwsHttpError(
        fail('the service timed out reading the request', ctx.mutating ? mayHaveBeenTaken : 'Retry later.'),
        ctx,
        { ...details, retryAfterMs: null }
      );
    case 'rejected': {
      const next =
        code === 'DWS.7023'
          ? 'The current status does not allow this operation: read the status and act on it; re-sending the same request will not help.'
          : 'Fix the request or the state it depends on; re-sending the same request will not help.';
      return new DwsHttpError(fail('refused by the service', next), ctx, { ...details, retryAfterMs: null });
    }
    default: {
      const location = headerValue(res.headers, 'location');
      const where = location === undefined ? '' : ` to ${location}`;
      return new DwsBadResponseError(
        fail(`unexpected answer${where}`, 'Check that the endpoint is the DWS (or IAM) base URL.'),
        ctx,
        details
      );
    }
  }
}

/**
 * Parses a 2xx body as a JSON object. DWS sometimes answers 200 with an error body, so a 200 carrying an
 * `error_code` other than `DWS.0000`, or an `error_msg` without a code, is an error too.
 * @throws DwsBadResponseError for an empty, non-JSON, non-object or error body.
 */
export function parseSuccessBody(res: RawResponse, ctx: CallContext): Record<string, unknown> {
  const requestId = headerValue(res.headers, 'x-request-id') ?? null;
  const bad = (summary: string, errorCode: string | null = null, errorMessage: string | null = null): never => {
    const details = { status: res.status, errorCode, errorMessage, requestId };
    const next = ctx.mutating ? 'Read the current state to learn whether the request took effect.' : 'Retry later.';
    const what = describe(details, null, '');
    throw new DwsBadResponseError(
      redact(`${ctx.operation} for ${ctx.target} failed: ${summary} (${what}). ${next}`, ctx),
      ctx,
      details
    );
  };
  if (res.text.trim() === '') return bad('the answer has an empty body');
  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch {
    return bad(`the answer is not JSON: "${bodySnippet(res.text)}"`);
  }
  if (!isRecord(json)) return bad('the answer is not a JSON object');
  const code = scalar(json.error_code);
  const message = scalar(json.error_msg);
  if ((code !== null && code !== 'DWS.0000') || (code === null && message !== null && message !== '')) {
    return bad('the answer carries an error', code, message === null ? null : redact(message, ctx));
  }
  return json;
}

/** Builds a `DwsBadResponseError` for a 2xx whose JSON lacks what the caller needs. */
export function missingField(res: RawResponse, ctx: CallContext, field: string): DwsBadResponseError {
  const details = {
    status: res.status,
    errorCode: null,
    errorMessage: null,
    requestId: headerValue(res.headers, 'x-request-id') ?? null,
  };
  const next = ctx.mutating ? 'Read the current state to learn whether the request took effect.' : 'Retry later.';
  return new DwsBadResponseError(
    `${ctx.operation} for ${ctx.target} failed: the answer has no ${field} (${describe(details, null, '')}). ${next}`,
    ctx,
    details
  );
}

function describe(details: DwsResponseDetails, snippet: string | null, text: string): string {
  const parts = [`HTTP ${details.status}`];
  if (details.errorCode !== null) parts.push(details.errorCode);
  if (details.errorMessage !== null) parts.push(`"${details.errorMessage}"`);
  if (snippet !== null) parts.push(`non-JSON body: "${snippet}"`);
  else if (details.errorCode === null && details.errorMessage === null && text.trim() === '' && details.status >= 300)
    parts.push('empty body');
  if (details.requestId !== null) parts.push(`request id ${details.requestId}`);
  return parts.join(', ');
}

/** A single-line excerpt: an HTML page's title (or its text), whitespace collapsed, cut to 200 characters. */
export function bodySnippet(text: string): string {
  let s = text;
  if (/<[a-z!/][^>]*>/i.test(s)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(s)?.[1]?.trim();
    s = title ? title : s.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
  }
  s = s.replace(/\s+/g, ' ').trim();
  return s.length > SNIPPET_LENGTH ? `${s.slice(0, SNIPPET_LENGTH - 1)}…` : s;
}

function findErrorFields(
  obj: Record<string, unknown>,
  depth: number
): { code: string | null; message: string | null; requestId: string | null } | null {
  const code = scalar(obj.error_code) ?? scalar(obj.errCode) ?? scalar(obj.code);
  const message = scalar(obj.error_msg) ?? scalar(obj.externalMessage) ?? scalar(obj.message);
  if (code !== null || message !== null) return { code, message, requestId: scalar(obj.request_id) };
  if (depth >= 3) return null;
  for (const value of Object.values(obj)) {
    if (isRecord(value)) {
      const nested = findErrorFields(value, depth + 1);
      if (nested !== null) return nested;
    }
  }
  return null;
}

/** A string, or a finite number as a string (DWS sends some documented strings as numbers); else null. */
export function scalar(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** A plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function redact(text: string, ctx: CallContext): string {
  let out = text;
  for (const secret of ctx.secrets ?? []) if (secret !== '') out = out.split(secret).join('***');
  return out;
}

/**
 * The small HTTP layer of the intake: errors that carry their status, reading a bounded body, JSON answers, and
 * validation that names the bad field.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { formatProblem, problemsFromZod } from '../inventory/issues';
import { clip, quote } from '../shared/quote';

/** An answer other than 2xx: status, a stable code for machines and a sentence for people. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {}
  ) {
    super(message);
  }
}

/** A handler's answer: JSON `body`, or `text` with its content type. */
export interface Answer {
  status: number;
  body?: unknown;
  text?: { contentType: string; content: string };
}

function tooLarge(limit: number): HttpError {
  return new HttpError(
    413,
    'payload_too_large',
    `The request body is larger than ${limit} bytes (DWS_FAILOVER_INTAKE_MAX_BODY); send fewer alerts per notification (max_alerts).`,
    { limit_bytes: limit },
    { connection: 'close' }
  );
}

/**
 * Reads the whole body, refusing more than `limit` bytes as soon as it is known (Content-Length or while reading).
 * @throws HttpError 413 when too large, 400 when the client goes away before the end.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) finish(tooLarge(limit));
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish());
    req.once('error', (err) => finish(new HttpError(400, 'bad_request', `Reading the body failed: ${err.message}`)));
    req.once('close', () => finish(new HttpError(400, 'bad_request', 'The client closed the request mid-body.')));
  });
}

/** `application/json` and any `application/*+json`, with or without parameters (charset…). */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.!#$%&'*^`|~+-]+\+)?json$/i;

/**
 * Refuses a body that is not declared JSON: a form post or `text/plain` from a browser or a misconfigured sender must
 * not start a failover just because its bytes happen to parse.
 * @throws HttpError 415 `unsupported_media_type` naming the type received and the fix.
 */
export function requireJson(contentType: string | undefined): void {
  const mediaType = (contentType ?? '').split(';', 1)[0]?.trim() ?? '';
  if (JSON_MEDIA_TYPE.test(mediaType)) return;
  const received = contentType === undefined ? 'missing' : quote(contentType);
  throw new HttpError(
    415,
    'unsupported_media_type',
    `The request's Content-Type is ${received}; the intake takes JSON: send Content-Type: application/json.`
  );
}

/** Writes a JSON answer. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Parses a JSON body. @throws HttpError 400 `invalid_json` saying where the JSON breaks. */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw new HttpError(400, 'invalid_json', 'The request body is empty; send a JSON object.');
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (err) {
    // V8's message quotes the input around the error: keep it short.
    const reason = clip((err as Error).message, 160);
    throw new HttpError(400, 'invalid_json', `The request body is not valid JSON: ${reason}`);
  }
}

/**
 * Validates a parsed body. @throws HttpError 400 `invalid_body` whose message names the first bad field and whose
 * `problems` list all of them (at most 20). Keys in paths are clipped: a field name can be as long as the body.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = problemsFromZod(result.error).map((p) =>
    clip(
      formatProblem({ path: p.path.map((k) => (typeof k === 'string' ? clip(k) : k)), message: p.message }, 'body'),
      240
    )
  );
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  throw new HttpError(400, 'invalid_body', `Not a valid ${what}: ${problems[0]}${more}.`, {
    problems: problems.slice(0, 20),
  });
}

/**
 * Huawei Cloud AK/SK request signing (`SDK-HMAC-SHA256`), byte-identical to the official SDKs
 * (reference/dws-dr-api.md §5.2), and the matching server-side verifier used by the simulator.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The only algorithm DWS uses (no derived `V11-HMAC-SHA256`). */
export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';
/** Value of `X-Sdk-Content-Sha256` that tells the gateway not to hash the body. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const DEFAULT_MAX_SKEW_MS = 15 * 60_000;
const HEX = Array.from({ length: 256 }, (_, i) => `%${i.toString(16).toUpperCase().padStart(2, '0')}`);
const SDK_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const AUTHORIZATION = /^SDK-HMAC-SHA256 +Access=([^,\s]+), *SignedHeaders=([^,\s]+), *Signature=([0-9a-f]{64})$/;

export interface SignRequestInput {
  method: string;
  url: URL;
  /** Every header to sign, any case. `X-Sdk-Date` is added from `date` unless present. */
  headers: Record<string, string>;
  /** The exact body bytes sent (a string is hashed as UTF-8). */
  body: string | Uint8Array;
  ak: string;
  sk: string;
  /** Signing time when `headers` has no `X-Sdk-Date`; default now. */
  date?: Date;
}

export interface SignedRequest {
  /** Value of the `Authorization` header. */
  authorization: string;
  /** Lowercased, sorted, `;`-joined names of the signed headers. */
  signedHeaders: string;
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
  /** Value of the `X-Sdk-Date` header that was signed; send it. */
  sdkDate: string;
}

export interface VerifySignatureInput {
  method: string;
  /** The request path exactly as received (still percent-encoded), without the query. */
  path: string;
  /** The query string as received, without `?` (empty when none). */
  rawQuery: string;
  /** Headers with lowercased names, e.g. node's `IncomingMessage.headers`. */
  headers: Record<string, string | string[] | undefined>;
  body: string | Uint8Array;
  /** Returns the SK of an AK, or undefined when the AK is unknown. */
  lookupSecret: (ak: string) => string | undefined;
  now?: Date;
  /** Largest accepted distance between `X-Sdk-Date` and `now`; default 15 min like the gateway. */
  maxSkewMs?: number;
}

export type VerifySignatureResult = { valid: true; ak: string } | { valid: false; reason: string };

/**
 * Formats a date as `X-Sdk-Date` wants it: `YYYYMMDDTHHMMSSZ` in UTC.
 * @throws RangeError for an invalid date.
 */
export function formatSdkDate(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** Parses `YYYYMMDDTHHMMSSZ`; null when malformed. */
export function parseSdkDate(value: string): Date | null {
  const m = SDK_DATE.exec(value);
  if (m === null) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return formatSdkDate(date) === value ? date : null;
}

/**
 * Signs a request. Signs every header in `input.headers` (plus `X-Sdk-Date`), so pass only the headers that no
 * proxy rewrites. An `X-Sdk-Content-Sha256` header replaces the body hash with its value, as in the SDKs.
 * @throws TypeError when two header names differ only in case.
 */
export function signRequest(input: SignRequestInput): SignedRequest {
  const headers = lowercaseHeaders(input.headers);
  let sdkDate = headers.get('x-sdk-date');
  if (sdkDate === undefined) {
    sdkDate = formatSdkDate(input.date ?? new Date());
    headers.set('x-sdk-date', sdkDate);
  }
  const names = [...headers.keys()].sort(compareUtf8);
  const signedHeaders = names.join(';');
  const payloadHash = headers.get('x-sdk-content-sha256') ?? sha256Hex(input.body);
  const canonicalRequest = buildCanonicalRequest(
    input.method,
    canonicalUri(input.url.pathname),
    canonicalQuery(input.url.search),
    names.map((name) => [name, headers.get(name) ?? '']),
    signedHeaders,
    payloadHash
  );
  const stringToSign = `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequest)}`;
  const signature = hmacHex(input.sk, stringToSign);
  const authorization = `${SIGNING_ALGORITHM} Access=${input.ak}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { authorization, signedHeaders, signature, canonicalRequest, stringToSign, sdkDate };
}

/**
 * Checks an incoming request's signature the way the API gateway does: recomputes it over the headers named in
 * the `Authorization` header's `SignedHeaders` list and checks the `X-Sdk-Date` skew. Never throws.
 */
export function verifySignature(input: VerifySignatureInput): VerifySignatureResult {
  const header = (name: string): string | undefined => {
    const v = input.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  };
  const auth = header('authorization');
  if (auth === undefined) return invalid('missing Authorization header');
  const m = AUTHORIZATION.exec(auth.trim());
  if (m === null) return invalid('malformed Authorization header (expected SDK-HMAC-SHA256 Access=…)');
  const [, ak = '', signedHeaders = '', signature = ''] = m;
  const sk = input.lookupSecret(ak);
  if (sk === undefined) return invalid(`unknown access key ${ak}`);

  const sdkDate = header('x-sdk-date');
  if (sdkDate === undefined) return invalid('missing X-Sdk-Date header');
  const date = parseSdkDate(sdkDate.trim());
  if (date === null) return invalid(`malformed X-Sdk-Date ${JSON.stringify(sdkDate)} (expected YYYYMMDDTHHMMSSZ)`);
  const skew = Math.abs((input.now ?? new Date()).getTime() - date.getTime());
  if (skew > (input.maxSkewMs ?? DEFAULT_MAX_SKEW_MS)) {
    return invalid(`X-Sdk-Date ${sdkDate} is ${Math.round(skew / 1000)} s away from the server clock`);
  }

  const names = signedHeaders.split(';');
  if (!names.includes('x-sdk-date')) return invalid('x-sdk-date is not among the signed headers');
  const canonicalHeaders: [string, string][] = [];
  for (const name of names) {
    const value = header(name);
    if (value === undefined) return invalid(`signed header ${name} is missing from the request`);
    canonicalHeaders.push([name, value.trim()]);
  }

  const bodyHash = sha256Hex(input.body);
  const declared = names.includes('x-sdk-content-sha256') ? header('x-sdk-content-sha256')?.trim() : undefined;
  if (declared !== undefined && declared !== UNSIGNED_PAYLOAD && declared !== bodyHash) {
    return invalid('X-Sdk-Content-Sha256 does not match the body');
  }
  const canonicalRequest = buildCanonicalRequest(
    input.method,
    canonicalUri(input.path),
    canonicalQuery(input.rawQuery),
    canonicalHeaders,
    signedHeaders,
    declared ?? bodyHash
  );
  const expected = hmacHex(sk, `${SIGNING_ALGORITHM}\n${sdkDate.trim()}\n${sha256Hex(canonicalRequest)}`);
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) return invalid('signature mismatch');
  return { valid: true, ak };
}

/**
 * Percent-encodes like the SDKs: UTF-8 bytes, `A–Z a–z 0–9 - _ . ~` kept, everything else `%XX` (uppercase).
 * A space is `%20`, never `+`.
 */
export function sdkPercentEncode(value: string | Uint8Array): string {
  let out = '';
  for (const byte of typeof value === 'string' ? Buffer.from(value, 'utf8') : value) {
    out += isUnreserved(byte) ? String.fromCharCode(byte) : (HEX[byte] ?? '');
  }
  return out;
}

function buildCanonicalRequest(
  method: string,
  uri: string,
  query: string,
  headers: readonly (readonly [string, string])[],
  signedHeaders: string,
  payloadHash: string
): string {
  const canonicalHeaders = headers.map(([name, value]) => `${name}:${value}\n`).join('');
  return `${method}\n${uri}\n${query}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
}

/**
 * Each segment of the path as sent is decoded and re-encoded with the SDK rule, so `%2F` inside a segment stays
 * one segment and `!*'()` come out encoded whichever way the client wrote them. The trailing `/` exists only here.
 */
function canonicalUri(path: string): string {
  const uri = path
    .split('/')
    .map((segment) => sdkPercentEncode(percentDecodeBytes(segment)))
    .join('/');
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** Names sorted by UTF-8 bytes (as Go/Python sort them), repeated names' values sorted too. */
function canonicalQuery(search: string): string {
  const params = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(search)) {
    const values = params.get(key);
    if (values === undefined) params.set(key, [value]);
    else values.push(value);
  }
  return [...params.keys()]
    .sort(compareUtf8)
    .flatMap((key) =>
      (params.get(key) ?? []).sort(compareUtf8).map((v) => `${sdkPercentEncode(key)}=${sdkPercentEncode(v)}`)
    )
    .join('&');
}

function lowercaseHeaders(headers: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (out.has(lower)) throw new TypeError(`header ${lower} is given twice (names differ only in case)`);
    out.set(lower, String(value).trim());
  }
  return out;
}

/** Lenient: `%XX` becomes its byte, anything else (including a stray `%`) its UTF-8 bytes. */
function percentDecodeBytes(segment: string): Uint8Array {
  if (!segment.includes('%')) return Buffer.from(segment, 'utf8');
  const parts = segment.split(/(%[0-9A-Fa-f]{2})/);
  return Buffer.concat(
    parts.map((p) => (/^%[0-9A-Fa-f]{2}$/.test(p) ? Buffer.from([parseInt(p.slice(1), 16)]) : Buffer.from(p, 'utf8')))
  );
}

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x2e || // .
    byte === 0x5f || // _
    byte === 0x7e // ~
  );
}

function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmacHex(key: string, data: string): string {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(data, 'utf8').digest('hex');
}

function invalid(reason: string): VerifySignatureResult {
  return { valid: false, reason };
}

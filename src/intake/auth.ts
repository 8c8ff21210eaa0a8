/**
 * Who may talk to the intake. Standard routes take a bearer token (`DWS_FAILOVER_INTAKE_TOKEN`) or an HMAC-SHA256
 * signature over `${timestamp}.${body}` (`DWS_FAILOVER_INTAKE_HMAC_SECRET`, headers in signatures.ts) within a
 * time window, never the same signature twice. The Grafana route also takes Grafana's own HMAC header; the
 * PagerDuty route takes `X-PagerDuty-Signature` when `DWS_FAILOVER_PAGERDUTY_SECRET` is set (it signs no timestamp,
 * so it cannot be windowed; its redeliveries are one trigger, counted, on the workflow). Every failure is 401 with a
 * message that names the problem, never the secret.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { VerifiedPerson } from '../identity/attest';
import { HttpError } from './http';
import { anyMatches, hmacHex, safeEqual, SIGNATURE_HEADER, signaturesIn, TIMESTAMP_HEADER } from './signatures';
import type { ReplayCache, Reservation } from './signatures';

/** The intake's credentials. */
export interface AuthSettings {
  token: string | null;
  hmacSecret: string | null;
  pagerdutySecret: string | null;
  /** How far a signed timestamp may be from now, either way. */
  windowSeconds: number;
  /** `--insecure-no-auth`: accept unauthenticated requests when no token or secret is configured. */
  insecureNoAuth: boolean;
}

/**
 * Which rules a route follows. `automation` (starts and reads) also takes a person's own credential, `decision`
 * (approve, reject, cancel) only that (identify.ts); both follow `standard` for the shared credentials.
 */
export type AuthScheme = 'standard' | 'grafana' | 'pagerduty' | 'automation' | 'decision';

/**
 * How a request was authenticated. `replay`: a signed request's signature, reserved for this request; the server
 * keeps it after a 2xx answer and releases it otherwise (replay-guard.ts).
 */
export interface AuthResult {
  method: 'bearer' | 'hmac' | 'grafana-hmac' | 'pagerduty' | 'none' | 'oidc' | 'token';
  replay?: Reservation;
  /** `oidc` and `token`: the person (or automation) the credential names, as the intake verified it. */
  person?: VerifiedPerson;
}

const GRAFANA_SIGNATURE = 'x-grafana-alerting-signature';
const GRAFANA_TIMESTAMP = 'x-grafana-alerting-timestamp';

export const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
};

/**
 * The bearer token of `Authorization`, or undefined without the header.
 * @throws HttpError 401 for another scheme.
 */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const authorization = header(headers, 'authorization');
  if (authorization === undefined) return undefined;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  if (bearer === undefined) throw unauthorized('Only "Authorization: Bearer <token>" is accepted.');
  return bearer;
}

/** A 401 with `message` and the challenge header. */
export function unauthorized(message: string): HttpError {
  return new HttpError(401, 'unauthorized', message, {}, { 'www-authenticate': 'Bearer realm="dws-failover"' });
}

function checkTimestamp(text: string | undefined, name: string, settings: AuthSettings, nowMs: number): number {
  if (!text || !/^\d{1,12}$/.test(text.trim())) {
    throw unauthorized(`${name} must be the Unix time in seconds at which the request was signed.`);
  }
  const ts = Number(text.trim());
  const skew = Math.abs(nowMs / 1000 - ts);
  if (skew > settings.windowSeconds) {
    throw unauthorized(
      `${name} ${ts} is ${Math.round(skew)} s away from the intake's clock, outside the ${settings.windowSeconds} s window: a replayed or stale request (or a wrong clock) is refused.`
    );
  }
  return ts;
}

function verifyHmac(
  settings: AuthSettings,
  replays: ReplayCache,
  candidates: string[],
  signed: (ts: number) => (string | Buffer)[],
  timestamp: { value: string | undefined; name: string },
  nowMs: number,
  method: AuthResult['method']
): AuthResult {
  if (!settings.hmacSecret) {
    throw unauthorized('Signed requests are not accepted: DWS_FAILOVER_INTAKE_HMAC_SECRET is not set on the intake.');
  }
  const ts = checkTimestamp(timestamp.value, timestamp.name, settings, nowMs);
  const expected = hmacHex(settings.hmacSecret, ...signed(ts));
  if (!anyMatches(expected, candidates)) {
    throw unauthorized('The signature does not match the body and timestamp (check the secret and sign the raw body).');
  }
  // Check and reserve in one synchronous step: of concurrent requests with this signature, one goes on.
  const held = replays.reserve(expected, (ts + settings.windowSeconds) * 1000, nowMs);
  if (held === 'used') throw unauthorized('This signature was already used: a replayed request is refused.');
  if (held === 'in-flight') {
    throw unauthorized('This signature is in use by a request still being handled: a replayed request is refused.');
  }
  return { method, replay: held };
}

/**
 * Authenticates one request; a signed one (ours or Grafana's) leaves its signature reserved in `replays`.
 * @throws HttpError 401 naming what is missing or wrong, or a replay.
 */
export function authenticate(
  settings: AuthSettings,
  scheme: AuthScheme,
  headers: IncomingHttpHeaders,
  body: Buffer,
  replays: ReplayCache,
  nowMs: number
): AuthResult {
  if (scheme === 'pagerduty' && settings.pagerdutySecret) {
    const given = signaturesIn(header(headers, 'x-pagerduty-signature'), 'v1=');
    if (given.length === 0) throw unauthorized('X-PagerDuty-Signature with a v1= signature is missing.');
    if (!anyMatches(hmacHex(settings.pagerdutySecret, body), given)) {
      throw unauthorized('No X-PagerDuty-Signature matches the body (check DWS_FAILOVER_PAGERDUTY_SECRET).');
    }
    return { method: 'pagerduty' };
  }
  const bearer = bearerToken(headers);
  if (bearer !== undefined) {
    if (!settings.token) {
      throw unauthorized('Bearer tokens are not accepted: DWS_FAILOVER_INTAKE_TOKEN is not set on the intake.');
    }
    if (!safeEqual(bearer, settings.token)) throw unauthorized('The bearer token is not the intake token.');
    return { method: 'bearer' };
  }
  const signature = header(headers, SIGNATURE_HEADER);
  if (signature !== undefined) {
    const ts = { value: header(headers, TIMESTAMP_HEADER), name: 'X-DWS-Failover-Timestamp' };
    return verifyHmac(settings, replays, signaturesIn(signature, 'sha256='), (t) => [`${t}.`, body], ts, nowMs, 'hmac');
  }
  const grafana = scheme === 'grafana' ? header(headers, GRAFANA_SIGNATURE) : undefined;
  if (grafana !== undefined) {
    const ts = { value: header(headers, GRAFANA_TIMESTAMP), name: 'X-Grafana-Alerting-Timestamp' };
    const given = [grafana.trim().toLowerCase()];
    return verifyHmac(settings, replays, given, (t) => [`${t}:`, body], ts, nowMs, 'grafana-hmac');
  }
  if (!settings.token && !settings.hmacSecret && settings.insecureNoAuth) return { method: 'none' };
  const ways = [
    settings.token ? '"Authorization: Bearer <DWS_FAILOVER_INTAKE_TOKEN>"' : null,
    settings.hmacSecret ? 'X-DWS-Failover-Timestamp + X-DWS-Failover-Signature: sha256=<hmac>' : null,
    scheme === 'pagerduty' && settings.pagerdutySecret ? 'X-PagerDuty-Signature' : null,
  ].filter(Boolean);
  if (ways.length === 0) {
    throw unauthorized(
      'No credentials: this route takes the shared credentials (DWS_FAILOVER_INTAKE_TOKEN, DWS_FAILOVER_INTAKE_HMAC_SECRET), and none is set on this intake.'
    );
  }
  throw unauthorized(`No credentials: send ${ways.join(', or ')}.`);
}

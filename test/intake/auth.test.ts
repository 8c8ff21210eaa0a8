import { describe, expect, it } from 'vitest';
import { authenticate, type AuthScheme, type AuthSettings } from '../../src/intake/auth';
import { HttpError } from '../../src/intake/http';
import { hmacHex, ReplayCache, safeEqual, signaturesIn, type Reservation } from '../../src/intake/signatures';

const TOKEN = 'intake-token-0123456789abcdef';
const SECRET = 'hmac-secret-0123456789abcdef';
const PD_SECRET = 'pagerduty-secret-0123456789';
const settings: AuthSettings = {
  token: TOKEN,
  hmacSecret: SECRET,
  pagerdutySecret: PD_SECRET,
  windowSeconds: 300,
  insecureNoAuth: false,
};
const body = Buffer.from('{"alerts":[]}');
const NOW = Date.parse('2025-11-27T03:00:00Z');
const ts = String(NOW / 1000);

function refusal(
  headers: Record<string, string>,
  scheme: AuthScheme = 'standard',
  s = settings,
  cache = new ReplayCache()
): string {
  try {
    authenticate(s, scheme, headers, body, cache, NOW);
  } catch (err) {
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(401);
    return (err as HttpError).message;
  }
  throw new Error('expected a 401');
}

const signed = (secret = SECRET, at = ts, b: Buffer = body) => ({
  'x-dws-failover-timestamp': at,
  'x-dws-failover-signature': `sha256=${hmacHex(secret, `${at}.`, b)}`,
});

describe('bearer token', () => {
  it('accepts the configured token', () => {
    expect(
      authenticate(settings, 'standard', { authorization: `Bearer ${TOKEN}` }, body, new ReplayCache(), NOW)
    ).toEqual({ method: 'bearer' });
  });

  it('refuses a wrong token, another scheme and no credentials, saying which', () => {
    expect(refusal({ authorization: 'Bearer wrong' })).toMatch(/bearer token is not the intake token/);
    expect(refusal({ authorization: 'Basic dXNlcjpwYXNz' })).toMatch(/Only "Authorization: Bearer <token>"/);
    expect(refusal({})).toMatch(
      /No credentials: send "Authorization: Bearer <DWS_FAILOVER_INTAKE_TOKEN>", or X-DWS-Failover-Timestamp/
    );
  });

  it('refuses a bearer token when the intake has none configured', () => {
    expect(refusal({ authorization: `Bearer ${TOKEN}` }, 'standard', { ...settings, token: null })).toMatch(
      /DWS_FAILOVER_INTAKE_TOKEN is not set/
    );
  });
});

describe('HMAC signature over timestamp.body', () => {
  it('accepts a fresh signature and returns it for the replay cache', () => {
    const result = authenticate(settings, 'standard', signed(), body, new ReplayCache(), NOW);
    expect(result.method).toBe('hmac');
    expect(result.replay?.untilMs).toBe(NOW + 300_000);
  });

  it('refuses a signature made with another secret or over another body', () => {
    expect(refusal(signed('another-secret-0123456789'))).toMatch(/signature does not match/);
    expect(refusal(signed(SECRET, ts, Buffer.from('{"alerts":[1]}')))).toMatch(/signature does not match/);
  });

  it('refuses a timestamp outside the window, as a replay', () => {
    const old = String(NOW / 1000 - 301);
    expect(refusal(signed(SECRET, old))).toMatch(/301 s away from the intake's clock, outside the 300 s window/);
    expect(refusal(signed(SECRET, 'yesterday'))).toMatch(/X-DWS-Failover-Timestamp must be the Unix time in seconds/);
  });

  it('refuses the same signature while the first request is being handled, and once it was answered', () => {
    const cache = new ReplayCache();
    const first = authenticate(settings, 'standard', signed(), body, cache, NOW);
    expect(refusal(signed(), 'standard', settings, cache)).toMatch(
      /in use by a request still being handled: a replayed request is refused/
    );
    first.replay!.keep();
    expect(refusal(signed(), 'standard', settings, cache)).toMatch(/already used: a replayed request is refused/);
  });

  it('accepts the same signature again once the first request gave it back (not answered 2xx)', () => {
    const cache = new ReplayCache();
    authenticate(settings, 'standard', signed(), body, cache, NOW).replay!.release();
    expect(authenticate(settings, 'standard', signed(), body, cache, NOW).method).toBe('hmac');
  });

  it("reserves Grafana's signature the same way", () => {
    const cache = new ReplayCache();
    const headers = {
      'x-grafana-alerting-timestamp': ts,
      'x-grafana-alerting-signature': hmacHex(SECRET, `${ts}:`, body),
    };
    authenticate(settings, 'grafana', headers, body, cache, NOW).replay!.keep();
    expect(refusal(headers, 'grafana', settings, cache)).toMatch(/already used: a replayed request is refused/);
  });

  it("accepts Grafana's own signature header over timestamp:body on the Grafana route", () => {
    const headers = {
      'x-grafana-alerting-timestamp': ts,
      'x-grafana-alerting-signature': hmacHex(SECRET, `${ts}:`, body),
    };
    expect(authenticate(settings, 'grafana', headers, body, new ReplayCache(), NOW).method).toBe('grafana-hmac');
    expect(refusal(headers, 'standard')).toMatch(/No credentials/);
  });
});

describe('PagerDuty signature', () => {
  const pd = (...secrets: string[]) => ({
    'x-pagerduty-signature': secrets.map((s) => `v1=${hmacHex(s, body)}`).join(','),
  });

  it('accepts a matching v1 signature, also among several during a secret rotation', () => {
    expect(authenticate(settings, 'pagerduty', pd(PD_SECRET), body, new ReplayCache(), NOW)).toEqual({
      method: 'pagerduty',
    });
    expect(
      authenticate(settings, 'pagerduty', pd('old-secret-0000000000', PD_SECRET), body, new ReplayCache(), NOW).method
    ).toBe('pagerduty');
  });

  it('refuses a wrong or missing signature even with a valid bearer token', () => {
    expect(refusal(pd('wrong-secret-000000000'), 'pagerduty')).toMatch(/No X-PagerDuty-Signature matches the body/);
    expect(refusal({ authorization: `Bearer ${TOKEN}` }, 'pagerduty')).toMatch(
      /X-PagerDuty-Signature with a v1= signature is missing/
    );
  });

  it('falls back to the bearer token when no PagerDuty secret is configured', () => {
    const s = { ...settings, pagerdutySecret: null };
    expect(
      authenticate(s, 'pagerduty', { authorization: `Bearer ${TOKEN}` }, body, new ReplayCache(), NOW).method
    ).toBe('bearer');
  });
});

describe('without credentials', () => {
  const none = { ...settings, token: null, hmacSecret: null, pagerdutySecret: null };
  it('lets requests through only with --insecure-no-auth', () => {
    expect(authenticate({ ...none, insecureNoAuth: true }, 'standard', {}, body, new ReplayCache(), NOW).method).toBe(
      'none'
    );
    expect(refusal({}, 'standard', none)).toMatch(/No credentials/);
  });
});

describe('signature helpers', () => {
  it('compares in constant time whatever the lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', 'a')).toBe(false);
  });

  it('reads comma-separated signature lists', () => {
    expect(signaturesIn('v1=AA, v1=bb,v0=cc', 'v1=')).toEqual(['aa', 'bb']);
    expect(signaturesIn(undefined, 'v1=')).toEqual([]);
  });
});

describe('replay cache', () => {
  it('reserves a signature once: a second reservation is refused while the first is held, in flight or kept', () => {
    const cache = new ReplayCache();
    const held = cache.reserve('a', 100, 0);
    expect(held).toMatchObject({ signature: 'a', untilMs: 100 });
    expect(cache.reserve('a', 100, 10)).toBe('in-flight');
    (held as Reservation).keep();
    expect(cache.reserve('a', 100, 20)).toBe('used');
    expect(cache.has('a', 20)).toBe(true);
  });

  it('reserves a released signature again', () => {
    const cache = new ReplayCache();
    (cache.reserve('a', 100, 0) as Reservation).release();
    expect(cache.has('a', 0)).toBe(false);
    expect(cache.reserve('a', 100, 0)).toMatchObject({ signature: 'a' });
    expect(cache.reserve('a', 100, 0)).toBe('in-flight');
  });

  it('forgets a signature when its window ends, kept or not', () => {
    const cache = new ReplayCache();
    (cache.reserve('a', 100, 0) as Reservation).keep();
    expect(cache.has('a', 99)).toBe(true);
    expect(cache.has('a', 100)).toBe(false);
    expect(cache.reserve('a', 200, 100)).toMatchObject({ untilMs: 200 });
  });

  it('stays bounded, dropping ended windows first, then the oldest', () => {
    const cache = new ReplayCache(2);
    cache.reserve('a', 100, 0);
    cache.reserve('b', 300, 0);
    cache.reserve('c', 300, 150);
    expect([cache.has('a', 150), cache.has('b', 150), cache.has('c', 150)]).toEqual([false, true, true]);
    cache.reserve('d', 300, 150);
    expect([cache.has('b', 150), cache.has('c', 150), cache.has('d', 150)]).toEqual([false, true, true]);
  });

  it("does not let a dropped reservation's release free another request's", () => {
    const cache = new ReplayCache(1);
    const first = cache.reserve('a', 100, 0) as Reservation;
    cache.reserve('b', 100, 0);
    cache.reserve('a', 100, 0);
    first.release();
    expect(cache.reserve('a', 100, 0)).toBe('in-flight');
  });
});

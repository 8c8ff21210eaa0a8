import { describe, expect, it } from 'vitest';
import { signRequest, verifySignature } from '../../src/dws/signer';
import type { VerifySignatureInput } from '../../src/dws/signer';

const AK = 'HPUAEXAMPLEAK';
const SK = 'example-secret-key';
const SIGNED_AT = new Date(Date.UTC(2024, 0, 1, 12, 0, 0));

/** A request as a server receives it, signed by our signer. */
function signedRequest(
  headers: Record<string, string> = {},
  body = '{"a":1}',
  url = new URL('https://dws.example.test/v2/p/disaster-recovery/d%20r?b=2&a=1&a=0')
): VerifySignatureInput {
  const toSign = { host: url.host, 'content-type': 'application/json', 'x-project-id': 'p', ...headers };
  const signed = signRequest({ method: 'POST', url, headers: toSign, body, ak: AK, sk: SK, date: SIGNED_AT });
  return {
    method: 'POST',
    path: url.pathname,
    rawQuery: url.search.slice(1),
    headers: { ...toSign, 'x-sdk-date': signed.sdkDate, authorization: signed.authorization, 'user-agent': 'x' },
    body,
    lookupSecret: (ak) => (ak === AK ? SK : undefined),
    now: SIGNED_AT,
  };
}

describe('verifySignature', () => {
  it('accepts its own signatures', () => {
    expect(verifySignature(signedRequest())).toEqual({ valid: true, ak: AK });
  });

  it('accepts the body as bytes and ignores headers it did not sign', () => {
    const req = signedRequest();
    expect(
      verifySignature({ ...req, headers: { ...req.headers, 'x-extra': ['a', 'b'] }, body: Buffer.from('{"a":1}') })
    ).toEqual({ valid: true, ak: AK });
  });

  it('accepts a path whose sub-delimiters were sent encoded differently', () => {
    const req = signedRequest({}, '', new URL("https://dws.example.test/v2/p/a!*'()"));
    expect(verifySignature({ ...req, path: '/v2/p/a%21%2a%27%28%29' })).toEqual({ valid: true, ak: AK });
  });

  it('accepts a date skew just under the limit', () => {
    const req = signedRequest();
    expect(verifySignature({ ...req, now: new Date(SIGNED_AT.getTime() + 14 * 60_000) }).valid).toBe(true);
  });

  it('accepts any body when UNSIGNED-PAYLOAD is signed', () => {
    const req = signedRequest({ 'x-sdk-content-sha256': 'UNSIGNED-PAYLOAD' });
    expect(verifySignature({ ...req, body: 'something else' }).valid).toBe(true);
  });

  const tampered: [string, (r: VerifySignatureInput) => VerifySignatureInput, RegExp][] = [
    ['the path', (r) => ({ ...r, path: '/v2/p/disaster-recovery/other' }), /signature mismatch/],
    ['a query value', (r) => ({ ...r, rawQuery: 'b=3&a=1&a=0' }), /signature mismatch/],
    ['an added query parameter', (r) => ({ ...r, rawQuery: `${r.rawQuery}&c=1` }), /signature mismatch/],
    ['the body', (r) => ({ ...r, body: '{"a":2}' }), /signature mismatch/],
    ['the method', (r) => ({ ...r, method: 'GET' }), /signature mismatch/],
    ['a signed header', (r) => ({ ...r, headers: { ...r.headers, 'x-project-id': 'q' } }), /signature mismatch/],
    ['the host', (r) => ({ ...r, headers: { ...r.headers, host: 'evil.test' } }), /signature mismatch/],
    ['the date beyond 15 min', (r) => ({ ...r, now: new Date(SIGNED_AT.getTime() + 16 * 60_000) }), /away from/],
    ['the date into the future', (r) => ({ ...r, now: new Date(SIGNED_AT.getTime() - 16 * 60_000) }), /away from/],
    [
      'the X-Sdk-Date header',
      (r) => ({ ...r, headers: { ...r.headers, 'x-sdk-date': '20240101T120001Z' } }),
      /mismatch/,
    ],
    [
      'a malformed X-Sdk-Date',
      (r) => ({ ...r, headers: { ...r.headers, 'x-sdk-date': '2024-01-01' } }),
      /malformed X-Sdk-Date/,
    ],
    [
      'a removed signed header',
      (r) => ({ ...r, headers: { ...r.headers, 'x-project-id': undefined } }),
      /x-project-id is missing/,
    ],
    ['an unknown AK', (r) => ({ ...r, lookupSecret: () => undefined }), /unknown access key HPUAEXAMPLEAK/],
    ['a wrong SK', (r) => ({ ...r, lookupSecret: () => 'other' }), /signature mismatch/],
    [
      'no Authorization',
      (r) => ({ ...r, headers: { ...r.headers, authorization: undefined } }),
      /missing Authorization/,
    ],
    [
      'a malformed Authorization',
      (r) => ({ ...r, headers: { ...r.headers, authorization: 'Bearer abc' } }),
      /malformed Authorization/,
    ],
  ];
  it.each(tampered)('rejects a request with tampered %s', (_what, tamper, reason) => {
    const verdict = verifySignature(tamper(signedRequest()));
    expect(verdict.valid).toBe(false);
    if (!verdict.valid) expect(verdict.reason).toMatch(reason);
  });

  it('rejects an X-Sdk-Content-Sha256 that does not match the body', () => {
    const req = signedRequest({ 'x-sdk-content-sha256': 'a'.repeat(64) });
    expect(verifySignature(req)).toEqual({ valid: false, reason: 'X-Sdk-Content-Sha256 does not match the body' });
  });

  it('rejects a signature that does not cover x-sdk-date', () => {
    const req = signedRequest();
    const auth = String(req.headers.authorization).replace('x-project-id;x-sdk-date', 'x-project-id');
    const verdict = verifySignature({ ...req, headers: { ...req.headers, authorization: auth } });
    expect(verdict).toEqual({ valid: false, reason: 'x-sdk-date is not among the signed headers' });
  });
});

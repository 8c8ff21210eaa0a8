/**
 * Cross-checks the signer against the official Node.js SDK core signer (`AKSKSigner.sign`) on random requests.
 * The official signer takes the raw (unencoded) path inside `endpoint`, the query as an object and the body as an
 * object it `JSON.stringify`s; our signer takes the URL as sent and the body bytes.
 */
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import { describe, expect, it } from 'vitest';
import { formatSdkDate, parseSdkDate, signRequest, verifySignature } from '../../src/dws/signer';

/** mulberry32: a small seeded generator, so a failing case can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
// Characters the legacy `url.parse` inside the official signer leaves alone in a path (it escapes space, quotes,
// braces and a few more before the signer encodes again, which would double-encode them).
const PATH_CHARS = [...`${ALNUM}-_.~!*()@:$&+,;=[]%`, 'é', '中', 'Ω', '😀'];
// The official signer sorts with UTF-16 order, Go and Python by code point: they agree as long as no character
// between U+E000 and U+FFFF meets one above U+FFFF, so the pool has none of the former.
const QUERY_CHARS = [...`${ALNUM} -_.~!*()'&=+?/%#@:,;[]`, 'é', 'ü', '中', '文', 'Ω', '😀'];
const VALUE_CHARS = `${ALNUM} -_.~!*()&=+?/%#@:,;[]{}<>"'\\|^\``;
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

interface Case {
  method: string;
  origin: string;
  rawSegments: string[];
  query: [string, string][];
  headers: Record<string, string>;
  body: Record<string, unknown> | undefined;
  date: string;
}

function randomCase(next: () => number): Case {
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const str = (pool: readonly string[] | string, min: number, max: number) =>
    Array.from({ length: min + int(max - min + 1) }, () => pick([...pool])).join('');
  const segment = (): string => {
    const s = str(PATH_CHARS, 1, 8);
    return s === '.' || s === '..' ? `${s}x` : s;
  };
  const query: [string, string][] = [];
  const keys = Array.from({ length: int(4) }, () => str(QUERY_CHARS, 1, 6));
  for (const key of keys) for (let i = 0, n = 1 + int(3); i < n; i++) query.push([key, str(QUERY_CHARS, 0, 8)]);
  const headers: Record<string, string> = {};
  const taken = new Set(['x-sdk-date', 'x-sdk-content-sha256']);
  for (let i = 0, n = int(4); i < n; i++) {
    const name = `x-${str('abcdefghijklmnopqrstuvwxyz0123456789-', 1, 10)}`;
    if (taken.has(name)) continue;
    taken.add(name);
    headers[next() < 0.5 ? name : name.toUpperCase()] = str(VALUE_CHARS, 0, 20).trim();
  }
  if (next() < 0.5)
    headers['Content-Type'] = pick(['application/json', 'text/plain', 'application/json;charset=UTF-8']);
  if (next() < 0.15) headers['X-Sdk-Content-Sha256'] = 'UNSIGNED-PAYLOAD';
  const body =
    next() < 0.5
      ? undefined
      : Object.fromEntries(Array.from({ length: 1 + int(3) }, () => [str(QUERY_CHARS, 1, 5), str(QUERY_CHARS, 0, 10)]));
  return {
    method: pick(METHODS),
    origin: `https://${pick(['dws.cn-north-4.myhuaweicloud.com', '127.0.0.1', 'example.test'])}${pick(['', ':8443', ':1'])}`,
    rawSegments: Array.from({ length: 1 + int(4) }, segment),
    query,
    headers,
    body,
    date: formatSdkDate(new Date(Date.UTC(2000, 0, 1) + int(30 * 365 * 86_400) * 1000)),
  };
}

function officialAuthorization(c: Case): string {
  const queryParams: Record<string, string | string[]> = {};
  for (const [k, v] of c.query) {
    const prev = queryParams[k];
    queryParams[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const signed = AKSKSigner.sign(
    {
      endpoint: `${c.origin}/${c.rawSegments.join('/')}`,
      method: c.method,
      headers: { ...c.headers, 'X-Sdk-Date': c.date },
      queryParams,
      data: c.body,
    },
    new BasicCredentials().withAk('HPUAEXAMPLEAK').withSk('example/secret+key=')
  ) as Record<string, string>;
  return signed.Authorization ?? '';
}

/** The URL our client would send: each raw segment percent-encoded, the query form-encoded. */
function urlAsSent(c: Case): URL {
  const url = new URL(`${c.origin}/${c.rawSegments.map(encodeURIComponent).join('/')}`);
  for (const [k, v] of c.query) url.searchParams.append(k, v);
  return url;
}

describe('signRequest compared with the official Node.js SDK signer', () => {
  it('produces the same Authorization header for 200 random requests', () => {
    const next = rng(20240101);
    for (let i = 0; i < 200; i++) {
      const c = randomCase(next);
      const url = urlAsSent(c);
      const body = c.body === undefined ? '' : JSON.stringify(c.body);
      const ours = signRequest({
        method: c.method,
        url,
        headers: { ...c.headers, 'X-Sdk-Date': c.date, host: url.host },
        body,
        ak: 'HPUAEXAMPLEAK',
        sk: 'example/secret+key=',
      });
      const official = officialAuthorization(c);
      expect(ours.authorization, `case ${i}: ${JSON.stringify(c)}\n${ours.canonicalRequest}`).toBe(official);

      // And the verifier accepts the official signature on the request as sent.
      const headers: Record<string, string> = { authorization: official, host: url.host, 'x-sdk-date': c.date };
      for (const [k, v] of Object.entries(c.headers)) headers[k.toLowerCase()] = v;
      const verdict = verifySignature({
        method: c.method,
        path: url.pathname,
        rawQuery: url.search.slice(1),
        headers,
        body,
        lookupSecret: () => 'example/secret+key=',
        now: parseSdkDate(c.date) ?? undefined,
      });
      expect(verdict, `case ${i}`).toEqual({ valid: true, ak: 'HPUAEXAMPLEAK' });
    }
  });
});

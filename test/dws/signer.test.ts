import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatSdkDate, parseSdkDate, signRequest } from '../../src/dws/signer';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The Go SDK signs every header except names starting with `content-type` and names containing `_`. */
function goStyleHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([n]) => !n.toLowerCase().startsWith('content-type') && !n.includes('_'))
  );
}

describe('signRequest against the Go SDK vectors (reference §5.2)', () => {
  const base = { 'X-Sdk-Date': '20060102T150405Z', TEST_UNDERSCORE: 'value' };
  it.each([
    {
      name: 'GET with a query and no body',
      method: 'GET',
      url: 'https://example.huaweicloud.com/path?limit=1',
      headers: base,
      body: '',
      canonical: `GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\n${EMPTY_SHA256}`,
      hash: '85c3b7730f308aee452b16138a42a914397e43a8f0d732dfa521c0ef2afa98a4',
      signature: '5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624',
    },
    {
      name: 'POST with a JSON body ending in a newline',
      method: 'POST',
      url: 'https://example.huaweicloud.com/path?key=value',
      headers: { ...base, 'Content-Type': 'application/json' },
      body: '{"Name":"test","Id":1}\n',
      canonical:
        'POST\n/path/\nkey=value\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\na29d7b4c5efd1a22011d69fd7b7aee76fe51e4083c609244228de258afd61289',
      hash: '13f75ff5f5216199f986c7e7f2f77834d5e160ad9e46f37319816dc72ba7eeab',
      signature: 'cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59',
    },
  ])('reproduces the $name vector', (v) => {
    const signed = signRequest({
      method: v.method,
      url: new URL(v.url),
      headers: goStyleHeaders(v.headers),
      body: v.body,
      ak: 'AccessKey',
      sk: 'SecretKey',
    });
    expect(signed.canonicalRequest).toBe(v.canonical);
    expect(sha256(signed.canonicalRequest)).toBe(v.hash);
    expect(signed.stringToSign).toBe(`SDK-HMAC-SHA256\n20060102T150405Z\n${v.hash}`);
    expect(signed.authorization).toBe(
      `SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=${v.signature}`
    );
  });
});

describe('signRequest against the DWS-shaped vectors (reference §5.2)', () => {
  const project = '89cd04f168b84af6be287f71730fdb4b';
  const dr = 'e59d6b86-9072-46eb-a996-13f8b44994c1';
  const host = 'dws.cn-north-4.myhuaweicloud.com';
  const headers = { Host: host, 'Content-Type': 'application/json', 'X-Project-Id': project };
  it.each([
    {
      method: 'POST',
      path: `/v2/${project}/disaster-recovery/${dr}/failover`,
      hash: 'd0490740b84becbf145721fcb136f273cb08a38340e99d8df8033e817c9b7a44',
      signature: 'a37c55262010e213c86270f9e12fb88ce60451e92a162eb538b1abff16b0e0d7',
    },
    {
      method: 'GET',
      path: `/v2/${project}/disaster-recovery/${dr}`,
      hash: '791143c49a64517896f8daccc441aecd61d91aad3d530a0fcde01744710bf5f3',
      signature: '428ab1618fc0bd4882c6f79faae4c524c6887c384549e028f936993991b91bf4',
    },
    {
      method: 'GET',
      path: `/v2/${project}/disaster-recoveries?primary_cluster_id=3ef5daaa-d017-4354-80b3-8a69caf2e094`,
      hash: '77fffdd438f978bd1265bfea06e994d6241432603eb272625f3b0a8fa3b37629',
      signature: 'cf4823449a553005f460e3424051dec894bb95b4700d12c4dbb43ced00178a75',
    },
  ])('reproduces $method $path', (v) => {
    const signed = signRequest({
      method: v.method,
      url: new URL(`https://${host}${v.path}`),
      headers,
      body: '',
      ak: 'AccessKey',
      sk: 'SecretKey',
      date: new Date(Date.UTC(2024, 0, 1)),
    });
    expect(sha256(signed.canonicalRequest)).toBe(v.hash);
    expect(signed.signedHeaders).toBe('content-type;host;x-project-id;x-sdk-date');
    expect(signed.sdkDate).toBe('20240101T000000Z');
    expect(signed.signature).toBe(v.signature);
  });

  it('builds the failover canonical request with the trailing slash and the empty query line', () => {
    const signed = signRequest({
      method: 'POST',
      url: new URL(`https://${host}/v2/${project}/disaster-recovery/${dr}/failover`),
      headers: { ...headers, 'X-Sdk-Date': '20240101T000000Z' },
      body: new Uint8Array(),
      ak: 'AccessKey',
      sk: 'SecretKey',
    });
    expect(signed.canonicalRequest).toBe(
      [
        'POST',
        `/v2/${project}/disaster-recovery/${dr}/failover/`,
        '',
        'content-type:application/json',
        `host:${host}`,
        `x-project-id:${project}`,
        'x-sdk-date:20240101T000000Z',
        '',
        'content-type;host;x-project-id;x-sdk-date',
        EMPTY_SHA256,
      ].join('\n')
    );
  });
});

describe('signRequest canonical forms', () => {
  const sign = (url: string, headers: Record<string, string> = {}, body = '') =>
    signRequest({ method: 'GET', url: new URL(url), headers, body, ak: 'a', sk: 's', date: new Date(0) });

  it.each([
    ['sorts names and repeated values and encodes with %20', 'https://h/?b=2&a=y&a=x&c=a+b', 'a=x&a=y&b=2&c=a%20b'],
    ['encodes reserved characters with uppercase hex', 'https://h/?p=%2Ftmp%2F123', 'p=%2Ftmp%2F123'],
    ['encodes UTF-8 bytes', 'https://h/?t=%E4%B8%80', 't=%E4%B8%80'],
    ['keeps an empty value', 'https://h/?flag', 'flag='],
  ])('%s', (_name, url, query) => {
    expect(sign(url).canonicalRequest.split('\n')[2]).toBe(query);
  });

  it('reproduces the Go query vector', () => {
    const url = new URL('https://h/path');
    for (const [k, v] of [
      ['test', '一 (&=?!#%.*)'],
      ['path', '/tmp/123'],
      ['multi', '3'],
      ['multi', '1'],
      ['limit', '1'],
      ['multi', '2'],
      ['enable', 'true'],
    ] as const) {
      url.searchParams.append(k, v);
    }
    expect(sign(url.href).canonicalRequest.split('\n')[2]).toBe(
      'enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29'
    );
  });

  it.each([
    ['an empty path becomes /', 'https://h', '/'],
    ['a path already ending in / keeps one', 'https://h/a/', '/a/'],
    ['sub-delimiters are encoded whichever way they were sent', "https://h/a!*'()/%21", '/a%21%2A%27%28%29/%21/'],
    ['an encoded slash stays inside its segment', 'https://h/a%2fb', '/a%2Fb/'],
    ['lowercase escapes come out uppercase', 'https://h/%c3%a9', '/%C3%A9/'],
  ])('%s', (_name, url, uri) => {
    expect(sign(url).canonicalRequest.split('\n')[1]).toBe(uri);
  });

  it('trims header values and lowercases and sorts names', () => {
    const signed = sign('https://h/', { 'X-B': '  two  ', 'x-a': 'one' });
    expect(signed.signedHeaders).toBe('x-a;x-b;x-sdk-date');
    expect(signed.canonicalRequest).toContain('x-a:one\nx-b:two\nx-sdk-date:19700101T000000Z\n');
  });

  it('uses X-Sdk-Content-Sha256 instead of the body hash', () => {
    const signed = sign('https://h/', { 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' }, 'anything');
    expect(signed.canonicalRequest.endsWith('\nUNSIGNED-PAYLOAD')).toBe(true);
  });

  it('refuses header names that differ only in case', () => {
    expect(() => sign('https://h/', { 'X-A': '1', 'x-a': '2' })).toThrow(TypeError);
  });

  it('formats and parses X-Sdk-Date', () => {
    const d = new Date(Date.UTC(2024, 1, 29, 23, 5, 9, 999));
    expect(formatSdkDate(d)).toBe('20240229T230509Z');
    expect(parseSdkDate('20240229T230509Z')?.toISOString()).toBe('2024-02-29T23:05:09.000Z');
    expect(parseSdkDate('20240230T000000Z')).toBeNull();
    expect(parseSdkDate('2024-02-29T23:05:09Z')).toBeNull();
  });
});

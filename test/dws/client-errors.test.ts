import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AkSkAuthenticator } from '../../src/dws/auth';
import { DwsClient } from '../../src/dws/client';
import {
  DwsAuthError,
  DwsBadResponseError,
  DwsHttpError,
  DwsNotFoundError,
  DwsServerError,
  DwsThrottledError,
  isDwsError,
} from '../../src/dws/errors';
import { parseErrorBody, parseRetryAfter } from '../../src/dws/response';
import { AK, DR, PROJECT, SK } from './fixtures';
import { startScriptedServer } from './scripted-server';
import type { ScriptedServer } from './scripted-server';

let server: ScriptedServer;
let client: DwsClient;
beforeAll(async () => {
  server = await startScriptedServer();
  client = new DwsClient({ endpoint: server.origin, auth: new AkSkAuthenticator({ ak: AK, sk: SK }) });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

const TARGET = `DR ${DR} in project ${PROJECT}`;
const json = (body: unknown) => ({ 'content-type': 'application/json', body: JSON.stringify(body) });
const httpDateIn = (ms: number) => new Date(Date.now() + ms).toUTCString();

interface ErrorCase {
  name: string;
  call: 'get' | 'failover';
  status: number;
  headers?: Record<string, string>;
  answer: { 'content-type'?: string; body: string };
  type: new (...args: never[]) => Error;
  expected: Record<string, unknown>;
  message: RegExp[];
}

const cases: ErrorCase[] = [
  {
    name: '400 DWS.10101 as not found',
    call: 'get',
    status: 400,
    headers: { 'X-Request-Id': 'req-404' },
    answer: json({ error_code: 'DWS.10101', error_msg: 'The disaster recovery does not exist.' }),
    type: DwsNotFoundError,
    expected: { code: 'DWS_NOT_FOUND', status: 400, errorCode: 'DWS.10101', requestId: 'req-404', retryAfterMs: null },
    message: [
      /^ShowDisasterDetail for DR e59d6b86-\S+ in project 89cd\S+ failed: not found/,
      /Check the project id and the DR id/,
      /request id req-404/,
    ],
  },
  {
    name: '404 without a body as not found',
    call: 'get',
    status: 404,
    answer: { body: '' },
    type: DwsNotFoundError,
    expected: { code: 'DWS_NOT_FOUND', status: 404, errorCode: null, errorMessage: null },
    message: [/not found \(HTTP 404, empty body\)/],
  },
  {
    name: '401 APIG.0301 as an authentication failure',
    call: 'failover',
    status: 401,
    answer: json({
      error_code: 'APIG.0301',
      error_msg: 'Incorrect IAM authentication information: verify aksk signature fail',
      request_id: 'body-req',
    }),
    type: DwsAuthError,
    expected: {
      code: 'DWS_AUTH_FAILED',
      errorCode: 'APIG.0301',
      requestId: 'body-req',
      operation: 'SwitchFailoverDisaster',
    },
    message: [
      /^SwitchFailoverDisaster for DR \S+ in project \S+ failed: authentication rejected/,
      /HUAWEICLOUD_SDK_AK\/HUAWEICLOUD_SDK_SK/,
    ],
  },
  {
    name: '403 as a permission problem',
    call: 'failover',
    status: 403,
    answer: json({ error: { code: 'APIG.0302', message: 'The IAM user is not authorized' } }),
    type: DwsAuthError,
    expected: {
      code: 'DWS_AUTH_FAILED',
      status: 403,
      errorCode: 'APIG.0302',
      errorMessage: 'The IAM user is not authorized',
    },
    message: [/permission denied/, /permission for SwitchFailoverDisaster/],
  },
  {
    name: '403 DWS.7023 as a refusal in the current state',
    call: 'failover',
    status: 403,
    answer: json({ externalMessage: 'Cluster status is not allowed to operation.', errCode: 'DWS.7023' }),
    type: DwsHttpError,
    expected: {
      name: 'DwsHttpError',
      code: 'DWS_REQUEST_REJECTED',
      errorCode: 'DWS.7023',
      errorMessage: 'Cluster status is not allowed to operation.',
    },
    message: [/refused by the service/, /current status does not allow this operation/],
  },
  {
    name: '429 with Retry-After in seconds',
    call: 'failover',
    status: 429,
    headers: { 'Retry-After': '3' },
    answer: json({ error_code: 'APIG.0308', error_msg: 'The throttling threshold has been reached' }),
    type: DwsThrottledError,
    expected: { code: 'DWS_THROTTLED', retryAfterMs: 3000, errorCode: 'APIG.0308' },
    message: [/throttled by the API gateway/, /Retry after 3 s/],
  },
  {
    name: '429 with Retry-After as an HTTP date',
    call: 'get',
    status: 429,
    headers: { 'Retry-After': httpDateIn(300_000) },
    answer: json({ error_code: 'APIG.0308', error_msg: 'throttled' }),
    type: DwsThrottledError,
    expected: { retryAfterMs: expect.toSatisfy((ms: number) => ms > 240_000 && ms <= 300_000) },
    message: [/Retry after (2[4-9]\d|300) s/],
  },
  {
    name: '500 DWS.9999 on a failover with a warning not to re-send blindly',
    call: 'failover',
    status: 500,
    headers: { 'X-Request-Id': 'req-500' },
    answer: json({ error_code: 'DWS.9999', error_msg: 'Internal error.' }),
    type: DwsServerError,
    expected: { code: 'DWS_SERVER_ERROR', status: 500, errorCode: 'DWS.9999', requestId: 'req-500' },
    message: [
      /service error \(HTTP 500, DWS\.9999, "Internal error\.", request id req-500\)/,
      /may have been accepted: read the current state/,
    ],
  },
  {
    name: '503 with an HTML page',
    call: 'get',
    status: 503,
    answer: {
      'content-type': 'text/html',
      body: '<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>503</h1><hr>nginx</body></html>',
    },
    type: DwsServerError,
    expected: { status: 503, errorCode: null, errorMessage: null },
    message: [/HTTP 503, non-JSON body: "503 Service Temporarily Unavailable"/, /Retry later/],
  },
  {
    name: '503 with an empty body',
    call: 'get',
    status: 503,
    answer: { body: '' },
    type: DwsServerError,
    expected: { status: 503, errorCode: null },
    message: [/service error \(HTTP 503, empty body\)/],
  },
  {
    name: '200 carrying an error body',
    call: 'failover',
    status: 200,
    answer: json({ error_code: 'DWS.7023', error_msg: 'Cluster status is not allowed to operation.' }),
    type: DwsBadResponseError,
    expected: { code: 'DWS_BAD_RESPONSE', status: 200, errorCode: 'DWS.7023' },
    message: [/the answer carries an error/, /Read the current state to learn whether the request took effect/],
  },
  {
    name: '200 that is not JSON',
    call: 'get',
    status: 200,
    answer: { 'content-type': 'text/plain', body: 'OK then' },
    type: DwsBadResponseError,
    expected: { code: 'DWS_BAD_RESPONSE', status: 200 },
    message: [/the answer is not JSON: "OK then"/],
  },
  {
    name: '302 to a login page',
    call: 'get',
    status: 302,
    headers: { Location: 'https://auth.example/login' },
    answer: { body: '' },
    type: DwsBadResponseError,
    expected: { status: 302 },
    message: [/unexpected answer to https:\/\/auth\.example\/login/],
  },
];

describe('DwsClient error answers', () => {
  it.each(cases)('maps $name', async (c) => {
    server.script((_req, res) => {
      const headers: Record<string, string> = { ...c.headers };
      if (c.answer['content-type']) headers['content-type'] = c.answer['content-type'];
      res.writeHead(c.status, headers);
      res.end(c.answer.body);
    });
    const err = await (c.call === 'get' ? client.getDisasterRecovery(PROJECT, DR) : client.failover(PROJECT, DR)).catch(
      (e: unknown) => e
    );
    expect(err).toBeInstanceOf(c.type);
    expect(isDwsError(err)).toBe(true);
    expect(err).toMatchObject({ target: TARGET, ...c.expected });
    for (const m of c.message) expect((err as Error).message).toMatch(m);
    expect((err as Error).name).toBe((err as { constructor: { name: string } }).constructor.name);
  });
});

describe('parseErrorBody', () => {
  it.each([
    [
      'error_code and error_msg',
      '{"error_code":"DWS.0047","error_msg":"Cluster not found"}',
      'DWS.0047',
      'Cluster not found',
      null,
    ],
    [
      'the legacy keys alone',
      '{"errCode":"DWS.7023","externalMessage":"not allowed"}',
      'DWS.7023',
      'not allowed',
      null,
    ],
    ['code and message', '{"code":"IAM.0001","message":"bad"}', 'IAM.0001', 'bad', null],
    [
      'a nested error object',
      '{"error":{"code":"APIG.0301","message":"token expires","request_id":"n-1"}}',
      'APIG.0301',
      'token expires',
      'n-1',
    ],
    ['a numeric code', '{"code":401,"message":"no"}', '401', 'no', null],
    [
      'request_id at the top',
      '{"error_code":"APIG.0308","error_msg":"slow down","request_id":"r-9"}',
      'APIG.0308',
      'slow down',
      'r-9',
    ],
  ])('reads %s', (_name, body, code, message, requestId) => {
    expect(parseErrorBody(body)).toEqual({ errorCode: code, errorMessage: message, requestId, snippet: null });
  });

  it.each([
    ['an empty body', '  ', null],
    ['plain text', 'Bad Gateway\n', 'Bad Gateway'],
    ['a JSON string', '"oops"', '"oops"'],
    ['HTML without a title', '<html><body><h1>Bad   gateway</h1><script>x()</script></body></html>', 'Bad gateway'],
    ['a long body', 'x'.repeat(500), `${'x'.repeat(199)}…`],
  ])('gives a short snippet for %s', (_name, body, snippet) => {
    expect(parseErrorBody(body)).toEqual({ errorCode: null, errorMessage: null, requestId: null, snippet });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2024, 0, 1);
  it.each([
    ['delta-seconds', '120', 120_000],
    ['zero', '0', 0],
    ['an HTTP date', new Date(now + 45_000).toUTCString(), 45_000],
    ['a date in the past, clamped to 0', new Date(now - 45_000).toUTCString(), 0],
    ['a huge delay, clamped to 10 min', '86400', 600_000],
    ['garbage', 'soon', null],
    ['a negative number', '-5', null],
    ['nothing', undefined, null],
  ])('reads %s', (_name, value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});

/**
 * The one classifier of request outcomes: every way a DWS call can end, as the real client produces it against a
 * loopback server (or as undici and Node raise it under the client), and the verdict and retry delay it gets.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors as undici } from 'undici';
import { AkSkAuthenticator } from '../../src/dws/auth';
import { DwsClient } from '../../src/dws/client';
import { answerVerdict, requestVerdict } from '../../src/dws/request-outcome';
import { ErrorType } from '../../src/shared/errors';
import {
  answerOf,
  kindOfAnswer,
  verdictFor,
  type RequestVerdict,
  type VerdictReason,
} from '../../src/shared/request-verdict';
import { actionBody, AK, DR, PROJECT, SK } from './fixtures';
import { sendJson, startScriptedServer, type ScriptedServer } from './scripted-server';

let server: ScriptedServer;
let client: DwsClient;
beforeAll(async () => {
  server = await startScriptedServer();
  client = clientFor(server.origin, 1_000);
});
afterAll(async () => {
  await client.close();
  await server.close();
});

function clientFor(endpoint: string, timeoutMs: number): DwsClient {
  return new DwsClient({ endpoint, auth: new AkSkAuthenticator({ ak: AK, sk: SK }), timeoutMs });
}

/** What the real client throws for a failover POST whose answer is scripted. */
async function failoverError(c: DwsClient = client): Promise<unknown> {
  return c.failover(PROJECT, DR).then(
    () => {
      throw new Error('expected the failover request to fail');
    },
    (err: unknown) => err
  );
}

async function scriptedVerdict(status: number, body: unknown, headers: Record<string, string> = {}) {
  server.script((_req, res) => sendJson(res, status, body, headers));
  return requestVerdict(await failoverError());
}

/** A raw TCP server that hands each connection to `onConnection`: for resets no HTTP server would do. */
async function rawServer(onConnection: (socket: Socket) => void): Promise<{ origin: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const s: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const address = s.address();
  if (address === null || typeof address === 'string') throw new Error('raw server has no TCP address');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => s.close(() => resolve()));
    },
  };
}

describe('answers of the service', () => {
  it('calls a 202 accepted and a 200 accepted, with no failure type and no delay', () => {
    for (const status of [200, 202]) {
      expect(answerVerdict({ status, errorCode: null })).toMatchObject({
        kind: 'accepted',
        reason: 'accepted',
        type: null,
        retryAfterMs: null,
      });
    }
  });

  it('takes a 202 from the real client as an answer, not as an error', async () => {
    server.script((_req, res) => sendJson(res, 202, actionBody, { 'x-request-id': 'req-202' }));
    await expect(client.failover(PROJECT, DR)).resolves.toEqual({ id: DR, requestId: 'req-202' });
  });

  const table: [
    name: string,
    status: number,
    body: unknown,
    headers: Record<string, string>,
    expected: Partial<RequestVerdict>,
  ][] = [
    [
      '400 DWS.7023 (the status does not allow it)',
      400,
      { error_code: 'DWS.7023', error_msg: 'status not allowed' },
      {},
      { kind: 'final', reason: 'rejected', type: ErrorType.DwsRequestRejected, retryAfterMs: null },
    ],
    [
      '409 (already in progress)',
      409,
      { error_code: 'DWS.7024', error_msg: 'already running' },
      { 'retry-after': '5' },
      { kind: 'final', reason: 'rejected', type: ErrorType.DwsRequestRejected, retryAfterMs: null },
    ],
    [
      '403 DWS.7023 (busy, not an auth failure)',
      403,
      { error_code: 'DWS.7023', error_msg: 'status not allowed' },
      {},
      { kind: 'final', reason: 'rejected', type: ErrorType.DwsRequestRejected },
    ],
    [
      '400 DWS.10101 (no such pair)',
      400,
      { error_code: 'DWS.10101', error_msg: 'not found' },
      {},
      { kind: 'final', reason: 'not-found', type: ErrorType.DwsNotFound },
    ],
    ['404', 404, '', {}, { kind: 'final', reason: 'not-found', type: ErrorType.DwsNotFound }],
    [
      '403 DWS.0015 (no such cluster)',
      403,
      { error_code: 'DWS.0015', error_msg: 'no cluster' },
      {},
      { kind: 'final', reason: 'not-found', type: ErrorType.DwsNotFound },
    ],
    [
      '401 APIG.0301',
      401,
      { error_code: 'APIG.0301', error_msg: 'bad signature' },
      {},
      { kind: 'final', reason: 'auth', type: ErrorType.DwsAuthFailed },
    ],
    [
      '403 without a state code',
      403,
      { error_code: 'DWS.0002', error_msg: 'no permission' },
      {},
      { kind: 'final', reason: 'auth', type: ErrorType.DwsAuthFailed },
    ],
    [
      '429 with Retry-After: 3',
      429,
      { error_code: 'APIG.0308', error_msg: 'throttled' },
      { 'retry-after': '3' },
      { kind: 'refused', reason: 'throttled', type: ErrorType.DwsUnavailable, retryAfterMs: 3_000, status: 429 },
    ],
    [
      '429 without Retry-After',
      429,
      { error_code: 'APIG.0308', error_msg: 'throttled' },
      {},
      { kind: 'refused', reason: 'throttled', type: ErrorType.DwsUnavailable, retryAfterMs: null },
    ],
    [
      '500 DWS.9999',
      500,
      { error_code: 'DWS.9999', error_msg: 'internal' },
      { 'x-request-id': 'req-500' },
      {
        kind: 'ambiguous',
        reason: 'server-error',
        type: ErrorType.DwsUnavailable,
        retryAfterMs: null,
        status: 500,
        errorCode: 'DWS.9999',
        requestId: 'req-500',
      },
    ],
    [
      '503 with Retry-After: 7',
      503,
      '',
      { 'retry-after': '7' },
      { kind: 'ambiguous', reason: 'server-error', type: ErrorType.DwsUnavailable, retryAfterMs: 7_000 },
    ],
    [
      '502 from a gateway',
      502,
      '<html>bad gateway</html>',
      {},
      { kind: 'ambiguous', reason: 'server-error', retryAfterMs: null },
    ],
    ['504', 504, '', {}, { kind: 'ambiguous', reason: 'server-error', type: ErrorType.DwsUnavailable }],
    [
      '408 (Retry-After not honoured on a 4xx)',
      408,
      '',
      { 'retry-after': '9' },
      { kind: 'ambiguous', reason: 'request-timeout', type: ErrorType.DwsUnavailable, retryAfterMs: null },
    ],
    [
      '200 carrying an error body',
      200,
      { error_code: 'DWS.5001', error_msg: 'bad' },
      {},
      { kind: 'ambiguous', reason: 'bad-response', type: ErrorType.DwsBadResponse, retryAfterMs: null },
    ],
    [
      '302 to a login page',
      302,
      '',
      { location: 'https://login.example/' },
      { kind: 'ambiguous', reason: 'bad-response', type: ErrorType.DwsBadResponse },
    ],
  ];
  for (const [name, status, body, headers, expected] of table) {
    it(`classifies ${name} as ${expected.kind} (${expected.reason})`, async () => {
      expect(await scriptedVerdict(status, body, headers)).toMatchObject(expected);
    });
  }

  it('reads an HTTP-date Retry-After of a 429 as the delay until then', async () => {
    const at = new Date(Date.now() + 60_000).toUTCString();
    const v = await scriptedVerdict(429, { error_code: 'APIG.0308' }, { 'retry-after': at });
    expect(v.kind).toBe('refused');
    expect(v.retryAfterMs).toBeGreaterThan(50_000);
    expect(v.retryAfterMs).toBeLessThanOrEqual(60_000);
  });
});

describe('transport failures under the real client', () => {
  it('calls a refused connection refused: nothing was sent', async () => {
    const gone = await startScriptedServer();
    await gone.close();
    const c = clientFor(gone.origin, 1_000);
    const v = requestVerdict(await failoverError(c));
    await c.close();
    expect(v).toMatchObject({ kind: 'refused', reason: 'not-connected', type: ErrorType.DwsUnavailable });
  });

  it('calls a reset before the request was read ambiguous: its headers may have reached the service', async () => {
    const raw = await rawServer((socket) => socket.resetAndDestroy());
    const c = clientFor(raw.origin, 2_000);
    const v = requestVerdict(await failoverError(c));
    await c.close();
    await raw.close();
    expect(v).toMatchObject({ kind: 'ambiguous', reason: 'connection-lost', type: ErrorType.DwsUnavailable });
  });

  it('calls a reset after the whole request was read ambiguous', async () => {
    const raw = await rawServer((socket) => {
      let seen = '';
      socket.on('data', (chunk: Buffer) => {
        seen += chunk.toString('latin1');
        if (seen.includes('\r\n\r\n')) socket.resetAndDestroy();
      });
    });
    const c = clientFor(raw.origin, 2_000);
    const v = requestVerdict(await failoverError(c));
    await c.close();
    await raw.close();
    expect(v).toMatchObject({ kind: 'ambiguous', reason: 'connection-lost' });
  });

  it('calls a socket destroyed in the middle of the answer ambiguous', async () => {
    server.script((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"disaster_recovery":{"id"', () => res.socket?.destroy());
    });
    expect(requestVerdict(await failoverError())).toMatchObject({ kind: 'ambiguous', reason: 'connection-lost' });
  });

  it('calls no answer within the time limit ambiguous, with no delay of its own', async () => {
    server.script(() => undefined); // never answers
    const c = clientFor(server.origin, 300);
    const v = requestVerdict(await failoverError(c));
    await c.close();
    expect(v).toMatchObject({
      kind: 'ambiguous',
      reason: 'timeout',
      type: ErrorType.DwsUnavailable,
      retryAfterMs: null,
    });
  });

  it('calls an id that cannot be sent final (invalid input)', async () => {
    const err = await client.failover(PROJECT, '..').catch((e: unknown) => e);
    expect(requestVerdict(err)).toMatchObject({ kind: 'final', reason: 'invalid-input', type: ErrorType.InvalidInput });
  });
});

describe('raw errors of undici and Node', () => {
  const errno = (code: string): Error => Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
  const raw: [name: string, err: unknown, kind: string, reason: VerdictReason][] = [
    ['undici ConnectTimeoutError', new undici.ConnectTimeoutError(), 'refused', 'not-connected'],
    ['undici ClientClosedError', new undici.ClientClosedError(), 'refused', 'not-connected'],
    ['undici ClientDestroyedError', new undici.ClientDestroyedError(), 'refused', 'not-connected'],
    ['undici HeadersTimeoutError', new undici.HeadersTimeoutError(), 'ambiguous', 'timeout'],
    ['undici BodyTimeoutError', new undici.BodyTimeoutError(), 'ambiguous', 'timeout'],
    [
      'undici SocketError (other side closed)',
      new undici.SocketError('other side closed'),
      'ambiguous',
      'connection-lost',
    ],
    ['undici InvalidArgumentError', new undici.InvalidArgumentError('invalid header'), 'final', 'invalid-input'],
    ['ECONNREFUSED', errno('ECONNREFUSED'), 'refused', 'not-connected'],
    ['ENOTFOUND', errno('ENOTFOUND'), 'refused', 'not-connected'],
    ['CERT_HAS_EXPIRED', errno('CERT_HAS_EXPIRED'), 'refused', 'not-connected'],
    ['ECONNRESET', errno('ECONNRESET'), 'ambiguous', 'connection-lost'],
    ['EPIPE', errno('EPIPE'), 'ambiguous', 'connection-lost'],
    [
      'a happy-eyeballs AggregateError where no address connected',
      new AggregateError([errno('ECONNREFUSED'), errno('ENETUNREACH')]),
      'refused',
      'not-connected',
    ],
    [
      'an AggregateError where one address reset',
      new AggregateError([errno('ECONNREFUSED'), errno('ECONNRESET')]),
      'ambiguous',
      'unknown',
    ],
    ['an error nobody named', new Error('something else'), 'ambiguous', 'unknown'],
    ['a thrown string', 'boom', 'ambiguous', 'unknown'],
  ];
  for (const [name, err, kind, reason] of raw) {
    it(`calls ${name} ${kind} (${reason})`, () => {
      const v = requestVerdict(err);
      expect(v).toMatchObject({ kind, reason, retryAfterMs: null });
      expect(v.type).not.toBeNull();
    });
  }
});

describe('the recorded answer of an attempt', () => {
  const reasons: VerdictReason[] = [
    'accepted',
    'throttled',
    'not-connected',
    'server-error',
    'request-timeout',
    'timeout',
    'connection-lost',
    'bad-response',
    'unknown',
    'not-found',
    'auth',
    'rejected',
    'invalid-input',
  ];
  it('means, once recorded, what the verdict meant', () => {
    for (const reason of reasons) {
      const v = verdictFor(reason);
      expect([reason, kindOfAnswer(answerOf(v, true))]).toEqual([reason, v.kind]);
    }
  });

  it('is not-sent whatever stopped a request that never left the worker', () => {
    for (const reason of reasons) expect(answerOf(verdictFor(reason), false)).toBe('not-sent');
  });

  it('records a 429 as throttled, a final 4xx as refused and a lost attempt as ambiguous', () => {
    expect(answerOf(verdictFor('throttled'), true)).toBe('throttled');
    expect(answerOf(verdictFor('rejected'), true)).toBe('refused');
    expect(answerOf(verdictFor('not-connected'), true)).toBe('not-sent');
    expect(kindOfAnswer('lost')).toBe('ambiguous');
  });

  it('keeps no retry delay on a final verdict', () => {
    expect(verdictFor('rejected', { retryAfterMs: 5_000 }).retryAfterMs).toBeNull();
    expect(verdictFor('throttled', { retryAfterMs: 5_000 }).retryAfterMs).toBe(5_000);
  });
});

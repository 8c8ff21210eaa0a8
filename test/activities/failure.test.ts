import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { isNotFound, toActivityFailure } from '../../src/activities/failure';
import { AkSkAuthenticator } from '../../src/dws/auth';
import { DwsClient } from '../../src/dws/client';
import { ErrorType } from '../../src/shared/errors';
import { sendJson, startScriptedServer, type ScriptedServer } from '../dws/scripted-server';

const PROJECT = '89cd04f168b84af6be287f71730fdb4b';
const DR = 'e59d6b86-9072-46eb-a996-13f8b44994c1';

let server: ScriptedServer;
let client: DwsClient;
beforeAll(async () => {
  server = await startScriptedServer();
  client = new DwsClient({
    endpoint: server.origin,
    auth: new AkSkAuthenticator({ ak: 'AK', sk: 'SK' }),
    timeoutMs: 1000,
  });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

/** What the real client throws for one scripted answer. */
async function errorFor(status: number, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  server.script((_req, res) => sendJson(res, status, body, headers));
  return client.failover(PROJECT, DR).then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => err
  );
}

describe('toActivityFailure (the verdict carried across the activity boundary)', () => {
  const table: [string, number, unknown, Record<string, string>, string, boolean, number | null][] = [
    ['500 DWS.9999', 500, { error_code: 'DWS.9999', error_msg: 'internal' }, {}, ErrorType.DwsUnavailable, true, null],
    ['502 from a gateway', 502, '<html>bad gateway</html>', {}, ErrorType.DwsUnavailable, true, null],
    ['503 with an empty body', 503, '', {}, ErrorType.DwsUnavailable, true, null],
    ['504', 504, '', {}, ErrorType.DwsUnavailable, true, null],
    [
      '429 with Retry-After: 3',
      429,
      { error_code: 'APIG.0308', error_msg: 'throttled' },
      { 'retry-after': '3' },
      ErrorType.DwsUnavailable,
      true,
      3000,
    ],
    ['503 with Retry-After: 7', 503, '', { 'retry-after': '7' }, ErrorType.DwsUnavailable, true, 7000],
    [
      '400 DWS.10101 (DR not found)',
      400,
      { error_code: 'DWS.10101', error_msg: 'not found' },
      {},
      ErrorType.DwsNotFound,
      false,
      null,
    ],
    ['404', 404, { error_code: 'DWS.0047', error_msg: 'no cluster' }, {}, ErrorType.DwsNotFound, false, null],
    [
      '401 APIG.0301',
      401,
      { error_code: 'APIG.0301', error_msg: 'verify aksk signature fail' },
      {},
      ErrorType.DwsAuthFailed,
      false,
      null,
    ],
    [
      '403 without a state code',
      403,
      { error_code: 'DWS.0002', error_msg: 'no permission' },
      {},
      ErrorType.DwsAuthFailed,
      false,
      null,
    ],
    [
      '400 DWS.7023 (wrong state)',
      400,
      {
        error_code: 'DWS.7023',
        error_msg: 'status not allowed',
        errCode: 'DWS.7023',
        externalMessage: 'status not allowed',
      },
      {},
      ErrorType.DwsRequestRejected,
      false,
      null,
    ],
    [
      '403 DWS.7023 (busy, not an auth failure)',
      403,
      { error_code: 'DWS.7023', error_msg: 'status not allowed' },
      {},
      ErrorType.DwsRequestRejected,
      false,
      null,
    ],
    [
      '200 carrying an error body',
      200,
      { error_code: 'DWS.5001', error_msg: 'bad' },
      {},
      ErrorType.DwsBadResponse,
      true,
      null,
    ],
  ];

  for (const [name, status, body, headers, type, retryable, delay] of table) {
    it(`turns ${name} into a ${type} failure${retryable ? ' (retryable)' : ' (final)'}`, async () => {
      const err = await errorFor(status, body, headers);
      const failure = toActivityFailure(err);
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure.type).toBe(type);
      expect(failure.nonRetryable).toBe(!retryable);
      expect(failure.nextRetryDelay ?? null).toBe(delay);
      // The verdict itself travels in the details, for the workflow and for whoever reads the failure.
      expect(failure.details?.[0]).toMatchObject({ type, kind: retryable ? expect.any(String) : 'final', status });
    });
  }

  it('turns a refused connection into a retryable failure', async () => {
    const dead = new DwsClient({
      endpoint: 'http://127.0.0.1:1',
      auth: new AkSkAuthenticator({ ak: 'AK', sk: 'SK' }),
      timeoutMs: 1000,
    });
    const err = await dead.getDisasterRecovery(PROJECT, DR).catch((e: unknown) => e);
    await dead.close();
    expect(toActivityFailure(err)).toMatchObject({ type: ErrorType.DwsUnavailable, nonRetryable: false });
    expect(toActivityFailure(err).details?.[0]).toMatchObject({ kind: 'refused', reason: 'not-connected' });
  });

  it('turns a timeout into a retryable failure', async () => {
    server.script(() => undefined); // never answers
    const err = await client.getDisasterRecovery(PROJECT, DR).catch((e: unknown) => e);
    expect(toActivityFailure(err)).toMatchObject({ type: ErrorType.DwsUnavailable, nonRetryable: false });
    expect(toActivityFailure(err).details?.[0]).toMatchObject({ kind: 'ambiguous', reason: 'timeout' });
  });

  it('passes an ApplicationFailure through unchanged', () => {
    const failure = ApplicationFailure.nonRetryable('already typed', ErrorType.InvalidInput);
    expect(toActivityFailure(failure)).toBe(failure);
  });

  it('tells a missing pair from other refusals', async () => {
    expect(isNotFound(await errorFor(400, { error_code: 'DWS.10101', error_msg: 'not found' }))).toBe(true);
    expect(isNotFound(await errorFor(400, { error_code: 'DWS.7023', error_msg: 'status not allowed' }))).toBe(false);
  });

  it('keeps the operation and the DR pair in the failure message', async () => {
    const err = await errorFor(400, { error_code: 'DWS.10101', error_msg: 'The disaster recovery does not exist.' });
    expect(toActivityFailure(err).message).toMatch(DR);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AkSkAuthenticator } from '../../src/dws/auth';
import { DwsClient } from '../../src/dws/client';
import { DwsNetworkError, DwsTimeoutError } from '../../src/dws/errors';
import { AK, DR, PROJECT, SK } from './fixtures';
import { startScriptedServer } from './scripted-server';
import type { ScriptedServer } from './scripted-server';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});

/** A client with its own Agent, closed after the test body. */
async function withClient<T>(options: { endpoint?: string; timeoutMs?: number }, body: (c: DwsClient) => Promise<T>) {
  const client = new DwsClient({
    endpoint: options.endpoint ?? server.origin,
    auth: new AkSkAuthenticator({ ak: AK, sk: SK }),
    timeoutMs: options.timeoutMs ?? 5_000,
  });
  try {
    return await body(client);
  } finally {
    await client.close();
  }
}

describe('DwsClient transport failures', () => {
  it('reports a server that never answers as a timeout', async () => {
    server.script(() => undefined);
    const err = await withClient({ timeoutMs: 300 }, (c) => c.failover(PROJECT, DR).catch((e: unknown) => e));
    expect(err).toBeInstanceOf(DwsTimeoutError);
    expect(err).toMatchObject({ code: 'DWS_TIMEOUT', timeoutMs: 300, operation: 'SwitchFailoverDisaster' });
    expect((err as Error).message).toMatch(/no answer within 300 ms\. The request may have reached the service/);
  });

  it('reports a body that stalls as a timeout', async () => {
    server.script((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"disaster_recovery":');
    });
    const err = await withClient({ timeoutMs: 300 }, (c) =>
      c.getDisasterRecovery(PROJECT, DR).catch((e: unknown) => e)
    );
    expect(err).toBeInstanceOf(DwsTimeoutError);
  });

  it('reports a refused connection as a network error that sent nothing', async () => {
    const gone = await startScriptedServer();
    await gone.close();
    const err = await withClient({ endpoint: gone.origin }, (c) => c.failover(PROJECT, DR).catch((e: unknown) => e));
    expect(err).toBeInstanceOf(DwsNetworkError);
    expect(err).toMatchObject({ code: 'DWS_NETWORK_ERROR', requestMayHaveBeenSent: false });
    expect((err as Error).message).toMatch(/could not connect \(.*ECONNREFUSED.*\)\. Nothing was sent/);
    expect((err as Error).cause).toBeDefined();
  });

  it('reports a socket destroyed in the middle of the answer as a network error that may have been sent', async () => {
    server.script((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"disaster_recovery":{"id"', () => res.socket?.destroy());
    });
    const err = await withClient({}, (c) => c.failover(PROJECT, DR).catch((e: unknown) => e));
    expect(err).toBeInstanceOf(DwsNetworkError);
    expect(err).toMatchObject({ requestMayHaveBeenSent: true, operation: 'SwitchFailoverDisaster' });
    expect((err as Error).message).toMatch(/the connection broke .*read the current state before sending it again/);
  });

  it('reports a socket destroyed before any answer as a network error that may have been sent', async () => {
    server.script((req) => {
      req.socket.destroy();
    });
    const err = await withClient({}, (c) => c.failover(PROJECT, DR).catch((e: unknown) => e));
    expect(err).toMatchObject({ name: 'DwsNetworkError', requestMayHaveBeenSent: true });
  });

  it("re-throws the caller's abort reason unchanged", async () => {
    server.script(() => undefined);
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    setTimeout(() => controller.abort(reason), 50);
    const err = await withClient({}, (c) =>
      c.getDisasterRecovery(PROJECT, DR, { signal: controller.signal }).catch((e: unknown) => e)
    );
    expect(err).toBe(reason);
  });

  it('stops waiting for authentication when the caller aborts, and sends nothing', async () => {
    let release: (headers: Record<string, string>) => void = () => undefined;
    const slowAuth = { authenticate: () => new Promise<Record<string, string>>((r) => (release = r)) };
    const client = new DwsClient({ endpoint: server.origin, auth: slowAuth });
    server.script(() => undefined);
    const controller = new AbortController();
    const reason = new Error('the attempt reached its deadline');
    setTimeout(() => controller.abort(reason), 50);
    const err = await client.failover(PROJECT, DR, { signal: controller.signal }).catch((e: unknown) => e);
    release({ 'x-auth-token': 'late' });
    await new Promise((r) => setTimeout(r, 50));
    await client.close();
    expect(err).toBe(reason);
    expect(server.requests).toHaveLength(0);
  });

  it('fails calls made after close without sending them', async () => {
    const client = new DwsClient({ endpoint: server.origin, auth: new AkSkAuthenticator({ ak: AK, sk: SK }) });
    await client.close();
    await client.close();
    server.script(() => undefined);
    const err = await client.getDisasterRecovery(PROJECT, DR).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'DwsNetworkError', requestMayHaveBeenSent: false });
    expect(server.requests).toHaveLength(0);
  });
});

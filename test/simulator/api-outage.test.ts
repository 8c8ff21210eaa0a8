import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator';
import { addTestPair, call, control, pairState, startSimulator, until } from './support';

/** Opens and closes a raw TCP connection: the error code when it is refused, else null. */
function tcpConnect(sim: Simulator): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect(sim.port, sim.host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

async function serving(sim: Simulator): Promise<boolean> {
  try {
    return (await control(sim, 'GET', '/_sim/state')).status === 200;
  } catch {
    return false;
  }
}

describe('simulator api outage', () => {
  it('refuses connections during an api outage and serves again on the same port', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);
    const { port } = sim;

    await sim.refuseConnections(1000);
    expect(await tcpConnect(sim)).toBe('ECONNREFUSED');
    await expect(call(sim, 'GET', pair.detail)).rejects.toThrow();
    expect(sim.state().apiOutageUntil).not.toBeNull();

    await until(() => serving(sim));
    expect(sim.port).toBe(port);
    expect((await call(sim, 'GET', pair.detail)).status).toBe(200);
    expect(sim.state().apiOutageUntil).toBeNull();
  });

  it('cuts a request in flight, which the service still commits', async () => {
    const sim = await startSimulator({ failoverDurationMs: 5000 });
    const pair = addTestPair(sim, { status: 'abnormal' });
    sim.addFaults({ method: 'POST', path: pair.action('failover'), delayMs: 1000, count: 1 });

    const lost = call(sim, 'POST', pair.action('failover')).then(
      () => 'answered',
      () => 'connection lost'
    );
    await until(() => sim.requests().length === 1);
    await sim.refuseConnections(400);
    expect(await lost).toBe('connection lost');
    await until(() => pairState(sim, pair.drId).operation?.action === 'failover');
    expect(sim.requests()[0]).toMatchObject({ accepted: true, dropped: true });
  });

  it('answers POST /_sim/api-outage and then refuses connections until the outage ends', async () => {
    const sim = await startSimulator();
    const res = await control(sim, 'POST', '/_sim/api-outage', { durationMs: '1s' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ durationMs: 1000, until: expect.any(String) });

    await until(async () => (await tcpConnect(sim)) === 'ECONNREFUSED');
    await until(() => serving(sim));
  });

  it('rejects an api outage without a positive duration, naming the field', async () => {
    const sim = await startSimulator();
    for (const body of [{}, { durationMs: 0 }, { durationMs: 'soon' }]) {
      const res = await control(sim, 'POST', '/_sim/api-outage', body);
      expect([res.status, res.json.field], JSON.stringify(body)).toEqual([400, 'durationMs']);
    }
    await expect(sim.refuseConnections(-5)).rejects.toMatchObject({ field: 'durationMs' });
    expect(await serving(sim)).toBe(true);
  });

  it('closes during an api outage', async () => {
    const sim = await startSimulator();
    await sim.refuseConnections(60_000);
    await sim.close();
    expect(await tcpConnect(sim)).toBe('ECONNREFUSED');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await tcpConnect(sim)).toBe('ECONNREFUSED');
  });
});

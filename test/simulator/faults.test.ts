import { describe, expect, it } from 'vitest';
import { addTestPair, call, control, startSimulator, until } from './support';

const FAILOVER_GLOB = '/v2/*/disaster-recovery/*/failover';

describe('simulator fault rules', () => {
  it('answers 429 APIG.0308 with Retry-After for the next matching request only', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim, { status: 'abnormal' });
    const added = await control(sim, 'POST', '/_sim/faults', {
      method: 'POST',
      path: FAILOVER_GLOB,
      status: 429,
      retryAfter: 3,
      count: 1,
    });
    expect(added.status).toBe(201);
    expect(added.json.ids).toEqual([expect.stringMatching(/^fault-/)]);

    const throttled = await call(sim, 'POST', pair.action('failover'));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
    expect(throttled.json.error_code).toBe('APIG.0308');
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('abnormal');

    expect((await call(sim, 'POST', pair.action('failover'))).status).toBe(200);
    const log = sim.requests({ method: 'POST' });
    expect(log.map((r) => [r.status, r.fault, r.accepted])).toEqual([
      [429, added.json.ids[0], false],
      [200, null, true],
    ]);
    expect((await control(sim, 'GET', '/_sim/faults')).json.faults[0]).toMatchObject({ hits: 1, remaining: 0 });
  });

  it('answers 500 with DWS.9999 and 503 with a gateway HTML page by default, or with a given body', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);
    sim.addFaults([
      { method: 'GET', path: pair.detail, status: 500, count: 1 },
      { method: 'GET', path: pair.detail, status: 503, count: 1 },
      { method: 'GET', path: pair.detail, status: 503, body: '', count: 1 },
      { method: 'GET', path: pair.detail, status: 200, body: { error_code: 'DWS.5001', error_msg: 'odd' }, count: 1 },
    ]);
    const r500 = await call(sim, 'GET', pair.detail);
    expect([r500.status, r500.json]).toEqual([500, { error_code: 'DWS.9999', error_msg: expect.any(String) }]);
    const r503 = await call(sim, 'GET', pair.detail);
    expect(r503.status).toBe(503);
    expect(r503.headers.get('content-type')).toMatch(/text\/html/);
    expect(r503.text).toMatch(/<html>/);
    const empty503 = await call(sim, 'GET', pair.detail);
    expect([empty503.status, empty503.text]).toEqual([503, '']);
    const errorIn200 = await call(sim, 'GET', pair.detail);
    expect([errorIn200.status, errorIn200.json.error_code]).toEqual([200, 'DWS.5001']);
    expect((await call(sim, 'GET', pair.detail)).status).toBe(200);
  });

  it('delays a request and then serves it normally', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);
    sim.addFaults({ path: pair.detail, delayMs: '300ms', count: 1 });
    const started = Date.now();
    const res = await call(sim, 'GET', pair.detail);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(sim.requests()[0]).toMatchObject({ status: 200, fault: expect.any(String) });
  });

  it('delays and then answers the given status', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);
    sim.addFaults({ path: pair.detail, delayMs: 200, status: 504, count: 1 });
    const started = Date.now();
    const res = await call(sim, 'GET', pair.detail);
    expect(res.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('drops the connection without an answer and without touching the state', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim, { status: 'abnormal' });
    sim.addFaults({ method: 'POST', path: FAILOVER_GLOB, drop: true, count: 1 });
    await expect(call(sim, 'POST', pair.action('failover'))).rejects.toThrow();
    expect(sim.state().disasterRecoveries[0]?.status).toBe('abnormal');
    const entry = await until(() => sim.requests()[0]?.dropped && sim.requests()[0]);
    expect(entry).toMatchObject({ status: null, dropped: true, accepted: false, action: 'failover' });
  });

  it('applies the action and then answers 500 when the rule is acceptThen500', async () => {
    const sim = await startSimulator({ failoverDurationMs: 5000 });
    const pair = addTestPair(sim, { status: 'abnormal' });
    sim.addFaults({ method: 'POST', path: pair.action('failover'), acceptThen500: true, count: 1 });

    const lost = await call(sim, 'POST', pair.action('failover'));
    expect(lost.status).toBe(500);
    expect(lost.json.error_code).toBe('DWS.9999');
    expect(sim.state().disasterRecoveries[0]).toMatchObject({
      status: 'failovering',
      operation: { action: 'failover' },
    });
    expect(sim.requests()[0]).toMatchObject({ status: 500, accepted: true, action: 'failover' });

    // A blind retry is refused: the first request was accepted.
    expect((await call(sim, 'POST', pair.action('failover'))).status).toBe(400);
  });

  it('applies the action and then drops the connection when the rule is acceptThenDrop', async () => {
    const sim = await startSimulator({ failoverDurationMs: 5000 });
    const pair = addTestPair(sim, { status: 'abnormal' });
    sim.addFaults({ method: 'POST', path: FAILOVER_GLOB, acceptThenDrop: true });
    await expect(call(sim, 'POST', pair.action('failover'))).rejects.toThrow();
    expect(sim.state().disasterRecoveries[0]?.status).toBe('failovering');
    expect(sim.requests()[0]).toMatchObject({ dropped: true, accepted: true });
  });

  it('applies a rule with a probability only when the random draw is below it', async () => {
    const draws = [0.9, 0.1, 0.5, 0.2];
    const sim = await startSimulator({ random: () => draws.shift() ?? 1 });
    const pair = addTestPair(sim);
    sim.addFaults({ path: pair.detail, status: 500, probability: 0.3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(sim, 'GET', pair.detail)).status);
    expect(statuses).toEqual([200, 500, 200, 500]);
  });

  it('repeats probabilistic faults exactly under the same seed', async () => {
    const run = async (): Promise<number[]> => {
      const sim = await startSimulator({ randomSeed: 42 });
      const pair = addTestPair(sim);
      sim.addFaults({ path: pair.detail, status: 500, probability: 0.5 });
      const statuses = [];
      for (let i = 0; i < 20; i++) statuses.push((await call(sim, 'GET', pair.detail)).status);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(200);
    expect(first).toContain(500);
    expect(await run()).toEqual(first);
  });

  it('draws the same sequence again after a reset under a seed', async () => {
    const sim = await startSimulator({ randomSeed: 9 });
    const run = async (): Promise<number[]> => {
      const pair = addTestPair(sim);
      sim.addFaults({ path: pair.detail, status: 503, probability: 0.5 });
      const statuses = [];
      for (let i = 0; i < 12; i++) statuses.push((await call(sim, 'GET', pair.detail)).status);
      return statuses;
    };
    const first = await run();
    sim.reset();
    expect(await run()).toEqual(first);
    expect(sim.state().config.randomSeed).toBe(9);
  });

  it('rejects a random seed that is not a 32-bit whole number, naming the option', async () => {
    await expect(startSimulator({ randomSeed: 1.5 })).rejects.toMatchObject({ field: 'randomSeed' });
  });

  it('matches methods, exact paths, * segments, ** and ^regex, and never the control API', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);
    sim.addFaults([
      { method: 'get', path: `^/v1\\.0/${pair.projectId}/clusters/`, status: 502 },
      { method: 'POST', path: '/v2/**/pause', status: 418 },
      { path: '/_sim/**', status: 500 },
    ]);
    expect((await call(sim, 'GET', pair.cluster(pair.primaryId))).status).toBe(502);
    expect((await call(sim, 'POST', pair.action('pause'))).status).toBe(418);
    expect((await call(sim, 'GET', pair.detail)).status).toBe(200);
    expect((await control(sim, 'GET', '/_sim/state')).status).toBe(200);
  });

  it('lists and clears rules, and removes one by id', async () => {
    const sim = await startSimulator();
    const [a, b] = sim.addFaults([
      { path: '/x', status: 500 },
      { path: '/y', status: 503, note: 'gateway down' },
    ]);
    expect(sim.faults().map((f) => [f.id, f.note, f.remaining])).toEqual([
      [a, undefined, null],
      [b, 'gateway down', null],
    ]);
    expect((await control(sim, 'DELETE', `/_sim/faults/${a}`)).json).toEqual({ removed: a });
    expect((await control(sim, 'DELETE', `/_sim/faults/${a}`)).status).toBe(404);
    expect((await control(sim, 'DELETE', '/_sim/faults')).json).toEqual({ cleared: 1 });
    expect((await control(sim, 'GET', '/_sim/faults')).json).toEqual({ faults: [] });
  });

  it('rejects an invalid rule with 400 naming the field, adding none of a list', async () => {
    const sim = await startSimulator();
    const cases: [unknown, string][] = [
      [{ path: '/x' }, 'status'],
      [{ path: '/x', status: 700 }, 'status'],
      [{ path: '/x', status: 500, drop: true }, 'drop'],
      [{ path: '/x', retryAfter: 2, delayMs: 10 }, 'retryAfter'],
      [{ path: '^([', status: 500 }, 'path'],
      [{ path: '/x', status: 500, count: 0 }, 'count'],
      [{ path: '/x', status: 500, probability: 2 }, 'probability'],
      [{ path: '/x', delayMs: 'soon' }, 'delayMs'],
      [{ path: '/x', status: 500, colour: 'red' }, 'colour'],
      [[{ path: '/x', status: 500 }, { path: '/y' }], '1.status'],
    ];
    for (const [body, field] of cases) {
      const res = await control(sim, 'POST', '/_sim/faults', body);
      expect([res.status, res.json.field], JSON.stringify(body)).toEqual([400, field]);
    }
    expect(sim.faults()).toEqual([]);
  });
});

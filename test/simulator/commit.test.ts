import { describe, expect, it } from 'vitest';
import { acceptedActions, DEMO_DR_ID, DEMO_PROJECT_ID, type Simulator } from '../../src/simulator';
import { addTestPair, call, control, pairState, startSimulator, until } from './support';

const FAILOVER_GLOB = '/v2/*/disaster-recovery/*/failover';

/** POSTs `path` and gives up once the simulator has the whole request (it then waits in a fault's delay). */
async function leaveDuringDelay(sim: Simulator, path: string): Promise<void> {
  const client = new AbortController();
  const sent = call(sim, 'POST', path, { signal: client.signal });
  await until(() => sim.requests({ method: 'POST' }).length === 1);
  client.abort();
  await expect(sent).rejects.toThrow();
}

describe('simulator commits of accepted actions', () => {
  it('commits a delayed failover whose client disconnected during the delay', async () => {
    const sim = await startSimulator({ failoverDurationMs: 5000 });
    const pair = addTestPair(sim, { status: 'abnormal' });
    sim.addFaults({ method: 'POST', path: FAILOVER_GLOB, delayMs: 1000, count: 1 });

    await leaveDuringDelay(sim, pair.action('failover'));
    const applied = await until(() => pairState(sim, pair.drId).operation?.action === 'failover');
    expect(applied).toBe(true);
    expect(sim.requests({ method: 'POST' })).toEqual([
      expect.objectContaining({ action: 'failover', accepted: true, dropped: true, status: null }),
    ]);
  });

  it('drops a delayed request whose client left when the rule says ifClientLeft drop', async () => {
    const sim = await startSimulator({ failoverDurationMs: 5000 });
    const pair = addTestPair(sim, { status: 'abnormal' });
    sim.addFaults({ method: 'POST', path: FAILOVER_GLOB, delayMs: 1000, ifClientLeft: 'drop', count: 1 });

    await leaveDuringDelay(sim, pair.action('failover'));
    const entry = await until(() => sim.requests({ method: 'POST' }).find((e) => e.note !== null));
    expect(entry).toMatchObject({ accepted: false, dropped: true, note: expect.stringMatching(/client left/) });
    expect(pairState(sim, pair.drId)).toMatchObject({ status: 'abnormal', operation: null, actions: [] });
  });

  it('rejects ifClientLeft without delayMs with 400 naming the field', async () => {
    const sim = await startSimulator();
    const res = await control(sim, 'POST', '/_sim/faults', { path: '/x', status: 500, ifClientLeft: 'drop' });
    expect([res.status, res.json.field]).toEqual([400, 'ifClientLeft']);
  });

  it('answers at once but leaves every read path untouched until the commit delay has passed', async () => {
    const sim = await startSimulator({ commitDelayMs: 1000, failoverDurationMs: 5000 });
    const pair = addTestPair(sim, { status: 'abnormal' });

    expect((await call(sim, 'POST', pair.action('failover'))).status).toBe(200);
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery).toMatchObject({
      status: 'abnormal',
      primary_cluster: { id: pair.primaryId },
    });
    expect((await call(sim, 'GET', pair.list)).json.disaster_recovery[0].status).toBe('abnormal');
    expect((await call(sim, 'GET', pair.cluster(pair.standbyId))).json.cluster.task_status).toBe('');
    expect(pairState(sim, pair.drId).actions).toEqual([
      expect.objectContaining({ action: 'failover', result: 'pending', committedAt: null, swapped: null }),
    ]);

    await until(async () => (await call(sim, 'GET', pair.detail)).json.disaster_recovery.status === 'failovering');
    expect(pairState(sim, pair.drId).actions[0]).toMatchObject({ result: 'applied', committedAt: expect.any(String) });
  });

  it('accepts a second failover during the commit delay and fails back when it is applied', async () => {
    const sim = await startSimulator({ commitDelayMs: 600, failoverDurationMs: 300 });
    const pair = addTestPair(sim);

    expect((await call(sim, 'POST', pair.action('failover'))).status).toBe(200);
    expect((await call(sim, 'POST', pair.action('failover'))).status).toBe(200);
    expect(sim.requests({ method: 'POST' }).map((e) => e.accepted)).toEqual([true, true]);

    const done = await until(() => {
      const state = pairState(sim, pair.drId);
      return state.actions.every((a) => a.endedAt !== null) && state;
    });
    expect(done).toMatchObject({
      primaryClusterId: pair.primaryId,
      originalPrimaryClusterId: pair.primaryId,
      roleSwaps: 2,
    });
    expect(done.actions.map((a) => [a.action, a.result, a.swapped])).toEqual([
      ['failover', 'applied', true],
      ['failover', 'applied', true],
    ]);
    // The second one waited for the first operation to end before it was applied.
    const [first, second] = done.actions;
    expect(Date.parse(second?.committedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(first?.endedAt ?? ''));
  });

  it('refuses a delayed failover at commit time when the old primary is still down', async () => {
    const sim = await startSimulator({ commitDelayMs: 500, failoverDurationMs: 200 });
    const pair = addTestPair(sim);
    sim.outage(pair.primaryId);

    expect((await call(sim, 'POST', pair.action('failover'))).status).toBe(200);
    expect((await call(sim, 'POST', pair.action('failover'))).status).toBe(200);
    const done = await until(() => {
      const state = pairState(sim, pair.drId);
      return state.actions.every((a) => a.endedAt !== null) && state;
    });
    expect(done).toMatchObject({ primaryClusterId: pair.standbyId, roleSwaps: 1 });
    expect(done.actions.map((a) => [a.result, a.swapped])).toEqual([
      ['applied', true],
      ['refused-at-commit', false],
    ]);
    expect(done.actions[1]?.reason).toMatch(/standby cluster .* is UNAVAILABLE/);
    const log = sim.requests({ method: 'POST' });
    expect(log.map((e) => e.accepted)).toEqual([true, true]);
    expect(log[1]?.note).toMatch(/^refused at commit: /);
  });

  it('lists every accepted action with its fate in the state', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim, { status: 'abnormal' });

    expect((await call(sim, 'POST', pair.action('failover'))).status).toBe(200);
    expect((await call(sim, 'POST', pair.action('failover'))).status).toBe(400);
    const seq = sim.requests({ method: 'POST' })[0]?.seq;
    await until(() => pairState(sim, pair.drId).operation === null);

    const state = (await control(sim, 'GET', '/_sim/state')).json;
    const actions = acceptedActions(state, pair.drId, 'failover');
    expect(actions).toEqual([
      {
        seq,
        action: 'failover',
        region: 'cn-north-4',
        acceptedAt: expect.any(String),
        committedAt: actions[0]?.acceptedAt,
        result: 'applied',
        swapped: true,
        endedAt: expect.any(String),
        reason: null,
      },
    ]);
    expect(acceptedActions(state, pair.drId, 'recovery')).toEqual([]);
    expect(state.disasterRecoveries[0]).toMatchObject({ roleSwaps: 1, originalPrimaryClusterId: pair.primaryId });
  });

  it('records an action that fails by configuration as applied without a swap', async () => {
    const sim = await startSimulator({ failActions: ['switchover'] });
    const pair = addTestPair(sim);
    await call(sim, 'POST', pair.action('switchover'));
    await until(() => pairState(sim, pair.drId).actions[0]?.endedAt);
    expect(pairState(sim, pair.drId)).toMatchObject({
      roleSwaps: 0,
      actions: [expect.objectContaining({ result: 'applied', swapped: false })],
    });
  });

  it('forgets pending commits on reset', async () => {
    const sim = await startSimulator({ seed: 'demo', commitDelayMs: 200 });
    sim.outage(pairState(sim, DEMO_DR_ID).primaryClusterId);
    const failover = `/v2/${DEMO_PROJECT_ID}/disaster-recovery/${DEMO_DR_ID}/failover`;
    expect((await call(sim, 'POST', failover)).status).toBe(200);
    sim.reset();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(pairState(sim, DEMO_DR_ID)).toMatchObject({ operation: null, actions: [], roleSwaps: 0 });
  });
});

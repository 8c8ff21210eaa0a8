import { describe, expect, it } from 'vitest';
import { addTestPair, call, control, pairState, startSimulator, until } from './support';

const lagOf = (until: string | null, committedAt: string | null | undefined): number =>
  until === null ? 0 : Date.parse(until) - Date.parse(committedAt ?? '');

describe('simulator read lag per read path', () => {
  it('shows the cluster task before the DR detail when the detail lags longer', async () => {
    const sim = await startSimulator({ readLagMs: { detail: 3000, cluster: 0 }, switchoverDurationMs: 5000 });
    const pair = addTestPair(sim);

    expect((await call(sim, 'POST', pair.action('switchover'))).status).toBe(200);
    for (const id of [pair.primaryId, pair.standbyId]) {
      const cluster = (await call(sim, 'GET', pair.cluster(id))).json.cluster;
      expect(cluster.task_status).toBe('ACTIVE_STANDY_SWITCHOVER');
      expect(cluster.action_progress).toEqual({ ACTIVE_STANDY_SWITCHOVER: expect.stringMatching(/^\d+%$/) });
    }
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('running');
    // The list falls back to readAfterWriteMs (0 here): each path lags on its own.
    expect((await call(sim, 'GET', pair.list)).json.disaster_recovery[0].status).toBe('switchovering');
  });

  it('shows the cluster as it was before the write while the cluster path lags', async () => {
    const sim = await startSimulator({ readLagMs: { cluster: 1000 }, switchoverDurationMs: 5000 });
    const pair = addTestPair(sim);

    await call(sim, 'POST', pair.action('switchover'));
    expect((await call(sim, 'GET', pair.cluster(pair.primaryId))).json.cluster).toMatchObject({
      task_status: '',
      action_progress: {},
    });
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('switchovering');
    await until(
      async () => (await call(sim, 'GET', pair.cluster(pair.primaryId))).json.cluster.task_status !== '',
      5000
    );
  });

  it('shows the pre-write progress while the progress path lags', async () => {
    const sim = await startSimulator({ readLagMs: { progress: 5000 } });
    const pair = addTestPair(sim);
    const before = (await call(sim, 'GET', pair.progress)).json;
    await call(sim, 'POST', pair.action('pause'));
    expect(pairState(sim, pair.drId).readLagUntil).toMatchObject({ progress: expect.any(String), detail: null });
    expect((await call(sim, 'GET', pair.progress)).json).toEqual(before);
  });

  it('counts the read lag from the commit of the write, not from its acceptance', async () => {
    const sim = await startSimulator({ commitDelayMs: 300, readLagMs: { detail: 1000 }, failoverDurationMs: 5000 });
    const pair = addTestPair(sim, { status: 'abnormal' });

    await call(sim, 'POST', pair.action('failover'));
    const state = await until(() => {
      const s = pairState(sim, pair.drId);
      return s.actions[0]?.result === 'applied' && s;
    });
    expect(lagOf(state.readLagUntil.detail, state.actions[0]?.committedAt)).toBe(1000);
    // Committed and running, yet the detail still shows the pair as it was before the commit.
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('abnormal');
  });

  it('draws each read lag within its maximum under jitter, the same under the same seed', async () => {
    const lags = async (): Promise<number[]> => {
      const max = { detail: 10_000, list: 10_000, cluster: 10_000, progress: 10_000 };
      const sim = await startSimulator({ randomSeed: 7, readLagJitter: true, readLagMs: max });
      const pair = addTestPair(sim);
      await call(sim, 'POST', pair.action('pause'));
      const { readLagUntil, actions } = pairState(sim, pair.drId);
      return Object.values(readLagUntil).map((end) => lagOf(end, actions[0]?.committedAt));
    };
    const first = await lags();
    expect(first.every((ms) => ms >= 0 && ms <= 10_000)).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(await lags()).toEqual(first);
  });

  it('rejects a bad read lag with 400 naming the field', async () => {
    const sim = await startSimulator();
    const cases: [unknown, string][] = [
      [{ readLagMs: { detail: 'soon' } }, 'readLagMs.detail'],
      [{ readLagMs: { colour: 1 } }, 'readLagMs.colour'],
      [{ readLagJitter: 'yes' }, 'readLagJitter'],
      [{ commitDelayMs: -1 }, 'commitDelayMs'],
      [{ switchoverStatus: 'Switching Over' }, 'switchoverStatus'],
    ];
    for (const [body, field] of cases) {
      const res = await control(sim, 'POST', '/_sim/config', body);
      expect([res.status, res.json.field], JSON.stringify(body)).toEqual([400, field]);
    }
    const merged = await control(sim, 'POST', '/_sim/config', { readLagMs: { cluster: '2s' } });
    expect(merged.json.readLagMs).toEqual({ cluster: 2000 });
    const removed = await control(sim, 'POST', '/_sim/config', { readLagMs: { cluster: null, list: 5 } });
    expect(removed.json.readLagMs).toEqual({ list: 5 });
  });
});

describe('simulator cluster tasks and in-flight statuses', () => {
  it('shows the switchover task on both clusters during a failover and clears it after the swap', async () => {
    const sim = await startSimulator({ failoverDurationMs: 300 });
    const pair = addTestPair(sim, { status: 'abnormal' });
    await call(sim, 'POST', pair.action('failover'));
    const during = (await call(sim, 'GET', pair.cluster(pair.standbyId))).json.cluster;
    expect(during.task_status).toBe('ACTIVE_STANDY_SWITCHOVER');
    await until(() => pairState(sim, pair.drId).primaryClusterId === pair.standbyId);
    for (const id of [pair.primaryId, pair.standbyId]) {
      expect((await call(sim, 'GET', pair.cluster(id))).json.cluster).toMatchObject({
        task_status: '',
        action_progress: {},
      });
    }
  });

  it('hides the cluster task when hideClusterTasks is on, leaving only the role swap', async () => {
    const sim = await startSimulator({ switchoverDurationMs: 300 });
    sim.configure({ hideClusterTasks: true });
    const pair = addTestPair(sim);
    await call(sim, 'POST', pair.action('switchover'));
    expect((await call(sim, 'GET', pair.cluster(pair.primaryId))).json.cluster.task_status).toBe('');
    await until(() => pairState(sim, pair.drId).primaryClusterId === pair.standbyId);
  });

  it('shows a stable-looking switchover status when configured so', async () => {
    const sim = await startSimulator({ switchoverStatus: 'running', switchoverDurationMs: 5000 });
    const pair = addTestPair(sim);
    await call(sim, 'POST', pair.action('switchover'));
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('running');
    expect(pairState(sim, pair.drId).operation?.action).toBe('switchover');
    expect(sim.configure({ failoverStatus: 'abnormal', recoveryStatus: 'dr_weird_state' })).toMatchObject({
      failoverStatus: 'abnormal',
      recoveryStatus: 'dr_weird_state',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { addTestPair, call, startSimulator, until, untilStatus } from './support';

const WRONG_STATE = {
  externalMessage: 'Cluster status is not allowed to operation.',
  errCode: 'DWS.7023',
  error_code: 'DWS.7023',
  error_msg: 'Cluster status is not allowed to operation.',
};

describe('simulator DR state machine', () => {
  it('fails over an abnormal pair: failovering, then roles swapped and status back to abnormal', async () => {
    const sim = await startSimulator({ failoverDurationMs: 400 });
    const pair = addTestPair(sim);
    sim.outage(pair.primaryId);
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('abnormal');

    const post = await call(sim, 'POST', pair.action('failover'));
    expect(post.status).toBe(200);
    const during = (await call(sim, 'GET', pair.detail)).json.disaster_recovery;
    expect(during.status).toBe('failovering');
    expect(during.primary_cluster.id).toBe(pair.primaryId);

    const done = await until(async () => {
      const dr = (await call(sim, 'GET', pair.detail)).json.disaster_recovery;
      return dr.primary_cluster.id === pair.standbyId ? dr : undefined;
    });
    expect(done.status).toBe('abnormal');
    expect(done.standby_cluster.id).toBe(pair.primaryId);
    expect(done.primary_cluster.role).toBe('primary');
    const newPrimary = await call(sim, 'GET', pair.cluster(pair.standbyId));
    expect(newPrimary.json.cluster.status).toBe('AVAILABLE');
    expect(sim.state().disasterRecoveries[0]).toMatchObject({ failedOver: true, operation: null });
  });

  it('uses the configured intermediate failover status', async () => {
    const sim = await startSimulator({ failoverStatus: 'failover_running' });
    const pair = addTestPair(sim, { status: 'abnormal' });
    await call(sim, 'POST', pair.action('failover'));
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('failover_running');
  });

  it('refuses a second failover while one runs with 400 DWS.7023 and the legacy keys', async () => {
    const sim = await startSimulator({ failoverDurationMs: 5000 });
    const pair = addTestPair(sim, { status: 'abnormal' });
    expect((await call(sim, 'POST', pair.action('failover'))).status).toBe(200);

    const again = await call(sim, 'POST', pair.action('failover'));
    expect(again.status).toBe(400);
    expect(again.json).toEqual(WRONG_STATE);
    const posts = sim.requests({ path: pair.action('failover') });
    expect(posts.map((r) => [r.status, r.accepted])).toEqual([
      [200, true],
      [400, false],
    ]);
    expect(posts[1]?.note).toMatch(/failover is in progress/);
  });

  it('answers the wrong-state refusal with 403 when configured so', async () => {
    const sim = await startSimulator({ wrongStateHttpStatus: 403 });
    const pair = addTestPair(sim, { status: 'unstart' });
    const res = await call(sim, 'POST', pair.action('failover'));
    expect(res.status).toBe(403);
    expect(res.json).toEqual(WRONG_STATE);
  });

  it('ends a failover in "fails" mode without a role swap', async () => {
    const sim = await startSimulator({ failActions: ['failover'] });
    const pair = addTestPair(sim, { status: 'abnormal' });
    expect((await call(sim, 'POST', pair.action('failover'))).status).toBe(200);
    await until(() => sim.state().disasterRecoveries[0]?.operation === null);
    const dr = (await call(sim, 'GET', pair.detail)).json.disaster_recovery;
    expect(dr.status).toBe('abnormal');
    expect(dr.primary_cluster.id).toBe(pair.primaryId);
  });

  it('refuses a failover from a status outside the allowed set, or onto a down standby', async () => {
    const sim = await startSimulator({ failoverAllowedStatuses: ['abnormal'] });
    const running = addTestPair(sim);
    expect((await call(sim, 'POST', running.action('failover'))).json.error_code).toBe('DWS.7023');

    const deadStandby = addTestPair(sim, { status: 'abnormal', standby: { status: 'UNAVAILABLE' } });
    expect((await call(sim, 'POST', deadStandby.action('failover'))).status).toBe(400);
    const oldKernel = addTestPair(sim, { status: 'abnormal', version: '8.1.1' });
    expect((await call(sim, 'POST', oldKernel.action('failover'))).status).toBe(400);
    expect(sim.requests().map((r) => r.note)).toEqual([
      expect.stringMatching(/not allowed in status running/),
      expect.stringMatching(/standby cluster .* is UNAVAILABLE/),
      expect.stringMatching(/kernel 8\.1\.1/),
    ]);
  });

  it('switches over only from running: switchovering, then running with roles swapped', async () => {
    const sim = await startSimulator();
    const stopped = addTestPair(sim, { status: 'stopped' });
    const refused = await call(sim, 'POST', stopped.action('switchover'));
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual(WRONG_STATE);

    const pair = addTestPair(sim);
    expect((await call(sim, 'POST', pair.action('switchover'))).status).toBe(200);
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('switchovering');
    const done = await untilStatus(sim, pair, 'running');
    expect(done.json.disaster_recovery.primary_cluster.id).toBe(pair.standbyId);
    expect(done.json.disaster_recovery.standby_cluster.id).toBe(pair.primaryId);
  });

  it('recovers after a failover once the old primary is back: starting with DR_RECOVERING, then running', async () => {
    const sim = await startSimulator({ recoveryDurationMs: 500 });
    const pair = addTestPair(sim);
    sim.outage(pair.primaryId);
    await call(sim, 'POST', pair.action('failover'));
    await until(() => sim.state().disasterRecoveries[0]?.failedOver);

    const tooEarly = await call(sim, 'POST', pair.action('recovery'));
    expect(tooEarly.status).toBe(400);
    expect(sim.requests().at(-1)?.note).toMatch(/old primary\) is UNAVAILABLE/);

    sim.restore(pair.primaryId);
    // Restoring the old primary does not repair the pair by itself after a failover.
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('abnormal');
    expect((await call(sim, 'POST', pair.action('recovery'))).status).toBe(200);
    const during = (await call(sim, 'GET', pair.detail)).json.disaster_recovery;
    expect(during.status).toBe('starting');
    const oldPrimary = (await call(sim, 'GET', pair.cluster(pair.primaryId))).json.cluster;
    expect(oldPrimary.task_status).toBe('DR_RECOVERING');
    expect(Object.keys(oldPrimary.action_progress)).toEqual(['DR_RECOVERING']);

    const done = await untilStatus(sim, pair, 'running');
    expect(done.json.disaster_recovery.primary_cluster.id).toBe(pair.standbyId);
    const after = (await call(sim, 'GET', pair.cluster(pair.primaryId))).json.cluster;
    expect(after).toMatchObject({ task_status: '', action_progress: {} });
    expect(sim.state().disasterRecoveries[0]?.failedOver).toBe(false);
  });

  it('refuses recovery when no failover happened', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim, { status: 'abnormal' });
    const res = await call(sim, 'POST', pair.action('recovery'));
    expect(res.status).toBe(400);
    expect(res.json.error_code).toBe('DWS.7023');
  });

  it('pauses and starts following the documented matrix', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);
    expect((await call(sim, 'POST', pair.action('start'))).status).toBe(400);
    expect((await call(sim, 'POST', pair.action('pause'))).status).toBe(200);
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('stopping');
    const stopped = await untilStatus(sim, pair, 'stopped');
    expect(stopped.json.disaster_recovery.primary_cluster.status).toBe('stopped');
    expect((await call(sim, 'POST', pair.action('pause'))).status).toBe(400);
    expect((await call(sim, 'POST', pair.action('start'))).status).toBe(200);
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('starting');
    await untilStatus(sim, pair, 'running');
  });

  it('deletes a stopped pair: deleting, then 400 DWS.10101', async () => {
    const sim = await startSimulator();
    const running = addTestPair(sim);
    expect((await call(sim, 'DELETE', running.detail)).status).toBe(400);

    const pair = addTestPair(sim, { status: 'stopped' });
    expect((await call(sim, 'DELETE', pair.detail)).status).toBe(200);
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('deleting');
    await until(async () => (await call(sim, 'GET', pair.detail)).status === 400);
    expect((await call(sim, 'GET', pair.detail)).json.error_code).toBe('DWS.10101');
    // The clusters outlive the DR relationship.
    expect((await call(sim, 'GET', pair.cluster(pair.primaryId))).status).toBe(200);
  });

  it('advances last_success_time every sync interval while running, and freezes it while the primary is down', async () => {
    const sim = await startSimulator({ syncIntervalMs: 1000 });
    const pair = addTestPair(sim, { lastSuccessTime: null });
    const last = async (): Promise<string | null> =>
      (await call(sim, 'GET', pair.detail)).json.disaster_recovery.standby_cluster.last_success_time;
    expect(await last()).toBeNull();
    const first = await until(last);
    const second = await until(async () => {
      const v = await last();
      return v !== null && v > first ? v : undefined;
    });
    expect(second > first).toBe(true);

    sim.outage(pair.primaryId);
    const frozen = await last();
    await new Promise((r) => setTimeout(r, 1300));
    expect(await last()).toBe(frozen);
    const list = await call(sim, 'GET', pair.list);
    expect(list.json.disaster_recovery[0].last_disaster_time).toBe(frozen);
  });
});

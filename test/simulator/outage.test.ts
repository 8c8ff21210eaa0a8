import { describe, expect, it } from 'vitest';
import { addTestPair, call, control, startSimulator, until } from './support';

describe('simulator outages and read-after-write lag', () => {
  it('turns a running pair abnormal when its primary goes down and running again when it comes back', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);

    const down = await control(sim, 'POST', `/_sim/clusters/${pair.primaryId}/outage`);
    expect(down.status).toBe(200);
    expect(down.json).toMatchObject({ id: pair.primaryId, status: 'UNAVAILABLE' });
    expect((await call(sim, 'GET', pair.cluster(pair.primaryId))).json.cluster.status).toBe('UNAVAILABLE');
    const dr = (await call(sim, 'GET', pair.detail)).json.disaster_recovery;
    expect(dr.status).toBe('abnormal');
    expect(dr.primary_cluster.status).toBe('abnormal');
    expect((await call(sim, 'GET', pair.progress)).json.disaster_recovery_progress.latest_barrier_time).not.toBeNull();

    const up = await control(sim, 'POST', `/_sim/clusters/${pair.primaryId}/restore`);
    expect(up.json).toMatchObject({ status: 'AVAILABLE' });
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('running');
  });

  it('turns a running pair abnormal when its standby goes down', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);
    sim.outage(pair.standbyId);
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('abnormal');
  });

  it('keeps the pair abnormal after a restore when auto-resume is off', async () => {
    const sim = await startSimulator({ resumeAfterRestore: false });
    const pair = addTestPair(sim);
    sim.outage(pair.primaryId);
    sim.restore(pair.primaryId);
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('abnormal');
  });

  it('leaves a stopped pair stopped when a cluster goes down', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim, { status: 'stopped' });
    sim.outage(pair.primaryId);
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('stopped');
  });

  it('restores a cluster on a delay', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);
    sim.outage(pair.primaryId);

    const res = await control(sim, 'POST', `/_sim/clusters/${pair.primaryId}/restore`, { delayMs: '600ms' });
    expect(res.json).toMatchObject({ id: pair.primaryId, status: 'UNAVAILABLE' });
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('abnormal');
    await until(async () => (await call(sim, 'GET', pair.detail)).json.disaster_recovery.status === 'running');
  });

  it('takes a cluster down on a delay through the programmatic API', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);
    expect(sim.outage(pair.standbyId, { delayMs: 200 }).status).toBe('AVAILABLE');
    await until(async () => (await call(sim, 'GET', pair.detail)).json.disaster_recovery.status === 'abnormal');
  });

  it('brings the old primary back in the middle of a failover, so the recovery is allowed when it ends', async () => {
    const sim = await startSimulator({ failoverDurationMs: 800 });
    const pair = addTestPair(sim);
    sim.outage(pair.primaryId);
    sim.restore(pair.primaryId, { delayMs: 300 });
    expect((await call(sim, 'POST', pair.action('failover'))).status).toBe(200);
    await until(() => sim.state().disasterRecoveries[0]?.primaryClusterId === pair.standbyId);
    expect((await call(sim, 'GET', pair.cluster(pair.primaryId))).json.cluster.status).toBe('AVAILABLE');
    expect((await call(sim, 'POST', pair.action('recovery'))).status).toBe(200);
  });

  it('cancels a scheduled cluster event on reset', async () => {
    const sim = await startSimulator({ seed: 'demo' });
    const clusterId = sim.state().clusters[0]?.id ?? '';
    sim.outage(clusterId, { delayMs: 200 });
    sim.reset();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(sim.state().clusters.find((c) => c.id === clusterId)?.status).toBe('AVAILABLE');
  });

  it('rejects a bad cluster event delay with 400 naming the field', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);
    const bad = await control(sim, 'POST', `/_sim/clusters/${pair.primaryId}/outage`, { delayMs: 'soon' });
    expect([bad.status, bad.json.field]).toEqual([400, 'delayMs']);
    const unknown = await control(sim, 'POST', `/_sim/clusters/${pair.primaryId}/outage`, { when: 1 });
    expect([unknown.status, unknown.json.field]).toEqual([400, 'when']);
    expect(sim.state().clusters.every((c) => c.status === 'AVAILABLE')).toBe(true);
  });

  it('answers 404 naming the cluster for an outage of an unknown cluster', async () => {
    const sim = await startSimulator();
    const res = await control(sim, 'POST', '/_sim/clusters/no-such-cluster/outage');
    expect(res.status).toBe(404);
    expect(res.json.error).toMatch(/no-such-cluster/);
  });

  it('shows the pre-action state in detail and list for the read-after-write window after an accepted POST', async () => {
    const sim = await startSimulator({ readAfterWriteMs: 600, failoverDurationMs: 200 });
    const pair = addTestPair(sim);
    sim.outage(pair.primaryId);

    expect((await call(sim, 'POST', pair.action('failover'))).status).toBe(200);
    // The service already switched (200 ms) but reads still lag behind the write (600 ms).
    await until(() => sim.state().disasterRecoveries[0]?.primaryClusterId === pair.standbyId);
    const stale = (await call(sim, 'GET', pair.detail)).json.disaster_recovery;
    expect(stale).toMatchObject({ status: 'abnormal', primary_cluster: { id: pair.primaryId } });
    const staleList = (await call(sim, 'GET', pair.list)).json.disaster_recovery[0];
    expect(staleList).toMatchObject({ status: 'abnormal', primary_cluster_id: pair.primaryId });
    expect(sim.state().disasterRecoveries[0]?.staleUntil).not.toBeNull();

    const fresh = await until(async () => {
      const dr = (await call(sim, 'GET', pair.detail)).json.disaster_recovery;
      return dr.primary_cluster.id === pair.standbyId ? dr : undefined;
    });
    expect(fresh.status).toBe('abnormal');
  });

  it('shows the in-flight status once the window has passed', async () => {
    const sim = await startSimulator({ readAfterWriteMs: 300, failoverDurationMs: 5000 });
    const pair = addTestPair(sim, { status: 'abnormal' });
    await call(sim, 'POST', pair.action('failover'));
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('abnormal');
    await until(async () => (await call(sim, 'GET', pair.detail)).json.disaster_recovery.status === 'failovering');
  });
});

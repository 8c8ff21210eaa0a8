import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_DR_ID, DEMO_PRIMARY_CLUSTER_ID, DEMO_PROJECT_ID, DEMO_STANDBY_CLUSTER_ID } from '../../src/simulator';
import { addTestPair, call, control, randomProjectId, startSimulator, until } from './support';

describe('simulator control API', () => {
  it('shows every pair, cluster and the config in GET /_sim/state, without secrets', async () => {
    const sim = await startSimulator({ seed: 'demo' });
    const res = await control(sim, 'GET', '/_sim/state');
    expect(res.status).toBe(200);
    expect(res.json.disasterRecoveries).toEqual([
      expect.objectContaining({
        id: DEMO_DR_ID,
        name: 'dws-prod-dr',
        projectId: DEMO_PROJECT_ID,
        status: 'running',
        primaryClusterId: DEMO_PRIMARY_CLUSTER_ID,
        standbyClusterId: DEMO_STANDBY_CLUSTER_ID,
        failedOver: false,
        operation: null,
      }),
    ]);
    expect(res.json.clusters.map((c: { name: string; az: string }) => [c.name, c.az])).toEqual([
      ['dws-prod', 'cn-north-4a'],
      ['dws-dr', 'cn-north-4b'],
    ]);
    expect(res.json.config).toMatchObject({
      failoverStatus: 'failovering',
      authentication: 'on',
      accessKeys: [expect.any(String)],
    });
    expect(res.text).not.toContain('simulator-test-secret-key');
  });

  it('adds a pair with defaults for omitted fields', async () => {
    const sim = await startSimulator();
    const res = await control(sim, 'POST', '/_sim/disaster-recoveries', {});
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ status: 'running', drType: 'az', drSyncPeriod: '5m', projectId: DEMO_PROJECT_ID });
    expect(res.json.lastSuccessTime).not.toBeNull();
    const detail = await call(sim, 'GET', `/v2/${DEMO_PROJECT_ID}/disaster-recovery/${res.json.id}`);
    expect(detail.json.disaster_recovery.primary_cluster).toMatchObject({
      datastore_version: '8.2.1',
      cluster_az: 'cn-north-4a',
    });
  });

  it('adds a pair with the given ids, names, versions, status and project', async () => {
    const sim = await startSimulator();
    const projectId = randomProjectId();
    const input = {
      id: randomUUID(),
      name: 'sales-dr',
      projectId,
      status: 'unstart',
      drSyncPeriod: '2H',
      primary: { id: randomUUID(), name: 'sales', version: '8.1.3', az: 'cn-north-4c' },
      standby: { id: randomUUID(), name: 'sales-dr-side', version: '8.1.3', status: 'UNAVAILABLE' },
    };
    const res = await control(sim, 'POST', '/_sim/disaster-recoveries', input);
    expect(res.status).toBe(201);
    const item = (await call(sim, 'GET', `/v2/${projectId}/disaster-recoveries`)).json.disaster_recovery[0];
    expect(item).toMatchObject({
      id: input.id,
      name: 'sales-dr',
      status: 'unstart',
      primary_cluster_name: 'sales',
      standby_cluster_name: 'sales-dr-side',
      primary_cluster_status: null,
      last_disaster_time: null,
      start_time: null,
    });
    const standby = await call(sim, 'GET', `/v1.0/${projectId}/clusters/${input.standby.id}`);
    expect(standby.json.cluster).toMatchObject({ status: 'UNAVAILABLE', version: '8.1.3' });
  });

  it('rejects a bad pair with 400 naming the field', async () => {
    const sim = await startSimulator();
    const taken = addTestPair(sim);
    const cases: [unknown, string][] = [
      [{ name: '1abc' }, 'name'],
      [{ projectId: 'ABC' }, 'projectId'],
      [{ status: 'sleeping' }, 'status'],
      [{ drSyncPeriod: '5 minutes' }, 'drSyncPeriod'],
      [{ primary: { version: 'latest' } }, 'primary.version'],
      [{ standby: { status: 'ACTIVE' } }, 'standby.status'],
      [{ lastSuccessTime: 'yesterday' }, 'lastSuccessTime'],
      [{ id: taken.drId }, 'id'],
      [{ primary: { id: taken.standbyId } }, 'primary.id'],
      [{ primary: { id: 'same' }, standby: { id: 'same' } }, 'standby.id'],
      [{ colour: 'red' }, 'colour'],
      ['{not json', 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await control(sim, 'POST', '/_sim/disaster-recoveries', body);
      expect([res.status, res.json.field], JSON.stringify(body)).toEqual([400, field]);
      expect(res.json.error).toEqual(expect.stringContaining(field));
    }
    expect(sim.state().disasterRecoveries).toHaveLength(1);
  });

  it('logs every DWS request with status and filters by path, method, since and action', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim, { status: 'abnormal' });
    await call(sim, 'GET', pair.detail);
    await call(sim, 'POST', pair.action('failover'));
    await call(sim, 'GET', `${pair.list}?id=${pair.drId}`);
    await control(sim, 'GET', '/_sim/state');

    const all = (await control(sim, 'GET', '/_sim/requests')).json.requests;
    expect(all.map((r: { seq: number; method: string; status: number }) => [r.seq, r.method, r.status])).toEqual([
      [1, 'GET', 200],
      [2, 'POST', 200],
      [3, 'GET', 200],
    ]);
    expect(all[2]).toMatchObject({ query: `id=${pair.drId}`, path: pair.list, accepted: null, fault: null });
    expect(all[1]).toMatchObject({
      action: 'failover',
      drId: pair.drId,
      accepted: true,
      requestId: expect.any(String),
    });
    const posts = await control(
      sim,
      'GET',
      `/_sim/requests?method=post&path=${encodeURIComponent('/v2/*/disaster-recovery/*/failover')}`
    );
    expect(posts.json.requests.map((r: { seq: number }) => r.seq)).toEqual([2]);
    expect(
      (await control(sim, 'GET', '/_sim/requests?since=2')).json.requests.map((r: { seq: number }) => r.seq)
    ).toEqual([3]);
    expect(sim.requests({ action: 'failover' }).map((r) => r.seq)).toEqual([2]);
    expect((await control(sim, 'GET', '/_sim/requests?since=soon')).status).toBe(400);

    expect((await control(sim, 'DELETE', '/_sim/requests')).json).toEqual({ cleared: 3 });
    await call(sim, 'GET', pair.detail);
    expect(sim.requests().map((r) => r.seq)).toEqual([4]);
  });

  it('resets to the seeded state with faults, log and config changes gone', async () => {
    const sim = await startSimulator({ seed: 'demo', failoverDurationMs: 60_000 });
    sim.outage(DEMO_PRIMARY_CLUSTER_ID);
    const failover = `/v2/${DEMO_PROJECT_ID}/disaster-recovery/${DEMO_DR_ID}/failover`;
    await call(sim, 'POST', failover);
    addTestPair(sim);
    sim.addFaults({ path: '/x', status: 500 });
    sim.configure({ failoverStatus: 'switching' });

    const res = await control(sim, 'POST', '/_sim/reset');
    expect(res.status).toBe(200);
    expect(res.json.disasterRecoveries).toEqual([
      expect.objectContaining({
        id: DEMO_DR_ID,
        status: 'running',
        primaryClusterId: DEMO_PRIMARY_CLUSTER_ID,
        operation: null,
      }),
    ]);
    expect(res.json.clusters.every((c: { status: string }) => c.status === 'AVAILABLE')).toBe(true);
    expect(res.json.config.failoverStatus).toBe('failovering');
    expect(sim.faults()).toEqual([]);
    expect(sim.requests()).toEqual([]);
    await call(sim, 'GET', `/v2/${DEMO_PROJECT_ID}/disaster-recovery/${DEMO_DR_ID}`);
    expect(sim.requests()[0]?.seq).toBe(1);
  });

  it('changes timing knobs at run time through POST /_sim/config', async () => {
    const sim = await startSimulator({ failoverDurationMs: 60_000 });
    const pair = addTestPair(sim, { status: 'abnormal' });
    const res = await control(sim, 'POST', '/_sim/config', {
      failoverDurationMs: '200ms',
      failoverStatus: 'promoting',
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ failoverDurationMs: 200, failoverStatus: 'promoting' });
    expect((await control(sim, 'GET', '/_sim/config')).json.failoverDurationMs).toBe(200);

    await call(sim, 'POST', pair.action('failover'));
    expect((await call(sim, 'GET', pair.detail)).json.disaster_recovery.status).toBe('promoting');
    await until(
      async () => (await call(sim, 'GET', pair.detail)).json.disaster_recovery.primary_cluster.id === pair.standbyId
    );

    sim.configure({ switchoverDurationMs: 100 });
    expect(sim.state().config.switchoverDurationMs).toBe(100);
  });

  it('rejects an invalid config change with 400 naming the field and keeps the old config', async () => {
    const sim = await startSimulator();
    for (const [body, field] of [
      [{ failoverDurationMs: 'slow' }, 'failoverDurationMs'],
      [{ wrongStateHttpStatus: 409 }, 'wrongStateHttpStatus'],
      [{ failActions: ['explode'] }, 'failActions.0'],
      [{ failoverStatus: 'Fail Over' }, 'failoverStatus'],
      [{ port: 1 }, 'port'],
    ] as const) {
      const res = await control(sim, 'POST', '/_sim/config', body);
      expect([res.status, res.json.field], JSON.stringify(body)).toEqual([400, field]);
    }
    expect(sim.state().config.failoverDurationMs).toBe(300);
  });

  it('reads duration strings in the one grammar and refuses a unitless string in a …Ms field, saying the fix', async () => {
    const sim = await startSimulator();
    const ok = await control(sim, 'POST', '/_sim/config', { commitDelayMs: '1m30s', readLagMs: { list: '0.5s' } });
    expect(ok.json).toMatchObject({ commitDelayMs: 90_000, readLagMs: { list: 500 } });

    const res = await control(sim, 'POST', '/_sim/config', { failoverDurationMs: '500' });
    expect([res.status, res.json.field]).toEqual([400, 'failoverDurationMs']);
    expect(res.json.error).toBe(
      "failoverDurationMs: '500' has no unit: give a number of milliseconds (500) or a string with its unit ('500ms', '500s')"
    );
    expect(sim.state().config.failoverDurationMs).toBe(300);
  });

  it('re-times the sync clock when the sync interval changes', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim, { lastSuccessTime: null });
    sim.configure({ syncIntervalMs: 1000 });
    // With the pair's own 5m period nothing would sync during the test; 1 s cycles do.
    const synced = await until(
      async () => (await call(sim, 'GET', pair.detail)).json.disaster_recovery.standby_cluster.last_success_time
    );
    expect(synced).toMatch(/^\d{4}-/);
  });

  it('answers 404 listing the endpoints for an unknown control path', async () => {
    const sim = await startSimulator();
    const res = await control(sim, 'GET', '/_sim/nothing');
    expect(res.status).toBe(404);
    expect(res.json.endpoints).toContain('GET /_sim/state');
    expect(sim.requests()).toEqual([]);
  });
});

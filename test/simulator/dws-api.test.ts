import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseDwsTime } from '../../src/dws/model';
import { DEMO_DR_ID, DEMO_PRIMARY_CLUSTER_ID, DEMO_PROJECT_ID, DEMO_STANDBY_CLUSTER_ID } from '../../src/simulator';
import { addTestPair, call, randomProjectId, startSimulator, untilStatus } from './support';

const DR_CLUSTER_FIELDS = [
  'cluster_az',
  'datastore_type',
  'datastore_version',
  'disk_capacity',
  'disk_used',
  'id',
  'last_success_time',
  'name',
  'obs_bucket_name',
  'progress',
  'region',
  'role',
  'status',
];

describe('simulator DWS endpoints', () => {
  it('answers the DR detail with the documented field names, roles and per-cluster statuses', async () => {
    const sim = await startSimulator({ seed: 'demo' });
    const res = await call(sim, 'GET', `/v2/${DEMO_PROJECT_ID}/disaster-recovery/${DEMO_DR_ID}`);

    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const dr = res.json.disaster_recovery;
    expect(Object.keys(dr).sort()).toEqual([
      'create_time',
      'dr_sync_period',
      'dr_type',
      'id',
      'name',
      'primary_cluster',
      'standby_cluster',
      'start_time',
      'status',
    ]);
    expect(dr).toMatchObject({
      id: DEMO_DR_ID,
      name: 'dws-prod-dr',
      dr_type: 'az',
      status: 'running',
      dr_sync_period: '5m',
    });
    expect(Object.keys(dr.primary_cluster).sort()).toEqual(DR_CLUSTER_FIELDS);
    expect(dr.primary_cluster).toMatchObject({
      id: DEMO_PRIMARY_CLUSTER_ID,
      name: 'dws-prod',
      role: 'primary',
      cluster_az: 'cn-north-4a',
      region: 'cn-north-4',
      status: 'backuping',
      datastore_version: '8.2.1',
    });
    expect(dr.standby_cluster).toMatchObject({
      id: DEMO_STANDBY_CLUSTER_ID,
      name: 'dws-dr',
      role: 'standby',
      cluster_az: 'cn-north-4b',
      status: 'restoring',
    });
    // DWS time stamps: no zone, UTC, recent for a running pair.
    expect(dr.standby_cluster.last_success_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    const age = Date.now() - (parseDwsTime(dr.standby_cluster.last_success_time)?.getTime() ?? 0);
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(5 * 60_000);
  });

  it('lists the pairs of the project with list field names, and filters by id and cluster ids', async () => {
    const sim = await startSimulator();
    const a = addTestPair(sim);
    const b = addTestPair(sim, { projectId: a.projectId, status: 'stopped' });
    addTestPair(sim); // another project: never listed here

    const all = await call(sim, 'GET', a.list);
    expect(all.status).toBe(200);
    expect(all.json.disaster_recovery.map((d: { id: string }) => d.id).sort()).toEqual([a.drId, b.drId].sort());
    const item = all.json.disaster_recovery.find((d: { id: string }) => d.id === a.drId);
    expect(Object.keys(item).sort()).toEqual([
      'create_time',
      'dr_type',
      'id',
      'last_disaster_time',
      'name',
      'primary_cluster_id',
      'primary_cluster_name',
      'primary_cluster_project_id',
      'primary_cluster_region',
      'primary_cluster_role',
      'primary_cluster_status',
      'standby_cluster_id',
      'standby_cluster_name',
      'standby_cluster_project_id',
      'standby_cluster_region',
      'standby_cluster_role',
      'standby_cluster_status',
      'start_time',
      'status',
    ]);
    expect(item).toMatchObject({
      primary_cluster_id: a.primaryId,
      standby_cluster_id: a.standbyId,
      primary_cluster_role: 'primary',
      standby_cluster_role: 'standby',
      primary_cluster_project_id: a.projectId,
      status: 'running',
    });

    const byPrimary = await call(sim, 'GET', `${a.list}?primary_cluster_id=${b.primaryId}`);
    expect(byPrimary.json.disaster_recovery).toHaveLength(1);
    expect(byPrimary.json.disaster_recovery[0]).toMatchObject({ id: b.drId, status: 'stopped' });
    const byStandby = await call(sim, 'GET', `${a.list}?standby_cluster_id=${a.standbyId}`);
    expect(byStandby.json.disaster_recovery.map((d: { id: string }) => d.id)).toEqual([a.drId]);
    const byId = await call(sim, 'GET', `${a.list}?id=${randomUUID()}`);
    expect(byId.json).toEqual({ disaster_recovery: [] });
  });

  it('answers cluster detail with AVAILABLE, the kernel version and an idle task', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim, { version: '8.1.3', primary: { name: 'wh-prod', az: 'cn-north-4c' } });
    const res = await call(sim, 'GET', pair.cluster(pair.primaryId));

    expect(res.status).toBe(200);
    expect(res.json.cluster).toMatchObject({
      id: pair.primaryId,
      name: 'wh-prod',
      status: 'AVAILABLE',
      version: '8.1.3',
      sub_status: 'NORMAL',
      task_status: '',
      action_progress: {},
      availability_zone: 'cn-north-4c',
    });
  });

  it('answers the progress endpoint on the v1 path with the RPO in seconds', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);
    const res = await call(sim, 'GET', pair.progress);

    expect(res.status).toBe(200);
    const p = res.json.disaster_recovery_progress;
    expect(p.primary_cluster).toMatchObject({ action_type: 'Backup' });
    expect(p.standby_cluster).toMatchObject({ action_type: 'Restore' });
    expect(p.recovery_point_object).toBeGreaterThanOrEqual(60);
    expect(p.latest_barrier_time).toBeNull();
  });

  it('answers 400 DWS.10101 for an unknown DR id, also on actions', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);
    const missing = `/v2/${pair.projectId}/disaster-recovery/${randomUUID()}`;

    const detail = await call(sim, 'GET', missing);
    expect(detail.status).toBe(400);
    expect(detail.json.error_code).toBe('DWS.10101');
    expect(detail.json.error_msg).toEqual(expect.any(String));
    const failover = await call(sim, 'POST', `${missing}/failover`);
    expect(failover.status).toBe(400);
    expect(failover.json.error_code).toBe('DWS.10101');
    expect(sim.requests().at(-1)).toMatchObject({ action: 'failover', accepted: false });
  });

  it('treats a pair of another project as unknown', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);
    const res = await call(sim, 'GET', `/v2/${randomProjectId()}/disaster-recovery/${pair.drId}`);
    expect(res.status).toBe(400);
    expect(res.json.error_code).toBe('DWS.10101');
    const cluster = await call(sim, 'GET', `/v1.0/${randomProjectId()}/clusters/${pair.primaryId}`);
    expect(cluster.status).toBe(404);
  });

  it('answers 404 DWS.0047 for an unknown cluster', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);
    const res = await call(sim, 'GET', pair.cluster(randomUUID()));
    expect(res.status).toBe(404);
    expect(res.json.error_code).toBe('DWS.0047');
  });

  it('answers 404 APIG.0101 for paths and methods the service does not have', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);
    for (const [method, path] of [
      ['GET', `/v2/${pair.projectId}/disaster-recovery/${pair.drId}/nonsense`],
      ['PATCH', pair.detail],
      ['GET', pair.action('failover')],
      ['GET', `/v3/${pair.projectId}/disaster-recoveries`],
    ] as const) {
      const res = await call(sim, method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json.error_code).toBe('APIG.0101');
    }
  });

  it('answers every accepted action with 200 and {"disaster_recovery":{"id"}}, and delete with an empty 200', async () => {
    const sim = await startSimulator({ pauseDurationMs: 0 });
    const pair = addTestPair(sim);
    const pause = await call(sim, 'POST', pair.action('pause'));
    expect(pause.status).toBe(200);
    expect(pause.json).toEqual({ disaster_recovery: { id: pair.drId } });
    expect(pause.headers.get('x-request-id')).toBeTruthy();

    await untilStatus(sim, pair, 'stopped');
    const del = await call(sim, 'DELETE', pair.detail);
    expect(del.status).toBe(200);
    expect(del.text).toBe('');
  });
});

import { randomUUID } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AkSkAuthenticator } from '../../src/dws/auth';
import { DwsClient } from '../../src/dws/client';
import { signRequest } from '../../src/dws/signer';
import type { Simulator } from '../../src/simulator';
import {
  addTestPair,
  call,
  control,
  pairState,
  randomProjectId,
  startSimulator,
  TEST_AK,
  TEST_SK,
  until,
  type Answer,
} from './support';

/** The simulator's default region (requests without a prefix). */
const NORTH = 'cn-north-4';
const SOUTH = 'cn-south-1';

const at = (region: string, path: string): string => `/regions/${region}${path}`;

/** A cross-region pair: production in cn-north-4 (project `north`), its DR cluster in cn-south-1 (`south`). */
function addCrossRegionPair(sim: Simulator, status = 'running') {
  const north = randomProjectId();
  const south = randomProjectId();
  const pair = sim.addPair({
    id: randomUUID(),
    drType: 'region',
    status,
    primary: { id: randomUUID(), region: NORTH, projectId: north },
    standby: { id: randomUUID(), region: SOUTH, projectId: south },
  });
  const side = (region: string, projectId: string) => ({
    detail: at(region, `/v2/${projectId}/disaster-recovery/${pair.id}`),
    list: at(region, `/v2/${projectId}/disaster-recoveries`),
    progress: at(region, `/v1/${projectId}/disaster-recovery/${pair.id}/show-progress`),
    action: (name: string) => at(region, `/v2/${projectId}/disaster-recovery/${pair.id}/${name}`),
    cluster: (id: string) => at(region, `/v1.0/${projectId}/clusters/${id}`),
  });
  return {
    drId: pair.id,
    primaryId: pair.primaryClusterId,
    standbyId: pair.standbyClusterId,
    north,
    south,
    /** Read through the primary cluster's region and project. */
    viaNorth: side(NORTH, north),
    /** Read through the standby cluster's region and project. */
    viaSouth: side(SOUTH, south),
  };
}

const detailOf = async (sim: Simulator, path: string) => (await call(sim, 'GET', path)).json?.disaster_recovery;

/** A request's outcome when the connection may be reset: its status, or `reset`. */
async function statusOrReset(sim: Simulator, method: string, path: string): Promise<number | 'reset'> {
  try {
    return (await call(sim, method, path)).status;
  } catch {
    return 'reset';
  }
}

describe('simulator regions: path prefix', () => {
  it('serves /regions/{region}/… as that region and a path without the prefix as the default region', async () => {
    const sim = await startSimulator();
    const north = addTestPair(sim);
    const south = addTestPair(sim, { region: SOUTH });

    expect((await call(sim, 'GET', north.detail)).status).toBe(200);
    expect((await call(sim, 'GET', at(NORTH, north.detail))).status).toBe(200);
    expect((await call(sim, 'GET', at(SOUTH, south.detail))).json.disaster_recovery.primary_cluster.region).toBe(SOUTH);
    expect(sim.requests().map((r) => r.region)).toEqual([NORTH, NORTH, SOUTH]);
    expect(sim.requests({ region: SOUTH })).toMatchObject([{ path: at(SOUTH, south.detail), status: 200 }]);
    expect((await control(sim, 'GET', `/_sim/requests?region=${NORTH}`)).json.requests).toHaveLength(2);
  });

  it('answers "not found" for a project whose clusters are in another region, and lists nothing', async () => {
    const sim = await startSimulator();
    const south = addTestPair(sim, { region: SOUTH });

    for (const path of [south.detail, at(NORTH, south.detail), at(NORTH, south.progress)]) {
      const res = await call(sim, 'GET', path);
      expect([res.status, res.json.error_code], path).toEqual([400, 'DWS.10101']);
    }
    const failover = await call(sim, 'POST', south.action('failover'));
    expect([failover.status, failover.json.error_code]).toEqual([400, 'DWS.10101']);
    expect(sim.requests({ method: 'POST' })[0]).toMatchObject({ accepted: false, note: expect.stringMatching(NORTH) });
    const cluster = await call(sim, 'GET', south.cluster(south.primaryId));
    expect([cluster.status, cluster.json.error_code]).toEqual([404, 'DWS.0047']);
    expect((await call(sim, 'GET', south.list)).json).toEqual({ disaster_recovery: [] });
    expect((await call(sim, 'GET', `/v1.0/${south.projectId}/clusters`)).json).toEqual({ clusters: [], count: 0 });
    expect((await call(sim, 'GET', at(SOUTH, south.list))).json.disaster_recovery).toHaveLength(1);
    expect((await call(sim, 'GET', at(SOUTH, `/v1.0/${south.projectId}/clusters`))).json.count).toBe(2);
    expect(pairState(sim, south.drId).actions).toEqual([]);
  });

  it('answers the unknown-API error for a path under /regions/ without a region id', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim);
    for (const prefix of ['/regions/CN-NORTH-4', '/regions/cn_north_4', '/regions/north', '/regions/']) {
      const res = await call(sim, 'GET', `${prefix}${pair.detail}`);
      expect([res.status, res.json.error_code], prefix).toEqual([404, 'APIG.0101']);
    }
    expect(sim.requests().every((r) => r.region === null)).toBe(true);
  });

  it('issues IAM tokens under a region prefix', async () => {
    const user = { domain: 'acme', name: 'ops', password: 'pw-123' };
    const sim = await startSimulator({ iamUsers: [user] });
    const pair = addTestPair(sim, { region: SOUTH });
    const res = await fetch(new URL(at(SOUTH, '/v3/auth/tokens'), sim.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { ...user, domain: { name: user.domain } } } },
          scope: { project: { id: pair.projectId } },
        },
      }),
    });
    expect(res.status).toBe(201);
    const token = res.headers.get('x-subject-token') ?? '';
    expect((await call(sim, 'GET', at(SOUTH, pair.detail), { token })).status).toBe(200);
    expect(sim.requests().map((r) => [r.region, r.status])).toEqual([
      [SOUTH, 201],
      [SOUTH, 200],
    ]);
  });

  it('matches fault rules against the full path: a path without the prefix is the default region only', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim, { region: SOUTH });
    sim.addFaults({ method: 'GET', path: '/v2/*/disaster-recovery/*', status: 500 });
    expect((await call(sim, 'GET', at(SOUTH, pair.detail))).status).toBe(200);
    sim.addFaults({ method: 'GET', path: '/**/v2/*/disaster-recovery/*', status: 429 });
    expect((await call(sim, 'GET', at(SOUTH, pair.detail))).status).toBe(429);
    expect((await call(sim, 'GET', pair.detail)).status).toBe(500);
  });

  it('checks AK/SK signatures over the full path, region prefix included', async () => {
    const sim = await startSimulator();
    const pair = addTestPair(sim, { region: SOUTH });
    const client = new DwsClient({
      endpoint: `${sim.url}/regions/${SOUTH}`,
      auth: new AkSkAuthenticator({ ak: TEST_AK, sk: TEST_SK }),
    });
    onTestFinished(() => client.close());
    expect((await client.getDisasterRecovery(pair.projectId, pair.drId)).id).toBe(pair.drId);
    expect(sim.requests()).toMatchObject([{ region: SOUTH, path: at(SOUTH, pair.detail), signatureValid: true }]);

    // Signed for the path without the prefix, sent with it: the gateway's check fails.
    const url = new URL(at(SOUTH, pair.detail), sim.url);
    const headers = { 'content-type': 'application/json', host: url.host };
    const signed = signRequest({
      method: 'GET',
      url: new URL(pair.detail, sim.url),
      headers,
      body: '',
      ak: TEST_AK,
      sk: TEST_SK,
    });
    const res = await fetch(url, {
      headers: { ...headers, 'x-sdk-date': signed.sdkDate, authorization: signed.authorization },
    });
    expect(res.status).toBe(401);
    expect(sim.requests()[1]).toMatchObject({ region: SOUTH, signatureValid: false });
  });
});

describe('simulator regions: cross-region pairs', () => {
  it('shows a cross-region pair through both sides under the same DR id, each with its own project', async () => {
    const sim = await startSimulator();
    const pair = addCrossRegionPair(sim);

    const sides = [
      [pair.viaNorth, pair.north],
      [pair.viaSouth, pair.south],
    ] as const;
    for (const [side] of sides) {
      const dr = await detailOf(sim, side.detail);
      expect(dr).toMatchObject({ id: pair.drId, dr_type: 'region', status: 'running' });
      expect(dr.primary_cluster).toMatchObject({ id: pair.primaryId, region: NORTH });
      expect(dr.standby_cluster).toMatchObject({ id: pair.standbyId, region: SOUTH });
      expect((await call(sim, 'GET', side.list)).json.disaster_recovery).toEqual([
        expect.objectContaining({
          id: pair.drId,
          primary_cluster_region: NORTH,
          standby_cluster_region: SOUTH,
          primary_cluster_project_id: pair.north,
          standby_cluster_project_id: pair.south,
        }),
      ]);
      expect((await call(sim, 'GET', side.progress)).status).toBe(200);
    }
    // Each project in its own region only, another project nowhere; each cluster through its own side only.
    for (const path of [
      at(SOUTH, `/v2/${pair.north}/disaster-recovery/${pair.drId}`),
      at(NORTH, `/v2/${pair.south}/disaster-recovery/${pair.drId}`),
      `/v2/${pair.south}/disaster-recovery/${pair.drId}`,
      at(NORTH, `/v2/${randomProjectId()}/disaster-recovery/${pair.drId}`),
    ]) {
      expect((await call(sim, 'GET', path)).json.error_code, path).toBe('DWS.10101');
    }
    expect((await call(sim, 'GET', pair.viaNorth.cluster(pair.primaryId))).status).toBe(200);
    expect((await call(sim, 'GET', pair.viaSouth.cluster(pair.standbyId))).status).toBe(200);
    expect((await call(sim, 'GET', pair.viaNorth.cluster(pair.standbyId))).json.error_code).toBe('DWS.0047');
    expect((await call(sim, 'GET', pair.viaSouth.cluster(pair.primaryId))).json.error_code).toBe('DWS.0047');
    expect(pairState(sim, pair.drId).copies).toEqual([
      { region: NORTH, projectId: pair.north, behindUntil: null },
      { region: SOUTH, projectId: pair.south, behindUntil: null },
    ]);
  });

  it("shows a failover through the primary region in the standby region's copy only after the replication lag", async () => {
    const LAG = 800;
    const sim = await startSimulator({ replicationLagMs: LAG, failoverDurationMs: 1500 });
    const pair = addCrossRegionPair(sim);

    expect((await call(sim, 'POST', pair.viaNorth.action('failover'))).status).toBe(200);
    const committedMs = Date.parse(pairState(sim, pair.drId).actions[0]?.committedAt ?? '');
    expect(pairState(sim, pair.drId).copies.map((c) => c.behindUntil)).toEqual([
      null,
      new Date(committedMs + LAG).toISOString(),
    ]);
    expect((await detailOf(sim, pair.viaNorth.detail)).status).toBe('failovering');
    expect((await detailOf(sim, pair.viaSouth.detail)).status).toBe('running');
    expect((await call(sim, 'GET', pair.viaSouth.list)).json.disaster_recovery[0].status).toBe('running');

    await until(async () => (await detailOf(sim, pair.viaSouth.detail)).status === 'failovering');
    expect(Date.now()).toBeGreaterThanOrEqual(committedMs + LAG);

    // The end of the operation started through the north endpoint reaches the south copy late too.
    await until(async () => (await detailOf(sim, pair.viaNorth.detail)).primary_cluster.id === pair.standbyId);
    expect((await detailOf(sim, pair.viaSouth.detail)).primary_cluster.id).toBe(pair.primaryId);
    const endedMs = Date.parse(pairState(sim, pair.drId).actions[0]?.endedAt ?? '');
    await until(async () => (await detailOf(sim, pair.viaSouth.detail)).primary_cluster.id === pair.standbyId);
    expect(Date.now()).toBeGreaterThanOrEqual(endedMs + LAG);
  });

  it("shows a failover through the primary region on the standby cluster's task only after the replication lag", async () => {
    const LAG = 800;
    const sim = await startSimulator({ replicationLagMs: LAG, failoverDurationMs: 3000, readAfterWriteMs: 0 });
    const pair = addCrossRegionPair(sim);
    const task = async () => (await call(sim, 'GET', pair.viaSouth.cluster(pair.standbyId))).json?.cluster.task_status;

    expect((await call(sim, 'POST', pair.viaNorth.action('failover'))).status).toBe(200);
    const committedMs = Date.parse(pairState(sim, pair.drId).actions[0]?.committedAt ?? '');
    // The primary cluster, in the region that took the request, shows its task at once; the standby's region late.
    expect((await call(sim, 'GET', pair.viaNorth.cluster(pair.primaryId))).json?.cluster.task_status).not.toBe('');
    expect(await task()).toBe('');
    await until(async () => (await task()) !== '');
    expect(Date.now()).toBeGreaterThanOrEqual(committedMs + LAG);
  });

  it('shows a change in both copies at once with a replication lag of 0', async () => {
    const sim = await startSimulator({ failoverDurationMs: 1500 });
    sim.configure({ replicationLagMs: 0 });
    const pair = addCrossRegionPair(sim);

    expect((await call(sim, 'POST', pair.viaNorth.action('failover'))).status).toBe(200);
    expect((await detailOf(sim, pair.viaSouth.detail)).status).toBe('failovering');
    expect(pairState(sim, pair.drId).copies.map((c) => c.behindUntil)).toEqual([null, null]);
  });

  it('decides an action through the standby region on the latest state, not on its lagging copy', async () => {
    const sim = await startSimulator({ replicationLagMs: 5000, failoverDurationMs: 1500 });
    const pair = addCrossRegionPair(sim);

    expect((await call(sim, 'POST', pair.viaNorth.action('failover'))).status).toBe(200);
    expect((await detailOf(sim, pair.viaSouth.detail)).status).toBe('running');
    const second = await call(sim, 'POST', pair.viaSouth.action('failover'));
    expect([second.status, second.json.error_code]).toEqual([400, 'DWS.7023']);
    expect(sim.requests({ method: 'POST' }).map((r) => [r.region, r.accepted])).toEqual([
      [NORTH, true],
      [SOUTH, false],
    ]);
    expect(pairState(sim, pair.drId).actions.map((a) => a.region)).toEqual([NORTH]);
  });

  it("shows a change through the standby region in its own copy at once and in the primary region's late", async () => {
    const sim = await startSimulator({ replicationLagMs: 5000 });
    const pair = addCrossRegionPair(sim);

    expect((await call(sim, 'POST', pair.viaSouth.action('pause'))).status).toBe(200);
    expect((await detailOf(sim, pair.viaSouth.detail)).status).toBe('stopping');
    expect((await detailOf(sim, pair.viaNorth.detail)).status).toBe('running');
    expect(pairState(sim, pair.drId).actions[0]?.region).toBe(SOUTH);
  });

  it("shows a cluster outage in its own region's copy at once and in the other region's late", async () => {
    const sim = await startSimulator({ replicationLagMs: 5000 });
    const pair = addCrossRegionPair(sim);

    sim.outage(pair.primaryId);
    expect((await detailOf(sim, pair.viaNorth.detail)).status).toBe('abnormal');
    expect((await detailOf(sim, pair.viaSouth.detail)).status).toBe('running');
  });

  it('keeps the read-after-write lag on top of the copies', async () => {
    const sim = await startSimulator({ replicationLagMs: 0, readAfterWriteMs: 5000, failoverDurationMs: 1500 });
    const pair = addCrossRegionPair(sim);

    expect((await call(sim, 'POST', pair.viaNorth.action('failover'))).status).toBe(200);
    for (const side of [pair.viaNorth, pair.viaSouth]) {
      expect((await detailOf(sim, side.detail)).status).toBe('running');
    }
  });
});

describe('simulator regions: endpoint outages', () => {
  it("resets every connection to a region's endpoint, with or without the prefix, while the operation in progress still ends", async () => {
    const sim = await startSimulator({ failoverDurationMs: 800 });
    const north = addTestPair(sim, { status: 'abnormal' });
    const south = addTestPair(sim, { region: SOUTH });

    expect((await call(sim, 'POST', north.action('failover'))).status).toBe(200);
    sim.regionOutage(NORTH);
    expect(await statusOrReset(sim, 'GET', north.detail)).toBe('reset');
    expect(await statusOrReset(sim, 'GET', at(NORTH, north.detail))).toBe('reset');
    expect(await statusOrReset(sim, 'POST', at(NORTH, '/v3/auth/tokens'))).toBe('reset');
    expect(await statusOrReset(sim, 'GET', at(SOUTH, south.detail))).toBe(200);
    const refused = sim.requests({ region: NORTH }).slice(1);
    expect(refused).toHaveLength(3);
    for (const entry of refused) {
      expect(entry).toMatchObject({ dropped: true, status: null, note: expect.stringContaining('outage (reset)') });
    }

    await until(() => pairState(sim, north.drId).operation === null);
    expect(pairState(sim, north.drId).primaryClusterId).toBe(north.standbyId);
    sim.regionRestore(NORTH);
    expect((await detailOf(sim, north.detail)).primary_cluster.id).toBe(north.standbyId);
  });

  it('answers an HTML 503 in mode unavailable without reaching the service, until the outage ends', async () => {
    const sim = await startSimulator();
    const north = addTestPair(sim, { status: 'abnormal' });
    const south = addTestPair(sim, { region: SOUTH, status: 'abnormal' });

    const res = await control(sim, 'POST', `/_sim/regions/${SOUTH}/outage`, { mode: 'unavailable', durationMs: '2s' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      region: SOUTH,
      default: false,
      outage: { mode: 'unavailable', until: expect.any(String) },
    });
    expect(sim.state().regions).toEqual([
      { region: NORTH, default: true, outage: null },
      { region: SOUTH, default: false, outage: { mode: 'unavailable', until: res.json.outage.until } },
    ]);

    const refused: Answer = await call(sim, 'POST', at(SOUTH, south.action('failover')));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(sim.requests({ method: 'POST' })[0]).toMatchObject({
      region: SOUTH,
      accepted: false,
      note: expect.stringContaining('outage (unavailable)'),
    });
    expect(pairState(sim, south.drId).actions).toEqual([]);
    expect((await call(sim, 'GET', north.detail)).status).toBe(200);

    await until(async () => (await call(sim, 'GET', at(SOUTH, south.detail))).status === 200);
    expect(sim.state().regions[1]?.outage).toBeNull();
  });

  it('answers again once restored through the control API, and reset clears every outage', async () => {
    const sim = await startSimulator();
    const south = addTestPair(sim, { region: SOUTH });

    await control(sim, 'POST', `/_sim/regions/${SOUTH}/outage`, { mode: 'unavailable' });
    expect((await call(sim, 'GET', at(SOUTH, south.detail))).status).toBe(503);
    expect((await control(sim, 'POST', `/_sim/regions/${SOUTH}/restore`)).json).toEqual({
      region: SOUTH,
      default: false,
      outage: null,
    });
    expect((await call(sim, 'GET', at(SOUTH, south.detail))).status).toBe(200);

    sim.regionOutage(SOUTH, { mode: 'unavailable' });
    sim.regionOutage('eu-west-101');
    expect((await control(sim, 'POST', '/_sim/reset')).json.regions).toEqual([
      { region: NORTH, default: true, outage: null },
    ]);
    expect((await call(sim, 'GET', at(SOUTH, `/v2/${randomProjectId()}/disaster-recoveries`))).status).toBe(200);
  });

  it('rejects bad region, outage and lag input, naming the field', async () => {
    const sim = await startSimulator();
    const cases: [string, unknown, string][] = [
      [`/_sim/regions/CN-SOUTH-1/outage`, {}, 'region'],
      [`/_sim/regions/south/restore`, undefined, 'region'],
      [`/_sim/regions/${SOUTH}/outage`, { mode: 'down' }, 'mode'],
      [`/_sim/regions/${SOUTH}/outage`, { durationMs: 0 }, 'durationMs'],
      [`/_sim/regions/${SOUTH}/outage`, { durationMs: 'soon' }, 'durationMs'],
      [`/_sim/regions/${SOUTH}/outage`, { delayMs: 5 }, 'delayMs'],
      ['/_sim/config', { replicationLagMs: 'soon' }, 'replicationLagMs'],
      ['/_sim/disaster-recoveries', { primary: { region: 'South 1' } }, 'primary.region'],
    ];
    for (const [path, body, field] of cases) {
      const res = await control(sim, 'POST', path, body);
      expect([res.status, res.json.field], `${path} ${JSON.stringify(body)}`).toEqual([400, field]);
    }
    expect(() => sim.regionOutage('nowhere')).toThrow(expect.objectContaining({ field: 'region' }));
    expect(() => sim.regionRestore('')).toThrow(expect.objectContaining({ field: 'region' }));
    await expect(startSimulator({ region: 'North' })).rejects.toMatchObject({ field: 'region' });
    expect(sim.state().regions).toEqual([{ region: NORTH, default: true, outage: null }]);
  });
});

/**
 * Every region from one worker (README § Pairs in several regions and projects): pairs in two regions and two
 * projects, each signed with its own account; a cross-region pair failed over through the standby region while the
 * primary region's endpoint is down; and no second request through the other region while an ambiguous answer
 * from the first may have been taken. The simulator serves both regions (`/regions/{region}` prefixes), each with
 * its own copy of a cross-region record, kept in step with a replication lag.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { loadConfig, type Config } from '../../src/config';
import { createSimulator, type Simulator } from '../../src/simulator';
import type { PairInput } from '../../src/simulator/pair-input';
import type { OperationPolicy } from '../../src/shared/policy';
import type { OperationReport } from '../../src/shared/operation-model';
import { approveUpdate, progressQuery } from '../../src/shared/messages';
import { startFailover } from '../../src/operations/start-failover';
import { until } from '../helpers/worker-process';
import { approverKeysFile, signedDecision } from '../helpers/decisions';
import {
  FAST_POLICY,
  FAST_SIMULATOR,
  installQuietRuntime,
  randomProjectId,
  scenario,
  startTestWorker,
  TEST_AK,
  testClient,
} from '../helpers/scenario';

const NORTH = 'cn-north-4';
const SOUTH = 'cn-south-1';
const ACCOUNTS = {
  north: { ak: 'NORTHACCESSKEY000001', sk: 'north-secret-key-for-the-simulator' },
  south: { ak: 'SOUTHACCESSKEY000002', sk: 'south-secret-key-for-the-simulator' },
};

interface Fleet {
  sim: Simulator;
  config: Config;
  client: Client;
  /** Project ids: one in each region. */
  north: string;
  south: string;
  endpoint(region: string): string;
  /** Runs a failover to its report; with `approve`, an operator approves it at the gate. */
  failover(
    projectId: string,
    drId: string,
    options?: { policy?: Partial<OperationPolicy>; approve?: string }
  ): Promise<OperationReport>;
  /** The failover POSTs the simulator received for a DR id, through any region. */
  posts(drId: string): ReturnType<Simulator['requests']>;
}

/**
 * A simulator serving two regions, an inventory with a project and an account in each, and one worker whose
 * environment names no endpoint and no credentials: everything comes from the inventory.
 */
async function fleet(
  pairs: string,
  options: { replicationLagMs: number; env?: Record<string, string> }
): Promise<Fleet> {
  installQuietRuntime();
  const sim = await createSimulator({
    credentials: [ACCOUNTS.north, ACCOUNTS.south],
    ...FAST_SIMULATOR,
    replicationLagMs: options.replicationLagMs,
  });
  onTestFinished(() => sim.close());
  const north = randomProjectId();
  const south = randomProjectId();
  const endpoint = (region: string) => `${sim.url}/regions/${region}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'dws-regions-'));
  const file = path.join(dir, 'inventory.yaml');
  writeFileSync(
    file,
    `version: 1
accounts:
  north: { ak_env: NORTH_DWS_AK, sk_env: NORTH_DWS_SK }
  south: { ak_env: SOUTH_DWS_AK, sk_env: SOUTH_DWS_SK }
projects:
  - { id: ${north}, region: ${NORTH}, account: north, endpoint: "${endpoint(NORTH)}" }
  - { id: ${south}, region: ${SOUTH}, account: south, endpoint: "${endpoint(SOUTH)}" }
pairs:
${pairs.replaceAll('$NORTH', north).replaceAll('$SOUTH', south)}`
  );
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: 'default',
    DWS_FAILOVER_TASK_QUEUE: `test-${randomUUID()}`,
    DWS_FAILOVER_INVENTORY: file,
    NORTH_DWS_AK: ACCOUNTS.north.ak,
    NORTH_DWS_SK: ACCOUNTS.north.sk,
    SOUTH_DWS_AK: ACCOUNTS.south.ak,
    SOUTH_DWS_SK: ACCOUNTS.south.sk,
    DWS_FAILOVER_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
    DWS_FAILOVER_SHUTDOWN_GRACE: '1s',
    DWS_FAILOVER_APPROVER_KEYS: approverKeysFile(),
    ...options.env,
  };
  const config = loadConfig(env, { requireDws: true });
  const client = await testClient(config);
  await startTestWorker(config);
  return {
    sim,
    config,
    client,
    north,
    south,
    endpoint,
    failover: async (projectId, drId, options = {}) => {
      const started = await startFailover(client, config, {
        projectId,
        drId,
        reason: 'test',
        trigger: { source: 'api', ref: 'test', receivedAt: new Date().toISOString(), actor: 'vitest' },
        policy: { ...FAST_POLICY, ...options.policy },
      });
      const handle = client.workflow.getHandle(started.workflowId, started.runId);
      if (options.approve) {
        await until('the run to wait for approval', async () =>
          (await handle.query(progressQuery)).phase === 'awaiting-approval' ? true : undefined
        );
        const approval = await signedDecision(handle, 'approve', { comment: options.approve });
        await handle.executeUpdate(approveUpdate, { args: [approval] });
      }
      return (await handle.result()) as OperationReport;
    },
    posts: (drId) => sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith(`/${drId}/failover`)),
  };
}

/** A cross-region pair: production in cn-north-4, its DR cluster in cn-south-1, the record under one id in both. */
function crossRegionPair(f: Fleet, ids: { drId: string; primaryId: string; standbyId: string }): PairInput {
  return {
    id: ids.drId,
    projectId: f.north,
    drType: 'region',
    status: 'running',
    version: '8.2.1',
    primary: { id: ids.primaryId, region: NORTH, projectId: f.north, status: 'UNAVAILABLE' },
    standby: { id: ids.standbyId, region: SOUTH, projectId: f.south },
  };
}

const crossRegionEntry = (ids: { drId: string; primaryId: string; standbyId: string }) => `  - name: ledger
    project_id: $NORTH
    dr_id: ${ids.drId}
    dr_type: region
    clusters:
      - { id: ${ids.primaryId} }
      - { id: ${ids.standbyId}, project_id: $SOUTH }
`;

const newIds = () => ({ drId: randomUUID(), primaryId: randomUUID(), standbyId: randomUUID() });

describe('pairs in several regions and projects, from one worker', () => {
  it('fails over a pair in each of two regions and projects, each request through its region and signed with its account', async () => {
    const a = newIds();
    const b = newIds();
    const f = await fleet(
      `  - name: orders
    project_id: $NORTH
    dr_id: ${a.drId}
    clusters: [{ id: ${a.primaryId} }, { id: ${a.standbyId} }]
  - name: billing
    project_id: $SOUTH
    dr_id: ${b.drId}
    clusters: [{ id: ${b.primaryId} }, { id: ${b.standbyId} }]
`,
      { replicationLagMs: 0 }
    );
    const down = { status: 'UNAVAILABLE' as const };
    f.sim.addPair({
      id: a.drId,
      projectId: f.north,
      region: NORTH,
      status: 'running',
      primary: { id: a.primaryId, ...down },
      standby: { id: a.standbyId },
    });
    f.sim.addPair({
      id: b.drId,
      projectId: f.south,
      region: SOUTH,
      status: 'running',
      primary: { id: b.primaryId, ...down },
      standby: { id: b.standbyId },
    });

    const [ra, rb] = await Promise.all([f.failover(f.north, a.drId), f.failover(f.south, b.drId)]);
    expect(ra.outcome, ra.summary).toBe('failed-over');
    expect(rb.outcome, rb.summary).toBe('failed-over');

    // Every call about a project went to its region's endpoint, signed with that project's account.
    const calls = f.sim.requests().filter((r) => r.path.includes(f.north) || r.path.includes(f.south));
    expect(calls.length).toBeGreaterThan(4);
    for (const r of calls) {
      const north = r.path.includes(f.north);
      expect(r.path, r.path).toMatch(new RegExp(`^/regions/${north ? NORTH : SOUTH}/`));
      expect(r.region).toBe(north ? NORTH : SOUTH);
      expect(r.ak, r.path).toBe(north ? ACCOUNTS.north.ak : ACCOUNTS.south.ak);
      expect(r.signatureValid, r.path).toBe(true);
    }
    expect(f.posts(a.drId).map((r) => r.region)).toEqual([NORTH]);
    expect(f.posts(b.drId).map((r) => r.region)).toEqual([SOUTH]);
    const pairs = f.sim.state().disasterRecoveries;
    expect(pairs.find((d) => d.id === a.drId)?.primaryClusterId).toBe(a.standbyId);
    expect(pairs.find((d) => d.id === b.drId)?.primaryClusterId).toBe(b.standbyId);
  });

  it("sends a cross-region pair's failover once, to the standby region, while the primary region's endpoint is down, and the report names that endpoint", async () => {
    const ids = newIds();
    const f = await fleet(crossRegionEntry(ids), {
      replicationLagMs: 800,
      env: { DWS_FAILOVER_READ_OUTAGE_ALLOWANCE: '3s' },
    });
    f.sim.addPair(crossRegionPair(f, ids));
    f.sim.regionOutage(NORTH);

    // The primary cluster cannot be read while its region's endpoint is down: "the primary is down" is not proven,
    // so an operator approves, as the run asks.
    const report = await f.failover(f.north, ids.drId, { approve: 'INC-1: cn-north-4 is down' });
    expect(report.outcome, report.summary).toBe('failed-over');
    expect(report.approval?.reasons.join(' ')).toMatch(/primary is down/i);
    const posts = f.posts(ids.drId);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.region).toBe(SOUTH);
    expect(posts[0]?.path).toBe(`/regions/${SOUTH}/v2/${f.south}/disaster-recovery/${ids.drId}/failover`);
    expect(posts[0]?.ak).toBe(ACCOUNTS.south.ak);
    // Nothing reached the service through the region that was down.
    expect(f.sim.requests().filter((r) => r.region === NORTH && !r.note?.includes('outage'))).toEqual([]);

    expect(report.request.log).toHaveLength(1);
    expect(report.request.log?.[0]).toMatchObject({
      answer: 'accepted',
      endpoint: expect.stringContaining(f.endpoint(SOUTH)),
    });
    expect(report.route).toMatchObject({
      via: f.south,
      readVia: f.south,
      primary: { projectId: f.north },
      standby: { projectId: f.south },
    });
    expect(report.route?.viaReason).toMatch(/did not answer for \d+ s/);
    expect(report.route?.answers.find((a) => a.projectId === f.north)?.answered).toBe(false);
    const pair = f.sim.state().disasterRecoveries.find((d) => d.id === ids.drId);
    expect(pair?.primaryClusterId).toBe(ids.standbyId);
  });

  it('never sends a second request through the standby region while an ambiguous answer from the primary region may have been taken', async () => {
    const ids = newIds();
    // The standby region's copy shows the failover only 6 s after the primary's: far beyond the resend fence.
    const f = await fleet(crossRegionEntry(ids), {
      replicationLagMs: 6000,
      env: { DWS_FAILOVER_READ_OUTAGE_ALLOWANCE: '2s' },
    });
    f.sim.addPair(crossRegionPair(f, ids));
    // The service takes the failover and answers 500; right after, the primary region's endpoint goes down.
    f.sim.addFaults({ method: 'POST', pathRegex: `.*/${ids.drId}/failover$`, acceptThen500: true, count: 1 });
    const regionDown = (async () => {
      while (f.posts(ids.drId).every((r) => r.status === null)) await new Promise((r) => setTimeout(r, 10));
      f.sim.regionOutage(NORTH);
    })();

    const report = await f.failover(f.north, ids.drId, { policy: { readAfterWriteWindowSeconds: 1.5 } });
    await regionDown;
    const posts = f.posts(ids.drId);
    expect(posts.map((p) => p.region)).toEqual([NORTH]);
    expect(posts[0]?.status).toBe(500);
    expect(report.request.log?.map((r) => r.answer)).toEqual(['ambiguous']);
    expect(report.request.log?.[0]?.endpoint).toContain(f.endpoint(NORTH));
    // The standby region's copy showed the failover once replication caught up: the run followed it to the end.
    expect(report.outcome, report.summary).toBe('failed-over');
    const pair = f.sim.state().disasterRecoveries.find((d) => d.id === ids.drId);
    expect(pair?.primaryClusterId).toBe(ids.standbyId);
  });

  it("keeps today's single-region configuration (environment only): one endpoint, the environment's credentials, no route", async () => {
    const t = await scenario({ pair: { primary: { status: 'UNAVAILABLE' } } });
    const report = await t.run();
    expect(report.outcome, report.summary).toBe('failed-over');
    expect(report.route).toBeUndefined();
    expect(report.request.log?.[0]?.endpoint).toBeUndefined();
    const calls = t.sim.requests().filter((r) => r.path.includes(t.projectId));
    expect(calls.length).toBeGreaterThan(2);
    for (const r of calls) {
      expect(r.path.startsWith(`/v`), r.path).toBe(true);
      expect(r.ak).toBe(TEST_AK);
    }
    expect(t.failoverPosts()).toHaveLength(1);
  });
});

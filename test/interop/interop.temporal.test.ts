/**
 * Interoperability: the project's worker and CLI against test/interop/fake_dws.py, a second implementation of the
 * documented DWS API (reference §1–§5.2) in Python, written without the project's signer or simulator. A
 * signature that verifies there was produced by rules both sides read independently from the reference.
 */
import { randomUUID } from 'node:crypto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { loadConfig, type Config } from '../../src/config';
import type { OperationPolicy } from '../../src/shared/policy';
import type { OperationReport } from '../../src/shared/operation-model';
import { startFailover } from '../../src/operations/start-failover';
import { cli } from '../helpers/cli';
import { startTestWorker, testClient } from '../helpers/scenario';
import { startFakeDws, type FakeDws } from './fake-dws';

const POLICY: Partial<OperationPolicy> = {
  requestRetryInitialIntervalSeconds: 0.2,
  requestRetryMaxIntervalSeconds: 1,
  readAfterWriteWindowSeconds: 2,
  pollIntervalSeconds: 0.5,
  completionTimeoutSeconds: 60,
  heartbeatTimeoutSeconds: 5,
};

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Already installed in this process (by another file's helper): keep that one.
  }
  runtimeInstalled = true;
}

/** Starts the fake; it is stopped (SIGTERM) when the test finishes. */
async function fake(): Promise<FakeDws> {
  const dws = await startFakeDws();
  onTestFinished(async () => {
    await dws.stop();
  });
  return dws;
}

/** The environment of a worker or CLI talking to the fake. */
function envFor(dws: FakeDws, credentials: { ak: string; sk: string } = dws): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: 'default',
    DWS_FAILOVER_TASK_QUEUE: `interop-${randomUUID()}`,
    DWS_ENDPOINT: dws.url,
    HUAWEICLOUD_SDK_AK: credentials.ak,
    HUAWEICLOUD_SDK_SK: credentials.sk,
    DWS_FAILOVER_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
    DWS_FAILOVER_SHUTDOWN_GRACE: '1s',
  };
}

/** Runs an in-process worker for `config` and one failover of the fake's pair; resolves to the report. */
async function runFailover(dws: FakeDws, config: Config): Promise<OperationReport> {
  quietRuntime();
  await startTestWorker(config);
  const client = await testClient(config);

  const started = await startFailover(client, config, {
    projectId: dws.projectId,
    drId: dws.drId,
    reason: 'interop test',
    trigger: { source: 'api', ref: 'interop', receivedAt: new Date().toISOString(), actor: 'vitest' },
    failedClusterId: dws.primaryId,
    policy: POLICY,
  });
  return (await client.workflow.getHandle(started.workflowId, started.runId).result()) as OperationReport;
}

describe('interop with an independent Python implementation of the DWS API', () => {
  it('fails over through a lost 500 answer: every signature valid, exactly one failover POST', async () => {
    const dws = await fake();
    const config = loadConfig(envFor(dws), { requireDws: true });

    const report = await runFailover(dws, config);

    const log = await dws.log();
    const failoverPath = `/v2/${dws.projectId}/disaster-recovery/${dws.drId}/failover`;
    expect(report.outcome).toBe('failed-over');
    expect(report.oldPrimaryClusterId).toBe(dws.primaryId);
    expect(report.newPrimaryClusterId).toBe(dws.standbyId);
    // The fake accepted the only POST and lost its answer; the worker found the failover running instead of resending.
    expect(report.request).toMatchObject({ sent: 1, accepted: true, disposition: 'already-in-progress' });
    expect(log.length).toBeGreaterThan(0);
    expect(log.filter((e) => !e.signature_valid)).toEqual([]);
    const posts = log.filter((e) => e.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ path: failoverPath, status: 500, body_length: 0 });
    // Every request hit a route the fake implements (a 404 would mean the project calls one the fake lacks).
    expect(log.filter((e) => e.status === 404)).toEqual([]);
    // §5.2 step 4: x-sdk-date is the one mandatory signed header; host is in the recommended set.
    for (const entry of log) expect(entry.signed_headers).toEqual(expect.arrayContaining(['host', 'x-sdk-date']));
  });

  it('ends as precheck-failed naming the 401 when the SK is wrong, and the fake saw an invalid signature', async () => {
    const dws = await fake();
    const config = loadConfig(envFor(dws, { ak: dws.ak, sk: 'not-the-secret-key-of-this-ak' }), { requireDws: true });

    const report = await runFailover(dws, config);

    expect(report.outcome).toBe('precheck-failed');
    expect(report.summary).toMatch(/401/);
    const log = await dws.log();
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((e) => e.status === 401 && !e.signature_valid && e.reason === 'signature mismatch')).toBe(true);
    expect(log.filter((e) => e.method === 'POST')).toEqual([]);
  });

  it('passes the CLI precheck (ready, exit 0) against the fake', async () => {
    const dws = await fake();

    const run = await cli(
      ['precheck', '--project', dws.projectId, '--dr', dws.drId, '--failed-cluster', dws.primaryId, '--json'],
      envFor(dws)
    );

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      ready: boolean;
      alreadyFailedOver: boolean;
      dataLossWindowSeconds: number | null;
      checks: { id: string; passed: boolean; observed: string }[];
      snapshot: { primaryClusterId: string; standbyClusterId: string; status: string } | null;
    };
    expect(result.ready).toBe(true);
    expect(result.alreadyFailedOver).toBe(false);
    expect(result.snapshot).toMatchObject({
      primaryClusterId: dws.primaryId,
      standbyClusterId: dws.standbyId,
      status: 'abnormal',
    });
    // The fake's standby synced 60 s before it started: the window is a minute or a little more, never unknown.
    expect(result.dataLossWindowSeconds).toBeGreaterThanOrEqual(59);
    expect(result.dataLossWindowSeconds).toBeLessThan(120);
    expect(result.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual([]);
    const log = await dws.log();
    expect(log.length).toBeGreaterThan(0);
    expect(log.filter((e) => !e.signature_valid)).toEqual([]);
    expect(log.filter((e) => e.method !== 'GET')).toEqual([]);
  });
});

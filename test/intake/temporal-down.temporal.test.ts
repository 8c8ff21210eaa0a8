import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort, startDevServer } from '../../src/devstack/dev-server';
import { DEFAULT_TEMPORAL_TIMEOUT_MS } from '../../src/intake/server';
import { spawnWorker } from '../helpers/worker-process';
import { startIntake } from './harness';
import { alertmanagerPayload } from './payloads';
import { FAST_ENV, intakeStack } from './stack';

describe('intake while Temporal is down', () => {
  it('answers 503 so the sender retries, and the same delivery starts the workflow once Temporal is back', async () => {
    const s = await intakeStack();
    s.t.sim.outage(s.t.primaryId);
    const delivery = alertmanagerPayload({ labels: { dws_cluster_id: s.t.primaryId }, groupKey: s.groupKey });

    // The same intake configuration, but its Temporal is a closed port.
    const closed = `127.0.0.1:${await freePort()}`;
    const down = await startIntake({
      env: { ...s.t.workerEnv, ...FAST_ENV, TEMPORAL_ADDRESS: closed },
      inventory: `pairs: [{ name: p, project_id: ${s.t.projectId}, dr_id: ${s.t.drId}, clusters: [{ id: ${s.t.primaryId} }, { id: ${s.t.standbyId} }] }]`,
      temporalTimeoutMs: 1500,
    });
    const refused = await down.post('/v1/alerts/alertmanager', delivery);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body.message).toContain(
      `Temporal at ${closed} (namespace default) could not record the alertmanager alert for p`
    );
    expect((await down.get('/readyz')).status).toBe(503);

    // Temporal is back (an intake that reaches it): the sender's retry of the same delivery starts the failover.
    expect((await s.intake.get('/readyz')).body).toMatchObject({ status: 'ready' });
    const retried = await s.intake.post('/v1/alerts/alertmanager', delivery);
    expect(retried.status).toBe(202);
    expect(retried.body.workflows[0]).toMatchObject({ action: 'started', joined: false });
    expect((await s.report(retried)).outcome).toBe('failed-over');
    expect(s.t.failoverPosts()).toHaveLength(1);
  });
});

describe('intake while its Temporal is stopped or frozen', () => {
  it('answers 503 with Retry-After within 2 s, and the same delivery runs one failover once Temporal is back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dws-intake-down-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const port = await freePort();
    const boot = () => startDevServer({ port, dbFilename: path.join(dir, 'temporal.sqlite'), readyTimeoutMs: 120_000 });
    let server = await boot();
    onTestFinished(() => server.stop());
    // Everything on this test's own server, the intake with its default deadline; the worker comes once it is back.
    const s = await intakeStack({
      env: { TEMPORAL_ADDRESS: server.address },
      noWorker: true,
      temporalTimeoutMs: DEFAULT_TEMPORAL_TIMEOUT_MS,
    });
    s.t.sim.outage(s.t.primaryId);

    const timed = async () => {
      const started = Date.now();
      const answer = await s.alertmanager();
      return { ...answer, ms: Date.now() - started };
    };
    // Stopped: nothing listens on the port.
    await server.stop();
    const stopped = await timed();
    expect(stopped.status).toBe(503);
    expect(stopped.ms).toBeLessThan(2000);
    expect(stopped.headers.get('retry-after')).toBe('5');
    expect(stopped.body.message).toMatch(/^Temporal at 127\.0\.0\.1:\d+ \(namespace default\) could not record/);

    // Frozen: the port accepts, nothing answers.
    server = await boot();
    process.kill(server.pid, 'SIGSTOP');
    const frozen = await timed().finally(() => process.kill(server.pid, 'SIGCONT'));
    expect(frozen.status).toBe(503);
    expect(frozen.ms).toBeLessThan(2000);
    expect(frozen.body.message).toContain('Retry: if it was recorded after all, the retry joins it');

    // Back: the sender's retry of the same delivery is recorded, and there is exactly one run with one trigger.
    spawnWorker({ ...s.t.workerEnv, ...FAST_ENV });
    const retried = await timed();
    expect(retried.status, JSON.stringify(retried.body)).toBe(202);
    const report = await s.report(retried);
    expect(report.outcome).toBe('failed-over');
    expect(report.evidence).toHaveLength(1);
    expect(s.t.failoverPosts()).toHaveLength(1);
    const runs = await s.t.client.workflow.count(`WorkflowId = '${retried.body.workflows[0].workflow_id}'`);
    expect(runs.count).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/devserver/dev-server';
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

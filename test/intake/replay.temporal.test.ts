import { describe, expect, it } from 'vitest';
import { until } from '../helpers/worker-process';
import { freePort } from '../../src/devstack/dev-server';
import { workflowIds } from '../../src/shared/constants';
import { signedHeaders, startIntake, type Answer, type Intake } from './harness';
import { FAST_ENV, intakeStack, type IntakeStack } from './stack';

const REPLAY = /a replayed request is refused/;

/** Another intake replica in front of the stack's pair: the same secrets and Temporal (unless `env` says otherwise). */
function replica(s: IntakeStack, env: Record<string, string> = {}, temporalTimeoutMs?: number): Promise<Intake> {
  const { projectId, drId, primaryId, standbyId } = s.t;
  return startIntake({
    env: { ...s.t.workerEnv, ...FAST_ENV, ...env },
    inventory: `pairs: [{ name: p, project_id: ${projectId}, dr_id: ${drId}, clusters: [{ id: ${primaryId} }, { id: ${standbyId} }] }]`,
    ...(temporalTimeoutMs ? { temporalTimeoutMs } : {}),
  });
}

/** A signed `POST /v1/failovers` of the stack's failed primary, without an Idempotency-Key (every call counts). */
function signedFailover(s: IntakeStack): { body: string; headers: Record<string, string>; guardId: string } {
  const body = JSON.stringify({
    project_id: s.t.projectId,
    disaster_recovery_id: s.t.drId,
    reason: 'signed replay test',
    failed_cluster_id: s.t.primaryId,
  });
  const headers = signedHeaders(body);
  const signature = headers['x-dws-failover-signature']!.slice('sha256='.length);
  return { body, headers, guardId: workflowIds.signatureGuard(signature) };
}

const statuses = (answers: Answer[]): number[] => answers.map((a) => a.status).sort();

describe('replayed signed requests', () => {
  it('accepts one of fifty concurrent copies of a signed failover request and refuses 49 as replays', async () => {
    const s = await intakeStack();
    s.t.sim.outage(s.t.primaryId);
    const { body, headers, guardId } = signedFailover(s);

    const answers = await Promise.all(Array.from({ length: 50 }, () => s.intake.post('/v1/failovers', body, headers)));

    expect(statuses(answers)).toEqual([202, ...Array(49).fill(401)]);
    for (const refused of answers.filter((a) => a.status === 401)) expect(refused.body.message).toMatch(REPLAY);
    const accepted = answers.find((a) => a.status === 202)!;
    expect((await s.t.client.workflow.getHandle(guardId).describe()).status.name).toBe('RUNNING');
    const report = await s.report(accepted);
    expect(report.outcome).toBe('failed-over');
    expect(report.evidence).toEqual([expect.objectContaining({ source: 'api', deliveries: 1 })]);
    expect(s.t.failoverPosts()).toHaveLength(1);
    // Answered 2xx: refused again later, by this intake's cache and by Temporal for any other replica.
    expect((await s.intake.post('/v1/failovers', body, headers)).body.message).toMatch(REPLAY);
  });

  it('accepts one signed failover request sent to two intake replicas at once', async () => {
    const s = await intakeStack();
    s.t.sim.outage(s.t.primaryId);
    const other = await replica(s);
    const { body, headers } = signedFailover(s);

    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? other : s.intake).post('/v1/failovers', body, headers))
    );

    expect(statuses(answers)).toEqual([202, ...Array(9).fill(401)]);
    for (const refused of answers.filter((a) => a.status === 401)) expect(refused.body.message).toMatch(REPLAY);
    const report = await s.report(answers.find((a) => a.status === 202)!);
    expect(report.evidence).toEqual([expect.objectContaining({ source: 'api', deliveries: 1 })]);
    expect(s.t.failoverPosts()).toHaveLength(1);
  });

  it('accepts the retry of a signed request that was answered 503 while Temporal was down', async () => {
    const s = await intakeStack();
    s.t.sim.outage(s.t.primaryId);
    const down = await replica(s, { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` }, 1500);
    const { body, headers, guardId } = signedFailover(s);

    const refused = await down.post('/v1/failovers', body, headers);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');

    const retried = await s.intake.post('/v1/failovers', body, headers);
    expect(retried.status).toBe(202);
    expect((await s.t.client.workflow.getHandle(guardId).describe()).status.name).toBe('RUNNING');
    expect((await s.report(retried)).outcome).toBe('failed-over');
    expect(s.t.failoverPosts()).toHaveLength(1);
  });

  it('gives a signature back when its request is not answered 2xx, on this intake and on the others', async () => {
    const s = await intakeStack();
    const other = await replica(s);
    const route = `/v1/failovers/${workflowIds.failover(s.t.projectId, s.t.drId)}`;
    const headers = signedHeaders('');
    const guardId = workflowIds.signatureGuard(headers['x-dws-failover-signature']!.slice('sha256='.length));

    expect((await s.intake.get(route, headers)).status).toBe(404);
    // Terminated in the background, right after the answer.
    await until('the guard to be terminated', async () =>
      (await s.t.client.workflow.getHandle(guardId).describe()).status.name === 'TERMINATED' ? true : undefined
    );
    await s.t.start();

    // The same signed request again: now answered 200 by another replica, and a replay for everyone after that.
    expect((await other.get(route, headers)).status).toBe(200);
    const again = await s.intake.get(route, headers);
    expect(again.status).toBe(401);
    expect(again.body.message).toMatch(/on this or another intake replica: a replayed request is refused/);
  });
});

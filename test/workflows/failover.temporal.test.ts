import { describe, expect, it } from 'vitest';
import { recordHistory, scenario } from '../helpers/scenario';

describe('failoverWorkflow', () => {
  it('fails over a pair whose primary is down and reports RTO, data-loss window and every check', async () => {
    const t = await scenario();
    await t.sim.outage(t.primaryId);
    const report = await t.run({ failedClusterId: t.primaryId });

    expect(report.outcome).toBe('failed-over');
    expect(report.newPrimaryClusterId).toBe(t.standbyId);
    expect(report.checks.map((c) => [c.id, c.passed])).toEqual([
      ['dr-exists', true],
      ['failed-cluster-is-primary', true],
      ['dr-status', true],
      ['no-operation-in-flight', true],
      ['standby-healthy', true],
      ['standby-version', true],
      ['data-loss-window', true],
      ['primary-down', true],
      ['cooldown', true],
    ]);
    expect(report.checks.find((c) => c.id === 'dr-status')?.observed).toBe('abnormal');
    expect(report.request).toMatchObject({ sent: 1, accepted: true, disposition: 'accepted' });
    expect(report.rtoSeconds).toBeGreaterThan(0);
    expect(report.dataLossWindowSeconds).not.toBeNull();
    expect(report.timeline.map((e) => e.phase)).toEqual([
      'starting',
      'prechecks',
      'decision',
      'requesting',
      'polling',
      'completed',
    ]);
    expect(t.failoverPosts()).toHaveLength(1);
    const dr = t.sim.state().disasterRecoveries.find((d) => d.id === t.drId);
    expect(dr?.primaryClusterId).toBe(t.standbyId);
  });

  it('retries through 500 and 503 answers and sends exactly one accepted request', async () => {
    const t = await scenario();
    await t.sim.outage(t.primaryId);
    t.sim.addFaults([
      { method: 'POST', path: t.failoverPath, status: 500, count: 2 },
      { method: 'POST', path: t.failoverPath, status: 503, count: 1 },
    ]);
    const report = await t.run();

    expect(report.outcome).toBe('failed-over');
    const posts = t.failoverPosts();
    expect(posts.map((p) => p.status)).toEqual([500, 500, 503, 200]);
    expect(posts.filter((p) => p.accepted)).toHaveLength(1);
    expect(report.request.attempts).toBe(4);
  });

  it('waits as long as a 429 Retry-After asks before sending again', async () => {
    const t = await scenario();
    await t.sim.outage(t.primaryId);
    t.sim.addFaults([{ method: 'POST', path: t.failoverPath, status: 429, retryAfter: 2, count: 1 }]);
    const report = await t.run();

    expect(report.outcome).toBe('failed-over');
    const posts = t.failoverPosts();
    expect(posts.map((p) => p.status)).toEqual([429, 200]);
    const gapMs = Date.parse(posts[1]!.time) - Date.parse(posts[0]!.time);
    expect(gapMs).toBeGreaterThanOrEqual(1900);
  });

  it('sends one failover request when the first answer is lost after acceptance', async () => {
    const t = await scenario();
    await t.sim.outage(t.primaryId);
    t.sim.addFaults([{ method: 'POST', path: t.failoverPath, acceptThen500: true, count: 1 }]);
    const report = await t.run();

    expect(report.outcome).toBe('failed-over');
    const posts = t.failoverPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ status: 500, accepted: true });
    // The re-read finds the accepted request still running, or (on a slow machine) already done: never a resend.
    expect(['already-in-progress', 'already-swapped']).toContain(report.request.disposition);
  });

  it('sends one failover request when the connection drops after the service accepted it', async () => {
    const t = await scenario();
    await t.sim.outage(t.primaryId);
    t.sim.addFaults([{ method: 'POST', path: t.failoverPath, acceptThenDrop: true, count: 1 }]);
    const report = await t.run();

    expect(report.outcome).toBe('failed-over');
    const posts = t.failoverPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ dropped: true, accepted: true });
  });

  it('ends as precheck-failed with a clear message when the DR does not exist, sending nothing', async () => {
    const t = await scenario();
    const report = await t.run({ drId: '00000000-0000-4000-8000-000000000000' });

    expect(report.outcome).toBe('precheck-failed');
    expect(report.checks).toHaveLength(1);
    expect(report.checks[0]).toMatchObject({ id: 'dr-exists', passed: false });
    expect(report.checks[0]!.observed).toMatch(/DWS\.10101/);
    expect(report.summary).toMatch(/not found/);
    expect(t.sim.requests().filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('ends at once with a clear message when the credentials are refused, without retrying', async () => {
    const t = await scenario({ workerCredentials: { ak: 'WRONGACCESSKEY000000', sk: 'wrong-secret' } });
    await t.sim.outage(t.primaryId);
    const report = await t.run();

    expect(report.outcome).toBe('precheck-failed');
    expect(report.summary).toMatch(/401/);
    expect(report.summary).toMatch(/HUAWEICLOUD_SDK_AK/);
    const reads = t.sim.requests().filter((r) => !r.path.startsWith('/_sim'));
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ status: 401, signatureValid: false });
  });

  it('refuses to promote an unhealthy standby', async () => {
    const t = await scenario();
    await t.sim.outage(t.primaryId);
    await t.sim.outage(t.standbyId);
    const report = await t.run();

    expect(report.outcome).toBe('precheck-failed');
    expect(report.checks.find((c) => c.id === 'standby-healthy')).toMatchObject({
      passed: false,
      observed: expect.stringMatching(/UNAVAILABLE/),
    });
    expect(t.failoverPosts()).toHaveLength(0);
  });

  it('ends as already-failed-over and sends nothing when the alert keeps firing after the failover', async () => {
    const t = await scenario();
    await t.sim.outage(t.primaryId);
    const first = await t.run({ failedClusterId: t.primaryId });
    expect(first.outcome).toBe('failed-over');

    // The alert for the dead old primary fires again: it must not fail back onto it.
    const again = await t.run({ failedClusterId: t.primaryId });
    expect(again.outcome).toBe('already-failed-over');
    expect(again.checks.find((c) => c.id === 'failed-cluster-is-primary')?.observed).toMatch(/standby now/);
    expect(again.workflowId).toBe(first.workflowId);
    expect(again.runId).not.toBe(first.runId);
    expect(t.failoverPosts()).toHaveLength(1);
  });

  it('sends a failover to the approval gate while the primary looks healthy, and proceeds past it with force', async () => {
    const t = await scenario();
    const stopped = await t.run({ policy: { approvalTimeoutSeconds: 1 } });
    expect(stopped.outcome).toBe('approval-timed-out');
    expect(stopped.decision?.verdict).toBe('needs-approval');
    expect(stopped.approval?.reasons.join(' ')).toMatch(/primary is down/);
    expect(stopped.checks.find((c) => c.id === 'primary-down')?.passed).toBe(false);
    expect(t.failoverPosts()).toHaveLength(0);

    const forced = await t.run({ force: true });
    expect(forced.outcome).toBe('failed-over');
    expect(forced.decision?.forced).toBe(true);
    expect(forced.approval).toBeNull();
    expect(t.failoverPosts()).toHaveLength(1);
  });

  it('treats an unknown status string as still running and completes on the role swap', async () => {
    const t = await scenario({ simulator: { failoverStatus: 'abnormal_switching' } });
    await t.sim.outage(t.primaryId);
    const report = await t.run();

    expect(report.outcome).toBe('failed-over');
    expect(report.completion?.polls).toBeGreaterThan(1);
  });

  it('ends as timed-out, in the service hands, when completion is not seen in time', async () => {
    const t = await scenario({ simulator: { failoverDurationMs: 60_000 } });
    await t.sim.outage(t.primaryId);
    const report = await t.run({ policy: { completionTimeoutSeconds: 3 } });

    expect(report.outcome).toBe('timed-out');
    expect(report.inServiceHands).toBe(true);
    expect(report.completion?.completed).toBe(false);
    expect(t.failoverPosts()).toHaveLength(1);
  });

  it('joins two concurrent starts for one pair into one workflow with one request', async () => {
    const t = await scenario();
    await t.sim.outage(t.primaryId);
    const [a, b] = await Promise.all([
      t.start({
        trigger: { source: 'alertmanager', ref: 'group-1', receivedAt: new Date().toISOString(), actor: 'am' },
      }),
      t.start({ trigger: { source: 'cli', ref: 'cli:sre', receivedAt: new Date().toISOString(), actor: 'sre' } }),
    ]);

    expect(a.runId).toBe(b.runId);
    expect([a.joined, b.joined].sort()).toEqual([false, true]);
    const report = await t.handle(a).result();
    recordHistory(a.workflowId, a.runId);
    expect(report.outcome).toBe('failed-over');
    expect(report.evidence.map((e: { source: string }) => e.source).sort()).toEqual(['alertmanager', 'cli']);
    expect(t.failoverPosts()).toHaveLength(1);
  });
});

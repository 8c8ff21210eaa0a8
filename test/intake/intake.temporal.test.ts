import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { bearer } from './harness';
import { intakeStack } from './stack';

describe('intake on the real stack', () => {
  it('starts one workflow and sends one failover request for twenty identical concurrent Alertmanager deliveries, which share their Temporal calls', async () => {
    const s = await intakeStack();
    s.t.sim.outage(s.t.primaryId);
    const answers = await Promise.all(Array.from({ length: 20 }, () => s.alertmanager()));

    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    const workflows = answers.map((a) => a.body.workflows[0]);
    expect(new Set(workflows.map((w) => w.workflow_id))).toEqual(
      new Set([`dws-failover:${s.t.projectId}:${s.t.drId}`])
    );
    expect(new Set(workflows.map((w) => w.run_id)).size).toBe(1);
    expect(new Set(workflows.map((w) => w.trigger_id)).size).toBe(1);
    expect(workflows[0]).toMatchObject({ failed_cluster_id: s.t.primaryId, status: 'firing' });

    const report = await s.report(answers[0]!);
    expect(report.outcome).toBe('failed-over');
    expect(s.t.failoverPosts()).toHaveLength(1);
    // One piece of evidence. Copies that arrived while the first was being recorded shared its call, so the workflow
    // counted fewer deliveries than were sent.
    expect(report.evidence).toHaveLength(1);
    expect(report.evidence[0]).toMatchObject({ source: 'alertmanager', status: 'firing' });
    expect(report.evidence[0]?.deliveries).toBeGreaterThanOrEqual(1);
    expect(report.evidence[0]?.deliveries).toBeLessThan(20);
    expect(report.evidence[0]?.ref).toContain(s.groupKey);
    expect(report.trigger.incidentStartedAt).toBe('2025-11-27T02:58:13.123Z');
    expect(report.rtoFrom).toBe('incident');
  });

  it('records both members of an HA Alertmanager pair that sent the same notification as senders of one piece of evidence', async () => {
    const s = await intakeStack();
    s.t.sim.outage(s.t.primaryId);
    const members = ['http://alertmanager-0.example:9093', 'http://alertmanager-1.example:9093'];
    // Each member sends its copy (and retries it) at the same moment: copies from one member share a Temporal call,
    // copies from different members must not, or the second member would vanish from the evidence.
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => s.alertmanager({ externalURL: members[i % 2] }))
    );

    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
    expect(new Set(answers.map((a) => a.body.workflows[0].trigger_id)).size).toBe(1);
    const report = await s.report(answers[0]!);
    expect(report.outcome).toBe('failed-over');
    expect(s.t.failoverPosts()).toHaveLength(1);
    expect(report.evidence).toHaveLength(1);
    const [evidence] = report.evidence;
    expect(evidence?.deliveries).toBeGreaterThanOrEqual(2);
    expect(evidence?.senders).toHaveLength(2);
    for (const member of members) expect(evidence?.senders.join('\n')).toContain(member);
    expect(evidence?.senders[0]).toBe(evidence?.actor);
  });

  it('records the same incident from Alertmanager, PagerDuty and the CLI on one workflow as three pieces of evidence', async () => {
    const s = await intakeStack();
    s.t.sim.outage(s.t.primaryId);
    const cliActor = `${os.userInfo().username}@${os.hostname()}`;
    const [am, pd, cli] = await Promise.all([
      s.alertmanager(),
      s.pagerduty(),
      s.t.start({
        trigger: { source: 'cli', ref: `cli:${cliActor}`, receivedAt: new Date().toISOString(), actor: cliActor },
      }),
    ]);

    expect([am.status, pd.status]).toEqual([202, 202]);
    const runs = new Set([am.body.workflows[0].run_id, pd.body.workflows[0].run_id, cli.runId]);
    expect(runs.size).toBe(1);
    expect([am.body.workflows[0].joined, pd.body.workflows[0].joined, cli.joined].filter((j) => !j)).toHaveLength(1);

    const report = await s.report(am);
    expect(report.outcome).toBe('failed-over');
    expect(report.evidence.map((e) => e.source).sort()).toEqual(['alertmanager', 'cli', 'pagerduty']);
    expect(report.evidence.find((e) => e.source === 'pagerduty')?.ref).toMatch(
      /^X-Webhook-Id wh-\w+, event [\w-]+, incident #4187/
    );
    expect(s.t.failoverPosts()).toHaveLength(1);
  });

  it('ends as already-failed-over and sends nothing when the alert keeps firing after the failover completed', async () => {
    const s = await intakeStack();
    s.t.sim.outage(s.t.primaryId);
    const first = await s.alertmanager();
    expect((await s.report(first)).outcome).toBe('failed-over');

    // repeat_interval: the same notification about the dead old primary comes again.
    const again = await s.alertmanager();
    expect(again.status).toBe(202);
    expect(again.body.workflows[0]).toMatchObject({ action: 'started', joined: false });
    expect(again.body.workflows[0].run_id).not.toBe(first.body.workflows[0].run_id);
    const report = await s.report(again);
    expect(report.outcome).toBe('already-failed-over');
    expect(s.t.failoverPosts()).toHaveLength(1);
  });

  it('starts a failover from POST /v1/failovers, joins a retry with the same Idempotency-Key, and shows its progress', async () => {
    const s = await intakeStack();
    s.t.sim.outage(s.t.primaryId);
    const body = {
      project_id: s.t.projectId,
      disaster_recovery_id: s.t.drId,
      reason: 'runbook step 3',
      failed_cluster_id: s.t.primaryId,
    };
    const headers = { ...bearer, 'idempotency-key': 'change-4711' };
    const [a, b] = await Promise.all([
      s.intake.post('/v1/failovers', body, headers),
      s.intake.post('/v1/failovers', body, headers),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(Object.keys(a.body).sort()).toEqual(['joined', 'run_id', 'workflow_id']);
    expect(b.body.run_id).toBe(a.body.run_id);

    const progress = await s.intake.get(`/v1/failovers/${encodeURIComponent(a.body.workflow_id)}`);
    expect(progress.status).toBe(200);
    expect(progress.body).toMatchObject({
      workflowId: a.body.workflow_id,
      projectId: s.t.projectId,
      reason: 'runbook step 3',
    });

    const report = await s.report(a);
    expect(report.outcome).toBe('failed-over');
    expect(report.evidence).toEqual([
      expect.objectContaining({ source: 'api', deliveries: 2, ref: 'Idempotency-Key change-4711' }),
    ]);
    const ended = await s.intake.get(`/v1/failovers/${a.body.workflow_id}`);
    expect(ended.body).toMatchObject({ outcome: 'failed-over', runId: a.body.run_id });
    expect((await s.intake.get(`/v1/failovers/dws-failover:${s.t.projectId}:no-such-dr`)).status).toBe(404);
  });
});

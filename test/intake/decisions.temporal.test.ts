import { describe, expect, it } from 'vitest';
import type { FailoverReport } from '../../src/shared/types';
import { intakeStack } from './stack';

describe('intake approve / reject / cancel', () => {
  it('approves a failover at the gate (200), refuses a second decision with 409 naming the first', async () => {
    const s = await intakeStack({ policy: '{ cooldown: 1h, approval: always }' });
    s.t.sim.outage(s.t.primaryId);
    const started = await s.alertmanager();
    expect(started.status).toBe(202);
    const { workflow_id: id } = started.body.workflows[0];
    await s.t.untilPhase(
      { workflowId: id, runId: started.body.workflows[0].run_id, joined: false },
      'awaiting-approval'
    );

    const bad = await s.intake.post(`/v1/failovers/${id}/approve`, { actor: 'alice' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/comment/);

    const ok = await s.intake.post(`/v1/failovers/${id}/approve`, { actor: 'alice', comment: 'INC-7 approved' });
    expect(ok.status).toBe(200);
    expect(ok.body.recorded).toMatchObject({ decision: 'approved', actor: 'alice' });

    const again = await s.intake.post(`/v1/failovers/${id}/reject`, { actor: 'bob', comment: 'too late' });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already approved by alice/);

    const report = (await s.handle(started).result()) as FailoverReport;
    expect(report.outcome).toBe('failed-over');
    expect(report.approval?.via).toMatch(/^api/);

    const afterEnd = await s.intake.post(`/v1/failovers/${id}/cancel`, { actor: 'carol', comment: 'stop' });
    expect(afterEnd.status).toBe(409);
  });

  it('cancels a failover waiting at the gate, and answers 404 for an unknown workflow', async () => {
    const s = await intakeStack({ policy: '{ cooldown: 1h, approval: always }' });
    s.t.sim.outage(s.t.primaryId);
    const started = await s.alertmanager();
    const { workflow_id: id, run_id: runId } = started.body.workflows[0];
    await s.t.untilPhase({ workflowId: id, runId, joined: false }, 'awaiting-approval');

    const cancelled = await s.intake.post(`/v1/failovers/${id}/cancel`, { actor: 'dave', comment: 'false alarm' });
    expect(cancelled.status).toBe(200);
    const report = (await s.handle(started).result()) as FailoverReport;
    expect(report.outcome).toBe('cancelled');
    expect(report.cancellation?.actor).toBe('dave');
    expect(s.t.failoverPosts()).toHaveLength(0);

    const unknown = await s.intake.post(`/v1/failovers/dws-failover:${s.t.projectId}:nope/approve`, {
      actor: 'a',
      comment: 'b',
    });
    expect(unknown.status).toBe(404);
  });
});

import { describe, expect, it } from 'vitest';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Answer } from './harness';
import { intakeStack, type IntakeStack } from './stack';

/** Holds the pre-checks: the two cluster reads of the pair answer only after `ms`. */
function slowPrechecks(s: IntakeStack, ms = 6000): void {
  s.t.sim.addFaults({ method: 'GET', path: `/v1.0/${s.t.projectId}/clusters/*`, delayMs: ms, count: 2 });
}

/** Waits until GET /v1/failovers/{id} shows `phase`. */
async function untilPhase(s: IntakeStack, started: Answer, phase: string): Promise<void> {
  const id = started.body.workflows[0].workflow_id as string;
  for (let i = 0; i < 100; i++) {
    const progress = await s.intake.get(`/v1/failovers/${id}`);
    if (progress.status === 200 && progress.body.phase === phase) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${id} never reached ${phase}`);
}

describe('resolved alerts', () => {
  it('cancel a failover still in its pre-checks when the pair policy allows it, so nothing is sent', async () => {
    const s = await intakeStack({ policy: '{ resolved_alert_cancels: true }' });
    s.t.sim.outage(s.t.primaryId);
    slowPrechecks(s);
    const firing = await s.alertmanager();
    expect(firing.body.workflows[0].action).toBe('started');
    await untilPhase(s, firing, 'prechecks');

    const resolved = await s.alertmanager({ status: 'resolved' });
    expect(resolved.status).toBe(202);
    expect(resolved.body.workflows[0]).toMatchObject({
      status: 'resolved',
      action: 'cancelled',
      run_id: firing.body.workflows[0].run_id,
    });

    const report = await s.report(firing);
    expect(report.outcome).toBe('cancelled');
    expect(report.evidence.map((e) => e.status)).toEqual(['firing', 'resolved']);
    expect(s.t.failoverPosts()).toHaveLength(0);
  });

  it('are only recorded when the pair policy does not allow cancelling, and the failover completes', async () => {
    const s = await intakeStack({ policy: '{ resolved_alert_cancels: false }' });
    s.t.sim.outage(s.t.primaryId);
    slowPrechecks(s, 3000);
    const firing = await s.alertmanager();
    await untilPhase(s, firing, 'prechecks');

    const resolved = await s.alertmanager({ status: 'resolved' });
    expect(resolved.body.workflows[0]).toMatchObject({ action: 'recorded', joined: true });

    const report = await s.report(firing);
    expect(report.outcome).toBe('failed-over');
    expect(report.evidence).toEqual([
      expect.objectContaining({ source: 'alertmanager', status: 'firing' }),
      expect.objectContaining({ source: 'alertmanager', status: 'resolved', deliveries: 1 }),
    ]);
    expect(s.t.failoverPosts()).toHaveLength(1);
  });

  it('never start a workflow', async () => {
    const s = await intakeStack({ policy: '{ resolved_alert_cancels: true }' });
    const resolved = await s.pagerduty({ eventType: 'incident.resolved' });
    expect(resolved.status).toBe(202);
    expect(resolved.body.workflows[0]).toMatchObject({ action: 'no-running-failover', run_id: null, joined: false });
    const handle = s.t.client.workflow.getHandle(resolved.body.workflows[0].workflow_id);
    await expect(handle.describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });
});

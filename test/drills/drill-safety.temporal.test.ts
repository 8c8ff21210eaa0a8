import { describe, expect, it } from 'vitest';
import { drillProgressQuery } from '../../src/shared/drills';
import { cancelUpdate } from '../../src/shared/messages';
import type { OperationReport } from '../../src/shared/operation-model';
import { until } from '../helpers/worker-process';
import { signedDecision } from '../helpers/decisions';
import { drillScenario } from './helpers';

describe('a drill that fails half-way', () => {
  it('stops after a refused switch-back, with a failed verdict and the reversed topology stated', async () => {
    const d = await drillScenario();
    const started = await d.drill('switchover-roundtrip', { soakSeconds: 2 });
    await d.untilDrillPhase(started, 'soak');
    d.t.sim.addFaults([
      {
        method: 'POST',
        path: `/v2/${d.pair.projectId}/disaster-recovery/${d.pair.drId}/switchover`,
        status: 400,
        count: 1,
      },
    ]);
    const report = await d.report(started);
    expect(report.verdict).toBe('failed');
    expect(report.legs.map((l) => [l.leg, l.outcome])).toEqual([
      ['switchover', 'switched-over'],
      ['switch-back', 'switchover-refused'],
    ]);
    expect(report.topology).toMatchObject({ state: 'reversed', primaryClusterId: d.t.standbyId, drStatus: 'running' });
    expect(report.reason).toMatch(/switch-back leg ended as switchover-refused.*REVERSED topology: primary/);
    expect(d.primaryNow()).toBe(d.t.standbyId);
  });
});

describe('drills and incidents', () => {
  it('an incident cancels a running drill, waits for its cleanup, and then fails over', async () => {
    const d = await drillScenario();
    const drill = await d.drill('switchover-roundtrip', { soakSeconds: 120 });
    await d.untilDrillPhase(drill, 'soak');
    // The current primary (the original standby, after the first leg) dies during the soak.
    d.t.sim.outage(d.t.standbyId);
    const incident = await d.t.start({ failedClusterId: d.t.standbyId });
    const report = await d.report(drill);
    expect(report.verdict).toBe('failed');
    expect(report.cancelled).toBe(true);
    expect(report.reason).toMatch(/^Cancelled .*REVERSED topology/);
    expect(report.legs.map((l) => l.leg)).toEqual(['switchover']);
    const failover = (await d.t.handle(incident).result()) as OperationReport;
    expect(failover.outcome).toBe('failed-over');
    const waited = failover.timeline.find((e) => e.phase === 'waiting-for-drill');
    expect(waited?.note).toContain(drill.workflowId);
    expect(d.primaryNow()).toBe(d.t.primaryId);
  });

  it('a cancel (as an incident sends) before the leg sent its request cancels the leg: nothing is switched', async () => {
    const d = await drillScenario();
    const drill = await d.drill('switchover-roundtrip', { soakSeconds: 120 });
    // Slow reads keep the switchover leg in its pre-checks.
    d.t.sim.addFaults([
      { method: 'GET', path: `/v2/${d.pair.projectId}/disaster-recovery/${d.pair.drId}`, delayMs: 1500 },
    ]);
    await d.untilDrillPhase(drill, 'switchover');
    await d.t.client.workflow.getHandle(drill.workflowId, drill.runId).cancel();
    const report = await d.report(drill);
    expect(report.verdict).toBe('failed');
    expect(report.legs[0]).toMatchObject({ leg: 'switchover', outcome: 'cancelled' });
    expect(report.legs[0]?.note).toMatch(/before the leg sent its request: leg cancelled/);
    expect(report.topology).toMatchObject({ state: 'original', primaryClusterId: d.t.primaryId });
    expect(d.t.sim.requests().filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('a cancel (as an incident sends) after the leg sent its request lets the leg finish first', async () => {
    const d = await drillScenario({ scenario: { simulator: { switchoverDurationMs: 4000 } } });
    const drill = await d.drill('switchover-roundtrip', { soakSeconds: 120 });
    const handle = d.t.client.workflow.getHandle(drill.workflowId, drill.runId);
    for (;;) {
      const s = await handle.query(drillProgressQuery);
      if (s.phase === 'switchover' && d.t.sim.requests().some((r) => r.method === 'POST')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await handle.cancel();
    const report = await d.report(drill);
    expect(report.verdict).toBe('failed');
    expect(report.legs[0]).toMatchObject({ leg: 'switchover', outcome: 'switched-over' });
    expect(report.legs[0]?.note).toMatch(/let finish/);
    expect(report.topology).toMatchObject({ state: 'reversed', drStatus: 'running' });
  });

  it('a drill does not start while an incident runs for its pair', async () => {
    const d = await drillScenario();
    d.t.sim.outage(d.t.primaryId);
    const incident = await d.t.start({ policy: { approval: 'always' } });
    await d.t.untilPhase(incident, 'awaiting-approval');
    const report = await d.report(await d.drill('switchover-roundtrip', { soakSeconds: 1 }));
    expect(report.verdict).toBe('skipped');
    expect(report.reason).toContain(`The incident workflow ${incident.workflowId} runs for this pair`);
    expect(d.t.sim.requests().filter((r) => r.method === 'POST')).toHaveLength(0);
    await d.t.handle(incident).terminate('test finished');
  });
});

describe('an incident that meets a drill leg with its request in flight', () => {
  it.each([0, 500, 1500, 2800])(
    'waits for the leg to end, then fails over with one accepted request (incident %i ms after the leg sent)',
    async (delayMs) => {
      // The switchover takes 3 s and reads lag 1 s behind each change (the simulator's default).
      const d = await drillScenario({ scenario: { simulator: { switchoverDurationMs: 3000 } } });
      const drill = await d.drill('switchover-roundtrip', { soakSeconds: 120 });
      const switchover = `/v2/${d.pair.projectId}/disaster-recovery/${d.pair.drId}/switchover`;
      const sent = await until("the drill's switchover request", () =>
        d.t.sim.requests().find((r) => r.method === 'POST' && r.path === switchover)
      );
      await new Promise((r) => setTimeout(r, delayMs));
      const incident = await d.t.start({ force: true, reason: 'incident during a drill' });

      const report = (await d.t.handle(incident).result()) as OperationReport;
      expect(report.outcome, report.summary).toBe('failed-over');
      const failovers = d.t.failoverPosts();
      expect(failovers.map((r) => r.status)).toEqual([200]);
      // Its request left only once the switchover had ended: never into an operation in flight.
      const switchoverEnded = Date.parse(sent.time) + 3000;
      expect(Date.parse(failovers[0]?.time ?? '')).toBeGreaterThan(switchoverEnded);
      const waited = report.timeline.filter(
        (e) => e.phase === 'waiting-for-operation' || e.phase === 'waiting-for-drill'
      );
      expect(waited.map((e) => e.note).join(' ')).toContain(drill.workflowId);

      const drillReport = await d.report(drill);
      expect(drillReport).toMatchObject({ verdict: 'failed', cancelled: true });
      expect(drillReport.legs.map((l) => [l.leg, l.outcome])).toEqual([['switchover', 'switched-over']]);
      // Round and back: the switchover reversed the pair, the failover reversed it again.
      expect(d.primaryNow()).toBe(d.t.primaryId);
    }
  );
});

describe('an incident that meets a planned switchover with its request in flight', () => {
  it('waits for the switchover to end (no list query finds it), then fails over with one accepted request', async () => {
    const d = await drillScenario({ scenario: { simulator: { switchoverDurationMs: 3000 } } });
    const planned = await d.t.startPlanned('switchover');
    const switchover = `/v2/${d.pair.projectId}/disaster-recovery/${d.pair.drId}/switchover`;
    const sent = await until('the switchover request', () =>
      d.t.sim.requests().find((r) => r.method === 'POST' && r.path === switchover)
    );
    // Within the read lag: a read now still shows the pair as it was before the switchover.
    const incident = await d.t.start({ force: true, reason: 'incident during a planned switchover' });

    const report = (await d.t.handle(incident).result()) as OperationReport;
    expect(report.outcome, report.summary).toBe('failed-over');
    const failovers = d.t.failoverPosts();
    expect(failovers.map((r) => r.status)).toEqual([200]);
    expect(Date.parse(failovers[0]?.time ?? '')).toBeGreaterThan(Date.parse(sent.time) + 3000);
    const waited = report.timeline.filter((e) => e.phase === 'waiting-for-operation').map((e) => e.note);
    expect(waited.join(' ')).toContain(`${planned.workflowId} held the pair`);
    expect(((await d.t.handle(planned).result()) as OperationReport).outcome).toBe('switched-over');
    expect(d.primaryNow()).toBe(d.t.primaryId);
  });

  it('makes a planned switchover give way, sending nothing, while an incident holds the pair', async () => {
    const d = await drillScenario({ scenario: { simulator: { switchoverDurationMs: 3000 } } });
    // The incident waits at its gate (the primary is healthy, no force): it holds the pair all the while.
    const incident = await d.t.start({ reason: 'incident waiting for approval' });
    await d.t.untilPhase(incident, 'awaiting-approval');
    const planned = await d.t.startPlanned('switchover');
    const report = (await d.t.handle(planned).result()) as OperationReport;
    expect(report.outcome).toBe('precheck-failed');
    expect(report.summary).toContain(`Another operation holds the pair (${incident.workflowId})`);
    expect(d.t.sim.requests().filter((r) => r.method === 'POST')).toHaveLength(0);
    const h = d.t.handle(incident);
    await h.executeUpdate(cancelUpdate, { args: [await signedDecision(h, 'cancel', { comment: 'test over' })] });
  });
});

import { describe, expect, it } from 'vitest';
import { drillScenario } from './helpers';

const posts = (t: { sim: { requests(): { method: string; path: string }[] } }, action: string) =>
  t.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith(`/${action}`));

describe('the precheck drill', () => {
  it('runs every failover and switchover pre-check read-only and states which permissions it could prove', async () => {
    const d = await drillScenario();
    const report = await d.report(await d.drill('precheck'));
    expect(report.verdict).toBe('passed');
    expect(report.precheck?.failoverReady).toBe(true);
    expect(report.precheck?.switchoverReady).toBe(true);
    expect(report.precheck?.failover.checks.map((c) => c.id)).toContain('data-loss-window');
    expect(report.precheck?.switchover.checks.map((c) => c.id)).toContain('both-clusters-healthy');
    const perms = Object.fromEntries(report.precheck?.permissions.map((p) => [p.action, p.status]) ?? []);
    expect(perms).toEqual({
      'dws:cluster:getDisasterRecovery': 'proven',
      'dws:cluster:switchFailoverDisaster': 'unproven',
      'dws:cluster:switchoverDisasterRecovery': 'unproven',
      'dws:cluster:restoreDisaster': 'unproven',
    });
    expect(d.t.sim.requests().filter((r) => r.method !== 'GET')).toHaveLength(0);
    expect(report.topology).toMatchObject({ state: 'original', primaryClusterId: d.t.primaryId });
  });

  it('fails, naming the check, when the standby is down', async () => {
    const d = await drillScenario();
    d.t.sim.outage(d.t.standbyId);
    const report = await d.report(await d.drill('precheck'));
    expect(report.verdict).toBe('failed');
    expect(report.reason).toMatch(/standby cluster is healthy/i);
  });
});

describe('the switchover round trip drill', () => {
  it('switches over, verifies, soaks, switches back and times both legs', async () => {
    const d = await drillScenario();
    const report = await d.report(await d.drill('switchover-roundtrip', { soakSeconds: 1 }));
    expect(report.verdict, report.reason).toBe('passed');
    expect(report.legs.map((l) => [l.leg, l.outcome, l.verified])).toEqual([
      ['switchover', 'switched-over', true],
      ['switch-back', 'switched-over', true],
    ]);
    for (const leg of report.legs) {
      expect(leg.rtoSeconds).toBeGreaterThan(0);
      expect(leg.durationSeconds).toBeGreaterThan(0);
      expect(leg.workflowId).toBe(`dws-switchover:${d.pair.projectId}:${d.pair.drId}`);
    }
    expect(report.legs[0]?.primaryAfter).toBe(d.t.standbyId);
    expect(report.timeline.map((e) => e.step)).toContain('soak');
    expect(report.topology).toMatchObject({ state: 'original', primaryClusterId: d.t.primaryId });
    expect(d.primaryNow()).toBe(d.t.primaryId);
    expect(posts(d.t, 'switchover')).toHaveLength(2);
  });
});

describe('the failover drill', () => {
  it('on a drill pair fails over, recovers with the drill as approver, switches back, and ends in the original topology', async () => {
    const d = await drillScenario({ drill: true });
    const started = await d.drill('failover');
    const report = await d.report(started);
    expect(report.verdict, report.reason).toBe('passed');
    expect(report.legs.map((l) => [l.leg, l.outcome, l.verified])).toEqual([
      ['failover', 'failed-over', true],
      ['recovery', 'recovered', true],
      ['switch-back', 'switched-over', true],
    ]);
    expect(report.legs.map((l) => l.workflowId)).toEqual([
      `dws-failover:${d.pair.projectId}:${d.pair.drId}`,
      `dws-recovery:${d.pair.projectId}:${d.pair.drId}`,
      `dws-switchover:${d.pair.projectId}:${d.pair.drId}`,
    ]);
    const recovery = (await d.t.client.workflow.getHandle(report.legs[1]?.workflowId ?? '').result()) as {
      approval: { actor: string; via: string };
    };
    expect(recovery.approval).toMatchObject({ actor: `drill ${started.workflowId}`, via: 'drill' });
    expect(report.topology).toMatchObject({ state: 'original', primaryClusterId: d.t.primaryId, drStatus: 'running' });
    expect(posts(d.t, 'failover')).toHaveLength(1);
    expect(posts(d.t, 'recovery')).toHaveLength(1);
  });

  it('is refused on a pair the inventory does not mark as a drill pair, touching nothing', async () => {
    const d = await drillScenario({ drill: false });
    const report = await d.report(await d.drill('failover'));
    expect(report.verdict).toBe('failed');
    expect(report.reason).toMatch(/Refused: a failover drill runs only on drill pairs.*not marked drill: true/);
    expect(report.legs).toHaveLength(0);
    expect(d.t.sim.requests().filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});

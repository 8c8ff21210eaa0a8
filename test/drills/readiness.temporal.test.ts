import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { upsertDrillSchedule } from '../../src/drills/drill-schedule';
import type { PairReadiness, ReadinessInput, ReadinessReport } from '../../src/shared/drill-readiness';
import { cli } from '../helpers/cli';
import { startReceiver } from '../notify/receiver';
import { drillScenario, type DrillScenario } from './helpers';

/** Runs readinessWorkflow once on the scenario's queue and waits until visibility lists it as completed. */
async function readiness(d: DrillScenario, input: ReadinessInput = {}): Promise<ReadinessReport> {
  const workflowId = `dws-readiness-test-${randomUUID()}`;
  const report = (await d.t.client.workflow.execute('readinessWorkflow', {
    workflowId,
    taskQueue: d.t.config.temporal.taskQueue,
    args: [input],
  })) as ReadinessReport;
  await untilListed(d.t.client, workflowId);
  return report;
}

async function untilListed(client: Client, workflowId: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    for await (const wf of client.workflow.list({
      query: `WorkflowId = '${workflowId}' AND ExecutionStatus = 'Completed'`,
    })) {
      if (wf.workflowId === workflowId) return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${workflowId} not listed as completed`);
}

async function until(what: string, fn: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !fn(); i++) await new Promise((r) => setTimeout(r, 100));
  if (!fn()) throw new Error(`timed out waiting for ${what}`);
}

const only = (r: ReadinessReport): PairReadiness => {
  expect(r.pairs).toHaveLength(1);
  return r.pairs[0] as PairReadiness;
};

describe('readinessWorkflow', () => {
  it('notices a pair going not ready, and ready again, and tells its notification targets once each', async () => {
    const r = await startReceiver();
    const d = await drillScenario({ notify: `      - { type: webhook, url: "${r.url}/hook" }\n` });
    const kinds = () => r.received.map((m) => m.body.kind);

    const first = await readiness(d);
    expect(only(first)).toMatchObject({
      ready: true,
      drillOverdue: true,
      lastDrill: null,
      maxDrillAgeSeconds: 691_200,
    });
    expect(first.notices.map((n) => [n.kind, n.delivered])).toEqual([['drill-overdue', 1]]);

    d.t.sim.outage(d.t.standbyId);
    const second = await readiness(d);
    expect(only(second).ready).toBe(false);
    expect(only(second).reasons.join(' ')).toMatch(/standby cluster is healthy/i);
    expect(second.previousRun).toContain(first.workflowId);
    expect(second.notices.map((n) => n.kind)).toEqual(['pair-not-ready']);

    expect((await readiness(d)).notices).toEqual([]);

    d.t.sim.restore(d.t.standbyId);
    const fourth = await readiness(d);
    expect(only(fourth).ready).toBe(true);
    expect(fourth.notices.map((n) => n.kind)).toEqual(['pair-ready-again']);
    await until('three notices', () => kinds().length >= 3);
    expect(kinds()).toEqual(['drill-overdue', 'pair-not-ready', 'pair-ready-again']);
    expect(r.received[1]?.body).toMatchObject({ operation: 'readiness', pair: d.pair.name, drId: d.pair.drId });
    expect(String(r.received[1]?.body.text)).toMatch(/Pair not ready to fail over/);
  });

  it('notices a scheduled drill that did not run when due', async () => {
    const d = await drillScenario();
    // Every 2 s, but the first drill soaks for a minute: with overlap SKIP the next runs do not happen.
    const { scheduleId } = await upsertDrillSchedule(d.t.client, d.t.config, {
      pair: d.pair,
      mode: 'switchover-roundtrip',
      soakSeconds: 60,
      cron: '@every 2s',
      actor: 'vitest',
    });
    onTestFinished(async () => {
      const h = d.t.client.schedule.getHandle(scheduleId);
      const running = (await h.describe()).info.runningActions;
      await h.delete();
      for (const a of running) await d.t.client.workflow.getHandle(a.workflow.workflowId).terminate('test finished');
    });
    await until('a running drill', () => d.t.sim.requests().some((q) => q.method === 'POST'));
    await new Promise((r) => setTimeout(r, 5000));
    const report = await readiness(d, { missedGraceSeconds: 1 });
    const schedule = only(report).schedules.find((s) => s.scheduleId === scheduleId);
    expect(schedule).toMatchObject({
      mode: 'switchover-roundtrip',
      cron: '@every 2s',
      intervalSeconds: 2,
      missed: true,
    });
    expect(report.notices.map((n) => n.kind)).toContain('drill-missed');
    expect(report.notices.find((n) => n.kind === 'drill-missed')?.summary).toMatch(/did not run when due/);
  });
});

describe('dws-failover readiness', () => {
  it('prints the live table: ready or not and why, data-loss window, last drill and its verdict', async () => {
    const d = await drillScenario();
    await d.report(await d.drill('precheck'));
    let rows: PairReadiness[] = [];
    for (let i = 0; i < 50 && rows[0]?.lastDrill?.verdict !== 'passed'; i++) {
      const run = await cli(['readiness', '--json'], d.t.workerEnv);
      expect(run.code).toBe(0);
      rows = JSON.parse(run.stdout) as PairReadiness[];
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(rows[0]).toMatchObject({
      pair: d.pair.name,
      ready: true,
      drillOverdue: false,
      lastDrill: { mode: 'precheck', verdict: 'passed' },
    });
    expect(rows[0]?.dataLossWindowSeconds).toBeGreaterThanOrEqual(0);

    d.t.sim.outage(d.t.standbyId);
    const text = await cli(['readiness'], d.t.workerEnv);
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/^PAIR +READY +DATA LOSS +LAST DRILL +VERDICT +SCHEDULES$/m);
    expect(text.stdout).toMatch(new RegExp(`^${d.pair.name} +NOT READY .* precheck +passed +none$`, 'm'));
    expect(text.stdout).toMatch(
      new RegExp(`^  ${d.pair.name}: The standby cluster is healthy: \\S+: UNAVAILABLE`, 'm')
    );
  });
});

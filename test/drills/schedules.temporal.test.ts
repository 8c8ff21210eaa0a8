import type { Client, ScheduleDescription, ScheduleExecutionResult } from '@temporalio/client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { upsertDrillSchedule } from '../../src/drills/drill-schedule';
import { scheduleRow, type ScheduleRow } from '../../src/drills/schedule-admin';
import { READINESS_WORKFLOW_ID } from '../../src/shared/constants';
import type { ReadinessReport } from '../../src/shared/drill-readiness';
import type { DrillReport } from '../../src/shared/drills';
import { cli } from '../helpers/cli';
import { drillScenario } from './helpers';

/** The worker's timing short, as a scheduled run takes the serving worker's timing. */
const FAST_WORKER_ENV = {
  DWS_FAILOVER_POLL_INTERVAL: '0.3s',
  DWS_FAILOVER_READ_AFTER_WRITE_WINDOW: '1.5s',
  DWS_FAILOVER_COMPLETION_TIMEOUT: '60s',
};

const escapeRe = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function cleanup(client: Client, scheduleId: string): void {
  onTestFinished(async () => {
    await client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
  });
}

/** gRPC's DEADLINE_EXCEEDED, somewhere in `err`'s causes. */
const deadlineExceeded = (err: unknown): boolean =>
  err instanceof Error && ((err as { code?: number }).code === 4 || deadlineExceeded(err.cause));

/**
 * Waits until the schedule has taken `n` actions; returns its description. A describe the server answers with
 * DEADLINE_EXCEEDED (it asks the schedule's own workflow, slow on a loaded machine) is asked again.
 */
async function untilActions(client: Client, scheduleId: string, n: number): Promise<ScheduleDescription> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const d = await client.schedule
      .getHandle(scheduleId)
      .describe()
      .catch((err: unknown) => {
        if (deadlineExceeded(err) && Date.now() < deadline) return null;
        throw err;
      });
    if (d && d.info.recentActions.length >= n) return d;
    if (Date.now() > deadline) throw new Error(`${scheduleId} took no action`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function lastRunResult<T>(client: Client, d: ScheduleDescription): Promise<{ workflowId: string; result: T }> {
  const run = d.info.recentActions.at(-1)?.action.workflow;
  if (!run) throw new Error('no run');
  return {
    workflowId: run.workflowId,
    result: (await client.workflow.getHandle(run.workflowId, run.firstExecutionRunId).result()) as T,
  };
}

describe('drill schedules', () => {
  it('fire when triggered: the run is a drill of the pair, id dws-drill:<project>:<dr>-<mode>-<time>', async () => {
    const d = await drillScenario();
    const { scheduleId, created } = await upsertDrillSchedule(d.t.client, d.t.config, {
      pair: d.pair,
      mode: 'precheck',
      cron: '0 10 * * TUE',
      timezone: 'Europe/Berlin',
      actor: 'vitest',
    });
    cleanup(d.t.client, scheduleId);
    expect(created).toBe(true);
    expect(scheduleId).toBe(`dws-drill:${d.pair.projectId}:${d.pair.drId}:precheck`);
    await d.t.client.schedule.getHandle(scheduleId).trigger();
    const { workflowId, result } = await lastRunResult<DrillReport>(
      d.t.client,
      await untilActions(d.t.client, scheduleId, 1)
    );
    expect(workflowId.startsWith(`dws-drill:${d.pair.projectId}:${d.pair.drId}-precheck-`)).toBe(true);
    expect(result).toMatchObject({
      verdict: 'passed',
      mode: 'precheck',
      scheduleId,
      requestedBy: { source: 'schedule' },
    });
  });

  it('skip a run inside a blackout window and record the reason, which schedule list shows', async () => {
    const d = await drillScenario();
    const { scheduleId } = await upsertDrillSchedule(d.t.client, d.t.config, {
      pair: d.pair,
      mode: 'switchover-roundtrip',
      cron: '@weekly',
      timezone: 'Asia/Shanghai',
      blackouts: ['2020-01-01/2020-01-02', 'monthly:1-31'],
      actor: 'vitest',
    });
    cleanup(d.t.client, scheduleId);
    await d.t.client.schedule.getHandle(scheduleId).trigger();
    const described = await untilActions(d.t.client, scheduleId, 1);
    const { result } = await lastRunResult<DrillReport>(d.t.client, described);
    expect(result.verdict).toBe('skipped');
    expect(result.reason).toBe('Inside the blackout window monthly:1-31 (Asia/Shanghai); nothing was touched.');
    expect(d.t.sim.requests().filter((r) => r.method === 'POST')).toHaveLength(0);
    const row = await scheduleRow(d.t.client, described);
    expect(row).toMatchObject({ kind: 'drill', when: '@weekly', timezone: 'Asia/Shanghai', pair: d.pair.name });
    expect(row.lastRun).toMatchObject({ verdict: 'skipped', reason: result.reason });
  });

  it('created twice is updated in place, never duplicated, and a paused one stays paused', async () => {
    const d = await drillScenario();
    const base = { pair: d.pair, mode: 'precheck' as const, actor: 'vitest' };
    const first = await upsertDrillSchedule(d.t.client, d.t.config, { ...base, cron: '0 10 * * TUE' });
    cleanup(d.t.client, first.scheduleId);
    await d.t.client.schedule.getHandle(first.scheduleId).pause('change freeze');
    const second = await upsertDrillSchedule(d.t.client, d.t.config, {
      ...base,
      cron: '0 11 * * WED',
      blackouts: ['month-end'],
    });
    expect(second).toEqual({ scheduleId: first.scheduleId, created: false });
    const row = await scheduleRow(d.t.client, await d.t.client.schedule.getHandle(first.scheduleId).describe());
    expect(row).toMatchObject({ when: '0 11 * * WED', blackouts: ['month-end'], paused: true, note: 'change freeze' });
  });

  it('are managed end to end from the CLI: create, update, list, pause, unpause, trigger, delete', async () => {
    const d = await drillScenario();
    const env = d.t.workerEnv;
    const id = `dws-drill:${d.pair.projectId}:${d.pair.drId}:precheck`;
    cleanup(d.t.client, id);
    const create = ['schedule', 'create', '--pair', d.pair.name, '--mode', 'precheck', '--cron', '0 10 * * TUE'];
    const made = await cli(create, env);
    expect(made.stderr).toBe('');
    expect(made.stdout).toMatch(new RegExp(`^Created the schedule ${id}`));
    expect((await cli([...create, '--timezone', 'Europe/Berlin'], env)).stdout).toMatch(/^Updated the schedule/);
    expect((await cli(['schedule', 'pause', id, '--note', 'year-end freeze'], env)).code).toBe(0);
    expect((await d.t.client.schedule.getHandle(id).describe()).state).toMatchObject({
      paused: true,
      note: 'year-end freeze',
    });
    expect((await cli(['schedule', 'unpause', id], env)).code).toBe(0);
    expect((await cli(['schedule', 'trigger', id], env)).stdout).toMatch(/^Triggered/);
    await untilActions(d.t.client, id, 1);
    let listed = '';
    for (let i = 0; i < 50 && !listed.includes(id); i++) {
      listed = (await cli(['schedule', 'list'], env)).stdout;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(listed).toMatch(
      new RegExp(`${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +${d.pair.name} +0 10 \\* \\* TUE Europe/Berlin +active`)
    );
    expect((await cli(['schedule', 'delete', id], env)).code).toBe(0);
    const gone = await cli(['schedule', 'trigger', id], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/No schedule '.*'\. List them with: dws-failover schedule list/);
  });

  it('of one pair due in the same second both run, each with its own workflow id', async () => {
    // The worker's timing short, so the round trip (if it runs beside nothing) takes seconds.
    const d = await drillScenario({ scenario: { env: FAST_WORKER_ENV } });
    // Both every 10 s from the epoch: created early in one 10 s window, both are first due at its end, same second.
    const into = Date.now() % 10_000;
    if (into > 5_000) await new Promise((r) => setTimeout(r, 10_000 - into + 100));
    const made = await Promise.all([
      upsertDrillSchedule(d.t.client, d.t.config, {
        pair: d.pair,
        mode: 'precheck',
        cron: '@every 10s',
        actor: 'vitest',
      }),
      upsertDrillSchedule(d.t.client, d.t.config, {
        pair: d.pair,
        mode: 'switchover-roundtrip',
        soakSeconds: 0,
        cron: '@every 10s',
        actor: 'vitest',
      }),
    ]);
    for (const { scheduleId } of made) cleanup(d.t.client, scheduleId);
    const described = await Promise.all(made.map(({ scheduleId }) => untilActions(d.t.client, scheduleId, 1)));
    await Promise.all(made.map(({ scheduleId }) => d.t.client.schedule.getHandle(scheduleId).pause('test done')));

    const [precheck, roundtrip] = described.map((x) => x.info.recentActions[0] as ScheduleExecutionResult);
    expect(precheck?.scheduledAt).toEqual(roundtrip?.scheduledAt);
    const prefix = `dws-drill:${d.pair.projectId}:${d.pair.drId}`;
    expect(precheck?.action.workflow.workflowId).toMatch(new RegExp(`^${escapeRe(prefix)}-precheck-`));
    expect(roundtrip?.action.workflow.workflowId).toMatch(new RegExp(`^${escapeRe(prefix)}-switchover-roundtrip-`));
    const reports = await Promise.all(
      described.map(async (x) => {
        const run = x.info.recentActions[0]?.action.workflow;
        if (!run) throw new Error('no run');
        onTestFinished(() =>
          d.t.client.workflow
            .getHandle(run.workflowId)
            .terminate()
            .then(
              () => undefined,
              () => undefined
            )
        );
        return (await d.t.client.workflow.getHandle(run.workflowId, run.firstExecutionRunId).result()) as DrillReport;
      })
    );
    expect(reports[0]).toMatchObject({ mode: 'precheck', verdict: 'passed' });
    // The round trip runs, or is skipped because the precheck drill ran beside it, and says so.
    if (reports[1]?.verdict !== 'passed')
      expect(reports[1]).toMatchObject({
        verdict: 'skipped',
        reason: expect.stringMatching(new RegExp(`^Another drill runs on this pair: ${escapeRe(prefix)}-precheck-`)),
      });
    // schedule list shows each schedule's own last run, not "never".
    for (const { scheduleId } of made) {
      const fresh = await d.t.client.schedule.getHandle(scheduleId).describe();
      const row = await scheduleRow(d.t.client, fresh);
      expect(row.lastRun?.workflowId).toBe(fresh.info.recentActions.at(-1)?.action.workflow.workflowId);
      expect(row.lastRun?.status).not.toBe('UNKNOWN');
    }
  });

  it('trigger from the CLI skips a run while the previous one still runs, as its message says', async () => {
    const d = await drillScenario({ scenario: { env: FAST_WORKER_ENV } });
    const { scheduleId } = await upsertDrillSchedule(d.t.client, d.t.config, {
      pair: d.pair,
      mode: 'switchover-roundtrip',
      soakSeconds: 600,
      cron: '@yearly',
      actor: 'vitest',
    });
    cleanup(d.t.client, scheduleId);
    const first = await cli(['schedule', 'trigger', scheduleId], d.t.workerEnv);
    expect(first.stdout).toMatch(
      new RegExp(
        `^Triggered ${escapeRe(scheduleId)}: started ${escapeRe(`dws-drill:${d.pair.projectId}:${d.pair.drId}`)}-`
      )
    );
    const running = (await untilActions(d.t.client, scheduleId, 1)).info.recentActions[0]?.action.workflow;
    if (!running) throw new Error('no run');
    onTestFinished(() =>
      d.t.client.workflow
        .getHandle(running.workflowId)
        .terminate()
        .then(
          () => undefined,
          () => undefined
        )
    );

    const second = await cli(['schedule', 'trigger', scheduleId], d.t.workerEnv);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(
      `Skipped ${scheduleId} (overlap SKIP): its run ${running.workflowId} is still going on. Trigger it again once that ended.\n`
    );
    const after = await d.t.client.schedule.getHandle(scheduleId).describe();
    expect(after.info.recentActions).toHaveLength(1);
    expect(after.info.runningActions.map((a) => a.workflow.workflowId)).toEqual([running.workflowId]);
    expect(after.info.numActionsSkippedOverlap).toBe(1);
  });

  it('readiness schedule creates dws-readiness, whose runs check every inventory pair', async () => {
    const d = await drillScenario();
    cleanup(d.t.client, READINESS_WORKFLOW_ID);
    const made = await cli(['readiness', 'schedule', '--every', '15m'], d.t.workerEnv);
    expect(made.stdout).toMatch(/(Created|Updated) the schedule dws-readiness: readiness of every pair every 15m/);
    await d.t.client.schedule.getHandle(READINESS_WORKFLOW_ID).trigger();
    const { workflowId, result } = await lastRunResult<ReadinessReport>(
      d.t.client,
      await untilActions(d.t.client, READINESS_WORKFLOW_ID, 1)
    );
    expect(workflowId.startsWith(`${READINESS_WORKFLOW_ID}-`)).toBe(true);
    expect(result.pairs).toEqual([expect.objectContaining({ pair: d.pair.name, ready: true })]);
    // schedule list prints the interval as a duration, in text and JSON.
    let listed = '';
    for (let i = 0; i < 50 && !listed.includes(READINESS_WORKFLOW_ID); i++) {
      listed = (await cli(['schedule', 'list'], d.t.workerEnv)).stdout;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(listed).toMatch(/^dws-readiness +every pair +every 15m UTC /m);
    const rows = JSON.parse((await cli(['schedule', 'list', '--json'], d.t.workerEnv)).stdout) as ScheduleRow[];
    expect(rows.find((r) => r.scheduleId === READINESS_WORKFLOW_ID)?.when).toBe('every 15m');
  });
});

import { describe, expect, inject, it } from 'vitest';
import type { RunMemo } from '../../src/shared/run-memo';
import type { OperationReport } from '../../src/shared/operation-model';
import type { RunRow } from '../../src/operations/runs';
import { TOOL_VERSION } from '../../src/version';
import { cli } from '../helpers/cli';
import { scenario, type Scenario } from '../helpers/scenario';
import { until } from '../helpers/worker-process';

const UI = 'http://127.0.0.1:8233';

/** A pair failed over by an alert naming its primary, then three more runs of that alert, each already-failed-over. */
async function failedOverThenFiredThrice(): Promise<{ t: Scenario; first: OperationReport; later: OperationReport[] }> {
  const t = await scenario({ pair: { name: 'sales-dw' } });
  await t.sim.outage(t.primaryId);
  const first = await t.run({ failedClusterId: t.primaryId });
  expect(first.outcome).toBe('failed-over');
  const later: OperationReport[] = [];
  for (let i = 0; i < 3; i++) later.push(await t.run({ failedClusterId: t.primaryId }));
  expect(later.map((r) => r.outcome)).toEqual(['already-failed-over', 'already-failed-over', 'already-failed-over']);
  return { t, first, later };
}

/** `runs --json` once visibility shows `count` finished runs (it is updated just after a run closes). */
async function listed(env: Record<string, string>, count: number, ...args: string[]): Promise<RunRow[]> {
  return until(`${count} runs listed`, async () => {
    const run = await cli(['runs', ...args, '--json'], env);
    if (run.code !== 0) throw new Error(run.stderr);
    const rows = JSON.parse(run.stdout) as RunRow[];
    return rows.length === count && rows.every((r) => r.outcome !== null) ? rows : undefined;
  });
}

describe('dws-failover runs', () => {
  it('lists a failover and the three later already-failed-over runs of its pair, and report --run opens the failover with its POST and answer', async () => {
    const { t, first, later } = await failedOverThenFiredThrice();
    const env = { ...t.workerEnv, TEMPORAL_UI_URL: UI };
    const pair = `${t.projectId}/${t.drId}`;

    const rows = await listed(env, 4, '--pair', pair);
    expect(rows.map((r) => r.outcome)).toEqual([
      'already-failed-over',
      'already-failed-over',
      'already-failed-over',
      'failed-over',
    ]);
    expect(rows.map((r) => r.runId)).toEqual([...later.map((r) => r.runId).reverse(), first.runId]);
    const failover = rows[3]!;
    expect(failover).toMatchObject({ kind: 'failover', drName: 'sales-dw', decidedBy: 'api vitest' });
    expect(failover.workflowId).toBe(first.workflowId);
    expect(failover.rtoSeconds).toBe(first.rtoSeconds);

    const text = await cli(['runs', '--pair', pair], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^STARTED +PAIR +KIND +OUTCOME +RTO +DECIDED BY +WORKFLOW +RUN/);
    expect(text.stdout).toMatch(new RegExp(`sales-dw \\(${t.drId}\\) +failover +failed-over .*${first.runId}`));

    const report = await cli(['report', '--run', first.runId], env);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain(`(run ${first.runId})`);
    expect(report.stdout).toMatch(/outcome {4}failed-over/);
    expect(report.stdout).toContain(`primary    sales-dw-prod (${t.primaryId}) → sales-dw-dr (${t.standbyId})`);
    expect(report.stdout).toMatch(/requests {3}POST …\/failover: 1 sent/);
    const accepted = first.request.log?.find((r) => r.answer === 'accepted');
    expect(accepted?.requestId).toBeTruthy();
    expect(report.stdout).toMatch(
      new RegExp(
        `#${accepted?.attempt} sent .* → accepted \\(HTTP ${accepted?.status}, request id ${accepted?.requestId}\\)`
      )
    );
    expect(report.stdout).toMatch(new RegExp(`generated  \\d{4}-\\d\\d-\\d\\d .* by dws-failover ${TOOL_VERSION}`));
    const link = `${UI}/namespaces/default/workflows/${encodeURIComponent(first.workflowId)}/${first.runId}/history`;
    expect(report.stdout).toContain(`web ui     ${link}`);

    const html = await cli(['report', '--run', first.runId, '--format', 'html'], env);
    expect(html.stdout).toContain(`<a id="web-ui-link" href="${link}">`);
    expect(html.stdout).toContain(`dws-failover ${TOOL_VERSION}`);
    expect(html.stdout).toContain(`sales-dw-prod (${t.primaryId})`);
    expect(html.stdout).toContain('Every POST …/failover attempt and its answer');

    const json = JSON.parse((await cli(['report', '--run', first.runId, '--json'], env)).stdout) as OperationReport & {
      reportMeta: { generatedAt: string; generatedBy: string; runUrl: string };
    };
    expect(json.runId).toBe(first.runId);
    expect(json.reportMeta).toMatchObject({ generatedBy: `dws-failover ${TOOL_VERSION}`, runUrl: link });
    expect(Date.parse(json.reportMeta.generatedAt)).toBeGreaterThan(Date.parse(first.endedAt));
    expect(t.failoverPosts()).toHaveLength(1);
  });

  it('report --pair opens the failover past the later runs and says how to open the latest; status --pair points to it', async () => {
    const { t, first, later } = await failedOverThenFiredThrice();
    const env = t.workerEnv;
    const pair = `${t.projectId}/${t.drId}`;
    await listed(env, 4, '--pair', pair);
    const latest = later[2]!;

    const report = await cli(['report', '--pair', pair], env);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain(`(run ${first.runId})`);
    expect(report.stdout).toMatch(/outcome {4}failed-over/);
    expect(report.stderr).toContain('3 newer run(s) of');
    expect(report.stderr).toContain(`dws-failover report --run ${latest.runId}`);

    const status = await cli(['status', '--pair', pair], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`(run ${latest.runId})`);
    expect(status.stderr).toContain(`dws-failover report --run ${first.runId}`);

    const byRun = await cli(['status', '--run', first.runId], env);
    expect(byRun.code).toBe(0);
    expect(byRun.stdout).toContain(`(run ${first.runId})`);
    expect(byRun.stdout).toMatch(/outcome {4}failed-over/);

    const watched = await cli(['watch', '--run', first.runId, '--json'], env);
    expect(watched.code).toBe(0);
    const event = JSON.parse(watched.stdout.trim()) as { event: string; report: OperationReport };
    expect(event.event).toBe('report');
    expect(event.report.runId).toBe(first.runId);
    expect(event.report.outcome).toBe('failed-over');

    // A workflow id given to --run opens its latest run.
    const byWorkflow = await cli(['report', '--run', first.workflowId, '--json'], env);
    expect((JSON.parse(byWorkflow.stdout) as OperationReport).runId).toBe(latest.runId);

    const unknown = await cli(['report', '--run', '00000000-0000-4000-8000-000000000000'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/--run '00000000-0000-4000-8000-000000000000': no run has that id/);
  });

  it('filters by kind, outcome and time in the visibility query', async () => {
    const { t, first } = await failedOverThenFiredThrice();
    const env = t.workerEnv;
    const pair = ['--pair', `${t.projectId}/${t.drId}`];
    await listed(env, 4, ...pair);

    expect((await listed(env, 1, ...pair, '--outcome', 'failed-over'))[0]?.runId).toBe(first.runId);
    expect(await listed(env, 3, ...pair, '--outcome', 'already-failed-over')).toHaveLength(3);
    expect(await listed(env, 4, ...pair, '--kind', 'failover,switchover')).toHaveLength(4);
    expect(await listed(env, 4, ...pair, '--kind', 'recovery', '--kind', 'failover')).toHaveLength(4);
    const none = await cli(['runs', ...pair, '--kind', 'switchover'], env);
    expect(none.stdout.trim()).toBe('No run matches.');
    const sinceFirstEnded = await listed(env, 3, ...pair, '--since', first.endedAt);
    expect(sinceFirstEnded.map((r) => r.runId)).not.toContain(first.runId);
    expect(await listed(env, 4, ...pair, '--since', '1h')).toHaveLength(4);
    expect(await listed(env, 2, ...pair, '--limit', '2')).toHaveLength(2);
  });

  it('lists a refused switchover as switchover-refused and finds it by that outcome, not by failover-refused', async () => {
    const t = await scenario();
    t.sim.addFaults([
      { method: 'POST', path: `/v2/${t.projectId}/disaster-recovery/${t.drId}/switchover`, status: 400 },
    ]);
    const refused = (await t.handle(await t.startPlanned('switchover')).result()) as OperationReport;
    expect(refused.outcome).toBe('switchover-refused');
    const pair = ['--pair', `${t.projectId}/${t.drId}`];
    const rows = await listed(t.workerEnv, 1, ...pair, '--outcome', 'switchover-refused');
    expect(rows[0]).toMatchObject({ kind: 'switchover', outcome: 'switchover-refused', runId: refused.runId });
    const none = await cli(['runs', ...pair, '--outcome', 'failover-refused'], t.workerEnv);
    expect(none.stdout.trim()).toBe('No run matches.');
  });

  it('gives each run a memo and a static summary the Web UI shows without opening it', async () => {
    const { t, first } = await failedOverThenFiredThrice();
    const described = await t.client.workflow.getHandle(first.workflowId, first.runId).describe();
    expect(described.memo as Partial<RunMemo>).toMatchObject({
      kind: 'failover',
      pair: `${t.projectId}/${t.drId}`,
      trigger: 'api vitest',
      outcome: 'failed-over',
      decidedBy: 'api vitest',
      drName: 'sales-dw',
      rtoSeconds: first.rtoSeconds,
    });
    expect(await described.staticSummary()).toBe(`failover of ${t.projectId}/${t.drId} · api vitest`);
    expect(await described.staticDetails()).toContain('Reason: test');
  });
});

describe('dws-failover runs refuses bad filters', () => {
  const env = { TEMPORAL_ADDRESS: inject('temporalAddress') };
  it.each([
    [['--kind', 'failovr'], /^runs: --kind 'failovr' is not a kind; use failover, switchover, recovery, drill/],
    [['--outcome', 'done'], /^runs: --outcome 'done' is not an outcome; use failed-over, .*already-failed-over/],
    [['--since', 'yesterday'], /^runs: --since 'yesterday' is neither a duration .* nor an ISO time/],
    [['--limit', '0'], /^runs: --limit must be a whole number from 1 to 1000/],
    [['--pair', 'sales-dw'], /^runs: --pair 'sales-dw' is a name, but no inventory is configured/],
  ])('%j exits 2 naming the flag and what it accepts', async (args, message) => {
    const run = await cli(['runs', ...args], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

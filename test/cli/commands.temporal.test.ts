import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter, type Client } from '@temporalio/client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadApproverKeys } from '../../src/identity/keys';
import { OPEN_ACCESS, verifyProof } from '../../src/shared/identity';
import type { FailoverInput, OperationReport } from '../../src/shared/operation-model';
import { cli, failoverArgs } from '../helpers/cli';
import { signingEnv, TEST_APPROVER } from '../helpers/decisions';
import { scenario, type Scenario } from '../helpers/scenario';

/**
 * The scenario's worker environment, with a timing of its own that must not reach the runs (it is the worker's), and
 * the test approver's signing key.
 */
function cliEnv(t: Scenario, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...t.workerEnv,
    DWS_FAILOVER_POLL_INTERVAL: '0.3',
    DWS_FAILOVER_READ_AFTER_WRITE_WINDOW: '1',
    DWS_FAILOVER_COMPLETION_TIMEOUT: '60',
    ...signingEnv(),
    ...extra,
  };
}

/** The input a run was started with, as its history records it. */
async function startInput(client: Client, workflowId: string): Promise<FailoverInput> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error(`${workflowId} has no start input in its history`);
  return defaultPayloadConverter.fromPayload<FailoverInput>(payload);
}

const workflowIdOf = (t: Scenario): string => `dws-failover:${t.projectId}:${t.drId}`;

describe('dws-failover failover', () => {
  it('fails over a pair whose primary is down and prints the JSON report with --wait --json', async () => {
    const t = await scenario();
    await t.sim.outage(t.primaryId);

    const run = await cli(failoverArgs(t, '--failed-cluster', t.primaryId, '--wait', '--json'), cliEnv(t));

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as OperationReport;
    expect(report.outcome).toBe('failed-over');
    expect(report.workflowId).toBe(workflowIdOf(t));
    expect(report.oldPrimaryClusterId).toBe(t.primaryId);
    expect(report.newPrimaryClusterId).toBe(t.standbyId);
    expect(report.reason).toBe('primary warehouse unreachable');
    expect(report.trigger.source).toBe('cli');
    // The timing is the serving worker's, not the CLI's environment (README § Configuration).
    expect(report.policy.pollIntervalSeconds).toBe(t.config.policy.pollIntervalSeconds);
    expect(report.policy.pollIntervalSeconds).not.toBe(0.3);
    expect(t.failoverPosts()).toHaveLength(1);
    expect(t.sim.state().disasterRecoveries.find((d) => d.id === t.drId)?.primaryClusterId).toBe(t.standbyId);
  });

  it('exits 3 with precheck-failed and sends nothing when the standby is down', async () => {
    const t = await scenario();
    t.sim.outage(t.primaryId);
    t.sim.outage(t.standbyId);

    const run = await cli(failoverArgs(t, '--wait'), cliEnv(t));

    expect(run.code).toBe(3);
    expect(run.stdout).toContain(`Started ${workflowIdOf(t)}; following its progress`);
    expect(run.stdout).toMatch(/outcome {4}precheck-failed \[PRECHECK_FAILED\]/);
    expect(run.stdout).toMatch(/\[FAIL\] The standby cluster is healthy/);
    expect(t.failoverPosts()).toHaveLength(0);
  });

  it('exits 4 with approval-timed-out when the primary looks healthy and nobody approves', async () => {
    const t = await scenario();
    const run = await cli(failoverArgs(t, '--wait'), { ...cliEnv(t), DWS_FAILOVER_APPROVAL_TIMEOUT: '1s' });
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/outcome {4}approval-timed-out/);
    expect(run.stdout).toMatch(/\[SOFT\] The primary is down/);
    expect(t.failoverPosts()).toHaveLength(0);
  });

  it('prints the workflow id without --wait, and a second failover for the pair joins the running one', async () => {
    // A long failover keeps the first run busy while the second command arrives.
    const t = await scenario({ simulator: { failoverDurationMs: 120_000 } });
    await t.sim.outage(t.primaryId);
    const env = cliEnv(t);
    try {
      const first = await cli(failoverArgs(t), env);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(
        new RegExp(`^Started the failover ${escape(workflowIdOf(t))} \\(run [0-9a-f-]+\\)\\.`)
      );
      expect(first.stdout).toContain(`Follow it: dws-failover watch --pair ${t.projectId}/${t.drId}`);

      const second = await cli(failoverArgs(t, '--json'), env);
      expect(second.code).toBe(0);
      const joined = JSON.parse(second.stdout) as { workflowId: string; runId: string; joined: boolean };
      expect(joined.workflowId).toBe(workflowIdOf(t));
      expect(joined.joined).toBe(true);
      expect(first.stdout).toContain(`(run ${joined.runId})`);

      const third = await cli(failoverArgs(t), env);
      expect(third.code).toBe(0);
      expect(third.stdout).toMatch(/^Joined the running failover /);

      // The one request is out and the run waits for completion: status shows it running, exit 0.
      await until('the run to poll for completion', async () => {
        const polling = await cli(['status', workflowIdOf(t), '--json'], env);
        return polling.code === 0 && (JSON.parse(polling.stdout) as OperationReport).phase === 'polling';
      });
      const status = await cli(['status', workflowIdOf(t)], env);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/phase {6}polling \(running\)/);
      expect(status.stdout).toMatch(/requests {3}POST …\/failover: 1 sent/);
      expect(t.failoverPosts()).toHaveLength(1);
    } finally {
      await t.client.workflow
        .getHandle(workflowIdOf(t))
        .terminate('test over')
        .catch(() => undefined);
    }
  });
});

describe('dws-failover failover: the signed start', () => {
  it("signs the start with the operator's key: the run's input carries a proof of its workflow id and reason that the worker's keys verify", async () => {
    const t = await scenario();
    await t.sim.outage(t.primaryId);

    const run = await cli(failoverArgs(t), cliEnv(t));

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Signed by ${TEST_APPROVER} (key from DWS_FAILOVER_SIGNING_KEY_FILE=`);
    const input = await startInput(t.client, workflowIdOf(t));
    expect(input.trigger).toMatchObject({ source: 'cli', actor: TEST_APPROVER });
    expect(input.proof?.statement).toMatchObject({ action: 'start', runId: null, actor: TEST_APPROVER });
    const trusted = loadApproverKeys(t.workerEnv.DWS_FAILOVER_APPROVER_KEYS ?? '');
    const expected = {
      action: 'start' as const,
      workflowId: workflowIdOf(t),
      runId: null,
      actor: input.trigger.actor,
      comment: input.reason,
      now: Date.now(),
    };
    const rules = { keys: trusted.keys, access: OPEN_ACCESS, keysSource: 'the test' };
    expect(verifyProof(input.proof, expected, rules)).toMatchObject({ actor: TEST_APPROVER, method: 'key' });
    // Bound to this pair and reason: the same proof does not start another.
    expect(() => verifyProof(input.proof, { ...expected, workflowId: 'dws-failover:other:pair' }, rules)).toThrow(
      /workflowId/
    );
    await t.client.workflow.getHandle(workflowIdOf(t)).result();
  });

  it('starts unsigned without a key, and says so in one line on stderr', async () => {
    const t = await scenario();
    await t.sim.outage(t.primaryId);
    const noKeyHome = mkdtempSync(path.join(tmpdir(), 'dws-no-key-'));
    onTestFinished(() => rmSync(noKeyHome, { recursive: true, force: true }));
    const env = { ...cliEnv(t), DWS_FAILOVER_SIGNING_KEY_FILE: '', XDG_CONFIG_HOME: noKeyHome };

    const run = await cli(failoverArgs(t, '--json'), env);

    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'Not signed: no signing key (dws-failover keys generate --name <you>); a pair whose inventory sets access.start refuses an unsigned start (outcome not-authorised).\n'
    );
    expect(JSON.parse(run.stdout)).toMatchObject({ workflowId: workflowIdOf(t), joined: false, signedBy: null });
    const input = await startInput(t.client, workflowIdOf(t));
    expect(input.proof).toBeUndefined();
    expect(input.trigger.actor).toMatch(/@/);
    await t.client.workflow.getHandle(workflowIdOf(t)).result();
  });
});

describe('dws-failover status and report', () => {
  it('show the outcome and the timeline of a finished failover as text and JSON', async () => {
    const t = await scenario();
    await t.sim.outage(t.primaryId);
    const env = cliEnv(t);
    const failover = await cli(failoverArgs(t, '--wait'), env);
    expect(failover.code).toBe(0);
    expect(failover.stdout).toMatch(/outcome {4}failed-over \[FAILED_OVER\]/);
    const id = workflowIdOf(t);

    const status = await cli(['status', id], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Failover of DR`);
    expect(status.stdout).toMatch(/outcome {4}failed-over \[FAILED_OVER\]/);

    const statusJson = await cli(['status', id, '--json'], env);
    expect(statusJson.code).toBe(0);
    expect((JSON.parse(statusJson.stdout) as OperationReport).outcome).toBe('failed-over');

    const text = await cli(['report', id, '--format', 'text'], env);
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/outcome {4}failed-over \[FAILED_OVER\]/);
    expect(text.stdout).toMatch(new RegExp(`primary {4}\\S+-prod \\(${t.primaryId}\\) → \\S+-dr \\(${t.standbyId}\\)`));
    const timeline = text.stdout.split('\n  timeline\n')[1] ?? '';
    for (const phase of ['starting', 'prechecks', 'decision', 'requesting', 'polling', 'completed']) {
      expect(timeline).toMatch(new RegExp(`^ {4}\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ  ${phase}\\b`, 'm'));
    }

    const json = await cli(['report', id, '--format', 'json'], env);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as OperationReport;
    expect(report.outcome).toBe('failed-over');
    expect(report.timeline.map((e) => e.phase)).toEqual([
      'starting',
      'prechecks',
      'decision',
      'requesting',
      'polling',
      'completed',
    ]);
    expect(report.newPrimaryClusterId).toBe(t.standbyId);
  });

  it('exits with the outcome code when the run ended in precheck-failed', async () => {
    const t = await scenario();
    t.sim.outage(t.standbyId);
    const env = cliEnv(t);
    expect((await cli(failoverArgs(t, '--wait', '--json'), env)).code).toBe(3);

    const status = await cli(['status', workflowIdOf(t)], env);
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/outcome {4}precheck-failed/);
    const report = await cli(['report', workflowIdOf(t)], env);
    expect(report.code).toBe(3);
  });

  it('status exits 1 with a clear message for an unknown workflow id', async () => {
    const t = await scenario({ noWorker: true });
    const id = `dws-failover:${t.projectId}:no-such-dr`;

    const run = await cli(['status', id], cliEnv(t));

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`No workflow '${id}'`);
    expect(run.stderr).toContain('dws-failover:<project id>:<DR id>');
  });

  it('report exits 1 with a clear message for an unknown workflow id', async () => {
    const t = await scenario({ noWorker: true });
    const run = await cli(['report', 'dws-failover:nope:nope', '--format', 'json'], cliEnv(t));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("No workflow 'dws-failover:nope:nope'");
  });
});

describe('dws-failover precheck', () => {
  const precheckArgs = (t: Scenario, ...more: string[]): string[] => [
    'precheck',
    '--project',
    t.projectId,
    '--dr',
    t.drId,
    ...more,
  ];

  it('says READY and exits 0 for a healthy pair with a fresh sync', async () => {
    const t = await scenario({ noWorker: true });

    const run = await cli(precheckArgs(t), cliEnv(t));

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^Pre-checks of DR \\S+ \\(${t.drId}\\) in project ${t.projectId}: READY$`, 'm')
    );
    expect(run.stdout).toMatch(/\[PASS\] The standby cluster is healthy/);
    expect(run.stdout).toMatch(/\[PASS\] The data-loss window is known and within budget/);
    // The primary is up: informational here, it only decides about approval in a real failover.
    expect(run.stdout).toMatch(/\[SOFT\] The primary is down/);
    expect(run.stdout).toMatch(/^Data-loss window: /m);
    // Read-only: nothing but GETs reached the service.
    expect(t.sim.requests().filter((r) => !r.path.startsWith('/_sim') && r.method !== 'GET')).toHaveLength(0);
  });

  it('says NOT READY and exits 3 when the standby is down', async () => {
    const t = await scenario({ noWorker: true });
    await t.sim.outage(t.standbyId);

    const run = await cli(precheckArgs(t), cliEnv(t));

    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/: NOT READY$/m);
    expect(run.stdout).toMatch(/\[FAIL\] The standby cluster is healthy: .*UNAVAILABLE/);
  });

  it('says NOT READY when the data-loss window exceeds the configured budget', async () => {
    const t = await scenario({ noWorker: true });

    const run = await cli(precheckArgs(t), cliEnv(t, { DWS_FAILOVER_DATA_LOSS_BUDGET: '5s' }));

    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/: NOT READY$/m);
    expect(run.stdout).toMatch(/\[SOFT\] The data-loss window is known and within budget: .* \(expected ≤ 5s\)/);
  });

  it('prints machine-readable checks with --json', async () => {
    const t = await scenario({ noWorker: true });
    await t.sim.outage(t.primaryId);

    const run = await cli(precheckArgs(t, '--failed-cluster', t.primaryId, '--json'), cliEnv(t));

    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      ready: boolean;
      alreadyFailedOver: boolean;
      checks: { id: string; passed: boolean }[];
    };
    expect(result.ready).toBe(true);
    expect(result.alreadyFailedOver).toBe(false);
    expect(result.checks.find((c) => c.id === 'failed-cluster-is-primary')?.passed).toBe(true);
    expect(result.checks.find((c) => c.id === 'primary-down')?.passed).toBe(true);
  });

  it('reports ready false in --json and exits 3 when the standby is down', async () => {
    const t = await scenario({ noWorker: true });
    await t.sim.outage(t.standbyId);

    const run = await cli(precheckArgs(t, '--json'), cliEnv(t));

    expect(run.code).toBe(3);
    const result = JSON.parse(run.stdout) as { ready: boolean; checks: { id: string; passed: boolean }[] };
    expect(result.ready).toBe(false);
    expect(result.checks.find((c) => c.id === 'standby-healthy')?.passed).toBe(false);
  });

  it('says NOT READY when the DR pair does not exist', async () => {
    const t = await scenario({ noWorker: true });

    const run = await cli(
      ['precheck', '--project', t.projectId, '--dr', '00000000-0000-4000-8000-000000000000'],
      cliEnv(t)
    );

    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/: NOT READY$/m);
    expect(run.stdout).toMatch(/\[FAIL\] The DR pair exists: not found/);
  });
});

/** Waits until `condition` holds; a condition that throws counts as not yet. */
async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

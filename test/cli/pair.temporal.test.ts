import { describe, expect, it, onTestFinished } from 'vitest';
import type { OperationReport } from '../../src/shared/operation-model';
import type { StartFailoverResult } from '../../src/operations/start-failover';
import { cli } from '../helpers/cli';
import { SECOND_APPROVER, signingEnv, TEST_APPROVER } from '../helpers/decisions';
import { inventoryFile } from '../helpers/inventory';
import { scenario, type Scenario } from '../helpers/scenario';

/**
 * The scenario's worker environment, an inventory naming its pair, a policy short enough for seconds, and the key of
 * `signer`.
 */
function cliEnv(t: Scenario, signer = TEST_APPROVER): Record<string, string> {
  const ids = { projectId: t.projectId, drId: t.drId, primaryId: t.primaryId, standbyId: t.standbyId };
  return {
    ...t.workerEnv,
    DWS_FAILOVER_INVENTORY: inventoryFile(ids, '      []'),
    DWS_FAILOVER_POLL_INTERVAL: '0.3',
    DWS_FAILOVER_READ_AFTER_WRITE_WINDOW: '1',
    DWS_FAILOVER_COMPLETION_TIMEOUT: '60',
    ...signingEnv(signer),
  };
}

const PAIR = 'notify-test-pair';

describe('--pair end to end', () => {
  it('failover --wait says at the gate why it waits and the exact approve/reject commands, which then work', async () => {
    const t = await scenario();
    const env = cliEnv(t);
    const id = `dws-failover:${t.projectId}:${t.drId}`;
    onTestFinished(async () => {
      await t.client.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => undefined);
    });

    // The primary is healthy: the failover needs a person's approval. One person starts it, another approves.
    const failing = cli(
      ['failover', '--pair', PAIR, '--reason', 'INC-7 primary slow', '--wait'],
      cliEnv(t, SECOND_APPROVER)
    );
    await t.untilPhase({ workflowId: id } as StartFailoverResult, 'awaiting-approval');
    // --wait reads the progress every second: give it time to see the gate and print the commands.
    await new Promise((r) => setTimeout(r, 2500));

    const status = await cli(['status', '--pair', PAIR], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`workflow   ${id}`);
    expect(status.stdout).toMatch(/phase {6}awaiting-approval \(running\)/);

    const approved = await cli(['approve', '--pair', PAIR, '--comment', 'INC-7 accepted'], env);
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    const run = await failing;

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`The failover of ${t.projectId}/${t.drId} waits for approval, because:`);
    expect(run.stdout).toMatch(/^ {2}- .*primary.*: observed /im);
    expect(run.stdout).toMatch(/^ {2}data-loss window: (\d|unknown).*\(budget /m);
    const pairArg = `--pair ${t.projectId}/${t.drId}`;
    expect(run.stdout).toMatch(
      new RegExp(`^Approve \\(it then sends its request\\):\\n {2}dws-failover approve ${pairArg} --comment "`, 'm')
    );
    expect(run.stdout).toMatch(
      new RegExp(`^Reject \\(nothing is sent\\):\\n {2}dws-failover reject ${pairArg} --comment "`, 'm')
    );
    expect(run.stdout).toMatch(/outcome {4}failed-over/);
    const report = (await t.client.workflow.getHandle(id).result()) as OperationReport;
    expect(report.approval).toMatchObject({ decision: 'approved', actor: TEST_APPROVER, via: 'cli' });
    expect(report.trigger).toMatchObject({ source: 'cli', actor: SECOND_APPROVER });
    expect(t.failoverPosts()).toHaveLength(1);

    const byPair = await cli(['report', '--pair', PAIR, '--json'], env);
    expect(byPair.code).toBe(0);
    expect(JSON.parse(byPair.stdout)).toMatchObject({ workflowId: id, outcome: 'failed-over' });
  });

  it('approve --pair refuses, naming the pair, when nothing of the pair is running', async () => {
    const t = await scenario();
    const run = await cli(['approve', '--pair', PAIR, '--comment', 'x'], cliEnv(t));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${PAIR} (${t.projectId}/${t.drId}) has no failover, switchover or recovery running`);
  });
});

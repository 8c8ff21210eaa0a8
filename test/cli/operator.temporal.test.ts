import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCli } from '../../src/cli/main';
import type { OperationReport } from '../../src/shared/operation-model';
import type { StartFailoverResult } from '../../src/operations/start-failover';
import { progressQuery } from '../../src/shared/messages';
import { cli } from '../helpers/cli';
import { SECOND_APPROVER, signingEnv, TEST_APPROVER } from '../helpers/decisions';
import { scenario, type Scenario } from '../helpers/scenario';

/**
 * The scenario's worker environment with a policy short enough for a run to take seconds, signing with the key of
 * `signer` (the worker trusts both test people).
 */
const cliEnv = (t: Scenario, signer = TEST_APPROVER): Record<string, string> => ({
  ...t.workerEnv,
  DWS_FAILOVER_POLL_INTERVAL: '0.3',
  DWS_FAILOVER_READ_AFTER_WRITE_WINDOW: '1',
  DWS_FAILOVER_COMPLETION_TIMEOUT: '60',
  ...signingEnv(signer),
});

const approve = (t: Scenario, id: string, signer = TEST_APPROVER, ...more: string[]) =>
  cli(['approve', id, '--comment', 'INC-42: data loss accepted', ...more], cliEnv(t, signer));

/** A failover of a pair whose primary is down, waiting at the gate (the policy asks for approval). */
async function atTheGate(t: Scenario): Promise<StartFailoverResult> {
  await t.sim.outage(t.primaryId);
  const started = await t.start({ policy: { approval: 'always' } });
  await t.untilPhase(started, 'awaiting-approval');
  return started;
}

/** A folder with nothing in it, removed at the end of the test: an XDG_CONFIG_HOME that holds no key. */
function emptyDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dws-no-key-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Terminates the run at the end of the test, for runs a test leaves behind on purpose. */
function terminateAtEnd(t: Scenario, workflowId: string): void {
  onTestFinished(async () => {
    await t.client.workflow
      .getHandle(workflowId)
      .terminate('test over')
      .catch(() => undefined);
  });
}

describe('dws-failover approve and reject', () => {
  it('approve shows the gate, signs as the key owner, lets the failover proceed, and the report names the approver', async () => {
    const t = await scenario();
    const started = await atTheGate(t);

    const run = await approve(t, started.workflowId);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // What is approved, before the confirmation: why the gate asks, and the approvals so far.
    expect(run.stdout).toMatch(
      new RegExp(`^The failover ${escape(started.workflowId)} waits for approval, because:\n {2}- the pair policy`)
    );
    expect(run.stdout).toMatch(/^ {2}approvers {3}0 of 1 given$/m);
    expect(run.stdout).toContain(`Approved ${started.workflowId} as ${TEST_APPROVER}: INC-42: data loss accepted`);
    const report = (await t.handle(started).result()) as OperationReport;
    expect(report.outcome).toBe('failed-over');
    expect(report.approval).toMatchObject({ decision: 'approved', actor: TEST_APPROVER, via: 'cli' });
    expect(t.failoverPosts()).toHaveLength(1);
    const status = await cli(['status', started.workflowId], cliEnv(t));
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`approval {3}approved by ${TEST_APPROVER} at `));
    // Who approved, how they were verified, and the digest they approved.
    expect(status.stdout).toMatch(
      new RegExp(
        `${TEST_APPROVER} \\(own key\\) approved sha256:[0-9a-f]{16} at .* from cli: INC-42: data loss accepted`
      )
    );
  });

  it('approve --digest refuses with exit 4, sending nothing, when the gate does not show that digest', async () => {
    const t = await scenario();
    const started = await atTheGate(t);
    terminateAtEnd(t, started.workflowId);
    const stale = 'sha256:0000000000000000';

    const run = await approve(t, started.workflowId, TEST_APPROVER, '--digest', stale);

    expect(run.code).toBe(4);
    const gate = (await t.handle(started).query(progressQuery)).approval;
    expect(run.stderr).toContain(
      gate?.digest
        ? `approve refused for ${started.workflowId}: the facts changed since you looked: the gate now shows ${gate.digest}, not ${stale}`
        : `approve refused for ${started.workflowId}: the gate shows no evidence digest`
    );
    expect(gate?.decision).toBeNull();
    expect(t.failoverPosts()).toHaveLength(0);
    const malformed = await approve(t, started.workflowId, TEST_APPROVER, '--digest', 'abc');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("approve: --digest 'abc' is not an evidence digest");
  });

  it('reject ends the run as rejected with nothing sent; status then exits 4 and a late approve is refused', async () => {
    const t = await scenario();
    const started = await atTheGate(t);

    const run = await cli(['reject', started.workflowId, '--comment', 'too risky'], cliEnv(t, SECOND_APPROVER));

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Rejected ${started.workflowId} as ${SECOND_APPROVER}: too risky`);
    expect(((await t.handle(started).result()) as OperationReport).outcome).toBe('rejected');
    expect(t.failoverPosts()).toHaveLength(0);
    const status = await cli(['status', started.workflowId], cliEnv(t));
    expect(status.code).toBe(4);
    expect(status.stdout).toMatch(/outcome {4}rejected \[REJECTED\]/);
    expect(status.stdout).toMatch(new RegExp(`approval {3}rejected by ${SECOND_APPROVER}`));

    const late = await approve(t, started.workflowId, TEST_APPROVER, '--json');
    expect(late.code).toBe(4);
    expect(late.stderr).toMatch(
      new RegExp(`approve refused for .*: the failover already ended as rejected; rejected by ${SECOND_APPROVER} at`)
    );
    expect(JSON.parse(late.stdout)).toMatchObject({ workflowId: started.workflowId, refused: expect.any(String) });
  });

  it('refuses a second approval with exit 4 and a message naming the first approver', async () => {
    // A long failover keeps the run going after the first approval.
    const t = await scenario({ simulator: { failoverDurationMs: 120_000 } });
    const started = await atTheGate(t);
    terminateAtEnd(t, started.workflowId);
    expect((await approve(t, started.workflowId)).code).toBe(0);

    const second = await approve(t, started.workflowId, SECOND_APPROVER);

    expect(second.code).toBe(4);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(
      new RegExp(`^approve refused for \\S+: already approved by ${TEST_APPROVER} at \\S+`)
    );
    expect(t.failoverPosts().length).toBeLessThanOrEqual(1);
  });

  it('exits 1 with a clear message for an unknown workflow id, and 2 without a key or for another --actor', async () => {
    const t = await scenario({ noWorker: true });
    const id = `dws-failover:${t.projectId}:no-such-dr`;
    const run = await approve(t, id);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`No workflow '${id}'`);
    const noKey = { ...t.workerEnv, XDG_CONFIG_HOME: emptyDir() };
    const unsigned = await cli(['reject', id, '--comment', 'x'], noKey);
    expect(unsigned.code).toBe(2);
    expect(unsigned.stderr).toContain('reject: no signing key: decisions are signed');
    expect(unsigned.stderr).toContain('dws-failover keys generate --name <you>');
    const other = await cli(['reject', id, '--actor', 'mallory', '--comment', 'x'], cliEnv(t));
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      `reject: --actor 'mallory' is not the owner of the signing key (DWS_FAILOVER_SIGNING_KEY_FILE='${signingEnv().DWS_FAILOVER_SIGNING_KEY_FILE}' is ${TEST_APPROVER}'s)`
    );
  });
});

describe('dws-failover cancel', () => {
  it("cancels before the request: outcome cancelled, nothing sent, the actor defaults to the key's owner", async () => {
    const t = await scenario();
    const started = await atTheGate(t);

    const run = await cli(['cancel', started.workflowId, '--comment', 'primary is back'], cliEnv(t));

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^Cancelled \\S+ as ${TEST_APPROVER} before its request was sent; nothing was sent\\.`)
    );
    const report = (await t.handle(started).result()) as OperationReport;
    expect(report.outcome).toBe('cancelled');
    expect(report.cancellation).toMatchObject({ comment: 'primary is back', afterRequest: false });
    expect(report.cancellation?.actor).toBe(TEST_APPROVER);
    expect(t.failoverPosts()).toHaveLength(0);
    const again = await cli(['cancel', started.workflowId, '--comment', 'again'], cliEnv(t));
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('already ended as cancelled');
    expect((await cli(['status', started.workflowId], cliEnv(t))).code).toBe(5);
  });
});

describe('dws-failover switchover and recover', () => {
  it('switchover --wait switches the roles of a healthy pair and exits 0', async () => {
    const t = await scenario();
    const run = await cli(
      ['switchover', '--project', t.projectId, '--dr', t.drId, '--reason', 'planned maintenance', '--wait'],
      cliEnv(t)
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Started dws-switchover:${t.projectId}:${t.drId}; following its progress`);
    expect(run.stdout).toContain(`Signed by ${TEST_APPROVER} (key from DWS_FAILOVER_SIGNING_KEY_FILE=`);
    expect(run.stdout).toMatch(/^Switchover of DR /m);
    expect(run.stdout).toMatch(/outcome {4}switched-over \[SWITCHED_OVER\]/);
    expect(t.sim.state().disasterRecoveries.find((d) => d.id === t.drId)?.primaryClusterId).toBe(t.standbyId);
  });

  it('recover --wait stops at the gate with the approve command, and ends recovered once approved', async () => {
    const t = await scenario();
    await t.sim.outage(t.primaryId);
    expect((await t.run({ failedClusterId: t.primaryId })).outcome).toBe('failed-over');
    await t.sim.restore(t.primaryId);
    const id = `dws-recovery:${t.projectId}:${t.drId}`;
    terminateAtEnd(t, id);

    const recovering = cli(
      ['recover', '--project', t.projectId, '--dr', t.drId, '--reason', 'old primary is back', '--wait'],
      cliEnv(t)
    );
    await t.untilPhase({ workflowId: id } as StartFailoverResult, 'awaiting-approval');
    // --wait reads the progress every second: give it time to see the gate and print the command.
    await new Promise((r) => setTimeout(r, 2500));
    expect((await approve(t, id)).code).toBe(0);
    const run = await recovering;

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`The recovery of ${t.projectId}/${t.drId} waits for approval, because:`);
    expect(run.stdout).toContain('  - a recovery always needs approval');
    expect(run.stdout).toMatch(
      new RegExp(`^ {2}dws-failover approve --pair ${t.projectId}/${t.drId} --comment "`, 'm')
    );
    expect(run.stdout).toMatch(/outcome {4}recovered \[RECOVERED\]/);
    expect(run.stdout).toMatch(new RegExp(`approval {3}approved by ${TEST_APPROVER}`));
    expect(t.sim.state().disasterRecoveries.find((d) => d.id === t.drId)?.status).toBe('running');
  });
});

describe('dws-failover watch', () => {
  it('prints the report of a finished run and exits with its outcome code', async () => {
    const t = await scenario();
    // The standby is down: the failover stops at its pre-checks (exit 3).
    await t.sim.outage(t.standbyId);
    const report = await t.run();
    expect(report.outcome).toBe('precheck-failed');

    const run = await cli(['watch', report.workflowId], cliEnv(t));

    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^Failover of DR /m);
    expect(run.stdout).toMatch(/outcome {4}precheck-failed \[PRECHECK_FAILED\]/);
    const json = await cli(['watch', report.workflowId, '--json'], cliEnv(t));
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ event: 'report', report: { outcome: 'precheck-failed' } });
  });

  it('prints plain phase lines when not a terminal, the gate with its commands, and ends with the report', async () => {
    const t = await scenario({ simulator: { failoverDurationMs: 4000 } });
    const started = await atTheGate(t);
    const watching = cli(['watch', started.workflowId, '--interval', '0.2'], cliEnv(t));
    await new Promise((r) => setTimeout(r, 1000));
    expect((await approve(t, started.workflowId)).code).toBe(0);
    const run = await watching;

    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\x1b[');
    expect(run.stdout).toMatch(
      /^\[ *[\dhms.]+\] phase awaiting-approval · checks \d+ passed, 0 failed · .*approval WAITING until /m
    );
    expect(run.stdout).toContain(`approve: dws-failover approve --pair ${t.projectId}/${t.drId} --comment "`);
    expect(run.stdout).toMatch(/who may decide: .*signed with their own key/);
    expect(run.stdout).toMatch(new RegExp(`^\\[.*\\] phase polling · .*approval approved by ${TEST_APPROVER}`, 'm'));
    // The completion poll's heartbeat: polls and the DR status the service reports while it works.
    expect(run.stdout).toMatch(/^\[.*\] phase polling · .*polls \d+ poll\(s\), 0 error\(s\), last status \S+/m);
    expect(run.stdout).toMatch(/\n\nFailover of DR [\s\S]*outcome {4}failed-over \[FAILED_OVER\]/);
  });

  it('redraws in place on a terminal, and Ctrl-C stops watching while the run goes on', async () => {
    const t = await scenario();
    const started = await atTheGate(t);
    terminateAtEnd(t, started.workflowId);
    const out: string[] = [];
    const tty = Object.assign(new Writable({ write: (c: Buffer, _e, cb) => (out.push(c.toString()), cb()) }), {
      isTTY: true,
    });
    const controller = new AbortController();
    const watching = runCli(['watch', started.workflowId, '--interval', '0.2'], {
      stdout: tty,
      stderr: tty,
      env: cliEnv(t),
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 1500));
    controller.abort();

    expect(await watching).toBe(130);
    const screen = out.join('');
    expect(screen.startsWith('\x1b[2J\x1b[H')).toBe(true);
    expect(screen.split('\x1b[H').length).toBeGreaterThan(2);
    expect(screen).toContain('  phase      awaiting-approval · elapsed ');
    expect(screen).toContain('  approval   WAITING since ');
    expect(screen).toMatch(/ {4}time left: \d+m\d+s before the gate denies by default/);
    expect(screen).toContain(`Stopped watching ${started.workflowId}; the run goes on.`);
    expect((await t.handle(started).describe()).status.name).toBe('RUNNING');
  });
});

describe('dws-failover report --format html', () => {
  it('writes a self-contained page with the outcome and the approver to --out', async () => {
    const t = await scenario();
    const started = await atTheGate(t);
    expect((await approve(t, started.workflowId)).code).toBe(0);
    await t.handle(started).result();
    const dir = mkdtempSync(path.join(tmpdir(), 'dws-report-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'report.html');

    const run = await cli(['report', started.workflowId, '--format', 'html', '--out', file], cliEnv(t));

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Wrote the html report of ${started.workflowId} (run ${started.runId}) to ${file}\n`);
    const page = readFileSync(file, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('failed-over · FAILED_OVER · exit 0');
    expect(page).toMatch(new RegExp(`<dt>Approver</dt>\\s*<dd>${TEST_APPROVER}</dd>`));
    for (const phase of ['prechecks', 'awaiting-approval', 'requesting', 'polling', 'completed']) {
      expect(page).toContain(`data-phase="${phase}"`);
    }
    const stdout = await cli(['report', started.workflowId, '--format', 'html'], cliEnv(t));
    // The same report, but for when it was generated (the footer).
    const undated = (html: string) => html.replace(/<footer id="generated">[\s\S]*?<\/footer>/, '');
    expect(page).toMatch(/<footer id="generated">/);
    expect(undated(stdout.stdout)).toBe(undated(page));
  });
});

import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { progressQuery } from '../../src/shared/messages';
import { recordHistory, scenario } from '../helpers/scenario';

const ROOT = path.resolve(__dirname, '../..');

/** Runs `dws-failover worker` as a separate process, as in production. */
function spawnWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return { child, output: () => output };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('failoverWorkflow across worker crashes', () => {
  it('is finished by a new worker after the worker process is killed while polling, with no second request', async () => {
    const t = await scenario({ noWorker: true, simulator: { failoverDurationMs: 6000 } });
    await t.sim.outage(t.primaryId);
    const first = spawnWorker(t.workerEnv);
    const started = await t.start({ policy: { heartbeatTimeoutSeconds: 3, pollIntervalSeconds: 0.5 } });
    const handle = t.handle(started);

    await until('the polling phase', async () =>
      (await handle.query(progressQuery)).phase === 'polling' ? true : undefined
    );
    await new Promise((r) => setTimeout(r, 1000));
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const killedAt = Date.now();

    await t.startWorker();
    const report = await handle.result();
    recordHistory(started.workflowId, started.runId);
    expect(report.outcome, first.output()).toBe('failed-over');
    expect(t.failoverPosts()).toHaveLength(1);
    // The poll resumed from the dead worker's heartbeat: it counts polls made before the kill too.
    const detailPath = `/v2/${t.projectId}/disaster-recovery/${t.drId}`;
    const pollsAfterKill = t.sim
      .requests()
      .filter((r) => r.path === detailPath && Date.parse(r.time) > killedAt).length;
    expect(report.completion.polls).toBeGreaterThan(pollsAfterKill);
  });

  it('sends the request again when the worker died before the service received it, and only one is accepted', async () => {
    const t = await scenario({ noWorker: true });
    await t.sim.outage(t.primaryId);
    // The first failover POST hangs; the worker dies while waiting for it, so the service never takes it.
    t.sim.addFaults([{ method: 'POST', path: t.failoverPath, delayMs: 30_000, count: 1 }]);
    const first = spawnWorker(t.workerEnv);
    const started = await t.start({ policy: { heartbeatTimeoutSeconds: 3 } });

    await until('the first failover request', async () => (t.failoverPosts().length > 0 ? true : undefined));
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    await t.startWorker();
    const report = await t.handle(started).result();
    recordHistory(started.workflowId, started.runId);
    expect(report.outcome, first.output()).toBe('failed-over');
    const posts = t.failoverPosts();
    expect(posts.map((p) => p.dropped)).toEqual([true, false]);
    expect(posts.filter((p) => p.accepted)).toHaveLength(1);
  });
});

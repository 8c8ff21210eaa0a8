import { describe, expect, it } from 'vitest';
import { progressQuery } from '../../src/shared/messages';
import { recordHistory, scenario } from '../helpers/scenario';
import { spawnWorker, until } from '../helpers/worker-process';

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
    await first.kill();
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
    await first.kill();

    await t.startWorker();
    const report = await t.handle(started).result();
    recordHistory(started.workflowId, started.runId);
    expect(report.outcome, first.output()).toBe('failed-over');
    const posts = t.failoverPosts();
    expect(posts.map((p) => p.dropped)).toEqual([true, false]);
    expect(posts.filter((p) => p.accepted)).toHaveLength(1);
  });
});

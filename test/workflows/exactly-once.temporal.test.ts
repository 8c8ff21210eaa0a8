/**
 * The exactly-once promise against a hostile DWS: answers lost after acceptance, reads that lag on some paths,
 * requests committed after their client left, in-flight statuses that look stable, and an old primary that comes
 * back mid-operation. Every test checks the simulator's ground truth and that the report's request list matches
 * the service's own log.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDwsClient } from '../../src/dws/factory';
import { approveUpdate } from '../../src/shared/messages';
import type { OperationReport } from '../../src/shared/operation-model';
import { inventoryFile } from '../helpers/inventory';
import { expectRequestsMatchLog, randomProjectId, recordHistory, scenario } from '../helpers/scenario';
import { startReceiver } from '../notify/receiver';
import { spawnWorker, until } from '../helpers/worker-process';
import { signedDecision } from '../helpers/decisions';

describe('the fenced request protocol', () => {
  it('sends one accepted request and never fails back when reads lag longer than the window after a lost answer', async () => {
    // The detail and the list show the old state for 8 s, far beyond the 3 s window; the old primary comes back
    // while the failover runs, so a second failover would be accepted and fail the pair back onto it.
    const t = await scenario({ simulator: { readLagMs: { detail: 8000, list: 8000 }, failoverDurationMs: 2000 } });
    t.sim.outage(t.primaryId);
    t.sim.addFaults([{ method: 'POST', path: t.failoverPath, acceptThen500: true, count: 1 }]);
    t.sim.restore(t.primaryId, { delayMs: 3000 });
    const report = await t.run({ policy: { readAfterWriteWindowSeconds: 3 } });

    expect(report.outcome, report.summary).toBe('failed-over');
    expect(t.failoverPosts().filter((p) => p.accepted)).toHaveLength(1);
    expect(t.pair()).toMatchObject({ primaryClusterId: t.standbyId, roleSwaps: 1 });
    expect(report.request.log?.map((r) => r.answer)).toEqual(['ambiguous']);
    expectRequestsMatchLog(report, t.failoverPosts());
  });

  it('sends one request when a POST whose client gave up is committed while the fence runs', async () => {
    // The client gives up after 2 s; the gateway still forwards the request and the service commits it at 3.5 s.
    const t = await scenario({ env: { DWS_REQUEST_TIMEOUT: '2s' } });
    t.sim.outage(t.primaryId);
    t.sim.addFaults([{ method: 'POST', path: t.failoverPath, delayMs: 3500, count: 1 }]);
    const report = await t.run({ policy: { readAfterWriteWindowSeconds: 4 } });

    expect(report.outcome, report.summary).toBe('failed-over');
    const posts = t.failoverPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ accepted: true });
    expect(report.request.log?.map((r) => [r.answer, r.sent])).toEqual([['ambiguous', true]]);
    expectRequestsMatchLog(report, posts);
  });

  it('never sends from an attempt whose worker lost its lease', async () => {
    // IAM tokens live 4 s, so the attempt must fetch a new one; that token request hangs for 12 s. The worker is
    // frozen meanwhile, Temporal declares the attempt lost, another worker sends; then the first one wakes up.
    const t = await scenario({ noWorker: true, iam: true, simulator: { tokenTtlMs: 4000 } });
    t.sim.outage(t.primaryId);
    const first = spawnWorker(t.workerEnv);
    const started = await t.start({ policy: { approval: 'always' } });
    await t.untilPhase(started, 'awaiting-approval').catch((err: Error) => {
      throw new Error(`${err.message}\n${first.output()}`);
    });
    await new Promise((r) => setTimeout(r, 2500)); // past the token's renewal time
    // After the approval the run reads the pair once more (the approval holds for the facts it saw): that read
    // renews the token (the first rule, 1 ms) and its two cluster reads take 2.5 s, past the new token's renewal
    // time, so the send must renew it again: that renewal hangs (the second rule).
    t.sim.addFaults([
      { method: 'POST', path: '/v3/auth/tokens', delayMs: 1, count: 1 },
      { method: 'POST', path: '/v3/auth/tokens', delayMs: 12_000, count: 1 },
      { method: 'GET', path: `/v1.0/${t.projectId}/clusters/*`, delayMs: 2500, count: 2 },
    ]);
    const tokenRequests = () => t.sim.requests().filter((r) => r.path === '/v3/auth/tokens');
    const before = tokenRequests().length + 1;
    const h = t.handle(started);
    await h.executeUpdate(approveUpdate, { args: [await signedDecision(h, 'approve', { comment: 'lease test' })] });
    await until('the attempt waiting for its token', () => (tokenRequests().length > before ? true : undefined));
    first.child.kill('SIGSTOP');

    await t.startWorker();
    await until('the second attempt to send', () => (t.failoverPosts().length > 0 ? true : undefined), 90_000);
    first.child.kill('SIGCONT');
    const report = (await t.handle(started).result()) as OperationReport;
    // The frozen attempt's token arrives 12 s after it asked; give it time to (not) send after that.
    await until('the frozen attempt to finish', () =>
      tokenRequests().every((r) => r.status !== null) ? true : undefined
    );
    await new Promise((r) => setTimeout(r, 2000));

    expect(report.outcome, `${report.summary}\n${first.output()}`).toBe('failed-over');
    expect(t.failoverPosts()).toHaveLength(1);
    // The frozen worker's open long-poll may be handed the next attempt too, which is then lost the same way:
    // one or more lost attempts, none of which sent, then the accepted one.
    const log = report.request.log ?? [];
    expect(log.map((r) => r.answer).join(',')).toMatch(/^(lost,)+accepted$/);
    expect(log.filter((r) => r.answer === 'lost' && r.sent === true)).toEqual([]);
    expectRequestsMatchLog(report, t.failoverPosts());
  });

  it('follows the operation to completion when attempts run out on ambiguous answers while the service fails over', async () => {
    // Every path lags 12 s and the clusters show no task: the fence passes with nothing seen, the resend fails too.
    const t = await scenario({
      simulator: { hideClusterTasks: true, readLagMs: { detail: 12_000, list: 12_000 }, failoverDurationMs: 2000 },
    });
    t.sim.outage(t.primaryId);
    t.sim.addFaults([
      { method: 'POST', path: t.failoverPath, acceptThen500: true, count: 1 },
      { method: 'POST', path: t.failoverPath, status: 500 },
    ]);
    const report = await t.run({ policy: { requestMaxAttempts: 2, readAfterWriteWindowSeconds: 1.5 } });

    expect(report.outcome, report.summary).toBe('failed-over');
    expect(report.request.log?.map((r) => r.answer)).toEqual(['ambiguous', 'ambiguous']);
    expect(report.timeline.find((e) => e.phase === 'polling')?.note).toMatch(/^unconfirmed/);
    expect(report.request.confirmed).toBe(true);
    expect(t.failoverPosts().filter((p) => p.accepted)).toHaveLength(1);
    expect(t.pair().roleSwaps).toBe(1);
    expectRequestsMatchLog(report, t.failoverPosts());
  });

  it.each(['running', 'abnormal'])(
    'sends no second request and never reports refused when the failover shows as %s',
    async (status) => {
      const t = await scenario({ simulator: { failoverStatus: status, failoverDurationMs: 3000 } });
      t.sim.outage(t.primaryId);
      t.sim.addFaults([{ method: 'POST', path: t.failoverPath, acceptThen500: true, count: 1 }]);
      const report = await t.run();

      expect(report.outcome, report.summary).toBe('failed-over');
      expect(t.failoverPosts()).toHaveLength(1);
      expect(report.request.disposition).toBe('already-in-progress');
      expectRequestsMatchLog(report, t.failoverPosts());
    }
  );
});

describe('completion', () => {
  it('ends a recovery that still shows running without a new sync as timed-out, saying what it waits for', async () => {
    // The service works for a minute, showing `running` and no task; the run gives up after 4 s.
    const t = await scenario({
      simulator: { recoveryStatus: 'running', hideClusterTasks: true, recoveryDurationMs: 60_000 },
      pair: { status: 'running', failedOver: true },
    });
    const started = await t.startPlanned('recovery', { policy: { completionTimeoutSeconds: 4 } });
    await t.untilPhase(started, 'awaiting-approval');
    const h = t.handle(started);
    await h.executeUpdate(approveUpdate, { args: [await signedDecision(h, 'approve', { comment: 'INC-44' })] });
    const report = (await h.result()) as OperationReport;
    recordHistory(started.workflowId, started.runId);

    expect(report.outcome, report.summary).toBe('timed-out');
    expect(report.inServiceHands).toBe(true);
    expect(report.summary).toMatch(/standby has not synced since the request \(last sync \d{4}-\d\d-\d\dT[\d:]+\)/);
    expect(t.posts('recovery').filter((p) => p.accepted)).toHaveLength(1);
    expectRequestsMatchLog(report, t.posts('recovery'));
  });

  it.each(['running', 'abnormal'])(
    'reports a recovery from %s recovered only once the service finished it, though the status shows running throughout and the clusters hide their task',
    async (status) => {
      // The service shows `running` while it re-seeds the standby and hides its task: only the standby's first sync
      // after the request (last_success_time) proves the recovery is done.
      const t = await scenario({
        simulator: { recoveryStatus: 'running', hideClusterTasks: true, recoveryDurationMs: 5000 },
        pair: { status, failedOver: true },
      });
      const started = await t.startPlanned('recovery');
      await t.untilPhase(started, 'awaiting-approval');
      const h = t.handle(started);
      await h.executeUpdate(approveUpdate, { args: [await signedDecision(h, 'approve', { comment: 'INC-43' })] });
      const report = (await h.result()) as OperationReport;
      const truth = t.sim.state().disasterRecoveries.find((d) => d.id === t.drId);
      recordHistory(started.workflowId, started.runId);

      expect(report.outcome, report.summary).toBe('recovered');
      // When the report came, the service had finished: the pair runs, no longer failed over, its standby synced.
      expect(truth).toMatchObject({ status: 'running', failedOver: false, operation: null });
      const accepted = t.posts('recovery').find((p) => p.accepted);
      expect(accepted).toBeDefined();
      expect(Date.parse(report.completion!.observedAt) - Date.parse(accepted!.time)).toBeGreaterThanOrEqual(5000);
      expect(t.posts('recovery')).toHaveLength(1);
      expectRequestsMatchLog(report, t.posts('recovery'));
    }
  );

  it('ends as swapped-back, loudly, when the pair swaps back after the change was confirmed', async () => {
    const receiver = await startReceiver();
    const ids = { projectId: randomProjectId(), drId: randomUUID(), primaryId: randomUUID(), standbyId: randomUUID() };
    const inventory = inventoryFile(ids, `      - { type: webhook, url: "${receiver.url}/oncall" }\n`);
    const t = await scenario({
      simulator: { failoverDurationMs: 1000 },
      pair: { id: ids.drId, projectId: ids.projectId, primary: { id: ids.primaryId }, standby: { id: ids.standbyId } },
      env: { DWS_FAILOVER_INVENTORY: inventory },
    });
    t.sim.outage(t.primaryId);
    const started = await t.start({ policy: { pollIntervalSeconds: 2 } });
    const listPath = `/v2/${t.projectId}/disaster-recoveries`;
    // The list read is the second witness: once it was read after the swap, the change is confirmed.
    await until('the change to be confirmed', () =>
      t.pair().primaryClusterId === t.standbyId && t.sim.requests().some((r) => r.path === listPath) ? true : undefined
    );
    t.sim.restore(t.primaryId);
    const dws = createDwsClient(t.config);
    await dws.failover(t.projectId, t.drId); // someone else fails the pair back
    await dws.close();
    // Not recorded for replay: its notification children are named after the real workflow id.
    const report = (await t.handle(started).result()) as OperationReport;

    expect(report.outcome).toBe('swapped-back');
    expect(report.summary).toMatch(/swapped back/);
    expect(report.completion?.swappedBack).toBe(true);
    expect(t.pair()).toMatchObject({ primaryClusterId: t.primaryId, roleSwaps: 2 });
    // The second failover POST is the one this test sent to fail the pair back; the run sent the first.
    expectRequestsMatchLog(report, t.failoverPosts().slice(0, 1));
    const failed = await until('the on-call notification', () =>
      receiver.received.find((m) => m.body.kind === 'failed' && /swapped back/.test(String(m.body.title)))
    );
    expect(failed.body).toMatchObject({ outcome: 'swapped-back' });
  });
});

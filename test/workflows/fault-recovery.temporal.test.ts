/**
 * A run rides out what a real incident brings besides the outage itself: the DWS API failing or refusing
 * connections for a while, and the worker dying in any phase. Each test checks the service's own log.
 */
import { describe, expect, it } from 'vitest';
import type { OperationReport } from '../../src/shared/operation-model';
import { expectRequestsMatchLog, scenario } from '../helpers/scenario';
import { spawnWorker, until } from '../helpers/worker-process';

/**
 * Once another worker polls, a dead worker costs about one heartbeat timeout (5 s in these runs), plus the resend
 * fence when it died with a request the service may have taken, before the run reaches DWS again. The bound is
 * measured from the kill to the new worker's first request to the service (not to the run's end, whose length
 * depends on the machine's load), and catches the multi-minute stalls of a pre-check without heartbeats; it is
 * not a speed measurement.
 */
const RECOVERY_BOUND_MS = 30_000;

describe('reads that ride out a short outage', () => {
  it('retries through eight 503 answers on the first reads and fails over when DWS answers again', async () => {
    const t = await scenario();
    t.sim.outage(t.primaryId);
    const detail = `/v2/${t.projectId}/disaster-recovery/${t.drId}`;
    t.sim.addFaults([{ method: 'GET', path: detail, status: 503, count: 8 }]);
    const report = await t.run();

    expect(report.outcome, report.summary).toBe('failed-over');
    expect(report.precheckReads?.attempts).toBe(9);
    expect(t.failoverPosts()).toHaveLength(1);
    expectRequestsMatchLog(report, t.failoverPosts());
  });

  it('retries through 60 s of refused connections and fails over when DWS is back', async () => {
    const t = await scenario();
    t.sim.outage(t.primaryId);
    await t.sim.refuseConnections(60_000);
    const report = await t.run();

    expect(report.outcome, report.summary).toBe('failed-over');
    expect(report.precheckReads?.retriedSeconds).toBeGreaterThanOrEqual(55);
    expect(t.failoverPosts()).toHaveLength(1);
    expectRequestsMatchLog(report, t.failoverPosts());
  });

  it('fails closed with the last read error once the read outage allowance is used up', async () => {
    const t = await scenario();
    t.sim.outage(t.primaryId);
    const detail = `/v2/${t.projectId}/disaster-recovery/${t.drId}`;
    t.sim.addFaults([{ method: 'GET', path: detail, status: 503 }]);
    const report = await t.run({ policy: { readOutageAllowanceSeconds: 4 } });

    expect(report.outcome).toBe('precheck-failed');
    expect(report.summary).toMatch(/could not read the pair for 4 s/);
    expect(t.failoverPosts()).toHaveLength(0);
  });
});

describe('a worker killed in any phase', () => {
  it.each([
    ['pre-checks', 'GET'],
    ['request', 'POST'],
    ['completion poll', null],
  ] as const)('costs one heartbeat timeout and sends one request when killed during the %s', async (_phase, held) => {
    const t = await scenario({ noWorker: true, simulator: { failoverDurationMs: 4000 } });
    t.sim.outage(t.primaryId);
    const detail = `/v2/${t.projectId}/disaster-recovery/${t.drId}`;
    // Hold the phase's request at the service so the worker surely dies inside it; the service still answers it.
    if (held === 'GET') t.sim.addFaults([{ method: 'GET', path: detail, delayMs: 4000, count: 1 }]);
    if (held === 'POST') t.sim.addFaults([{ method: 'POST', path: t.failoverPath, delayMs: 3000, count: 1 }]);
    const first = spawnWorker(t.workerEnv);
    const started = await t.start();
    const handle = t.handle(started);
    const pending = (method: string, path: string) =>
      t.sim.requests().some((r) => r.method === method && r.path === path && r.status === null && !r.dropped);
    await until(
      `the worker inside the ${_phase}`,
      () =>
        (
          held === 'GET'
            ? pending('GET', detail)
            : held === 'POST'
              ? pending('POST', t.failoverPath)
              : t.failoverPosts().length === 1 && t.pair().operation !== null
        )
          ? true
          : undefined,
      90_000
    );
    await first.kill();
    const killedAt = Date.now();
    await t.startWorker();
    const report = (await handle.result()) as OperationReport;
    const resumed = t.sim.requests().find((r) => Date.parse(r.time) > killedAt);
    expect(resumed, 'the new worker reached the service').toBeDefined();
    const recoveredInMs = Date.parse(resumed!.time) - killedAt;

    expect(report.outcome, `${report.summary}\n${first.output()}`).toBe('failed-over');
    expect(t.failoverPosts().filter((p) => p.accepted)).toHaveLength(1);
    expect(t.failoverPosts()).toHaveLength(1);
    expect(recoveredInMs).toBeLessThan(RECOVERY_BOUND_MS);
    expectRequestsMatchLog(report, t.failoverPosts());
  });
});

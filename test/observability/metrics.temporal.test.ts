import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { scenario } from '../helpers/scenario';
import { until } from '../helpers/worker-process';
import { samples, selectableNames, total } from './exposition';
import { metricNames, shippedQueries } from './queries';
import { get, spawnServedWorker } from './worker-endpoint';

/** A loopback port nothing listens on (a Temporal server that is not there). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('worker metrics and probes', () => {
  it('is live but not ready while Temporal cannot be reached', async () => {
    const t = await scenario({ noWorker: true });
    const worker = await spawnServedWorker({
      ...t.workerEnv,
      TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}`,
      DWS_FAILOVER_STARTUP_WAIT: '10m',
    });

    expect((await get(`${worker.url}/healthz`)).status).toBe(200);
    const ready = await get(`${worker.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'not-ready', detail: 'connecting to Temporal' });
  });

  it('shows a failover in flight with its phase, then its outcome, DWS requests, RTO and the SDK metrics', async () => {
    const t = await scenario({ noWorker: true, simulator: { failoverDurationMs: 6000 } });
    const worker = await spawnServedWorker({ ...t.workerEnv, DWS_FAILOVER_SHUTDOWN_GRACE: '60s' });
    const metrics = async (): Promise<string> => (await get(`${worker.url}/metrics`)).body;
    await until('the worker to be ready', async () =>
      (await get(`${worker.url}/readyz`)).status === 200 ? true : undefined
    );

    await t.sim.outage(t.primaryId);
    // One refused request, answered 503 and sent again.
    t.sim.addFaults([{ method: 'POST', path: t.failoverPath, status: 503, count: 1 }]);
    const started = await t.start();
    await t.untilPhase(started, 'polling');
    const during = await until('the run in flight in the metrics', async () => {
      const text = await metrics();
      return total(text, 'dws_failover_operations_in_flight', { kind: 'failover', phase: 'polling' }) > 0
        ? text
        : undefined;
    });
    expect(total(during, 'dws_failover_operation_phase_oldest_start_timestamp_seconds', { phase: 'polling' })).toBe(
      Date.parse(
        (await t.handle(started).result()).timeline.find((e: { phase: string }) => e.phase === 'polling')!.at
      ) / 1000
    );

    const after = await until('the outcome in the metrics', async () => {
      const text = await metrics();
      return total(text, 'dws_failover_operations_total', { kind: 'failover', outcome: 'failed-over' }) === 1
        ? text
        : undefined;
    });
    expect(samples(after).filter((s) => s.name === 'dws_failover_operations_in_flight')).toEqual([]);
    expect(total(after, 'dws_failover_dws_requests_total', { endpoint: 'SwitchFailoverDisaster', status: '503' })).toBe(
      1
    );
    expect(total(after, 'dws_failover_dws_requests_total', { endpoint: 'SwitchFailoverDisaster', status: '200' })).toBe(
      1
    );
    expect(
      total(after, 'dws_failover_dws_request_duration_seconds_count', { endpoint: 'SwitchFailoverDisaster' })
    ).toBe(2);
    expect(total(after, 'dws_failover_dws_rate_limit_wait_seconds_count', { priority: 'send' })).toBe(2);
    expect(total(after, 'dws_failover_operation_rto_seconds_count', { kind: 'failover' })).toBe(1);
    expect(total(after, 'dws_failover_operation_data_loss_window_seconds_count', { kind: 'failover' })).toBe(1);
    // The SDK's own, from its exporter, on the same endpoint.
    expect(total(after, 'temporal_worker_task_slots_available')).toBeGreaterThan(0);
    expect(total(after, 'temporal_workflow_task_schedule_to_start_latency_count')).toBeGreaterThan(0);
    expect(total(after, 'temporal_num_pollers', { poller_type: 'workflow_task' })).toBeGreaterThan(0);

    // The SDK's metrics the dashboard and the alert rules use are all served (the project's: dashboard.test.ts).
    const served = selectableNames(after);
    const missing = shippedQueries().flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((n) => n.startsWith('temporal_') && !served.has(n))
        .map((n) => `${where}: ${n}`)
    );
    expect(missing).toEqual([]);

    // The log has one line per phase change of the run, with its workflow id.
    const phaseLines = worker
      .output()
      .split('\n')
      .filter((l) => l.includes('"Phase changed"') && l.includes(started.workflowId));
    expect(phaseLines.map((l) => (JSON.parse(l) as { phase: string }).phase)).toEqual([
      'prechecks',
      'decision',
      'requesting',
      'polling',
      'completed',
    ]);
  });

  it('stops being ready once the worker shuts down', async () => {
    const t = await scenario({ noWorker: true, simulator: { failoverDurationMs: 120_000 } });
    const worker = await spawnServedWorker({ ...t.workerEnv, DWS_FAILOVER_SHUTDOWN_GRACE: '60s' });
    await until('the worker to be ready', async () =>
      (await get(`${worker.url}/readyz`)).status === 200 ? true : undefined
    );
    await t.sim.outage(t.primaryId);
    const started = await t.start({ reason: `shutdown ${randomUUID()}` });
    // A completion poll in flight keeps the worker draining for the grace time after SIGTERM. The phase turns to
    // polling before the follow activity reaches the worker: wait until Temporal lists it as started, or the worker
    // may have nothing in flight and stop before a probe sees it draining.
    await t.untilPhase(started, 'polling');
    await until('the completion poll running on the worker', async () => {
      const { raw } = await t.handle(started).describe();
      return raw.pendingActivities?.some(
        (a) =>
          a.activityType?.name === 'followDrAction' &&
          a.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
      )
        ? true
        : undefined;
    });

    worker.child.kill('SIGTERM');
    const seen: string[] = [];
    const ready = await until('readiness to fail', async () => {
      const res = await get(`${worker.url}/readyz`).catch((e: Error) => ({ status: 0, body: e.message }));
      seen.push(`${new Date().toISOString()} ${res.status} ${res.body}`);
      return res.status === 503 ? res : undefined;
    }).catch((e: Error) => {
      throw new Error(
        `${e.message}\nprobes:\n${seen.slice(0, 5).join('\n')}\n…\n${seen.slice(-5).join('\n')}\nworker:\n${worker.output().slice(-6000)}`
      );
    });
    expect(JSON.parse(ready.body).detail).toMatch(/^worker (stopping|draining|drained|stopped)$/);
    expect((await get(`${worker.url}/healthz`)).status).toBe(200);
  });
});

import { describe, expect, it, onTestFinished } from 'vitest';
import { request } from 'undici';
import { IntakeMetrics } from '../../src/intake/metrics';
import { createLogger } from '../../src/logger';
import { startWorkerHttp } from '../../src/observability/worker-http';
import { WorkerMetrics } from '../../src/observability/worker-metrics';
import { WorkerProbe } from '../../src/observability/worker-probe';
import { selectableNames } from './exposition';
import { alertRules, dashboard, metricNames, shippedQueries } from './queries';

/** The exposition of a worker's real /metrics endpoint (its registry, no Temporal) and of an intake's registry. */
async function projectExposition(): Promise<string> {
  const metrics = new WorkerMetrics();
  const http = await startWorkerHttp({
    host: '127.0.0.1',
    port: 0,
    registry: metrics.registry,
    probe: new WorkerProbe(),
    sdkMetricsUrl: null,
    log: createLogger({ component: 'test', level: 'error' }),
  });
  onTestFinished(async () => {
    await http.close();
    metrics.close();
  });
  const res = await request(`${http.url}/metrics`);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return (await res.body.text()) + new IntakeMetrics().render();
}

describe('the Grafana dashboard and the documented alert rules', () => {
  it('are a dashboard with panels that all have queries, and alert rules with expressions', () => {
    const d = dashboard();
    expect(d.title).toBe('dws-failover');
    expect(d.panels.length).toBeGreaterThan(10);
    for (const p of d.panels) expect(p.targets?.length, p.title).toBeGreaterThan(0);
    expect(alertRules().map((r) => r.alert)).toEqual(
      expect.arrayContaining(['DwsFailoverStuckInPhase', 'DwsApiErrorRate', 'DwsFailoverNoWorkerPolling'])
    );
  });

  it("select only the project's metrics that a worker or an intake serves", async () => {
    const served = selectableNames(await projectExposition());
    const missing = shippedQueries().flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((n) => n.startsWith('dws_failover_') && !served.has(n))
        .map((n) => `${where}: ${n}`)
    );
    expect(missing).toEqual([]);
    // Every query selects at least one metric this test or the worker's metrics test can check.
    for (const { where, expr } of shippedQueries()) expect(metricNames(expr).length, where).toBeGreaterThan(0);
  });
});

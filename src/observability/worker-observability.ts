/**
 * Everything the worker process observes itself with: metrics, the probe, the HTTP endpoint and tracing; and the
 * sinks and interceptors a Temporal worker needs for them. `runWorker` and `buildWorker` use this; nothing else
 * in worker.ts knows about it.
 */
import type { WorkerOptions } from '@temporalio/worker';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { discardedWorkflowSpans, startTracing, type Tracing } from './tracing';
import { startWorkerHttp, type WorkerHttp } from './worker-http';
import { WorkerMetrics } from './worker-metrics';
import { WorkerProbe } from './worker-probe';

export interface WorkerObservability {
  metrics: WorkerMetrics;
  tracing: Tracing | null;
  probe: WorkerProbe;
  /** Null when DWS_FAILOVER_WORKER_HTTP_PORT=off. */
  http: WorkerHttp | null;
  close(): Promise<void>;
}

/**
 * Starts the metrics, tracing and (unless off) the HTTP endpoint.
 * @param sdkMetricsUrl the SDK exporter's URL (installWorkerRuntime), appended to `/metrics`.
 * @throws Error naming the variables when the endpoint's address cannot be bound.
 */
export async function startWorkerObservability(
  config: Config,
  log: Logger,
  sdkMetricsUrl: string | null
): Promise<WorkerObservability> {
  const metrics = new WorkerMetrics();
  const probe = new WorkerProbe();
  const tracing = startTracing(config.tracing);
  if (config.tracing) log.info('Tracing on', { exporter: 'otlp', url: config.tracing.url });
  let http: WorkerHttp | null = null;
  try {
    if (config.worker.http) {
      http = await startWorkerHttp({ ...config.worker.http, registry: metrics.registry, probe, sdkMetricsUrl, log });
    }
  } catch (err) {
    metrics.close();
    await tracing?.shutdown();
    throw err;
  }
  return {
    metrics,
    tracing,
    probe,
    http,
    close: async () => {
      await http?.close();
      metrics.close();
      await tracing?.shutdown();
    },
  };
}

/**
 * The worker options that carry observability: the runs' `operations` sink into `metrics`, and with tracing its
 * interceptors and span sink. A bundled worker's workflow interceptors are in its bundle; their spans are dropped
 * when tracing is off.
 */
export function observedWorkerOptions(
  metrics: WorkerMetrics,
  tracing: Tracing | null,
  bundled: boolean
): Pick<WorkerOptions, 'sinks' | 'interceptors'> {
  return {
    sinks: { ...metrics.sinks(), ...(tracing ? tracing.sinks() : discardedWorkflowSpans()) },
    ...(tracing ? { interceptors: tracing.interceptors(bundled) } : {}),
  };
}

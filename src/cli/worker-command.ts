/**
 * `dws-failover worker`: the Temporal worker that runs the workflows and activities.
 */
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { installWorkerRuntime } from '../observability/runtime';
import { runWorker } from '../worker';
import { parseCommandArgs, println, type Command } from './command';

const HELP = `Usage: dws-failover worker

Runs the worker on the task queue DWS_FAILOVER_TASK_QUEUE (default dws-failover). It needs the
Temporal connection (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS variables) and the
DWS endpoint and credentials (DWS_REGION or DWS_ENDPOINT, HUAWEICLOUD_SDK_AK/SK or IAM variables).
SIGINT/SIGTERM drain it: running activities get DWS_FAILOVER_SHUTDOWN_GRACE (default 30s) to finish.
Run several workers on the same task queue to scale out; DWS_RATE_LIMIT is the account's limit, so
set DWS_FAILOVER_WORKERS to their count and together they stay under it. The worker's timing
(DWS_FAILOVER_POLL_INTERVAL, the read-after-write window, timeouts) applies to every run it serves.
At start it waits up to DWS_FAILOVER_STARTUP_WAIT (default 60s) for a Temporal server that does not
serve yet and a namespace that does not exist yet, logging what it waits for, then exits 1 naming
the cause and the fix.
It serves GET /healthz, /readyz and /metrics on DWS_FAILOVER_WORKER_HTTP_HOST (default 127.0.0.1) and
DWS_FAILOVER_WORKER_HTTP_PORT (default 9464; 0: a free port, logged; off: none). Tracing is on with
OTEL_TRACES_EXPORTER=otlp or OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT (docs/operations.md).

Options:
  -h, --help   This help (everything else is configured by environment: README § Configuration)

Exit codes:
  0    stopped by SIGINT/SIGTERM after draining
  1    error (e.g. Temporal still not serving after DWS_FAILOVER_STARTUP_WAIT)
  2    usage or invalid configuration (unknown flag; each invalid variable named)`;

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Run the Temporal worker',
  help: HELP,
  async run(argv, ctx) {
    const { values } = parseCommandArgs('worker', argv, {});
    if (values.help) return (println(ctx.stdout, HELP), 0);
    const config = loadConfig(ctx.env, { requireDws: true });
    const log = createLogger({ component: 'worker', ...config.log });
    const sdkMetricsUrl = await installWorkerRuntime(config, log);
    await runWorker(config, log, { signal: ctx.signal, sdkMetricsUrl });
    return 0;
  },
};

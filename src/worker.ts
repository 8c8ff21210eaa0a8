/**
 * Composition root: config → DWS fleet (a client per endpoint and account) → activities → Temporal worker. Closes
 * what it opens.
 */
import path from 'node:path';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Dispatcher } from 'undici';
import { createActivities } from './activities';
import type { Config } from './config';
import { prebuiltWorkflowBundle } from './devstack/bundle';
import { createDwsFleet } from './dws/factory';
import { dispatchPair } from './operations/dispatch-pair';
import { SharedReads } from './dws/shared-reads';
import { findPair } from './inventory';
import type { Logger } from './logger';
import {
  observedWorkerOptions,
  startWorkerObservability,
  type WorkerObservability,
} from './observability/worker-observability';
import { WorkerMetrics } from './observability/worker-metrics';
import { OPEN_ACCESS } from './shared/identity';
import { resolvePolicy, timingPart, type ServiceTiming } from './shared/policy';
import { temporalDrillDeps } from './drills/drill-records';
import { temporalFailoverHistory } from './operations/failover-history';
import { unsignedResolvedCancelWarning } from './operations/resolved';
import { ensureSearchAttributes } from './temporal/search-attributes';
import { startupWaiter, TemporalStartupError } from './temporal/startup';
import { connectionFailure } from './temporal/connection-failure';
import { temporalWorkflowControl } from './operations/workflow-control';

/** The workflows folder next to this file: `src/workflows` under tsx/vitest, `lib/workflows` when built. */
export const WORKFLOWS_PATH = path.join(__dirname, 'workflows');

/**
 * Workflows kept in memory between tasks. The SDK's default grows with the heap (about 2,000 on a 4 GB heap), so a
 * region-wide outage with 1,000 pairs in flight would keep every run resident. A run spends its time waiting on one
 * long heartbeating activity or a timer, so an evicted run costs one replay of a short history at its next task;
 * 200 holds every run with a task in progress (the SDK runs 40 at a time) with room to spare, and bounds the worker's
 * memory (the goal: under 400 MB RSS with 1,000 pairs in flight).
 */
const MAX_CACHED_WORKFLOWS = 200;

export interface BuildWorkerOptions {
  /** Point the DWS clients somewhere else (tests: the simulator's dispatcher). */
  dwsDispatcher?: Dispatcher;
  /** Where notification posts go (tests); default: undici's global dispatcher. */
  notificationDispatcher?: Dispatcher;
  /** A prebuilt workflow bundle (`writeWorkflowBundle`); else the build's own, else bundled at start. */
  workflowBundlePath?: string;
  /** Metrics and tracing of the worker process (`runWorker`); default: metrics of this worker alone, no tracing. */
  observability?: Pick<WorkerObservability, 'metrics' | 'tracing'>;
}

/**
 * Creates a worker on an open connection. The caller runs it and closes `close()` afterwards.
 */
export async function buildWorker(
  config: Config,
  connection: NativeConnection,
  options: BuildWorkerOptions = {}
): Promise<{ worker: Worker; close: () => Promise<void> }> {
  // Every project's calls go to its region's endpoint with its account's credentials (the inventory's projects,
  // else the environment's); clients are made on first use.
  const dws = createDwsFleet(config, options.dwsDispatcher);
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const activities = createActivities({
    dws,
    // Shared reads are per project, and each project's list calls go to its own endpoint.
    ...(config.dws.sharedReadsFrom > 0
      ? { shared: new SharedReads(dws, { shareFrom: config.dws.sharedReadsFrom }) }
      : {}),
    // Where each pair lives: one site, or two for a cross-region pair of the inventory.
    topology: (projectId, drId) => dws.topology(projectId, drId),
    history: temporalFailoverHistory(client),
    workflows: temporalWorkflowControl(client),
    // Drills and readiness: the drill-pair flag and the pairs from the inventory, their records from Temporal.
    drills: temporalDrillDeps(client, config),
    // The service timing is the worker's: its configuration, then the pair's inventory entry.
    timing: (projectId, drId) =>
      timingPart(resolvePolicy(config.policy, findPair(config.inventory, projectId, drId)?.policy)) as ServiceTiming,
    // Decisions are verified in the runs against this worker's approver keys and the pair's access rules.
    decisions: (projectId, drId) => ({
      keys: config.approverKeys.keys,
      access: findPair(config.inventory, projectId, drId)?.access ?? OPEN_ACCESS,
      keysSource: config.approverKeys.path ?? 'this worker has no approver keys (DWS_FAILOVER_APPROVER_KEYS)',
    }),
    // Deliveries about several pairs fan out from here, with this worker's inventory and policy.
    deliveries: { dispatch: (header, pair) => dispatchPair(client, config, header, pair) },
    // Targets stay in the worker: webhook URLs carry tokens and never enter workflow history.
    notifications: {
      targetsFor: (projectId, drId) => findPair(config.inventory, projectId, drId)?.notify ?? [],
      ...(options.notificationDispatcher ? { dispatcher: options.notificationDispatcher } : {}),
    },
  });
  // The caller's bundle or DWS_FAILOVER_WORKFLOW_BUNDLE, else the one `npm run build` wrote (when running from lib/),
  // else the workflows are bundled now (tsx, vitest: src/ is the code).
  const bundle = options.workflowBundlePath ?? config.worker.workflowBundlePath ?? prebuiltWorkflowBundle();
  const { metrics, tracing } = options.observability ?? { metrics: new WorkerMetrics(), tracing: null };
  const closeAll = async (): Promise<void> => {
    if (!options.observability) metrics.close();
    await dws.close();
  };
  let worker: Worker;
  try {
    worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      ...(bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath: WORKFLOWS_PATH }),
      maxCachedWorkflows: MAX_CACHED_WORKFLOWS,
      activities,
      // Running activities get this long to finish on SIGTERM before they are cancelled (and retried elsewhere).
      shutdownGraceTime: `${config.worker.shutdownGraceSeconds}s`,
      maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
      // Heartbeats reach Temporal within a second: the moment a request left survives a worker killed right after.
      maxHeartbeatThrottleInterval: '1s',
      // Phase changes and ends into the metrics (workflow sinks), and tracing when configured.
      ...observedWorkerOptions(metrics, tracing, bundle !== null),
    });
  } catch (err) {
    // The caller may try again (a namespace still being created): nothing of this attempt stays open.
    await closeAll();
    throw err;
  }
  return { worker, close: closeAll };
}

/**
 * Runs a worker until SIGINT/SIGTERM (handled by the Temporal runtime), then drains and closes.
 * At start it waits, up to `config.worker.startupWaitSeconds` (DWS_FAILOVER_STARTUP_WAIT, default 60 s), for a
 * server that does not serve yet and a namespace that does not exist yet (compose creates it in the background),
 * logging what it waits for; `signal` ends that wait early.
 * @throws TemporalStartupError naming the cause and the fix when Temporal is still not ready after the wait;
 *   Error when the namespace lacks search attributes that cannot be added.
 */
export async function runWorker(
  config: Config,
  log: Logger,
  { signal, sdkMetricsUrl = null }: { signal?: AbortSignal; sdkMetricsUrl?: string | null } = {}
): Promise<void> {
  // Health, readiness and metrics answer from the start: a worker still waiting for Temporal is live, not ready.
  const observed = await startWorkerObservability(config, log, sdkMetricsUrl);
  try {
    await serve(config, log, observed, signal);
  } finally {
    await observed.close();
  }
}

async function serve(
  config: Config,
  log: Logger,
  observed: WorkerObservability,
  signal: AbortSignal | undefined
): Promise<void> {
  const { address, namespace } = config.temporal;
  const waiter = startupWaiter(
    { address, namespace },
    {
      timeoutMs: config.worker.startupWaitSeconds * 1000,
      signal,
      onWait: (problem, what, remainingMs) =>
        log.warn(`Waiting for ${what}`, { reason: problem.detail, upToSeconds: Math.ceil(remainingMs / 1000) }),
    }
  );
  const connection = await waiter
    .run(() => NativeConnection.connect(config.temporal.connectionOptions))
    .catch(async (err: Error) => {
      throw err instanceof TemporalStartupError ? err : await connectionFailure(err, config.temporal);
    });
  try {
    const client = new Client({ connection, namespace });
    const added = await waiter.run(() => ensureSearchAttributes(client, namespace));
    if (added.length > 0) log.info('Registered search attributes', { added });
    const { worker, close } = await waiter.run(() => buildWorker(config, connection, { observability: observed }));
    observed.probe.attach(worker, client);
    try {
      log.info('Worker started', {
        address,
        namespace,
        taskQueue: config.temporal.taskQueue,
        dwsEndpoint: config.dws.endpoint,
        // Projects the inventory routes to their own regions' endpoints (the rest use dwsEndpoint).
        dwsProjects: config.inventory?.projects.size ?? 0,
        // Who may sign decisions: people, services (the intake) and break-glass keys of DWS_FAILOVER_APPROVER_KEYS.
        approverKeys: config.approverKeys.keys.map((k) => `${k.kind} ${k.name}`),
      });
      if (config.approverKeys.keys.length === 0) {
        log.warn(
          'No approver keys (DWS_FAILOVER_APPROVER_KEYS): every approve, reject and cancel will be refused, so a run that needs approval is denied at its deadline. See docs/decisions.md'
        );
      }
      // This worker cancels for the resolved alerts of deliveries about several pairs: said once, here.
      const unsigned = unsignedResolvedCancelWarning(config);
      if (unsigned) log.warn(unsigned);
      await worker.run();
      log.info('Worker stopped');
    } finally {
      await close();
    }
  } finally {
    await connection.close();
  }
}

/**
 * Composition root: config → DWS client → activities → Temporal worker. Closes what it opens.
 */
import path from 'node:path';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Dispatcher } from 'undici';
import { createActivities } from './activities';
import type { Config } from './config';
import { createDwsClient } from './dws/factory';
import { SharedReads } from './dws/shared-reads';
import { findPair } from './inventory';
import type { Logger } from './logger';
import { resolvePolicy, timingPart, type ServiceTiming } from './shared/policy';
import { temporalDrillDeps } from './schedules/drill-records';
import { temporalFailoverHistory } from './temporal/failover-history';
import { ensureSearchAttributes } from './temporal/search-attributes';
import { temporalWorkflowControl } from './temporal/workflow-control';

/** The workflows folder next to this file: `src/workflows` under tsx/vitest, `lib/workflows` when built. */
export const WORKFLOWS_PATH = path.join(__dirname, 'workflows');

export interface BuildWorkerOptions {
  /** Point the DWS client somewhere else (tests: the simulator's dispatcher). */
  dwsDispatcher?: Dispatcher;
  /** Where notification posts go (tests); default: undici's global dispatcher. */
  notificationDispatcher?: Dispatcher;
  /** A prebuilt workflow bundle (`scripts/bundle-workflows`); else the workflows are bundled at start. */
  workflowBundlePath?: string;
}

/**
 * Creates a worker on an open connection. The caller runs it and closes `close()` afterwards.
 */
export async function buildWorker(
  config: Config,
  connection: NativeConnection,
  options: BuildWorkerOptions = {}
): Promise<{ worker: Worker; close: () => Promise<void> }> {
  const dws = createDwsClient(config, options.dwsDispatcher);
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const activities = createActivities({
    dws,
    ...(config.dws.sharedReadsFrom > 0
      ? { shared: new SharedReads(dws, { shareFrom: config.dws.sharedReadsFrom }) }
      : {}),
    history: temporalFailoverHistory(client),
    workflows: temporalWorkflowControl(client),
    // Drills and readiness: the drill-pair flag and the pairs from the inventory, their records from Temporal.
    drills: temporalDrillDeps(client, config),
    // The service timing is the worker's: its configuration, then the pair's inventory entry.
    timing: (projectId, drId) =>
      timingPart(resolvePolicy(config.policy, findPair(config.inventory, projectId, drId)?.policy)) as ServiceTiming,
    // Targets stay in the worker: webhook URLs carry tokens and never enter workflow history.
    notifications: {
      targetsFor: (projectId, drId) => findPair(config.inventory, projectId, drId)?.notify ?? [],
      ...(options.notificationDispatcher ? { dispatcher: options.notificationDispatcher } : {}),
    },
  });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...((options.workflowBundlePath ?? config.worker.workflowBundlePath)
      ? { workflowBundle: { codePath: (options.workflowBundlePath ?? config.worker.workflowBundlePath) as string } }
      : { workflowsPath: WORKFLOWS_PATH }),
    activities,
    // Running activities get this long to finish on SIGTERM before they are cancelled (and retried elsewhere).
    shutdownGraceTime: `${config.worker.shutdownGraceSeconds}s`,
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    // Heartbeats reach Temporal within a second: the moment a request left survives a worker killed right after.
    maxHeartbeatThrottleInterval: '1s',
  });
  return { worker, close: () => dws.close() };
}

/**
 * Runs a worker until SIGINT/SIGTERM (handled by the Temporal runtime), then drains and closes.
 * @throws Error when Temporal cannot be reached or the namespace lacks search attributes.
 */
export async function runWorker(config: Config, log: Logger): Promise<void> {
  const connection = await NativeConnection.connect(config.temporal.connectionOptions).catch((err: Error) => {
    throw new Error(`Cannot reach Temporal at ${config.temporal.address}: ${err.message}. Check TEMPORAL_ADDRESS.`);
  });
  try {
    const added = await ensureSearchAttributes(
      new Client({ connection, namespace: config.temporal.namespace }),
      config.temporal.namespace
    );
    if (added.length > 0) log.info('Registered search attributes', { added });
    const { worker, close } = await buildWorker(config, connection);
    try {
      log.info('Worker started', {
        address: config.temporal.address,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        dwsEndpoint: config.dws.endpoint,
      });
      await worker.run();
      log.info('Worker stopped');
    } finally {
      await close();
    }
  } finally {
    await connection.close();
  }
}

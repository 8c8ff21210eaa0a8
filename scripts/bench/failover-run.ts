/**
 * Starting one failover through the project's front-end code and waiting for its report, with a deadline so a
 * benchmark always ends.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Config } from '../../src/config';
import type { OperationReport } from '../../src/shared/operation-model';
import type { Simulator } from '../../src/simulator';
import { startFailover } from '../../src/operations/start-failover';

export interface BenchPair {
  projectId: string;
  drId: string;
  primaryId: string;
  standbyId: string;
}

/** Adds a pair whose primary is down (a failover the pre-checks let through without approval). */
export function addDownPair(sim: Simulator, projectId = randomBytes(16).toString('hex')): BenchPair {
  const pair = { projectId, drId: randomUUID(), primaryId: randomUUID(), standbyId: randomUUID() };
  sim.addPair({
    id: pair.drId,
    projectId,
    status: 'running',
    version: '8.2.1',
    primary: { id: pair.primaryId },
    standby: { id: pair.standbyId },
  });
  sim.outage(pair.primaryId);
  return pair;
}

/** Starts the failover of `pair` as an API trigger would. @returns its workflow id and run id. */
export async function start(
  client: Client,
  config: Config,
  pair: BenchPair,
  reason: string
): Promise<{ workflowId: string; runId: string }> {
  const started = await startFailover(client, config, {
    projectId: pair.projectId,
    drId: pair.drId,
    reason,
    failedClusterId: pair.primaryId,
    trigger: { source: 'api', ref: 'bench', receivedAt: new Date().toISOString(), actor: 'bench' },
  });
  return { workflowId: started.workflowId, runId: started.runId };
}

/**
 * The run's report, or null when it has none by `deadlineMs` (the run is then terminated) or it failed.
 * @returns the report and when it arrived (epoch ms).
 */
export async function waitForReport(
  client: Client,
  run: { workflowId: string; runId: string },
  deadlineMs: number
): Promise<{ report: OperationReport | null; atMs: number; error: string | null }> {
  const handle = client.workflow.getHandle(run.workflowId, run.runId);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, deadlineMs - Date.now()));
  });
  try {
    const result = await Promise.race([handle.result() as Promise<OperationReport>, timeout]);
    if (result === 'timeout') {
      await handle.terminate('bench: no report before the deadline').catch(() => undefined);
      return { report: null, atMs: Date.now(), error: 'no report before the deadline' };
    }
    return { report: result, atMs: Date.now(), error: null };
  } catch (err) {
    return { report: null, atMs: Date.now(), error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

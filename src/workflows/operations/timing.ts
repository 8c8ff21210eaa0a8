/**
 * The service timing of a run comes from the worker that serves it (`serviceTiming`, a local activity), not from
 * whoever started the run: a worker started with a 1 s poll interval polls every second, and a drill schedule
 * created last year runs with today's timing. The run's own input may still override single fields explicitly.
 * Runs started before this existed keep the full policy their starter froze into them.
 */
import { log, patched, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { innermostMessage } from '../../shared/failure-message';
import { DEFAULT_POLICY, resolvePolicy, timingPart, type OperationPolicy } from '../../shared/policy';
import { RETRY } from '../retry-profiles';

/** Runs that start on this version read their timing from the worker. */
export const WORKER_TIMING_PATCH = 'worker-timing';

const local = proxyLocalActivities<Pick<Activities, 'serviceTiming'>>({
  startToCloseTimeout: '5s',
  retry: RETRY.workerSettings,
});

/** Whether this run reads its timing from the worker (call once, at the same point of every run). */
export function usesWorkerTiming(): boolean {
  return patched(WORKER_TIMING_PATCH);
}

/**
 * The run's effective policy: the built-in defaults, the worker's timing for the pair, then the run's input
 * (its business policy and any explicit timing override). Never throws: if the worker cannot answer, the
 * defaults stand, which is what a worker without configuration would have said.
 */
export async function effectivePolicy(
  projectId: string,
  drId: string,
  inputPolicy: Partial<OperationPolicy> | undefined
): Promise<OperationPolicy> {
  let timing = timingPart(DEFAULT_POLICY);
  try {
    timing = await local.serviceTiming({ projectId, drId });
  } catch (err) {
    log.warn('The worker timing could not be read; the built-in defaults apply', { error: innermostMessage(err) });
  }
  return resolvePolicy(DEFAULT_POLICY, timing, inputPolicy);
}

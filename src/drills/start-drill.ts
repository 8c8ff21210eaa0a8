/**
 * Starting one drill now (`dws-drill:{project}:{dr}`), the way `dws-failover drill run` and the tests do it.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Config } from '../config';
import { DR_ID, workflowIds } from '../shared/constants';
import type { DrillInput } from '../shared/drills';
import type { drillWorkflow } from '../workflows';
import { drillInput, drillProblems, type DrillRequest } from './drill-schedule';

/**
 * Starts a drill of one pair. The drill itself skips when an incident runs, and refuses a failover drill on a pair
 * the worker's inventory does not mark as a drill pair.
 * @throws Error when the request is invalid or a drill of this pair already runs (naming it).
 */
export async function startDrill(
  client: Client,
  config: Pick<Config, 'policy' | 'temporal'>,
  req: DrillRequest,
  overrides: Partial<DrillInput> = {}
): Promise<{ workflowId: string; runId: string }> {
  const problems = drillProblems(req);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const workflowId = workflowIds.drill(req.pair.projectId, req.pair.drId);
  try {
    const handle = await client.workflow.start<typeof drillWorkflow>('drillWorkflow', {
      workflowId,
      taskQueue: config.temporal.taskQueue,
      args: [{ ...drillInput(config, req, 'cli'), ...overrides }],
      typedSearchAttributes: [{ key: DR_ID, value: req.pair.drId }],
    });
    return { workflowId, runId: handle.firstExecutionRunId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new Error(
        `A drill of ${req.pair.name} is already running (${workflowId}); follow it with dws-failover drill status ${workflowId}, or wait for it to end.`
      );
    }
    throw err;
  }
}

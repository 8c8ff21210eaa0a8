/**
 * `GET /v1/failovers/{workflowId}`: the `progress` query of a running failover, the report of an ended one.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { progressQuery } from '../shared/messages';
import type { OperationState } from '../shared/operation-model';
import { quote } from '../shared/quote';
import { temporalUnavailable, withinDeadline, type IntakeDeps } from './deps';
import { HttpError } from './http';

const FAILOVER_ID = /^dws-failover:[A-Za-z0-9][A-Za-z0-9._-]{0,127}:[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function notFound(workflowId: string): HttpError {
  return new HttpError(404, 'not_found', `No failover workflow ${workflowId} is known to Temporal.`);
}

/**
 * The live state (running) or the report (completed) of the latest run of `workflowId`.
 * @throws HttpError 404 for an unknown id or one that is not a failover's, 503 when Temporal or a worker did not answer.
 */
export async function failoverProgress(deps: IntakeDeps, workflowId: string): Promise<OperationState> {
  if (!FAILOVER_ID.test(workflowId)) {
    throw new HttpError(
      404,
      'not_found',
      `${quote(workflowId)} is not a failover workflow id; they look like dws-failover:{project_id}:{disaster_recovery_id}.`
    );
  }
  const handle = deps.client.workflow.getHandle(workflowId);
  try {
    return await withinDeadline(deps, async () => {
      const description = await handle.describe();
      // A completed run's report is its result (no worker needed); anything else answers the query.
      if (description.status.name === 'COMPLETED') {
        return (await deps.client.workflow.getHandle(workflowId, description.runId).result()) as OperationState;
      }
      return deps.client.workflow.getHandle(workflowId, description.runId).query(progressQuery);
    });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw notFound(workflowId);
    throw temporalUnavailable(deps, `read the progress of ${workflowId} (is a worker running?)`, err);
  }
}

/**
 * `POST /v1/failovers/{workflowId}/approve` · `/reject` · `/cancel` with `{ actor, comment }`: the same workflow
 * updates the CLI sends. 200 with what was recorded; 409 when the run's state does not allow it (the workflow's
 * own validator says why); 404 for an unknown run; 503 when Temporal did not answer.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { z } from 'zod';
import { approveUpdate, cancelUpdate, rejectUpdate } from '../shared/messages';
import { quote } from '../shared/quote';
import { temporalUnavailable, withinDeadline, type IntakeDeps } from './deps';
import { HttpError, validate } from './http';

const ID = /^dws-(failover|switchover|recovery):[A-Za-z0-9][A-Za-z0-9._-]{0,127}:[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const decisionSchema = z.object({
  actor: z.string().trim().min(1, 'is required: who decides').max(200),
  comment: z.string().trim().min(1, 'is required: why (a ticket, the reason)').max(2000),
});

export type DecisionKind = 'approve' | 'reject' | 'cancel';

/**
 * Sends the decision to the latest run of `workflowId`.
 * @throws HttpError 400 (bad body), 404, 409, 503.
 */
export async function handleDecision(
  deps: IntakeDeps,
  workflowId: string,
  kind: DecisionKind,
  body: unknown,
  authMethod: string
): Promise<{ workflow_id: string; run_id: string; decision: DecisionKind; recorded: unknown }> {
  if (!ID.test(workflowId)) {
    throw new HttpError(
      404,
      'not_found',
      `${quote(workflowId)} is not a workflow id of this service (dws-failover:{project_id}:{dr_id}).`
    );
  }
  const input = validate(decisionSchema, body, 'body');
  const update = kind === 'approve' ? approveUpdate : kind === 'reject' ? rejectUpdate : cancelUpdate;
  try {
    return await withinDeadline(deps, async () => {
      const description = await deps.client.workflow.getHandle(workflowId).describe();
      if (description.status.name !== 'RUNNING') {
        throw new HttpError(
          409,
          'not_running',
          `${workflowId} is not running (${description.status.name}); nothing to ${kind}.`
        );
      }
      const handle = deps.client.workflow.getHandle(workflowId, description.runId);
      const recorded = await handle.executeUpdate(update as typeof approveUpdate, {
        args: [{ actor: input.actor, comment: input.comment, via: `api (${authMethod})` }],
      });
      deps.logger.info('Decision recorded', { workflowId, kind, actor: input.actor });
      return { workflow_id: workflowId, run_id: description.runId, decision: kind, recorded };
    });
  } catch (err) {
    if (err instanceof HttpError) throw err;
    if (err instanceof WorkflowUpdateFailedError) {
      throw new HttpError(409, 'refused', `${workflowId} refused to ${kind}: ${err.cause?.message ?? err.message}`);
    }
    if (err instanceof WorkflowNotFoundError)
      throw new HttpError(404, 'not_found', `No workflow ${workflowId} is known to Temporal.`);
    throw temporalUnavailable(deps, `${kind} ${workflowId} (is a worker running?)`, err);
  }
}

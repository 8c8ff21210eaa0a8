/**
 * Recording a multi-pair delivery: one start of its delivery workflow, keyed by the delivery's id, so a retry of the
 * same notification joins the record (counted as a repeat) instead of fanning out again.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../config';
import { workflowIds } from '../shared/constants';
import type { DeliveryInput } from '../shared/delivery';
import { deliveryRepeatSignal } from '../shared/messages';
import type { deliveryWorkflow } from '../workflows';

export interface RecordedDelivery {
  workflowId: string;
  /** The run that recorded it; null when this call joined an open record (one round trip less under load). */
  runId: string | null;
  /** True when the record already existed (the same notification arrived before). */
  joined: boolean;
}

/**
 * Starts the delivery workflow, or joins the open one. Resolves once Temporal has durably recorded it.
 * @throws Temporal's errors (callers answer 503).
 */
export async function recordDelivery(client: Client, config: Config, input: DeliveryInput): Promise<RecordedDelivery> {
  const workflowId = workflowIds.delivery(input.deliveryId);
  // A record that closes between "already started" and the repeat signal: start again (a new record).
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await client.workflow.start<typeof deliveryWorkflow>('deliveryWorkflow', {
        workflowId,
        taskQueue: config.temporal.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      });
      return { workflowId, runId: handle.firstExecutionRunId, joined: false };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    try {
      await client.workflow.getHandle(workflowId).signal(deliveryRepeatSignal, {
        receivedAt: input.receivedAt,
        actor: input.actor,
      });
      return { workflowId, runId: null, joined: true };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) || attempt >= 2) throw err;
    }
  }
}

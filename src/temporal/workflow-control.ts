/**
 * What activities may ask Temporal about other workflows of the same pair: running drills and incidents.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { WorkflowControl } from '../activities';
import { workflowIds } from '../shared/constants';
import { quote } from './visibility';

/** Implements {@link WorkflowControl} over a Temporal client. */
export function temporalWorkflowControl(client: Client): WorkflowControl {
  return {
    async runningDrills(projectId, drId) {
      const found: { workflowId: string; runId: string }[] = [];
      const query = `WorkflowType = 'drillWorkflow' AND DrId = ${quote(drId)} AND ExecutionStatus = 'Running'`;
      for await (const wf of client.workflow.list({ query })) {
        // Scheduled drills carry a timestamp suffix; all of them start with the pair's drill id.
        if (wf.workflowId.startsWith(workflowIds.drill(projectId, drId)))
          found.push({ workflowId: wf.workflowId, runId: wf.runId });
      }
      return found;
    },
    async cancel(workflowId, runId) {
      await client.workflow.getHandle(workflowId, runId).cancel();
    },
    async isRunning(workflowId, runId) {
      try {
        const d = await client.workflow.getHandle(workflowId, runId).describe();
        return d.status.name === 'RUNNING';
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    },
  };
}

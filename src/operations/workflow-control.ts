/**
 * What activities may ask Temporal about other workflows of the same pair: running drills and incidents.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { WorkflowControl } from '../activities';
import { workflowIds } from '../shared/constants';
import { innermostMessage } from '../shared/failure-message';
import { cancelUpdate } from '../shared/messages';
import { isDrillOfPair } from '../shared/drills';
import { quote } from '../temporal/visibility';

/** Implements {@link WorkflowControl} over a Temporal client. */
export function temporalWorkflowControl(client: Client): WorkflowControl {
  return {
    async runningDrills(projectId, drId) {
      const found: { workflowId: string; runId: string }[] = [];
      const query = `WorkflowType = 'drillWorkflow' AND DrId = ${quote(drId)} AND ExecutionStatus = 'Running'`;
      for await (const wf of client.workflow.list({ query })) {
        // Scheduled drills carry a mode and timestamp suffix (older ones only the timestamp): see isDrillOfPair.
        if (isDrillOfPair(wf.workflowId, projectId, drId)) found.push({ workflowId: wf.workflowId, runId: wf.runId });
      }
      return found;
    },
    async cancel(workflowId, runId) {
      await client.workflow.getHandle(workflowId, runId).cancel();
    },
    async pairLockHolder(projectId, drId) {
      const running = async (workflowId: string, runId?: string) => {
        try {
          const d = await client.workflow.getHandle(workflowId, runId).describe();
          return d.status.name === 'RUNNING' ? d : null;
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) return null;
          throw err;
        }
      };
      const execution = (e: { workflowId?: string | null; runId?: string | null } | undefined) =>
        e?.workflowId && e.runId ? { workflowId: e.workflowId, runId: e.runId } : null;
      const lock = await running(workflowIds.pairLock(projectId, drId));
      const holder = execution(lock?.parentExecution);
      if (!holder) return null;
      return { holder, parent: execution((await running(holder.workflowId, holder.runId))?.parentExecution) };
    },
    async cancelBeforeRequest(execution, actor, comment) {
      try {
        await client.workflow
          .getHandle(execution.workflowId, execution.runId)
          .executeUpdate(cancelUpdate, { args: [{ actor, comment, via: 'drill', onlyBeforeRequest: true }] });
        return null;
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) return innermostMessage(err);
        if (err instanceof WorkflowNotFoundError) return 'it already ended';
        throw err;
      }
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

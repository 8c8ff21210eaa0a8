/**
 * The last failover of a pair, read from Temporal visibility (nothing is stored outside Temporal).
 */
import type { Client } from '@temporalio/client';
import type { FailoverHistory } from '../activities';
import { workflowIds } from '../shared/constants';
import { quote } from '../temporal/visibility';

/** Looks up the latest `failed-over` run of a pair by its business-key id and the `FailoverOutcome` attribute. */
export function temporalFailoverHistory(client: Client): FailoverHistory {
  return {
    async lastFailoverAt(projectId, drId) {
      const id = workflowIds.failover(projectId, drId);
      const query = `WorkflowId = ${quote(id)} AND FailoverOutcome = 'failed-over'`;
      let latest: Date | null = null;
      for await (const wf of client.workflow.list({ query, pageSize: 20 })) {
        const closed = wf.closeTime ?? null;
        if (closed && (!latest || closed > latest)) latest = closed;
      }
      return latest ? latest.toISOString() : null;
    },
  };
}

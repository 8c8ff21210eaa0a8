/**
 * `switchoverWorkflow`: the planned switchover of a healthy pair (DR `running`, both clusters healthy, no data
 * loss). Same phases and exactly-once rules as the failover. Id `dws-switchover:{projectId}:{drId}`.
 */
import type { FailoverReport, PlannedOperationInput } from '../shared/types';
import { runOperation } from './operation';

/** Switches the roles of a healthy pair and returns the report. */
export async function switchoverWorkflow(input: PlannedOperationInput): Promise<FailoverReport> {
  return runOperation({
    operation: 'switchover',
    input,
    ...(input.preApproval ? { preApproval: input.preApproval } : {}),
    prechecks: (acts) =>
      acts.runPlannedPrechecks({ operation: 'switchover', projectId: input.projectId, drId: input.drId }),
  });
}

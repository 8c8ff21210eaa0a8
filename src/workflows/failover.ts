/**
 * `failoverWorkflow`: fail over one DWS DR pair whose primary is down. One run per pair at a time
 * (id `dws-failover:{projectId}:{drId}`, conflict policy USE_EXISTING).
 */
import { DEFAULT_POLICY, resolvePolicy } from '../shared/policy';
import type { FailoverInput, FailoverReport } from '../shared/types';
import { runOperation } from './operation';

/** Fails over one DWS DR pair and returns the report. Never throws for an expected outcome. */
export async function failoverWorkflow(input: FailoverInput): Promise<FailoverReport> {
  const policy = resolvePolicy(DEFAULT_POLICY, input.policy);
  return runOperation({
    operation: 'failover',
    input,
    prechecks: (acts) =>
      acts.runPrechecks({
        projectId: input.projectId,
        drId: input.drId,
        failedClusterId: input.failedClusterId,
        dataLossBudgetSeconds: policy.dataLossBudgetSeconds,
        cooldownSeconds: policy.cooldownSeconds,
      }),
  });
}

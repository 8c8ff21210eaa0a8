/**
 * The operation kinds, each a workflow type: what it reads before its request and what it adds around the common
 * run (`runOperation` in operation.ts: gate, request, completion, report).
 */
import { executeChild, workflowInfo } from '@temporalio/workflow';
import { workflowIds } from '../../shared/constants';
import type { FailoverInput, OperationReport, PlannedOperationInput } from '../../shared/operation-model';
import { DEFAULT_POLICY, resolvePolicy } from '../../shared/policy';
import { runOperation } from './operation';

/**
 * `failoverWorkflow`: fail over one DWS DR pair whose primary is down. One run per pair at a time
 * (id `dws-failover:{projectId}:{drId}`, conflict policy USE_EXISTING).
 * Fails over one DWS DR pair and returns the report. Never throws for an expected outcome.
 */
export async function failoverWorkflow(input: FailoverInput): Promise<OperationReport> {
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

/**
 * `switchoverWorkflow`: the planned switchover of a healthy pair (DR `running`, both clusters healthy, no data
 * loss). Same phases and exactly-once rules as the failover. Id `dws-switchover:{projectId}:{drId}`.
 * Switches the roles of a healthy pair and returns the report.
 */
export async function switchoverWorkflow(input: PlannedOperationInput): Promise<OperationReport> {
  return runOperation({
    operation: 'switchover',
    input,
    ...(input.preApproval ? { preApproval: input.preApproval } : {}),
    prechecks: (acts) =>
      acts.runPlannedPrechecks({ operation: 'switchover', projectId: input.projectId, drId: input.drId }),
  });
}

/**
 * `recoveryWorkflow`: after a failover, once the old primary is healthy again, `POST …/recovery` re-attaches it as
 * the standby. It deletes the data on the old primary, so it always waits for an approval. Optionally switches
 * back to the original topology afterwards. Id `dws-recovery:{projectId}:{drId}`.
 * Recovers DR after a failover and returns the report (with the switch-back's outcome when asked for).
 */
export async function recoveryWorkflow(input: PlannedOperationInput): Promise<OperationReport> {
  const report = await runOperation({
    operation: 'recovery',
    input,
    approvalAlways: true,
    ...(input.preApproval ? { preApproval: input.preApproval } : {}),
    prechecks: (acts) =>
      acts.runPlannedPrechecks({ operation: 'recovery', projectId: input.projectId, drId: input.drId }),
  });
  if (!input.switchBack || report.outcome !== 'recovered') return report;
  const workflowId = workflowIds.switchover(input.projectId, input.drId);
  try {
    const back = await executeChild(switchoverWorkflow, {
      workflowId,
      // The switch back is the recovery's own step: it carries no start signature of its own; decisions.ts trusts a
      // recovery's child as it trusts a drill's leg.
      args: [
        {
          ...withoutProof(input),
          reason: `switch back after recovery (${workflowInfo().workflowId})`,
          switchBack: false,
        },
      ],
    });
    report.switchBack = { workflowId, outcome: back.outcome, summary: back.summary };
  } catch (err) {
    // DR runs again either way; the switch back is a separate, repeatable step (`dws-failover switchover`). Not a
    // pre-check that failed (what runs before this version recorded): the switchover itself could not start or end.
    report.switchBack = {
      workflowId,
      outcome: 'switch-back-failed',
      summary: `The switch back could not run: ${(err as Error).message}. DR runs in the reversed topology.`,
    };
  }
  return report;
}

function withoutProof(input: PlannedOperationInput): PlannedOperationInput {
  const { proof: _proof, ...rest } = input;
  return rest;
}

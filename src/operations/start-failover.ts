/**
 * Starting a failover the one way every front end does it: business-key id, USE_EXISTING, and the trigger sent as
 * a signal so a second alert, a retried webhook or an operator joins the running workflow as evidence.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../config';
import { DR_ID, FAILOVER_PHASE, workflowIds } from '../shared/constants';
import { triggerSignal } from '../shared/messages';
import { findPair, resolvePair, SAFE_ID, type ResolvedPair } from '../inventory';
import { businessPart, resolvePolicy, type OperationPolicy } from '../shared/policy';
import { triggerLabel } from '../shared/run-memo';
import type { DecisionProof } from '../shared/identity';
import type { DrOperation, FailoverInput, PlannedOperationInput, Trigger } from '../shared/operation-model';
import type { failoverWorkflow } from '../workflows';

export interface StartFailoverRequest {
  projectId: string;
  drId: string;
  reason: string;
  trigger: Omit<Trigger, 'id'> & { id?: string };
  failedClusterId?: string;
  force?: boolean;
  /** Overrides for this run, on top of the configured policy and the pair's policy in the inventory. */
  policy?: Partial<OperationPolicy>;
  /**
   * A manual start signed by its starter (src/identity/statements.ts `signStart`, for {@link operationWorkflowId}),
   * required by a pair whose inventory sets `access.start`. Ignored when the trigger joins a running run.
   */
  proof?: DecisionProof;
}

export interface StartFailoverResult {
  workflowId: string;
  runId: string;
  /** True when a failover for this pair was already running and this trigger joined it. */
  joined: boolean;
}

/** The policy a pair runs with: the configured defaults, then the pair's policy in the inventory. */
export function pairPolicy(config: Config, projectId: string, drId: string): OperationPolicy {
  return resolvePolicy(config.policy, findPair(config.inventory, projectId, drId)?.policy);
}

/**
 * What a run's input carries: the pair's business policy, fixed now and recorded in the run, plus the request's
 * explicit overrides. Never the configured timing: that is the serving worker's (src/workflows/operations/timing.ts).
 */
export function runPolicy(
  config: Config,
  projectId: string,
  drId: string,
  overrides?: Partial<OperationPolicy>
): Partial<OperationPolicy> {
  return { ...businessPart(pairPolicy(config, projectId, drId)), ...overrides };
}

/**
 * The workflow id a start of `operation` on the pair runs under (the inventory's `project_id` when either side's
 * project names it): what a start's signed statement names.
 */
export function operationWorkflowId(config: Config, operation: DrOperation, projectId: string, drId: string): string {
  const resolved = resolvePair(config.inventory, projectId, drId);
  return workflowIds[operation](resolved.projectId, resolved.drId);
}

/** Checks project and DR ids. @returns a list of problems, each naming the field. */
export function validateIds(projectId: string, drId: string): string[] {
  const problems: string[] = [];
  if (!SAFE_ID.test(projectId))
    problems.push(`project id '${projectId}' must be 1–128 letters, digits, '-', '_' or '.'`);
  if (!SAFE_ID.test(drId)) problems.push(`DR id '${drId}' must be 1–128 letters, digits, '-', '_' or '.'`);
  return problems;
}

/**
 * What every start does first: checks the ids, resolves the pair (a pair of the inventory named by either side's
 * project runs under its `project_id`), and gives the trigger its id (a fresh one unless the sender named it).
 * @throws Error naming each invalid id.
 */
function resolveStart(
  config: Config,
  req: Pick<StartFailoverRequest, 'projectId' | 'drId' | 'trigger'>
): ResolvedPair & { trigger: Trigger } {
  const problems = validateIds(req.projectId, req.drId);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const resolved = resolvePair(config.inventory, req.projectId, req.drId);
  return { ...resolved, trigger: { ...req.trigger, id: req.trigger.id ?? randomUUID() } };
}

/**
 * Starts the failover of one pair, or joins the running one. Resolves once Temporal has durably recorded it. A pair
 * of the inventory named by either side's project (`resolvePair`) runs under its `project_id`: one workflow per pair.
 * @throws Error on invalid ids; Temporal connection errors propagate (callers answer 503 / exit non-zero).
 */
export async function startFailover(
  client: Client,
  config: Config,
  req: StartFailoverRequest
): Promise<StartFailoverResult> {
  const { projectId, drId, pair, trigger } = resolveStart(config, req);
  const workflowId = workflowIds.failover(projectId, drId);
  const input: FailoverInput = {
    projectId,
    drId,
    reason: req.reason,
    trigger,
    ...(req.failedClusterId ? { failedClusterId: req.failedClusterId } : {}),
    ...(req.force ? { force: true } : {}),
    policy: runPolicy(config, projectId, drId, req.policy),
    ...(req.proof ? { proof: req.proof } : {}),
  };
  const summary = runSummary('failover', pair?.name ?? null, input);
  return signalWithStartJoined(client, config, 'failoverWorkflow', workflowId, input, summary);
}

export interface StartPlannedRequest {
  operation: 'switchover' | 'recovery';
  projectId: string;
  drId: string;
  reason: string;
  trigger: Omit<Trigger, 'id'> & { id?: string };
  policy?: Partial<OperationPolicy>;
  /** recovery only: switch back to the original topology once DR runs again. */
  switchBack?: boolean;
  /** A manual start signed by its starter, as for a failover ({@link StartFailoverRequest.proof}). */
  proof?: DecisionProof;
}

/**
 * Starts (or joins) a planned switchover or a recovery of one pair, with the same id, naming and join rules as the
 * failover.
 * @throws Error on invalid ids; Temporal connection errors propagate.
 */
export async function startPlannedOperation(
  client: Client,
  config: Config,
  req: StartPlannedRequest
): Promise<StartFailoverResult> {
  const { projectId, drId, pair, trigger } = resolveStart(config, req);
  const input: PlannedOperationInput = {
    projectId,
    drId,
    reason: req.reason,
    trigger,
    policy: runPolicy(config, projectId, drId, req.policy),
    ...(req.switchBack ? { switchBack: true } : {}),
    ...(req.proof ? { proof: req.proof } : {}),
  };
  const workflowId = workflowIds[req.operation](projectId, drId);
  const type = req.operation === 'switchover' ? 'switchoverWorkflow' : 'recoveryWorkflow';
  const summary = runSummary(req.operation, pair?.name ?? null, input);
  return signalWithStartJoined(client, config, type, workflowId, input, summary);
}

/** The Web UI's limit on a run's static summary, in bytes. */
const SUMMARY_MAX_BYTES = 200;

/**
 * What the Temporal Web UI shows for a run: a one-line summary in its list (operation, pair, trigger; the outcome is
 * the `FailoverOutcome` search attribute) and the details on its page. Markdown; the reason is the starter's text.
 */
export function runSummary(
  operation: DrOperation,
  pairName: string | null,
  input: FailoverInput | PlannedOperationInput
): { staticSummary: string; staticDetails: string } {
  const pair = pairName ? `${pairName} (${input.projectId}/${input.drId})` : `${input.projectId}/${input.drId}`;
  let summary = `${operation} of ${pair} · ${triggerLabel(input.trigger)}`.replace(/\s+/g, ' ');
  while (Buffer.byteLength(summary) > SUMMARY_MAX_BYTES) summary = `${summary.slice(0, -2)}…`;
  const details = [
    `**${operation}** of DR pair ${pairName ? `**${pairName}** ` : ''}\`${input.drId}\` in project \`${input.projectId}\``,
    `Reason: ${input.reason}`,
    `Trigger: ${triggerLabel(input.trigger)} at ${input.trigger.receivedAt} (ref \`${input.trigger.ref}\`)`,
  ].join('\n\n');
  return { staticSummary: summary, staticDetails: details };
}

async function signalWithStartJoined(
  client: Client,
  config: Config,
  workflowType: string,
  workflowId: string,
  input: FailoverInput | PlannedOperationInput,
  summary: { staticSummary: string; staticDetails: string }
): Promise<StartFailoverResult> {
  const { drId, trigger } = input;
  const startToken = randomUUID();
  // A run that closes between "joined" and the signal would lose the trigger: then start again (a new run).
  for (let attempt = 0; ; attempt++) {
    const handle = await client.workflow.signalWithStart<typeof failoverWorkflow, [Trigger]>(workflowType, {
      workflowId,
      taskQueue: config.temporal.taskQueue,
      args: [input as FailoverInput],
      signal: triggerSignal,
      signalArgs: [trigger],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // Unique to this call: only the call that really started the run finds it in the memo.
      memo: { startToken },
      ...summary,
      typedSearchAttributes: [
        { key: DR_ID, value: drId },
        { key: FAILOVER_PHASE, value: 'starting' },
      ],
    });
    try {
      const description = await client.workflow.getHandle(workflowId, handle.signaledRunId).describe();
      const token = (description.memo as { startToken?: string } | undefined)?.startToken;
      return { workflowId, runId: handle.signaledRunId, joined: token !== startToken };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) || attempt >= 2) throw err;
    }
  }
}

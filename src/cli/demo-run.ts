/**
 * What both demos do (`demo` and `demo --region-outage`): tell a numbered story, start a local stack whose worker
 * trusts the demo's key, start a failover as an alert would with its start signed by that key, and follow it to its
 * report. Each demo keeps its own faults, explanations and final check.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { startDevStack, type DevStack, type DevStackOptions } from '../devstack/stack';
import type { SigningKey } from '../identity/keys';
import { signStart } from '../identity/statements';
import { operationWorkflowId, startFailover, type StartFailoverRequest } from '../operations/start-failover';
import type { OperationReport, OperationState } from '../shared/operation-model';
import { renderReport } from '../report/text';
import { println, type CommandContext } from './command';
import { followRun, untilGate } from './session';

/** A demo's story on stdout: plain lines, and steps numbered from 1 in the order they are told. */
export interface DemoScript {
  out(line?: string): void;
  step(text: string): void;
}

export function demoScript(ctx: CommandContext): DemoScript {
  let steps = 0;
  const out = (line = ''): void => println(ctx.stdout, line);
  return { out, step: (text) => out(`\n${++steps}. ${text}`) };
}

/**
 * Starts the demo's local stack: every port chosen by the system (a demo must not collide with a running `dev`), no
 * alert intake, a worker that trusts `approver`; the stack's own lines indented into the story.
 */
export function startDemoStack(
  ctx: CommandContext,
  script: DemoScript,
  approver: SigningKey,
  options: Pick<DevStackOptions, 'crossRegion' | 'simulator'>
): Promise<DevStack> {
  return startDevStack({
    approvers: [approver],
    temporalPort: 0,
    uiPort: 0,
    simulatorPort: 0,
    intakePort: null,
    ...options,
    env: ctx.env,
    log: (line) => script.out(`   ${line}`),
  });
}

/** The failover a demo starts; the trigger and the signed proof are the demo's. */
export type DemoFailover = Pick<StartFailoverRequest, 'projectId' | 'drId' | 'reason' | 'failedClusterId' | 'policy'>;

/**
 * Starts the failover as an alert would, its start signed by `approver` (as `dws-failover failover` signs with the
 * operator's key), prints its workflow id and waits until it asks for approval.
 * @returns its handle and its state at the gate; null when Ctrl-C came first.
 * @throws Error when the run ends before the gate.
 */
export async function startDemoFailover(
  ctx: CommandContext,
  script: DemoScript,
  stack: DevStack,
  approver: SigningKey,
  failover: DemoFailover
): Promise<{ handle: WorkflowHandle; gate: OperationState } | null> {
  const { projectId, drId, reason } = failover;
  const started = await startFailover(stack.client, stack.config, {
    ...failover,
    trigger: { source: 'cli', ref: 'demo', receivedAt: new Date().toISOString(), actor: approver.name },
    proof: signStart(approver, { workflowId: operationWorkflowId(stack.config, 'failover', projectId, drId), reason }),
  });
  script.out(`   workflow ${started.workflowId}`);
  const handle = stack.client.workflow.getHandle(started.workflowId, started.runId);
  const gate = await untilGate(handle, ctx.signal);
  return gate ? { handle, gate } : null;
}

/**
 * Follows the approved run to its end, then tells the step "The report:" and prints it (as JSON with `json`).
 * @returns the report; null when Ctrl-C stopped the following (said on stderr).
 */
export async function followToReport(
  ctx: CommandContext,
  script: DemoScript,
  handle: WorkflowHandle,
  json: boolean
): Promise<OperationReport | null> {
  const report = await followRun(handle, ctx);
  if (!report) {
    println(ctx.stderr, 'Interrupted.');
    return null;
  }
  script.step('The report:');
  script.out(json ? JSON.stringify(report, null, 2) : renderReport(report));
  return report;
}

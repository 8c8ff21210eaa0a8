/**
 * The chaos run's side of Temporal: starting the operation through the front ends' own code, approving it at the
 * gate, and waiting for its report while the Temporal server restarts and workers die.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Config } from '../../src/config';
import { approverKeyLine, generateSigningKey } from '../../src/identity/keys';
import { approveSignedAtGate } from '../../src/operations/signed-approval';
import { progressQuery } from '../../src/shared/messages';
import type { OperationPolicy } from '../../src/shared/policy';
import type { OperationReport, OperationState } from '../../src/shared/operation-model';
import { startFailover, startPlannedOperation, type StartFailoverResult } from '../../src/operations/start-failover';
import type { RunPlan } from './schedule';
import { sleep } from './temporal';

/** Fast, but within the planned bounds: the resend fence is the 3 s request timeout plus 4 s of lag. */
export const CHAOS_POLICY: Partial<OperationPolicy> = {
  pollIntervalSeconds: 0.5,
  completionTimeoutSeconds: 90,
  requestRetryInitialIntervalSeconds: 0.5,
  requestRetryMaxIntervalSeconds: 2,
  heartbeatTimeoutSeconds: 5,
  readAfterWriteWindowSeconds: 7,
  approvalTimeoutSeconds: 120,
  cooldownSeconds: 0,
};

/** A run that has no report by then failed. */
export const RUN_TIMEOUT_MS = 180_000;
/** How long starting the operation may keep failing (Temporal restarting) before the run gives up. */
const START_RETRY_MS = 60_000;

/** Starts (or joins) the run's operation, retrying while Temporal is down. @throws Error after 60 s of failures. */
export async function startOperation(
  client: Client,
  config: Config,
  plan: RunPlan,
  ids: { projectId: string; drId: string },
  primaryId: string
): Promise<StartFailoverResult> {
  const trigger = {
    source: 'api' as const,
    ref: `chaos-${plan.seed}-${plan.run}`,
    receivedAt: new Date().toISOString(),
    actor: 'chaos',
  };
  const common = { ...ids, reason: `chaos --seed ${plan.seed} --run ${plan.run}`, trigger, policy: CHAOS_POLICY };
  const giveUp = Date.now() + START_RETRY_MS;
  for (;;) {
    try {
      if (plan.op === 'failover') return await startFailover(client, config, { ...common, failedClusterId: primaryId });
      return await startPlannedOperation(client, config, { ...common, operation: plan.op });
    } catch (err) {
      // Temporal may be restarting; the start is idempotent (business-key id, USE_EXISTING).
      if (Date.now() > giveUp) throw new Error(`could not start the ${plan.op}: ${(err as Error).message}`);
      await sleep(1000);
    }
  }
}

/** The chaos runs' approver: a key of this process's own (in memory), trusted by its workers. */
const CHAOS_APPROVER = generateSigningKey('chaos').key;

let approverKeys: string | null = null;
/** The approver keys file of the chaos workers (DWS_FAILOVER_APPROVER_KEYS), trusting CHAOS_APPROVER; one per process. */
export function chaosApproverKeysFile(): string {
  if (approverKeys) return approverKeys;
  const dir = mkdtempSync(join(tmpdir(), 'dws-chaos-keys-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  approverKeys = join(dir, 'approver-keys');
  writeFileSync(approverKeys, `${approverKeyLine(CHAOS_APPROVER, 'person')}\n`);
  return approverKeys;
}

/** Approves the run whenever it waits at the approval gate (recovery always does), signing the gate's digest. */
export async function approveWhenAsked(handle: WorkflowHandle, deadline: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted && Date.now() < deadline) {
    const state = await handle.query(progressQuery).catch(() => null as OperationState | null);
    if (state?.outcome) return;
    if (state?.phase === 'awaiting-approval' && state.approval?.decision == null) {
      await approveSignedAtGate(handle, CHAOS_APPROVER, state, 'chaos run', 'chaos').catch(() => undefined);
    }
    if (!(await sleep(500, signal))) return;
  }
}

/** The report, or why there is none by the deadline. Rides out Temporal restarts. */
export async function waitForResult(
  handle: WorkflowHandle<() => Promise<OperationReport>>,
  deadline: number
): Promise<{ report: OperationReport } | { notFinished: string }> {
  let lastError = '';
  while (Date.now() < deadline) {
    const result = handle.result();
    result.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
    });
    try {
      const value = await Promise.race([result, timeout]);
      if (value === 'timeout') break;
      return { report: value };
    } catch (err) {
      if (err instanceof WorkflowFailedError) {
        return { notFinished: `the workflow failed: ${err.cause?.message ?? err.message}` };
      }
      lastError = (err as Error).message;
      await sleep(1000);
    } finally {
      clearTimeout(timer);
    }
  }
  const state = await handle.query(progressQuery).catch(() => null);
  return {
    notFinished: `no result after ${RUN_TIMEOUT_MS / 1000} s (last phase ${state?.phase ?? 'unknown'}${lastError ? `; last error: ${lastError}` : ''})`,
  };
}

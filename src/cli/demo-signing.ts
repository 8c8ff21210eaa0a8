/**
 * The demos' own identity: a key made for the run (in memory, never written), trusted by the demo's worker as the
 * person `dws-failover-demo`, so the demo signs its decisions as production does, with no identity provider.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { generateSigningKey, type SigningKey } from '../identity/keys';
import { signDecision } from '../identity/statements';
import { approveUpdate } from '../shared/messages';
import type { FailoverState } from '../shared/types';

/** The demo's actor: one word, as a name in the approver keys file must be. */
export const DEMO_ACTOR = 'dws-failover-demo';

/** A fresh key for one demo run. */
export function demoApprover(): SigningKey {
  return generateSigningKey(DEMO_ACTOR).key;
}

/** Approves the run waiting at `gate` as the demo's person, signing the evidence digest the gate shows. */
export async function demoApprove(
  handle: WorkflowHandle,
  approver: SigningKey,
  gate: FailoverState,
  comment: string
): Promise<void> {
  const proof = signDecision(approver, {
    action: 'approve',
    workflowId: handle.workflowId,
    runId: gate.runId,
    comment,
    digest: gate.approval?.digest ?? null,
  });
  await handle.executeUpdate(approveUpdate, { args: [{ actor: approver.name, comment, via: 'demo', proof }] });
}

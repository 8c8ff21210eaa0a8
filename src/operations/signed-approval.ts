/**
 * An approval signed by a key of this process (the demos', the chaos run's): it approves the evidence digest the
 * gate shows, as `dws-failover approve` does for a person.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { SigningKey } from '../identity/keys';
import { signDecision } from '../identity/statements';
import { approveUpdate } from '../shared/messages';
import type { OperationState } from '../shared/operation-model';

/** Approves the run waiting at `gate` as the key's owner, signing the digest the gate shows. */
export async function approveSignedAtGate(
  handle: WorkflowHandle,
  approver: SigningKey,
  gate: OperationState,
  comment: string,
  via: string
): Promise<void> {
  const proof = signDecision(approver, {
    action: 'approve',
    workflowId: handle.workflowId,
    runId: gate.runId,
    comment,
    digest: gate.approval?.digest ?? null,
  });
  await handle.executeUpdate(approveUpdate, { args: [{ actor: approver.name, comment, via, proof }] });
}

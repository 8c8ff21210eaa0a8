/**
 * What `dws-failover approve` prints before it signs: the facts behind the gate's evidence digest, the reasons, the
 * approvals so far and any voided ones.
 */
import { describe, expect, it } from 'vitest';
import { renderGateFacts } from '../../src/cli/approval-facts';
import { evidenceDigest, evidenceFacts } from '../../src/shared/identity';
import type { ApprovalState, OperationReport } from '../../src/shared/operation-model';
import { sampleReport } from '../report/sample-report';

/** The sample failover, still waiting at a gate with verified decisions. */
function waiting(approval: Partial<ApprovalState> = {}): OperationReport {
  const base = sampleReport();
  const facts = evidenceFacts({
    checks: base.checks,
    snapshot: null,
    dataLossWindowSeconds: 42,
    dataLossBudgetSeconds: 900,
  });
  facts.primaryClusterId = 'c1f0b9a2-0000-4000-8000-00000000a001';
  facts.standbyClusterId = 'c1f0b9a2-0000-4000-8000-00000000b002';
  facts.drStatus = 'abnormal';
  return sampleReport({
    phase: 'awaiting-approval',
    dataLossWindowSeconds: 42,
    approval: {
      ...base.approval!,
      decision: null,
      actor: null,
      comment: null,
      decidedAt: null,
      via: null,
      digest: evidenceDigest(facts),
      facts,
      required: 2,
      approvals: [],
      voided: [],
      ...approval,
    },
  });
}

describe('the gate approve shows', () => {
  it('names the digest and every fact behind it, the reasons, the approvers needed and the deadline', () => {
    const state = waiting();
    const lines = renderGateFacts(state).join('\n');
    expect(lines).toContain(`The failover ${state.workflowId} waits for approval, because:`);
    expect(lines).toContain('  - the pair policy requires approval for every failover');
    expect(lines).toContain(`What you approve (evidence digest ${state.approval?.digest}):`);
    expect(lines).toMatch(/^ {2}checks {6}\d+ passed, (none failing|failing: .+)$/m);
    expect(lines).toMatch(/^ {2}primary {5}.*c1f0b9a2-0000-4000-8000-00000000a001/m);
    expect(lines).toMatch(/^ {2}standby {5}.*c1f0b9a2-0000-4000-8000-00000000b002/m);
    expect(lines).toContain('  DR status   abnormal');
    expect(lines).toContain('  data loss   within budget: 42s (budget 15m)');
    expect(lines).toContain('  approvers   0 of 2 given');
    expect(lines).toContain('  deadline    2025-03-14 02:41:06Z (no decision by then means no)');
  });

  it('lists the approvals given so far with their verified identity, and the ones the facts voided', () => {
    const identity = { actor: 'alice', method: 'key' as const, keyId: 'alice', detail: null, signedAt: null };
    const record = {
      actor: 'alice',
      comment: 'ok',
      at: '2025-03-14T02:12:00.000Z',
      digest: 'sha256:1',
      identity,
      via: 'cli',
    };
    const state = waiting({
      approvals: [record],
      voided: [
        {
          at: '2025-03-14T02:11:50.000Z',
          digest: 'sha256:0',
          newDigest: 'sha256:1',
          approvals: [{ ...record, actor: 'bob' }],
          changes: ['the DR status went from running to abnormal'],
        },
      ],
    });
    const lines = renderGateFacts(state);
    expect(lines).toContain('  approvers   1 of 2 given: alice (own key) at 2025-03-14 02:12:00Z');
    expect(lines).toContain('  voided      bob approved sha256:0; then the DR status went from running to abnormal');
  });

  it('says when the run shows no digest, and shows nothing once the gate has decided', () => {
    const old = waiting({ digest: undefined, facts: undefined, required: undefined, approvals: undefined });
    expect(renderGateFacts(old)).toContain(
      '  (this run shows no evidence digest: its worker does not verify decisions yet)'
    );
    expect(renderGateFacts(old)).toContain('  approvers   0 of 1 given');
    expect(renderGateFacts(sampleReport())).toEqual([]);
  });
});

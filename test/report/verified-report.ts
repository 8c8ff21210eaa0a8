/**
 * A failover of a critical pair with verified decisions: started by alice with her own key, two approvals of the
 * current evidence (bob through OIDC, carol with a named token), and an earlier approval of dave's voided when the
 * data-loss window crossed its budget. Variations: break-glass, a cancellation through Temporal, an alert's start.
 */
import { evidenceDigest, type EvidenceFacts, type PairAccess, type VerifiedIdentity } from '../../src/shared/identity';
import type { ApprovalRecord, OperationReport } from '../../src/shared/operation-model';
import { sampleReport } from './sample-report';

const PRIMARY = 'c1f0b9a2-0000-4000-8000-00000000a001';
const STANDBY = 'c1f0b9a2-0000-4000-8000-00000000b002';

export const FACTS_BEFORE: EvidenceFacts = {
  checks: [
    { id: 'dr-status', passed: true },
    { id: 'data-loss-window', passed: true },
  ],
  primaryClusterId: PRIMARY,
  standbyClusterId: STANDBY,
  drStatus: 'running',
  dataLoss: 'within budget',
  answeredBy: null,
};

export const FACTS_NOW: EvidenceFacts = {
  ...FACTS_BEFORE,
  checks: [
    { id: 'dr-status', passed: true },
    { id: 'data-loss-window', passed: false },
  ],
  dataLoss: 'over budget (≤ 2× budget)',
};

export const DIGEST_BEFORE = evidenceDigest(FACTS_BEFORE);
export const DIGEST_NOW = evidenceDigest(FACTS_NOW);

export const ALICE: VerifiedIdentity = {
  actor: 'alice',
  method: 'key',
  keyId: 'alice',
  detail: null,
  signedAt: '2025-03-14T02:10:58.000Z',
};
export const BOB: VerifiedIdentity = {
  actor: 'bob@example.com',
  method: 'oidc',
  keyId: 'intake',
  detail: 'https://login.example.com · 00u1bob',
  signedAt: '2025-03-14T02:14:10.000Z',
};
export const CAROL: VerifiedIdentity = {
  actor: 'carol',
  method: 'token',
  keyId: 'intake',
  detail: 'carol-laptop',
  signedAt: '2025-03-14T02:14:39.000Z',
};
export const DAVE: VerifiedIdentity = {
  actor: 'dave',
  method: 'key',
  keyId: 'dave',
  detail: null,
  signedAt: '2025-03-14T02:12:00.000Z',
};
export const BREAK_GLASS: VerifiedIdentity = {
  actor: 'erin',
  method: 'break-glass',
  keyId: 'bg-2025',
  detail: null,
  signedAt: '2025-03-14T02:14:39.000Z',
};

export const CRITICAL_ACCESS: PairAccess = {
  start: ['alice', 'bob@example.com'],
  approve: ['bob@example.com', 'carol', 'dave', 'erin'],
  cancel: null,
  fourEyes: true,
  approvers: 2,
  source: {
    start: 'defaults.access.start',
    approve: 'pair dw-prod-dr access.approve',
    fourEyes: 'pair dw-prod-dr critical',
    approvers: 'pair dw-prod-dr critical',
  },
};

export function approvalOf(
  who: VerifiedIdentity,
  digest: string,
  at: string,
  comment: string,
  via = 'intake'
): ApprovalRecord {
  return { actor: who.actor, comment, at, digest, identity: who, via };
}

/** The finished failover described above; pass overrides for variations. */
export function verifiedReport(overrides: Partial<OperationReport> = {}): OperationReport {
  const base = sampleReport();
  return {
    ...base,
    trigger: { ...base.trigger, source: 'cli', actor: 'alice@bastion', ref: 'cli:alice@bastion' },
    startedBy: ALICE,
    access: CRITICAL_ACCESS,
    approval: {
      ...base.approval!,
      actor: CAROL.actor,
      comment: 'INC-4711: second pair of eyes',
      via: 'intake',
      digest: DIGEST_NOW,
      facts: FACTS_NOW,
      required: 2,
      approvals: [
        approvalOf(BOB, DIGEST_NOW, '2025-03-14T02:14:10.500Z', 'INC-4711: loss accepted'),
        approvalOf(CAROL, DIGEST_NOW, '2025-03-14T02:14:40.990Z', 'INC-4711: second pair of eyes'),
      ],
      voided: [
        {
          at: '2025-03-14T02:13:30.000Z',
          digest: DIGEST_BEFORE,
          newDigest: DIGEST_NOW,
          approvals: [approvalOf(DAVE, DIGEST_BEFORE, '2025-03-14T02:12:00.500Z', 'looks fine', 'cli')],
          changes: [
            'check data-loss-window now fails',
            'the data-loss window went from within budget to over budget (≤ 2× budget)',
          ],
        },
      ],
      identity: CAROL,
    },
    ...overrides,
  };
}

/** The same run, with its second approval given with the sealed break-glass key. */
export function breakGlassReport(): OperationReport {
  const r = verifiedReport();
  const approval = r.approval!;
  approval.actor = BREAK_GLASS.actor;
  approval.approvals = [
    approval.approvals![0]!,
    approvalOf(BREAK_GLASS, DIGEST_NOW, '2025-03-14T02:14:40.990Z', 'IdP down, INC-4711'),
  ];
  approval.identity = BREAK_GLASS;
  return r;
}

/** Started by an alert (unsigned), cancelled through Temporal itself before the request. */
export function temporalCancelReport(): OperationReport {
  const base = sampleReport();
  return {
    ...base,
    startedBy: null,
    access: CRITICAL_ACCESS,
    approval: null,
    decision: { verdict: 'proceed', reasons: [], forced: false },
    cancellation: {
      actor: 'temporal',
      comment: 'cancellation requested through Temporal',
      at: '2025-03-14T02:12:00.000Z',
      afterRequest: false,
      identity: null,
    },
    request: { ...base.request, sent: 0, attempts: 0, accepted: false, acceptedAt: null, disposition: null },
    completion: null,
    outcome: 'cancelled',
    summary: 'Cancelled by temporal: cancellation requested through Temporal.',
  };
}

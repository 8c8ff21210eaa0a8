/**
 * A realistic failover report: approved at the gate after the primary went down, one request after a retried
 * 503, completion seen after a few polls. Its reason and approver comment carry markup that must never run.
 */
import { DEFAULT_POLICY } from '../../src/shared/policy';
import type { OperationReport } from '../../src/shared/operation-model';

export const INJECTED = '<script>document.title="pwned"</script><img src=x onerror="alert(1)">';

/** A finished, approved failover; pass overrides for variations. */
export function sampleReport(overrides: Partial<OperationReport> = {}): OperationReport {
  const drId = '8f3c2a1e-6b1d-4f0e-9a7c-2d5e4b3a1c09';
  const primary = 'c1f0b9a2-0000-4000-8000-00000000a001';
  const standby = 'c1f0b9a2-0000-4000-8000-00000000b002';
  return {
    operation: 'failover',
    workflowId: `dws-failover:0a1b2c3d4e5f:${drId}`,
    runId: '0190f5d2-7c1e-7a4b-9e3f-5d6c7b8a9e01',
    projectId: '0a1b2c3d4e5f',
    drId,
    drName: 'dw-prod-dr',
    reason: `warehouse down ${INJECTED}`,
    force: false,
    policy: { ...DEFAULT_POLICY, approval: 'always' },
    trigger: {
      id: 't-1',
      source: 'alertmanager',
      ref: 'alertmanager:{}:{alertname="DwsClusterDown"}',
      receivedAt: '2025-03-14T02:11:05.120Z',
      actor: 'alertmanager',
      incidentStartedAt: '2025-03-14T02:09:30.000Z',
      status: 'firing',
    },
    failedClusterId: primary,
    phase: 'completed',
    startedAt: '2025-03-14T02:11:05.200Z',
    timeline: [
      { phase: 'starting', at: '2025-03-14T02:11:05.200Z', note: 'alertmanager trigger by alertmanager' },
      { phase: 'prechecks', at: '2025-03-14T02:11:05.260Z' },
      { phase: 'decision', at: '2025-03-14T02:11:06.910Z' },
      {
        phase: 'awaiting-approval',
        at: '2025-03-14T02:11:06.940Z',
        note: 'the pair policy requires approval for every failover',
      },
      { phase: 'requesting', at: '2025-03-14T02:14:41.002Z' },
      { phase: 'polling', at: '2025-03-14T02:14:47.530Z' },
      { phase: 'completed', at: '2025-03-14T02:19:12.800Z', note: 'failed-over' },
    ],
    evidence: [
      {
        triggerId: 't-1',
        source: 'alertmanager',
        ref: 'alertmanager:{}:{alertname="DwsClusterDown"}',
        actor: 'alertmanager',
        firstReceivedAt: '2025-03-14T02:11:05.120Z',
        lastReceivedAt: '2025-03-14T02:16:05.090Z',
        deliveries: 6,
        senders: ['alertmanager', 'alertmanager-b'],
        status: 'firing',
      },
      {
        triggerId: 't-2',
        source: 'cli',
        ref: `cli:oncall@bastion ${INJECTED}`,
        actor: 'oncall@bastion',
        firstReceivedAt: '2025-03-14T02:12:40.000Z',
        lastReceivedAt: '2025-03-14T02:12:40.000Z',
        deliveries: 1,
        senders: ['oncall@bastion'],
      },
    ],
    evidenceOverflow: 0,
    checks: [
      check('dr-exists', 'The DR pair exists', 'hard', true, 'dw-prod-dr (running)', `DR ${drId}`),
      check('dr-status', 'The DR status allows a failover', 'hard', true, 'running', 'running | abnormal'),
      check('failed-cluster-is-primary', 'The failed cluster is still the primary', 'hard', true, primary, primary),
      check('standby-healthy', 'The standby cluster is healthy', 'hard', true, 'AVAILABLE', 'AVAILABLE (or ACTIVE)'),
      check('standby-version', 'The standby runs kernel 8.1.2 or later', 'hard', true, '8.2.1', '≥ 8.1.2'),
      check('data-loss-window', 'The data-loss window is known and within budget', 'soft', true, '42s', '≤ 15m'),
      check(
        'primary-down',
        'The primary is down (else a planned switchover loses no data)',
        'soft',
        true,
        'UNAVAILABLE',
        'UNAVAILABLE (or FAILED)'
      ),
      check(
        'cooldown',
        'The cooldown since the last failover has passed',
        'soft',
        true,
        '3d2h',
        '≥ 1h since the last failover'
      ),
    ],
    snapshot: null,
    decision: {
      verdict: 'needs-approval',
      reasons: ['the pair policy requires approval for every failover'],
      forced: false,
    },
    approval: {
      reasons: ['the pair policy requires approval for every failover'],
      requestedAt: '2025-03-14T02:11:06.940Z',
      deadline: '2025-03-14T02:41:06.940Z',
      decision: 'approved',
      actor: 'alice.sre',
      comment: `INC-4711: data loss of 42s accepted ${INJECTED}`,
      decidedAt: '2025-03-14T02:14:40.990Z',
      via: 'cli',
    },
    cancellation: null,
    request: {
      sent: 1,
      attempts: 2,
      accepted: true,
      acceptedAt: '2025-03-14T02:14:47.500Z',
      disposition: 'accepted',
      requestId: 'req-5f2e9c1d',
      lastError: null,
    },
    completion: {
      completed: true,
      polls: 27,
      pollErrors: 2,
      lastStatus: 'running',
      lastPrimaryClusterId: standby,
      newPrimaryHealth: 'AVAILABLE',
      observedAt: '2025-03-14T02:19:12.700Z',
    },
    oldPrimaryClusterId: primary,
    newPrimaryClusterId: standby,
    dataLossWindowSeconds: 42.38,
    lastFailoverAt: '2025-03-11T00:09:00.000Z',
    outcome: 'failed-over',
    summary: 'The standby of dw-prod-dr (8f3c2a1e) is now the primary; the failover completed.',
    inServiceHands: true,
    rtoSeconds: 582.7,
    rtoFrom: 'incident',
    endedAt: '2025-03-14T02:19:12.800Z',
    ...overrides,
  };
}

function check(
  id: OperationReport['checks'][number]['id'],
  title: string,
  severity: 'hard' | 'soft',
  passed: boolean,
  observed: string,
  expected: string
): OperationReport['checks'][number] {
  return { id, title, severity, passed, observed, expected };
}

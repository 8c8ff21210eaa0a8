import { describe, expect, it } from 'vitest';
import { judgeRun, type PairTruth, type RunEvidence } from '../../scripts/chaos/invariants';

const OLD = 'cluster-old-primary';
const NEW = 'cluster-old-standby';

const pair = (over: Partial<PairTruth> = {}): PairTruth => ({
  primaryClusterId: NEW,
  standbyClusterId: OLD,
  status: 'abnormal',
  failedOver: true,
  busy: false,
  ...over,
});

/** A clean failover: one POST sent and accepted, the roles swapped once. */
const failover = (over: Partial<RunEvidence> = {}): RunEvidence => ({
  op: 'failover',
  outcome: 'failed-over',
  notFinished: null,
  initial: { primaryClusterId: OLD, standbyClusterId: NEW },
  atResult: pair({ roleSwaps: 1 }),
  final: pair({ roleSwaps: 1 }),
  accepted: 1,
  received: 1,
  report: { log: [{ sent: true }], sent: 1 },
  workerKilled: false,
  ...over,
});

describe('chaos invariants: accepted requests', () => {
  it('passes a failover with one accepted request and a matching report', () => {
    expect(judgeRun(failover()).violations).toEqual([]);
  });

  it('fails a run whose operation the service accepted twice', () => {
    const v = judgeRun(failover({ accepted: 2, received: 2, report: { log: [{ sent: true }, { sent: true }] } }));
    expect(v.violations).toContain('the service accepted 2 failover requests (at most 1 allowed)');
  });
});

describe('chaos invariants: fail-backs', () => {
  it('counts a pair whose roles swapped twice as a fail-back', () => {
    const v = judgeRun(failover({ final: pair({ primaryClusterId: OLD, standbyClusterId: NEW, roleSwaps: 2 }) }));
    expect(v.failBack).toBe(true);
    expect(v.failBackSource).toBe('roleSwaps');
  });

  it('falls back to the final primary when the simulator does not count swaps', () => {
    const back = pair({ primaryClusterId: OLD, standbyClusterId: NEW });
    const v = judgeRun(failover({ accepted: 2, received: 2, final: back, report: null }));
    expect(v.failBack).toBe(true);
    expect(v.failBackSource).toBe('final-primary');
  });

  it('sees no fail-back in a recovery, which keeps the roles', () => {
    const recovered = pair({ status: 'running', failedOver: false, roleSwaps: 0 });
    const v = judgeRun(
      failover({
        op: 'recovery',
        outcome: 'recovered',
        initial: { primaryClusterId: NEW, standbyClusterId: OLD },
        atResult: recovered,
        final: recovered,
      })
    );
    expect(v.violations).toEqual([]);
  });
});

describe('chaos invariants: outcome against the ground truth', () => {
  it('refuses a success whose role swap the simulator had not made yet', () => {
    const v = judgeRun(failover({ atResult: pair({ primaryClusterId: OLD, standbyClusterId: NEW, busy: true }) }));
    expect(v.outcomeDisagreement).toMatch(/outcome failed-over, but the primary was still cluster-old-primary/);
  });

  it('refuses a success when the service accepted no request', () => {
    const v = judgeRun(failover({ accepted: 0, received: 0, report: { log: [] } }));
    expect(v.outcomeDisagreement).toMatch(/accepted no failover request/);
  });

  it('refuses a recovery that left the pair failed over', () => {
    const v = judgeRun(
      failover({
        op: 'recovery',
        outcome: 'recovered',
        initial: { primaryClusterId: NEW, standbyClusterId: OLD },
        atResult: pair({ status: 'starting', failedOver: true, busy: true }),
      })
    );
    expect(v.outcomeDisagreement).toMatch(/outcome recovered, but the pair was starting \(still failed over\)/);
  });

  it.each([
    'precheck-failed',
    'rejected',
    'cancelled',
    'failover-refused',
    'approval-timed-out',
    'already-failed-over',
  ])('refuses %s when the service accepted a request', (outcome) => {
    const v = judgeRun(failover({ outcome }));
    expect(v.outcomeDisagreement).toBe(`outcome ${outcome} says nothing was sent, but the service accepted 1`);
  });

  it.each([
    ['switchover', 'switchover-refused'],
    ['recovery', 'recovery-refused'],
  ] as const)('accepts a %s that ends %s with nothing accepted', (op, outcome) => {
    const untouched = pair({ primaryClusterId: OLD, standbyClusterId: NEW, roleSwaps: 0 });
    const v = judgeRun(failover({ op, outcome, accepted: 0, atResult: untouched, final: untouched }));
    expect(v.violations).toEqual([]);
  });

  it('refuses a switchover that ends failover-refused: a refusal is named for its operation', () => {
    const untouched = pair({ primaryClusterId: OLD, standbyClusterId: NEW, roleSwaps: 0 });
    const v = judgeRun(
      failover({ op: 'switchover', outcome: 'failover-refused', accepted: 0, atResult: untouched, final: untouched })
    );
    expect(v.outcomeDisagreement).toBe('outcome failover-refused does not fit a switchover');
  });

  it('accepts failover-refused when nothing was accepted', () => {
    const untouched = pair({ primaryClusterId: OLD, standbyClusterId: NEW, roleSwaps: 0 });
    const v = judgeRun(
      failover({
        outcome: 'failover-refused',
        accepted: 0,
        received: 3,
        atResult: untouched,
        final: untouched,
        report: { log: [{ sent: true }, { sent: true }, { sent: true }] },
      })
    );
    expect(v.violations).toEqual([]);
  });

  it('accepts timed-out whatever the pair did', () => {
    expect(judgeRun(failover({ outcome: 'timed-out', atResult: pair({ busy: true }) })).violations).toEqual([]);
  });

  it('accepts swapped-back only when the roles really swapped back', () => {
    const back = pair({ primaryClusterId: OLD, standbyClusterId: NEW, roleSwaps: 2 });
    expect(judgeRun(failover({ outcome: 'swapped-back', final: back })).outcomeDisagreement).toBeNull();
    expect(judgeRun(failover({ outcome: 'swapped-back' })).outcomeDisagreement).toMatch(/did not swap back/);
  });

  it("refuses another operation's success outcome", () => {
    expect(judgeRun(failover({ outcome: 'switched-over' })).outcomeDisagreement).toBe(
      'outcome switched-over does not fit a failover'
    );
  });

  it('fails a run that did not finish', () => {
    const v = judgeRun(failover({ outcome: null, notFinished: 'no result after 180 s', report: null }));
    expect(v.violations).toEqual(['the run did not finish: no result after 180 s']);
  });
});

describe('chaos invariants: the report against the request log', () => {
  it('accepts a count between the surely sent and the possibly sent attempts', () => {
    const log = [{ sent: true }, { sent: null }, { sent: false }];
    expect(judgeRun(failover({ received: 1, report: { log } })).countDisagreement).toBeNull();
    expect(judgeRun(failover({ received: 2, report: { log } })).countDisagreement).toBeNull();
  });

  it('refuses a count outside that range', () => {
    const log = [{ sent: true }, { sent: null }, { sent: false }];
    expect(judgeRun(failover({ received: 3, report: { log } })).countDisagreement).toBe(
      "the simulator received 3 failover POSTs, the report's request log allows 1–2"
    );
    expect(judgeRun(failover({ received: 0, report: { log } })).countSource).toBe('log');
  });

  it('counts a sent attempt without an answer as possibly lost on the way, never as surely received', () => {
    // The connection broke after the request left: the service may never have read it (seed 20261202, run 96).
    const log = [
      { sent: true, status: 503 },
      { sent: true, status: null },
    ];
    expect(judgeRun(failover({ received: 1, report: { log } })).countDisagreement).toBeNull();
    expect(judgeRun(failover({ received: 2, report: { log } })).countDisagreement).toBeNull();
    expect(judgeRun(failover({ received: 0, report: { log } })).countDisagreement).toBe(
      "the simulator received 0 failover POSTs, the report's request log allows 1–2"
    );
  });

  it('falls back to request.sent: exact without worker kills, a lower bound with them', () => {
    expect(judgeRun(failover({ received: 2, report: { sent: 1 } })).countDisagreement).toMatch(/says 1 were sent$/);
    expect(judgeRun(failover({ received: 2, report: { sent: 1 }, workerKilled: true })).countDisagreement).toBeNull();
    expect(judgeRun(failover({ received: 2, report: { sent: 1 } })).countSource).toBe('sent');
  });
});

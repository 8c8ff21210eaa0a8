/**
 * The exactly-once invariants of one run, checked against the simulator's ground truth. Pure: the runner gathers
 * the evidence, this decides.
 */
import type { Operation } from './schedule';

/** The pair as the simulator holds it (its true state, never a lagging read). */
export interface PairTruth {
  primaryClusterId: string;
  standbyClusterId: string;
  status: string;
  failedOver: boolean;
  /** Whether an operation is still in flight. */
  busy: boolean;
  /** How many times the roles really swapped; undefined when this simulator does not count them. */
  roleSwaps?: number;
}

/** One recorded request attempt of the report (`report.request.log`). */
export interface ReportedAttempt {
  sent: boolean | null;
  /** The HTTP status of its answer; null when none came (a broken connection, a timeout, a lost worker). */
  status?: number | null;
}

export interface RunEvidence {
  op: Operation;
  /** The report's outcome; null when the run did not finish. */
  outcome: string | null;
  /** Why the run did not finish (when `outcome` is null). */
  notFinished: string | null;
  /** The pair as added: for recovery the primary is the old standby that took over. */
  initial: { primaryClusterId: string; standbyClusterId: string };
  /** The pair when the result arrived. */
  atResult: PairTruth | null;
  /** The pair once every delayed request and the operation had settled. */
  final: PairTruth | null;
  /** Mutating requests of the run's operation that the service accepted. */
  accepted: number;
  /** Mutating POSTs of the run's operation that reached the simulator (whatever their answer). */
  received: number;
  /** `report.request.log` when the report has it, and `report.request.sent`. */
  report: { log?: ReportedAttempt[]; sent?: number } | null;
  /** Whether a worker was killed during the run (attempts of a dead worker may be missing from `sent`). */
  workerKilled: boolean;
}

export interface Verdict {
  accepted: number;
  failBack: boolean;
  /** How the fail-back was judged: the simulator's role-swap count, or the final primary. */
  failBackSource: 'roleSwaps' | 'final-primary';
  outcomeDisagreement: string | null;
  countDisagreement: string | null;
  /** Which report field the count was checked against. */
  countSource: 'log' | 'sent' | 'none';
  notFinished: string | null;
  /** Every broken invariant, one sentence each; empty when the run passed. */
  violations: string[];
}

const SUCCESS: Record<Operation, string> = {
  failover: 'failed-over',
  switchover: 'switched-over',
  recovery: 'recovered',
};
/** A refusal by the service is named for the operation: a switchover's is never `failover-refused`. */
const REFUSED: Record<Operation, string> = {
  failover: 'failover-refused',
  switchover: 'switchover-refused',
  recovery: 'recovery-refused',
};
/** Outcomes that promise nothing reached the service (with the operation's own refusal). */
const NOTHING_SENT = new Set(['precheck-failed', 'rejected', 'cancelled', 'approval-timed-out', 'already-failed-over']);

/** Checks one run's evidence against invariants 1–4 (at most one accepted, no fail-back, true outcome, true counts). */
export function judgeRun(e: RunEvidence): Verdict {
  const violations: string[] = [];
  if (e.accepted > 1) violations.push(`the service accepted ${e.accepted} ${e.op} requests (at most 1 allowed)`);

  const { failBack, source: failBackSource, why } = judgeFailBack(e);
  if (failBack) violations.push(why);

  const outcomeDisagreement = e.outcome === null ? null : judgeOutcome(e, e.outcome);
  if (outcomeDisagreement) violations.push(outcomeDisagreement);

  const { disagreement: countDisagreement, source: countSource } = judgeCounts(e);
  if (countDisagreement) violations.push(countDisagreement);

  if (e.notFinished) violations.push(`the run did not finish: ${e.notFinished}`);
  return {
    accepted: e.accepted,
    failBack,
    failBackSource,
    outcomeDisagreement,
    countDisagreement,
    countSource,
    notFinished: e.notFinished,
    violations,
  };
}

function judgeFailBack(e: RunEvidence): { failBack: boolean; source: Verdict['failBackSource']; why: string } {
  const final = e.final;
  if (final?.roleSwaps !== undefined) {
    return {
      failBack: final.roleSwaps > 1,
      source: 'roleSwaps',
      why: `the roles of the pair swapped ${final.roleSwaps} times (a fail-back)`,
    };
  }
  // Without a swap counter: the pair must end where the accepted requests put it.
  const swaps = e.op === 'recovery' ? 0 : Math.min(e.accepted, 1);
  const expected = swaps === 1 ? e.initial.standbyClusterId : e.initial.primaryClusterId;
  const failBack = final !== null && e.accepted > 1 && final.primaryClusterId !== expected;
  return {
    failBack,
    source: 'final-primary',
    why: `the pair ended with primary ${final?.primaryClusterId ?? '?'} instead of ${expected} after ${e.accepted} accepted requests (a fail-back)`,
  };
}

function judgeOutcome(e: RunEvidence, outcome: string): string | null {
  const truth = e.atResult;
  if (outcome === SUCCESS[e.op]) {
    if (truth === null) return `outcome ${outcome}, but the simulator's state could not be read`;
    if (e.accepted === 0) return `outcome ${outcome}, but the service accepted no ${e.op} request`;
    if (e.op === 'recovery') {
      const ok =
        truth.status === 'running' &&
        !truth.failedOver &&
        truth.primaryClusterId === e.initial.primaryClusterId &&
        truth.standbyClusterId === e.initial.standbyClusterId;
      return ok
        ? null
        : `outcome recovered, but the pair was ${truth.status}${truth.failedOver ? ' (still failed over)' : ''} with primary ${truth.primaryClusterId}`;
    }
    return truth.primaryClusterId === e.initial.standbyClusterId
      ? null
      : `outcome ${outcome}, but the primary was still ${truth.primaryClusterId} (status ${truth.status}) when the report came`;
  }
  if (NOTHING_SENT.has(outcome) || outcome === REFUSED[e.op]) {
    return e.accepted === 0 ? null : `outcome ${outcome} says nothing was sent, but the service accepted ${e.accepted}`;
  }
  if (outcome === 'timed-out') return null;
  if (outcome === 'swapped-back') {
    const final = e.final ?? truth;
    const back =
      final !== null &&
      final.primaryClusterId === e.initial.primaryClusterId &&
      (final.roleSwaps === undefined || final.roleSwaps >= 2);
    return back ? null : `outcome swapped-back, but the roles did not swap back (primary ${final?.primaryClusterId})`;
  }
  return `outcome ${outcome} does not fit a ${e.op}`;
}

function judgeCounts(e: RunEvidence): { disagreement: string | null; source: Verdict['countSource'] } {
  if (e.report === null) return { disagreement: null, source: 'none' };
  const { log, sent } = e.report;
  if (Array.isArray(log)) {
    // Surely received: sent and answered. A request that left but got no answer may have been lost on the way (a
    // connection the service's side closed before reading it), so it only counts toward the upper bound.
    const low = log.filter((a) => a.sent === true && a.status !== null).length;
    const high = log.filter((a) => a.sent !== false).length;
    const ok = e.received >= low && e.received <= high;
    return {
      disagreement: ok
        ? null
        : `the simulator received ${e.received} ${e.op} POSTs, the report's request log allows ${low}–${high}`,
      source: 'log',
    };
  }
  if (typeof sent === 'number') {
    // Attempts of a killed worker may be missing from the count: then it is only a lower bound.
    const ok = e.workerKilled ? e.received >= sent : e.received === sent;
    return {
      disagreement: ok
        ? null
        : `the simulator received ${e.received} ${e.op} POSTs, the report says ${sent} were sent${e.workerKilled ? ' (at least)' : ''}`,
      source: 'sent',
    };
  }
  return { disagreement: null, source: 'none' };
}

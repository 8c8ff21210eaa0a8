/**
 * Outcomes: a stable machine code, the CLI exit code and a human sentence for each. Sandbox-safe.
 */
import type { DrOperation, OperationReport, OperationState, Outcome, ReportedOutcome } from './operation-model';

export interface OutcomeInfo {
  /** Stable code for machines (alert routing, dashboards). */
  code: string;
  /** Exit code of `dws-failover … --wait` / `report`: 0 only when the pair ended where it was asked to be. */
  exitCode: number;
  /** One sentence for people, completed with the pair's name and the operation. */
  sentence: (pair: string, operation: DrOperation) => string;
}

/** Every outcome a report names (a run's, and a recovery's switch back's), with its code, exit code and sentence. */
export const OUTCOMES: Readonly<Record<ReportedOutcome, OutcomeInfo>> = Object.freeze({
  'failed-over': {
    code: 'FAILED_OVER',
    exitCode: 0,
    sentence: (pair) => `The standby of ${pair} is now the primary; the failover completed.`,
  },
  'switched-over': {
    code: 'SWITCHED_OVER',
    exitCode: 0,
    sentence: (pair) => `The roles of ${pair} are swapped; the planned switchover completed with no data loss.`,
  },
  recovered: {
    code: 'RECOVERED',
    exitCode: 0,
    sentence: (pair) => `Disaster recovery of ${pair} runs again; the recovery completed.`,
  },
  'already-failed-over': {
    code: 'ALREADY_FAILED_OVER',
    exitCode: 0,
    sentence: (pair) =>
      `The cluster named as failed is no longer the primary of ${pair}: the roles were already swapped, nothing was sent.`,
  },
  rejected: {
    code: 'REJECTED',
    exitCode: 4,
    sentence: (pair, op) => `An approver rejected the ${op} of ${pair}; nothing was sent.`,
  },
  'approval-timed-out': {
    code: 'APPROVAL_TIMED_OUT',
    exitCode: 4,
    sentence: (pair, op) =>
      `Nobody approved the ${op} of ${pair} in time, so it was denied by default; nothing was sent.`,
  },
  cancelled: {
    code: 'CANCELLED',
    exitCode: 5,
    sentence: (pair, op) => `The ${op} of ${pair} was cancelled before the request was sent; nothing was sent.`,
  },
  'precheck-failed': {
    code: 'PRECHECK_FAILED',
    exitCode: 3,
    sentence: (pair, op) => `The pre-checks of ${pair} did not pass, so no ${op} was requested.`,
  },
  // Also what switchovers and recoveries recorded before they had their own: `op` keeps their sentence true.
  'failover-refused': {
    code: 'FAILOVER_REFUSED',
    exitCode: 6,
    sentence: (pair, op) => `The DWS service refused the ${op} request for ${pair}.`,
  },
  'switchover-refused': {
    code: 'SWITCHOVER_REFUSED',
    exitCode: 6,
    sentence: (pair) => `The DWS service refused the switchover request for ${pair}; the roles are unchanged.`,
  },
  'recovery-refused': {
    code: 'RECOVERY_REFUSED',
    exitCode: 6,
    sentence: (pair) =>
      `The DWS service refused the recovery request for ${pair}; the pair stays failed over, without disaster recovery.`,
  },
  // The recovery itself succeeded, but the pair is not where `--switch-back` asked it to be: its own exit code.
  'switch-back-failed': {
    code: 'SWITCH_BACK_FAILED',
    exitCode: 10,
    sentence: (pair) =>
      `Disaster recovery of ${pair} runs again, but the switch back did not complete: the pair runs in the reversed topology. Switch back with \`dws-failover switchover\` once the cause is fixed.`,
  },
  'timed-out': {
    code: 'TIMED_OUT',
    exitCode: 7,
    sentence: (pair, op) =>
      `The ${op} request for ${pair} was accepted, but completion was not seen in time; the operation is in the service's hands.`,
  },
  'swapped-back': {
    code: 'SWAPPED_BACK',
    exitCode: 8,
    sentence: (pair, op) =>
      `The roles of ${pair} were seen swapped by the ${op} and then swapped back: the pair is on its old primary again. Check the pair now; do not start another ${op} before a person has looked.`,
  },
  'not-authorised': {
    code: 'NOT_AUTHORISED',
    exitCode: 9,
    sentence: (pair, op) =>
      `The start of the ${op} of ${pair} was not signed by someone the pair's access rules allow to start it; nothing was read or sent.`,
  },
});

/** The outcome of a request the service refused, for each operation. */
export const REFUSED_OUTCOME: Readonly<Record<DrOperation, Outcome>> = Object.freeze({
  failover: 'failover-refused',
  switchover: 'switchover-refused',
  recovery: 'recovery-refused',
});

/**
 * The outcomes a kind's runs recorded under another name before it had its own: a switchover or recovery the
 * service refused ended `failover-refused` (the same exit code). `runs --outcome switchover-refused` finds those too.
 */
export const RECORDED_BEFORE: Readonly<Partial<Record<Outcome, { outcome: Outcome; operation: DrOperation }>>> =
  Object.freeze({
    'switchover-refused': { outcome: 'failover-refused', operation: 'switchover' },
    'recovery-refused': { outcome: 'failover-refused', operation: 'recovery' },
  });

/**
 * The outcome a run of `operation` means by the one it recorded: the kind's own name for what older runs recorded
 * under another (a switchover's `failover-refused` is `switchover-refused`); any other outcome as recorded.
 */
export function outcomeFor(operation: DrOperation, recorded: string): string {
  for (const [own, before] of Object.entries(RECORDED_BEFORE)) {
    if (before.operation === operation && before.outcome === recorded) return own;
  }
  return recorded;
}

/**
 * The exit code of a run: its outcome's, except that a recovery asked to switch back whose switch back did not end
 * `switched-over` exits with `switch-back-failed`'s (10): the pair is not where it was asked to be. Null while the
 * run has no outcome yet (each command says what running means for it).
 */
export function exitCodeOf(s: Pick<OperationReport, 'outcome' | 'switchBack'>): number;
export function exitCodeOf(s: Pick<OperationState, 'outcome' | 'switchBack'>): number | null;
export function exitCodeOf(s: Pick<OperationState, 'outcome' | 'switchBack'>): number | null {
  if (s.outcome === null) return null;
  if (switchBackFailed(s)) return OUTCOMES['switch-back-failed'].exitCode;
  return OUTCOMES[s.outcome].exitCode;
}

/** A recovery asked to switch back whose switch back did not end `switched-over` (it ran and failed, or never ran). */
export function switchBackFailed(s: Pick<OperationState, 'switchBack'>): boolean {
  return s.switchBack !== undefined && s.switchBack.outcome !== 'switched-over';
}

/** The outcome that means success for each operation. */
export const SUCCESS_OUTCOME: Readonly<Record<DrOperation, Outcome>> = Object.freeze({
  failover: 'failed-over',
  switchover: 'switched-over',
  recovery: 'recovered',
});

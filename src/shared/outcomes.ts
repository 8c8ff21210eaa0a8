/**
 * Outcomes: a stable machine code, the CLI exit code and a human sentence for each. Sandbox-safe.
 */
import type { DrOperation, Outcome } from './operation-model';

export interface OutcomeInfo {
  /** Stable code for machines (alert routing, dashboards). */
  code: string;
  /** Exit code of `dws-failover … --wait` / `report`: 0 only when the pair ended where it was asked to be. */
  exitCode: number;
  /** One sentence for people, completed with the pair's name and the operation. */
  sentence: (pair: string, operation: DrOperation) => string;
}

export const OUTCOMES: Readonly<Record<Outcome, OutcomeInfo>> = Object.freeze({
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
  'failover-refused': {
    code: 'FAILOVER_REFUSED',
    exitCode: 6,
    sentence: (pair, op) => `The DWS service refused the ${op} request for ${pair}.`,
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

/** The outcome that means success for each operation. */
export const SUCCESS_OUTCOME: Readonly<Record<DrOperation, Outcome>> = Object.freeze({
  failover: 'failed-over',
  switchover: 'switched-over',
  recovery: 'recovered',
});

/**
 * Outcomes: a stable machine code, the CLI exit code and a human sentence for each. Sandbox-safe.
 */
import type { Outcome } from './types';

export interface OutcomeInfo {
  /** Stable code for machines (alert routing, dashboards). */
  code: string;
  /** Exit code of `dws-failover failover --wait` / `report`. 0 only when the pair is (now) served by the standby. */
  exitCode: number;
  /** One sentence for people, completed with the pair's name. */
  sentence: (pair: string) => string;
}

export const OUTCOMES: Readonly<Record<Outcome, OutcomeInfo>> = Object.freeze({
  'failed-over': {
    code: 'FAILED_OVER',
    exitCode: 0,
    sentence: (pair) => `The standby of ${pair} is now the primary; the failover completed.`,
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
    sentence: (pair) => `An approver rejected the failover of ${pair}; nothing was sent.`,
  },
  'approval-timed-out': {
    code: 'APPROVAL_TIMED_OUT',
    exitCode: 4,
    sentence: (pair) =>
      `Nobody approved the failover of ${pair} in time, so it was denied by default; nothing was sent.`,
  },
  cancelled: {
    code: 'CANCELLED',
    exitCode: 5,
    sentence: (pair) => `The failover of ${pair} was cancelled before the request was sent; nothing was sent.`,
  },
  'precheck-failed': {
    code: 'PRECHECK_FAILED',
    exitCode: 3,
    sentence: (pair) => `The pre-checks of ${pair} did not pass, so no failover was requested.`,
  },
  'failover-refused': {
    code: 'FAILOVER_REFUSED',
    exitCode: 6,
    sentence: (pair) => `The DWS service refused the failover request for ${pair}.`,
  },
  'timed-out': {
    code: 'TIMED_OUT',
    exitCode: 7,
    sentence: (pair) =>
      `The failover request for ${pair} was accepted, but completion was not seen in time; the operation is in the service's hands.`,
  },
});

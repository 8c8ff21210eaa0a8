import { describe, expect, it } from 'vitest';
import { resolvedMayCancel } from '../../src/temporal/resolved';
import type { FailoverState } from '../../src/shared/types';

const state = (phase: string, sent = 0, outcome: FailoverState['outcome'] = null) =>
  ({ phase, outcome, request: { sent } }) as unknown as Pick<FailoverState, 'phase' | 'outcome' | 'request'>;

describe('whether a resolved alert cancels a failover', () => {
  it.each(['starting', 'prechecks', 'decision', 'awaiting-approval'])(
    'cancels in %s when the policy allows it',
    (phase) => {
      expect(resolvedMayCancel({ resolvedAlertCancels: true }, state(phase))).toBe(true);
    }
  );

  it.each(['requesting', 'polling', 'completed'])(
    'never cancels in %s: the request may have reached the service',
    (phase) => {
      expect(resolvedMayCancel({ resolvedAlertCancels: true }, state(phase))).toBe(false);
    }
  );

  it('never cancels when the policy does not allow it, once a request was sent, or after the run ended', () => {
    expect(resolvedMayCancel({ resolvedAlertCancels: false }, state('prechecks'))).toBe(false);
    expect(resolvedMayCancel({ resolvedAlertCancels: true }, state('decision', 1))).toBe(false);
    expect(resolvedMayCancel({ resolvedAlertCancels: true }, state('prechecks', 0, 'precheck-failed'))).toBe(false);
  });
});

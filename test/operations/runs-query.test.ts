import { describe, expect, it } from 'vitest';
import { RUN_OUTCOMES, runsQuery } from '../../src/operations/runs';
import { outcomeFor } from '../../src/shared/outcomes';

describe('runs: outcomes named for each kind', () => {
  it('finds the switchovers that recorded failover-refused when asked for switchover-refused', () => {
    expect(runsQuery({ outcome: 'switchover-refused' })).toContain(
      `(FailoverOutcome = 'switchover-refused' OR (FailoverOutcome = 'failover-refused' AND WorkflowType = 'switchoverWorkflow'))`
    );
  });

  it('finds only failovers when asked for failover-refused', () => {
    expect(runsQuery({ outcome: 'failover-refused' })).toContain(
      `(FailoverOutcome = 'failover-refused' AND WorkflowType != 'switchoverWorkflow' AND WorkflowType != 'recoveryWorkflow')`
    );
    expect(runsQuery({ outcome: 'recovered' })).toMatch(/ AND FailoverOutcome = 'recovered'$/);
  });

  it("shows an old run's refusal under its kind's name, and every other outcome as recorded", () => {
    expect(outcomeFor('switchover', 'failover-refused')).toBe('switchover-refused');
    expect(outcomeFor('recovery', 'failover-refused')).toBe('recovery-refused');
    expect(outcomeFor('failover', 'failover-refused')).toBe('failover-refused');
    expect(outcomeFor('switchover', 'precheck-failed')).toBe('precheck-failed');
  });

  it('offers the new outcomes to --outcome, but not switch-back-failed, which no run ends with', () => {
    expect(RUN_OUTCOMES).toEqual(expect.arrayContaining(['switchover-refused', 'recovery-refused']));
    expect(RUN_OUTCOMES).not.toContain('switch-back-failed');
  });
});

/**
 * The service timing belongs to the worker: a run reads it from the worker that serves it, whatever the starter's
 * configuration said, while the business policy is fixed when the run starts and recorded in its input.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { businessPart, TIMING_FIELDS } from '../../src/shared/policy';
import type { FailoverInput, OperationReport } from '../../src/shared/operation-model';
import { drillInput } from '../../src/drills/drill-schedule';
import { startFailover } from '../../src/operations/start-failover';
import { scenario } from '../helpers/scenario';

describe('the service timing', () => {
  it("follows the serving worker's configuration, not the starter's", async () => {
    const t = await scenario({
      env: {
        DWS_FAILOVER_POLL_INTERVAL: '0.4s',
        DWS_FAILOVER_READ_AFTER_WRITE_WINDOW: '7s',
        DWS_FAILOVER_COMPLETION_TIMEOUT: '77s',
        DWS_FAILOVER_DATA_LOSS_BUDGET: '1h',
      },
    });
    // The starter (an intake, a CLI on a laptop) has its own configuration: a 10 s poll and a 2 min budget.
    const starter = loadConfig(
      { ...t.workerEnv, DWS_FAILOVER_POLL_INTERVAL: '10s', DWS_FAILOVER_DATA_LOSS_BUDGET: '2m' },
      { requireDws: true }
    );
    t.sim.outage(t.primaryId);
    const started = await startFailover(t.client, starter, {
      projectId: t.projectId,
      drId: t.drId,
      reason: 'worker timing',
      trigger: { source: 'api', ref: 'test', receivedAt: new Date().toISOString(), actor: 'vitest' },
    });
    const handle = t.handle(started);
    const report = (await handle.result()) as OperationReport;

    expect(report.outcome, report.summary).toBe('failed-over');
    // Timing: the worker's. Business policy: the starter's, recorded when the run started.
    expect(report.policy).toMatchObject({
      pollIntervalSeconds: 0.4,
      readAfterWriteWindowSeconds: 7,
      completionTimeoutSeconds: 77,
      dataLossBudgetSeconds: 120,
    });
    const history = await handle.fetchHistory();
    const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
    const started0 = JSON.parse(Buffer.from(input ?? new Uint8Array()).toString('utf8')) as FailoverInput;
    expect(Object.keys(started0.policy ?? {}).filter((k) => (TIMING_FIELDS as readonly string[]).includes(k))).toEqual(
      []
    );
  });

  it('is never frozen into a drill schedule: its input carries the business policy only', () => {
    const config = loadConfig({ DWS_FAILOVER_POLL_INTERVAL: '3s', DWS_FAILOVER_COOLDOWN: '2h' });
    const input = drillInput(
      config,
      {
        pair: { projectId: 'p1', drId: 'd1', name: 'pair', entry: null },
        mode: 'precheck',
        actor: 'vitest',
      },
      'schedule',
      { scheduleId: 's1', cron: '0 3 * * 1', timezone: 'UTC', blackouts: [] }
    );
    expect(input.policy).toEqual(businessPart(config.policy));
    expect(input.policy).toMatchObject({ cooldownSeconds: 7200 });
    expect(input.policy).not.toHaveProperty('pollIntervalSeconds');
  });
});

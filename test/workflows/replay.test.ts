import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, makeTelemetryFilterString, Runtime, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { discardedWorkflowSpans, WORKFLOW_TRACING_MODULE } from '../../src/observability/tracing';
import { WorkerMetrics } from '../../src/observability/worker-metrics';
import { WORKFLOWS_PATH } from '../../src/worker';

// A determinism error is reported by the test itself; keep the SDK's per-task warnings out of the output.
Runtime.install({
  logger: new DefaultLogger('ERROR'),
  telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
});

const FIXTURES = path.resolve(__dirname, '../fixtures/histories');
const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));

/** The JSON form of `temporal workflow show --output json`, as far as this test reads it. */
interface RecordedHistory {
  events: { workflowExecutionStartedEventAttributes?: { workflowId?: string } }[];
}

describe('workflow determinism', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it('replays every recorded integration history without a determinism error', { timeout: 120_000 }, async () => {
    // Each run replays under its own workflow id (its first event has it): the ids of the children it started, such as
    // its notifications (`{workflowId}/{runId}/notify-n`), are built from it and must match the recorded ones.
    const histories = files.map((f) => {
      const history = JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as RecordedHistory;
      return { workflowId: history.events[0]?.workflowExecutionStartedEventAttributes?.workflowId ?? f, history };
    });
    const failures: string[] = [];
    // The runs' metrics sink, as a worker registers it (its calls during replay change no counter).
    const metrics = new WorkerMetrics();
    // The production bundle carries the OpenTelemetry workflow interceptors (src/devstack/bundle.ts) whether tracing
    // is on or not; they change when an update's completion is ordered against the workflow's own commands.
    const options = {
      workflowsPath: WORKFLOWS_PATH,
      interceptors: { workflowModules: [WORKFLOW_TRACING_MODULE] },
      sinks: { ...metrics.sinks(), ...discardedWorkflowSpans() },
    };
    // One history at a time, in order: the n-th result is the n-th file's.
    let i = 0;
    for await (const result of Worker.runReplayHistories(options, histories)) {
      if (result.error) failures.push(`${files[i]}: ${result.error.message}`);
      i += 1;
    }
    metrics.close();
    expect(failures).toEqual([]);
    expect(metrics.registry.render()).not.toMatch(/^dws_failover_operations_total/m);
  });
});

/**
 * The worker's own Prometheus metrics: operations in flight by kind and phase, outcomes, RTO and data-loss window
 * (from the runs, through the `operations` workflow sink), DWS requests and rate-limiter waits (from the DWS
 * client's diagnostics channels). docs/operations.md describes each one.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { InjectedSinks } from '@temporalio/worker';
import type { WorkflowInfo } from '@temporalio/workflow';
import { dwsRateWaitChannel, dwsRequestChannel, type DwsRateWaitEvent, type DwsRequestEvent } from '../dws/events';
import { Registry } from '../metrics/registry';
import type { EndEvent, OperationSinks, PhaseEvent } from '../shared/operation-sinks';

/** DWS request latency: reads answer in tens of milliseconds; the request timeout is 15 s by default. */
const REQUEST_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];
/** Rate-limiter waits: zero while it does not bind; seconds to minutes in a region-wide outage. */
const WAIT_BUCKETS = [0.001, 0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** RTO: a failover takes minutes; the buckets reach the default completion timeout and beyond. */
const RTO_BUCKETS = [30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 7200, 14400];
/** Data-loss window: seconds of replication lag up to hours for a standby that fell behind. */
const DATA_LOSS_BUCKETS = [0, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 14400];

interface InFlight {
  operation: string;
  phase: string;
  /** Unix seconds of the phase's start. */
  since: number;
}

/** See the module comment. `close()` stops listening to the DWS client. */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly #inFlight = new Map<string, InFlight>();
  readonly #inFlightGauge = this.registry.gauge(
    'dws_failover_operations_in_flight',
    'Runs in progress on this worker by kind (failover, switchover, recovery) and phase.'
  );
  readonly #oldestPhase = this.registry.gauge(
    'dws_failover_operation_phase_oldest_start_timestamp_seconds',
    'Unix time at which the longest-waiting run in this kind and phase entered it (time() minus this: how long it is stuck).'
  );
  readonly #outcomes = this.registry.counter(
    'dws_failover_operations_total',
    'Runs ended on this worker by kind and outcome (failed-over, already-failed-over, rejected, timed-out, ...).'
  );
  readonly #rto = this.registry.histogram(
    'dws_failover_operation_rto_seconds',
    'Recovery time of completed operations: from the incident start (or the trigger) to the new primary confirmed.',
    RTO_BUCKETS
  );
  readonly #dataLoss = this.registry.histogram(
    'dws_failover_operation_data_loss_window_seconds',
    'Data-loss window measured before the switch (now minus the standby last sync), of ended operations that measured it.',
    DATA_LOSS_BUCKETS
  );
  readonly #requests = this.registry.counter(
    'dws_failover_dws_requests_total',
    'DWS API exchanges by endpoint (API operation) and status (HTTP status, timeout, network-error, cancelled).'
  );
  readonly #requestSeconds = this.registry.histogram(
    'dws_failover_dws_request_duration_seconds',
    'DWS API exchange latency by endpoint (API operation), until the whole answer is read.',
    REQUEST_BUCKETS
  );
  readonly #rateWait = this.registry.histogram(
    'dws_failover_dws_rate_limit_wait_seconds',
    'Time a DWS call waited for the shared rate limiter, by priority (send, high, low).',
    WAIT_BUCKETS
  );
  readonly #onRequest = (message: unknown): void => {
    const e = message as DwsRequestEvent;
    this.#requests.inc({ endpoint: e.operation, status: e.status });
    this.#requestSeconds.observe({ endpoint: e.operation }, e.seconds);
  };
  readonly #onRateWait = (message: unknown): void => {
    const e = message as DwsRateWaitEvent;
    this.#rateWait.observe({ priority: e.priority }, e.seconds);
  };

  constructor() {
    subscribe(dwsRequestChannel.name, this.#onRequest);
    subscribe(dwsRateWaitChannel.name, this.#onRateWait);
    this.registry.onCollect(() => this.#collectInFlight());
  }

  /**
   * The worker's `operations` sinks. They run during replay too, so a worker that takes over a run (after a
   * restart or a cache eviction elsewhere) knows its current phase; counters and histograms only count live events.
   */
  sinks(): InjectedSinks<OperationSinks> {
    return {
      operations: {
        phase: { fn: (info, event) => this.#phase(info, event), callDuringReplay: true },
        ended: { fn: (info, event) => this.#ended(info, event), callDuringReplay: true },
      },
    };
  }

  /** Stops listening to the DWS client's events. */
  close(): void {
    unsubscribe(dwsRequestChannel.name, this.#onRequest);
    unsubscribe(dwsRateWaitChannel.name, this.#onRateWait);
  }

  #phase(info: WorkflowInfo, event: PhaseEvent): void {
    if (event.phase === 'completed') return;
    const since = Date.parse(event.at) / 1000;
    this.#inFlight.set(runKey(info), { operation: event.operation, phase: event.phase, since });
  }

  #ended(info: WorkflowInfo, event: EndEvent): void {
    this.#inFlight.delete(runKey(info));
    if (info.unsafe.isReplayingHistoryEvents) return;
    const kind = { kind: event.operation };
    this.#outcomes.inc({ ...kind, outcome: event.outcome });
    if (event.rtoSeconds !== null) this.#rto.observe(kind, event.rtoSeconds);
    if (event.dataLossWindowSeconds !== null) this.#dataLoss.observe(kind, event.dataLossWindowSeconds);
  }

  #collectInFlight(): void {
    const counts = new Map<string, { labels: Record<string, string>; n: number; oldest: number }>();
    for (const run of this.#inFlight.values()) {
      const key = `${run.operation}\u0000${run.phase}`;
      const entry = counts.get(key) ?? { labels: { kind: run.operation, phase: run.phase }, n: 0, oldest: run.since };
      entry.n += 1;
      entry.oldest = Math.min(entry.oldest, run.since);
      counts.set(key, entry);
    }
    this.#inFlightGauge.clear();
    this.#oldestPhase.clear();
    for (const { labels, n, oldest } of counts.values()) {
      this.#inFlightGauge.set(labels, n);
      this.#oldestPhase.set(labels, oldest);
    }
  }
}

const runKey = (info: WorkflowInfo): string => `${info.workflowId}\u0000${info.runId}`;

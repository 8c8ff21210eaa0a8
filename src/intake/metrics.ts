/**
 * The intake's Prometheus metrics (`GET /metrics`): requests by route and status, a latency histogram by route,
 * workflows started/joined and resolved alerts by source, and errors by kind. On the shared registry, with the
 * worker's conventions (docs/operations.md lists both).
 */
import { Registry } from '../metrics/registry';

/** Latency buckets in seconds: the answer must stay well under PagerDuty's 5 s. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The registry of one intake server. */
export class IntakeMetrics {
  readonly #registry = new Registry();
  readonly requests = this.#registry.counter(
    'dws_failover_intake_requests_total',
    'HTTP requests by route and status.'
  );
  readonly latency = this.#registry.histogram(
    'dws_failover_intake_request_duration_seconds',
    'Time from request to answer, by route.',
    BUCKETS
  );
  readonly workflows = this.#registry.counter(
    'dws_failover_intake_workflows_total',
    'Failover workflows by source and result (started, joined) and resolved alerts (recorded, cancelled, no-running-failover).'
  );
  readonly errors = this.#registry.counter(
    'dws_failover_intake_errors_total',
    'Errors by kind: temporal_unavailable, unauthorized, invalid_body, invalid_json, payload_too_large, no_pair, internal.'
  );

  /** Counts one answered request. */
  request(route: string, status: number, seconds: number): void {
    this.requests.inc({ route, status: String(status) });
    this.latency.observe({ route }, seconds);
  }

  /** The exposition text. */
  render(): string {
    return this.#registry.render();
  }
}

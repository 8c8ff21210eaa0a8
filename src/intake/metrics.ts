/**
 * The intake's Prometheus metrics (`GET /metrics`, text format 0.0.4): requests by route and status, a latency
 * histogram by route, workflows started/joined and resolved alerts by source, and errors by kind. Written by
 * hand: four series do not justify a client library.
 */

/** Latency buckets in seconds: the answer must stay well under PagerDuty's 5 s. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Record<string, string>): string =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${escape(v)}"`)
    .join(',')}}`;

class Counter {
  private readonly values = new Map<string, { labels: Record<string, string>; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string
  ) {}
  inc(labels: Record<string, string>, by = 1): void {
    const key = labelText(labels);
    const entry = this.values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(key, entry);
  }
  get(labels: Record<string, string>): number {
    return this.values.get(labelText(labels))?.value ?? 0;
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, { value }] of this.values) lines.push(`${this.name}${key} ${value}`);
    return lines;
  }
}

class Histogram {
  private readonly series = new Map<
    string,
    { labels: Record<string, string>; counts: number[]; sum: number; n: number }
  >();
  constructor(
    readonly name: string,
    readonly help: string
  ) {}
  observe(labels: Record<string, string>, seconds: number): void {
    const key = labelText(labels);
    const s = this.series.get(key) ?? { labels, counts: BUCKETS.map(() => 0), sum: 0, n: 0 };
    BUCKETS.forEach((le, i) => {
      if (seconds <= le) s.counts[i] = (s.counts[i] ?? 0) + 1;
    });
    s.sum += seconds;
    s.n += 1;
    this.series.set(key, s);
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.series.values()) {
      BUCKETS.forEach((le, i) =>
        lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(le) })} ${s.counts[i]}`)
      );
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.n}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`);
      lines.push(`${this.name}_count${labelText(s.labels)} ${s.n}`);
    }
    return lines;
  }
}

/** The registry of one intake server. */
export class IntakeMetrics {
  readonly requests = new Counter('dws_failover_intake_requests_total', 'HTTP requests by route and status.');
  readonly latency = new Histogram(
    'dws_failover_intake_request_duration_seconds',
    'Time from request to answer, by route.'
  );
  readonly workflows = new Counter(
    'dws_failover_intake_workflows_total',
    'Failover workflows by source and result (started, joined) and resolved alerts (recorded, cancelled, no-running-failover).'
  );
  readonly errors = new Counter(
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
    return [...this.requests.render(), ...this.latency.render(), ...this.workflows.render(), ...this.errors.render()]
      .join('\n')
      .concat('\n');
  }
}

/**
 * A small Prometheus registry (text exposition format 0.0.4) shared by the worker and the intake: counters, gauges
 * and histograms with labels, `# HELP`/`# TYPE` lines and escaped label values. Written by hand: a dozen series do
 * not justify a client library. Names follow Prometheus conventions: the `dws_failover_` prefix, a unit suffix
 * (`_seconds`), `_total` on counters.
 */

export type Labels = Record<string, string>;

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

/** `{a="1",b="2"}`, or nothing for no labels. */
export function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

const formatValue = (v: number): string =>
  Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);

abstract class Metric {
  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  constructor(
    readonly name: string,
    readonly help: string
  ) {}
  protected header(): string[] {
    return [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
  }
  abstract render(): string[];
}

/** A value per label set that only goes up. */
export class Counter extends Metric {
  readonly type = 'counter';
  readonly #values = new Map<string, number>();
  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    this.#values.set(key, (this.#values.get(key) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.#values.get(labelText(labels)) ?? 0;
  }
  render(): string[] {
    return [...this.header(), ...[...this.#values].map(([key, v]) => `${this.name}${key} ${formatValue(v)}`)];
  }
}

/** A value per label set that is set as a whole each time (e.g. from a collect hook before rendering). */
export class Gauge extends Metric {
  readonly type = 'gauge';
  readonly #values = new Map<string, number>();
  set(labels: Labels, value: number): void {
    this.#values.set(labelText(labels), value);
  }
  /** Forgets every label set (a gauge rebuilt from current state drops the sets that are gone). */
  clear(): void {
    this.#values.clear();
  }
  render(): string[] {
    return [...this.header(), ...[...this.#values].map(([key, v]) => `${this.name}${key} ${formatValue(v)}`)];
  }
}

interface HistogramSeries {
  labels: Labels;
  counts: number[];
  sum: number;
  n: number;
}

/** Observations per label set in cumulative buckets (upper bounds, ascending), with `_sum` and `_count`. */
export class Histogram extends Metric {
  readonly type = 'histogram';
  readonly #series = new Map<string, HistogramSeries>();
  constructor(
    name: string,
    help: string,
    readonly buckets: readonly number[]
  ) {
    super(name, help);
  }
  observe(labels: Labels, value: number): void {
    const key = labelText(labels);
    let s = this.#series.get(key);
    if (!s) this.#series.set(key, (s = { labels, counts: this.buckets.map(() => 0), sum: 0, n: 0 }));
    this.buckets.forEach((le, i) => {
      if (value <= le) s.counts[i] = (s.counts[i] ?? 0) + 1;
    });
    s.sum += value;
    s.n += 1;
  }
  render(): string[] {
    const lines = this.header();
    for (const s of this.#series.values()) {
      this.buckets.forEach((le, i) =>
        lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(le) })} ${s.counts[i] ?? 0}`)
      );
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.n}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${formatValue(s.sum)}`);
      lines.push(`${this.name}_count${labelText(s.labels)} ${s.n}`);
    }
    return lines;
  }
}

/** The content type of the text exposition format. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Metrics of one process part, rendered in registration order. */
export class Registry {
  readonly #metrics: Metric[] = [];
  readonly #collectors: (() => void)[] = [];

  counter(name: string, help: string): Counter {
    return this.#add(new Counter(name, help));
  }
  gauge(name: string, help: string): Gauge {
    return this.#add(new Gauge(name, help));
  }
  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    return this.#add(new Histogram(name, help, buckets));
  }
  /** Runs `collect` before each rendering (gauges computed from current state). */
  onCollect(collect: () => void): void {
    this.#collectors.push(collect);
  }

  /** The exposition text, ending with a newline. */
  render(): string {
    for (const collect of this.#collectors) collect();
    return `${this.#metrics.flatMap((m) => m.render()).join('\n')}\n`;
  }

  #add<M extends Metric>(metric: M): M {
    if (this.#metrics.some((m) => m.name === metric.name)) throw new Error(`metric ${metric.name} registered twice`);
    this.#metrics.push(metric);
    return metric;
  }
}

/**
 * Small statistics over samples: percentiles, and the busiest one-second window of a request log.
 */

/** The p-th percentile (nearest rank) of `values`; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  const s = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** The largest value; NaN when empty. */
export function max(values: readonly number[]): number {
  return values.reduce((m, v) => (Number.isFinite(v) && (Number.isNaN(m) || v > m) ? v : m), NaN);
}

/**
 * The most events in any window of `windowMs` (sliding, not aligned to whole seconds): the figure an API gateway
 * with a sliding limit would see.
 */
export function busiestWindow(timesMs: readonly number[], windowMs = 1000): number {
  const t = [...timesMs].sort((a, b) => a - b);
  let best = 0;
  for (let lo = 0, hi = 0; hi < t.length; hi++) {
    while ((t[hi] as number) - (t[lo] as number) >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** Where the busiest window of `windowMs` starts (epoch ms), or NaN when there are no events. */
export function busiestWindowStart(timesMs: readonly number[], windowMs = 1000): number {
  const t = [...timesMs].sort((a, b) => a - b);
  let best = 0;
  let start = NaN;
  for (let lo = 0, hi = 0; hi < t.length; hi++) {
    while ((t[hi] as number) - (t[lo] as number) >= windowMs) lo++;
    if (hi - lo + 1 > best) [best, start] = [hi - lo + 1, t[lo] as number];
  }
  return start;
}

/** The most events in one whole wall-clock second (the aligned count, as bench-outage prints it). */
export function busiestSecond(timesMs: readonly number[]): number {
  const perSecond = new Map<number, number>();
  for (const ms of timesMs) perSecond.set(Math.floor(ms / 1000), (perSecond.get(Math.floor(ms / 1000)) ?? 0) + 1);
  return Math.max(0, ...perSecond.values());
}

/** `1.23 s`, or `–` for NaN. */
export const seconds = (ms: number, digits = 2): string =>
  Number.isFinite(ms) ? `${(ms / 1000).toFixed(digits)} s` : '–';

import { describe, expect, it } from 'vitest';
import {
  AFTER_ERROR_MS,
  CONFIRM_RETRY_MS,
  DEFAULT_EXPECTED_MS,
  DENSE_MS,
  expectedDurationMs,
  FLOOR_MS,
  nextPollDelay,
  SPARSE_MS,
  type PollPlanInput,
} from '../../src/activities/operations/poll-plan';

/** The default poll interval (10 s): the planner's upper bound in production. */
const POLL_MS = 10_000;

const plan = (elapsedMs: number, over: Partial<PollPlanInput> = {}): number =>
  nextPollDelay({ elapsedMs, expectedMs: 30_000, maxIntervalMs: POLL_MS, stage: 'running', ...over });

/** A seeded generator (mulberry32), so a failure is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * Follows one operation that ends `durationMs` after acceptance on the planner's schedule alone: a read at 0, then
 * one after every planned sleep, until a read comes at or after the end (each read takes `readMs`).
 */
function follow(durationMs: number, expectedMs: number, readMs = 0): { lagMs: number; reads: number; spanMs: number } {
  let at = 0;
  let reads = 1;
  while (at < durationMs) {
    at += readMs + nextPollDelay({ elapsedMs: at + readMs, expectedMs, maxIntervalMs: POLL_MS, stage: 'running' });
    reads += 1;
  }
  return { lagMs: at - durationMs, reads, spanMs: at };
}

/** 1,000 operations: the median lag from end to the read that sees it, and reads per second over them all. */
function fleet(operation: (next: () => number) => { durationMs: number; expectedMs: number }, readMs = 0) {
  const next = random(20_240_601);
  const lags: number[] = [];
  let reads = 0;
  let spanMs = 0;
  for (let i = 0; i < 1_000; i += 1) {
    const { durationMs, expectedMs } = operation(next);
    const f = follow(durationMs, expectedMs, readMs);
    lags.push(f.lagMs);
    reads += f.reads;
    spanMs += f.spanMs;
  }
  lags.sort((a, b) => a - b);
  return { medianLagMs: ((lags[499] as number) + (lags[500] as number)) / 2, readsPerSecond: reads / (spanMs / 1000) };
}

describe('the poll planner', () => {
  it('reads sparsely while the operation cannot be done yet, landing on the start of the dense window', () => {
    expect(plan(0)).toBe(SPARSE_MS);
    expect(plan(18_000)).toBe(3_000); // 0.7 × 30 s = 21 s
    const early: number[] = [];
    for (let at = 0; at < 21_000; at += plan(at)) early.push(at);
    expect(early).toEqual([0, 5_000, 10_000, 15_000, 20_000]);
  });

  it('reads every 0.45 s from 70 % to 130 % of the expected duration', () => {
    for (const at of [21_000, 25_000, 30_000, 35_000, 39_000]) expect(plan(at)).toBe(DENSE_MS);
    expect(DENSE_MS).toBeLessThanOrEqual(500);
  });

  it('backs off exponentially once the operation overruns far beyond the expectation, up to 5 s', () => {
    const delays = [39_500, 41_000, 42_000, 45_000, 48_000, 60_000, 600_000].map((at) => plan(at));
    for (let i = 1; i < delays.length; i += 1) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] as number);
    expect(delays[0]).toBeLessThan(600);
    expect(plan(42_000)).toBe(2 * DENSE_MS); // doubles every 3 s past 130 % (39 s)
    expect(delays.at(-1)).toBe(SPARSE_MS);
  });

  it('never sleeps less than the floor', () => {
    expect(plan(20_990)).toBe(FLOOR_MS);
    expect(plan(0, { maxIntervalMs: 100 })).toBe(FLOOR_MS);
    expect(plan(30_000, { expectedMs: 100 })).toBeGreaterThanOrEqual(FLOOR_MS);
    for (let at = 0; at < 120_000; at += 97) expect(plan(at)).toBeGreaterThanOrEqual(FLOOR_MS);
  });

  it("never sleeps longer than the run's poll interval", () => {
    for (let at = 0; at < 120_000; at += 97) expect(plan(at, { maxIntervalMs: 300 })).toBeLessThanOrEqual(300);
    expect(plan(0, { maxIntervalMs: 2_000 })).toBe(2_000);
  });

  it('spaces the readings a verdict counts a second apart, or by a shorter poll interval', () => {
    expect(plan(30_000, { stage: 'judging' })).toBe(1_000);
    expect(plan(3_000, { stage: 'judging', maxIntervalMs: POLL_MS })).toBe(1_000);
    expect(plan(30_000, { stage: 'judging', maxIntervalMs: 300 })).toBe(300);
  });

  it('re-reads the other witnesses every second until they confirm the change', () => {
    expect(plan(5_000, { stage: 'unconfirmed' })).toBe(CONFIRM_RETRY_MS);
    expect(plan(5_000, { stage: 'unconfirmed', maxIntervalMs: 300 })).toBe(300);
  });

  it('does not read twice a second after a failed read', () => {
    expect(plan(30_000, { stage: 'read-failed' })).toBe(AFTER_ERROR_MS);
    expect(plan(0, { stage: 'read-failed' })).toBe(SPARSE_MS);
  });

  it('plans around the default when the expectation or the elapsed time is unusable', () => {
    expect(plan(25_000, { expectedMs: Number.NaN })).toBe(DENSE_MS);
    expect(plan(25_000, { expectedMs: 0 })).toBe(DENSE_MS);
    expect(plan(Number.NaN)).toBe(SPARSE_MS);
    expect(plan(-60_000)).toBe(SPARSE_MS);
  });

  it('expects what the pair did before, else what the service says, else 30 s', () => {
    expect(expectedDurationMs(22_000, 45_000)).toBe(22_000);
    expect(expectedDurationMs(null, 45_000)).toBe(45_000);
    expect(expectedDurationMs(null, null)).toBe(DEFAULT_EXPECTED_MS);
  });
});

describe('the poll plan over 1,000 operations of 20–40 s', () => {
  const uniform = (next: () => number, from: number, to: number): number => from + (to - from) * next();

  it('sees the end within 0.5 s on median at under one read per second, with the 30 s default', () => {
    const f = fleet((next) => ({ durationMs: uniform(next, 20_000, 40_000), expectedMs: DEFAULT_EXPECTED_MS }));
    expect(f.medianLagMs).toBeLessThanOrEqual(500);
    expect(f.readsPerSecond).toBeLessThanOrEqual(1);
  });

  it("does the same around each pair's own history (its operations within ±15 %)", () => {
    const f = fleet((next) => {
      const usual = uniform(next, 20_000, 40_000);
      return { durationMs: usual * uniform(next, 0.85, 1.15), expectedMs: usual };
    });
    expect(f.medianLagMs).toBeLessThanOrEqual(500);
    expect(f.readsPerSecond).toBeLessThanOrEqual(1);
  });

  it('still sees the end within 0.5 s on median when each read takes 150 ms', () => {
    const f = fleet((next) => ({ durationMs: uniform(next, 20_000, 40_000), expectedMs: DEFAULT_EXPECTED_MS }), 150);
    expect(f.medianLagMs).toBeLessThanOrEqual(500);
    expect(f.readsPerSecond).toBeLessThanOrEqual(1);
  });

  it('stays under one read per second when operations overrun the expectation two to ten times', () => {
    const f = fleet((next) => ({ durationMs: uniform(next, 60_000, 300_000), expectedMs: DEFAULT_EXPECTED_MS }));
    expect(f.readsPerSecond).toBeLessThanOrEqual(1);
  });
});

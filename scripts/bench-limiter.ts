/**
 * What the DWS rate limiter costs and what it lets through: `npx tsx scripts/bench-limiter.ts`.
 * For the token bucket it replaced and for the sliding window, prints the waits a lone pair's reads see at 10/s
 * (3 sequential, then 2 in parallel; real time) and, for 1,000 callers queued at once at 50/s, the most grants in
 * any 1000 ms window and the time of the last grant (on Node's mock timers, so the figures are exact; Node warns
 * that they are experimental). No assertions.
 */
import { mock } from 'node:test';
import { RateLimiter } from '../src/dws/rate-limiter';

interface Limiter {
  acquire(): Promise<void>;
}

/** The limiter before the sliding window, reduced to one FIFO class: a token bucket refilled at `rate` per second. */
class TokenBucket implements Limiter {
  #tokens: number;
  #last: number;
  #timer: NodeJS.Timeout | null = null;
  readonly #waiters: (() => void)[] = [];

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number
  ) {
    this.#tokens = burst;
    this.#last = now();
  }

  acquire(): Promise<void> {
    this.#refill();
    if (this.#waiters.length === 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.#schedule();
    });
  }

  #refill(): void {
    const now = this.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.rate);
    this.#last = now;
  }

  #schedule(): void {
    if (this.#timer || this.#waiters.length === 0) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        this.#refill();
        while (this.#waiters.length > 0 && this.#tokens >= 1) {
          this.#tokens -= 1;
          this.#waiters.shift()!();
        }
        this.#schedule();
      },
      Math.max(0, ((1 - this.#tokens) / this.rate) * 1000)
    );
  }
}

const LIMITERS: { label: string; make: (rate: number, now: () => number) => Limiter }[] = [
  { label: 'old: token bucket, burst 1 (factory)', make: (rate, now) => new TokenBucket(rate, 1, now) },
  { label: 'old: token bucket, burst = rate', make: (rate, now) => new TokenBucket(rate, rate, now) },
  { label: 'new: sliding window', make: (rate, now) => new RateLimiter({ ratePerSecond: rate, now }) },
];

/** Milliseconds each read of a lone pair waits for the limiter: three one after another, then two at once. */
async function lonePair(limiter: Limiter): Promise<number[]> {
  const timed = async (): Promise<number> => {
    const start = performance.now();
    await limiter.acquire();
    return performance.now() - start;
  };
  const waits: number[] = [];
  for (let i = 0; i < 3; i++) waits.push(await timed());
  waits.push(...(await Promise.all([timed(), timed()])));
  return waits;
}

/** The most of the sorted `times` that fall in any window `[t, t + windowMs)`. */
function maxInAnyWindow(times: number[], windowMs: number): number {
  let max = 0;
  let first = 0;
  for (const [last, t] of times.entries()) {
    while (t - times[first]! >= windowMs) first++;
    max = Math.max(max, last - first + 1);
  }
  return max;
}

/** Queues `callers` at once on mock timers and records when each is granted. */
async function underLoad(
  make: (rate: number, now: () => number) => Limiter,
  rate: number,
  callers: number
): Promise<number[]> {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  try {
    const limiter = make(rate, () => Date.now());
    const times: number[] = [];
    for (let i = 0; i < callers; i++) void limiter.acquire().then(() => times.push(Date.now()));
    // setImmediate is not mocked: it lets the granted callers' promises settle before the clock moves on.
    while (times.length < callers) {
      await new Promise((resolve) => setImmediate(resolve));
      mock.timers.tick(1);
    }
    return times;
  } finally {
    mock.timers.reset();
  }
}

async function main(): Promise<void> {
  const width = Math.max(...LIMITERS.map((l) => l.label.length)) + 2;
  console.log("A lone pair's reads at 10/s: waits of 3 sequential reads | 2 parallel reads (real time)");
  for (const { label, make } of LIMITERS) {
    const waits = await lonePair(make(10, () => performance.now()));
    const shown = waits.map((ms) => `${ms.toFixed(1)} ms`);
    const total = waits.slice(0, 3).reduce((a, b) => a + b, 0) + Math.max(waits[3]!, waits[4]!);
    console.log(
      `  ${label.padEnd(width)}${shown.slice(0, 3).join(', ')} | ${shown.slice(3).join(', ')}  (pair waits ${total.toFixed(1)} ms)`
    );
  }
  console.log('\n1,000 callers queued at once at 50/s (mock timers)');
  for (const { label, make } of LIMITERS) {
    const times = await underLoad(make, 50, 1000);
    console.log(
      `  ${label.padEnd(width)}max ${maxInAnyWindow(times, 1000)} grants in any 1000 ms window, last grant at ${times[times.length - 1]} ms`
    );
  }
}

main().catch((err: unknown) => {
  console.error(`bench-limiter failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});

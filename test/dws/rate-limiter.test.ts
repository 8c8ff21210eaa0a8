import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/dws/rate-limiter';

/** A clock the test moves by hand, so nothing depends on the machine's speed. */
function manualClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RateLimiter', () => {
  it('lets a burst through at once and then holds further callers', async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ ratePerSecond: 1000, burst: 3, now: clock.now });
    await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    let fourth = false;
    const p = limiter.acquire().then(() => (fourth = true));
    expect(limiter.queued).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(fourth).toBe(false);
    clock.advance(1);
    await p;
    expect(fourth).toBe(true);
  });

  it('serves waiting callers in arrival order', async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ ratePerSecond: 1000, burst: 1, now: clock.now });
    await limiter.acquire();
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) => limiter.acquire().then(() => order.push(n)));
    for (let i = 0; i < 3; i++) {
      clock.advance(1);
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3]);
  });

  it('rejects a waiting caller with the abort reason and drops it from the queue', async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1, now: clock.now });
    await limiter.acquire();
    const controller = new AbortController();
    const p = limiter.acquire(controller.signal);
    controller.abort(new Error('cancelled by the workflow'));
    await expect(p).rejects.toThrow('cancelled by the workflow');
    expect(limiter.queued).toBe(0);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new RateLimiter({ ratePerSecond: 0 })).toThrow(RangeError);
  });
});

describe('RateLimiter priorities', () => {
  it('serves waiting high-priority callers before low-priority ones, each in arrival order', async () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ ratePerSecond: 1000, burst: 1, now: clock.now });
    await limiter.acquire();
    const order: string[] = [];
    const waits = [
      limiter.acquire(undefined, 'low').then(() => order.push('poll-1')),
      limiter.acquire(undefined, 'low').then(() => order.push('poll-2')),
      limiter.acquire(undefined, 'high').then(() => order.push('request-1')),
      limiter.acquire(undefined, 'high').then(() => order.push('request-2')),
    ];
    for (let i = 0; i < 4; i++) {
      clock.advance(1);
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(waits);
    expect(order).toEqual(['request-1', 'request-2', 'poll-1', 'poll-2']);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AkSkAuthenticator } from '../../src/dws/auth';
import { DwsClient } from '../../src/dws/client';
import { RateLimiter, type RatePriority } from '../../src/dws/rate-limiter';
import { AK, DR, PROJECT, SK, actionBody, detailBody } from './fixtures';
import { sendJson, startScriptedServer, type ScriptedServer } from './scripted-server';

/**
 * Fake timers and a fake `Date`, both at 0 and moved only by the test: the limiter's clock and its timers agree,
 * and nothing depends on the machine's speed.
 */
function fakeClock(): () => number {
  vi.useFakeTimers({ now: 0 });
  return () => Date.now();
}

/** Lets every promise that can settle now settle, without moving the clock. */
const settle = () => vi.advanceTimersByTimeAsync(0);

/** Acquires and records, on the fake clock, when the grant came; `granted` stays null while the caller waits. */
function track(limiter: RateLimiter, priority?: RatePriority, signal?: AbortSignal) {
  const caller: { granted: number | null; done: Promise<void> } = { granted: null, done: Promise.resolve() };
  caller.done = limiter.acquire(signal, priority).then(() => {
    caller.granted = Date.now();
  });
  return caller;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RateLimiter under its limit', () => {
  it('grants as many callers as the rate at once, with no spacing between them', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 10, now: fakeClock() });
    const callers = Array.from({ length: 10 }, () => track(limiter));
    await settle();
    expect(callers.map((c) => c.granted)).toEqual(Array(10).fill(0));
    expect(limiter.queued).toBe(0);
  });

  it("grants a lone pair's sequential and parallel reads without waiting", async () => {
    const limiter = new RateLimiter({ ratePerSecond: 10, now: fakeClock() });
    for (let i = 0; i < 3; i++) await limiter.acquire();
    await Promise.all([limiter.acquire(), limiter.acquire()]);
    expect(Date.now()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('holds the caller past the limit until the oldest grant of the window is a second old', async () => {
    const now = fakeClock();
    const limiter = new RateLimiter({ ratePerSecond: 2, now });
    await limiter.acquire();
    await vi.advanceTimersByTimeAsync(400);
    await limiter.acquire();
    const third = track(limiter);
    const fourth = track(limiter);
    await vi.advanceTimersByTimeAsync(599);
    expect(third.granted).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(third.granted).toBe(1000);
    expect(fourth.granted).toBeNull();
    await vi.advanceTimersByTimeAsync(400);
    expect(fourth.granted).toBe(1400);
  });

  it('refuses a rate that is not a positive integer', () => {
    for (const ratePerSecond of [0, -1, 1.5, Number.NaN]) {
      expect(() => new RateLimiter({ ratePerSecond })).toThrow(RangeError);
    }
  });
});

describe('RateLimiter at its limit', () => {
  it.each([1000, 1100])(
    'never grants more than the rate in any %i ms window, and grants each caller as soon as the window allows',
    async (windowMs) => {
      const rate = 10;
      const limiter = new RateLimiter({
        ratePerSecond: rate,
        now: fakeClock(),
        ...(windowMs === 1000 ? {} : { windowMs }),
      });
      // 200 callers arriving every 23 ms (about 43 a second): the limit binds after the first few.
      const arrivals = Array.from({ length: 200 }, (_, i) => i * 23);
      const callers: ReturnType<typeof track>[] = [];
      for (const at of arrivals) {
        await vi.advanceTimersByTimeAsync(at - Date.now());
        callers.push(track(limiter));
      }
      await vi.runAllTimersAsync();
      const granted = callers.map((c) => c.granted);
      expect(granted.every((t) => t !== null)).toBe(true);
      const times = granted as number[];
      for (let i = rate; i < times.length; i++) {
        expect(times[i]! - times[i - rate]!, `grants ${i - rate} and ${i}`).toBeGreaterThanOrEqual(windowMs);
      }
      // One class, so arrival order; each caller goes at arrival or when the grant `rate` before it turns a second old.
      times.forEach((t, i) =>
        expect(t, `caller ${i}`).toBe(Math.max(arrivals[i]!, i >= rate ? times[i - rate]! + windowMs : 0))
      );
    }
  );
});

describe('RateLimiter priorities', () => {
  it('serves waiting send callers before high ones and high before low, each class in arrival order', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, now: fakeClock() });
    await limiter.acquire();
    const order: string[] = [];
    const waits = (
      [
        ['poll-1', 'low'],
        ['read-1', 'high'],
        ['poll-2', 'low'],
        ['send-1', 'send'],
        ['read-2', undefined],
        ['send-2', 'send'],
      ] as const
    ).map(([name, priority]) => limiter.acquire(undefined, priority).then(() => order.push(name)));
    expect(limiter.queued).toBe(6);
    await vi.runAllTimersAsync();
    await Promise.all(waits);
    expect(order).toEqual(['send-1', 'send-2', 'read-1', 'read-2', 'poll-1', 'poll-2']);
  });

  it('lets a send that arrives while reads wait go next, not before the window has room', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, now: fakeClock() });
    await limiter.acquire();
    const read = track(limiter, 'high');
    await vi.advanceTimersByTimeAsync(500);
    const send = track(limiter, 'send');
    await settle();
    expect(send.granted).toBeNull();
    await vi.advanceTimersByTimeAsync(500);
    expect(send.granted).toBe(1000);
    expect(read.granted).toBeNull();
    await vi.advanceTimersByTimeAsync(1000);
    expect(read.granted).toBe(2000);
  });
});

describe('RateLimiter cancellation', () => {
  it('rejects a waiting caller with the abort reason and gives its turn to the next in line', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, now: fakeClock() });
    await limiter.acquire();
    const controller = new AbortController();
    const first = track(limiter, 'high');
    const aborted = limiter.acquire(controller.signal, 'send');
    const last = track(limiter, 'low');
    controller.abort(new Error('cancelled by the workflow'));
    await expect(aborted).rejects.toThrow('cancelled by the workflow');
    expect(limiter.queued).toBe(2);
    await vi.runAllTimersAsync();
    expect([first.granted, last.granted]).toEqual([1000, 2000]);
  });

  it('clears its timer when the last waiter aborts, so nothing keeps the process alive', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, now: fakeClock() });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    expect(limiter.queued).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses a caller whose signal has already aborted without taking a grant', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, now: fakeClock() });
    expect(() => limiter.acquire(AbortSignal.abort(new Error('too late')))).toThrow('too late');
    const next = track(limiter);
    await settle();
    expect(next.granted).toBe(0);
  });
});

describe('DwsClient rate-limit priorities', () => {
  /** The real limiter, recording the class each call asks for. */
  class RecordingLimiter extends RateLimiter {
    readonly asked: (RatePriority | undefined)[] = [];
    override acquire(signal?: AbortSignal, priority?: RatePriority): Promise<void> {
      this.asked.push(priority);
      return super.acquire(signal, priority);
    }
  }

  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedServer();
    server.script((req, res) => sendJson(res, 200, req.method === 'POST' ? actionBody : detailBody));
  });
  afterAll(async () => {
    await server.close();
  });

  it('sends failover, switchover and recovery in the send class unless the caller names one', async () => {
    const limiter = new RecordingLimiter({ ratePerSecond: 100 });
    const client = new DwsClient({
      endpoint: server.origin,
      auth: new AkSkAuthenticator({ ak: AK, sk: SK }),
      rateLimiter: limiter,
    });
    try {
      await client.failover(PROJECT, DR);
      await client.switchover(PROJECT, DR);
      await client.recovery(PROJECT, DR);
      await client.failover(PROJECT, DR, { priority: 'low' });
      await client.pause(PROJECT, DR);
      await client.getDisasterRecovery(PROJECT, DR);
    } finally {
      await client.close();
    }
    expect(limiter.asked).toEqual(['send', 'send', 'send', 'low', undefined, undefined]);
  });
});

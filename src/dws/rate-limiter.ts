/**
 * A sliding-window limit shared by every DWS call of one process, so a region-wide outage (hundreds of pairs failing
 * over at once) stays under the API gateway's per-second limit instead of drowning in 429s. It costs nothing until
 * it binds: a caller goes at once while fewer than `ratePerSecond` grants were made in the last 1000 ms, so a lone
 * pair's reads never wait. Past that, callers queue by priority, each class in arrival order, and no 1000 ms window
 * ever holds more than `ratePerSecond` grants.
 */
export interface RateLimiterOptions {
  /** Grants allowed in any 1000 ms window: a positive integer (the gateway counts whole requests per second). */
  ratePerSecond: number;
  /**
   * The window the grants are counted in. Longer than a second leaves headroom for the moments between a grant
   * and the request's arrival at the gateway (signing, a busy event loop, the network), which bunch arrivals.
   * @default 1000
   */
  windowMs?: number;
  /** Monotonic milliseconds. @default performance.now */
  now?: () => number;
}

/**
 * Served strictly in this order, each class in arrival order:
 * `send`: the mutating request of a run (failover, switchover, recovery), the step closest to its goal.
 * `high`: pre-checks and fence reads, on which an RTO waits.
 * `low`: completion polls, which only say sooner or later that a running operation ended.
 */
export type RatePriority = 'send' | 'high' | 'low';

const ORDER: readonly RatePriority[] = ['send', 'high', 'low'];

interface Waiter {
  resolve: () => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** See the module comment. */
export class RateLimiter {
  readonly #now: () => number;
  readonly #windowMs: number;
  /** Times of the last `ratePerSecond` grants, a ring; `-Infinity` for grants never made. */
  readonly #grants: Float64Array;
  /** Ring index of the oldest of those grants, the one whose age decides the next grant. */
  #oldest = 0;
  readonly #waiters: Record<RatePriority, Waiter[]> = { send: [], high: [], low: [] };
  #timer: NodeJS.Timeout | null = null;

  /** @throws RangeError when the rate is not a positive integer. */
  constructor(options: RateLimiterOptions) {
    const rate = options.ratePerSecond;
    if (!Number.isInteger(rate) || rate <= 0) throw new RangeError('ratePerSecond must be a positive integer');
    this.#grants = new Float64Array(rate).fill(-Infinity);
    this.#now = options.now ?? (() => performance.now());
    this.#windowMs = Math.max(1000, options.windowMs ?? 1000);
  }

  /** Callers waiting for a grant. */
  get queued(): number {
    return this.#waiters.send.length + this.#waiters.high.length + this.#waiters.low.length;
  }

  /**
   * Resolves when the caller may send one request: at once while the window has room and nobody waits. Rejects with
   * the signal's reason if it aborts first.
   * @param priority `send` callers overtake waiting `high` ones, which overtake waiting `low` ones. @default 'high'
   */
  acquire(signal?: AbortSignal, priority: RatePriority = 'high'): Promise<void> {
    signal?.throwIfAborted();
    const now = this.#now();
    if (this.queued === 0 && this.#waitMs(now) <= 0) {
      this.#grant(now);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const queue = this.#waiters[priority];
      const waiter: Waiter = { resolve };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          if (this.queued === 0) this.#stopTimer();
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      queue.push(waiter);
      this.#drain();
    });
  }

  /** Milliseconds until the oldest grant of the window leaves it; zero or less when a grant may be made now. */
  #waitMs(now: number): number {
    return this.#grants[this.#oldest]! + this.#windowMs - now;
  }

  #grant(now: number): void {
    this.#grants[this.#oldest] = now;
    this.#oldest = (this.#oldest + 1) % this.#grants.length;
  }

  /** Grants waiters, highest class first, while the window has room; then waits for the next free slot. */
  #drain(): void {
    const now = this.#now();
    while (this.#waitMs(now) <= 0) {
      const waiter = this.#next();
      if (!waiter) break;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
      this.#grant(now);
      waiter.resolve();
    }
    if (this.queued === 0 || this.#timer) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        this.#drain();
      },
      // Node may fire a timer a fraction of a millisecond early by this clock; the drain then simply waits again.
      Math.max(1, Math.ceil(this.#waitMs(now)))
    );
    // Not unref'd: a waiting caller is work in progress, and a CLI whose only pending work is this wait must not exit.
    // It lives only while someone waits: the last waiter's abort clears it.
  }

  #next(): Waiter | undefined {
    for (const priority of ORDER) {
      const waiter = this.#waiters[priority].shift();
      if (waiter) return waiter;
    }
    return undefined;
  }

  #stopTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

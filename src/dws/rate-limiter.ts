/**
 * A token bucket shared by every DWS call of one process, so a region-wide outage (hundreds of pairs failing over
 * at once) stays under the API gateway's limit instead of drowning in 429s. FIFO: no caller starves.
 */
export interface RateLimiterOptions {
  /** Sustained requests per second. */
  ratePerSecond: number;
  /** Requests that may go at once after a quiet spell. @default max(1, ratePerSecond) */
  burst?: number;
  now?: () => number;
}

/**
 * `high`: pre-checks and the operation requests, on which an RTO waits. `low`: completion polls, which only say
 * sooner or later that a running operation ended. High callers are served first; each class in arrival order.
 */
export type RatePriority = 'high' | 'low';

interface Waiter {
  priority: RatePriority;
  resolve: () => void;
  reject: (err: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** See the module comment. */
export class RateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #last: number;
  readonly #waiters: Waiter[] = [];
  #timer: NodeJS.Timeout | null = null;

  /** @throws RangeError when the rate is not a positive number. */
  constructor(options: RateLimiterOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be a positive number');
    this.#rate = options.ratePerSecond;
    this.#burst = options.burst ?? Math.max(1, options.ratePerSecond);
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = this.#burst;
    this.#last = this.#now();
  }

  /** Requests waiting for a token. */
  get queued(): number {
    return this.#waiters.length;
  }

  /**
   * Resolves when the caller may send one request. Rejects with the signal's reason if it aborts first.
   * @param priority `high` callers overtake waiting `low` ones. @default 'high'
   */
  acquire(signal?: AbortSignal, priority: RatePriority = 'high'): Promise<void> {
    signal?.throwIfAborted();
    this.#refill();
    if (this.#waiters.length === 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { priority, resolve, reject, ...(signal ? { signal } : {}) };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.#waiters.indexOf(waiter);
          if (i >= 0) this.#waiters.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      const firstLow = priority === 'high' ? this.#waiters.findIndex((w) => w.priority === 'low') : -1;
      if (firstLow >= 0) this.#waiters.splice(firstLow, 0, waiter);
      else this.#waiters.push(waiter);
      this.#schedule();
    });
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#rate);
    this.#last = now;
  }

  #schedule(): void {
    if (this.#timer || this.#waiters.length === 0) return;
    const waitMs = Math.max(0, ((1 - this.#tokens) / this.#rate) * 1000);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#refill();
      while (this.#waiters.length > 0 && this.#tokens >= 1) {
        const waiter = this.#waiters.shift()!;
        this.#tokens -= 1;
        if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
        waiter.resolve();
      }
      this.#schedule();
    }, waitMs);
    // Not unref'd: a waiting caller is work in progress, and a CLI whose only pending work is this wait must not exit.
  }
}

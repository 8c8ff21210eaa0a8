/**
 * Project-wide reads shared by every run on one worker. When many pairs of one project are in flight (a region
 * outage), their pre-check and completion reads are served by the project's DR list and cluster list calls, so the
 * cost per pair approaches its one POST instead of a detail read and two cluster reads per pair and per poll.
 *
 * The freshness rule the exactly-once protocol relies on: a read asked for at time t is only ever served by a call
 * that left after t. A caller joins a call that has not left yet (it may still wait in the rate limiter or for
 * the gap between two calls); once the call has left, later callers wait for the next one. Nothing is cached.
 */
import type { ClusterDetailWire, DrListItemWire } from './types';
import type { DwsCallOptions } from './client';
import type { RatePriority } from './rate-limiter';

/** The list calls shared reads are made of. */
export interface ProjectLists {
  listDisasterRecoveries(projectId: string, filter: object, options: DwsCallOptions): Promise<DrListItemWire[]>;
  listClusters(projectId: string, options: DwsCallOptions): Promise<ClusterDetailWire[]>;
}

export interface SharedReadsOptions {
  /**
   * Pairs of one project active on this worker from which its reads are shared. Below it every run reads its own
   * pair (a detail read says more about one pair than a list item). 1 = always share. @default 4
   */
  shareFrom?: number;
  /**
   * How long a pair counts as active after its last read: a region's pre-checks are short and a loaded worker
   * starts them one after another, so "reading right now" would undercount the pairs in flight. @default 30000
   */
  activeForMs?: number;
  /**
   * Least time between two list calls of one kind for one project: the most a pre-check read waits for its call.
   * Completion reads (`low`), which only say sooner or later that an operation ended, wait twice as long: with a
   * region in flight they are most of the calls. Together about three list calls a second for a project however
   * many of its pairs are in flight, which is what bounds the cost per pair near its one POST. @default 500
   */
  minGapMs?: number;
  now?: () => number;
}

/** A shared read's answer, with the moment its call left (performance.now() clock). */
export interface Shared<T> {
  items: T[];
  sentAt: number;
}

type Kind = 'drs' | 'clusters';

/** How long a project's verdict stands without a pair starting or stopping to read. */
const VERDICT_MS = 1_000;

interface Waiter<T> {
  resolve: (value: Shared<T>) => void;
  reject: (err: unknown) => void;
}

interface Call<T> {
  waiters: Set<Waiter<T>>;
  left: boolean;
  abort: AbortController;
}

/** See the module comment. */
export class SharedReads {
  readonly #lists: ProjectLists;
  readonly #shareFrom: number;
  readonly #minGapMs: number;
  readonly #now: () => number;
  /** The call of each kind, project and priority that has not left yet: new callers join it. */
  readonly #open = new Map<string, Call<unknown>>();
  /** When the last call of each kind, project and priority left. */
  readonly #lastLeft = new Map<string, number>();
  /** Per project, per pair: activities reading it now, and when the last one began or ended. */
  readonly #active = new Map<string, Map<string, { reading: number; lastMs: number }>>();
  readonly #activeForMs: number;
  /**
   * Each project's last verdict, recounted when a pair starts or stops reading or after a second: every read asks,
   * and counting a thousand pairs on each of their reads would cost a region's worth of CPU where it is scarcest.
   */
  readonly #verdicts = new Map<string, { shares: boolean; atMs: number; stale: boolean }>();
  #calls = 0;

  constructor(lists: ProjectLists, options: SharedReadsOptions = {}) {
    this.#lists = lists;
    this.#shareFrom = Math.max(1, options.shareFrom ?? 4);
    this.#minGapMs = Math.max(0, options.minGapMs ?? 500);
    this.#now = options.now ?? (() => performance.now());
    this.#activeForMs = Math.max(0, options.activeForMs ?? 30_000);
  }

  /** List calls made so far (for benchmarks and tests). */
  get calls(): number {
    return this.#calls;
  }

  /**
   * Counts the pair as active while the returned function has not been called (an activity that reads the pair:
   * pre-checks, the follow), and for `activeForMs` after.
   */
  enter(projectId: string, drId: string): () => void {
    let pairs = this.#active.get(projectId);
    if (!pairs) this.#active.set(projectId, (pairs = new Map()));
    const pair = pairs.get(drId) ?? { reading: 0, lastMs: 0 };
    pairs.set(drId, pair);
    pair.reading += 1;
    pair.lastMs = this.#now();
    this.#markStale(projectId);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      pair.reading -= 1;
      pair.lastMs = this.#now();
      this.#markStale(projectId);
    };
  }

  /** Whether enough pairs of the project are active for their reads to be shared. */
  shares(projectId: string): boolean {
    const now = this.#now();
    const verdict = this.#verdicts.get(projectId);
    if (verdict && !verdict.stale && now - verdict.atMs < VERDICT_MS) return verdict.shares;
    const shares = this.#count(projectId, now) >= this.#shareFrom;
    this.#verdicts.set(projectId, { shares, atMs: now, stale: false });
    return shares;
  }

  #markStale(projectId: string): void {
    const verdict = this.#verdicts.get(projectId);
    if (verdict) verdict.stale = true;
  }

  /** Pairs of the project reading now or within `activeForMs`; forgets the others. */
  #count(projectId: string, now: number): number {
    const pairs = this.#active.get(projectId);
    if (!pairs) {
      this.#verdicts.delete(projectId);
      return 0;
    }
    const since = now - this.#activeForMs;
    let active = 0;
    for (const [drId, pair] of pairs) {
      if (pair.reading > 0 || pair.lastMs >= since) active += 1;
      else pairs.delete(drId); // forgotten once idle for long enough
    }
    if (pairs.size === 0) this.#active.delete(projectId);
    return active;
  }

  /** Every DR pair of the project, from a DR list call that left after this call was made. */
  drs(projectId: string, options: { signal?: AbortSignal; priority?: RatePriority } = {}) {
    return this.#read<DrListItemWire>('drs', projectId, options, (o) =>
      this.#lists.listDisasterRecoveries(projectId, {}, o)
    );
  }

  /** Every cluster of the project, from a cluster list call that left after this call was made. */
  clusters(projectId: string, options: { signal?: AbortSignal; priority?: RatePriority } = {}) {
    return this.#read<ClusterDetailWire>('clusters', projectId, options, (o) => this.#lists.listClusters(projectId, o));
  }

  #read<T>(
    kind: Kind,
    projectId: string,
    { signal, priority = 'high' }: { signal?: AbortSignal; priority?: RatePriority },
    list: (options: DwsCallOptions) => Promise<T[]>
  ): Promise<Shared<T>> {
    signal?.throwIfAborted();
    const key = `${kind}\u0000${projectId}\u0000${priority}`;
    let call = this.#open.get(key) as Call<T> | undefined;
    if (!call) {
      call = { waiters: new Set(), left: false, abort: new AbortController() };
      this.#open.set(key, call as Call<unknown>);
      void this.#send(key, call, priority, list);
    }
    const joined = call;
    return new Promise<Shared<T>>((resolve, reject) => {
      const onAbort = () => {
        if (!joined.waiters.delete(waiter)) return;
        reject(signal?.reason);
        // Nobody waits for a call that has not left: it need not leave at all.
        if (joined.waiters.size === 0 && !joined.left) {
          if (this.#open.get(key) === joined) this.#open.delete(key);
          joined.abort.abort(signal?.reason);
        }
      };
      // A follow reads through one signal for as long as it runs: its listener goes when the read is answered.
      const waiter: Waiter<T> = {
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      joined.waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async #send<T>(
    key: string,
    call: Call<T>,
    priority: RatePriority,
    list: (options: DwsCallOptions) => Promise<T[]>
  ): Promise<void> {
    const close = () => {
      if (this.#open.get(key) === call) this.#open.delete(key);
    };
    try {
      const gap = priority === 'low' ? 2 * this.#minGapMs : this.#minGapMs;
      // Timers are whole milliseconds and may fire a fraction early on this clock: sleep until the gap has passed.
      const wait = () => (this.#lastLeft.get(key) ?? -Infinity) + gap - this.#now();
      for (let ms = wait(); ms > 0; ms = wait()) await abortableSleep(Math.ceil(ms), call.abort.signal);
      let sentAt = 0;
      const items = await list({
        priority,
        signal: call.abort.signal,
        // Right before the request leaves: from now on, a new caller needs the next call.
        beforeSend: () => {
          close();
          call.left = true;
          sentAt = this.#now();
          this.#lastLeft.set(key, sentAt);
          this.#calls += 1;
        },
      });
      for (const w of call.waiters) w.resolve({ items, sentAt });
    } catch (err) {
      close();
      for (const w of call.waiters) w.reject(err);
    }
    call.waiters.clear();
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

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
   * Runs of one project in flight on this worker from which its reads are shared. Below it every run reads its own
   * pair (a detail read says more about one pair than a list item). 1 = always share. @default 4
   */
  shareFrom?: number;
  /** Least time between two list calls of one kind for one project: the most a read waits for its call. @default 250 */
  minGapMs?: number;
  now?: () => number;
}

/** A shared read's answer, with the moment its call left (performance.now() clock). */
export interface Shared<T> {
  items: T[];
  sentAt: number;
}

type Kind = 'drs' | 'clusters';

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
  /** When the last call of each kind and project left. */
  readonly #lastLeft = new Map<string, number>();
  readonly #inFlight = new Map<string, number>();
  #calls = 0;

  constructor(lists: ProjectLists, options: SharedReadsOptions = {}) {
    this.#lists = lists;
    this.#shareFrom = Math.max(1, options.shareFrom ?? 4);
    this.#minGapMs = Math.max(0, options.minGapMs ?? 250);
    this.#now = options.now ?? (() => performance.now());
  }

  /** List calls made so far (for benchmarks and tests). */
  get calls(): number {
    return this.#calls;
  }

  /**
   * Counts a run of the project as in flight until the returned function is called (an activity that reads the
   * pair for a while: pre-checks, the follow).
   */
  enter(projectId: string): () => void {
    this.#inFlight.set(projectId, (this.#inFlight.get(projectId) ?? 0) + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const n = (this.#inFlight.get(projectId) ?? 1) - 1;
      if (n <= 0) this.#inFlight.delete(projectId);
      else this.#inFlight.set(projectId, n);
    };
  }

  /** Whether the project has enough runs in flight for its reads to be shared. */
  shares(projectId: string): boolean {
    return (this.#inFlight.get(projectId) ?? 0) >= this.#shareFrom;
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
      void this.#send(key, `${kind}\u0000${projectId}`, call, priority, list);
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
    gapKey: string,
    call: Call<T>,
    priority: RatePriority,
    list: (options: DwsCallOptions) => Promise<T[]>
  ): Promise<void> {
    const close = () => {
      if (this.#open.get(key) === call) this.#open.delete(key);
    };
    try {
      const wait = (this.#lastLeft.get(gapKey) ?? -Infinity) + this.#minGapMs - this.#now();
      if (wait > 0) await abortableSleep(wait, call.abort.signal);
      let sentAt = 0;
      const items = await list({
        priority,
        signal: call.abort.signal,
        // Right before the request leaves: from now on, a new caller needs the next call.
        beforeSend: () => {
          close();
          call.left = true;
          sentAt = this.#now();
          this.#lastLeft.set(gapKey, sentAt);
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

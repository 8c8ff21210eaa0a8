/**
 * When an accepted action takes effect. With `commitDelayMs` the service answers 200 at once and changes the state
 * only later, so until then every read path shows the pair untouched and an identical POST is accepted again: the
 * hazard an exactly-once client must survive. A commit that comes due while another operation runs on the pair
 * waits for it to end and is then applied only if the state machine allows it at that moment.
 */
import { maxReadLagMs, READ_PATHS, type SimulatorConfig } from './config';
import type { ReadLags, StaleReads } from './read-after-write';
import type { ActionRecord, DrAction, SimDr } from './records';
import type { RequestLogEntry } from './request-log';
import type { Scheduler } from './scheduler';
import type { SimState } from './state';
import type { ActionOutcome, DrOperations } from './transitions';

interface PendingCommit {
  drId: string;
  record: ActionRecord;
  entry: RequestLogEntry;
}

/** Accepts actions, commits them now or after the commit delay, and records each one's fate on its pair. */
export class ActionCommits {
  /** Commits that came due while an operation ran, by pair id, in the order they came due. */
  private readonly waiting = new Map<string, PendingCommit[]>();

  constructor(
    private readonly state: SimState,
    private readonly operations: DrOperations,
    private readonly stale: StaleReads,
    private readonly scheduler: Scheduler,
    private readonly config: () => SimulatorConfig,
    private readonly random: () => number,
    private readonly now: () => number = Date.now
  ) {
    operations.onIdle = (drId) => this.drain(drId);
  }

  /**
   * Accepts or refuses `action` on `dr` as the pair looks now (pending commits are invisible), and commits it at
   * once or schedules its commit. `region` is the endpoint that took it.
   */
  accept(dr: SimDr, action: DrAction, region: string, nowMs: number, entry: RequestLogEntry): ActionOutcome {
    const reason = this.operations.refusal(dr, action);
    if (reason !== null) return { accepted: false, reason };
    const record: ActionRecord = {
      seq: entry.seq,
      action,
      region,
      acceptedMs: nowMs,
      committedMs: null,
      result: 'pending',
      swapped: null,
      endedMs: null,
      reason: null,
    };
    dr.actions.push(record);
    const pending = { drId: dr.id, record, entry };
    const delayMs = this.config().commitDelayMs;
    if (delayMs > 0) this.scheduler.after(delayMs, () => this.due(pending));
    else this.commit(dr, pending, nowMs);
    return { accepted: true };
  }

  /** Forgets commits waiting for an operation (reset; their timers are cleared with the scheduler). */
  clear(): void {
    this.waiting.clear();
  }

  private due(pending: PendingCommit): void {
    const dr = this.state.drs.get(pending.drId);
    if (!dr) return this.refuse(pending, 'the DR pair no longer exists');
    if (dr.operation !== null) {
      const queue = this.waiting.get(dr.id) ?? [];
      queue.push(pending);
      this.waiting.set(dr.id, queue);
      return;
    }
    this.commit(dr, pending, this.now());
  }

  /** Commits the waiting actions of a pair whose operation ended, until one starts a new operation. */
  private drain(drId: string): void {
    const queue = this.waiting.get(drId);
    if (!queue) return;
    for (;;) {
      const dr = this.state.drs.get(drId);
      if (dr?.operation) return;
      const next = queue.shift();
      if (!next) break;
      if (dr) this.commit(dr, next, this.now());
      else this.refuse(next, 'the DR pair no longer exists');
    }
    this.waiting.delete(drId);
  }

  private commit(dr: SimDr, pending: PendingCommit, nowMs: number): void {
    const { record } = pending;
    const reason = this.operations.refusal(dr, record.action);
    if (reason !== null) return this.refuse(pending, reason);
    this.stale.beforeWrite(this.state, dr, nowMs, this.lags());
    record.committedMs = nowMs;
    record.result = 'applied';
    this.operations.start(dr, record, nowMs);
  }

  private refuse({ record, entry }: PendingCommit, reason: string): void {
    const nowMs = this.now();
    Object.assign(record, { result: 'refused-at-commit', committedMs: nowMs, endedMs: nowMs, swapped: false, reason });
    // The answer already said 200: the log keeps accepted: true and tells what happened later.
    entry.note = `refused at commit: ${reason}`;
  }

  /** Each read path's lag for one write: its maximum, or a uniform draw up to it with `readLagJitter`. */
  private lags(): ReadLags {
    const cfg = this.config();
    const lags = { detail: 0, list: 0, cluster: 0, progress: 0 };
    for (const path of READ_PATHS) {
      const max = maxReadLagMs(cfg, path);
      lags[path] = cfg.readLagJitter && max > 0 ? Math.round(this.random() * max) : max;
    }
    return lags;
  }
}

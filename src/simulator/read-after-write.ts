/**
 * Read-after-write lag: for a while after a write commits, each read path (DR detail, list, progress, cluster
 * detail) may still answer from a snapshot taken just before the write, as an eventually consistent service does.
 * Each path has its own window. A write inside an open window extends it but keeps the older snapshot. Snapshots
 * outlive a deleted pair until their window closes.
 */
import type { ClusterDetailWire, DrDetailWire, DrListItemWire, DrProgressWire } from '../dws/types';
import type { ReadPath } from './config';
import type { SimDr } from './records';
import type { SimState } from './state';
import { renderCluster, renderDetail, renderListItem, renderProgress, type DrReadPath, type DrReadWire } from './wire';

interface Snapshot<T> {
  projectId: string;
  /** When it was taken: it shows the state from just before this moment. */
  takenMs: number;
  untilMs: number;
  value: T;
}

/** Pre-write snapshots of one read path, by key (pair id, or cluster id for the cluster path). */
export class LaggedView<T> {
  private readonly snapshots = new Map<string, Snapshot<T>>();

  /** Opens or extends the window of `key`; `render` is only called when a new snapshot is needed. */
  remember(key: string, projectId: string, nowMs: number, windowMs: number, render: () => T): void {
    if (windowMs <= 0) return;
    const open = this.open(key, nowMs);
    if (open) open.untilMs = Math.max(open.untilMs, nowMs + windowMs);
    else this.snapshots.set(key, { projectId, takenMs: nowMs, untilMs: nowMs + windowMs, value: render() });
  }

  /** The snapshot of `key` in `projectId` while its window is open. */
  get(key: string, projectId: string, nowMs: number): T | undefined {
    const open = this.open(key, nowMs);
    return open && open.projectId === projectId ? open.value : undefined;
  }

  /**
   * The snapshot of `key` while its window is open, whatever its project, with when it was taken: a cross-region
   * pair is read through two projects, and its region copy decides which (replication.ts).
   */
  peek(key: string, nowMs: number): { value: T; takenMs: number } | undefined {
    return this.open(key, nowMs);
  }

  /** Keys with an open window in `projectId` (including pairs deleted since). */
  keys(projectId: string, nowMs: number): string[] {
    return [...this.snapshots.keys()].filter((key) => this.get(key, projectId, nowMs) !== undefined);
  }

  /** End of the open window of `key`, or null. */
  untilMs(key: string, nowMs: number): number | null {
    return this.open(key, nowMs)?.untilMs ?? null;
  }

  clear(): void {
    this.snapshots.clear();
  }

  private open(key: string, nowMs: number): Snapshot<T> | undefined {
    const s = this.snapshots.get(key);
    if (s && s.untilMs <= nowMs) {
      this.snapshots.delete(key);
      return undefined;
    }
    return s;
  }
}

/** Lag of each read path for one write, in ms (0: that path is read-your-writes). */
export type ReadLags = Record<ReadPath, number>;

/** The pre-write snapshots of every read path. */
export class StaleReads {
  readonly detail = new LaggedView<DrDetailWire>();
  readonly list = new LaggedView<DrListItemWire>();
  readonly progress = new LaggedView<DrProgressWire>();
  readonly cluster = new LaggedView<ClusterDetailWire>();

  /** Call right before a write to `dr` commits: opens (or extends) each path's window by its lag. */
  beforeWrite(state: SimState, dr: SimDr, nowMs: number, lags: ReadLags): void {
    this.detail.remember(dr.id, dr.projectId, nowMs, lags.detail, () => renderDetail(state, dr, nowMs));
    this.list.remember(dr.id, dr.projectId, nowMs, lags.list, () => renderListItem(state, dr, nowMs));
    this.progress.remember(dr.id, dr.projectId, nowMs, lags.progress, () => renderProgress(state, dr, nowMs));
    for (const id of [dr.primaryClusterId, dr.standbyClusterId]) {
      const cluster = state.cluster(id);
      this.cluster.remember(id, cluster.projectId, nowMs, lags.cluster, () => renderCluster(cluster, nowMs));
    }
  }

  /** The snapshots of one DR read path. */
  ofDrPath<P extends DrReadPath>(path: P): LaggedView<DrReadWire[P]> {
    return this[path] as unknown as LaggedView<DrReadWire[P]>;
  }

  /** End of each path's open window for pair `dr` (the later of its two clusters' for `cluster`), or null. */
  untilMs(dr: SimDr, nowMs: number): Record<ReadPath, number | null> {
    const clusters = [dr.primaryClusterId, dr.standbyClusterId]
      .map((id) => this.cluster.untilMs(id, nowMs))
      .filter((ms): ms is number => ms !== null);
    return {
      detail: this.detail.untilMs(dr.id, nowMs),
      list: this.list.untilMs(dr.id, nowMs),
      cluster: clusters.length > 0 ? Math.max(...clusters) : null,
      progress: this.progress.untilMs(dr.id, nowMs),
    };
  }

  clear(): void {
    for (const view of [this.detail, this.list, this.progress, this.cluster]) view.clear();
  }
}

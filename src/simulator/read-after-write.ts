/**
 * Read-after-write lag: for a while after an accepted POST/DELETE, the DR detail and list still answer from a
 * snapshot taken just before the write, as an eventually consistent read path does. A write inside an open window
 * extends it but keeps the older snapshot. Snapshots outlive a deleted pair until their window closes.
 */
import type { DrDetailWire, DrListItemWire } from '../dws/types';

interface Snapshot {
  projectId: string;
  untilMs: number;
  detail: DrDetailWire;
  listItem: DrListItemWire;
}

/** Pre-write snapshots of DR detail and list items, by pair id. */
export class StaleReads {
  private readonly snapshots = new Map<string, Snapshot>();

  /** Opens (or extends) the window of pair `id`; `render` is only called when a new snapshot is needed. */
  remember(
    id: string,
    projectId: string,
    nowMs: number,
    windowMs: number,
    render: () => { detail: DrDetailWire; listItem: DrListItemWire }
  ): void {
    if (windowMs <= 0) return;
    const open = this.open(id, nowMs);
    if (open) open.untilMs = nowMs + windowMs;
    else this.snapshots.set(id, { projectId, untilMs: nowMs + windowMs, ...render() });
  }

  /** The snapshot of pair `id` in `projectId` while its window is open. */
  get(id: string, projectId: string, nowMs: number): Snapshot | undefined {
    const open = this.open(id, nowMs);
    return open && open.projectId === projectId ? open : undefined;
  }

  /** Ids with an open window in `projectId` (including pairs deleted since). */
  ids(projectId: string, nowMs: number): string[] {
    return [...this.snapshots.keys()].filter((id) => this.get(id, projectId, nowMs) !== undefined);
  }

  /** End of the open window of pair `id`, or null. */
  untilMs(id: string, nowMs: number): number | null {
    return this.open(id, nowMs)?.untilMs ?? null;
  }

  clear(): void {
    this.snapshots.clear();
  }

  private open(id: string, nowMs: number): Snapshot | undefined {
    const s = this.snapshots.get(id);
    if (s && s.untilMs <= nowMs) {
      this.snapshots.delete(id);
      return undefined;
    }
    return s;
  }
}

/**
 * The region copies of cross-region pairs. A pair with `dr_type: region` whose clusters are in two regions (or
 * projects) is one DR record that both regions' services hold under the same id (reference §6): each side reads it
 * through its own region's endpoint with its own cluster's project. A change reaches the copy of the region it came
 * through at once and the other copy `replicationLagMs` later, so a client reading the far side sees a failover
 * late, the hazard of failing over through the standby region. The service decides actions on the latest state
 * whichever endpoint took them; only reads see a copy.
 *
 * Each pair keeps a short time-ordered list of versions, one per change. Region R's copy shows the newest version
 * that came through R or is older than the lag. The latest version is rendered live, an older one as it looked
 * right before the change that followed it. The read-after-write lag (read-after-write.ts) applies on top, in every
 * region: a copy shows a pre-write snapshot while that is older than the version it has reached. A cluster lives
 * in one region, but what an operation does to it reaches that region with the operation: a cluster of a
 * cross-region pair shows, through its own region, the version of the pair that region's copy has reached (a
 * failover taken in the primary region shows on the standby cluster's task only a replication lag later).
 */
import type { StaleReads } from './read-after-write';
import type { SimDr } from './records';
import type { PairChangeObserver, SimState } from './state';
import type { ClusterDetailWire } from '../dws/types';
import {
  renderCluster,
  renderDetail,
  renderDrPath,
  renderListItem,
  renderProgress,
  type DrReadPath,
  type DrReadWire,
} from './wire';

/** One side of a cross-region pair: the region and project its copy is read through. */
export interface PairSide {
  region: string;
  projectId: string;
}

/** A side's copy as `GET /_sim/state` shows it. */
export interface CopyStatus extends PairSide {
  /** When the copy will have caught up with the latest state (epoch ms), or null when it has. */
  behindUntilMs: number | null;
}

interface Version {
  atMs: number;
  /** The region whose copy had the change first; null: every copy at once (the pair was added). */
  origin: string | null;
  /** The change deleted the pair. */
  gone: boolean;
  /** The pair after this change as it looked right before the next one; null until then. */
  frozen: DrReadWire | null;
  /** Its two clusters as they looked then, by id. */
  frozenClusters: Map<string, ClusterDetailWire> | null;
}

interface PairCopies {
  sides: PairSide[];
  versions: Version[];
}

/** The versions of every cross-region pair; told of each change by the store (a {@link PairChangeObserver}). */
export class RegionCopies implements PairChangeObserver {
  /** By pair id. A deleted pair stays, so each copy shows it until the deletion reaches it, until reset or re-add. */
  private readonly pairs = new Map<string, PairCopies>();

  constructor(
    private readonly state: SimState,
    private readonly stale: StaleReads,
    private readonly lagMs: () => number
  ) {}

  /** Starts the copies of a pair just added when it is a cross-region pair; both copies have it at once. */
  track(dr: SimDr, nowMs: number): void {
    const sides = crossRegionSides(this.state, dr);
    if (sides)
      this.pairs.set(dr.id, {
        sides,
        versions: [{ atMs: nowMs, origin: null, gone: false, frozen: null, frozenClusters: null }],
      });
    else this.pairs.delete(dr.id);
  }

  /** Whether `drId` is (or was, until deleted) a cross-region pair: then only its copies answer reads of it. */
  has(drId: string): boolean {
    return this.pairs.has(drId);
  }

  /** Whether the pair has a copy read through `region` with `projectId`. */
  servedIn(drId: string, region: string, projectId: string): boolean {
    return this.pairs.get(drId)?.sides.some((s) => s.region === region && s.projectId === projectId) ?? false;
  }

  /** Ids of the pairs with a copy read through `region` with `projectId`, deleted ones included. */
  idsIn(region: string, projectId: string): string[] {
    return [...this.pairs.keys()].filter((id) => this.servedIn(id, region, projectId));
  }

  before(dr: SimDr, nowMs: number): void {
    const latest = this.pairs.get(dr.id)?.versions.at(-1);
    if (latest && !latest.gone && latest.frozen === null) {
      latest.frozen = renderAll(this.state, dr, nowMs);
      latest.frozenClusters = new Map(
        [dr.primaryClusterId, dr.standbyClusterId].map((id) => [id, renderCluster(this.state.cluster(id), nowMs)])
      );
    }
  }

  after(dr: SimDr, nowMs: number, origin: string, gone: boolean): void {
    const copies = this.pairs.get(dr.id);
    if (!copies) return;
    copies.versions.push({ atMs: nowMs, origin, gone, frozen: null, frozenClusters: null });
    this.prune(copies, nowMs);
  }

  /**
   * What `region`'s copy shows on `path`, with the read-after-write lag on top: the pre-write snapshot while it is
   * older than the version the copy has reached.
   * @returns null when the copy does not (or no longer) hold the pair.
   */
  read<P extends DrReadPath>(drId: string, region: string, path: P, nowMs: number): DrReadWire[P] | null {
    const copies = this.pairs.get(drId);
    if (!copies) return null;
    const index = this.visibleIndex(copies, region, nowMs);
    const version = copies.versions[index];
    const snapshot = this.stale.ofDrPath(path).peek(drId, nowMs);
    if (snapshot && version && snapshot.takenMs <= version.atMs) return snapshot.value;
    if (!version || version.gone) return null;
    if (index < copies.versions.length - 1) return version.frozen?.[path] ?? null;
    const dr = this.state.drs.get(drId);
    return dr ? renderDrPath(path, this.state, dr, nowMs) : null;
  }

  /**
   * A cluster of a cross-region pair read through `region` (its own): as of the version that region's copy has
   * reached. @returns null when the live cluster is what it shows (no such pair, or the copy is up to date).
   */
  readCluster(clusterId: string, region: string, nowMs: number): ClusterDetailWire | null {
    for (const [drId, copies] of this.pairs) {
      const dr = this.state.drs.get(drId);
      if (!dr || (dr.primaryClusterId !== clusterId && dr.standbyClusterId !== clusterId)) continue;
      const index = this.visibleIndex(copies, region, nowMs);
      if (index === copies.versions.length - 1) return null;
      return copies.versions[index]?.frozenClusters?.get(clusterId) ?? null;
    }
    return null;
  }

  /** Each side's copy of pair `drId` and until when it lags; [] for a pair in one region. */
  status(drId: string, nowMs: number): CopyStatus[] {
    const copies = this.pairs.get(drId);
    if (!copies) return [];
    const latest = copies.versions.at(-1);
    return copies.sides.map((side) => {
      const current = this.visibleIndex(copies, side.region, nowMs) === copies.versions.length - 1;
      return { ...side, behindUntilMs: current || !latest ? null : latest.atMs + this.lagMs() };
    });
  }

  clear(): void {
    this.pairs.clear();
  }

  /** Index of the newest version `region`'s copy has: one that came through it, or one older than the lag. */
  private visibleIndex(copies: PairCopies, region: string, nowMs: number): number {
    const horizon = nowMs - this.lagMs();
    return newestIndex(copies.versions, (v) => v.origin === region || v.atMs <= horizon);
  }

  /** Every copy has reached the newest version older than the lag: the ones before it are never read again. */
  private prune(copies: PairCopies, nowMs: number): void {
    const horizon = nowMs - this.lagMs();
    const reachedByAll = newestIndex(copies.versions, (v) => v.atMs <= horizon);
    copies.versions.splice(0, reachedByAll);
  }
}

/**
 * Index of the newest version that `reached` holds for, else 0: the oldest version kept is in every copy (it was
 * added to all at once, or pruning kept it as the one all had reached).
 */
function newestIndex(versions: readonly Version[], reached: (v: Version) => boolean): number {
  for (let i = versions.length - 1; i > 0; i--) {
    const v = versions[i];
    if (v && reached(v)) return i;
  }
  return 0;
}

function renderAll(state: SimState, dr: SimDr, nowMs: number): DrReadWire {
  return {
    detail: renderDetail(state, dr, nowMs),
    list: renderListItem(state, dr, nowMs),
    progress: renderProgress(state, dr, nowMs),
  };
}

/** The two sides of a cross-region pair (primary's first), or null for a pair in one region and project. */
function crossRegionSides(state: SimState, dr: SimDr): PairSide[] | null {
  if (dr.drType !== 'region') return null;
  const [primary, standby] = [dr.primaryClusterId, dr.standbyClusterId].map((id) => {
    const { region, projectId } = state.cluster(id);
    return { region, projectId };
  });
  if (!primary || !standby) return null;
  return primary.region !== standby.region || primary.projectId !== standby.projectId ? [primary, standby] : null;
}

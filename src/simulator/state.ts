/**
 * The simulator's store: DR pairs and clusters, the sync clock of each pair, and cluster outages. Operations
 * (transitions.ts) and rendering (wire.ts) work on these records; every change to a pair goes through
 * {@link SimState.update} (or {@link SimState.remove}) so `last_success_time` is settled before, the sync clock
 * re-anchored after, and the region copies of a cross-region pair learn of it.
 */
import type { SimulatorConfig } from './config';
import { SimInputError, SimNotFoundError } from './input-error';
import type { NormalizedPair } from './pair-input';
import type { ClusterHealth, SimCluster, SimDr } from './records';
import { effectiveLastSuccess, isSyncing, syncPeriodMs } from './sync';

const FALLBACK_SYNC_MS = 300_000;

/**
 * Told about every change to a pair, so the region copies of a cross-region pair (replication.ts) can keep the
 * state from before it. `origin` is the region the change came through: the endpoint of the action that started
 * it, or the region of the cluster an outage or restore hit.
 */
export interface PairChangeObserver {
  /** Right before a change, while the pair still looks as it did. */
  before(dr: SimDr, nowMs: number): void;
  /** Right after it; `gone` when the change deleted the pair. */
  after(dr: SimDr, nowMs: number, origin: string, gone: boolean): void;
}

const UNOBSERVED: PairChangeObserver = { before: () => undefined, after: () => undefined };

/** Pairs and clusters by id; the single owner of sync-clock bookkeeping. */
export class SimState {
  readonly clusters = new Map<string, SimCluster>();
  readonly drs = new Map<string, SimDr>();
  /** Set by the engine; changes go unobserved until then. */
  changes: PairChangeObserver = UNOBSERVED;
  /** Regions of each project's clusters: a project lives in the region of its clusters. */
  private readonly projectRegions = new Map<string, Set<string>>();

  constructor(private readonly config: () => SimulatorConfig) {}

  /** The pair's sync cycle: the configured override, else its own `dr_sync_period`. */
  intervalMs(dr: SimDr): number {
    return this.config().syncIntervalMs ?? syncPeriodMs(dr.drSyncPeriod) ?? FALLBACK_SYNC_MS;
  }

  syncing(dr: SimDr): boolean {
    return isSyncing(dr, this.clusters.get(dr.primaryClusterId));
  }

  /** `last_success_time` of the pair as of `nowMs` (epoch ms), or null when it never synced. */
  lastSuccess(dr: SimDr, nowMs: number): number | null {
    return effectiveLastSuccess(dr, this.syncing(dr), this.intervalMs(dr), nowMs);
  }

  /**
   * Applies `change` to a pair: the sync clock is settled before and re-anchored after.
   * @param origin the region the change came through (see {@link PairChangeObserver}).
   */
  update(dr: SimDr, nowMs: number, origin: string, change: () => void): void {
    this.changes.before(dr, nowMs);
    dr.lastSuccessMs = this.lastSuccess(dr, nowMs);
    change();
    if (!this.syncing(dr)) dr.syncAnchorMs = null;
    else if (dr.syncAnchorMs === null) dr.syncAnchorMs = nowMs;
    this.changes.after(dr, nowMs, origin, false);
  }

  /** Deletes a pair (its delete operation ended); its clusters stay. */
  remove(dr: SimDr, nowMs: number, origin: string): void {
    this.changes.before(dr, nowMs);
    this.drs.delete(dr.id);
    this.changes.after(dr, nowMs, origin, true);
  }

  /** Whether `region`'s endpoint serves `projectId`: its clusters are there, or it has none anywhere yet. */
  servesProject(region: string, projectId: string): boolean {
    const regions = this.projectRegions.get(projectId);
    return !regions || regions.has(region);
  }

  /** The regions of every cluster. */
  regions(): string[] {
    return [...new Set([...this.clusters.values()].map((c) => c.region))];
  }

  /** Restarts every sync clock from `nowMs` (after the sync interval changed), keeping what already synced. */
  reanchorAll(nowMs: number, changeInterval: () => void): void {
    for (const dr of this.drs.values()) dr.lastSuccessMs = this.lastSuccess(dr, nowMs);
    changeInterval();
    for (const dr of this.drs.values()) dr.syncAnchorMs = this.syncing(dr) ? nowMs : null;
  }

  /**
   * Adds a validated pair and its two clusters.
   * @throws SimInputError when the pair id or a cluster id is already taken.
   */
  addPair(p: NormalizedPair, nowMs: number): SimDr {
    if (this.drs.has(p.id)) throw new SimInputError('id', `a DR pair with id ${p.id} already exists`);
    for (const [field, c] of [
      ['primary.id', p.primary],
      ['standby.id', p.standby],
    ] as const) {
      if (this.clusters.has(c.id)) throw new SimInputError(field, `a cluster with id ${c.id} already exists`);
    }
    for (const c of [p.primary, p.standby]) {
      this.clusters.set(c.id, {
        ...c,
        createdMs: p.createMs,
        updatedMs: nowMs,
        outageMs: c.status === 'UNAVAILABLE' ? nowMs : null,
        task: null,
      });
      const regions = this.projectRegions.get(c.projectId) ?? new Set<string>();
      this.projectRegions.set(c.projectId, regions.add(c.region));
    }
    const dr: SimDr = {
      id: p.id,
      name: p.name,
      projectId: p.projectId,
      drType: p.drType,
      status: p.status,
      drSyncPeriod: p.drSyncPeriod,
      createMs: p.createMs,
      startMs: p.startMs,
      primaryClusterId: p.primary.id,
      standbyClusterId: p.standby.id,
      lastSuccessMs: p.lastSuccessMs,
      syncAnchorMs: null,
      failedOver: p.failedOver,
      resumeOnRestore: false,
      operation: null,
      originalPrimaryClusterId: p.primary.id,
      roleSwaps: 0,
      actions: [],
    };
    this.drs.set(dr.id, dr);
    if (this.syncing(dr)) {
      // Continue the cycle the given last sync belongs to, unless it is older than a cycle (then start afresh).
      const last = dr.lastSuccessMs;
      dr.syncAnchorMs = last !== null && nowMs - last <= this.intervalMs(dr) ? last : nowMs;
    }
    return dr;
  }

  /** @throws SimNotFoundError for an unknown cluster. */
  cluster(clusterId: string): SimCluster {
    const cluster = this.clusters.get(clusterId);
    if (!cluster) throw new SimNotFoundError(`no cluster with id ${clusterId}`);
    return cluster;
  }

  /** Pairs the cluster belongs to (as primary or standby). */
  drsOfCluster(clusterId: string): SimDr[] {
    return [...this.drs.values()].filter((d) => d.primaryClusterId === clusterId || d.standbyClusterId === clusterId);
  }

  /**
   * A cluster goes down: it turns UNAVAILABLE and every `running` pair it belongs to turns `abnormal` (their
   * sync stops, so `last_success_time` freezes).
   * @throws SimNotFoundError for an unknown cluster.
   */
  outage(clusterId: string, nowMs: number): SimCluster {
    return this.setHealth(clusterId, 'UNAVAILABLE', nowMs, (dr) => this.markAbnormalIfClusterDown(dr));
  }

  /**
   * A cluster comes back AVAILABLE. A pair that turned `abnormal` only because of an outage resumes `running`
   * once both clusters are up (when `resumeAfterRestore` is on); after a failover it waits for `/recovery`.
   * @throws SimNotFoundError for an unknown cluster.
   */
  restore(clusterId: string, nowMs: number): SimCluster {
    return this.setHealth(clusterId, 'AVAILABLE', nowMs, (dr) => {
      const bothUp = [dr.primaryClusterId, dr.standbyClusterId].every(
        (id) => this.clusters.get(id)?.status === 'AVAILABLE'
      );
      if (this.config().resumeAfterRestore && dr.resumeOnRestore && dr.status === 'abnormal' && bothUp) {
        if (dr.operation === null && !dr.failedOver) dr.status = 'running';
        dr.resumeOnRestore = false;
      }
    });
  }

  /** A `running` pair with a cluster down is `abnormal` (and may resume when the cluster is restored). */
  markAbnormalIfClusterDown(dr: SimDr): void {
    if (dr.status !== 'running' || dr.operation !== null) return;
    const down = [dr.primaryClusterId, dr.standbyClusterId].some((id) => this.clusters.get(id)?.status !== 'AVAILABLE');
    if (down) {
      dr.status = 'abnormal';
      dr.resumeOnRestore = true;
    }
  }

  /** Empties the store. */
  clear(): void {
    this.clusters.clear();
    this.drs.clear();
    this.projectRegions.clear();
  }

  private setHealth(clusterId: string, health: ClusterHealth, nowMs: number, after: (dr: SimDr) => void): SimCluster {
    const cluster = this.cluster(clusterId);
    const affected = this.drsOfCluster(clusterId);
    // Settle first: the sync cycles completed before the change count, none after. The copies keep the pairs as
    // they were before the cluster changes, which is before `update` below runs.
    for (const dr of affected) {
      this.changes.before(dr, nowMs);
      dr.lastSuccessMs = this.lastSuccess(dr, nowMs);
    }
    if (cluster.status !== health) {
      cluster.status = health;
      cluster.updatedMs = nowMs;
      if (health === 'UNAVAILABLE') cluster.outageMs = nowMs;
    }
    // The event happens at the cluster: its region's copies of the pairs learn of it first.
    for (const dr of affected) this.update(dr, nowMs, cluster.region, () => after(dr));
    return cluster;
  }
}

/**
 * The DWS endpoints (reference §1.1 #2–#9, #11, and cluster detail): routing and handlers. Every success is a
 * 200; actions answer `{"disaster_recovery":{"id":…}}`; a pair or cluster of another project is "not found", and
 * so is one of another region: a project lives in the region of its clusters, a cluster is read through its own
 * region, and a cross-region pair through the region and project of either cluster (from that region's copy).
 */
import type { ClusterDetailWire } from '../dws/types';
import type { ActionCommits } from './commit';
import type { SimulatorConfig } from './config';
import type { StaleReads } from './read-after-write';
import type { DrAction, SimCluster, SimDr } from './records';
import type { RegionCopies } from './replication';
import type { RequestLogEntry } from './request-log';
import { empty, errors, json, type SimResponse } from './responses';
import type { SimState } from './state';
import { renderCluster, renderDrPath, type DrReadPath, type DrReadWire } from './wire';

/** A recognised endpoint and its path parameters. */
export type DwsRoute =
  | { kind: 'list'; projectId: string }
  | { kind: 'detail'; projectId: string; drId: string }
  | { kind: 'action'; projectId: string; drId: string; action: DrAction }
  | { kind: 'progress'; projectId: string; drId: string }
  | { kind: 'cluster'; projectId: string; clusterId: string }
  | { kind: 'clusters'; projectId: string }
  | { kind: 'token' };

const POST_ACTIONS = new Set<string>(['start', 'pause', 'switchover', 'failover', 'recovery']);

/** Maps a method and path to an endpoint; null for anything the service does not have (answered 404). */
export function matchRoute(method: string, path: string): DwsRoute | null {
  const s = path.split('/').slice(1);
  const [version, projectId = '', resource, id, action] = s;
  if (method === 'POST' && path === '/v3/auth/tokens') return { kind: 'token' };
  if (projectId === '' || s.some((seg) => seg === '')) return null;
  if (version === 'v2' && resource === 'disaster-recoveries' && s.length === 3 && method === 'GET') {
    return { kind: 'list', projectId };
  }
  if (version === 'v2' && resource === 'disaster-recovery' && id !== undefined) {
    if (s.length === 4 && method === 'GET') return { kind: 'detail', projectId, drId: id };
    if (s.length === 4 && method === 'DELETE') return { kind: 'action', projectId, drId: id, action: 'delete' };
    if (s.length === 5 && method === 'POST' && action !== undefined && POST_ACTIONS.has(action)) {
      return { kind: 'action', projectId, drId: id, action: action as DrAction };
    }
  }
  if (version === 'v1' && resource === 'disaster-recovery' && action === 'show-progress' && s.length === 5) {
    if (method === 'GET' && id !== undefined) return { kind: 'progress', projectId, drId: id };
  }
  if (version === 'v1.0' && resource === 'clusters' && s.length === 3 && method === 'GET') {
    return { kind: 'clusters', projectId };
  }
  if (version === 'v1.0' && resource === 'clusters' && s.length === 4 && method === 'GET' && id !== undefined) {
    return { kind: 'cluster', projectId, clusterId: id };
  }
  return null;
}

/** Serves the DWS routes from the store, the action commits, the region copies and the read-after-write snapshots. */
export class DwsApi {
  constructor(
    private readonly state: SimState,
    private readonly commits: ActionCommits,
    private readonly stale: StaleReads,
    private readonly copies: RegionCopies,
    private readonly config: () => SimulatorConfig
  ) {}

  /** Serves a DWS route (never `token`) that reached `region`'s endpoint; fills the action fields of the log entry. */
  handle(
    route: Exclude<DwsRoute, { kind: 'token' }>,
    region: string,
    query: URLSearchParams,
    nowMs: number,
    entry: RequestLogEntry
  ): SimResponse {
    if (!this.state.servesProject(region, route.projectId)) return outsideRegion(route, region, entry);
    switch (route.kind) {
      case 'list':
        return this.list(region, route.projectId, query, nowMs);
      case 'detail': {
        const view = this.read(region, route.projectId, route.drId, 'detail', nowMs);
        return view ? json(200, { disaster_recovery: view }) : errors.drNotFound(route.drId);
      }
      case 'progress': {
        const view = this.read(region, route.projectId, route.drId, 'progress', nowMs);
        return view ? json(200, { disaster_recovery_progress: view }) : errors.drNotFound(route.drId);
      }
      case 'action':
        return this.action(region, route.projectId, route.drId, route.action, nowMs, entry);
      case 'cluster': {
        const cluster = this.state.clusters.get(route.clusterId);
        if (!cluster || cluster.projectId !== route.projectId || cluster.region !== region) {
          return errors.clusterNotFound(route.clusterId);
        }
        return json(200, { cluster: this.clusterView(cluster, region, nowMs) });
      }
      case 'clusters': {
        // Each cluster as its own read path shows it: a lagging cluster lags here too.
        const clusters = [...this.state.clusters.values()]
          .filter((c) => c.projectId === route.projectId && c.region === region)
          .map((c) => this.clusterView(c, region, nowMs));
        return json(200, { clusters, count: clusters.length });
      }
    }
  }

  /**
   * A cluster as its read path shows it: its read-after-write snapshot while one is open, else, for a cluster of a
   * cross-region pair, as of the version its region's copy has reached, else live.
   */
  private clusterView(cluster: SimCluster, region: string, nowMs: number): ClusterDetailWire {
    return (
      this.stale.cluster.get(cluster.id, cluster.projectId, nowMs) ??
      this.copies.readCluster(cluster.id, region, nowMs) ??
      renderCluster(cluster, nowMs)
    );
  }

  /**
   * What a DR read path shows: a cross-region pair from `region`'s copy, any other pair from its read-after-write
   * snapshot while one is open, else live. @returns null when the reader does not reach the pair.
   */
  private read<P extends DrReadPath>(
    region: string,
    projectId: string,
    drId: string,
    path: P,
    nowMs: number
  ): DrReadWire[P] | null {
    if (this.copies.has(drId)) {
      return this.copies.servedIn(drId, region, projectId) ? this.copies.read(drId, region, path, nowMs) : null;
    }
    const snapshot = this.stale.ofDrPath(path).get(drId, projectId, nowMs);
    if (snapshot) return snapshot;
    const dr = this.state.drs.get(drId);
    return dr && dr.projectId === projectId ? renderDrPath(path, this.state, dr, nowMs) : null;
  }

  /** The pair as the service holds it (the latest state, whichever copy a reader sees), if the caller reaches it. */
  private dr(region: string, projectId: string, drId: string): SimDr | undefined {
    const dr = this.state.drs.get(drId);
    if (this.copies.has(drId)) return this.copies.servedIn(drId, region, projectId) ? dr : undefined;
    return dr && dr.projectId === projectId ? dr : undefined;
  }

  private list(region: string, projectId: string, query: URLSearchParams, nowMs: number): SimResponse {
    const ids = new Set([
      ...[...this.state.drs.values()].filter((d) => d.projectId === projectId).map((d) => d.id),
      ...this.stale.list.keys(projectId, nowMs),
      ...this.copies.idsIn(region, projectId),
    ]);
    const items = [...ids].flatMap((id) => this.read(region, projectId, id, 'list', nowMs) ?? []);
    const filters = (['id', 'primary_cluster_id', 'standby_cluster_id'] as const).flatMap((key) => {
      const want = query.get(key);
      return want === null || want === '' ? [] : [[key, want] as const];
    });
    return json(200, { disaster_recovery: items.filter((item) => filters.every(([k, v]) => item[k] === v)) });
  }

  private action(
    region: string,
    projectId: string,
    drId: string,
    action: DrAction,
    nowMs: number,
    entry: RequestLogEntry
  ): SimResponse {
    entry.action = action;
    entry.drId = drId;
    entry.accepted = false;
    const dr = this.dr(region, projectId, drId);
    if (!dr) {
      entry.note = `${action} refused: no DR pair ${drId} in project ${projectId}`;
      return errors.drNotFound(drId);
    }
    const outcome = this.commits.accept(dr, action, region, nowMs, entry);
    if (!outcome.accepted) {
      entry.note = outcome.reason;
      return errors.wrongState(this.config().wrongStateHttpStatus);
    }
    entry.accepted = true;
    return action === 'delete' ? empty(200) : json(200, { disaster_recovery: { id: dr.id } });
  }
}

/** The answer for a project whose clusters are all in another region: its pairs and clusters do not exist here. */
function outsideRegion(route: Exclude<DwsRoute, { kind: 'token' }>, region: string, entry: RequestLogEntry) {
  switch (route.kind) {
    case 'list':
      return json(200, { disaster_recovery: [] });
    case 'clusters':
      return json(200, { clusters: [], count: 0 });
    case 'cluster':
      return errors.clusterNotFound(route.clusterId);
    case 'action':
      entry.note = `${route.action} refused: project ${route.projectId} is not in region ${region}`;
      return errors.drNotFound(route.drId);
    case 'detail':
    case 'progress':
      return errors.drNotFound(route.drId);
  }
}

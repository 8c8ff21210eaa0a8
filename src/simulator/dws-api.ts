/**
 * The DWS endpoints (reference §1.1 #2–#9, #11, and cluster detail): routing and handlers. Every success is a
 * 200; actions answer `{"disaster_recovery":{"id":…}}`; a pair or cluster of another project is "not found".
 */
import type { ActionCommits } from './commit';
import type { SimulatorConfig } from './config';
import type { StaleReads } from './read-after-write';
import type { DrAction } from './records';
import type { RequestLogEntry } from './request-log';
import { empty, errors, json, type SimResponse } from './responses';
import type { SimState } from './state';
import { renderCluster, renderDetail, renderListItem, renderProgress } from './wire';

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

/** Serves the DWS routes from the store, the action commits and the read-after-write snapshots. */
export class DwsApi {
  constructor(
    private readonly state: SimState,
    private readonly commits: ActionCommits,
    private readonly stale: StaleReads,
    private readonly config: () => SimulatorConfig
  ) {}

  /** Serves a DWS route (never `token`); fills the action fields of the log entry. */
  handle(
    route: Exclude<DwsRoute, { kind: 'token' }>,
    query: URLSearchParams,
    nowMs: number,
    entry: RequestLogEntry
  ): SimResponse {
    switch (route.kind) {
      case 'list':
        return this.list(route.projectId, query, nowMs);
      case 'detail':
        return this.detail(route.projectId, route.drId, nowMs);
      case 'action':
        return this.action(route.projectId, route.drId, route.action, nowMs, entry);
      case 'progress': {
        const snapshot = this.stale.progress.get(route.drId, route.projectId, nowMs);
        if (snapshot) return json(200, { disaster_recovery_progress: snapshot });
        const dr = this.dr(route.projectId, route.drId);
        return dr
          ? json(200, { disaster_recovery_progress: renderProgress(this.state, dr, nowMs) })
          : errors.drNotFound(route.drId);
      }
      case 'cluster': {
        const snapshot = this.stale.cluster.get(route.clusterId, route.projectId, nowMs);
        if (snapshot) return json(200, { cluster: snapshot });
        const cluster = this.state.clusters.get(route.clusterId);
        if (!cluster || cluster.projectId !== route.projectId) return errors.clusterNotFound(route.clusterId);
        return json(200, { cluster: renderCluster(cluster, nowMs) });
      }
      case 'clusters': {
        // Each cluster as its own read path shows it: a lagging cluster lags here too.
        const clusters = [...this.state.clusters.values()]
          .filter((c) => c.projectId === route.projectId)
          .map((c) => this.stale.cluster.get(c.id, route.projectId, nowMs) ?? renderCluster(c, nowMs));
        return json(200, { clusters, count: clusters.length });
      }
    }
  }

  private dr(projectId: string, drId: string) {
    const dr = this.state.drs.get(drId);
    return dr && dr.projectId === projectId ? dr : undefined;
  }

  private list(projectId: string, query: URLSearchParams, nowMs: number): SimResponse {
    const ids = new Set([
      ...[...this.state.drs.values()].filter((d) => d.projectId === projectId).map((d) => d.id),
      ...this.stale.list.keys(projectId, nowMs),
    ]);
    const items = [...ids].flatMap((id) => {
      const snapshot = this.stale.list.get(id, projectId, nowMs);
      if (snapshot) return [snapshot];
      const dr = this.state.drs.get(id);
      return dr ? [renderListItem(this.state, dr, nowMs)] : [];
    });
    const filters = (['id', 'primary_cluster_id', 'standby_cluster_id'] as const).flatMap((key) => {
      const want = query.get(key);
      return want === null || want === '' ? [] : [[key, want] as const];
    });
    return json(200, { disaster_recovery: items.filter((item) => filters.every(([k, v]) => item[k] === v)) });
  }

  private detail(projectId: string, drId: string, nowMs: number): SimResponse {
    const snapshot = this.stale.detail.get(drId, projectId, nowMs);
    if (snapshot) return json(200, { disaster_recovery: snapshot });
    const dr = this.dr(projectId, drId);
    return dr ? json(200, { disaster_recovery: renderDetail(this.state, dr, nowMs) }) : errors.drNotFound(drId);
  }

  private action(
    projectId: string,
    drId: string,
    action: DrAction,
    nowMs: number,
    entry: RequestLogEntry
  ): SimResponse {
    entry.action = action;
    entry.drId = drId;
    entry.accepted = false;
    const dr = this.dr(projectId, drId);
    if (!dr) {
      entry.note = `${action} refused: no DR pair ${drId} in project ${projectId}`;
      return errors.drNotFound(drId);
    }
    const outcome = this.commits.accept(dr, action, nowMs, entry);
    if (!outcome.accepted) {
      entry.note = outcome.reason;
      return errors.wrongState(this.config().wrongStateHttpStatus);
    }
    entry.accepted = true;
    return action === 'delete' ? empty(200) : json(200, { disaster_recovery: { id: dr.id } });
  }
}

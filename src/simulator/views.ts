/**
 * How the control API and the programmatic API show the simulator's records: camelCase, ISO times, the true
 * state (never the read-after-write snapshot).
 */
import type { ClusterHealth, DrAction, SimCluster, SimDr } from './records';
import type { SimState } from './state';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A DR pair as the simulator holds it. */
export interface SimPairView {
  id: string;
  name: string;
  projectId: string;
  drType: string;
  status: string;
  drSyncPeriod: string;
  primaryClusterId: string;
  standbyClusterId: string;
  /** ISO time of the last successful sync as of now, or null. */
  lastSuccessTime: string | null;
  createTime: string;
  startTime: string | null;
  /** A failover completed and no recovery followed yet. */
  failedOver: boolean;
  operation: { action: DrAction; preStatus: string; startedAt: string; endsAt: string; fails: boolean } | null;
  /** Until when GET detail/list still show the pre-write snapshot, or null. */
  staleUntil: string | null;
}

/** A cluster as the simulator holds it. */
export interface SimClusterView {
  id: string;
  name: string;
  projectId: string;
  region: string;
  az: string;
  status: ClusterHealth;
  version: string;
  task: { name: string; startedAt: string; endsAt: string } | null;
  lastOutageAt: string | null;
}

/** A pair for `GET /_sim/state`; `staleUntilMs` is the end of its read-after-write window, if open. */
export function pairView(state: SimState, dr: SimDr, nowMs: number, staleUntilMs: number | null): SimPairView {
  const op = dr.operation;
  return {
    id: dr.id,
    name: dr.name,
    projectId: dr.projectId,
    drType: dr.drType,
    status: dr.status,
    drSyncPeriod: dr.drSyncPeriod,
    primaryClusterId: dr.primaryClusterId,
    standbyClusterId: dr.standbyClusterId,
    lastSuccessTime: iso(state.lastSuccess(dr, nowMs)),
    createTime: new Date(dr.createMs).toISOString(),
    startTime: iso(dr.startMs),
    failedOver: dr.failedOver,
    operation: op
      ? {
          action: op.action,
          preStatus: op.preStatus,
          startedAt: new Date(op.startedMs).toISOString(),
          endsAt: new Date(op.endsMs).toISOString(),
          fails: op.fails,
        }
      : null,
    staleUntil: iso(staleUntilMs),
  };
}

/** A cluster for `GET /_sim/state`. */
export function clusterView(cluster: SimCluster): SimClusterView {
  return {
    id: cluster.id,
    name: cluster.name,
    projectId: cluster.projectId,
    region: cluster.region,
    az: cluster.az,
    status: cluster.status,
    version: cluster.version,
    task: cluster.task
      ? {
          name: cluster.task.name,
          startedAt: new Date(cluster.task.startedMs).toISOString(),
          endsAt: new Date(cluster.task.endsMs).toISOString(),
        }
      : null,
    lastOutageAt: iso(cluster.outageMs),
  };
}

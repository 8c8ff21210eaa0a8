/**
 * How the control API and the programmatic API show the simulator's records: camelCase, ISO times, the true
 * state (never the read-after-write snapshot).
 */
import type { ReadPath } from './config';
import type { ActionRecord, ActionResult, ClusterHealth, DrAction, SimCluster, SimDr } from './records';
import type { RegionOutage, RegionOutageMode } from './region-outage';
import type { CopyStatus } from './replication';
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
  /** Until when some read path still shows a pre-write snapshot (the latest of `readLagUntil`), or null. */
  staleUntil: string | null;
  /** Until when each read path still shows its pre-write snapshot, or null. */
  readLagUntil: Record<ReadPath, string | null>;
  /** The primary when the pair was added. */
  originalPrimaryClusterId: string;
  /** How many times the roles actually swapped (a failover and a fail-back make 2). */
  roleSwaps: number;
  /** Every accepted action of this pair, oldest first, with its fate: the ground truth. */
  actions: SimActionView[];
  /** The region copies of a cross-region pair (primary's side first); [] for a pair in one region. */
  copies: SimCopyView[];
}

/** One region's copy of a cross-region pair. */
export interface SimCopyView {
  region: string;
  /** The project it is read with (that side's cluster's). */
  projectId: string;
  /** Until when (ISO) it still shows an older version than the latest state, or null when it is current. */
  behindUntil: string | null;
}

/** A region's endpoint as `GET /_sim/state` shows it. */
export interface SimRegionView {
  region: string;
  /** Requests without a `/regions/{region}` prefix are served as this region. */
  default: boolean;
  /** The endpoint outage in force, or null; `until` null: until restored. */
  outage: { mode: RegionOutageMode; until: string | null } | null;
}

/** One accepted action and what became of it. */
export interface SimActionView {
  /** `seq` of the accepted POST/DELETE in the request log. */
  seq: number;
  action: DrAction;
  /** The region whose endpoint took it. */
  region: string;
  acceptedAt: string;
  /** When it was applied or refused at commit; null while pending. */
  committedAt: string | null;
  result: ActionResult;
  /** Whether it swapped the roles; null until its operation ended. */
  swapped: boolean | null;
  /** When its operation ended (or when it was refused at commit); null before. */
  endedAt: string | null;
  /** Why it was refused at commit, else null. */
  reason: string | null;
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

/** A pair for `GET /_sim/state`; `lagUntilMs` ends the open read-lag window of each path (null: none). */
export function pairView(
  state: SimState,
  dr: SimDr,
  nowMs: number,
  lagUntilMs: Record<ReadPath, number | null>,
  copies: CopyStatus[]
): SimPairView {
  const op = dr.operation;
  const ends = Object.values(lagUntilMs).filter((ms): ms is number => ms !== null);
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
    staleUntil: iso(ends.length > 0 ? Math.max(...ends) : null),
    readLagUntil: {
      detail: iso(lagUntilMs.detail),
      list: iso(lagUntilMs.list),
      cluster: iso(lagUntilMs.cluster),
      progress: iso(lagUntilMs.progress),
    },
    originalPrimaryClusterId: dr.originalPrimaryClusterId,
    roleSwaps: dr.roleSwaps,
    actions: dr.actions.map(actionView),
    copies: copies.map((c) => ({ region: c.region, projectId: c.projectId, behindUntil: iso(c.behindUntilMs) })),
  };
}

/** A region for `GET /_sim/state` and the region outage calls. */
export function regionView(region: string, isDefault: boolean, outage: RegionOutage | null): SimRegionView {
  return { region, default: isDefault, outage: outage ? { mode: outage.mode, until: iso(outage.untilMs) } : null };
}

function actionView(r: ActionRecord): SimActionView {
  return {
    seq: r.seq,
    action: r.action,
    region: r.region,
    acceptedAt: new Date(r.acceptedMs).toISOString(),
    committedAt: iso(r.committedMs),
    result: r.result,
    swapped: r.swapped,
    endedAt: iso(r.endedMs),
    reason: r.reason,
  };
}

/**
 * The accepted actions of pair `drId` in a `GET /_sim/state` answer, optionally only those of one action.
 * @returns [] when the pair is not in the state.
 */
export function acceptedActions(
  state: { disasterRecoveries: SimPairView[] },
  drId: string,
  action?: DrAction
): SimActionView[] {
  const pair = state.disasterRecoveries.find((d) => d.id === drId);
  return (pair?.actions ?? []).filter((a) => action === undefined || a.action === action);
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

/**
 * Renders the simulator's records in the exact wire shapes of src/dws/types.ts (reference §2, §3.4).
 */
import { formatDwsTime } from '../dws/model';
import type {
  ClusterDetailWire,
  DrClusterProgressWire,
  DrClusterWire,
  DrDetailWire,
  DrListItemWire,
  DrProgressWire,
} from '../dws/types';
import type { ClusterTask, SimCluster, SimDr } from './records';
import type { SimState } from './state';

const time = (ms: number | null): string | null => (ms === null ? null : formatDwsTime(new Date(ms)));

function percent(task: ClusterTask, nowMs: number): string {
  const span = Math.max(1, task.endsMs - task.startedMs);
  return `${Math.min(99, Math.max(0, Math.floor(((nowMs - task.startedMs) / span) * 100)))}%`;
}

/**
 * Per-cluster DR status (reference §3.2), derived from the pair: null before the first start, `backuping` /
 * `restoring` while syncing, `stopped` when paused, otherwise `waiting` for a healthy cluster and `abnormal` for
 * a down one.
 */
function clusterDrStatus(dr: SimDr, cluster: SimCluster, role: 'primary' | 'standby'): string | null {
  switch (dr.status) {
    case 'creating':
    case 'create_failed':
    case 'unstart':
      return null;
    case 'running':
      if (cluster.status !== 'AVAILABLE') return 'abnormal';
      return role === 'primary' ? 'backuping' : 'restoring';
    case 'stopping':
    case 'stopped':
      return 'stopped';
    case 'deleting':
    case 'deleted':
      return 'drDeleted';
    default:
      return cluster.status === 'AVAILABLE' ? 'waiting' : 'abnormal';
  }
}

function drCluster(state: SimState, dr: SimDr, role: 'primary' | 'standby', nowMs: number): DrClusterWire {
  const cluster = state.cluster(role === 'primary' ? dr.primaryClusterId : dr.standbyClusterId);
  const progress = cluster.task ? percent(cluster.task, nowMs) : dr.status === 'running' ? '100%' : null;
  return {
    id: cluster.id,
    name: cluster.name,
    cluster_az: cluster.az,
    role,
    region: cluster.region,
    status: clusterDrStatus(dr, cluster, role),
    progress,
    last_success_time: time(state.lastSuccess(dr, nowMs)),
    obs_bucket_name: '',
    datastore_version: cluster.version,
    datastore_type: 'dws',
    disk_capacity: '300',
    disk_used: '12',
  };
}

/** `GET /v2/{project_id}/disaster-recovery/{id}` body item. */
export function renderDetail(state: SimState, dr: SimDr, nowMs: number): DrDetailWire {
  return {
    id: dr.id,
    name: dr.name,
    dr_type: dr.drType,
    status: dr.status,
    primary_cluster: drCluster(state, dr, 'primary', nowMs),
    standby_cluster: drCluster(state, dr, 'standby', nowMs),
    dr_sync_period: dr.drSyncPeriod,
    start_time: time(dr.startMs),
    create_time: time(dr.createMs),
  };
}

/** One item of `GET /v2/{project_id}/disaster-recoveries`. */
export function renderListItem(state: SimState, dr: SimDr, nowMs: number): DrListItemWire {
  const primary = state.cluster(dr.primaryClusterId);
  const standby = state.cluster(dr.standbyClusterId);
  return {
    id: dr.id,
    name: dr.name,
    status: dr.status,
    dr_type: dr.drType,
    primary_cluster_id: primary.id,
    standby_cluster_id: standby.id,
    primary_cluster_name: primary.name,
    standby_cluster_name: standby.name,
    primary_cluster_role: 'primary',
    standby_cluster_role: 'standby',
    primary_cluster_status: clusterDrStatus(dr, primary, 'primary'),
    standby_cluster_status: clusterDrStatus(dr, standby, 'standby'),
    primary_cluster_region: primary.region,
    standby_cluster_region: standby.region,
    primary_cluster_project_id: primary.projectId,
    standby_cluster_project_id: standby.projectId,
    last_disaster_time: time(state.lastSuccess(dr, nowMs)),
    start_time: time(dr.startMs),
    create_time: time(dr.createMs),
  };
}

/**
 * `GET /v1/{project_id}/disaster-recovery/{id}/show-progress` body: the last backup/restore cycle (a 15 s backup
 * then a 15 s restore ending at the last sync), the RPO as seconds since the last sync, and the last outage.
 */
export function renderProgress(state: SimState, dr: SimDr, nowMs: number): DrProgressWire {
  const last = state.lastSuccess(dr, nowMs);
  const outages = [dr.primaryClusterId, dr.standbyClusterId]
    .map((id) => state.clusters.get(id)?.outageMs ?? null)
    .filter((ms): ms is number => ms !== null);
  const cycle = (type: 'Backup' | 'Restore'): DrClusterProgressWire | null => {
    if (last === null) return null;
    const end = type === 'Backup' ? last - 15_000 : last;
    return {
      key: `${formatDwsTime(new Date(last - 30_000)).replace(/\D/g, '')}`,
      action_type: type,
      unrestore_keys: '',
      action_start_time: time(end - 15_000),
      action_end_time: time(end),
    };
  };
  return {
    primary_cluster: cycle('Backup'),
    standby_cluster: cycle('Restore'),
    latest_barrier_time: outages.length > 0 ? time(Math.max(...outages)) : null,
    last_recovery_spend: last === null ? null : 15,
    recovery_point_object: last === null ? null : Math.max(0, Math.floor((nowMs - last) / 1000)),
    recovery_time_object: last === null ? null : 30,
  };
}

/** `GET /v1.0/{project_id}/clusters/{cluster_id}` body item. Idle clusters have `task_status: ""`, `{}`. */
export function renderCluster(cluster: SimCluster, nowMs: number): ClusterDetailWire {
  return {
    id: cluster.id,
    name: cluster.name,
    status: cluster.status,
    version: cluster.version,
    sub_status: cluster.status === 'AVAILABLE' ? 'NORMAL' : null,
    task_status: cluster.task?.name ?? '',
    action_progress: cluster.task ? { [cluster.task.name]: percent(cluster.task, nowMs) } : {},
    availability_zone: cluster.az,
    updated: `${formatDwsTime(new Date(cluster.updatedMs))}Z`,
    created: `${formatDwsTime(new Date(cluster.createdMs))}Z`,
  };
}

/** The DR read paths (a cluster is read on its own) and the wire shape each answers. */
export interface DrReadWire {
  detail: DrDetailWire;
  list: DrListItemWire;
  progress: DrProgressWire;
}

export type DrReadPath = keyof DrReadWire;

const DR_RENDERERS: { [P in DrReadPath]: (state: SimState, dr: SimDr, nowMs: number) => DrReadWire[P] } = {
  detail: renderDetail,
  list: renderListItem,
  progress: renderProgress,
};

/** Renders `dr` as read path `path` answers it. */
export function renderDrPath<P extends DrReadPath>(path: P, state: SimState, dr: SimDr, nowMs: number): DrReadWire[P] {
  return DR_RENDERERS[path](state, dr, nowMs);
}

/**
 * Normalises parsed DWS answers into the wire types of `types.ts`: a field the service omitted becomes null (or
 * '' for a documented non-null label), numbers sent where strings are documented become strings, and a missing
 * field that decisions depend on (an id, a status) is a `DwsBadResponseError` rather than a silent default.
 */
import type {
  ClusterDetailWire,
  DrClusterProgressWire,
  DrClusterWire,
  DrDetailWire,
  DrListItemWire,
  DrProgressWire,
} from './types';
import { isRecord, scalar } from './response';

/** Throws for a missing or malformed field; the argument names it (e.g. `disaster_recovery.primary_cluster.id`). */
export type MissingField = (field: string) => never;

export function decodeDrList(body: Record<string, unknown>, missing: MissingField): DrListItemWire[] {
  const list = body.disaster_recovery;
  if (!Array.isArray(list)) return missing('disaster_recovery list');
  return list.map((item: unknown, i): DrListItemWire => {
    const at = `disaster_recovery[${i}]`;
    if (!isRecord(item)) return missing(at);
    return {
      id: required(item, 'id', at, missing),
      name: scalar(item.name) ?? '',
      status: required(item, 'status', at, missing),
      dr_type: scalar(item.dr_type) ?? '',
      primary_cluster_id: required(item, 'primary_cluster_id', at, missing),
      standby_cluster_id: required(item, 'standby_cluster_id', at, missing),
      primary_cluster_name: scalar(item.primary_cluster_name) ?? '',
      standby_cluster_name: scalar(item.standby_cluster_name) ?? '',
      primary_cluster_role: scalar(item.primary_cluster_role) ?? '',
      standby_cluster_role: scalar(item.standby_cluster_role) ?? '',
      primary_cluster_status: scalar(item.primary_cluster_status),
      standby_cluster_status: scalar(item.standby_cluster_status),
      primary_cluster_region: scalar(item.primary_cluster_region) ?? '',
      standby_cluster_region: scalar(item.standby_cluster_region) ?? '',
      primary_cluster_project_id: scalar(item.primary_cluster_project_id) ?? '',
      standby_cluster_project_id: scalar(item.standby_cluster_project_id) ?? '',
      last_disaster_time: scalar(item.last_disaster_time),
      start_time: scalar(item.start_time),
      create_time: scalar(item.create_time),
    };
  });
}

export function decodeDrDetail(body: Record<string, unknown>, missing: MissingField): DrDetailWire {
  const dr = body.disaster_recovery;
  const at = 'disaster_recovery';
  if (!isRecord(dr)) return missing(at);
  return {
    id: required(dr, 'id', at, missing),
    name: scalar(dr.name) ?? '',
    dr_type: scalar(dr.dr_type) ?? '',
    status: required(dr, 'status', at, missing),
    primary_cluster: drCluster(dr.primary_cluster, `${at}.primary_cluster`, missing),
    standby_cluster: drCluster(dr.standby_cluster, `${at}.standby_cluster`, missing),
    dr_sync_period: scalar(dr.dr_sync_period),
    start_time: scalar(dr.start_time),
    create_time: scalar(dr.create_time),
  };
}

/** The id of an action answer `{ disaster_recovery: { id } }`. */
export function decodeActionId(body: Record<string, unknown>, missing: MissingField): string {
  const dr = body.disaster_recovery;
  if (!isRecord(dr)) return missing('disaster_recovery.id');
  return required(dr, 'id', 'disaster_recovery', missing);
}

export function decodeProgress(body: Record<string, unknown>, missing: MissingField): DrProgressWire {
  const p = body.disaster_recovery_progress;
  if (!isRecord(p)) return missing('disaster_recovery_progress');
  return {
    primary_cluster: clusterProgress(p.primary_cluster),
    standby_cluster: clusterProgress(p.standby_cluster),
    latest_barrier_time: scalar(p.latest_barrier_time),
    last_recovery_spend: num(p.last_recovery_spend),
    recovery_point_object: num(p.recovery_point_object),
    recovery_time_object: num(p.recovery_time_object),
  };
}

export function decodeCluster(body: Record<string, unknown>, missing: MissingField): ClusterDetailWire {
  return clusterOf(body.cluster, 'cluster', missing);
}

/** `GET /v1.0/{project_id}/clusters` (ListClusters): `{"clusters":[…], "count"}`. */
export function decodeClusterList(body: Record<string, unknown>, missing: MissingField): ClusterDetailWire[] {
  const list = body.clusters;
  if (!Array.isArray(list)) return missing('clusters list');
  return list.map((c: unknown, i) => clusterOf(c, `clusters[${i}]`, missing));
}

function clusterOf(c: unknown, at: string, missing: MissingField): ClusterDetailWire {
  if (!isRecord(c)) return missing(at);
  return {
    id: required(c, 'id', at, missing),
    name: scalar(c.name) ?? '',
    status: required(c, 'status', at, missing),
    version: scalar(c.version) ?? '',
    sub_status: scalar(c.sub_status),
    task_status: scalar(c.task_status),
    action_progress: stringRecord(c.action_progress),
    availability_zone: scalar(c.availability_zone),
    updated: scalar(c.updated),
    created: scalar(c.created),
  };
}

function drCluster(value: unknown, at: string, missing: MissingField): DrClusterWire {
  if (!isRecord(value)) return missing(at);
  return {
    id: required(value, 'id', at, missing),
    name: scalar(value.name) ?? '',
    cluster_az: scalar(value.cluster_az) ?? '',
    role: scalar(value.role) ?? '',
    region: scalar(value.region) ?? '',
    status: scalar(value.status),
    progress: scalar(value.progress),
    last_success_time: scalar(value.last_success_time),
    obs_bucket_name: scalar(value.obs_bucket_name),
    datastore_version: scalar(value.datastore_version),
    datastore_type: scalar(value.datastore_type),
    disk_capacity: scalar(value.disk_capacity),
    disk_used: scalar(value.disk_used),
  };
}

function clusterProgress(value: unknown): DrClusterProgressWire | null {
  if (!isRecord(value)) return null;
  return {
    key: scalar(value.key),
    action_type: scalar(value.action_type),
    unrestore_keys: scalar(value.unrestore_keys),
    action_start_time: scalar(value.action_start_time),
    action_end_time: scalar(value.action_end_time),
  };
}

function required(obj: Record<string, unknown>, key: string, at: string, missing: MissingField): string {
  const v = scalar(obj[key]);
  return v === null || v === '' ? missing(`${at}.${key}`) : v;
}

function num(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

function stringRecord(value: unknown): Record<string, string> | null {
  if (!isRecord(value)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    const t = scalar(v);
    if (t !== null) out[k] = t;
  }
  return out;
}

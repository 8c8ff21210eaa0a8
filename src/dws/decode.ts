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
      name: text(item.name) ?? '',
      status: required(item, 'status', at, missing),
      dr_type: text(item.dr_type) ?? '',
      primary_cluster_id: required(item, 'primary_cluster_id', at, missing),
      standby_cluster_id: required(item, 'standby_cluster_id', at, missing),
      primary_cluster_name: text(item.primary_cluster_name) ?? '',
      standby_cluster_name: text(item.standby_cluster_name) ?? '',
      primary_cluster_role: text(item.primary_cluster_role) ?? '',
      standby_cluster_role: text(item.standby_cluster_role) ?? '',
      primary_cluster_status: text(item.primary_cluster_status),
      standby_cluster_status: text(item.standby_cluster_status),
      primary_cluster_region: text(item.primary_cluster_region) ?? '',
      standby_cluster_region: text(item.standby_cluster_region) ?? '',
      primary_cluster_project_id: text(item.primary_cluster_project_id) ?? '',
      standby_cluster_project_id: text(item.standby_cluster_project_id) ?? '',
      last_disaster_time: text(item.last_disaster_time),
      start_time: text(item.start_time),
      create_time: text(item.create_time),
    };
  });
}

export function decodeDrDetail(body: Record<string, unknown>, missing: MissingField): DrDetailWire {
  const dr = body.disaster_recovery;
  const at = 'disaster_recovery';
  if (!isRecord(dr)) return missing(at);
  return {
    id: required(dr, 'id', at, missing),
    name: text(dr.name) ?? '',
    dr_type: text(dr.dr_type) ?? '',
    status: required(dr, 'status', at, missing),
    primary_cluster: drCluster(dr.primary_cluster, `${at}.primary_cluster`, missing),
    standby_cluster: drCluster(dr.standby_cluster, `${at}.standby_cluster`, missing),
    dr_sync_period: text(dr.dr_sync_period),
    start_time: text(dr.start_time),
    create_time: text(dr.create_time),
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
    latest_barrier_time: text(p.latest_barrier_time),
    last_recovery_spend: num(p.last_recovery_spend),
    recovery_point_object: num(p.recovery_point_object),
    recovery_time_object: num(p.recovery_time_object),
  };
}

export function decodeCluster(body: Record<string, unknown>, missing: MissingField): ClusterDetailWire {
  const c = body.cluster;
  const at = 'cluster';
  if (!isRecord(c)) return missing(at);
  return {
    id: required(c, 'id', at, missing),
    name: text(c.name) ?? '',
    status: required(c, 'status', at, missing),
    version: text(c.version) ?? '',
    sub_status: text(c.sub_status),
    task_status: text(c.task_status),
    action_progress: stringRecord(c.action_progress),
    availability_zone: text(c.availability_zone),
    updated: text(c.updated),
    created: text(c.created),
  };
}

function drCluster(value: unknown, at: string, missing: MissingField): DrClusterWire {
  if (!isRecord(value)) return missing(at);
  return {
    id: required(value, 'id', at, missing),
    name: text(value.name) ?? '',
    cluster_az: text(value.cluster_az) ?? '',
    role: text(value.role) ?? '',
    region: text(value.region) ?? '',
    status: text(value.status),
    progress: text(value.progress),
    last_success_time: text(value.last_success_time),
    obs_bucket_name: text(value.obs_bucket_name),
    datastore_version: text(value.datastore_version),
    datastore_type: text(value.datastore_type),
    disk_capacity: text(value.disk_capacity),
    disk_used: text(value.disk_used),
  };
}

function clusterProgress(value: unknown): DrClusterProgressWire | null {
  if (!isRecord(value)) return null;
  return {
    key: text(value.key),
    action_type: text(value.action_type),
    unrestore_keys: text(value.unrestore_keys),
    action_start_time: text(value.action_start_time),
    action_end_time: text(value.action_end_time),
  };
}

function required(obj: Record<string, unknown>, key: string, at: string, missing: MissingField): string {
  const v = text(obj[key]);
  return v === null || v === '' ? missing(`${at}.${key}`) : v;
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
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
    const t = text(v);
    if (t !== null) out[k] = t;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

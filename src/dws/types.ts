/**
 * Wire types of the GaussDB(DWS) disaster-recovery and cluster APIs, with the JSON field names the service uses
 * (reference/dws-dr-api.md §2, §3.4). Every field the service may omit or send as null is typed that way: the
 * client normalises, the simulator emits these shapes verbatim.
 */

/** Per-cluster side of a DR detail (`DisasterRecoveryCluster`). */
export interface DrClusterWire {
  id: string;
  name: string;
  cluster_az: string;
  /** `primary` or `standby`. */
  role: string;
  region: string;
  /** Per-cluster DR status: backuping, restoring, stopped, waiting, abnormal, drDeleted, or null early on. */
  status: string | null;
  progress: string | null;
  /** Last successful DR sync, `YYYY-MM-DDTHH:MM:SS` in UTC without a zone, or null when never synced. */
  last_success_time: string | null;
  obs_bucket_name: string | null;
  datastore_version: string | null;
  datastore_type: string | null;
  disk_capacity: string | null;
  disk_used: string | null;
}

/** `GET /v2/{project_id}/disaster-recovery/{id}` → `{ disaster_recovery: DrDetailWire }`. */
export interface DrDetailWire {
  id: string;
  name: string;
  dr_type: string;
  status: string;
  primary_cluster: DrClusterWire;
  standby_cluster: DrClusterWire;
  dr_sync_period: string | null;
  start_time: string | null;
  create_time: string | null;
}

/** One item of `GET /v2/{project_id}/disaster-recoveries` → `{ disaster_recovery: DrListItemWire[] }`. */
export interface DrListItemWire {
  id: string;
  name: string;
  status: string;
  dr_type: string;
  primary_cluster_id: string;
  standby_cluster_id: string;
  primary_cluster_name: string;
  standby_cluster_name: string;
  primary_cluster_role: string;
  standby_cluster_role: string;
  primary_cluster_status: string | null;
  standby_cluster_status: string | null;
  primary_cluster_region: string;
  standby_cluster_region: string;
  primary_cluster_project_id: string;
  standby_cluster_project_id: string;
  last_disaster_time: string | null;
  start_time: string | null;
  create_time: string | null;
}

/** Answer of every DR action (start, pause, switchover, failover, recovery): `{ disaster_recovery: { id } }`. */
export interface DrActionResponseWire {
  disaster_recovery: { id: string };
}

/** `GET /v1/{project_id}/disaster-recovery/{id}/show-progress` → `{ disaster_recovery_progress: … }`. */
export interface DrProgressWire {
  primary_cluster: DrClusterProgressWire | null;
  standby_cluster: DrClusterProgressWire | null;
  latest_barrier_time: string | null;
  last_recovery_spend: number | null;
  recovery_point_object: number | null;
  recovery_time_object: number | null;
}

export interface DrClusterProgressWire {
  key: string | null;
  action_type: string | null;
  unrestore_keys: string | null;
  action_start_time: string | null;
  action_end_time: string | null;
}

/** `GET /v1.0/{project_id}/clusters/{cluster_id}` → `{ cluster: ClusterDetailWire }` (the fields this project reads). */
export interface ClusterDetailWire {
  id: string;
  name: string;
  /** AVAILABLE / UNAVAILABLE (observed) or ACTIVE / FAILED (current docs); CREATING, FROZEN, … */
  status: string;
  /** Kernel version, e.g. `8.2.1`. */
  version: string;
  sub_status?: string | null;
  task_status?: string | null;
  action_progress?: Record<string, string> | null;
  availability_zone?: string | null;
  updated?: string | null;
  created?: string | null;
}

/** Huawei Cloud error body; some DWS errors also carry the legacy `errCode` / `externalMessage` keys. */
export interface HuaweiErrorBodyWire {
  error_code?: string;
  error_msg?: string;
  errCode?: string;
  externalMessage?: string;
  request_id?: string;
}

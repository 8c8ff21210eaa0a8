/**
 * How this project reads DWS values whose meaning the public record leaves open (reference/dws-dr-api.md,
 * "Project decisions"). Pure functions, safe everywhere.
 */
import type { DrClusterWire, DrDetailWire, DrListItemWire } from './types';

/** DR statuses documented as stable (not an operation in flight). */
export const STABLE_DR_STATUSES: ReadonlySet<string> = new Set([
  'unstart',
  'running',
  'stopped',
  'abnormal',
  'create_failed',
  'start_failed',
  'stop_failed',
  'deleted',
]);

/** DR statuses documented as an operation in flight. */
export const TRANSITIONAL_DR_STATUSES: ReadonlySet<string> = new Set([
  'creating',
  'starting',
  'stopping',
  'switchovering',
  'deleting',
]);

/** DR statuses from which this project asks for a failover (the service still has the last word). */
export const FAILOVER_ALLOWED_DR_STATUSES: ReadonlySet<string> = new Set(['running', 'abnormal', 'stopped']);

/**
 * `stable`, `transitional`, or `unknown`. An unknown string (e.g. the undocumented failover status) means
 * "something is running": callers keep polling and never read it as success.
 */
export function classifyDrStatus(status: string | null | undefined): 'stable' | 'transitional' | 'unknown' {
  if (status == null) return 'unknown';
  if (STABLE_DR_STATUSES.has(status)) return 'stable';
  if (TRANSITIONAL_DR_STATUSES.has(status)) return 'transitional';
  return 'unknown';
}

/** Cluster health in either vocabulary: `AVAILABLE`/`ACTIVE` healthy, `UNAVAILABLE`/`FAILED`… down. */
export function clusterHealth(status: string | null | undefined): 'healthy' | 'down' | 'other' {
  const s = (status ?? '').trim().toUpperCase();
  if (s === 'AVAILABLE' || s === 'ACTIVE') return 'healthy';
  if (s === 'UNAVAILABLE' || s === 'FAILED' || s === 'CREATE_FAILED' || s === 'CREATION FAILED') return 'down';
  return 'other';
}

/**
 * Parses a DWS time stamp. `YYYY-MM-DDTHH:MM:SS` without a zone is UTC; values with a zone are honoured.
 * @returns null for null, empty or unparsable input (which callers treat as "unknown", never as zero).
 */
export function parseDwsTime(value: string | null | undefined): Date | null {
  if (value == null || value.trim() === '') return null;
  const v = value.trim();
  const hasZone = /([zZ]|[+-]\d{2}:?\d{2})$/.test(v);
  const iso = hasZone ? v : `${v.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** Formats a date the way DWS does: `YYYY-MM-DDTHH:MM:SS`, UTC, no zone. */
export function formatDwsTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/**
 * Compares dotted kernel versions numerically (`8.1.3.110` > `8.1.2`). Non-numeric parts compare as 0.
 * @returns negative, zero or positive like `Array.prototype.sort` comparators.
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.\-_]/).map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(/[.\-_]/).map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Oldest kernel that supports failover and recovery (reference §0). */
export const MIN_FAILOVER_KERNEL = '8.1.2';

/**
 * A DR detail as far as a DR list item tells it (reference §2.2): ids, names, roles, per-cluster DR status, and the
 * last successful sync (`last_disaster_time`, 最近同步时间, the list's form of the standby's `last_success_time`).
 * What the list does not carry (AZ, DR progress, OBS bucket, datastore and disk fields) is null or empty; the
 * pre-checks take the kernel version from the cluster itself. Shared reads (src/dws/shared-reads.ts) use it.
 */
export function detailFromListItem(item: DrListItemWire): DrDetailWire {
  const side = (which: 'primary' | 'standby'): DrClusterWire => ({
    id: item[`${which}_cluster_id`],
    name: item[`${which}_cluster_name`],
    cluster_az: '',
    role: item[`${which}_cluster_role`],
    region: item[`${which}_cluster_region`],
    status: item[`${which}_cluster_status`],
    progress: null,
    last_success_time: which === 'standby' ? item.last_disaster_time : null,
    obs_bucket_name: null,
    datastore_version: null,
    datastore_type: null,
    disk_capacity: null,
    disk_used: null,
  });
  return {
    id: item.id,
    name: item.name,
    dr_type: item.dr_type,
    status: item.status,
    primary_cluster: side('primary'),
    standby_cluster: side('standby'),
    dr_sync_period: null,
    start_time: item.start_time,
    create_time: item.create_time,
  };
}

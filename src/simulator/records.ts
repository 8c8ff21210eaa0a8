/**
 * The simulator's in-memory records: clusters and DR pairs as the service would hold them, before they are
 * rendered into wire shapes. Times are epoch milliseconds; rendering formats them the DWS way.
 */

/** The DR operations the simulator runs asynchronously (reference §1.1 #4–#9). */
export type DrAction = 'start' | 'pause' | 'switchover' | 'failover' | 'recovery' | 'delete';

/** Every {@link DrAction}, in a stable order (CLI help, validation). */
export const DR_ACTIONS: readonly DrAction[] = Object.freeze([
  'start',
  'pause',
  'switchover',
  'failover',
  'recovery',
  'delete',
]);

/** Cluster health in the vocabulary the simulator emits (the observed one, reference §3.4). */
export type ClusterHealth = 'AVAILABLE' | 'UNAVAILABLE';

/** DR statuses of reference §3.1 plus `stopped`, which the SDK enum lacks but the service uses. */
export const KNOWN_DR_STATUSES: readonly string[] = Object.freeze([
  'creating',
  'create_failed',
  'unstart',
  'starting',
  'start_failed',
  'running',
  'stopping',
  'stopped',
  'stop_failed',
  'switchovering',
  'abnormal',
  'deleting',
  'deleted',
]);

/** Allowed-action matrix of reference §3.1 for the actions whose set is documented. */
export const ACTION_ALLOWED_STATUSES: Readonly<Record<'start' | 'pause' | 'switchover' | 'delete', readonly string[]>> =
  Object.freeze({
    start: ['unstart', 'start_failed', 'stopped'],
    pause: ['running', 'stop_failed'],
    switchover: ['running'],
    delete: ['create_failed', 'unstart', 'start_failed', 'stopped', 'stop_failed', 'abnormal'],
  });

/** A cluster task shown in `task_status` / `action_progress` (e.g. `DR_RECOVERING` during recovery). */
export interface ClusterTask {
  name: string;
  startedMs: number;
  endsMs: number;
}

/** A cluster: health, kernel version and the task it runs (if any). */
export interface SimCluster {
  id: string;
  name: string;
  projectId: string;
  region: string;
  az: string;
  status: ClusterHealth;
  /** Kernel version, e.g. `8.2.1`. */
  version: string;
  createdMs: number;
  updatedMs: number;
  /** When the last outage began; the progress endpoint reports it as `latest_barrier_time`. */
  outageMs: number | null;
  task: ClusterTask | null;
}

/** What became of an accepted action: still waiting for its commit, started, or refused when it came due. */
export type ActionResult = 'pending' | 'applied' | 'refused-at-commit';

/** The ground truth of one accepted action (`GET /_sim/state` → `actions`). */
export interface ActionRecord {
  /** The request log `seq` of the POST/DELETE that was accepted. */
  seq: number;
  action: DrAction;
  /** The region whose endpoint took it: its copy of a cross-region pair sees the operation first. */
  region: string;
  acceptedMs: number;
  /** When the state machine took it (applied) or turned it down (refused-at-commit); null while pending. */
  committedMs: number | null;
  result: ActionResult;
  /** Whether this action swapped the roles; null until it has ended (false for refused and non-swapping ones). */
  swapped: boolean | null;
  /** When its operation ended (or when it was refused at commit); null before. */
  endedMs: number | null;
  /** Why it was refused at commit, else null. */
  reason: string | null;
}

/** An operation in flight on a DR pair; the timer ends it. */
export interface DrOperation {
  action: DrAction;
  /** The DR status when the request was accepted: failover returns to it. */
  preStatus: string;
  startedMs: number;
  endsMs: number;
  /** Whether this operation was configured to fail when it was accepted. */
  fails: boolean;
  timer: number;
  /** The ground-truth record of the action that started it. */
  record: ActionRecord;
}

/** A DR pair: status, current roles, sync clock and the operation in flight. */
export interface SimDr {
  id: string;
  name: string;
  projectId: string;
  drType: string;
  status: string;
  drSyncPeriod: string;
  createMs: number;
  startMs: number | null;
  /** Current roles: these two swap on a successful switchover or failover. */
  primaryClusterId: string;
  standbyClusterId: string;
  /** Last successful sync as of the last settle; readers use `effectiveLastSuccess` (sync.ts). */
  lastSuccessMs: number | null;
  /** Sync cycles complete at `anchor + k × interval` while the pair syncs; null while it does not. */
  syncAnchorMs: number | null;
  /** A failover completed and no recovery followed yet: `/recovery` is allowed (once the old primary is back). */
  failedOver: boolean;
  /** The pair turned `abnormal` only because a cluster went down: it resumes when the cluster comes back. */
  resumeOnRestore: boolean;
  operation: DrOperation | null;
  /** The primary when the pair was added: the reference for counting fail-backs. */
  originalPrimaryClusterId: string;
  /** How many times the roles actually swapped. */
  roleSwaps: number;
  /** Every accepted action, oldest first (ground truth for tests and chaos runs). */
  actions: ActionRecord[];
}

/**
 * The simulator's run-time knobs: operation timings and the "project decisions" of reference/dws-dr-api.md. They
 * can change while the simulator runs (`POST /_sim/config`, `configure()`); operations already in flight keep the
 * timing they started with.
 */
import { z } from 'zod';
import { isBareNumber, parseDurationMs } from '../shared/duration';
import { parseInput } from './input-error';
import { DR_ACTIONS, type DrAction } from './records';

export interface SimulatorConfig {
  /** How long a failover runs before the roles swap. @default 15000 */
  failoverDurationMs: number;
  /** How long a planned switchover runs. @default 15000 */
  switchoverDurationMs: number;
  /** How long a recovery (re-seeding the old primary) runs. @default 30000 */
  recoveryDurationMs: number;
  /** @default 5000 */
  startDurationMs: number;
  /** @default 5000 */
  pauseDurationMs: number;
  /** How long a deleted pair stays `deleting` before it is gone. @default 3000 */
  deleteDurationMs: number;
  /**
   * For this long after an action is committed, the DR detail and list still show the state from before it
   * (eventual consistency; the workflow's own window is 15 s, so 1 s exercises it without slowing demos).
   * 0 turns it off. `readLagMs` overrides it per read path. @default 1000
   */
  readAfterWriteMs: number;
  /**
   * Read lag per read path, counted from the commit of a write: `detail` and `list` fall back to
   * `readAfterWriteMs`, `cluster` (cluster detail) and `progress` (show-progress) to 0. @default {}
   */
  readLagMs: ReadLagMs;
  /** Each committed write draws each path's lag uniformly from [0, its maximum] (seeded random). @default false */
  readLagJitter: boolean;
  /**
   * An accepted action answers 200 at once but changes the state only this much later; until then every read
   * path shows the pair untouched, so an identical POST is accepted again. @default 0
   */
  commitDelayMs: number;
  /**
   * Switchover and failover do not show `ACTIVE_STANDY_SWITCHOVER` on the clusters (nor recovery
   * `DR_RECOVERING`): only the role swap witnesses them. Applies to operations committed after the change.
   * @default false
   */
  hideClusterTasks: boolean;
  /** Sync cycle of every pair; null uses each pair's own `dr_sync_period`. @default null */
  syncIntervalMs: number | null;
  /** DR status while a switchover runs; may be a stable-looking value like `running`. @default 'switchovering' */
  switchoverStatus: string;
  /** DR status while a failover runs (the API string is undocumented). @default 'failovering' */
  failoverStatus: string;
  /** DR status while a recovery runs (undocumented). @default 'starting' */
  recoveryStatus: string;
  /** DR statuses that accept `/failover`. @default ['running', 'abnormal', 'stopped'] */
  failoverAllowedStatuses: string[];
  /** HTTP status of the `DWS.7023` "status does not allow the operation" refusal. @default 400 */
  wrongStateHttpStatus: 400 | 403;
  /**
   * Actions accepted (200) that then end in their failure state: failover and switchover without a role swap,
   * recovery `abnormal`, start `start_failed`, pause `stop_failed`, delete back to the previous status.
   * @default []
   */
  failActions: DrAction[];
  /**
   * A pair that turned `abnormal` only because a cluster went down returns to `running` when the cluster is
   * restored (sync resumes). After a failover the pair stays as it is until `/recovery`. @default true
   */
  resumeAfterRestore: boolean;
  /**
   * Each region keeps its own copy of a cross-region pair (`dr_type: region`): a change made through one region's
   * endpoint, and every later step of the operation it started, reaches the other region's copy this much later
   * (replication.ts). 0 keeps the copies equal. @default 2000
   */
  replicationLagMs: number;
  /** Lifetime of IAM tokens from `POST /v3/auth/tokens`. @default 86400000 (24 h, as IAM) */
  tokenTtlMs: number;
  /** Largest accepted difference between `X-Sdk-Date` and the simulator's clock. @default 900000 (15 min) */
  maxClockSkewMs: number;
}

/** Maximum read lag (ms) per read path; a missing path uses its fallback (see {@link SimulatorConfig.readLagMs}). */
export interface ReadLagMs {
  detail?: number;
  list?: number;
  cluster?: number;
  progress?: number;
}

/** The read paths that can lag behind a write. */
export type ReadPath = keyof ReadLagMs;

export const READ_PATHS: readonly ReadPath[] = Object.freeze(['detail', 'list', 'cluster', 'progress']);

/** The maximum lag of `path` under `config`, with the fallbacks applied. */
export function maxReadLagMs(config: SimulatorConfig, path: ReadPath): number {
  const fallback = path === 'detail' || path === 'list' ? config.readAfterWriteMs : 0;
  return config.readLagMs[path] ?? fallback;
}

/** The built-in defaults. */
export const DEFAULT_SIMULATOR_CONFIG: Readonly<SimulatorConfig> = Object.freeze({
  failoverDurationMs: 15_000,
  switchoverDurationMs: 15_000,
  recoveryDurationMs: 30_000,
  startDurationMs: 5_000,
  pauseDurationMs: 5_000,
  deleteDurationMs: 3_000,
  readAfterWriteMs: 1_000,
  readLagMs: Object.freeze({}),
  readLagJitter: false,
  commitDelayMs: 0,
  hideClusterTasks: false,
  syncIntervalMs: null,
  switchoverStatus: 'switchovering',
  failoverStatus: 'failovering',
  recoveryStatus: 'starting',
  failoverAllowedStatuses: ['running', 'abnormal', 'stopped'],
  wrongStateHttpStatus: 400,
  failActions: [],
  resumeAfterRestore: true,
  replicationLagMs: 2_000,
  tokenTtlMs: 86_400_000,
  maxClockSkewMs: 900_000,
});

/**
 * A `…Ms` field of the control and programmatic API: a JSON number is milliseconds (the field's name says so); a
 * string is a duration in the project's one grammar (shared/duration.ts). A string that is a bare number is refused:
 * the grammar would read it as seconds, the field's name as milliseconds.
 */
export const durationSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
    ctx.addIssue({ code: 'custom', message: `must be a non-negative number of milliseconds, got ${value}` });
    return z.NEVER;
  }
  if (isBareNumber(value)) {
    ctx.addIssue({
      code: 'custom',
      message: `'${value}' has no unit: give a number of milliseconds (${value.trim()}) or a string with its unit ('${value.trim()}ms', '${value.trim()}s')`,
    });
    return z.NEVER;
  }
  const ms = parseDurationMs(value);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `must be a number of milliseconds or a duration like 500ms, 5s or 2m, got '${value}'`,
    });
    return z.NEVER;
  }
  return ms;
});

const statusString = z.string().regex(/^[a-z_]{2,40}$/, 'must be a lowercase DR status string like failovering');

/** A lag per read path; null removes the override (back to the fallback). */
const readLagSchema = z.strictObject({
  detail: z.union([durationSchema, z.null()]).optional(),
  list: z.union([durationSchema, z.null()]).optional(),
  cluster: z.union([durationSchema, z.null()]).optional(),
  progress: z.union([durationSchema, z.null()]).optional(),
});

const configPatchSchema = z.strictObject({
  failoverDurationMs: durationSchema.optional(),
  switchoverDurationMs: durationSchema.optional(),
  recoveryDurationMs: durationSchema.optional(),
  startDurationMs: durationSchema.optional(),
  pauseDurationMs: durationSchema.optional(),
  deleteDurationMs: durationSchema.optional(),
  readAfterWriteMs: durationSchema.optional(),
  readLagMs: readLagSchema.optional(),
  readLagJitter: z.boolean().optional(),
  commitDelayMs: durationSchema.optional(),
  hideClusterTasks: z.boolean().optional(),
  syncIntervalMs: z
    .union([durationSchema, z.null()])
    .refine((ms) => ms === null || ms > 0, 'must be positive, or null for each pair’s dr_sync_period')
    .optional(),
  switchoverStatus: statusString.optional(),
  failoverStatus: statusString.optional(),
  recoveryStatus: statusString.optional(),
  failoverAllowedStatuses: z.array(statusString).optional(),
  wrongStateHttpStatus: z.union([z.literal(400), z.literal(403)]).optional(),
  failActions: z.array(z.enum(DR_ACTIONS as [DrAction, ...DrAction[]])).optional(),
  resumeAfterRestore: z.boolean().optional(),
  replicationLagMs: durationSchema.optional(),
  tokenTtlMs: durationSchema.refine((ms) => ms > 0, 'must be positive').optional(),
  maxClockSkewMs: durationSchema.optional(),
});

/** A partial config; durations may be numbers (ms) or strings like `5s`; `readLagMs` merges field by field. */
export type SimulatorConfigPatch = z.input<typeof configPatchSchema>;

/**
 * Applies a partial config onto `base`, ignoring `undefined` fields.
 * @throws SimInputError naming the unknown or invalid field.
 */
export function applyConfigPatch(base: Readonly<SimulatorConfig>, patch: unknown): SimulatorConfig {
  const parsed = parseInput(configPatchSchema, patch ?? {}, 'config');
  const result: SimulatorConfig = {
    ...base,
    failoverAllowedStatuses: [...base.failoverAllowedStatuses],
    failActions: [...base.failActions],
    readLagMs: { ...base.readLagMs },
  };
  const { readLagMs, ...rest } = parsed;
  for (const [key, value] of Object.entries(rest)) {
    if (value !== undefined) (result as unknown as Record<string, unknown>)[key] = value;
  }
  for (const [path, ms] of Object.entries(readLagMs ?? {})) {
    if (ms === null) delete result.readLagMs[path as ReadPath];
    else if (ms !== undefined) result.readLagMs[path as ReadPath] = ms;
  }
  return result;
}

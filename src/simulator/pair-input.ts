/**
 * The input of `POST /_sim/disaster-recoveries` / `addPair()`: a DR pair and its two clusters, every field
 * optional with a sensible default, validated field by field.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parseDwsTime } from '../dws/model';
import { parseInput, SimInputError } from './input-error';
import type { ClusterHealth } from './records';
import { REGION_ID_PATTERN, REGION_ID_RULE } from './regions';
import { syncPeriodMs } from './sync';

const pathSafeId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be a UUID or another URL-safe id');
const projectId = z.string().regex(/^[0-9a-f]{32}$/, 'must be a 32-character lowercase hex project id');
const regionId = z.string().regex(REGION_ID_PATTERN, REGION_ID_RULE);
const dwsTime = z.string().refine((v) => parseDwsTime(v) !== null, 'must be a time like 2024-01-01T00:10:00 (UTC)');

const clusterInputSchema = z.strictObject({
  id: pathSafeId.optional(),
  name: z.string().min(1).max(64).optional(),
  az: z.string().min(1).max(32).optional(),
  /** The region whose endpoint serves the cluster (and its project). */
  region: regionId.optional(),
  projectId: projectId.optional(),
  version: z
    .string()
    .regex(/^\d+(\.\d+){1,3}$/, 'must be a kernel version like 8.2.1')
    .optional(),
  status: z.enum(['AVAILABLE', 'UNAVAILABLE']).optional(),
});

const pairInputSchema = z.strictObject({
  id: pathSafeId.optional(),
  name: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]{3,63}$/, 'must be 4–64 letters, digits, - or _, starting with a letter')
    .optional(),
  projectId: projectId.optional(),
  region: regionId.optional(),
  status: z.string().min(1).optional(),
  drType: z.enum(['az', 'region']).optional(),
  drSyncPeriod: z
    .string()
    .refine((v) => syncPeriodMs(v) !== null, 'must be 1–3000 with unit m, H or d, like 5m')
    .optional(),
  version: clusterInputSchema.shape.version,
  lastSuccessTime: z.union([dwsTime, z.null()]).optional(),
  createTime: dwsTime.optional(),
  startTime: z.union([dwsTime, z.null()]).optional(),
  failedOver: z.boolean().optional(),
  primary: clusterInputSchema.optional(),
  standby: clusterInputSchema.optional(),
});

/** A DR pair to add. Defaults: see {@link normalizePairInput}. */
export type PairInput = z.input<typeof pairInputSchema>;
/** One cluster of a {@link PairInput}. */
export type ClusterInput = z.input<typeof clusterInputSchema>;

/** A cluster of a validated pair, every default filled in. */
export interface NormalizedCluster {
  id: string;
  name: string;
  az: string;
  region: string;
  projectId: string;
  version: string;
  status: ClusterHealth;
}

/** A validated pair, every default filled in, times as epoch ms. */
export interface NormalizedPair {
  id: string;
  name: string;
  projectId: string;
  status: string;
  drType: string;
  drSyncPeriod: string;
  lastSuccessMs: number | null;
  createMs: number;
  startMs: number | null;
  failedOver: boolean;
  primary: NormalizedCluster;
  standby: NormalizedCluster;
}

const NEVER_STARTED = new Set(['creating', 'create_failed', 'unstart']);

/**
 * Validates a pair and fills the defaults: random UUIDs, name `dr-<id prefix>`, status `running`, `az`, `5m`,
 * kernel 8.2.1, clusters `<name>-prod` / `<name>-dr` in AZs `<region>a` / `<region>b`, both AVAILABLE, created a
 * week ago, started 20 minutes later and synced a minute ago (no start or sync for never-started statuses). The
 * pair's project is the primary cluster's when only that is given; a cluster's region and project default to the
 * pair's. A `region` pair whose clusters differ in region or project is a cross-region pair (replication.ts).
 * @throws SimInputError naming the bad field.
 */
export function normalizePairInput(
  input: unknown,
  defaults: { projectId: string; region: string; statuses: readonly string[] },
  nowMs: number
): NormalizedPair {
  const p = parseInput(pairInputSchema, input ?? {}, 'body');
  const status = p.status ?? 'running';
  if (!defaults.statuses.includes(status)) {
    throw new SimInputError('status', `must be one of ${defaults.statuses.join(', ')}, got '${status}'`);
  }
  const id = p.id ?? randomUUID();
  const name = p.name ?? `dr-${id.replace(/[^A-Za-z0-9]/g, '').slice(0, 8)}`;
  const project = p.projectId ?? p.primary?.projectId ?? defaults.projectId;
  const region = p.region ?? defaults.region;
  const version = p.version ?? '8.2.1';
  const cluster = (c: ClusterInput | undefined, suffix: string, zone: string): NormalizedCluster => ({
    id: c?.id ?? randomUUID(),
    name: c?.name ?? `${name}-${suffix}`,
    az: c?.az ?? `${c?.region ?? region}${zone}`,
    region: c?.region ?? region,
    projectId: c?.projectId ?? project,
    version: c?.version ?? version,
    status: c?.status ?? 'AVAILABLE',
  });
  const primary = cluster(p.primary, 'prod', 'a');
  const standby = cluster(p.standby, 'dr', 'b');
  if (primary.id === standby.id) throw new SimInputError('standby.id', 'must differ from primary.id');
  const started = !NEVER_STARTED.has(status);
  const createMs = p.createTime ? (parseDwsTime(p.createTime)?.getTime() ?? nowMs) : nowMs - 7 * 86_400_000;
  const time = (v: string | null | undefined, fallback: number | null): number | null =>
    v === undefined ? fallback : v === null ? null : (parseDwsTime(v)?.getTime() ?? null);
  return {
    id,
    name,
    projectId: project,
    status,
    drType: p.drType ?? 'az',
    drSyncPeriod: p.drSyncPeriod ?? '5m',
    lastSuccessMs: time(p.lastSuccessTime, started ? Math.floor(nowMs / 1000) * 1000 - 60_000 : null),
    createMs,
    startMs: time(p.startTime, started ? createMs + 20 * 60_000 : null),
    failedOver: p.failedOver ?? false,
    primary,
    standby,
  };
}

/**
 * The DR sync clock. A pair that is `running` with its primary up completes a sync cycle every interval, which
 * moves `last_success_time` forward; otherwise the time stands still, so the data-loss window of a failover grows
 * for as long as the primary is down. Computed lazily from an anchor: no timer per pair.
 */
import type { SimCluster, SimDr } from './records';

const PERIOD_UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, H: 3_600_000, d: 86_400_000 };

/**
 * Reads a DWS `dr_sync_period` (`5m`, `2H`, `1d`: number 1–3000 and unit m/H/d, reference §1.2).
 * @returns milliseconds, or null for an invalid period.
 */
export function syncPeriodMs(period: string): number | null {
  const match = /^(\d{1,4})([mHd])$/.exec(period);
  if (!match) return null;
  const n = Number(match[1]);
  if (n < 1 || n > 3000) return null;
  return n * (PERIOD_UNIT_MS[match[2] ?? 'm'] ?? 60_000);
}

/** Whether the pair is syncing right now: DR `running` and the primary cluster up. */
export function isSyncing(dr: SimDr, primary: SimCluster | undefined): boolean {
  return dr.status === 'running' && dr.operation === null && primary?.status === 'AVAILABLE';
}

/**
 * The last successful sync as of `nowMs`: the stored value, advanced by the cycles completed since the anchor
 * while the pair syncs.
 */
export function effectiveLastSuccess(dr: SimDr, syncing: boolean, intervalMs: number, nowMs: number): number | null {
  if (!syncing || dr.syncAnchorMs === null || intervalMs <= 0) return dr.lastSuccessMs;
  const cycles = Math.floor((nowMs - dr.syncAnchorMs) / intervalMs);
  if (cycles < 1) return dr.lastSuccessMs;
  const synced = dr.syncAnchorMs + cycles * intervalMs;
  return dr.lastSuccessMs === null ? synced : Math.max(dr.lastSuccessMs, synced);
}

/**
 * How long a pair's operations take, as far as this worker knows: what it saw its previous operations of the same
 * kind take (kept in memory: a restarted worker starts over, from the service's estimate or the default), and the
 * service's own estimate from the DR progress read. The follow (dr-follow.ts) plans its reads around it.
 */
import type { DrOperation } from '../../shared/operation-model';
import type { DwsClient } from '../../dws/client';

/** Which operation of which pair. */
export interface DurationKey {
  projectId: string;
  drId: string;
  operation: DrOperation;
}

/** What this worker saw the operations of each pair take. */
export interface OperationDurations {
  /** The expected duration (ms) of the pair's next such operation: the median of the recent ones; null: none seen. */
  expectedMs(key: DurationKey): number | null;
  /** Records one operation: from the service taking the request to the change first being seen. */
  record(key: DurationKey, durationMs: number): void;
}

/** Recent operations kept per pair and kind: the median of five ignores one odd run in either direction. */
const SAMPLES = 5;
/** Pairs remembered (the least recently recorded are forgotten first); an inventory holds far fewer. */
const MAX_KEYS = 1_000;
/** A duration outside this is a clock or bookkeeping error, not a duration. */
const MAX_DURATION_MS = 6 * 3_600_000;

/** An in-process store. */
export function createOperationDurations(): OperationDurations {
  const samples = new Map<string, number[]>();
  const keyOf = (k: DurationKey): string => `${k.projectId}/${k.drId}/${k.operation}`;
  return {
    expectedMs(key) {
      const seen = samples.get(keyOf(key));
      return seen && seen.length > 0 ? median(seen) : null;
    },
    record(key, durationMs) {
      if (!Number.isFinite(durationMs) || durationMs <= 0 || durationMs > MAX_DURATION_MS) return;
      const k = keyOf(key);
      const seen = samples.get(k) ?? [];
      samples.delete(k); // re-inserted last: Map order is the eviction order
      samples.set(k, [...seen, Math.round(durationMs)].slice(-SAMPLES));
      for (const oldest of samples.keys()) {
        if (samples.size <= MAX_KEYS) break;
        samples.delete(oldest);
      }
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** The longest `recovery_time_object` taken as an estimate; beyond it the field means something else. */
const MAX_SERVICE_ESTIMATE_S = 3_600;
/** An estimate is not worth a long wait: the follow plans with what it has meanwhile. */
const ESTIMATE_TIMEOUT_MS = 5_000;

/**
 * The service's estimate of the operation (`recovery_time_object` of the DR progress read, seconds) in ms, or null
 * when the read fails, the client has no progress read, or the field is absent, zero, or absurd. Never throws.
 */
export async function serviceEstimateMs(
  dws: Partial<Pick<DwsClient, 'getProgress'>>,
  key: DurationKey,
  signal?: AbortSignal
): Promise<number | null> {
  if (!dws.getProgress) return null;
  try {
    const options = { ...(signal ? { signal } : {}), priority: 'low' as const, timeoutMs: ESTIMATE_TIMEOUT_MS };
    const rto = (await dws.getProgress(key.projectId, key.drId, options)).recovery_time_object;
    return typeof rto === 'number' && Number.isFinite(rto) && rto > 0 && rto <= MAX_SERVICE_ESTIMATE_S
      ? rto * 1000
      : null;
  } catch {
    return null;
  }
}

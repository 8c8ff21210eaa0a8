/**
 * This worker's part of the API gateway's request limit, which counts each account's requests per region.
 */
import type { Config } from '../config';
import { RateLimiter } from './rate-limiter';

/** The window the worker's grants are counted in: a second plus headroom for the way to the gateway. */
export const RATE_WINDOW_MS = 1100;

/**
 * This worker's share of the account's request limit: `DWS_RATE_LIMIT` is the account's, and the workers that
 * share it (`DWS_FAILOVER_WORKERS`, the HA setup's worker count) each take an equal whole part, so together they
 * never exceed it whatever the load on each. At least 1 request per second.
 */
export function workerRateShare(config: Pick<Config, 'dws'>): number {
  return Math.max(1, Math.floor(config.dws.rateLimitPerSecond / config.dws.workersSharingLimit));
}

/**
 * A limiter of this worker's share, for one account at one endpoint (the gateway limits each account per region);
 * undefined when `DWS_RATE_LIMIT` is 0 (unlimited).
 */
export function workerRateLimiter(config: Pick<Config, 'dws'>): RateLimiter | undefined {
  if (!config.dws.rateLimitPerSecond) return undefined;
  // No window sees more than this worker's share of the account limit; no spacing below it. Counted over 1.1 s:
  // requests reach the gateway some milliseconds after their grant, unevenly, and must still fit in any one second
  // there (measured: up to 56 arrivals in a second at a 1.0 s window and a limit of 50).
  return new RateLimiter({ ratePerSecond: workerRateShare(config), windowMs: RATE_WINDOW_MS });
}

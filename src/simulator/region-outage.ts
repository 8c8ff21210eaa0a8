/**
 * Outages of one region's endpoint: its DWS and IAM requests are cut off before they reach the service, while
 * the other regions answer and the service itself (operations in progress, their timers) keeps running. This is
 * the failure a cross-region failover is for: the primary region's API is gone, the standby region's is not.
 */
import { z } from 'zod';
import { durationSchema } from './config';
import { parseInput, SimInputError } from './input-error';
import { REGION_ID_PATTERN, REGION_ID_RULE } from './regions';

/**
 * How a region that is down treats a request: `reset` destroys the connection without an answer, `unavailable`
 * answers the gateway's HTML 503. Neither forwards it to the service.
 */
export type RegionOutageMode = 'reset' | 'unavailable';

const regionOutageSchema = z.strictObject({
  /** How long the endpoint stays down; absent: until restored. */
  durationMs: durationSchema.refine((ms) => ms > 0, 'must be positive').optional(),
  mode: z.enum(['reset', 'unavailable']).optional(),
});

/** Body of `POST /_sim/regions/{region}/outage`; the duration may be a number (ms) or a string like `30s`. */
export type RegionOutageOptions = z.input<typeof regionOutageSchema>;

/** An outage in force. */
export interface RegionOutage {
  mode: RegionOutageMode;
  /** When it ends by itself (epoch ms), or null: until restored. */
  untilMs: number | null;
}

/** @returns the region id. @throws SimInputError naming `region` when it is not a region id. */
export function checkRegionId(region: string): string {
  if (!REGION_ID_PATTERN.test(region)) throw new SimInputError('region', `${REGION_ID_RULE}, got '${region}'`);
  return region;
}

/** The regions whose endpoint is down. Expiry is read off the clock, so no timer is needed. */
export class RegionOutages {
  private readonly outages = new Map<string, RegionOutage>();

  /**
   * Takes a region's endpoint down, replacing any outage of it in force (default mode `reset`, no end).
   * @throws SimInputError naming the bad field (`region`, `durationMs`, `mode`).
   */
  start(region: string, options: unknown, nowMs: number): RegionOutage {
    checkRegionId(region);
    const { durationMs, mode } = parseInput(regionOutageSchema, options ?? {}, 'options');
    const outage = { mode: mode ?? 'reset', untilMs: durationMs === undefined ? null : nowMs + durationMs };
    this.outages.set(region, outage);
    return outage;
  }

  /** Brings a region's endpoint back (nothing to do when it is up). @throws SimInputError for a bad region id. */
  restore(region: string): void {
    this.outages.delete(checkRegionId(region));
  }

  /** The outage of `region` in force at `nowMs`, or null. */
  current(region: string, nowMs: number): RegionOutage | null {
    const outage = this.outages.get(region);
    if (outage && outage.untilMs !== null && outage.untilMs <= nowMs) {
      this.outages.delete(region);
      return null;
    }
    return outage ?? null;
  }

  /** Regions with an outage in force. */
  regions(nowMs: number): string[] {
    return [...this.outages.keys()].filter((region) => this.current(region, nowMs) !== null);
  }

  clear(): void {
    this.outages.clear();
  }
}

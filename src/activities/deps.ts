/**
 * What the activities are built from. Only `src/worker.ts` (and tests through a real worker) build these.
 */
import type { DwsClient } from '../dws/client';

/** The DWS operations the activities use. */
export type DwsApi = Pick<DwsClient, 'getDisasterRecovery' | 'getCluster' | 'failover'>;

/** Where the previous failover of a pair is remembered: Temporal itself (nothing is kept outside it). */
export interface FailoverHistory {
  /** End time (ISO) of the latest `failed-over` run for the pair, or null when there is none. */
  lastFailoverAt(projectId: string, drId: string): Promise<string | null>;
}

export interface ActivityDeps {
  dws: DwsApi;
  history: FailoverHistory;
  /** Injectable clock for tests of the data-loss window. @default () => new Date() */
  now?: () => Date;
}

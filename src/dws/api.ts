/**
 * The DWS operations a worker uses, as a type both the one-region client and the many-region fleet implement. The
 * activities are built from it; it lives with the client so the DWS layer never reaches up into the activities.
 */
import type { DwsClient } from './client';

/** The DWS operations the activities use; without the progress read a follow plans with its learned or default prior. */
export type DwsApi = Pick<
  DwsClient,
  | 'getDisasterRecovery'
  | 'listDisasterRecoveries'
  | 'listClusters'
  | 'getCluster'
  | 'failover'
  | 'switchover'
  | 'recovery'
> &
  Partial<Pick<DwsClient, 'getProgress'>>;

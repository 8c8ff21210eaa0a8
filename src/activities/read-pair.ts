/**
 * One read of a DR pair and both of its clusters, shared by every kind of pre-check.
 */
import type { ClusterDetailWire, DrDetailWire } from '../dws/types';
import type { ActivityDeps } from './deps';
import { isNotFound, toActivityFailure } from './failure';

export interface PairReading {
  dr: DrDetailWire;
  /** The cluster detail, or the error that reading it gave (a dead cluster may well be unreadable). */
  primary: ClusterDetailWire | Error;
  standby: ClusterDetailWire | Error;
  observedAt: Date;
}

/**
 * Reads the DR detail and both clusters.
 * @returns `{ notFound }` when the DR does not exist.
 * @throws ApplicationFailure for other errors (transient ones are retried by the activity's policy).
 */
export async function readPair(
  deps: ActivityDeps,
  projectId: string,
  drId: string,
  { standbyMustBeReadable = true } = {}
): Promise<PairReading | { notFound: Error }> {
  let dr: DrDetailWire;
  try {
    dr = await deps.dws.getDisasterRecovery(projectId, drId);
  } catch (err) {
    if (isNotFound(err)) return { notFound: err instanceof Error ? err : new Error(String(err)) };
    throw toActivityFailure(err);
  }
  const observedAt = (deps.now ?? (() => new Date()))();
  const read = (id: string, mustBeReadable: boolean): Promise<ClusterDetailWire | Error> =>
    deps.dws.getCluster(projectId, id).catch((err: unknown) => {
      if (mustBeReadable && !isNotFound(err)) throw toActivityFailure(err);
      return err instanceof Error ? err : new Error(String(err));
    });
  const [primary, standby] = await Promise.all([
    read(dr.primary_cluster.id, false),
    read(dr.standby_cluster.id, standbyMustBeReadable),
  ]);
  return { dr, primary, standby, observedAt };
}

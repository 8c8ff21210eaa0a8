/**
 * One read of a DR pair and both of its clusters, shared by every kind of pre-check.
 */
import { detailFromListItem } from '../../dws/model';
import type { SharedReads } from '../../dws/shared-reads';
import type { ClusterDetailWire, DrDetailWire } from '../../dws/types';
import type { PairRoute, PairTopology } from '../../shared/topology';
import type { ActivityDeps } from '../deps';
import { describeError, isNotFound, toActivityFailure } from '../failure';
import {
  clusterProject,
  isCrossRegion,
  NoSiteAnswered,
  noSiteFailure,
  readDrAnySite,
  siteOfCluster,
  topologyOf,
} from './sites';

export interface PairReading {
  dr: DrDetailWire;
  /** The cluster detail, or the error that reading it gave (a dead cluster may well be unreadable). */
  primary: ClusterDetailWire | Error;
  standby: ClusterDetailWire | Error;
  observedAt: Date;
  /** A cross-region pair: its endpoints and which one answered. */
  route?: PairRoute;
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
  const topology = topologyOf(deps, projectId, drId);
  if (isCrossRegion(topology)) return readPairAcrossRegions(deps, topology, projectId, drId, standbyMustBeReadable);
  const shared = deps.shared;
  if (shared?.shares(projectId)) return readPairShared(deps, shared, projectId, drId);
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

/**
 * The same reading from the project's shared DR list and cluster list (many pairs of the project in flight): both
 * calls leave after this read was asked for, and run in parallel.
 */
async function readPairShared(
  deps: ActivityDeps,
  shared: SharedReads,
  projectId: string,
  drId: string
): Promise<PairReading | { notFound: Error }> {
  const [drs, clusters] = await Promise.all([shared.drs(projectId), shared.clusters(projectId)]).catch(
    (err: unknown) => {
      throw toActivityFailure(err);
    }
  );
  const item = drs.items.find((i) => i.id === drId);
  if (!item) return { notFound: new Error(`DR ${drId} is not in the DR list of project ${projectId}`) };
  const dr = detailFromListItem(item);
  const observedAt = (deps.now ?? (() => new Date()))();
  // A cluster missing from the list is what a 404 on its detail read would have been.
  const cluster = (id: string): ClusterDetailWire | Error =>
    clusters.items.find((c) => c.id === id) ?? new Error(`cluster ${id} is not in the cluster list of ${projectId}`);
  return { dr, primary: cluster(dr.primary_cluster.id), standby: cluster(dr.standby_cluster.id), observedAt };
}

/**
 * A cross-region pair: the DR record from the first region that answers (the pair's own project first), each
 * cluster through its own region, and whether the primary region's endpoint answered — asked even when another
 * copy answered first, because the request goes there while it does. The primary region's copy is preferred: it
 * sees the service's changes first.
 */
async function readPairAcrossRegions(
  deps: ActivityDeps,
  topology: PairTopology,
  projectId: string,
  drId: string,
  standbyMustBeReadable: boolean
): Promise<PairReading | { notFound: Error }> {
  let first: Awaited<ReturnType<typeof readDrAnySite>>;
  try {
    first = await readDrAnySite(deps, topology, drId, { prefer: projectId });
  } catch (err) {
    if (isNotFound(err)) return { notFound: err instanceof Error ? err : new Error(String(err)) };
    throw err instanceof NoSiteAnswered ? noSiteFailure(err) : toActivityFailure(err);
  }
  let { dr, site } = first;
  const answers = [...first.answers];
  const primary = siteOfCluster(topology, dr, dr.primary_cluster.id) ?? site;
  const standby =
    siteOfCluster(topology, dr, dr.standby_cluster.id) ?? topology.sites.find((s) => s !== primary) ?? site;
  if (!answers.some((a) => a.projectId === primary.projectId)) {
    try {
      dr = await deps.dws.getDisasterRecovery(primary.projectId, drId);
      site = primary;
      answers.push({
        ...primary,
        answered: true,
        note: `status ${dr.status}, primary ${dr.primary_cluster.id}`,
        at: new Date().toISOString(),
      });
    } catch (err) {
      answers.push({ ...primary, answered: false, note: describeError(err), at: new Date().toISOString() });
    }
  }
  const observedAt = (deps.now ?? (() => new Date()))();
  const read = (id: string, mustBeReadable: boolean): Promise<ClusterDetailWire | Error> =>
    deps.dws.getCluster(clusterProject(topology, projectId, id), id).catch((err: unknown) => {
      if (mustBeReadable && !isNotFound(err)) throw toActivityFailure(err);
      return err instanceof Error ? err : new Error(String(err));
    });
  const [primaryCluster, standbyCluster] = await Promise.all([
    read(dr.primary_cluster.id, false),
    read(dr.standby_cluster.id, standbyMustBeReadable),
  ]);
  const primaryAnswer = answers.find((a) => a.projectId === primary.projectId);
  const route: PairRoute = {
    failoverEndpoint: topology.failoverEndpoint,
    primary,
    standby,
    answers,
    readVia: site.projectId,
    primaryDownSince: primaryAnswer?.answered === false ? primaryAnswer.at : null,
    via: null,
    viaReason: null,
  };
  return { dr, primary: primaryCluster, standby: standbyCluster, observedAt, route };
}

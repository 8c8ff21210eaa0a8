/**
 * Reading a pair where it lives. A pair in one region is read and changed through its own project, as always. A
 * cross-region pair (`dr_type: region`) has a copy of its DR record in each region, read through that region's
 * endpoint with that region's project id, and each cluster is read through its own project. The copies lag each
 * other by the service's replication, so a reading always says which copy it came from.
 */
import type { DrDetailWire } from '../../dws/types';
import { describeSite, singleSite, type EndpointAnswer, type PairSite, type PairTopology } from '../../shared/topology';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../deps';
import { describeError, isNotFound, toActivityFailure } from '../failure';

/**
 * The pair's sites, from the worker's inventory; a pair it does not list lives in one project.
 * @throws ApplicationFailure (final) when one of its projects has no endpoint.
 */
export function topologyOf(deps: ActivityDeps, projectId: string, drId: string): PairTopology {
  try {
    return deps.topology?.(projectId, drId) ?? singleSite(projectId, '', null);
  } catch (err) {
    // A project with no endpoint: final, and typed like the call that would have failed.
    throw toActivityFailure(err);
  }
}

/** Whether the pair has copies in more than one region. */
export function isCrossRegion(topology: PairTopology): boolean {
  return topology.sites.length > 1;
}

/** The site of a project id, if it is one of the pair's. */
export function siteOf(topology: PairTopology, projectId: string): PairSite | undefined {
  return topology.sites.find((s) => s.projectId === projectId);
}

/** The sites in the order to try them: the preferred one (where the request went), then the others. */
export function siteOrder(topology: PairTopology, prefer?: string): PairSite[] {
  const first = prefer ? siteOf(topology, prefer) : undefined;
  return first ? [first, ...topology.sites.filter((s) => s !== first)] : topology.sites;
}

/** The project a cluster of the pair is read through: its own (cross-region), else the pair's. */
export function clusterProject(topology: PairTopology, projectId: string, clusterId: string): string {
  return topology.clusterProjects[clusterId] ?? projectId;
}

/**
 * The site that serves a cluster, judged by the DR record: the inventory's project of that cluster, else the site
 * in the region the record names for it.
 */
export function siteOfCluster(topology: PairTopology, dr: DrDetailWire, clusterId: string): PairSite | undefined {
  const project = topology.clusterProjects[clusterId];
  if (project) return siteOf(topology, project);
  const region = dr.primary_cluster.id === clusterId ? dr.primary_cluster.region : dr.standby_cluster.region;
  return topology.sites.find((s) => s.region !== null && s.region === region);
}

/** A DR read on every site failed; `answers` says how each one did. */
export class NoSiteAnswered extends Error {
  constructor(
    readonly answers: EndpointAnswer[],
    readonly last: unknown
  ) {
    super(answers.map((a) => `${describeSite(a)}: ${a.note}`).join('; '));
  }
}

function answerOf(site: PairSite, answered: boolean, note: string): EndpointAnswer {
  return { ...site, answered, note, at: new Date().toISOString() };
}

/**
 * The DR detail from the first site that answers, trying them in {@link siteOrder}. "Not found" is an answer.
 * @throws NoSiteAnswered (its `last` is the last error) when no site answered.
 */
export async function readDrAnySite(
  deps: ActivityDeps,
  topology: PairTopology,
  drId: string,
  options: { prefer?: string; signal?: AbortSignal; priority?: 'high' | 'low' } = {}
): Promise<{ dr: DrDetailWire; site: PairSite; answers: EndpointAnswer[] }> {
  const answers: EndpointAnswer[] = [];
  let last: unknown;
  const { prefer, ...call } = options;
  for (const site of siteOrder(topology, prefer)) {
    try {
      const dr = await deps.dws.getDisasterRecovery(site.projectId, drId, call);
      answers.push(answerOf(site, true, `status ${dr.status}, primary ${dr.primary_cluster.id}`));
      return { dr, site, answers };
    } catch (err) {
      if (isNotFound(err) || call.signal?.aborted) throw err;
      last = err;
      answers.push(answerOf(site, false, describeError(err)));
    }
  }
  throw new NoSiteAnswered(answers, last);
}

/** The activity failure for "no endpoint answered": classified (retryable or final) by the last error. */
export function noSiteFailure(err: NoSiteAnswered): ApplicationFailure {
  const last = toActivityFailure(err.last);
  return ApplicationFailure.create({
    message: `no endpoint of the pair answered: ${err.message}`,
    type: last.type ?? undefined,
    nonRetryable: last.nonRetryable ?? false,
    ...(last.nextRetryDelay !== undefined ? { nextRetryDelay: last.nextRetryDelay } : {}),
    cause: last,
  });
}

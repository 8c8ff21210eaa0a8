/**
 * Where a DR pair lives: the project (and so the region and endpoint) of each of its clusters. A cross-region pair
 * (`dr_type: region`) has two sites, each with its own copy of the DR record under the same DR id; a pair in one
 * region has one. Workflow-safe (no Node imports): runs carry sites by project id, the worker maps them to endpoints.
 */

/** One region's view of a pair: the project its API is called with, the region and the endpoint that serves it. */
export interface PairSite {
  projectId: string;
  /** Region id such as `cn-north-4`; null when only an endpoint URL is configured. */
  region: string | null;
  /** Base URL of that region's DWS API, for reports and logs. */
  endpoint: string;
}

/**
 * Which endpoint takes a cross-region pair's failover request while the primary region's endpoint does not answer:
 * `standby-region` (the default: the standby cluster's region, with its project id) or `primary-region` (only
 * ever the primary's; the run waits for it to answer again).
 */
export type FailoverEndpoint = 'standby-region' | 'primary-region';

export interface PairTopology {
  drType: 'az' | 'region';
  /** One site per project of the pair's clusters, in inventory order; one for a pair in one region. */
  sites: PairSite[];
  /** The project of each cluster id (both clusters of a cross-region pair; may be empty for an `az` pair). */
  clusterProjects: Record<string, string>;
  failoverEndpoint: FailoverEndpoint;
}

/** A pair in one region and project: what every pair without an inventory entry is. */
export function singleSite(projectId: string, endpoint: string, region: string | null): PairTopology {
  return {
    drType: 'az',
    sites: [{ projectId, region, endpoint }],
    clusterProjects: {},
    failoverEndpoint: 'standby-region',
  };
}

/** How a site is named in reports: `cn-south-1 (https://…, project 9f8e…)`. */
export function describeSite(site: PairSite): string {
  return `${site.region ?? 'endpoint'} (${site.endpoint}, project ${site.projectId})`;
}

/** How one site's endpoint answered a read: for the report, which endpoint answered, which did not and why. */
export interface EndpointAnswer extends PairSite {
  answered: boolean;
  note: string;
  at: string;
}

/**
 * A cross-region pair's endpoints as its run sees them: which copy the pre-checks read, whether the primary
 * region's endpoint answered, and where the request goes (the run's history keeps every step of that choice).
 */
export interface PairRoute {
  failoverEndpoint: FailoverEndpoint;
  /** The site of the primary cluster (as the pre-checks read the pair) and of the standby. */
  primary: PairSite;
  standby: PairSite;
  /** Every endpoint the pre-checks tried, in order, with its answer. */
  answers: EndpointAnswer[];
  /** The project whose copy the pre-checks used. */
  readVia: string;
  /** When the primary region's endpoint was first seen not answering (ISO); null while it answers. */
  primaryDownSince: string | null;
  /** The project the request goes through, once chosen, and why. */
  via: string | null;
  viaReason: string | null;
}

/**
 * The DWS API of every project a worker serves. Each call goes by its project id to that project's endpoint (its
 * region's, from the inventory's `projects`, else the environment's DWS_REGION/DWS_ENDPOINT), signed with its
 * account's credentials (else the environment's), and waits in the rate limiter of that account at that endpoint:
 * the API gateway counts each account's requests per region. One client per endpoint and account, made on first use.
 */
import type { Dispatcher } from 'undici';
import type { DwsApi } from './api';
import type { Config } from '../config';
import { findPair, type AccountCredentials, type DwsCredentials, type Inventory } from '../inventory';
import { singleSite, type PairSite, type PairTopology } from '../shared/topology';
import { AkSkAuthenticator, IamTokenAuthenticator, type AuthRequest, type Authenticator } from './auth';
import { DwsClient, type DrActionResult, type DrListFilter, type DwsCallOptions } from './client';
import { DwsInvalidInputError, DwsNetworkError } from './errors';
import { workerRateLimiter } from './rate-share';
import type { ClusterDetailWire, DrDetailWire, DrListItemWire, DrProgressWire } from './types';

/** Where a project's calls go. */
export interface ProjectEndpoint {
  projectId: string;
  /** The project's region; the environment's DWS_REGION for a project the inventory does not list (null if unset). */
  region: string | null;
  endpoint: string;
  /** The inventory account that signs its calls; null: the environment's credentials. */
  account: string | null;
}

export interface DwsFleetOptions {
  /** Where every request goes (tests: the simulator's, a MockAgent); default: each client owns an undici Agent. */
  dispatcher?: Dispatcher;
}

/** Picks the authenticator of the request's project (`x-project-id`): IAM tokens are scoped to one project. */
class PerProjectAuthenticator implements Authenticator {
  readonly #byProject = new Map<string, Authenticator>();
  readonly #create: (projectId: string) => Authenticator;

  constructor(create: (projectId: string) => Authenticator) {
    this.#create = create;
  }

  authenticate(req: AuthRequest): Promise<Record<string, string>> {
    const projectId = req.headers['x-project-id'] ?? '';
    let auth = this.#byProject.get(projectId);
    if (!auth) this.#byProject.set(projectId, (auth = this.#create(projectId)));
    return auth.authenticate(req);
  }
}

/**
 * The IAM endpoint of a region: `https://iam.{region}.myhuaweicloud.com` (reference §6). Only an inventory account
 * lacks an IAM endpoint, and only listed projects, which have a region, name an account; the global endpoint is the
 * fallback should that ever change.
 */
const regionalIam = (region: string | null): string =>
  region === null ? 'https://iam.myhuaweicloud.com' : `https://iam.${region}.myhuaweicloud.com`;

/**
 * See the module comment. Every DWS method throws what `DwsClient`'s does, and `DwsInvalidInputError` (nothing was
 * sent) for a project with no endpoint or no credentials.
 */
export class DwsFleet implements Required<DwsApi> {
  readonly #config: Pick<Config, 'dws' | 'inventory'>;
  readonly #inventory: Inventory | null;
  readonly #dispatcher: Dispatcher | undefined;
  /** By endpoint and account (`''` for the environment's credentials). */
  readonly #clients = new Map<string, DwsClient>();
  /** By `project/dr`: the inventory does not change while the worker runs. */
  readonly #topologies = new Map<string, PairTopology>();
  #closed = false;

  constructor(config: Pick<Config, 'dws' | 'inventory'>, options: DwsFleetOptions = {}) {
    this.#config = config;
    this.#inventory = config.inventory;
    this.#dispatcher = options.dispatcher;
  }

  /**
   * Where the project's calls go: its `projects` entry in the inventory, else the environment's endpoint with the
   * environment's credentials.
   * @throws DwsInvalidInputError when the project is not listed and neither DWS_REGION nor DWS_ENDPOINT is set.
   */
  endpointFor(projectId: string): ProjectEndpoint {
    const route = this.#route(projectId);
    if (typeof route === 'string') {
      throw new DwsInvalidInputError(route, { operation: 'RouteRequest', target: `project ${projectId}` });
    }
    return route;
  }

  /**
   * Where a pair lives: for a pair the inventory lists (named by its own project or either cluster's), one site per
   * project of its clusters, in inventory order; else one site, the project's.
   * @throws DwsInvalidInputError when one of its projects has no endpoint (see `endpointFor`).
   */
  topology(projectId: string, drId: string): PairTopology {
    // Asked on every read of every run: a region's worth of runs polling must not scan the inventory each time.
    const key = `${projectId}/${drId}`;
    const known = this.#topologies.get(key);
    if (known) return known;
    const topology = this.#topologyOf(projectId, drId);
    this.#topologies.set(key, topology);
    return topology;
  }

  #topologyOf(projectId: string, drId: string): PairTopology {
    const pair = findPair(this.#inventory, projectId, drId);
    if (!pair) {
      const { endpoint, region } = this.endpointFor(projectId);
      return singleSite(projectId, endpoint, region);
    }
    const sites: PairSite[] = [];
    const clusterProjects: Record<string, string> = {};
    for (const cluster of pair.clusters) {
      clusterProjects[cluster.id] = cluster.projectId;
      if (sites.some((s) => s.projectId === cluster.projectId)) continue;
      const { endpoint, region } = this.endpointFor(cluster.projectId);
      sites.push({ projectId: cluster.projectId, region, endpoint });
    }
    return { drType: pair.drType, sites, clusterProjects, failoverEndpoint: pair.failoverEndpoint };
  }

  /** Endpoint and account pairs with a client so far. */
  get clients(): number {
    return this.#clients.size;
  }

  listDisasterRecoveries(
    projectId: string,
    filter?: DrListFilter,
    options?: DwsCallOptions
  ): Promise<DrListItemWire[]> {
    return this.#with(projectId, 'ListDisasterRecover', `DR pairs in project ${projectId}`, (c) =>
      c.listDisasterRecoveries(projectId, filter, options)
    );
  }

  getDisasterRecovery(projectId: string, drId: string, options?: DwsCallOptions): Promise<DrDetailWire> {
    return this.#with(projectId, 'ShowDisasterDetail', drTarget(projectId, drId), (c) =>
      c.getDisasterRecovery(projectId, drId, options)
    );
  }

  failover(projectId: string, drId: string, options?: DwsCallOptions): Promise<DrActionResult> {
    return this.#with(projectId, 'SwitchFailoverDisaster', drTarget(projectId, drId), (c) =>
      c.failover(projectId, drId, options)
    );
  }

  switchover(projectId: string, drId: string, options?: DwsCallOptions): Promise<DrActionResult> {
    return this.#with(projectId, 'SwitchoverDisasterRecovery', drTarget(projectId, drId), (c) =>
      c.switchover(projectId, drId, options)
    );
  }

  recovery(projectId: string, drId: string, options?: DwsCallOptions): Promise<DrActionResult> {
    return this.#with(projectId, 'RestoreDisaster', drTarget(projectId, drId), (c) =>
      c.recovery(projectId, drId, options)
    );
  }

  getProgress(projectId: string, drId: string, options?: DwsCallOptions): Promise<DrProgressWire> {
    return this.#with(projectId, 'ShowDisasterProgress', drTarget(projectId, drId), (c) =>
      c.getProgress(projectId, drId, options)
    );
  }

  listClusters(projectId: string, options?: DwsCallOptions): Promise<ClusterDetailWire[]> {
    return this.#with(projectId, 'ListClusters', `clusters in project ${projectId}`, (c) =>
      c.listClusters(projectId, options)
    );
  }

  getCluster(projectId: string, clusterId: string, options?: DwsCallOptions): Promise<ClusterDetailWire> {
    return this.#with(projectId, 'ListClusterDetails', `cluster ${clusterId} in project ${projectId}`, (c) =>
      c.getCluster(projectId, clusterId, options)
    );
  }

  /** Closes every client (and the dispatchers they own). Calls after it fail as the clients' do. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#clients.values()].map((c) => c.close()));
  }

  #with<T>(projectId: string, operation: string, target: string, call: (client: DwsClient) => Promise<T>): Promise<T> {
    try {
      return call(this.#client(projectId, operation, target));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** The project's endpoint, or why it has none. */
  #route(projectId: string): ProjectEndpoint | string {
    const listed = this.#inventory?.projects.get(projectId);
    if (listed) return { projectId, region: listed.region, endpoint: listed.endpoint, account: listed.account };
    const { endpoint, region } = this.#config.dws;
    if (endpoint !== null) return { projectId, region, endpoint, account: null };
    const inventory = this.#inventory
      ? `the inventory (${this.#inventory.source})`
      : 'the inventory (DWS_FAILOVER_INVENTORY)';
    return `Project ${projectId} has no DWS endpoint: list it under projects in ${inventory} with its region, or set DWS_REGION or DWS_ENDPOINT.`;
  }

  #client(projectId: string, operation: string, target: string): DwsClient {
    if (this.#closed) {
      const message = `${operation} for ${target} was not sent: the DWS clients are closed (the worker is stopping).`;
      throw new DwsNetworkError(message, { operation, target }, false, new Error('closed'));
    }
    const route = this.#route(projectId);
    if (typeof route === 'string') {
      throw new DwsInvalidInputError(`${operation} for ${target} was not sent: ${route}`, { operation, target });
    }
    const key = `${route.endpoint}\u0000${route.account ?? ''}`;
    const existing = this.#clients.get(key);
    if (existing) return existing;
    const credentials = this.#credentials(route, operation, target);
    const client = new DwsClient({
      endpoint: route.endpoint,
      auth: this.#authenticator(credentials, route),
      timeoutMs: this.#config.dws.timeoutMs,
      ...optional(
        'credentialsHint',
        route.account === null
          ? undefined
          : `Check the credentials of inventory account '${route.account}' (the variables it names), and that this machine's clock is correct.`
      ),
      ...optional('rateLimiter', workerRateLimiter(this.#config)),
      ...optional('dispatcher', this.#dispatcher),
    });
    this.#clients.set(key, client);
    return client;
  }

  #credentials(route: ProjectEndpoint, operation: string, target: string): AccountCredentials | DwsCredentials {
    const refuse = (why: string): never => {
      throw new DwsInvalidInputError(
        `${operation} for ${target} was not sent: project ${route.projectId} has no credentials: ${why}`,
        { operation, target }
      );
    };
    if (route.account === null) {
      return (
        this.#config.dws.credentials ??
        refuse(
          'it uses the environment’s, and none are set. Set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or HUAWEICLOUD_IAM_*), or give the project an account in the inventory.'
        )
      );
    }
    const account = this.#inventory?.accounts.get(route.account);
    return (
      account?.credentials ??
      refuse(
        `the variables of account '${route.account}' (${account?.unset.map((u) => u.variable).join(', ') ?? 'unknown account'}) are not set.`
      )
    );
  }

  /**
   * AK/SK signs every project's requests alike. An IAM token is scoped to one project: one token per project, from
   * the account's IAM endpoint, else the IAM endpoint of the project's region (the environment's credentials: the
   * configured HUAWEICLOUD_IAM_ENDPOINT or its default).
   */
  #authenticator(credentials: AccountCredentials | DwsCredentials, route: ProjectEndpoint): Authenticator {
    if (credentials.kind === 'aksk') {
      return new AkSkAuthenticator({
        ak: credentials.ak,
        sk: credentials.sk,
        securityToken: credentials.securityToken,
      });
    }
    return new PerProjectAuthenticator(
      (projectId) =>
        new IamTokenAuthenticator({
          iamEndpoint: credentials.iamEndpoint ?? regionalIam(this.endpointFor(projectId).region ?? route.region),
          domain: credentials.domain,
          user: credentials.user,
          password: credentials.password,
          projectId,
          ...optional('dispatcher', this.#dispatcher),
          ...optional(
            'configuredBy',
            route.account === null
              ? undefined
              : {
                  endpoint: `the iam.endpoint of inventory account '${route.account}' (default: the IAM endpoint of the project's region)`,
                  credentials: `iam.domain, iam.user and the variable named by iam.password_env of inventory account '${route.account}'`,
                }
          ),
        })
    );
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function drTarget(projectId: string, drId: string): string {
  return `DR ${drId} in project ${projectId}`;
}

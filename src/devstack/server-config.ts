/**
 * The configuration of a self-hosted Temporal server v1.29.1 on PostgreSQL with SQL visibility, on loopback. Based on
 * the server's `config/development-postgres12.yaml` and the docker `config_template.yaml` of that version, with
 * ports of our choosing, archival off and no metrics endpoint.
 */
import { createServer } from 'node:net';
import { stringify } from 'yaml';

/** Ports of the four services; membership ports are stored as SMALLINT by the PostgreSQL schema. */
export interface ServerPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

/** Below the kernel's ephemeral range (32768+) and SMALLINT's limit, above the well-known ports. */
const PORT_RANGE = { min: 10_000, max: 32_767 };

async function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Nine distinct free loopback ports below 32768 (`frontend` as given, when given).
 * @throws Error when no free port turns up after many tries.
 */
export async function pickServerPorts(frontend?: number): Promise<ServerPorts> {
  const taken = new Set<number>(frontend ? [frontend] : []);
  const pick = async (): Promise<number> => {
    for (let attempt = 0; attempt < 500; attempt++) {
      const port = PORT_RANGE.min + Math.floor(Math.random() * (PORT_RANGE.max - PORT_RANGE.min + 1));
      if (!taken.has(port) && (await canBind(port))) {
        taken.add(port);
        return port;
      }
    }
    throw new Error(`no free port between ${PORT_RANGE.min} and ${PORT_RANGE.max} on 127.0.0.1`);
  };
  return {
    frontend: frontend ?? (await pick()),
    frontendHttp: await pick(),
    frontendMembership: await pick(),
    history: await pick(),
    historyMembership: await pick(),
    matching: await pick(),
    matchingMembership: await pick(),
    worker: await pick(),
    workerMembership: await pick(),
  };
}

export interface ServerConfigInput {
  ports: ServerPorts;
  postgres: { host: string; port: number; user: string };
  dynamicConfigPath: string;
}

function sqlStore(database: string, input: ServerConfigInput, maxConns: number): object {
  return {
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `${input.postgres.host}:${input.postgres.port}`,
      connectProtocol: 'tcp',
      user: input.postgres.user,
      // Trust authentication on loopback: any password is accepted.
      password: 'temporal',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  };
}

/** The server's YAML configuration (loaded with `--env <name>` from `<root>/config/<name>.yaml`). */
export function serverConfigYaml(input: ServerConfigInput): string {
  const { ports } = input;
  const rpc = (grpcPort: number, membershipPort: number, extra: object = {}): object => ({
    rpc: { grpcPort, membershipPort, bindOnIP: '127.0.0.1', ...extra },
  });
  return stringify({
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: {
        // The docker template's pool sizes: 20 for the default store, 10 for visibility.
        'postgres-default': sqlStore('temporal', input, 20),
        'postgres-visibility': sqlStore('temporal_visibility', input, 10),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      pprof: { port: 0 },
    },
    services: {
      frontend: rpc(ports.frontend, ports.frontendMembership, { httpPort: ports.frontendHttp }),
      matching: rpc(ports.matching, ports.matchingMembership),
      history: rpc(ports.history, ports.historyMembership),
      worker: rpc(ports.worker, ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.frontend}`,
          httpAddress: `127.0.0.1:${ports.frontendHttp}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    dynamicConfigClient: { filepath: input.dynamicConfigPath, pollInterval: '10s' },
  });
}

/**
 * Dynamic config: the server's defaults (what users run), except the version check, which calls out to the
 * internet (unreachable here). Deliberately not `system.forceSearchAttributesCacheRefreshOnRead`, which the dev
 * server turns on and production must not: startup waits for the search attributes instead.
 */
export const DYNAMIC_CONFIG_YAML = stringify({ 'frontend.enableServerVersionCheck': [{ value: false }] });

/**
 * A self-hosted Temporal server v1.29.1 on PostgreSQL with SQL visibility, the kind users run, set up from nothing:
 * binaries (built once into the cache), a throwaway PostgreSQL, both schemas through the SQL tool, the server, the
 * `default` namespace and the project's search attributes. Used by the `real-server` test profile and
 * `scripts/real-temporal.ts`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../shared/constants';
import { SA_TYPE_NAMES, stopProcess } from './dev-server';
import { startPostgres, type Postgres } from './postgres';
import { DYNAMIC_CONFIG_YAML, pickServerPorts, serverConfigYaml } from './server-config';
import { ensureTemporalCli } from './temporal-cli';
import { ensureTemporalServer, type TemporalServerLocation } from './temporal-server';

const run = promisify(execFile);

export interface RealServerOptions {
  /** Frontend gRPC port, below 32768; 0 picks a free one. @default 0 */
  port?: number;
  /** How long each of the server's start, the namespace and the search attributes may take. @default 120000 */
  readyTimeoutMs?: number;
  /** Progress lines with timings. */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface RealServer {
  /** `127.0.0.1:<port>` */
  address: string;
  /** The Temporal CLI (for `temporal workflow show` and the like). */
  cliPath: string;
  postgres: { host: string; port: number };
  /** The server's output; gone after `stop()`. */
  logPath: string;
  stop(): Promise<void>;
}

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const errorText = (err: unknown): string =>
  ((err as { stderr?: string }).stderr || (err instanceof Error ? err.message : String(err))).trim();

/** An error that ends `retry` at once. */
class GiveUp extends Error {}

/** Retries `attempt` every 250 ms until it resolves; the last error goes into the timeout's message. */
async function retry<T>(what: string, timeoutMs: number, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (err instanceof GiveUp) throw err;
      if (Date.now() > deadline) throw new Error(`${what} did not succeed in ${timeoutMs / 1000} s: ${errorText(err)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Creates both databases and brings their schemas to v1.29.1's versions, as the docker auto-setup does. */
async function setupSchemas(bins: TemporalServerLocation, pg: Postgres): Promise<void> {
  const common = ['--endpoint', pg.host, '--port', String(pg.port), '--user', pg.user, '--password', 'temporal'];
  for (const [database, name] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    const args = [...common, '--plugin', 'postgres12', '--database', database];
    const schema = bins.schemaDir
      ? ['--schema-dir', join(bins.schemaDir, name, 'versioned')]
      : ['--schema-name', `postgresql/v12/${name}`];
    for (const command of [['create-database'], ['setup-schema', '--version', '0.0'], ['update-schema', ...schema]]) {
      await run(bins.sqlToolPath, [...args, ...command]).catch((err: unknown) => {
        throw new Error(`temporal-sql-tool ${command[0]} on ${database} failed: ${errorText(err)}`);
      });
    }
  }
}

/**
 * Registers `default` and the search attributes, then waits until a workflow start that sets them and a list
 * query on them both succeed: for a moment after registration the server still answers "no mapping defined".
 */
async function prepareNamespace(cliPath: string, address: string, timeoutMs: number): Promise<void> {
  const cli = (args: string[]): Promise<unknown> =>
    run(cliPath, [...args, '--address', address]).catch((err: unknown) => {
      if (/already (exists|registered)/i.test(errorText(err))) return;
      throw err;
    });
  await retry('creating the namespace `default`', timeoutMs, () =>
    cli(['operator', 'namespace', 'create', '--namespace', 'default', '--retention', '24h'])
  );
  const attributes = SEARCH_ATTRIBUTES.flatMap((key) => [
    '--name',
    key.name,
    '--type',
    SA_TYPE_NAMES[key.type] ?? key.type,
  ]);
  await retry('registering the search attributes', timeoutMs, () =>
    cli(['operator', 'search-attribute', 'create', '--namespace', 'default', ...attributes])
  );
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace: 'default' });
    await retry('a workflow start with the search attributes', timeoutMs, async () => {
      const handle = await client.workflow.start('realServerProbe', {
        taskQueue: 'dws-failover-real-server-probe',
        workflowId: `dws-failover-real-server-probe-${randomUUID()}`,
        typedSearchAttributes: SEARCH_ATTRIBUTES.map((key) => ({ key, value: 'probe' })),
      });
      await handle.terminate('readiness probe of the test server');
    });
    const query = SEARCH_ATTRIBUTES.map((key) => `${key.name} = 'probe'`).join(' AND ');
    await retry('a list query on the search attributes', timeoutMs, () => client.workflow.count(query));
  } finally {
    await connection.close();
  }
}

/**
 * Builds (first run only) and starts everything; resolves once the namespace takes the project's workflows.
 * Progress lines carry the time of each step.
 * @throws Error naming the step that failed, after stopping whatever it had started.
 */
export async function startRealServer(options: RealServerOptions = {}): Promise<RealServer> {
  const log = options.log ?? (() => {});
  const env = options.env ?? process.env;
  const timeoutMs = options.readyTimeoutMs ?? 120_000;
  const total = Date.now();
  let started = Date.now();
  const cli = await ensureTemporalCli(log, env);
  const bins = await ensureTemporalServer(log, env);
  log(`binaries: ${seconds(started)} (server + SQL tool: ${bins.source}; CLI: ${cli.source})`);

  started = Date.now();
  const pg = await startPostgres({ log, env });
  log(`postgres: ${seconds(started)}`);
  const dir = mkdtempSync(join(tmpdir(), 'dws-failover-temporal-'));
  const logPath = join(dir, 'server.log');
  let child: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    if (child) await stopProcess(child);
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    started = Date.now();
    await setupSchemas(bins, pg);
    log(`schema: ${seconds(started)} (databases temporal and temporal_visibility)`);

    started = Date.now();
    const ports = await pickServerPorts(options.port || undefined);
    const address = `127.0.0.1:${ports.frontend}`;
    mkdirSync(join(dir, 'config'));
    writeFileSync(join(dir, 'dynamicconfig.yaml'), DYNAMIC_CONFIG_YAML);
    writeFileSync(
      join(dir, 'config', 'real-server.yaml'),
      serverConfigYaml({ ports, postgres: pg, dynamicConfigPath: join(dir, 'dynamicconfig.yaml') })
    );
    const out = openSync(logPath, 'a');
    const args = ['--root', dir, '--config', 'config', '--env', 'real-server', '--allow-no-auth', 'start'];
    const server = spawn(bins.serverPath, args, { cwd: dir, stdio: ['ignore', out, out] });
    child = server;
    closeSync(out);
    const tail = (): string => readFileSync(logPath, 'utf8').slice(-4000);
    await retry(`the server on ${address}`, timeoutMs, async () => {
      if (server.exitCode !== null) throw new GiveUp(`the server exited (code ${server.exitCode})`);
      const { stdout } = await run(cli.path, ['operator', 'cluster', 'health', '--address', address], {
        timeout: 5_000,
      });
      if (!/SERVING/.test(stdout)) throw new Error(stdout);
    }).catch((err: unknown) => {
      throw new Error(`${errorText(err)}\nServer output:\n${tail()}`);
    });
    log(`server ready: ${seconds(started)} on ${address}`);

    started = Date.now();
    await prepareNamespace(cli.path, address, timeoutMs);
    log(`namespace default and search attributes: ${seconds(started)}; everything in ${seconds(total)}`);
    return { address, cliPath: cli.path, postgres: { host: pg.host, port: pg.port }, logPath, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Finds or builds the self-hosted Temporal server and its SQL schema tool, v1.29.1 (the server inside the Temporal
 * CLI the dev server comes from), for the test profile that runs on PostgreSQL. Order for each binary: its
 * environment variable (TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH), then the cache outside the repo
 * (`cacheDir()/temporal-server-1.29.1/`), else one `go install` of both into that cache, which also copies the
 * PostgreSQL schemas out of the Go module cache so later runs need neither Go nor the module cache.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { goInstall, isExecutable, onPath } from './go-install';
import { cacheDir } from './temporal-cli';

export const TEMPORAL_SERVER_VERSION = '1.29.1';
const MODULE = `go.temporal.io/server@v${TEMPORAL_SERVER_VERSION}`;
const PACKAGES = [
  `go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_VERSION}`,
  `go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`,
];
/** The schema folder inside the module and inside the cache. */
const SCHEMA_SUBDIR = join('schema', 'postgresql', 'v12');

export interface TemporalServerLocation {
  serverPath: string;
  sqlToolPath: string;
  /**
   * `…/postgresql/v12`, holding `temporal/versioned` and `visibility/versioned`; null when only the environment
   * variables gave the binaries and nothing is cached, and the SQL tool then uses the schemas built into it.
   */
  schemaDir: string | null;
  source: 'environment' | 'cache' | 'go install';
}

/** `cacheDir()/temporal-server-1.29.1`. */
export function serverCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), `temporal-server-${TEMPORAL_SERVER_VERSION}`);
}

function fromEnv(name: 'TEMPORAL_SERVER_PATH' | 'TEMPORAL_SQL_TOOL_PATH', env: NodeJS.ProcessEnv): string | undefined {
  const value = env[name];
  if (!value) return undefined;
  if (!isExecutable(value)) throw new Error(`${name}=${value} is not an executable file; fix or unset it.`);
  return value;
}

/**
 * Where usable binaries already are, without building anything.
 * @throws Error when an environment variable names a file that is not executable.
 */
export function findTemporalServer(env: NodeJS.ProcessEnv = process.env): TemporalServerLocation | undefined {
  const dir = serverCacheDir(env);
  const cachedServer = join(dir, 'temporal-server');
  const cachedSqlTool = join(dir, 'temporal-sql-tool');
  const cachedSchema = join(dir, SCHEMA_SUBDIR);
  const serverPath = fromEnv('TEMPORAL_SERVER_PATH', env) ?? (isExecutable(cachedServer) ? cachedServer : undefined);
  const sqlToolPath =
    fromEnv('TEMPORAL_SQL_TOOL_PATH', env) ?? (isExecutable(cachedSqlTool) ? cachedSqlTool : undefined);
  if (!serverPath || !sqlToolPath) return undefined;
  const schemaDir = existsSync(join(cachedSchema, 'temporal', 'versioned')) ? cachedSchema : null;
  const cached = serverPath === cachedServer && sqlToolPath === cachedSqlTool;
  return { serverPath, sqlToolPath, schemaDir, source: cached ? 'cache' : 'environment' };
}

/** Makes a copied tree writable by its owner: the module cache is read-only, and a read-only cache is hard to clear. */
function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, entry);
    chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
  }
}

/**
 * Returns the Temporal server, the SQL tool and the schemas, building them with `go install` into the cache when
 * missing (about 2–3 minutes on 2 cores, once). `log` receives progress lines.
 * @throws Error saying what failed and how to provide the binaries by hand.
 */
export async function ensureTemporalServer(
  log: (line: string) => void = () => {},
  env: NodeJS.ProcessEnv = process.env
): Promise<TemporalServerLocation> {
  const found = findTemporalServer(env);
  if (found) return found;

  const go = onPath('go', env);
  if (!go) {
    throw new Error(
      `No Temporal server v${TEMPORAL_SERVER_VERSION} found (TEMPORAL_SERVER_PATH and TEMPORAL_SQL_TOOL_PATH, or ` +
        `the cache ${serverCacheDir(env)}) and Go is not installed to build it. Install Go ≥ 1.25 or set both variables.`
    );
  }
  const dir = serverCacheDir(env);
  mkdirSync(dir, { recursive: true });
  log(`Building the Temporal server and SQL tool v${TEMPORAL_SERVER_VERSION} with Go into ${dir} (first run only)…`);
  const started = Date.now();
  await goInstall({ go, packages: PACKAGES, binDir: dir, ldflags: '-s -w', env, log });

  const modCache = spawnSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8', env }).stdout.trim();
  const moduleSchema = join(modCache, MODULE, SCHEMA_SUBDIR);
  if (!existsSync(join(moduleSchema, 'temporal', 'versioned'))) {
    throw new Error(`go install succeeded but the schemas are not at ${moduleSchema}`);
  }
  // Schemas first, binaries last: the binaries' presence is what marks the cache complete.
  cpSync(moduleSchema, join(dir, SCHEMA_SUBDIR), { recursive: true });
  makeWritable(join(dir, 'schema'));
  renameSync(join(dir, 'server'), join(dir, 'temporal-server'));
  renameSync(join(dir, 'sql'), join(dir, 'temporal-sql-tool'));
  log(`Built the Temporal server and SQL tool in ${Math.round((Date.now() - started) / 1000)} s.`);
  const built = findTemporalServer(env);
  if (!built) throw new Error(`go install reported success but the binaries are missing from ${dir}`);
  return { ...built, source: 'go install' };
}

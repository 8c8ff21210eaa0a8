/**
 * A throwaway PostgreSQL for the self-hosted Temporal server: a fresh cluster in a temp folder, listening on a free
 * loopback port (and a unix socket in the same folder) with trust authentication for the superuser `temporal`.
 * PostgreSQL refuses to run as root, so under root it runs as the `postgres` user the Debian package creates.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, stopProcess } from './dev-server';
import { isExecutable, onPath } from './go-install';

export interface Postgres {
  host: '127.0.0.1';
  port: number;
  /** The superuser; no password (trust on loopback). */
  user: 'temporal';
  /** The temp folder holding the cluster and the socket; removed by `stop()`. */
  dir: string;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** @default 60000 */
  readyTimeoutMs?: number;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * The folder with `initdb` and `postgres`: `$POSTGRES_BIN_DIR`, then `initdb` on PATH, then the newest
 * `/usr/lib/postgresql/<major>/bin` (where Debian puts them, off PATH).
 * @throws Error saying how to install PostgreSQL.
 */
export function findPostgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.POSTGRES_BIN_DIR) {
    if (!isExecutable(join(env.POSTGRES_BIN_DIR, 'initdb'))) {
      throw new Error(`POSTGRES_BIN_DIR=${env.POSTGRES_BIN_DIR} has no executable initdb; fix or unset it.`);
    }
    return env.POSTGRES_BIN_DIR;
  }
  const initdb = onPath('initdb', env);
  if (initdb) return dirname(initdb);
  const debian = '/usr/lib/postgresql';
  const majors = existsSync(debian) ? readdirSync(debian).filter((v) => /^\d+$/.test(v)) : [];
  for (const major of majors.sort((a, b) => Number(b) - Number(a))) {
    const bin = join(debian, major, 'bin');
    if (isExecutable(join(bin, 'initdb'))) return bin;
  }
  throw new Error(
    'PostgreSQL is not installed (no initdb on PATH or under /usr/lib/postgresql). ' +
      'Install it (`apt-get install postgresql`) or set POSTGRES_BIN_DIR.'
  );
}

/** The uid/gid to run PostgreSQL as: none (this process) unless we are root, then the `postgres` user's. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || uid <= 0 || !Number.isInteger(gid)) {
    throw new Error('Running as root and there is no `postgres` user to run PostgreSQL as (it refuses root).');
  }
  return { uid, gid };
}

/**
 * Creates and starts the cluster; resolves once it accepts connections.
 * @throws Error with PostgreSQL's output when initdb fails or the server exits or is not ready in time.
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<Postgres> {
  const log = options.log ?? (() => {});
  const env = options.env ?? process.env;
  const bin = findPostgresBinDir(env);
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'dws-failover-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const spawnOptions: SpawnOptions = { cwd: dir, env: { PATH: env.PATH, LANG: 'C' }, ...(user ?? {}) };

  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'temporal', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
    { ...spawnOptions, encoding: 'utf8' }
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (exit ${init.status}): ${init.stderr || init.stdout || init.error?.message}`);
  }

  const port = await freePort();
  const child: ChildProcess = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      // Four Temporal services each open a default pool (20) and a visibility pool (10).
      '-c',
      'max_connections=200',
      // A throwaway database: durability costs time on a small CI machine and changes nothing Temporal does.
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] }
  );
  let output = '';
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const ready = new Promise<void>((resolve) => {
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-8000);
      if (output.includes('ready to accept connections')) resolve();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  });
  const stop = async (): Promise<void> => {
    // SIGINT is PostgreSQL's fast shutdown: it does not wait for clients to disconnect.
    await stopProcess(child, 10_000, 'SIGINT');
    rmSync(dir, { recursive: true, force: true });
  };

  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    ready.then(() => 'ready' as const),
    new Promise<'exited'>((resolve) => child.once('exit', () => resolve('exited'))),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome !== 'ready') {
    await stop();
    const why = outcome === 'exited' ? `exited (code ${exited})` : `was not ready after ${timeoutMs / 1000} s`;
    throw new Error(`PostgreSQL on 127.0.0.1:${port} ${why}. Output:\n${output}`);
  }
  log(`PostgreSQL (${bin}) ready on 127.0.0.1:${port}${user ? ' as user postgres' : ''}, data in ${data}.`);
  return { host: '127.0.0.1', port, user: 'temporal', dir, stop };
}

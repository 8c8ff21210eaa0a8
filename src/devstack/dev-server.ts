/**
 * Starts `temporal server start-dev` on loopback with the project's search attributes, waits until it answers,
 * and stops it by PID. Used by the test suite's global setup, `dws-failover dev` and `dws-failover demo`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { SEARCH_ATTRIBUTES } from '../shared/constants';
import { ensureTemporalCli } from './temporal-cli';

export interface DevServerOptions {
  /** Frontend gRPC port; 0 picks a free one. @default 0 */
  port?: number;
  /** Web UI port; omitted = headless. */
  uiPort?: number;
  /** SQLite file to keep state across restarts; omitted = in memory. */
  dbFilename?: string;
  /** How long to wait for the server to answer. @default 60000 */
  readyTimeoutMs?: number;
  /** Progress lines (CLI build, start, ready). */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface DevServer {
  /** `127.0.0.1:<port>` */
  address: string;
  uiUrl: string | null;
  pid: number;
  cliPath: string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The CLI's names of search attribute types (`--search-attribute NAME=Keyword`). */
export const SA_TYPE_NAMES: Record<string, string> = {
  KEYWORD: 'Keyword',
  TEXT: 'Text',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/**
 * Starts a dev server and resolves once `temporal operator cluster health` reports SERVING.
 * @throws Error with the server's last output when it exits early or is not ready in time.
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const log = options.log ?? (() => {});
  const env = options.env ?? process.env;
  const cli = await ensureTemporalCli(log, env);
  const port = options.port || (await freePort());
  const address = `127.0.0.1:${port}`;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--log-level',
    'error',
    // The server's version check calls out to the internet; this machine has none.
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    ...SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${SA_TYPE_NAMES[key.type]}`]),
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
    ...(options.dbFilename ? ['--db-filename', options.dbFilename] : []),
  ];
  log(`Starting the Temporal dev server on ${address} (${cli.path})…`);
  const child: ChildProcess = spawn(cli.path, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | null | undefined;
  child.on('exit', (code) => {
    exited = code;
  });

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exited !== undefined) {
      throw new Error(`The Temporal dev server exited (code ${exited}) before it was ready. Output:\n${output}`);
    }
    const health = spawnSync(cli.path, ['operator', 'cluster', 'health', '--address', address], {
      encoding: 'utf8',
      timeout: 5_000,
    });
    if (health.status === 0 && /SERVING/.test(health.stdout)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `The Temporal dev server on ${address} was not ready after ${Math.round((options.readyTimeoutMs ?? 60_000) / 1000)} s. Output:\n${output}`
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const uiUrl = options.uiPort ? `http://127.0.0.1:${options.uiPort}` : null;
  log(`Temporal dev server ready on ${address}${uiUrl ? `, Web UI ${uiUrl}` : ''}.`);

  return {
    address,
    uiUrl,
    pid: child.pid ?? -1,
    cliPath: cli.path,
    stop: () => stopProcess(child),
  };
}

/** `signal` (SIGTERM), then SIGKILL after `graceMs` (a dev server stopped right after start can hang). */
export async function stopProcess(
  child: ChildProcess,
  graceMs = 10_000,
  signal: NodeJS.Signals = 'SIGTERM'
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

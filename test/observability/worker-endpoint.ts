/**
 * A real `dws-failover worker` process serving its HTTP endpoint on a free port (DWS_FAILOVER_WORKER_HTTP_PORT=0),
 * and plain GETs against it.
 */
import { request } from 'undici';
import { spawnWorker, until, type WorkerProcess } from '../helpers/worker-process';

export interface ServedWorker extends WorkerProcess {
  /** `http://127.0.0.1:port`, as the worker logged it. */
  url: string;
}

/** Starts the worker with `env` and waits for the endpoint's URL in its (JSON) log. */
export async function spawnServedWorker(env: Record<string, string>): Promise<ServedWorker> {
  const worker = spawnWorker({
    ...env,
    DWS_FAILOVER_WORKER_HTTP_PORT: '0',
    DWS_FAILOVER_LOG_FORMAT: 'json',
  });
  const url = await until('the worker HTTP endpoint', () => {
    for (const line of worker.output().split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as { message?: string; url?: string };
      if (entry.message === 'Worker HTTP endpoint listening') return entry.url;
    }
    if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.output()}`);
    return undefined;
  });
  return { ...worker, url };
}

/** GET `url`: status and body text. */
export async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await request(url);
  return { status: res.statusCode, body: await res.body.text() };
}
